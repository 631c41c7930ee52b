"""What an organization is read from: the data of one YAML text, and the files of a whole one.

Shared by the single-file loader (:mod:`orggraph.model.load`) and the reader of split
organizations (:mod:`orggraph.model.include`), which both re-export or use these; neither has to
import the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orggraph.model.fastyaml import DECLINED, read_simple_yaml
from orggraph.model.schema import Org
from orggraph.model.yamlsource import parse_yaml

__all__ = ["Sources", "yaml_data"]


@dataclass(frozen=True, slots=True)
class Sources:
    """An organization and every file it was read from (more than one when it is split)."""

    org: Org
    files: tuple[Path, ...]
    """The files read, in the order their parties were merged, named as in messages."""
    folders: tuple[Path, ...] = ()
    """The folders whose org files were read (the folder given, folders named by include:)."""


def yaml_data(text: str, filename: str) -> Any:
    """The data of a YAML text, without positions: the fast line reader takes generated files,
    the full reader everything it declines (and raises ``YamlTrouble`` for what is wrong)."""
    data = read_simple_yaml(text)
    if data is DECLINED:
        data, _, _ = parse_yaml(text, filename, track=False)
    return data

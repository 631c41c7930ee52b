"""Random include paths and random kinds of input file (issue 12, items 10 and 14): whatever the
path, the loader gives an organization or located problems, never a traceback or a hang."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from orggraph.errors import OrgValidationError, UsageError
from orggraph.model import load_sources

from ._fuzz import examples

PIECES = st.sampled_from(
    ["a.yaml", "..", ".", "loop.yaml", "fifo.yaml", "dev.yaml", "z" * 300, "x\0y", "sub", "", "~"]
)
ENTRY = st.lists(PIECES, min_size=1, max_size=4).map("/".join)


def _folder(root: Path) -> None:
    (root / "a.yaml").write_text("units: [{id: a}]\n")
    (root / "sub").mkdir()
    (root / "sub" / "b.yaml").write_text("units: [{id: b}]\n")
    (root / "loop.yaml").symlink_to("loop.yaml")
    os.mkfifo(root / "fifo.yaml")
    (root / "dev.yaml").symlink_to("/dev/zero")


@examples(0.5)
@given(st.lists(ENTRY, min_size=1, max_size=4))
def test_random_include_paths(entries: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _folder(root)
        listed = ", ".join(
            '"' + e.replace("\\", "\\\\").replace("\0", "\\0") + '"' for e in entries
        )
        (root / "main.yaml").write_text(f"include: [{listed}]\nunits: [{{id: m}}]\n")
        try:
            sources = load_sources(root / "main.yaml")
        except OrgValidationError as exc:
            assert all(p.location is not None for p in exc.problems)
        else:
            assert {u.id for u in sources.org.units} >= {"m"}


@examples(0.1)
@given(st.sampled_from(["fifo.yaml", "dev.yaml", "loop.yaml", "sub", "z" * 300, "x\0y"]))
def test_random_inputs_that_are_not_files(name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _folder(root)
        try:
            sources = load_sources(root / name)
        except (OrgValidationError, UsageError) as exc:
            assert str(exc)  # a message, never another exception
        else:
            assert [u.id for u in sources.org.units] == ["b"]  # the folder "sub"

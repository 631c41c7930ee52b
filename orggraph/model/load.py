"""Placeholder replaced by the full loader in the next commit."""
from __future__ import annotations
from pathlib import Path
from typing import Any
from orggraph.model.schema import Org

def load_dict(data: Any) -> Org:
    return Org.model_validate(data)

def load_text(text: str, filename: str = "<string>") -> Org:
    import yaml
    return load_dict(yaml.safe_load(text))

def load(path: str | Path) -> Org:
    p = Path(path)
    return load_text(p.read_text("utf-8"), str(p))

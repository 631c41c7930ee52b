"""Places in a parsed document: a path of mapping keys and list indexes, and how messages write it.

Every message names its place the same way, whichever file it is about (an org file, one file of
a split organization, a policy file), so there is one writer, :func:`format_path`.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from orggraph.model.schema import ID_PATTERN

__all__ = ["DocPath", "format_path", "value_at"]

DocPath = tuple[Hashable, ...]
"""Mapping keys and list indexes from the document root, e.g. ``("units", 3, "depends_on", 0)``."""

_ID = re.compile(ID_PATTERN)
_PARTY_LISTS = frozenset({"units", "customers", "vendors"})


def format_path(path: DocPath, data: Any = None) -> str:
    """``units[2].depends_on[0]`` for ``("units", 2, "depends_on", 0)``.

    Given the document ``data``, a party's place also shows its id when it has a valid one, so a
    reader finds it without counting: ``units[2](desk-eu).depends_on[0]``.

    >>> format_path(("units", 2, "depends_on", 0))
    'units[2].depends_on[0]'
    >>> format_path(("units", 0, "capacity"), {"units": [{"id": "desk-eu"}]})
    'units[0](desk-eu).capacity'
    """
    out = ""
    for n, part in enumerate(path):
        if isinstance(part, int):
            out += f"[{part}]"
            if n == 1 and data is not None and path[0] in _PARTY_LISTS:
                pid = value_at(data, (*path[:2], "id"))
                if isinstance(pid, str) and _ID.fullmatch(pid):
                    out += f"({pid})"
        else:
            out += f".{part}" if out else str(part)
    return out


def value_at(data: Any, path: DocPath) -> Any:
    """The value at ``path`` in ``data``, or None when there is none (or the document has
    another shape there)."""
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node

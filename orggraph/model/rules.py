"""Rules that need the whole file: unique ids, references that resolve, no self or customer
dependencies, no repeated supplier, a parent tree without cycles (SPEC §1).

They run on the raw parsed data rather than on the validated model, so that they can be reported
together with field errors in one pass; anything malformed is skipped here because the schema
check already reports it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeGuard

from orggraph.errors import did_you_mean
from orggraph.model.schema import ID_PATTERN

__all__ = ["LISTS", "SUGGESTION_LIMIT", "RuleIssue", "check_rules", "format_path"]

LISTS = ("units", "customers", "vendors")
_ID = re.compile(ID_PATTERN)
_PARTY_WORD = {"units": "unit", "customers": "customer", "vendors": "vendor"}

Path = tuple[Hashable, ...]

SUGGESTION_LIMIT = 20
"""How many unknown references in one check get a "did you mean" hint. Each suggestion compares
the reference with every id (0.1 s among 100,000), so a file whose thousands of references are
all misspelt (a renamed prefix) would otherwise take hours to be refused."""


class _Suggester:
    """``did_you_mean`` for the first :data:`SUGGESTION_LIMIT` words it is asked about."""

    def __init__(self) -> None:
        self.left = SUGGESTION_LIMIT

    def __call__(self, word: str, candidates: list[str]) -> str | None:
        if self.left <= 0:
            return None
        self.left -= 1
        return did_you_mean(word, candidates)


@dataclass(frozen=True, slots=True)
class RuleIssue:
    """A broken whole-file rule at ``path``; ``key`` says to point at the key, not the value."""

    path: Path
    message: str
    hint: str | None = None
    related: Path | None = None  # another place the message is about (e.g. the first definition)


def _items(data: dict[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    seq = data.get(name)
    if not isinstance(seq, list):
        return []
    return [(i, item) for i, item in enumerate(seq) if isinstance(item, dict)]


def _valid_id(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and _ID.fullmatch(value) is not None  # '$' allows a final \n


def check_rules(
    data: dict[str, Any], describe: Callable[[Path], str] | None = None
) -> list[RuleIssue]:
    """Return every broken whole-file rule of a parsed org document, in document order.

    ``describe`` writes a path for a message (default :func:`format_path`); a model merged from
    several files passes one that names the place in its own file.
    """
    fmt = describe or format_path
    issues: list[RuleIssue] = []
    where_defined: dict[str, tuple[str, Path]] = {}  # id -> (list name, path)
    for name in LISTS:
        for i, item in _items(data, name):
            pid = item.get("id")
            if not _valid_id(pid):
                continue
            path: Path = (name, i, "id")
            if pid in where_defined:
                _, first_path = where_defined[pid]
                issues.append(
                    RuleIssue(
                        path,
                        f"duplicate id '{pid}': already the id of {fmt(first_path[:2])}",
                        "ids must be unique across units, customers and vendors; rename one",
                        related=first_path,
                    )
                )
            else:
                where_defined[pid] = (name, path)

    suggest = _Suggester()
    kind_of = {pid: lst for pid, (lst, _) in where_defined.items()}
    suppliers = sorted(pid for pid, lst in kind_of.items() if lst != "customers")
    unit_ids = sorted(pid for pid, lst in kind_of.items() if lst == "units")

    for name in ("units", "customers"):
        for i, item in _items(data, name):
            me = item.get("id")
            deps = item.get("depends_on")
            if not isinstance(deps, list):
                continue
            seen: dict[str, Path] = {}
            for j, dep in enumerate(deps):
                refs: list[tuple[Any, Path]] = []
                if isinstance(dep, str):
                    refs.append((dep, (name, i, "depends_on", j)))
                elif isinstance(dep, dict) and "any_of" in dep:
                    alts = dep["any_of"]
                    if isinstance(alts, list):
                        refs.extend(
                            (a, (name, i, "depends_on", j, "any_of", k)) for k, a in enumerate(alts)
                        )
                elif isinstance(dep, dict):
                    refs.append((dep.get("supplier"), (name, i, "depends_on", j, "supplier")))
                for ref, path in refs:
                    if not _valid_id(ref):
                        continue
                    issue = _reference_issue(ref, path, me, kind_of, suppliers, suggest)
                    if issue is not None:
                        issues.append(issue)
                        continue
                    if ref in seen and seen[ref][:4] == path[:4] and "any_of" in path:
                        issues.append(
                            RuleIssue(
                                path,
                                f"'{ref}' is listed twice in this any_of",
                                "alternatives must be different suppliers; remove one",
                            )
                        )
                    elif ref in seen:
                        issues.append(
                            RuleIssue(
                                path,
                                f"'{ref}' is already a supplier of this party at {fmt(seen[ref])}",
                                "list each supplier once; merge the two entries",
                                related=seen[ref],
                            )
                        )
                    else:
                        seen[ref] = path

    issues.extend(_parent_issues(data, kind_of, unit_ids, suggest))
    return issues


def _reference_issue(
    ref: str,
    path: Path,
    me: Any,
    kind_of: dict[str, str],
    suppliers: list[str],
    suggest: _Suggester,
) -> RuleIssue | None:
    if ref == me:
        return RuleIssue(path, f"'{ref}' depends on itself", "remove this dependency")
    if ref not in kind_of:
        return RuleIssue(
            path,
            f"unknown supplier '{ref}'",
            suggest(ref, suppliers) or "declare it under units: or vendors:",
        )
    if kind_of[ref] == "customers":
        return RuleIssue(
            path,
            f"'{ref}' is a customer; nobody depends on a customer",
            "service flows toward customers: make it a unit if others depend on it",
        )
    return None


def _parent_issues(
    data: dict[str, Any], kind_of: dict[str, str], unit_ids: list[str], suggest: _Suggester
) -> list[RuleIssue]:
    issues: list[RuleIssue] = []
    parent_of: dict[str, str] = {}
    path_of: dict[str, Path] = {}
    for i, item in _items(data, "units"):
        me, parent = item.get("id"), item.get("parent")
        if not _valid_id(parent):
            continue
        path: Path = ("units", i, "parent")
        if parent == me:
            issues.append(RuleIssue(path, f"'{parent}' is its own parent", "remove 'parent'"))
        elif parent not in kind_of:
            issues.append(
                RuleIssue(
                    path,
                    f"unknown parent '{parent}'",
                    suggest(parent, unit_ids) or "declare the parent under units:",
                )
            )
        elif kind_of[parent] != "units":
            issues.append(
                RuleIssue(
                    path,
                    f"parent '{parent}' is a {_PARTY_WORD[kind_of[parent]]}, not a unit",
                    "a parent is the unit this one belongs to in the org chart",
                )
            )
        elif _valid_id(me) and kind_of.get(me) == "units":
            parent_of[me] = parent
            path_of.setdefault(me, path)
    reported: set[str] = set()
    for start in parent_of:
        trail: list[str] = []
        node: str | None = start
        while node is not None and node not in trail and node not in reported:
            trail.append(node)
            node = parent_of.get(node)
        if node is not None and node in trail:
            cycle = trail[trail.index(node) :]
            reported.update(cycle)
            first = min(cycle, key=lambda n: int(str(path_of[n][1])))  # the earliest in the file
            k = cycle.index(first)
            ordered = cycle[k:] + cycle[:k] + [first]
            issues.append(
                RuleIssue(
                    path_of[first],
                    "parent cycle: " + " → ".join(ordered),
                    "the parent tree must not loop; remove one of these parents",
                )
            )
        reported.update(trail)
    return issues


def format_path(path: Path) -> str:
    """``units[2].depends_on[0]`` for ``("units", 2, "depends_on", 0)``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out

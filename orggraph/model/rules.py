"""Rules that need the whole file: unique ids, references that resolve, no self or customer
dependencies, no repeated supplier, a parent tree without cycles (SPEC §1).

They run on the raw parsed data rather than on the validated model, so that they can be reported
together with field errors in one pass; anything malformed is skipped here because the schema
check already reports it.

Every valid file of 100,000 units passes through here, so each party is first checked with a few
set operations that only say "nothing wrong here"; the detailed checks that word the messages run
only for a party that fails them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeGuard

from orggraph.errors import did_you_mean
from orggraph.model.paths import format_path
from orggraph.model.schema import ID_PATTERN, UnitKind

__all__ = ["LISTS", "SUGGESTION_LIMIT", "RuleIssue", "check_rules"]

LISTS = ("units", "customers", "vendors")
_ID = re.compile(ID_PATTERN)
_PARTY_WORD = {"units": "unit", "customers": "customer", "vendors": "vendor"}

Path = tuple[Hashable, ...]

SUGGESTION_LIMIT = 20
"""How many unknown references in one check get a "did you mean" hint. Each suggestion compares
the reference with every id, so a file whose thousands of references are all misspelt (a renamed
prefix) would otherwise take hours to be refused."""


class _Suggester:
    """``did_you_mean`` for the first :data:`SUGGESTION_LIMIT` words it is asked about.

    The sorted candidate lists are made on the first request: a valid file never needs them.
    """

    def __init__(self, kind_of: dict[str, str]) -> None:
        self.left = SUGGESTION_LIMIT
        self._kind_of = kind_of
        self._suppliers: list[str] | None = None
        self._units: list[str] | None = None

    def supplier(self, word: str) -> str | None:
        """A suggestion among the units and vendors."""
        if self.left <= 0:
            return None
        if self._suppliers is None:
            self._suppliers = sorted(p for p, lst in self._kind_of.items() if lst != "customers")
        return self._suggest(word, self._suppliers)

    def unit(self, word: str) -> str | None:
        """A suggestion among the units."""
        if self.left <= 0:
            return None
        if self._units is None:
            self._units = sorted(p for p, lst in self._kind_of.items() if lst == "units")
        return self._suggest(word, self._units)

    def _suggest(self, word: str, candidates: list[str]) -> str | None:
        self.left -= 1
        return did_you_mean(word, candidates)


@dataclass(frozen=True, slots=True)
class RuleIssue:
    """A broken whole-file rule at ``path``; ``key`` says to point at the key, not the value."""

    path: Path
    message: str
    hint: str | None = None
    related: Path | None = None  # another place the message is about (e.g. the first definition)


def _entries(data: dict[str, Any], name: str) -> list[Any]:
    """The list under ``name``, or nothing when it is not a list (the schema reports that)."""
    seq = data.get(name)
    return seq if isinstance(seq, list) else []


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
    # id -> the list of its first definition. Only valid ids are keys, so finding a reference
    # here also proves it is a valid id.
    kind_of: dict[str, str] = {}
    repeated: list[tuple[str, int, str]] = []  # (list, index, id) of each later definition
    is_id = _ID.fullmatch
    for name in LISTS:
        for i, item in enumerate(_entries(data, name)):
            if not isinstance(item, dict):
                continue
            pid = item.get("id")
            if not isinstance(pid, str) or is_id(pid) is None:
                continue
            known = len(kind_of)
            kind_of.setdefault(pid, name)  # one dict operation for the common case, a new id
            if len(kind_of) == known:
                repeated.append((name, i, pid))
    if repeated:
        first_at = _first_definitions(data, kind_of)
        for name, i, pid in repeated:
            first_path: Path = (kind_of[pid], first_at[pid], "id")
            issues.append(
                RuleIssue(
                    (name, i, "id"),
                    f"duplicate id '{pid}': already the id of {fmt(first_path[:2])}",
                    "ids must be unique across units, customers and vendors; rename one",
                    related=first_path,
                )
            )

    suggest = _Suggester(kind_of)
    supplier_ids = {pid for pid, lst in kind_of.items() if lst != "customers"}
    for name in ("units", "customers"):
        for i, item in enumerate(_entries(data, name)):
            if not isinstance(item, dict):
                continue
            deps = item.get("depends_on")
            if not isinstance(deps, list) or not deps:
                continue
            me = item.get("id")
            if not _clean_dependencies(deps, me, supplier_ids):
                issues.extend(_dependency_issues(name, i, me, deps, kind_of, suggest, fmt))

    issues.extend(_parent_issues(data, kind_of, suggest))
    issues.extend(_scenario_issues(data, kind_of, suggest, fmt))
    return issues


def _first_definitions(data: dict[str, Any], kind_of: dict[str, str]) -> dict[str, int]:
    """The index of each id's first definition in its list (``kind_of`` says which list)."""
    first_at: dict[str, int] = {}
    for name in LISTS:
        for i, item in enumerate(_entries(data, name)):
            if isinstance(item, dict):
                pid = item.get("id")
                if isinstance(pid, str) and kind_of.get(pid) == name:
                    first_at.setdefault(pid, i)
    return first_at


def _clean_dependencies(deps: list[Any], me: Any, supplier_ids: set[str]) -> bool:
    """Whether a party's dependencies surely break no rule: every reference is a known unit or
    vendor other than the party itself, none is repeated, and a primary is one of its group's
    alternatives. False says only "look closer"."""
    refs: list[Any] = []
    append = refs.append
    for dep in deps:
        kind = type(dep)
        if kind is str:
            append(dep)
        elif kind is dict:
            if "any_of" in dep:
                alts = dep["any_of"]
                if type(alts) is not list:
                    return False
                primary = dep.get("primary")
                if primary is not None and primary not in alts:
                    return False
                refs += alts
            else:
                append(dep.get("supplier"))
        else:  # anything unusual, even a subclass of str or dict, gets the detailed checks
            return False
    try:
        return supplier_ids.issuperset(refs) and len(set(refs)) == len(refs) and me not in refs
    except TypeError:  # a list or mapping where an id belongs: the schema reports it
        return False


def _primary_hint(primary: str, alts: list[Any], kind_of: dict[str, str]) -> str:
    """A misspelt alternative gets "did you mean"; a real party that is no alternative gets the
    list of alternatives (the closest spelling would point at an unrelated one)."""
    named = sorted({a for a in alts if _valid_id(a)})
    if primary not in kind_of:
        hint = did_you_mean(primary, named)
        if hint is not None:
            return hint
    if not named:
        return "name one of the ids listed in any_of"
    listed = ", ".join(f"'{a}'" for a in named)
    return f"name one of the alternatives ({listed}), or add '{primary}' to any_of"


def _dependency_issues(
    name: str,
    i: int,
    me: Any,
    deps: list[Any],
    kind_of: dict[str, str],
    suggest: _Suggester,
    fmt: Callable[[Path], str],
) -> list[RuleIssue]:
    """The broken rules among one party's dependencies, in document order."""
    issues: list[RuleIssue] = []
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
                primary = dep.get("primary")
                if _valid_id(primary) and primary not in alts:
                    issues.append(
                        RuleIssue(
                            (name, i, "depends_on", j, "primary"),
                            f"primary '{primary}' is not one of the alternatives",
                            _primary_hint(primary, alts, kind_of),
                        )
                    )
        elif isinstance(dep, dict):
            refs.append((dep.get("supplier"), (name, i, "depends_on", j, "supplier")))
        for ref, path in refs:
            if not _valid_id(ref):
                continue
            issue = _reference_issue(ref, path, me, kind_of, suggest)
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
    return issues


def _reference_issue(
    ref: str, path: Path, me: Any, kind_of: dict[str, str], suggest: _Suggester
) -> RuleIssue | None:
    if ref == me:
        return RuleIssue(path, f"'{ref}' depends on itself", "remove this dependency")
    if ref not in kind_of:
        return RuleIssue(
            path,
            f"unknown supplier '{ref}'",
            suggest.supplier(ref) or "declare it under units: or vendors:",
        )
    if kind_of[ref] == "customers":
        return RuleIssue(
            path,
            f"'{ref}' is a customer; nobody depends on a customer",
            "service flows toward customers: make it a unit if others depend on it",
        )
    return None


def _parent_issues(
    data: dict[str, Any], kind_of: dict[str, str], suggest: _Suggester
) -> list[RuleIssue]:
    issues: list[RuleIssue] = []
    parent_of: dict[str, str] = {}
    index_of: dict[str, int] = {}  # unit id -> index of its first entry with a usable parent
    for i, item in enumerate(_entries(data, "units")):
        if not isinstance(item, dict):
            continue
        parent = item.get("parent")
        if parent is None:  # the common case of a top-level unit (None is never a valid id)
            continue
        kind = kind_of.get(parent) if isinstance(parent, str) else None
        if kind is None and not _valid_id(parent):
            continue
        me = item.get("id")
        if parent == me:
            issues.append(
                RuleIssue(
                    ("units", i, "parent"), f"'{parent}' is its own parent", "remove 'parent'"
                )
            )
        elif kind == "units":
            if isinstance(me, str) and kind_of.get(me) == "units":  # a known id is a valid one
                parent_of[me] = parent
                index_of.setdefault(me, i)
        elif kind is None:
            issues.append(
                RuleIssue(
                    ("units", i, "parent"),
                    f"unknown parent '{parent}'",
                    suggest.unit(parent) or "declare the parent under units:",
                )
            )
        else:
            issues.append(
                RuleIssue(
                    ("units", i, "parent"),
                    f"parent '{parent}' is a {_PARTY_WORD[kind]}, not a unit",
                    "a parent is the unit this one belongs to in the org chart",
                )
            )
    # Walk up from every unit in file order, marking each unit with the walk that reached it
    # first: a walk that comes back to a unit it marked itself has found a cycle, one that
    # reaches a unit marked before stops there (everything above was walked already).
    walk_of: dict[str, int] = {}
    for walk, start in enumerate(parent_of):
        node: str | None = start
        while node is not None and node not in walk_of:
            walk_of[node] = walk
            node = parent_of.get(node)
        if node is None or walk_of[node] != walk:
            continue
        cycle = [node]
        above = parent_of[node]
        while above != node:
            cycle.append(above)
            above = parent_of[above]
        first = min(cycle, key=index_of.__getitem__)  # the earliest in the file
        k = cycle.index(first)
        ordered = cycle[k:] + cycle[:k] + [first]
        issues.append(
            RuleIssue(
                ("units", index_of[first], "parent"),
                "parent cycle: " + " → ".join(ordered),
                "the parent tree must not loop; remove one of these parents",
            )
        )
    return issues


_FAILING_PARTIES = ("unit", "vendor")


def _scenario_issues(
    data: dict[str, Any],
    kind_of: dict[str, str],
    suggest: _Suggester,
    fmt: Callable[[Path], str],
) -> list[RuleIssue]:
    """Scenario ids used twice, ``fail`` entries that name no unit or vendor, and ``where``
    entries that can never match (SPEC §7)."""
    issues: list[RuleIssue] = []
    first: dict[str, Path] = {}
    for i, item in enumerate(_entries(data, "scenarios")):
        if not isinstance(item, dict):
            continue
        sid = item.get("id")
        if _valid_id(sid):
            if sid in first:
                issues.append(
                    RuleIssue(
                        ("scenarios", i, "id"),
                        f"duplicate scenario id '{sid}': already the id of {fmt(first[sid][:2])}",
                        "scenario ids must be unique among scenarios; rename one",
                        related=first[sid],
                    )
                )
            else:
                first[sid] = ("scenarios", i, "id")
        fail = item.get("fail")
        if isinstance(fail, list):
            issues.extend(_fail_issues(i, fail, kind_of, suggest))
        where = item.get("where")
        if isinstance(where, dict):
            issues.extend(_where_issues(i, where))
    return issues


def _fail_issues(
    i: int, fail: list[Any], kind_of: dict[str, str], suggest: _Suggester
) -> list[RuleIssue]:
    issues: list[RuleIssue] = []
    seen: set[str] = set()
    for j, ref in enumerate(fail):
        if not _valid_id(ref):
            continue
        path: Path = ("scenarios", i, "fail", j)
        if ref in seen:
            issues.append(RuleIssue(path, f"'{ref}' is listed twice in fail", "remove one"))
        seen.add(ref)
        kind = kind_of.get(ref)
        if kind is None:
            issues.append(
                RuleIssue(
                    path,
                    f"unknown party '{ref}' in fail",
                    suggest.supplier(ref) or "name a unit or a vendor declared in the file",
                )
            )
        elif kind == "customers":
            issues.append(
                RuleIssue(
                    path,
                    f"'{ref}' is a customer; customers never fail in a scenario",
                    "name the units or vendors whose failure the scenario is about",
                )
            )
    return issues


def _where_issues(i: int, where: dict[Any, Any]) -> list[RuleIssue]:
    issues: list[RuleIssue] = []
    for key, value in where.items():
        path: Path = ("scenarios", i, "where", key)
        if not isinstance(key, str):
            continue  # the schema reports it
        if key == "attributes" or key == "attributes.":
            issues.append(
                RuleIssue(
                    path,
                    "where names an attribute as attributes.NAME",
                    "e.g. where: {attributes.site: Dublin}",
                )
            )
        elif isinstance(value, list) and key != "tags":
            issues.append(
                RuleIssue(
                    path,
                    f"where {key} takes one value, not a list",
                    "only tags takes a list (the party has all of them); "
                    "write one scenario per value",
                )
            )
        elif key == "party" and value not in _FAILING_PARTIES:
            if value == "customer":
                message = "customers never fail in a scenario"
            else:
                message = f"where party is unit or vendor, not '{value}'"
            issues.append(RuleIssue(path, message, "write party: unit or party: vendor"))
        elif key == "kind" and str(value) not in set(UnitKind):
            choices = ", ".join(k.value for k in UnitKind)
            issues.append(
                RuleIssue(
                    path,
                    f"unknown kind '{value}'; expected one of {choices}",
                    did_you_mean(str(value), [k.value for k in UnitKind])
                    or "for an attribute called kind write attributes.kind",
                )
            )
    return issues

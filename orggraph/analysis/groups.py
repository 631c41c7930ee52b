"""Members, groups and roll-ups (SPEC §7).

The members of a unit are the units whose ``parent`` chain passes through it (its whole subtree);
a unit with at least one member is a *group*. A failing unit takes its members with it, and a
group whose members have all failed has failed: :mod:`orggraph.analysis.impact` follows both rules
in every failure analysis, and gives every group's failure in the same one pass as every single
failure (a group is one of its sources). Here: the members themselves, the groups section of the
report, and the roll-up of dependencies to one level of the org chart.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import accumulate

import networkx as nx

from orggraph._perf import paused_gc, raw_dicts
from orggraph.analysis._members import OrgTree
from orggraph.analysis._structure import Structure
from orggraph.analysis.impact import CHUNK_BITS, SingleFailure, _single_failure_impacts
from orggraph.analysis.report import GroupDependency, GroupImpact
from orggraph.errors import UsageError, did_you_mean
from orggraph.graph import KIND, NAME, VOLUME

__all__ = ["group_dependencies", "groups", "members"]


def _index(s: Structure, unit: str) -> int:
    v = s.index.get(unit)
    if v is None:
        hint = did_you_mean(unit, s.ids)
        raise UsageError(f"unknown party '{unit}'" + (f"; {hint}" if hint else ""))
    return v


def members(G: nx.DiGraph, unit: str) -> tuple[str, ...]:
    """The members of ``unit``: every unit whose ``parent`` chain passes through it, sorted by
    id (empty for a unit with no members, a customer or a vendor).

    The org chart is read once per call into an Euler tour (every subtree one run of the
    preorder), O(N); the members are then one slice of it.

    Raises
    ------
    orggraph.errors.UsageError
        When ``unit`` is not a party of ``G``.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({"units": [
    ...     {"id": "it", "kind": "department"}, {"id": "desk", "parent": "it"},
    ...     {"id": "desk-eu", "parent": "desk"}]}))
    >>> members(G, "it"), members(G, "desk-eu")
    (('desk', 'desk-eu'), ())
    """
    s = Structure.of(G)
    tree = OrgTree.of(G, s)
    return tuple(sorted(s.ids[m] for m in tree.members(_index(s, unit))))


@paused_gc()  # only live objects are made; the collector would rescan G
def groups(
    G: nx.DiGraph,
    *,
    list_limit: int = 0,
    impacts: Mapping[str, SingleFailure] | None = None,
) -> tuple[GroupImpact, ...]:
    """One entry per group: what its failure, with all its members, brings down (SPEC §7).

    For a group g, X = {g}, X* = {g} ∪ members(g), and F is the least fixpoint of SPEC §3 from
    X* with "a group is in F once all its members are". Ranked like the critical suppliers:
    impact weight (highest first), impacted units (most first), id; impacted customers listed
    highest weight first, then id (at most ``list_limit`` of them; 0: all).
    ``critical_members`` counts the members that are critical suppliers (non-group units whose
    single failure impacts a customer).

    Cost: none of its own beyond :func:`orggraph.analysis.single_failure_impacts`, whose one
    pass already has every group among its failure sources, plus O(N) to count members.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "it"}, {"id": "desk", "parent": "it"}, {"id": "web"},
    ...               {"id": "shop", "depends_on": [{"any_of": ["desk", "web"]}, "it"]}],
    ...     "customers": [{"id": "x", "depends_on": ["shop"]}]}))
    >>> [(g.id, g.members, g.impacted_customers, g.critical_members) for g in groups(G)]
    [('it', 1, ('x',), 1)]
    """
    s = Structure.of(G)
    if impacts is None:
        impacts = _single_failure_impacts(G, s, CHUNK_BITS, list_limit)
    return _groups(G, s, impacts, list_limit)


def _groups(
    G: nx.DiGraph, s: Structure, impacts: Mapping[str, SingleFailure], list_limit: int
) -> tuple[GroupImpact, ...]:
    tree = OrgTree.of(G, s)
    if not tree.groups:
        return ()
    _, node_data = raw_dicts(G)
    # critical members of g: a prefix sum over the preorder, one subtraction per group
    critical = [
        1
        if not tree.children[v]
        and (found := impacts.get(s.ids[v])) is not None
        and found.impacted_customer_count
        else 0
        for v in tree.preorder
    ]
    before = [0, *accumulate(critical)]
    out: list[GroupImpact] = []
    for g in tree.groups:
        x = s.ids[g]
        impact = impacts[x]
        start, stop = tree.tin[g] + 1, tree.tin[g] + tree.size[g]
        shown = impact.impacted_customers
        name = node_data[x].get(NAME)
        out.append(
            GroupImpact(
                id=x,
                members=tree.size[g] - 1,
                impact_weight=impact.impact_weight,
                impacted_customers=shown[:list_limit] if list_limit else shown,
                impacted_customer_count=impact.impacted_customer_count,
                impacted_units=impact.impacted_units,
                critical_members=before[stop] - before[start],
                name=None if name is None else str(name),
            )
        )
    out.sort(key=lambda c: (-c.impact_weight, -c.impacted_units, c.id))
    return tuple(out)


def group_dependencies(G: nx.DiGraph, level: int | str) -> tuple[GroupDependency, ...]:
    """The dependencies between the parts of the organization at one level of the org chart.

    Each party is mapped to its ancestor at depth ``level`` of the ``parent`` tree (roots are
    level 0; a unit shallower than ``level`` maps to itself; customers and vendors stay
    themselves). ``level`` may also be a unit ``kind`` (``"department"``): each unit then maps to
    its nearest ancestor-or-self of that kind, or to itself when it has none. Every edge whose
    two ends map to distinct parties counts for that ordered pair: ``dependencies`` is the
    number of such edges, ``volume`` the sum of their volumes (an ``any_of`` edge carries its
    share), None when none of them states a volume. Pairs are sorted by supplier, then consumer.
    Cost O(N + E).

    Raises
    ------
    orggraph.errors.UsageError
        When ``level`` is a negative number.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({"units": [
    ...     {"id": "it", "kind": "department"}, {"id": "ops", "kind": "department"},
    ...     {"id": "desk", "parent": "it"},
    ...     {"id": "store", "parent": "ops",
    ...      "depends_on": [{"supplier": "desk", "volume": 3}, "it"]}]}))
    >>> [g.to_dict() for g in group_dependencies(G, 0)]
    [{'supplier': 'it', 'consumer': 'ops', 'dependencies': 2, 'volume': 3.0}]
    >>> group_dependencies(G, "department") == group_dependencies(G, 0)
    True
    """
    if isinstance(level, int) and level < 0:
        raise UsageError(f"level must be 0 or more, not {level}")
    s = Structure.of(G)
    tree = OrgTree.of(G, s)
    mapped = list(range(len(s)))
    if isinstance(level, int):
        # the ancestor at depth `level` of each unit: the preorder walk keeps the path from
        # the root, so it is the path's entry `level`
        path: list[int] = []
        for v in tree.preorder:
            depth = tree.depth[v]
            del path[depth:]
            path.append(v)
            if depth > level:
                mapped[v] = path[level]
    else:
        _, node_data = raw_dicts(G)
        # the nearest ancestor-or-self of the kind; parents come before members in the preorder
        anchor = [-1] * len(s)
        for v in tree.preorder:
            if node_data[s.ids[v]].get(KIND) == level:
                anchor[v] = v
            elif tree.parent[v] != -1:
                anchor[v] = anchor[tree.parent[v]]
            if anchor[v] != -1:
                mapped[v] = anchor[v]
    return _roll_up(G, s, mapped)


def _roll_up(G: nx.DiGraph, s: Structure, mapped: list[int]) -> tuple[GroupDependency, ...]:
    succ, _ = raw_dicts(G)
    count: dict[tuple[int, int], int] = {}
    volume: dict[tuple[int, int], list[float]] = {}
    for si, supplier in enumerate(s.ids):
        a = mapped[si]
        for consumer, data in succ[supplier].items():
            b = mapped[s.index[consumer]]
            if a == b:
                continue
            pair = (a, b)
            count[pair] = count.get(pair, 0) + 1
            stated = data.get(VOLUME)
            if stated is not None:
                volume.setdefault(pair, []).append(float(stated))
    return tuple(
        GroupDependency(
            supplier=s.ids[a],
            consumer=s.ids[b],
            dependencies=count[(a, b)],
            # fsum: the exact sum, rounded once, whatever the order
            volume=math.fsum(volume[(a, b)]) if (a, b) in volume else None,
        )
        for a, b in sorted(count)  # indices are in id order
    )

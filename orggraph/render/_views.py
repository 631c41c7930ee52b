"""What every view shares: per-party figures read from the Report, top-level departments, a layered
left-to-right layout, a party's neighbourhood and the department-collapsed graph.

Pure functions of the graph and the report; the graph is never mutated. Nothing here recomputes an
analysis: impact, load, betweenness, line of sight and chains all come from the :class:`Report`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from orggraph.analysis.groups import group_dependencies
from orggraph.analysis.report import GroupImpact, Report, ServiceChain
from orggraph.errors import UsageError, did_you_mean
from orggraph.graph import (
    ANY_OF,
    CAPACITY,
    CUSTOMER,
    NAME,
    PARENT,
    PARTY,
    REQUIRED,
    SERVICE,
    UNIT,
    VENDOR,
)

__all__ = [
    "DEPARTMENT",
    "Collapsed",
    "Layout",
    "PartyFigures",
    "collapse_departments",
    "collapse_level",
    "department_colour_groups",
    "fmt_number",
    "layered_layout",
    "neighbourhood",
    "party_figures",
    "top_departments",
    "unknown_party",
]

DEPARTMENT = "department"  # party of a collapsed node: a top-level department and all its members


@dataclass(frozen=True, slots=True)
class PartyFigures:
    """The analysis figures of one party, gathered from the Report for the views."""

    impact_weight: float = 0.0
    impacted_customers: int = 0
    impacted_units: int = 0
    critical_rank: int | None = None  # 1 = the most critical supplier
    load: float | None = None
    capacity: float | None = None
    utilization: float | None = None
    betweenness: float | None = None
    fan_in: int = 0  # distinct direct consumers
    line_of_sight: int | None = None
    bottleneck_reasons: tuple[str, ...] = ()
    near_capacity: bool = False  # utilization >= the report's threshold
    disconnected: bool = False
    chain: ServiceChain | None = None  # customers only
    group: GroupImpact | None = None  # a unit with members: its failure with all of them

    @property
    def critical(self) -> bool:
        return self.critical_rank is not None

    @property
    def overloaded(self) -> bool:
        return self.utilization is not None and self.utilization > 1.0


def party_figures(G: nx.DiGraph, report: Report) -> dict[str, PartyFigures]:
    """Every party's figures, keyed by id (parties the report does not mention get defaults)."""
    critical = {c.id: (rank, c) for rank, c in enumerate(report.critical_suppliers, 1)}
    groups = {g.id: g for g in report.groups}
    bottlenecks = {b.id: b for b in report.bottlenecks}
    chains = {s.customer: s for s in report.service_chains}
    line_of_sight = dict(report.line_of_sight)
    disconnected = set(report.disconnected_units)
    out: dict[str, PartyFigures] = {}
    for n, data in G.nodes(data=True):
        rank, supplier = critical.get(n, (None, None))
        listed = bottlenecks.get(n)
        load_info = report.loads.get(n)
        if load_info is not None:
            load, capacity, utilization = (
                load_info.load,
                load_info.capacity,
                load_info.utilization,
            )
        elif listed is not None:
            load, capacity, utilization = listed.load, listed.capacity, listed.utilization
        else:
            load, capacity, utilization = None, data.get(CAPACITY), None
        betweenness = report.betweenness.get(n)
        if betweenness is None and listed is not None:
            betweenness = listed.betweenness
        if betweenness is None and supplier is not None:
            betweenness = supplier.betweenness
        out[n] = PartyFigures(
            impact_weight=supplier.impact_weight if supplier is not None else 0.0,
            impacted_customers=(supplier.impacted_customer_count if supplier is not None else 0),
            impacted_units=supplier.impacted_units if supplier is not None else 0,
            critical_rank=rank,
            load=load,
            capacity=capacity,
            utilization=utilization,
            betweenness=betweenness,
            fan_in=G.out_degree(n),
            line_of_sight=line_of_sight.get(n),
            bottleneck_reasons=listed.reasons if listed is not None else (),
            near_capacity=utilization is not None and utilization >= report.threshold,
            disconnected=n in disconnected,
            chain=chains.get(n),
            group=groups.get(n),
        )
    return out


def unknown_party(word: str, candidates: Iterable[str], what: str = "party") -> str:
    """The message for an id that names no party, with a "did you mean" hint where one helps."""
    hint = did_you_mean(word, candidates)
    return f"no {what} with id '{word}'" + (f"; {hint}" if hint else "")


def _org_chart(G: nx.DiGraph) -> tuple[dict[str, str | None], dict[str, int]]:
    """Every party's parent (None for a root, or where validation would have refused a cycle)
    and its depth in the ``parent`` tree (roots are 0).

    Linear in the number of parties however deep the nesting: each party's depth is found once
    (a chain of 20,000 nested departments must not cost 20,000 walks up the chain).
    """
    parent_of: dict[str, str | None] = {}
    for n in G:
        parent = G.nodes[n].get(PARENT)
        parent_of[n] = parent if parent is not None and parent in G and parent != n else None
    depth: dict[str, int] = {}
    for start in sorted(G):
        path: list[str] = []
        on_path: set[str] = set()
        cur: str | None = start
        while cur is not None and cur not in depth:
            path.append(cur)
            on_path.add(cur)
            cur = parent_of[cur]
            if cur in on_path:  # a parent cycle cannot pass validation; stop rather than loop
                parent_of[path[-1]] = None
                cur = None
        d = depth[cur] + 1 if cur is not None else 0
        for n in reversed(path):
            depth[n] = d
            d += 1
    return parent_of, depth


def _level(parent_of: Mapping[str, str | None], depth: Mapping[str, int]) -> int:
    # the units at each depth that hold at least one party below them
    holders: dict[int, set[str]] = {}
    for parent in parent_of.values():
        if parent is not None:
            holders.setdefault(depth[parent], set()).add(parent)
    level = 0
    # one group holds every group at this level: its own groups are the level that splits it
    while len(holders.get(level, ())) == 1 and holders.get(level + 1):
        level += 1
    return level


def collapse_level(G: nx.DiGraph) -> int:
    """The depth of the org chart (roots are 0) whose units are the top-level departments.

    That is 0, the roots, unless one root alone holds every group (a "Headquarters" above the
    divisions, or a company whose root has a single child department): then the level below,
    repeatedly, as long as the one group at the level has groups of its own. The collapsed view
    draws one node per unit at this level, and its edges are
    ``orggraph.analysis.group_dependencies(G, collapse_level(G))``.

    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> collapse_level(build_graph(load_dict({"units": [
    ...     {"id": "hq"}, {"id": "company", "parent": "hq"},
    ...     {"id": "sales", "parent": "company"}, {"id": "s1", "parent": "sales"},
    ...     {"id": "ops", "parent": "company"}, {"id": "o1", "parent": "ops"}]})))
    2
    """
    return _level(*_org_chart(G))


def top_departments(G: nx.DiGraph) -> dict[str, str]:
    """Map every party to its top-level department: its ancestor at :func:`collapse_level`.

    Parties above that level, and parties without a parent (customers, vendors, stand-alone
    units), map to themselves.
    """
    parent_of, depth = _org_chart(G)
    level = _level(parent_of, depth)
    top: dict[str, str] = {}
    for n in sorted(G, key=depth.__getitem__):  # parents before their children
        parent = parent_of[n]
        top[n] = top[parent] if parent is not None and depth[n] > level else n
    return {n: top[n] for n in sorted(G)}


def department_colour_groups(G: nx.DiGraph, root: Mapping[str, str]) -> dict[str, str]:
    """Units that belong to a department (a root with members) mapped to it; others are absent."""
    with_members = {top for n, top in root.items() if n != top}
    return {n: top for n, top in root.items() if top in with_members and G.nodes[n][PARTY] == UNIT}


@dataclass(frozen=True, slots=True)
class Layout:
    """Parties in columns: service flows left (vendors) to right (customers)."""

    columns: tuple[tuple[str, ...], ...]

    def positions(
        self, *, xgap: float, ygap: float, max_column: int, subgap: float
    ) -> dict[str, tuple[float, float]]:
        """Coordinates, y growing downward; a column taller than ``max_column`` is folded into
        side-by-side sub-columns ``subgap`` apart, so a wide layer stays on screen."""
        pos: dict[str, tuple[float, float]] = {}
        x = 0.0
        for column in self.columns:
            folds = max(1, math.ceil(len(column) / max_column))
            height = math.ceil(len(column) / folds)
            for i, n in enumerate(column):
                sub, row = i % folds, i // folds
                # alternate folds are offset half a row so edges into them do not overlap
                offset = 0.5 if sub % 2 else 0.0
                y = (row + offset - (height - 1) / 2) * ygap
                pos[n] = (x + sub * subgap, y)
            x += xgap + (folds - 1) * subgap
        return pos


def layered_layout(G: nx.DiGraph, group_of: Mapping[str, str] | None = None) -> Layout:
    """Columns from the condensation's longest-path layers: vendors in the first column, customers
    in the last, each unit as far right as its consumers allow (short edges), each cycle in one
    column. Within a column, parties are ordered by a barycentre sweep to reduce crossings,
    then by ``group_of`` (departments stay together) and id, so the result is deterministic."""
    if G.number_of_nodes() == 0:
        return Layout(())
    G = _break_small_cycles(G)
    C = nx.condensation(G)
    members: dict[int, list[str]] = {c: sorted(C.nodes[c]["members"]) for c in C}

    def party(c: int) -> str:
        return str(G.nodes[members[c][0]][PARTY])

    order = list(nx.lexicographical_topological_sort(C, key=lambda c: members[c][0]))
    has_vendors = any(party(c) == VENDOR for c in C)
    layer: dict[int, int] = {}
    for c in order:
        base = 0 if party(c) == VENDOR or not has_vendors else 1
        layer[c] = max([base, *(layer[p] + 1 for p in C.predecessors(c))])
    inner = [c for c in order if party(c) != CUSTOMER]
    last = max((layer[c] for c in inner), default=-1) + 1
    for c in order:
        if party(c) == CUSTOMER:
            layer[c] = last
    for c in reversed(order):
        if party(c) in (CUSTOMER, VENDOR):
            continue
        successors = [layer[s] for s in C.successors(c)]
        if successors:
            layer[c] = max(layer[c], min(successors) - 1)

    used = sorted(set(layer.values()))
    index = {v: i for i, v in enumerate(used)}
    groups = group_of or {}
    columns: list[list[str]] = [[] for _ in used]
    for c, value in layer.items():
        columns[index[value]].extend(members[c])
    for column in columns:
        column.sort(key=lambda n: (groups.get(n, ""), n))
    _barycentre_sweeps(G, columns, groups)
    return Layout(tuple(tuple(col) for col in columns))


#: a cycle of at most this many parties is spread over columns (its back edges drawn curved); a
#: larger one stays in one column, folded, since a ring of hundreds would be hundreds of columns
SPREAD_CYCLE = 12


def _break_small_cycles(G: nx.DiGraph) -> nx.DiGraph:
    """``G`` (a view of it, never changed) without the back edges of each small cycle, so mutually
    dependent parties (two departments that serve each other) stand side by side in columns
    rather than stacked in one with arrows running through the parties between them.

    Which edges go back comes from a greedy order of the cycle's parties (Eades, Lin and Smyth's
    heuristic: sinks last, sources first, else the party with most more consumers than
    suppliers; ties by id), so few edges are dropped and the result is deterministic.
    """
    back: set[tuple[str, str]] = set()
    for component in nx.strongly_connected_components(G):
        if not 1 < len(component) <= SPREAD_CYCLE:
            continue
        H = nx.DiGraph(G.subgraph(component))
        head: list[str] = []
        tail: list[str] = []
        while H.number_of_nodes():
            sinks = sorted(n for n in H if H.out_degree(n) == 0)
            sources = sorted(n for n in H if H.in_degree(n) == 0 and H.out_degree(n) > 0)
            if sinks:
                tail[:0] = sinks
                H.remove_nodes_from(sinks)
            elif sources:
                head += sources
                H.remove_nodes_from(sources)
            else:
                best = min(H, key=lambda n: (H.in_degree(n) - H.out_degree(n), n))
                head.append(best)
                H.remove_node(best)
        place = {n: i for i, n in enumerate(head + tail)}
        back |= {(u, v) for u, v in G.subgraph(component).edges() if place[u] > place[v]}
    if not back:
        return G
    return nx.restricted_view(G, [], list(back))


def _barycentre_sweeps(
    G: nx.DiGraph, columns: list[list[str]], groups: Mapping[str, str], rounds: int = 2
) -> None:
    def rank(column: list[str]) -> dict[str, float]:
        size = max(len(column) - 1, 1)
        return {n: i / size for i, n in enumerate(column)}

    def sweep(indices: Iterable[int], step: int) -> None:
        for i in indices:
            ref = rank(columns[i - step])
            here = rank(columns[i])

            def key(n: str, ref: dict[str, float] = ref, here: dict[str, float] = here) -> Any:
                nbrs = G.predecessors(n) if step > 0 else G.successors(n)
                xs = [ref[m] for m in nbrs if m in ref]
                bary = sum(xs) / len(xs) if xs else here[n]
                if G.degree(n) == 0:
                    bary = 2.0  # parties with no dependency at all (org containers) go last
                return (round(bary, 9), groups.get(n, ""), n)

            columns[i].sort(key=key)

    for _ in range(rounds):
        sweep(range(1, len(columns)), 1)
        sweep(range(len(columns) - 2, -1, -1), -1)


def neighbourhood(G: nx.DiGraph, focus: str | Iterable[str], depth: int) -> set[str]:
    """``focus`` (one party, or several: a group and its members) and the parties within
    ``depth`` edges upstream (its suppliers, their suppliers…) and downstream (its consumers,
    theirs…)."""
    centre = [focus] if isinstance(focus, str) else sorted(focus)
    for n in centre:
        if n not in G:
            raise UsageError(unknown_party(n, G))
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, not {depth}")
    keep = set(centre)
    for step in (G.predecessors, G.successors):
        seen = set(centre)
        frontier = list(centre)
        for _ in range(depth):
            nxt = []
            for n in frontier:
                for m in step(n):
                    if m not in seen:
                        seen.add(m)
                        nxt.append(m)
            frontier = nxt
        keep |= seen
    return keep


@dataclass(frozen=True, slots=True)
class Collapsed:
    """The graph with one node per top-level department, and each party's node in it."""

    graph: nx.DiGraph
    group_of: dict[str, str]


def collapse_departments(G: nx.DiGraph, figures: Mapping[str, PartyFigures]) -> Collapsed:
    """One node per top-level department (a unit at :func:`collapse_level` and every unit below
    it), other parties as themselves.

    The edges are the implied dependencies between them,
    :func:`orggraph.analysis.group_dependencies` at that level: ``count`` dependencies between
    their members and summed ``volume`` (None when none is given), with, for the tooltip, how
    many are ``required`` / ``optional`` / ``any_of`` and the distinct ``services``. A department
    node carries its ``members``, summed ``load`` and ``capacity``, its ``impact_weight`` (the
    department failing with all its members, SPEC §7; a party on its own: its own), how many
    members are ``critical`` or ``overloaded``, its ``internal`` dependency count and its
    ``group`` figures from the report."""
    root = top_departments(G)
    members: dict[str, list[str]] = defaultdict(list)
    for n in sorted(G):
        members[root[n]].append(n)
    H = nx.DiGraph()
    H.graph.update(G.graph)
    for top in sorted(members):
        group = members[top]
        base = G.nodes[top]
        loads = [figures[n].load for n in group if figures[n].load is not None]
        caps = [figures[n].capacity for n in group if figures[n].capacity is not None]
        found = figures[top].group
        H.add_node(
            top,
            **{
                **(base if len(group) == 1 else {}),  # a party on its own keeps all its facts
                PARTY: DEPARTMENT if len(group) > 1 else base[PARTY],
                NAME: base.get(NAME, top),
                "members": tuple(group),
                "load": math.fsum(x for x in loads if x is not None) if loads else None,
                CAPACITY: math.fsum(x for x in caps if x is not None) if caps else None,
                "impact_weight": (
                    found.impact_weight if found is not None else figures[top].impact_weight
                ),
                "group": found,
                "critical": sum(1 for n in group if figures[n].critical),
                "overloaded": sum(1 for n in group if figures[n].overloaded),
                "internal": 0,
            },
        )
    for implied in group_dependencies(G, collapse_level(G)):
        H.add_edge(
            implied.supplier,
            implied.consumer,
            count=implied.dependencies,
            volume=implied.volume,
            required=0,
            optional=0,
            any_of=0,
            services=[],
        )
    for u, v, data in G.edges(data=True):
        gu, gv = root[u], root[v]
        if gu == gv:
            H.nodes[gu]["internal"] += 1
            continue
        agg = H.edges[gu, gv]
        if data.get(ANY_OF) is not None:
            agg["any_of"] += 1
        if data.get(REQUIRED, True):
            agg["required"] += 1
        else:
            agg["optional"] += 1
        service = data.get(SERVICE)
        if service and service not in agg["services"]:
            agg["services"].append(service)
    for _, _, agg in H.edges(data=True):
        agg["services"] = sorted(agg["services"])
    return Collapsed(H, root)


def fmt_number(x: float) -> str:
    """A figure as people read it: ``130``, ``1,200``, ``0.842``, ``12.5``."""
    if not math.isfinite(x):
        return str(x)
    if x == int(x) and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    return f"{x:.3g}"

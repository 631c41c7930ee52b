"""Reports for the view tests.

The views only read a :class:`Report`; they must not care how it was made. When
``orggraph.analysis.analyze`` exists the tests use it. Until then this module builds a Report by
hand from a plain reading of the SPEC, good enough for small test organizations (it is not the
product's analysis and is not tested as one).
"""

from __future__ import annotations

import importlib
from collections import deque

import networkx as nx

from orggraph.analysis.report import (
    BetweennessInfo,
    Bottleneck,
    CriticalSupplier,
    Load,
    Report,
    ServiceChain,
    Summary,
)
from orggraph.graph import ANY_OF, CUSTOMER, REQUIRED, UNIT, VENDOR, VOLUME

__all__ = ["report_for"]


def report_for(G: nx.DiGraph, threshold: float = 0.85) -> Report:
    analysis = importlib.import_module("orggraph.analysis")
    analyze = getattr(analysis, "analyze", None)
    if analyze is not None:
        report: Report = analyze(G, threshold=threshold)
        return report
    return hand_made_report(G, threshold)


def _party(G: nx.DiGraph, n: str) -> str:
    return str(G.nodes[n]["party"])


def _falls(G: nx.DiGraph, failed: set[str]) -> set[str]:
    down = set(failed)
    changed = True
    while changed:
        changed = False
        for c in G:
            if c in down or _party(G, c) == VENDOR:
                continue
            groups: dict[str, list[str]] = {}
            hit = False
            for s, _, d in G.in_edges(c, data=True):
                if not d.get(REQUIRED, True):
                    continue
                if d.get(ANY_OF) is None:
                    hit = hit or s in down
                else:
                    groups.setdefault(d[ANY_OF], []).append(s)
            hit = hit or any(all(s in down for s in g) for g in groups.values())
            if hit:
                down.add(c)
                changed = True
    return down


def hand_made_report(G: nx.DiGraph, threshold: float = 0.85) -> Report:
    customers = sorted(n for n in G if _party(G, n) == CUSTOMER)
    units = sorted(n for n in G if _party(G, n) == UNIT)
    vendors = sorted(n for n in G if _party(G, n) == VENDOR)
    weight = {c: float(G.nodes[c].get("weight") or 1.0) for c in customers}
    exact = G.number_of_nodes() <= 500
    betweenness: dict[str, float] = (
        nx.betweenness_centrality(G) if exact else nx.betweenness_centrality(G, k=64, seed=42)
    )
    critical: list[CriticalSupplier] = []
    if G.number_of_nodes() <= 400:
        for x in [*units, *vendors]:
            down = _falls(G, {x})
            hit = sorted((c for c in customers if c in down), key=lambda c: (-weight[c], c))
            if hit:
                critical.append(
                    CriticalSupplier(
                        id=x,
                        party="unit" if _party(G, x) == UNIT else "vendor",
                        impact_weight=sum(weight[c] for c in hit),
                        impacted_customers=tuple(hit),
                        impacted_units=sum(1 for u in units if u in down and u != x),
                        betweenness=betweenness[x],
                    )
                )
        critical.sort(key=lambda c: (-c.impact_weight, -c.impacted_units, c.id))
    loads: dict[str, Load] = {}
    for x in sorted([*units, *vendors]):
        volumes = [d[VOLUME] for _, _, d in G.out_edges(x, data=True) if d.get(VOLUME) is not None]
        loads[x] = Load(sum(volumes) if volumes else None, G.nodes[x].get("capacity"))
    bottlenecks = [
        Bottleneck(
            id=u,
            load=loads[u].load,
            capacity=loads[u].capacity,
            utilization=loads[u].utilization,
            fan_in=G.out_degree(u),
            betweenness=betweenness[u],
            reasons=(f"utilization {loads[u].utilization:.2f}",),
        )
        for u in units
        if (loads[u].utilization or 0.0) >= threshold
    ]
    bottlenecks.sort(key=lambda b: (-(b.utilization or 0.0), b.id))
    # line of sight: breadth-first from the customers against the flow
    distance: dict[str, int] = {}
    queue = deque((c, 0) for c in customers)
    seen = set(customers)
    while queue:
        n, dist = queue.popleft()
        if _party(G, n) == UNIT:
            distance[n] = dist
        for s in G.predecessors(n):
            if s not in seen:
                seen.add(s)
                queue.append((s, dist + 1))
    chains = [_chain(G, c) for c in customers]
    parents = {G.nodes[u].get("parent") for u in units}
    return Report(
        organization=dict(G.graph.get("organization") or {}),
        summary=Summary(len(units), len(customers), len(vendors), G.number_of_edges()),
        critical_suppliers=tuple(critical),
        bottlenecks=tuple(bottlenecks),
        service_chains=tuple(chains),
        line_of_sight=tuple(sorted(distance.items())),
        disconnected_units=tuple(
            u for u in units if u not in distance and not (u in parents and G.degree(u) == 0)
        ),
        cycles=tuple(tuple(sorted(c)) for c in nx.strongly_connected_components(G) if len(c) > 1),
        warnings=(),
        betweenness_info=BetweennessInfo("exact") if exact else BetweennessInfo("sampled", 64, 42),
        threshold=threshold,
        loads=loads,
        betweenness=dict(sorted(betweenness.items())),
    )


def _chain(G: nx.DiGraph, customer: str) -> ServiceChain:
    up = nx.ancestors(G, customer)
    lead: dict[str, tuple[float, tuple[str, ...]]] = {}

    def walk(n: str, stack: frozenset[str]) -> tuple[float, tuple[str, ...]]:
        if n in lead:
            return lead[n]
        own = float(G.nodes[n].get("lead_time") or 0.0)
        best: tuple[float, tuple[str, ...]] = (0.0, ())
        for s, _, d in G.in_edges(n, data=True):
            if d.get(REQUIRED, True) and s not in stack:
                got = walk(s, stack | {n})
                if (got[0], len(got[1])) > (best[0], len(best[1])):
                    best = got
        lead[n] = (own + best[0], (*best[1], n))
        return lead[n]

    hours, path = walk(customer, frozenset())
    C = nx.condensation(G.subgraph(up | {customer}))
    depth = nx.dag_longest_path_length(C) if C.number_of_nodes() else 0
    return ServiceChain(
        customer=customer,
        upstream_units=sum(1 for n in up if _party(G, n) == UNIT),
        upstream_vendors=sum(1 for n in up if _party(G, n) == VENDOR),
        depth=depth,
        critical_chain=path,
        lead_time_hours=hours,
        quality=1.0,
        weakest_link=None,
    )

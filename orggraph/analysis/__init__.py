"""The analyses of SPEC §3 and §7: pure functions of the service graph, and :func:`analyze` for all.

Every function takes the graph of :func:`orggraph.graph.build_graph`, never modifies it, and
returns the typed results of :mod:`orggraph.analysis.report`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx

from orggraph._perf import paused_gc
from orggraph.analysis._structure import Structure
from orggraph.analysis.bottlenecks import (
    DEFAULT_THRESHOLD,
    betweenness_centrality,
    bottlenecks,
    loads,
)
from orggraph.analysis.chains import CHUNK_BITS as _CHAIN_CHUNK_BITS
from orggraph.analysis.chains import (
    _disconnected_units,
    _line_of_sight,
    _service_chains,
    disconnected_units,
    line_of_sight,
    service_chains,
)
from orggraph.analysis.cycles import _cycles, cycles
from orggraph.analysis.groups import _groups, group_dependencies, groups, members
from orggraph.analysis.impact import (
    CHUNK_BITS,
    SingleFailure,
    _single_failure_impacts,
    critical_suppliers,
    failure_impact,
    single_failure_impacts,
)
from orggraph.analysis.notices import org_warnings
from orggraph.analysis.pairs import double_failures
from orggraph.analysis.redundancy import (
    FailoverVisitor,
    IllusoryVisitor,
    failover,
    illusory_redundancy,
)
from orggraph.analysis.report import (
    BetweennessInfo,
    Bottleneck,
    CriticalSupplier,
    DoubleFailures,
    Failover,
    GroupDependency,
    GroupImpact,
    IllusoryRedundancy,
    Impact,
    Load,
    Report,
    ServiceChain,
    Summary,
)
from orggraph.graph import CUSTOMER, NAME, UNIT, VENDOR, WEIGHT

__all__ = [
    "BetweennessInfo",
    "Bottleneck",
    "CriticalSupplier",
    "DoubleFailures",
    "Failover",
    "GroupDependency",
    "GroupImpact",
    "IllusoryRedundancy",
    "Impact",
    "Load",
    "Report",
    "ServiceChain",
    "SingleFailure",
    "Summary",
    "analyze",
    "betweenness_centrality",
    "bottlenecks",
    "critical_suppliers",
    "cycles",
    "disconnected_units",
    "double_failures",
    "failover",
    "failure_impact",
    "group_dependencies",
    "groups",
    "illusory_redundancy",
    "line_of_sight",
    "loads",
    "members",
    "org_warnings",
    "service_chains",
    "single_failure_impacts",
]


def analyze(
    G: nx.DiGraph,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    list_limit: int = 0,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """Run every analysis on the service graph and gather the results in one :class:`Report`.

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph of :func:`orggraph.graph.build_graph`; not modified.
    threshold : float, optional
        Utilization at which a unit is listed as a bottleneck (default 0.85).
    list_limit : int, optional
        List at most this many impacted customers per critical supplier (0, the default: all).
        On large organizations the full lists run to tens of millions of entries; pass the limit
        the output will apply anyway (``--list-limit``) and they are never built. Counts and
        weights always cover every impacted customer.
    progress : callable, optional
        Called with the name of each step as it starts ("failure impact", "betweenness", ...),
        e.g. to show a progress line on large organizations.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> report = analyze(build_graph(load_dict({
    ...     "units": [{"id": "desk"}],
    ...     "customers": [{"id": "shoppers", "depends_on": ["desk"]}]})))
    >>> report.summary
    Summary(units=1, customers=1, vendors=0, dependencies=1)
    >>> [(c.id, c.impacted_customers) for c in report.critical_suppliers]
    [('desk', ('shoppers',))]
    """
    with paused_gc():  # nothing here makes reference cycles; the collector would only rescan G
        return _analyze(G, threshold, list_limit, progress or (lambda _: None))


def _analyze(
    G: nx.DiGraph, threshold: float, list_limit: int, step: Callable[[str], None]
) -> Report:
    step("reading the graph")
    s = Structure.of(G)
    units = [s.ids[v] for v in s.of_party(UNIT)]
    customer_count = len(s.of_party(CUSTOMER))
    step("betweenness")
    between, info = betweenness_centrality(G)
    step("loads")
    party_loads = loads(G)
    step("cycles")
    found_cycles = _cycles(s)
    step("line of sight")
    disconnected = _disconnected_units(G, s)
    sight = _line_of_sight(s)
    step("failure impact")
    illusory = IllusoryVisitor(G, s)
    shifts = FailoverVisitor(G, s)
    impacts = _single_failure_impacts(G, s, CHUNK_BITS, list_limit, (illusory, shifts))
    suppliers = critical_suppliers(G, between, list_limit=list_limit, impacts=impacts)
    found_groups = _groups(G, s, impacts, list_limit)
    step("service chains")
    chains = _service_chains(G, s, _CHAIN_CHUNK_BITS)
    step("bottlenecks")
    found_bottlenecks = bottlenecks(G, threshold, betweenness=between, party_loads=party_loads)
    organization = G.graph.get("organization") or {}
    return Report(
        organization={
            "name": organization.get("name"),
            "period": organization.get("period"),
        },
        summary=Summary(
            units=len(units),
            customers=customer_count,
            vendors=len(s.of_party(VENDOR)),
            dependencies=G.number_of_edges(),
        ),
        critical_suppliers=suppliers,
        bottlenecks=found_bottlenecks,
        service_chains=chains,
        line_of_sight=sight,
        disconnected_units=disconnected,
        cycles=found_cycles,
        warnings=org_warnings(
            customers=customer_count,
            disconnected=disconnected,
            cycles=found_cycles,
            loads=party_loads,
            units=units,
        ),
        betweenness_info=info,
        threshold=threshold,
        loads=party_loads,
        betweenness=between,
        groups=found_groups,
        illusory_redundancy=illusory.result(),
        names=_names(G),
        customer_weight=math.fsum(float(G.nodes[s.ids[c]].get(WEIGHT, 1.0)) for c in s.customers()),
        failover=shifts.result(party_loads, threshold),
    )


def _names(G: nx.DiGraph) -> dict[str, str]:
    """The parties whose name says more than their id."""
    out: dict[str, str] = {}
    for v, data in G.nodes(data=True):
        name = data.get(NAME)
        if name is not None and name != v:
            out[str(v)] = str(name)
    return out

"""The analyses of SPEC §3 and §7: pure functions of the service graph, and :func:`analyze` for all.

Every function takes the graph of :func:`orggraph.graph.build_graph`, never modifies it, and
returns the typed results of :mod:`orggraph.analysis.report`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx

from orggraph._perf import age_survivors, paused_gc
from orggraph.analysis._stages import required_stages
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
from orggraph.analysis.levels import _effective_levels, effective_levels, expectations, promises
from orggraph.analysis.notices import org_warnings
from orggraph.analysis.pairs import double_failures
from orggraph.analysis.perceived import _perceived, perceived_quality, survey_warnings
from orggraph.analysis.recovery import Recovery, recovery, recovery_culprit, recovery_hours
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
    EffectiveLevels,
    Expectation,
    Failover,
    GroupDependency,
    GroupImpact,
    IllusoryRedundancy,
    Impact,
    Load,
    PerceivedQuality,
    Promise,
    Report,
    ScenarioRecovery,
    ScenarioResult,
    ServiceChain,
    Summary,
)
from orggraph.analysis.scenarios import (
    _evaluate_all,
    evaluate_scenario,
    evaluate_scenarios,
    scenario_matches,
    scenario_warnings,
    scenarios_of,
)
from orggraph.graph import CUSTOMER, NAME, UNIT, VENDOR, WEIGHT
from orggraph.model.survey import Survey

__all__ = [
    "BetweennessInfo",
    "Bottleneck",
    "CriticalSupplier",
    "DoubleFailures",
    "EffectiveLevels",
    "Expectation",
    "Failover",
    "GroupDependency",
    "GroupImpact",
    "IllusoryRedundancy",
    "Impact",
    "Load",
    "PerceivedQuality",
    "Promise",
    "Recovery",
    "Report",
    "ScenarioRecovery",
    "ScenarioResult",
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
    "effective_levels",
    "evaluate_scenario",
    "evaluate_scenarios",
    "expectations",
    "failover",
    "failure_impact",
    "group_dependencies",
    "groups",
    "illusory_redundancy",
    "line_of_sight",
    "loads",
    "members",
    "org_warnings",
    "perceived_quality",
    "promises",
    "recovery",
    "recovery_culprit",
    "recovery_hours",
    "scenario_matches",
    "scenario_warnings",
    "scenarios_of",
    "service_chains",
    "single_failure_impacts",
    "survey_warnings",
]


def analyze(
    G: nx.DiGraph,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    list_limit: int = 0,
    progress: Callable[[str], None] | None = None,
    survey: Survey | None = None,
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
    survey : Survey, optional
        An internal service survey (:func:`orggraph.load_survey`): the report gets its perceived
        quality per supplier, and those scores replace the suppliers' own ``quality`` in the
        weakest-link analysis (SPEC §8).

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
        report = _analyze(G, threshold, list_limit, progress or (lambda _: None), survey)
        age_survivors()  # the report is kept: a young collection would scan it for nothing
    return report


def _analyze(
    G: nx.DiGraph,
    threshold: float,
    list_limit: int,
    step: Callable[[str], None],
    survey: Survey | None = None,
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
    # SPEC §8: perceived quality first, since it replaces own scores in the weakest link
    perceived: tuple[PerceivedQuality, ...] = ()
    unmodelled: tuple[str, ...] = ()
    if survey is not None:
        step("survey")
        perceived, unmodelled = _perceived(G, survey)
    scores = {q.id: q.perceived for q in perceived}
    step("service chains")
    stages = required_stages(G, s, scores)  # §3 chains and §8 levels: one pass for both
    chains = _service_chains(G, s, _CHAIN_CHUNK_BITS, scores, stages)
    step("service levels")
    levels = _effective_levels(G, s, scores, stages)
    found_promises = promises(G, levels, {c.customer: c.critical_chain for c in chains})
    found_expectations = expectations(G, levels)
    step("bottlenecks")
    found_bottlenecks = bottlenecks(G, threshold, betweenness=between, party_loads=party_loads)
    step("scenarios")
    planned = scenarios_of(G)
    found_scenarios = _evaluate_all(G, s, planned)
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
        )
        + unmodelled
        + scenario_warnings(G, planned, found_scenarios),
        betweenness_info=info,
        threshold=threshold,
        loads=party_loads,
        betweenness=between,
        groups=found_groups,
        promises=found_promises,
        expectations=found_expectations,
        internal_service_quality=perceived,
        levels=levels,
        survey=None if survey is None else survey.source,
        level_names=_level_names(G, found_promises, found_expectations, perceived),
        scenarios=found_scenarios,
        illusory_redundancy=illusory.result(),
        names=_names(G),
        customer_weight=math.fsum(float(G.nodes[s.ids[c]].get(WEIGHT, 1.0)) for c in s.customers()),
        failover=shifts.result(party_loads, threshold),
    )


def _level_names(
    G: nx.DiGraph,
    found_promises: tuple[Promise, ...],
    found_expectations: tuple[Expectation, ...],
    perceived: tuple[PerceivedQuality, ...],
) -> dict[str, str]:
    """The names of the parties the service-level sections mention, for the readable reports."""
    named: set[str] = set()
    for p in found_promises:
        named.update((p.customer, *p.chain))
        if p.culprit is not None:
            named.add(p.culprit)
    for e in found_expectations:
        named.add(e.consumer)
        named.update((e.supplier,) if isinstance(e.supplier, str) else e.supplier)
    named.update(q.id for q in perceived)
    return {v: str(G.nodes[v].get(NAME) or v) for v in sorted(named)}


def _names(G: nx.DiGraph) -> dict[str, str]:
    """The parties whose name says more than their id."""
    out: dict[str, str] = {}
    for v, data in G.nodes(data=True):
        name = data.get(NAME)
        if name is not None and name != v:
            out[str(v)] = str(name)
    return out

"""What a change to an organization changes (``orggraph diff``): in the model, and in what it does.

:func:`diff` compares two service graphs and their reports: parties and dependencies added,
removed or changed, and the effects: critical suppliers that appear, disappear or change weight,
groups (SPEC §7) that appear, disappear or whose failure with all their members impacts more or
less, scenarios (SPEC §7) added, removed or whose impact changes (impact weight, impacted units
and customers, customers kept past their recovery tolerance), customers whose lead time changes,
units whose utilization crosses the threshold, cycles made or broken, units that lose or gain line
of sight to a customer, and promises to customers (SPEC §8) that the change breaks or now keeps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from orggraph.analysis import analyze
from orggraph.analysis.report import Metric, Promise, Report, ScenarioResult, _num
from orggraph.graph import ANY_OF, NAME, PARTY
from orggraph.model import schema
from orggraph.model.survey import Survey

__all__ = [
    "PARTY_FIELDS",
    "Change",
    "Diff",
    "GroupChange",
    "PromiseChange",
    "ScenarioChange",
    "diff",
]

PARTY_FIELDS = (PARTY, *(f.name for f in schema.PARTY_FIELDS))
"""Node data compared between versions, in the schema's listing order (hours for a duration)."""
EDGE_FIELDS = ("service", "volume", "required", "note", "alternatives")


@dataclass(frozen=True, slots=True)
class Change:
    """One field of one party or dependency, before and after."""

    field: str
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class GroupChange:
    """A group in both versions whose failure, with all its members, impacts differently: its
    impact weight, impacted units or impacted customers (a count) before and after."""

    id: str
    old_impact_weight: float
    new_impact_weight: float
    old_impacted_units: int
    new_impacted_units: int
    old_impacted_customers: int
    new_impacted_customers: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "old_impact_weight": _num(self.old_impact_weight),
            "new_impact_weight": _num(self.new_impact_weight),
            "old_impacted_units": self.old_impacted_units,
            "new_impacted_units": self.new_impacted_units,
            "old_impacted_customer_count": self.old_impacted_customers,
            "new_impacted_customer_count": self.new_impacted_customers,
        }


@dataclass(frozen=True, slots=True)
class ScenarioChange:
    """A scenario in both versions (by id) that impacts differently: its impact weight, impacted
    units, impacted customers, or the customers it keeps out of service past their promised
    recovery (SPEC §7: ``within`` false), before and after. Customer lists are sorted ids."""

    id: str
    old_impact_weight: float
    new_impact_weight: float
    old_impacted_units: int
    new_impacted_units: int
    old_impacted_customers: tuple[str, ...]
    new_impacted_customers: tuple[str, ...]
    old_past_tolerance: tuple[str, ...]
    new_past_tolerance: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "old_impact_weight": _num(self.old_impact_weight),
            "new_impact_weight": _num(self.new_impact_weight),
            "old_impacted_units": self.old_impacted_units,
            "new_impacted_units": self.new_impacted_units,
            "old_impacted_customers": list(self.old_impacted_customers),
            "new_impacted_customers": list(self.new_impacted_customers),
            "old_past_tolerance": list(self.old_past_tolerance),
            "new_past_tolerance": list(self.new_past_tolerance),
        }


def _scenario_change(a: ScenarioResult, b: ScenarioResult) -> ScenarioChange | None:
    """How a scenario's impact moved between two versions, or None when it did not."""
    past_a = tuple(sorted(r.customer for r in a.past_tolerance))
    past_b = tuple(sorted(r.customer for r in b.past_tolerance))
    before = (_num(a.impact_weight), len(a.impacted_units), a.impacted_customers, past_a)
    after = (_num(b.impact_weight), len(b.impacted_units), b.impacted_customers, past_b)
    if before == after:
        return None
    return ScenarioChange(
        a.id,
        a.impact_weight,
        b.impact_weight,
        len(a.impacted_units),
        len(b.impacted_units),
        a.impacted_customers,
        b.impacted_customers,
        past_a,
        past_b,
    )


_METRICS: tuple[Metric, ...] = ("lead_time", "quality", "recovery")


@dataclass(frozen=True, slots=True)
class PromiseChange:
    """A promise to a customer (SPEC §8) that a change breaks or now keeps: the promise after the
    change, what the organization delivered against it before (None when the promise, or the
    customer, is new) and after. Lead time and recovery in hours, quality 0..1.

    The rest is for the readable reports and not in the JSON: the customer's name, the promise
    before (when it was different), and the party that sets the actual value after.
    """

    customer: str
    metric: Metric
    promised: float
    old_actual: float | None
    new_actual: float
    name: str | None = None
    old_promised: float | None = None
    culprit: str | None = None
    culprit_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "metric": self.metric,
            "promised": _num(self.promised),
            "old_actual": None if self.old_actual is None else _num(self.old_actual),
            "new_actual": _num(self.new_actual),
        }


def _promise_changes(
    G: nx.DiGraph, a: Sequence[Promise], b: Sequence[Promise]
) -> tuple[tuple[PromiseChange, ...], tuple[PromiseChange, ...]]:
    """(broken, kept): promises met before and not after, or new and not met; promises not met
    before and met after. Each sorted by customer, then metric (lead_time, quality, recovery).
    A promise that is dropped, or the customer removed, is neither: nothing is promised any more."""
    before = {(p.customer, p.metric): p for p in a}
    broken: list[PromiseChange] = []
    kept: list[PromiseChange] = []
    for p in sorted(b, key=lambda x: (x.customer, _METRICS.index(x.metric))):
        old = before.get((p.customer, p.metric))
        if old is not None and old.met == p.met:
            continue
        if old is None and p.met:
            continue  # a new promise, kept from the start: nothing broken, nothing regained
        culprit = p.culprit
        change = PromiseChange(
            p.customer,
            p.metric,
            p.promised,
            None if old is None else old.actual,
            p.actual,
            name=G.nodes[p.customer].get(NAME) if p.customer in G else None,
            old_promised=None if old is None or old.promised == p.promised else old.promised,
            culprit=culprit,
            culprit_name=G.nodes[culprit].get(NAME)
            if culprit is not None and culprit in G
            else None,
        )
        (kept if p.met else broken).append(change)
    return tuple(broken), tuple(kept)


@dataclass(frozen=True)
class Diff:
    """Everything :func:`diff` found; every list in a fixed order (by id, then field)."""

    parties_added: tuple[tuple[str, str], ...]  # (id, party)
    parties_removed: tuple[tuple[str, str], ...]
    parties_changed: tuple[tuple[str, tuple[Change, ...]], ...]
    dependencies_added: tuple[tuple[str, str], ...]  # (supplier, consumer)
    dependencies_removed: tuple[tuple[str, str], ...]
    dependencies_changed: tuple[tuple[str, str, tuple[Change, ...]], ...]
    critical_added: tuple[tuple[str, float], ...]  # (id, impact weight)
    critical_removed: tuple[tuple[str, float], ...]
    impact_changed: tuple[tuple[str, float, float], ...]
    groups_added: tuple[tuple[str, float], ...]  # (id, impact weight with all its members)
    groups_removed: tuple[tuple[str, float], ...]
    group_impact_changed: tuple[GroupChange, ...]
    scenarios_added: tuple[tuple[str, float], ...]  # (id, impact weight)
    scenarios_removed: tuple[tuple[str, float], ...]
    scenario_impact_changed: tuple[ScenarioChange, ...]
    lead_time_changed: tuple[tuple[str, float, float, tuple[str, ...], tuple[str, ...]], ...]
    customers_added: tuple[str, ...]
    customers_removed: tuple[str, ...]
    utilization_crossed: tuple[tuple[str, float | None, float | None], ...]
    cycles_added: tuple[tuple[str, ...], ...]
    cycles_broken: tuple[tuple[str, ...], ...]
    sight_lost: tuple[str, ...]
    sight_gained: tuple[str, ...]
    threshold: float
    # the organization's name and period (the period changes what every volume means)
    organization_changed: tuple[Change, ...] = ()
    # promises to customers (SPEC §8) met before and not after (or new and not met), and back
    promises_broken: tuple[PromiseChange, ...] = ()
    promises_kept: tuple[PromiseChange, ...] = ()

    @property
    def model_changed(self) -> bool:
        return bool(
            self.organization_changed
            or self.parties_added
            or self.parties_removed
            or self.parties_changed
            or self.dependencies_added
            or self.dependencies_removed
            or self.dependencies_changed
        )

    @property
    def effects(self) -> bool:
        return bool(
            self.critical_added
            or self.critical_removed
            or self.impact_changed
            or self.groups_added
            or self.groups_removed
            or self.group_impact_changed
            or self.scenarios_added
            or self.scenarios_removed
            or self.scenario_impact_changed
            or self.promises_broken
            or self.promises_kept
            or self.lead_time_changed
            or self.utilization_crossed
            or self.cycles_added
            or self.cycles_broken
            or self.sight_lost
            or self.sight_gained
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``orggraph diff --format json``."""
        return {
            "model": {
                "parties_added": [{"id": i, "party": p} for i, p in self.parties_added],
                "parties_removed": [{"id": i, "party": p} for i, p in self.parties_removed],
                "parties_changed": [
                    {"id": i, "changes": [c.to_dict() for c in cs]}
                    for i, cs in self.parties_changed
                ],
                "dependencies_added": [
                    {"supplier": s, "consumer": c} for s, c in self.dependencies_added
                ],
                "dependencies_removed": [
                    {"supplier": s, "consumer": c} for s, c in self.dependencies_removed
                ],
                "dependencies_changed": [
                    {"supplier": s, "consumer": c, "changes": [x.to_dict() for x in cs]}
                    for s, c, cs in self.dependencies_changed
                ],
                "organization_changed": [c.to_dict() for c in self.organization_changed],
            },
            "effects": {
                "critical_suppliers_added": [
                    {"id": i, "impact_weight": _num(w)} for i, w in self.critical_added
                ],
                "critical_suppliers_removed": [
                    {"id": i, "impact_weight": _num(w)} for i, w in self.critical_removed
                ],
                "impact_weight_changed": [
                    {"id": i, "old": _num(a), "new": _num(b)} for i, a, b in self.impact_changed
                ],
                "groups_added": [{"id": i, "impact_weight": _num(w)} for i, w in self.groups_added],
                "groups_removed": [
                    {"id": i, "impact_weight": _num(w)} for i, w in self.groups_removed
                ],
                "group_impact_changed": [g.to_dict() for g in self.group_impact_changed],
                "scenarios_added": [
                    {"id": i, "impact_weight": _num(w)} for i, w in self.scenarios_added
                ],
                "scenarios_removed": [
                    {"id": i, "impact_weight": _num(w)} for i, w in self.scenarios_removed
                ],
                "scenario_impact_changed": [x.to_dict() for x in self.scenario_impact_changed],
                "promises_broken": [p.to_dict() for p in self.promises_broken],
                "promises_kept": [p.to_dict() for p in self.promises_kept],
                "lead_time_changed": [
                    {
                        "customer": c,
                        "old_hours": _num(a),
                        "new_hours": _num(b),
                        "old_critical_chain": list(ca),
                        "new_critical_chain": list(cb),
                    }
                    for c, a, b, ca, cb in self.lead_time_changed
                ],
                "customers_added": list(self.customers_added),
                "customers_removed": list(self.customers_removed),
                "utilization_crossed_threshold": [
                    {"id": i, "old": _num(a), "new": _num(b)}
                    for i, a, b in self.utilization_crossed
                ],
                "cycles_added": [list(c) for c in self.cycles_added],
                "cycles_broken": [list(c) for c in self.cycles_broken],
                "line_of_sight_lost": list(self.sight_lost),
                "line_of_sight_gained": list(self.sight_gained),
            },
            "utilization_threshold": self.threshold,
        }


def _party_data(G: nx.DiGraph, n: str) -> dict[str, Any]:
    data = G.nodes[n]
    return {f: data.get(f) for f in PARTY_FIELDS}


def _edge_data(G: nx.DiGraph, s: str, c: str) -> dict[str, Any]:
    data = G.edges[s, c]
    group = data.get(ANY_OF)
    alternatives = None
    if group is not None:
        alternatives = sorted(d for d in G.predecessors(c) if G.edges[d, c].get(ANY_OF) == group)
    out = {f: data.get(f) for f in EDGE_FIELDS if f != "alternatives"}
    out["volume"] = data.get("group_volume") if group is not None else data.get("volume")
    out["alternatives"] = alternatives
    return out


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[Change, ...]:
    return tuple(Change(f, old[f], new[f]) for f in old if old[f] != new[f])


def diff(
    old: nx.DiGraph,
    new: nx.DiGraph,
    *,
    threshold: float = 0.85,
    old_report: Report | None = None,
    new_report: Report | None = None,
    survey: Survey | None = None,
) -> Diff:
    """Compare two versions of an organization (their service graphs).

    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> before = build_graph(load_dict({"units": [{"id": "a"}],
    ...     "customers": [{"id": "c", "depends_on": ["a"]}]}))
    >>> after = build_graph(load_dict({"units": [{"id": "a"}, {"id": "b"}],
    ...     "customers": [{"id": "c", "depends_on": [{"any_of": ["a", "b"]}]}]}))
    >>> d = diff(before, after)
    >>> d.parties_added, d.dependencies_added, d.critical_removed
    ((('b', 'unit'),), (('b', 'c'),), (('a', 1.0),))
    """
    # a survey (SPEC §8) applies to both versions: perceived scores set the weakest link in each
    a = old_report or analyze(old, threshold=threshold, list_limit=1, survey=survey)
    b = new_report or analyze(new, threshold=threshold, list_limit=1, survey=survey)

    old_nodes, new_nodes = set(old), set(new)
    both = sorted(old_nodes & new_nodes)
    parties_changed = []
    for n in both:
        found = _changes(_party_data(old, n), _party_data(new, n))
        if found:
            parties_changed.append((n, found))
    old_edges, new_edges = set(old.edges), set(new.edges)
    dependencies_changed = []
    for s, c in sorted(old_edges & new_edges):
        found = _changes(_edge_data(old, s, c), _edge_data(new, s, c))
        if found:
            dependencies_changed.append((s, c, found))

    crit_a = {c.id: c.impact_weight for c in a.critical_suppliers}
    crit_b = {c.id: c.impact_weight for c in b.critical_suppliers}
    chains_a = {c.customer: c for c in a.service_chains}
    chains_b = {c.customer: c for c in b.service_chains}
    lead_changed = []
    for customer in sorted(chains_a.keys() & chains_b.keys()):
        ca, cb = chains_a[customer], chains_b[customer]
        if _num(ca.lead_time_hours) != _num(cb.lead_time_hours) or (
            ca.critical_chain != cb.critical_chain
        ):
            lead_changed.append(
                (
                    customer,
                    ca.lead_time_hours,
                    cb.lead_time_hours,
                    ca.critical_chain,
                    cb.critical_chain,
                )
            )
    crossed = []
    for x in sorted(a.loads.keys() & b.loads.keys()):
        ua, ub = a.loads[x].utilization, b.loads[x].utilization
        if (ua is not None and ua >= threshold) != (ub is not None and ub >= threshold):
            crossed.append((x, ua, ub))
    for x in sorted(b.loads.keys() - a.loads.keys()):
        ub = b.loads[x].utilization
        if ub is not None and ub >= threshold:
            crossed.append((x, None, ub))
    groups_a = {g.id: g for g in a.groups}
    groups_b = {g.id: g for g in b.groups}
    group_changed = []
    for g in sorted(groups_a.keys() & groups_b.keys()):
        ga, gb = groups_a[g], groups_b[g]
        if (_num(ga.impact_weight), ga.impacted_units, ga.impacted_customer_count) != (
            _num(gb.impact_weight),
            gb.impacted_units,
            gb.impacted_customer_count,
        ):
            group_changed.append(
                GroupChange(
                    g,
                    ga.impact_weight,
                    gb.impact_weight,
                    ga.impacted_units,
                    gb.impacted_units,
                    ga.impacted_customer_count,
                    gb.impacted_customer_count,
                )
            )
    # a scenario is known by its id: one renamed is removed and added; listed by id
    scen_a = {x.id: x for x in a.scenarios}
    scen_b = {x.id: x for x in b.scenarios}
    scen_changed = [
        _scenario_change(scen_a[i], scen_b[i]) for i in sorted(scen_a.keys() & scen_b.keys())
    ]
    broken, kept = _promise_changes(new, a.promises, b.promises)
    sight_a = {u for u, _ in a.line_of_sight}
    sight_b = {u for u, _ in b.line_of_sight}
    return Diff(
        parties_added=tuple((n, new.nodes[n][PARTY]) for n in sorted(new_nodes - old_nodes)),
        parties_removed=tuple((n, old.nodes[n][PARTY]) for n in sorted(old_nodes - new_nodes)),
        parties_changed=tuple(parties_changed),
        dependencies_added=tuple(sorted(new_edges - old_edges)),
        dependencies_removed=tuple(sorted(old_edges - new_edges)),
        dependencies_changed=tuple(dependencies_changed),
        critical_added=tuple((i, crit_b[i]) for i in sorted(crit_b.keys() - crit_a.keys())),
        critical_removed=tuple((i, crit_a[i]) for i in sorted(crit_a.keys() - crit_b.keys())),
        impact_changed=tuple(
            (i, crit_a[i], crit_b[i])
            for i in sorted(crit_a.keys() & crit_b.keys())
            if _num(crit_a[i]) != _num(crit_b[i])
        ),
        # a group is a unit with members: one that gains its first member, or is new with them,
        # is added; one whose last member leaves, or that is removed, is removed
        groups_added=tuple(
            (g, groups_b[g].impact_weight) for g in sorted(groups_b.keys() - groups_a.keys())
        ),
        groups_removed=tuple(
            (g, groups_a[g].impact_weight) for g in sorted(groups_a.keys() - groups_b.keys())
        ),
        group_impact_changed=tuple(group_changed),
        scenarios_added=tuple(
            (i, scen_b[i].impact_weight) for i in sorted(scen_b.keys() - scen_a.keys())
        ),
        scenarios_removed=tuple(
            (i, scen_a[i].impact_weight) for i in sorted(scen_a.keys() - scen_b.keys())
        ),
        scenario_impact_changed=tuple(x for x in scen_changed if x is not None),
        lead_time_changed=tuple(lead_changed),
        customers_added=tuple(sorted(chains_b.keys() - chains_a.keys())),
        customers_removed=tuple(sorted(chains_a.keys() - chains_b.keys())),
        utilization_crossed=tuple(crossed),
        cycles_added=tuple(sorted(set(b.cycles) - set(a.cycles))),
        cycles_broken=tuple(sorted(set(a.cycles) - set(b.cycles))),
        # units still there that had a path to a customer and have none now, and back
        sight_lost=tuple(sorted((sight_a - sight_b) & new_nodes)),
        sight_gained=tuple(sorted((sight_b - sight_a) & old_nodes)),
        threshold=threshold,
        organization_changed=_changes(_organization(old), _organization(new)),
        promises_broken=broken,
        promises_kept=kept,
    )


def _organization(G: nx.DiGraph) -> dict[str, Any]:
    known = G.graph.get("organization") or {}
    return {"name": known.get("name"), "period": known.get("period")}

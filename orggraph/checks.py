"""Running a :class:`~orggraph.policy.Policy` (``orggraph check``): :func:`check` runs the
analyses once and returns one :class:`Violation` per breach, each located at the party (or the
promise, the expectation, the scenario) concerned in the org file."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import networkx as nx

from orggraph.analysis import analyze, failover
from orggraph.analysis.report import Expectation, Promise, Report
from orggraph.errors import Location, UsageError
from orggraph.graph import OWNER, PARTY, UNIT
from orggraph.model.durations import format_hours, parse_duration
from orggraph.model.figures import format_percent
from orggraph.model.files import read_input
from orggraph.model.yamlsource import SourceMap, YamlTrouble, decode, parse_yaml
from orggraph.policy import Policy, known_customers

__all__ = ["Violation", "check", "party_locations", "scenario_key"]


@dataclass(frozen=True, slots=True)
class Violation:
    """One breach of one rule, at the party concerned (None when it has no place in a file).

    A scenario's breach names it as :func:`scenario_key` gives it."""

    rule: str
    party: str
    message: str
    location: Location | None = None
    key: str | None = None  # what :func:`party_locations` locates it by, when not the party

    def locate(self, where: Mapping[str, Location]) -> Violation:
        """This violation at its place among ``where`` (:func:`party_locations`)."""
        found = where.get(self.key) if self.key is not None else None
        return replace(self, location=found or where.get(self.party))

    def render(self) -> str:
        where = f"{self.location}: " if self.location is not None else ""
        return f"{where}{self.rule.replace('_', '-')}: {self.message}"


def party_locations(files: Iterable[Path]) -> dict[str, Location]:
    """Where each party's ``id`` is written, across the files an organization was read from."""
    found: dict[str, Location] = {}
    for path in files:
        name = str(path)
        try:
            data, smap, _ = parse_yaml(decode(read_input(path), name), name, track=True)
        except (OSError, YamlTrouble):
            continue
        if not isinstance(data, dict) or smap is None:
            continue
        for section in ("units", "customers", "vendors"):
            entries = data.get(section)
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                    found.setdefault(entry["id"], smap.locate((section, i, "id")))
                    _level_locations(found, entry, (section, i), smap)
        entries = data.get("scenarios")
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                found.setdefault(scenario_key(entry["id"]), smap.locate(("scenarios", i, "id")))
    return found


def _level_locations(
    found: dict[str, Location], entry: dict[str, Any], path: tuple[Hashable, ...], smap: SourceMap
) -> None:
    """Where a party's ``promise`` is written (key ``ID#promise``), and each of its dependencies'
    ``expects`` (key ``CONSUMER>SUPPLIER``, an any_of group by its smallest id; the dependency
    itself when it has no ``expects``)."""
    pid = entry["id"]
    if "promise" in entry:
        found.setdefault(f"{pid}#promise", smap.locate((*path, "promise"), key=True))
    deps = entry.get("depends_on")
    if not isinstance(deps, list):
        return
    for j, dep in enumerate(deps):
        dep_path = (*path, "depends_on", j)
        suppliers: list[Any] = []
        if isinstance(dep, str):
            suppliers = [dep]
        elif isinstance(dep, dict):
            if isinstance(dep.get("supplier"), str):
                suppliers = [dep["supplier"]]
            elif isinstance(dep.get("any_of"), list):
                suppliers = sorted(str(a) for a in dep["any_of"])[:1]
        for supplier in suppliers:
            at = smap.locate(dep_path)
            if isinstance(dep, dict) and "expects" in dep:
                at = smap.locate((*dep_path, "expects"), key=True)
            found.setdefault(f"{pid}>{supplier}", at)


def scenario_key(scenario: str) -> str:
    """The key of a scenario in :func:`party_locations` (a ``/`` is in no id)."""
    return f"scenarios/{scenario}"


def check(
    G: nx.DiGraph,
    policy: Policy,
    *,
    report: Report | None = None,
    locations: dict[str, Location] | None = None,
) -> tuple[Violation, ...]:
    """Every breach of ``policy`` in the organization ``G``, in rule order, then by party id.

    Raises :class:`~orggraph.errors.UsageError` when ``protected_customers`` names a party that is
    not a customer of ``G``.

    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({"units": [{"id": "desk", "capacity": 10}],
    ...     "customers": [{"id": "x", "depends_on": [{"supplier": "desk", "volume": 12}]}]}))
    >>> [v.render() for v in check(G, Policy(max_utilization=1.0))]
    ['max-utilization: desk runs at 120% of capacity (limit 100%)']
    """
    if not policy.rules():
        raise UsageError("no rules to check")
    found = report if report is not None else analyze(G, list_limit=10)
    where = locations or {}
    out: list[Violation] = []

    def add(rule: str, party: str, message: str) -> None:
        out.append(Violation(rule, party, message, where.get(party)))

    if policy.max_utilization is not None:
        for x, load in sorted(found.loads.items()):
            u = load.utilization
            if u is not None and u > policy.max_utilization:
                add(
                    "max_utilization",
                    x,
                    f"{x} runs at {format_percent(u)} of capacity "
                    f"(limit {format_percent(policy.max_utilization)})",
                )
    if policy.max_impact_weight is not None:
        for c in sorted(found.critical_suppliers, key=lambda c: c.id):
            if c.impact_weight > policy.max_impact_weight:
                add(
                    "max_impact_weight",
                    c.id,
                    f"{c.id} alone cuts off customer weight {c.impact_weight:g} "
                    f"(limit {policy.max_impact_weight:g}): add an alternative (any_of)",
                )
    if policy.protected_customers is not None:
        known_customers(G, policy.protected_customers, "protected_customers")
        protected = set(policy.protected_customers)
        for c in sorted(found.critical_suppliers, key=lambda c: c.id):
            hit = sorted(protected & _impacted(G, c.id, found))
            if hit:
                add(
                    "protected_customers",
                    c.id,
                    f"{c.id} is a single point of failure for {', '.join(hit)}",
                )
    own_limits = policy.lead_time_limits or {}
    if own_limits:
        known_customers(G, own_limits, "lead_time_limits")
    if policy.max_lead_time is not None or own_limits:
        for chain in found.service_chains:
            written = own_limits.get(chain.customer, policy.max_lead_time)
            if written is None:
                continue
            limit = parse_duration(written)
            if chain.lead_time_hours > limit and not math.isclose(chain.lead_time_hours, limit):
                rule = "lead_time_limits" if chain.customer in own_limits else "max_lead_time"
                add(
                    rule,
                    chain.customer,
                    f"{chain.customer} waits {format_hours(chain.lead_time_hours)} end to end "
                    f"(limit {written}) along {' → '.join(chain.critical_chain)}",
                )
    if policy.no_cycles:
        for cycle in found.cycles:
            add("no_cycles", cycle[0], "dependency cycle: " + " → ".join((*cycle, cycle[0])))
    if policy.no_disconnected:
        for unit in found.disconnected_units:
            add("no_disconnected", unit, f"{unit} has no path to any customer")
    if policy.require_owner:
        for unit, data in sorted(G.nodes(data=True)):
            if data[PARTY] == UNIT and not data.get(OWNER):
                add("require_owner", unit, f"{unit} names no owner")
    # SPEC §8: located at the customer's promise, or the consumer's expects (key "c>s")
    if policy.promises:
        for p in found.promises:
            if not p.met:
                out.append(
                    Violation(
                        "promises",
                        p.customer,
                        _promise_words(p),
                        where.get(f"{p.customer}#promise", where.get(p.customer)),
                        f"{p.customer}#promise",
                    )
                )
    if policy.expectations:
        for e in found.expectations:
            supplier = e.supplier if isinstance(e.supplier, str) else e.supplier[0]
            key = f"{e.consumer}>{supplier}"
            out.append(
                Violation(
                    "expectations",
                    e.consumer,
                    _expectation_words(e),
                    where.get(key, where.get(e.consumer)),
                    key,
                )
            )
    if policy.max_scenario_impact_weight is not None:
        for scenario in found.scenarios:
            if scenario.impact_weight > policy.max_scenario_impact_weight:
                out.append(
                    Violation(
                        "max_scenario_impact_weight",
                        scenario_key(scenario.id),
                        f"scenario {scenario.id} cuts off customer weight "
                        f"{scenario.impact_weight:g} "
                        f"(limit {policy.max_scenario_impact_weight:g}): "
                        f"{', '.join(scenario.impacted_customers)}",
                        where.get(scenario_key(scenario.id)),
                    )
                )
    if policy.scenario_tolerance:
        for scenario in found.scenarios:
            for r in scenario.past_tolerance:
                by = f", set by {r.culprit}" if r.culprit else ""
                out.append(
                    Violation(
                        "scenario_tolerance",
                        scenario_key(scenario.id),
                        f"scenario {scenario.id} keeps {r.customer} out of service for "
                        f"{format_hours(r.hours)}, past its {format_hours(r.tolerance)} "
                        f"tolerance{by}",
                        where.get(scenario_key(scenario.id)),
                    )
                )
    if policy.max_failover_utilization is not None:
        limit = policy.max_failover_utilization
        for f in sorted(failover(G, limit, party_loads=found.loads), key=lambda f: f.id):
            if f.utilization_after > limit:
                add(
                    "max_failover_utilization",
                    f.id,
                    f"{f.id} would run at {format_percent(f.utilization_after)} of capacity if "
                    f"{f.failing} failed (limit {format_percent(limit)}; normally "
                    f"{format_percent(f.load / f.capacity)}): "
                    "its alternatives' volume moves onto it",
                )
    return tuple(out)


def _level(metric: str, value: float) -> str:
    return f"{value:.2f}" if metric == "quality" else format_hours(value)


def _promise_words(p: Promise) -> str:
    what = p.metric.replace("_", " ")
    text = (
        f"{p.customer} is promised {what} {_level(p.metric, p.promised)} and gets "
        f"{_level(p.metric, p.actual)}"
    )
    return text + (f", set by {p.culprit}" if p.culprit is not None else "")


def _expectation_words(e: Expectation) -> str:
    supplier = e.supplier if isinstance(e.supplier, str) else "any of " + ", ".join(e.supplier)
    if e.implied:
        return (
            f"{e.consumer} recovers within {format_hours(e.expected)}, but {supplier} is back "
            f"only after {format_hours(e.actual)}"
        )
    what = e.metric.replace("_", " ")
    return (
        f"{e.consumer} expects {what} {_level(e.metric, e.expected)} of {supplier} and gets "
        f"{_level(e.metric, e.actual)}"
    )


def _impacted(G: nx.DiGraph, supplier: str, report: Report) -> set[str]:
    """All the customers ``supplier``'s failure cuts off (the report's list may be capped)."""
    for c in report.critical_suppliers:
        if c.id == supplier and len(c.impacted_customers) == c.impacted_customer_count:
            return set(c.impacted_customers)
    from orggraph.analysis import failure_impact

    return set(failure_impact(G, [supplier]).impacted_customers)

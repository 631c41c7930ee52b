"""Typed results of the analyses, and the one :class:`Report` every renderer reads.

``Report.to_dict()`` is the JSON contract of SPEC §5: key order and list order are fixed here so
the same input always gives the same bytes.

One module of over 500 lines on purpose: every result type of every section is declared here,
next to the others, so the JSON contract can be read (and kept stable) in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "DEFAULT_LIST_LIMIT",
    "METRICS",
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
    "Report",
    "ScenarioRecovery",
    "ScenarioResult",
    "ServiceChain",
    "Summary",
]

DEFAULT_LIST_LIMIT = 100


def _num(value: float | None, digits: int = 6) -> float | None:
    """Round for output; -0.0 and 1e-17 noise become 0.0."""
    if value is None:
        return None
    rounded = round(float(value), digits)
    return rounded + 0.0


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts of the organization.

    ``dependencies`` counts edges: each alternative of an any_of group is one.
    """

    units: int
    customers: int
    vendors: int
    dependencies: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "customers": self.customers,
            "vendors": self.vendors,
            "dependencies": self.dependencies,
        }


@dataclass(frozen=True, slots=True)
class Impact:
    """What fails when the parties in ``failed`` fail (SPEC §3 and §7, failure impact).

    Lists are sorted by id. ``failed_members`` are the members of the failed units that failed
    with them (X* − X); ``impacted_units`` excludes the failed parties and those members;
    ``impacted_customers`` includes any customer that was itself in ``failed``.

    SPEC §9: ``degraded_customers`` and ``degraded_units`` still have service but run degraded
    (a nice-to-have lost, or a required supplier that runs degraded); ``redundancy_lost`` are
    the parties still served whose required any_of group lost some alternatives (no backup left
    for those).
    """

    failed: tuple[str, ...]
    impacted_units: tuple[str, ...]
    impacted_customers: tuple[str, ...]
    impact_weight: float
    failed_members: tuple[str, ...] = ()
    degraded_customers: tuple[str, ...] = ()
    degraded_units: tuple[str, ...] = ()
    redundancy_lost: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "failed": list(self.failed),
            "failed_members": list(self.failed_members),
            "impacted_units": list(self.impacted_units),
            "impacted_customers": list(self.impacted_customers),
            "impact_weight": _num(self.impact_weight),
            "degraded_customers": list(self.degraded_customers),
            "degraded_units": list(self.degraded_units),
            "redundancy_lost": list(self.redundancy_lost),
        }

    def _repr_html_(self) -> str:
        from orggraph.render import notebook  # display only: loaded when shown

        return notebook.impact_html(self)


@dataclass(frozen=True, slots=True)
class CriticalSupplier:
    """A unit or vendor whose single failure cuts service to at least one customer.

    ``impacted_customers`` lists the impacted customers highest weight first, then by id: all of
    them, or only the first ones when the analysis was asked for a list limit.
    ``impacted_customer_count`` is always the full number (it defaults to the length of the
    list). ``impacted_units`` is the number of units (other than this one) that lose service.
    """

    id: str
    party: Literal["unit", "vendor"]
    impact_weight: float
    impacted_customers: tuple[str, ...]
    impacted_units: int
    betweenness: float
    impacted_customer_count: int = -1

    def __post_init__(self) -> None:
        if self.impacted_customer_count < 0:
            object.__setattr__(self, "impacted_customer_count", len(self.impacted_customers))

    def to_dict(self, list_limit: int = DEFAULT_LIST_LIMIT) -> dict[str, Any]:
        customers = list(self.impacted_customers)
        if list_limit > 0:
            customers = customers[:list_limit]
        truncated = len(customers) < self.impacted_customer_count
        out: dict[str, Any] = {
            "id": self.id,
            "party": self.party,
            "impact_weight": _num(self.impact_weight),
            "impacted_customers": customers,
            "impacted_customer_count": self.impacted_customer_count,
            "impacted_units": self.impacted_units,
            "betweenness": _num(self.betweenness),
        }
        if truncated:
            out["impacted_customers_truncated"] = True
        return out

    def _repr_html_(self) -> str:
        from orggraph.render import notebook  # display only: loaded when shown

        return notebook.critical_suppliers_html([self])


def _capped(customers: tuple[str, ...], count: int, list_limit: int) -> tuple[list[str], bool]:
    """The impacted customers to write (at most ``list_limit``; 0: all), and whether cut."""
    shown = list(customers)
    if list_limit > 0:
        shown = shown[:list_limit]
    return shown, len(shown) < count


@dataclass(frozen=True, slots=True)
class GroupImpact:
    """A group (a unit with members) and what its failure, with all its members, brings down.

    ``members`` counts its whole subtree in the org chart; ``impacted_units`` counts the units
    that fail other than the group and its members; ``critical_members`` counts the members that
    are critical suppliers. ``impacted_customers`` is listed as for :class:`CriticalSupplier`.
    ``name`` is for the readable reports (the JSON entry has no name).
    """

    id: str
    members: int
    impact_weight: float
    impacted_customers: tuple[str, ...]
    impacted_customer_count: int
    impacted_units: int
    critical_members: int
    name: str | None = None

    def to_dict(self, list_limit: int = DEFAULT_LIST_LIMIT) -> dict[str, Any]:
        customers, truncated = _capped(
            self.impacted_customers, self.impacted_customer_count, list_limit
        )
        out: dict[str, Any] = {
            "id": self.id,
            "members": self.members,
            "impact_weight": _num(self.impact_weight),
            "impacted_customers": customers,
            "impacted_customer_count": self.impacted_customer_count,
            "impacted_units": self.impacted_units,
            "critical_members": self.critical_members,
        }
        if truncated:
            out["impacted_customers_truncated"] = True
        return out


@dataclass(frozen=True, slots=True)
class GroupDependency:
    """Dependencies between two parties of a roll-up (SPEC §7, ``group_dependencies``).

    ``dependencies`` counts the service graph's edges from the supplier's members (and itself)
    to the consumer's; ``volume`` sums their volumes (an ``any_of`` edge carries its share),
    None when none of them states one.
    """

    supplier: str
    consumer: str
    dependencies: int
    volume: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "supplier": self.supplier,
            "consumer": self.consumer,
            "dependencies": self.dependencies,
            "volume": _num(self.volume),
        }


@dataclass(frozen=True, slots=True)
class IllusoryRedundancy:
    """A required any_of group of ``party`` whose alternatives all fail with one single failure
    (SPEC §9): ``alternatives`` and ``shared_suppliers`` sorted by id."""

    party: str
    alternatives: tuple[str, ...]
    shared_suppliers: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "alternatives": list(self.alternatives),
            "shared_suppliers": list(self.shared_suppliers),
        }


@dataclass(frozen=True, slots=True)
class Failover:
    """A unit that the volume shifted onto it when ``failing`` fails takes to the bottleneck
    threshold or past it (SPEC §9, failover load)."""

    id: str
    load: float
    worst_failover_load: float
    capacity: float
    failing: str

    @property
    def utilization_after(self) -> float:
        return self.worst_failover_load / self.capacity

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "load": _num(self.load),
            "worst_failover_load": _num(self.worst_failover_load),
            "capacity": _num(self.capacity),
            "utilization_after": _num(self.utilization_after, 4),
            "failing": self.failing,
        }


@dataclass(frozen=True, slots=True)
class DoubleFailures:
    """The minimal double failures of one customer (SPEC §9): pairs ``(x, y)``, x < y, sorted;
    ``truncated`` when more than the limit asked for exist."""

    customer: str
    pairs: tuple[tuple[str, str], ...]
    truncated: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "pairs": [list(p) for p in self.pairs],
            "truncated": self.truncated,
        }


@dataclass(frozen=True, slots=True)
class Load:
    """Demand on one party: ``load`` is None when no consumer gave a volume."""

    load: float | None
    capacity: float | None

    @property
    def utilization(self) -> float | None:
        if self.load is None or self.capacity is None:
            return None
        return self.load / self.capacity


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """A unit listed as a bottleneck, with the reasons it is listed."""

    id: str
    load: float | None
    capacity: float | None
    utilization: float | None
    fan_in: int
    betweenness: float
    reasons: tuple[str, ...]

    @property
    def overloaded(self) -> bool:
        return self.utilization is not None and self.utilization > 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "load": _num(self.load),
            "capacity": _num(self.capacity),
            "utilization": _num(self.utilization, 4),
            "fan_in": self.fan_in,
            "betweenness": _num(self.betweenness),
            "reasons": list(self.reasons),
        }

    def _repr_html_(self) -> str:
        from orggraph.render import notebook  # display only: loaded when shown

        return notebook.bottlenecks_html([self])


@dataclass(frozen=True, slots=True)
class ServiceChain:
    """The service chains that end at one customer.

    ``critical_chain`` runs from the furthest supplier to the customer and sets
    ``lead_time_hours``; ``quality`` is the weakest-link score and ``weakest_link`` the party
    whose own score sets it (None when no party on the way has a score).
    """

    customer: str
    upstream_units: int
    upstream_vendors: int
    depth: int
    critical_chain: tuple[str, ...]
    lead_time_hours: float
    quality: float
    weakest_link: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "upstream_units": self.upstream_units,
            "upstream_vendors": self.upstream_vendors,
            "depth": self.depth,
            "critical_chain": list(self.critical_chain),
            "lead_time_hours": _num(self.lead_time_hours),
            "quality": _num(self.quality),
            "weakest_link": self.weakest_link,
        }

    def _repr_html_(self) -> str:
        from orggraph.render import notebook  # display only: loaded when shown

        return notebook.chains_html([self])


@dataclass(frozen=True, slots=True)
class BetweennessInfo:
    """How betweenness was computed: ``exact``, or ``sampled`` with ``k`` pivots and a seed."""

    method: Literal["exact", "sampled"]
    k: int | None = None
    seed: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "k": self.k, "seed": self.seed}


@dataclass(frozen=True, slots=True)
class ScenarioRecovery:
    """Whether a customer a scenario impacts is back within its promised recovery (SPEC §7).

    ``hours`` is the §8 recovery time in which only the failed parties (X*) count their own
    recovery_time; ``tolerance`` the customer's ``promise.recovery``; ``culprit`` the party whose
    own recovery time sets ``hours`` (None when nothing does; not in the JSON).
    """

    customer: str
    hours: float
    tolerance: float
    culprit: str | None = None

    @property
    def within(self) -> bool:
        """``hours <= tolerance``: the customer stays within its impact tolerance."""
        return self.hours <= self.tolerance

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "hours": _num(self.hours),
            "tolerance": _num(self.tolerance),
            "within": self.within,
        }


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """One scenario of the file evaluated (SPEC §7): what fails, who loses service, recovery.

    ``failed`` holds the parties named in ``fail`` and those ``where`` matches (sorted);
    ``failed_members`` the members that failed with them; ``impacted_units`` the units that lose
    service other than those; ``recovery`` one entry per impacted customer with a promised
    recovery, by customer id. ``matched`` (the parties ``where`` matched, sorted) and ``names``
    are for the readable reports and the warnings; they are not in the JSON.
    """

    id: str
    name: str
    failed: tuple[str, ...]
    failed_members: tuple[str, ...]
    impacted_customers: tuple[str, ...]
    impact_weight: float
    impacted_units: tuple[str, ...]
    recovery: tuple[ScenarioRecovery, ...] = ()
    matched: tuple[str, ...] = ()
    names: Mapping[str, str] = field(default_factory=dict)
    """The names of the parties listed above whose name differs from their id."""

    @property
    def past_tolerance(self) -> tuple[ScenarioRecovery, ...]:
        """The customers this scenario keeps out of service past their promised recovery."""
        return tuple(r for r in self.recovery if not r.within)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "failed": list(self.failed),
            "failed_members": list(self.failed_members),
            "impacted_customers": list(self.impacted_customers),
            "impact_weight": _num(self.impact_weight),
            "impacted_units": len(self.impacted_units),
            "recovery": [r.to_dict() for r in self.recovery],
        }


# -- SPEC §8: service levels ----------------------------------------------------------------------

Metric = Literal["lead_time", "quality", "recovery"]
METRICS: tuple[Metric, ...] = ("lead_time", "quality", "recovery")
"""The service-level metrics in output order (lead time and recovery in hours, quality 0..1)."""


@dataclass(frozen=True, slots=True)
class EffectiveLevels:
    """The effective service levels of one party (SPEC §8), and who sets each of them.

    ``lead_time`` and ``recovery`` are hours; ``quality`` 0..1 (1 when no score applies).
    ``lead_culprit`` is the party on the critical chain with the largest own lead time,
    ``weakest_link`` the party whose own (or perceived) score sets ``quality``,
    ``recovery_culprit`` the party whose own recovery_time sets ``recovery``; None when nothing
    sets the value.
    """

    lead_time: float
    quality: float
    recovery: float
    lead_culprit: str | None
    weakest_link: str | None
    recovery_culprit: str | None

    def value(self, metric: Metric) -> float:
        """The value of one metric."""
        if metric == "lead_time":
            return self.lead_time
        return self.quality if metric == "quality" else self.recovery

    def culprit(self, metric: Metric) -> str | None:
        """The party whose own value sets one metric."""
        if metric == "lead_time":
            return self.lead_culprit
        return self.weakest_link if metric == "quality" else self.recovery_culprit


@dataclass(frozen=True, slots=True)
class Promise:
    """One metric promised to a customer (``promise``), against what the organization delivers.

    ``met`` is ``actual <= promised`` (quality: ``actual >= promised``). ``chain`` is the
    customer's critical chain (lead time), for the readable reports.
    """

    customer: str
    metric: Metric
    promised: float
    actual: float
    met: bool
    culprit: str | None
    chain: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "customer": self.customer,
            "metric": self.metric,
            "promised": _num(self.promised),
            "actual": _num(self.actual),
            "met": self.met,
            "culprit": self.culprit,
        }


@dataclass(frozen=True, slots=True)
class Expectation:
    """An internal customer's expectation of a supplier that the supplier does not meet.

    ``supplier`` is the supplier's id, or the sorted ids of an any_of group. ``implied`` marks a
    recovery expectation nobody wrote: the consumer states its own recovery_time and the supplier
    comes back later.
    """

    consumer: str
    supplier: str | tuple[str, ...]
    metric: Metric
    expected: float
    actual: float
    implied: bool = False

    def sort_key(self) -> tuple[str, tuple[str, ...], int, bool]:
        supplier = (self.supplier,) if isinstance(self.supplier, str) else self.supplier
        return (self.consumer, supplier, METRICS.index(self.metric), self.implied)

    def to_dict(self) -> dict[str, Any]:
        return {
            "consumer": self.consumer,
            "supplier": self.supplier if isinstance(self.supplier, str) else list(self.supplier),
            "metric": self.metric,
            "expected": _num(self.expected),
            "actual": _num(self.actual),
            "implied": self.implied,
        }


@dataclass(frozen=True, slots=True)
class PerceivedQuality:
    """The internal service quality a supplier's internal customers perceive (a survey, SPEC §8).

    ``perceived`` is the weighted mean of the responding consumers' scores (0..1), ``weighting``
    "volume" or "equal"; ``expected`` the same mean of their ``expects.quality`` (None when none
    states it), ``gap = perceived - expected``.
    """

    id: str
    perceived: float
    responses: int
    consumers: int
    weighting: Literal["volume", "equal"]
    expected: float | None
    gap: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "perceived": _num(self.perceived),
            "responses": self.responses,
            "consumers": self.consumers,
            "weighting": self.weighting,
            "expected": _num(self.expected),
            "gap": _num(self.gap),
        }


@dataclass(frozen=True)
class Report:
    """Everything ``orggraph analyze`` reports. Lists are already in output order."""

    organization: Mapping[str, str | None]
    summary: Summary
    critical_suppliers: tuple[CriticalSupplier, ...]
    bottlenecks: tuple[Bottleneck, ...]
    service_chains: tuple[ServiceChain, ...]
    line_of_sight: tuple[tuple[str, int], ...]
    disconnected_units: tuple[str, ...]
    cycles: tuple[tuple[str, ...], ...]
    warnings: tuple[str, ...]
    betweenness_info: BetweennessInfo
    threshold: float
    # per-party figures the views need (every unit and vendor; sorted by id)
    loads: Mapping[str, Load] = field(default_factory=dict)
    betweenness: Mapping[str, float] = field(default_factory=dict)
    # SPEC §7: one entry per group, ranked like the critical suppliers
    groups: tuple[GroupImpact, ...] = ()
    # SPEC §8: service levels (promises and expectations always; perceived quality with a survey)
    promises: tuple[Promise, ...] = ()
    expectations: tuple[Expectation, ...] = ()
    internal_service_quality: tuple[PerceivedQuality, ...] = ()
    levels: Mapping[str, EffectiveLevels] = field(default_factory=dict)
    survey: str | None = None  # the survey file whose perceived scores the weakest link uses
    level_names: Mapping[str, str] = field(default_factory=dict)  # names of the parties above
    # SPEC §7: the file's scenarios, in file order
    scenarios: tuple[ScenarioResult, ...] = ()
    # SPEC §9
    illusory_redundancy: tuple[IllusoryRedundancy, ...] = ()
    failover: tuple[Failover, ...] = ()
    # for the readable reports: names that say more than the id, and all customers' weight
    names: Mapping[str, str] = field(default_factory=dict)
    customer_weight: float = 0.0

    def to_dict(self, list_limit: int = DEFAULT_LIST_LIMIT) -> dict[str, Any]:
        """The JSON object of SPEC §5 (``list_limit`` 0 means no cap on impacted customers)."""
        return {
            "organization": {
                "name": self.organization.get("name"),
                "period": self.organization.get("period"),
            },
            "summary": self.summary.to_dict(),
            "critical_suppliers": [c.to_dict(list_limit) for c in self.critical_suppliers],
            "groups": [g.to_dict(list_limit) for g in self.groups],
            "scenarios": [x.to_dict() for x in self.scenarios],
            "bottlenecks": [b.to_dict() for b in self.bottlenecks],
            "illusory_redundancy": [r.to_dict() for r in self.illusory_redundancy],
            "failover": [f.to_dict() for f in self.failover],
            "service_chains": [s.to_dict() for s in self.service_chains],
            "promises": [p.to_dict() for p in self.promises],
            "expectations": [e.to_dict() for e in self.expectations],
            "internal_service_quality": [q.to_dict() for q in self.internal_service_quality],
            "line_of_sight": dict(self.line_of_sight),
            "disconnected_units": list(self.disconnected_units),
            "cycles": [list(c) for c in self.cycles],
            "warnings": list(self.warnings),
            "betweenness": self.betweenness_info.to_dict(),
            "utilization_threshold": self.threshold,
        }

    def _repr_html_(self) -> str:
        from orggraph.render import notebook  # display only: loaded when shown

        return notebook.report_html(self)

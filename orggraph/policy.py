"""Policy rules for CI (``orggraph check``): what an organization must not do, and where it does.

A :class:`Policy` holds the rules asked for; :func:`check` runs the analyses once and returns one
:class:`Violation` per breach, each located at the party concerned in the org file. Only the rules
set in the policy apply.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from orggraph.analysis import analyze, failover
from orggraph.analysis.report import Expectation, Promise, Report
from orggraph.errors import Location, OrgValidationError, Problem, UsageError, did_you_mean
from orggraph.graph import OWNER, PARTY, UNIT
from orggraph.model.durations import DurationError, format_hours, parse_duration
from orggraph.model.figures import format_percent
from orggraph.model.files import read_input
from orggraph.model.messages import EXPECTED, expected_but, translate
from orggraph.model.paths import format_path
from orggraph.model.yamlsource import SourceMap, YamlTrouble, decode, parse_yaml

__all__ = [
    "FLAGS",
    "RULES",
    "RULE_HINTS",
    "Policy",
    "Violation",
    "check",
    "check_customer_names",
    "load_policy",
    "merge_flags",
    "party_locations",
]

RULES = (
    "max_utilization",
    "max_impact_weight",
    "protected_customers",
    "max_lead_time",
    "lead_time_limits",
    "no_cycles",
    "no_disconnected",
    "require_owner",
    "promises",
    "expectations",
    "max_scenario_impact_weight",
    "scenario_tolerance",
    "max_failover_utilization",
)

FLAGS = {
    "max_utilization": "--max-utilization",
    "max_impact_weight": "--max-impact-weight",
    "protected_customers": "--protect",
    "max_lead_time": "--max-lead-time",
    "no_cycles": "--no-cycles",
    "no_disconnected": "--no-disconnected",
    "require_owner": "--require-owner",
    "promises": "--promises",
    "expectations": "--expectations",
    "max_scenario_impact_weight": "--max-scenario-impact-weight",
    "scenario_tolerance": "--scenario-tolerance",
    "max_failover_utilization": "--max-failover-utilization",
}
"""The command-line option that sets each rule (``lead_time_limits`` is only in policy files)."""


class Policy(BaseModel):
    """The rules to enforce; a rule left unset does not apply."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    max_utilization: float | None = Field(
        default=None,
        gt=0,
        allow_inf_nan=False,
        description="no unit's load / capacity above this (1.0 = full)",
    )
    max_impact_weight: float | None = Field(
        default=None,
        ge=0,
        allow_inf_nan=False,
        description="no single point of failure cuts off more customer weight",
    )
    protected_customers: list[str] | None = Field(
        default=None, description="these customers must have no single point of failure at all"
    )
    max_lead_time: str | None = Field(
        default=None, description="no customer's end-to-end lead time above this (e.g. 3d)"
    )
    lead_time_limits: dict[str, str] | None = Field(
        default=None,
        description="per customer id, its own lead-time limit (over max_lead_time for it)",
    )
    no_cycles: bool = Field(default=False, description="no dependency cycles")
    no_disconnected: bool = Field(default=False, description="every unit reaches a customer")
    require_owner: bool = Field(default=False, description="every unit names an owner")
    # SPEC §8
    promises: bool = Field(default=False, description="every promise to a customer is met")
    expectations: bool = Field(
        default=False, description="every internal customer's expectation is met"
    )
    max_scenario_impact_weight: float | None = Field(
        default=None, ge=0, description="no scenario of the file cuts off more customer weight"
    )
    scenario_tolerance: bool = Field(
        default=False,
        description="no scenario keeps a customer out of service past its promised recovery",
    )

    max_failover_utilization: float | None = Field(
        default=None,
        gt=0,
        description="no unit's load / capacity above this when a single failure elsewhere "
        "shifts an any_of group's volume onto it (SPEC §9 failover)",
    )

    @field_validator(
        "max_utilization",
        "max_impact_weight",
        "max_scenario_impact_weight",
        "max_failover_utilization",
        mode="before",
    )
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return float(value)
            except OverflowError:
                raise ValueError(
                    f"the number is too large to use ({len(str(value))} digits)"
                ) from None
        return value

    @field_validator("max_lead_time")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            _check_duration(value)
        return value

    @field_validator("lead_time_limits")
    @classmethod
    def _durations(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for limit in (value or {}).values():
            _check_duration(limit)
        return value

    def rules(self) -> tuple[str, ...]:
        """The rules that apply, in :data:`RULES` order."""
        # identity, not equality: a limit of 0 (== False) is a rule
        return tuple(
            name
            for name in RULES
            if getattr(self, name) is not None and getattr(self, name) is not False
        )


def _check_duration(text: str) -> None:
    try:
        parse_duration(text)
    except DurationError as exc:
        raise ValueError(str(exc)) from None


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


def load_policy(path: str | Path) -> Policy:
    """Read a policy file (YAML): every problem located, as for org files.

    Raises :class:`~orggraph.errors.OrgValidationError` for a bad file and
    :class:`~orggraph.errors.UsageError` when it cannot be read.
    """
    data, smap = _read_policy(path)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise OrgValidationError(_problems(exc, smap)) from None


def _read_policy(path: str | Path) -> tuple[dict[str, Any], SourceMap]:
    """The policy file's mapping and where each of its values is written."""
    name = str(path)
    try:
        raw = read_input(path, name)
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    try:
        data, smap, problems = parse_yaml(decode(raw, name), name, track=True)
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    assert smap is not None
    if problems:
        raise OrgValidationError(problems)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise OrgValidationError(
            [
                Problem(
                    smap.locate(()),
                    "",
                    "a policy file is a mapping of rules",
                    "write e.g. 'max_utilization: 1.0' on its own line",
                )
            ]
        )
    return data, smap


def _problems(exc: ValidationError, smap: SourceMap) -> list[Problem]:
    """The shared translator's problems for a policy file, worded in terms of its rules."""

    def word(error: ErrorDetails, path: tuple[Hashable, ...]) -> Problem:
        rule = str(path[0])
        if error["type"] == "extra_forbidden":
            return Problem(
                smap.locate(path, key=True),
                "",
                f"unknown rule '{rule}'",
                did_you_mean(rule, RULES) or "the rules are: " + ", ".join(RULES),
            )
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "finite_number":  # as the org format words it
            message = f"{rule} must be a finite number, got {error['input']}"
        hint = _hint(rule)
        expected = EXPECTED.get(error["type"])
        if rule in ("max_lead_time", "lead_time_limits") and error["type"] == "string_type":
            expected = "a duration such as 3d"
        typed = smap.typed.get(path)
        if expected is not None and error["input"] is None:
            message = expected_but(expected, None)
            hint = "write a value, or remove the line"
        elif expected is not None and typed is not None:
            message = expected_but(expected, typed)
            if expected == "text":
                hint = f'quote it: "{typed[0]}"'
            elif expected.startswith("a duration"):
                hint = "write a number with a unit m, h, d or w, e.g. 36h or 3d"
        elif expected == "true or false" and isinstance(error["input"], str):
            message = f"expected true or false, but found '{error['input']}'"
            hint = "write true, or remove the line"
        elif expected is not None and expected != "text" and path in smap.quoted:
            message = f"expected {expected}, but the value is in quotes, so YAML reads it as text"
            hint = "remove the quotes"
        return Problem(smap.locate(path), format_path(path), message, hint)

    return sorted(translate(exc, word, smap), key=Problem.sort_key)


RULE_HINTS = {
    "max_utilization": "a number above 0, e.g. 0.9",
    "max_impact_weight": "a number, e.g. 50",
    "protected_customers": "a list of customer ids, e.g. [inpatients]",
    "max_lead_time": "a duration with a unit, e.g. 3d or 36h",
    "lead_time_limits": "customer ids with durations, e.g. {inpatients: 1d}",
    "no_cycles": "true or false",
    "no_disconnected": "true or false",
    "require_owner": "true or false",
    "promises": "true or false",
    "expectations": "true or false",
    "max_scenario_impact_weight": "a number, e.g. 50",
    "scenario_tolerance": "true or false",
    "max_failover_utilization": "a number above 0, e.g. 1.0",
}
"""What each rule takes, as a hint after a wrong value."""


def _hint(rule: str) -> str | None:
    return RULE_HINTS.get(rule)


def merge_flags(policy: Policy, flags: Mapping[str, Any]) -> Policy:
    """``policy`` with the rules given on the command line over it.

    ``flags`` maps rule names (the keys of :data:`FLAGS`) to the values given; a flag left out
    keeps the policy's rule. A wrong value is a :class:`~orggraph.errors.UsageError` that names
    the option, not the rule, with the rule's hint.

    Examples
    --------
    >>> merge_flags(Policy(max_utilization=0.9), {"no_cycles": True}).rules()
    ('max_utilization', 'no_cycles')
    >>> try:
    ...     merge_flags(Policy(), {"max_impact_weight": -1.0})
    ... except UsageError as exc:
    ...     print(exc)
    --max-impact-weight: input should be greater than or equal to 0 (a number, e.g. 50)
    """
    try:
        return Policy.model_validate(policy.model_dump() | dict(flags))
    except ValidationError as exc:
        first = exc.errors()[0]
        rule = str(first["loc"][0])
        # pydantic's message, made to read on after the option's name
        message = str(first["msg"]).removeprefix("Value error, ")
        message = message[:1].lower() + message[1:]
        hint = _hint(rule)
        raise UsageError(
            f"{FLAGS.get(rule, rule)}: {message}" + (f" ({hint})" if hint else "")
        ) from None


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
        _known_customers(G, policy.protected_customers, "protected_customers")
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
        _known_customers(G, own_limits, "lead_time_limits")
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


def check_customer_names(
    G: nx.DiGraph,
    policy: Policy,
    *,
    policy_file: str | Path | None = None,
    from_flags: Collection[str] = (),
) -> None:
    """Refuse rules that name a party that is not a customer of ``G``, before checking.

    A name written in ``policy_file`` is reported at its place in that file
    (:class:`~orggraph.errors.OrgValidationError`, all of them at once); a name given on the
    command line (its rule in ``from_flags``) as a :class:`~orggraph.errors.UsageError` naming the
    option. Each gets a did-you-mean hint when a customer's id is close.
    """
    customers = sorted(n for n, d in G.nodes(data=True) if d[PARTY] == "customer")
    known = set(customers)
    named: list[tuple[str, tuple[Hashable, ...], bool]] = []  # (id, path in the file, key?)
    for i, c in enumerate(policy.protected_customers or []):
        named.append((c, ("protected_customers", i), False))
    for c in policy.lead_time_limits or {}:
        named.append((c, ("lead_time_limits", c), True))
    unknown = [(c, path, key) for c, path, key in named if c not in known]
    if not unknown:
        return

    def hint(c: str) -> str:
        return did_you_mean(c, customers) or (
            "the customers are: "
            + ", ".join(customers[:10])
            + (", …" if len(customers) > 10 else "")
            if customers
            else "this organization has no customers"
        )

    for c, path, _ in unknown:
        rule = str(path[0])
        if rule in from_flags:
            raise UsageError(
                f"{FLAGS.get(rule, rule)}: '{c}' is not a customer of this organization; {hint(c)}"
            )
    if policy_file is None:
        c, path, _ = unknown[0]
        raise UsageError(f"{path[0]}: '{c}' is not a customer of this organization; {hint(c)}")
    _, smap = _read_policy(policy_file)
    raise OrgValidationError(
        sorted(
            (
                Problem(
                    smap.locate(path, key=key),
                    format_path(path),
                    f"'{c}' is not a customer of this organization",
                    hint(c),
                )
                for c, path, key in unknown
            ),
            key=Problem.sort_key,
        )
    )


def _known_customers(G: nx.DiGraph, named: Iterable[str], rule: str) -> None:
    customers = {n for n, d in G.nodes(data=True) if d[PARTY] == "customer"}
    for c in named:
        if c not in customers:
            hint = did_you_mean(c, customers)
            raise UsageError(
                f"{rule}: '{c}' is not a customer of this organization"
                + (f"; {hint}" if hint else "")
            )


def _impacted(G: nx.DiGraph, supplier: str, report: Report) -> set[str]:
    """All the customers ``supplier``'s failure cuts off (the report's list may be capped)."""
    for c in report.critical_suppliers:
        if c.id == supplier and len(c.impacted_customers) == c.impacted_customer_count:
            return set(c.impacted_customers)
    from orggraph.analysis import failure_impact

    return set(failure_impact(G, [supplier]).impacted_customers)

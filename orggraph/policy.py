"""Policy rules for CI (``orggraph check``): what an organization must not do.

A :class:`Policy` holds the rules asked for, from a policy file (:func:`load_policy`, every
problem located) and the command's flags (:func:`merge_flags`). Running them is
:mod:`orggraph.checks`: one :class:`~orggraph.checks.Violation` per breach, located in the org
file. Only the rules set in the policy apply.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from orggraph.errors import OrgValidationError, Problem, UsageError, did_you_mean
from orggraph.graph import PARTY
from orggraph.model.durations import DurationError, parse_duration
from orggraph.model.files import read_input
from orggraph.model.messages import EXPECTED, expected_but, translate
from orggraph.model.paths import format_path
from orggraph.model.yamlsource import SourceMap, YamlTrouble, decode, parse_yaml

__all__ = [
    "FLAGS",
    "RULES",
    "RULE_HINTS",
    "Policy",
    "check_customer_names",
    "known_customers",
    "load_policy",
    "merge_flags",
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


def known_customers(G: nx.DiGraph, named: Iterable[str], rule: str) -> None:
    """Refuse a rule that names a party the organization has no customer of that id."""
    customers = {n for n, d in G.nodes(data=True) if d[PARTY] == "customer"}
    for c in named:
        if c not in customers:
            hint = did_you_mean(c, customers)
            raise UsageError(
                f"{rule}: '{c}' is not a customer of this organization"
                + (f"; {hint}" if hint else "")
            )

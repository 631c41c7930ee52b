"""The tooltips of the HTML view: plain text (vis-network shows it with ``innerText``), one line
per fact, every free-text field clipped so a 10 MB description cannot flood the page.

A party's tooltip is its declared fields (:func:`declared_fields`, the one place that reads them)
followed by the analysis figures; a department's, a dependency's and an aggregated edge's have one
function each.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from orggraph.analysis.report import GroupImpact, Metric
from orggraph.graph import (
    ANY_OF,
    CUSTOMER,
    DESCRIPTION,
    GROUP_VOLUME,
    NAME,
    NOTE,
    PARENT,
    PARTY,
    REQUIRED,
    SERVICE,
)
from orggraph.graph import VOLUME as VOLUME_KEY
from orggraph.model.durations import format_hours
from orggraph.model.figures import format_percent
from orggraph.model.schema import PARTY_FIELDS, PartyField
from orggraph.render._viewcontext import ViewContext
from orggraph.render._views import PartyFigures, fmt_number

__all__ = [
    "LIST_LIMIT",
    "TEXT_LIMIT",
    "DeclaredFields",
    "aggregate_title",
    "clip",
    "declared_fields",
    "department_title",
    "dependency_title",
    "group_lines",
    "listing",
    "party_title",
    "service_level_lines",
    "service_levels",
]

TEXT_LIMIT = 300  # characters of one free-text field shown in a tooltip
LIST_LIMIT = 12  # items of a list (tags, attributes, members) shown in a tooltip


def clip(text: Any, limit: int = TEXT_LIMIT) -> str:
    """``text`` on one line, at most ``limit`` characters (an ellipsis marks the cut)."""
    s = " ".join(str(text).split())  # one line; a tooltip keeps the layout of the facts
    return s if len(s) <= limit else s[: limit - 1] + "…"


def listing(items: Sequence[str], limit: int = LIST_LIMIT) -> str:
    """The first ``limit`` items, comma-separated, and how many more there are."""
    shown = ", ".join(clip(i, 80) for i in items[:limit])
    return shown + (f", … ({len(items) - limit} more)" if len(items) > limit else "")


@dataclass(frozen=True, slots=True)
class DeclaredFields:
    """A party's declared fields as tooltip lines."""

    about: tuple[str, ...]  # name and id, kind and place, owner, description, tags, attributes
    own: str | None  # its own lead time and quality, shown next to the end-to-end figures


_ON_CARD = {
    place: tuple(f for f in PARTY_FIELDS if f.card == place) for place in ("facts", "about", "own")
}


def _figure(field: PartyField, value: Any) -> str:
    """A measure as its words and its value: ``own lead time 4h``, ``quality 0.9``."""
    shown = format_hours(float(value)) if field.form == "hours" else fmt_number(float(value))
    return f"{field.label} {shown}"


def service_levels(levels: Mapping[str, Any]) -> str:
    """Service levels in words: ``lead time 2d · quality 0.9 · recovery 8h``."""
    shown = []
    for key, value in levels.items():
        if value is not None:
            words = key.replace("_", " ")
            shown.append(
                f"{words} {fmt_number(value) if key == 'quality' else format_hours(value)}"
            )
    return " · ".join(shown)


def _fact(field: PartyField, value: Any) -> str:
    if field.measure:
        return _figure(field, value)
    if field.form == "choice":
        return str(value)  # the word says what it is: "team", "system"
    if field.form == "ref":
        return f"{field.label}: {value}"  # an id, never clipped
    if field.form == "levels":
        return f"{field.label}: " + service_levels(value)
    return f"{field.label}: {clip(value, 120)}"


def _about(field: PartyField, value: Any) -> list[str]:
    """The lines of a field that has a line (or several) of its own."""
    if field.form == "tags":
        return [f"{field.label}: " + listing([str(t) for t in value])]
    if field.form == "mapping":
        lines = []
        for key in sorted(value)[:LIST_LIMIT]:
            item = value[key]
            shown = item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)
            lines.append(f"{clip(key, 60)}: {clip(shown, 160)}")
        if len(value) > LIST_LIMIT:
            lines.append(f"… {len(value) - LIST_LIMIT} more {field.label}")
        return lines
    if field.name == DESCRIPTION:
        return [clip(value)]  # the text speaks for itself
    return [_fact(field, value)]


def declared_fields(n: str, data: Mapping[str, Any], ctx: ViewContext) -> DeclaredFields:
    """What the org file says about party ``n``: every declared field a tooltip shows is read here
    and nowhere else (the analysis figures come from :class:`PartyFigures`). Which fields, where
    and in what words comes from :data:`orggraph.model.schema.PARTY_FIELDS`."""
    name = data.get(NAME) or n
    lines = [f"{clip(name, 120)}  ({n})" if name != n else n]
    facts = [data[PARTY]]
    department = ctx.department_of.get(n, n)
    for field in _ON_CARD["facts"]:
        value = data.get(field.name)
        if field.name == PARENT:
            # the department comes first: the parent is named only when it says more
            if department != n:
                dept_name = ctx.G.nodes[department].get(NAME) or department
                shown = (
                    department
                    if dept_name == department
                    else f"{clip(dept_name, 60)} ({department})"
                )
                facts.append(f"department: {shown}")
            if value == department:
                continue
        if value or (field.measure and value is not None):
            facts.append(_fact(field, value))
    lines.append(" · ".join(facts))
    for field in _ON_CARD["about"]:
        value = data.get(field.name)
        if value:
            lines.extend(_about(field, value))
    own = [
        _figure(field, data[field.name])
        for field in _ON_CARD["own"]
        if data.get(field.name) is not None
    ]
    return DeclaredFields(tuple(lines), " · ".join(own) if own else None)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def group_lines(group: GroupImpact) -> list[str]:
    """A group's lines (SPEC §7, the report's groups section): its members, and what its failure
    with all of them cuts."""
    lines = [f"group of {_count(group.members, 'member')} (its whole subtree in the org chart)"]
    if group.impact_weight or group.impacted_customer_count:
        lines.append(
            f"if it fails, with all its members: impact weight {fmt_number(group.impact_weight)}"
            f" ({_count(group.impacted_customer_count, 'customer')},"
            f" {_count(group.impacted_units, 'more unit')} lose service)"
        )
    else:
        lines.append("if it fails, with all its members: no customer loses service")
    if group.critical_members:
        verb = "is a critical supplier" if group.critical_members == 1 else "are critical suppliers"
        lines.append(f"{group.critical_members} of its members {verb}")
    return lines


def party_title(n: str, data: Mapping[str, Any], fig: PartyFigures, ctx: ViewContext) -> str:
    """A party's tooltip: its declared fields, a blank line, then what the analysis found."""
    party = data[PARTY]
    declared = declared_fields(n, data, ctx)
    figures: list[str] = []
    if fig.critical:
        figures.append(
            f"critical supplier #{fig.critical_rank}: impact weight {fmt_number(fig.impact_weight)}"
            f" ({fig.impacted_customers} customer{'s' if fig.impacted_customers != 1 else ''},"
            f" {fig.impacted_units} unit{'s' if fig.impacted_units != 1 else ''} lose service)"
        )
    elif fig.group is not None:
        figures.extend(group_lines(fig.group))  # a group never fails alone: its members go too
    elif party != CUSTOMER:
        figures.append("impact weight 0 (no customer loses service if it fails alone)")
    if fig.load is not None or fig.capacity is not None:
        load = fmt_number(fig.load) if fig.load is not None else "unknown"
        capacity = fmt_number(fig.capacity) if fig.capacity is not None else "unknown"
        text = f"load {load} / capacity {capacity}{ctx.per_period()}"
        if fig.utilization is not None:
            text += f" · utilization {format_percent(fig.utilization)}"
            if fig.overloaded:
                text += " (overloaded)"
            elif fig.near_capacity:
                text += f" (at or above the {format_percent(ctx.report.threshold)} threshold)"
        figures.append(text)
    for reason in fig.bottleneck_reasons:
        figures.append(f"bottleneck: {reason}")
    if party != CUSTOMER:
        structural = [f"fan-in {fig.fan_in}"]
        if fig.betweenness is not None:
            structural.insert(0, f"betweenness {fig.betweenness:.3f}")
        figures.append(" · ".join(structural))
    if declared.own is not None:
        figures.append(declared.own)
    if fig.line_of_sight is not None:
        figures.append(
            f"line of sight: {fig.line_of_sight} edge{'s' if fig.line_of_sight != 1 else ''}"
            " to the nearest customer"
        )
    elif fig.disconnected:
        figures.append("disconnected: no path to any customer")
    if fig.chain is not None:
        c = fig.chain
        figures.append(
            f"{c.upstream_units} units and {c.upstream_vendors} vendors upstream · depth {c.depth}"
        )
        figures.append("critical chain: " + " → ".join(c.critical_chain))
        weakest = f" (weakest link: {c.weakest_link})" if c.weakest_link else ""
        figures.append(
            f"end-to-end lead time {format_hours(c.lead_time_hours)} · "
            f"quality {fmt_number(c.quality)}{weakest}"
        )
    figures.extend(service_level_lines(n, party, ctx))
    return "\n".join([*declared.about, "", *figures]).rstrip()


_METRIC_WORDS = {"lead_time": "lead time", "quality": "quality", "recovery": "recovery"}
_STATE_WORDS = {
    "failed": "fails",
    "impacted": "loses service",
    "degraded": "runs degraded (still served, without a nice-to-have or by a degraded supplier)",
    "untouched": "untouched",
}


def _value(metric: Metric, value: float) -> str:
    return f"{value:.2f}" if metric == "quality" else format_hours(value)


def _who(n: str, ctx: ViewContext) -> str:
    name = ctx.G.nodes[n].get(NAME) if n in ctx.G else None
    return f"{clip(name, 60)} ({n})" if name and name != n else n


def service_level_lines(n: str, party: str, ctx: ViewContext) -> list[str]:
    """The service-level lines of a party's tooltip (SPEC §8, and §7 when a scenario is drawn):
    its effective lead time, quality and recovery; a customer's promises, each met or not with
    the culprit; a supplier's perceived internal service quality and the unmet expectations of
    its internal customers; the party's state in the scenario."""
    lines: list[str] = []
    levels = ctx.report.levels.get(n)
    if levels is not None:
        if party == CUSTOMER:
            if levels.recovery > 0:  # lead time and quality are on the chain's line
                by = (
                    f" (set by {_who(levels.recovery_culprit, ctx)})"
                    if levels.recovery_culprit
                    else ""
                )
                lines.append(f"back {format_hours(levels.recovery)} after a disruption{by}")
        else:
            lines.append(
                f"effective (with its suppliers): lead time {format_hours(levels.lead_time)}"
                f" · quality {levels.quality:.2f} · recovery {format_hours(levels.recovery)}"
            )
    for p in ctx.promises_of.get(n, ()):
        words = _METRIC_WORDS[p.metric]
        line = (
            f"promise {words} {_value(p.metric, p.promised)}:"
            f" actual {_value(p.metric, p.actual)}, {'met' if p.met else 'NOT met'}"
        )
        if not p.met and p.culprit is not None:
            line += f" (set by {_who(p.culprit, ctx)})"
        lines.append(line)
    perceived = ctx.perceived_of.get(n)
    if perceived is not None:
        line = (
            f"perceived by its internal customers {perceived.perceived:.2f}"
            f" ({_count(perceived.responses, 'response')}"
            f" from {_count(perceived.consumers, 'internal customer')})"
        )
        if perceived.expected is not None and perceived.gap is not None:
            line += f"; expected {perceived.expected:.2f}, gap {perceived.gap:+.2f}"
        lines.append(line)
    unmet = ctx.expectations_on.get(n, ())
    for x in unmet[:LIST_LIMIT]:
        words = _METRIC_WORDS[x.metric]
        lines.append(
            f"falls short for {_who(x.consumer, ctx)}: {words} expected"
            f" {_value(x.metric, x.expected)}, gets {_value(x.metric, x.actual)}"
            + (" (implied by its own recovery_time)" if x.implied else "")
        )
    if len(unmet) > LIST_LIMIT:
        lines.append(f"… {len(unmet) - LIST_LIMIT} more unmet expectations")
    if ctx.scenario is not None:
        state = ctx.states.get(n, "untouched")
        line = f"scenario {clip(ctx.scenario.id, 60)}: {_STATE_WORDS[state]}"
        for r in ctx.scenario.recovery:
            if r.customer == n:
                line += (
                    f"; back after {format_hours(r.hours)}, tolerance {format_hours(r.tolerance)}"
                    f" ({'within' if r.within else 'past'} its tolerance)"
                )
        lines.append(line)
    return lines


def department_title(n: str, data: Mapping[str, Any], ctx: ViewContext) -> str:
    """A collapsed department's tooltip: its members and what they sum to."""
    members = list(data["members"])
    name = data.get(NAME) or n
    lines = [f"{clip(name, 120)}  ({n})" if name != n else n]
    group = data.get("group")
    if isinstance(group, GroupImpact):
        lines.append("department: " + group_lines(group)[0])
        lines.extend(group_lines(group)[1:])  # critical members among them
    else:
        lines.append(f"department with {len(members)} units")
        if data["critical"]:
            lines.append(f"{data['critical']} critical supplier(s) inside")
    if data["overloaded"]:
        lines.append(f"{data['overloaded']} overloaded unit(s) inside")
    if data["load"] is not None or data["capacity"] is not None:
        load = fmt_number(data["load"]) if data["load"] is not None else "unknown"
        capacity = fmt_number(data["capacity"]) if data["capacity"] is not None else "unknown"
        lines.append(f"load {load} / capacity {capacity}{ctx.per_period()} (summed)")
    lines.append(f"{data['internal']} dependencies inside the department")
    lines.append("members: " + listing(members, 20))
    return "\n".join(lines)


def dependency_title(u: str, v: str, data: Mapping[str, Any], ctx: ViewContext) -> str:
    """A dependency's tooltip: every field it declares (service, required, any_of, volume, note)."""
    lines = [f"{u} → {v}  (supplier → consumer)"]
    if data.get(SERVICE):
        lines.append(f"service: {clip(data[SERVICE], 160)}")
    if data.get(REQUIRED, True):
        lines.append(
            "required: its failure stops the consumer"
            + (" unless an alternative serves" if data.get(ANY_OF) else "")
        )
    else:
        lines.append("optional: nice to have, never blocks")
    group = data.get(ANY_OF)
    if group is not None:
        others = [s for s in ctx.alternatives.get(group, ()) if s != u]
        lines.append("any of: alternatives " + listing([u, *others]))
        if data.get(GROUP_VOLUME) is not None:
            lines.append(
                f"group volume {fmt_number(float(data[GROUP_VOLUME]))}{ctx.per_period()},"
                " split evenly across the alternatives"
            )
    if data.get(VOLUME_KEY) is not None:
        lines.append(f"volume {fmt_number(float(data[VOLUME_KEY]))}{ctx.per_period()}")
    if data.get(NOTE):
        lines.append(f"note: {clip(data[NOTE])}")
    return "\n".join(lines)


def aggregate_title(u: str, v: str, data: Mapping[str, Any], ctx: ViewContext) -> str:
    """The tooltip of an implied edge between departments (``group_dependencies``): how many
    dependencies of which kind, and their volume."""
    count = data["count"]
    parts = [f"{data['required']} required", f"{data['optional']} optional"]
    if data["any_of"]:
        parts.append(f"{data['any_of']} any_of alternatives")
    lines = [
        f"{u} → {v}  (supplier → consumer, members rolled up into their department)",
        f"{count} dependenc{'ies' if count != 1 else 'y'} ({', '.join(parts)})",
    ]
    if data["volume"] is not None:
        lines.append(f"volume {fmt_number(data['volume'])}{ctx.per_period()} (summed)")
    if data["services"]:
        lines.append("services: " + listing(data["services"], 8))
    return "\n".join(lines)

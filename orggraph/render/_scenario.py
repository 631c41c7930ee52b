"""A scenario drawn on the view (SPEC §7): which parties fail, which lose service, which run
degraded and which are untouched, and the summary that lists the impacted customers with their
recovery against the promised tolerance.

Kept apart from the page assembly so the states are computed once and read by the nodes, the
tooltips, the legend and the summary alike.
"""

from __future__ import annotations

import html
from typing import Literal

import networkx as nx

from orggraph.analysis.impact import failure_impact
from orggraph.analysis.report import Report, ScenarioResult
from orggraph.errors import UsageError, did_you_mean
from orggraph.graph import NAME
from orggraph.model.durations import format_hours
from orggraph.render._views import fmt_number

__all__ = [
    "SUMMARY_LIMIT",
    "ScenarioState",
    "find_scenario",
    "scenario_html",
    "scenario_states",
    "scenario_title",
]

ScenarioState = Literal["failed", "impacted", "degraded", "untouched"]
#: impacted customers listed by name in the page's summary; the rest are counted
SUMMARY_LIMIT = 50


def find_scenario(report: Report, scenario: str | ScenarioResult) -> ScenarioResult:
    """The evaluated scenario ``scenario`` names (an id of the file's ``scenarios:``), or the
    result itself. Raises :class:`~orggraph.errors.UsageError` for an unknown id."""
    if isinstance(scenario, ScenarioResult):
        return scenario
    planned = {s.id: s for s in report.scenarios}
    if scenario in planned:
        return planned[scenario]
    hint = did_you_mean(scenario, sorted(planned)) or (
        f"the file's scenarios: {', '.join(sorted(planned))}"
        if planned
        else "the file has no scenarios: (see docs/format.md)"
    )
    raise UsageError(f"unknown scenario '{scenario}'; {hint}")


def scenario_states(G: nx.DiGraph, result: ScenarioResult) -> dict[str, ScenarioState]:
    """The state of every party of ``G`` in the scenario: ``failed`` (what it fails, with the
    members that fail with it), ``impacted`` (loses service), ``degraded`` (still served, but an
    optional dependency or a degraded supplier is lost: SPEC §9) or ``untouched``."""
    states: dict[str, ScenarioState] = dict.fromkeys(G, "untouched")
    if result.failed:
        impact = failure_impact(G, list(result.failed))
        for n in (*impact.degraded_units, *impact.degraded_customers):
            states[n] = "degraded"
    for n in (*result.impacted_units, *result.impacted_customers):
        states[n] = "impacted"
    for n in (*result.failed, *result.failed_members):
        states[n] = "failed"
    return states


def _named(G: nx.DiGraph, n: str) -> str:
    name = G.nodes[n].get(NAME) if n in G else None
    return f"{name} ({n})" if name and name != n else n


def scenario_html(G: nx.DiGraph, report: Report, result: ScenarioResult) -> str:
    """The scenario's part of the page's summary, as escaped HTML: what fails, how much customer
    weight loses service, and each impacted customer by name with its recovery against its
    promised tolerance (the first :data:`SUMMARY_LIMIT`; the rest counted)."""
    e = html.escape
    failed = len(result.failed)
    members = len(result.failed_members)
    customers = len(result.impacted_customers)
    share = (
        f" ({result.impact_weight / report.customer_weight:.0%} of all customer weight)"
        if report.customer_weight > 0
        else ""
    )
    head = (
        f"Scenario {_named_scenario(result)}: {failed}"
        + (" party fails" if failed == 1 else " parties fail")
        + (f" with {members} member{'s' if members != 1 else ''}" if members else "")
        + f"; {customers} customer{'s' if customers != 1 else ''} and"
        f" {len(result.impacted_units)} unit{'s' if len(result.impacted_units) != 1 else ''}"
        f" lose service; impact weight {fmt_number(result.impact_weight)}{share}."
    )
    recovery = {r.customer: r for r in result.recovery}
    items = []
    for c in result.impacted_customers[:SUMMARY_LIMIT]:
        r = recovery.get(c)
        if r is None:
            verdict, state = "no recovery promised", "none"
        else:
            words = "within" if r.within else "past"
            verdict = (
                f"back after {format_hours(r.hours)}, tolerance {format_hours(r.tolerance)}:"
                f" {words} its tolerance"
            )
            if r.culprit is not None:
                verdict += f" (set by {_named(G, r.culprit)})"
            state = "within" if r.within else "past"
        items.append(
            f'<li data-customer="{e(c)}" data-tolerance="{state}">'
            f"{e(_named(G, c))}: {e(verdict)}</li>"
        )
    if len(result.impacted_customers) > SUMMARY_LIMIT:
        items.append(f"<li>… {len(result.impacted_customers) - SUMMARY_LIMIT} more customers</li>")
    listed = f"<ul>{''.join(items)}</ul>" if items else ""
    return (
        f'<div id="orggraph-scenario" data-scenario="{e(result.id)}"><p>{e(head)}</p>{listed}</div>'
    )


def _named_scenario(result: ScenarioResult) -> str:
    if result.name and result.name != result.id:
        return f"{result.name} ({result.id})"
    return result.id or "(unnamed)"


def scenario_title(result: ScenarioResult) -> str:
    """The words a page title adds for the scenario: ``scenario: Dublin site lost (dublin)``."""
    return f"scenario: {_named_scenario(result)}"

"""The words of the service-level sections (SPEC §8) the text and markdown reports share:
promises, unmet expectations, perceived internal service quality. Pure functions of the
:class:`Report`, each returning lines of plain words; ``escape`` makes a piece of the user's text
safe for the output format.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from orggraph.analysis.report import Expectation, Metric, Promise, Report
from orggraph.model.durations import format_hours
from orggraph.render._words import ARROW, clean

__all__ = [
    "EXPECTATIONS",
    "PERCEIVED",
    "PROMISES",
    "expectation_lines",
    "perceived_lines",
    "promise_lines",
    "survey_note",
]

PROMISES = "Promises to customers"
EXPECTATIONS = "Unmet expectations (what internal customers expect of their suppliers)"
PERCEIVED = "Internal service quality (perceived by internal customers, worst first)"

_WHAT: dict[Metric, str] = {
    "lead_time": "lead time",
    "quality": "quality",
    "recovery": "recovery",
}


def _value(metric: Metric, value: float) -> str:
    return f"{value:.2f}" if metric == "quality" else format_hours(value)


def who(report: Report, party: str, escape: Callable[[str], str] = clean) -> str:
    """``Warehouse (warehouse)``: the name with the id beside it; the id alone when the same."""
    name = report.level_names.get(party)
    if name is None or name == party:
        return escape(party)
    return f"{escape(name)} ({escape(party)})"


def promise_lines(report: Report, escape: Callable[[str], str] = clean) -> list[str]:
    """Broken promises first (by customer, metric), each with what sets it; then the count kept."""
    out: list[str] = []
    broken = [p for p in report.promises if not p.met]
    for p in broken:
        out.append(_promise(report, p, escape))
    kept = len(report.promises) - len(broken)
    if kept:
        out.append(
            f"{kept} promise{'s' if kept != 1 else ''} kept"
            + (" (all of them)." if not broken else ".")
        )
    return out


def _promise(report: Report, p: Promise, escape: Callable[[str], str]) -> str:
    verb = (
        "scores"
        if p.metric == "quality"
        else "delivers"
        if p.metric == "lead_time"
        else "is back after"
    )
    text = (
        f"{who(report, p.customer, escape)}: {_WHAT[p.metric]} promised "
        f"{_value(p.metric, p.promised)}, {verb} {_value(p.metric, p.actual)}: not met"
    )
    if p.culprit is not None:
        text += f" — set by {who(report, p.culprit, escape)}"
    if p.metric == "lead_time" and p.chain:
        text += f"; critical chain {ARROW.join(escape(x) for x in p.chain)}"
    return text


def _supplier(report: Report, e: Expectation, escape: Callable[[str], str]) -> str:
    if isinstance(e.supplier, str):
        return who(report, e.supplier, escape)
    return "any of " + ", ".join(who(report, s, escape) for s in e.supplier)


def expectation_lines(
    report: Report, escape: Callable[[str], str] = clean
) -> list[tuple[str, list[str]]]:
    """Unmet expectations grouped by supplier (in the order of the first one's consumer): the
    supplier, then one line per consumer and metric: who expects what, and what they get."""
    groups: dict[str, list[str]] = {}
    for e in report.expectations:
        head = _supplier(report, e, escape)
        if e.implied:
            text = (
                f"{who(report, e.consumer, escape)} recovers within "
                f"{format_hours(e.expected)} itself, but this supplier is back only after "
                f"{format_hours(e.actual)} (implied by its recovery_time)"
            )
        else:
            text = (
                f"{who(report, e.consumer, escape)} expects {_WHAT[e.metric]} "
                f"{_value(e.metric, e.expected)}, gets {_value(e.metric, e.actual)}"
            )
        groups.setdefault(head, []).append(text)
    return list(groups.items())


def perceived_lines(report: Report, escape: Callable[[str], str] = clean) -> list[str]:
    """One line per supplier rated in the survey, worst perceived first."""
    out: list[str] = []
    for q in report.internal_service_quality:
        text = (
            f"{who(report, q.id, escape)}: perceived {q.perceived:.2f} from "
            f"{q.responses} response{'s' if q.responses != 1 else ''} by {q.consumers} "
            f"internal customer{'s' if q.consumers != 1 else ''} ({q.weighting} weights)"
        )
        if q.expected is not None and q.gap is not None:
            text += f"; expected {q.expected:.2f}, gap {q.gap:+.2f}"
        out.append(text)
    return out


def survey_note(report: Report, escape: Callable[[str], str] = clean) -> str | None:
    """Under the service chains: which quality scores came from the survey."""
    if report.survey is None or not report.internal_service_quality:
        return None
    ids: Sequence[str] = sorted(q.id for q in report.internal_service_quality)
    return (
        f"Quality: the perceived scores of the survey {escape(report.survey)} stand in for the "
        f"own quality of {', '.join(escape(i) for i in ids)} in the weakest link."
    )

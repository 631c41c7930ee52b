"""The words the text and markdown reports share: the one-line reading, number formats, the
sentences for empty sections. Pure functions of the :class:`Report`; no rich, no markdown here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from orggraph.analysis.report import BetweennessInfo, Bottleneck, Report

__all__ = [
    "ARROW",
    "EMPTY_CYCLES",
    "EMPTY_DISCONNECTED",
    "EMPTY_WARNINGS",
    "MAX_CYCLES",
    "MAX_DISCONNECTED",
    "chain",
    "clean",
    "cycle",
    "empty_bottlenecks",
    "empty_chains",
    "empty_critical",
    "empty_groups",
    "few",
    "fmt_betweenness",
    "fmt_number",
    "fmt_percent",
    "footer",
    "header_counts",
    "more",
    "named",
    "plural",
    "quality",
    "reading",
    "title",
]

ARROW = " → "

#: The readable reports name at most this many disconnected units and cycles (JSON: all).
MAX_DISCONNECTED = 100
MAX_CYCLES = 20

#: Whitespace that would break a line or a table row: shown as one space.
_BREAKS = re.compile("[\t\n\v\f\r\x85\u2028\u2029]")
#: Other C0 and C1 control characters (ESC among them: a name must not drive the terminal).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


#: Bidirectional controls: U+202E makes "exe.txt" read "txt.exe"; each is shown as its
#: ``\\uNNNN`` escape, visible where it was, instead of reordering what follows it.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: object) -> str:
    """``text`` safe to print on one line: line breaks and tabs become spaces, other control
    characters ``\\xNN`` escapes, bidirectional controls ``\\uNNNN`` escapes.

    >>> print(clean("ok"), clean("two\\nlines"), clean("\\x1b[31mred"), clean("a\\u202eb"))
    ok two lines \\x1b[31mred a\\u202eb
    """
    spaced = _BREAKS.sub(" ", str(text))
    shown = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", spaced)
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", shown)


def plural(count: int, one: str, many: str | None = None) -> str:
    """``"1 unit"``, ``"2 units"``; ``many`` for irregular plurals."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def fmt_number(value: float | None) -> str:
    """Weights, loads and capacities as people write them: ``12``, ``2.5``, ``0.33``; ``—``."""
    if value is None:
        return "—"
    rounded = round(float(value), 2)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.2f}".rstrip("0")


def fmt_percent(value: float | None) -> str:
    """A utilization as a whole percentage: ``1.4`` → ``140%``."""
    return "—" if value is None else f"{value * 100:.0f}%"


def fmt_betweenness(value: float) -> str:
    return f"{value:.3f}"


def few(ids: Sequence[str], shown: int = 3, total: int | None = None) -> str:
    """The first ``shown`` ids and how many more: ``a, b, c +2 more``.

    ``total`` is the full number when ``ids`` holds only the first of them.
    """
    head = ", ".join(clean(x) for x in ids[:shown])
    rest = (len(ids) if total is None else total) - min(shown, len(ids))
    return f"{head} +{rest} more" if rest > 0 else head


def more(hidden: int, what: str = "") -> str:
    """The line under a cut list: ``… and 3 more``."""
    return f"… and {hidden} more{what}"


def chain(ids: Sequence[str], escape: Callable[[str], str] = clean) -> str:
    """``a → b → c``."""
    return ARROW.join(escape(x) for x in ids)


def cycle(members: Sequence[str], escape: Callable[[str], str] = clean, shown: int = 12) -> str:
    """A cycle drawn back to its start, ``a → b → a``; a long one is cut in the middle."""
    ids = [escape(x) for x in members]
    if len(ids) > shown:
        return ARROW.join([*ids[:shown], f"… ({len(ids) - shown} more)", ids[0]])
    return ARROW.join([*ids, ids[0]]) if ids else ""


def title(report: Report) -> str:
    """``Acme Retail — per week``; ``orggraph report`` when the organization has no name."""
    name = report.organization.get("name")
    period = report.organization.get("period")
    text = clean(name) if name else "orggraph report"
    return f"{text} — per {clean(period)}" if period else text


def header_counts(report: Report) -> str:
    s = report.summary
    return " · ".join(
        [
            plural(s.units, "unit"),
            plural(s.customers, "customer"),
            plural(s.vendors, "vendor"),
            plural(s.dependencies, "dependency", "dependencies"),
        ]
    )


def _busiest(bottlenecks: Sequence[Bottleneck]) -> Bottleneck | None:
    measured = [b for b in bottlenecks if b.utilization is not None]
    return max(measured, key=lambda b: b.utilization or 0.0, default=None)


def reading(report: Report) -> str:
    """The report in one line of plain language: the worst single point of failure, the most
    loaded unit, how many units no chain connects to a customer, how many cycles.

    >>> from orggraph.analysis.report import Summary, BetweennessInfo
    >>> empty = Report({"name": None, "period": None}, Summary(1, 1, 0, 0), (), (), (), (), (),
    ...                (), (), BetweennessInfo("exact"), 0.85)
    >>> print(reading(empty))  # doctest: +NORMALIZE_WHITESPACE
    No single point of failure, no unit at or above 85% of capacity, no cycles, and every unit
    reaches a customer
    """
    parts: list[str] = []
    if report.summary.customers == 0:
        parts.append("no customers are declared, so no service chain ends anywhere")
    elif report.critical_suppliers:
        top = report.critical_suppliers[0]
        hit = top.impacted_customers
        if top.impacted_customer_count == 1:
            parts.append(f"{clean(hit[0])} depends on {clean(top.id)} alone")
        else:
            count = top.impacted_customer_count
            parts.append(f"{count} customers depend on {clean(top.id)} alone")
        others = len(report.critical_suppliers) - 1
        if others:
            parts[-1] += f" ({plural(others, 'more single point', 'more single points')}"
            parts[-1] += " of failure)"
    busiest = _busiest(report.bottlenecks)
    if busiest is not None:
        text = f"{clean(busiest.id)} runs at {fmt_percent(busiest.utilization)} of capacity"
        over = sum(1 for b in report.bottlenecks if b.overloaded)
        if over > 1:
            text += f" ({over} units over capacity)"
        parts.append(text)
    disconnected = len(report.disconnected_units)
    if disconnected:
        verb = "has" if disconnected == 1 else "have"
        parts.append(f"{plural(disconnected, 'unit')} {verb} no line of sight to a customer")
    if report.cycles:
        parts.append(plural(len(report.cycles), "dependency cycle"))
    if parts:
        return "; ".join(parts)
    threshold = fmt_percent(report.threshold)
    sure = [
        "No single point of failure" if report.summary.customers else "",
        f"no unit at or above {threshold} of capacity",
        "no cycles",
        "and every unit reaches a customer",
    ]
    return ", ".join(p for p in sure if p)


def empty_critical(report: Report) -> str:
    if report.summary.customers == 0:
        return "No critical suppliers: there are no customers to lose service."
    return "No critical suppliers: every customer survives any single failure."


def empty_groups(report: Report) -> str:
    """Under "Critical groups" when every group's failure spares every customer."""
    if report.summary.customers == 0:
        return "No critical groups: there are no customers to lose service."
    return "No critical groups: no group's failure, with all its members, reaches a customer."


def named(party: str, name: str | None, escape: Callable[[str], str] = clean) -> str:
    """``it (IT department)``: the id, and the name beside it when it says more.

    >>> named("it", "IT department"), named("desk", "desk"), named("hr", None)
    ('it (IT department)', 'desk', 'hr')
    """
    if name is None or name == party:
        return escape(party)
    return f"{escape(party)} ({escape(name)})"


def empty_bottlenecks(report: Report) -> str:
    return (
        f"No bottlenecks: no unit at or above {fmt_percent(report.threshold)} of capacity, "
        "and none that many chains pass through."
    )


def empty_chains(report: Report) -> str:
    if report.summary.customers == 0:
        return "No service chains: the organization has no customers."
    return "No service chains."


EMPTY_DISCONNECTED = "No disconnected units: every unit has a line of sight to a customer."
EMPTY_CYCLES = "No dependency cycles."
EMPTY_WARNINGS = "No warnings."


def footer(info: BetweennessInfo) -> str:
    """Whether betweenness is exact or an estimate, and how it was sampled."""
    if info.method == "sampled":
        return (
            f"Betweenness: sampled from {info.k} source parties (seed {info.seed}); "
            "the values are estimates, repeatable run to run."
        )
    return "Betweenness: exact."


def quality(value: float, weakest: str | None) -> str:
    """``0.82 (desk-eu)``; ``—`` when no party on the way has a score."""
    if weakest is None:
        return "—"
    return f"{value:.2f} ({clean(weakest)})"

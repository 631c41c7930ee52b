"""The words the text and markdown reports share: the one-line reading, number formats, the
sentences for empty sections. Pure functions of the :class:`Report`; no rich, no markdown here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from orggraph.analysis.report import (
    BetweennessInfo,
    Bottleneck,
    IllusoryRedundancy,
    Report,
    ScenarioResult,
)
from orggraph.model.durations import format_hours
from orggraph.model.figures import format_percent

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
    "findings",
    "fmt_betweenness",
    "fmt_number",
    "fmt_percent",
    "fmt_share",
    "footer",
    "header_counts",
    "ids_in_words",
    "in_words",
    "legend",
    "limited",
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
    return "—" if value is None else format_percent(value)


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


def fmt_hours(hours: float) -> str:
    """A duration in hours as people write it: ``6h``, ``1h 30m``, ``1d 12h`` (one rule for all)."""
    return format_hours(hours)


def scenario_lines(
    result: ScenarioResult, total_weight: float | None = None, escape: Callable[[str], str] = clean
) -> list[str]:
    """A scenario in words, one sentence a line: what fails, who loses service, and whether each
    customer with a promised recovery is back within it.

    >>> from orggraph.analysis.report import ScenarioRecovery, ScenarioResult
    >>> for text in scenario_lines(ScenarioResult(
    ...         "it-down", "IT lost", ("it",), ("desk",), ("x",), 2.0, ("shop",),
    ...         (ScenarioRecovery("x", 6.0, 4.0, "desk"),), names={"x": "Shoppers"})):
    ...     print(text)
    Fails: it; with it its members desk.
    1 customer loses service: x (Shoppers); impact weight 2; 1 other unit loses service.
    Recovery: x (Shoppers) is back after 6h, past its 4h tolerance (set by desk).
    """

    def listing(ids: Sequence[str], shown: int = 10) -> str:
        text = ", ".join(named(v, result.names.get(v), escape) for v in ids[:shown])
        return text + (f" and {len(ids) - shown} more" if len(ids) > shown else "")

    out = [f"Fails: {listing(result.failed) or 'nothing'}"]
    if result.failed_members:
        out[0] += f"; with it its members {listing(result.failed_members)}"
    out[0] += "."
    share = ""
    if total_weight:
        share = f" of {fmt_number(total_weight)}"
    units = len(result.impacted_units)
    unit_words = (
        f"{plural(units, 'other unit')} lose{'s' if units == 1 else ''} service"
        if units
        else "no other unit loses service"
    )
    if result.impacted_customers:
        count = len(result.impacted_customers)
        verb = "loses" if count == 1 else "lose"
        out.append(
            f"{plural(count, 'customer')} {verb} service: {listing(result.impacted_customers)}; "
            f"impact weight {fmt_number(result.impact_weight)}{share}; {unit_words}."
        )
    else:
        out.append(f"No customer loses service; {unit_words}.")
    for r in result.recovery:
        who = named(r.customer, result.names.get(r.customer), escape)
        verdict = "within" if r.within else "past"
        by = f" (set by {escape(r.culprit)})" if r.culprit is not None else ""
        out.append(
            f"Recovery: {who} is back after {fmt_hours(r.hours)}, {verdict} its "
            f"{fmt_hours(r.tolerance)} tolerance{by}."
        )
    return out


# -- SPEC §9 and the findings that open the readable reports -------------------------------------

MAX_FINDINGS = 5

LEGENDS = {
    "betweenness": "Chains through: the share of service chains (shortest paths between "
    "parties) that pass through it, 0 to 1 (betweenness).",
    "line_of_sight": "Line of sight: the number of edges from a unit to its nearest customer.",
    "impact": "Impact weight: the weight of the customers that lose service when it fails alone, "
    "and its share of all customers' weight.",
}


def legend(key: str) -> str:
    """The one line that explains a technical figure under its table."""
    return LEGENDS[key]


def in_words(report: Report, party: str, escape: Callable[[str], str] = clean) -> str:
    """``Payroll (payroll)``: the name with the id beside it; the id alone when it has no name.

    >>> from orggraph.analysis.report import Summary, BetweennessInfo
    >>> r = Report({}, Summary(0, 0, 0, 0), (), (), (), (), (), (), (), BetweennessInfo("exact"),
    ...            0.85, names={"pay": "Payroll"})
    >>> in_words(r, "pay"), in_words(r, "desk")
    ('Payroll (pay)', 'desk')
    """
    name = report.names.get(party)
    return f"{escape(name)} ({escape(party)})" if name else escape(party)


def fmt_share(weight: float, total: float) -> str:
    """A weight as a share of all customers' weight: ``62%``; empty when there is no total."""
    if total <= 0:
        return ""
    return f"{weight / total * 100:.0f}%"


def _and(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _named_list(
    report: Report, ids: Sequence[str], shown: int = 3, escape: Callable[[str], str] = clean
) -> str:
    head = [in_words(report, x, escape) for x in ids[:shown]]
    if len(ids) > shown:
        head.append(f"{len(ids) - shown} more")
    return _and(head)


_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def findings(report: Report, escape: Callable[[str], str] = clean) -> list[str]:
    """At most :data:`MAX_FINDINGS` findings in plain words, most customer weight at stake first:
    the single points of failure at the top (ties grouped into one finding), the worst illusory
    alternative, the backup that cannot carry the load, the most overloaded unit.

    Each is ``"N. sentence"``; ids and names go through ``escape`` (the markdown report passes
    its escaper)."""
    ranked: list[tuple[float, int, str]] = []  # (weight at stake, order of kind, sentence)
    total = report.customer_weight
    weight_of = {c.id: c.impact_weight for c in report.critical_suppliers}
    suppliers = report.critical_suppliers
    i = 0
    tiers = 0
    while i < len(suppliers) and tiers < 2:
        top = suppliers[i]
        tied = [
            c
            for c in suppliers[i:]
            if c.impact_weight == top.impact_weight
            and c.impacted_customers == top.impacted_customers
        ]
        share = fmt_share(top.impact_weight, total)
        at_stake = f"{plural(top.impacted_customer_count, 'customer')}" + (
            f" ({share} of customer weight)" if share else ""
        )
        if len(tied) == 1:
            sentence = (
                f"{in_words(report, top.id, escape)} is a single point of failure for {at_stake}"
            )
            if top.impacted_units:
                verb = "loses" if top.impacted_units == 1 else "lose"
                sentence += f"; {plural(top.impacted_units, 'unit')} {verb} service with it"
            sentence += "."
        else:
            sentence = (
                f"{len(tied)} parties are each a single point of failure for the same {at_stake}: "
                f"{_named_list(report, [c.id for c in tied], escape=escape)}."
            )
        ranked.append((top.impact_weight, 0, sentence))
        i += len(tied)
        tiers += 1
    if report.illusory_redundancy:

        def stake(r: IllusoryRedundancy) -> float:
            return max((weight_of.get(x, 0.0) for x in r.shared_suppliers), default=0.0)

        worst = min(report.illusory_redundancy, key=lambda r: (-stake(r), r.party))
        n = len(worst.alternatives)
        count = _NUMBERS.get(n, str(n))
        shared = _named_list(report, list(worst.shared_suppliers), escape=escape)
        alternatives = ", ".join(escape(report.names.get(a, a)) for a in worst.alternatives)
        sentence = (
            f"{in_words(report, worst.party, escape)} relies on any one of {count} alternatives "
            f"({alternatives}), but all of them need {shared}: one failure stops all of them."
        )
        others = len(report.illusory_redundancy) - 1
        if others:
            sentence += f" ({plural(others, 'more group')} of alternatives like it.)"
        ranked.append((stake(worst), 1, sentence))
    if report.failover:
        f = report.failover[0]
        verb = "cannot carry" if f.utilization_after > 1.0 else "is close to its limit with"
        sentence = (
            f"{in_words(report, f.id, escape)} {verb} the load "
            f"if {in_words(report, f.failing, escape)} fails: "
            f"it would run at {fmt_percent(f.utilization_after)} of capacity "
            f"(normally {fmt_percent(f.load / f.capacity)})."
        )
        ranked.append((0.0, 2, sentence))
    busiest = _busiest(report.bottlenecks)
    if busiest is not None and busiest.overloaded:
        over = sum(1 for b in report.bottlenecks if b.overloaded)
        sentence = (
            f"{in_words(report, busiest.id, escape)} runs at {fmt_percent(busiest.utilization)} of "
            "capacity" + (f" ({over} units are over capacity)." if over > 1 else ".")
        )
        ranked.append((0.0, 3, sentence))
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return [f"{n}. {sentence}" for n, (_, _, sentence) in enumerate(ranked[:MAX_FINDINGS], 1)]


def limited(rows: Sequence[Any], top: int) -> tuple[Sequence[Any], int]:
    """The first ``top`` rows (all when ``top`` is 0) and how many are left out."""
    if top <= 0 or len(rows) <= top:
        return rows, 0
    return rows[:top], len(rows) - top


def ids_in_words(ids: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return _and([clean(x) for x in ids])

"""The report as GitHub-flavoured markdown: for a pull request, a wiki page, an issue.

The same sections as the text report, as tables. Every id, name and message is escaped, so a
``|`` cannot split a table cell and ``*``, ``_``, ``[``, ``<`` or ``$`` cannot turn into
emphasis, links, HTML or math.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from orggraph.analysis.report import Report
from orggraph.model.durations import format_hours
from orggraph.render import _levels as lv
from orggraph.render import _words as w

__all__ = ["md_escape", "render_markdown"]

# The ASCII punctuation that can start markdown syntax inside a line: emphasis, code, links,
# HTML, entities, table cells, strikethrough, math, and GitHub's #123 and @user references.
# (CommonMark lets any ASCII punctuation be backslash-escaped; the rest is left alone so ids and
# sentences stay readable in the source.)
_ACTIVE = re.compile(r"([\\`*_\[\]<>#|~&$@])")


# GitHub also makes links of bare addresses: "https://…" (a ':' before '//'), "www.…" and
# "user@host.tld". A backslash before the ':' and the '.' stops the first two; an address is found
# in the text after escapes are undone, so '@' is followed by a word joiner (U+2060, invisible).
_URL_MARK = re.compile(r"(?<=[wW]{3})\.|:(?=/)")
_WORD_JOINER = "\u2060"


def md_escape(text: object) -> str:
    """``text`` as literal markdown on one line: no emphasis, link, autolink, HTML, table cell or
    mention, and bidirectional controls shown as escapes (see :func:`_words.clean`).

    >>> print(md_escape("a|b *c* <img> [x](y) desk-eu"))
    a\\|b \\*c\\* \\<img\\> \\[x\\](y) desk-eu
    >>> print(md_escape("see https://x.org or www.x.org"))
    see https\\://x.org or www\\.x.org
    >>> md_escape("ops@example.com")
    'ops\\\\@\\u2060example.com'
    """
    escaped = _ACTIVE.sub(r"\\\1", w.clean(text))
    if "/" in escaped or "." in escaped:
        escaped = _URL_MARK.sub(r"\\\g<0>", escaped)
    return escaped.replace("@", "@" + _WORD_JOINER) if "@" in escaped else escaped


def _table(header: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]]) -> list[str]:
    """A pipe table; each header entry is (title, "left" or "right"). Cells are already escaped."""
    out = ["| " + " | ".join(title for title, _ in header) + " |"]
    out.append("|" + "|".join("---:" if side == "right" else ":---" for _, side in header) + "|")
    out.extend("| " + " | ".join(row) + " |" for row in rows)
    return out


def _limit(count: int, top: int) -> int:
    return count if top <= 0 else min(count, top)


def render_markdown(report: Report, top: int = 10) -> str:
    """The report as markdown: a title, the one-line reading, then one table per finding.

    ``top`` limits the rows of critical suppliers, critical groups and bottlenecks (0: all of
    them); only groups whose failure reaches a customer are shown.
    """
    out = [f"# {md_escape(w.title(report))}", "", md_escape(w.header_counts(report)), ""]
    found = w.findings(report, md_escape)
    if found:  # the same findings as the text report, as a numbered list
        out += ["## What matters most", "", *found, ""]
    else:
        out += [f"**{md_escape(w.reading(report))}**", ""]

    out += ["## Critical suppliers (single points of failure)", ""]
    if report.critical_suppliers:
        shown = _limit(len(report.critical_suppliers), top)
        rows = [
            [
                str(rank),
                w.named(c.id, report.names.get(c.id), md_escape),
                md_escape(c.party),
                _weight_share(c.impact_weight, report.customer_weight),
                ", ".join(md_escape(x) for x in c.impacted_customers[:5])
                + (
                    f" +{c.impacted_customer_count - 5} more"
                    if c.impacted_customer_count > 5
                    else ""
                ),
                str(c.impacted_units),
                w.fmt_betweenness(c.betweenness),
            ]
            for rank, c in enumerate(report.critical_suppliers[:shown], 1)
        ]
        out += _table(
            [
                ("#", "right"),
                ("Supplier", "left"),
                ("Party", "left"),
                ("Impact weight", "right"),
                ("Impacted customers", "left"),
                ("Impacted units", "right"),
                ("Chains through", "right"),
            ],
            rows,
        )
        tied = sum(
            1
            for c in report.critical_suppliers
            if c.impact_weight == report.critical_suppliers[0].impact_weight
            and c.impacted_customers == report.critical_suppliers[0].impacted_customers
        )
        if tied > 1:
            out += [
                "",
                f"{tied} suppliers share the top impact weight, each stopping the same "
                "customers; they are listed by id.",
            ]
        hidden = len(report.critical_suppliers) - shown
        if hidden:
            out += [
                "",
                w.more(hidden, " critical suppliers" if hidden != 1 else " critical supplier"),
            ]
        out += ["", f"_{w.legend('impact')}_", "", f"_{w.legend('betweenness')}_"]
    else:
        out.append(w.empty_critical(report))
    out.append("")

    if report.groups:  # only organizations with groups have the section
        out += ["## Critical groups (a unit failing with all its members)", ""]
        critical_groups = [g for g in report.groups if g.impact_weight > 0]
        if critical_groups:
            shown = _limit(len(critical_groups), top)
            rows = [
                [
                    str(rank),
                    w.named(g.id, g.name, md_escape),
                    str(g.members),
                    w.fmt_number(g.impact_weight),
                    ", ".join(md_escape(x) for x in g.impacted_customers[:5])
                    + (
                        f" +{g.impacted_customer_count - 5} more"
                        if g.impacted_customer_count > 5
                        else ""
                    ),
                    str(g.impacted_units),
                    str(g.critical_members),
                ]
                for rank, g in enumerate(critical_groups[:shown], 1)
            ]
            out += _table(
                [
                    ("#", "right"),
                    ("Group", "left"),
                    ("Members", "right"),
                    ("Impact weight", "right"),
                    ("Impacted customers", "left"),
                    ("Impacted units", "right"),
                    ("Critical members", "right"),
                ],
                rows,
            )
            hidden = len(critical_groups) - shown
            if hidden:
                out += [
                    "",
                    w.more(hidden, " critical groups" if hidden != 1 else " critical group"),
                ]
        else:
            out.append(w.empty_groups(report))
        out.append("")

    if report.scenarios:  # only organizations with scenarios have the section
        out += ["## Scenarios (severe but plausible disruptions)", ""]
        for x in report.scenarios:
            title = w.named(x.id, x.name, md_escape) if x.name != x.id else md_escape(x.id)
            out += [f"### {title}", ""]
            out += [f"- {sentence}" for sentence in w.scenario_lines(x, escape=md_escape)]
            out.append("")

    out += [
        f"## Bottlenecks (utilization at or above {w.fmt_percent(report.threshold)}, "
        "or many chains pass through)",
        "",
    ]
    if report.bottlenecks:
        shown = _limit(len(report.bottlenecks), top)
        rows = [
            [
                w.named(b.id, report.names.get(b.id), md_escape),
                w.fmt_number(b.load),
                w.fmt_number(b.capacity),
                w.fmt_percent(b.utilization),
                str(b.fan_in),
                w.fmt_betweenness(b.betweenness),
                "; ".join(md_escape(r) for r in b.reasons),
            ]
            for b in report.bottlenecks[:shown]
        ]
        out += _table(
            [
                ("Unit", "left"),
                ("Load", "right"),
                ("Capacity", "right"),
                ("Utilization", "right"),
                ("Fan-in", "right"),
                ("Chains through", "right"),
                ("Reasons", "left"),
            ],
            rows,
        )
        hidden = len(report.bottlenecks) - shown
        if hidden:
            out += ["", w.more(hidden, " bottlenecks" if hidden != 1 else " bottleneck")]
        out += [
            "",
            "_Fan-in: the number of distinct direct consumers._",
            "",
            f"_{w.legend('betweenness')}_",
        ]
    else:
        out.append(w.empty_bottlenecks(report))
    out.append("")
    out += _redundancy_sections(report, top)

    out += ["## Service chains", ""]
    if report.service_chains:
        rows = [
            [
                md_escape(s.customer),
                format_hours(s.lead_time_hours),
                w.chain(s.critical_chain, md_escape),
                str(s.depth),
                str(s.upstream_units),
                str(s.upstream_vendors),
                "—" if s.weakest_link is None else f"{s.quality:.2f}",
                "—" if s.weakest_link is None else md_escape(s.weakest_link),
            ]
            for s in report.service_chains
        ]
        out += _table(
            [
                ("Customer", "left"),
                ("Lead time", "right"),
                ("Critical chain", "left"),
                ("Depth", "right"),
                ("Upstream units", "right"),
                ("Upstream vendors", "right"),
                ("Quality", "right"),
                ("Weakest link", "left"),
            ],
            rows,
        )
    else:
        out.append(w.empty_chains(report))
    out.append("")
    out += _levels_sections(report)

    out += ["## Disconnected units (no line of sight to a customer)", ""]
    if report.disconnected_units:
        ids = report.disconnected_units
        listing = ", ".join(md_escape(x) for x in ids[: w.MAX_DISCONNECTED])
        if len(ids) > w.MAX_DISCONNECTED:
            listing += " " + w.more(len(ids) - w.MAX_DISCONNECTED)
        out.append(listing)
    else:
        out.append(w.EMPTY_DISCONNECTED)
    out.append("")

    out += ["## Dependency cycles", ""]
    if report.cycles:
        out.extend(f"- {w.cycle(c, md_escape)}" for c in report.cycles[: w.MAX_CYCLES])
        if len(report.cycles) > w.MAX_CYCLES:
            hidden = len(report.cycles) - w.MAX_CYCLES
            out.append(f"- {w.more(hidden, ' cycles' if hidden != 1 else ' cycle')}")
    else:
        out.append(w.EMPTY_CYCLES)
    out.append("")

    out += ["## Warnings", ""]
    if report.warnings:
        out.extend(f"- {md_escape(warning)}" for warning in report.warnings)
    else:
        out.append(w.EMPTY_WARNINGS)
    out += ["", f"_{md_escape(w.footer(report.betweenness_info))}_"]
    return "\n".join(out) + "\n"


def _weight_share(weight: float, total: float) -> str:
    """``12 (62%)``: an impact weight and its share of all customers' weight."""
    share = w.fmt_share(weight, total)
    return f"{w.fmt_number(weight)} ({share})" if share else w.fmt_number(weight)


def _redundancy_sections(report: Report, top: int) -> list[str]:
    """SPEC §9: illusory redundancy and failover, as in the text report."""
    out = ["## Illusory redundancy (alternatives that share a single point of failure)", ""]
    if report.illusory_redundancy:
        shown = _limit(len(report.illusory_redundancy), top)
        for r in report.illusory_redundancy[:shown]:
            alternatives = ", ".join(w.in_words(report, a, md_escape) for a in r.alternatives)
            shared = [w.in_words(report, x, md_escape) for x in r.shared_suppliers]
            needs = shared[0] if len(shared) == 1 else ", ".join(shared[:-1]) + " and " + shared[-1]
            out.append(
                f"- {w.in_words(report, r.party, md_escape)}: the {len(r.alternatives)} "
                f"alternatives ({alternatives}) all need {needs}: one failure stops all of them."
            )
        hidden = len(report.illusory_redundancy) - shown
        if hidden:
            out += ["", w.more(hidden, " groups" if hidden != 1 else " group")]
    else:
        out.append("No illusory redundancy: no single failure stops every alternative of a group.")
    out.append("")
    out += ["## Failover (backups that one failure elsewhere would load to the threshold)", ""]
    if report.failover:
        shown = _limit(len(report.failover), top)
        rows = [
            [
                w.named(f.id, report.names.get(f.id), md_escape),
                f"{w.fmt_number(f.load)} / {w.fmt_number(f.capacity)}",
                w.fmt_number(f.worst_failover_load),
                w.fmt_percent(f.utilization_after),
                w.named(f.failing, report.names.get(f.failing), md_escape),
            ]
            for f in report.failover[:shown]
        ]
        out += _table(
            [
                ("Unit", "left"),
                ("Load / capacity", "right"),
                ("Load after failover", "right"),
                ("Utilization after", "right"),
                ("When this fails", "left"),
            ],
            rows,
        )
        hidden = len(report.failover) - shown
        if hidden:
            out += ["", w.more(hidden, " units" if hidden != 1 else " unit")]
        out += [
            "",
            "_Load after failover: its normal load plus the volume moved onto it when the party "
            "in the last column fails and its consumers turn to their other alternatives._",
        ]
    else:
        out.append(
            "No failover overload: no single failure moves enough volume onto a unit to take it "
            f"to {w.fmt_percent(report.threshold)} of capacity."
        )
    out.append("")
    return out


def _levels_sections(report: Report) -> list[str]:
    """The service-level sections of SPEC §8: promises, unmet expectations, perceived quality."""
    out: list[str] = []
    note = lv.survey_note(report, md_escape)
    if note is not None:
        out += [f"_{note}_", ""]
    if report.promises:
        out += [f"## {lv.PROMISES}", ""]
        out += [f"- {text}" for text in lv.promise_lines(report, md_escape)]
        out.append("")
    if report.expectations:
        out += [f"## {lv.EXPECTATIONS}", ""]
        for supplier, texts in lv.expectation_lines(report, md_escape):
            out.append(f"- {supplier}")
            out += [f"  - {text}" for text in texts]
        out.append("")
    if report.survey is not None:
        out += [f"## {lv.PERCEIVED}", ""]
        lines = lv.perceived_lines(report, md_escape) or ["No response in the survey counts."]
        out += [f"- {text}" for text in lines]
        out.append("")
    return out

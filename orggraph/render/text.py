"""The readable report of ``orggraph analyze`` (default format); the what-if answers of
``orggraph impact`` are in :mod:`orggraph.render.whatif`.

Drawn with rich into a string, never to the terminal: the console gets every setting it would
otherwise guess from the environment (width, colour, terminal), so the same report gives the
same text on every machine. Colour codes appear only when ``color=True``.

The text report names at most 100 disconnected units and 20 cycles; the JSON report has them
all.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from orggraph.analysis.report import Report
from orggraph.model.durations import format_hours
from orggraph.render import _levels as lv
from orggraph.render import _words as w

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

__all__ = ["render_text"]

_HEADING = "bold"
_DIM = "dim"


def _console(width: int, color: bool) -> Console:
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        width=width,
        height=25,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        color_system="standard" if color else None,
        no_color=not color,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        tab_size=8,
    )


_GAP = 2  # the divider and one space of padding between two columns
_MIN_WRAP = 24  # the long-text column is never narrower than this
_MIN_CHAIN = 30  # below this, chains go on their own lines under each customer


def _natural_widths(
    columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[str | Text]]
) -> list[int]:
    """The width each column needs to show its header and every cell on one line."""
    from rich.cells import cell_len
    from rich.text import Text

    def width(cell: str | Text) -> int:
        text = cell.plain if isinstance(cell, Text) else cell
        return max(cell_len(line) for line in text.split("\n"))

    return [
        max([width(header), *(width(row[i]) for row in rows)])
        for i, (header, _) in enumerate(columns)
    ]


def _longest_word(cells: Sequence[str | Text]) -> int:
    """The widest word in a column: below it, a name or an id would break mid-word."""
    from rich.cells import cell_len
    from rich.text import Text

    words = [
        word for cell in cells for word in (cell.plain if isinstance(cell, Text) else cell).split()
    ]
    return max((cell_len(word) for word in words), default=1)


def _table(
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[str | Text]],
    *,
    wrap: str,
    width: int,
    drop: Sequence[str] = (),
) -> RenderableType:
    """A table with a ruled header; each column is (header, justify).

    The column headed ``wrap`` holds the long text (a chain, a list): it gets all the room the
    other columns leave, and at least :data:`_MIN_WRAP` characters, so it never shrinks to a
    sliver; when the width is short the other text columns wrap instead, between words only, so
    an id or a name never breaks mid-word. Numbers never wrap. When even that does not fit, the
    columns in ``drop`` are left out, first one first, and a line under the table says which.
    """
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    headers = [header for header, _ in columns]
    natural = _natural_widths(columns, rows)
    least = [
        natural[i]
        if justify == "right"
        else min(natural[i], _MIN_WRAP)
        if header == wrap
        else max(_longest_word([header]), _longest_word([row[i] for row in rows]))
        for i, (header, justify) in enumerate(columns)
    ]
    shown = list(range(len(columns)))
    dropped: list[str] = []
    for header in drop:
        if sum(least[i] for i in shown) + _GAP * (len(shown) - 1) <= width:
            break
        shown.remove(headers.index(header))
        dropped.append("rank" if header == "#" else header.replace("\n", " "))
    wrap_at = headers.index(wrap)
    others = sum(natural[i] for i in shown if i != wrap_at) + _GAP * (len(shown) - 1)
    wrap_width = min(natural[wrap_at], max(least[wrap_at], width - others))
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style=_HEADING,
    )
    for i in shown:
        header, justify = columns[i]
        table.add_column(
            header,
            justify="right" if justify == "right" else "left",
            overflow="fold",
            no_wrap=justify == "right",
            width=wrap_width if i == wrap_at else None,
            min_width=least[i],
        )
    for row in rows:
        table.add_row(*(row[i] for i in shown))
    if not dropped:
        return table
    note = f"Not shown at this width ({width} columns): {', '.join(dropped)}."
    return Group(table, Text(note, style=_DIM))


def _finish(console: Console) -> str:
    file = console.file
    assert isinstance(file, io.StringIO)
    lines = [line.rstrip() for line in file.getvalue().splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def render_text(report: Report, *, top: int = 10, width: int = 100, color: bool = False) -> str:
    """The report as readable text: a header, the one-line reading, then one table per finding.

    ``top`` limits the rows of critical suppliers, critical groups and bottlenecks (0: all of
    them); only groups whose failure reaches a customer are shown; ``width`` is
    the line width tables are fitted to; ``color`` adds ANSI colour and bold.
    """
    from rich.padding import Padding
    from rich.text import Text

    console = _console(width, color)

    def heading(text: str) -> None:
        console.print()
        console.print(Text(text, style=_HEADING))

    def line(text: str, style: str = "") -> None:
        console.print(Text(text, style=style))

    line(w.title(report), _HEADING)
    line(w.header_counts(report), _DIM)
    console.print()
    found = w.findings(report)
    if found:
        line("What matters most", _HEADING)
        from rich.table import Table

        # a hanging indent: a finding's wrapped lines start under its text, not its number
        grid = Table.grid(padding=(0, 1))
        grid.add_column(justify="right", no_wrap=True)
        grid.add_column(overflow="fold")
        for finding in found:
            number, _, sentence = finding.partition(" ")
            grid.add_row(number, Text(sentence))
        console.print(grid)
    else:
        line(w.reading(report), _HEADING)

    heading("Critical suppliers (single points of failure)")
    if report.critical_suppliers:
        shown, hidden = w.limited(report.critical_suppliers, top)
        rows: list[list[str | Text]] = [
            [
                str(rank),
                Text(w.named(c.id, report.names.get(c.id)), style="bold red" if rank == 1 else ""),
                w.clean(c.party),
                _weight_share(c.impact_weight, report.customer_weight),
                w.few(c.impacted_customers, total=c.impacted_customer_count),
                str(c.impacted_units),
                w.fmt_betweenness(c.betweenness),
            ]
            for rank, c in enumerate(shown, 1)
        ]
        columns = [
            ("#", "right"),
            ("Supplier", "left"),
            ("Party", "left"),
            ("Impact\nweight", "right"),
            ("Impacted customers", "left"),
            ("Impacted\nunits", "right"),
            ("Chains\nthrough", "right"),
        ]
        tied = _tied_at_top(report)
        if tied > 1:
            line(
                f"{tied} suppliers share the top impact weight, each stopping the same "
                "customers; they are listed by id.",
                _DIM,
            )
        console.print(
            _table(
                columns,
                rows,
                wrap="Impacted customers",
                width=width,
                drop=("Chains\nthrough", "Impacted\nunits", "Party", "#", "Impact\nweight"),
            )
        )
        if hidden:
            line(w.more(hidden, " critical suppliers" if hidden != 1 else " critical supplier"))
        line(w.legend("impact"), _DIM)
        line(w.legend("betweenness"), _DIM)
    else:
        line(w.empty_critical(report))

    if report.groups:  # only organizations with groups have the section
        heading("Critical groups (a unit failing with all its members)")
        critical_groups = [g for g in report.groups if g.impact_weight > 0]
        if critical_groups:
            shown, hidden = w.limited(critical_groups, top)
            rows = [
                [
                    str(rank),
                    w.named(g.id, g.name),
                    str(g.members),
                    w.fmt_number(g.impact_weight),
                    w.few(g.impacted_customers, total=g.impacted_customer_count),
                    str(g.impacted_units),
                    str(g.critical_members),
                ]
                for rank, g in enumerate(shown, 1)
            ]
            columns = [
                ("#", "right"),
                ("Group", "left"),
                ("Members", "right"),
                ("Impact\nweight", "right"),
                ("Impacted customers", "left"),
                ("Impacted\nunits", "right"),
                ("Critical\nmembers", "right"),
            ]
            console.print(
                _table(
                    columns,
                    rows,
                    wrap="Impacted customers",
                    width=width,
                    drop=("Critical\nmembers", "Impacted\nunits", "Members", "#", "Impact\nweight"),
                )
            )
            if hidden:
                line(w.more(hidden, " critical groups" if hidden != 1 else " critical group"))
        else:
            line(w.empty_groups(report))

    if report.scenarios:  # only organizations with scenarios have the section
        heading("Scenarios (severe but plausible disruptions)")
        for k, x in enumerate(report.scenarios):
            if k:
                console.print()
            line(w.named(x.id, x.name) if x.name != x.id else w.clean(x.id), "bold")
            for sentence in w.scenario_lines(x):
                console.print(Padding(Text(sentence), (0, 0, 0, 2)))

    heading(
        f"Bottlenecks (utilization at or above {w.fmt_percent(report.threshold)}, "
        "or many chains pass through)"
    )
    if report.bottlenecks:
        shown, hidden = w.limited(report.bottlenecks, top)
        rows = []
        for b in shown:
            loaded = (
                "—"
                if b.load is None and b.capacity is None
                else f"{w.fmt_number(b.load)} / {w.fmt_number(b.capacity)}"
            )
            alarm = "bold red" if b.overloaded else "yellow" if b.utilization is not None else ""
            rows.append(
                [
                    w.named(b.id, report.names.get(b.id)),
                    loaded,
                    Text(w.fmt_percent(b.utilization), style=alarm),
                    str(b.fan_in),
                    w.fmt_betweenness(b.betweenness),
                    "; ".join(w.clean(r) for r in b.reasons),
                ]
            )
        columns = [
            ("Unit", "left"),
            ("Load /\ncapacity", "right"),
            ("Utilization", "right"),
            ("Fan-in", "right"),
            ("Chains\nthrough", "right"),
            ("Reasons", "left"),
        ]
        console.print(
            _table(
                columns,
                rows,
                wrap="Reasons",
                width=width,
                drop=("Chains\nthrough", "Fan-in", "Load /\ncapacity"),
            )
        )
        if hidden:
            line(w.more(hidden, " bottlenecks" if hidden != 1 else " bottleneck"))
        line("Fan-in: the number of distinct direct consumers.", _DIM)
        line(w.legend("betweenness"), _DIM)
    else:
        line(w.empty_bottlenecks(report))

    heading("Illusory redundancy (alternatives that share a single point of failure)")
    if report.illusory_redundancy:
        shown, hidden = w.limited(report.illusory_redundancy, top)
        for r in shown:
            n = len(r.alternatives)
            alternatives = ", ".join(w.in_words(report, a) for a in r.alternatives)
            shared = w.ids_in_words([w.in_words(report, x) for x in r.shared_suppliers])
            line(
                f"- {w.in_words(report, r.party)}: the {n} alternatives ({alternatives}) all "
                f"need {shared}: one failure stops all of them."
            )
        if hidden:
            line(w.more(hidden, " groups" if hidden != 1 else " group"))
    else:
        line("No illusory redundancy: no single failure stops every alternative of a group.")

    heading("Failover (backups that one failure elsewhere would load to the threshold)")
    if report.failover:
        shown, hidden = w.limited(report.failover, top)
        rows = [
            [
                w.named(f.id, report.names.get(f.id)),
                f"{w.fmt_number(f.load)} / {w.fmt_number(f.capacity)}",
                f"{w.fmt_number(f.worst_failover_load)}",
                Text(
                    w.fmt_percent(f.utilization_after),
                    style="bold red" if f.utilization_after > 1 else "yellow",
                ),
                w.named(f.failing, report.names.get(f.failing)),
            ]
            for f in shown
        ]
        columns = [
            ("Unit", "left"),
            ("Load /\ncapacity", "right"),
            ("Load after\nfailover", "right"),
            ("Utilization\nafter", "right"),
            ("When this fails", "left"),
        ]
        console.print(
            _table(
                columns,
                rows,
                wrap="When this fails",
                width=width,
                drop=("Load /\ncapacity", "Load after\nfailover"),
            )
        )
        if hidden:
            line(w.more(hidden, " units" if hidden != 1 else " unit"))
    else:
        line(
            f"No failover overload: no single failure moves enough volume onto a unit to take it "
            f"to {w.fmt_percent(report.threshold)} of capacity."
        )

    heading("Service chains")
    if report.service_chains:
        rows = [
            [
                w.clean(s.customer),
                format_hours(s.lead_time_hours),
                str(s.depth),
                f"{w.plural(s.upstream_units, 'unit')}, {w.plural(s.upstream_vendors, 'vendor')}",
                w.quality(s.quality, s.weakest_link),
                w.chain(s.critical_chain),
            ]
            for s in report.service_chains
        ]
        columns = [
            ("Customer", "left"),
            ("Lead\ntime", "right"),
            ("Depth", "right"),
            ("Upstream", "left"),
            ("Quality\n(weakest link)", "left"),
            ("Critical chain", "left"),
        ]
        natural = _natural_widths(columns, rows)
        if width - sum(natural[:-1]) - _GAP * (len(columns) - 1) >= _MIN_CHAIN:
            console.print(
                _table(
                    columns,
                    rows,
                    wrap="Critical chain",
                    width=width,
                    drop=("Depth", "Upstream", "Quality\n(weakest link)"),
                )
            )
        else:
            # too narrow for the chain beside the figures: each chain under its customer
            for chain in report.service_chains:
                weakest = (
                    f"quality {chain.quality:.2f}, weakest link {w.clean(chain.weakest_link)}"
                    if chain.weakest_link is not None
                    else "no quality scores"
                )
                facts = (
                    f"lead time {format_hours(chain.lead_time_hours)} · depth {chain.depth} · "
                    f"upstream {w.plural(chain.upstream_units, 'unit')}, "
                    f"{w.plural(chain.upstream_vendors, 'vendor')} · {weakest}"
                )
                console.print(Text(w.clean(chain.customer), style=_HEADING))
                console.print(Padding(Text(facts), (0, 0, 0, 2)))
                console.print(Padding(Text(w.chain(chain.critical_chain)), (0, 0, 0, 2)))
    else:
        line(w.empty_chains(report))
    # -- SPEC §8: service levels -----------------------------------------------------------
    note = lv.survey_note(report)
    if note is not None:
        line(note, _DIM)
    if report.promises:
        heading(lv.PROMISES)
        for text in lv.promise_lines(report):
            line(text)
    if report.expectations:
        heading(lv.EXPECTATIONS)
        for supplier, texts in lv.expectation_lines(report):
            line(supplier)
            for text in texts:
                console.print(Padding(Text(text), (0, 0, 0, 2)))
    if report.survey is not None:
        heading(lv.PERCEIVED)
        for text in lv.perceived_lines(report) or ["No response in the survey counts."]:
            line(text)

    heading("Disconnected units (no line of sight: no chain of edges to any customer)")
    if report.disconnected_units:
        shown, hidden = w.limited(report.disconnected_units, w.MAX_DISCONNECTED)
        line(", ".join(w.clean(x) for x in shown) + (f" {w.more(hidden)}" if hidden else ""))
    else:
        line(w.EMPTY_DISCONNECTED)

    heading("Dependency cycles")
    if report.cycles:
        shown, hidden = w.limited(report.cycles, w.MAX_CYCLES)
        for members in shown:
            line(w.cycle(members))
        if hidden:
            line(w.more(hidden, " cycles" if hidden != 1 else " cycle"))
    else:
        line(w.EMPTY_CYCLES)

    heading("Warnings")
    if report.warnings:
        for warning in report.warnings:
            line(f"- {w.clean(warning)}", "yellow")
    else:
        line(w.EMPTY_WARNINGS)

    console.print()
    line(w.footer(report.betweenness_info), _DIM)
    return _finish(console)


def _weight_share(weight: float, total: float) -> str:
    """``12 (62%)``: an impact weight and its share of all customers' weight."""
    share = w.fmt_share(weight, total)
    return f"{w.fmt_number(weight)} ({share})" if share else w.fmt_number(weight)


def _tied_at_top(report: Report) -> int:
    """How many critical suppliers stop exactly the customers the first one stops."""
    suppliers = report.critical_suppliers
    if not suppliers:
        return 0
    top = suppliers[0]
    return sum(
        1
        for c in suppliers
        if c.impact_weight == top.impact_weight and c.impacted_customers == top.impacted_customers
    )

"""Orggraph in Python and notebooks: HTML tables for the results, a page that shows itself inline,
a figure, an export.

The ``*_html`` functions build what the ``_repr_html_`` hooks of the model and the results
return: small HTML tables in which every value taken from an org file is escaped, so an id or a
name shows as text and never runs. ``view``, ``figure`` and ``export`` are the conveniences
``orggraph.view``, ``orggraph.figure`` and ``orggraph.export``: each runs the analysis when no
report is given and returns an object, writing nothing unless asked.
"""

from __future__ import annotations

import html
import importlib
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import networkx as nx

from orggraph.analysis import analyze
from orggraph.analysis.report import (
    Bottleneck,
    CriticalSupplier,
    Impact,
    Report,
    ScenarioResult,
    ServiceChain,
)
from orggraph.errors import UsageError, did_you_mean
from orggraph.io import write_atomic
from orggraph.render._views import fmt_number
from orggraph.render.html import html_iframe, render_html

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from pandas import DataFrame

    from orggraph.model.schema import Org

__all__ = [
    "ROW_LIMIT",
    "View",
    "bottlenecks_html",
    "chains_html",
    "critical_suppliers_html",
    "export",
    "figure",
    "impact_html",
    "org_html",
    "report_html",
    "to_pandas",
    "view",
]

ROW_LIMIT = 50
"""Rows shown per table in a notebook; the rest are counted under it."""


def _cell(value: Any) -> str:
    """One value as an escaped table cell: numbers as people write them (``60,000``, ``0.842``,
    never ``6e+04``) and right-aligned so their digits line up, text left-aligned, lists joined,
    None as an em dash."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td style="{_NUMBER}">{fmt_number(value)}</td>'
    if value is None:
        shown = "—"
    elif isinstance(value, list | tuple):
        shown = html.escape(", ".join(str(v) for v in value))
    else:
        shown = html.escape(str(value))
    return f'<td style="{_TEXT}">{shown}</td>'


# Jupyter's own style right-aligns every cell; a table reads better with text on the left
_TEXT = "text-align:left"
_NUMBER = "text-align:right;font-variant-numeric:tabular-nums"


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, caption: str | None = None
) -> str:
    out = ['<table class="orggraph">']
    if caption:
        out.append(f'<caption style="{_TEXT}">{html.escape(caption)}</caption>')
    out.append(
        "<thead><tr>"
        + "".join(f'<th style="{_TEXT}">{html.escape(h)}</th>' for h in headers)
        + "</tr>"
    )
    out.append("</thead><tbody>")
    hidden = 0
    for i, row in enumerate(rows):
        if i >= ROW_LIMIT:
            hidden += 1
            continue
        out.append("<tr>" + "".join(_cell(v) for v in row) + "</tr>")
    out.append("</tbody></table>")
    if hidden:
        out.append(f"<p>… and {hidden} more</p>")
    return "".join(out)


def _section(title: str, body: str) -> str:
    return f"<h4>{html.escape(title)}</h4>{body}"


def critical_suppliers_html(suppliers: Iterable[CriticalSupplier]) -> str:
    """Critical suppliers as a table, highest impact first (as given).

    >>> s = CriticalSupplier("desk", "unit", 2.0, ("<b>",), 1, 0.5)
    >>> "&lt;b&gt;" in critical_suppliers_html([s]) and "<b>" not in critical_suppliers_html([s])
    True
    """
    headers = ("supplier", "party", "impact weight", "impacted customers", "units", "betweenness")
    rows = [
        (
            c.id,
            c.party,
            c.impact_weight,
            f"{c.impacted_customer_count}: "
            + ", ".join(c.impacted_customers[:5])
            + (" …" if c.impacted_customer_count > 5 else ""),
            c.impacted_units,
            c.betweenness,
        )
        for c in suppliers
    ]
    return _table(headers, rows)


def bottlenecks_html(found: Iterable[Bottleneck]) -> str:
    """Bottlenecks as a table, with the reasons each is listed."""
    headers = ("unit", "load", "capacity", "utilization", "fan-in", "betweenness", "reasons")
    rows = [
        (b.id, b.load, b.capacity, b.utilization, b.fan_in, b.betweenness, b.reasons) for b in found
    ]
    return _table(headers, rows)


def chains_html(chains: Iterable[ServiceChain]) -> str:
    """Service chains as a table: one row per customer."""
    headers = ("customer", "lead time (h)", "critical chain", "depth", "quality", "weakest link")
    rows = [
        (
            c.customer,
            c.lead_time_hours,
            " → ".join(c.critical_chain),
            c.depth,
            c.quality,
            c.weakest_link,
        )
        for c in chains
    ]
    return _table(headers, rows)


def impact_html(impact: Impact) -> str:
    """What fails with ``impact.failed``, as a two-column table."""
    rows = [
        ("failed", impact.failed),
        (f"impacted customers ({len(impact.impacted_customers)})", impact.impacted_customers),
        (f"impacted units ({len(impact.impacted_units)})", impact.impacted_units),
        ("impact weight", impact.impact_weight),
    ]
    return _table(("", ""), rows, caption="What fails")


def report_html(report: Report) -> str:
    """The whole report: a summary line, then critical suppliers, bottlenecks, service chains,
    disconnected units, cycles and warnings."""
    name = report.organization.get("name") or "Organization"
    s = report.summary
    parts = [
        f"<h3>{html.escape(name)}</h3>",
        f"<p>{s.units} units · {s.customers} customers · {s.vendors} vendors · "
        f"{s.dependencies} dependencies; betweenness "
        f"{html.escape(report.betweenness_info.method)}</p>",
        _section("Critical suppliers", critical_suppliers_html(report.critical_suppliers)),
        _section("Bottlenecks", bottlenecks_html(report.bottlenecks)),
        _section("Service chains", chains_html(report.service_chains)),
    ]
    if report.disconnected_units:
        shown = html.escape(", ".join(report.disconnected_units))
        parts.append(_section("Disconnected units", f"<p>{shown}</p>"))
    if report.cycles:
        rows = [(" → ".join((*c, c[0])),) for c in report.cycles]
        parts.append(_section("Dependency cycles", _table(("cycle",), rows)))
    if report.warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in report.warnings)
        parts.append(_section("Warnings", f"<ul>{items}</ul>"))
    return "".join(parts)


def org_html(org: Org) -> str:
    """A one-paragraph summary of a loaded organization: its name, period and counts."""
    name = html.escape(org.organization.name or "Organization")
    period = f" — per {html.escape(org.organization.period)}" if org.organization.period else ""
    entries = sum(len(u.depends_on) for u in org.units) + sum(
        len(c.depends_on) for c in org.customers
    )
    return (
        f"<p><b>{name}</b>{period}<br>{len(org.units)} units · {len(org.customers)} "
        f"customers · {len(org.vendors)} vendors · {entries} depends_on entries</p>"
    )


@dataclass(frozen=True)
class View:
    """An interactive page. In Jupyter, VS Code or Colab it shows inline, in a sandboxed
    ``<iframe srcdoc=…>`` that needs no server and no network; ``html`` is the whole
    self-contained page and :meth:`save` writes it."""

    html: str
    height: int = 600

    def _repr_html_(self) -> str:
        return html_iframe(self.html, height=self.height)

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` atomically; returns the path."""
        target = Path(path)
        write_atomic(target, self.html)
        return target


def view(
    G: nx.DiGraph,
    report: Report | None = None,
    *,
    focus: str | None = None,
    depth: int = 1,
    chain: str | None = None,
    collapse: str | None = None,
    title: str | None = None,
    height: int = 600,
    scenario: str | ScenarioResult | None = None,
    colour: str = "impact",
    overview: bool | None = None,
) -> View:
    """The interactive view of ``G`` (what ``orggraph view`` writes), as a :class:`View`.

    ``scenario`` is an id of the file's scenarios or a result of ``evaluate_scenario``;
    ``colour="quality"`` fills parties by quality, and ``overview=True`` opens on the departments
    to drill down in place (the default for a large organization; see
    :func:`orggraph.render.html.render_html`). The frame shows the page ``orggraph view`` writes,
    with all its interactions.

    >>> from orggraph import load_dict, build_graph
    >>> G = build_graph(load_dict({"units": [{"id": "a"}],
    ...                            "customers": [{"id": "c", "depends_on": ["a"]}]}))
    >>> page = view(G)
    >>> page.html.startswith("<!DOCTYPE html>"), page._repr_html_().startswith("<iframe")
    (True, True)
    """
    page = render_html(
        G,
        report if report is not None else analyze(G),
        focus=focus,
        depth=depth,
        chain=chain,
        collapse=collapse,
        title=title,
        scenario=scenario,
        colour=colour,
        overview=overview,
    )
    return View(page, height)


def figure(
    G: nx.DiGraph,
    report: Report | None = None,
    *,
    kind: Literal["graph", "critical", "utilization"] = "graph",
    top: int | None = None,
    title: str | None = None,
) -> Figure:
    """A matplotlib Figure (what ``orggraph plot`` draws): the layered graph, or bar charts of the
    top critical suppliers or of utilization against the threshold. ``top`` is how many bars
    (default 10 critical suppliers, 30 units); ``title`` heads the graph drawing. Save it with
    ``fig.savefig(path)``; in a notebook it shows inline as an image. An unknown ``kind`` is a
    :class:`~orggraph.errors.UsageError`.

    >>> from orggraph import load_dict, build_graph
    >>> G = build_graph(load_dict({"units": [{"id": "a", "capacity": 4}],
    ...     "customers": [{"id": "c", "depends_on": [{"supplier": "a", "volume": 5}]}]}))
    >>> fig = figure(G, kind="utilization")
    >>> type(fig).__name__, len(fig.axes)
    ('Figure', 1)
    """
    from orggraph.render import plot

    _known(kind, plot.PLOT_KINDS, "figure kind")
    _show_figures_inline()
    found = report if report is not None else analyze(G)
    if kind == "critical":
        return plot.plot_critical(found, top=top or 10)
    if kind == "utilization":
        return plot.plot_utilization(found, top=top or 30)
    return plot.plot_graph(G, found, title=title)


def export(
    G: nx.DiGraph,
    fmt: Literal["graphml", "gexf", "json", "mermaid", "dot"],
    report: Report | None = None,
) -> str:
    """``G`` with its analysis figures as GraphML, GEXF, node-link JSON, Mermaid or DOT text
    (what ``orggraph export`` writes).

    >>> from orggraph import load_dict, build_graph
    >>> G = build_graph(load_dict({"units": [{"id": "a"}],
    ...                            "customers": [{"id": "c", "depends_on": ["a"]}]}))
    >>> print(export(G, "mermaid").splitlines()[0])
    flowchart LR
    """
    from orggraph.render.export import EXPORT_FORMATS, export_graph

    _known(fmt, EXPORT_FORMATS, "export format")
    return export_graph(G, report if report is not None else analyze(G), fmt)


class _Result(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


def to_pandas(results: Iterable[_Result]) -> DataFrame:
    """Results as a pandas DataFrame: one row per result, its ``to_dict()`` as the columns (lists
    such as ``critical_chain`` stay lists). Needs pandas, which orggraph does not depend on:
    ``pip install 'orggraph[pandas]'``.

    >>> frame = to_pandas(report.critical_suppliers)  # doctest: +SKIP
    >>> frame[["id", "impact_weight", "impacted_units"]].head()  # doctest: +SKIP
    """
    try:
        pandas = importlib.import_module("pandas")
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "to_pandas needs pandas, which is optional: pip install 'orggraph[pandas]'"
        ) from None
    frame: DataFrame = pandas.DataFrame.from_records([r.to_dict() for r in results])
    return frame


def _known(choice: str, choices: Sequence[str], what: str) -> None:
    """Refuse an unknown choice before any analysis is spent on it."""
    if choice not in choices:
        hint = did_you_mean(choice, choices) or f"choose one of {', '.join(choices)}"
        raise UsageError(f"unknown {what} {choice!r}; {hint}")


def _show_figures_inline() -> None:
    """Let a Figure show itself when it is the value of a notebook cell.

    The plots are built without pyplot (no global state), so nothing has told IPython how to
    display a Figure; ``%matplotlib inline`` would, as does importing pyplot in a kernel. Under
    IPython, and only when no figure format is registered yet, register PNG the way
    ``%matplotlib inline`` does. Outside IPython this does nothing (IPython is not a dependency).
    """
    if "IPython" not in sys.modules:
        return
    shell = sys.modules["IPython"].get_ipython()
    formatters = getattr(getattr(shell, "display_formatter", None), "formatters", None)
    if not formatters:
        return
    from matplotlib.figure import Figure

    if any(Figure in getattr(f, "type_printers", {}) for f in formatters.values()):
        return
    pylabtools = importlib.import_module("IPython.core.pylabtools")
    pylabtools.select_figure_formats(shell, {"png"})

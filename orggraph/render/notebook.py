"""The views for Python and notebooks: a page object that shows itself inline, a figure, an export.

These are the conveniences ``orggraph.view``, ``orggraph.figure`` and ``orggraph.export``: each
runs the analysis when no report is given and returns an object, writing nothing unless asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import networkx as nx

from orggraph.analysis import analyze
from orggraph.analysis.report import Report
from orggraph.io import write_atomic
from orggraph.render.html import html_iframe, render_html

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["View", "export", "figure", "view"]


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
) -> View:
    """The interactive view of ``G`` (what ``orggraph view`` writes), as a :class:`View`.

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
    )
    return View(page, height)


def figure(
    G: nx.DiGraph,
    report: Report | None = None,
    *,
    kind: Literal["graph", "critical", "utilization"] = "graph",
    top: int | None = None,
) -> Figure:
    """A matplotlib Figure (what ``orggraph plot`` draws): the layered graph, or bar charts of the
    top critical suppliers or of utilization against the threshold."""
    from orggraph.render import plot

    found = report if report is not None else analyze(G)
    if kind == "graph":
        return plot.plot_graph(G, found)
    if kind == "critical":
        return plot.plot_critical(found, top=top or 10)
    if kind == "utilization":
        return plot.plot_utilization(found, top=top or 30)
    raise ValueError(f"unknown figure kind {kind!r}; expected graph, critical or utilization")


def export(
    G: nx.DiGraph,
    fmt: Literal["graphml", "gexf", "json", "mermaid", "dot"],
    report: Report | None = None,
) -> str:
    """``G`` with its analysis figures as GraphML, GEXF, node-link JSON, Mermaid or DOT text
    (what ``orggraph export`` writes)."""
    from orggraph.render.export import export_graph

    return export_graph(G, report if report is not None else analyze(G), fmt)

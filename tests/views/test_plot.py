"""Figures rendered to PNG (and SVG/PDF) and checked for size and non-blank content."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.analysis.report import Report
from orggraph.errors import UsageError
from orggraph.render.plot import (
    MAX_PLOT_NODES,
    plot_critical,
    plot_graph,
    plot_utilization,
)

from ._orgs import synthetic


def png_of(fig: Any) -> tuple[bytes, Any]:
    from matplotlib.image import imread

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60)
    data = buf.getvalue()
    buf.seek(0)
    return data, imread(buf, format="png")


def assert_drawn(fig: Any, min_width: int = 300, min_height: int = 200) -> Any:
    data, pixels = png_of(fig)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    height, width = pixels.shape[:2]
    assert width >= min_width and height >= min_height
    rgb = pixels[..., :3]
    assert rgb.std() > 0.05  # not a blank page
    ink = (rgb.mean(axis=2) < 0.9).mean()
    assert 0.005 < ink < 0.6, f"{ink:.3f} of the figure is ink"
    return pixels


def test_graph_figure(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    fig = plot_graph(acme_graph, acme_report)
    pixels = assert_drawn(fig, 600, 300)
    # the critical-supplier red is on the page
    reds = (pixels[..., 0] > 0.7) & (pixels[..., 1] < 0.3) & (pixels[..., 2] < 0.3)
    assert reds.sum() > 20
    labels = {t.get_text() for t in fig.axes[0].texts}
    assert {"Service Desk EU", "Retail shoppers", "ITSM SaaS"} <= labels
    # left to right: vendors, units, customers
    positions = {t.get_text(): t.xy[0] for t in fig.axes[0].texts if hasattr(t, "xy")}
    assert positions["ITSM SaaS"] < positions["Warehouse"] < positions["Retail shoppers"]


def test_graph_figure_of_60_parties_labels_everyone() -> None:
    G = synthetic(50, customers=6, vendors=4, departments=4)
    assert G.number_of_nodes() == 60
    fig = plot_graph(G, analyze(G))
    assert len([t for t in fig.axes[0].texts if hasattr(t, "xy")]) == 60
    assert_drawn(fig, 600, 300)


def test_graph_figure_has_a_limit() -> None:
    G = synthetic(MAX_PLOT_NODES, customers=5, vendors=5)
    with pytest.raises(UsageError, match=rf"above {MAX_PLOT_NODES} is unreadable: use 'orggraph"):
        plot_graph(G, analyze(G))


def test_critical_bars(acme_report: Report) -> None:
    fig = plot_critical(acme_report, top=5)
    assert_drawn(fig)
    ax = fig.axes[0]
    assert len(ax.patches) == 5
    ids = [t.get_text() for t in ax.get_yticklabels()]
    assert ids[-1] == acme_report.critical_suppliers[0].id  # most critical on top
    widths = [p.get_width() for p in ax.patches]
    assert widths == sorted(widths)
    with pytest.raises(UsageError):
        plot_critical(acme_report, top=0)


def test_utilization_bars(acme_report: Report) -> None:
    fig = plot_utilization(acme_report, 0.5)
    assert_drawn(fig)
    ax = fig.axes[0]
    measured = [u for u in (x.utilization for x in acme_report.loads.values()) if u is not None]
    assert len(ax.patches) == len(measured)
    assert [line.get_xdata()[0] for line in ax.get_lines()] == [0.5, 1.0]
    assert plot_utilization(acme_report).axes[0].get_lines()[0].get_xdata()[0] == 0.85


def test_empty_report_still_draws_a_message() -> None:
    bare = analyze(nx.DiGraph())
    for fig in (plot_critical(bare), plot_utilization(bare)):
        texts = [t.get_text() for t in fig.axes[0].texts]
        assert texts and texts[0].startswith("no ")
        assert_drawn(fig, 300, 100)


@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_vector_formats(acme_graph: nx.DiGraph, acme_report: Report, fmt: str) -> None:
    buf = io.BytesIO()
    plot_graph(acme_graph, acme_report).savefig(buf, format=fmt)
    assert len(buf.getvalue()) > 5000


def test_no_pyplot_and_no_import_cost_until_drawing() -> None:
    """Figures are made without pyplot (no global state); matplotlib loads only when drawing."""
    code = (
        "import sys\n"
        "import orggraph.render.plot, orggraph.render.html, orggraph.render.export\n"
        "print('matplotlib' in sys.modules)\n"
        "from orggraph.model import load_dict\n"
        "from orggraph.graph import build_graph\n"
        "from orggraph.render.plot import plot_graph\n"
        "from orggraph.analysis import analyze\n"
        "G = build_graph(load_dict({'units': [{'id': 'a'}],"
        " 'customers': [{'id': 'c', 'depends_on': ['a']}]}))\n"
        "plot_graph(G, analyze(G)).savefig(__import__('io').BytesIO(), format='png')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]

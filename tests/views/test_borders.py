"""The alarm borders of the view and the plot, as their legends and docs/views.md say: critical
red, overloaded dashed orange, near capacity amber, critical and overloaded dashed red."""

from __future__ import annotations

import json
import re
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render._style import CRITICAL, NEAR_CAPACITY, OVERLOADED
from orggraph.render.html import render_html

# desk: 12 of 10 and the shoppers' only supplier (critical and overloaded); ops: 9 of 10, an
# optional supplier (near capacity); lab: 5 of 1, optional (overloaded only). Each sits in a
# department of its own.
ORG: dict[str, Any] = {
    "units": [
        {"id": "dept-a", "kind": "department"},
        {"id": "dept-b", "kind": "department"},
        {"id": "dept-c", "kind": "department"},
        {"id": "desk", "parent": "dept-a", "capacity": 10},
        {"id": "ops", "parent": "dept-b", "capacity": 10},
        {"id": "lab", "parent": "dept-c", "capacity": 1},
    ],
    "customers": [
        {
            "id": "shoppers",
            "depends_on": [
                {"supplier": "desk", "volume": 12},
                {"supplier": "ops", "volume": 9, "required": False},
                {"supplier": "lab", "volume": 5, "required": False},
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def G() -> nx.DiGraph:
    return build_graph(load_dict(ORG))


def _nodes(page: str) -> dict[str, dict[str, Any]]:
    found = re.search(
        r'<script type="application/json" id="orggraph-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    return {n["id"]: n for n in json.loads(found.group(1))["nodes"]}


def test_view_borders_and_legend(G: nx.DiGraph) -> None:
    page = render_html(G, analyze(G))
    nodes = _nodes(page)
    look = {
        n: (nodes[n]["color"]["border"], "shapeProperties" in nodes[n])
        for n in ("desk", "ops", "lab")
    }
    assert look == {
        "desk": (CRITICAL, True),
        "ops": (NEAR_CAPACITY, False),
        "lab": (OVERLOADED, True),
    }
    legend = page[page.index('id="orggraph-legend"') :]
    for words in ("overloaded (utilization > 100%)", "near capacity (utilization ≥ 85%)"):
        assert words in legend
    assert f"border:3px dashed {CRITICAL}" in legend
    assert "critical supplier and overloaded" in legend


def test_collapsed_overloaded_department_is_dashed_too(G: nx.DiGraph) -> None:
    nodes = _nodes(render_html(G, analyze(G), collapse="department"))
    assert nodes["dept-c"]["color"]["border"] == OVERLOADED
    assert nodes["dept-c"]["shapeProperties"] == {"borderDashes": [5, 3]}
    assert nodes["dept-a"]["color"]["border"] == CRITICAL
    assert "shapeProperties" not in nodes["dept-b"]


def test_plot_legend_names_every_ring(G: nx.DiGraph) -> None:
    from orggraph.render.plot import plot_graph

    fig = plot_graph(G, analyze(G))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    for label in (
        "critical supplier",
        "overloaded (> 100%)",
        "near capacity (≥ 85%)",
        "critical and overloaded",
    ):
        assert label in labels
    # one marker per party in id order: desk's ring is red and dashed, ops' amber
    markers = [c for c in fig.axes[0].collections if len(c.get_offsets()) == 1]
    by_id = dict(zip(sorted(G), markers, strict=True))
    from matplotlib.colors import to_hex

    assert to_hex(by_id["desk"].get_edgecolor()[0]) == CRITICAL.lower()
    assert by_id["desk"].get_linestyle()[0][1] is not None  # a dash pattern
    assert to_hex(by_id["ops"].get_edgecolor()[0]) == NEAR_CAPACITY.lower()

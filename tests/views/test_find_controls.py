"""Find, filter, the panel's controls, export and readable labels, driven as an analyst would:
typing in the search box, pressing keys, clicking results and buttons, at 1366×768."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.analysis.report import Report
from orggraph.graph import build_graph
from orggraph.model import load, load_dict
from orggraph.render.html import render_html

from ._orgs import HOSTILE_NAMES
from ._page import View
from .conftest import OpenView

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

SMALL = {
    "organization": {"name": "Small"},
    "units": [
        {"id": "ops", "kind": "department", "name": "Operations"},
        {"id": "it", "kind": "department", "name": "Technology"},
        {
            "id": "erp",
            "name": "ERP Platform",
            "parent": "it",
            "owner": "aoife.byrne",
            "tags": ["core"],
            "capacity": 100,
        },
        {
            "id": "desk",
            "name": "Service Desk",
            "parent": "it",
            "attributes": {"site": "Galway"},
            "depends_on": ["erp"],
        },
        {
            "id": "store",
            "name": "Galway Store",
            "parent": "ops",
            "tags": ["core", "front-line"],
            "depends_on": [
                {"supplier": "erp", "volume": 120},
                {"supplier": "desk", "required": False},
            ],
        },
    ],
    "customers": [
        {
            "id": "shoppers",
            "name": "Shoppers",
            "promise": {"quality": 0.99},
            "depends_on": ["store"],
        }
    ],
}


@pytest.fixture(scope="module")
def small() -> tuple[nx.DiGraph, Report]:
    G = build_graph(load_dict(SMALL))
    return G, analyze(G)


def click(view: View, node: str) -> None:
    """A real mouse click on a party, brought into view first."""
    view.evaluate(f"window.orggraphNetwork.focus({node!r}, {{animation: false}})")
    view.page.mouse.click(*view.point_at(node))


def results(view: View) -> list[str]:
    items: list[str] = view.evaluate(
        "Array.from(document.querySelectorAll('#orggraph-results li')).map(li => li.textContent)"
    )
    return items


def test_search_lists_matches_by_any_field_and_steps_through_them(
    open_view: OpenView, small: tuple[nx.DiGraph, Report]
) -> None:
    view = open_view(render_html(*small))
    page = view.page
    page.click("#orggraph-query")
    page.keyboard.type("galway")  # a name and an attribute
    assert page.text_content("#orggraph-count") == "2 matches"
    listed = results(view)
    assert sorted(listed) == ["Galway Store (store)", "Service Desk (desk)attribute: site: Galway"]
    page.keyboard.press("ArrowDown")
    first = view.evaluate("window.orggraphNetwork.getSelectedNodes()")
    assert page.text_content("#orggraph-count") == "1 of 2"
    assert (page.text_content("#orggraph-details") or "").startswith(
        {"store": "Galway Store", "desk": "Service Desk"}[first[0]]
    )
    page.keyboard.press("ArrowDown")
    second = view.evaluate("window.orggraphNetwork.getSelectedNodes()")
    assert {first[0], second[0]} == {"store", "desk"}
    page.click("#orggraph-prev")
    assert view.evaluate("window.orggraphNetwork.getSelectedNodes()") == first
    # owner and tag are searched too; every word must match
    page.fill("#orggraph-query", "aoife")
    assert results(view) == ["ERP Platform (erp)owner: aoife.byrne"]
    page.fill("#orggraph-query", "core galway")
    assert results(view) == ["Galway Store (store)tag: core"]
    # a click on a result shows it
    page.click("#orggraph-results li")
    assert view.evaluate("window.orggraphNetwork.getSelectedNodes()") == ["store"]
    # the parties that do not match are dimmed and lose their labels
    assert view.evaluate("window.orggraph.dimmed.has('erp')") is True
    page.fill("#orggraph-query", "nothing-like-this")
    assert page.text_content("#orggraph-count") == "0 matches"
    view.assert_clean()


def test_escape_and_close_button_close_the_panel(
    open_view: OpenView, small: tuple[nx.DiGraph, Report]
) -> None:
    view = open_view(render_html(*small))
    page = view.page
    click(view, "erp")
    assert page.is_visible("#orggraph-details") and page.is_visible("#orggraph-close")
    page.keyboard.press("Escape")
    assert not page.is_visible("#orggraph-panel")
    assert view.evaluate("window.orggraphNetwork.getSelectedNodes()") == []
    click(view, "desk")
    page.click("#orggraph-close")
    assert not page.is_visible("#orggraph-panel")
    # fit brings the whole drawing back; reset clears the search
    page.fill("#orggraph-query", "erp")
    page.click("#orggraph-reset")
    assert page.input_value("#orggraph-query") == ""
    assert not page.is_visible("#orggraph-results")
    view.evaluate("window.orggraphNetwork.moveTo({scale: 5})")
    page.click("#orggraph-fit")
    assert view.evaluate("window.orggraphNetwork.getScale()") < 5
    view.assert_clean()


def filter_matches(view: View, select: str, value: str) -> set[str]:
    view.page.click("#orggraph-filters summary")
    view.page.select_option(select, value)
    found: list[str] = view.evaluate("window.orggraphFind.matches")
    view.page.select_option(select, "")
    view.page.click("#orggraph-filters summary")
    return set(found)


def test_filters_keep_what_the_report_says(open_view: OpenView) -> None:
    G = build_graph(load(EXAMPLES / "retailer.yaml"))
    report = analyze(G)
    view = open_view(render_html(G, report))
    assert filter_matches(view, "#orggraph-filter-flag", "critical") == {
        c.id for c in report.critical_suppliers
    }
    assert filter_matches(view, "#orggraph-filter-flag", "broken") == {
        p.customer for p in report.promises if not p.met
    }
    overloaded = {n for n, b in report.loads.items() if b.utilization and b.utilization > 1}
    assert filter_matches(view, "#orggraph-filter-flag", "overloaded") == overloaded
    assert filter_matches(view, "#orggraph-filter-kind", "party:customer") == {
        n for n, d in G.nodes(data=True) if d["party"] == "customer"
    }
    assert filter_matches(view, "#orggraph-filter-tag", "store") == {
        n for n, d in G.nodes(data=True) if "store" in (d.get("tags") or ())
    }
    technology = filter_matches(view, "#orggraph-filter-dept", "technology")
    assert "erp" in technology and "store-dublin" not in technology
    # hiding what does not match hides it on the graph
    view.page.click("#orggraph-filters summary")
    view.page.check("#orggraph-hide-rest")
    view.page.select_option("#orggraph-filter-kind", "party:vendor")
    hidden = view.evaluate(
        "window.orggraphNetwork.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id)"
    )
    assert set(hidden) == {n for n, d in G.nodes(data=True) if d["party"] != "vendor"}
    # optional dependencies can be hidden
    view.page.check("#orggraph-hide-optional")
    hidden_edges = view.evaluate(
        "window.orggraphNetwork.body.data.edges.get({filter: e => e.hidden})"
        ".map(e => [e.from, e.to])"
    )
    assert {tuple(e) for e in hidden_edges} == {
        (u, v) for u, v, r in G.edges(data="required") if r is False
    }
    view.assert_clean()


def png_size(blob: bytes) -> tuple[int, int]:
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", blob[16:24])
    return width, height


def test_export_png_and_svg_with_the_legend(
    open_view: OpenView, small: tuple[nx.DiGraph, Report], tmp_path: Path
) -> None:
    view = open_view(render_html(*small))
    page = view.page
    with page.expect_download() as info:
        page.click("#orggraph-png")
    download = info.value
    assert download.suggested_filename == "Small.png"
    saved = tmp_path / "view.png"
    download.save_as(saved)
    blob = saved.read_bytes()
    width, height = png_size(blob)
    canvas = view.evaluate("document.querySelector('#orggraph-view canvas').clientWidth")
    assert width == canvas + 280  # the drawing and the legend beside it
    assert height >= 500
    # the legend is in the image: its right side has the legend's words and its red ring
    ink = page.evaluate(
        """async () => {
        const url = window.orggraphExport.png();
        const img = new Image(); img.src = url; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const x = c.getContext('2d'); x.drawImage(img, 0, 0);
        const d = x.getImageData(img.width - 280, 0, 280, img.height).data;
        let dark = 0, red = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i] < 120 && d[i + 1] < 120 && d[i + 2] < 120) { dark++; }
          if (d[i] > 170 && d[i + 1] < 80 && d[i + 2] < 80) { red++; }
        }
        return {dark: dark, red: red}; }"""
    )
    assert ink["dark"] > 500  # the legend's words
    assert ink["red"] > 10  # the critical supplier's red ring in the legend
    with page.expect_download() as info:
        page.click("#orggraph-svg")
    svg_file = tmp_path / "view.svg"
    info.value.save_as(svg_file)
    svg = svg_file.read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "critical supplier (single point of failure)" in svg
    assert "Galway Store" in svg and svg.count("<polygon") + svg.count("<circle") >= 6
    view.assert_clean()


def test_hostile_names_stay_text_in_search_and_export(
    open_view: OpenView, hostile_graph: nx.DiGraph, hostile_report: Report
) -> None:
    view = open_view(render_html(hostile_graph, hostile_report))
    page = view.page
    page.fill("#orggraph-query", "img")
    assert page.evaluate("document.querySelectorAll('#orggraph-results li *').length") == len(
        page.query_selector_all("#orggraph-results li span")
    )
    assert any(HOSTILE_NAMES[0][:20] in r for r in results(view))
    svg = page.evaluate("window.orggraphExport.svg()")
    assert "<img" not in svg and "<script" not in svg
    page.evaluate("window.orggraphExport.png()")
    view.assert_clean()


def label_report(view: View) -> dict[str, Any]:
    report: dict[str, Any] = view.evaluate(
        """() => {
        const net = window.orggraphNetwork, labels = window.orggraphLabels;
        const boxes = labels.boxes();
        const nodes = net.body.nodeIndices.map(id => {
          const n = net.body.nodes[id], c = net.canvasToDOM({x: n.x, y: n.y});
          const r = (n.options.size + n.options.borderWidth) * net.getScale();
          return {id: id, x0: c.x - r, y0: c.y - r, x1: c.x + r, y1: c.y + r}; });
        const hits = [];
        for (const b of boxes) {
          for (const n of nodes) {
            if (n.id !== b.id && n.x0 < b.x + b.w && b.x < n.x1 && n.y0 < b.y + b.h && b.y < n.y1) {
              hits.push([b.id, n.id]); } }
          for (const o of boxes) {
            if (o !== b && o.x < b.x + b.w && b.x < o.x + o.w
                && o.y < b.y + b.h && b.y < o.y + o.h) {
              hits.push([b.id, o.id]); } } }
        return {px: labels.px, labelled: boxes.map(b => b.id), total: nodes.length,
                hits: hits}; }"""
    )
    return report


@pytest.mark.parametrize("options", [{}, {"collapse": "department"}], ids=["full", "collapsed"])
def test_labels_are_readable_at_the_first_fit(
    open_view: OpenView, options: dict[str, Any], tmp_path: Path
) -> None:
    G = build_graph(load(EXAMPLES / "retailer.yaml"))
    report = analyze(G)
    view = open_view(render_html(G, report, **options))
    assert view.evaluate("[window.innerWidth, window.innerHeight]") == [1366, 768]
    found = label_report(view)
    assert found["px"] >= 12  # on-screen pixels, whatever the zoom
    assert found["hits"] == []  # no label over a node or another label
    labelled = set(found["labelled"])
    if options:
        assert len(labelled) == found["total"]  # every department and party
    else:
        # the customers are all named, nearly all the critical suppliers and the others too
        assert {n for n, d in G.nodes(data=True) if d["party"] == "customer"} <= labelled
        critical = {c.id for c in report.critical_suppliers}
        assert len(critical & labelled) >= 0.85 * len(critical)
        assert len(labelled) >= 0.85 * found["total"]
    shot = tmp_path / "view.png"
    view.page.screenshot(path=str(shot))
    assert png_size(shot.read_bytes()) == (1366, 768)
    # zooming in shows labels at a larger size, never a smaller one
    view.evaluate("window.orggraphNetwork.moveTo({scale: 1.2})")
    view.page.wait_for_timeout(50)
    assert view.evaluate("window.orggraphLabels.px") == 18
    view.assert_clean()


# Not strict: how many labels fit depends on the fonts the browser measures, so an XPASS here
# is news (report it), not a failure of the run.
_NOT_YET = pytest.mark.xfail(
    strict=False, reason="issue 17 item 3: ~90% (90 units) and ~75% (135) of labels show so far"
)


@pytest.mark.parametrize(
    "units", [45, pytest.param(90, marks=_NOT_YET), pytest.param(135, marks=_NOT_YET)]
)
def test_every_label_shows_at_the_first_fit_of_a_generated_org(
    open_view: OpenView, units: int, tmp_path: Path
) -> None:
    # a generated org (departments, teams, shared services) small enough to name every party:
    # each label at 12 px or more, over no node and no other label, on a 1366×768 screen
    from orggraph.generate import generate_org

    G = build_graph(load_dict(generate_org(units, seed=1)))
    view = open_view(render_html(G, analyze(G)))
    found = label_report(view)
    assert found["px"] >= 12
    assert found["hits"] == []
    assert len(found["labelled"]) == found["total"] == G.number_of_nodes()
    view.assert_clean()

"""The HTML view as a person sees it: opened in Playwright's Chromium (Debian's) with no network.

Every page is checked for the same things: the vis-network canvas drew, the page's dataset has
the expected nodes, no request left the page (every one is file:, data: or about:), the console
has no errors, and no JavaScript dialog opened.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.analysis.report import Report
from orggraph.render.html import MAX_VIEW_NODES, render_html

from ._orgs import HOSTILE_NAMES, synthetic
from ._page import LOCAL_SCHEMES, READY
from .conftest import OpenView


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"focus": "warehouse", "depth": 2},
        {"chain": "shoppers"},
        {"collapse": "department"},
    ],
    ids=["full", "focus", "chain", "collapse"],
)
def test_view_draws_offline(
    open_view: OpenView, acme_graph: nx.DiGraph, acme_report: Report, options: dict[str, Any]
) -> None:
    page_html = render_html(acme_graph, acme_report, **options)
    expected = page_html.count('"shape":')
    view = open_view(page_html)
    counts = view.drawn()
    assert counts["canvases"] == 1 and counts["width"] > 0
    assert counts["data"] == counts["drawn"] == expected
    if not options:
        assert expected == acme_graph.number_of_nodes()
        assert counts["edges"] == acme_graph.number_of_edges()
    view.assert_clean()


def test_tooltip_and_details_show_facts(
    open_view: OpenView, acme_graph: nx.DiGraph, acme_report: Report
) -> None:
    view = open_view(render_html(acme_graph, acme_report))
    tip = view.tooltip("desk-eu")
    assert tip["text"].startswith("Service Desk EU  (desk-eu)")
    assert "line of sight" in tip["text"]
    view.page.fill("#orggraph-query", "warehouse")
    view.page.press("#orggraph-query", "Enter")
    assert view.evaluate("window.orggraphNetwork.getSelectedNodes()") == ["warehouse"]
    details = view.page.text_content("#orggraph-details") or ""
    assert details.startswith("Warehouse  (warehouse)")
    view.assert_clean()


def test_hostile_names_show_as_text_and_run_nothing(
    open_view: OpenView, hostile_graph: nx.DiGraph, hostile_report: Report
) -> None:
    title = HOSTILE_NAMES[0] + HOSTILE_NAMES[1]
    view = open_view(render_html(hostile_graph, hostile_report, title=title))
    assert view.page.title() == title
    assert view.page.text_content("h1") == title
    assert view.evaluate("document.querySelectorAll('img').length") == 0
    assert view.evaluate("document.scripts.length") == 3
    assert view.drawn()["drawn"] == hostile_graph.number_of_nodes()
    labels = view.evaluate("window.orggraphData.nodes.map(function(n){return n.title;})")
    assert any(HOSTILE_NAMES[0] in t for t in labels)
    for node in ("img", "script", "href"):  # href: pyvis switches to innerHTML popups
        tip = view.tooltip(node)
        assert tip["elements"] <= tip["text"].count("\n")  # only <br>s, never markup
        assert hostile_graph.nodes[node]["name"] in tip["text"]
    view.page.mouse.move(5, 5)
    view.page.wait_for_timeout(300)
    view.assert_clean()


def test_iframe_srcdoc_draws(
    open_view: OpenView, acme_graph: nx.DiGraph, acme_report: Report
) -> None:
    from orggraph.render.html import html_iframe

    frame_html = html_iframe(render_html(acme_graph, acme_report), height=500)
    host = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{frame_html}</body></html>"
    )
    view = open_view(host, "notebook", ready=None)
    assert view.evaluate("document.querySelector('iframe').offsetHeight") == 502
    frame = view.page.frame_locator("iframe")
    frame.locator("body[data-ready=true]").wait_for(timeout=10000)
    children = view.page.main_frame.child_frames
    assert len(children) == 1
    inner = children[0]
    assert view.evaluate(READY, frame=inner) is True
    assert view.evaluate("document.querySelectorAll('#orggraph-view canvas').length", inner) == 1
    assert view.evaluate("window.orggraphData.nodes.length", inner) == len(acme_graph)
    outside = [u for u in view.requests if not u.startswith(LOCAL_SCHEMES)]
    assert outside == [] and view.console_errors == [] and view.dialogs == []


def test_view_at_the_size_limit_draws_in_seconds(open_view: OpenView) -> None:
    G = synthetic(MAX_VIEW_NODES - 60, customers=40, vendors=20)
    assert G.number_of_nodes() == MAX_VIEW_NODES
    page_html = render_html(G, analyze(G))
    start = time.monotonic()
    view = open_view(page_html)
    seconds = time.monotonic() - start
    assert view.drawn()["drawn"] == MAX_VIEW_NODES
    assert seconds < 10, f"{MAX_VIEW_NODES} parties took {seconds:.1f}s to draw"
    # a large view draws no dashed link (they dominate a software-rasterized redraw), and the
    # key of an answer says how its links are told apart instead
    dashed = view.evaluate(
        "Object.values(window.orggraphNetwork.body.edges).filter(e => e.options.dashes).length"
    )
    assert dashed == 0
    view.page.select_option("#orggraph-mode", "upstream")
    view.click_party("customer-000")
    key = view.evaluate(
        "[...document.querySelectorAll('#orggraph-answer .og-key')]"
        ".map(p => p.textContent).find(t => t.startsWith('links')) || ''"
    )
    assert key.startswith("links, all solid:") and "dash" not in key
    view.assert_clean()


def test_the_watch_notices_a_bad_page(open_view: OpenView) -> None:
    """A control: a page that loads from the network, logs an error and runs an injected
    handler is caught on every count, so the clean results above mean something."""
    bad = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<script src='https://cdn.example.invalid/lib.js'></script></head><body>"
        '<img src=x onerror="window.__xss=1;alert(1)">'
        "<script>console.error('boom')</script></body></html>"
    )
    view = open_view(bad, "bad", ready="window.__xss === 1")
    view.page.wait_for_timeout(200)
    assert any(u.startswith("https://cdn.example.invalid/") for u in view.requests)
    assert "boom" in view.console_errors
    assert view.dialogs == ["1"]


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.y*ml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_draw_offline(open_view: OpenView, example: Path) -> None:
    from orggraph.analysis import analyze
    from orggraph.graph import build_graph
    from orggraph.model import load

    G = build_graph(load(example))
    report = analyze(G)
    views: dict[str, dict[str, Any]] = {"full": {}, "collapse": {"collapse": "department"}}
    if report.service_chains:
        views["chain"] = {"chain": report.service_chains[0].customer}
    for name, options in views.items():
        view = open_view(render_html(G, report, **options), name)
        counts = view.drawn()
        assert counts["canvases"] == 1 and counts["drawn"] == counts["data"] > 0
        if name != "collapse":
            assert counts["drawn"] == G.number_of_nodes()
        view.assert_clean()


def test_collapsed_view_shows_implied_edges_and_a_department_focus_its_members(
    open_view: OpenView,
) -> None:
    from orggraph.analysis import group_dependencies
    from orggraph.graph import build_graph
    from orggraph.model import load_dict
    from orggraph.render._views import collapse_level

    from .test_groups_view import ORG

    G = build_graph(load_dict(ORG))
    report = analyze(G)
    view = open_view(render_html(G, report, collapse="department"), "rolled")
    drawn_edges = view.evaluate(
        "window.orggraphNetwork.body.data.edges.get().map(function(e){"
        "return [e.from, e.to, e.title];})"
    )
    implied = group_dependencies(G, collapse_level(G))
    assert sorted((u, v) for u, v, _ in drawn_edges) == [(g.supplier, g.consumer) for g in implied]
    titles = {(u, v): t for u, v, t in drawn_edges}
    assert "3 dependencies (2 required, 1 optional)" in titles["ops", "sales"]
    view.assert_clean()

    view = open_view(render_html(G, report, focus="ops", depth=0), "members")
    ids = view.evaluate("window.orggraphNetwork.body.data.nodes.getIds()")
    assert sorted(ids) == ["o1", "o2", "ops"]
    tip = view.tooltip("ops")
    assert "group of 2 members" in tip["text"]
    view.assert_clean()

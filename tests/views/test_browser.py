"""The HTML view as a person sees it: opened in headless Chromium with no network.

Every page is checked for the same things: the vis-network canvas drew, the page's dataset has
the expected nodes, no request left the page (every one is file:, data: or about:), the console
has no errors, and no JavaScript dialog opened.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.analysis.report import Report
from orggraph.render.html import MAX_VIEW_NODES, render_html

from ._browser import LOCAL_SCHEMES, Browser, Page
from ._orgs import HOSTILE_NAMES, synthetic

READY = "window.orggraphReady === true"


def open_view(
    browser: Browser, tmp_path: Path, page_html: str, name: str = "view", ready: str | None = READY
) -> Page:
    path = tmp_path / f"{name}.html"
    path.write_text(page_html, encoding="utf-8")
    return browser.open(path.as_uri(), ready=ready)


def assert_clean(page: Page) -> None:
    assert page.requests, "the page itself should have been requested"
    outside = [u for u in page.requests if not u.startswith(LOCAL_SCHEMES)]
    assert outside == [], f"requests left the page: {outside}"
    assert page.console_errors == []
    assert page.dialogs == []
    assert page.evaluate("window.__xss === undefined")


def drawn(page: Page) -> dict[str, Any]:
    result: dict[str, Any] = page.evaluate(
        """({
        canvases: document.querySelectorAll('#orggraph-view canvas').length,
        width: document.querySelector('#orggraph-view canvas').width,
        data: window.orggraphData.nodes.length,
        drawn: window.orggraphNetwork.body.data.nodes.length,
        edges: window.orggraphNetwork.body.data.edges.length
        })"""
    )
    return result


def point_at(page: Page, node: str) -> tuple[float, float]:
    x, y = page.evaluate(
        "(function(){var n=window.orggraphNetwork, id=" + json.dumps(node) + ";"
        "var p=n.canvasToDOM(n.getPosition(id));"
        "var r=document.getElementById('orggraph-view').getBoundingClientRect();"
        "return [p.x + r.left, p.y + r.top];})()"
    )
    return float(x), float(y)


def tooltip_after_hover(page: Page, node: str) -> dict[str, Any]:
    page.hover(*point_at(page, node))
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        tip: dict[str, Any] | None = page.evaluate(
            """(function(){var t=document.querySelector('.vis-tooltip');
            return t && t.style.visibility === 'visible'
              ? {text: t.innerText, elements: t.querySelectorAll('*').length} : null;})()"""
        )
        if tip is not None:
            return tip
        time.sleep(0.05)
    raise AssertionError(f"no tooltip after hovering {node}")


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
    browser: Browser,
    tmp_path: Path,
    acme_graph: nx.DiGraph,
    acme_report: Report,
    options: dict[str, Any],
) -> None:
    page_html = render_html(acme_graph, acme_report, **options)
    expected = page_html.count('"shape":')
    page = open_view(browser, tmp_path, page_html)
    try:
        counts = drawn(page)
        assert counts["canvases"] == 1 and counts["width"] > 0
        assert counts["data"] == counts["drawn"] == expected
        if not options:
            assert expected == acme_graph.number_of_nodes()
            assert counts["edges"] == acme_graph.number_of_edges()
        assert_clean(page)
    finally:
        page.close()


def test_tooltip_and_details_show_facts(
    browser: Browser, tmp_path: Path, acme_graph: nx.DiGraph, acme_report: Report
) -> None:
    page = open_view(browser, tmp_path, render_html(acme_graph, acme_report))
    try:
        tip = tooltip_after_hover(page, "desk-eu")
        assert tip["text"].startswith("Service Desk EU  (desk-eu)")
        assert "line of sight" in tip["text"]
        page.evaluate(
            "(function(){var f=document.getElementById('orggraph-search');"
            "document.getElementById('orggraph-query').value='warehouse';"
            "f.dispatchEvent(new Event('submit', {cancelable: true})); return true;})()"
        )
        assert page.evaluate("window.orggraphNetwork.getSelectedNodes()") == ["warehouse"]
        details = page.evaluate("document.getElementById('orggraph-details').textContent")
        assert details.startswith("Warehouse  (warehouse)")
        assert_clean(page)
    finally:
        page.close()


def test_hostile_names_show_as_text_and_run_nothing(
    browser: Browser, tmp_path: Path, hostile_graph: nx.DiGraph, hostile_report: Report
) -> None:
    title = HOSTILE_NAMES[0] + HOSTILE_NAMES[1]
    page = open_view(browser, tmp_path, render_html(hostile_graph, hostile_report, title=title))
    try:
        assert page.evaluate("document.title") == title
        assert page.evaluate("document.querySelector('h1').textContent") == title
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.scripts.length") == 3
        assert drawn(page)["drawn"] == hostile_graph.number_of_nodes()
        labels = page.evaluate("window.orggraphData.nodes.map(function(n){return n.title;})")
        assert any(HOSTILE_NAMES[0] in t for t in labels)
        for node in ("img", "script", "href"):  # href: pyvis switches to innerHTML popups
            tip = tooltip_after_hover(page, node)
            assert tip["elements"] <= tip["text"].count("\n")  # only <br>s, never markup
            assert hostile_graph.nodes[node]["name"] in tip["text"]
        page.hover(5, 5)
        time.sleep(0.3)
        assert_clean(page)
    finally:
        page.close()


def test_iframe_srcdoc_draws(
    browser: Browser, tmp_path: Path, acme_graph: nx.DiGraph, acme_report: Report
) -> None:
    from orggraph.render.html import html_iframe

    frame = html_iframe(render_html(acme_graph, acme_report), height=500)
    host = f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{frame}</body></html>"
    page = open_view(browser, tmp_path, host, "notebook", ready=None)
    try:
        assert page.evaluate("document.querySelector('iframe').offsetHeight") == 502
        # the sandboxed frame runs in its own process: the driver attached to it as well
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not (
            page.frames and page.evaluate(READY, frame=page.frames[0])
        ):
            time.sleep(0.05)
        assert len(page.frames) == 1
        frame = page.frames[0]
        assert page.evaluate(READY, frame=frame) is True
        assert (
            page.evaluate("document.querySelectorAll('#orggraph-view canvas').length", frame) == 1
        )
        assert page.evaluate("window.orggraphData.nodes.length", frame) == len(acme_graph)
        outside = [u for u in page.requests if not u.startswith(LOCAL_SCHEMES)]
        assert outside == [] and page.console_errors == [] and page.dialogs == []
    finally:
        page.close()


def test_view_at_the_size_limit_draws_in_seconds(browser: Browser, tmp_path: Path) -> None:
    G = synthetic(MAX_VIEW_NODES - 60, customers=40, vendors=20)
    assert G.number_of_nodes() == MAX_VIEW_NODES
    page_html = render_html(G, analyze(G))
    start = time.monotonic()
    page = open_view(browser, tmp_path, page_html)
    seconds = time.monotonic() - start
    try:
        assert drawn(page)["drawn"] == MAX_VIEW_NODES
        assert seconds < 10, f"{MAX_VIEW_NODES} parties took {seconds:.1f}s to draw"
        assert_clean(page)
    finally:
        page.close()


def test_the_driver_notices_a_bad_page(browser: Browser, tmp_path: Path) -> None:
    """A control: a page that loads from the network, logs an error and runs an injected
    handler is caught on every count, so the clean results above mean something."""
    bad = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<script src='https://cdn.example.invalid/lib.js'></script></head><body>"
        '<img src=x onerror="window.__xss=1;alert(1)">'
        "<script>console.error('boom')</script></body></html>"
    )
    page = open_view(browser, tmp_path, bad, "bad", ready="window.__xss === 1")
    try:
        time.sleep(0.2)
        assert any(u.startswith("https://cdn.example.invalid/") for u in page.requests)
        assert "boom" in page.console_errors
        assert page.dialogs == ["1"]
    finally:
        page.close()


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.y*ml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_examples_draw_offline(browser: Browser, tmp_path: Path, example: Path) -> None:
    from orggraph.analysis import analyze
    from orggraph.graph import build_graph
    from orggraph.model import load

    G = build_graph(load(example))
    report = analyze(G)
    views: dict[str, dict[str, Any]] = {"full": {}, "collapse": {"collapse": "department"}}
    if report.service_chains:
        views["chain"] = {"chain": report.service_chains[0].customer}
    for name, options in views.items():
        page = open_view(browser, tmp_path, render_html(G, report, **options), name)
        try:
            counts = drawn(page)
            assert counts["canvases"] == 1 and counts["drawn"] == counts["data"] > 0
            if name != "collapse":
                assert counts["drawn"] == G.number_of_nodes()
            assert_clean(page)
        finally:
            page.close()


def test_collapsed_view_shows_implied_edges_and_a_department_focus_its_members(
    browser: Browser, tmp_path: Path
) -> None:
    from orggraph.analysis import group_dependencies
    from orggraph.graph import build_graph
    from orggraph.model import load_dict
    from orggraph.render._views import collapse_level

    from .test_groups_view import ORG

    G = build_graph(load_dict(ORG))
    report = analyze(G)
    page = open_view(browser, tmp_path, render_html(G, report, collapse="department"), "rolled")
    try:
        drawn_edges = page.evaluate(
            "window.orggraphNetwork.body.data.edges.get().map(function(e){"
            "return [e.from, e.to, e.title];})"
        )
        implied = group_dependencies(G, collapse_level(G))
        assert sorted((u, v) for u, v, _ in drawn_edges) == [
            (g.supplier, g.consumer) for g in implied
        ]
        titles = {(u, v): t for u, v, t in drawn_edges}
        assert "3 dependencies (2 required, 1 optional)" in titles["ops", "sales"]
        assert_clean(page)
    finally:
        page.close()
    page = open_view(browser, tmp_path, render_html(G, report, focus="ops", depth=0), "members")
    try:
        ids = page.evaluate("window.orggraphNetwork.body.data.nodes.getIds()")
        assert sorted(ids) == ["o1", "o2", "ops"]
        tip = tooltip_after_hover(page, "ops")
        assert "group of 2 members" in tip["text"]
        assert_clean(page)
    finally:
        page.close()

"""The overview of a large organization in Chromium: it opens on the departments, a click on a
department opens it in place (its teams and their links, the rest closed), the drawn edges are
the dependencies between what is open, closing brings the overview back, search finds a party
that is not drawn yet, and nothing leaves the page."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.render.html import MAX_VIEW_NODES, render_html

from ._orgs import HOSTILE_NAMES, synthetic
from .conftest import OpenView
from .test_html import page_data
from .test_overview import brute_force, drawn_entries, entry, optional_links


@pytest.fixture(scope="module")
def large() -> tuple[nx.DiGraph, str]:
    G = synthetic(MAX_VIEW_NODES + 300, customers=60, vendors=25, departments=10)
    nx.set_node_attributes(G, {"dept-03": HOSTILE_NAMES[0]}, "name")  # a name that is markup
    return G, render_html(G, analyze(G))


def drawn_edges(view: Any) -> dict[tuple[str, str], int]:
    rows = view.evaluate("window.orggraphOverview.edges()")
    out = {}
    for source, target, title in rows:
        count = int(title.split("\n")[1].split(" ")[0].replace(",", ""))
        out[source, target] = count
    return out


def test_opens_on_the_departments_and_opens_one_in_place(
    open_view: OpenView, large: tuple[nx.DiGraph, str]
) -> None:
    G, page = large
    ov = page_data(page)["overview"]
    view = open_view(page, "overview")
    top = drawn_entries(ov, set())
    assert view.evaluate("window.orggraphOverview.drawn()") == sorted(
        ov["nodes"][k]["id"] for k in top
    )
    expected = {key: agg[0] for key, agg in brute_force(G, ov, set()).items()}
    assert drawn_edges(view) == expected

    # a real click on a department opens it: its teams appear with their links
    dept = entry(ov, "dept-04", top)
    view.evaluate("window.orggraphNetwork.focus('dept-04', {animation: false})")
    view.page.mouse.click(*view.point_at("dept-04"))
    view.page.wait_for_function(
        f"document.body.getAttribute('data-overview-drawn') !== '{len(top)}'"
    )
    inside = sorted(ov["nodes"][k]["id"] for k, p in enumerate(ov["parent"]) if p == dept)
    drawn = view.evaluate("window.orggraphOverview.drawn()")
    assert set(inside) <= set(drawn) and "dept-04" not in drawn
    assert len(drawn) == len(top) - 1 + len(inside)
    expected = {key: agg[0] for key, agg in brute_force(G, ov, {dept}).items()}
    assert drawn_edges(view) == expected
    assert any(a in inside and b in inside for a, b in expected)  # links among its teams
    assert view.page.locator("#orggraph-overview button").first.inner_text().startswith("×")

    # closing it brings the overview back
    view.page.get_by_text("back to the overview").click()
    assert view.evaluate("window.orggraphOverview.drawn()") == sorted(
        ov["nodes"][k]["id"] for k in top
    )

    # search opens the groups of a party not drawn yet
    member = inside[0]
    view.page.fill("#orggraph-query", member)
    view.page.press("#orggraph-query", "Enter")
    assert member in view.evaluate("window.orggraphOverview.drawn()")
    assert view.evaluate("window.orggraphNetwork.getSelectedNodes()") == [member]

    # the hostile department name is drawn as text and ran nothing
    assert HOSTILE_NAMES[0] in view.evaluate(
        "window.orggraphNetwork.body.data.nodes.get('dept-03').title"
    )
    view.assert_clean()


def test_hiding_optional_dependencies_hides_the_links_that_are_only_optional(
    open_view: OpenView, large: tuple[nx.DiGraph, str]
) -> None:
    _, page = large
    ov = page_data(page)["overview"]
    view = open_view(page, "overview")
    marked = (
        "window.orggraphNetwork.body.data.edges.get({filter: e => e.%s}).map(e => [e.from, e.to])"
    )

    def links(flag: str) -> set[tuple[str, str]]:
        return {(a, b) for a, b in view.evaluate(marked % flag)}

    top = drawn_entries(ov, set())
    assert links("optional") == optional_links(ov, set())
    view.page.click("#orggraph-filters summary")
    view.page.check("#orggraph-hide-optional")
    assert links("hidden") == optional_links(ov, set())
    # a department opened while they are hidden draws its optional links hidden too
    dept = entry(ov, "dept-04", top)
    assert view.evaluate("window.orggraphOverview.open('dept-04')")
    expected = optional_links(ov, {dept})
    assert expected and links("hidden") == expected
    dashed = view.evaluate(
        "window.orggraphNetwork.body.data.edges.get({filter: e => e.optional})"
        ".map(e => JSON.stringify(e.dashes))"
    )
    assert set(dashed) <= {"[8,6]", "[2,5]"}
    view.page.uncheck("#orggraph-hide-optional")
    assert links("hidden") == set()
    view.assert_clean()

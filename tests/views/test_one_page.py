"""The page's scripts together, as an analyst uses one page: a click's answer stays on the graph
while searching and filtering (paint.js composes the two: non-matches are drawn faded, their
answer's colour mixed with white), clearing either shows the other unchanged, Escape and Reset
close the answer, Enter on a focused result selects it; and on the overview of a large
organization the same search box, click answers (against ``orggraph impact``) that follow the
drawing as groups open and close, fit, export and Escape."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render import html as html_module
from orggraph.render.html import render_html

from ._page import View
from .conftest import OpenView
from .test_explore import HAND, HAND_ANSWERS, _drawn_colours, _state_of, cli_impact
from .test_html import page_data


@pytest.fixture
def hand(tmp_path: Path) -> tuple[nx.DiGraph, Path]:
    """The org worked by hand in test_explore, as a graph and as a file for the CLI."""
    org = tmp_path / "hand.json"
    org.write_text(json.dumps(HAND), encoding="utf-8")
    return build_graph(load_dict(HAND)), org


def fade(colour: str) -> str:
    """A colour mixed three parts in four with white, as paint.js fades a non-match."""
    h = colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    parts = (math.floor((int(h[i : i + 2], 16) + 3 * 255) / 4 + 0.5) for i in (0, 2, 4))
    return "#" + "".join(f"{c:02x}" for c in parts)


def own_colours(view: View) -> dict[str, str]:
    return {n["id"]: n["color"]["background"] for n in view.evaluate("orggraphData.nodes")}


def answer_colours(view: View, answer: dict[str, Any], drawn: list[str]) -> dict[str, str]:
    colours = view.evaluate("window.orggraphExplore.colours")
    return {n: colours[_state_of(answer, n)]["background"] for n in drawn}


def search(view: View, text: str) -> list[str]:
    view.page.fill("#orggraph-query", text)
    found: list[str] = view.evaluate("window.orggraphFind.matches")
    return found


def test_an_answer_stays_while_searching_and_filtering(
    open_view: OpenView, hand: tuple[nx.DiGraph, Path]
) -> None:
    G, _ = hand
    view = open_view(render_html(G, analyze(G)))
    own = own_colours(view)
    view.click_party("o1")
    answer = HAND_ANSWERS["o1",]
    shown = answer_colours(view, answer, sorted(own))
    assert _drawn_colours(view) == shown

    # a search: the matches keep the answer's colour, the rest are drawn faded over it
    assert search(view, "shop") == ["shop"]
    assert _drawn_colours(view) == {n: (c if n == "shop" else fade(c)) for n, c in shown.items()}
    assert view.evaluate("window.orggraphExplore.shown().impact") == answer
    # clearing the search shows the answer unchanged
    search(view, "")
    assert _drawn_colours(view) == shown

    # a filter composes the same way
    view.page.click("#orggraph-filters summary")
    view.page.select_option("#orggraph-filter-kind", "party:customer")
    customers = {n for n in own if G.nodes[n]["party"] == "customer"}
    assert set(view.evaluate("window.orggraphFind.matches")) == customers
    assert _drawn_colours(view) == {n: (c if n in customers else fade(c)) for n, c in shown.items()}

    # Escape closes the answer: the filter stays, now over each party's own look
    view.page.keyboard.press("Escape")
    assert view.evaluate("window.orggraphExplore.shown()") is None
    dim = view.evaluate("window.orggraph.paint.DIM.background")
    assert _drawn_colours(view) == {n: (c if n in customers else dim) for n, c in own.items()}

    # a new click while filtering: the answer over the filter; Reset clears both
    view.click_party("o1")
    assert _drawn_colours(view) == {n: (c if n in customers else fade(c)) for n, c in shown.items()}
    view.page.click("#orggraph-reset")
    assert view.evaluate("window.orggraphExplore.shown()") is None
    assert view.evaluate("window.orggraphFind.matches") == []
    assert _drawn_colours(view) == own
    view.assert_clean()


def test_enter_on_a_focused_result_selects_it(
    open_view: OpenView, hand: tuple[nx.DiGraph, Path]
) -> None:
    G, _ = hand
    view = open_view(render_html(G, analyze(G)))
    matches = search(view, "o")
    assert len(matches) > 2
    view.page.focus("#orggraph-results li:nth-child(1)")
    view.page.keyboard.press("ArrowDown")  # the arrows move between the results
    assert view.evaluate("document.activeElement.dataset.index") == "1"
    view.page.keyboard.press("Enter")
    assert view.evaluate("window.orggraphNetwork.getSelectedNodes()") == [matches[1]]
    assert view.page.text_content("#orggraph-count") == f"2 of {len(matches)}"
    assert view.evaluate("window.orggraphExplore.shown().parties") == [matches[1]]
    view.assert_clean()


def test_the_overview_searches_answers_clicks_and_exports(
    open_view: OpenView, hand: tuple[nx.DiGraph, Path]
) -> None:
    G, org = hand
    page = render_html(G, analyze(G), overview=True)
    assert "explore" in page_data(page)
    view = open_view(page, "overview")
    top = view.evaluate("window.orggraphOverview.drawn()")
    assert "ops" in top and "o1" not in top

    # one search box: a member of a closed department is found, its group opened, and the
    # click it stands for answers what fails with it
    view.page.fill("#orggraph-query", "o1")
    view.page.press("#orggraph-query", "Enter")
    drawn = view.evaluate("window.orggraphOverview.drawn()")
    assert "o1" in drawn and "ops" not in drawn
    assert view.evaluate("window.orggraphNetwork.getSelectedNodes()") == ["o1"]
    assert view.evaluate("window.orggraphExplore.shown().impact") == cli_impact(org, "o1")
    answer = HAND_ANSWERS["o1",]
    colours = answer_colours(view, answer, drawn)
    assert {n: c for n, c in _drawn_colours(view).items() if n != "o1"} == {
        n: fade(c) for n, c in colours.items() if n != "o1"
    }  # the search for o1 fades the rest, over the answer
    view.page.fill("#orggraph-query", "")
    assert _drawn_colours(view) == colours

    # closing the department: it stands for its members, in the gravest of their states
    view.page.get_by_text("back to the overview").click()
    closed = _drawn_colours(view)
    failed = view.evaluate("window.orggraphExplore.colours.failed.background")
    assert closed["ops"] == failed
    assert {n: c for n, c in closed.items() if n != "ops"} == {
        n: c for n, c in colours.items() if n not in ("o1", "o2")
    }

    # a person's click on the department opens it and answers what fails with it
    view.click_party("ops")
    drawn = view.evaluate("window.orggraphOverview.drawn()")
    assert "o1" in drawn and "o2" in drawn
    assert view.evaluate("window.orggraphExplore.shown().impact") == cli_impact(org, "ops")
    assert _drawn_colours(view) == answer_colours(view, HAND_ANSWERS["ops",], drawn)

    # fit, export with the legend, and Escape closing the answer
    view.page.click("#orggraph-fit")
    svg = view.evaluate("window.orggraphExport.svg()")
    assert svg.startswith("<?xml") and ">Shop</text>" in svg and ">Ops one</text>" in svg
    assert view.evaluate("window.orggraphExport.png()").startswith("data:image/png;base64,")
    view.page.keyboard.press("Escape")
    assert view.evaluate("window.orggraphExplore.shown()") is None
    assert view.page.is_hidden("#orggraph-answer")
    view.assert_clean()


def test_the_overview_embeds_click_answers_only_within_its_bound(
    monkeypatch: pytest.MonkeyPatch, hand: tuple[nx.DiGraph, Path]
) -> None:
    G, _ = hand
    report = analyze(G)
    page = render_html(G, report, overview=True)
    explore = page_data(page)["explore"]
    assert explore["ids"] == sorted(G)
    # each party is shown by an embedded entry of the overview
    entries = page_data(page)["overview"]["nodes"]
    assert all(0 <= k < len(entries) for k in explore["drawn"])
    assert page == render_html(G, report, overview=True)  # the same bytes
    monkeypatch.setattr(html_module, "EXPLORE_MAX_PARTIES", G.number_of_nodes() - 1)
    bounded = page_data(render_html(G, report, overview=True))
    assert "explore" not in bounded
    assert bounded["overview"]["limits"]["explore"]["parties"] == G.number_of_nodes() - 1

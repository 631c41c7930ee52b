"""The HTML view by structure: offline, escaped, the right nodes and edges, helpful errors.
(How it behaves in a real browser is in test_browser.py.)"""

from __future__ import annotations

import dataclasses
import html
import itertools
import json
import random
import re
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.analysis.report import Report
from orggraph.errors import UsageError
from orggraph.graph import ANY_OF, REQUIRED
from orggraph.render._style import ANY_OF_EDGE, OPTIONAL_EDGE, OPTIONAL_EDGE_SOLID, REQUIRED_EDGE
from orggraph.render._viewdata import LARGE_VIEW
from orggraph.render.html import (
    CONTENT_SECURITY_POLICY,
    MAX_VIEW_NODES,
    html_iframe,
    render_html,
)

from ._orgs import HOSTILE_NAMES, synthetic

DATA_BLOCK = re.compile(
    r'<script type="application/json" id="orggraph-data">(.*?)</script>', re.DOTALL
)


def page_data(page: str) -> dict[str, Any]:
    match = DATA_BLOCK.search(page)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_page_is_self_contained(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    page = render_html(acme_graph, acme_report)
    assert f'content="{html.escape(CONTENT_SECURITY_POLICY)}"' in page
    assert re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE) is None
    assert re.search(r"<link[^>]*href=\"(?!data:)", page, re.IGNORECASE) is None
    # vis-network's licence header names web sites; nothing may load from one
    assert re.search(r"""(src|href|url)\s*[=(]\s*["']?(https?:)?//""", page) is None
    assert "bootstrap" not in page.lower()
    assert page.count("</script>") == 3  # the data, vis-network, the page's own script
    assert "sourceMappingURL" not in page


def test_nodes_and_edges_match_the_graph(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    data = page_data(render_html(acme_graph, acme_report))
    assert sorted(n["id"] for n in data["nodes"]) == sorted(acme_graph)
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == sorted(acme_graph.edges())
    assert data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    nodes = {n["id"]: n for n in data["nodes"]}
    # service flows left to right: vendors first column, customers last
    assert max(nodes[v]["x"] for v in ("vendor-cloud", "vendor-itsm")) < nodes["platform"]["x"]
    assert nodes["warehouse"]["x"] < nodes["shoppers"]["x"] == nodes["online"]["x"]
    assert {nodes[n]["shape"] for n in ("shoppers", "vendor-itsm", "desk-eu")} == {
        "diamond",
        "square",
        "dot",
    }


def test_edges_show_required_optional_and_any_of(
    acme_graph: nx.DiGraph, acme_report: Report
) -> None:
    edges = {
        (e["from"], e["to"]): e for e in page_data(render_html(acme_graph, acme_report))["edges"]
    }
    required, optional, alternative = (
        edges["warehouse", "stores"],
        edges["data", "web-shop"],
        edges["desk-eu", "stores"],
    )
    assert required["dashes"] is False
    assert optional["dashes"] and alternative["dashes"]
    assert optional["dashes"] != alternative["dashes"]
    assert (
        len({required["color"]["color"], optional["color"]["color"], alternative["color"]["color"]})
        == 3
    )
    assert required["width"] > edges["identity", "web-shop"]["width"]  # volume 400 vs none
    assert "any of: alternatives desk-eu, desk-us" in alternative["title"]
    assert "optional" in optional["title"]


LEGEND_LINE = re.compile(r'<span class="ln" style="border-top:3px (\w+) (#[0-9a-f]{6})"></span>')
LEGEND = re.compile(r'<details id="orggraph-legend"[^>]*>(.*?)</details>', re.DOTALL)


def _drawn_and_listed(page: str) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The links' looks the page draws and the ones its legend lists, each as (style, colour)."""
    styles = {"false": "solid", "[8, 6]": "dashed", "[2, 5]": "dotted"}
    drawn = {
        (styles[json.dumps(e["dashes"])], e["color"]["color"]) for e in page_data(page)["edges"]
    }
    legend = LEGEND.search(page)
    assert legend is not None
    return drawn, set(LEGEND_LINE.findall(legend.group(1)))


def test_the_legend_lists_the_links_as_drawn(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    small, small_legend = _drawn_and_listed(render_html(acme_graph, acme_report))
    assert small == small_legend
    assert {style for style, _ in small} == {"solid", "dashed", "dotted"}
    G = synthetic(LARGE_VIEW + 100, customers=10, vendors=10)
    assert G.number_of_nodes() > LARGE_VIEW
    large, large_legend = _drawn_and_listed(render_html(G, analyze(G)))
    assert (
        large
        == large_legend
        == {
            ("solid", REQUIRED_EDGE),
            ("solid", OPTIONAL_EDGE_SOLID),
            ("solid", ANY_OF_EDGE),
        }
    )


@pytest.mark.parametrize("extra", [0, 1])
def test_above_the_large_view_threshold_links_are_solid(extra: int) -> None:
    """At :data:`LARGE_VIEW` parties links keep their dashes; one more and every link is solid,
    an optional one pale grey, an alternative teal, where links also hide while zooming."""
    G = synthetic(LARGE_VIEW - 30 + extra, customers=20, vendors=10)
    assert G.number_of_nodes() == LARGE_VIEW + extra
    data = page_data(render_html(G, analyze(G)))
    large = extra > 0
    assert data["meta"]["solidLinks"] is large
    assert data["options"]["interaction"]["hideEdgesOnZoom"] is large
    looks: dict[str, set[tuple[str, str]]] = {"required": set(), "optional": set(), "any_of": set()}
    for edge in data["edges"]:
        dependency = G.edges[edge["from"], edge["to"]]
        kind = (
            "any_of"
            if dependency.get(ANY_OF) is not None
            else "required"
            if dependency.get(REQUIRED, True)
            else "optional"
        )
        looks[kind].add((json.dumps(edge["dashes"]), edge["color"]["color"]))
    if large:
        assert looks == {
            "required": {("false", REQUIRED_EDGE)},
            "optional": {("false", OPTIONAL_EDGE_SOLID)},
            "any_of": {("false", ANY_OF_EDGE)},
        }
    else:
        assert looks == {
            "required": {("false", REQUIRED_EDGE)},
            "optional": {("[8, 6]", OPTIONAL_EDGE)},
            "any_of": {("[2, 5]", ANY_OF_EDGE)},
        }


def test_critical_and_overloaded_stand_out(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    nodes = {n["id"]: n for n in page_data(render_html(acme_graph, acme_report))["nodes"]}
    critical = acme_report.critical_suppliers[0].id
    assert nodes[critical]["borderWidth"] >= 4
    assert "critical supplier #1: impact weight" in nodes[critical]["title"]
    assert nodes["recruiting"]["borderWidth"] == 1  # no customer depends on it
    overloaded = [b.id for b in acme_report.bottlenecks if b.overloaded]
    assert overloaded
    for unit in overloaded:
        assert "(overloaded)" in nodes[unit]["title"]
        if unit not in {c.id for c in acme_report.critical_suppliers}:
            assert nodes[unit]["shapeProperties"]["borderDashes"]


def test_tooltips_carry_facts_and_figures(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    nodes = {n["id"]: n for n in page_data(render_html(acme_graph, acme_report))["nodes"]}
    desk = nodes["desk-eu"]["title"]
    for fact in ("Service Desk EU  (desk-eu)", "department: IT (it)", "site: Dublin",
                 "tags: support", "own lead time 4h", "quality 0.92", "betweenness",
                 "line of sight: 2 edges", "per week"):  # fmt: skip
        assert fact in desk, fact
    shoppers = nodes["shoppers"]["title"]
    assert "critical chain: " in shoppers and "end-to-end lead time" in shoppers


def test_hostile_text_never_reaches_the_page_as_markup(
    hostile_graph: nx.DiGraph, hostile_report: Report
) -> None:
    page = render_html(hostile_graph, hostile_report, title="<b id=title>" + HOSTILE_NAMES[1])
    # escaped text such as "&lt;img src=x onerror=…" is fine: it can never become markup
    for payload in ("<img", "<script>window", "<a href", "<!-- <script", "<b id"):
        assert payload not in page
    assert "\u2028" not in page and "\u2029" not in page
    data = page_data(page)  # the data block still decodes to exactly the original text
    titles = "\n".join(n["title"] for n in data["nodes"]) + "\n".join(
        e["title"] for e in data["edges"]
    )
    assert HOSTILE_NAMES[0] in titles and HOSTILE_NAMES[1] in titles
    assert html.escape(HOSTILE_NAMES[1]) in page  # heading and title, as text


def test_above_the_size_limit_the_page_is_the_overview() -> None:
    G = synthetic(MAX_VIEW_NODES + 10, customers=5, vendors=5)
    report = analyze(G)
    data = page_data(render_html(G, report))
    assert data["meta"]["view"] == "overview"
    assert len(data["nodes"]) == 12 + 5 + 5  # departments, customers, vendors
    collapsed = page_data(render_html(G, report, collapse="department"))
    assert collapsed["meta"]["view"] == "collapse"  # small enough to draw: the collapsed view
    assert len(collapsed["nodes"]) == 12 + 5 + 5
    focused = page_data(render_html(G, report, focus="u00100", depth=1))
    assert 1 < len(focused["nodes"]) < 20
    with pytest.raises(UsageError, match="above 2000 is unreadable: use a smaller depth"):
        render_html(G, report, focus="dept-00", depth=40)


def test_focus_keeps_the_neighbourhood(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    one = page_data(render_html(acme_graph, acme_report, focus="warehouse"))
    assert {n["id"] for n in one["nodes"]} == {
        "warehouse",
        "vendor-logistics",
        "desk-eu",
        "desk-us",
        "stores",
        "web-shop",
        "wholesale",
    }
    assert one["meta"]["view"] == "focus"
    two = page_data(render_html(acme_graph, acme_report, focus="warehouse", depth=2))
    assert {"identity", "vendor-itsm", "shoppers", "online", "call-centre"} <= {
        n["id"] for n in two["nodes"]
    }
    zero = page_data(render_html(acme_graph, acme_report, focus="warehouse", depth=0))
    assert [n["id"] for n in zero["nodes"]] == ["warehouse"]
    centre = next(n for n in one["nodes"] if n["id"] == "warehouse")
    assert centre["shadow"]["enabled"] is True


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"focus": "warehose"}, "no party with id 'warehose'; did you mean 'warehouse'?"),
        ({"focus": "zzz"}, "no party with id 'zzz'"),
        ({"chain": "shopper"}, "no customer with id 'shopper'; did you mean 'shoppers'?"),
        (
            {"chain": "stores"},
            "'stores' is a unit, not a customer: a critical chain ends at a customer",
        ),
        ({"collapse": "team"}, "cannot collapse by 'team': the only mode is 'department'"),
        ({"focus": "stores", "depth": -1}, "depth must be 0 or more, not -1"),
    ],
)
def test_usage_errors(
    acme_graph: nx.DiGraph, acme_report: Report, kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(UsageError) as info:
        render_html(acme_graph, acme_report, **kwargs)
    assert str(info.value) == message


def test_chain_highlights_the_critical_chain(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    data = page_data(render_html(acme_graph, acme_report, chain="shoppers"))
    chain = next(c for c in acme_report.service_chains if c.customer == "shoppers").critical_chain
    assert data["meta"]["chain"] == sorted(chain)
    nodes = {n["id"]: n for n in data["nodes"]}
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    highlighted = {k for k, e in edges.items() if e["color"]["color"] == "#ff6f00"}
    assert highlighted == set(itertools.pairwise(chain))
    assert nodes["recruiting"]["color"]["background"] == "#e4e4e4"
    assert nodes[chain[0]]["color"]["background"] != "#e4e4e4"


def test_collapse_by_department(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    data = page_data(render_html(acme_graph, acme_report, collapse="department"))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == {
        "it", "ops", "finance", "hr",
        "shoppers", "online", "wholesale",
        "vendor-cloud", "vendor-itsm", "vendor-logistics", "vendor-payroll",
    }  # fmt: skip
    assert nodes["it"]["shape"] == "hexagon" and nodes["it"]["label"] == "IT (6)"
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    # every dependency of an ops unit on an it unit, any_of alternatives included
    it_ops = sum(
        1
        for u, v in acme_graph.edges()
        if acme_graph.nodes[u].get("parent") == "it" and acme_graph.nodes[v].get("parent") == "ops"
    )
    assert f"{it_ops} dependencies" in edges["it", "ops"]["title"]
    assert "members: " in nodes["ops"]["title"]
    focused = page_data(
        render_html(acme_graph, acme_report, collapse="department", focus="stores", depth=1)
    )
    assert "ops" in {n["id"] for n in focused["nodes"]}


def test_same_input_same_bytes_whatever_the_insertion_order(
    acme_graph: nx.DiGraph, acme_report: Report
) -> None:
    rng = random.Random(3)
    nodes = list(acme_graph.nodes(data=True))
    edges = list(acme_graph.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    shuffled = nx.DiGraph()
    shuffled.graph.update(acme_graph.graph)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)
    assert render_html(shuffled, acme_report) == render_html(acme_graph, acme_report)


def test_the_graph_is_not_modified(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    before = nx.node_link_data(acme_graph, edges="edges")
    render_html(acme_graph, acme_report, collapse="department", chain="online", focus="it")
    assert nx.node_link_data(acme_graph, edges="edges") == before


def test_empty_organization() -> None:
    G = nx.DiGraph()
    G.graph["organization"] = {"name": None, "period": None}
    page = render_html(G, analyze(G))
    assert page_data(page)["nodes"] == []
    assert "<title>orggraph view</title>" in page


def test_iframe_for_notebooks(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    page = render_html(acme_graph, acme_report)
    frame = html_iframe(page, height=480)
    assert frame.startswith('<iframe srcdoc="') and frame.endswith("</iframe>")
    assert 'sandbox="allow-scripts allow-downloads"' in frame and "height:480px" in frame
    srcdoc = re.search(r'srcdoc="([^"]*)"', frame)
    assert srcdoc is not None and html.unescape(srcdoc.group(1)) == page
    with pytest.raises(UsageError):
        html_iframe(page, height=0)


def test_report_alone_is_enough(acme_graph: nx.DiGraph) -> None:
    """A report with no per-party figures (an older or partial Report) still renders."""
    bare = dataclasses.replace(analyze(acme_graph), loads={}, betweenness={})
    data = page_data(render_html(acme_graph, bare))
    assert len(data["nodes"]) == acme_graph.number_of_nodes()


def test_cycles_and_loose_parties_are_drawn() -> None:
    from orggraph.graph import build_graph
    from orggraph.model import load_dict

    G = build_graph(
        load_dict(
            {
                "units": [
                    {"id": "finance", "depends_on": ["procurement"]},
                    {"id": "procurement", "depends_on": ["finance", "vendor"]},
                    {"id": "archive"},
                    {"id": "sales", "depends_on": ["finance"]},
                ],
                "customers": [{"id": "c", "depends_on": ["sales"]}],
                "vendors": [{"id": "vendor"}],
            }
        )
    )
    data = page_data(render_html(G, analyze(G)))
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == set(G)
    # a small cycle stands side by side, its back edge curved round, not stacked in one column
    first, second = sorted(("finance", "procurement"), key=lambda n: nodes[n]["x"])
    assert nodes["vendor"]["x"] < nodes[first]["x"] < nodes[second]["x"] <= nodes["sales"]["x"]
    assert nodes["sales"]["x"] < nodes["c"]["x"]
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edges[second, first]["smooth"]["type"] == "curvedCW"
    assert "smooth" not in edges[first, second]
    assert len({(n["x"], n["y"]) for n in nodes.values()}) == len(nodes)  # no overlaps
    # a party with no dependency sits on the shelf above the drawing, not loose in a column
    assert nodes["archive"]["shelf"] is True and data["meta"]["shelf"] == 1
    assert nodes["archive"]["y"] < min(n["y"] for k, n in nodes.items() if k != "archive")


def test_collapsed_customers_keep_their_facts(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    full = {n["id"]: n for n in page_data(render_html(acme_graph, acme_report))["nodes"]}
    collapsed = {
        n["id"]: n
        for n in page_data(render_html(acme_graph, acme_report, collapse="department"))["nodes"]
    }
    for party in ("shoppers", "vendor-itsm"):
        assert collapsed[party]["title"] == full[party]["title"]
        assert collapsed[party]["color"] == full[party]["color"]


def test_a_single_headquarters_is_not_the_only_department() -> None:
    from orggraph.graph import build_graph
    from orggraph.model import load_dict

    G = build_graph(
        load_dict(
            {
                "units": [
                    {"id": "hq", "kind": "department"},
                    {"id": "sales", "parent": "hq", "kind": "department"},
                    {"id": "ops", "parent": "hq", "kind": "department"},
                    {"id": "s1", "parent": "sales"},
                    {"id": "s2", "parent": "sales", "depends_on": ["o1"]},
                    {"id": "o1", "parent": "ops"},
                    {"id": "o2", "parent": "ops", "depends_on": ["o1"]},
                ],
                "customers": [{"id": "c", "depends_on": ["s1", "s2", "o2"]}],
            }
        )
    )
    data = page_data(render_html(G, analyze(G), collapse="department"))
    assert {n["id"] for n in data["nodes"]} == {"hq", "sales", "ops", "c"}
    assert {(e["from"], e["to"]) for e in data["edges"]} == {
        ("ops", "sales"),
        ("sales", "c"),
        ("ops", "c"),
    }

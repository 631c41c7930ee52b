"""Groups in the views (SPEC §7): a focus on a department is a focus on its members, the
collapsed view draws the implied group-to-group dependencies, group tooltips and the plot.

The org, worked by hand: hq holds one department, company, which holds sales (s1, s2) and ops
(o1, o2). s1 and s2 need o1 (volumes 3 and 2), s2 would like o2 (optional), o1 needs the vendor v.
Customer c (weight 2) needs s1 and s2; d (weight 1) needs o2.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from orggraph.analysis import analyze, group_dependencies
from orggraph.cli import app
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render._views import collapse_level, top_departments
from orggraph.render.html import render_html

ORG: dict[str, Any] = {
    "units": [
        {"id": "hq", "kind": "department"},
        {"id": "company", "kind": "department", "parent": "hq"},
        {"id": "sales", "kind": "department", "parent": "company"},
        {"id": "ops", "kind": "department", "parent": "company"},
        {"id": "s1", "parent": "sales", "depends_on": [{"supplier": "o1", "volume": 3}]},
        {
            "id": "s2",
            "parent": "sales",
            "depends_on": [
                {"supplier": "o1", "volume": 2},
                {"supplier": "o2", "required": False},
            ],
        },
        {"id": "o1", "parent": "ops", "depends_on": ["v"]},
        {"id": "o2", "parent": "ops"},
    ],
    "customers": [
        {"id": "c", "weight": 2, "depends_on": ["s1", "s2"]},
        {"id": "d", "weight": 1, "depends_on": ["o2"]},
    ],
    "vendors": [{"id": "v"}],
}
DATA_BLOCK = re.compile(r'id="orggraph-data">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def G() -> nx.DiGraph:
    return build_graph(load_dict(ORG))


def page_data(page: str) -> dict[str, Any]:
    match = DATA_BLOCK.search(page)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_a_root_with_a_single_child_department_is_descended(G: nx.DiGraph) -> None:
    # level 0 holds one group (hq), level 1 one (company): the first level that splits is 2
    assert collapse_level(G) == 2
    root = top_departments(G)
    assert {n: root[n] for n in ("hq", "company", "s1", "o2", "sales", "c", "v")} == {
        "hq": "hq",
        "company": "company",
        "s1": "sales",
        "o2": "ops",
        "sales": "sales",
        "c": "c",
        "v": "v",
    }


def test_the_collapse_stays_at_the_roots_when_they_split() -> None:
    two = build_graph(
        load_dict({"units": [{"id": "a"}, {"id": "a1", "parent": "a"}, {"id": "b"},
                             {"id": "b1", "parent": "b"}]})
    )  # fmt: skip
    assert collapse_level(two) == 0
    # a flat organization (one root, its members all leaves) stays one department
    flat = build_graph(load_dict({"units": [{"id": "a"}, {"id": "a1", "parent": "a"}]}))
    assert collapse_level(flat) == 0


def test_collapsed_view_draws_the_implied_group_dependencies(G: nx.DiGraph) -> None:
    data = page_data(render_html(G, analyze(G), collapse="department"))
    assert {n["id"] for n in data["nodes"]} == {"hq", "company", "sales", "ops", "c", "d", "v"}
    edges = {(e["from"], e["to"]): e["title"] for e in data["edges"]}
    implied = {(g.supplier, g.consumer): g for g in group_dependencies(G, 2)}
    assert set(edges) == set(implied) == {("ops", "sales"), ("sales", "c"), ("ops", "d"),
                                          ("v", "ops")}  # fmt: skip
    # o1 -> s1 (3), o1 -> s2 (2), o2 -> s2 (optional, no volume)
    assert (implied["ops", "sales"].dependencies, implied["ops", "sales"].volume) == (3, 5.0)
    assert edges["ops", "sales"].splitlines()[1:3] == [
        "3 dependencies (2 required, 1 optional)",
        "volume 5 (summed)",
    ]
    assert edges["sales", "c"].splitlines()[1] == "2 dependencies (2 required, 0 optional)"


def test_group_tooltips_show_members_and_group_impact(G: nx.DiGraph) -> None:
    report = analyze(G)
    # ops with o1 and o2: s1 and s2 lose o1, so c (2) and d (1); sales has lost all its members,
    # then company and hq have: 5 more units
    (ops,) = [g for g in report.groups if g.id == "ops"]
    assert (ops.members, ops.impact_weight, ops.impacted_units, ops.critical_members) == (
        2, 3.0, 5, 2,
    )  # fmt: skip
    full = {n["id"]: n for n in page_data(render_html(G, report))["nodes"]}
    lines = full["ops"]["title"].splitlines()
    assert "group of 2 members (its whole subtree in the org chart)" in lines
    assert (
        "if it fails, with all its members: impact weight 3 (2 customers, 5 more units lose "
        "service)" in lines
    )
    assert "2 of its members are critical suppliers" in lines
    assert full["ops"]["shape"] == "hexagon" and full["o1"]["shape"] == "dot"
    collapsed = {
        n["id"]: n for n in page_data(render_html(G, report, collapse="department"))["nodes"]
    }
    title = collapsed["sales"]["title"].splitlines()
    # sales with s1 and s2: c (2), nothing else
    assert title[1] == "department: group of 2 members (its whole subtree in the org chart)"
    assert title[2] == (
        "if it fails, with all its members: impact weight 2 (1 customer, 0 more units lose service)"
    )


def test_focus_on_a_department_is_a_focus_on_its_members(G: nx.DiGraph) -> None:
    report = analyze(G)
    one = page_data(render_html(G, report, focus="ops", depth=1))
    # ops, o1, o2; upstream of o1: v; downstream: s1, s2 (o1 and o2) and d (o2)
    assert {n["id"] for n in one["nodes"]} == {"ops", "o1", "o2", "v", "s1", "s2", "d"}
    shadowed = {n["id"] for n in one["nodes"] if "shadow" in n}
    assert shadowed == {"ops", "o1", "o2"}
    zero = page_data(render_html(G, report, focus="company", depth=0))
    assert {n["id"] for n in zero["nodes"]} == {"company", "sales", "ops", "s1", "s2", "o1", "o2"}
    # a party without members is focused as before
    alone = page_data(render_html(G, report, focus="o2", depth=1))
    assert {n["id"] for n in alone["nodes"]} == {"o2", "s2", "d"}


def test_view_command_focus_on_a_department(tmp_path: Path) -> None:
    import yaml

    org = tmp_path / "org.yaml"
    org.write_text(yaml.safe_dump(ORG), encoding="utf-8")
    result = CliRunner().invoke(app, ["view", str(org), "--focus", "ops", "-o", "-"])
    assert result.exit_code == 0, result.output
    assert "neighbourhood of ops and its 2 members at depth 1: 7 of 11 parties" in result.stdout


def test_plot_draws_groups_as_hexagons(G: nx.DiGraph) -> None:
    from orggraph.render.plot import plot_graph

    fig = plot_graph(G, analyze(G))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "group: fails with its members" in labels
    # one marker per party, in id order; a hexagon's path has 7 vertices (a circle's 26, a
    # square's and a diamond's 5): hq, company, sales and ops
    markers = [c for c in fig.axes[0].collections if len(c.get_offsets()) == 1]
    assert len(markers) == G.number_of_nodes()
    hexagons = {n for n, c in zip(sorted(G), markers, strict=True) if len(c.get_paths()[0]) == 7}
    assert hexagons == {"hq", "company", "sales", "ops"}

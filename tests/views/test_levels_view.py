"""Scenarios and service levels in the view (SPEC §7, §8): ``--scenario`` marks what fails, what
loses service, what runs degraded and what is untouched; tooltips show promises, perceived quality
and unmet expectations; ``--colour quality`` fills parties by their quality.

The org, worked by hand: the department ops holds o1 (recovery 6h, lead 1d, quality 0.9) and
o2. shop needs o1 (expecting quality 0.95 and lead time 4h); cafe would like o2 (optional); other
stands alone (quality 0.5). Customers: c1 needs shop (promised recovery 4h, lead time 2d), c2 needs
o1 (promised recovery 8h, quality 0.95), c3 needs cafe, c4 needs other. Scenario ops-down fails
ops: o1 and o2 fail with it, shop and c1, c2 lose service (c1 back after o1's 6h, past its 4h; c2
within its 8h), cafe and c3 run degraded, other and c4 are untouched.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from orggraph.analysis import analyze, evaluate_scenario
from orggraph.analysis.report import Report
from orggraph.cli import app
from orggraph.errors import UsageError
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.model.survey import load_survey
from orggraph.render._style import NO_SCORE, SCENARIO, quality_colour
from orggraph.render.html import render_html

from .conftest import OpenView

ORG: dict[str, Any] = {
    "organization": {"name": "Levels"},
    "units": [
        {"id": "ops", "name": "Operations", "kind": "department"},
        {"id": "o1", "parent": "ops", "recovery_time": "6h", "lead_time": "1d", "quality": 0.9},
        {"id": "o2", "parent": "ops"},
        {
            "id": "shop",
            "depends_on": [{"supplier": "o1", "expects": {"quality": 0.95, "lead_time": "4h"}}],
        },
        {"id": "cafe", "depends_on": [{"supplier": "o2", "required": False}]},
        {"id": "other", "quality": 0.5},
    ],
    "customers": [
        {
            "id": "c1",
            "name": "Walk-in buyers",
            "promise": {"recovery": "4h", "lead_time": "2d"},
            "depends_on": ["shop"],
        },
        {"id": "c2", "promise": {"recovery": "8h", "quality": 0.95}, "depends_on": ["o1"]},
        {"id": "c3", "depends_on": ["cafe"]},
        {"id": "c4", "depends_on": ["other"]},
    ],
    "scenarios": [{"id": "ops-down", "name": "Operations lost", "fail": ["ops"]}],
}

STATES = {
    "ops": "failed",
    "o1": "failed",
    "o2": "failed",
    "shop": "impacted",
    "c1": "impacted",
    "c2": "impacted",
    "cafe": "degraded",
    "c3": "degraded",
    "other": "untouched",
    "c4": "untouched",
}

DATA_BLOCK = re.compile(r'<script type="application/json" id="orggraph-data">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    return build_graph(load_dict(ORG))


@pytest.fixture(scope="module")
def report(graph: nx.DiGraph) -> Report:
    return analyze(graph)


def nodes_of(page: str) -> dict[str, dict[str, Any]]:
    match = DATA_BLOCK.search(page)
    assert match is not None
    return {n["id"]: n for n in json.loads(match.group(1))["nodes"]}


def test_scenario_marks_failed_impacted_degraded_and_untouched(
    graph: nx.DiGraph, report: Report
) -> None:
    page = render_html(graph, report, scenario="ops-down")
    nodes = nodes_of(page)
    found = {n: next(s for s, c in SCENARIO.items() if c[0] == v["color"]["background"])
             for n, v in nodes.items()}  # fmt: skip
    assert found == STATES
    assert nodes["o1"]["borderWidth"] > nodes["shop"]["borderWidth"] > nodes["c4"]["borderWidth"]
    assert "<h1>Levels — scenario: Operations lost (ops-down)</h1>" in page
    legend = page[page.index('id="orggraph-legend"') : page.index("</details>")]
    for words in ("fails in scenario ops-down", "loses service", "runs degraded", "untouched"):
        assert words in legend
    assert "critical supplier" not in legend  # the scenario's states replace the alarm borders


def test_summary_lists_impacted_customers_with_their_tolerance(
    graph: nx.DiGraph, report: Report
) -> None:
    page = render_html(graph, report, scenario="ops-down")
    block = re.search(r'<div id="orggraph-scenario" data-scenario="ops-down">(.*?)</div>', page)
    assert block is not None
    assert (
        "Scenario Operations lost (ops-down): 1 party fails with 2 members; 2 customers and"
        " 1 unit lose service; impact weight 2 (50% of all customer weight)." in block.group(1)
    )
    items = re.findall(r'<li data-customer="([^"]+)" data-tolerance="(\w+)">([^<]*)</li>', page)
    assert items == [
        (
            "c1",
            "past",
            "Walk-in buyers (c1): back after 6h, tolerance 4h: past its tolerance (set by o1)",
        ),
        ("c2", "within", "c2: back after 6h, tolerance 8h: within its tolerance (set by o1)"),
    ]


def test_scenario_tooltips_say_the_state(graph: nx.DiGraph, report: Report) -> None:
    nodes = nodes_of(render_html(graph, report, scenario="ops-down"))
    assert nodes["c1"]["title"].endswith(
        "scenario ops-down: loses service; back after 6h, tolerance 4h (past its tolerance)"
    )
    assert nodes["o2"]["title"].endswith("scenario ops-down: fails")
    assert nodes["c4"]["title"].endswith("scenario ops-down: untouched")


def test_a_scenario_defined_inline_draws_the_same(graph: nx.DiGraph, report: Report) -> None:
    inline = evaluate_scenario(graph, ["ops"], id="ops-down", name="Operations lost")
    assert render_html(graph, report, scenario=inline) == render_html(
        graph, report, scenario="ops-down"
    )


def test_collapsed_departments_take_the_state_of_their_members(
    graph: nx.DiGraph, report: Report
) -> None:
    nodes = nodes_of(render_html(graph, report, scenario="ops-down", collapse="department"))
    assert nodes["ops"]["color"]["background"] == SCENARIO["failed"][0]
    assert nodes["c4"]["color"]["background"] == SCENARIO["untouched"][0]


def test_unknown_scenario_gets_did_you_mean(graph: nx.DiGraph, report: Report) -> None:
    with pytest.raises(UsageError, match=r"unknown scenario 'ops-dwn'; did you mean 'ops-down'\?"):
        render_html(graph, report, scenario="ops-dwn")


def test_view_command_scenario_and_colour(tmp_path: Path) -> None:
    import yaml

    org = tmp_path / "org.yaml"
    org.write_text(yaml.safe_dump(ORG), encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "v.html"
    bad = runner.invoke(app, ["view", str(org), "--scenario", "ops-dwn", "-o", str(out)])
    assert bad.exit_code == 2
    assert "unknown scenario 'ops-dwn'; did you mean 'ops-down'?" in bad.output
    assert not out.exists()
    bad = runner.invoke(app, ["view", str(org), "--colour", "qualty", "-o", str(out)])
    assert bad.exit_code == 2
    assert "cannot colour by 'qualty'; did you mean 'quality'?" in bad.output
    for spelling in ("--colour", "--color"):
        ok = runner.invoke(
            app, ["view", str(org), "--scenario", "ops-down", spelling, "quality", "-o", str(out)]
        )
        assert ok.exit_code == 0, ok.output
        page = out.read_text(encoding="utf-8")
        assert 'data-scenario="ops-down"' in page
        assert '"colour":"quality"' in page


def test_customer_tooltip_shows_its_promises(graph: nx.DiGraph, report: Report) -> None:
    nodes = nodes_of(render_html(graph, report))
    c1 = nodes["c1"]["title"].splitlines()
    assert "promise lead time 2d: actual 1d, met" in c1
    assert "promise recovery 4h: actual 6h, NOT met (set by o1)" in c1
    assert "back 6h after a disruption (set by o1)" in c1
    assert "promise quality 0.95: actual 0.90, NOT met (set by o1)" in nodes["c2"]["title"]


def test_supplier_tooltip_shows_unmet_expectations_and_effective_levels(
    graph: nx.DiGraph, report: Report
) -> None:
    o1 = nodes_of(render_html(graph, report))["o1"]["title"].splitlines()
    assert "effective (with its suppliers): lead time 1d · quality 0.90 · recovery 6h" in o1
    assert "falls short for shop: lead time expected 4h, gets 1d" in o1
    assert "falls short for shop: quality expected 0.95, gets 0.90" in o1
    assert not any(line.startswith("perceived") for line in o1)  # no survey given


def test_supplier_tooltip_shows_perceived_quality(tmp_path: Path, graph: nx.DiGraph) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("consumer,supplier,score\nshop,o1,3\nshop,o1,2\n", encoding="utf-8")
    report = analyze(graph, survey=load_survey(survey, graph))
    nodes = nodes_of(render_html(graph, report, colour="quality"))
    # scores 3 and 2 on 1-5: 0.5 and 0.25, a mean of 0.375 against the 0.95 expected
    assert (
        "perceived by its internal customers 0.38 (2 responses from 1 internal customer);"
        " expected 0.95, gap -0.57" in nodes["o1"]["title"].splitlines()
    )
    assert nodes["o1"]["color"]["background"] == quality_colour(0.375)


def test_colour_by_quality(graph: nx.DiGraph, report: Report) -> None:
    default = nodes_of(render_html(graph, report))
    assert default == nodes_of(render_html(graph, report, colour="impact"))
    page = render_html(graph, report, colour="quality")
    nodes = nodes_of(page)
    assert nodes["o1"]["color"]["background"] == quality_colour(0.9)  # its own quality
    assert nodes["other"]["color"]["background"] == quality_colour(0.5)
    assert nodes["c4"]["color"]["background"] == quality_colour(0.5)  # what it receives
    assert nodes["o2"]["color"]["background"] == NO_SCORE
    assert nodes["cafe"]["color"]["background"] == NO_SCORE
    # the alarm borders stay: o1 is a critical supplier
    assert nodes["o1"]["color"]["border"] == default["o1"]["color"]["border"]
    assert html.escape("fill: quality, red 0 → green 1") in page
    assert quality_colour(0.0) == "#d92626" and quality_colour(1.0) == "#26d926"


def test_scenario_view_in_the_browser(
    open_view: OpenView, graph: nx.DiGraph, report: Report
) -> None:
    view = open_view(render_html(graph, report, scenario="ops-down"))
    drawn = view.evaluate(
        "window.orggraphNetwork.body.data.nodes.get().map(function(n){"
        "return [n.id, n.color.background];})"
    )
    assert dict(drawn) == {n: SCENARIO[s][0] for n, s in STATES.items()}
    listed = view.page.locator("#orggraph-scenario li").all_text_contents()
    assert listed[0].startswith("Walk-in buyers (c1): back after 6h, tolerance 4h: past")
    tip = view.tooltip("c1")
    assert "scenario ops-down: loses service" in tip["text"]
    assert tip["elements"] <= tip["text"].count("\n")  # plain text: only <br>s, no markup
    view.assert_clean()

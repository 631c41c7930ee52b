"""SPEC §7 scenarios on small hand-worked orgs: where semantics, fail with members, recovery
against tolerance, the model's located errors, and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from orggraph.analysis import analyze, evaluate_scenarios, scenario_matches
from orggraph.cli import app
from orggraph.errors import OrgValidationError
from orggraph.graph import build_graph
from orggraph.model import load_dict

ORG: dict[str, Any] = {
    "units": [
        {"id": "it", "name": "IT department", "kind": "department", "recovery_time": "2h"},
        {
            "id": "desk",
            "parent": "it",
            "recovery_time": "6h",
            "owner": "jane",
            "attributes": {"site": "Dublin", "floor": 3, "kind": "legacy", "ok": True},
        },
        {"id": "network", "parent": "it", "recovery_time": "1h", "tags": ["infra", "core"]},
        {"id": "shop", "recovery_time": "1d", "depends_on": ["desk"]},
        {"id": "web", "depends_on": [{"any_of": ["network", "cdn"]}]},
    ],
    "vendors": [
        {"id": "cdn", "recovery_time": "3h", "attributes": {"site": ["Dublin", "Cork"]}},
    ],
    "customers": [
        {
            "id": "shoppers",
            "weight": 3,
            "promise": {"recovery": "8h"},
            "attributes": {"site": "Dublin"},
            "depends_on": ["shop"],
        },
        {"id": "online", "promise": {"recovery": "2h"}, "depends_on": ["web"]},
    ],
    "scenarios": [
        {"id": "it-down", "name": "IT lost", "fail": ["it"]},
        {"id": "dublin", "where": {"site": "Dublin"}},
        {"id": "nowhere", "where": {"sight": "Dublin"}},
    ],
}


def graph(data: dict[str, Any] = ORG) -> nx.DiGraph:
    return build_graph(load_dict(data))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"floor": "3"}, ["desk"]),  # a number compared as text
        ({"floor": 3}, ["desk"]),
        ({"ok": "true"}, ["desk"]),  # a bool as JSON writes it
        ({"site": "Cork"}, ["cdn"]),  # a list attribute matches by any element
        ({"site": "Dublin"}, ["cdn", "desk"]),  # customers never match
        ({"tags": "infra"}, ["network"]),
        ({"tags": ["infra", "core"]}, ["network"]),
        ({"tags": ["infra", "x"]}, []),
        ({"kind": "department"}, ["it"]),
        ({"kind": "legacy"}, []),  # kind is the unit's kind
        ({"attributes.kind": "legacy"}, ["desk"]),
        ({"owner": "jane"}, ["desk"]),
        ({"party": "vendor"}, ["cdn"]),
        ({"party": "unit", "site": "Dublin"}, ["desk"]),
    ],
)
def test_where(where: dict[str, Any], expected: list[str]) -> None:
    assert scenario_matches(graph(), where) == expected


def test_scenarios_fail_members_and_recover_in_parallel() -> None:
    it_down, dublin, nowhere = evaluate_scenarios(graph())
    assert it_down.to_dict() == {
        "id": "it-down",
        "name": "IT lost",
        "failed": ["it"],
        "failed_members": ["desk", "network"],
        "impacted_customers": ["shoppers"],
        "impact_weight": 3.0,
        "impacted_units": 1,
        # only X* counts: desk 6h, not shop's own 1d; within 8h
        "recovery": [{"customer": "shoppers", "hours": 6.0, "tolerance": 8.0, "within": True}],
    }
    assert dublin.failed == ("cdn", "desk") and dublin.impacted_customers == ("shoppers",)
    assert nowhere.failed == () and nowhere.impacted_customers == ()


def test_recovery_past_tolerance_takes_the_fastest_alternative() -> None:
    data = {**ORG, "scenarios": [{"id": "both", "fail": ["network", "cdn"]}]}
    (both,) = evaluate_scenarios(graph(data))
    # web needs network (1h) or cdn (3h): back after the faster, 1h, within online's 2h
    assert [(r.customer, r.hours, r.within, r.culprit) for r in both.recovery] == [
        ("online", 1.0, True, "network")
    ]
    data = {**ORG, "scenarios": [{"id": "cdn", "fail": ["cdn"]}, {"id": "web", "fail": ["web"]}]}
    cdn, web = evaluate_scenarios(graph(data))
    assert cdn.impacted_customers == () and cdn.recovery == ()
    # web has no recovery_time: online is back at once
    assert [(r.hours, r.within) for r in web.recovery] == [(0.0, True)]


def test_report_json_and_warning() -> None:
    report = analyze(graph())
    data = report.to_dict()
    assert list(data)[3:5] == ["groups", "scenarios"]
    assert [x["id"] for x in data["scenarios"]] == ["it-down", "dublin", "nowhere"]
    assert (
        "scenario 'nowhere': where sight=Dublin matches no party (no unit or vendor has an "
        "attribute sight; where keys are kind, owner, party, tags or an attribute name)"
    ) in report.warnings


@pytest.mark.parametrize(
    ("scenarios", "message"),
    [
        ([{"id": "s", "fail": ["shoppers"]}], "customers never fail in a scenario"),
        ([{"id": "s", "fail": ["dsk"]}], "unknown party 'dsk' in fail"),
        ([{"id": "s", "fial": ["desk"]}], "did you mean 'fail'?"),
        ([{"id": "s"}], "a scenario names what fails"),
        ([{"id": "s", "fail": ["it"]}, {"id": "s", "fail": ["it"]}], "duplicate scenario id"),
        ([{"id": "s", "where": {"party": "customer"}}], "customers never fail in a scenario"),
        ([{"id": "s", "where": {"kind": "tem"}}], "did you mean 'team'?"),
    ],
)
def test_invalid_scenarios(scenarios: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(OrgValidationError) as caught:
        load_dict({**ORG, "scenarios": scenarios})
    assert message in str(caught.value)


def test_a_scenario_id_may_equal_a_party_id() -> None:
    (x,) = evaluate_scenarios(graph({**ORG, "scenarios": [{"id": "desk", "fail": ["desk"]}]}))
    assert x.id == "desk" and x.failed == ("desk",)


@pytest.fixture
def org_file(tmp_path: Path) -> Path:
    import yaml

    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(ORG), encoding="utf-8")
    return path


def test_cli_impact_scenario_and_where(org_file: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["impact", str(org_file), "--scenario", "it-down"])
    assert result.exit_code == 0, result.output
    assert "Scenario it-down (IT lost)" in result.output
    assert "2 members fail with it: desk, network" in result.output
    assert "shoppers: back after 6h, within its 8h tolerance; set by desk" in result.output
    result = runner.invoke(app, ["impact", str(org_file), "--where", "floor=3", "-f", "json"])
    assert result.exit_code == 0, result.output
    assert '"scenario": null' in result.output and '"failed": [\n    "desk"' in result.output
    result = runner.invoke(app, ["impact", str(org_file), "--scenario", "it-dwn"])
    assert result.exit_code == 2 and "did you mean 'it-down'?" in result.output
    result = runner.invoke(app, ["impact", str(org_file), "--where", "tags=nope"])
    assert result.exit_code == 2 and "no party matches --where tags=nope" in result.output
    result = runner.invoke(app, ["impact", str(org_file), "it"])
    assert "2 members fail with it: desk, network" in result.output


def test_cli_check_scenarios(org_file: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(org_file), "--max-scenario-impact-weight", "2"])
    assert result.exit_code == 1
    assert (
        "max-scenario-impact-weight: scenario it-down cuts off customer weight 3" in result.output
    )
    assert f"{org_file}:" in result.output
    result = runner.invoke(app, ["check", str(org_file), "--scenario-tolerance"])
    assert result.exit_code == 0, result.output

"""SPEC §9 on small organizations worked out by hand: illusory redundancy, degraded service,
lost backups, failover load (primary/backup and even split), double failures; and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from orggraph import cli
from orggraph.analysis import double_failures, failover, failure_impact, illusory_redundancy
from orggraph.analysis.report import DoubleFailures, Failover, IllusoryRedundancy
from orggraph.graph import build_graph
from orggraph.model import load_dict


def _graph(data: dict[str, Any]) -> nx.DiGraph:
    return build_graph(load_dict(data))


# a and b both need db; c needs nothing. desk's "two ways" are one: db stops both.
# desk2's alternatives share nothing; desk3's group is optional, so it is no redundancy question.
SHARED = {
    "units": [
        {"id": "db"},
        {"id": "a", "depends_on": ["db"]},
        {"id": "b", "depends_on": ["db"]},
        {"id": "c"},
        {"id": "desk", "depends_on": [{"any_of": ["a", "b"]}]},
        {"id": "desk2", "depends_on": [{"any_of": ["a", "c"]}]},
        {"id": "desk3", "depends_on": [{"any_of": ["a", "b"], "required": False}]},
    ],
    "customers": [{"id": "pax", "depends_on": ["desk", "desk2", "desk3"]}],
}


def test_alternatives_behind_one_shared_supplier_are_illusory() -> None:
    assert illusory_redundancy(_graph(SHARED)) == (
        IllusoryRedundancy(party="desk", alternatives=("a", "b"), shared_suppliers=("db",)),
    )


def test_a_chain_behind_the_alternatives_shares_every_link() -> None:
    # db needs vendor v: v, db (and nothing else) each stop both a and b
    data = {
        "units": [
            {"id": "db", "depends_on": ["v"]},
            {"id": "a", "depends_on": ["db"]},
            {"id": "b", "depends_on": ["db"]},
            {"id": "desk", "depends_on": [{"any_of": ["b", "a"]}]},
        ],
        "vendors": [{"id": "v"}],
        "customers": [{"id": "pax", "depends_on": ["desk"]}],
    }
    assert illusory_redundancy(_graph(data)) == (
        IllusoryRedundancy(party="desk", alternatives=("a", "b"), shared_suppliers=("db", "v")),
    )


# s is a nice-to-have of t; u needs t; v has s or w; cust needs u, cust2 needs v.
DEGRADE = {
    "units": [
        {"id": "s"},
        {"id": "w"},
        {"id": "t", "depends_on": [{"supplier": "s", "required": False}]},
        {"id": "u", "depends_on": ["t"]},
        {"id": "v", "depends_on": [{"any_of": ["s", "w"]}]},
    ],
    "customers": [
        {"id": "cust", "depends_on": ["u"]},
        {"id": "cust2", "depends_on": ["v"]},
    ],
}


def test_degraded_through_an_optional_dependency_and_a_degraded_supplier() -> None:
    impact = failure_impact(_graph(DEGRADE), ["s"])
    assert impact.failed == ("s",)
    assert impact.impacted_units == () and impact.impacted_customers == ()
    assert impact.degraded_units == ("t", "u")  # t lost a nice-to-have; u requires t
    assert impact.degraded_customers == ("cust",)  # requires u, which runs degraded
    assert impact.redundancy_lost == ("v",)  # still served by w, with no backup left


def test_a_failed_party_is_not_degraded_and_a_lost_group_is_not_a_lost_backup() -> None:
    impact = failure_impact(_graph(DEGRADE), ["s", "w"])
    assert impact.impacted_units == ("v",)
    assert impact.impacted_customers == ("cust2",)
    assert impact.degraded_units == ("t", "u")
    assert impact.degraded_customers == ("cust",)
    assert impact.redundancy_lost == ()


def test_optional_any_of_all_lost_degrades() -> None:
    data = {
        "units": [
            {"id": "x"},
            {"id": "y"},
            {"id": "t", "depends_on": [{"any_of": ["x", "y"], "required": False}]},
        ],
        "customers": [{"id": "c", "depends_on": ["t"]}],
    }
    G = _graph(data)
    assert failure_impact(G, ["x"]).degraded_units == ()  # y still gives the nice-to-have
    both = failure_impact(G, ["x", "y"])
    assert both.degraded_units == ("t",) and both.degraded_customers == ("c",)
    assert both.redundancy_lost == ()  # only required groups count


def test_failover_primary_and_backup() -> None:
    # in normal operation p carries all 80, b nothing; when p fails, b gets 80 on a capacity of 50
    data = {
        "units": [
            {"id": "p", "capacity": 100},
            {"id": "b", "capacity": 50},
            {"id": "desk", "depends_on": [{"any_of": ["p", "b"], "primary": "p", "volume": 80}]},
        ],
        "customers": [{"id": "c", "depends_on": ["desk"]}],
    }
    found = failover(_graph(data))
    assert found == (
        Failover(id="b", load=0.0, worst_failover_load=80.0, capacity=50.0, failing="p"),
    )
    assert found[0].utilization_after == pytest.approx(1.6)
    # p is not listed: when b fails it moves nothing (80 / 100 is its normal 80%)


def test_failover_even_split_and_ties_to_the_smallest_id() -> None:
    # 150 split evenly: 50 each; when a (or b) fails, its 50 splits over the two left: +25 each
    data = {
        "units": [
            {"id": "a", "capacity": 100},
            {"id": "b", "capacity": 100},
            {"id": "c", "capacity": 80},
            {"id": "desk", "depends_on": [{"any_of": ["a", "b", "c"], "volume": 150}]},
        ],
        "customers": [{"id": "pax", "depends_on": ["desk"]}],
    }
    # a and b reach 75% at worst (under the 85% threshold); c reaches 75 / 80 = 93.75%
    assert failover(_graph(data)) == (
        Failover(id="c", load=50.0, worst_failover_load=75.0, capacity=80.0, failing="a"),
    )


def test_failover_volume_of_a_group_lost_whole_moves_nowhere() -> None:
    # db stops both a and b: nothing is left to take their volume, so nothing is overloaded
    data = {
        "units": [
            {"id": "db"},
            {"id": "a", "capacity": 10, "depends_on": ["db"]},
            {"id": "b", "capacity": 10, "depends_on": ["db"]},
            {"id": "desk", "depends_on": [{"any_of": ["a", "b"], "volume": 8}]},
        ],
        "customers": [{"id": "pax", "depends_on": ["desk"]}],
    }
    # a failing alone moves 4 onto b: 8 / 10 = 80%, under the threshold
    assert failover(_graph(data)) == ()
    assert failover(_graph(data), threshold=0.8) == (
        Failover(id="a", load=4.0, worst_failover_load=8.0, capacity=10.0, failing="b"),
        Failover(id="b", load=4.0, worst_failover_load=8.0, capacity=10.0, failing="a"),
    )


# m has x1 or x2; m and n need each other (a cycle); c needs n; c2 has n or the vendor v.
PAIRS = {
    "units": [
        {"id": "x1"},
        {"id": "x2"},
        {"id": "m", "depends_on": [{"any_of": ["x1", "x2"]}, "n"]},
        {"id": "n", "depends_on": ["m"]},
    ],
    "vendors": [{"id": "v"}],
    "customers": [
        {"id": "c", "depends_on": ["n"]},
        {"id": "c2", "depends_on": [{"any_of": ["n", "v"]}]},
    ],
}


def test_pairs_through_a_cycle() -> None:
    # m and n each stop c alone (the cycle falls whole); x1 with x2 stops m, so the cycle
    assert double_failures(_graph(PAIRS), "c") == DoubleFailures("c", (("x1", "x2"),), False)


def test_pairs_across_an_any_of_and_the_limit() -> None:
    # c2 falls when n's side and v both fail: {m, v} and {n, v}; {x1, x2} leaves v up
    G = _graph(PAIRS)
    assert double_failures(G, "c2") == DoubleFailures("c2", (("m", "v"), ("n", "v")), False)
    assert double_failures(G, "c2", 1) == DoubleFailures("c2", (("m", "v"),), True)


runner = CliRunner()


def _file(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "org.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_cli_impact_says_degraded_apart_from_lost(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["impact", _file(tmp_path, DEGRADE), "s"])
    assert result.exit_code == 0, result.output
    assert "No customer loses service." in result.output
    assert "3 parties still have service but run degraded" in result.output
    assert "customers: cust" in result.output
    assert "units: t, u" in result.output
    assert "1 party still served by an alternative, with no backup left" in result.output


def test_cli_pairs_text_and_json(tmp_path: Path) -> None:
    org = _file(tmp_path, PAIRS)
    text = runner.invoke(cli.app, ["impact", org, "--pairs", "c2"])
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[0] == (
        "c2 loses service when both parties of any of these 2 pairs fail (neither alone stops it):"
    )
    assert "  m + v" in text.output and "  n + v" in text.output
    as_json = runner.invoke(
        cli.app, ["impact", org, "--pairs", "c2", "--limit", "1", "--format", "json"]
    )
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == {
        "customer": "c2",
        "pairs": [["m", "v"]],
        "truncated": True,
    }


def test_failover_utilizations_equal_but_for_float_noise_sort_by_id() -> None:
    # u02's worst is 5/6 + 1/6 = 0.9999999999999999 in floats, u05's is 1.0: both are 1.0, so
    # they sort by id (hypothesis found the two the other way round)
    G = build_graph(
        load_dict(
            {
                "units": [
                    {"id": "u00"},
                    {"id": "u01", "parent": "u00"},
                    {"id": "u02", "parent": "u00", "capacity": 1},
                    {"id": "u03", "depends_on": ["u00", "u01", "u02"], "parent": "u00"},
                    {"id": "u04"},
                    {"id": "u05", "capacity": 1},
                    {
                        "id": "u06",
                        "depends_on": [
                            {"any_of": ["u02", "u00"], "required": False, "volume": 1},
                            "u01",
                            "u03",
                            "u04",
                        ],
                    },
                ],
                "customers": [
                    {"id": "c0"},
                    {
                        "id": "c1",
                        "depends_on": [
                            "u00",
                            "u01",
                            {"any_of": ["u02", "u03", "u05"], "required": False, "volume": 1},
                        ],
                    },
                ],
            }
        )
    )
    assert [(f.id, f.failing) for f in failover(G, 0.0)] == [("u02", "u01"), ("u05", "u02")]

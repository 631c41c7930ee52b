"""Cycles, warnings and the whole report: exact text, stable order, the graph left untouched."""

from __future__ import annotations

import copy
import doctest
import importlib
import json
import random
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import (
    BetweennessInfo,
    Load,
    Summary,
    analyze,
    cycles,
    org_warnings,
)
from orggraph.graph import build_graph
from orggraph.model import load_dict


def graph(data: dict[str, Any]) -> nx.DiGraph:
    return build_graph(load_dict(data))


ACME = {
    "organization": {"name": "Acme Retail", "period": "week"},
    "vendors": [{"id": "vendor-itsm", "lead_time": "1d"}],
    "units": [
        {"id": "it", "kind": "department"},
        {
            "id": "desk-eu",
            "parent": "it",
            "capacity": 120,
            "lead_time": "4h",
            "quality": 0.82,
            "depends_on": ["vendor-itsm"],
        },
        {"id": "desk-us", "parent": "it", "capacity": 100, "depends_on": ["vendor-itsm"]},
        {"id": "finance", "depends_on": ["procurement"]},
        {"id": "procurement", "depends_on": ["finance"]},
        {"id": "archive-team", "depends_on": [{"supplier": "finance", "volume": 2}]},
        {
            "id": "stores",
            "lead_time": "2d",
            "depends_on": [{"any_of": ["desk-eu", "desk-us"], "volume": 260}],
        },
    ],
    "customers": [{"id": "shoppers", "weight": 10, "depends_on": ["stores"]}],
}


def test_cycles() -> None:
    G = graph(
        {
            "units": [
                {"id": "procurement", "depends_on": ["finance"]},
                {"id": "finance", "depends_on": ["procurement"]},
                {"id": "c", "depends_on": [{"supplier": "b", "required": False}]},
                {"id": "b", "depends_on": ["a"]},
                {"id": "a", "depends_on": ["c"]},
                {"id": "solo"},
            ]
        }
    )
    assert cycles(G) == (("a", "b", "c"), ("finance", "procurement"))


def test_analyze_acme() -> None:
    report = analyze(graph(ACME))
    assert report.summary == Summary(units=7, customers=1, vendors=1, dependencies=8)
    assert report.organization == {"name": "Acme Retail", "period": "week"}
    # stores, then the vendor both desks need (weight 10, impacts stores, and the department
    # it, whose members have all failed: SPEC §7); each desk alone is covered by the other
    assert [(c.id, c.impacted_units) for c in report.critical_suppliers] == [
        ("vendor-itsm", 4),
        ("stores", 0),
    ]
    # it fails with both desks, its members: stores loses its any_of group
    assert [
        (g.id, g.members, g.impacted_customers, g.impacted_units, g.critical_members)
        for g in report.groups
    ] == [("it", 2, ("shoppers",), 1, 0)]
    # 130 / 120 and 130 / 100
    assert [(b.id, b.reasons[0]) for b in report.bottlenecks] == [
        ("desk-us", "overloaded: utilization 1.30"),
        ("desk-eu", "overloaded: utilization 1.08"),
    ]
    (chain,) = report.service_chains
    # lead: stores 48 + min(desk-eu 4 + 24, desk-us 0 + 24) = 72 via desk-us
    assert chain.critical_chain == ("vendor-itsm", "desk-us", "stores", "shoppers")
    assert chain.lead_time_hours == 72.0
    assert (chain.quality, chain.weakest_link) == (1.0, None)  # the group takes desk-us's 1
    assert report.line_of_sight == (("stores", 1), ("desk-eu", 2), ("desk-us", 2))
    assert report.disconnected_units == ("archive-team", "finance", "procurement")
    assert report.cycles == (("finance", "procurement"),)
    assert report.warnings == (
        "3 units have no path to any customer: archive-team, finance, procurement",
        "dependency cycle: finance → procurement → finance",
        "1 unit receives volume but has no capacity: finance",
    )
    assert report.betweenness_info == BetweennessInfo("exact")
    assert report.threshold == 0.85
    assert sorted(report.loads) == [
        "archive-team",
        "desk-eu",
        "desk-us",
        "finance",
        "it",
        "procurement",
        "stores",
        "vendor-itsm",
    ]
    assert set(report.betweenness) == set(graph(ACME).nodes)
    data = report.to_dict()
    assert list(data) == [
        "organization",
        "summary",
        "critical_suppliers",
        "groups",
        "scenarios",
        "bottlenecks",
        "illusory_redundancy",
        "failover",
        "service_chains",
        "promises",
        "expectations",
        "internal_service_quality",
        "line_of_sight",
        "disconnected_units",
        "cycles",
        "warnings",
        "betweenness",
        "utilization_threshold",
    ]


def _shuffled(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for key in ("units", "customers", "vendors"):
        rng.shuffle(out.get(key, []))
        for party in out.get(key, []):
            if isinstance(party.get("depends_on"), list):
                rng.shuffle(party["depends_on"])
    return out


@pytest.mark.parametrize("seed", range(5))
def test_same_org_in_any_order_gives_the_same_bytes(seed: int) -> None:
    expected = json.dumps(analyze(graph(ACME)).to_dict())
    shuffled = _shuffled(ACME, random.Random(seed))
    assert json.dumps(analyze(graph(shuffled)).to_dict()) == expected


def test_analyze_does_not_touch_the_graph() -> None:
    G = graph(ACME)
    before = copy.deepcopy(G)
    analyze(G)
    assert nx.utils.graphs_equal(G, before)
    assert list(G.nodes) == list(before.nodes)
    assert list(G.edges) == list(before.edges)


def test_no_customers_warning() -> None:
    report = analyze(graph({"units": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}]}))
    # every unit is disconnected, but the one warning says it all
    assert report.warnings == ("no customers: nothing to analyze service for",)
    assert report.disconnected_units == ("a", "b")
    assert report.service_chains == ()
    assert report.critical_suppliers == ()


def test_empty_org() -> None:
    report = analyze(graph({}))
    assert report.summary == Summary(0, 0, 0, 0)
    assert report.warnings == ("no customers: nothing to analyze service for",)
    assert report.organization == {"name": None, "period": None}


def test_aggregated_warnings_name_at_most_ten() -> None:
    warnings = org_warnings(
        customers=1,
        disconnected=[f"u{i:02d}" for i in range(12, 0, -1)],
        cycles=[],
        loads={f"w{i}": Load(1.0, None) for i in range(11, -1, -1)} | {"v": Load(1.0, None)},
        units=[f"w{i}" for i in range(12)],
    )
    assert warnings == (
        "12 units have no path to any customer: "
        "u01, u02, u03, u04, u05, u06, u07, u08, u09, u10 and 2 more",
        # v is not a unit: vendors have no capacity to give
        "12 units receive volume but have no capacity: "
        "w0, w1, w10, w11, w2, w3, w4, w5, w6, w7 and 2 more",
    )


def test_one_warning_per_cycle() -> None:
    assert org_warnings(
        customers=1, disconnected=["a"], cycles=[["a", "c", "b"], ["x", "y"]], loads={}, units=[]
    ) == (
        "1 unit has no path to any customer: a",
        "dependency cycle: a → b → c → a",
        "dependency cycle: x → y → x",
    )


@pytest.mark.parametrize(
    "name", ["", "._structure", ".bottlenecks", ".chains", ".cycles", ".impact", ".notices"]
)
def test_docstring_examples(name: str) -> None:
    # by name: the package exports functions that hide the modules of the same name
    result = doctest.testmod(importlib.import_module("orggraph.analysis" + name))
    assert result.failed == 0
    assert result.attempted > 0

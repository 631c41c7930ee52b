"""The synthetic organizations: valid by construction, the intended shape, deterministic."""

from __future__ import annotations

import doctest
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

import orggraph.generate
from orggraph._perf import paused_gc
from orggraph.generate import PATHOLOGICAL_KINDS, PATHOLOGICAL_SIZES, generate_org, pathological
from orggraph.graph import build_graph
from orggraph.model import load, load_dict
from orggraph.model.dump import write_org


def _entries(data: dict[str, Any]) -> list[Any]:
    return [e for party in data["units"] + data["customers"] for e in party.get("depends_on", [])]


@pytest.mark.parametrize(("units", "seed"), [(200, 0), (1000, 1), (5000, 2)])
def test_generated_org_is_valid_and_has_the_intended_shape(units: int, seed: int) -> None:
    data = generate_org(units, seed=seed)
    G = build_graph(load_dict(data))

    assert len(data["units"]) == units
    assert len(data["customers"]) == round(units * 0.02)
    assert len(data["vendors"]) == round(units * 0.01)
    assert 4.0 <= G.number_of_edges() / G.number_of_nodes() <= 5.5

    entries = _entries(data)
    any_of = [e for e in entries if isinstance(e, dict) and "any_of" in e]
    optional = [e for e in entries if isinstance(e, dict) and e.get("required") is False]
    assert 0.05 <= len(any_of) / len(entries) <= 0.15
    assert all(2 <= len(e["any_of"]) <= 3 for e in any_of)
    assert 0.05 <= len(optional) / len(entries) <= 0.15

    cycles = [c for c in nx.strongly_connected_components(G) if len(c) > 1]
    assert cycles
    if units >= 1000:
        assert {"finance", "procurement"} in [set(c) for c in cycles]

    # shared services: a few parties with far more consumers than a team has
    fan_in = sorted((G.out_degree(x) for x in G), reverse=True)
    assert fan_in[0] >= 20 * G.number_of_edges() / G.number_of_nodes()

    # every customer depends on someone; vendors depend on nobody
    assert all(c["depends_on"] for c in data["customers"])
    assert all("depends_on" not in v for v in data["vendors"])

    # some units over capacity, some near it
    load: dict[str, float] = {}
    for _, supplier, volume in G.edges(data="volume"):
        if volume:
            load[supplier] = load.get(supplier, 0.0) + volume
    utilization = [
        load[u] / d["capacity"] for u, d in G.nodes(data=True) if d.get("capacity") and u in load
    ]
    assert any(x > 1.0 for x in utilization)
    assert any(0.85 <= x <= 1.0 for x in utilization)

    # a few units that no chain connects to a customer: the ones nobody depends on
    to_customer = set().union(
        *(nx.ancestors(G, c) for c, d in G.nodes(data=True) if d["party"] == "customer")
    )
    unit_ids = [u["id"] for u in data["units"] if u.get("kind") != "department"]
    assert 1 <= sum(u not in to_customer for u in unit_ids) <= max(3, units // 1000)


@pytest.mark.parametrize("units", [10, 11, 15, 30, 57, 99, 100])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_small_orgs_are_valid(units: int, seed: int) -> None:
    load_dict(generate_org(units, seed=seed))


@pytest.mark.parametrize(
    ("ratio", "vendors"), [(0.0, 0), (0.5, 0), (0.02, 1), (0.1, 500), (1.0, None)]
)
def test_options_give_valid_orgs(ratio: float, vendors: int | None) -> None:
    data = generate_org(500, seed=4, customers_ratio=ratio, vendors=vendors)
    load_dict(data)
    assert len(data["customers"]) == max(1, round(500 * ratio))
    assert len(data["vendors"]) == (5 if vendors is None else vendors)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 10"):
        generate_org(9)
    with pytest.raises(ValueError, match="customers_ratio"):
        generate_org(100, customers_ratio=-0.1)
    with pytest.raises(ValueError, match="vendors"):
        generate_org(100, vendors=-1)
    with pytest.raises(ValueError, match="unknown shape"):
        pathological("star", 10)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", PATHOLOGICAL_KINDS)
def test_pathological_shapes_load_and_build(kind: Any) -> None:
    data = pathological(kind)
    with paused_gc():
        G = build_graph(load_dict(data))
    size = PATHOLOGICAL_SIZES[kind]
    if kind == "chain":
        assert G.number_of_nodes() == size + 2
        # vendor → u0 → … → customer: one path, each party serving the next
        assert sorted(d for _, d in G.out_degree()) == [0] + [1] * (size + 1)
    elif kind == "wide_any_of":
        groups = {g for _, _, g in G.in_edges("u-consumer", data="any_of")}
        assert G.in_degree("u-consumer") == size
        assert len(groups) == 1
    else:
        cycles = [c for c in nx.strongly_connected_components(G) if len(c) > 1]
        assert [len(c) for c in cycles] == [size]  # one ring, not several
        assert all(r for _, _, r in G.edges(data="required"))


@pytest.mark.parametrize("kind", PATHOLOGICAL_KINDS)
def test_pathological_shapes_read_back_from_yaml(tmp_path: Path, kind: Any) -> None:
    data = pathological(kind, 500)
    assert load(write_org(data, tmp_path / "org.yaml")) == load_dict(data)


def test_docstring_examples() -> None:
    result = doctest.testmod(orggraph.generate)
    assert result.attempted > 0 and result.failed == 0


def test_scenarios_are_appended_and_change_nothing_else() -> None:
    plain = generate_org(1000, seed=2)
    with_scenarios = generate_org(1000, seed=2, scenarios=True)
    found = with_scenarios.pop("scenarios")
    assert with_scenarios == plain
    assert [x["id"] for x in found] == ["site-lost", "vendor-down", "department-unavailable"]
    from orggraph import analyze, build_graph

    report = analyze(build_graph(load_dict({**plain, "scenarios": found})))
    site, vendor, dept = report.scenarios
    assert site.failed and site.matched == site.failed  # some units are in Dublin
    assert vendor.failed == ("v-000000",)
    assert dept.failed == ("d-000001",) and dept.failed_members  # a department with teams

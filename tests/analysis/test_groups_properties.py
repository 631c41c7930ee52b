"""SPEC §7 against brute force written here from the SPEC's words, on random organizations with
nested groups, any_of groups, optional dependencies, cycles, and dependencies on groups and on
their members (a team depending on its own department, a department on one of its teams).

The brute force: members by walking each unit's parent chain; X* = X ∪ members(x); F grown from
X* one party at a time until nothing changes, by §3's rules plus "a group is in F once all its
members are".
"""

from __future__ import annotations

import json
import math
from typing import Any

import _spec as spec
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orggraph.analysis import (
    analyze,
    critical_suppliers,
    failure_impact,
    groups,
    members,
    single_failure_impacts,
)
from orggraph.graph import build_graph
from orggraph.model import load_dict

SETTINGS = settings(max_examples=300, deadline=None)


@st.composite
def org_data(draw: st.DrawFn) -> dict[str, Any]:
    n_units = draw(st.integers(2, 14))
    n_vendors = draw(st.integers(0, 3))
    n_customers = draw(st.integers(1, 4))
    units = [f"u{i:02d}" for i in range(n_units)]
    vendors = [f"v{i}" for i in range(n_vendors)]
    customers = [f"c{i}" for i in range(n_customers)]
    # parents: any earlier unit (no cycle), often, so groups nest and chains get deep
    parents = [
        units[draw(st.integers(0, i - 1))] if i and draw(st.integers(0, 3)) else None
        for i in range(n_units)
    ]

    def depends_on(pool: list[str]) -> list[Any]:
        chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=4)) if pool else []
        deps: list[Any] = []
        i = 0
        while i < len(chosen):
            kind = draw(st.sampled_from(["short", "short", "optional", "group"]))
            if kind == "group" and i + 1 < len(chosen):
                size = draw(st.integers(2, min(3, len(chosen) - i)))
                group: dict[str, Any] = {"any_of": chosen[i : i + size]}
                if draw(st.integers(0, 4)) == 0:
                    group["required"] = False
                deps.append(group)
                i += size
                continue
            if kind == "short":
                deps.append(chosen[i])
            else:
                deps.append({"supplier": chosen[i], "required": False})
            i += 1
        return deps

    unit_items = []
    for i, u in enumerate(units):
        item: dict[str, Any] = {
            "id": u,
            "depends_on": depends_on([x for x in units if x != u] + vendors),
        }
        if parents[i] is not None:
            item["parent"] = parents[i]
        unit_items.append(item)
    weight = st.one_of(st.integers(1, 5), st.sampled_from([0.1, 0.7, 2.5]))
    return {
        "units": unit_items,
        "vendors": [{"id": v} for v in vendors],
        "customers": [
            {"id": c, "weight": draw(weight), "depends_on": depends_on(units + vendors)}
            for c in customers
        ],
    }


def graphs() -> st.SearchStrategy[nx.DiGraph]:
    return org_data().map(lambda data: build_graph(load_dict(data)))


# --- brute force, from the SPEC's words -------------------------------------------------------


def by_weight(G: nx.DiGraph, customers: set[str]) -> tuple[str, ...]:
    return tuple(sorted(customers, key=lambda c: (-G.nodes[c]["weight"], c)))


# --- properties -------------------------------------------------------------------------------


@SETTINGS
@given(st.data())
def test_failure_impact_matches_the_spec(data: st.DataObject) -> None:
    G = data.draw(graphs())
    failed = data.draw(st.lists(st.sampled_from(sorted(G.nodes)), max_size=4))
    closed, down = spec.closed(G, set(failed)), spec.failed(G, set(failed))
    impact = failure_impact(G, failed)
    customers = sorted(v for v in down if spec.kind(G, v) == "customer")
    assert impact.failed == tuple(sorted(set(failed)))
    assert impact.failed_members == tuple(sorted(closed - set(failed)))
    assert impact.impacted_customers == tuple(customers)
    assert impact.impacted_units == tuple(
        sorted(v for v in down if spec.kind(G, v) == "unit" and v not in closed)
    )
    assert impact.impact_weight == math.fsum(G.nodes[c]["weight"] for c in customers)


@SETTINGS
@given(graphs(), st.sampled_from([1, 3, 16384]))
def test_single_failures_critical_suppliers_and_groups_match_the_spec(
    G: nx.DiGraph, chunk_bits: int
) -> None:
    impacts = single_failure_impacts(G, chunk_bits=chunk_bits)
    sources = sorted(v for v in G if spec.kind(G, v) in ("unit", "vendor"))
    assert list(impacts) == sources
    expected_critical = []
    expected_groups = []
    found_groups = {v for v in G if spec.members(G, v)}
    for x in sources:
        closed, down = spec.closed(G, {x}), spec.failed(G, {x})
        customers = {v for v in down if spec.kind(G, v) == "customer"}
        units = sum(1 for v in down if spec.kind(G, v) == "unit" and v not in closed)
        weight = math.fsum(G.nodes[c]["weight"] for c in customers)
        got = impacts[x]
        assert got.impacted_customers == by_weight(G, customers), x
        assert got.impacted_customer_count == len(customers)
        assert got.impact_weight == weight
        assert got.impacted_units == units, x
        if x in found_groups:
            expected_groups.append((x, len(spec.members(G, x)), weight, units))
        elif customers:
            expected_critical.append((x, weight, units))
    expected_critical.sort(key=lambda c: (-c[1], -c[2], c[0]))
    assert [(c.id, c.impact_weight, c.impacted_units) for c in critical_suppliers(G, {})] == (
        expected_critical
    )
    critical = {c[0] for c in expected_critical}
    expected_groups.sort(key=lambda g: (-g[2], -g[3], g[0]))
    got_groups = groups(G)
    assert [(g.id, g.members, g.impact_weight, g.impacted_units) for g in got_groups] == (
        expected_groups
    )
    for g in got_groups:
        assert g.critical_members == len(spec.members(G, g.id) & critical)
        assert g.impacted_customers == impacts[g.id].impacted_customers
        assert set(members(G, g.id)) == spec.members(G, g.id)
    report = analyze(G, list_limit=1)
    assert [g.id for g in report.groups] == [g.id for g in got_groups]
    assert all(len(g.impacted_customers) <= 1 for g in report.groups)


# --- scenarios (SPEC §7): where by attributes, tags, kind, owner and party, fail with members ----

SITES = ["Dublin", "Cork", 3, True]


def _as_text(value: Any) -> str:
    """A value written as JSON writes it, a string as itself (SPEC §7)."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def naive_matches(G: nx.DiGraph, where: dict[str, Any]) -> list[str]:
    found = []
    for v in G:
        data = G.nodes[v]
        if spec.kind(G, v) == "customer":
            continue  # customers never fail in a scenario
        ok = True
        for key, want in where.items():
            if key == "tags":
                wanted = want if isinstance(want, list) else [want]
                ok = ok and all(_as_text(t) in (data.get("tags") or []) for t in wanted)
            elif key == "party":
                ok = ok and spec.kind(G, v) == want
            elif key == "kind":
                ok = ok and spec.kind(G, v) == "unit" and data.get("kind") == want
            elif key == "owner":
                ok = ok and data.get("owner") == _as_text(want)
            else:
                name = key.removeprefix("attributes.")
                attributes = data.get("attributes") or {}
                if name not in attributes:
                    ok = False
                    continue
                have = attributes[name]
                values = have if isinstance(have, list) else [have]
                ok = ok and _as_text(want) in [_as_text(x) for x in values]
        if ok:
            found.append(v)
    return sorted(found)


@st.composite
def scenario_orgs(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(org_data())
    for party in [*data["units"], *data["vendors"]]:
        if draw(st.booleans()):
            site = draw(st.sampled_from([*SITES, ["Dublin", "Cork"]]))
            party["attributes"] = {"site": site}
        if draw(st.booleans()):
            party["tags"] = draw(st.lists(st.sampled_from(["cloud", "core"]), unique=True))
        if draw(st.integers(0, 2)) == 0:
            party["owner"] = draw(st.sampled_from(["jane", "omar"]))
    for unit in data["units"]:
        if draw(st.booleans()):
            unit["kind"] = draw(st.sampled_from(["team", "department"]))
    ids = [p["id"] for p in [*data["units"], *data["vendors"]]]
    entry = st.sampled_from(
        [
            ("site", "Dublin"),
            ("site", "Cork"),
            ("site", 3),
            ("site", "true"),
            ("attributes.site", "Dublin"),
            ("tags", "cloud"),
            ("tags", ["cloud", "core"]),
            ("kind", "department"),
            ("owner", "jane"),
            ("party", "vendor"),
            ("party", "unit"),
        ]
    )
    scenarios = []
    for i in range(draw(st.integers(1, 3))):
        scenario: dict[str, Any] = {"id": f"s{i}"}
        fail = draw(st.lists(st.sampled_from(ids), unique=True, max_size=2))
        where = dict(draw(st.lists(entry, max_size=2)))
        if fail or not where:
            scenario["fail"] = fail or ids[:1]
        if where:
            scenario["where"] = where
        scenarios.append(scenario)
    data["scenarios"] = scenarios
    return data


@pytest.mark.filterwarnings("ignore")  # a where that matches nothing is only a warning
@SETTINGS
@given(scenario_orgs())
def test_scenarios_match_the_spec(data: dict[str, Any]) -> None:
    G = build_graph(load_dict(data))
    report = analyze(G)
    assert [x.id for x in report.scenarios] == [x["id"] for x in data["scenarios"]]
    for scenario, got in zip(data["scenarios"], report.scenarios, strict=True):
        X = set(scenario.get("fail", []))
        if "where" in scenario:
            X |= set(naive_matches(G, scenario["where"]))
        closed, down = spec.closed(G, X), spec.failed(G, X)
        customers = sorted(v for v in down if spec.kind(G, v) == "customer")
        assert got.failed == tuple(sorted(X))
        assert got.failed_members == tuple(sorted(closed - X))
        assert got.impacted_customers == tuple(customers)
        assert got.impacted_units == tuple(
            sorted(v for v in down if spec.kind(G, v) == "unit" and v not in closed)
        )
        assert got.impact_weight == math.fsum(G.nodes[c]["weight"] for c in customers)

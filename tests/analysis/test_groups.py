"""SPEC §7 on small organizations worked out by hand: members, the member closure, the group
rule, groups left out of the critical suppliers, the groups section and the roll-up."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import (
    GroupDependency,
    analyze,
    critical_suppliers,
    failure_impact,
    group_dependencies,
    groups,
    members,
    single_failure_impacts,
)
from orggraph.errors import UsageError
from orggraph.graph import build_graph
from orggraph.model import load_dict


def graph(data: dict[str, Any]) -> nx.DiGraph:
    return build_graph(load_dict(data))


# it ⊃ {desk ⊃ {desk-eu, desk-us}, network}; ops stands alone.
# stores needs desk (single); web needs network; shoppers needs stores, online needs web.
NESTED = {
    "units": [
        {"id": "it", "kind": "department"},
        {"id": "desk", "parent": "it"},
        {"id": "desk-eu", "parent": "desk"},
        {"id": "desk-us", "parent": "desk"},
        {"id": "network", "parent": "it"},
        {"id": "stores", "depends_on": ["desk"]},
        {"id": "web", "depends_on": ["network"]},
        {"id": "ops"},
    ],
    "customers": [
        {"id": "shoppers", "weight": 3, "depends_on": ["stores"]},
        {"id": "online", "depends_on": ["web"]},
    ],
}


def test_members_are_the_whole_subtree() -> None:
    G = graph(NESTED)
    assert members(G, "it") == ("desk", "desk-eu", "desk-us", "network")
    assert members(G, "desk") == ("desk-eu", "desk-us")
    assert members(G, "ops") == ()
    assert members(G, "shoppers") == ()
    with pytest.raises(UsageError, match="did you mean 'desk'"):
        members(G, "dsk")


def test_a_deep_parent_chain_is_linear() -> None:
    n = 20_000  # a per-unit walk up the chain would take 2·10^8 steps
    units = [{"id": "u00000"}] + [
        {"id": f"u{i:05d}", "parent": f"u{i - 1:05d}"} for i in range(1, n)
    ]
    G = graph({"units": units, "customers": [{"id": "c", "depends_on": ["u00000"]}]})
    assert len(members(G, "u00000")) == n - 1
    # the deepest unit fails; then each ancestor has lost all its members, up to the root
    impact = failure_impact(G, [f"u{n - 1:05d}"])
    assert len(impact.impacted_units) == n - 1
    assert impact.impacted_customers == ("c",)
    found = {g.id: g for g in groups(G)}
    assert len(found) == n - 1
    assert found["u00000"].members == n - 1
    assert found["u00000"].impacted_units == 0
    assert [c.id for c in critical_suppliers(G, {})] == [f"u{n - 1:05d}"]


def test_a_failing_unit_takes_its_members_with_it() -> None:
    G = graph(NESTED)
    impact = failure_impact(G, ["it"])
    assert impact.failed == ("it",)
    assert impact.failed_members == ("desk", "desk-eu", "desk-us", "network")
    # X* is not counted as impact
    assert impact.impacted_units == ("stores", "web")
    assert impact.impacted_customers == ("online", "shoppers")
    assert impact.impact_weight == 4.0
    # a member named in X stays in failed
    both = failure_impact(G, ["desk", "desk-eu"])
    assert both.failed == ("desk", "desk-eu")
    assert both.failed_members == ("desk-us",)
    assert both.to_dict()["failed_members"] == ["desk-us"]


def test_a_group_whose_members_all_failed_has_failed() -> None:
    G = graph(NESTED)
    one = failure_impact(G, ["desk-eu"])
    assert one.impacted_units == () and one.impacted_customers == ()
    both = failure_impact(G, ["desk-eu", "desk-us"])
    assert both.impacted_units == ("desk", "stores")
    assert both.impacted_customers == ("shoppers",)
    # nested: it needs all four members, desk included (fallen with its own members)
    assert "it" not in both.impacted_units
    every = failure_impact(G, ["desk-eu", "desk-us", "network"])
    assert every.impacted_units == ("desk", "it", "stores", "web")


def test_membership_cycles_do_not_fail_on_their_own() -> None:
    # team depends on its own department; the department depends on one of its teams
    G = graph(
        {
            "units": [
                {"id": "dept", "depends_on": ["a"]},
                {"id": "a", "parent": "dept"},
                {"id": "b", "parent": "dept", "depends_on": ["dept"]},
            ],
            "customers": [{"id": "x", "depends_on": ["b"]}],
        }
    )
    assert failure_impact(G, []).impacted_units == ()
    # a fails: dept needs a, b needs dept; then dept's members have all failed anyway
    assert failure_impact(G, ["a"]).impacted_units == ("b", "dept")
    # b fails alone: a is still up, so dept stands
    assert failure_impact(G, ["b"]).impacted_units == ()
    impacts = single_failure_impacts(G)
    assert impacts["a"].impacted_units == 2 and impacts["a"].impacted_customers == ("x",)
    assert impacts["dept"].impacted_units == 0 and impacts["dept"].impacted_customer_count == 1


def test_a_team_alone_in_its_department_takes_the_department_down() -> None:
    # only the department is depended on; its one team fails, so it has failed
    G = graph(
        {
            "units": [{"id": "dept"}, {"id": "team", "parent": "dept"}, {"id": "spare"}],
            "customers": [{"id": "x", "weight": 2, "depends_on": ["dept"]}],
        }
    )
    assert [(c.id, c.impact_weight, c.impacted_units) for c in critical_suppliers(G, {})] == [
        ("team", 2.0, 1)
    ]
    (dept,) = groups(G)
    assert (dept.id, dept.members, dept.impact_weight, dept.impacted_units) == ("dept", 1, 2.0, 0)
    assert dept.critical_members == 1
    assert dept.to_dict() == {
        "id": "dept",
        "members": 1,
        "impact_weight": 2.0,
        "impacted_customers": ["x"],
        "impacted_customer_count": 1,
        "impacted_units": 0,
        "critical_members": 1,
    }


def test_groups_are_ranked_like_critical_suppliers_and_all_listed() -> None:
    G = graph(NESTED)
    found = groups(G)
    # it: weight 4 (2 units); desk: weight 3 (1 unit)
    assert [(g.id, g.impact_weight, g.impacted_units, g.members) for g in found] == [
        ("it", 4.0, 2, 4),
        ("desk", 3.0, 1, 2),
    ]
    assert [g.critical_members for g in found] == [1, 0]  # network; desk's two cover each other
    assert [c.id for c in critical_suppliers(G, {})] == ["stores", "network", "web"]
    capped = analyze(G, list_limit=1).to_dict(list_limit=1)["groups"][0]
    assert capped["impacted_customers"] == ["shoppers"]
    assert capped["impacted_customer_count"] == 2
    assert capped["impacted_customers_truncated"] is True
    # a group that impacts nobody is still listed
    quiet = graph({"units": [{"id": "g"}, {"id": "m", "parent": "g"}]})
    assert [(g.id, g.impact_weight) for g in groups(quiet)] == [("g", 0.0)]
    assert groups(graph({"units": [{"id": "solo"}]})) == ()


ROLL_UP = {
    "vendors": [{"id": "cloud"}],
    "units": [
        {"id": "it", "kind": "department"},
        {"id": "ops", "kind": "department"},
        {"id": "infra", "kind": "team", "parent": "it", "depends_on": ["cloud"]},
        {"id": "vm", "kind": "system", "parent": "infra"},
        {"id": "desk", "parent": "it", "depends_on": [{"supplier": "vm", "volume": 5}]},
        {
            "id": "store",
            "parent": "ops",
            "depends_on": [
                {"any_of": ["vm", "desk"], "volume": 8},
                {"supplier": "infra", "required": False},
            ],
        },
        {"id": "lonely", "kind": "team"},
    ],
    "customers": [{"id": "shoppers", "depends_on": ["store", "lonely"]}],
}


def test_group_dependencies_at_a_level() -> None:
    G = graph(ROLL_UP)
    assert group_dependencies(G, 0) == (
        GroupDependency("cloud", "it", 1, None),
        GroupDependency("it", "ops", 3, 8.0),  # vm and desk 4 each, infra none
        GroupDependency("lonely", "shoppers", 1, None),
        GroupDependency("ops", "shoppers", 1, None),
    )
    assert group_dependencies(G, 1) == (
        GroupDependency("cloud", "infra", 1, None),
        GroupDependency("desk", "store", 1, 4.0),
        GroupDependency("infra", "desk", 1, 5.0),  # vm maps to infra
        GroupDependency("infra", "store", 2, 4.0),
        GroupDependency("lonely", "shoppers", 1, None),
        GroupDependency("store", "shoppers", 1, None),
    )
    with pytest.raises(UsageError):
        group_dependencies(G, -1)


def test_group_dependencies_at_a_kind() -> None:
    G = graph(ROLL_UP)
    assert group_dependencies(G, "department") == group_dependencies(G, 0)
    # vm is in the team infra; desk and store have no team above them and stay themselves
    assert group_dependencies(G, "team") == group_dependencies(G, 1)
    assert group_dependencies(G, "nothing")[0] == GroupDependency("cloud", "infra", 1, None)

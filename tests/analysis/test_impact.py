"""Failure impact and critical suppliers on small orgs worked out by hand."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import (
    CriticalSupplier,
    Impact,
    SingleFailure,
    critical_suppliers,
    failure_impact,
    single_failure_impacts,
)
from orggraph.errors import UsageError
from orggraph.graph import build_graph
from orggraph.model import load_dict


def service_lost(impact: Impact) -> Impact:
    """The SPEC §3/§7 part of an impact (the §9 figures are tested in test_redundancy.py)."""
    return replace(impact, degraded_customers=(), degraded_units=(), redundancy_lost=())


def graph(data: dict[str, Any]) -> nx.DiGraph:
    return build_graph(load_dict(data))


def hit(customers: tuple[str, ...], weight: float, units: int) -> SingleFailure:
    return SingleFailure(customers, len(customers), weight, units)


# v → a → d → e → y (all required); a, b are alternatives for c → x; d needs b only optionally;
# z needs b only optionally.
AND_OR = {
    "vendors": [{"id": "v"}],
    "units": [
        {"id": "a", "depends_on": ["v"]},
        {"id": "b"},
        {"id": "c", "depends_on": [{"any_of": ["a", "b"]}]},
        {"id": "d", "depends_on": ["a", {"supplier": "b", "required": False}]},
        {"id": "e", "depends_on": ["d"]},
    ],
    "customers": [
        {"id": "x", "weight": 3, "depends_on": ["c"]},
        {"id": "y", "weight": 2, "depends_on": ["e"]},
        {"id": "z", "depends_on": [{"supplier": "b", "required": False}]},
    ],
}


@pytest.mark.parametrize(
    ("failed", "units", "customers", "weight"),
    [
        # a down: d needs a, e needs d, y needs e. c still has b. → d, e; y (weight 2)
        (["a"], ("d", "e"), ("y",), 2.0),
        # b down: c still has a; d and z need b only optionally → nothing
        (["b"], (), (), 0.0),
        # both alternatives of c down: c, x fall too
        (["a", "b"], ("c", "d", "e"), ("x", "y"), 5.0),
        # the vendor takes a down, and everything a takes down
        (["v"], ("a", "d", "e"), ("y",), 2.0),
        # a customer failed directly counts as impacted
        (["x"], (), ("x",), 3.0),
        # failed units are not counted as impacted units; repeats are ignored
        (["e", "d", "e"], (), ("y",), 2.0),
        ([], (), (), 0.0),
    ],
)
def test_failure_impact_and_vs_any_of(
    failed: list[str], units: tuple[str, ...], customers: tuple[str, ...], weight: float
) -> None:
    impact = failure_impact(graph(AND_OR), failed)
    assert service_lost(impact) == Impact(tuple(sorted(set(failed))), units, customers, weight)


def test_single_failure_impacts_and_vs_any_of() -> None:
    # K(y) = {y-suppliers on required single edges} = {e, d, a, v}; K(x) = {c} ∪ (K(a) ∩ K(b))
    # = {c} ∪ ({a, v} ∩ {b}) = {c}. Unit counts: v takes a, d, e; a takes d, e; d takes e.
    assert single_failure_impacts(graph(AND_OR)) == {
        "a": hit(("y",), 2.0, 2),
        "b": hit((), 0.0, 0),
        "c": hit(("x",), 3.0, 0),
        "d": hit(("y",), 2.0, 1),
        "e": hit(("y",), 2.0, 0),
        "v": hit(("y",), 2.0, 3),
    }


def test_critical_suppliers_ranking() -> None:
    # c impacts x (weight 3): first. v, a, d, e all impact y (weight 2): by impacted units 3, 2,
    # 1, 0. b impacts nobody: not listed.
    found = critical_suppliers(graph(AND_OR), {"a": 0.25})
    assert [(c.id, c.impact_weight, c.impacted_units) for c in found] == [
        ("c", 3.0, 0),
        ("v", 2.0, 3),
        ("a", 2.0, 2),
        ("d", 2.0, 1),
        ("e", 2.0, 0),
    ]
    assert found[1] == CriticalSupplier("v", "vendor", 2.0, ("y",), 3, 0.0)
    assert found[2].betweenness == 0.25
    assert found[2].party == "unit"


# hub serves b (weight 1), a (1) and c (5), listed out of order
HUB_AND_THREE_CUSTOMERS: dict[str, Any] = {
    "units": [{"id": "hub"}],
    "customers": [
        {"id": "b", "weight": 1, "depends_on": ["hub"]},
        {"id": "a", "weight": 1, "depends_on": ["hub"]},
        {"id": "c", "weight": 5, "depends_on": ["hub"]},
    ],
}


def test_impacted_customers_by_weight_then_id() -> None:
    G = graph(HUB_AND_THREE_CUSTOMERS)
    (hub,) = critical_suppliers(G, {})
    assert hub.impacted_customers == ("c", "a", "b")
    assert hub.impact_weight == 7.0
    assert single_failure_impacts(G)["hub"].impacted_customers == ("c", "a", "b")


def test_list_limit_keeps_counts_and_weights_whole() -> None:
    # hub takes down c (5), a (1), b (1): listed highest weight first, capped at 2
    G = graph(HUB_AND_THREE_CUSTOMERS)
    assert single_failure_impacts(G, list_limit=2)["hub"] == SingleFailure(("c", "a"), 3, 7.0, 0)
    (hub,) = critical_suppliers(G, {}, list_limit=2)
    assert (hub.impacted_customers, hub.impacted_customer_count, hub.impact_weight) == (
        ("c", "a"),
        3,
        7.0,
    )
    data = hub.to_dict(list_limit=0)
    assert data["impacted_customers"] == ["c", "a"]
    assert data["impacted_customer_count"] == 3
    assert data["impacted_customers_truncated"] is True
    assert "impacted_customers_truncated" not in critical_suppliers(G, {})[0].to_dict(0)
    with pytest.raises(ValueError, match="list_limit"):
        single_failure_impacts(G, list_limit=-1)


def test_weights_add_up_exactly() -> None:
    # 0.1 + 0.2 + 0.7 in floating point is 0.9999999999999999 one way and 1.0 another; the
    # exact sum of the three doubles, rounded once, is 1.0000000000000000 (math.fsum).
    G = graph(
        {
            "units": [{"id": "hub"}],
            "customers": [
                {"id": f"c{i}", "weight": w, "depends_on": ["hub"]}
                for i, w in enumerate([0.1, 0.2, 0.7, 3, 1e-3])
            ],
        }
    )
    expected = math.fsum([0.1, 0.2, 0.7, 3, 1e-3])
    assert single_failure_impacts(G)["hub"].impact_weight == expected
    assert failure_impact(G, ["hub"]).impact_weight == expected


def test_alternatives_sharing_one_supplier() -> None:
    # a and b both need s, so c's group falls when s falls: K(c) = {c} ∪ ({a, s} ∩ {b, s}) ∋ s.
    G = graph(
        {
            "units": [
                {"id": "s"},
                {"id": "a", "depends_on": ["s"]},
                {"id": "b", "depends_on": ["s"]},
                {"id": "c", "depends_on": [{"any_of": ["a", "b"]}]},
            ],
            "customers": [{"id": "x", "depends_on": ["c"]}],
        }
    )
    impacts = single_failure_impacts(G)
    assert impacts["s"] == hit(("x",), 1.0, 3)
    assert impacts["a"] == hit((), 0.0, 0)


# f and p need each other (a required cycle); p also needs the vendor s.
CYCLE = {
    "vendors": [{"id": "s"}],
    "units": [
        {"id": "f", "depends_on": ["p"]},
        {"id": "p", "depends_on": ["f", "s"]},
    ],
    "customers": [{"id": "x", "depends_on": ["f"]}],
}


def test_required_cycle_does_not_fail_on_its_own() -> None:
    G = graph(CYCLE)
    assert service_lost(failure_impact(G, [])) == Impact((), (), (), 0.0)
    # s down → p down → f down → x down
    assert service_lost(failure_impact(G, ["s"])) == Impact(("s",), ("f", "p"), ("x",), 1.0)
    assert single_failure_impacts(G) == {
        "f": hit(("x",), 1.0, 1),
        "p": hit(("x",), 1.0, 1),
        "s": hit(("x",), 1.0, 2),
    }


def test_group_with_an_alternative_in_a_cycle() -> None:
    # c needs a or b; b needs c. When a fails, c would fall only if b fell, and b only if c fell:
    # the least fixpoint keeps both up (the cycle does not fail on its own).
    G = graph(
        {
            "vendors": [{"id": "w"}],
            "units": [
                {"id": "a", "depends_on": ["w"]},
                {"id": "b", "depends_on": ["c"]},
                {"id": "c", "depends_on": [{"any_of": ["a", "b"]}]},
            ],
            "customers": [{"id": "x", "depends_on": ["c"]}],
        }
    )
    assert service_lost(failure_impact(G, ["a"])) == Impact(("a",), (), (), 0.0)
    assert service_lost(failure_impact(G, ["a", "b"])) == Impact(("a", "b"), ("c",), ("x",), 1.0)
    assert single_failure_impacts(G) == {
        "a": hit((), 0.0, 0),
        "b": hit((), 0.0, 0),
        "c": hit(("x",), 1.0, 1),
        "w": hit((), 0.0, 1),
    }


def test_optional_never_propagates() -> None:
    G = graph(
        {
            "units": [
                {"id": "a"},
                {"id": "b", "depends_on": [{"supplier": "a", "required": False}]},
            ],
            "customers": [
                {"id": "x", "depends_on": [{"any_of": ["a", "b"], "required": False}]},
            ],
        }
    )
    assert service_lost(failure_impact(G, ["a", "b"])) == Impact(("a", "b"), (), (), 0.0)
    assert critical_suppliers(G, {}) == ()


def test_unknown_party_suggests_the_closest() -> None:
    G = graph({"units": [{"id": "payroll"}, {"id": "finance"}]})
    with pytest.raises(UsageError) as info:
        failure_impact(G, ["payrol"])
    assert str(info.value) == "unknown party 'payrol'; did you mean 'payroll'?"
    with pytest.raises(UsageError) as info:
        failure_impact(G, ["finance", "zzz", "financ"])
    assert str(info.value) == (
        "unknown party 'zzz'\nunknown party 'financ'; did you mean 'finance'?"
    )


@pytest.mark.parametrize("chunk_bits", [1, 2, 3, 64])
def test_chunk_size_does_not_change_the_answer(chunk_bits: int) -> None:
    G = graph(AND_OR)
    assert single_failure_impacts(G, chunk_bits=chunk_bits) == single_failure_impacts(G)


def test_chunk_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="chunk_bits"):
        single_failure_impacts(graph(AND_OR), chunk_bits=0)

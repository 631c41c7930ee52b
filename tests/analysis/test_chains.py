"""Service chains, lead times, quality, line of sight, on small orgs worked out by hand."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import (
    ServiceChain,
    disconnected_units,
    line_of_sight,
    service_chains,
)
from orggraph.graph import build_graph
from orggraph.model import load_dict


def graph(data: dict[str, Any]) -> nx.DiGraph:
    return build_graph(load_dict(data))


def chain_of(data: dict[str, Any], customer: str) -> ServiceChain:
    (found,) = [c for c in service_chains(graph(data)) if c.customer == customer]
    return found


def test_lead_time_and_any_of() -> None:
    # lead(v) = 24; a = 4 + 24 = 28; b = 2; c = 10; d = 1 + min(2, 10) = 3; e = 3 (its need of a
    # is optional, so it does not delay); x = 0 + max(28, 3, 3) = 28 along v → a → x.
    # depth: the longest path into x uses the optional edge too: v → a → e → x = 3 edges.
    # upstream of x: units a b c d e, vendor v.
    data = {
        "vendors": [{"id": "v", "lead_time": "1d"}],
        "units": [
            {"id": "a", "lead_time": "4h", "depends_on": ["v"]},
            {"id": "b", "lead_time": "2h"},
            {"id": "c", "lead_time": "10h"},
            {"id": "d", "lead_time": "1h", "depends_on": [{"any_of": ["b", "c"]}]},
            {"id": "e", "lead_time": "3h", "depends_on": [{"supplier": "a", "required": False}]},
        ],
        "customers": [{"id": "x", "depends_on": ["a", "d", "e"]}],
    }
    assert chain_of(data, "x") == ServiceChain(
        customer="x",
        upstream_units=5,
        upstream_vendors=1,
        depth=3,
        critical_chain=("v", "a", "x"),
        lead_time_hours=28.0,
        quality=1.0,
        weakest_link=None,
    )


def test_lead_ties_prefer_the_longer_chain_then_the_smallest_id() -> None:
    data = {
        "units": [
            # x: p = 5 and r = 3 + q = 5 tie; r's chain q → r is longer
            {"id": "p", "lead_time": "5h"},
            {"id": "q", "lead_time": "2h"},
            {"id": "r", "lead_time": "3h", "depends_on": ["q"]},
            # y: m and n tie at 1 with one stage each: the smaller id, m
            {"id": "m", "lead_time": "1h"},
            {"id": "n", "lead_time": "1h"},
            # z: no lead times at all; the longest chain a1 → a2 → a3 wins over b1
            {"id": "a1"},
            {"id": "a2", "depends_on": ["a1"]},
            {"id": "a3", "depends_on": ["a2"]},
            {"id": "b1"},
            # w: alternatives g1 = 2 and g2 = 1 + g0 = 2 tie on lead; g2's chain is longer
            {"id": "g0", "lead_time": "1h"},
            {"id": "g1", "lead_time": "2h"},
            {"id": "g2", "lead_time": "1h", "depends_on": ["g0"]},
        ],
        "customers": [
            {"id": "x", "depends_on": ["p", "r"]},
            {"id": "y", "depends_on": ["n", "m"]},
            {"id": "z", "depends_on": ["b1", "a3"]},
            {"id": "w", "depends_on": [{"any_of": ["g1", "g2"]}]},
            {"id": "alone", "lead_time": "2h"},
        ],
    }
    chains = {c.customer: c for c in service_chains(graph(data))}
    assert (chains["x"].critical_chain, chains["x"].lead_time_hours) == (("q", "r", "x"), 5.0)
    assert (chains["y"].critical_chain, chains["y"].lead_time_hours) == (("m", "y"), 1.0)
    assert (chains["z"].critical_chain, chains["z"].lead_time_hours) == (("a1", "a2", "a3", "z"), 0)
    assert (chains["w"].critical_chain, chains["w"].lead_time_hours) == (("g0", "g2", "w"), 2.0)
    # no required dependencies: the chain is the customer alone, with its own lead time
    assert (chains["alone"].critical_chain, chains["alone"].lead_time_hours) == (("alone",), 2.0)
    assert chains["alone"].depth == 0


def test_required_cycle_is_one_stage() -> None:
    # f and p need each other: one stage with own lead max(5, 8) = 8, set by p. The stage needs
    # s (3h) from outside, so lead(x) = 0 + (8 + 3) = 11. The chain enters the cycle at f (which
    # needs s), goes round to the slowest member p and back to f, which serves x:
    # s → f → p → f → x.
    # p's group [f, t] has f inside p's own stage: met there, so t's 100h adds nothing.
    # depth: s → {f, p} → x and t → {f, p} → x: 2 edges.
    data = {
        "units": [
            {"id": "f", "lead_time": "5h", "depends_on": ["p", "s"]},
            {"id": "p", "lead_time": "8h", "depends_on": [{"any_of": ["f", "t"]}]},
            {"id": "s", "lead_time": "3h"},
            {"id": "t", "lead_time": "100h"},
        ],
        "customers": [{"id": "x", "depends_on": ["f"]}],
    }
    chain = chain_of(data, "x")
    assert chain.critical_chain == ("s", "f", "p", "f", "x")
    assert chain.lead_time_hours == 11.0
    assert chain.depth == 2
    assert chain.upstream_units == 4


def test_cycle_chain_starts_at_the_smallest_id_among_equal_leads() -> None:
    # k1 and k2 are equally slow: the chain starts at k1 and walks to k2, which serves x
    data = {
        "units": [
            {"id": "k2", "lead_time": "2h", "depends_on": ["k1"]},
            {"id": "k1", "lead_time": "2h", "depends_on": ["k2"]},
        ],
        "customers": [{"id": "x", "depends_on": ["k2"]}],
    }
    assert chain_of(data, "x").critical_chain == ("k1", "k2", "x")
    assert chain_of(data, "x").lead_time_hours == 2.0


def test_optional_cycle_is_not_a_stage_for_lead_time() -> None:
    # a ⇄ b only through an optional edge: for lead time they are two stages a → b.
    # For depth the whole graph counts, so {a, b} is one stage: depth(x) = 1.
    data = {
        "units": [
            {"id": "a", "lead_time": "1h", "depends_on": [{"supplier": "b", "required": False}]},
            {"id": "b", "lead_time": "2h", "depends_on": ["a"]},
        ],
        "customers": [{"id": "x", "depends_on": ["b"]}],
    }
    chain = chain_of(data, "x")
    assert (chain.critical_chain, chain.lead_time_hours, chain.depth) == (("a", "b", "x"), 3.0, 1)


QUALITY = {
    "units": [
        {"id": "a", "quality": 0.9},
        {"id": "b", "quality": 0.7},
        {"id": "c", "depends_on": ["a", "b"]},
        {"id": "m", "quality": 0.5},
        {"id": "n", "quality": 0.5},
        {"id": "k", "quality": 1.0},
        {"id": "g1", "quality": 0.6},
        {"id": "g2", "quality": 0.8},
        {"id": "g3", "quality": 0.8},
        {"id": "f", "quality": 0.9, "depends_on": ["p"]},
        {"id": "p", "quality": 0.6, "depends_on": ["f"]},
    ],
    "customers": [
        # min(0.9, 0.7) through c: b
        {"id": "x1", "depends_on": ["c"]},
        # m and n tie at 0.5: the smaller id
        {"id": "x2", "depends_on": ["n", "m"]},
        # k's explicit 1.0 wins over the customer's missing score
        {"id": "x3", "depends_on": ["k"]},
        # no score anywhere
        {"id": "x4"},
        # a group takes its best alternative: max(0.6, 0.8) = 0.8 from g2
        {"id": "x5", "depends_on": [{"any_of": ["g1", "g2"]}]},
        # g2 and g3 tie at 0.8 inside the group: the smaller id, g2
        {"id": "x6", "depends_on": [{"any_of": ["g3", "g2"]}]},
        # the cycle f ⇄ p is one stage with the lower score, p's 0.6
        {"id": "x7", "depends_on": ["f"]},
        # optional dependencies do not count
        {"id": "x8", "depends_on": [{"supplier": "b", "required": False}]},
        # the customer's own score is lower than its supplier's
        {"id": "x9", "quality": 0.4, "depends_on": ["a"]},
        # own score ties with the supplier's: the smaller id among the explicit ones
        {"id": "aa", "quality": 0.9, "depends_on": ["a"]},
    ],
}


@pytest.mark.parametrize(
    ("customer", "quality", "weakest"),
    [
        ("x1", 0.7, "b"),
        ("x2", 0.5, "m"),
        ("x3", 1.0, "k"),
        ("x4", 1.0, None),
        ("x5", 0.8, "g2"),
        ("x6", 0.8, "g2"),
        ("x7", 0.6, "p"),
        ("x8", 1.0, None),
        ("x9", 0.4, "x9"),
        ("aa", 0.9, "a"),
    ],
)
def test_quality_and_weakest_link(customer: str, quality: float, weakest: str | None) -> None:
    chain = chain_of(QUALITY, customer)
    assert (chain.quality, chain.weakest_link) == (quality, weakest)


def test_upstream_counts_follow_every_edge() -> None:
    data = {
        "vendors": [{"id": "v1"}, {"id": "v2"}],
        "units": [
            {"id": "a", "depends_on": ["v1", {"supplier": "v2", "required": False}]},
            {"id": "b", "depends_on": ["a"]},
            {"id": "lone"},
        ],
        "customers": [{"id": "x", "depends_on": ["b"]}, {"id": "y", "depends_on": ["v1"]}],
    }
    chains = {c.customer: c for c in service_chains(graph(data))}
    assert (chains["x"].upstream_units, chains["x"].upstream_vendors) == (2, 2)
    assert (chains["y"].upstream_units, chains["y"].upstream_vendors) == (0, 1)
    assert [c.customer for c in service_chains(graph(data))] == ["x", "y"]
    for chunk_bits in (1, 2):
        assert service_chains(graph(data), chunk_bits=chunk_bits) == service_chains(graph(data))


SIGHT = {
    "units": [
        {"id": "it"},  # parent of desk, no dependency either way: a container
        {"id": "desk", "parent": "it", "depends_on": [{"supplier": "opt", "required": False}]},
        {"id": "shop", "depends_on": ["desk"]},
        {"id": "opt"},  # reaches x only through an optional edge: still in sight, 3 edges
        {"id": "lonely"},  # no edges, not a parent: disconnected
        {"id": "hr"},  # parent of payroll but has an edge: not a container
        {"id": "payroll", "parent": "hr", "depends_on": ["hr"]},
    ],
    "customers": [{"id": "x", "depends_on": ["shop"]}],
}


def test_line_of_sight() -> None:
    assert line_of_sight(graph(SIGHT)) == (("shop", 1), ("desk", 2), ("opt", 3))


def test_disconnected_units_leave_out_containers() -> None:
    assert disconnected_units(graph(SIGHT)) == ("hr", "lonely", "payroll")


def test_line_of_sight_takes_the_nearest_customer() -> None:
    data = {
        "units": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}, {"id": "c", "depends_on": ["b"]}],
        "customers": [{"id": "far", "depends_on": ["c"]}, {"id": "near", "depends_on": ["a"]}],
    }
    assert line_of_sight(graph(data)) == (("a", 1), ("c", 1), ("b", 2))


def test_a_long_walk_round_a_big_cycle_is_shortened() -> None:
    # u(i) needs u(i+1) around a ring of 200; u100 is the slowest. c0 is served by u000: the walk
    # u100 → u099 → … → u000 would be 100 steps, so it is shortened to slowest → exit. c10, served
    # by u070, is 30 steps from u100: walked in full.
    n = 200
    units: list[dict[str, Any]] = [
        {"id": f"u{i:03d}", "lead_time": "1h", "depends_on": [f"u{(i + 1) % n:03d}"]}
        for i in range(n)
    ]
    units[100]["lead_time"] = "5h"
    data = {
        "units": units,
        "customers": [
            {"id": "c0", "depends_on": ["u000"]},
            {"id": "c10", "depends_on": ["u070"]},
        ],
    }
    assert chain_of(data, "c0").critical_chain == ("u100", "u000", "c0")
    assert chain_of(data, "c0").lead_time_hours == 5.0
    walked = chain_of(data, "c10").critical_chain
    assert walked == (*(f"u{i:03d}" for i in range(100, 69, -1)), "c10")

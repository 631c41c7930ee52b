"""Loads, betweenness and bottleneck reasons, on small orgs worked out by hand."""

from __future__ import annotations

import importlib
import random
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import (
    BetweennessInfo,
    Bottleneck,
    Load,
    betweenness_centrality,
    bottlenecks,
    loads,
)
from orggraph.errors import UsageError
from orggraph.graph import build_graph
from orggraph.model import load_dict

# the package exports the function bottlenecks, which hides the module of the same name
bottlenecks_module = importlib.import_module("orggraph.analysis.bottlenecks")


def graph(data: dict[str, Any]) -> nx.DiGraph:
    return build_graph(load_dict(data))


LOADED = {
    "vendors": [{"id": "cloud"}],
    "units": [
        {"id": "desk", "capacity": 120},  # 130 / 120 = 1.0833: overloaded
        {"id": "mid", "capacity": 100},  # 91 / 100: near capacity
        {"id": "low", "capacity": 100},  # 50 / 100: fine
        {"id": "e1", "capacity": 10},  # half of 18 = 9 / 10 = 0.9: near capacity
        {"id": "e2", "capacity": 100},  # 9 / 100: fine
        {"id": "free"},  # volume, no capacity: utilization unknown
        {"id": "idle", "capacity": 5},  # no volume given: load unknown
        {"id": "zero", "capacity": 5},  # volume 0 given: load 0
    ],
    "customers": [
        {
            "id": "x",
            "depends_on": [
                {"supplier": "desk", "volume": 100},
                {"supplier": "mid", "volume": 91},
                {"supplier": "low", "volume": 50},
                {"any_of": ["e1", "e2"], "volume": 18},
                {"supplier": "free", "volume": 7},
                "idle",
                {"supplier": "zero", "volume": 0},
                {"supplier": "cloud", "volume": 3},
            ],
        },
        {"id": "y", "depends_on": [{"supplier": "desk", "volume": 30}]},
    ],
}


def test_loads() -> None:
    assert loads(graph(LOADED)) == {
        "cloud": Load(3.0, None),
        "desk": Load(130.0, 120.0),
        "e1": Load(9.0, 10.0),
        "e2": Load(9.0, 100.0),
        "free": Load(7.0, None),
        "idle": Load(None, 5.0),
        "low": Load(50.0, 100.0),
        "mid": Load(91.0, 100.0),
        "zero": Load(0.0, 5.0),
    }


def test_utilization_bottlenecks_and_reasons() -> None:
    found = bottlenecks(graph(LOADED), betweenness={})
    assert [(b.id, b.reasons) for b in found] == [
        ("desk", ("overloaded: utilization 1.08",)),
        ("mid", ("near capacity: utilization 0.91 ≥ threshold 0.85",)),
        ("e1", ("near capacity: utilization 0.90 ≥ threshold 0.85",)),
    ]
    assert found[0] == Bottleneck(
        id="desk",
        load=130.0,
        capacity=120.0,
        utilization=130.0 / 120.0,
        fan_in=2,
        betweenness=0.0,
        reasons=("overloaded: utilization 1.08",),
    )
    assert found[0].overloaded
    assert not found[1].overloaded


def test_threshold_is_settable() -> None:
    found = bottlenecks(graph(LOADED), 0.5, betweenness={})
    assert [b.id for b in found] == ["desk", "mid", "e1", "low"]
    assert found[-1].reasons == ("near capacity: utilization 0.50 ≥ threshold 0.5",)
    assert [b.id for b in bottlenecks(graph(LOADED), 1.5, betweenness={})] == []


@pytest.mark.parametrize("threshold", [-0.1, float("nan"), float("inf")])
def test_threshold_must_be_a_number(threshold: float) -> None:
    with pytest.raises(UsageError, match="threshold"):
        bottlenecks(graph(LOADED), threshold, betweenness={})


def test_structural_bottlenecks() -> None:
    # hub has 12 direct consumers (fan-in 12); mid is given a betweenness of 0.23; odd has both.
    data = {
        "units": [
            {"id": "hub"},
            {"id": "mid"},
            {"id": "odd"},
            *({"id": f"c{i:02d}", "depends_on": ["hub", "odd"]} for i in range(12)),
        ]
    }
    found = bottlenecks(graph(data), betweenness={"mid": 0.23, "odd": 0.1, "c00": 0.0999})
    assert [(b.id, b.reasons) for b in found] == [
        ("mid", ("on many service chains: betweenness 0.23",)),
        (
            "odd",
            (
                "on many service chains: betweenness 0.10",
                "serves 12 direct consumers (fan-in)",
            ),
        ),
        ("hub", ("serves 12 direct consumers (fan-in)",)),
    ]
    assert found[2].fan_in == 12
    # thresholds are keyword parameters
    found = bottlenecks(
        graph(data), betweenness={"mid": 0.23}, betweenness_threshold=0.5, fan_in_threshold=13
    )
    assert found == ()


def test_order_utilization_then_betweenness_then_id() -> None:
    data = {
        "units": [{"id": i, "capacity": 10} for i in ("a", "b", "c", "d", "e")],
        "customers": [
            {
                "id": "x",
                "depends_on": [
                    {"supplier": "a", "volume": 9},
                    {"supplier": "b", "volume": 9},
                    {"supplier": "c", "volume": 12},
                    "d",
                    "e",
                ],
            }
        ],
    }
    between = {"a": 0.2, "b": 0.3, "d": 0.4, "e": 0.4}
    assert [b.id for b in bottlenecks(graph(data), betweenness=between)] == [
        "c",  # 1.2
        "b",  # 0.9, betweenness 0.3
        "a",  # 0.9, betweenness 0.2
        "d",  # unknown utilization, betweenness 0.4, smaller id
        "e",
    ]


def test_betweenness_exact_on_small_graphs() -> None:
    # a → b → c: b is on the one shortest path a → c out of (3 - 1)(3 - 2) = 2 ordered pairs
    values, info = betweenness_centrality(nx.DiGraph([("a", "b"), ("b", "c")]))
    assert values == {"a": 0.0, "b": 0.5, "c": 0.0}
    assert info == BetweennessInfo("exact")


def test_betweenness_sampled_on_large_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    G = nx.gnp_random_graph(30, 0.1, seed=1, directed=True)
    G = nx.relabel_nodes(G, {i: f"n{i:02d}" for i in G})
    exact, _ = betweenness_centrality(G)
    monkeypatch.setattr(bottlenecks_module, "EXACT_BETWEENNESS_MAX_NODES", 10)
    monkeypatch.setattr(bottlenecks_module, "BETWEENNESS_SAMPLE", 8)
    sampled, info = betweenness_centrality(G)
    assert info == BetweennessInfo("sampled", k=8, seed=42)
    assert (sampled, info) == betweenness_centrality(G)  # the same sample every time
    # sampling every node is the exact computation
    monkeypatch.setattr(bottlenecks_module, "BETWEENNESS_SAMPLE", 256)
    everything, info = betweenness_centrality(G)
    assert info == BetweennessInfo("sampled", k=30, seed=42)
    assert everything == pytest.approx(exact)


def test_betweenness_switches_above_2000_parties() -> None:
    G = nx.DiGraph()
    G.add_nodes_from(f"n{i}" for i in range(2001))
    _, info = betweenness_centrality(G)
    assert info == BetweennessInfo("sampled", k=256, seed=42)
    G.remove_node("n0")
    assert betweenness_centrality(G)[1] == BetweennessInfo("exact")


def test_sampled_betweenness_is_the_same_on_both_engines(monkeypatch: pytest.MonkeyPatch) -> None:
    G = nx.gnp_random_graph(60, 0.06, seed=3, directed=True)
    G = nx.relabel_nodes(G, {i: f"n{i:02d}" for i in G})
    monkeypatch.setattr(bottlenecks_module, "EXACT_BETWEENNESS_MAX_NODES", 10)
    monkeypatch.setattr(bottlenecks_module, "BETWEENNESS_SAMPLE", 12)
    slow, info = betweenness_centrality(G, engine="networkx")
    fast, same = betweenness_centrality(G, engine="igraph")
    assert info == same == BetweennessInfo("sampled", k=12, seed=42)
    assert fast == pytest.approx(slow, rel=1e-12, abs=1e-15)
    assert betweenness_centrality(G, engine="python") == (slow, info)
    # the estimate is the sample's sums scaled by N / k: check one party by hand
    sources = random.Random(42).sample(sorted(G), 12)
    shares = nx.betweenness_centrality_subset(G, sources, list(G), normalized=False)
    assert slow["n07"] == pytest.approx(shares["n07"] * (60 / 12) / (59 * 58))


def test_sampled_betweenness_ignores_the_order_parties_are_listed_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    G = nx.gnp_random_graph(40, 0.08, seed=5, directed=True)
    G = nx.relabel_nodes(G, {i: f"n{i:02d}" for i in G})
    shuffled = nx.DiGraph()
    order = sorted(G, key=lambda x: hash((x, "shuffle")))
    shuffled.add_nodes_from(order)
    shuffled.add_edges_from(sorted(G.edges, reverse=True))
    monkeypatch.setattr(bottlenecks_module, "EXACT_BETWEENNESS_MAX_NODES", 10)
    monkeypatch.setattr(bottlenecks_module, "BETWEENNESS_SAMPLE", 9)
    assert betweenness_centrality(G) == betweenness_centrality(shuffled)


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown betweenness engine"):
        betweenness_centrality(nx.DiGraph([("a", "b"), ("b", "c")]), engine="fortran")  # type: ignore[arg-type]

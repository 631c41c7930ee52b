"""Property tests: the fast analyses against brute force written independently here.

Random organizations of 5-25 parties with required and optional single dependencies, any_of
groups (required or not), cycles, weights, lead times and quality scores. Every brute force reads
the networkx graph directly and follows the SPEC §3 definitions in the plainest way.
"""

from __future__ import annotations

import copy
import functools
import itertools
import math
from collections import defaultdict
from typing import Any

import _spec as spec
import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orggraph.analysis import (
    SingleFailure,
    analyze,
    betweenness_centrality,
    disconnected_units,
    failure_impact,
    line_of_sight,
    service_chains,
    single_failure_impacts,
)
from orggraph.graph import build_graph
from orggraph.model import load_dict

SETTINGS = settings(max_examples=200, deadline=None)


# --- random organizations -------------------------------------------------------------------


@st.composite
def org_data(draw: st.DrawFn, acyclic: bool = False) -> dict[str, Any]:
    n_units = draw(st.integers(3, 15))
    n_vendors = draw(st.integers(0, 5))
    n_customers = draw(st.integers(max(1, 5 - n_units - n_vendors), 5))
    units = [f"u{i:02d}" for i in range(n_units)]
    vendors = [f"v{i}" for i in range(n_vendors)]
    customers = [f"c{i}" for i in range(n_customers)]
    lead = st.one_of(st.none(), st.integers(0, 6).map(lambda h: f"{h}h"))
    quality = st.sampled_from([None, 0.5, 0.8, 1.0])
    # few distinct weights, or integers whose binary digits are fewer than the distinct values,
    # and fractions whose float sums depend on the order
    weight = st.one_of(st.integers(1, 7), st.sampled_from([0.1, 0.2, 0.7, 2.5, 1e-3]))

    def depends_on(pool: list[str]) -> list[Any]:
        chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=5)) if pool else []
        deps: list[Any] = []
        i = 0
        while i < len(chosen):
            kind = draw(st.sampled_from(["short", "required", "optional", "group", "group"]))
            if kind == "group" and i + 1 < len(chosen):
                size = draw(st.integers(2, min(3, len(chosen) - i)))
                group: dict[str, Any] = {"any_of": chosen[i : i + size]}
                if draw(st.integers(0, 3)) == 0:
                    group["required"] = False
                if draw(st.booleans()):
                    group["volume"] = draw(st.integers(0, 10))
                deps.append(group)
                i += size
                continue
            if kind == "short":
                deps.append(chosen[i])
            else:
                dep: dict[str, Any] = {"supplier": chosen[i], "required": kind != "optional"}
                if draw(st.booleans()):
                    dep["volume"] = draw(st.integers(0, 10))
                deps.append(dep)
            i += 1
        return deps

    unit_items = []
    for i, u in enumerate(units):
        pool = [x for j, x in enumerate(units) if (j < i if acyclic else j != i)] + vendors
        item: dict[str, Any] = {
            "id": u,
            "lead_time": draw(lead),
            "quality": draw(quality),
            "depends_on": depends_on(pool),
        }
        if i and draw(st.integers(0, 3)) == 0:
            item["parent"] = units[draw(st.integers(0, i - 1))]
        if draw(st.booleans()):
            item["capacity"] = draw(st.integers(1, 20))
        unit_items.append(item)
    return {
        "units": unit_items,
        "vendors": [{"id": v, "lead_time": draw(lead), "quality": draw(quality)} for v in vendors],
        "customers": [
            {
                "id": c,
                "weight": draw(weight),
                "lead_time": draw(lead),
                "quality": draw(quality),
                "depends_on": depends_on(units + vendors),
            }
            for c in customers
        ],
    }


def graphs(acyclic: bool = False) -> st.SearchStrategy[nx.DiGraph]:
    return org_data(acyclic=acyclic).map(lambda data: build_graph(load_dict(data)))


# --- brute force ------------------------------------------------------------------------------


def required_deps(G: nx.DiGraph, c: str) -> tuple[list[str], list[list[str]]]:
    """c's required single suppliers and required any_of groups, straight from the edges."""
    singles: list[str] = []
    groups: dict[str, list[str]] = defaultdict(list)
    for s, _, data in G.in_edges(c, data=True):
        if not data["required"]:
            continue
        if data["any_of"] is None:
            singles.append(s)
        else:
            groups[data["any_of"]].append(s)
    return sorted(singles), [sorted(g) for g in groups.values()]


def naive_required_stages(G: nx.DiGraph) -> tuple[nx.DiGraph, dict[str, int]]:
    R = nx.DiGraph()
    R.add_nodes_from(G)
    R.add_edges_from((s, c) for s, c, d in G.edges(data=True) if d["required"])
    C = nx.condensation(R)
    return C, C.graph["mapping"]


def naive_lead(G: nx.DiGraph) -> dict[str, tuple[float, tuple[str, ...]]]:
    """Lead time and critical chain of every party by recursion on the required condensation."""
    C, stage = naive_required_stages(G)

    def own(v: str) -> float:
        return float(G.nodes[v]["lead_time"] or 0)

    @functools.cache
    def solve(k: int) -> tuple[float, tuple[str, ...]]:
        members = sorted(C.nodes[k]["members"])
        top = max(own(v) for v in members)
        shown = next(v for v in members if own(v) == top)  # members are sorted: smallest id
        terms: list[tuple[str, int]] = []  # (supplier id, its stage)
        for v in members:
            singles, groups = required_deps(G, v)
            terms.extend((d, stage[d]) for d in singles if stage[d] != k)
            for g in groups:
                if any(stage[a] == k for a in g):
                    continue
                # fastest alternative: smallest lead, then longest chain, then smallest id
                best = min(g, key=lambda a: (solve(stage[a])[0], -len(solve(stage[a])[1]), a))
                terms.append((best, stage[best]))
        if not terms:
            return own(shown), (shown,)
        terms.sort()  # by supplier id, so max() keeps the smallest id among ties
        _, t = max(terms, key=lambda term: (solve(term[1])[0], len(solve(term[1])[1])))
        lead, chain = solve(t)
        return own(shown) + lead, (*chain, shown)

    return {v: solve(stage[v]) for v in G}


def naive_lead_dag(G: nx.DiGraph, v: str) -> float:
    """lead(v) by the formula, straight recursion (the graph has no required cycle)."""
    singles, groups = required_deps(G, v)
    terms = [naive_lead_dag(G, d) for d in singles]
    terms += [min(naive_lead_dag(G, a) for a in g) for g in groups]
    return float(G.nodes[v]["lead_time"] or 0) + max(terms, default=0.0)


def naive_quality(G: nx.DiGraph) -> dict[str, tuple[float, str | None]]:
    C, stage = naive_required_stages(G)

    def rank(cand: tuple[float, str | None]) -> tuple[float, bool, str]:
        return (cand[0], cand[1] is None, cand[1] or "")

    @functools.cache
    def solve(k: int) -> tuple[float, str | None]:
        members = sorted(C.nodes[k]["members"])
        cands: list[tuple[float, str | None]] = []
        for v in members:
            q = G.nodes[v]["quality"]
            cands.append((1.0, None) if q is None else (q, v))
            singles, groups = required_deps(G, v)
            cands.extend(solve(stage[d]) for d in singles if stage[d] != k)
            for g in groups:
                if any(stage[a] == k for a in g):
                    continue
                # max() keeps the first of equals: the smallest id, as g is sorted
                best = max(g, key=lambda a: solve(stage[a])[0])
                cands.append(solve(stage[best]))
        return min(cands, key=rank)

    return {v: solve(stage[v]) for v in G}


def assert_chain_walks_the_stages(
    G: nx.DiGraph, chain: tuple[str, ...], shown: tuple[str, ...]
) -> None:
    """``chain`` is a walk over required edges that goes through the stages ``naive_lead``
    picked (each stage named by its slowest member, ``shown``) and, inside a cycle stage, takes
    shortest routes from where it enters to the slowest member and on to where it leaves."""
    C, stage = naive_required_stages(G)
    for s, t in itertools.pairwise(chain):
        assert G.edges[s, t]["required"], (s, t)
    runs: list[list[str]] = []
    for v in chain:
        if runs and stage[runs[-1][-1]] == stage[v]:
            runs[-1].append(v)
        else:
            runs.append([v])
    assert len(runs) == len(shown)
    for i, (run, slowest) in enumerate(zip(runs, shown, strict=True)):
        assert stage[run[0]] == stage[slowest]
        members = C.nodes[stage[slowest]]["members"]
        inside = nx.DiGraph(
            (s, t) for s, t, d in G.edges(data=True) if d["required"] and {s, t} <= members
        )
        inside.add_nodes_from(members)
        if i == 0:
            assert run[0] == slowest
        where = run.index(slowest)
        assert where == nx.shortest_path_length(inside, run[0], slowest)
        assert len(run) - 1 - where == nx.shortest_path_length(inside, slowest, run[-1])


def naive_depth(G: nx.DiGraph, c: str) -> int:
    C = nx.condensation(G)
    target = C.graph["mapping"][c]
    sub = C.subgraph(nx.ancestors(C, target) | {target})
    return int(nx.dag_longest_path_length(sub))


# --- properties -------------------------------------------------------------------------------


@SETTINGS
@given(graphs())
def test_single_failure_impacts_match_brute_force(G: nx.DiGraph) -> None:
    impacts = single_failure_impacts(G)
    sources = sorted(v for v in G if spec.kind(G, v) in ("unit", "vendor"))
    assert list(impacts) == sources
    for x in sources:
        down = spec.failed(G, {x})
        customers = tuple(sorted(v for v in down if spec.kind(G, v) == "customer"))
        closed = spec.closed(G, {x})
        units = sum(1 for v in down if spec.kind(G, v) == "unit" and v not in closed)
        weights = [G.nodes[c]["weight"] for c in customers]
        by_weight = tuple(sorted(customers, key=lambda c: (-G.nodes[c]["weight"], c)))
        assert impacts[x] == SingleFailure(by_weight, len(customers), math.fsum(weights), units)
        capped = single_failure_impacts(G, list_limit=2)[x]
        assert capped == SingleFailure(by_weight[:2], len(customers), math.fsum(weights), units)
    assert single_failure_impacts(G, chunk_bits=3) == impacts
    assert single_failure_impacts(G, chunk_bits=1) == impacts


@SETTINGS
@given(graphs(), st.integers(1, 8), st.sampled_from([1, 2, 3, 24]))
def test_single_failure_impacts_with_numpy_match_plain(
    G: nx.DiGraph, chunk_bits: int, limb_bits: int
) -> None:
    """Large organizations read the customers' bitsets with numpy (in blocks of rows, weights
    summed in slices); forced here on small ones, with tiny blocks and slices, it must give
    exactly what the plain reading gives."""
    from orggraph.analysis import impact

    plain = single_failure_impacts(G)
    plain_capped = single_failure_impacts(G, list_limit=2)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(impact, "_VECTORIZE_FROM", 1)
        mp.setattr(impact, "_CELL_BUDGET", 2 * chunk_bits)  # two customers per block
        mp.setattr(impact, "_LIMB_BITS", limb_bits)
        assert single_failure_impacts(G, chunk_bits=chunk_bits) == plain
        assert single_failure_impacts(G, chunk_bits=chunk_bits, list_limit=2) == plain_capped


@SETTINGS
@given(st.data())
def test_failure_impact_matches_brute_force(data: st.DataObject) -> None:
    G = data.draw(graphs())
    failed = data.draw(st.lists(st.sampled_from(sorted(G.nodes)), max_size=5))
    impact = failure_impact(G, failed)
    down = spec.failed(G, set(failed))
    customers = sorted(v for v in down if spec.kind(G, v) == "customer")
    assert impact.failed == tuple(sorted(set(failed)))
    assert impact.impacted_customers == tuple(customers)
    closed = spec.closed(G, set(failed))
    assert impact.failed_members == tuple(sorted(closed - set(failed)))
    assert impact.impacted_units == tuple(
        sorted(v for v in down if spec.kind(G, v) == "unit" and v not in closed)
    )
    assert impact.impact_weight == math.fsum(G.nodes[c]["weight"] for c in customers)


@SETTINGS
@given(graphs(acyclic=True))
def test_lead_times_on_dags_match_the_formula(G: nx.DiGraph) -> None:
    expected = naive_lead(G)
    for chain in service_chains(G):
        c = chain.customer
        assert chain.lead_time_hours == naive_lead_dag(G, c)
        assert (chain.lead_time_hours, chain.critical_chain) == expected[c]
        # the chain is made of required edges and its own lead times add up to the total
        for s, t in zip(chain.critical_chain, chain.critical_chain[1:], strict=False):
            assert G.edges[s, t]["required"]
        assert chain.lead_time_hours == sum(
            G.nodes[v]["lead_time"] or 0 for v in chain.critical_chain
        )


@SETTINGS
@given(graphs())
def test_chains_match_brute_force(G: nx.DiGraph) -> None:
    leads = naive_lead(G)
    qualities = naive_quality(G)
    chains = service_chains(G)
    assert [c.customer for c in chains] == sorted(v for v in G if spec.kind(G, v) == "customer")
    for chain in chains:
        c = chain.customer
        ancestors = nx.ancestors(G, c)
        assert chain.upstream_units == sum(1 for v in ancestors if spec.kind(G, v) == "unit")
        assert chain.upstream_vendors == sum(1 for v in ancestors if spec.kind(G, v) == "vendor")
        assert chain.depth == naive_depth(G, c)
        assert chain.lead_time_hours == leads[c][0]
        assert_chain_walks_the_stages(G, chain.critical_chain, leads[c][1])
        assert (chain.quality, chain.weakest_link) == qualities[c]
        if chain.weakest_link is not None:
            assert G.nodes[chain.weakest_link]["quality"] == chain.quality
    assert service_chains(G, chunk_bits=1) == chains
    assert service_chains(G, chunk_bits=3) == chains


@SETTINGS
@given(graphs())
def test_line_of_sight_matches_shortest_paths(G: nx.DiGraph) -> None:
    customers = [v for v in G if spec.kind(G, v) == "customer"]
    units = sorted(v for v in G if spec.kind(G, v) == "unit")
    expected = []
    no_path = []
    for u in units:
        lengths = nx.single_source_shortest_path_length(G, u)
        reached = [lengths[c] for c in customers if c in lengths]
        if reached:
            expected.append((u, min(reached)))
        else:
            no_path.append(u)
    expected.sort(key=lambda item: (item[1], item[0]))
    assert line_of_sight(G) == tuple(expected)
    parents = {G.nodes[u]["parent"] for u in units}
    assert disconnected_units(G) == tuple(
        u for u in no_path if not (u in parents and G.degree(u) == 0)
    )


@settings(max_examples=50, deadline=None)
@given(graphs())
def test_analyze_leaves_the_graph_alone_and_is_repeatable(G: nx.DiGraph) -> None:
    before = copy.deepcopy(G)
    first = analyze(G).to_dict(list_limit=0)
    assert nx.utils.graphs_equal(G, before)
    assert list(G.edges) == list(before.edges)
    assert analyze(G).to_dict(list_limit=0) == first
    # capping the lists while analyzing gives the same output as capping them when rendering
    assert analyze(G, list_limit=1).to_dict(list_limit=1) == analyze(G).to_dict(list_limit=1)


@SETTINGS
@given(graphs())
def test_betweenness_engines_agree_with_networkx(G: nx.DiGraph) -> None:
    expected = nx.betweenness_centrality(G, normalized=True)
    for engine in ("networkx", "igraph"):
        values, info = betweenness_centrality(G, engine=engine)
        assert info.method == "exact"
        assert list(values) == sorted(G)
        assert values == pytest.approx(expected, rel=1e-12, abs=1e-15), engine
    # the pure-Python engine adds up networkx's floats in networkx's order: equal to the bit
    assert betweenness_centrality(G, engine="python") == betweenness_centrality(
        G, engine="networkx"
    )

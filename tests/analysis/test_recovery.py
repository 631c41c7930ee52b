"""SPEC §8 ``rec`` (and the counted variant of §7 scenarios): hand-worked orgs, then a property
against the plainest fixpoint iteration on random orgs with cycles and any_of groups."""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from orggraph.analysis.recovery import recovery, recovery_culprit, recovery_hours
from orggraph.graph import build_graph
from orggraph.model import load_dict


def graph(data: dict[str, Any]) -> nx.DiGraph:
    return build_graph(load_dict(data))


# dc-a (8h) and dc-b (2h) are alternatives for erp (4h); payroll (12h) is optional for erp;
# shop needs erp, web needs nothing.
PARALLEL = {
    "vendors": [{"id": "dc-a", "recovery_time": "8h"}, {"id": "dc-b", "recovery_time": "2h"}],
    "units": [
        {"id": "payroll", "recovery_time": "12h"},
        {
            "id": "erp",
            "recovery_time": "4h",
            "depends_on": [
                {"any_of": ["dc-a", "dc-b"]},
                {"supplier": "payroll", "required": False},
            ],
        },
    ],
    "customers": [{"id": "shop", "depends_on": ["erp"]}, {"id": "web"}],
}


def test_recovery_runs_in_parallel_not_in_sequence() -> None:
    hours = recovery_hours(graph(PARALLEL))
    # max(4h own, min(8h, 2h)) = 4h, not 4h + 2h; the optional payroll does not count
    assert hours == {
        "dc-a": 8.0,
        "dc-b": 2.0,
        "payroll": 12.0,
        "erp": 4.0,
        "shop": 4.0,
        "web": 0.0,
    }
    assert recovery_culprit(graph(PARALLEL)) == {
        "dc-a": "dc-a",
        "dc-b": "dc-b",
        "payroll": "payroll",
        "erp": "erp",
        "shop": "erp",
        "web": None,
    }


def test_only_counted_parties_count_their_own_recovery_time() -> None:
    G = graph(PARALLEL)
    r = recovery(G, counted={"dc-a", "dc-b", "not-a-party"})
    assert r.hours["shop"] == 2.0 and r.culprit["shop"] == "dc-b"
    r = recovery(G, counted={"dc-a"})
    # dc-b is up at once: the group is back at min(8h, 0h)
    assert r.hours["shop"] == 0.0 and r.culprit["shop"] is None
    assert recovery_hours(G, counted=()) == dict.fromkeys(G.nodes, 0.0)


def test_a_slow_single_supplier_sets_the_time() -> None:
    G = graph(
        {
            "units": [
                {"id": "infra", "recovery_time": "2d"},
                {"id": "app", "recovery_time": "1h", "depends_on": ["infra"]},
            ],
            "customers": [{"id": "x", "depends_on": ["app"]}],
        }
    )
    r = recovery(G)
    assert r.hours["x"] == 48.0 and r.culprit["x"] == "infra"


def test_a_required_cycle_is_one_stage_with_its_largest_time() -> None:
    G = graph(
        {
            "units": [
                {"id": "a", "recovery_time": "3h", "depends_on": ["b"]},
                {"id": "b", "recovery_time": "5h", "depends_on": ["a", "c"]},
                {"id": "c", "recovery_time": "1h"},
                # a group with an alternative inside its consumer's own stage adds nothing
                {"id": "d", "recovery_time": "9h"},
                {"id": "e", "depends_on": [{"any_of": ["f", "d"]}]},
                {"id": "f", "depends_on": ["e"]},
            ],
            "customers": [{"id": "x", "depends_on": ["a"]}, {"id": "y", "depends_on": ["e"]}],
        }
    )
    r = recovery(G)
    assert (r.hours["a"], r.hours["b"], r.hours["x"]) == (5.0, 5.0, 5.0)
    assert r.culprit["x"] == "b"
    assert (r.hours["y"], r.culprit["y"]) == (0.0, None)
    r = recovery(G, counted={"a", "c"})
    assert (r.hours["x"], r.culprit["x"]) == (3.0, "a")


def test_ties_go_to_the_smallest_id() -> None:
    G = graph(
        {
            "units": [
                {"id": "p", "recovery_time": "2h"},
                {"id": "q", "recovery_time": "2h"},
                {"id": "r", "recovery_time": "2h", "depends_on": ["q", "p"]},
            ],
            "customers": [{"id": "x", "depends_on": [{"any_of": ["r", "q"]}]}],
        }
    )
    assert recovery_culprit(G)["r"] == "p"
    assert recovery_culprit(G)["x"] == "p"


# --- property against a brute-force fixpoint ---------------------------------------------------


@st.composite
def orgs(draw: st.DrawFn) -> dict[str, Any]:
    units = [f"u{i}" for i in range(draw(st.integers(2, 10)))]
    vendors = [f"v{i}" for i in range(draw(st.integers(0, 3)))]
    customers = [f"c{i}" for i in range(draw(st.integers(1, 3)))]
    rec = st.one_of(st.none(), st.sampled_from([0, 1, 2, 4, 8]).map(lambda h: f"{h}h"))

    def depends_on(pool: list[str]) -> list[Any]:
        chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=4)) if pool else []
        deps: list[Any] = []
        i = 0
        while i < len(chosen):
            if draw(st.booleans()) and i + 1 < len(chosen):
                deps.append({"any_of": chosen[i : i + 2], "required": draw(st.booleans())})
                i += 2
            else:
                deps.append({"supplier": chosen[i], "required": draw(st.booleans())})
                i += 1
        return deps

    return {
        "units": [
            {
                "id": u,
                "recovery_time": draw(rec),
                "depends_on": depends_on([x for x in units if x != u] + vendors),
            }
            for u in units
        ],
        "vendors": [{"id": v, "recovery_time": draw(rec)} for v in vendors],
        "customers": [{"id": c, "depends_on": depends_on(units + vendors)} for c in customers],
    }


def required_deps(G: nx.DiGraph) -> tuple[dict[str, list[str]], dict[str, list[list[str]]]]:
    singles: dict[str, list[str]] = defaultdict(list)
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s, c, data in G.edges(data=True):
        if data["required"]:
            if data["any_of"] is None:
                singles[c].append(s)
            else:
                groups[c][data["any_of"]].append(s)
    return singles, {c: list(g.values()) for c, g in groups.items()}


def own_times(G: nx.DiGraph, counted: set[str] | None) -> dict[str, float]:
    return {
        v: float(d.get("recovery_time") or 0.0) if counted is None or v in counted else 0.0
        for v, d in G.nodes(data=True)
    }


def naive_fixpoint(G: nx.DiGraph, counted: set[str] | None) -> dict[str, float]:
    """The least fixpoint of the recurrence: iterate from 0 until nothing changes."""
    own = own_times(G, counted)
    singles, groups = required_deps(G)
    rec = dict.fromkeys(G.nodes, 0.0)
    while True:
        new = {
            v: max(
                [own[v]]
                + [rec[d] for d in singles.get(v, [])]
                + [min(rec[a] for a in g) for g in groups.get(v, [])]
            )
            for v in G.nodes
        }
        if new == rec:
            return rec
        rec = new


def naive_stages(G: nx.DiGraph, counted: set[str] | None) -> dict[str, float]:
    """Recursion on the condensation of the required graph: a cycle is one stage with its
    members' largest time; a group with an alternative inside the stage is met inside it."""
    own = own_times(G, counted)
    singles, groups = required_deps(G)
    R = nx.DiGraph()
    R.add_nodes_from(G)
    R.add_edges_from((s, c) for s, c, d in G.edges(data=True) if d["required"])
    C = nx.condensation(R)
    stage = C.graph["mapping"]

    @functools.cache
    def solve(k: int) -> float:
        members = C.nodes[k]["members"]
        terms = [own[v] for v in members]
        for v in members:
            terms.extend(solve(stage[d]) for d in singles.get(v, []) if stage[d] != k)
            for g in groups.get(v, []):
                if all(stage[a] != k for a in g):
                    terms.append(min(solve(stage[a]) for a in g))
        return max(terms)

    return {v: solve(stage[v]) for v in G}


@settings(max_examples=300, deadline=None)
@given(orgs(), st.data())
def test_recovery_matches_the_fixpoint(data: dict[str, Any], pick: st.DataObject) -> None:
    G = graph(data)
    everyone = sorted(G.nodes)
    counted = pick.draw(st.one_of(st.none(), st.sets(st.sampled_from(everyone))))
    r = recovery(G, counted)
    assert r.hours == naive_stages(G, counted)
    required = nx.DiGraph((s, c) for s, c, d in G.edges(data=True) if d["required"])
    if nx.is_directed_acyclic_graph(required):
        assert r.hours == naive_fixpoint(G, counted)
    for v, hours in r.hours.items():
        culprit = r.culprit[v]
        if hours == 0:
            assert culprit is None
            continue
        # the culprit counts its own time, which is the whole figure, and v needs it
        assert culprit is not None
        assert counted is None or culprit in counted
        assert float(G.nodes[culprit]["recovery_time"]) == hours
        assert culprit == v or (culprit in required and v in nx.descendants(required, culprit))

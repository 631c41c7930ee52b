"""The overview of a large organization by structure: the embedded tree, the edges rolled up to
whatever is open (against the dependencies of the graph, counted by brute force), the bounds on
the page, names as text, the same bytes for the same organization.
(Opening departments in a real browser is in test_overview_browser.py.)"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.analysis.groups import members
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render._overview import OVERVIEW_BRANCH, build_overview
from orggraph.render._viewcontext import ViewContext
from orggraph.render._views import party_figures
from orggraph.render.html import render_html

from ._orgs import HOSTILE_NAMES, synthetic
from .test_html import page_data

# hq holds two departments; o-sub is a team with a member and work of its own
SMALL: dict[str, Any] = {
    "organization": {"name": "Small Co", "period": "week"},
    "units": [
        {"id": "hq", "kind": "department"},
        {"id": "sales", "kind": "department", "parent": "hq"},
        {"id": "ops", "kind": "department", "parent": "hq"},
        {"id": "s1", "parent": "sales", "depends_on": ["o1"]},
        {
            "id": "s2",
            "parent": "sales",
            "depends_on": [{"supplier": "o2", "required": False, "volume": 3}],
        },
        {"id": "o1", "parent": "ops", "depends_on": ["v"]},
        {"id": "o-sub", "name": "Ops sub-team", "parent": "ops", "depends_on": ["o1"]},
        {"id": "o2", "parent": "o-sub"},
    ],
    "customers": [
        {"id": "c1", "depends_on": ["s1"]},
        {"id": "c2", "depends_on": [{"any_of": ["s1", "s2"]}]},
    ],
    "vendors": [{"id": "v"}],
}


def overview_of(G: nx.DiGraph) -> dict[str, Any]:
    data = page_data(render_html(G, analyze(G), overview=True))
    assert data["meta"]["view"] == "overview"
    overview: dict[str, Any] = data["overview"]
    return overview


def entry(ov: dict[str, Any], node_id: str, drawn: list[int]) -> int:
    (k,) = [k for k in drawn if ov["nodes"][k]["id"] == node_id]
    return k


def drawn_entries(ov: dict[str, Any], opened: set[int]) -> list[int]:
    out: list[int] = []

    def walk(ks: list[int]) -> None:
        for k in ks:
            inner = [j for j, p in enumerate(ov["parent"]) if p == k]
            if k in opened and inner:
                walk(inner)
            else:
                out.append(k)

    walk([k for k, p in enumerate(ov["parent"]) if p == -1])
    return out


def rolled_up(ov: dict[str, Any], opened: set[int]) -> dict[tuple[str, str], list[Any]]:
    """What the page draws: the embedded edges summed between the drawn entries (as overview.js
    does), keyed by node ids."""
    drawn = set(drawn_entries(ov, opened))
    rep: list[int] = []
    for k, p in enumerate(ov["parent"]):
        rep.append(k if k in drawn or p == -1 else rep[p])
    out: dict[tuple[str, str], list[Any]] = {}
    for a, b, count, required, optional, any_of, volume in ov["edges"]:
        ra, rb = rep[a], rep[b]
        if ra == rb:
            continue
        key = (ov["nodes"][ra]["id"], ov["nodes"][rb]["id"])
        agg = out.setdefault(key, [0, 0, 0, 0, None])
        agg[0] += count
        agg[1] += required
        agg[2] += optional
        agg[3] += any_of
        if volume is not None:
            agg[4] = (agg[4] or 0) + volume
    return out


def optional_links(ov: dict[str, Any], opened: set[int]) -> set[tuple[str, str]]:
    """The drawn links the page marks optional (dashed, hidden on request): every dependency
    they stand for is optional."""
    return {key for key, agg in rolled_up(ov, opened).items() if agg[2] == agg[0]}


def drawn_holder(G: nx.DiGraph, ov: dict[str, Any], opened: set[int]) -> dict[str, str]:
    """Per party, the drawn node holding it: each drawn entry holds its id's party and, for a
    group, all its members (SPEC §7), or what the entries below it hold."""
    held: dict[int, set[str]] = {}
    for k in reversed(range(len(ov["parent"]))):  # children come after their parents
        inner = [j for j, p in enumerate(ov["parent"]) if p == k]
        node_id = ov["nodes"][k]["id"]
        if inner:
            held[k] = set().union(*(held[j] for j in inner))
        elif ov["members"][k]:  # a group with nothing of it embedded
            held[k] = {node_id, *members(G, node_id)}
        else:
            held[k] = {node_id}
    where: dict[str, str] = {}
    for k in drawn_entries(ov, opened):
        for n in held[k]:
            assert n not in where, f"{n} drawn twice"
            where[n] = ov["nodes"][k]["id"]
    return where


def brute_force(
    G: nx.DiGraph, ov: dict[str, Any], opened: set[int]
) -> dict[tuple[str, str], list[Any]]:
    """The same from the graph: every dependency between two drawn entries is counted."""
    where = drawn_holder(G, ov, opened)
    out: dict[tuple[str, str], list[Any]] = {}
    for u, v, data in G.edges(data=True):
        a, b = where[u], where[v]
        if a == b:
            continue
        agg = out.setdefault((a, b), [0, 0, 0, 0, None])
        agg[0] += 1
        agg[1] += 1 if data.get("required", True) else 0
        agg[2] += 0 if data.get("required", True) else 1
        agg[3] += 1 if data.get("any_of") is not None else 0
        if data.get("volume") is not None:
            agg[4] = (agg[4] or 0) + data["volume"]
    return out


def test_a_small_org_opened_level_by_level() -> None:
    G = build_graph(load_dict(SMALL))
    ov = overview_of(G)
    top = drawn_entries(ov, set())
    # hq holds only the two departments and has no dependency: it draws nothing
    assert sorted(ov["nodes"][k]["id"] for k in top) == ["c1", "c2", "ops", "sales", "v"]
    assert rolled_up(ov, set()) == {
        ("v", "ops"): [1, 1, 0, 0, None],
        ("ops", "sales"): [2, 1, 1, 0, 3],
        ("sales", "c1"): [1, 1, 0, 0, None],
        ("sales", "c2"): [2, 2, 0, 2, None],
    }
    ops = entry(ov, "ops", top)
    after = drawn_entries(ov, {ops})
    assert sorted(ov["nodes"][k]["id"] for k in after) == ["c1", "c2", "o-sub", "o1", "sales", "v"]
    assert rolled_up(ov, {ops}) == {
        ("v", "o1"): [1, 1, 0, 0, None],
        ("o1", "sales"): [1, 1, 0, 0, None],
        ("o-sub", "sales"): [1, 0, 1, 0, 3],
        ("o1", "o-sub"): [1, 1, 0, 0, None],  # o-sub's own work needs o1
        ("sales", "c1"): [1, 1, 0, 0, None],
        ("sales", "c2"): [2, 2, 0, 2, None],
    }
    sub = entry(ov, "o-sub", after)
    inner = drawn_entries(ov, {ops, sub})
    labels = {ov["nodes"][k]["id"]: ov["nodes"][k]["label"] for k in inner}
    assert labels["o-sub"] == "Ops sub-team (itself)"  # the team's own work, beside its member
    assert rolled_up(ov, {ops, sub})[("o2", "sales")] == [1, 0, 1, 0, 3]
    assert ov["members"][ops] == 4  # ops, o1, o-sub, o2
    assert ov["nodes"][ops]["shape"] == "hexagon"
    assert "1 dependencies inside the department" in ov["nodes"][ops]["title"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rolled_up_edges_are_the_dependencies_between_what_is_open(seed: int) -> None:
    G = synthetic(400, customers=130, vendors=30, departments=9, seed=seed)
    ov = overview_of(G)
    rng = random.Random(seed)
    opened: set[int] = set()
    for _ in range(8):
        assert rolled_up(ov, opened) == brute_force(G, ov, opened)
        closed = [
            k
            for k in drawn_entries(ov, opened)
            if any(p == k for p in ov["parent"])  # something of it is embedded
        ]
        if not closed:
            break
        opened.add(rng.choice(closed))


@pytest.mark.parametrize("seed", [4, 5, 6, 7])
def test_a_link_is_optional_exactly_when_all_its_dependencies_are(seed: int) -> None:
    rng = random.Random(seed)
    G = synthetic(300, customers=90, vendors=20, departments=rng.randint(3, 8), seed=seed)
    # more optional dependencies than synthetic's, so whole links between groups are optional
    for _u, _v, data in G.edges(data=True):
        if data.get("any_of") is None and rng.random() < 0.5:
            data["required"] = False
    ov = overview_of(G)
    opened: set[int] = set()
    seen = Counter[bool]()
    for _ in range(10):
        where = drawn_holder(G, ov, opened)
        required: dict[tuple[str, str], list[bool]] = {}
        for u, v, r in G.edges(data="required", default=True):
            if where[u] != where[v]:
                required.setdefault((where[u], where[v]), []).append(bool(r))
        expected = {key for key, flags in required.items() if not any(flags)}
        assert optional_links(ov, opened) == expected
        seen.update(key in expected for key in required)
        closed = [k for k in drawn_entries(ov, opened) if k in ov["parent"]]
        if not closed:
            break
        opened.add(rng.choice(closed))
    assert seen[True] and seen[False]  # both kinds of link were drawn


def test_gathered_entries_are_filtered_under_the_kind_they_gather() -> None:
    G = synthetic(600, customers=250, vendors=30, departments=5)
    data = page_data(render_html(G, analyze(G), overview=True))
    ov = data["overview"]
    assert data["meta"]["find"]["parties"] == ["customer", "group", "unit", "vendor"]
    top = drawn_entries(ov, set())
    customers = entry(ov, "#customers", top)
    for k in [customers, *(k for k, p in enumerate(ov["parent"]) if p == customers)]:
        assert ov["nodes"][k]["find"]["party"] == "customer"
        assert ov["nodes"][k]["find"]["kind"] is None


def test_customers_and_vendors_are_gathered_in_blocks_when_the_top_is_too_wide() -> None:
    G = synthetic(600, customers=250, vendors=30, departments=5)
    ov = overview_of(G)
    top = drawn_entries(ov, set())
    ids = sorted(ov["nodes"][k]["id"] for k in top)
    assert ids == [
        "#customers",
        *(f"dept-{d:02d}" for d in range(5)),
        *sorted(f"vendor-{v:03d}" for v in range(30)),
    ]
    customers = entry(ov, "#customers", top)
    assert ov["nodes"][customers]["label"] == "Customers (250)"
    assert ov["nodes"][customers]["shape"] == "diamond"
    blocks = [k for k, p in enumerate(ov["parent"]) if p == customers]
    assert [ov["nodes"][k]["label"] for k in blocks] == [
        "Customers 1–100 of 250 (100)",
        "Customers 101–200 of 250 (100)",
        "Customers 201–250 of 250 (50)",
    ]
    # no click adds more than OVERVIEW_BRANCH nodes
    assert max(Counter(ov["parent"]).values()) <= OVERVIEW_BRANCH
    # the heaviest customers come first
    first = [k for k, p in enumerate(ov["parent"]) if p == blocks[0]]
    weights = [G.nodes[ov["nodes"][k]["id"]].get("weight") or 1.0 for k in first]
    assert weights == sorted(weights, reverse=True)


def test_the_page_stays_within_its_bounds() -> None:
    G = synthetic(2400, customers=40, vendors=20, departments=12)
    report = analyze(G)
    ctx = ViewContext.build(G, report, party_figures(G, report), None)
    everything = build_overview(G, ctx)
    assert everything.complete and everything.atoms == G.number_of_nodes()
    small = build_overview(G, ctx, max_nodes=300, max_edges=800)
    assert small.entries <= 300 and small.edges <= 800 and not small.complete
    # the top level is always drawn (at most OVERVIEW_BRANCH entries): here 302 edges
    tight = build_overview(G, ctx, max_nodes=10_000, max_edges=400)
    assert tight.edges <= 400 and not tight.complete and tight.entries > 72
    # a group whose members did not fit is still a group of the right size
    ov = small.data
    closed = [k for k in range(small.entries) if ov["members"][k] and k not in set(ov["parent"])]
    assert closed
    for k in closed:
        node_id = ov["nodes"][k]["id"]
        if "#" not in node_id:  # a group, not a gathering or a block
            assert ov["members"][k] == 1 + len(members(G, node_id))


def test_above_the_limit_the_command_writes_the_overview(tmp_path: Any) -> None:
    G = synthetic(2100, customers=40, vendors=20)
    page = render_html(G, analyze(G))
    data = page_data(page)
    assert data["meta"]["view"] == "overview"
    assert data["edges"] == []  # drawn by overview.js from the embedded edges
    assert "window.orggraphOverview" in page
    assert len(page.encode()) < 6_000_000


def test_names_are_text_in_the_overview() -> None:
    org = dict(SMALL)
    org["units"] = [
        {**u, "name": HOSTILE_NAMES[i % len(HOSTILE_NAMES)]} for i, u in enumerate(SMALL["units"])
    ]
    page = render_html(
        build_graph(load_dict(org)), analyze(build_graph(load_dict(org))), overview=True
    )
    block = page.split('id="orggraph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    labels = [n["label"] for n in page_data(page)["overview"]["nodes"]]
    assert any(HOSTILE_NAMES[1][:20] in label for label in labels)


def test_same_organization_same_bytes() -> None:
    G = synthetic(500, customers=120, vendors=20, departments=6)
    shuffled = nx.DiGraph()
    shuffled.graph.update(G.graph)
    rng = random.Random(5)
    nodes = list(G.nodes(data=True))
    rng.shuffle(nodes)
    shuffled.add_nodes_from(nodes)
    edges = list(G.edges(data=True))
    rng.shuffle(edges)
    shuffled.add_edges_from(edges)
    assert render_html(G, analyze(G), overview=True) == render_html(
        shuffled, analyze(shuffled), overview=True
    )


def test_a_chain_is_marked_on_what_holds_it() -> None:
    G = build_graph(load_dict(SMALL))
    report = analyze(G)
    ov = page_data(render_html(G, report, overview=True, chain="c1"))["overview"]
    chain = [ov["nodes"][k]["id"] for k in ov["chain"]]
    assert chain == ["v", "o1", "s1", "c1"]
    top = drawn_entries(ov, set())
    marked = sorted(
        ov["nodes"][k]["id"] for k in top if ov["nodes"][k]["color"]["border"] == "#ff6f00"
    )
    assert marked == ["c1", "ops", "sales", "v"]

"""What a click answers in the page (assets/explore.js), checked in the browser against the CLI and
the analysis: what fails with the parties picked (`orggraph impact ... --format json`, to the
last key), what a party needs upstream (every party with a path to it), its single points of
failure (brute force: every non-group unit and vendor whose failure alone takes it down) and
its critical chain (``service_chains``), on a small org worked by hand and on random orgs with
nested groups, any_of groups (some optional, some with a primary), optional links, cycles,
fractional weights and scenarios.
"""

from __future__ import annotations

import json
import random
from collections import deque
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from typer.testing import CliRunner

from orggraph.analysis import analyze, failure_impact
from orggraph.cli import app
from orggraph.graph import CUSTOMER, PARENT, PARTY, VENDOR, build_graph
from orggraph.model import load_dict
from orggraph.render.html import render_html

from ._page import View
from .conftest import OpenView

runner = CliRunner()
LISTS = (
    "failed",
    "failed_members",
    "impacted_units",
    "impacted_customers",
    "degraded_customers",
    "degraded_units",
    "redundancy_lost",
)

# -- a small org worked by hand ---------------------------------------------------------------
# The department ops holds o1 (lead 4h) and o2. shop needs o1; cafe would like o2 (optional); hub
# needs o1 or the vendor ext (lead 1d), o1 its primary. c1 (weight 2) needs shop, c2 needs hub,
# c3 needs cafe.
# - o1 fails: shop and c1 lose service (weight 2); hub keeps ext but lost its backup.
# - ops fails: o1 and o2 with it; shop and c1 lose service; cafe runs degraded, and so does c3,
#   which needs cafe; hub lost its backup.
# - o1 and ext fail together: shop, hub, c1 and c2 lose service (weight 3).
# - o1 and o2 fail together: ops, whose members have all failed, fails with them.
# - c2 needs hub, o1 and ext; only hub alone takes it down; its critical chain runs o1 (4h,
#   faster than ext's 1d) → hub → c2.
HAND: dict[str, Any] = {
    "organization": {"name": "Hand"},
    "units": [
        {"id": "ops", "name": "Operations", "kind": "department"},
        {"id": "o1", "name": "Ops one", "parent": "ops", "lead_time": "4h"},
        {"id": "o2", "parent": "ops"},
        {"id": "shop", "name": "Shop", "depends_on": ["o1"]},
        {"id": "cafe", "depends_on": [{"supplier": "o2", "required": False}]},
        {
            "id": "hub",
            "lead_time": "1h",
            "depends_on": [{"any_of": ["o1", "ext"], "primary": "o1"}],
        },
    ],
    "vendors": [{"id": "ext", "name": "External", "lead_time": "1d"}],
    "customers": [
        {"id": "c1", "name": "Walk-in", "weight": 2, "depends_on": ["shop"]},
        {"id": "c2", "depends_on": ["hub"]},
        {"id": "c3", "depends_on": ["cafe"]},
    ],
    "scenarios": [{"id": "ops-down", "name": "Ops lost", "fail": ["ops"]}],
}


def _answer(
    failed: list[str],
    *,
    members: tuple[str, ...] = (),
    units: tuple[str, ...] = (),
    customers: tuple[str, ...] = (),
    weight: float = 0.0,
    degraded_customers: tuple[str, ...] = (),
    degraded_units: tuple[str, ...] = (),
    lost: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "failed": sorted(failed),
        "failed_members": list(members),
        "impacted_units": list(units),
        "impacted_customers": list(customers),
        "impact_weight": weight,
        "degraded_customers": list(degraded_customers),
        "degraded_units": list(degraded_units),
        "redundancy_lost": list(lost),
    }


HAND_ANSWERS = {
    ("o1",): _answer(["o1"], units=("shop",), customers=("c1",), weight=2.0, lost=("hub",)),
    ("ops",): _answer(
        ["ops"],
        members=("o1", "o2"),
        units=("shop",),
        customers=("c1",),
        weight=2.0,
        degraded_customers=("c3",),
        degraded_units=("cafe",),
        lost=("hub",),
    ),
    ("o1", "ext"): _answer(
        ["o1", "ext"], units=("hub", "shop"), customers=("c1", "c2"), weight=3.0
    ),
    ("o1", "o2"): _answer(
        ["o1", "o2"],
        units=("ops", "shop"),
        customers=("c1",),
        weight=2.0,
        degraded_customers=("c3",),
        degraded_units=("cafe",),
        lost=("hub",),
    ),
}


def _state_of(answer: dict[str, Any], party: str) -> str:
    if party in answer["failed"] or party in answer["failed_members"]:
        return "failed"
    if party in answer["impacted_units"] or party in answer["impacted_customers"]:
        return "impacted"
    if party in answer["degraded_units"] or party in answer["degraded_customers"]:
        return "degraded"
    return "dimmed"


def _shown_lists(view: View) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = view.evaluate(
        """() => { const out = {};
        document.querySelectorAll('#orggraph-answer section[data-list]').forEach(s => {
          out[s.dataset.list] = Array.from(s.querySelectorAll('li[data-party]'))
            .map(li => li.dataset.party); });
        return out; }"""
    )
    return lists


def _drawn_colours(view: View) -> dict[str, str]:
    """Each drawn node's fill as vis-network draws it (its parsed options)."""
    pairs = view.evaluate(
        "Object.values(window.orggraphNetwork.body.nodes)"
        ".map(n => [n.id, n.options.color.background])"
    )
    return dict(pairs)


def assert_page_shows(view: View, G: nx.DiGraph, answer: dict[str, Any]) -> None:
    """The panel lists exactly the answer's parties and the graph colours each drawn party by its
    state in the answer (failed, loses service, degraded, dimmed)."""
    lists = _shown_lists(view)
    for key in ("impacted_units", "degraded_customers", "degraded_units"):
        assert lists[key] == answer[key], key
    for key in ("failed_members", "redundancy_lost"):
        assert lists.get(key, []) == answer[key], key
    weight = {c: float(G.nodes[c].get("weight", 1.0)) for c in answer["impacted_customers"]}
    assert lists["impacted_customers"] == sorted(weight, key=lambda c: (-weight[c], c))
    colours = view.evaluate("window.orggraphExplore.colours")
    drawn = _drawn_colours(view)
    expected = {n: colours[_state_of(answer, n)]["background"] for n in drawn}
    assert drawn == expected
    shown = view.evaluate("window.orggraphExplore.shown().impact")
    assert shown == answer


def cli_impact(org: Path, *args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["impact", str(org), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    answer: dict[str, Any] = json.loads(result.stdout)
    answer.pop("scenario", None)
    answer.pop("recovery", None)
    return answer


@pytest.fixture
def hand(tmp_path: Path) -> tuple[nx.DiGraph, Path]:
    org = tmp_path / "hand.json"
    org.write_text(json.dumps(HAND), encoding="utf-8")
    return build_graph(load_dict(HAND)), org


def test_hand_worked_answers_equal_the_cli(hand: tuple[nx.DiGraph, Path]) -> None:
    _, org = hand
    for failed, answer in HAND_ANSWERS.items():
        assert cli_impact(org, *failed) == answer, failed


def empty_spot(view: View) -> tuple[float, float]:
    """A point of the drawing area (page pixels) with no party, link or panel over it."""
    x, y = view.evaluate(
        """() => { const net = window.orggraphNetwork;
        const r = document.getElementById('orggraph-view').getBoundingClientRect();
        for (let y = r.height - 10; y > 60; y -= 7) {
          for (let x = 10; x < r.width - 10; x += 7) {
            const under = document.elementFromPoint(x + r.left, y + r.top);
            if (under && under.tagName === 'CANVAS' && net.getNodeAt({x: x, y: y}) === undefined
                && net.getEdgeAt({x: x, y: y}) === undefined) { return [x + r.left, y + r.top]; }
          } }
        return null; }"""
    )
    return float(x), float(y)


def test_clicking_a_party_shows_what_fails_with_it(
    open_view: OpenView, hand: tuple[nx.DiGraph, Path]
) -> None:
    G, _ = hand
    view = open_view(render_html(G, analyze(G)))
    for (party,) in (("o1",), ("ops",)):
        view.click_party(party)
        assert_page_shows(view, G, HAND_ANSWERS[party,])
        head = view.page.text_content("#orggraph-answer h2")
        assert head == ("If Ops one (o1) fails" if party == "o1" else "If Operations (ops) fails")
    summary = view.page.text_content("#orggraph-answer .og-sum") or ""
    assert summary.startswith("1 customer and 1 unit lose service; impact weight 2 (50% of 4)")
    # a click on the empty canvas clears the answer and gives every party its own look back
    before = _drawn_colours(view)
    view.page.mouse.click(*empty_spot(view))
    assert view.page.is_hidden("#orggraph-answer")
    after = _drawn_colours(view)
    assert after != before
    assert after == {n["id"]: n["color"]["background"] for n in view.evaluate("orggraphData.nodes")}
    view.assert_clean()


def test_fail_together_and_a_scenario_of_the_file(
    open_view: OpenView, hand: tuple[nx.DiGraph, Path]
) -> None:
    G, org = hand
    view = open_view(render_html(G, analyze(G)))
    view.page.check("#orggraph-together")
    for together in (("o1", "ext"), ("o1", "o2")):
        for party in together:
            view.click_party(party)
        assert_page_shows(view, G, HAND_ANSWERS[together])
        view.page.click("#orggraph-clear")
    view.page.select_option("#orggraph-scenario-pick", label="Ops lost (ops-down)")
    scenario = cli_impact(org, "--scenario", "ops-down")
    assert scenario == HAND_ANSWERS["ops",]
    assert_page_shows(view, G, scenario)
    head = view.page.text_content("#orggraph-answer h2") or ""
    assert head.startswith("Scenario Ops lost (ops-down): if Operations (ops) fails")
    view.assert_clean()


def test_upstream_and_downstream_of_a_customer(
    open_view: OpenView, hand: tuple[nx.DiGraph, Path]
) -> None:
    G, _ = hand
    view = open_view(render_html(G, analyze(G)))
    view.page.select_option("#orggraph-mode", "upstream")
    view.click_party("c2")
    shown = view.evaluate("window.orggraphExplore.shown()")
    assert shown["upstream"] == ["ext", "hub", "o1"]
    assert shown["spof"] == ["hub"]
    assert shown["chain"] == ["o1", "hub", "c2"]
    lists = _shown_lists(view)
    assert lists["spof"] == ["hub"] and lists["chain"] == ["o1", "hub", "c2"]
    key = view.evaluate(
        "[...document.querySelectorAll('#orggraph-answer .og-key')]"
        ".map(p => p.textContent).find(t => t.startsWith('links')) || ''"
    )
    assert "dotted teal any_of alternative · dashed optional" in key
    assert lists["upstream"] == ["ext", "hub", "o1"]
    marks = shown["marks"]
    assert marks["hub"] == "spof" and marks["o1"] == "chain"
    drawn = _drawn_colours(view)
    dimmed = view.evaluate("window.orggraphExplore.colours.dimmed.background")
    assert {n for n, c in drawn.items() if c == dimmed} == set(G) - {"c2", "hub", "o1", "ext"}
    # depth 1: only what it needs directly
    view.page.select_option("#orggraph-depth", "1")
    assert view.evaluate("window.orggraphExplore.shown().upstream") == ["hub"]
    view.page.select_option("#orggraph-mode", "downstream")
    view.page.select_option("#orggraph-depth", "all")
    view.click_party("o1")
    assert view.evaluate("window.orggraphExplore.shown().downstream") == ["c1", "c2", "hub", "shop"]
    view.assert_clean()


# -- random organizations ----------------------------------------------------------------------


def random_org(seed: int) -> dict[str, Any]:
    """A random valid org: nested groups, required and optional links, any_of groups (some
    optional, some with a primary), cycles, lead times, fractional weights and scenarios."""
    rng = random.Random(seed)
    units = [f"u{i:02d}" for i in range(rng.randint(6, 16))]
    vendors = [f"v{i}" for i in range(rng.randint(0, 3))]
    customers = [f"c{i}" for i in range(rng.randint(1, 4))]
    tags = ("a", "b")

    def depends_on(pool: list[str]) -> list[Any]:
        chosen = rng.sample(pool, k=min(len(pool), rng.randint(0, 4)))
        deps: list[Any] = []
        i = 0
        while i < len(chosen):
            pick = rng.choice(("single", "single", "optional", "group"))
            if pick == "group" and i + 1 < len(chosen):
                size = rng.randint(2, min(3, len(chosen) - i))
                alternatives = chosen[i : i + size]
                group: dict[str, Any] = {"any_of": alternatives}
                if rng.random() < 0.2:
                    group["required"] = False
                if rng.random() < 0.4:
                    group["primary"] = rng.choice(alternatives)
                deps.append(group)
                i += size
                continue
            if pick == "optional":
                deps.append({"supplier": chosen[i], "required": False})
            else:
                deps.append(chosen[i])
            i += 1
        return deps

    unit_items: list[dict[str, Any]] = []
    for i, u in enumerate(units):
        item: dict[str, Any] = {"id": u, "name": f"Unit {u.upper()}"}
        if i and rng.random() < 0.35:
            item["parent"] = units[rng.randrange(i)]
        item["depends_on"] = depends_on([x for x in units if x != u] + vendors)
        if rng.random() < 0.6:
            item["lead_time"] = rng.choice(("1h", "4h", "1d", "2d"))
        if rng.random() < 0.3:
            item["tags"] = [rng.choice(tags)]
        unit_items.append(item)
    customer_items = [
        {
            "id": c,
            "weight": rng.choice((1, 0.1, 0.2, 0.7, 2.5, 10, 0.0078125)),
            "depends_on": depends_on(units + vendors) or [rng.choice(units)],
        }
        for c in customers
    ]
    scenarios: list[dict[str, Any]] = [
        {"id": "two-down", "fail": rng.sample(units + vendors, k=2)},
        {"id": "tag-a", "name": "Tag a lost", "where": {"tags": ["a"]}},
    ]
    return {
        "organization": {"name": f"Random {seed}"},
        "units": unit_items,
        "vendors": [{"id": v, "lead_time": rng.choice(("2h", "3d"))} for v in vendors],
        "customers": customer_items,
        "scenarios": scenarios,
    }


SEEDS = range(8)


@pytest.fixture(params=SEEDS, ids=[f"seed{s}" for s in SEEDS])
def random_case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[nx.DiGraph, Path]:
    data = random_org(request.param)
    org = tmp_path / "org.json"
    org.write_text(json.dumps(data), encoding="utf-8")
    return build_graph(load_dict(data)), org


def test_random_orgs_impact_equals_the_cli(
    open_view: OpenView, random_case: tuple[nx.DiGraph, Path], tmp_path: Path
) -> None:
    G, org = random_case
    page = tmp_path / "org.html"
    result = runner.invoke(app, ["view", str(org), "-o", str(page)])
    assert result.exit_code == 0, result.output
    view = open_view(page.read_text(encoding="utf-8"))
    rng = random.Random(len(G))
    parties = sorted(G)
    # the page's own answer for every single party and some sets, without clicking
    picks = [[x] for x in parties] + [rng.sample(parties, k=rng.randint(2, 4)) for _ in range(6)]
    for failed in picks:
        assert view.evaluate(f"window.orggraphExplore.impact({json.dumps(failed)})") == cli_impact(
            org, *failed
        ), failed
    # clicked as a person would: single parties, then several together
    for party in rng.sample(parties, k=3):
        view.click_party(party)
        assert_page_shows(view, G, cli_impact(org, party))
    view.page.check("#orggraph-together")
    view.page.click("#orggraph-clear")
    together = rng.sample(parties, k=3)
    for party in together:
        view.click_party(party)
    assert_page_shows(view, G, cli_impact(org, *together))
    # the file's scenarios
    for label, scenario in (("two-down", "two-down"), ("Tag a lost (tag-a)", "tag-a")):
        view.page.select_option("#orggraph-scenario-pick", label=label)
        answer = cli_impact(org, "--scenario", scenario)
        if answer["failed"]:
            assert_page_shows(view, G, answer)
        else:
            assert view.page.is_hidden("#orggraph-answer")
    view.assert_clean()


def _bfs(G: nx.DiGraph, p: str, depth: int, up: bool) -> list[str]:
    seen = {p: 0}
    queue = deque([p])
    while queue:
        v = queue.popleft()
        if seen[v] == depth:
            continue
        for w in G.predecessors(v) if up else G.successors(v):
            if w not in seen:
                seen[w] = seen[v] + 1
                queue.append(w)
    return sorted(set(seen) - {p})


def test_random_orgs_upstream_equals_the_analysis(
    open_view: OpenView, random_case: tuple[nx.DiGraph, Path]
) -> None:
    G, _ = random_case
    report = analyze(G)
    view = open_view(render_html(G, report))
    groups = {d[PARENT] for _, d in G.nodes(data=True) if d.get(PARENT) is not None}
    candidates = [x for x, d in G.nodes(data=True) if d[PARTY] != CUSTOMER and x not in groups]
    chains = {c.customer: c for c in report.service_chains}
    for p in sorted(G):
        upstream = view.evaluate(f"window.orggraphExplore.upstream({json.dumps(p)})")
        assert upstream == sorted(nx.ancestors(G, p)), p
        assert view.evaluate(f"window.orggraphExplore.upstream({json.dumps(p)}, 2)") == _bfs(
            G, p, 2, up=True
        )
        spof = view.evaluate(f"window.orggraphExplore.singlePoints({json.dumps(p)})")
        brute = sorted(
            x
            for x in candidates
            if x != p
            and p
            in {*failure_impact(G, [x]).impacted_units, *failure_impact(G, [x]).impacted_customers}
        )
        assert spof == brute, p
        if p in chains:
            chain = chains[p]
            assert view.evaluate(f"window.orggraphExplore.chain({json.dumps(p)})") == list(
                chain.critical_chain
            )
            units = sum(1 for x in upstream if G.nodes[x][PARTY] == "unit")
            vendors = sum(1 for x in upstream if G.nodes[x][PARTY] == VENDOR)
            assert (units, vendors) == (chain.upstream_units, chain.upstream_vendors)
    # clicked: a customer in "both" mode at depth 2
    customer = sorted(chains)[0]
    view.page.select_option("#orggraph-mode", "both")
    view.page.select_option("#orggraph-depth", "2")
    view.click_party(customer)
    shown = view.evaluate("window.orggraphExplore.shown()")
    assert shown["upstream"] == _bfs(G, customer, 2, up=True)
    assert shown["downstream"] == []
    lists = _shown_lists(view)
    assert lists["upstream"] == shown["upstream"]
    assert lists["chain"] == list(chains[customer].critical_chain)
    view.assert_clean()

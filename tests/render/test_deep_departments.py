"""A chain of nested departments, each the parent of the next (issue 12, item 9): the views and
exports stay linear in the depth. Timings are in docs/performance.md, not asserted here."""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from orggraph.analysis import analyze
from orggraph.graph import PARENT, build_graph
from orggraph.model import load_text
from orggraph.render._views import top_departments
from orggraph.render.export import export_graph

DEPTH = 20_000


def _chain(n: int) -> str:
    units = "".join(f"  - id: u{i}\n    parent: u{i - 1}\n" for i in range(1, n))
    return f"units:\n  - id: u0\n{units}customers:\n  - id: c\n    depends_on: [u{n - 1}]\n"


def _brute_force(G: nx.DiGraph) -> dict[str, str]:
    """The definition, walked up from every party (quadratic, fine for small graphs)."""

    def chain(n: str) -> list[str]:
        path = [n]
        while (p := G.nodes[path[-1]].get(PARENT)) in G and p not in path:
            path.append(p)
        return path[::-1]

    chains = {n: chain(n) for n in G}

    def grouped(level: int) -> set[str]:
        return {c[level] for c in chains.values() if len(c) > level + 1}

    level = 0
    while len(grouped(level)) == 1 and grouped(level + 1):
        level += 1
    return {n: c[level] if len(c) > level else n for n, c in chains.items()}


@given(st.lists(st.one_of(st.none(), st.integers(0, 11)), min_size=1, max_size=12))
def test_top_departments_match_the_definition(parents: list[int | None]) -> None:
    G = nx.DiGraph()
    for i, p in enumerate(parents):
        # a parent listed before its child: a forest, as validation demands (no parent cycles)
        G.add_node(f"n{i}", **({PARENT: f"n{p}"} if p is not None and p < i else {}))
    assert top_departments(G) == _brute_force(G)


def test_a_20k_deep_chain_of_departments() -> None:
    G = build_graph(load_text(_chain(DEPTH)))
    top = top_departments(G)
    assert len(top) == DEPTH + 1
    # each level holds one department only and never splits: the collapse goes down to the last
    # department, under which only the last unit sits
    assert top[f"u{DEPTH - 1}"] == f"u{DEPTH - 2}"
    assert top["u0"] == "u0"
    assert top["c"] == "c"
    report = analyze(G)
    for fmt in ("mermaid", "graphml", "json"):
        assert "u19999" in export_graph(G, report, fmt)

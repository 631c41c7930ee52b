"""SPEC §3 and §7 written out literally, for the property tests to hold the analyses against:
quadratic and obvious, read straight from the graph's edges and node data, sharing no code with
orggraph.analysis."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx


def kind(G: nx.DiGraph, v: str) -> str:
    """unit, customer or vendor."""
    return str(G.nodes[v]["party"])


def members(G: nx.DiGraph, u: str) -> set[str]:
    """The units whose parent chain passes through u (SPEC §7)."""
    out = set()
    for v in G.nodes:
        p = G.nodes[v].get("parent")
        while p is not None and p != u:
            p = G.nodes[p].get("parent")
        if p == u:
            out.add(v)
    return out


def dependencies(G: nx.DiGraph, c: str) -> list[tuple[bool, list[str]]]:
    """(required, suppliers) per dependency of c: one supplier, or a group's alternatives."""
    groups: dict[str, list[str]] = defaultdict(list)
    required: dict[str, bool] = {}
    out: list[tuple[bool, list[str]]] = []
    for s, _, data in G.in_edges(c, data=True):
        if data["any_of"] is None:
            out.append((data["required"], [s]))
        else:
            groups[data["any_of"]].append(s)
            required[data["any_of"]] = data["required"]
    out.extend((required[g], alts) for g, alts in groups.items())
    return out


def closed(G: nx.DiGraph, X: set[str]) -> set[str]:
    """X* = X and the members of every unit in X (SPEC §7)."""
    return set(X).union(*(members(G, x) for x in X))


def failed(G: nx.DiGraph, X: set[str]) -> set[str]:
    """F: from X*, add every consumer with a required dependency all of whose suppliers are in
    F, and every group whose members are all in F, until nothing changes (SPEC §3 and §7)."""
    down = closed(G, X)
    member_sets = {v: members(G, v) for v in G.nodes}
    changed = True
    while changed:
        changed = False
        for c in G.nodes:
            if c in down:
                continue
            if any(req and all(a in down for a in alts) for req, alts in dependencies(G, c)) or (
                member_sets[c] and member_sets[c] <= down
            ):
                down.add(c)
                changed = True
    return down

"""Degraded service and lost redundancy around a failure (SPEC §9).

Given the failed set F of a failure (SPEC §3 and §7), the degraded set D is the least set of
parties outside F such that p is in D when an *optional* dependency of p (single or any_of) has
all its suppliers in F, or a *required* one has all its suppliers in F ∪ D. Losing a
nice-to-have degrades its consumer, and the degradation travels along required dependencies only
(an optional dependency on a degraded supplier does not degrade). The parties outside F with a
required any_of group some but not all of whose alternatives are in F have lost redundancy: still
served, with no backup left for the failed alternatives.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Set
from dataclasses import dataclass

import networkx as nx

from orggraph._perf import raw_dicts
from orggraph.graph import ANY_OF, CUSTOMER, PARTY, REQUIRED, UNIT

__all__ = ["Degradation", "degradation"]


@dataclass(frozen=True, slots=True)
class Degradation:
    """The degraded customers and units, and the parties that lost redundancy, sorted by id."""

    degraded_customers: tuple[str, ...]
    degraded_units: tuple[str, ...]
    redundancy_lost: tuple[str, ...]


def degradation(G: nx.DiGraph, failed: Set[str]) -> Degradation:
    """What runs degraded, and who lost a backup, when the parties in ``failed`` (the whole
    failed set F, closure done) have failed. One pass over the edges and a worklist: O(N + E).

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "cater"}, {"id": "a"}, {"id": "b"},
    ...               {"id": "cabin", "depends_on": [
    ...                   {"supplier": "cater", "required": False}, {"any_of": ["a", "b"]}]}],
    ...     "customers": [{"id": "pax", "depends_on": ["cabin"]}]}))
    >>> degradation(G, {"cater"})
    Degradation(degraded_customers=('pax',), degraded_units=('cabin',), redundancy_lost=())
    >>> degradation(G, {"a"}).redundancy_lost
    ('cabin',)
    """
    _, node_data = raw_dicts(G)
    pred = G.pred
    # per required group: alternatives neither failed nor degraded yet
    left: dict[str, int] = {}
    # required out-edges: supplier -> [(consumer, group id or None)]
    out: dict[str, list[tuple[str, str | None]]] = {}
    seeds: list[str] = []
    lost: list[str] = []
    for c in sorted(pred):
        if c in failed:
            continue
        groups: dict[str, tuple[bool, list[str]]] = {}
        seeded = False
        for d, data in pred[c].items():
            required = bool(data.get(REQUIRED, True))
            group = data.get(ANY_OF)
            if group is None:
                if required:
                    out.setdefault(d, []).append((c, None))
                elif d in failed:
                    seeded = True
            else:
                groups.setdefault(str(group), (required, []))[1].append(d)
        for key, (required, alternatives) in groups.items():
            down = sum(1 for a in alternatives if a in failed)
            if not required:
                if down == len(alternatives):
                    seeded = True
                continue
            if down:
                lost.append(c)
            left[key] = len(alternatives) - down
            for a in alternatives:
                if a not in failed:
                    out.setdefault(a, []).append((c, key))
        if seeded:
            seeds.append(c)
    degraded = set(seeds)
    queue = deque(seeds)
    while queue:
        v = queue.popleft()
        for consumer, via in out.get(v, []):
            if consumer in degraded:
                continue
            if via is not None:
                left[via] -= 1
                if left[via]:
                    continue
            degraded.add(consumer)
            queue.append(consumer)
    return Degradation(
        degraded_customers=tuple(sorted(p for p in degraded if node_data[p][PARTY] == CUSTOMER)),
        degraded_units=tuple(sorted(p for p in degraded if node_data[p][PARTY] == UNIT)),
        redundancy_lost=tuple(sorted(set(lost))),
    )

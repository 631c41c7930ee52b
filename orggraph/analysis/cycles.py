"""Dependency cycles (SPEC §3): every strongly connected component of more than one party."""

from __future__ import annotations

import networkx as nx

from orggraph._perf import paused_gc
from orggraph.analysis._structure import Structure

__all__ = ["cycles"]


@paused_gc()  # only live objects are made; the collector would rescan G
def cycles(G: nx.DiGraph) -> tuple[tuple[str, ...], ...]:
    """Every strongly connected component of more than one party, on all dependencies.

    Each component is listed in id order, and the components in order of their first member.
    O(N + E).

    Examples
    --------
    >>> G = nx.DiGraph([("procurement", "finance"), ("finance", "procurement"), ("it", "finance")])
    >>> cycles(G)
    (('finance', 'procurement'),)
    """
    return _cycles(Structure.of(G))


def _cycles(s: Structure) -> tuple[tuple[str, ...], ...]:
    _, comps = s.components()
    return tuple(sorted(tuple(s.ids[v] for v in comp) for comp in comps if len(comp) > 1))

"""Service chains, lead times, the weakest link and line of sight (SPEC §3).

Everything here is one pass over a condensation (each strongly connected component collapsed to
one stage) in topological order; nothing runs a search per customer.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

import networkx as nx

from orggraph._perf import paused_gc, raw_dicts
from orggraph.analysis._stages import Stages, required_stages
from orggraph.analysis._structure import (
    BitCounter,
    Structure,
)
from orggraph.analysis.report import ServiceChain
from orggraph.graph import PARENT, UNIT, VENDOR

__all__ = [
    "CHUNK_BITS",
    "critical_chain_steps",
    "disconnected_units",
    "line_of_sight",
    "service_chains",
]

CHUNK_BITS = 4096
"""How many customers one pass of the upstream count follows at once."""


@paused_gc()  # only live objects are made; the collector would rescan G
def service_chains(
    G: nx.DiGraph,
    *,
    chunk_bits: int = CHUNK_BITS,
    perceived: Mapping[str, float] | None = None,
) -> tuple[ServiceChain, ...]:
    """The service chains that end at each customer, sorted by customer id.

    For each customer c:

    - ``upstream_units`` / ``upstream_vendors``: units and vendors with a path to c (any
      dependency, optional included);
    - ``depth``: edges on the longest path ending at c once every strongly connected component of
      the whole graph is collapsed to one stage (0 without suppliers);
    - ``lead_time_hours`` and ``critical_chain``: over *required* dependencies only,
      ``lead(v) = own(v) + max(lead(d) for single suppliers d, min(lead(a) for a in group) for
      any_of groups)``, a missing lead time counting 0. A cycle of required dependencies is one
      stage whose own lead time is the largest of its members'; edges inside the stage are ignored,
      and a group with an alternative inside the consumer's own stage is met inside the stage and
      adds nothing. The critical chain follows the term that sets the maximum (ties: the longer
      chain in stages, then the supplier with the smallest id; inside a group the alternative with
      the smallest lead, then the longer chain, then the smallest id), runs from the furthest
      supplier to the customer. It walks through a cycle stage over required edges: from where
      it enters by shortest route to the member with the largest own lead time (ties: smallest
      id), then by shortest route to the member that serves the next party, so a member can
      appear twice; a chain that begins in a cycle begins at that slowest member. A walk longer
      than ``CYCLE_WALK_LIMIT`` (50) steps is shortened to entry, slowest member and exit;
    - ``quality`` and ``weakest_link``: ``q(v) = min(own(v), q(d) for single suppliers d,
      max(q(a) for a in group) for any_of groups)`` over required dependencies, a missing score
      counting 1, a cycle being one stage with its members' lowest score. The weakest link is the
      party whose own score sets q (None when no score applies); among equal minima an explicit
      score wins over a missing one, then the smallest id; inside a group the alternative with the
      highest q wins (ties: smallest id).

    Cost: O(N + E) for depth, lead time and quality. Upstream counts are bitsets over the customers
    pushed backwards through the condensation, ``chunk_bits`` customers per pass, then tallied
    per customer with bit-sliced counters: O((N + E) · ⌈C / chunk_bits⌉) big-int operations of at
    most chunk_bits / 64 words (C customers), i.e. O((N + E) · C / 64) word operations.

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph; not modified.
    chunk_bits : int, optional
        How many customers to follow per pass for the upstream counts (any positive number gives
        the same answer).
    perceived : mapping, optional
        Perceived quality by party id (SPEC §8, from a survey): replaces the party's own
        ``quality`` in the weakest-link analysis.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "vendors": [{"id": "v", "lead_time": "1d"}],
    ...     "units": [{"id": "a", "lead_time": "4h", "quality": 0.8, "depends_on": ["v"]},
    ...               {"id": "b", "lead_time": "2h"}],
    ...     "customers": [{"id": "x", "depends_on": ["a", "b"]}]}))
    >>> (chain,) = service_chains(G)
    >>> chain.critical_chain, chain.lead_time_hours, chain.depth
    (('v', 'a', 'x'), 28.0, 2)
    >>> chain.upstream_units, chain.upstream_vendors, chain.quality, chain.weakest_link
    (2, 1, 0.8, 'a')
    """
    return _service_chains(G, Structure.of(G), chunk_bits, perceived)


def _service_chains(
    G: nx.DiGraph,
    s: Structure,
    chunk_bits: int,
    perceived: Mapping[str, float] | None = None,
    stages: Stages | None = None,
) -> tuple[ServiceChain, ...]:
    """``stages``: :func:`required_stages` of ``G`` with the same ``perceived``, when the caller
    has it already (``analyze`` shares it with the effective levels)."""
    if chunk_bits < 1:
        raise ValueError("chunk_bits must be positive")
    customers = s.customers()
    units, vendors = _upstream_counts(s, customers, chunk_bits)
    depth = _depth(s)
    if stages is None:
        stages = required_stages(G, s, perceived or {})
    out: list[ServiceChain] = []
    for i, c in enumerate(customers):
        lead, chain, quality, weakest = stages.of(c)
        out.append(
            ServiceChain(
                customer=s.ids[c],
                upstream_units=units[i],
                upstream_vendors=vendors[i],
                depth=depth[c],
                critical_chain=tuple(s.ids[v] for v in chain),
                lead_time_hours=lead,
                quality=quality,
                weakest_link=None if weakest is None else s.ids[weakest],
            )
        )
    return tuple(out)


def critical_chain_steps(G: nx.DiGraph) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Every party's critical chain (SPEC §3: the chain of required dependencies that sets its
    end-to-end lead time), told compactly: for each party ``p``, ``(q, tail)`` such that the chain
    of ``p`` is the chain of ``q`` followed by ``tail`` (``q`` is None where the chain starts in
    ``tail``). ``tail`` is ``(p,)`` unless ``p`` sits in a cycle, where it is the chain's way
    through the cycle to ``p``. A customer's chain rebuilt this way is its ``critical_chain``
    of :func:`service_chains`; the interactive view uses it for any party it is asked about.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "vendors": [{"id": "v", "lead_time": "1d"}],
    ...     "units": [{"id": "a", "lead_time": "4h", "depends_on": ["v"]}],
    ...     "customers": [{"id": "x", "depends_on": ["a"]}]}))
    >>> critical_chain_steps(G)
    {'a': ('v', ('a',)), 'v': (None, ('v',)), 'x': ('a', ('x',))}
    """
    s = Structure.of(G)
    stages = required_stages(G, s, {})
    out: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for v in range(len(s.ids)):
        k = stages.stage_of[v]
        tail = stages._through(k, v)
        tail.reverse()
        via = stages.via_supplier[k]
        out[s.ids[v]] = (None if via < 0 else s.ids[via], tuple(s.ids[t] for t in tail))
    return out


def _upstream_counts(
    s: Structure, customers: list[int], chunk_bits: int
) -> tuple[list[int], list[int]]:
    """Per customer, the number of units and of vendors with a path to it (any edge)."""
    comp_of, comps = s.components()
    # the stages each stage serves (repeats do no harm: they are OR-ed in)
    comp_succ = [
        [t for c in s.consumers[comp[0]] if (t := comp_of[c]) != k]
        if len(comp) == 1
        else sorted({comp_of[c] for v in comp for c in s.consumers[v]} - {k})
        for k, comp in enumerate(comps)
    ]
    units = [0] * len(customers)
    vendors = [0] * len(customers)
    for lo in range(0, len(customers), chunk_bits):
        chunk = customers[lo : lo + chunk_bits]
        # reach[k]: the customers of this chunk that stage k has a path to
        reach = [0] * len(comps)
        for b, c in enumerate(chunk):
            reach[comp_of[c]] |= 1 << b
        for k in range(len(comps) - 1, -1, -1):
            bits = reach[k]
            for t in comp_succ[k]:
                bits |= reach[t]
            reach[k] = bits
        unit_counter, vendor_counter = BitCounter(), BitCounter()
        for v, party in enumerate(s.party):
            if party == UNIT:
                unit_counter.add(reach[comp_of[v]])
            elif party == VENDOR:
                vendor_counter.add(reach[comp_of[v]])
        units[lo : lo + len(chunk)] = unit_counter.counts(len(chunk))
        vendors[lo : lo + len(chunk)] = vendor_counter.counts(len(chunk))
    return units, vendors


def _depth(s: Structure) -> list[int]:
    """Per party, edges on the longest path ending at it in the condensation of the whole graph."""
    comp_of, comps = s.components()
    longest = [0] * len(comps)
    for k, comp in enumerate(comps):  # topological order: suppliers' stages are done
        best = 0
        for v in comp:
            for d in s.suppliers[v]:
                t = comp_of[d]
                if t != k and longest[t] + 1 > best:
                    best = longest[t] + 1
        longest[k] = best
    return [longest[comp_of[v]] for v in range(len(s))]


def _distances(s: Structure) -> list[int]:
    """Per party, edges on the shortest path to any customer (-1: none). Multi-source BFS."""
    dist = [-1] * len(s)
    queue: deque[int] = deque()
    for c in s.customers():
        dist[c] = 0
        queue.append(c)
    while queue:
        v = queue.popleft()
        for d in s.suppliers[v]:
            if dist[d] < 0:
                dist[d] = dist[v] + 1
                queue.append(d)
    return dist


@paused_gc()  # only live objects are made; the collector would rescan G
def line_of_sight(G: nx.DiGraph) -> tuple[tuple[str, int], ...]:
    """For each unit with a path to a customer, the number of edges to the nearest customer.

    Paths follow any dependency (optional included) in the supplier → consumer direction; one
    breadth-first search from all customers at once over the reversed edges, O(N + E). Sorted by
    distance, then id.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}, {"id": "z"}],
    ...     "customers": [{"id": "x", "depends_on": ["a", "b"]}]}))
    >>> line_of_sight(G)
    (('a', 1), ('b', 1))
    """
    return _line_of_sight(Structure.of(G))


def _line_of_sight(s: Structure) -> tuple[tuple[str, int], ...]:
    dist = _distances(s)
    found = [(s.ids[v], dist[v]) for v in s.of_party(UNIT) if dist[v] >= 0]
    found.sort(key=lambda item: (item[1], item[0]))
    return tuple(found)


@paused_gc()  # only live objects are made; the collector would rescan G
def disconnected_units(G: nx.DiGraph) -> tuple[str, ...]:
    """Units with no path to any customer, sorted by id.

    Organizational containers are left out: a unit that is some unit's ``parent`` and has no
    dependency in either direction only groups others.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "it"}, {"id": "desk", "parent": "it"},
    ...               {"id": "z", "depends_on": ["desk"]}],
    ...     "customers": [{"id": "x"}]}))
    >>> disconnected_units(G)
    ('desk', 'z')
    """
    return _disconnected_units(G, Structure.of(G))


def _disconnected_units(G: nx.DiGraph, s: Structure) -> tuple[str, ...]:
    dist = _distances(s)
    _, node_data = raw_dicts(G)
    parents = {node_data[s.ids[u]].get(PARENT) for u in s.of_party(UNIT)}
    return tuple(
        s.ids[u]
        for u in s.of_party(UNIT)
        if dist[u] < 0 and not (s.ids[u] in parents and not s.suppliers[u] and not s.consumers[u])
    )

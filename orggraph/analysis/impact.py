"""Failure impact and critical suppliers (SPEC §3).

When a set X of parties fails, the failed set F is the *least* set that contains X and every
consumer c such that a required single-supplier dependency of c is in F, or every alternative of
a required ``any_of`` group of c is in F. Optional dependencies never propagate, and a cycle does
not fail on its own.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from orggraph.analysis._structure import (
    WEIGHT,
    BitCounter,
    Structure,
    bit_positions,
    strongly_connected,
)
from orggraph.analysis.report import CriticalSupplier, Impact
from orggraph.errors import UsageError, did_you_mean
from orggraph.graph import CUSTOMER, PARTY, UNIT, VENDOR

__all__ = [
    "CHUNK_BITS",
    "SingleFailure",
    "critical_suppliers",
    "failure_impact",
    "single_failure_impacts",
]

CHUNK_BITS = 4096
"""How many failure sources one pass of :func:`single_failure_impacts` follows at once."""


@dataclass(frozen=True, slots=True)
class SingleFailure:
    """What the failure of one party alone brings down.

    ``impacted_customers`` is sorted by id; ``impacted_units`` counts the units other than the
    failed party itself.
    """

    impacted_customers: tuple[str, ...]
    impacted_units: int


def _weight(G: nx.DiGraph, customer: str) -> float:
    return float(G.nodes[customer].get(WEIGHT, 1.0))


def _weight_sum(G: nx.DiGraph, customers: Iterable[str]) -> float:
    # summed in id order so the float result never depends on set iteration order
    return sum((_weight(G, c) for c in sorted(customers)), 0.0)


def failure_impact(G: nx.DiGraph, failed: Iterable[str]) -> Impact:
    """The parties that lose service when every party in ``failed`` fails.

    Computes the least fixpoint F of SPEC §3 with a worklist: each party enters F once, each
    required edge is looked at once, and an ``any_of`` group falls when its count of alternatives
    still up reaches zero. Cost O(N + E).

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph of :func:`orggraph.graph.build_graph`; not modified.
    failed : iterable of str
        Ids of the parties that fail (units, vendors or customers).

    Returns
    -------
    Impact
        ``failed`` (sorted, without repeats), the impacted units other than the failed ones, the
        impacted customers (including failed customers) and their total weight.

    Raises
    ------
    orggraph.errors.UsageError
        When an id is not a party of ``G`` (with a "did you mean" hint).

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a"}, {"id": "b"},
    ...               {"id": "c", "depends_on": [{"any_of": ["a", "b"]}]}],
    ...     "customers": [{"id": "x", "weight": 2, "depends_on": ["c"]}]}))
    >>> failure_impact(G, ["a"]).impacted_customers
    ()
    >>> failure_impact(G, ["a", "b"])
    Impact(failed=('a', 'b'), impacted_units=('c',), impacted_customers=('x',), impact_weight=2.0)
    """
    names = list(dict.fromkeys(failed))
    unknown = [x for x in names if x not in G]
    if unknown:
        messages = []
        for x in unknown:
            hint = did_you_mean(x, (str(v) for v in G.nodes))
            messages.append(f"unknown party '{x}'" + (f"; {hint}" if hint else ""))
        raise UsageError("\n".join(messages))
    s = Structure.of(G)
    down = _propagate(s, [s.index[x] for x in names])
    hit = [s.ids[v] for v in sorted(down)]
    failed_set = set(names)
    customers = tuple(x for x in hit if s.party[s.index[x]] == CUSTOMER)
    return Impact(
        failed=tuple(sorted(failed_set)),
        impacted_units=tuple(x for x in hit if s.party[s.index[x]] == UNIT and x not in failed_set),
        impacted_customers=customers,
        impact_weight=_weight_sum(G, customers),
    )


def _propagate(s: Structure, start: Iterable[int]) -> set[int]:
    """The least failed set containing ``start`` (worklist, O(N + E))."""
    # required out-edges of each supplier: (consumer, group number or -1 for a single dependency)
    out: list[list[tuple[int, int]]] = [[] for _ in range(len(s))]
    up: list[int] = []  # per group: alternatives not failed yet
    for c in range(len(s)):
        for d in s.singles[c]:
            out[d].append((c, -1))
        for group in s.groups[c]:
            for a in group:
                out[a].append((c, len(up)))
            up.append(len(group))
    down = set(start)
    queue = deque(sorted(down))
    while queue:
        v = queue.popleft()
        for c, g in out[v]:
            if c in down:
                continue
            if g >= 0:
                up[g] -= 1
                if up[g]:
                    continue
            down.add(c)
            queue.append(c)
    return down


@dataclass(frozen=True, slots=True)
class _KillPlan:
    """The required-dependency system K is computed on, with single-supplier cycles merged.

    ``node_of[v]`` is v's merged node. Per merged node: its required single suppliers and its
    required groups (as merged nodes), and the merged nodes of its component of the required graph
    that consume it (for the worklist inside a cycle). ``blocks`` are the components of the required
    graph in topological order.
    """

    node_of: list[int]
    singles: list[list[int]]
    groups: list[list[tuple[int, ...]]]
    consumers_in_block: list[list[int]]
    blocks: list[list[int]]


def _kill_plan(s: Structure) -> _KillPlan:
    n = len(s)
    # 1. single-supplier cycles: every member needs every other, so all share one K
    single_succ: list[list[int]] = [[] for _ in range(n)]
    for c in range(n):
        for d in s.singles[c]:
            single_succ[d].append(c)
    node_of, merged = strongly_connected(n, single_succ)
    m = len(merged)
    singles: list[list[int]] = []
    groups: list[list[tuple[int, ...]]] = []
    for k, members in enumerate(merged):
        sup: set[int] = set()
        grp: set[tuple[int, ...]] = set()
        for v in members:
            sup.update(node_of[d] for d in s.singles[v])
            for group in s.groups[v]:
                alts = {node_of[a] for a in group}
                # an alternative inside the merged node: the group's K is within K(node) anyway
                if k not in alts:
                    grp.add(tuple(sorted(alts)))
        sup.discard(k)
        singles.append(sorted(sup))
        groups.append(sorted(grp))
    # 2. components of the whole required graph on merged nodes: iterate to a fixpoint inside
    succ: list[list[int]] = [[] for _ in range(m)]
    for k in range(m):
        for d in singles[k]:
            succ[d].append(k)
        for group in groups[k]:
            for a in group:
                succ[a].append(k)
    block_of, blocks = strongly_connected(m, succ)
    consumers_in_block = [
        sorted({c for c in succ[k] if block_of[c] == block_of[k]}) for k in range(m)
    ]
    return _KillPlan(node_of, singles, groups, consumers_in_block, blocks)


def _kill_sets(plan: _KillPlan, own: dict[int, int]) -> list[int]:
    """K for every merged node, as bitsets over the failure sources of one chunk.

    ``own[k]`` holds the bits of the sources inside merged node k. One pass over the blocks in
    topological order; inside a cycle, a worklist from the empty set up to the least fixpoint.
    """
    K = [0] * len(plan.singles)

    def evaluate(k: int) -> int:
        bits = own.get(k, 0)
        for d in plan.singles[k]:
            bits |= K[d]
        for group in plan.groups[k]:
            common = K[group[0]]
            for a in group[1:]:
                if not common:
                    break
                common &= K[a]
            bits |= common
        return bits

    for block in plan.blocks:
        if len(block) == 1:
            K[block[0]] = evaluate(block[0])
            continue
        queue = deque(block)
        queued = set(block)
        while queue:
            k = queue.popleft()
            queued.discard(k)
            bits = evaluate(k)
            if bits != K[k]:
                K[k] = bits
                for c in plan.consumers_in_block[k]:
                    if c not in queued:
                        queued.add(c)
                        queue.append(c)
    return K


def single_failure_impacts(
    G: nx.DiGraph, *, chunk_bits: int = CHUNK_BITS
) -> dict[str, SingleFailure]:
    """What the single failure of each unit and vendor brings down, for all of them at once.

    Instead of one propagation per party (quadratic), computes for every party v the set K(v) of
    parties whose single failure brings v down, the least solution of

        K(v) = {v} ∪ ⋃ K(s) over required single suppliers s
                   ∪ ⋃ (⋂ K(a) over the alternatives a) over required any_of groups,

    so that v fails when x fails alone exactly when x ∈ K(v). The sets are bitsets (Python ints)
    over the units and vendors. Parties on a cycle of required single dependencies share one K;
    the components of the remaining required graph are processed in topological order, iterating
    a worklist to the least fixpoint inside a cycle. The sources are followed ``chunk_bits`` at a
    time, which bounds memory to about N · chunk_bits bits.

    Cost: O((N + E) · ⌈S / chunk_bits⌉) big-int operations of at most chunk_bits / 64 machine
    words each (S units and vendors), i.e. O((N + E) · S / 64) word operations, plus output size;
    a cycle through ``any_of`` groups may take a few more rounds to settle.

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph; not modified.
    chunk_bits : int, optional
        How many failure sources to follow per pass (any positive number gives the same answer).

    Returns
    -------
    dict of str to SingleFailure
        One entry per unit and vendor, in id order.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}],
    ...     "customers": [{"id": "x", "depends_on": ["b"]}]}))
    >>> single_failure_impacts(G)["a"]
    SingleFailure(impacted_customers=('x',), impacted_units=1)
    """
    return _single_failure_impacts(Structure.of(G), chunk_bits)


def _single_failure_impacts(s: Structure, chunk_bits: int) -> dict[str, SingleFailure]:
    if chunk_bits < 1:
        raise ValueError("chunk_bits must be positive")
    plan = _kill_plan(s)
    sources = s.sources()
    units = [v for v in sources if s.party[v] == UNIT]
    customers = s.customers()
    bit_of = {v: b for b, v in enumerate(sources)}
    hit: list[list[str]] = [[] for _ in sources]
    unit_counts: list[int] = []
    for lo in range(0, len(sources), chunk_bits):
        chunk = sources[lo : lo + chunk_bits]
        own: dict[int, int] = {}
        for b, v in enumerate(chunk):
            k = plan.node_of[v]
            own[k] = own.get(k, 0) | (1 << b)
        K = _kill_sets(plan, own)
        for c in customers:  # in id order, so each list comes out sorted
            for b in bit_positions(K[plan.node_of[c]]):
                hit[lo + b].append(s.ids[c])
        counter = BitCounter()
        for u in units:
            bits = K[plan.node_of[u]]
            b = bit_of[u] - lo
            if 0 <= b < len(chunk):
                bits &= ~(1 << b)  # a unit's own failure does not count as impact
            counter.add(bits)
        unit_counts.extend(counter.counts(len(chunk)))
    return {s.ids[v]: SingleFailure(tuple(hit[b]), unit_counts[b]) for b, v in enumerate(sources)}


def critical_suppliers(
    G: nx.DiGraph,
    betweenness: Mapping[str, float],
    *,
    impacts: Mapping[str, SingleFailure] | None = None,
) -> tuple[CriticalSupplier, ...]:
    """Every unit and vendor whose single failure impacts at least one customer.

    Ranked by impact weight (highest first), then number of impacted units (most first), then id;
    each entry's impacted customers are listed highest weight first, then by id.

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph; not modified.
    betweenness : mapping of str to float
        Betweenness centrality per party (see
        :func:`orggraph.analysis.betweenness_centrality`); a party missing from it gets 0.
    impacts : mapping of str to SingleFailure, optional
        The result of :func:`single_failure_impacts`, when already computed.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a"},
    ...               {"id": "b", "depends_on": [{"supplier": "a", "required": False}]}],
    ...     "customers": [{"id": "x", "depends_on": ["b"]}]}))
    >>> [(c.id, c.impacted_customers) for c in critical_suppliers(G, {})]
    [('b', ('x',))]
    """
    if impacts is None:
        impacts = single_failure_impacts(G)
    out: list[CriticalSupplier] = []
    for x, impact in impacts.items():
        if not impact.impacted_customers:
            continue
        party: Literal["unit", "vendor"] = "vendor" if G.nodes[x][PARTY] == VENDOR else "unit"
        out.append(
            CriticalSupplier(
                id=x,
                party=party,
                impact_weight=_weight_sum(G, impact.impacted_customers),
                impacted_customers=tuple(
                    sorted(impact.impacted_customers, key=lambda c: (-_weight(G, c), c))
                ),
                impacted_units=impact.impacted_units,
                betweenness=float(betweenness.get(x, 0.0)),
            )
        )
    out.sort(key=lambda c: (-c.impact_weight, -c.impacted_units, c.id))
    return tuple(out)

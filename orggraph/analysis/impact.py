"""Failure impact and critical suppliers (SPEC §3).

When a set X of parties fails, the failed set F is the *least* set that contains X and every
consumer c such that a required single-supplier dependency of c is in F, or every alternative of
a required ``any_of`` group of c is in F. Optional dependencies never propagate, and a cycle does
not fail on its own.

One module of over 500 lines on purpose: the worklist of one failure and the one pass that finds
every single failure's impact (with the visitors that read its killer sets) are one algorithm
family over the same failure system; splitting them would only pass that system's internals
between modules.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from typing import Any, Literal, Protocol

import networkx as nx

from orggraph._perf import paused_gc, raw_dicts
from orggraph.analysis._members import FailureSystem, OrgTree
from orggraph.analysis._structure import (
    BitCounter,
    Structure,
    bit_positions,
    strongly_connected,
)
from orggraph.analysis.degraded import degradation
from orggraph.analysis.report import CriticalSupplier, Impact
from orggraph.errors import UsageError, did_you_mean
from orggraph.graph import CUSTOMER, PARENT, PARTY, UNIT, VENDOR, WEIGHT

__all__ = [
    "CHUNK_BITS",
    "KillerSets",
    "KillerVisitor",
    "SingleFailure",
    "critical_suppliers",
    "failure_impact",
    "single_failure_impacts",
]

CHUNK_BITS = 16384
"""How many failure sources one pass of :func:`single_failure_impacts` follows at once: the
bitsets then take 2 KB per party, and fewer, wider passes cost less Python overhead (the
trade-off is measured in docs/performance.md)."""


@dataclass(frozen=True, slots=True)
class SingleFailure:
    """What the failure of one party alone brings down.

    ``impacted_customers`` lists the impacted customers highest weight first, then by id (only
    the first ``list_limit`` when one was asked for); ``impacted_customer_count`` and
    ``impact_weight`` always cover all of them. ``impacted_units`` counts the units that fail,
    other than the failed party itself and its members (SPEC §7: F ∩ units − X*).
    """

    impacted_customers: tuple[str, ...]
    impacted_customer_count: int
    impact_weight: float
    impacted_units: int


def _weights(G: nx.DiGraph, customers: Iterable[str]) -> list[float]:
    return [float(G.nodes[c].get(WEIGHT, 1.0)) for c in customers]


@paused_gc()  # only live objects are made; the collector would rescan G
def failure_impact(G: nx.DiGraph, failed: Iterable[str]) -> Impact:
    """The parties that lose service when every party in ``failed`` fails.

    The failed set is first closed over members (SPEC §7): X* = X ∪ the members of every unit
    in X. Then F is the least fixpoint of SPEC §3 from X*, with one more rule: a group (a unit
    with members) is in F once all its members are. Computed with a worklist: each party enters
    F once, each required edge is looked at once, an ``any_of`` group falls when its count of
    alternatives still up reaches zero, and a group when every child has fallen with all its
    own members. Cost O(N + E).

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph of :func:`orggraph.graph.build_graph`; not modified.
    failed : iterable of str
        Ids of the parties that fail (units, vendors or customers).

    Returns
    -------
    Impact
        ``failed`` (sorted, without repeats), the impacted units other than X*, the impacted
        customers (including failed customers), their total weight, and ``failed_members``
        (X* − X, sorted).

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
    >>> failure_impact(G, ["a", "b"])  # doctest: +NORMALIZE_WHITESPACE
    Impact(failed=('a', 'b'), impacted_units=('c',), impacted_customers=('x',), impact_weight=2.0,
           failed_members=(), degraded_customers=(), degraded_units=(), redundancy_lost=())
    """
    names = list(dict.fromkeys(failed))
    unknown = [x for x in names if x not in G]
    if unknown:
        messages = []
        for x in unknown:
            hint = did_you_mean(x, (str(v) for v in G.nodes))
            messages.append(f"unknown party '{x}'" + (f"; {hint}" if hint else ""))
        raise UsageError("\n".join(messages))
    return _failure(G, Structure.of(G), names)


def _failure(G: nx.DiGraph, s: Structure, names: list[str], *, degraded: bool = True) -> Impact:
    """:func:`failure_impact` of known party ids on a prepared structure (its org tree and
    failure system are cached on it, so many failures of one graph share them); without
    ``degraded``, the degraded and redundancy-lost parties are not looked for (left empty)."""
    tree = OrgTree.of(G, s)
    named = [s.index[x] for x in names]
    closed = set(named)
    for v in named:
        closed.update(tree.members(v))
    down = _propagate(FailureSystem.of(G, s), sorted(closed), s._cache)
    hit = [v for v in sorted(down) if v < len(s)]  # without the auxiliary nodes
    customers = tuple(s.ids[v] for v in hit if s.party[v] == CUSTOMER)
    impact = Impact(
        failed=tuple(sorted(names)),
        impacted_units=tuple(s.ids[v] for v in hit if s.party[v] == UNIT and v not in closed),
        impacted_customers=customers,
        # fsum: the exact sum, rounded once, whatever the order
        impact_weight=math.fsum(_weights(G, customers)),
        failed_members=tuple(sorted(s.ids[v] for v in closed.difference(named))),
    )
    if not degraded:
        return impact
    lost = degradation(G, {s.ids[v] for v in hit})
    return replace(
        impact,
        degraded_customers=lost.degraded_customers,
        degraded_units=lost.degraded_units,
        redundancy_lost=lost.redundancy_lost,
    )


def _propagate(
    system: FailureSystem, start: Iterable[int], cache: dict[str, Any] | None = None
) -> set[int]:
    """The least failed set containing ``start`` (worklist, O(N + E)); it may hold the
    system's auxiliary nodes. ``cache`` (a Structure's) keeps the system's out-edges for the
    next failure of the same graph (the scenarios of one analyze())."""
    single_out: list[list[int]]
    group_out: list[list[tuple[int, int]]]
    sizes: list[int]
    found = None if cache is None else cache.get("failure_out")
    if found is not None and found[0] is system:
        single_out, group_out, sizes = found[1], found[2], found[3]
    else:
        # required out-edges of each supplier: its single consumers, and (consumer, group
        # number) for the groups it is an alternative of
        single_out = [[] for _ in range(len(system))]
        group_out = [[] for _ in range(len(system))]
        sizes = []  # per group: its alternatives
        for c in range(len(system)):
            for d in system.singles[c]:
                single_out[d].append(c)
            for group in system.groups[c]:
                for a in group:
                    group_out[a].append((c, len(sizes)))
                sizes.append(len(group))
        if cache is not None:
            cache["failure_out"] = (system, single_out, group_out, sizes)
    up = list(sizes)  # per group: alternatives not failed yet
    down = bytearray(len(system))
    order = sorted(set(start))
    for v in order:
        down[v] = 1
    for v in order:  # the list grows as parties fail: a queue without pops
        for c in single_out[v]:
            if not down[c]:
                down[c] = 1
                order.append(c)
        for c, g in group_out[v]:
            if not down[c]:
                up[g] -= 1
                if not up[g]:
                    down[c] = 1
                    order.append(c)
    return set(order)


@dataclass(frozen=True, slots=True)
class _KillPlan:
    """The required-dependency system K is computed on, with single-supplier cycles merged.

    A cycle of required single dependencies is merged into one node, named by its smallest
    member: ``node_of[v]`` is v's node (v itself when v is on no such cycle). Per node: its
    required single suppliers and its required groups (as nodes), and the nodes of its block that
    consume it (for the worklist inside a cycle); the entries of merged-away members stay empty.
    ``blocks`` are the components of the required graph, as nodes, in topological order.
    The groups of all nodes are numbered in one run, node by node: node k's first group is
    number ``group_base[k]`` (so a pass can keep each group's intersection in one flat list).
    """

    node_of: list[int]
    singles: list[list[int]]
    groups: list[list[tuple[int, ...]]]
    consumers_in_block: list[list[int]]
    blocks: list[list[int]]
    group_base: list[int]

    def group_number(self, consumer: int, alternatives: Iterable[int]) -> int:
        """The number of the required group of ``consumer`` whose alternatives are
        ``alternatives`` (parties), or -1 when the plan leaves it out (an alternative merged
        into the consumer's own node)."""
        k = self.node_of[consumer]
        key = tuple(sorted({self.node_of[a] for a in alternatives}))
        row = self.groups[k]
        i = bisect_left(row, key)
        return self.group_base[k] + i if i < len(row) and row[i] == key else -1


def _kill_plan(s: FailureSystem) -> _KillPlan:
    n = len(s)
    components = s.components
    cyclic = [comp for comp in components if len(comp) > 1]
    # 1. single-supplier cycles: every member needs every other, so all share one K. They lie
    # inside the required graph's cycles, so only those are searched.
    node_of = list(range(n))
    members: dict[int, list[int]] = {}
    if cyclic:
        inside = [v for comp in cyclic for v in comp]
        local = {v: i for i, v in enumerate(inside)}
        single_succ: list[list[int]] = [[] for _ in inside]
        for c in inside:
            for d in s.singles[c]:
                j = local.get(d)
                if j is not None:
                    single_succ[j].append(local[c])
        for found in strongly_connected(len(inside), single_succ)[1]:
            if len(found) > 1:
                group = [inside[i] for i in found]
                rep = min(group)
                for v in group:
                    node_of[v] = rep
                members[rep] = group
    singles: list[list[int]] = []
    groups: list[list[tuple[int, ...]]] = []
    for k in range(n):
        if node_of[k] != k:  # merged into a smaller member
            singles.append([])
            groups.append([])
            continue
        parts = members.get(k, (k,))
        row = s.singles[k]
        if len(parts) == 1 and k not in row and all(node_of[d] == d for d in row):
            singles.append(list(row))  # nothing to map (the common case)
        else:
            sup = {node_of[d] for v in parts for d in s.singles[v]}
            sup.discard(k)
            singles.append(sorted(sup))
        grp: set[tuple[int, ...]] = set()
        for v in parts:
            for group_ in s.groups[v]:
                alts = {node_of[a] for a in group_}
                # an alternative inside the node: the group's K is within K(node) anyway
                if k not in alts:
                    grp.add(tuple(sorted(alts)))
        groups.append(sorted(grp))
    # 2. the components of the required graph, as nodes: merging single-supplier cycles changes
    # none of them. Inside a cycle a worklist iterates to the fixpoint, and needs each node's
    # consumers within its block.
    blocks = [sorted({node_of[v] for v in comp}) for comp in components]
    consumers_in_block: list[list[int]] = [[] for _ in range(n)]
    for block in blocks:
        if len(block) > 1:
            here = set(block)
            within: dict[int, set[int]] = {k: set() for k in block}
            for k in block:
                for d in singles[k]:
                    if d in here:
                        within[d].add(k)
                for group_ in groups[k]:
                    for a in group_:
                        if a in here:
                            within[a].add(k)
            for k in block:
                consumers_in_block[k] = sorted(within[k])
    base = list(accumulate((len(row) for row in groups), initial=0))[:-1]
    return _KillPlan(node_of, singles, groups, consumers_in_block, blocks, base)


def _kill_sets(plan: _KillPlan, own: dict[int, int], first: int = 0) -> tuple[list[int], list[int]]:
    """K for every merged node, as bitsets over the failure sources of one chunk, and for every
    group of the plan (numbered as in :attr:`_KillPlan.group_base`) the intersection of its
    alternatives' K: the sources whose single failure fails every alternative, which the SPEC
    §9 visitors read instead of intersecting again.

    ``own[k]`` holds the bits of the sources inside merged node k. One pass over the blocks in
    topological order; inside a cycle, a worklist from the empty set up to the least fixpoint.
    Blocks before ``first`` hold none of the chunk's sources and are upstream of all of them, so
    their K (and their groups' intersections) are empty and they are skipped.
    """
    K = [0] * len(plan.singles)
    singles = plan.singles
    groups = plan.groups
    base = plan.group_base
    common_of = [0] * (base[-1] + len(groups[-1]) if groups else 0)

    def evaluate(k: int) -> int:
        bits = own.get(k, 0)
        for d in singles[k]:
            bits |= K[d]
        g = base[k]
        for group in groups[k]:
            common = K[group[0]]
            for a in group[1:]:
                if not common:
                    break
                common &= K[a]
            common_of[g] = common
            g += 1
            bits |= common
        return bits

    blocks = plan.blocks
    for i in range(first, len(blocks)):
        block = blocks[i]
        if len(block) == 1:
            # the common case, inlined: a party on no cycle of required dependencies
            k = block[0]
            bits = own.get(k, 0)
            for d in singles[k]:
                bits |= K[d]
            if groups[k]:
                g = base[k]
                for group in groups[k]:
                    common = K[group[0]]
                    for a in group[1:]:
                        if not common:
                            break
                        common &= K[a]
                    common_of[g] = common
                    g += 1
                    bits |= common
            K[k] = bits
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
        for k in block:  # the intersections at the fixpoint
            evaluate(k)
    return K, common_of


@paused_gc()  # only live objects are made; the collector would rescan G
def single_failure_impacts(
    G: nx.DiGraph, *, list_limit: int = 0, chunk_bits: int = CHUNK_BITS
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

    Counts, impacted units and impact weights are read from the bitsets with bit-sliced counters
    (customers grouped into classes of equal weight), never pair by pair; only the listed
    customers are, so ``list_limit`` bounds that part.

    Cost: O((N + E) · ⌈S / chunk_bits⌉) big-int operations of at most chunk_bits / 64 machine
    words each (S units and vendors), i.e. O((N + E) · S / 64) word operations; plus
    O(S · list_limit) to list customers (with no limit: the number of (supplier, customer) pairs,
    which can reach tens of millions on large organizations). A cycle through ``any_of`` groups
    may take a few more rounds to settle.

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph; not modified.
    list_limit : int, optional
        List at most this many impacted customers per party (0, the default: all of them).
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
    >>> impact = single_failure_impacts(G)["a"]
    >>> impact.impacted_customers, impact.impact_weight, impact.impacted_units
    (('x',), 1.0, 1)
    """
    return _single_failure_impacts(G, Structure.of(G), chunk_bits, list_limit)


@dataclass(frozen=True, slots=True)
class _ScaledWeights:
    """Customer weights as exact integers: ``values[i] / scale`` is customer i's weight.

    Every float is an integer multiple of a power of two, so with ``scale`` the largest
    denominator, ``weight * scale`` is an exact integer, and any total weight is an integer sum
    divided once (correctly rounded, whatever the order). ``classes`` groups customers for the
    bit-sliced counters: ``(multiplier, positions)``, either one per distinct weight or one per
    binary digit of the scaled weights, whichever gives fewer classes.
    """

    scale: int
    values: list[int]
    classes: list[tuple[int, list[int]]]


def _scaled_weights(weights: list[float]) -> _ScaledWeights:
    ratios = [w.as_integer_ratio() for w in weights]
    scale = max((q for _, q in ratios), default=1)
    scaled = [p * (scale // q) for p, q in ratios]
    by_weight: dict[int, list[int]] = {}
    for i, n in enumerate(scaled):
        by_weight.setdefault(n, []).append(i)
    by_digit: dict[int, list[int]] = {}
    for i, n in enumerate(scaled):
        for j in bit_positions(n):
            by_digit.setdefault(1 << j, []).append(i)
    classes = by_weight if len(by_weight) <= len(by_digit) else by_digit
    return _ScaledWeights(scale, scaled, sorted(classes.items()))


_VECTORIZE_FROM = 4096
"""Chunks at least this many sources wide read the customers' bitsets with numpy; narrower ones
in plain Python, which spares small organizations numpy's import."""

_CELL_BUDGET = 1 << 22
"""How many (customer, source) cells one numpy block covers at most: it bounds the pairs, and
so the memory, one block can produce."""

_LIMB_BITS = 24
"""Scaled weights are summed in slices this wide, so that a block's float64 sums stay exact."""


_CustomerSide = tuple[list[list[str]], list[int], list[int]]


def _customers_plain(
    hits: list[int], width: int, names: list[str], scaled: _ScaledWeights, list_limit: int
) -> _CustomerSide:
    """Per source of the chunk: its listed customers, how many it impacts and their scaled
    weight, from ``hits[i]``, the bits of the sources that bring customer i down.

    Only bits of sources whose list is not full yet are read, so with a list limit L listing
    costs O(S · L) however many pairs there are; counts and weights use bit-sliced counters per
    weight class, never single pairs.
    """
    listed: list[list[str]] = [[] for _ in range(width)]
    full = 0
    for name, bits in zip(names, hits, strict=True):
        if list_limit:
            bits &= ~full
        for b in bit_positions(bits):
            row = listed[b]
            row.append(name)
            if len(row) == list_limit:
                full |= 1 << b
    counter = BitCounter()
    for bits in hits:
        counter.add(bits)
    counts = counter.counts(width)
    total = [0] * width
    for multiplier, members in scaled.classes:
        counter = BitCounter()
        for i in members:
            counter.add(hits[i])
        for b, n in enumerate(counter.counts(width)):
            if n:
                total[b] += multiplier * n
    return listed, counts, total


def _customers_vectorized(
    hits: list[int], width: int, names: list[str], scaled: _ScaledWeights, list_limit: int
) -> _CustomerSide:
    """What :func:`_customers_plain` gives, with numpy: the bitsets of a block of customers are
    unpacked into a 0/1 matrix whose nonzero cells, read source by source, are the (source,
    customer) pairs in listing order. Counts and weights are sums over those pairs; the weights
    in ``_LIMB_BITS``-wide slices, so that every float64 sum is an exact integer."""
    import numpy as np

    nbytes = (width + 7) // 8
    n_limbs = max(1, -(-max((v.bit_length() for v in scaled.values), default=0) // _LIMB_BITS))
    mask = (1 << _LIMB_BITS) - 1
    limbs = [
        np.array([(v >> (_LIMB_BITS * j)) & mask for v in scaled.values], dtype=np.float64)
        for j in range(n_limbs)
    ]
    counts = np.zeros(width, dtype=np.int64)  # so far, for the rank of the next pair
    sums = [np.zeros(width, dtype=np.int64) for _ in range(n_limbs)]
    kept_sources: list[np.ndarray[Any, Any]] = []
    kept_customers: list[np.ndarray[Any, Any]] = []
    index_type = np.uint16 if width <= 1 << 16 else np.int64  # uint16 sorts by radix
    rows = max(1, _CELL_BUDGET // width)  # a block's sums stay below 2**(22 + _LIMB_BITS)
    for r0 in range(0, len(hits), rows):
        block = hits[r0 : r0 + rows]
        packed = np.frombuffer(
            b"".join(bits.to_bytes(nbytes, "little") for bits in block), dtype=np.uint8
        )
        # only the bytes that hold a pair are unpacked: the cost follows the pairs, not the
        # size of the (customer, source) matrix
        at = np.flatnonzero(packed)
        if not len(at):
            continue
        byte, bit = np.nonzero(np.unpackbits(packed[at, None], axis=1, bitorder="little"))
        cell = at[byte] * 8 + bit
        cust, src = np.divmod(cell, nbytes * 8)  # customer by customer, sources ascending
        by_source = np.argsort(src.astype(index_type), kind="stable")  # then in listing order
        src, cust = src[by_source], cust[by_source]
        here = np.bincount(src, minlength=width)
        for j in range(n_limbs):
            part = np.bincount(src, weights=limbs[j][r0 + cust], minlength=width)
            sums[j] += part.astype(np.int64)
        if list_limit:
            start = np.cumsum(here) - here
            rank = np.arange(len(src)) - start[src] + counts[src]
            keep = rank < list_limit
            src, cust = src[keep], cust[keep]
        kept_sources.append(src)
        kept_customers.append(cust + r0)
        counts += here
    listed: list[list[str]] = [[] for _ in range(width)]
    if kept_sources:
        src, cust = np.concatenate(kept_sources), np.concatenate(kept_customers)
        if len(kept_sources) > 1:  # blocks come in customer order: a stable sort keeps it
            order = np.argsort(src.astype(index_type), kind="stable")
            src, cust = src[order], cust[order]
        picked = np.array(names, dtype=object)[cust].tolist()
        bounds = np.searchsorted(src, np.arange(width + 1)).tolist()
        for b in range(width):
            if bounds[b] < bounds[b + 1]:
                listed[b] = picked[bounds[b] : bounds[b + 1]]
    total: list[int] = sums[0].tolist()
    for j in range(1, n_limbs):
        shift = _LIMB_BITS * j
        total = [t + (int(x) << shift) for t, x in zip(total, sums[j].tolist(), strict=True)]
    return listed, counts.tolist(), total


@dataclass(frozen=True, slots=True)
class KillerSets:
    """The killer sets of one chunk of one pass of :func:`single_failure_impacts`.

    ``chunk[b]`` is the source (a Structure index) of bit b, ascending in b; ``K[node_of[v]]``
    holds the bits of the chunk's sources whose single failure (with their members) fails party
    v; ``common[plan.group_number(c, alternatives)]`` the bits of those that fail every
    alternative of a required any_of group of c (when that number is not -1).
    """

    chunk: list[int]
    K: list[int]
    node_of: list[int]
    common: list[int]
    plan: _KillPlan


class KillerVisitor(Protocol):
    """Reads the killer sets of one pass of :func:`single_failure_impacts`, chunk by chunk (the
    SPEC §9 analyses ride on that pass instead of walking the graph again)."""

    def visit(self, sets: KillerSets) -> None:
        """Read one chunk's killer sets."""


def _single_failure_impacts(
    G: nx.DiGraph,
    s: Structure,
    chunk_bits: int,
    list_limit: int,
    visitors: Sequence[KillerVisitor] = (),
) -> dict[str, SingleFailure]:
    if chunk_bits < 1:
        raise ValueError("chunk_bits must be positive")
    if list_limit < 0:
        raise ValueError("list_limit must be 0 (no cap) or positive")
    tree = OrgTree.of(G, s)
    plan = _kill_plan(FailureSystem.of(G, s))
    node_of = plan.node_of
    block_at = [0] * len(plan.singles)
    for i, block in enumerate(plan.blocks):
        for k in block:
            block_at[k] = i
    sources = s.sources()
    # Bits are numbered in topological order of the required graph: the sources of a chunk then
    # sit in a run of blocks, everything upstream of that run has an empty K and is skipped,
    # so each pass only walks the part of the graph downstream of where its chunk starts. A
    # failing unit takes its members with it (SPEC §7), so its bit starts on its whole subtree,
    # and members come before their group (a group needs them): a source is placed by the
    # earliest block of its subtree.
    reach = [block_at[node_of[v]] for v in range(len(s))]
    for v in reversed(tree.preorder):
        p = tree.parent[v]
        if p != -1 and reach[v] < reach[p]:
            reach[p] = reach[v]
    order = sorted(sources, key=lambda v: (reach[v], block_at[node_of[v]], v))
    # Within a chunk the bits follow the sources' indices (the chunk still starts where its
    # earliest source is placed): the smallest source of any bitset is then its lowest bit.
    order = [
        v for lo in range(0, len(order), chunk_bits) for v in sorted(order[lo : lo + chunk_bits])
    ]
    # units in block order, with the block each one's K is computed in
    units = sorted(s.of_party(UNIT), key=lambda u: (block_at[node_of[u]], u))
    unit_blocks = [block_at[node_of[u]] for u in units]
    unit_nodes = [node_of[u] for u in units]
    # highest weight first, then id: the order impacted customers are listed in
    _, node_data = raw_dicts(G)
    weight_of = {c: float(node_data[s.ids[c]].get(WEIGHT, 1.0)) for c in s.customers()}
    customers = sorted(weight_of, key=lambda c: (-weight_of[c], c))
    customer_nodes = [node_of[c] for c in customers]
    names = [s.ids[c] for c in customers]
    scaled = _scaled_weights([weight_of[c] for c in customers])
    scale = scaled.scale
    bit_of = {v: b for b, v in enumerate(order)}
    listed: list[list[str]] = [[] for _ in order]
    customer_counts: list[int] = []
    scaled_weights: list[int] = []
    unit_counts: list[int] = []
    for lo in range(0, len(order), chunk_bits):
        chunk = order[lo : lo + chunk_bits]
        width = len(chunk)
        own: dict[int, int] = {}
        for b, v in enumerate(chunk):
            k = node_of[v]
            own[k] = own.get(k, 0) | (1 << b)
        if tree.groups:
            _close_over_members(tree, node_of, chunk, own)
        first = min(reach[v] for v in chunk)
        K, common = _kill_sets(plan, own, first)
        if visitors:
            sets = KillerSets(chunk, K, node_of, common, plan)
            for visitor in visitors:
                visitor.visit(sets)
        hits = [K[k] for k in customer_nodes]
        side = _customers_vectorized if width >= _VECTORIZE_FROM else _customers_plain
        lists, counts, weights = side(hits, width, names, scaled, list_limit)
        listed[lo : lo + width] = lists
        customer_counts.extend(counts)
        scaled_weights.extend(weights)

        counter = BitCounter()
        counter.add_all([K[k] for k in unit_nodes[bisect_left(unit_blocks, first) :]])
        fallen = counter.counts(width)
        # X* (the unit and its members, all in F) does not count as impact
        unit_counts.extend(
            n - tree.size[v] if s.party[v] == UNIT else n
            for n, v in zip(fallen, chunk, strict=True)
        )
    return {
        s.ids[v]: SingleFailure(
            impacted_customers=tuple(listed[bit_of[v]]),
            impacted_customer_count=customer_counts[bit_of[v]],
            impact_weight=scaled_weights[bit_of[v]] / scale,  # int / int is correctly rounded
            impacted_units=unit_counts[bit_of[v]],
        )
        for v in sources
    }


def _group_ids(node_data: Iterable[Mapping[str, Any]]) -> set[str]:
    """The units that are some unit's ``parent``: the groups."""
    found = {data.get(PARENT) for data in node_data}
    found.discard(None)
    return {str(g) for g in found}


def _close_over_members(
    tree: OrgTree, node_of: list[int], chunk: list[int], own: dict[int, int]
) -> None:
    """Add to ``own`` each chunk source's bit on every one of its members.

    Top-down over the union of the chunk's subtrees (each a run of the preorder): a member's
    bits are its parent's plus its own, so the cost is the size of that union, never the sum
    of the subtrees' sizes, however deep the tree.
    """
    bit = {v: 1 << b for b, v in enumerate(chunk) if tree.size[v] > 1}
    if not bit:
        return
    preorder, parent, tin, size = tree.preorder, tree.parent, tree.tin, tree.size
    acc: dict[int, int] = {}
    end = -1
    for x in sorted(bit, key=tin.__getitem__):
        start = tin[x]
        if start < end:
            continue  # inside a subtree already walked
        end = start + size[x]
        acc[x] = bit[x]
        for pos in range(start + 1, end):
            v = preorder[pos]
            bits = acc[parent[v]] | bit.get(v, 0)
            acc[v] = bits
            k = node_of[v]
            own[k] = own.get(k, 0) | bits


@paused_gc()  # only live objects are made; the collector would rescan G
def critical_suppliers(
    G: nx.DiGraph,
    betweenness: Mapping[str, float],
    *,
    list_limit: int = 0,
    impacts: Mapping[str, SingleFailure] | None = None,
) -> tuple[CriticalSupplier, ...]:
    """Every unit that is not a group, and every vendor, whose single failure impacts at least
    one customer (SPEC §7: a failing unit takes its members with it, and a group whose members
    have all failed has failed; groups are ranked apart, by :func:`orggraph.analysis.groups`).

    Ranked by impact weight (highest first), then number of impacted units (most first), then id;
    each entry's impacted customers are listed highest weight first, then by id.

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph; not modified.
    betweenness : mapping of str to float
        Betweenness centrality per party (see
        :func:`orggraph.analysis.betweenness_centrality`); a party missing from it gets 0.
    list_limit : int, optional
        List at most this many impacted customers per supplier (0, the default: all of them).
        The count and the weight always cover all of them.
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
        impacts = single_failure_impacts(G, list_limit=list_limit)
    out: list[CriticalSupplier] = []
    _, node_data = raw_dicts(G)
    groups = _group_ids(node_data.values())
    for x, impact in impacts.items():
        if not impact.impacted_customer_count or x in groups:
            continue
        party: Literal["unit", "vendor"] = "vendor" if node_data[x][PARTY] == VENDOR else "unit"
        shown = impact.impacted_customers
        out.append(
            CriticalSupplier(
                id=x,
                party=party,
                impact_weight=impact.impact_weight,
                impacted_customers=shown[:list_limit] if list_limit else shown,
                impacted_units=impact.impacted_units,
                betweenness=float(betweenness.get(x, 0.0)),
                impacted_customer_count=impact.impacted_customer_count,
            )
        )
    out.sort(key=lambda c: (-c.impact_weight, -c.impacted_units, c.id))
    return tuple(out)

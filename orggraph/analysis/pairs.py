"""Minimal double failures of one customer (SPEC §9).

The pairs {x, y} of units (no group) and vendors such that neither alone fails the customer and
both together do. Only the customer's upstream in the failure system (its required suppliers,
transitively, with the membership rule of SPEC §7) can matter, so everything below lives there.

The killer sets K(v) of :mod:`orggraph.analysis.impact` answer "which single failures fail v".
For a pair, fix x and ask the same question in the organization where F(x) has already failed:

    K_x(v) = everything                                       if v is in F(x)
    K_x(v) = {v} ∪ ⋃ K_x(s) over required single suppliers s
                 ∪ ⋃ (⋂ K_x(a) over the alternatives a) over required groups   otherwise

so y pairs with x exactly when y is in K_x(customer) and neither is a single killer. K_x only
differs from K downstream of F(x), through an any_of group (or a group of the org chart) that F(x)
hit without failing it: each x recomputes just that region, in topological order, from K. One
pass for K, then per x the size of F(x) plus the region it changes, instead of a propagation per
pair.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable

import networkx as nx

from orggraph._perf import paused_gc
from orggraph.analysis._members import FailureSystem, OrgTree
from orggraph.analysis._structure import Structure, bit_positions
from orggraph.analysis.report import DoubleFailures
from orggraph.errors import UsageError, did_you_mean
from orggraph.graph import CUSTOMER, UNIT, VENDOR

__all__ = ["DEFAULT_PAIR_LIMIT", "double_failures"]

DEFAULT_PAIR_LIMIT = 100


@paused_gc()  # only live objects are made; the collector would rescan G
def double_failures(
    G: nx.DiGraph,
    customer: str,
    limit: int = DEFAULT_PAIR_LIMIT,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> DoubleFailures:
    """The minimal double failures of ``customer``: pairs (x, y), x < y, of units that are no
    group and vendors, such that neither alone fails the customer and both together do.

    Sorted by x, then y; at most ``limit`` of them (0: all), with ``truncated`` set when more
    exist. ``progress(done, total)`` is told after each x is examined.

    Raises
    ------
    orggraph.errors.UsageError
        When ``customer`` is not a customer of ``G``.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a"}, {"id": "b"}, {"id": "c"},
    ...               {"id": "desk", "depends_on": ["c", {"any_of": ["a", "b"]}]}],
    ...     "customers": [{"id": "pax", "depends_on": ["desk"]}]}))
    >>> double_failures(G, "pax")
    DoubleFailures(customer='pax', pairs=(('a', 'b'),), truncated=False)
    """
    if limit < 0:
        raise ValueError("limit must be 0 (no cap) or positive")
    s = Structure.of(G)
    target = s.index.get(customer)
    if target is None or s.party[target] != CUSTOMER:
        hint = did_you_mean(customer, (s.ids[c] for c in s.customers()))
        what = "unknown customer" if target is None else "not a customer"
        raise UsageError(f"{what} '{customer}'" + (f"; {hint}" if hint else ""))
    system = FailureSystem.of(G, s)
    tree = OrgTree.of(G, s)
    return _Search(system, tree, s, target).run(limit, progress)


class _Search:
    """The failure system restricted to the customer's upstream, with its K."""

    def __init__(self, system: FailureSystem, tree: OrgTree, s: Structure, target: int) -> None:
        self.s = s
        self.target = target
        self.singles = system.singles
        self.groups = system.groups
        # the upstream: every node the target needs, transitively
        upstream = {target}
        queue = [target]
        while queue:
            v = queue.pop()
            for d in self._suppliers(v):
                if d not in upstream:
                    upstream.add(d)
                    queue.append(d)
        self.comps = [comp for comp in system.components if comp[0] in upstream]
        self.position: dict[int, int] = {}
        for k, comp in enumerate(self.comps):
            for v in comp:
                self.position[v] = k
        # out-edges inside the upstream: supplier -> [(consumer, group number or -1)]
        self.out: dict[int, list[tuple[int, int]]] = {v: [] for v in upstream}
        self.group_size: list[int] = []
        for c in upstream:
            for d in self.singles[c]:
                self.out[d].append((c, -1))
            for group in self.groups[c]:
                for a in group:
                    self.out[a].append((c, len(self.group_size)))
                self.group_size.append(len(group))
        # sources: units that are no group, and vendors, in id order (bit i is sources[i])
        self.sources = sorted(
            v for v in upstream if v < len(s) and s.party[v] in (UNIT, VENDOR) and tree.size[v] <= 1
        )
        self.bit = {v: 1 << i for i, v in enumerate(self.sources)}
        self.full = (1 << len(self.sources)) - 1
        self.K: dict[int, int] = {}
        self.failed: set[int] = set()
        for comp in self.comps:
            self._settle(comp, self.K, self.full)

    def _suppliers(self, v: int) -> list[int]:
        row = list(self.singles[v])
        for group in self.groups[v]:
            row.extend(group)
        return row

    def _value(self, v: int, over: dict[int, int], mask: int) -> int:
        """The right-hand side of K's equation at v restricted to ``mask``, reading ``over``
        before ``K`` (an unchanged node's value is ``K & mask``)."""
        K = self.K
        bits = self.bit.get(v, 0) & mask
        for d in self.singles[v]:
            got = over.get(d)
            bits |= K.get(d, 0) & mask if got is None else got
        for group in self.groups[v]:
            common = mask
            for a in group:
                got = over.get(a)
                common &= K.get(a, 0) if got is None else got
                if not common:
                    break
            bits |= common
        return bits

    def _settle(self, comp: list[int], over: dict[int, int], mask: int) -> list[int]:
        """Bring the nodes of one component to the least fixpoint, starting from their current
        values (which lie below it), and write the new values into ``over`` (``self.K`` itself
        on the first pass). Returns the nodes whose value changed, sorted."""
        K = self.K
        fixed = self.failed  # failed with x: they stay failed
        members = set(comp)
        queue = deque(comp)
        queued = set(comp)
        changed: set[int] = set()
        while queue:
            v = queue.popleft()
            queued.discard(v)
            if v in fixed:
                continue
            new = self._value(v, over, mask)
            got = over.get(v)
            if new != (K.get(v, 0) & mask if got is None else got):
                over[v] = new
                changed.add(v)
                for c, _ in self.out[v]:
                    if c in members and c not in queued:
                        queued.add(c)
                        queue.append(c)
        return sorted(changed)

    def _failed_with(self, x: int) -> set[int]:
        """F({x}) inside the upstream (worklist; counts per group touched)."""
        down = {x}
        left: dict[int, int] = {}
        queue = [x]
        while queue:
            v = queue.pop()
            for c, g in self.out[v]:
                if c in down:
                    continue
                if g >= 0:
                    n = left.get(g, self.group_size[g]) - 1
                    left[g] = n
                    if n:
                        continue
                down.add(c)
                queue.append(c)
        return down

    def _killers_without(self, x: int, mask: int) -> int:
        """K_x(target) & mask: the sources of ``mask`` that fail the target together with x.

        Only the bits of ``mask`` are carried (masking commutes with the unions and
        intersections of K's equation), so a change made only of other bits stops at once.
        Components are settled in topological order; a one-node component, the common case,
        is computed inline.
        """
        failed = self.failed = self._failed_with(x)
        over: dict[int, int] = dict.fromkeys(failed, mask)
        K, bit, singles, groups = self.K, self.bit, self.singles, self.groups
        out, position, comps = self.out, self.position, self.comps
        heap: list[int] = []
        pending: set[int] = set()
        push, pop = heapq.heappush, heapq.heappop
        for v in failed:
            for c, _ in out[v]:
                if c not in failed:
                    k = position[c]
                    if k not in pending:
                        pending.add(k)
                        push(heap, k)
        while heap:
            k = pop(heap)
            comp = comps[k]
            if len(comp) == 1:
                # _value written out: one-party components are nearly all of them, and the call
                # per party is what this loop spends its time on
                v = comp[0]
                bits = bit.get(v, 0) & mask
                for d in singles[v]:
                    got = over.get(d)
                    bits |= K.get(d, 0) & mask if got is None else got
                for group in groups[v]:
                    common = mask
                    for a in group:
                        got = over.get(a)
                        common &= K.get(a, 0) if got is None else got
                        if not common:
                            break
                    bits |= common
                if bits == K.get(v, 0) & mask:
                    continue
                over[v] = bits
                changed = [v]
            else:
                changed = self._settle(comp, over, mask)
            for v in changed:
                for c, _ in out[v]:
                    if c not in failed:
                        k = position[c]
                        if k not in pending:
                            pending.add(k)
                            push(heap, k)
        got = over.get(self.target)
        return K.get(self.target, 0) & mask if got is None else got

    def run(self, limit: int, progress: Callable[[int, int], None] | None) -> DoubleFailures:
        ids = self.s.ids
        single = self.K.get(self.target, 0)
        candidates = [v for v in self.sources if not single & self.bit[v]]
        allowed = self.full & ~single
        pairs: list[tuple[str, str]] = []
        truncated = False
        # bits follow index order, which is id order: y > x is every bit above x's
        by_bit = {v: i for i, v in enumerate(self.sources)}
        for done, x in enumerate(candidates, 1):
            later = allowed & ~((1 << (by_bit[x] + 1)) - 1)
            if later:
                found = self._killers_without(x, later)
                for i in bit_positions(found):
                    pairs.append((ids[x], ids[self.sources[i]]))
            if progress is not None:
                progress(done, len(candidates))
            if limit and len(pairs) > limit:
                truncated = True
                del pairs[limit:]
                break
        return DoubleFailures(customer=ids[self.target], pairs=tuple(pairs), truncated=truncated)

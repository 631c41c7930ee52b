"""The service graph as integer adjacency lists, and the graph algorithms the analyses share.

Every analysis reads ``G`` once into a :class:`Structure` (parties numbered in id order, so "the
smallest id" is "the smallest index") and then works on plain lists of integers: fast, and ``G`` is
never touched again. Nothing here mutates ``G``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    import numpy as np

from orggraph._perf import raw_dicts
from orggraph.graph import ANY_OF, CUSTOMER, PARTY, REQUIRED, UNIT, VENDOR

__all__ = [
    "BitCounter",
    "Structure",
    "bit_positions",
    "bit_positions_of_rows",
    "strongly_connected",
]


@dataclass(frozen=True, slots=True)
class Structure:
    """The parts of a service graph the analyses read, as integer adjacency lists.

    Parties are numbered in id order. ``suppliers``/``consumers`` hold every edge; ``singles`` and
    ``groups`` only the *required* dependencies: per consumer, its single suppliers and its
    ``any_of`` groups (each a sorted tuple of alternatives). Groups are listed by group id.
    """

    ids: tuple[str, ...]
    index: dict[str, int]
    party: tuple[str, ...]
    suppliers: tuple[tuple[int, ...], ...]
    consumers: tuple[tuple[int, ...], ...]
    singles: tuple[tuple[int, ...], ...]
    groups: tuple[tuple[tuple[int, ...], ...], ...]
    # results several analyses share, computed on first use
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def components(self) -> tuple[list[int], list[list[int]]]:
        """The strongly connected components of the whole graph (all dependencies), as
        :func:`strongly_connected` gives them; computed once per Structure."""
        found = self._cache.get("components")
        if found is None:
            found = self._cache["components"] = strongly_connected(len(self), self.consumers)
        return found

    def required_consumers(self) -> list[list[int]]:
        """Per supplier, the consumers it serves on a required dependency (single or
        alternative), in consumer order; computed once per Structure."""
        found = self._cache.get("required_consumers")
        if found is None:
            found = [[] for _ in range(len(self))]
            for c, row in enumerate(self.required_suppliers()):
                for d in row:
                    found[d].append(c)
            self._cache["required_consumers"] = found
        return found

    def required_components(self) -> tuple[list[int], list[list[int]]]:
        """The strongly connected components of the required dependencies alone, in a
        topological order, members sorted (like :func:`strongly_connected`); computed once per
        Structure."""
        found = self._cache.get("required_components")
        if found is None:
            found = self._cache["required_components"] = self._refine(self.required_consumers())
        return found

    def _refine(self, succ: list[list[int]]) -> tuple[list[int], list[list[int]]]:
        """The components of a subgraph (``succ``) of the whole graph: each lies inside one
        component of the whole graph, so only those with several members are searched again,
        and the whole graph's topological order, refined inside them, stays one."""
        comp_of, comps = self.components()
        if all(len(comp) == 1 for comp in comps):
            return comp_of, comps
        out: list[list[int]] = []
        for comp in comps:
            if len(comp) == 1:
                out.append(comp)
                continue
            local = {v: i for i, v in enumerate(comp)}
            inner = [[local[c] for c in succ[v] if c in local] for v in comp]
            out.extend([comp[i] for i in part] for part in strongly_connected(len(comp), inner)[1])
        refined = [0] * len(self)
        for k, comp in enumerate(out):
            for v in comp:
                refined[v] = k
        return refined, out

    @classmethod
    def of(cls, G: nx.DiGraph) -> Structure:
        """Read ``G`` (one pass over its nodes and edges, O(N log N + E))."""
        ids = tuple(sorted(G.nodes))
        index = {v: i for i, v in enumerate(ids)}
        n = len(ids)
        succ, node_data = raw_dicts(G)
        suppliers: list[list[int]] = [[] for _ in range(n)]
        singles: list[list[int]] = [[] for _ in range(n)]
        grouped: list[dict[str, list[int]] | None] = [None] * n
        any_of_edges: list[tuple[int, Any]] = []  # (supplier, edge data) of every alternative
        # suppliers in index order, so every list below comes out sorted without sorting
        for si, s in enumerate(ids):
            for c, data in succ[s].items():
                ci = index[c]
                suppliers[ci].append(si)
                group = data.get(ANY_OF)
                if group is not None:
                    any_of_edges.append((si, data))
                if not data.get(REQUIRED, True):
                    continue  # optional: never blocks, never delays
                if group is None:
                    singles[ci].append(si)
                else:
                    mine = grouped[ci]
                    if mine is None:
                        mine = grouped[ci] = {}
                    mine.setdefault(str(group), []).append(si)
        consumers: list[list[int]] = [[] for _ in range(n)]
        for ci, row in enumerate(suppliers):
            for si in row:
                consumers[si].append(ci)
        empty: tuple[tuple[int, ...], ...] = ()
        structure = cls(
            ids=ids,
            index=index,
            party=tuple(str(node_data[v].get(PARTY, "")) for v in ids),
            suppliers=tuple(map(tuple, suppliers)),
            consumers=tuple(map(tuple, consumers)),
            singles=tuple(map(tuple, singles)),
            groups=tuple(
                empty if g is None else tuple(tuple(g[key]) for key in sorted(g)) for g in grouped
            ),
        )
        structure._cache["any_of_edges"] = any_of_edges
        return structure

    def any_of_edges(self) -> list[tuple[int, Any]]:
        """(supplier index, edge data) of every dependency on an ``any_of`` alternative,
        required or not, by supplier index: gathered while the graph is read."""
        found: list[tuple[int, Any]] = self._cache["any_of_edges"]
        return found

    def __len__(self) -> int:
        return len(self.ids)

    def of_party(self, kind: str) -> list[int]:
        """Indices of the parties of one kind, in id order."""
        return [i for i, p in enumerate(self.party) if p == kind]

    def sources(self) -> list[int]:
        """Units and vendors (the parties whose failure is analyzed), in id order."""
        return [i for i, p in enumerate(self.party) if p in (UNIT, VENDOR)]

    def customers(self) -> list[int]:
        """Customers, in id order."""
        return self.of_party(CUSTOMER)

    def required_suppliers(self) -> list[list[int]]:
        """Per consumer, every supplier on a required dependency (single or alternative)."""
        out: list[list[int]] = []
        for single, groups in zip(self.singles, self.groups, strict=True):
            row = list(single)
            for group in groups:
                row.extend(group)
            out.append(row)
        return out


def strongly_connected(n: int, succ: Sequence[Sequence[int]]) -> tuple[list[int], list[list[int]]]:
    """Strongly connected components of the graph ``v -> succ[v]`` on ``0..n-1`` (Tarjan, O(N+E)).

    Returns ``(component_of, components)`` where ``components`` is in topological order (an edge
    never goes from a later component to an earlier one) and each component's members are sorted.

    >>> strongly_connected(4, [[1], [0, 2], [3], []])
    ([0, 0, 1, 2], [[0, 1], [2], [3]])
    """
    order = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(n):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            v, i = work[-1]
            nbrs = succ[v]
            if i < len(nbrs):
                work[-1] = (v, i + 1)
                w = nbrs[i]
                if order[w] == -1:
                    order[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w] and order[w] < low[v]:
                    low[v] = order[w]
                continue
            work.pop()
            if work:
                u = work[-1][0]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] == order[v]:
                comp: list[int] = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == v:
                        break
                comp.sort()
                found.append(comp)
    # Tarjan completes a component only after every component reachable from it
    found.reverse()
    component_of = [0] * n
    for k, comp in enumerate(found):
        for v in comp:
            component_of[v] = k
    return component_of, found


_NUMPY_FROM_BITS = 4096
"""Bitsets at least this wide are unpacked with numpy; narrower ones in plain Python, which is
quicker for them and spares small organizations numpy's import (docs/performance.md)."""


_LOW_PLANES = 8
"""Depth of :class:`BitCounter`'s small counter."""
_LOW_CAPACITY = (1 << _LOW_PLANES) - 1


def _bit_array(bits: int, width: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """The bits of a non-negative int as an array of 0/1, least significant first, ``width``
    long (``bits`` must fit)."""
    import numpy as np

    raw = bits.to_bytes((width + 7) // 8, "little")
    return np.unpackbits(np.frombuffer(raw, dtype=np.uint8), count=width, bitorder="little")


def bit_positions(bits: int) -> list[int]:
    """Positions of the set bits of a non-negative int, ascending.

    Cost: O(bit length) in C plus the output list.

    >>> bit_positions(0b10110)
    [1, 2, 4]
    """
    if not bits:
        return []
    length = bits.bit_length()
    if length >= _NUMPY_FROM_BITS:
        import numpy as np

        positions: list[int] = np.flatnonzero(_bit_array(bits, length)).tolist()
        return positions
    text = bin(bits)[:1:-1]  # least significant first, without the 0b
    out: list[int] = []
    pos = text.find("1")
    while pos != -1:
        out.append(pos)
        pos = text.find("1", pos + 1)
    return out


def bit_positions_of_rows(
    rows: Sequence[int], width: int, labels: Sequence[int] | None = None
) -> list[list[int]]:
    """:func:`bit_positions` of many non-negative ints below ``2**width`` at once, each position
    b given as ``labels[b]`` when ``labels`` are given.

    With numpy when ``width`` is at least :data:`_NUMPY_FROM_BITS`: the rows are packed into one
    byte matrix a block at a time, and only its nonzero bytes are unpacked, so the cost follows
    the set bits, with a few numpy calls per block instead of several per row.

    >>> bit_positions_of_rows([0b101, 0, 0b10], 3)
    [[0, 2], [], [1]]
    >>> bit_positions_of_rows([0b101], 3, labels=[7, 8, 9])
    [[7, 9]]
    """
    if width < _NUMPY_FROM_BITS:
        if labels is None:
            return [bit_positions(bits) for bits in rows]
        return [[labels[b] for b in bit_positions(bits)] for bits in rows]
    import numpy as np

    named = None if labels is None else np.asarray(labels, dtype=np.int64)
    nbytes = (width + 7) // 8
    step = max(1, _ROWS_BYTES // nbytes)
    out: list[list[int]] = []
    for r0 in range(0, len(rows), step):
        block = rows[r0 : r0 + step]
        packed = np.frombuffer(
            b"".join(bits.to_bytes(nbytes, "little") for bits in block), dtype=np.uint8
        )
        at = np.flatnonzero(packed)
        byte, bit = np.nonzero(np.unpackbits(packed[at, None], axis=1, bitorder="little"))
        row, position = np.divmod(at[byte] * 8 + bit, nbytes * 8)  # row by row, ascending
        found: list[int] = (position if named is None else named[position]).tolist()
        bounds: list[int] = np.searchsorted(row, np.arange(len(block) + 1)).tolist()
        out.extend(found[bounds[i] : bounds[i + 1]] for i in range(len(block)))
    return out


_ROWS_BYTES = 1 << 22
"""Bytes of bitsets :func:`bit_positions_of_rows` packs into one block: bounds its memory."""


def _ripple(planes: list[int], bits: int, level: int) -> None:
    """Add ``bits``, each worth ``2**level``, to the bit-sliced counter ``planes`` (plane i holds
    bit i of every position's count): a ripple-carry addition of all positions at once."""
    while bits:
        if level >= len(planes):
            planes.extend([0] * (level - len(planes)))
            planes.append(bits)
            return
        plane = planes[level]
        planes[level] = plane ^ bits
        bits &= plane
        level += 1


class BitCounter:
    """Per-position counts of many bitsets, kept as bit-sliced binary counters.

    ``add`` is a ripple-carry addition of a whole bitset at once: a few big-int operations instead
    of one Python step per set bit, so counting stays cheap when the bitsets are dense.

    A ripple goes as deep as the deepest carry of any position, which for dense bitsets is
    about log2 of the number added (17 levels after 100,000). So bitsets go into a small counter
    of :data:`_LOW_PLANES` levels that cannot overflow before it has taken ``2**_LOW_PLANES - 1``
    of them; then its planes are added, each at its weight, to the unbounded counter. That keeps
    each addition at most eight levels deep, for a few extra operations per 255 additions.

    >>> c = BitCounter()
    >>> for bits in (0b011, 0b110, 0b010):
    ...     c.add(bits)
    >>> c.counts(3)
    [1, 3, 1]
    >>> c.add_all([0b001, 0, 0b011])
    >>> c.counts(3)
    [3, 4, 1]
    """

    __slots__ = ("_high", "_low", "_room")

    def __init__(self) -> None:
        self._low: list[int] = []  # plane i holds bit i of every position's recent count
        self._room = _LOW_CAPACITY  # additions the low counter can still take
        self._high: list[int] = []  # the same for everything moved out of the low counter

    def add(self, bits: int) -> None:
        _ripple(self._low, bits, 0)
        self._room -= 1
        if not self._room:
            self._flush()

    def add_all(self, rows: Iterable[int]) -> None:
        """:meth:`add` each of ``rows`` (zeros are skipped), with the ripple inlined: the
        per-bitset calls were a fifth of counting a large organization's impacted units."""
        low, room = self._low, self._room
        for bits in rows:
            if not bits:
                continue
            level = 0
            while bits:
                if level == len(low):
                    low.append(bits)
                    break
                plane = low[level]
                low[level] = plane ^ bits
                bits &= plane
                level += 1
            room -= 1
            if not room:
                self._low = low
                self._flush()
                low, room = self._low, self._room
        self._low, self._room = low, room

    def _flush(self) -> None:
        """Add the low counter, plane by plane at its weight, to the high one; empty it."""
        for level, bits in enumerate(self._low):
            _ripple(self._high, bits, level)
        self._low = []
        self._room = _LOW_CAPACITY

    def counts(self, width: int) -> list[int]:
        """The count at each position ``0..width-1``."""
        self._flush()
        if width < _NUMPY_FROM_BITS:
            small = [0] * width
            for i, plane in enumerate(self._high):
                step = 1 << i
                for pos in bit_positions(plane):
                    small[pos] += step
            return small
        import numpy as np

        out = np.zeros(width, dtype=np.int64)
        for i, plane in enumerate(self._high):
            out += _bit_array(plane, width).astype(np.int64) << i
        counts: list[int] = out.tolist()
        return counts

"""Redundancy that holds (SPEC §9): illusory alternatives and failover load.

Both read the killer sets K(v) of the one pass that finds the critical suppliers
(:func:`orggraph.analysis.impact.single_failure_impacts`): K(v) holds every unit and vendor whose
single failure (with its members, SPEC §7) fails v. So, with no propagation per failure:

- a required any_of group is **illusory** against x when x is in the K of every alternative: the
  shared suppliers are the intersection of the alternatives' K, without groups;
- when y fails, the alternatives of an any_of group in F(y) are those whose K holds y: only the
  ys in the union of the alternatives' K shift any volume of that group, and each shift is read
  off the bits.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from orggraph._perf import paused_gc
from orggraph.analysis._members import OrgTree
from orggraph.analysis._structure import (
    Structure,
    bit_positions,
    bit_positions_of_rows,
)
from orggraph.analysis.bottlenecks import DEFAULT_THRESHOLD, loads
from orggraph.analysis.impact import CHUNK_BITS, KillerSets, _single_failure_impacts
from orggraph.analysis.report import Failover, IllusoryRedundancy, Load
from orggraph.graph import ANY_OF, REQUIRED, UNIT, VOLUME

__all__ = ["failover", "illusory_redundancy"]


@dataclass(frozen=True, slots=True)
class _Group:
    """One any_of group: its consumer, its place in the consumer's depends_on, whether it is
    required, its alternatives (Structure indices, in file order) and their normal volumes."""

    consumer: int
    position: int
    required: bool
    alternatives: tuple[int, ...]
    volumes: tuple[float, ...]


def _any_of_groups(G: nx.DiGraph, s: Structure) -> list[_Group]:
    """Every any_of group of the graph, by consumer id then position in its depends_on; the
    alternatives sorted by id (the file's order is not kept: reordering a file changes no
    output). Cached on ``s``: both visitors of one pass read it."""
    cached = s._cache.get("any_of_groups")
    if isinstance(cached, list):
        return cached
    found: dict[str, list[tuple[int, Any]]] = {}
    for supplier, data in s.any_of_edges():
        found.setdefault(str(data[ANY_OF]), []).append((supplier, data))
    out: list[_Group] = []
    for key, members in found.items():
        consumer, _, position = key.rpartition("#")
        members.sort(key=lambda e: int(e[0]))
        out.append(
            _Group(
                consumer=s.index[consumer],
                position=int(position),
                required=bool(members[0][1].get(REQUIRED, True)),
                alternatives=tuple(a for a, _ in members),
                volumes=tuple(float(d.get(VOLUME) or 0.0) for _, d in members),
            )
        )
    out.sort(key=lambda g: (g.consumer, g.position))
    s._cache["any_of_groups"] = out
    return out


def _single_bits(chunk: list[int], tree: OrgTree) -> int:
    """The bits of a chunk's sources that are no group (SPEC §9 counts only those)."""
    if not tree.groups:
        return (1 << len(chunk)) - 1
    size = tree.size
    bits = 0
    for b, v in enumerate(chunk):
        if size[v] <= 1:
            bits |= 1 << b
    return bits


class IllusoryVisitor:
    """Collects, per required any_of group, the non-group sources in every alternative's K: the
    intersection the pass itself computed for the group's consumer."""

    def __init__(self, G: nx.DiGraph, s: Structure) -> None:
        self._s = s
        self._tree = OrgTree.of(G, s)
        self._groups = [g for g in _any_of_groups(G, s) if g.required]
        self._shared: list[list[int]] = [[] for _ in self._groups]
        self._numbers: list[int] = []  # per group: its number in the pass's plan, or -1
        self._nodes: list[tuple[int, ...]] = []  # per group: its alternatives' K nodes

    def visit(self, sets: KillerSets) -> None:
        if not self._numbers and self._groups:
            plan = sets.plan
            self._numbers = [plan.group_number(g.consumer, g.alternatives) for g in self._groups]
        mask = _single_bits(sets.chunk, self._tree)
        common_of, K = sets.common, sets.K
        nodes_of = _nodes_of(self._groups, sets.node_of, self._nodes)
        hit: list[int] = []  # the groups with a shared supplier in this chunk
        bits: list[int] = []  # and those suppliers' bits
        for i, number in enumerate(self._numbers):
            if number >= 0:
                common = common_of[number] & mask
            else:  # an alternative inside the consumer's own cycle: the plan leaves it out
                common = mask
                for k in nodes_of[i]:
                    common &= K[k]
                    if not common:
                        break
            if common:
                hit.append(i)
                bits.append(common)
        chunk = sets.chunk
        for i, found in zip(hit, bit_positions_of_rows(bits, len(chunk), chunk), strict=True):
            self._shared[i].extend(found)

    def result(self) -> tuple[IllusoryRedundancy, ...]:
        ids = self._s.ids
        return tuple(
            IllusoryRedundancy(
                party=ids[group.consumer],
                alternatives=tuple(ids[a] for a in group.alternatives),
                shared_suppliers=tuple(ids[x] for x in sorted(shared)),
            )
            for group, shared in zip(self._groups, self._shared, strict=True)
            if shared
        )


def _nodes_of(
    groups: list[_Group], node_of: list[int], found: list[tuple[int, ...]]
) -> list[tuple[int, ...]]:
    """Per group, the K nodes of its alternatives (``K[node_of[a]]``), filled into ``found`` on
    the first chunk: every chunk of one pass has the same ``node_of``."""
    if not found and groups:
        found.extend(tuple(node_of[a] for a in g.alternatives) for g in groups)
    return found


def _regions(touched: int, killers: list[int]) -> list[tuple[int, tuple[int, ...]]]:
    """The bits of ``touched`` split by which alternatives they fail: (bitset, the positions in
    ``killers`` of the failed alternatives, ascending)."""
    if len(killers) > _MAX_REFINED:
        # a very wide group: its sources are fewer than its patterns could be. Each source's
        # failed alternatives are gathered from the alternatives' bits, so the cost follows
        # the (source, failed alternative) pairs, not sources times alternatives.
        failed_by: dict[int, list[int]] = {}
        for i, bits in enumerate(killers):
            for b in bit_positions(bits & touched):
                failed_by.setdefault(b, []).append(i)
        out: dict[tuple[int, ...], int] = {}
        for b, found in failed_by.items():
            key = tuple(found)
            out[key] = out.get(key, 0) | 1 << b
        return [(bits, key) for key, bits in out.items()]
    regions: list[tuple[int, tuple[int, ...]]] = [(touched, ())]
    for i, bits in enumerate(killers):
        split: list[tuple[int, tuple[int, ...]]] = []
        for region, failed in regions:
            inside = region & bits
            if inside:
                split.append((inside, (*failed, i)))
            outside = region & ~bits
            if outside:
                split.append((outside, failed))
        regions = split
    return regions


def _candidates(by_region: dict[int, list[float]]) -> list[tuple[float, int]]:
    """Each failing source's total shift onto one receiver, from ``by_region`` (bitset of
    failing sources -> the volumes each of them shifts): (total, lowest bit) per set of sources
    with the same shifts, which is all a receiver's worst case needs.

    The bitsets are refined into disjoint parts, each with the shifts that apply to all of it;
    when they split into more than :data:`_MAX_PARTS` parts, the shifts are gathered source by
    source instead, so the cost follows the (source, shift) pairs and never grows with the
    product of many bitsets and many parts.
    """
    if len(by_region) == 1:
        for bits, shares in by_region.items():
            return [(math.fsum(shares), (bits & -bits).bit_length() - 1)]
    parts: list[tuple[int, list[float]]] = []
    for bits, shares in by_region.items():
        refined: list[tuple[int, list[float]]] = []
        rest = bits
        for region, before in parts:
            both = region & bits
            if both:
                refined.append((both, [*before, *shares]))
                rest &= ~both
                only = region & ~bits
                if only:
                    refined.append((only, before))
            else:
                refined.append((region, before))
        if rest:
            refined.append((rest, list(shares)))
        parts = refined
        if len(parts) > _MAX_PARTS:
            by_source: dict[int, list[float]] = {}
            for region, found in by_region.items():
                for b in bit_positions(region):
                    by_source.setdefault(b, []).extend(found)
            return [(math.fsum(found), b) for b, found in by_source.items()]
    return [(math.fsum(found), (bits & -bits).bit_length() - 1) for bits, found in parts]


_MAX_REFINED = 12
"""Alternatives up to which a group's regions are found by splitting bitsets; wider groups
are read source by source (their patterns could outnumber their sources)."""

_MAX_PARTS = 64
"""Disjoint parts up to which :func:`_candidates` refines the shifts onto one receiver; beyond,
it gathers them source by source (refining costs entries times parts)."""


class FailoverVisitor:
    """Collects, per receiving alternative, the largest volume a single failure shifts onto it.

    Within a chunk the failing sources are not looked at one by one: the sources that fail the
    same alternatives of a group shift the same volumes, so each group splits the chunk's bits
    into regions of equal effect (one bitset each). A receiver that only one group shifts onto
    takes the first region, in order of shift (largest first, then lowest source), that keeps
    it up; the shifts onto a receiver from several groups are added region by region. Only the
    regions' smallest sources are ever listed.
    """

    def __init__(self, G: nx.DiGraph, s: Structure) -> None:
        self._s = s
        self._tree = OrgTree.of(G, s)
        self._groups = [g for g in _any_of_groups(G, s) if any(g.volumes)]
        self._nodes: list[tuple[int, ...]] = []  # per group: its alternatives' K nodes
        self._carrying: list[tuple[int, ...]] = []  # the same, of the alternatives with volume
        # receiver -> (largest shift, the smallest source index causing it)
        self._worst: dict[int, tuple[float, int]] = {}

    def visit(self, sets: KillerSets) -> None:
        chunk, K, node_of = sets.chunk, sets.K, sets.node_of
        mask = _single_bits(chunk, self._tree)
        nodes_of = _nodes_of(self._groups, node_of, self._nodes)
        if not self._carrying:
            self._carrying = [
                tuple(k for k, volume in zip(nodes, g.volumes, strict=True) if volume)
                for g, nodes in zip(self._groups, nodes_of, strict=True)
            ]
        # per hit group: the group, and its regions as (shift, lowest bit, region, failed)
        # in order of shift, largest first at 9 decimals, then lowest bit
        hit: list[tuple[_Group, list[tuple[float, int, int, tuple[int, ...]]]]] = []
        reached: dict[int, int] = {}  # receiver -> how many hit groups may shift onto it
        for group, nodes, carrying in zip(self._groups, nodes_of, self._carrying, strict=True):
            touched = 0
            for k in carrying:  # an alternative carrying nothing shifts nothing
                touched |= K[k]
            touched &= mask
            if not touched:  # most groups: the chunk's sources fail no alternative that carries
                continue
            killers = [K[k] & mask for k in nodes]
            every = mask
            for bits in killers:
                every &= bits
            touched &= ~every  # a source that fails every alternative loses the volume
            if not touched:
                continue
            volumes = group.volumes
            kept = len(volumes)
            regions = []
            for region, failed in _regions(touched, killers):
                share = math.fsum([volumes[i] for i in failed]) / (kept - len(failed))
                regions.append((share, (region & -region).bit_length() - 1, region, failed))
            regions.sort(key=lambda r: (-round(r[0], 9), r[1]))
            hit.append((group, regions))
            for a in group.alternatives:
                reached[a] = reached.get(a, 0) + 1
        # receiver -> failing sources -> the volumes they shift onto it, from several groups
        shared: dict[int, dict[int, list[float]]] = {}
        worst = self._worst
        for group, regions in hit:
            for i, a in enumerate(group.alternatives):
                if reached[a] > 1:
                    by_region = shared.setdefault(a, {})
                    for shifted, _, region, failed in regions:
                        if i not in failed:
                            by_region.setdefault(region, []).append(shifted)
                    continue
                for shifted, b, _, failed in regions:
                    if i not in failed:  # the largest shift that keeps a up: its worst here
                        _consider(worst, a, shifted, chunk[b])
                        break
        for receiver, by_region in shared.items():
            if by_region:
                for shifted, b in _candidates(by_region):
                    _consider(worst, receiver, shifted, chunk[b])

    def result(self, party_loads: Mapping[str, Load], threshold: float) -> tuple[Failover, ...]:
        ids = self._s.ids
        worst = self._worst
        out: list[Failover] = []
        for b, (shifted, y) in worst.items():
            if self._s.party[b] != UNIT or shifted <= 0:
                continue
            figures = party_loads.get(ids[b])
            if figures is None or figures.capacity is None:
                continue
            load = figures.load or 0.0
            entry = Failover(
                id=ids[b],
                load=load,
                worst_failover_load=load + shifted,
                capacity=figures.capacity,
                failing=ids[y],
            )
            if entry.utilization_after >= threshold:
                out.append(entry)
        # to nine decimals: 5/6 + 1/6 is 0.9999999999999999, and such noise must not put a unit
        # before one whose utilization is the same; equal ones go by id
        out.sort(key=lambda f: (-round(f.utilization_after, 9), f.id))
        return tuple(out)


def _consider(worst: dict[int, tuple[float, int]], receiver: int, shifted: float, y: int) -> None:
    """Keep (shifted, y) as ``receiver``'s worst case when it is larger than the one kept."""
    best = worst.get(receiver)
    if best is None:
        worst[receiver] = (shifted, y)
        return
    # equal shifts summed from different groups may differ in the last bits: ties are judged
    # at 9 decimals, so the smallest id wins them
    mine, theirs = round(shifted, 9), round(best[0], 9)
    if mine > theirs or (mine == theirs and y < best[1]):
        worst[receiver] = (shifted, y)


@paused_gc()  # only live objects are made; the collector would rescan G
def illusory_redundancy(G: nx.DiGraph) -> tuple[IllusoryRedundancy, ...]:
    """Every required any_of group whose alternatives all fail from one single failure.

    For each group, the shared suppliers are the units that are no group, and the vendors, whose
    single failure (SPEC §7) fails every alternative: the intersection of the alternatives'
    killer sets, read off the one pass that finds the critical suppliers. Sorted by party id,
    then the group's position in the party's depends_on; only groups with a shared supplier.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "dcs"}, {"id": "web", "depends_on": ["dcs"]},
    ...               {"id": "kiosk", "depends_on": ["dcs"]},
    ...               {"id": "checkin", "depends_on": [{"any_of": ["web", "kiosk"]}]}]}))
    >>> illusory_redundancy(G)  # doctest: +NORMALIZE_WHITESPACE
    (IllusoryRedundancy(party='checkin', alternatives=('web', 'kiosk'),
                        shared_suppliers=('dcs',)),)
    """
    s = Structure.of(G)
    visitor = IllusoryVisitor(G, s)
    _single_failure_impacts(G, s, CHUNK_BITS, 1, (visitor,))
    return visitor.result()


@paused_gc()  # only live objects are made; the collector would rescan G
def failover(
    G: nx.DiGraph,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    party_loads: Mapping[str, Load] | None = None,
) -> tuple[Failover, ...]:
    """The units a single failure elsewhere would load to the threshold or past it.

    When a unit or vendor y (no group) fails, in every any_of group (optional ones too) the volume
    carried by the alternatives in F(y) moves, split evenly, to the alternatives outside F(y)
    (lost if none; only these direct shifts). ``worst_failover_load(b)`` is b's normal load plus
    the most any single y shifts onto it; a unit with a capacity is listed when that reaches
    ``threshold`` times its capacity and exceeds its normal load. Sorted by utilization after
    failover (highest first), then id; ``failing`` is the y that causes it (smallest id on ties).

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "team", "capacity": 100}, {"id": "contractor", "capacity": 50},
    ...               {"id": "ops", "depends_on": [{"any_of": ["team", "contractor"],
    ...                                             "primary": "team", "volume": 80}]}]}))
    >>> [(f.id, f.worst_failover_load, f.failing) for f in failover(G)]
    [('contractor', 80.0, 'team')]
    """
    s = Structure.of(G)
    visitor = FailoverVisitor(G, s)
    _single_failure_impacts(G, s, CHUNK_BITS, 1, (visitor,))
    return visitor.result(party_loads if party_loads is not None else loads(G), threshold)

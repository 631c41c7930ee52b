"""The overview of a large organization: a page of bounded size that opens on the departments and
lets the reader drill down, level by level, in place.

Above the size limits of a drawn view (``MAX_VIEW_NODES`` parties or ``MAX_VIEW_EDGES``
dependencies) a page of every party would be unreadable and slow, so the page embeds a tree of
*entries* instead, built breadth first from the top:

- the top level is the department-collapsed view (the top-level departments of
  :func:`~orggraph.render._views.top_departments`, every other party as itself); when that is more
  than :data:`OVERVIEW_BRANCH` entries, customers, vendors and stand-alone units are gathered into
  one entry each, largest class first;
- opening a group shows its direct members in the org chart (sub-departments stay groups), with
  the group itself as a party beside them when it has dependencies of its own; opening a gathered
  entry shows what it gathers;
- a level of more than :data:`OVERVIEW_BRANCH` entries is split into blocks of at most that many
  (heaviest first), so no click ever adds more than :data:`OVERVIEW_BRANCH` nodes;
- entries are embedded breadth first while the page holds at most :data:`OVERVIEW_NODES` entries
  and :data:`OVERVIEW_EDGES` aggregated edges; a group whose members did not fit says so and how to
  see them (``--focus``).

The edges are embedded once, between the deepest embedded entries (*atoms*): each dependency is
counted between the atoms of its supplier and its consumer, as ``group_dependencies`` does between
departments (SPEC §7). The page rolls them up to whatever is open at the moment, so every drawn
edge stands for exactly the dependencies between the members of its two ends.

One module of over 500 lines on purpose: the tree of entries, its bounds and the edges between
its atoms share one numbering of the entries, which the page reads as it is; split, each half
would have to rebuild or pass that numbering.
"""

from __future__ import annotations

import math
from collections import ChainMap
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from orggraph.graph import (
    ANY_OF,
    CUSTOMER,
    KIND,
    NAME,
    PARENT,
    PARTY,
    REQUIRED,
    UNIT,
    VENDOR,
    WEIGHT,
)
from orggraph.graph import VOLUME as VOLUME_KEY
from orggraph.render._findable import findable
from orggraph.render._style import ANY_OF_EDGE, CHAIN, OPTIONAL_EDGE, REQUIRED_EDGE
from orggraph.render._tooltips import clip, department_title
from orggraph.render._viewcontext import Scale, ViewContext
from orggraph.render._viewdata import vis_node
from orggraph.render._views import DEPARTMENT, PartyFigures, fmt_number, top_departments

__all__ = [
    "OVERVIEW_BRANCH",
    "OVERVIEW_EDGES",
    "OVERVIEW_NODES",
    "Overview",
    "build_overview",
]

#: The most nodes one click adds (and the most entries at the top): larger levels come in blocks.
OVERVIEW_BRANCH = 100
#: Groups, blocks and parties embedded in one overview page.
OVERVIEW_NODES = 8000
#: Aggregated edges between the deepest embedded entries, embedded in one overview page.
OVERVIEW_EDGES = 40000

# the side of the drawing an entry is laid out on: vendors left, customers right
_LEFT, _MIDDLE, _RIGHT = 0, 1, 2
_GATHERED = {CUSTOMER: ("#customers", "Customers"), VENDOR: ("#vendors", "Vendors")}
_ALONE = ("#units", "Units outside any department")


@dataclass(slots=True)
class _Spec:
    """What an entry will be, before it is embedded: a party, a group of the org chart (the unit
    and its subtree), the group's own work (``self``), or a gathering of other specs."""

    kind: str  # "party" | "self" | "group" | "gather" | "block"
    key: str  # the node id on the page
    party: int = -1  # party index (party, self, group)
    label: str = ""  # gather and block
    items: list[_Spec] = field(default_factory=list)  # gather and block
    side: int = _MIDDLE


@dataclass(frozen=True, slots=True)
class Overview:
    """The embedded tree and edges, and the top level as drawn first."""

    data: dict[str, Any]  # the page's ``overview`` block, read by assets/overview.js
    top: list[int]  # entries of the top level, in order
    top_edges: list[tuple[int, int, dict[str, Any]]]  # aggregated edges among them
    entries: int
    atoms: int
    edges: int
    complete: bool  # every party is an atom: the whole organization can be opened
    atom: list[int]  # per party in id order, its deepest embedded entry (-1: none)


class _Chart:
    """The org chart as indices: parties sorted by id, each unit's direct members."""

    def __init__(self, G: nx.DiGraph) -> None:
        self.ids = sorted(G)
        self.index = {n: i for i, n in enumerate(self.ids)}
        self.children: list[list[int]] = [[] for _ in self.ids]
        for i, n in enumerate(self.ids):
            parent = G.nodes[n].get(PARENT)
            if parent is not None and parent in self.index and parent != n:
                self.children[self.index[parent]].append(i)

    def subtree(self, root: int) -> list[int]:
        """``root`` and every unit below it (a parent cycle, which validation refuses, ends)."""
        out, stack, seen = [], [root], {root}
        while stack:
            i = stack.pop()
            out.append(i)
            for c in self.children[i]:
                if c not in seen:
                    seen.add(c)
                    stack.append(c)
        return sorted(out)


def _blocks(specs: list[_Spec], what: str, key: str) -> list[_Spec]:
    """``specs`` as they are when at most :data:`OVERVIEW_BRANCH`, else in blocks of blocks of
    at most that many each, named by the range they hold (``Customers 101–200 of 2,000``)."""
    n = len(specs)
    if n <= OVERVIEW_BRANCH:
        return specs
    size = OVERVIEW_BRANCH
    while math.ceil(n / size) > OVERVIEW_BRANCH:
        size *= OVERVIEW_BRANCH

    def block(lo: int, hi: int) -> _Spec:
        inner = specs[lo:hi]
        step = size
        while step >= OVERVIEW_BRANCH and hi - lo <= step:
            step //= OVERVIEW_BRANCH
        items = (
            inner
            if hi - lo <= OVERVIEW_BRANCH
            else [block(a, min(a + step, hi)) for a in range(lo, hi, step)]
        )
        sides = {s.side for s in inner}
        return _Spec(
            "block",
            f"{key}#{lo + 1}-{hi}",
            label=f"{what} {lo + 1:,}–{hi:,} of {n:,}",
            items=items,
            side=sides.pop() if len(sides) == 1 else _MIDDLE,
        )

    return [block(lo, min(lo + size, n)) for lo in range(0, n, size)]


def build_overview(
    G: nx.DiGraph,
    ctx: ViewContext,
    chain: Sequence[str] = (),
    *,
    max_nodes: int = OVERVIEW_NODES,
    max_edges: int = OVERVIEW_EDGES,
) -> Overview:
    """The overview of ``G``: the entries embedded breadth first within ``max_nodes`` entries and
    ``max_edges`` aggregated edges, each entry's node as the page draws it, and the edges between
    the deepest embedded entries. ``chain`` (a customer's critical chain) is marked on every entry
    that holds one of its parties."""
    chart = _Chart(G)
    ids = chart.ids
    figures = ctx.figures
    side_of = {CUSTOMER: _RIGHT, VENDOR: _LEFT}

    def party_spec(i: int) -> _Spec:
        kind = "group" if chart.children[i] else "party"
        return _Spec(kind, ids[i], party=i, side=side_of.get(G.nodes[ids[i]][PARTY], _MIDDLE))

    def weight(spec: _Spec) -> float:
        if spec.kind in ("gather", "block"):
            return max((weight(s) for s in spec.items), default=0.0)
        n = ids[spec.party]
        fig = figures[n]
        if G.nodes[n][PARTY] == CUSTOMER:
            return float(G.nodes[n].get(WEIGHT) or 1.0)
        if spec.kind == "group" and fig.group is not None:
            return fig.group.impact_weight
        return fig.impact_weight

    def ordered(specs: list[_Spec]) -> list[_Spec]:
        return sorted(specs, key=lambda s: (s.kind == "self", -weight(s), s.key), reverse=False)

    # the top level: one entry per top-level department, the rest as themselves
    top_of = top_departments(G)
    size_of: dict[str, int] = {}
    for n in ids:
        size_of[top_of[n]] = size_of.get(top_of[n], 0) + 1
    top: list[_Spec] = []
    for n in sorted(size_of):
        i = chart.index[n]
        if size_of[n] > 1:
            top.append(_Spec("group", n, party=i))
        elif not (chart.children[i] and G.degree(n) == 0):  # a bare container draws nothing
            top.append(party_spec(i))
    while len(top) > OVERVIEW_BRANCH:
        classes: dict[str, list[_Spec]] = {}
        for s in top:
            if s.kind == "party":
                party = G.nodes[ids[s.party]][PARTY]
                classes.setdefault(party if party in _GATHERED else UNIT, []).append(s)
        largest = max(
            (c for c in classes if len(classes[c]) > 1), key=lambda c: len(classes[c]), default=None
        )
        if largest is None:
            break
        key, what = _GATHERED.get(largest, _ALONE)
        gathered = {id(s) for s in classes[largest]}
        items = _blocks(ordered(classes[largest]), what, key)
        top = [s for s in top if id(s) not in gathered]
        top.append(_Spec("gather", key, label=what, items=items, side=classes[largest][0].side))
    top = _blocks(ordered(top), "Departments and parties", "#top")

    def opened(spec: _Spec) -> list[_Spec]:
        if spec.kind in ("gather", "block"):
            return spec.items
        if spec.kind != "group":
            return []
        inner = [party_spec(c) for c in chart.children[spec.party]]
        if G.degree(ids[spec.party]) > 0:  # the group's own dependencies: the unit on its own
            inner.append(_Spec("self", ids[spec.party], party=spec.party))
        return _blocks(
            ordered(inner), clip(G.nodes[ids[spec.party]].get(NAME) or spec.key, 40), spec.key
        )

    def parties(spec: _Spec) -> list[int]:
        if spec.kind == "group":
            return chart.subtree(spec.party)
        if spec.kind in ("party", "self"):
            return [spec.party]
        return sorted(p for s in spec.items for p in parties(s))

    specs: list[_Spec] = []
    parent: list[int] = []
    members: list[list[int]] = []
    atom = [-1] * len(ids)
    suppliers: list[list[int]] = [[] for _ in ids]
    consumers: list[list[int]] = [[] for _ in ids]
    for u, v in G.edges():
        consumers[chart.index[u]].append(chart.index[v])
        suppliers[chart.index[v]].append(chart.index[u])
    pairs: dict[tuple[int, int], int] = {}  # dependencies between distinct atoms, so far

    def tally(pair: tuple[int, int], n: int) -> None:
        if pair[0] != pair[1] and -1 not in pair:
            left = pairs.get(pair, 0) + n
            if left:
                pairs[pair] = left
            else:
                del pairs[pair]

    def move(p: int, k: int) -> None:
        old = atom[p]
        for q in consumers[p]:
            tally((old, atom[q]), -1)
            tally((k, atom[q]), 1)
        for q in suppliers[p]:
            tally((atom[q], old), -1)
            tally((atom[q], k), 1)
        atom[p] = k

    def embed(spec: _Spec, up: int) -> None:
        k = len(specs)
        specs.append(spec)
        parent.append(up)
        held = parties(spec)
        members.append(held)
        for p in held:
            move(p, k)

    for s in top:
        embed(s, -1)
    level = list(range(len(specs)))
    while level:
        nxt: list[int] = []
        for k in level:
            inner = opened(specs[k])
            if not inner or len(specs) + len(inner) > max_nodes:
                continue  # too many to embed: the page says how to see them
            before = len(specs)
            for s in inner:
                embed(s, k)
            if len(pairs) > max_edges:  # undo: its members stay inside it
                for p in members[k]:
                    move(p, k)
                del specs[before:], parent[before:], members[before:]
                continue
            nxt.extend(range(before, len(specs)))
        level = nxt
    is_open = set(parent)
    complete = not any(opened(specs[k]) for k in range(len(specs)) if k not in is_open)

    edges, inside = _aggregate(G, atom, chart.index)
    internal = _internal(edges, inside, parent)
    blank = {s.key: PartyFigures() for s in specs if s.kind in ("gather", "block")}
    looked = replace(ctx, figures=ChainMap(blank, dict(ctx.figures)))
    biggest = max((len(members[k]) for k in range(len(specs)) if parent[k] == -1), default=1)
    nodes = [
        _node(G, looked, ids, specs[k], members[k], internal[k], biggest) for k in range(len(specs))
    ]
    for k, node in enumerate(nodes):
        # what search reads (find.js), and the order labels are placed in: as embedded
        node["find"] = _facets(G, ctx, specs[k], [ids[p] for p in members[k]])
        node["rank"] = k
    on_chain = [atom[chart.index[n]] for n in chain if n in chart.index]
    marked: set[int] = set()
    for k in on_chain:
        while k != -1 and k not in marked:
            marked.add(k)
            k = parent[k]
    for k in sorted(marked):
        nodes[k]["borderWidth"] = max(nodes[k].get("borderWidth", 1), 4)
        nodes[k]["color"]["border"] = CHAIN
    top_index = [k for k in range(len(specs)) if parent[k] == -1]
    rolled: dict[tuple[int, int], dict[str, Any]] = {}
    for (a, b), agg in edges.items():
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            _add(rolled.setdefault((ra, rb), _empty()), agg)
    data = {
        "nodes": nodes,
        "parent": parent,
        "members": [
            len(members[k]) if specs[k].kind not in ("party", "self") else 0
            for k in range(len(specs))
        ],
        "side": [s.side for s in specs],
        "edges": [
            [a, b, agg["count"], agg["required"], agg["optional"], agg["any_of"], agg["volume"]]
            for (a, b), agg in sorted(edges.items())
        ],
        "chain": on_chain,
        "style": {
            "required": REQUIRED_EDGE,
            "optional": OPTIONAL_EDGE,
            "any_of": ANY_OF_EDGE,
            "chain": CHAIN,
            "max_volume": ctx.max_volume,
            "per_period": ctx.per_period(),
        },
        "limits": {"branch": OVERVIEW_BRANCH, "nodes": max_nodes, "edges": max_edges},
    }
    return Overview(
        data=data,
        top=top_index,
        top_edges=[(a, b, agg) for (a, b), agg in sorted(rolled.items())],
        entries=len(specs),
        atoms=len(set(atom) - {-1}),
        edges=len(edges),
        complete=complete,
        atom=atom,
    )


def _facets(G: nx.DiGraph, ctx: ViewContext, spec: _Spec, held: list[str]) -> dict[str, Any]:
    """What search and the filters read of an entry: a party's (or a group's own unit's)
    fields and facets, or a gathering's name, listed under the kind of party (and of unit) it
    gathers when all its ``held`` parties are of one kind (a mixed block is under none)."""
    if spec.kind in ("gather", "block"):
        party = {str(G.nodes[n][PARTY]) for n in held}
        kinds = {G.nodes[n].get(KIND) if G.nodes[n][PARTY] == UNIT else None for n in held}
        one_kind = kinds.pop() if len(kinds) == 1 else None
        return {
            "party": party.pop() if len(party) == 1 else None,
            "kind": str(one_kind) if one_kind else None,
            "dept": None,
            "flags": [],
            "tags": [],
            "fields": [["id", spec.key], ["name", spec.label]],
        }
    return findable(G, spec.key, ctx, False)


def _root(parent: list[int], k: int) -> int:
    while parent[k] != -1:
        k = parent[k]
    return k


def _empty() -> dict[str, Any]:
    return {"count": 0, "required": 0, "optional": 0, "any_of": 0, "volume": None}


def _add(into: dict[str, Any], agg: dict[str, Any]) -> None:
    for key in ("count", "required", "optional", "any_of"):
        into[key] += agg[key]
    if agg["volume"] is not None:
        into["volume"] = (into["volume"] or 0.0) + agg["volume"]


def _aggregate(
    G: nx.DiGraph, atom: list[int], index: dict[str, int]
) -> tuple[dict[tuple[int, int], dict[str, Any]], dict[int, int]]:
    """The dependencies between atoms (count, how many required / optional / any_of, summed
    volume or None) and, per atom, how many it holds inside."""
    edges: dict[tuple[int, int], dict[str, Any]] = {}
    inside: dict[int, int] = {}
    for u, v, data in G.edges(data=True):
        a, b = atom[index[u]], atom[index[v]]
        if a == b:
            inside[a] = inside.get(a, 0) + 1
            continue
        agg = edges.get((a, b))
        if agg is None:
            agg = edges[a, b] = _empty()
        agg["count"] += 1
        if data.get(REQUIRED, True):
            agg["required"] += 1
        else:
            agg["optional"] += 1
        if data.get(ANY_OF) is not None:
            agg["any_of"] += 1
        volume = data.get(VOLUME_KEY)
        if volume is not None:
            agg["volume"] = (agg["volume"] or 0.0) + float(volume)
    return edges, inside


def _internal(
    edges: dict[tuple[int, int], dict[str, Any]], inside: dict[int, int], parent: list[int]
) -> list[int]:
    """Per entry, the dependencies with both ends among its members: each pair of atoms counts
    for their lowest common entry and every entry above it."""
    depth = [0] * len(parent)
    for k, up in enumerate(parent):  # parents come before their children
        depth[k] = depth[up] + 1 if up != -1 else 0
    found = [0] * len(parent)

    def add(k: int, n: int) -> None:
        while k != -1:
            found[k] += n
            k = parent[k]

    for k, n in inside.items():
        if k != -1:
            add(k, n)
    for (a, b), agg in edges.items():
        if a == -1 or b == -1:
            continue
        while depth[a] > depth[b]:
            a = parent[a]
        while depth[b] > depth[a]:
            b = parent[b]
        while a != b:
            a, b = parent[a], parent[b]
        add(a, agg["count"])
    return found


def _gathered_title(spec: _Spec, held: list[str], G: nx.DiGraph, ctx: ViewContext) -> str:
    parties = [G.nodes[n][PARTY] for n in held]
    lines = [f"{spec.label}: {len(held):,} parties"]
    customers = [n for n, p in zip(held, parties, strict=True) if p == CUSTOMER]
    if customers:
        total = math.fsum(float(G.nodes[n].get(WEIGHT) or 1.0) for n in customers)
        lines.append(f"{len(customers):,} customers, total weight {fmt_number(total)}")
    critical = sum(1 for n in held if ctx.figures[n].critical)
    if critical:
        lines.append(f"{critical:,} critical suppliers among them")
    first = ", ".join(clip(G.nodes[n].get(NAME) or n, 40) for n in held[:8])
    lines.append("heaviest first: " + first + (", …" if len(held) > 8 else ""))
    lines.append("click to open")
    return "\n".join(lines)


def _node(
    G: nx.DiGraph,
    ctx: ViewContext,
    ids: list[str],
    spec: _Spec,
    held: list[int],
    internal: int,
    largest: int,
) -> dict[str, Any]:
    """The page's node of one entry (without a position: the page lays out what is open)."""
    if spec.kind in ("party", "self"):
        n = ids[spec.party]
        node = vis_node(G, n, (0.0, 0.0), ctx, Scale(False, 1, 1), set())
        if spec.kind == "self":  # the group's own work, beside its members
            node["shape"] = "dot"
            node["label"] = node["label"] + " (itself)"
    else:
        names = [ids[p] for p in held]
        figs = [ctx.figures[n] for n in names]
        loads = [f.load for f in figs if f.load is not None]
        caps = [f.capacity for f in figs if f.capacity is not None]
        group = ctx.figures[spec.key].group if spec.kind == "group" else None
        base = G.nodes[spec.key] if spec.kind == "group" else {}
        data = {
            PARTY: DEPARTMENT,
            NAME: base.get(NAME, spec.key) if spec.kind == "group" else spec.label,
            "members": tuple(names),
            "load": math.fsum(x for x in loads if x is not None) if loads else None,
            "capacity": math.fsum(x for x in caps if x is not None) if caps else None,
            "impact_weight": group.impact_weight if group is not None else 0.0,
            "group": group,
            "critical": sum(1 for f in figs if f.critical),
            "overloaded": sum(1 for f in figs if f.overloaded),
            "internal": internal,
        }
        H = nx.DiGraph()
        H.add_node(spec.key, **data)
        looked = ctx
        if spec.key not in ctx.figures:
            looked = replace(ctx, figures=ChainMap({spec.key: PartyFigures()}, dict(ctx.figures)))
        node = vis_node(H, spec.key, (0.0, 0.0), looked, Scale(True, largest, 1), set())
        if spec.kind == "group":
            node["title"] = department_title(spec.key, data, ctx)
        else:
            node["title"] = _gathered_title(spec, names, G, ctx)
            node["shape"] = {_LEFT: "square", _RIGHT: "diamond"}.get(spec.side, "hexagon")
            node["label"] = clip(spec.label, 40) + f" ({len(names):,})"
    node.pop("x", None)
    node.pop("y", None)
    node["id"] = spec.key
    return node

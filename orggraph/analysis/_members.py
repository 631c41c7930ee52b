"""The org chart as an Euler tour, and the failure system of SPEC §7 on top of the service graph.

The members of a unit are its whole subtree of the ``parent`` tree. Numbering the units in
preorder puts every subtree in one run, so the members of ``g`` are ``preorder[tin[g] + 1 :
tin[g] + size[g]]``: no walk per unit, and no quadratic cost on a long parent chain.

The failure rules of SPEC §7 add to §3 "a group is in F once all its members are". Written as an
intersection over the whole subtree, that is one ``any_of`` per group over its *direct* children,
where a child that is itself a group stands for "it and all its members": an auxiliary node
``all(g)`` per group g, with

    all(g) fails  ⇔  every child c has: c fails, if c is no group; all(c) fails, if c is a group
    g fails       ⇐  all(g) fails

(``all(c)`` failing implies c failing, so "c and all its members" is just ``all(c)``). The
auxiliary nodes are numbered after the parties, so every analysis that walks the system (the
worklist of one failure, the bitsets of every single failure) follows these rules with no
special case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx

from orggraph._perf import raw_dicts
from orggraph.analysis._structure import Structure, strongly_connected
from orggraph.graph import PARENT, UNIT

__all__ = ["FailureSystem", "OrgTree"]


@dataclass(frozen=True, slots=True)
class OrgTree:
    """The ``parent`` tree over a :class:`Structure`'s parties (only units have a place in it).

    ``parent[v]`` is v's parent index or -1; ``preorder`` lists the units, each subtree in one
    run, children in index (id) order; ``tin[v]`` is v's position in it and ``size[v]`` the
    number of units in v's subtree including v (1 for non-units). ``depth[v]`` is 0 for a root.
    ``groups`` are the units with at least one member, in index order.
    """

    parent: list[int]
    children: list[list[int]]
    preorder: list[int]
    tin: list[int]
    size: list[int]
    depth: list[int]
    groups: list[int]

    @classmethod
    def of(cls, G: nx.DiGraph, s: Structure) -> OrgTree:
        """Read the tree (O(N)); cached on ``s``."""
        found = s._cache.get("org_tree")
        if isinstance(found, OrgTree):
            return found
        n = len(s)
        _, node_data = raw_dicts(G)
        parent = [-1] * n
        children: list[list[int]] = [[] for _ in range(n)]
        for v in range(n):
            if s.party[v] != UNIT:
                continue
            p = node_data[s.ids[v]].get(PARENT)
            if p is not None and p in s.index:
                parent[v] = s.index[p]
                children[parent[v]].append(v)  # v ascending: children come out sorted
        preorder: list[int] = []
        tin = [-1] * n
        depth = [0] * n
        for root in range(n):
            if s.party[root] != UNIT or parent[root] != -1:
                continue
            stack = [root]
            while stack:
                v = stack.pop()
                tin[v] = len(preorder)
                preorder.append(v)
                kids = children[v]
                for c in kids:
                    depth[c] = depth[v] + 1
                stack.extend(reversed(kids))
        size = [1] * n
        for v in reversed(preorder):
            p = parent[v]
            if p != -1:
                size[p] += size[v]
        groups = [v for v in range(n) if children[v]]
        tree = cls(parent, children, preorder, tin, size, depth, groups)
        s._cache["org_tree"] = tree
        return tree

    def members(self, v: int) -> list[int]:
        """v's members (its subtree without v), in preorder."""
        if self.size[v] <= 1:
            return []
        return self.preorder[self.tin[v] + 1 : self.tin[v] + self.size[v]]


@dataclass(frozen=True, slots=True)
class FailureSystem:
    """The required-dependency system failures spread over: the parties ``0..parties-1`` of a
    :class:`Structure` and one auxiliary node ``all(g)`` per group (see the module docstring).

    Per node: its required single suppliers and ``any_of`` groups. ``components`` are the
    strongly connected components of the system (membership edges included), members sorted,
    in topological order.
    """

    parties: int
    singles: Sequence[Sequence[int]]
    groups: Sequence[Sequence[tuple[int, ...]]]
    components: list[list[int]]

    @classmethod
    def of(cls, G: nx.DiGraph, s: Structure) -> FailureSystem:
        """Build the system (O(N + E)); cached on ``s``."""
        found = s._cache.get("failure_system")
        if isinstance(found, FailureSystem):
            return found
        tree = OrgTree.of(G, s)
        n = len(s)
        if not tree.groups:  # the §3 system as it is
            system = cls(n, s.singles, s.groups, s.required_components()[1])
            s._cache["failure_system"] = system
            return system
        aux = {g: n + i for i, g in enumerate(tree.groups)}
        singles: list[Sequence[int]] = list(s.singles)
        groups: list[Sequence[tuple[int, ...]]] = list(s.groups)
        for g, a in aux.items():
            singles[g] = (*singles[g], a)
        for g in tree.groups:
            alternatives = tuple(sorted(aux.get(c, c) for c in tree.children[g]))
            if len(alternatives) == 1:
                singles.append(alternatives)
                groups.append(())
            else:
                singles.append(())
                groups.append((alternatives,))
        components = _ordered(s, tree, aux)
        if components is None:  # a group is required upstream of a member: search again
            total = len(singles)
            consumers: list[list[int]] = [[] for _ in range(total)]
            for c in range(total):
                for d in singles[c]:
                    consumers[d].append(c)
                for group in groups[c]:
                    for d in group:
                        consumers[d].append(c)
            components = strongly_connected(total, consumers)[1]
        system = cls(n, singles, groups, components)
        s._cache["failure_system"] = system
        return system

    def __len__(self) -> int:
        return len(self.singles)


def _ordered(s: Structure, tree: OrgTree, aux: dict[int, int]) -> list[list[int]] | None:
    """The components of the system with membership edges, from those of the required graph
    when no membership edge closes a cycle; None when one may (then Tarjan decides).

    Most groups are pure containers, which nobody requires: they go after everything else,
    deepest first (a group needs its child groups), each right after its all() node. Every other
    group's all() goes just before the group's own component. The order is topological when
    every child comes before its group: checked here, in O(N), instead of a second Tarjan pass.
    """
    comp_of, comps = s.required_components()
    required_consumers = s.required_consumers()
    moved = sorted(
        (g for g in tree.groups if not required_consumers[g]),
        key=lambda g: (-tree.depth[g], g),
    )
    position = list(comp_of)
    end = len(comps)
    for rank, g in enumerate(moved):
        position[g] = end + rank
    for g in tree.groups:
        at = position[g]
        for c in tree.children[g]:
            if position[c] >= at:
                return None
    out: list[list[int]] = []
    staying = {comp_of[g] for g in tree.groups if required_consumers[g]}
    was_moved = set(moved)
    for k, comp in enumerate(comps):
        if k in staying:
            out.extend([aux[g]] for g in comp if g in aux)
        elif len(comp) == 1 and comp[0] in was_moved:
            continue
        out.append(comp)
    for g in moved:
        out.append([aux[g]])
        out.append([g])
    return out

"""One pass over the condensation of the required graph for SPEC §3 and §8 alike.

The critical chain and weakest link of §3 (:mod:`orggraph.analysis.chains`) and the effective
lead time, quality and recovery of §8 (:mod:`orggraph.analysis.levels`) are recurrences over the
same stages (a required cycle is one stage), read in the same topological order through the same
single suppliers and any_of groups. They differ in one rule: for §8 an any_of group that names a
``primary`` contributes the primary's lead and quality, not its best alternative's. So one loop
computes all of them: the §3 values; the recovery of every stage; and the §8 lead and quality,
which are the §3 values (and are not computed again) unless a member names a primary or a supplier
stage's §8 values already differ from its §3 values.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from orggraph._perf import raw_dicts
from orggraph.analysis._structure import Structure
from orggraph.graph import LEAD_TIME, PRIMARY, QUALITY, RECOVERY_TIME

__all__ = ["CYCLE_WALK_LIMIT", "Stages", "required_stages"]

CYCLE_WALK_LIMIT = 50
"""A critical chain's walk through one cycle longer than this many steps is shortened to the
member it enters at, the slowest member and the member it leaves from."""


@dataclass(frozen=True, slots=True)
class Stages:
    """Per stage of the required graph: the §3 lead time, critical chain and weakest link, the
    §8 effective lead time and quality (primary rule) with who sets them, and the recovery."""

    stage_of: list[int]
    members: list[list[int]]
    succ: list[list[int]]  # required dependencies, supplier -> consumers
    lead: list[float]
    previous: list[int]  # the stage the critical chain comes from, -1 at its start
    via_supplier: list[int]  # the party of ``previous`` the chain leaves it through
    via_member: list[int]  # the member of this stage that party supplies
    start: list[int]  # where a chain that begins in this stage begins: its slowest member
    quality: list[float]
    weakest: list[int]  # -1: no explicit score applies
    # SPEC §8, per stage: lead and quality with the primary rule, and who sets them (-1: none)
    level_lead: list[float]
    level_lead_by: list[int]
    level_quality: list[float]
    level_weakest: list[int]
    rec: list[float]
    rec_by: list[int]
    # search trees inside cycle stages, by the member they start from
    trees: dict[int, dict[int, int]]

    def of(self, v: int) -> tuple[float, list[int], float, int | None]:
        """Party ``v``'s §3 lead time, critical chain (supplier first), quality, weakest link."""
        k = self.stage_of[v]
        chain: list[int] = []
        t, exit_ = k, v
        while t != -1:
            chain.extend(self._through(t, exit_))
            exit_ = self.via_supplier[t]
            t = self.previous[t]
        chain.reverse()
        weakest = self.weakest[k]
        return self.lead[k], chain, self.quality[k], None if weakest < 0 else weakest

    def _through(self, k: int, exit_: int) -> list[int]:
        """The chain's way through stage ``k`` to ``exit_``, from the exit back to the entry.

        Inside a cycle the way runs from where the chain enters, through the member whose own
        lead time is the stage's, to where it leaves: shortest routes over required edges, so a
        member may appear twice (a loop such as theatres → sterile services → theatres).
        """
        if len(self.members[k]) == 1:
            return [exit_]
        slowest = self.start[k]
        entry = slowest if self.previous[k] < 0 else self.via_member[k]
        walk = self._route(slowest, exit_) + self._route(entry, slowest)[1:]
        if len(walk) > CYCLE_WALK_LIMIT:
            # a long way round a big cycle: keep where the chain enters, the slowest member and
            # where it leaves, so every customer's chain stays short however big the cycle
            short = [exit_]
            for x in (slowest, entry):
                if x != short[-1]:
                    short.append(x)
            return short
        return walk

    def _route(self, source: int, target: int) -> list[int]:
        """A shortest route from ``source`` to ``target`` inside their stage, target first."""
        tree = self.trees.get(source)
        if tree is None:
            tree = self.trees[source] = self._search(source)
        route = [target]
        while route[-1] != source:
            route.append(tree[route[-1]])
        return route

    def _search(self, source: int) -> dict[int, int]:
        """Breadth-first over the required edges of ``source``'s stage: each member's predecessor
        on a shortest route from ``source`` (neighbours in id order, so the routes are fixed)."""
        k = self.stage_of[source]
        parent = {source: source}
        queue = deque([source])
        while queue:
            u = queue.popleft()
            for w in sorted(self.succ[u]):
                if w not in parent and self.stage_of[w] == k:
                    parent[w] = u
                    queue.append(w)
        return parent


def _own(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    return None if value is None else float(value)


def _primaries(G: nx.DiGraph, s: Structure) -> list[list[int] | None]:
    """Per consumer and per required any_of group (as in ``s.groups``), its primary (-1: none);
    None for a consumer none of whose groups names one."""
    succ, _ = raw_dicts(G)
    out: list[list[int] | None] = [None] * len(s)
    for v, groups in enumerate(s.groups):
        if not groups:
            continue
        consumer = s.ids[v]
        row = [succ[s.ids[group[0]]][consumer].get(PRIMARY) for group in groups]
        if any(p is not None for p in row):
            out[v] = [-1 if p is None else s.index[p] for p in row]
    return out


def _before(a: int, b: int) -> bool:
    """Whether recovery culprit ``a`` wins a tie against ``b``: the smallest id, any culprit
    before none."""
    return a >= 0 and (b < 0 or a < b)


def required_stages(G: nx.DiGraph, s: Structure, perceived: Mapping[str, float]) -> Stages:
    """One pass over the condensation of the required graph, in topological order.

    For each stage: the §3 figures of :func:`~orggraph.analysis.service_chains` (lead over the
    fastest alternative of each group, the critical chain, quality and weakest link), the §8
    figures of :func:`~orggraph.analysis.effective_levels` (a group's primary, where named,
    instead of its best alternative) and the recovery of
    :func:`~orggraph.analysis.recovery.recovery` with every party's own recovery time counted.
    ``perceived`` replaces parties' own quality scores (both §3 and §8).
    """
    required_succ = s.required_consumers()
    stage_of, stages = s.required_components()
    m = len(stages)
    lead = [0.0] * m
    length = [0] * m  # stages on the critical chain
    culprit = [-1] * m  # the party on the critical chain with the largest own lead time
    previous = [-1] * m
    via_supplier = [-1] * m
    via_member = [-1] * m
    start = [0] * m
    quality = [1.0] * m
    weakest = [-1] * m
    rec = [0.0] * m
    rec_by = [-1] * m
    # the §8 lead and quality: the lists above themselves while no primary has made them differ
    level_lead, level_length, level_culprit = lead, length, culprit
    level_quality, level_weakest = quality, weakest
    differs: list[bool] = []  # per stage: its §8 figures are not its §3 ones
    _, node_data = raw_dicts(G)
    own_lead = [_own(node_data[v], LEAD_TIME) or 0.0 for v in s.ids]
    own_quality = [perceived[v] if v in perceived else _own(node_data[v], QUALITY) for v in s.ids]
    own_rec = [_own(node_data[v], RECOVERY_TIME) or 0.0 for v in s.ids]
    primaries = _primaries(G, s)
    if any(p is not None for p in primaries):
        level_lead, level_length, level_culprit = list(lead), list(length), list(culprit)
        level_quality, level_weakest = list(quality), list(weakest)
        differs = [False] * m
    singles, groups_of = s.singles, s.groups

    for k, members in enumerate(stages):
        # the stage's own figures: members are in id order, so strict comparisons keep the
        # smallest id among ties
        top = members[0]
        q_best, q_who = 1.0, -1
        r_best, r_who = 0.0, -1
        for v in members:
            if own_lead[v] > own_lead[top]:
                top = v
            q = own_quality[v]
            if q is not None and (q_who < 0 or q < q_best):
                q_best, q_who = q, v
            if own_rec[v] > r_best:
                r_best, r_who = own_rec[v], v
        start[k] = top

        # lead: maximize (lead, chain length, -supplier id); the first supplier always wins
        b_lead, b_length, b_supplier = -math.inf, 0, -1
        best_stage = best_member = -1
        # quality: minimize (q, no explicit score, weakest-link id)
        q_val, q_none, q_id = q_best, q_who < 0, q_who
        mixed = False  # whether the §8 figures must be worked out on their own
        for v in members:
            for d in singles[v]:
                t = stage_of[d]
                if t == k:
                    continue
                x = lead[t]
                if x > b_lead or (
                    x == b_lead
                    and (length[t] > b_length or (length[t] == b_length and d < b_supplier))
                ):
                    b_lead, b_length, b_supplier = x, length[t], d
                    best_stage, best_member = t, v
                x, w = quality[t], weakest[t]
                if x < q_val or (x == q_val and (w >= 0 if q_none else 0 <= w < q_id)):
                    q_val, q_none, q_id = x, w < 0, w
                x, w = rec[t], rec_by[t]
                if x > r_best or (x == r_best and _before(w, r_who)):
                    r_best, r_who = x, w
                if differs and differs[t]:
                    mixed = True
            groups = groups_of[v]
            if not groups:
                continue
            if differs and (
                primaries[v] is not None or any(differs[stage_of[a]] for g in groups for a in g)
            ):
                mixed = True
            for group in groups:
                if any(stage_of[a] == k for a in group):
                    continue  # met inside the stage
                # fastest alternative: minimize (lead, -chain length, id)
                fast = min(group, key=lambda a: (lead[stage_of[a]], -length[stage_of[a]], a))
                t = stage_of[fast]
                x = lead[t]
                if x > b_lead or (
                    x == b_lead
                    and (length[t] > b_length or (length[t] == b_length and fast < b_supplier))
                ):
                    b_lead, b_length, b_supplier = x, length[t], fast
                    best_stage, best_member = t, v
                # best alternative: maximize quality, then smallest id
                good = min(group, key=lambda a: (-quality[stage_of[a]], a))
                t = stage_of[good]
                x, w = quality[t], weakest[t]
                if x < q_val or (x == q_val and (w >= 0 if q_none else 0 <= w < q_id)):
                    q_val, q_none, q_id = x, w < 0, w
                # recovery: the alternative back first (ties: the smallest culprit)
                low, low_who = rec[stage_of[group[0]]], rec_by[stage_of[group[0]]]
                for a in group[1:]:
                    t = stage_of[a]
                    if rec[t] < low or (rec[t] == low and _before(rec_by[t], low_who)):
                        low, low_who = rec[t], rec_by[t]
                if low > r_best or (low == r_best and _before(low_who, r_who)):
                    r_best, r_who = low, low_who
        own = own_lead[top]
        if best_stage < 0:
            lead[k], length[k], culprit[k] = own, 1, top
        else:
            lead[k], length[k] = own + lead[best_stage], 1 + length[best_stage]
            previous[k] = best_stage
            via_supplier[k], via_member[k] = b_supplier, best_member
            by = culprit[best_stage]
            culprit[k] = by if own_lead[by] > own or (own_lead[by] == own and by < top) else top
        quality[k], weakest[k] = q_val, q_id
        rec[k], rec_by[k] = r_best, (r_who if r_best > 0 else -1)
        if not differs:
            continue
        if mixed:
            _level_stage(
                k, members, top, q_best, q_who, stage_of, singles, groups_of, primaries,
                own_lead, level_lead, level_length, level_culprit, level_quality, level_weakest,
            )  # fmt: skip
            differs[k] = (
                level_lead[k] != lead[k]
                or level_length[k] != length[k]
                or level_culprit[k] != culprit[k]
                or level_quality[k] != quality[k]
                or level_weakest[k] != weakest[k]
            )
        else:
            level_lead[k], level_length[k], level_culprit[k] = lead[k], length[k], culprit[k]
            level_quality[k], level_weakest[k] = quality[k], weakest[k]
    return Stages(
        stage_of,
        stages,
        required_succ,
        lead,
        previous,
        via_supplier,
        via_member,
        start,
        quality,
        weakest,
        level_lead,
        [c if level_lead[k] > 0 else -1 for k, c in enumerate(level_culprit)],
        level_quality,
        level_weakest,
        rec,
        rec_by,
        {},
    )


def _level_stage(
    k: int,
    members: list[int],
    top: int,
    q_best: float,
    q_who: int,
    stage_of: list[int],
    singles: tuple[tuple[int, ...], ...],
    groups_of: tuple[tuple[tuple[int, ...], ...], ...],
    primaries: list[list[int] | None],
    own_lead: list[float],
    lead: list[float],
    length: list[int],
    culprit: list[int],
    quality: list[float],
    weakest: list[int],
) -> None:
    """Stage ``k``'s §8 lead, chain length, lead culprit, quality and weakest link, where they
    may differ from its §3 ones: the recurrence of :func:`required_stages` on the §8 lists, with
    a group's primary, where named, standing for the whole group."""
    b_lead, b_length, b_supplier, best_stage = -math.inf, 0, -1, -1
    q_val, q_none, q_id = q_best, q_who < 0, q_who
    for v in members:
        for d in singles[v]:
            t = stage_of[d]
            if t == k:
                continue
            x = lead[t]
            if x > b_lead or (
                x == b_lead and (length[t] > b_length or (length[t] == b_length and d < b_supplier))
            ):
                b_lead, b_length, b_supplier, best_stage = x, length[t], d, t
            x, w = quality[t], weakest[t]
            if x < q_val or (x == q_val and (w >= 0 if q_none else 0 <= w < q_id)):
                q_val, q_none, q_id = x, w < 0, w
        named = primaries[v]
        for i, group in enumerate(groups_of[v]):
            primary = -1 if named is None else named[i]
            if primary >= 0:
                if stage_of[primary] == k:
                    continue  # met inside the stage
                fast = good = primary
            else:
                if any(stage_of[a] == k for a in group):
                    continue
                fast = min(group, key=lambda a: (lead[stage_of[a]], -length[stage_of[a]], a))
                good = min(group, key=lambda a: (-quality[stage_of[a]], a))
            t = stage_of[fast]
            x = lead[t]
            if x > b_lead or (
                x == b_lead
                and (length[t] > b_length or (length[t] == b_length and fast < b_supplier))
            ):
                b_lead, b_length, b_supplier, best_stage = x, length[t], fast, t
            t = stage_of[good]
            x, w = quality[t], weakest[t]
            if x < q_val or (x == q_val and (w >= 0 if q_none else 0 <= w < q_id)):
                q_val, q_none, q_id = x, w < 0, w
    own = own_lead[top]
    if best_stage < 0:
        lead[k], length[k], culprit[k] = own, 1, top
    else:
        lead[k], length[k] = own + lead[best_stage], 1 + length[best_stage]
        by = culprit[best_stage]
        culprit[k] = by if own_lead[by] > own or (own_lead[by] == own and by < top) else top
    quality[k], weakest[k] = q_val, q_id

"""Recovery after a disruption (SPEC §8 ``rec``, and §7 scenarios).

Recovery times are counted from the start of a disruption, so they run in parallel: a party is
back when the slowest party it needs is back. One pass over the condensation of the required
dependencies in topological order, like the lead time of :mod:`orggraph.analysis.chains`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import networkx as nx

from orggraph._perf import paused_gc, raw_dicts
from orggraph.analysis._structure import Structure
from orggraph.graph import RECOVERY_TIME

__all__ = [
    "Recovery",
    "recovery",
    "recovery_culprit",
    "recovery_hours",
]


@dataclass(frozen=True, slots=True)
class Recovery:
    """Per party: its effective recovery time ``hours`` and the ``culprit`` that sets it.

    The culprit is the party whose own (counted) recovery_time equals ``rec(p)`` and reaches p
    through the term that sets the maximum; None when ``rec(p)`` is 0.
    """

    hours: dict[str, float]
    culprit: dict[str, str | None]


@paused_gc()  # only live objects are made; the collector would rescan G
def recovery(G: nx.DiGraph, counted: Collection[str] | None = None) -> Recovery:
    """The effective recovery time of every party and the party that sets it (SPEC §8).

    ``rec(p) = max(own(p), rec(d) for required single-supplier deps d, min(rec(a) for a in
    group) for each required any_of group)``, where ``own(p)`` is p's ``recovery_time`` in hours
    (missing = 0). With ``counted`` given, only the parties in it count their own recovery time
    (SPEC §7 scenarios: the failed set X*; the others resume as soon as what they need is back);
    ids in ``counted`` that are not in ``G`` are ignored. Optional dependencies do not count. A
    cycle of required dependencies is one stage whose own time is the largest (counted) recovery
    time of its members (every member of the stage gets the stage's figure); a group with an
    alternative inside the consumer's own stage is met inside the stage and adds nothing. Where
    the required dependencies form no cycle this is the least fixpoint of the recurrence.

    The culprit of p is the party whose own recovery_time sets ``rec(p)``: among the terms that
    reach the maximum (p's stage's own time, a single supplier's rec, a group's smallest rec over
    its alternatives), the candidate culprit with the smallest id; None when ``rec(p)`` is 0.

    Cost: O(N log N + E), one pass over the condensation in topological order.

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph; not modified.
    counted : collection of str, optional
        The parties whose own recovery time counts; None (default) for every party.

    Returns
    -------
    Recovery
        ``hours`` and ``culprit``, each keyed by every party id.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "vendors": [{"id": "dc-a", "recovery_time": "8h"},
    ...                 {"id": "dc-b", "recovery_time": "2h"}],
    ...     "units": [{"id": "erp", "recovery_time": "4h",
    ...                "depends_on": [{"any_of": ["dc-a", "dc-b"]}]}],
    ...     "customers": [{"id": "shop", "depends_on": ["erp"]}]}))
    >>> r = recovery(G)
    >>> r.hours["shop"], r.culprit["shop"]
    (4.0, 'erp')
    >>> r = recovery(G, counted={"dc-a", "dc-b"})
    >>> r.hours["shop"], r.culprit["shop"]
    (2.0, 'dc-b')
    """
    s = Structure.of(G)
    hours, culprit = _recovery(G, s, counted)
    return Recovery(
        hours=dict(zip(s.ids, hours, strict=True)),
        culprit={v: None if c < 0 else s.ids[c] for v, c in zip(s.ids, culprit, strict=True)},
    )


def recovery_hours(G: nx.DiGraph, counted: Collection[str] | None = None) -> dict[str, float]:
    """``rec(p)`` in hours for every party p (see :func:`recovery`).

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a", "recovery_time": "1d"}, {"id": "b", "depends_on": ["a"]}],
    ...     "customers": [{"id": "x", "depends_on": ["b"]}]}))
    >>> recovery_hours(G)["x"], recovery_hours(G, counted={"b"})["x"]
    (24.0, 0.0)
    """
    return recovery(G, counted).hours


def recovery_culprit(
    G: nx.DiGraph, counted: Collection[str] | None = None
) -> dict[str, str | None]:
    """For every party, the party whose own recovery_time sets its ``rec`` (see :func:`recovery`).

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a", "recovery_time": "1d"}, {"id": "b", "depends_on": ["a"]}],
    ...     "customers": [{"id": "x", "depends_on": ["b"]}]}))
    >>> recovery_culprit(G)["x"], recovery_culprit(G, counted=())["x"]
    ('a', None)
    """
    return recovery(G, counted).culprit


def _recovery(
    G: nx.DiGraph, s: Structure, counted: Collection[str] | None
) -> tuple[list[float], list[int]]:
    """Per party index: rec in hours and the culprit's index (-1: none)."""
    _, node_data = raw_dicts(G)
    own = [0.0] * len(s)
    if counted is None:
        chosen: list[int] = list(range(len(s)))
    else:
        chosen = sorted(s.index[v] for v in set(counted) if v in s.index)
    for v in chosen:
        value = node_data[s.ids[v]].get(RECOVERY_TIME)
        if value is not None:
            own[v] = float(value)
    stage_of, stages = s.required_components()
    rec = [0.0] * len(stages)
    who = [-1] * len(stages)
    for k, members in enumerate(stages):  # topological order: suppliers' stages are done
        best, best_who = 0.0, -1
        for v in members:  # id order: a strict comparison keeps the smallest id among ties
            if own[v] > best:
                best, best_who = own[v], v
        for v in members:
            for d in s.singles[v]:
                t = stage_of[d]
                if t != k:
                    value = rec[t]
                    # _larger, inlined: one call per dependency otherwise
                    if value > best or (value == best and _before(who[t], best_who)):
                        best, best_who = value, who[t]
            for group in s.groups[v]:
                if any(stage_of[a] == k for a in group):
                    continue  # met inside the stage
                low, low_who = rec[stage_of[group[0]]], who[stage_of[group[0]]]
                for a in group[1:]:
                    t = stage_of[a]
                    if rec[t] < low or (rec[t] == low and _before(who[t], low_who)):
                        low, low_who = rec[t], who[t]
                best, best_who = _larger(best, best_who, low, low_who)
        rec[k], who[k] = best, (best_who if best > 0 else -1)
    return [rec[stage_of[v]] for v in range(len(s))], [who[stage_of[v]] for v in range(len(s))]


def _before(a: int, b: int) -> bool:
    """Whether culprit ``a`` wins a tie against ``b``: the smallest id, any culprit before none."""
    return a >= 0 and (b < 0 or a < b)


def _larger(best: float, best_who: int, value: float, value_who: int) -> tuple[float, int]:
    if value > best or (value == best and _before(value_who, best_who)):
        return value, value_who
    return best, best_who

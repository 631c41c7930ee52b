"""Effective service levels of every party, promises and expectations (SPEC §8).

``lead(p)`` and ``q(p)`` follow the §3 recurrences over required dependencies, except that an
any_of group with a ``primary`` contributes the primary's lead and q (normal traffic goes to it);
``rec(p)`` is the recovery recurrence of :mod:`orggraph.analysis.recovery`. Lead and quality are
one pass over the condensation of the required graph in topological order: no search per party.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx

from orggraph._perf import paused_gc, raw_dicts
from orggraph.analysis._structure import Structure
from orggraph.analysis.recovery import _recovery
from orggraph.analysis.report import (
    METRICS,
    EffectiveLevels,
    Expectation,
    Metric,
    Promise,
)
from orggraph.graph import (
    ANY_OF,
    CUSTOMER,
    EXPECTS,
    LEAD_TIME,
    PRIMARY,
    PROMISE,
    QUALITY,
    RECOVERY_TIME,
    REQUIRED,
)

__all__ = ["EPSILON", "effective_levels", "expectations", "promises"]

EPSILON = 1e-9
"""Slack when comparing a level with its target, so that 0.9 computed as 0.8999999999 still meets
0.9 (lead times and recoveries are hours; quality 0..1)."""


def _own(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    return None if value is None else float(value)


@paused_gc()  # only live objects are made; the collector would rescan G
def effective_levels(
    G: nx.DiGraph, *, perceived: Mapping[str, float] | None = None
) -> dict[str, EffectiveLevels]:
    """The effective lead time, quality and recovery time of every party, by id (SPEC §8).

    - ``lead(p) = own lead_time(p) + max(lead(d) for required single suppliers d, min(lead(a)
      for a in group) for required any_of groups)``; a group with a ``primary`` contributes the
      primary's lead. A missing lead time counts 0; a required cycle is one stage whose own lead
      time is the largest of its members'. ``lead_culprit`` is the party with the largest own
      lead time on the critical chain (ties: a stated value over a missing one, then the
      smallest id; None when ``lead(p)`` is 0). The critical chain's ties are
      broken as in :func:`~orggraph.analysis.service_chains`.
    - ``q(p) = min(own quality(p), q(d) for single suppliers d, max(q(a) for a in group))`` over
      required dependencies (a primary's q for a group that names one), a missing score counting
      1, a cycle one stage with its lowest score. ``perceived`` (supplier id → 0..1, e.g. from
      :func:`~orggraph.analysis.perceived_quality`) replaces a party's own score.
    - ``rec(p)`` and ``recovery_culprit``: :func:`~orggraph.analysis.recovery.recovery`.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "vendors": [{"id": "v", "lead_time": "1d", "recovery_time": "8h"}],
    ...     "units": [{"id": "a", "lead_time": "4h", "quality": 0.8, "depends_on": ["v"]},
    ...               {"id": "b", "lead_time": "2h", "recovery_time": "1h"}],
    ...     "customers": [{"id": "x", "depends_on": [{"any_of": ["a", "b"], "primary": "a"}]}]}))
    >>> x = effective_levels(G)["x"]
    >>> x.lead_time, x.lead_culprit, x.quality, x.weakest_link, x.recovery, x.recovery_culprit
    (28.0, 'v', 0.8, 'a', 1.0, 'b')
    """
    return _effective_levels(G, Structure.of(G), perceived or {})


def _effective_levels(
    G: nx.DiGraph, s: Structure, perceived: Mapping[str, float]
) -> dict[str, EffectiveLevels]:
    lead, lead_by, quality, weakest = _lead_and_quality(G, s, perceived)
    rec, rec_by = _recovery(G, s, None)
    ids = s.ids
    stage_of, _ = s.required_components()
    out: dict[str, EffectiveLevels] = {}
    for v, pid in enumerate(ids):
        k = stage_of[v]
        out[pid] = EffectiveLevels(
            lead_time=lead[k],
            quality=quality[k],
            recovery=rec[v],
            lead_culprit=None if lead_by[k] < 0 else ids[lead_by[k]],
            weakest_link=None if weakest[k] < 0 else ids[weakest[k]],
            recovery_culprit=None if rec_by[v] < 0 else ids[rec_by[v]],
        )
    return out


def _primaries(G: nx.DiGraph, s: Structure) -> list[list[int]]:
    """Per consumer and per required any_of group (as in ``s.groups``), its primary (-1: none)."""
    succ, _ = raw_dicts(G)
    out: list[list[int]] = []
    for v, groups in enumerate(s.groups):
        row: list[int] = []
        for group in groups:
            primary = succ[s.ids[group[0]]][s.ids[v]].get(PRIMARY)
            row.append(-1 if primary is None else s.index[primary])
        out.append(row)
    return out


def _lead_and_quality(
    G: nx.DiGraph, s: Structure, perceived: Mapping[str, float]
) -> tuple[list[float], list[int], list[float], list[int]]:
    """Per stage of the required graph: lead, its culprit, quality, its weakest link (-1: none)."""
    stage_of, stages = s.required_components()
    primaries = _primaries(G, s)
    _, node_data = raw_dicts(G)
    own_lead = [_own(node_data[v], LEAD_TIME) for v in s.ids]
    own_quality = [perceived[v] if v in perceived else _own(node_data[v], QUALITY) for v in s.ids]
    m = len(stages)
    lead = [0.0] * m
    length = [0] * m
    # lead culprit as a key to maximize: (own lead, stated, -index); index -1 = none
    culprit: list[tuple[float, bool, int]] = [(0.0, False, 1)] * m
    quality = [1.0] * m
    weakest = [-1] * m
    for k, members in enumerate(stages):
        top = max((own_lead[v] or 0.0, own_lead[v] is not None, -v) for v in members)
        q_key: tuple[float, bool, int] = (1.0, True, -1)
        for v in members:
            q = own_quality[v]
            if q is not None and (q, False, v) < q_key:
                q_key = (q, False, v)
        best: tuple[float, int, int] | None = None
        best_stage = -1
        for v in members:
            for d in s.singles[v]:
                t = stage_of[d]
                if t == k:
                    continue
                key = (lead[t], length[t], -d)
                if best is None or key > best:
                    best, best_stage = key, t
                cand = (quality[t], weakest[t] < 0, weakest[t])
                if cand < q_key:
                    q_key = cand
            for group, primary in zip(s.groups[v], primaries[v], strict=True):
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
                key = (lead[t], length[t], -fast)
                if best is None or key > best:
                    best, best_stage = key, t
                t = stage_of[good]
                cand = (quality[t], weakest[t] < 0, weakest[t])
                if cand < q_key:
                    q_key = cand
        own = top[0]
        if best_stage < 0:
            lead[k], length[k], culprit[k] = own, 1, top
        else:
            lead[k] = own + lead[best_stage]
            length[k] = 1 + length[best_stage]
            culprit[k] = max(top, culprit[best_stage])
        quality[k], weakest[k] = q_key[0], q_key[2]
    lead_by = [-c[2] if lead[k] > 0 else -1 for k, c in enumerate(culprit)]
    return lead, lead_by, quality, weakest


def promises(
    G: nx.DiGraph,
    levels: Mapping[str, EffectiveLevels],
    chains: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[Promise, ...]:
    """Every metric promised to a customer against its effective value (SPEC §8).

    Sorted by customer id, then metric (lead_time, quality, recovery). ``levels`` are
    :func:`effective_levels` of ``G``; ``chains`` (customer → critical chain) are carried along
    for the readable reports.

    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a", "lead_time": "3d"}],
    ...     "customers": [{"id": "x", "promise": {"lead_time": "2d"}, "depends_on": ["a"]}]}))
    >>> [(p.metric, p.promised, p.actual, p.met, p.culprit)
    ...  for p in promises(G, effective_levels(G))]
    [('lead_time', 48.0, 72.0, False, 'a')]
    """
    out: list[Promise] = []
    for c, data in sorted(G.nodes(data=True)):
        promised = data.get(PROMISE)
        if data.get("party") != CUSTOMER or not promised:
            continue
        level = levels[c]
        for metric in METRICS:
            target = promised.get(metric)
            if target is None:
                continue
            actual = level.value(metric)
            out.append(
                Promise(
                    customer=c,
                    metric=metric,
                    promised=float(target),
                    actual=actual,
                    met=_meets(metric, actual, float(target)),
                    culprit=level.culprit(metric),
                    chain=(chains or {}).get(c, ()),
                )
            )
    return tuple(out)


def _meets(metric: Metric, actual: float, target: float) -> bool:
    if metric == "quality":
        return actual >= target - EPSILON
    return actual <= target + EPSILON


def _group_value(
    metric: Metric,
    alternatives: list[str],
    primary: str | None,
    levels: Mapping[str, EffectiveLevels],
) -> float:
    """An any_of group's effective value: the best alternative (min lead, max q, min rec), or
    the primary's lead and q where one is named."""
    if primary is not None and metric != "recovery":
        return levels[primary].value(metric)
    values = [levels[a].value(metric) for a in alternatives]
    return max(values) if metric == "quality" else min(values)


def expectations(G: nx.DiGraph, levels: Mapping[str, EffectiveLevels]) -> tuple[Expectation, ...]:
    """The unmet expectations of internal customers (SPEC §8), sorted by consumer, supplier
    (an any_of group by its sorted ids), metric.

    Each ``expects`` of a dependency (required or optional) is compared with the supplier's
    effective value; and every *required* dependency without ``expects.recovery`` of a consumer
    that states its own ``recovery_time`` is listed, ``implied``, when the supplier's effective
    recovery is later than that recovery_time.

    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "vendors": [{"id": "v", "lead_time": "2d", "recovery_time": "1d"}],
    ...     "units": [{"id": "a", "lead_time": "4h", "depends_on": ["v"]},
    ...               {"id": "b", "recovery_time": "4h",
    ...                "depends_on": [{"supplier": "a", "expects": {"lead_time": "1d"}}]}]}))
    >>> [(e.supplier, e.metric, e.expected, e.actual, e.implied)
    ...  for e in expectations(G, effective_levels(G))]
    [('a', 'lead_time', 24.0, 52.0, False), ('a', 'recovery', 4.0, 24.0, True)]
    """
    out: list[Expectation] = []
    _, node_data = raw_dicts(G)
    pred: Mapping[Any, Mapping[Any, Mapping[str, Any]]] = getattr(G, "_pred", None) or G.pred
    for consumer in sorted(pred):
        row = pred[consumer]
        own_rec = node_data[consumer].get(RECOVERY_TIME)
        if own_rec is None and not any(data.get(EXPECTS) for data in row.values()):
            continue  # nothing expected of its suppliers
        # (supplier or group id) -> (suppliers, edge data)
        mine: dict[str, tuple[list[str], Mapping[str, Any]]] = {}
        for supplier, data in row.items():
            key = data.get(ANY_OF) or supplier
            entry = mine.get(key)
            if entry is None:
                mine[key] = ([supplier], data)
            else:
                entry[0].append(supplier)
        for suppliers, data in mine.values():
            suppliers.sort()
            grouped = data.get(ANY_OF) is not None
            name: str | tuple[str, ...] = tuple(suppliers) if grouped else suppliers[0]
            primary = data.get(PRIMARY)
            expects = data.get(EXPECTS) or {}
            for metric in METRICS:
                target = expects.get(metric)
                if target is None:
                    continue
                actual = _group_value(metric, suppliers, primary, levels)
                if not _meets(metric, actual, float(target)):
                    out.append(Expectation(consumer, name, metric, float(target), actual))
            if own_rec is not None and expects.get("recovery") is None and data.get(REQUIRED, True):
                actual = _group_value("recovery", suppliers, primary, levels)
                if not _meets("recovery", actual, float(own_rec)):
                    out.append(
                        Expectation(consumer, name, "recovery", float(own_rec), actual, True)
                    )
    out.sort(key=Expectation.sort_key)
    return tuple(out)

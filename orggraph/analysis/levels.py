"""Effective service levels of every party, promises and expectations (SPEC §8).

``lead(p)`` and ``q(p)`` follow the §3 recurrences over required dependencies, except that an
any_of group with a ``primary`` contributes the primary's lead and q (normal traffic goes to it);
``rec(p)`` is the recovery recurrence of :mod:`orggraph.analysis.recovery`. All three are computed
in the one pass over the condensation of the required graph (in topological order, no search per
party) that also gives the §3 chains: :mod:`orggraph.analysis._stages`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import networkx as nx

from orggraph._perf import paused_gc, raw_dicts
from orggraph.analysis._stages import Stages, required_stages
from orggraph.analysis._structure import Structure
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
    PRIMARY,
    PROMISE,
    RECOVERY_TIME,
    REQUIRED,
)

__all__ = ["EPSILON", "effective_levels", "expectations", "promises"]

EPSILON = 1e-9
"""Slack when comparing a level with its target, so that 0.9 computed as 0.8999999999 still meets
0.9 (lead times and recoveries are hours; quality 0..1)."""


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
    return dict(_effective_levels(G, Structure.of(G), perceived or {}))


def _effective_levels(
    G: nx.DiGraph, s: Structure, perceived: Mapping[str, float], stages: Stages | None = None
) -> LevelTable:
    """Every party's levels as a :class:`LevelTable`; ``stages`` is :func:`required_stages` of
    ``G`` with the same ``perceived`` when the caller has it already."""
    if stages is None:
        stages = required_stages(G, s, perceived)
    return LevelTable(s.ids, s.index, stages)


class LevelTable(Mapping[str, EffectiveLevels]):
    """The effective levels of every party, by id, in id order (a read-only mapping).

    The figures are kept per stage of the required graph, as :func:`required_stages` found them;
    a party's :class:`EffectiveLevels` is made when it is looked up, since a report reads a few
    hundred of the hundred thousand parties it covers.
    """

    __slots__ = ("_ids", "_index", "_stages", "_values")

    def __init__(self, ids: tuple[str, ...], index: Mapping[str, int], stages: Stages) -> None:
        self._ids = ids
        self._index = index
        self._stages = stages
        self._values: dict[Metric, list[float]] = {
            "lead_time": stages.level_lead,
            "quality": stages.level_quality,
            "recovery": stages.rec,
        }

    def __getitem__(self, party: str) -> EffectiveLevels:
        st = self._stages
        k = st.stage_of[self._index[party]]
        ids = self._ids
        lead_by, weakest, rec_by = st.level_lead_by[k], st.level_weakest[k], st.rec_by[k]
        return EffectiveLevels(
            lead_time=st.level_lead[k],
            quality=st.level_quality[k],
            recovery=st.rec[k],
            lead_culprit=None if lead_by < 0 else ids[lead_by],
            weakest_link=None if weakest < 0 else ids[weakest],
            recovery_culprit=None if rec_by < 0 else ids[rec_by],
        )

    def __contains__(self, party: object) -> bool:
        return party in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def by_party(self) -> dict[Metric, dict[str, float]]:
        """Each metric of every party, by metric and party id, without making the parties'
        :class:`EffectiveLevels`."""
        stage_of = self._stages.stage_of
        return {
            metric: dict(zip(self._ids, [values[k] for k in stage_of], strict=True))
            for metric, values in self._values.items()
        }


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
    if isinstance(levels, LevelTable):
        values = levels.by_party()
    else:
        values = {m: {p: level.value(m) for p, level in levels.items()} for m in METRICS}
    return _expectations(G, sorted(G), values)


def _expectations(
    G: nx.DiGraph, consumers: Iterable[str], values: Mapping[Metric, Mapping[str, float]]
) -> tuple[Expectation, ...]:
    """:func:`expectations` of the ``consumers`` (in the order given: id order for sorted
    output); ``values`` holds each party's effective figure by metric, then party id."""
    out: list[Expectation] = []
    _, node_data = raw_dicts(G)
    pred: Mapping[Any, Mapping[Any, Mapping[str, Any]]] = getattr(G, "_pred", None) or G.pred
    rec_of = values["recovery"]
    for consumer in consumers:
        row = pred[consumer]
        own_rec = node_data[consumer].get(RECOVERY_TIME)
        if own_rec is None and not any(data.get(EXPECTS) for data in row.values()):
            continue  # nothing expected of its suppliers
        limit = None if own_rec is None else float(own_rec)
        mine: list[Expectation] = []
        groups: dict[str, tuple[list[str], Mapping[str, Any]]] = {}  # any_of id -> alternatives
        for supplier, data in row.items():
            group = data.get(ANY_OF)
            if group is not None:
                entry = groups.get(group)
                if entry is None:
                    groups[group] = ([supplier], data)
                else:
                    entry[0].append(supplier)
                continue
            expects = data.get(EXPECTS)
            if expects:
                for metric in METRICS:
                    target = expects.get(metric)
                    if target is not None:
                        actual = values[metric][supplier]
                        if not _meets(metric, actual, float(target)):
                            mine.append(
                                Expectation(consumer, supplier, metric, float(target), actual)
                            )
            if (
                limit is not None
                and (not expects or expects.get("recovery") is None)
                and data.get(REQUIRED, True)
            ):
                actual = rec_of[supplier]
                if not actual <= limit + EPSILON:  # _meets("recovery", ...), inlined
                    mine.append(Expectation(consumer, supplier, "recovery", limit, actual, True))
        for suppliers, data in groups.values():
            suppliers.sort()
            name = tuple(suppliers)
            primary = data.get(PRIMARY)
            expects = data.get(EXPECTS) or {}
            for metric in METRICS:
                target = expects.get(metric)
                if target is None:
                    continue
                actual = _group_value(metric, suppliers, primary, values[metric])
                if not _meets(metric, actual, float(target)):
                    mine.append(Expectation(consumer, name, metric, float(target), actual))
            if own_rec is not None and expects.get("recovery") is None and data.get(REQUIRED, True):
                actual = _group_value("recovery", suppliers, primary, rec_of)
                if not _meets("recovery", actual, float(own_rec)):
                    mine.append(
                        Expectation(consumer, name, "recovery", float(own_rec), actual, True)
                    )
        if len(mine) > 1:
            mine.sort(key=Expectation.sort_key)
        out.extend(mine)
    return tuple(out)


def _group_value(
    metric: Metric,
    alternatives: list[str],
    primary: str | None,
    value: Mapping[str, float],
) -> float:
    """An any_of group's effective value: the best alternative (min lead, max q, min rec), or
    the primary's lead and q where one is named. ``value``: the metric by party id."""
    if primary is not None and metric != "recovery":
        return value[primary]
    found = [value[a] for a in alternatives]
    return max(found) if metric == "quality" else min(found)

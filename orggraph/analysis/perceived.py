"""Perceived internal service quality from a survey (SPEC §8; Hallowell, Schlesinger & Zornitsky
1996: the satisfaction an internal customer perceives with an internal supplier's service)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import networkx as nx

from orggraph._perf import raw_dicts
from orggraph.analysis.report import PerceivedQuality
from orggraph.graph import ANY_OF, EXPECTS, GROUP_VOLUME, VOLUME
from orggraph.model.survey import ResponseColumns, Survey, SurveyResponse

__all__ = ["perceived_quality", "survey_warnings"]


def perceived_quality(G: nx.DiGraph, survey: Survey) -> tuple[PerceivedQuality, ...]:
    """Per supplier rated in ``survey``, the quality its internal customers perceive, worst first.

    A consumer's score for a supplier is the mean of its responses (normalized to 0..1), or with
    dimensions the mean of its per-dimension means (rows without a dimension forming one of their
    own). ``perceived`` is the mean of the responding consumers' scores weighted by the volume of
    each consumer's dependency (an any_of group's whole volume) when every one of them states a
    positive volume, else with equal weights. ``expected`` is the same weighted mean of
    ``expects.quality`` over the responding consumers that state it (None when none does, and then
    ``gap`` is None); ``gap = perceived - expected``. Responses about a pair that is no
    dependency of ``G`` do not count (:func:`survey_warnings` lists them). Sorted by perceived,
    then id.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.model.survey import Survey, SurveyResponse
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({"units": [
    ...     {"id": "it"},
    ...     {"id": "a", "depends_on": [{"supplier": "it", "volume": 3,
    ...                                 "expects": {"quality": 0.9}}]},
    ...     {"id": "b", "depends_on": [{"supplier": "it", "volume": 1}]}]}))
    >>> survey = Survey("s.csv", (1, 5), (SurveyResponse("a", "it", 1.0, 5),
    ...                                   SurveyResponse("b", "it", 0.0, 1)))
    >>> (q,) = perceived_quality(G, survey)
    >>> q.perceived, q.weighting, q.expected, round(q.gap, 2)
    (0.75, 'volume', 0.9, -0.15)
    """
    return _perceived(G, survey)[0]


def survey_warnings(G: nx.DiGraph, survey: Survey) -> tuple[str, ...]:
    """One warning per (consumer, supplier) pair the survey rates that is no dependency of ``G``,
    located at its first response, in file order."""
    return _perceived(G, survey)[1]


def _tidy(x: float) -> float:
    """``x`` to twelve decimals: a mean of equal scores taken in another order differs in the last
    bit (0.35 against 0.3499999999999999), which would otherwise decide who sorts first and print
    digits nobody wrote. Every figure here lies in 0..1, so nothing real is lost."""
    return round(x, 12)


def _perceived(
    G: nx.DiGraph, survey: Survey
) -> tuple[tuple[PerceivedQuality, ...], tuple[str, ...]]:
    succ, _ = raw_dicts(G)
    responses = survey.responses
    if isinstance(responses, ResponseColumns):
        columns = responses
    else:
        columns = ResponseColumns(
            survey.source,
            list(range(len(responses))),
            [r.consumer for r in responses],
            [r.supplier for r in responses],
            [r.score for r in responses],
            [r.raw for r in responses],
            [r.dimension for r in responses],
            [r.date for r in responses],
            [r.comment for r in responses],
        )
    # (supplier, consumer, dimension) -> normalized scores, in file order
    cells: dict[tuple[str, str, str], list[float]] = {}
    unmodelled: dict[tuple[str, str], list[int]] = {}
    no_edges: dict[str, dict[str, Any]] = {}
    for i, (key, score) in enumerate(
        zip(
            zip(columns.supplier, columns.consumer, columns.dimension, strict=True),
            columns.score,
            strict=True,
        )
    ):
        cell = cells.get(key)
        if cell is not None:
            cell.append(score)  # a pair seen before is a dependency
        elif key[1] in succ.get(key[0], no_edges):
            cells[key] = [score]
        else:
            unmodelled.setdefault((key[1], key[0]), []).append(i)
    # supplier -> consumer -> dimension -> normalized scores
    scores: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(dict)
    rows: dict[str, int] = defaultdict(int)
    for (supplier, consumer, dimension), values in cells.items():
        scores[supplier].setdefault(consumer, {})[dimension] = values
        rows[supplier] += len(values)
    found: list[PerceivedQuality] = []
    for supplier, by_consumer in scores.items():
        consumers = sorted(by_consumer)
        edges = [succ[supplier][c] for c in consumers]
        own = [
            sum(sum(v) / len(v) for v in dims.values()) / len(dims)
            for dims in (by_consumer[c] for c in consumers)
        ]
        volumes = [_volume(e) for e in edges]
        weighting: Literal["volume", "equal"] = (
            "volume" if all(v is not None and v > 0 for v in volumes) else "equal"
        )
        weights = [float(v or 0.0) for v in volumes] if weighting == "volume" else [1.0] * len(own)
        perceived = _tidy(sum(w * x for w, x in zip(weights, own, strict=True)) / sum(weights))
        stated = [
            (w, float(e[EXPECTS]["quality"]))
            for w, e in zip(weights, edges, strict=True)
            if (e.get(EXPECTS) or {}).get("quality") is not None
        ]
        expected = (
            _tidy(sum(w * x for w, x in stated) / sum(w for w, _ in stated)) if stated else None
        )
        found.append(
            PerceivedQuality(
                id=supplier,
                perceived=perceived,
                responses=rows[supplier],
                consumers=len(consumers),
                weighting=weighting,
                expected=expected,
                gap=None if expected is None else _tidy(perceived - expected),
            )
        )
    found.sort(key=lambda q: (q.perceived, q.id))
    where_of = columns.where if isinstance(responses, ResponseColumns) else _where(responses)
    warnings = tuple(
        f"{where_of(where[0])}: {consumer} rates {supplier}, but {consumer} does not depend on "
        f"{supplier} in the organization; "
        + (
            "the response does not count"
            if len(where) == 1
            else f"its {len(where)} responses do not count"
        )
        + " (is a dependency missing from the model?)"
        for (consumer, supplier), where in unmodelled.items()
    )
    return tuple(found), warnings


def _where(responses: Sequence[SurveyResponse]) -> Callable[[int], str]:
    """Where response ``i`` of ``responses`` was read."""
    return lambda i: responses[i].where


def _volume(edge: Mapping[str, Any]) -> float | None:
    """The volume written on a dependency: an any_of group's whole volume."""
    value = edge.get(GROUP_VOLUME) if edge.get(ANY_OF) is not None else edge.get(VOLUME)
    return None if value is None else float(value)

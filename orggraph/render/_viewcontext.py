"""What one HTML page's nodes, edges and tooltips share: the scales and lookups computed once per
page from the graph and the report (kept apart so the node, edge and tooltip modules can all read
them without importing each other)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from orggraph.analysis.report import (
    Expectation,
    PerceivedQuality,
    Promise,
    Report,
    ScenarioResult,
)
from orggraph.graph import ANY_OF, CUSTOMER, PARTY, QUALITY, WEIGHT
from orggraph.graph import VOLUME as VOLUME_KEY
from orggraph.render._style import DISTINCT_HUES
from orggraph.render._views import PartyFigures, department_colour_groups, top_departments

__all__ = ["COLOUR_MODES", "ColourMode", "Scale", "ViewContext", "department_hues"]

ColourMode = Literal["impact", "quality"]
#: what the fill of a party shows: its impact weight (default) or its quality (perceived or own)
COLOUR_MODES: tuple[ColourMode, ...] = ("impact", "quality")


@dataclass(frozen=True, slots=True)
class ViewContext:
    """Scales and lookups shared by every node and edge of one page."""

    G: nx.DiGraph
    report: Report
    figures: Mapping[str, PartyFigures]
    period: str | None
    department_of: Mapping[str, str]  # top-level department of every party
    colour_group: Mapping[str, str]  # units that belong to a department with members
    hue_of: Mapping[str, float | None]  # department id -> hue (None: one of the grey others)
    max_impact: float
    max_load: float
    max_fan_in: int
    max_weight: float
    max_volume: float
    by_load: bool  # size units by load (some load is known), else by fan-in
    alternatives: Mapping[str, tuple[str, ...]]  # any_of group -> its suppliers
    colour_by: ColourMode = "impact"
    # SPEC §8 per party: a customer's promises, a supplier's perceived quality (a survey) and
    # the unmet expectations of its internal customers
    promises_of: Mapping[str, tuple[Promise, ...]] = field(default_factory=dict)
    perceived_of: Mapping[str, PerceivedQuality] = field(default_factory=dict)
    expectations_on: Mapping[str, tuple[Expectation, ...]] = field(default_factory=dict)
    # the score a party is coloured by, and where it comes from ("perceived", "own", "end to end")
    quality_of: Mapping[str, tuple[float, str]] = field(default_factory=dict)
    # a scenario drawn on the view (SPEC §7): the state of every party
    scenario: ScenarioResult | None = None
    states: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        G: nx.DiGraph,
        report: Report,
        figures: Mapping[str, PartyFigures],
        period: str | None,
        *,
        colour_by: ColourMode = "impact",
        scenario: ScenarioResult | None = None,
        states: Mapping[str, str] | None = None,
    ) -> ViewContext:
        department_of = top_departments(G)
        colour_group = department_colour_groups(G, department_of)
        hue_of = department_hues(colour_group)
        loads = [f.load for f in figures.values() if f.load is not None]
        alternatives: dict[str, list[str]] = defaultdict(list)
        volumes = [0.0]
        for u, _v, d in G.edges(data=True):
            if d.get(ANY_OF) is not None:
                alternatives[d[ANY_OF]].append(u)
            if d.get(VOLUME_KEY) is not None:
                volumes.append(float(d[VOLUME_KEY]))
        promises_of: dict[str, list[Promise]] = defaultdict(list)
        for p in report.promises:
            promises_of[p.customer].append(p)
        expectations_on: dict[str, list[Expectation]] = defaultdict(list)
        for x in report.expectations:
            for s in (x.supplier,) if isinstance(x.supplier, str) else x.supplier:
                expectations_on[s].append(x)
        perceived_of = {q.id: q for q in report.internal_service_quality}
        return cls(
            G=G,
            report=report,
            figures=figures,
            period=period,
            department_of=department_of,
            colour_group=colour_group,
            hue_of=hue_of,
            max_impact=max((c.impact_weight for c in report.critical_suppliers), default=0.0),
            max_load=max(loads, default=0.0),
            max_fan_in=max((f.fan_in for f in figures.values()), default=0),
            max_weight=max(
                (float(d.get(WEIGHT) or 1.0) for _, d in G.nodes(data=True)), default=1.0
            ),
            max_volume=max(volumes),
            by_load=any(x > 0 for x in loads),
            alternatives={g: tuple(sorted(s)) for g, s in alternatives.items()},
            colour_by=colour_by,
            promises_of={c: tuple(ps) for c, ps in promises_of.items()},
            perceived_of=perceived_of,
            expectations_on={s: tuple(xs) for s, xs in expectations_on.items()},
            quality_of=_quality_of(G, report, perceived_of) if colour_by == "quality" else {},
            scenario=scenario,
            states=states or {},
        )

    def chain_of(self, customer: str) -> tuple[str, ...]:
        fig = self.figures[customer]
        return fig.chain.critical_chain if fig.chain is not None else (customer,)

    def per_period(self) -> str:
        return f" per {self.period}" if self.period else ""


def department_hues(colour_group: Mapping[str, str]) -> dict[str, float | None]:
    """Each department's hue: a distinct one each while they fit in :data:`DISTINCT_HUES` (by
    id), else the largest departments (by units drawn in it, then id) get one each but the last,
    and the others share the neutral grey (``None``), which the legend names as "other
    departments": no two departments the legend lists apart share a colour.

    >>> department_hues({"a": "ops", "b": "ops", "c": "it"})
    {'it': 212.0, 'ops': 280.0}
    """
    size: dict[str, int] = defaultdict(int)
    for top in colour_group.values():
        size[top] += 1
    departments = sorted(size)
    if len(departments) <= len(DISTINCT_HUES):
        return {d: DISTINCT_HUES[i] for i, d in enumerate(departments)}
    largest = sorted(departments, key=lambda d: (-size[d], d))[: len(DISTINCT_HUES) - 1]
    hue = {d: DISTINCT_HUES[i] for i, d in enumerate(sorted(largest))}
    return {d: hue.get(d) for d in departments}


@dataclass(frozen=True, slots=True)
class Scale:
    """What sizes nodes and edges of the drawn view (computed once per page)."""

    collapsed: bool
    members: int  # largest department, in members
    count: int  # largest number of dependencies one aggregated edge stands for


def _quality_of(
    G: nx.DiGraph, report: Report, perceived_of: Mapping[str, PerceivedQuality]
) -> dict[str, tuple[float, str]]:
    """The score each party is coloured by: a supplier's perceived quality where a survey gives
    one, else its own ``quality``; a customer's the end-to-end quality it receives, when some
    party's score sets it."""
    found: dict[str, tuple[float, str]] = {}
    for n, data in G.nodes(data=True):
        if n in perceived_of:
            found[n] = (perceived_of[n].perceived, "perceived")
        elif data[PARTY] == CUSTOMER:
            levels = report.levels.get(n)
            if levels is not None and levels.weakest_link is not None:
                found[n] = (levels.quality, "end to end")
        elif data.get(QUALITY) is not None:
            found[n] = (float(data[QUALITY]), "own")
    return found

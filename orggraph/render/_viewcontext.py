"""What one HTML page's nodes, edges and tooltips share: the scales and lookups computed once per
page from the graph and the report (kept apart so the node, edge and tooltip modules can all read
them without importing each other)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from orggraph.analysis.report import Report
from orggraph.graph import ANY_OF, WEIGHT
from orggraph.graph import VOLUME as VOLUME_KEY
from orggraph.render._style import DEPARTMENT_HUES
from orggraph.render._views import PartyFigures, department_colour_groups, top_departments

__all__ = ["Scale", "ViewContext"]


@dataclass(frozen=True, slots=True)
class ViewContext:
    """Scales and lookups shared by every node and edge of one page."""

    G: nx.DiGraph
    report: Report
    figures: Mapping[str, PartyFigures]
    period: str | None
    department_of: Mapping[str, str]  # top-level department of every party
    colour_group: Mapping[str, str]  # units that belong to a department with members
    hue_of: Mapping[str, float]  # department id -> hue
    max_impact: float
    max_load: float
    max_fan_in: int
    max_weight: float
    max_volume: float
    by_load: bool  # size units by load (some load is known), else by fan-in
    alternatives: Mapping[str, tuple[str, ...]]  # any_of group -> its suppliers

    @classmethod
    def build(
        cls,
        G: nx.DiGraph,
        report: Report,
        figures: Mapping[str, PartyFigures],
        period: str | None,
    ) -> ViewContext:
        department_of = top_departments(G)
        colour_group = department_colour_groups(G, department_of)
        departments = sorted(set(colour_group.values()))
        hue_of = {d: DEPARTMENT_HUES[i % len(DEPARTMENT_HUES)] for i, d in enumerate(departments)}
        loads = [f.load for f in figures.values() if f.load is not None]
        alternatives: dict[str, list[str]] = defaultdict(list)
        volumes = [0.0]
        for u, _v, d in G.edges(data=True):
            if d.get(ANY_OF) is not None:
                alternatives[d[ANY_OF]].append(u)
            if d.get(VOLUME_KEY) is not None:
                volumes.append(float(d[VOLUME_KEY]))
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
        )

    def chain_of(self, customer: str) -> tuple[str, ...]:
        fig = self.figures[customer]
        return fig.chain.critical_chain if fig.chain is not None else (customer,)

    def per_period(self) -> str:
        return f" per {self.period}" if self.period else ""


@dataclass(frozen=True, slots=True)
class Scale:
    """What sizes nodes and edges of the drawn view (computed once per page)."""

    collapsed: bool
    members: int  # largest department, in members
    count: int  # largest number of dependencies one aggregated edge stands for

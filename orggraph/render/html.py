"""The interactive view: one self-contained, offline HTML page drawn by vis-network.

The page is generated here, not from pyvis's template: that template loads bootstrap from a CDN and
writes its heading and select menu unescaped. pyvis is used only as the source of the vis-network
9.1.2 bundle it ships (read from the installed package and inlined), so no request ever leaves the
page. Positions are computed in Python (a layered layout, vendors left, customers right) and physics
is off, so even a view at the size limit draws in about a second.

Everything that comes from the org file reaches the page in one of two safe ways: as HTML-escaped
text (title, legend), or inside a JSON data block whose ``<``, ``>`` and ``&`` are ``\\u``-escaped
so no string can close the ``<script>`` element. vis-network shows tooltips with ``innerText``, and
the page's own script writes details with ``textContent``: names are always text, never markup. A
Content-Security-Policy that allows no network access is the second line of defence.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import json
import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import networkx as nx

from orggraph.analysis.report import Report
from orggraph.errors import OrgError, UsageError
from orggraph.graph import ANY_OF, CUSTOMER, GROUP_VOLUME, NOTE, PARTY, REQUIRED, SERVICE, VENDOR
from orggraph.graph import VOLUME as VOLUME_KEY
from orggraph.model.durations import format_hours
from orggraph.render._style import (
    ANY_OF_EDGE,
    CHAIN,
    CRITICAL,
    CUSTOMER_HUE,
    DEPARTMENT_HUES,
    DIMMED,
    NEAR_CAPACITY,
    OPTIONAL_EDGE,
    OVERLOADED,
    REQUIRED_EDGE,
    UNIT_HUE,
    VENDOR_HUE,
    colour,
    ratio,
)
from orggraph.render._views import (
    DEPARTMENT,
    PartyFigures,
    collapse_departments,
    department_colour_groups,
    fmt_number,
    layered_layout,
    neighbourhood,
    party_figures,
    top_departments,
    unknown_party,
)

__all__ = [
    "COLLAPSE_MODES",
    "CONTENT_SECURITY_POLICY",
    "MAX_VIEW_EDGES",
    "MAX_VIEW_NODES",
    "check_full_view_size",
    "html_iframe",
    "render_html",
]

#: Above this many parties a full view is a hairball no one can read (and slow to draw): the
#: view asks for ``--focus`` or ``--collapse department`` instead.
MAX_VIEW_NODES = 2000
#: The same for dependencies: a dense graph at the node limit would still not draw quickly.
MAX_VIEW_EDGES = 10000
COLLAPSE_MODES = ("department",)
#: No network at all: inline scripts and styles only, images only from ``data:`` URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
)

_VIS_VERSION = "9.1.2"
_TEXT_LIMIT = 300  # characters of one free-text field shown in a tooltip
_LIST_LIMIT = 12  # items of a list (tags, attributes, members) shown in a tooltip

_SHAPES = {"unit": "dot", CUSTOMER: "diamond", VENDOR: "square", DEPARTMENT: "hexagon"}


def render_html(
    G: nx.DiGraph,
    report: Report,
    *,
    focus: str | None = None,
    depth: int = 1,
    chain: str | None = None,
    collapse: str | None = None,
    title: str | None = None,
) -> str:
    """The interactive view of ``G`` as one offline HTML page.

    ``focus`` keeps one party and its neighbourhood ``depth`` edges up- and downstream;
    ``chain`` highlights a customer's critical chain; ``collapse="department"`` draws one node per
    top-level department with aggregated edges (``focus`` then names a party or department whose
    department node is the centre). Raises :class:`~orggraph.errors.UsageError` for an unknown id
    or mode, and for a view above :data:`MAX_VIEW_NODES` parties or :data:`MAX_VIEW_EDGES`
    dependencies.
    """
    if collapse is not None and collapse not in COLLAPSE_MODES:
        raise UsageError(
            f"cannot collapse by '{collapse}': the only mode is "
            + ", ".join(f"'{m}'" for m in COLLAPSE_MODES)
        )
    if focus is not None and focus not in G:
        raise UsageError(unknown_party(focus, G))
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, not {depth}")
    if chain is not None:
        customers = [n for n, d in G.nodes(data=True) if d[PARTY] == CUSTOMER]
        if chain not in G:
            raise UsageError(unknown_party(chain, customers, "customer"))
        if G.nodes[chain][PARTY] != CUSTOMER:
            raise UsageError(
                f"'{chain}' is a {G.nodes[chain][PARTY]}, not a customer: "
                "a critical chain ends at a customer"
            )
    organization: Mapping[str, Any] = G.graph.get("organization") or {}
    org_name = organization.get("name")
    if focus is None and collapse is None:
        _check_size(G, f"'{org_name}'" if org_name else "the organization", "")

    figures = party_figures(G, report)
    ctx = _Context.build(G, report, figures, organization.get("period"))
    if collapse is not None:
        collapsed = collapse_departments(G, figures)
        view, group_of = collapsed.graph, collapsed.group_of
    else:
        view, group_of = G, {n: n for n in G}
    if focus is not None:
        centre = group_of[focus]
        view = view.subgraph(neighbourhood(view, centre, depth))
        _check_size(view, f"the neighbourhood of '{centre}' at depth {depth}", "a smaller depth")
    elif collapse is not None:
        _check_size(
            view,
            "the view collapsed by department",
            "--focus ID together with --collapse department (a party or a department id)",
        )

    chain_nodes: set[str] = set()
    chain_edges: set[tuple[str, str]] = set()
    if chain is not None:
        path = ctx.chain_of(chain)
        mapped = [group_of[n] for n in path]
        chain_nodes = set(mapped)
        chain_edges = {(a, b) for a, b in pairwise(mapped) if a != b}

    columns = layered_layout(view, ctx.colour_group)
    big = view.number_of_nodes() > 300
    # aim for a drawing about as wide as a screen, with room for a label between columns
    # fold tall columns so the drawing stays near a screen's shape and labels stay readable
    fold = max(12, min(40, round(math.sqrt(view.number_of_nodes()) * 1.5)))
    tallest = min(max((len(c) for c in columns.columns), default=1), fold)
    ncols = max(len(columns.columns), 1)
    ygap = 70.0 if big else 100.0
    xgap = min(max(tallest * ygap * 1.6 / ncols, 230.0), 360.0)
    if not big:  # a short, wide drawing: spread the rows so the fit does not shrink the labels
        ygap = min(max(xgap * ncols / (1.6 * tallest), ygap), 170.0)
    positions = columns.positions(xgap=xgap, ygap=ygap, max_column=fold, subgap=130.0)
    scale = _Scale(
        collapsed=collapse is not None,
        members=max((len(d.get("members", ())) for _, d in view.nodes(data=True)), default=1),
        count=max((int(c or 0) for *_, c in view.edges(data="count")), default=1),
    )
    nodes = [_node(view, n, positions[n], ctx, scale, chain_nodes) for n in sorted(view)]
    edges = [
        _edge(view, i, u, v, ctx, scale, chain_nodes, chain_edges)
        for i, (u, v) in enumerate(sorted(view.edges()))
    ]
    if focus is not None:
        centre = group_of[focus]
        for node in nodes:
            if node["id"] == centre:
                node["shadow"] = {"enabled": True, "color": "rgba(0,0,0,0.55)", "size": 18}
                node["borderWidth"] = max(node.get("borderWidth", 1), 3)

    if collapse is not None:
        described = "one node per top-level department"
    elif focus is not None:
        described = f"neighbourhood of {focus} at depth {depth}"
    else:
        described = "full view"
    if focus is not None:
        described += f": {view.number_of_nodes()} of {G.number_of_nodes()} parties"
    if chain is not None:
        described += f"; critical chain of {chain} highlighted"
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": _options(big),
        "meta": {
            "view": "collapse" if collapse is not None else "focus" if focus else "full",
            "parties": G.number_of_nodes(),
            "chain": sorted(chain_nodes),
        },
    }
    page_title = title if title is not None else (org_name or "orggraph view")
    legend = _legend(ctx, collapse is not None, chain, report)
    return _page(page_title, _summary(report, described), legend, data)


def html_iframe(html_page: str, height: int = 600) -> str:
    """The page inside an ``<iframe srcdoc=…>`` for notebooks (Jupyter, VS Code, Colab), where a
    relative-path IFrame shows blank. The frame is sandboxed: scripts run, nothing else is allowed.

    >>> html_iframe("<p>a & b</p>", height=200)[:40]
    '<iframe srcdoc="&lt;p&gt;a &amp; b&lt;/p'
    """
    if height <= 0:
        raise UsageError(f"height must be a positive number of pixels, not {height}")
    return (
        f'<iframe srcdoc="{html.escape(html_page, quote=True)}" sandbox="allow-scripts" '
        f'title="orggraph view" style="width:100%;height:{int(height)}px;border:1px solid #ddd">'
        "</iframe>"
    )


def check_full_view_size(G: nx.DiGraph) -> None:
    """Refuse (:class:`~orggraph.errors.UsageError`) a full view of ``G`` above the size limits,
    before any analysis is spent on it; a focused or collapsed view is checked when drawn."""
    _check_size(G, "the organization", "")


def _check_size(view: nx.DiGraph, what: str, instead: str) -> None:
    n, m = view.number_of_nodes(), view.number_of_edges()
    advice = f"use {instead}" if instead else "use --focus ID or --collapse department"
    if n > MAX_VIEW_NODES:
        raise UsageError(
            f"{what} has {n} parties; a full view above {MAX_VIEW_NODES} is unreadable: {advice}"
        )
    if m > MAX_VIEW_EDGES:
        raise UsageError(
            f"{what} has {m} dependencies; a view above {MAX_VIEW_EDGES} is unreadable: {advice}"
        )


@dataclass(frozen=True, slots=True)
class _Context:
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
    ) -> _Context:
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
                (float(d.get("weight") or 1.0) for _, d in G.nodes(data=True)), default=1.0
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


def _clip(text: Any, limit: int = _TEXT_LIMIT) -> str:
    s = " ".join(str(text).split())  # one line; a tooltip keeps the layout of the facts
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _listing(items: Sequence[str], limit: int = _LIST_LIMIT) -> str:
    shown = ", ".join(_clip(i, 80) for i in items[:limit])
    return shown + (f", … ({len(items) - limit} more)" if len(items) > limit else "")


def _label(data: Mapping[str, Any], n: str, limit: int = 28) -> str:
    return _clip(data.get("name") or n, limit)


@dataclass(frozen=True, slots=True)
class _Scale:
    """What sizes nodes and edges of the drawn view (computed once per page)."""

    collapsed: bool
    members: int  # largest department, in members
    count: int  # largest number of dependencies one aggregated edge stands for


def _node(
    view: nx.DiGraph,
    n: str,
    xy: tuple[float, float],
    ctx: _Context,
    scale: _Scale,
    chain_nodes: set[str],
) -> dict[str, Any]:
    data = view.nodes[n]
    party = data[PARTY]
    if scale.collapsed and party == DEPARTMENT:
        node = _department_node(n, data, ctx, scale.members)
    else:
        node = _party_node(n, data, ctx)
    node.update({"id": n, "x": round(xy[0], 1), "y": round(xy[1], 1), "shape": _SHAPES[party]})
    if chain_nodes and n not in chain_nodes:
        node["color"] = {
            "background": DIMMED,
            "border": "#d0d0d0",
            "highlight": {"background": DIMMED, "border": "#888888"},
            "hover": {"background": DIMMED, "border": "#888888"},
        }
        node["font"] = {"color": "#b0b0b0"}
    elif chain_nodes:
        node["borderWidth"] = max(node.get("borderWidth", 1), 4)
        node["color"]["border"] = CHAIN
        node["font"] = {"color": "#000000", "bold": True}
    return node


def _party_node(n: str, data: Mapping[str, Any], ctx: _Context) -> dict[str, Any]:
    fig = ctx.figures[n]
    party = data[PARTY]
    if party == CUSTOMER:
        hue = CUSTOMER_HUE
        weight = float(data.get("weight") or 1.0)
        intensity = ratio(weight, ctx.max_weight)
        size = 14 + 20 * intensity
    else:
        hue = VENDOR_HUE if party == VENDOR else UNIT_HUE
        department = ctx.colour_group.get(n)
        if department is not None:
            hue = ctx.hue_of[department]
        intensity = ratio(fig.impact_weight, ctx.max_impact)
        if ctx.by_load:
            size = 10 + 26 * ratio(fig.load, ctx.max_load) if fig.load else 10.0
        else:
            size = 10 + 26 * ratio(fig.fan_in, ctx.max_fan_in)
    background = colour(hue, intensity)
    border, width, dashes = colour(hue, 1.0), 1, False
    if fig.near_capacity:
        border, width = NEAR_CAPACITY, 3
    if fig.overloaded:
        border, width, dashes = OVERLOADED, 4, True
    if fig.critical:
        border, width = CRITICAL, 4
    node: dict[str, Any] = {
        "label": _label(data, n),
        "title": _party_title(n, data, fig, ctx),
        "size": round(size, 1),
        "color": {
            "background": background,
            "border": border,
            "highlight": {"background": background, "border": "#000000"},
            "hover": {"background": background, "border": "#000000"},
        },
        "borderWidth": width,
    }
    if dashes:
        node["shapeProperties"] = {"borderDashes": [5, 3]}
    return node


def _department_node(
    n: str, data: Mapping[str, Any], ctx: _Context, largest: int
) -> dict[str, Any]:
    members = data["members"]
    hue = ctx.hue_of.get(n, UNIT_HUE)
    intensity = ratio(data["impact_weight"], ctx.max_impact)
    background = colour(hue, intensity)
    border, width = colour(hue, 1.0), 2
    if data["overloaded"]:
        border, width = OVERLOADED, 4
    if data["critical"]:
        border, width = CRITICAL, 4
    return {
        "label": _label(data, n) + f" ({len(members)})",
        "title": _department_title(n, data, ctx),
        "size": round(16 + 26 * ratio(len(members), largest), 1),
        "color": {
            "background": background,
            "border": border,
            "highlight": {"background": background, "border": "#000000"},
            "hover": {"background": background, "border": "#000000"},
        },
        "borderWidth": width,
    }


def _party_title(n: str, data: Mapping[str, Any], fig: PartyFigures, ctx: _Context) -> str:
    party = data[PARTY]
    name = data.get("name") or n
    lines = [f"{_clip(name, 120)}  ({n})" if name != n else n]
    facts = [party]
    if data.get("kind"):
        facts.append(str(data["kind"]))
    department = ctx.department_of.get(n, n)
    if department != n:
        dept_name = ctx.G.nodes[department].get("name") or department
        shown = department if dept_name == department else f"{_clip(dept_name, 60)} ({department})"
        facts.append(f"department: {shown}")
    if data.get("parent") and data["parent"] != department:
        facts.append(f"parent: {data['parent']}")
    if party == CUSTOMER:
        facts.append(f"weight {fmt_number(float(data.get('weight') or 1.0))}")
    lines.append(" · ".join(facts))
    if data.get("owner"):
        lines.append(f"owner: {_clip(data['owner'], 120)}")
    if data.get("description"):
        lines.append(_clip(data["description"]))
    if data.get("tags"):
        lines.append("tags: " + _listing([str(t) for t in data["tags"]]))
    attributes = data.get("attributes") or {}
    for key in sorted(attributes)[:_LIST_LIMIT]:
        value = attributes[key]
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{_clip(key, 60)}: {_clip(shown, 160)}")
    if len(attributes) > _LIST_LIMIT:
        lines.append(f"… {len(attributes) - _LIST_LIMIT} more attributes")

    own = []
    if data.get("lead_time") is not None:
        own.append(f"own lead time {format_hours(float(data['lead_time']))}")
    if data.get("quality") is not None:
        own.append(f"quality {fmt_number(float(data['quality']))}")
    figures: list[str] = []
    if fig.critical:
        figures.append(
            f"critical supplier #{fig.critical_rank}: impact weight {fmt_number(fig.impact_weight)}"
            f" ({fig.impacted_customers} customer{'s' if fig.impacted_customers != 1 else ''},"
            f" {fig.impacted_units} unit{'s' if fig.impacted_units != 1 else ''} lose service)"
        )
    elif party != CUSTOMER:
        figures.append("impact weight 0 (no customer loses service if it fails alone)")
    if fig.load is not None or fig.capacity is not None:
        load = fmt_number(fig.load) if fig.load is not None else "unknown"
        capacity = fmt_number(fig.capacity) if fig.capacity is not None else "unknown"
        text = f"load {load} / capacity {capacity}{ctx.per_period()}"
        if fig.utilization is not None:
            text += f" · utilization {fig.utilization:.0%}"
            if fig.overloaded:
                text += " (overloaded)"
            elif fig.near_capacity:
                text += f" (at or above the {ctx.report.threshold:.0%} threshold)"
        figures.append(text)
    for reason in fig.bottleneck_reasons:
        figures.append(f"bottleneck: {reason}")
    if party != CUSTOMER:
        structural = [f"fan-in {fig.fan_in}"]
        if fig.betweenness is not None:
            structural.insert(0, f"betweenness {fig.betweenness:.3f}")
        figures.append(" · ".join(structural))
    if own:
        figures.append(" · ".join(own))
    if fig.line_of_sight is not None:
        figures.append(
            f"line of sight: {fig.line_of_sight} edge{'s' if fig.line_of_sight != 1 else ''}"
            " to the nearest customer"
        )
    elif fig.disconnected:
        figures.append("disconnected: no path to any customer")
    if fig.chain is not None:
        c = fig.chain
        figures.append(
            f"{c.upstream_units} units and {c.upstream_vendors} vendors upstream · depth {c.depth}"
        )
        figures.append("critical chain: " + " → ".join(c.critical_chain))
        weakest = f" (weakest link: {c.weakest_link})" if c.weakest_link else ""
        figures.append(
            f"end-to-end lead time {format_hours(c.lead_time_hours)} · "
            f"quality {fmt_number(c.quality)}{weakest}"
        )
    return "\n".join([*lines, "", *figures]).rstrip()


def _department_title(n: str, data: Mapping[str, Any], ctx: _Context) -> str:
    members = list(data["members"])
    name = data.get("name") or n
    lines = [
        f"{_clip(name, 120)}  ({n})" if name != n else n,
        f"department with {len(members)} units",
    ]
    if data["critical"]:
        lines.append(f"{data['critical']} critical supplier(s) inside")
    if data["overloaded"]:
        lines.append(f"{data['overloaded']} overloaded unit(s) inside")
    if data["impact_weight"]:
        lines.append(f"largest impact weight {fmt_number(data['impact_weight'])}")
    if data["load"] is not None or data["capacity"] is not None:
        load = fmt_number(data["load"]) if data["load"] is not None else "unknown"
        capacity = fmt_number(data["capacity"]) if data["capacity"] is not None else "unknown"
        lines.append(f"load {load} / capacity {capacity}{ctx.per_period()} (summed)")
    lines.append(f"{data['internal']} dependencies inside the department")
    lines.append("members: " + _listing(members, 20))
    return "\n".join(lines)


def _edge(
    view: nx.DiGraph,
    i: int,
    u: str,
    v: str,
    ctx: _Context,
    scale: _Scale,
    chain_nodes: set[str],
    chain_edges: set[tuple[str, str]],
) -> dict[str, Any]:
    data = view.edges[u, v]
    if scale.collapsed:
        required = data["required"] > 0
        any_of = data["any_of"] > 0 and data["any_of"] == data["count"]
        volume = data["volume"]
        title = _aggregate_title(u, v, data, ctx)
    else:
        required = bool(data.get(REQUIRED, True))
        any_of = data.get(ANY_OF) is not None
        volume = data.get(VOLUME_KEY)
        title = _dependency_title(u, v, data, ctx)
    stroke = ANY_OF_EDGE if any_of else REQUIRED_EDGE if required else OPTIONAL_EDGE
    dashes: bool | list[int] = False
    if any_of:
        dashes = [2, 5]
    elif not required:
        dashes = [8, 6]
    if scale.collapsed and volume is None:
        width = 1.0 + 5.0 * ratio(data["count"], scale.count)
    else:
        width = 1.0 + 7.0 * ratio(volume, ctx.max_volume)
    if chain_edges and (u, v) in chain_edges:
        stroke, width = CHAIN, width + 3
    elif chain_nodes:
        stroke = DIMMED
    return {
        "id": f"e{i}",
        "from": u,
        "to": v,
        "title": title,
        "width": round(width, 2),
        "dashes": dashes,
        "color": {"color": stroke, "highlight": "#000000", "hover": "#000000"},
    }


def _dependency_title(u: str, v: str, data: Mapping[str, Any], ctx: _Context) -> str:
    lines = [f"{u} → {v}  (supplier → consumer)"]
    if data.get(SERVICE):
        lines.append(f"service: {_clip(data[SERVICE], 160)}")
    if data.get(REQUIRED, True):
        lines.append(
            "required: its failure stops the consumer"
            + (" unless an alternative serves" if data.get(ANY_OF) else "")
        )
    else:
        lines.append("optional: nice to have, never blocks")
    group = data.get(ANY_OF)
    if group is not None:
        others = [s for s in ctx.alternatives.get(group, ()) if s != u]
        lines.append("any of: alternatives " + _listing([u, *others]))
        if data.get(GROUP_VOLUME) is not None:
            lines.append(
                f"group volume {fmt_number(float(data[GROUP_VOLUME]))}{ctx.per_period()},"
                " split evenly across the alternatives"
            )
    if data.get(VOLUME_KEY) is not None:
        lines.append(f"volume {fmt_number(float(data[VOLUME_KEY]))}{ctx.per_period()}")
    if data.get(NOTE):
        lines.append(f"note: {_clip(data[NOTE])}")
    return "\n".join(lines)


def _aggregate_title(u: str, v: str, data: Mapping[str, Any], ctx: _Context) -> str:
    count = data["count"]
    parts = [f"{data['required']} required", f"{data['optional']} optional"]
    if data["any_of"]:
        parts.append(f"{data['any_of']} any_of alternatives")
    lines = [
        f"{u} → {v}",
        f"{count} dependenc{'ies' if count != 1 else 'y'} ({', '.join(parts)})",
    ]
    if data["volume"] is not None:
        lines.append(f"volume {fmt_number(data['volume'])}{ctx.per_period()} (summed)")
    if data["services"]:
        lines.append("services: " + _listing(data["services"], 8))
    return "\n".join(lines)


def _options(big: bool) -> dict[str, Any]:
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "multiselect": True,
        },
        "nodes": {"font": {"size": 16, "face": "sans-serif", "color": "#212121"}},
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"inherit": False},
            "selectionWidth": 2,
        },
    }


def _summary(report: Report, described: str) -> str:
    s = report.summary
    return (
        f"{s.units} units · {s.customers} customers · {s.vendors} vendors · "
        f"{s.dependencies} dependencies · {len(report.critical_suppliers)} critical suppliers"
        f" · {described}"
    )


def _swatch(fill: str, shape: str = "dot", border: str | None = None, dashed: bool = False) -> str:
    radius = {"dot": "50%", "square": "2px", "diamond": "2px", "hexagon": "30%"}[shape]
    turn = "transform:rotate(45deg) scale(.8);" if shape == "diamond" else ""
    edge = f"border:3px {'dashed' if dashed else 'solid'} {border};" if border else ""
    return f'<span class="sw" style="background:{fill};border-radius:{radius};{turn}{edge}"></span>'


def _line(stroke: str, style: str, width: int = 3) -> str:
    return f'<span class="ln" style="border-top:{width}px {style} {stroke}"></span>'


def _legend(ctx: _Context, collapsed: bool, chain: str | None, report: Report) -> str:
    e = html.escape
    per = e(ctx.per_period())
    rows = [
        (_swatch(colour(UNIT_HUE, 0.5)), "unit"),
        (_swatch(colour(CUSTOMER_HUE, 0.5), "diamond"), "customer (deeper: more weight)"),
        (_swatch(colour(VENDOR_HUE, 0.5), "square"), "vendor"),
    ]
    if collapsed:
        rows.append((_swatch(colour(UNIT_HUE, 0.5), "hexagon"), "department (members)"))
    rows += [
        (
            _swatch(colour(UNIT_HUE, 0.0)) + _swatch(colour(UNIT_HUE, 1.0)),
            "deeper colour: higher impact weight",
        ),
        (_swatch("#ffffff", border=CRITICAL), "critical supplier (single point of failure)"),
        (_swatch("#ffffff", border=OVERLOADED, dashed=True), "overloaded (utilization > 100%)"),
        (
            _swatch("#ffffff", border=NEAR_CAPACITY),
            f"near capacity (utilization ≥ {report.threshold:.0%})",
        ),
        (
            "",
            "size: "
            + (f"load{per}" if ctx.by_load else "fan-in (direct consumers)")
            + "; customers by weight",
        ),
        (_line(REQUIRED_EDGE, "solid"), "required dependency (arrow: supplier → consumer)"),
        (_line(OPTIONAL_EDGE, "dashed"), "optional: never blocks"),
        (_line(ANY_OF_EDGE, "dotted"), "any_of alternative: one is enough"),
        ("", f"edge width: volume{per}"),
    ]
    if chain is not None:
        rows.append((_line(CHAIN, "solid", 5), f"critical chain of {e(chain)}"))
    items = "".join(f"<li>{icon}<span>{text}</span></li>" for icon, text in rows)
    departments = sorted(ctx.hue_of)
    dept_html = ""
    if departments:
        shown = departments[:_LIST_LIMIT]
        names = "".join(
            f"<li>{_swatch(colour(ctx.hue_of[d], 0.35))}"
            f"<span>{e(_clip(ctx.G.nodes[d].get('name') or d, 40))}</span></li>"
            for d in shown
        )
        more = (
            f"<li><span>… {len(departments) - len(shown)} more</span></li>"
            if len(departments) > len(shown)
            else ""
        )
        dept_html = f"<h3>Departments</h3><ul>{names}{more}</ul>"
    note = ""
    if report.betweenness_info.method == "sampled":
        note = (
            f"<p>betweenness estimated from {report.betweenness_info.k} sampled parties"
            f" (seed {report.betweenness_info.seed})</p>"
        )
    return f"<ul>{items}</ul>{dept_html}{note}"


_PAGE_CSS = """
html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;
  color:#212121;background:#fff}
body{display:flex;flex-direction:column}
header{padding:8px 14px;border-bottom:1px solid #e0e0e0;display:flex;flex-wrap:wrap;
  align-items:baseline;gap:4px 16px}
header h1{font-size:18px;margin:0}
header p{margin:0;color:#555}
header form{margin-left:auto}
header input{font:inherit;padding:2px 6px;width:16em}
main{flex:1;display:flex;min-height:300px}
#orggraph-stage{flex:1;position:relative;min-width:0}
#orggraph-view{position:absolute;inset:0}
#orggraph-legend{flex:none;width:250px;overflow:auto;border-left:1px solid #e0e0e0;
  padding:0 10px 8px;font-size:12px;background:#fafafa}
#orggraph-legend:not([open]){width:auto}
#orggraph-legend summary{cursor:pointer;padding:8px 0 4px;font-weight:600}
#orggraph-legend h3{font-size:12px;margin:10px 0 4px}
#orggraph-legend ul{list-style:none;margin:0;padding:0}
#orggraph-legend li{display:flex;align-items:center;gap:6px;margin:3px 0}
#orggraph-legend p{color:#555}
.sw{display:inline-block;flex:none;width:12px;height:12px;box-sizing:border-box}
.ln{display:inline-block;flex:none;width:26px;height:0}
#orggraph-details{position:absolute;left:8px;bottom:8px;max-width:min(560px,80%);max-height:45%;
  overflow:auto;white-space:pre-wrap;background:rgba(255,255,255,.96);border:1px solid #ccc;
  border-radius:6px;padding:8px 10px;font-size:12px}
#orggraph-details[hidden]{display:none}
div.vis-network{outline:none}
.vis-tooltip{position:absolute;visibility:hidden;max-width:480px;white-space:pre-wrap;
  background:#fffff4;border:1px solid #999;border-radius:4px;box-shadow:2px 2px 8px rgba(0,0,0,.2);
  padding:6px 8px;font:12px/1.4 system-ui,sans-serif;color:#000;pointer-events:none;z-index:5}
"""

_PAGE_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("orggraph-data").textContent);
  window.orggraphData = data;
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("orggraph-view");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.orggraphNetwork = network;
  network.once("afterDrawing", function () {
    // vis-network's own first fit leaves labels at the edges cut off: fit to the drawn page
    network.fit({animation: false});
    network.moveTo({scale: network.getScale() * 0.93});
    window.orggraphReady = true;
    document.body.setAttribute("data-ready", "true");
  });
  var details = document.getElementById("orggraph-details");
  function show(text) {
    details.textContent = text || "";
    details.hidden = !text;
  }
  network.on("click", function (p) {
    if (p.nodes.length) { show(nodes.get(p.nodes[0]).title); }
    else if (p.edges.length) { show(edges.get(p.edges[0]).title); }
    else { show(""); }
  });
  document.getElementById("orggraph-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = document.getElementById("orggraph-query").value.trim().toLowerCase();
    if (!q) { return; }
    var all = nodes.get();
    var hit = all.filter(function (n) {
      return String(n.id).toLowerCase() === q || String(n.label).toLowerCase() === q;
    })[0] || all.filter(function (n) {
      return (String(n.id) + " " + String(n.label)).toLowerCase().indexOf(q) >= 0;
    })[0];
    if (hit) {
      network.selectNodes([hit.id]);
      network.focus(hit.id, {scale: 1.2});
      show(hit.title);
    } else {
      show("no party matches \\u201c" + q + "\\u201d");
    }
  });
})();
"""


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives as such,
    so no string can close the element or open a comment, and line separators are escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.cache
def _vis_network_js() -> str:
    """vis-network as shipped inside the installed pyvis package (read, never imported)."""
    spec = importlib.util.find_spec("pyvis")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for base in locations:
        for lib in ("templates/lib", "lib"):
            path = Path(base) / lib / f"vis-{_VIS_VERSION}" / "vis-network.min.js"
            if path.is_file():
                js = path.read_text(encoding="utf-8")
                # the page has no source map next to it; and nothing may end the script early
                js = re.sub(r"//# sourceMappingURL=\S*", "", js)
                js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
                return js.replace("<!--", "<\\!--")
    raise OrgError(
        f"the interactive view needs vis-network {_VIS_VERSION} as bundled by pyvis 0.3.2, "
        "and it was not found: reinstall with 'pip install pyvis==0.3.2'"
    )


def _page(title: str, summary: str, legend: str, data: Mapping[str, Any]) -> str:
    e = html.escape
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{e(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="orggraph">
<title>{e(title)}</title>
<link rel="icon" href="data:,">
<style>{_PAGE_CSS}</style>
</head>
<body>
<header>
<h1>{e(title)}</h1>
<p>{e(summary)}</p>
<form id="orggraph-search" role="search"><input id="orggraph-query" type="search"
 placeholder="find a party by id or name" aria-label="find a party"></form>
</header>
<main>
<div id="orggraph-stage">
<div id="orggraph-view" role="img" aria-label="dependency graph"></div>
<div id="orggraph-details" hidden></div>
<noscript><p>This view needs JavaScript (it runs offline: nothing is downloaded).</p></noscript>
</div>
<details id="orggraph-legend" open><summary>Legend</summary>{legend}</details>
</main>
<script type="application/json" id="orggraph-data">{_json_for_script(data)}</script>
<script>{_vis_network_js()}</script>
<script>{_PAGE_JS}</script>
</body>
</html>
"""

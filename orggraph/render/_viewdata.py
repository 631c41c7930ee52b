"""The drawn view's data: one vis-network node per party (or department), one edge per dependency
(or aggregated dependencies), the drawing options and the legend that explains the encoding.

Colour, size, border and dash carry the analysis (impact weight, load, critical, overloaded, near
capacity); the legend is built next to them so a change to one is seen with the other. Everything
returned is plain data or escaped HTML: names reach the page only as text.

A view of more than :data:`LARGE_VIEW` parties hides its links while zooming and dragging, and
draws every link solid: a software-rasterized canvas spends most of a redraw on dashed lines, so
there optional and ``any_of`` links are told apart by colour alone (the legend says so).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import networkx as nx

from orggraph.analysis.report import Report
from orggraph.graph import ANY_OF, CUSTOMER, NAME, PARTY, REQUIRED, UNIT, VENDOR, WEIGHT
from orggraph.graph import VOLUME as VOLUME_KEY
from orggraph.model.figures import format_percent
from orggraph.render._style import (
    ANY_OF_EDGE,
    CHAIN,
    CRITICAL,
    CUSTOMER_HUE,
    DIMMED,
    NEAR_CAPACITY,
    NO_SCORE,
    OPTIONAL_EDGE,
    OPTIONAL_EDGE_SOLID,
    OVERLOADED,
    REQUIRED_EDGE,
    SCENARIO,
    UNIT_HUE,
    VENDOR_HUE,
    colour,
    quality_colour,
    ratio,
)
from orggraph.render._tooltips import (
    aggregate_title,
    clip,
    department_title,
    dependency_title,
    party_title,
)
from orggraph.render._viewcontext import Scale, ViewContext
from orggraph.render._views import DEPARTMENT

__all__ = ["LARGE_VIEW", "legend_html", "vis_edge", "vis_node", "vis_options"]

#: Above this many drawn parties a view hides its links while zooming and dragging and draws
#: every link solid (see the module's docstring and docs/performance.md).
LARGE_VIEW = 300

_SHAPES = {"unit": "dot", CUSTOMER: "diamond", VENDOR: "square", DEPARTMENT: "hexagon"}


def _label(data: Mapping[str, Any], n: str, limit: int = 28) -> str:
    return clip(data.get(NAME) or n, limit)


def vis_node(
    view: nx.DiGraph,
    n: str,
    xy: tuple[float, float],
    ctx: ViewContext,
    scale: Scale,
    chain_nodes: set[str],
) -> dict[str, Any]:
    """The vis-network node of party (or department) ``n`` at ``xy``: colour by impact weight,
    size by load or fan-in, border for critical / overloaded / near capacity; when a chain is
    marked, the parties off ``chain_nodes`` are greyed."""
    data = view.nodes[n]
    party = data[PARTY]
    if scale.collapsed and party == DEPARTMENT:
        node = _department_node(n, data, ctx, scale.members)
    else:
        node = _party_node(n, data, ctx)
    # a group (a unit with members) is a hexagon, as a department is in the collapsed view
    shape = _SHAPES[DEPARTMENT] if ctx.figures[n].group is not None else _SHAPES[party]
    node.update({"id": n, "x": round(xy[0], 1), "y": round(xy[1], 1), "shape": shape})
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
        node["borderWidthSelected"] = node["borderWidth"] + 2
        node["color"]["border"] = CHAIN
        node["color"]["highlight"]["border"] = CHAIN
        node["font"] = {"color": "#000000", "bold": True}
    return node


def _party_node(n: str, data: Mapping[str, Any], ctx: ViewContext) -> dict[str, Any]:
    fig = ctx.figures[n]
    party = data[PARTY]
    hue: float | None
    if party == CUSTOMER:
        hue = CUSTOMER_HUE
        weight = float(data.get(WEIGHT) or 1.0)
        intensity = ratio(weight, ctx.max_weight)
        size = 14 + 20 * intensity
    else:
        hue = VENDOR_HUE if party == VENDOR else UNIT_HUE
        department = ctx.colour_group.get(n)
        if department is not None:
            hue = ctx.hue_of[department]
        elif party == UNIT and ctx.hue_of:
            hue = None  # beside departments' hues a unit of none is grey, as the legend says
        # a group never fails alone: its colour is its failure with all its members
        impact = fig.group.impact_weight if fig.group is not None else fig.impact_weight
        intensity = ratio(impact, ctx.max_impact)
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
    if ctx.colour_by == "quality":
        score = ctx.quality_of.get(n)
        background = quality_colour(score[0]) if score is not None else NO_SCORE
    if ctx.scenario is not None:
        background, border, width, dashes = _scenario_look(ctx.states.get(n, "untouched"))
    alarm = border != colour(hue, 1.0)
    node: dict[str, Any] = {
        "label": _label(data, n),
        "title": party_title(n, data, fig, ctx),
        "size": round(size, 1),
        **_ring(background, border, width, alarm),
    }
    if dashes:
        node["shapeProperties"] = {"borderDashes": [5, 3]}
    return node


def _department_node(
    n: str, data: Mapping[str, Any], ctx: ViewContext, largest: int
) -> dict[str, Any]:
    members = data["members"]
    hue = ctx.hue_of.get(n)
    intensity = ratio(data["impact_weight"], ctx.max_impact)
    background = colour(hue, intensity)
    # the borders of the legend, as on a party: an overloaded department's is dashed too
    border, width, dashes = colour(hue, 1.0), 2, False
    if data["overloaded"]:
        border, width, dashes = OVERLOADED, 4, True
    if data["critical"]:
        border, width = CRITICAL, 4
    if ctx.colour_by == "quality":
        # a department is as good as its weakest scored member
        scores = [ctx.quality_of[m][0] for m in members if m in ctx.quality_of]
        background = quality_colour(min(scores)) if scores else NO_SCORE
    if ctx.scenario is not None:
        background, border, width, dashes = _scenario_look(_department_state(members, ctx))
    alarm = border != colour(hue, 1.0)
    node: dict[str, Any] = {
        "label": _label(data, n) + f" ({len(members)})",
        "title": department_title(n, data, ctx),
        "size": round(16 + 26 * ratio(len(members), largest), 1),
        **_ring(background, border, width, alarm),
    }
    if dashes:
        node["shapeProperties"] = {"borderDashes": [5, 3]}
    return node


def _ring(background: str, border: str, width: int, alarm: bool) -> dict[str, Any]:
    """A node's colours and border: selected or hovered, a ring that means something (critical,
    overloaded, near capacity, a scenario's state) keeps its colour and grows wider; a plain one
    turns black."""
    marked = border if alarm else "#000000"
    return {
        "color": {
            "background": background,
            "border": border,
            "highlight": {"background": background, "border": marked},
            "hover": {"background": background, "border": marked},
        },
        "borderWidth": width,
        "borderWidthSelected": width + 2,
    }


# the border width of each scenario state: the worse the state, the heavier the border
_STATE_WIDTH = {"failed": 4, "impacted": 3, "degraded": 2, "untouched": 1}


def _scenario_look(state: str) -> tuple[str, str, int, bool]:
    """Background, border, border width and dashes of a party in a scenario's ``state``."""
    background, border = SCENARIO[state]
    return background, border, _STATE_WIDTH[state], False


def _department_state(members: tuple[str, ...], ctx: ViewContext) -> str:
    """A collapsed department in a scenario: failed when all its members fail, else the worst
    state among them (impacted when any member fails or loses service)."""
    states = [ctx.states.get(m, "untouched") for m in members]
    if states and all(x == "failed" for x in states):
        return "failed"
    if "failed" in states or "impacted" in states:
        return "impacted"
    return "degraded" if "degraded" in states else "untouched"


def vis_edge(
    view: nx.DiGraph,
    i: int,
    u: str,
    v: str,
    ctx: ViewContext,
    scale: Scale,
    chain_nodes: set[str],
    chain_edges: set[tuple[str, str]],
    *,
    solid: bool = False,
) -> dict[str, Any]:
    """The vis-network edge ``e{i}`` from supplier ``u`` to consumer ``v``: dashed when optional,
    dotted for an any_of alternative, width by volume (by count for an aggregate without one).
    ``solid`` (a large view): no dashes, an optional link in a paler colour instead."""
    data = view.edges[u, v]
    if scale.collapsed:
        required = data["required"] > 0
        any_of = data["any_of"] > 0 and data["any_of"] == data["count"]
        volume = data["volume"]
        title = aggregate_title(u, v, data, ctx)
    else:
        required = bool(data.get(REQUIRED, True))
        any_of = data.get(ANY_OF) is not None
        volume = data.get(VOLUME_KEY)
        title = dependency_title(u, v, data, ctx)
    optional = OPTIONAL_EDGE_SOLID if solid else OPTIONAL_EDGE
    stroke = ANY_OF_EDGE if any_of else REQUIRED_EDGE if required else optional
    dashes: bool | list[int] = False
    if any_of and not solid:
        dashes = [2, 5]
    elif not required and not solid:
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
        "optional": not required,
        "color": {"color": stroke, "highlight": "#000000", "hover": "#000000"},
    }


def vis_options(big: bool) -> dict[str, Any]:
    """vis-network's options: positions are ours, so no physics; a ``big`` view hides edges while
    dragging and zooming to stay responsive."""
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
        # the page draws the labels itself (assets/labels.js), readable at any zoom and never
        # over a node: vis-network's own would shrink with the drawing and overlap
        "nodes": {
            "font": {"size": 16, "face": "sans-serif", "color": "#212121"},
            "scaling": {"label": {"drawThreshold": 1000000}},
        },
        "edges": {
            "smooth": False,
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "color": {"inherit": False},
            "selectionWidth": 2,
        },
    }


def _swatch(fill: str, shape: str = "dot", border: str | None = None, dashed: bool = False) -> str:
    radius = {"dot": "50%", "square": "2px", "diamond": "2px", "hexagon": "30%"}[shape]
    turn = "transform:rotate(45deg) scale(.8);" if shape == "diamond" else ""
    edge = f"border:3px {'dashed' if dashed else 'solid'} {border};" if border else ""
    return f'<span class="sw" style="background:{fill};border-radius:{radius};{turn}{edge}"></span>'


def _line(stroke: str, style: str, width: int = 3) -> str:
    return f'<span class="ln" style="border-top:{width}px {style} {stroke}"></span>'


def _fill_row(ctx: ViewContext) -> tuple[str, str]:
    if ctx.colour_by == "quality":
        return (
            "".join(_swatch(quality_colour(q)) for q in (0.0, 0.25, 0.5, 0.75, 1.0)),
            "fill: quality, red 0 → green 1",
        )
    return (
        _swatch(colour(UNIT_HUE, 0.0)) + _swatch(colour(UNIT_HUE, 1.0)),
        "deeper colour: higher impact weight",
    )


def _quality_rows(report: Report) -> list[tuple[str, str]]:
    source = (
        f"perceived by internal customers (survey {clip(report.survey, 60)}), else its own quality"
        if report.survey
        else "its own quality (no survey: --survey FILE adds perceived quality)"
    )
    return [
        ("", "unit and vendor: " + html.escape(source)),
        ("", "customer: the end-to-end quality it receives"),
        (_swatch(NO_SCORE), "no score"),
    ]


def _scenario_rows(scenario: str, collapsed: bool) -> list[tuple[str, str]]:
    e = html.escape
    rows = [
        (
            _swatch(SCENARIO["failed"][0], border=SCENARIO["failed"][1]),
            f"fails in scenario {e(scenario)} (named, matched, or a member of one)",
        ),
        (
            _swatch(SCENARIO["impacted"][0], border=SCENARIO["impacted"][1]),
            "loses service",
        ),
        (
            _swatch(SCENARIO["degraded"][0], border=SCENARIO["degraded"][1]),
            "runs degraded (a nice-to-have lost, or a supplier runs degraded)",
        ),
        (_swatch(SCENARIO["untouched"][0], border=SCENARIO["untouched"][1]), "untouched"),
    ]
    if collapsed:
        rows.append(("", "department: failed when all its members fail, else its worst member"))
    return rows


def _departments_html(ctx: ViewContext) -> str:
    """The departments with a hue of their own, by name, then one grey row for the others (and
    the units without a department): every colour the legend lists is a different one."""
    if not ctx.hue_of:
        return ""
    e = html.escape

    def name(d: str) -> str:
        return clip(ctx.G.nodes[d].get(NAME) or d, 40)

    coloured = sorted(
        (d for d, h in ctx.hue_of.items() if h is not None), key=lambda d: (name(d), d)
    )
    others = sum(1 for h in ctx.hue_of.values() if h is None)
    rows = "".join(
        f"<li>{_swatch(colour(ctx.hue_of[d], 0.35))}<span>{e(name(d))}</span></li>"
        for d in coloured
    )
    alone = any(d[PARTY] == UNIT and n not in ctx.colour_group for n, d in ctx.G.nodes(data=True))
    if others or alone:
        words = [f"{others} other department{'s' if others != 1 else ''}"] if others else []
        words += ["units without a department"] if alone else []
        rows += f"<li>{_swatch(colour(None, 0.35))}<span>{' and '.join(words)}</span></li>"
    return f'<h3>Departments</h3><ul id="orggraph-departments">{rows}</ul>'


def legend_html(
    ctx: ViewContext,
    collapsed: bool,
    chain: str | None,
    report: Report,
    *,
    solid: bool = False,
) -> str:
    """The legend as HTML (every name escaped): what each colour, border, size and line means;
    ``solid``: the links as a large view draws them (no dashes, see :func:`vis_edge`)."""
    e = html.escape
    per = e(ctx.per_period())
    rows = [
        (_swatch(colour(UNIT_HUE, 0.5)), "unit"),
        (_swatch(colour(CUSTOMER_HUE, 0.5), "diamond"), "customer (deeper: more weight)"),
        (_swatch(colour(VENDOR_HUE, 0.5), "square"), "vendor"),
    ]
    if collapsed:
        rows.append(
            (
                _swatch(colour(UNIT_HUE, 0.5), "hexagon"),
                "department (members); colour: its failure with all of them",
            )
        )
    elif report.groups:
        rows.append(
            (
                _swatch(colour(UNIT_HUE, 0.5), "hexagon"),
                "group (a unit with members); colour: its failure with all of them",
            )
        )
    if ctx.scenario is not None:
        rows += _scenario_rows(ctx.scenario.id, collapsed)
    else:
        rows += [
            _fill_row(ctx),
            (_swatch("#ffffff", border=CRITICAL), "critical supplier (single point of failure)"),
            (
                _swatch("#ffffff", border=OVERLOADED, dashed=True),
                "overloaded (utilization > 100%)",
            ),
            (
                _swatch("#ffffff", border=NEAR_CAPACITY),
                f"near capacity (utilization ≥ {format_percent(report.threshold)})",
            ),
            (
                _swatch("#ffffff", border=CRITICAL, dashed=True),
                "critical supplier and overloaded",
            ),
        ]
        if ctx.colour_by == "quality":
            rows += _quality_rows(report)
    rows += [
        (
            "",
            "size: "
            + (f"load{per}" if ctx.by_load else "fan-in (direct consumers)")
            + "; customers by weight",
        ),
        (_line(REQUIRED_EDGE, "solid"), "required dependency (arrow: supplier → consumer)"),
    ]
    if solid:
        rows += [
            (_line(OPTIONAL_EDGE_SOLID, "solid"), "optional: never blocks (pale grey)"),
            (_line(ANY_OF_EDGE, "solid"), "any_of alternative: one is enough (teal)"),
            ("", f"edge width: volume{per}; over {LARGE_VIEW} parties links are drawn solid"),
        ]
    else:
        rows += [
            (_line(OPTIONAL_EDGE, "dashed"), "optional: never blocks"),
            (_line(ANY_OF_EDGE, "dotted"), "any_of alternative: one is enough"),
            ("", f"edge width: volume{per}"),
        ]
    if chain is not None:
        rows.append((_line(CHAIN, "solid", 5), f"critical chain of {e(chain)}"))
    items = "".join(f"<li>{icon}<span>{text}</span></li>" for icon, text in rows)
    dept_html = _departments_html(ctx)
    note = ""
    if report.betweenness_info.method == "sampled":
        note = (
            f"<p>betweenness estimated from {report.betweenness_info.k} sampled parties"
            f" (seed {report.betweenness_info.seed})</p>"
        )
    return f"<ul>{items}</ul>{dept_html}{note}"

"""Static figures with matplotlib: the layered graph and two bar charts.

Each function returns a :class:`matplotlib.figure.Figure` built without ``pyplot``: no global
state, no GUI backend, nothing shown or written. The caller saves it (``fig.savefig(path)``:
PNG, SVG or PDF by the file's suffix). matplotlib is imported inside the functions, so commands
that draw nothing never pay for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from orggraph.analysis.report import Report
from orggraph.errors import UsageError
from orggraph.graph import ANY_OF, CUSTOMER, NAME, PARTY, REQUIRED, VENDOR, VOLUME, WEIGHT
from orggraph.model.figures import format_percent
from orggraph.render._style import (
    ANY_OF_EDGE,
    CRITICAL,
    CUSTOMER_HUE,
    DEPARTMENT_HUES,
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
    PartyFigures,
    department_colour_groups,
    fmt_number,
    layered_layout,
    party_figures,
    top_departments,
)

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "LABEL_ALL_UP_TO",
    "MAX_PLOT_NODES",
    "PLOT_KINDS",
    "plot_critical",
    "plot_graph",
    "plot_utilization",
]

#: Above this many parties a static drawing is unreadable; use the interactive view instead.
MAX_PLOT_NODES = 400
#: Up to this many parties every node is labelled; above, only customers, vendors and the
#: critical suppliers are, so the labels stay legible.
LABEL_ALL_UP_TO = 150
#: The kinds of figure ``orggraph plot --kind`` offers, by the function that draws each.
PLOT_KINDS = ("graph", "critical", "utilization")

_MARKERS = {"unit": "o", CUSTOMER: "D", VENDOR: "s"}
_GROUP_MARKER = "h"  # the collapsed view's department is a hexagon too


def plot_graph(G: nx.DiGraph, report: Report, *, title: str | None = None) -> Figure:
    """The service graph, drawn in layers: service flows left to right from vendors through the
    units to the customers. Critical suppliers have a red ring (deeper fill = more impact),
    overloaded units a dashed orange one (dashed red when also critical), units near capacity an
    amber one; groups (units with members, SPEC §7) are hexagons whose
    fill is the impact of their failure with all their members, so a department that only
    groups teams does not look harmless; node size follows load (or fan-in when no load is
    known); required, optional and ``any_of`` dependencies are solid, dashed and dotted lines whose
    width follows volume. Raises :class:`UsageError` above :data:`MAX_PLOT_NODES` parties."""
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    n_parties = G.number_of_nodes()
    if n_parties > MAX_PLOT_NODES:
        raise UsageError(
            f"the organization has {n_parties} parties; a static drawing above {MAX_PLOT_NODES} "
            "is unreadable: use 'orggraph view' with --focus ID or --collapse department, "
            "or export to GraphML for Gephi"
        )
    figures = party_figures(G, report)
    group_weight = {g.id: g.impact_weight for g in report.groups}
    root = top_departments(G)
    groups = department_colour_groups(G, root)
    departments = sorted(set(groups.values()))
    hue_of = {d: DEPARTMENT_HUES[i % len(DEPARTMENT_HUES)] for i, d in enumerate(departments)}
    layout = layered_layout(G, groups)
    pos = layout.positions(xgap=1.0, ygap=1.0, max_column=28, subgap=0.45)
    xs = {x for x, _ in pos.values()}
    tallest = max((len(c) for c in layout.columns), default=1)
    width = min(max(6.0, 1.7 * len(xs) + 1.5), 32.0)
    # never a thin strip: rows spread out so labels have room
    height = min(max(4.5, 0.55 * min(tallest, 28) + 2.2, width / 2.2), 24.0)

    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    ax.set_axis_off()
    organization: Mapping[str, Any] = G.graph.get("organization") or {}
    heading = title if title is not None else (organization.get("name") or "Service graph")
    ax.set_title(
        f"{heading}: service flows left to right", loc="left", fontsize=11, parse_math=False
    )
    if n_parties == 0:
        ax.text(0.5, 0.5, "no parties", ha="center", va="center", transform=ax.transAxes)
        return fig

    xy = {n: (x, -y) for n, (x, y) in pos.items()}
    loads = [f.load for f in figures.values() if f.load]
    by_load = bool(loads)
    top_load = max((x for x in loads if x is not None), default=0.0)
    top_fan_in = max((f.fan_in for f in figures.values()), default=0)
    top_impact = max((c.impact_weight for c in report.critical_suppliers), default=0.0)
    top_weight = max(float(G.nodes[c].get(WEIGHT) or 1.0) for c in G)

    def size(n: str) -> float:
        fig_n = figures[n]
        if G.nodes[n][PARTY] == CUSTOMER:
            return 90 + 260 * ratio(float(G.nodes[n].get(WEIGHT) or 1.0), top_weight)
        if by_load:
            return 50 + 420 * ratio(fig_n.load, top_load)
        return 50 + 420 * ratio(fig_n.fan_in, top_fan_in)

    sizes = {n: size(n) for n in G}
    _draw_edges(ax, G, xy, sizes)
    for n in sorted(G):
        data, fig_n = G.nodes[n], figures[n]
        party = data[PARTY]
        fill = _fill(n, party, fig_n, groups, hue_of, top_impact, top_weight, data)
        if n in group_weight:
            fill = colour(_hue(n, party, groups, hue_of), ratio(group_weight[n], top_impact))
        ring, ring_width, ring_style = colour(_hue(n, party, groups, hue_of), 1.0), 0.8, "solid"
        if fig_n.near_capacity:
            ring, ring_width = NEAR_CAPACITY, 2.0
        if fig_n.overloaded:
            ring, ring_width, ring_style = OVERLOADED, 2.2, "dashed"
        if fig_n.critical:
            ring, ring_width = CRITICAL, 2.4
        ax.scatter(
            [xy[n][0]],
            [xy[n][1]],
            s=sizes[n],
            marker=_GROUP_MARKER if n in group_weight else _MARKERS[party],
            c=fill,
            edgecolors=ring,
            linewidths=ring_width,
            linestyles=ring_style,
            zorder=3,
        )
        if n_parties <= LABEL_ALL_UP_TO or party != "unit" or fig_n.critical:
            ax.annotate(
                _short(str(data.get(NAME) or n)),
                xy[n],
                xytext=(0, -(sizes[n] ** 0.5) / 2 - 2),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=7.5 if n_parties > 60 else 8.5,
                zorder=4,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
                parse_math=False,  # names drawn as written: "$10 and $20" is not math
            )
    ax.margins(x=0.06, y=0.08)

    handles = [
        Line2D([], [], ls="", marker="o", ms=8, mfc=colour(UNIT_HUE, 0.4), mec="#555555",
               label="unit"),
        Line2D([], [], ls="", marker="D", ms=7, mfc=colour(CUSTOMER_HUE, 0.5), mec="#555555",
               label="customer"),
        Line2D([], [], ls="", marker="s", ms=7, mfc=colour(VENDOR_HUE, 0.5), mec="#555555",
               label="vendor"),
        Line2D([], [], ls="", marker="o", ms=8, mfc="white", mec=CRITICAL, mew=2.4,
               label="critical supplier"),
        Line2D([], [], ls="", marker=_GROUP_MARKER, ms=9, mfc=colour(UNIT_HUE, 0.4),
               mec="#555555", label="group: fails with its members"),
        Patch(facecolor="white", edgecolor=OVERLOADED, linewidth=2.2, linestyle="--",
              label="overloaded (> 100%)"),
        Line2D([], [], ls="", marker="o", ms=8, mfc="white", mec=NEAR_CAPACITY, mew=2.0,
               label=f"near capacity (≥ {format_percent(report.threshold)})"),
        Patch(facecolor="white", edgecolor=CRITICAL, linewidth=2.4, linestyle="--",
              label="critical and overloaded"),
        Line2D([], [], color=REQUIRED_EDGE, ls="-", label="required"),
        Line2D([], [], color=OPTIONAL_EDGE, ls="--", label="optional"),
        Line2D([], [], color=ANY_OF_EDGE, ls=":", lw=1.6, label="any_of alternative"),
    ]  # fmt: skip
    note = "size: load" if by_load else "size: fan-in"
    handles.append(Line2D([], [], ls="", label=f"{note}; deeper fill: more impact"))
    fig.legend(handles=handles, loc="outside lower center", ncol=5, fontsize=8, frameon=False)
    return fig


def _hue(n: str, party: str, groups: Mapping[str, str], hue_of: Mapping[str, float]) -> float:
    if party == CUSTOMER:
        return CUSTOMER_HUE
    if party == VENDOR:
        return VENDOR_HUE
    department = groups.get(n)
    return hue_of[department] if department is not None else UNIT_HUE


def _fill(
    n: str,
    party: str,
    fig_n: PartyFigures,
    groups: Mapping[str, str],
    hue_of: Mapping[str, float],
    top_impact: float,
    top_weight: float,
    data: Mapping[str, Any],
) -> str:
    if party == CUSTOMER:
        intensity = ratio(float(data.get(WEIGHT) or 1.0), top_weight)
    else:
        intensity = ratio(fig_n.impact_weight, top_impact)
    return colour(_hue(n, party, groups, hue_of), intensity)


def _short(text: str, limit: int = 22) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _draw_edges(
    ax: Axes,
    G: nx.DiGraph,
    xy: Mapping[str, tuple[float, float]],
    sizes: Mapping[str, float],
) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.patches import FancyArrowPatch

    volumes = [float(v) for *_, v in G.edges(data=VOLUME) if v is not None]
    top_volume = max(volumes, default=0.0)
    arrows = G.number_of_edges() <= 600  # one patch per edge gets slow beyond that
    plain: dict[tuple[str, str], list[Any]] = {}
    for u, v, data in sorted(G.edges(data=True), key=lambda e: (e[0], e[1])):
        if data.get(ANY_OF) is not None:
            stroke, style = ANY_OF_EDGE, ":"
        elif data.get(REQUIRED, True):
            stroke, style = REQUIRED_EDGE, "-"
        else:
            stroke, style = OPTIONAL_EDGE, "--"
        width = 0.7 + 3.3 * ratio(data.get(VOLUME), top_volume)
        if arrows:
            ax.add_patch(
                FancyArrowPatch(
                    xy[u],
                    xy[v],
                    arrowstyle="-|>",
                    mutation_scale=9,
                    color=stroke,
                    linestyle=style,
                    linewidth=width,
                    shrinkA=sizes[u] ** 0.5 / 2 + 1,
                    shrinkB=sizes[v] ** 0.5 / 2 + 2,
                    zorder=2,
                    alpha=0.85,
                )
            )
        else:
            plain.setdefault((stroke, style), []).append(((xy[u], xy[v]), width))
    for (stroke, style), segments in sorted(plain.items()):
        ax.add_collection(
            LineCollection(
                [s for s, _ in segments],
                colors=stroke,
                linestyles=style,
                linewidths=[w for _, w in segments],
                alpha=0.6,
                zorder=2,
            )
        )


def plot_critical(report: Report, top: int = 10) -> Figure:
    """A bar chart of the ``top`` critical suppliers by impact weight (the summed weight of the
    customers that lose service when the supplier alone fails), most critical first."""
    from matplotlib.figure import Figure

    if top < 1:
        raise UsageError(f"top must be 1 or more, not {top}")
    chosen = report.critical_suppliers[:top]
    fig = Figure(figsize=(8.0, 1.6 + 0.38 * max(len(chosen), 3)), layout="constrained")
    ax = fig.add_subplot()
    name = report.organization.get("name")
    heading = f"Critical suppliers{f' of {name}' if name else ''}"
    if len(report.critical_suppliers) > len(chosen):
        heading += f" (top {len(chosen)} of {len(report.critical_suppliers)})"
    ax.set_title(heading, loc="left", fontsize=11, parse_math=False)
    if not chosen:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            "no critical suppliers: no single failure cuts service to a customer",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return fig
    labels = [c.id for c in chosen][::-1]
    values = [c.impact_weight for c in chosen][::-1]
    colours = [
        colour(VENDOR_HUE, 0.7) if c.party == "vendor" else colour(UNIT_HUE, 0.7) for c in chosen
    ][::-1]
    bars = ax.barh(labels, values, color=colours, edgecolor=CRITICAL, linewidth=1.0)
    notes = [
        f"{c.impacted_customer_count} customer{'s' if c.impacted_customer_count != 1 else ''}, "
        f"{c.impacted_units} unit{'s' if c.impacted_units != 1 else ''}"
        for c in chosen
    ][::-1]
    ax.bar_label(bars, labels=notes, padding=4, fontsize=8, color="#444444")
    ax.set_xlabel("impact weight: summed weight of the customers that lose service")
    ax.set_xlim(0, max(values) * 1.35)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=9)
    return fig


def plot_utilization(report: Report, threshold: float | None = None, *, top: int = 30) -> Figure:
    """A bar chart of the ``top`` units by utilization (load / capacity) against the bottleneck
    ``threshold`` (the report's own when not given) and full capacity (100%)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    limit = report.threshold if threshold is None else threshold
    if limit <= 0:
        raise UsageError(f"threshold must be above 0, not {limit}")
    if top < 1:
        raise UsageError(f"top must be 1 or more, not {top}")
    measured: list[tuple[str, float, float | None, float | None]] = []
    if report.loads:
        for party, load in sorted(report.loads.items()):
            if load.utilization is not None:
                measured.append((party, load.utilization, load.load, load.capacity))
    else:  # a report without per-party figures still lists its bottlenecks
        for b in report.bottlenecks:
            if b.utilization is not None:
                measured.append((b.id, b.utilization, b.load, b.capacity))
    measured.sort(key=lambda m: (-m[1], m[0]))
    chosen = measured[:top]
    fig = Figure(figsize=(8.0, 1.8 + 0.34 * max(len(chosen), 3)), layout="constrained")
    ax = fig.add_subplot()
    name = report.organization.get("name")
    heading = f"Utilization{f' of {name}' if name else ''}"
    if len(measured) > len(chosen):
        heading += f" (top {len(chosen)} of {len(measured)} units)"
    ax.set_title(heading, loc="left", fontsize=11, parse_math=False)
    if not chosen:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            "no unit has both a load (volume) and a capacity",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
        return fig
    labels = [m[0] for m in chosen][::-1]
    values = [m[1] for m in chosen][::-1]
    colours = [
        OVERLOADED if u > 1.0 else NEAR_CAPACITY if u >= limit else colour(UNIT_HUE, 0.5)
        for u in values
    ]
    bars = ax.barh(labels, values, color=colours)
    notes = [
        f"{fmt_number(load or 0.0)} / {fmt_number(capacity or 0.0)}"
        for _, _, load, capacity in chosen
    ][::-1]
    ax.bar_label(bars, labels=notes, padding=4, fontsize=8, color="#444444")
    ax.axvline(limit, color=NEAR_CAPACITY, linestyle="--", linewidth=1.5,
               label=f"threshold {format_percent(limit)}")  # fmt: skip
    ax.axvline(1.0, color=CRITICAL, linestyle="-", linewidth=1.0, label="capacity (100%)")
    ax.set_xlim(0, max(max(values), limit, 1.0) * 1.25)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("utilization: load / capacity per period")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=9)
    return fig

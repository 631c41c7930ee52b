"""Where the parties of a view are drawn: the layered layout (folded columns, a shelf for the
parties with no dependency in the view), the packed layout of small views, the edges that would
run through a party, and the order in which labels compete for room. Split from ``html.py`` so the
page's assembly and its geometry can be read apart."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from orggraph.graph import CUSTOMER, NAME, PARTY
from orggraph.render._compact import LINE, PAD, Box, Packed, fit_scale, label_width, pack
from orggraph.render._viewcontext import ViewContext
from orggraph.render._views import DEPARTMENT, layered_layout

__all__ = [
    "COMPACT_MAX_PARTIES",
    "edges_through_nodes",
    "label_order",
    "positions_of",
    "rounded",
]

#: Up to this many parties a view is packed with room for every label (``_compact``), so each is
#: legible at the first fit on a laptop screen; above, labels go to the parties that matter first.
COMPACT_MAX_PARTIES = 200


def positions_of(
    view: nx.DiGraph, ctx: ViewContext, nodes: list[dict[str, Any]]
) -> tuple[dict[str, tuple[float, float]], set[str], Packed | None]:
    """Where each node is drawn, and the shelf: the nodes with no dependency in the view (a
    department that only groups teams, a party nothing connects to), put in a row above the
    drawing rather than scattered among the columns as loose dots. A view of at most
    :data:`COMPACT_MAX_PARTIES` is packed with room for every label (``_compact``): the plan
    says where each label goes and the extent the first fit shows."""
    shelf = {n for n in view if view.degree(n) == 0}
    drawn = view.subgraph(n for n in view if n not in shelf)
    columns = layered_layout(drawn, ctx.colour_group)
    n = drawn.number_of_nodes()
    if view.number_of_nodes() <= COMPACT_MAX_PARTIES:
        return _packed(view, drawn, columns.columns, shelf, nodes)
    big = n > 300
    # fold tall columns so the drawing stays near a screen's shape and labels stay readable
    fold = max(12, min(40, round(math.sqrt(n) * 1.5)))
    tallest = min(max((len(c) for c in columns.columns), default=1), fold)
    ncols = max(len(columns.columns), 1)
    ygap = 70.0 if big else 100.0
    # room for a label between columns, and between folded sub-columns
    label = max((_label_width(view, m) for m in drawn), default=0.0)
    xgap = min(max(tallest * ygap * 1.6 / ncols, 230.0, label + 40.0), 360.0)
    if not big:  # a short, wide drawing: spread the rows so the fit does not shrink the labels
        ygap = min(max(xgap * ncols / (1.6 * tallest), ygap), 170.0)
    positions = columns.positions(
        xgap=xgap, ygap=ygap, max_column=fold, subgap=max(130.0, min(label + 30.0, 300.0))
    )
    if shelf:
        xs = [x for x, _ in positions.values()] or [0.0]
        left, right = min(xs), max(max(xs), min(xs) + 1200.0)
        top = min((y for _, y in positions.values()), default=0.0) - (1.6 * ygap if drawn else 0)
        x = left
        for m in sorted(shelf, key=lambda m: (_name(view, m).casefold(), m)):
            step = max(_label_width(view, m) + 40.0, 120.0)
            if x > left and x + step > right:  # the row is full: start one above it
                x, top = left, top - 90.0
            positions[m] = (x, top)
            x += step
    return positions, shelf, None


def _packed(
    view: nx.DiGraph,
    drawn: nx.DiGraph,
    columns: Sequence[Sequence[str]],
    shelf: set[str],
    nodes: list[dict[str, Any]],
) -> tuple[dict[str, tuple[float, float]], set[str], Packed]:
    radius = {
        node["id"]: float(node.get("size", 10)) + float(node.get("borderWidth", 1))
        for node in nodes
    }
    text = {node["id"]: str(node.get("label") or node["id"]) for node in nodes}
    # the shelf is a row of nodes with their labels below: its area, to reserve height for it
    row = LINE + 2 * PAD
    cells = {m: max(label_width(text[m]), 2 * radius[m]) + 3 * PAD for m in sorted(shelf)}
    area = sum(w * (2 * radius[m] + row + 2 * PAD) for m, w in cells.items())
    if drawn.number_of_nodes():
        plan = pack(columns, radius, {m: text[m] for m in drawn}, area)
    else:
        plan = Packed({}, {}, Box(0.0, 0.0, 0.0, 0.0), 1.0)
    positions = dict(plan.positions)
    extent = plan.extent
    if shelf:
        # the shelf above the drawing, as wide as it (a caption above its first row)
        left = extent.x0
        right = max(extent.x1, left + 600.0)
        order = sorted(shelf, key=lambda m: (_name(view, m).casefold(), m))
        rows: list[list[str]] = [[]]
        used = 0.0
        for m in order:
            if rows[-1] and used + cells[m] > right - left:
                rows.append([])
                used = 0.0
            rows[-1].append(m)
            used += cells[m]
        y = extent.y0 - 2 * PAD if drawn.number_of_nodes() else 0.0
        top = y
        for line in reversed(rows):
            tall = max(2 * radius[m] for m in line) + row + 2 * PAD
            y -= tall
            x = left
            for m in line:
                positions[m] = (x + cells[m] / 2, y + max(radius[k] for k in line))
                x += cells[m]
            top = y
        caption = top - row - 2 * PAD
        xs = [positions[m][0] + cells[m] / 2 for m in shelf]
        extent = Box(min(extent.x0, left), caption, max(extent.x1, *xs), max(extent.y1, y + 0.0))
    return positions, shelf, Packed(positions, plan.places, extent, fit_scale(extent))


def rounded(box: Box) -> list[float]:
    return [round(box.x0, 1), round(box.y0, 1), round(box.x1, 1), round(box.y1, 1)]


def edges_through_nodes(
    view: nx.DiGraph, positions: Mapping[str, tuple[float, float]], clearance: float = 30.0
) -> set[tuple[str, str]]:
    """The edges whose straight line passes within ``clearance`` of a party other than its ends
    (a long edge along a row of departments would run through the ones between)."""
    found: set[tuple[str, str]] = set()
    points = sorted(positions.items(), key=lambda item: item[1][0])
    for u, v in view.edges():
        (x0, y0), (x1, y1) = positions[u], positions[v]
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        if length2 == 0:
            continue
        lo, hi = min(x0, x1) - clearance, max(x0, x1) + clearance
        for m, (x, y) in points:
            if x < lo or m in (u, v):
                continue
            if x > hi:
                break
            t = min(1.0, max(0.0, ((x - x0) * dx + (y - y0) * dy) / length2))
            if (x0 + t * dx - x) ** 2 + (y0 + t * dy - y) ** 2 < clearance**2:
                found.add((u, v))
                break
    return found


def _label_width(view: nx.DiGraph, n: str) -> float:
    # a label's width in drawing units at the page's label size (16): about 0.56 em a character
    name = _name(view, n)
    return min(len(name), 28) * 16 * 0.56


def label_order(view: nx.DiGraph, ctx: ViewContext, marked: set[str]) -> list[str]:
    """The order in which the page places labels where they compete for room: the parties that
    matter first (the focus and the chain, customers, critical suppliers by rank, groups and
    departments), then the others by impact weight and fan-in, then id."""

    def key(n: str) -> tuple[int, float, str]:
        data, fig = view.nodes[n], ctx.figures.get(n)
        party = data[PARTY]
        if n in marked:
            tier = 0
        elif party == CUSTOMER:
            tier = 1
        elif fig is not None and fig.critical:
            tier = 2
        elif party == DEPARTMENT or (fig is not None and fig.group is not None):
            tier = 3
        else:
            tier = 4
        weight = float(data.get("impact_weight") or 0.0)
        if fig is not None:
            weight = max(weight, fig.impact_weight, float(fig.fan_in))
        return (tier, -weight, n)

    return sorted(view, key=key)


def _name(view: nx.DiGraph, n: str) -> str:
    """The name a label shows (the id where there is none)."""
    return str(view.nodes[n].get(NAME) or n)

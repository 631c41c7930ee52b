"""A layered layout that leaves room for every label, for views small enough to name every party.

The page draws each label at 12 to 18 screen pixels whatever the zoom, so a drawing spread for
the nodes alone (``_views.Layout.positions``) shrinks at the first fit until most labels find no
room. Here each party's label is planned beside it, to its right (on one line, or on two when it
is long), and the parties are packed column by column so that no node or planned label overlaps
another: the columns keep the layered order (vendors left, customers right, each layer folded into
as many sub-columns as suits the screen), and each sub-column is stacked about the middle line,
a party moved down only as far as the boxes already placed require.

Several foldings and column steps are tried; the one whose extent (labels included) fits a
1366×768 screen at the largest scale wins, so labels are at least 12 px at the first fit when any
does. The widths of labels are estimated from their characters, slightly on the wide side of the
page's font, and the page tries each planned place first (``labelAt``), so what is planned here is
what the browser draws.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["LABEL_FONT", "Box", "Packed", "label_forms", "label_width", "pack"]

#: the label size in drawing units the plan is made for: 12 px on screen at a scale of 0.75
LABEL_FONT = 16.0
LINE = 1.25 * LABEL_FONT
#: room kept between boxes, and between a node and its label (drawing units)
PAD = 4.0
GAP = 8.0
#: the drawing area of the page at 1366×768 (the legend beside it, the header and the click
#: toolbar above it), in screen pixels
SCREEN = (1090.0, 640.0)
#: above this scale a label stops growing (18 px), so a larger scale buys nothing
ENOUGH = 18.0 / LABEL_FONT


def _char(c: str) -> float:
    # an em fraction per character, on the wide side of DejaVu Sans Bold (the widest usual face)
    if c in " .,:;'|!ilIjtf()[]":
        return 0.42
    if c in "mwMW@%":
        return 1.0
    if c.isupper() or c.isdigit():
        return 0.76
    return 0.68


def label_width(text: str, font: float = LABEL_FONT) -> float:
    """The width of one line of label at ``font`` drawing units, as the page measures it (plus
    its margin): a little wider than DejaVu Sans Bold, so the plan errs on the roomy side."""
    return (sum(_char(c) for c in text) * 100 * 1.04 + 20) * font / 100


def label_forms(text: str) -> list[list[str]]:
    """The label on one line and, when long, on two balanced lines (split at the space nearest
    its middle), as the page splits it."""
    forms = [[text]]
    mid = len(text) / 2
    spaces = [i for i, c in enumerate(text) if c == " "]
    if len(text) > 12 and spaces and min(spaces) > 0:
        cut = min(spaces, key=lambda i: (abs(i - mid), i))
        forms.append([text[:cut], text[cut + 1 :]])
    return forms


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def hits(self, other: Box) -> bool:
        return (
            self.x0 < other.x1 + PAD
            and other.x0 < self.x1 + PAD
            and self.y0 < other.y1 + PAD
            and other.y0 < self.y1 + PAD
        )


@dataclass(frozen=True)
class Packed:
    """Where each party is drawn, how many lines its label is planned on (to its right), the
    extent of nodes and labels, and the scale at which it fits the screen."""

    positions: dict[str, tuple[float, float]]
    places: dict[str, str]
    extent: Box
    scale: float


def _offsets(place: str, r: float, width: float, lines: int) -> tuple[float, float, float, float]:
    """The label's box relative to its node's centre."""
    h = lines * LINE
    if place[0] == "r":
        return (r + GAP, -h / 2, r + GAP + width, h / 2)
    return (-width / 2, r + GAP / 2, width / 2, r + GAP / 2 + h)


def _pack_once(
    subs: Sequence[Sequence[str]],
    radius: Mapping[str, float],
    forms: Mapping[str, Mapping[int, float]],
    step: float,
    places: Sequence[str],
) -> tuple[dict[str, tuple[float, float]], dict[str, str], list[Box]]:
    positions: dict[str, tuple[float, float]] = {}
    chosen: dict[str, str] = {}
    boxes: list[Box] = []
    x = 0.0
    for k, sub in enumerate(subs):
        widest = max(radius[n] for n in sub)
        if k:
            x += max(step, widest + max(radius[n] for n in subs[k - 1]) + 2 * PAD)
        # only boxes that reach this column can be in the way
        near = [b for b in boxes if b.x1 + PAD > x - widest]
        # each sub-column centred on the drawing's middle line, its parties stacked as tight as
        # their nodes and labels allow; a party pushed down by a box already placed stays there
        tall = [2 * max(radius[n], len(forms[n]) * LINE / 2) + PAD for n in sub]
        want = -sum(tall) / 2
        bottom = -math.inf
        for n, h in zip(sub, tall, strict=True):
            r = radius[n]
            start = want + h / 2
            want += h
            best: tuple[float, float, str, Box, Box] | None = None
            for place in places:
                lines = int(place[1])
                if lines not in forms[n]:  # a short label is on one line
                    place, lines = place[0] + "1", 1
                dx0, dy0, dx1, dy1 = _offsets(place, r, forms[n][lines], lines)
                y = start
                if bottom > -math.inf:
                    y = max(y, bottom + PAD + max(r, -dy0))
                while True:
                    node = Box(x - r, y - r, x + r, y + r)
                    text = Box(x + dx0, y + dy0, x + dx1, y + dy1)
                    below = [
                        b.y1 + PAD + (r if b.hits(node) else -dy0) + 0.5
                        for b in near
                        if b.hits(node) or b.hits(text)
                    ]
                    if not below:
                        break
                    y = max(y + 1.0, min(below))
                end = y + max(r, dy1)
                if best is None or end < best[0] - 1e-9:
                    best = (end, y, place, node, text)
            assert best is not None
            end, y, place, node, text = best
            positions[n] = (x, y)
            chosen[n] = place
            boxes += (node, text)
            near += (node, text)
            bottom = end
    return positions, chosen, boxes


def _extent(boxes: Sequence[Box]) -> Box:
    return Box(
        min(b.x0 for b in boxes),
        min(b.y0 for b in boxes),
        max(b.x1 for b in boxes),
        max(b.y1 for b in boxes),
    )


def fit_scale(extent: Box, extra_height: float = 0.0) -> float:
    """The scale at which ``extent`` (drawing units) fits the page's drawing area at 1366×768."""
    width = max(extent.x1 - extent.x0, 1.0)
    height = max(extent.y1 - extent.y0 + extra_height, 1.0)
    return min(SCREEN[0] / width, SCREEN[1] / height)


def pack(
    columns: Sequence[Sequence[str]],
    radius: Mapping[str, float],
    text: Mapping[str, str],
    extra: float = 0.0,
) -> Packed:
    """The best of several packings of the layered ``columns``: each party at a node of
    ``radius`` with its label ``text`` planned to its right. ``extra`` is the area (square drawing
    units) of anything drawn beside the columns (the shelf), counted as height over the drawing's
    width."""
    forms: dict[str, dict[int, float]] = {}
    for n, t in text.items():
        forms[n] = {len(f): max(label_width(line) for line in f) for f in label_forms(t)}
    widths = sorted(f[1] for f in forms.values()) or [0.0]
    typical = widths[len(widths) // 2] + 2 * (sorted(radius.values())[len(radius) // 2] + GAP)
    tallest = max((len(c) for c in columns), default=1)
    folds = sorted({max(1, min(tallest, f)) for f in (6, 8, 10, 12, 14, 16, 18, 22, 26, 32, 40)})
    best: Packed | None = None
    for places in (("r1",), ("r2",)):
        for fold in reversed(folds):
            subs = [
                c[j :: math.ceil(len(c) / fold)]
                for c in columns
                for j in range(math.ceil(len(c) / fold))
            ]
            for share in (1.0, 0.75, 0.6, 0.5, 0.4):
                positions, chosen, boxes = _pack_once(subs, radius, forms, typical * share, places)
                extent = _extent(boxes)
                shelf = extra / max(extent.x1 - extent.x0, 1.0)
                scale = min(fit_scale(extent, shelf), ENOUGH)
                if best is None or scale > best.scale + 1e-9:
                    best = Packed(positions, chosen, extent, scale)
    assert best is not None
    return best

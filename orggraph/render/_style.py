"""One visual language for every view: the colours of parties, departments, alarms and edges."""

from __future__ import annotations

import colorsys
import math

__all__ = [
    "ANY_OF_EDGE",
    "CHAIN",
    "CRITICAL",
    "CUSTOMER_HUE",
    "DEPARTMENT_HUES",
    "DIMMED",
    "DISTINCT_HUES",
    "NEAR_CAPACITY",
    "NO_SCORE",
    "OPTIONAL_EDGE",
    "OPTIONAL_EDGE_SOLID",
    "OVERLOADED",
    "REQUIRED_EDGE",
    "SCENARIO",
    "UNIT_HUE",
    "VENDOR_HUE",
    "colour",
    "quality_colour",
    "ratio",
]

VENDOR_HUE = 28.0
CUSTOMER_HUE = 130.0
UNIT_HUE = 212.0
# department hues keep away from the vendor orange, the customer green and the alarm reds
DEPARTMENT_HUES = (212.0, 275.0, 188.0, 250.0, 165.0, 300.0, 52.0, 228.0, 290.0, 200.0)
# the hues of the view's departments: few enough to tell apart at a glance (pale or deep), so a
# view with more departments gives the largest ones a hue each and the rest one neutral grey
# (``None``) rather than repeating a hue the legend would present as a different department
DISTINCT_HUES = (212.0, 280.0, 180.0, 335.0, 55.0, 245.0, 305.0, 160.0)
CRITICAL = "#c62828"
OVERLOADED = "#e65100"
NEAR_CAPACITY = "#f9a825"
CHAIN = "#ff6f00"
REQUIRED_EDGE = "#546e7a"
OPTIONAL_EDGE = "#9eaab2"
# an optional link drawn solid (a large view draws no dashes): paler than the dashed one, so the
# colour alone tells it from a required link, yet darker than a link an answer fades out
OPTIONAL_EDGE_SOLID = "#bcc6cc"
ANY_OF_EDGE = "#00897b"
DIMMED = "#e4e4e4"
NO_SCORE = "#cfd8dc"  # colouring by quality: a party with no score of its own
# a scenario (SPEC §7): background and border of each state of a party
SCENARIO = {
    "failed": ("#8e0000", "#3e0000"),
    "impacted": ("#ffa726", "#e65100"),
    "degraded": ("#fff59d", "#f9a825"),
    "untouched": ("#eef3f6", "#b0bec5"),
}


def ratio(value: float | None, top: float) -> float:
    """``value`` on a 0..1 scale against ``top``, square-rooted so small values stay visible."""
    if value is None or top <= 0 or value <= 0:
        return 0.0
    return min(1.0, math.sqrt(value / top))


def colour(hue: float | None, intensity: float) -> str:
    """A hex colour of ``hue``: pale at intensity 0, deep and saturated at 1 (``None``: a neutral
    grey, light to dark)."""
    lightness = 0.84 - 0.44 * intensity
    saturation = 0.45 + 0.40 * intensity if hue is not None else 0.06
    r, g, b = colorsys.hls_to_rgb((hue or 0.0) / 360.0, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


def quality_colour(quality: float) -> str:
    """A quality score (0..1) on a red → amber → green scale: 0 red, 0.5 amber, 1 green."""
    q = min(1.0, max(0.0, quality))
    r, g, b = colorsys.hls_to_rgb(q * 120.0 / 360.0, 0.5, 0.7)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"

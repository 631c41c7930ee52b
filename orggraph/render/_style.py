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
    "NEAR_CAPACITY",
    "OPTIONAL_EDGE",
    "OVERLOADED",
    "REQUIRED_EDGE",
    "UNIT_HUE",
    "VENDOR_HUE",
    "colour",
    "ratio",
]

VENDOR_HUE = 28.0
CUSTOMER_HUE = 130.0
UNIT_HUE = 212.0
# department hues keep away from the vendor orange, the customer green and the alarm reds
DEPARTMENT_HUES = (212.0, 275.0, 188.0, 250.0, 165.0, 300.0, 52.0, 228.0, 290.0, 200.0)
CRITICAL = "#c62828"
OVERLOADED = "#e65100"
NEAR_CAPACITY = "#f9a825"
CHAIN = "#ff6f00"
REQUIRED_EDGE = "#546e7a"
OPTIONAL_EDGE = "#9eaab2"
ANY_OF_EDGE = "#00897b"
DIMMED = "#e4e4e4"


def ratio(value: float | None, top: float) -> float:
    """``value`` on a 0..1 scale against ``top``, square-rooted so small values stay visible."""
    if value is None or top <= 0 or value <= 0:
        return 0.0
    return min(1.0, math.sqrt(value / top))


def colour(hue: float, intensity: float) -> str:
    """A hex colour of ``hue``: pale at intensity 0, deep and saturated at 1."""
    lightness = 0.84 - 0.44 * intensity
    saturation = 0.45 + 0.40 * intensity
    r, g, b = colorsys.hls_to_rgb(hue / 360.0, lightness, saturation)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"

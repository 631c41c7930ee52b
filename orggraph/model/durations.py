"""Lead times: ``4h``, ``1.5d``, ``30m``, ``2w`` or ISO 8601 durations (``P2D``, ``PT4H``)."""

from __future__ import annotations

import math
import re

__all__ = ["HOURS_PER_UNIT", "DurationError", "format_hours", "parse_duration"]

# A day is a calendar day and a week seven of them: lead times are elapsed time, not effort.
HOURS_PER_UNIT: dict[str, float] = {"m": 1 / 60, "h": 1.0, "d": 24.0, "w": 168.0}

_SIMPLE = re.compile(r"^\s*(\d+(?:\.\d+)?|\.\d+)\s*([mhdw])\s*$")
_ISO = re.compile(
    r"^P(?!$)(?:(?P<w>\d+(?:\.\d+)?)W)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


class DurationError(ValueError):
    """A lead time that cannot be read; ``hint`` says how to write it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_duration(text: str, what: str = "lead time") -> float:
    """Return the number of hours in a duration written as ``4h``, ``2d``, ``P1DT6H`` ...

    ``what`` names the duration in error messages (a lead time, a recovery time).

    >>> parse_duration("4h"), parse_duration("1.5d"), parse_duration("30m"), parse_duration("P1W")
    (4.0, 36.0, 0.5, 168.0)
    >>> parse_duration("PT1H30M")
    1.5
    """
    simple = _SIMPLE.match(text)
    if simple:
        hours = float(simple.group(1)) * HOURS_PER_UNIT[simple.group(2)]
        return _finite(hours, text, what)
    iso = _ISO.match(text.strip().upper())
    if iso:
        parts = {k: float(v) for k, v in iso.groupdict().items() if v is not None}
        hours = (
            parts.get("w", 0.0) * 168.0
            + parts.get("d", 0.0) * 24.0
            + parts.get("h", 0.0)
            + parts.get("m", 0.0) / 60
            + parts.get("s", 0.0) / 3600
        )
        return _finite(hours, text, what)
    stripped = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", stripped):
        raise DurationError(
            f"{what} '{text}' has no unit", f"add a unit, e.g. {stripped}h or {stripped}d"
        )
    if re.match(r"^P.*[YM]", stripped.upper()) and "T" not in stripped.upper().split("M")[0]:
        raise DurationError(
            f"{what} '{text}' uses years or months, which have no fixed length",
            "write it in days or weeks, e.g. P30D or 4w",
        )
    raise DurationError(
        f"cannot read {what} '{text}'",
        "write a number with a unit m, h, d or w (e.g. 4h, 1.5d) or ISO 8601 (e.g. P2D, PT6H)",
    )


def _finite(hours: float, text: str, what: str) -> float:
    if not math.isfinite(hours):
        raise DurationError(f"{what} '{text}' is too large", "use a smaller number")
    return hours


def format_hours(hours: float) -> str:
    """Render hours the way people say them: ``45m``, ``4h``, ``2d 6h``, ``3d 5h 10m``, ``3w``.

    The figure is rounded to the nearest minute first, so 47.999h is ``2d`` and not ``1d 24h``,
    and a part that is zero is left out (``2d 5m``). Whole weeks read as weeks.

    >>> format_hours(0.75), format_hours(4), format_hours(54), format_hours(0), format_hours(504)
    ('45m', '4h', '2d 6h', '0h', '3w')
    >>> format_hours(77.1667), format_hours(4.5)
    ('3d 5h 10m', '4h 30m')
    """
    if hours == 0:
        return "0h"
    if hours >= _MINUTES_EXACT:
        # past this a minute is below the float's resolution: days are the only honest unit
        return f"{hours / 24:g}d"
    minutes = round(hours * 60)
    if minutes < 60:
        return f"{minutes}m"
    days, rest = divmod(minutes, 24 * 60)
    hour, minute = divmod(rest, 60)
    if rest == 0 and days % 7 == 0:
        return f"{days // 7}w"
    parts = [f"{days}d"] if days else []
    parts += [f"{hour}h"] if hour else []
    parts += [f"{minute}m"] if minute else []
    return " ".join(parts)


# 2**53 minutes: below it every whole minute is a float
_MINUTES_EXACT = 2.0**53 / 60

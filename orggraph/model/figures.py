"""The one rounding rule for ratios people read: utilization, thresholds, failover loads.

A ratio is rounded half-up to two decimals from its shortest decimal form (``43/40`` is ``1.075``
and reads ``1.08``, not the ``1.07`` the binary float would give), and a percentage is that rounded
ratio times 100 (``108%``). The table, the reasons, the tooltip and the policy messages all use it,
so one figure never reads two ways.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = ["format_percent", "format_ratio", "round_ratio"]

_CENT = Decimal("0.01")
# wide enough for the largest float written out to the cent
_WIDE = Context(prec=400)


def round_ratio(value: float) -> Decimal:
    """``value`` rounded half-up to two decimals, as an exact decimal.

    >>> str(round_ratio(43 / 40)), str(round_ratio(0.845)), str(round_ratio(2))
    ('1.08', '0.85', '2.00')
    """
    if not math.isfinite(value):
        raise ValueError(f"not a finite ratio: {value!r}")
    return Decimal(repr(float(value) + 0.0)).quantize(_CENT, rounding=ROUND_HALF_UP, context=_WIDE)


def format_ratio(value: float) -> str:
    """A ratio with two decimals: ``1.075`` → ``'1.08'``.

    >>> format_ratio(43 / 40), format_ratio(0.9)
    ('1.08', '0.90')
    """
    return str(round_ratio(value))


def format_percent(value: float) -> str:
    """A ratio as a whole percentage of the same rounded value: ``1.075`` → ``'108%'``.

    >>> format_percent(43 / 40), format_percent(0.85), format_percent(1e-9)
    ('108%', '85%', '0%')
    """
    return f"{round_ratio(value).scaleb(2):.0f}%"

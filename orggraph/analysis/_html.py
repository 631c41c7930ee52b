"""Small HTML tables for notebooks (the ``_repr_html_`` of the result objects).

Only the standard library: every value is escaped, so ids and names taken from an org file show
as text and never run.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["cell", "section", "table"]

ROW_LIMIT = 50
"""Rows shown per table in a notebook; the rest are counted under it."""


def cell(value: Any) -> str:
    """One value as escaped text: numbers compact, lists joined, None as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, list | tuple):
        return html.escape(", ".join(str(v) for v in value))
    return html.escape(str(value))


def table(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, caption: str | None = None
) -> str:
    """An HTML table of escaped cells; at most :data:`ROW_LIMIT` rows, then a count of the rest."""
    out = ['<table class="orggraph">']
    if caption:
        out.append(f'<caption style="text-align:left">{html.escape(caption)}</caption>')
    out.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr>")
    out.append("</thead><tbody>")
    hidden = 0
    for i, row in enumerate(rows):
        if i >= ROW_LIMIT:
            hidden += 1
            continue
        out.append("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    if hidden:
        out.append(f"<p>… and {hidden} more</p>")
    return "".join(out)


def section(title: str, body: str) -> str:
    return f"<h4>{html.escape(title)}</h4>{body}"

"""``orggraph diff`` as text for a terminal, markdown for a pull-request comment, or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from orggraph.diff import Change, Diff
from orggraph.model.durations import format_hours
from orggraph.render import _words as w
from orggraph.render.markdown import md_escape

__all__ = ["render_diff_json", "render_diff_markdown", "render_diff_text"]


def _value(value: Any, field: str = "") -> str:
    if value is None:
        return "—"
    if field == "lead_time" and isinstance(value, int | float):
        return format_hours(float(value))
    if isinstance(value, float):
        return w.fmt_number(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _change(c: Change) -> str:
    return f"{c.field} {_value(c.old, c.field)} → {_value(c.new, c.field)}"


def _percent(value: float | None) -> str:
    return "—" if value is None else w.fmt_percent(value)


def _lines(d: Diff, code: Callable[[str], str]) -> list[tuple[str, list[str]]]:
    """(section title, lines) for every non-empty section, in a fixed order."""
    sections: list[tuple[str, list[str]]] = []

    def add(title: str, rows: list[str]) -> None:
        if rows:
            sections.append((title, rows))

    add(
        "Parties added",
        [f"{code(i)} ({p})" for i, p in d.parties_added],
    )
    add("Parties removed", [f"{code(i)} ({p})" for i, p in d.parties_removed])
    add(
        "Parties changed",
        [f"{code(i)}: " + "; ".join(_change(c) for c in cs) for i, cs in d.parties_changed],
    )
    add("Dependencies added", [f"{code(s)} → {code(c)}" for s, c in d.dependencies_added])
    add("Dependencies removed", [f"{code(s)} → {code(c)}" for s, c in d.dependencies_removed])
    add(
        "Dependencies changed",
        [
            f"{code(s)} → {code(c)}: " + "; ".join(_change(x) for x in cs)
            for s, c, cs in d.dependencies_changed
        ],
    )
    add(
        "New single points of failure",
        [f"{code(i)}: impact weight {w.fmt_number(x)}" for i, x in d.critical_added],
    )
    add(
        "No longer single points of failure",
        [f"{code(i)} (was impact weight {w.fmt_number(x)})" for i, x in d.critical_removed],
    )
    add(
        "Impact weight changed",
        [f"{code(i)}: {w.fmt_number(a)} → {w.fmt_number(b)}" for i, a, b in d.impact_changed],
    )
    add(
        "Lead time changed",
        [
            f"{code(c)}: {format_hours(a)} → {format_hours(b)}, "
            + (
                f"along {w.chain(cb, code)} (was {w.chain(ca, code)})"
                if ca != cb
                else f"along {w.chain(cb, code)}"
            )
            for c, a, b, ca, cb in d.lead_time_changed
        ],
    )
    add("Customers added", [code(c) for c in d.customers_added])
    add("Customers removed", [code(c) for c in d.customers_removed])
    add(
        f"Utilization crossing the threshold ({w.fmt_percent(d.threshold)})",
        [f"{code(i)}: {_percent(a)} → {_percent(b)}" for i, a, b in d.utilization_crossed],
    )
    add("New dependency cycles", [w.cycle(c, code) for c in d.cycles_added])
    add("Cycles broken", [w.cycle(c, code) for c in d.cycles_broken])
    add("Lost line of sight to every customer", [code(u) for u in d.sight_lost])
    add("Regained line of sight to a customer", [code(u) for u in d.sight_gained])
    return sections


def _summary(d: Diff) -> str:
    if not d.model_changed:
        return "No change to the model."
    model = (
        f"{w.plural(len(d.parties_added), 'party', 'parties')} added, "
        f"{len(d.parties_removed)} removed, {len(d.parties_changed)} changed; "
        f"{w.plural(len(d.dependencies_added), 'dependency', 'dependencies')} added, "
        f"{len(d.dependencies_removed)} removed, {len(d.dependencies_changed)} changed."
    )
    if not d.effects:
        return model + " No change to critical suppliers, lead times, capacity or cycles."
    return model


def render_diff_text(d: Diff) -> str:
    """The diff for a terminal: a summary line, then one section per kind of change."""
    out = [_summary(d)]
    for title, rows in _lines(d, w.clean):
        out += ["", title] + [f"  {row}" for row in rows]
    return "\n".join(out) + "\n"


def render_diff_markdown(d: Diff) -> str:
    """The diff as markdown for a pull-request comment."""
    out = ["## orggraph diff", "", md_escape(_summary(d))]
    for title, rows in _lines(d, lambda x: f"`{x.replace('`', '')}`"):
        out += ["", f"### {md_escape(title)}", ""] + [f"- {row}" for row in rows]
    return "\n".join(out) + "\n"


def render_diff_json(d: Diff) -> str:
    return json.dumps(d.to_dict(), indent=2, ensure_ascii=False) + "\n"

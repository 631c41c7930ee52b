"""``orggraph diff`` as text for a terminal, markdown for a pull-request comment, or JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from orggraph.diff import Change, Diff, GroupChange, PromiseChange, ScenarioChange
from orggraph.model.durations import format_hours
from orggraph.model.schema import PARTY_FIELD_NAMED
from orggraph.render import _words as w
from orggraph.render.markdown import md_escape

__all__ = ["render_diff_json", "render_diff_markdown", "render_diff_text"]


def _plain(value: Any) -> Any:
    """A field value as JSON can carry it: attributes may hold dates and non-finite numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _value(value: Any, field: str = "") -> str:
    """A field value as one unescaped line of text (the caller escapes it for its format)."""
    if value is None:
        return "—"
    shown = PARTY_FIELD_NAMED.get(field)
    if shown is not None and shown.form == "hours" and isinstance(value, int | float):
        return format_hours(float(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return w.fmt_number(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(_plain(v)) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(_plain(value), sort_keys=True, ensure_ascii=False)
    return str(value)


def _change(c: Change) -> str:
    old, new = w.clean(_value(c.old, c.field)), w.clean(_value(c.new, c.field))
    return f"{c.field} {old} → {new}"


def _organization_change(c: Change) -> str:
    text = _change(c)
    if c.field == "period":
        return f"{text} (every volume and capacity now counts per {w.clean(_value(c.new))})"
    return text


def _moves(g: GroupChange) -> list[tuple[str, str, str]]:
    """A group's figures as (what, before, after), in a fixed order."""
    return [
        ("impact weight", w.fmt_number(g.old_impact_weight), w.fmt_number(g.new_impact_weight)),
        ("impacted units", str(g.old_impacted_units), str(g.new_impacted_units)),
        ("impacted customers", str(g.old_impacted_customers), str(g.new_impacted_customers)),
    ]


def _group_change(g: GroupChange) -> str:
    """The figures that moved: ``impact weight 10 → 19, impacted units 0 → 5``."""
    return ", ".join(f"{what} {a} → {b}" for what, a, b in _moves(g) if a != b)


def _customers(ids: Sequence[str], code: Callable[[str], str]) -> str:
    return ", ".join(code(c) for c in ids) if ids else "none"


def _scenario_moves(x: ScenarioChange, code: Callable[[str], str]) -> list[tuple[str, str, str]]:
    """A scenario's figures as (what, before, after), in a fixed order."""
    return [
        ("impact weight", w.fmt_number(x.old_impact_weight), w.fmt_number(x.new_impact_weight)),
        ("impacted units", str(x.old_impacted_units), str(x.new_impacted_units)),
        (
            "customers losing service",
            _customers(x.old_impacted_customers, code),
            _customers(x.new_impacted_customers, code),
        ),
        (
            "past their recovery tolerance",
            _customers(x.old_past_tolerance, code),
            _customers(x.new_past_tolerance, code),
        ),
    ]


def _scenario_change(x: ScenarioChange, code: Callable[[str], str]) -> str:
    """The figures that moved: ``impact weight 95 → 0, past their recovery tolerance a → none``."""
    return ", ".join(f"{what} {a} → {b}" for what, a, b in _scenario_moves(x, code) if a != b)


_PROMISED = {"lead_time": "lead time", "quality": "quality", "recovery": "recovery"}
_DELIVERS = {"lead_time": "delivers in", "quality": "scores", "recovery": "is back after"}


def _level(metric: str, value: float) -> str:
    """A promised or actual figure: a duration for lead time and recovery, 0..1 for quality."""
    return f"{value:.2f}" if metric == "quality" else format_hours(value)


def _who(
    party: str, name: str | None, code: Callable[[str], str], text: Callable[[str], str]
) -> str:
    """``Shoppers (shoppers)``: the name with the id beside it; the id alone when they agree."""
    if name is None or name == party:
        return code(party)
    return f"{text(name)} ({code(party)})"


def _promise_change(
    p: PromiseChange, code: Callable[[str], str], text: Callable[[str], str]
) -> str:
    """``Shoppers (shoppers): lead time promised 2d, delivers in 2d 6h (was 1d 20h); set by
    Warehouse (warehouse)``: the promise after the change, what it gets now and got before."""
    if p.old_actual is None:
        was = "a new promise"
    else:
        was = f"was {_level(p.metric, p.old_actual)}"
        if p.old_promised is not None:
            was += f" against a promise of {_level(p.metric, p.old_promised)}"
    line = (
        f"{_who(p.customer, p.name, code, text)}: {_PROMISED[p.metric]} promised "
        f"{_level(p.metric, p.promised)}, {_DELIVERS[p.metric]} "
        f"{_level(p.metric, p.new_actual)} ({was})"
    )
    if p.culprit is not None:
        line += f"; set by {_who(p.culprit, p.culprit_name, code, text)}"
    return line


def _move(before: str, after: str) -> str:
    return before if before == after else f"{before} → {after}"


def _percent(value: float | None) -> str:
    return "—" if value is None else w.fmt_percent(value)


def _text_sections(d: Diff) -> list[tuple[str, list[str]]]:
    """(section title, lines) for every non-empty section, in a fixed order."""
    code = w.clean
    sections: list[tuple[str, list[str]]] = []

    def add(title: str, rows: list[str]) -> None:
        if rows:
            sections.append((title, rows))

    add("Organization changed", [_organization_change(c) for c in d.organization_changed])
    add("Parties added", [f"{code(i)} ({p})" for i, p in d.parties_added])
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
        "New groups (a unit with members, failing with them)",
        [f"{code(i)}: impact weight {w.fmt_number(x)}" for i, x in d.groups_added],
    )
    add(
        "No longer groups",
        [f"{code(i)} (was impact weight {w.fmt_number(x)})" for i, x in d.groups_removed],
    )
    add(
        "Group impact changed",
        [f"{code(g.id)}: {_group_change(g)}" for g in d.group_impact_changed],
    )
    add(
        "Scenarios added",
        [f"{code(i)}: impact weight {w.fmt_number(x)}" for i, x in d.scenarios_added],
    )
    add(
        "Scenarios removed",
        [f"{code(i)} (was impact weight {w.fmt_number(x)})" for i, x in d.scenarios_removed],
    )
    add(
        "Scenario impact changed",
        [f"{code(x.id)}: {_scenario_change(x, code)}" for x in d.scenario_impact_changed],
    )
    add("Promises broken", [_promise_change(p, code, code) for p in d.promises_broken])
    add("Promises now kept", [_promise_change(p, code, code) for p in d.promises_kept])
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
    renamed = "The organization's name or period changed. " if d.organization_changed else ""
    model = renamed + (
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
    for title, rows in _text_sections(d):
        out += ["", title] + [f"  {row}" for row in rows]
    return "\n".join(out) + "\n"


# -- markdown ----------------------------------------------------------------------------------


def _code(party: str) -> str:
    """An id in a code span: ids hold only letters, digits, '.', '_' and '-', so it is safe in a
    table cell; anything else is escaped as text instead."""
    if party and all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in party):
        return f"`{party}`"
    return md_escape(party)


def _cell(value: Any, field: str = "") -> str:
    return md_escape(_value(value, field))


def _md_chain(ids: Sequence[str]) -> str:
    return w.chain(ids, _code)


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A pipe table; the cells are already escaped. Numbers are right-aligned by the caller's
    choice of a header ending in ``:``."""
    titles = [h.rstrip(":") for h in header]
    rules = ["---:" if h.endswith(":") else ":---" for h in header]
    out = ["| " + " | ".join(titles) + " |", "|" + "|".join(rules) + "|"]
    out.extend("| " + " | ".join(row) + " |" for row in rows)
    return out


def _md_sections(d: Diff) -> list[tuple[str, list[str]]]:
    """(heading, markdown lines) for every non-empty section, in the text's order."""
    sections: list[tuple[str, list[str]]] = []

    def table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        if rows:
            sections.append((title, _md_table(header, rows)))

    def bullets(title: str, rows: Sequence[str]) -> None:
        if rows:
            sections.append((title, [f"- {row}" for row in rows]))

    table(
        "Organization changed",
        ["Field", "Before", "After"],
        [[c.field, _cell(c.old), _cell(c.new)] for c in d.organization_changed],
    )
    table("Parties added", ["Party", "Kind"], [[_code(i), p] for i, p in d.parties_added])
    table("Parties removed", ["Party", "Kind"], [[_code(i), p] for i, p in d.parties_removed])
    table(
        "Parties changed",
        ["Party", "Field", "Before", "After"],
        [
            [_code(i), c.field, _cell(c.old, c.field), _cell(c.new, c.field)]
            for i, cs in d.parties_changed
            for c in cs
        ],
    )
    table(
        "Dependencies added",
        ["Supplier", "Consumer"],
        [[_code(s), _code(c)] for s, c in d.dependencies_added],
    )
    table(
        "Dependencies removed",
        ["Supplier", "Consumer"],
        [[_code(s), _code(c)] for s, c in d.dependencies_removed],
    )
    table(
        "Dependencies changed",
        ["Supplier", "Consumer", "Field", "Before", "After"],
        [
            [_code(s), _code(c), x.field, _cell(x.old, x.field), _cell(x.new, x.field)]
            for s, c, cs in d.dependencies_changed
            for x in cs
        ],
    )
    table(
        "New single points of failure",
        ["Party", "Impact weight:"],
        [[_code(i), w.fmt_number(x)] for i, x in d.critical_added],
    )
    table(
        "No longer single points of failure",
        ["Party", "Impact weight before:"],
        [[_code(i), w.fmt_number(x)] for i, x in d.critical_removed],
    )
    table(
        "Impact weight changed",
        ["Party", "Before:", "After:"],
        [[_code(i), w.fmt_number(a), w.fmt_number(b)] for i, a, b in d.impact_changed],
    )
    table(
        "New groups (a unit with members, failing with them)",
        ["Group", "Impact weight:"],
        [[_code(i), w.fmt_number(x)] for i, x in d.groups_added],
    )
    table(
        "No longer groups",
        ["Group", "Impact weight before:"],
        [[_code(i), w.fmt_number(x)] for i, x in d.groups_removed],
    )
    table(
        "Group impact changed",
        ["Group", "Impact weight:", "Impacted units:", "Impacted customers:"],
        [[_code(g.id), *(_move(a, b) for _, a, b in _moves(g))] for g in d.group_impact_changed],
    )
    table(
        "Scenarios added",
        ["Scenario", "Impact weight:"],
        [[_code(i), w.fmt_number(x)] for i, x in d.scenarios_added],
    )
    table(
        "Scenarios removed",
        ["Scenario", "Impact weight before:"],
        [[_code(i), w.fmt_number(x)] for i, x in d.scenarios_removed],
    )
    table(
        "Scenario impact changed",
        [
            "Scenario",
            "Impact weight:",
            "Impacted units:",
            "Customers losing service",
            "Past their recovery tolerance",
        ],
        [
            [_code(x.id), *(_move(a, b) for _, a, b in _scenario_moves(x, _code))]
            for x in d.scenario_impact_changed
        ],
    )
    bullets("Promises broken", [_promise_change(p, _code, md_escape) for p in d.promises_broken])
    bullets("Promises now kept", [_promise_change(p, _code, md_escape) for p in d.promises_kept])
    table(
        "Lead time changed",
        ["Customer", "Before:", "After:", "Critical chain before", "Critical chain after"],
        [
            [
                _code(c),
                format_hours(a),
                format_hours(b),
                _md_chain(ca),
                "(unchanged)" if ca == cb else _md_chain(cb),
            ]
            for c, a, b, ca, cb in d.lead_time_changed
        ],
    )
    bullets("Customers added", [_code(c) for c in d.customers_added])
    bullets("Customers removed", [_code(c) for c in d.customers_removed])
    table(
        f"Utilization crossing the threshold ({w.fmt_percent(d.threshold)})",
        ["Unit", "Before:", "After:"],
        [[_code(i), _percent(a), _percent(b)] for i, a, b in d.utilization_crossed],
    )
    bullets("New dependency cycles", [w.cycle(c, _code) for c in d.cycles_added])
    bullets("Cycles broken", [w.cycle(c, _code) for c in d.cycles_broken])
    bullets("Lost line of sight to every customer", [_code(u) for u in d.sight_lost])
    bullets("Regained line of sight to a customer", [_code(u) for u in d.sight_gained])
    return sections


def render_diff_markdown(d: Diff) -> str:
    """The diff as markdown for a pull-request comment: a heading, the summary, then one table
    (or list) per kind of change. Every value from the files is escaped, so a name or a
    description cannot break a table or turn into markup."""
    out = ["## orggraph diff", "", md_escape(_summary(d))]
    for title, lines in _md_sections(d):
        out += ["", f"### {md_escape(title)}", "", *lines]
    return "\n".join(out) + "\n"


def render_diff_json(d: Diff) -> str:
    """The diff as one JSON object (``Diff.to_dict``), the same bytes for the same input."""
    return json.dumps(_plain(d.to_dict()), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

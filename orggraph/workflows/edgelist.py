"""``orggraph import``: an edge list (CSV or xlsx), and optionally a parties sheet, to org.yaml.

The edge list has one row per dependency: ``consumer`` depends on ``supplier``, with optional
``service``, ``volume``, ``required`` and ``any_of`` (a group label: the rows of one consumer that
share a label are alternatives, any one of them is enough) and ``note``. The parties sheet
describes the parties: ``id``, ``name``, ``party`` (unit, customer or vendor), ``kind``, ``parent``,
``capacity``, ``lead_time``, ``quality``, ``weight``, ``owner``, ``description``. A party named in
the edge list only is a unit.

Every bad row is reported as ``FILE:ROW: column: what`` with a hint, all at once. The tables are
read by :mod:`~orggraph.workflows.tables`, their cells by :mod:`~orggraph.workflows.cells`; the
YAML is written by :mod:`orggraph.model.dump` in a fixed, readable order (parties in the order
they first appear, the parties sheet first) and checked with the real loader before anyone sees
it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from orggraph.errors import OrgValidationError, Problem, did_you_mean
from orggraph.graph import NAME
from orggraph.model.dump import READABLE, iter_yaml
from orggraph.model.schema import DURATION_WORDS, PARTY_FIELDS, PARTY_MODELS, PartyField
from orggraph.workflows.cells import Row, number_text
from orggraph.workflows.tables import RowProblems, Table, check_row_widths

__all__ = [
    "EDGE_COLUMNS",
    "PARTY_COLUMNS",
    "Imported",
    "check_yaml",
    "import_org",
    "one_line",
    "to_yaml",
]

EDGE_COLUMNS = ("consumer", "supplier", "service", "volume", "required", "any_of", "note")
# the fields a parties sheet can set: every party field that fits in one cell
_PARTY_CELLS = tuple(f for f in PARTY_FIELDS if f.scalar)
PARTY_COLUMNS = ("id", NAME, "party", *(f.name for f in _PARTY_CELLS if f.name != NAME))
_REQUIRED = {"edges": ("consumer", "supplier"), "parties": ("id",)}
# other headers people write for the same column
_ALIASES = {
    "any_of_group": "any_of",
    "anyof": "any_of",
    "group": "any_of",
    "alternatives": "any_of",
    "from": "supplier",
    "to": "consumer",
    "type": "party",
    "leadtime": "lead_time",
}
_PARTIES = ("unit", "customer", "vendor")
_LISTS = {"unit": "units", "customer": "customers", "vendor": "vendors"}


def _columns(table: Table, kind: str, problems: RowProblems) -> dict[str, int]:
    """Column name -> index, matched case-insensitively; unknown and missing ones reported."""
    known = EDGE_COLUMNS if kind == "edges" else PARTY_COLUMNS
    check_row_widths(table, problems)
    found: dict[str, int] = {}
    for index, raw in enumerate(table.header):
        if not raw:
            continue
        name = re.sub(r"[\s-]+", "_", raw.strip().lower())
        name = _ALIASES.get(name, name)
        if name not in known:
            hint = did_you_mean(name, known) or f"the columns are {', '.join(known)}"
            if kind == "edges" and name in PARTY_COLUMNS:
                hint = "describe parties in a separate sheet, given with --parties"
            problems.add(table.source, table.header_row, "", f"unknown column '{raw}'", hint)
        elif name in found:
            problems.add(table.source, table.header_row, "", f"column '{raw}' appears twice")
        else:
            found[name] = index
    for name in _REQUIRED[kind]:
        if name not in found:
            problems.add(
                table.source,
                table.header_row,
                "",
                f"no '{name}' column",
                f"the first row names the columns, e.g. {', '.join(_REQUIRED[kind] + known[2:4])}",
            )
    return found


# -- building the organization ----------------------------------------------------------------


@dataclass
class _Party:
    id: str
    party: str = "unit"
    row: tuple[str, int] | None = None  # where it is described (parties sheet) or first named
    fields: dict[str, Any] = field(default_factory=dict)
    deps: list[dict[str, Any] | str] = field(default_factory=list)
    suppliers: dict[str, int] = field(default_factory=dict)  # supplier -> edge row
    groups: dict[str, tuple[dict[str, Any], int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Imported:
    """The organization built from tables, as data in the order it is written."""

    data: dict[str, list[dict[str, Any]]]
    sources: tuple[str, ...]
    edges: int


def import_org(edges: Table, parties: Table | None = None) -> Imported:
    """Build org data from an edge list and an optional parties sheet.

    Raises :class:`~orggraph.errors.OrgValidationError` listing every bad row.

    >>> t = Table("e.csv", ("consumer", "supplier"), 1, ((2, ("stores", "desk")),))
    >>> import_org(t).data["units"]
    [{'id': 'stores', 'depends_on': ['desk']}, {'id': 'desk'}]
    """
    problems = RowProblems(EDGE_COLUMNS + PARTY_COLUMNS)
    known: dict[str, _Party] = {}
    if parties is not None:
        _read_parties(parties, known, problems)
    edge_columns = _columns(edges, "edges", problems)
    if any(name not in edge_columns for name in _REQUIRED["edges"]):
        problems.raise_if_any()  # without these columns every row would only repeat it
    party_rows = {p.id: p.row for p in known.values()}
    for number, cells in edges.rows:
        row = Row(edges, number, cells, edge_columns, problems)
        _read_edge(row, known, party_rows)
    _check_groups(known, edges.source, problems)
    _check_parents(known, parties, problems)
    problems.raise_if_any()
    data: dict[str, list[dict[str, Any]]] = {"units": [], "customers": [], "vendors": []}
    for p in known.values():
        entry: dict[str, Any] = {"id": p.id, **p.fields}
        if p.deps:
            entry["depends_on"] = p.deps
        data[_LISTS[p.party]].append(entry)
    sources = (edges.source,) + ((parties.source,) if parties is not None else ())
    return Imported(data, sources, len(edges.rows))


def _cell(row: Row, field: PartyField) -> Any:
    """The value of one party field in a row, read as its form says (None when empty or bad:
    a bad cell is reported)."""
    column = field.name
    if field.form == "ref":
        return row.ident(column)
    if field.form == "number":
        return row.amount(column, positive=True)
    if field.form == "share":
        return row.amount(column, at_most=1.0)
    if field.form == "hours":
        return row.duration(column, DURATION_WORDS[column])
    return row.text(column)  # text, and the word of a choice (checked by _choice)


def _choice(row: Row, field: PartyField, word: str) -> str | None:
    """One of the words the model allows for ``field`` (None for its default, or a bad word)."""
    declared = PARTY_MODELS[field.parties[0]].model_fields[field.name]
    words = [choice.value for choice in declared.annotation]  # type: ignore[union-attr]
    if word.lower() not in words:
        row.bad(
            field.name,
            f"unknown {field.name} '{word}'",
            did_you_mean(word.lower(), words) or "write " + ", ".join(words),
        )
        return None
    default = declared.default
    return None if word.lower() == getattr(default, "value", default) else word.lower()


def _read_parties(table: Table, known: dict[str, _Party], problems: RowProblems) -> None:
    columns = _columns(table, "parties", problems)
    if "id" not in columns:
        return
    for number, cells in table.rows:
        row = Row(table, number, cells, columns, problems)
        pid = row.ident("id", required=True)
        if pid is None:
            continue
        if pid in known:
            first = known[pid].row
            row.bad(
                "id",
                f"duplicate id '{pid}': already on row {first[1] if first else '?'}",
                "describe each party once",
            )
            continue
        kind_text = (row.text("party") or "unit").lower().rstrip("s")
        if kind_text not in _PARTIES:
            row.bad(
                "party",
                f"unknown party '{row.text('party')}'",
                did_you_mean(kind_text, _PARTIES) or "write unit, customer or vendor",
            )
            kind_text = "unit"
        p = _Party(pid, kind_text, (table.source, number))
        fields: dict[str, Any] = {}
        for cell in _PARTY_CELLS:
            value = _cell(row, cell)
            if value is None:
                continue
            if p.party not in cell.parties:
                where = " and ".join(f"{party}s" for party in cell.parties)
                row.bad(
                    cell.name,
                    f"a {p.party} has no {cell.name}",
                    f"{cell.name} applies to {where} only",
                )
            elif cell.form == "choice":
                choice = _choice(row, cell, value)
                if choice is not None:
                    fields[cell.name] = choice
            else:
                fields[cell.name] = value
        p.fields = dict(sorted(fields.items(), key=lambda kv: PARTY_COLUMNS.index(kv[0])))
        known[pid] = p


def _read_edge(
    row: Row, known: dict[str, _Party], party_rows: dict[str, tuple[str, int] | None]
) -> None:
    consumer = row.ident("consumer", required=True)
    supplier = row.ident("supplier", required=True)
    service = row.text("service")
    volume = row.amount("volume")
    required = row.flag("required")
    group = row.text("any_of")
    note = row.text("note")
    if consumer is None or supplier is None:
        return
    if consumer == supplier:
        row.bad("supplier", f"'{consumer}' depends on itself", "remove the row")
        return
    c = known.get(consumer)
    if c is None:
        c = known[consumer] = _Party(consumer, row=(row.table.source, row.number))
    s = known.get(supplier)
    if s is None:
        s = known[supplier] = _Party(supplier, row=(row.table.source, row.number))
    if c.party == "vendor":
        row.bad(
            "consumer",
            f"'{consumer}' is a vendor ({_at(party_rows.get(consumer))}); "
            "vendors depend on nothing",
            "make it a unit in the parties sheet, or swap consumer and supplier",
        )
        return
    if s.party == "customer":
        row.bad(
            "supplier",
            f"'{supplier}' is a customer ({_at(party_rows.get(supplier))}); "
            "nobody depends on a customer",
            "service flows toward customers: swap consumer and supplier, or make it a unit",
        )
        return
    if supplier in c.suppliers:
        row.bad(
            "supplier",
            f"'{consumer}' already depends on '{supplier}' (row {c.suppliers[supplier]})",
            "list each supplier once per consumer; merge the rows",
        )
        return
    c.suppliers[supplier] = row.number
    if group is not None:
        entry, first = c.groups.get(group, (None, row.number))
        if entry is None:
            entry = {"any_of": []}
            c.groups[group] = (entry, row.number)
            c.deps.append(entry)
        entry["any_of"].append(supplier)
        for key, value in (
            ("service", service),
            ("volume", volume),
            ("required", required),
            ("note", note),
        ):
            if value is None:
                continue
            if key in entry and entry[key] != value:
                row.bad(
                    key,
                    f"any_of group '{group}' of '{consumer}' has {key} "
                    f"{_show(entry[key])} on row {first}, {_show(value)} here",
                    f"a group's {key} is for the group as a whole: "
                    "write it once, or the same on every row",
                )
            else:
                entry[key] = value
        return
    details: dict[str, Any] = {}
    if service is not None:
        details["service"] = service
    if volume is not None:
        details["volume"] = volume
    if required is False:
        details["required"] = False
    if note is not None:
        details["note"] = note
    c.deps.append({"supplier": supplier, **details} if details else supplier)


def _show(value: Any) -> str:
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"'{value}'"


def _at(where: tuple[str, int] | None) -> str:
    return f"{where[0]}:{where[1]}" if where else "parties sheet"


def _check_groups(known: dict[str, _Party], source: str, problems: RowProblems) -> None:
    for p in known.values():
        for label, (entry, first) in p.groups.items():
            if len(entry["any_of"]) < 2:
                problems.add(
                    source,
                    first,
                    "any_of",
                    f"any_of group '{label}' of '{p.id}' has one supplier",
                    "alternatives need two or more rows with the same group label; "
                    "or leave the label empty for a plain dependency",
                )
            # required=True is the default: written only when false
            if entry.get("required") is True:
                del entry["required"]


def _check_parents(known: dict[str, _Party], parties: Table | None, problems: RowProblems) -> None:
    units = [p.id for p in known.values() if p.party == "unit"]
    for p in known.values():
        parent = p.fields.get("parent")
        if parent is None or p.row is None:
            continue
        target = known.get(parent)
        if target is None:
            problems.add(
                p.row[0],
                p.row[1],
                "parent",
                f"unknown parent '{parent}'",
                did_you_mean(parent, units) or "add the parent as a row of the parties sheet",
            )
        elif target.party != "unit":
            problems.add(
                p.row[0], p.row[1], "parent", f"parent '{parent}' is a {target.party}, not a unit"
            )
        elif parent == p.id:
            problems.add(p.row[0], p.row[1], "parent", f"'{parent}' is its own parent")


# -- writing YAML -----------------------------------------------------------------------------


def to_yaml(imported: Imported) -> str:
    """The org.yaml text of an import: a comment header, then units, customers and vendors, in
    :data:`~orggraph.model.dump.READABLE` layout (the parties' fields in the order of
    :data:`PARTY_COLUMNS`, as :func:`import_org` builds them)."""
    from orggraph._version import __version__

    data = imported.data
    counts = ", ".join(
        f"{len(data[name])} {name if len(data[name]) != 1 else name[:-1]}"
        for name in ("units", "customers", "vendors")
    )
    header = (
        f"# Imported by orggraph {__version__} from {one_line(' and '.join(imported.sources))}\n"
        f"# ({imported.edges} dependency rows; {counts}).\n"
        "# Check it with `orggraph validate`; see docs/format.md for every field.\n"
    )
    body = {"version": 1, **{name: data[name] for name in ("units", "customers", "vendors")}}
    return header + "".join(iter_yaml(body, layout=READABLE))


def check_yaml(text: str, output_name: str, imported: Imported) -> None:
    """Read the YAML back with the real loader; a problem here is a bug of the importer or a rule
    (such as a parent cycle) no row check covers: report it by party."""
    from orggraph.model import load_text

    try:
        load_text(text, output_name)
    except OrgValidationError as exc:
        problems = [
            Problem(
                None,
                f"{' and '.join(imported.sources)}: {p.where}" if p.where else "",
                p.message,
                p.hint,
            )
            for p in exc.problems
        ]
        raise OrgValidationError(problems) from None


def one_line(text: str) -> str:
    """``text`` fit for a comment line: a line break (of any kind YAML or a reader may see) or
    another character that prints nothing is written as its Python escape, so a file name cannot
    end the comment and start YAML of its own.

    >>> one_line("edges.csv\\ninclude: [x]\\u2028")
    'edges.csv\\\\ninclude: [x]\\\\u2028'
    """
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )

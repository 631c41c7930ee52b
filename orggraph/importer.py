"""``orggraph import``: an edge list (CSV or xlsx), and optionally a parties sheet, to org.yaml.

The edge list has one row per dependency: ``consumer`` depends on ``supplier``, with optional
``service``, ``volume``, ``required`` and ``any_of`` (a group label: the rows of one consumer that
share a label are alternatives, any one of them is enough) and ``note``. The parties sheet
describes the parties: ``id``, ``name``, ``party`` (unit, customer or vendor), ``kind``, ``parent``,
``capacity``, ``lead_time``, ``quality``, ``weight``, ``owner``, ``description``. A party named in
the edge list only is a unit.

Every bad row is reported as ``FILE:ROW: column: what`` with a hint, all at once. The YAML is
written by hand in a fixed, readable order (parties in the order they first appear, the parties
sheet first) and checked with the real loader before anyone sees it.
"""

from __future__ import annotations

import csv
import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from orggraph.errors import OrgValidationError, Problem, UsageError, did_you_mean
from orggraph.model.durations import DurationError, parse_duration
from orggraph.model.schema import ID_PATTERN, UnitKind

__all__ = [
    "EDGE_COLUMNS",
    "PARTY_COLUMNS",
    "Imported",
    "Table",
    "import_org",
    "read_table",
    "to_yaml",
]

EDGE_COLUMNS = ("consumer", "supplier", "service", "volume", "required", "any_of", "note")
PARTY_COLUMNS = (
    "id",
    "name",
    "party",
    "kind",
    "parent",
    "capacity",
    "lead_time",
    "quality",
    "weight",
    "owner",
    "description",
)
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
_ID = re.compile(ID_PATTERN)
_TRUE = {"true", "yes", "y", "1", "required", "x"}
_FALSE = {"false", "no", "n", "0", "optional"}


@dataclass(frozen=True)
class Table:
    """The rows of one sheet: a header and cells, each row with the number the user sees."""

    source: str  # as shown in messages: the file name, with [sheet] for a named xlsx sheet
    header: tuple[str, ...]
    header_row: int
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


class _Problems:
    def __init__(self) -> None:
        self.found: list[tuple[str, int, int, Problem]] = []

    def add(
        self, source: str, row: int, column: str, message: str, hint: str | None = None
    ) -> None:
        order = (EDGE_COLUMNS + PARTY_COLUMNS).index(column) if column in _ALL else -1
        where = f"{source}:{row}: {column}" if column else f"{source}:{row}"
        self.found.append((source, row, order, Problem(None, where, message, hint)))

    def raise_if_any(self) -> None:
        if self.found:
            self.found.sort(key=lambda f: (f[0], f[1], f[2]))
            raise OrgValidationError([p for *_, p in self.found])


_ALL = set(EDGE_COLUMNS) | set(PARTY_COLUMNS)


# -- reading tables ---------------------------------------------------------------------------


def read_table(path: Path, *, sheet: str | None = None) -> Table:
    """The first sheet of an xlsx workbook (or the one named ``sheet``), or a CSV file.

    CSV: UTF-8 (a byte order mark is fine), the delimiter sniffed among ``,`` ``;`` and tab.
    Empty rows are skipped. Raises :class:`~orggraph.errors.UsageError` when the file cannot be
    read, :class:`~orggraph.errors.OrgValidationError` when its text cannot be read.
    """
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path)
    raise UsageError(f"cannot import {path}: expected a .csv or .xlsx file")


def _read_csv(path: Path) -> Table:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    source = str(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems = _Problems()
        problems.add(
            source,
            line,
            "",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            "save it as CSV UTF-8 (Excel: Save As, 'CSV UTF-8 (Comma delimited)')",
        )
        problems.raise_if_any()
    lines = text.splitlines(keepends=True)
    first = next((ln for ln in lines if ln.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(lines, delimiter=delimiter)
    records: list[tuple[int, tuple[Any, ...]]] = []
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                records.append((start, tuple(cells)))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems = _Problems()
        problems.add(source, start, "", f"cannot read the CSV: {exc}", "check the quotes")
        problems.raise_if_any()
    return _table(source, records)


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise UsageError(f"cannot read {path}: No such file or directory") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UsageError(f"cannot read {path}: not an xlsx workbook ({exc})") from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
            source = str(path)
        elif sheet in book.sheetnames:
            ws = book[sheet]
            source = f"{path}[{sheet}]"
        else:
            hint = did_you_mean(sheet, book.sheetnames)
            raise UsageError(f"{path} has no sheet '{sheet}'" + (f"; {hint}" if hint else ""))
        records = [
            (n, tuple(row))
            for n, row in enumerate(ws.iter_rows(values_only=True), start=1)
            if any(_blank(c) is False for c in row)
        ]
    finally:
        book.close()
    return _table(source, records)


def xlsx_sheets(path: Path) -> list[str]:
    """The sheet names of a workbook (empty when it cannot be opened)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # the real read reports what is wrong
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table(source: str, records: list[tuple[int, tuple[Any, ...]]]) -> Table:
    if not records:
        problems = _Problems()
        problems.add(source, 1, "", "the sheet is empty", "the first row names the columns")
        problems.raise_if_any()
    (header_row, header), *rows = records
    names = tuple("" if c is None else str(c).strip() for c in header)
    return Table(source, names, header_row, tuple(rows))


def _columns(table: Table, kind: str, problems: _Problems) -> dict[str, int]:
    """Column name -> index, matched case-insensitively; unknown and missing ones reported."""
    known = EDGE_COLUMNS if kind == "edges" else PARTY_COLUMNS
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


# -- reading cells ----------------------------------------------------------------------------


@dataclass
class _Row:
    table: Table
    number: int
    cells: tuple[Any, ...]
    columns: dict[str, int]
    problems: _Problems

    def raw(self, column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index >= len(self.cells):
            return None
        cell = self.cells[index]
        if isinstance(cell, str):
            cell = cell.strip()
            return cell or None
        return cell

    def bad(self, column: str, message: str, hint: str | None = None) -> None:
        self.problems.add(self.table.source, self.number, column, message, hint)

    def text(self, column: str) -> str | None:
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, _dt.datetime | _dt.date | _dt.time):
            return value.isoformat()
        return str(value)

    def ident(self, column: str, *, required: bool = False) -> str | None:
        value = self.text(column)
        if value is None:
            if required:
                self.bad(column, "empty", f"every row needs a {column} id")
            return None
        if not _ID.fullmatch(value):
            self.bad(
                column,
                f"'{value}' is not a valid id",
                "an id starts with a letter or digit and has only letters, digits, '.', '_' "
                "and '-'" + (f"; e.g. {_slug(value)}" if _slug(value) else ""),
            )
            return None
        return value

    def amount(
        self, column: str, *, positive: bool = False, at_most: float | None = None
    ) -> float | None:
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, bool):
            self.bad(column, f"expected a number, got {value}")
            return None
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                hint = "write a plain number such as 60"
                if re.fullmatch(r"-?\d+,\d+", value):
                    hint = "write decimals with a dot: " + value.replace(",", ".")
                elif value.endswith("%"):
                    hint = "write a fraction: 92% is 0.92"
                self.bad(column, f"expected a number, got '{value}'", hint)
                return None
        number = float(value)
        if not math.isfinite(number):
            self.bad(column, f"expected a finite number, got {value}")
        elif positive and number <= 0:
            self.bad(column, f"must be > 0, got {_num(number)}", "leave it empty if unknown")
        elif number < 0:
            self.bad(column, f"must be >= 0, got {_num(number)}", "leave it empty if unknown")
        elif at_most is not None and number > at_most:
            self.bad(
                column,
                f"must be between 0 and {_num(at_most)}, got {_num(number)}",
                "a survey score of 92% is written 0.92" if column == "quality" else None,
            )
        else:
            return number
        return None

    def flag(self, column: str) -> bool | None:
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        word = str(int(value) if isinstance(value, float) and value.is_integer() else value)
        if word.lower() in _TRUE:
            return True
        if word.lower() in _FALSE:
            return False
        self.bad(column, f"expected yes or no, got '{word}'", "write true/false, yes/no or 1/0")
        return None

    def lead_time(self, column: str) -> str | None:
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.bad(
                column,
                f"lead time {_num(float(value))} has no unit",
                f"write e.g. {_num(float(value))}h or {_num(float(value))}d",
            )
            return None
        text = str(value)
        try:
            parse_duration(text)
        except DurationError as exc:
            self.bad(column, exc.message, exc.hint)
            return None
        return text


def _num(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _slug(text: str) -> str:
    """An id made of ``text``: ``Service Desk EU`` -> ``service-desk-eu``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-._").lower()


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
    problems = _Problems()
    known: dict[str, _Party] = {}
    if parties is not None:
        _read_parties(parties, known, problems)
    edge_columns = _columns(edges, "edges", problems)
    if any(name not in edge_columns for name in _REQUIRED["edges"]):
        problems.raise_if_any()  # without these columns every row would only repeat it
    party_rows = {p.id: p.row for p in known.values()}
    for number, cells in edges.rows:
        row = _Row(edges, number, cells, edge_columns, problems)
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


def _read_parties(table: Table, known: dict[str, _Party], problems: _Problems) -> None:
    columns = _columns(table, "parties", problems)
    if "id" not in columns:
        return
    for number, cells in table.rows:
        row = _Row(table, number, cells, columns, problems)
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
        for column in ("name", "description", "owner"):
            if (value := row.text(column)) is not None:
                fields[column] = value
        kind = row.text("kind")
        if kind is not None:
            if p.party != "unit":
                row.bad("kind", f"a {p.party} has no kind", "kind applies to units only")
            elif kind.lower() not in {k.value for k in UnitKind}:
                row.bad(
                    "kind",
                    f"unknown kind '{kind}'",
                    did_you_mean(kind.lower(), [k.value for k in UnitKind])
                    or "write " + ", ".join(k.value for k in UnitKind),
                )
            elif kind.lower() != UnitKind.team.value:
                fields["kind"] = kind.lower()
        parent = row.ident("parent")
        if parent is not None:
            if p.party != "unit":
                row.bad("parent", f"a {p.party} has no parent", "parent applies to units only")
            else:
                fields["parent"] = parent
        capacity = row.amount("capacity", positive=True)
        if capacity is not None:
            if p.party != "unit":
                row.bad(
                    "capacity", f"a {p.party} has no capacity", "capacity applies to units only"
                )
            else:
                fields["capacity"] = capacity
        if (lead := row.lead_time("lead_time")) is not None:
            fields["lead_time"] = lead
        if (quality := row.amount("quality", at_most=1.0)) is not None:
            fields["quality"] = quality
        weight = row.amount("weight", positive=True)
        if weight is not None:
            if p.party != "customer":
                row.bad("weight", f"a {p.party} has no weight", "weight applies to customers only")
            else:
                fields["weight"] = weight
        p.fields = dict(sorted(fields.items(), key=lambda kv: PARTY_COLUMNS.index(kv[0])))
        known[pid] = p


def _read_edge(
    row: _Row, known: dict[str, _Party], party_rows: dict[str, tuple[str, int] | None]
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
        return _num(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"'{value}'"


def _at(where: tuple[str, int] | None) -> str:
    return f"{where[0]}:{where[1]}" if where else "parties sheet"


def _check_groups(known: dict[str, _Party], source: str, problems: _Problems) -> None:
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


def _check_parents(known: dict[str, _Party], parties: Table | None, problems: _Problems) -> None:
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


_PLAIN = re.compile(r"[A-Za-z0-9_./()][A-Za-z0-9 _.,/()@+&'-]*")
_FIELD_ORDER = ("id", *PARTY_COLUMNS[1:], "depends_on")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and not text.endswith(" ") and _reads_as_text(text):
        return text
    import json

    quoted = json.dumps(text, ensure_ascii=False)
    return re.sub(
        r"[^\S ]|[\x7f-\x9f\u2028\u2029\ufeff]",
        lambda m: m.group() if m.group() in "\t" else f"\\u{ord(m.group()):04x}",
        quoted,
    )


def _reads_as_text(text: str) -> bool:
    """Whether YAML reads ``text`` unquoted as text (not ``no``, ``0700``, ``2024-01-01``)."""
    from orggraph.model.yamlcore import STR, resolve_plain

    return resolve_plain(text) == STR


def _dependency(dep: dict[str, Any] | str) -> list[str]:
    if isinstance(dep, str):
        return [f"      - {_scalar(dep)}"]
    lines: list[str] = []
    for key, value in dep.items():
        shown = (
            "[" + ", ".join(_scalar(v) for v in value) + "]" if key == "any_of" else _scalar(value)
        )
        lines.append(f"      {'- ' if not lines else '  '}{key}: {shown}")
    return lines


def to_yaml(imported: Imported) -> str:
    """The org.yaml text of an import: a comment header, then units, customers and vendors."""
    from orggraph import __version__

    data = imported.data
    counts = ", ".join(
        f"{len(data[name])} {name if len(data[name]) != 1 else name[:-1]}"
        for name in ("units", "customers", "vendors")
    )
    out = [
        f"# Imported by orggraph {__version__} from {' and '.join(imported.sources)}",
        f"# ({imported.edges} dependency rows; {counts}).",
        "# Check it with `orggraph validate`; see docs/format.md for every field.",
        "version: 1",
    ]
    for name in ("units", "customers", "vendors"):
        parties = data[name]
        out.append("")
        if not parties:
            out.append(f"{name}: []")
            continue
        out.append(f"{name}:")
        for party in parties:
            first = True
            for key in sorted(party, key=_FIELD_ORDER.index):
                lead = "  - " if first else "    "
                first = False
                if key == "depends_on":
                    out.append(f"{lead}depends_on:")
                    for dep in party[key]:
                        out.extend(_dependency(dep))
                else:
                    out.append(f"{lead}{key}: {_scalar(party[key])}")
    return "\n".join(out) + "\n"


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

"""Reading a sheet into a :class:`Table`: a CSV file, or a sheet of an xlsx workbook.

A table knows nothing of what its columns mean (that is :mod:`orggraph.workflows.edgelist`); it
keeps the row numbers the user sees, so that every problem can be reported as ``FILE:ROW``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orggraph.errors import OrgValidationError, Problem, UsageError, did_you_mean, shorten
from orggraph.model.files import read_input
from orggraph.model.yamlsource import YamlTrouble

__all__ = ["RowProblems", "Table", "check_row_widths", "read_table", "xlsx_sheets"]


@dataclass(frozen=True)
class Table:
    """The rows of one sheet: a header and cells, each row with the number the user sees."""

    source: str  # as shown in messages: the file name, with [sheet] for a named xlsx sheet
    header: tuple[str, ...]
    header_row: int
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


class RowProblems:
    """The problems found in the rows of tables, reported all at once: by table and row, and
    within a row in the order of ``columns``."""

    def __init__(self, columns: Sequence[str] = ()) -> None:
        self.columns = tuple(columns)
        self.found: list[tuple[str, int, int, Problem]] = []

    def add(
        self, source: str, row: int, column: str, message: str, hint: str | None = None
    ) -> None:
        order = self.columns.index(column) if column in self.columns else -1
        where = f"{source}:{row}: {column}" if column else f"{source}:{row}"
        self.found.append((source, row, order, Problem(None, where, message, hint)))

    def raise_if_any(self) -> None:
        """Raise them all, but at most ``SIMILAR_LIMIT`` of a kind (the same words, other
        values): a 200,000-column header makes one line and a count, not 400,000 lines."""
        if not self.found:
            return
        self.found.sort(key=lambda f: (f[0], f[1], f[2]))
        kept: list[Problem] = []
        seen: dict[str, int] = {}
        for *_, problem in self.found:
            kind = _kind(problem)
            seen[kind] = seen.get(kind, 0) + 1
            if seen[kind] <= SIMILAR_LIMIT:
                kept.append(problem)
        for kind, count in seen.items():
            if count > SIMILAR_LIMIT:
                first = next(p for p in kept if _kind(p) == kind)
                kept.append(
                    Problem(
                        None,
                        first.where.split(": ")[0],
                        f"… and {count - SIMILAR_LIMIT:,} more problems like this",
                    )
                )
        raise OrgValidationError(kept)


SIMILAR_LIMIT = 10
"""Problems of one kind reported in full; the rest are counted."""


def _kind(problem: Problem) -> str:
    """A problem's words without its values: quoted text and numbers taken out."""
    return re.sub(r"'[^']*'|\d+", "", problem.message) + str(problem.hint)


SNIFF_CHARS = 4096
"""How much of a CSV file's first line decides its delimiter."""


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
    source = str(path)
    try:
        raw = read_input(path, source)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        problems = RowProblems()
        problems.add(
            source,
            line,
            "",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            "save it as CSV UTF-8 (Excel: Save As, 'CSV UTF-8 (Comma delimited)')",
        )
        problems.raise_if_any()
    # real line ends only (\n, \r\n, \r), as the csv module reads them: str.splitlines would
    # also split inside a cell at U+2028, form feed, \x85 or \x1c-\x1e, making rows of its text
    lines = list(io.StringIO(text, newline=""))
    first = next((ln for ln in lines if ln.strip()), "")
    try:
        # a bounded prefix: the sniffer's patterns take time quadratic in the text's length
        delimiter = csv.Sniffer().sniff(first[:SNIFF_CHARS], delimiters=",;\t").delimiter
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
        problems = RowProblems()
        problems.add(source, start, "", f"cannot read the CSV: {exc}", "check the quotes")
        problems.raise_if_any()
    return _table(source, records)


MAX_SHEET_ROWS = 1_048_576
"""Rows read from a sheet at most: Excel's own limit (a damaged sheet may claim more)."""

MAX_SHEET_COLUMNS = 1_000
"""Cells read from a row at most: an edge list or parties sheet has a dozen columns."""


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    import io
    import zipfile

    import openpyxl

    try:
        raw = read_input(path, str(path))
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UsageError(
            f"cannot read {path}: not an xlsx workbook ({shorten(str(exc))})"
        ) from None
    except Exception as exc:  # a damaged part: openpyxl and the XML parser raise many kinds
        raise UsageError(f"cannot read {path}: the workbook is damaged ({_why(exc)})") from None
    try:
        if sheet is None:
            name = book.sheetnames[0] if book.sheetnames else ""
            source = str(path)
        elif sheet in book.sheetnames:
            name = sheet
            source = f"{path}[{sheet}]"
        else:
            hint = did_you_mean(sheet, book.sheetnames)
            raise UsageError(f"{path} has no sheet '{sheet}'" + (f"; {hint}" if hint else ""))
        if not name:
            raise UsageError(f"cannot read {path}: the workbook has no sheet")
        records = _sheet_records(book[name], formulas[name], source)
    finally:
        book.close()
        formulas.close()
    return _table(source, records)


def _why(exc: BaseException) -> str:
    return shorten(
        f"{type(exc).__name__}: {exc}".splitlines()[0] if str(exc) else type(exc).__name__
    )


def _sheet_records(ws: Any, wf: Any, source: str) -> list[tuple[int, tuple[Any, ...]]]:
    """The non-empty rows of a sheet by row number; the whole read is guarded, since openpyxl
    parses a read-only sheet lazily, row by row.

    A sheet's declared dimension is ignored (``A1:XFD1048576`` would pad every row to 16,384
    cells and the sheet to a million rows): only the cells written are read. A formula cell
    whose value was never computed and saved (a file written by a program, not by Excel) would
    read as empty: it is reported instead.
    """
    ws.reset_dimensions()
    wf.reset_dimensions()
    problems = RowProblems()
    records: list[tuple[int, tuple[Any, ...]]] = []
    n = 0
    try:
        for values, cells in zip(
            ws.iter_rows(values_only=True), wf.iter_rows(values_only=False), strict=False
        ):
            n += 1
            if n > MAX_SHEET_ROWS:
                problems.add(
                    source,
                    n,
                    "",
                    f"the sheet has more than {MAX_SHEET_ROWS:,} rows",
                    "an edge list has one row per dependency; split the sheet",
                )
                break
            if len(values) > MAX_SHEET_COLUMNS:
                problems.add(
                    source,
                    n,
                    "",
                    f"the row has more than {MAX_SHEET_COLUMNS:,} cells",
                    "keep the columns orggraph reads (docs/cli.md, import)",
                )
                break
            for k, (value, cell) in enumerate(zip(values, cells, strict=False)):
                if value is None and getattr(cell, "data_type", None) == "f":
                    problems.add(
                        source,
                        n,
                        "",
                        f"cell {_column_letter(k)}{n} holds a formula with no saved value "
                        f"({shorten(str(cell.value))})",
                        "open the workbook in a spreadsheet program and save it, "
                        "or replace the formula by its value",
                    )
            if any(_blank(c) is False for c in values):
                records.append((n, tuple(values)))
    except Exception as exc:  # damaged XML, a bad shared string, number, date or reference
        problems.add(
            source,
            n + 1,
            "",
            f"cannot read the sheet: it is damaged ({_why(exc)})",
            "open it in a spreadsheet program and save it again",
        )
    problems.raise_if_any()
    return records


def _column_letter(k: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(k + 1))


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


def check_row_widths(table: Table, problems: RowProblems) -> None:
    """Report every row with a cell past the header's last named column: nothing would read it,
    and a cell that holds the delimiter unquoted (``Sales, Dublin``) splits in two this way.
    Empty trailing cells (``a,b,``, as spreadsheets export them) lose nothing and pass.

    >>> t = Table("e.csv", ("consumer", "supplier"), 1, ((2, ("a", "b", "")), (3, ("a", "b", "c"))))
    >>> problems = RowProblems()
    >>> check_row_widths(t, problems)
    >>> [p.where + ": " + p.message for *_, p in problems.found]
    ['e.csv:3: 3 cells, but the header has 2 columns']
    """
    columns = _width(table.header)
    for number, cells in table.rows:
        width = _width(cells)
        if width > columns:
            problems.add(
                table.source,
                number,
                "",
                f"{width} cells, but the header has {columns} columns",
                'quote a cell that holds the delimiter ("Sales, Dublin"), '
                "or name the extra column in the header row",
            )


def _width(cells: Sequence[Any]) -> int:
    """The number of cells up to the last one that holds something."""
    width = len(cells)
    while width and _blank(cells[width - 1]):
        width -= 1
    return width


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _table(source: str, records: list[tuple[int, tuple[Any, ...]]]) -> Table:
    if not records:
        problems = RowProblems()
        problems.add(source, 1, "", "the sheet is empty", "the first row names the columns")
        problems.raise_if_any()
    (header_row, header), *rows = records
    names = tuple("" if c is None else str(c).strip() for c in header)
    return Table(source, names, header_row, tuple(rows))

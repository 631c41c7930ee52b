"""Reading a sheet into a :class:`Table`: a CSV file, or a sheet of an xlsx workbook.

A table knows nothing of what its columns mean (that is :mod:`orggraph.workflows.edgelist`); it
keeps the row numbers the user sees, so that every problem can be reported as ``FILE:ROW``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orggraph.errors import OrgValidationError, Problem, UsageError, did_you_mean

__all__ = ["RowProblems", "Table", "read_table", "xlsx_sheets"]


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
        if self.found:
            self.found.sort(key=lambda f: (f[0], f[1], f[2]))
            raise OrgValidationError([p for *_, p in self.found])


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
        problems = RowProblems()
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
        problems = RowProblems()
        problems.add(source, 1, "", "the sheet is empty", "the first row names the columns")
        problems.raise_if_any()
    (header_row, header), *rows = records
    names = tuple("" if c is None else str(c).strip() for c in header)
    return Table(source, names, header_row, tuple(rows))

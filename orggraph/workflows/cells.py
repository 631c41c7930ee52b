"""Reading the cells of a row: text, ids, amounts, yes/no flags and lead times, each checked,
each bad cell reported as ``FILE:ROW: column: what`` with a hint for a person editing a sheet."""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from typing import Any

from orggraph.model.durations import DurationError, parse_duration
from orggraph.model.schema import ID_PATTERN
from orggraph.workflows.tables import RowProblems, Table

__all__ = ["Row", "number_text"]

_ID = re.compile(ID_PATTERN)
_TRUE = {"true", "yes", "y", "1", "required", "x"}
_FALSE = {"false", "no", "n", "0", "optional"}


@dataclass
class Row:
    """One row of a table, read cell by cell: each reader reports a bad cell and returns None."""

    table: Table
    number: int
    cells: tuple[Any, ...]
    columns: dict[str, int]
    problems: RowProblems

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
            self.bad(column, f"must be > 0, got {number_text(number)}", "leave it empty if unknown")
        elif number < 0:
            self.bad(
                column, f"must be >= 0, got {number_text(number)}", "leave it empty if unknown"
            )
        elif at_most is not None and number > at_most:
            self.bad(
                column,
                f"must be between 0 and {number_text(at_most)}, got {number_text(number)}",
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

    def duration(self, column: str, what: str = "lead time") -> str | None:
        """A duration such as 4h or P2D, kept as written; ``what`` names it in messages."""
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.bad(
                column,
                f"{what} {number_text(float(value))} has no unit",
                f"write e.g. {number_text(float(value))}h or {number_text(float(value))}d",
            )
            return None
        text = str(value)
        try:
            parse_duration(text, what)
        except DurationError as exc:
            self.bad(column, exc.message, exc.hint)
            return None
        return text


def number_text(value: float) -> str:
    """A number as a message shows it: 60 rather than 60.0."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _slug(text: str) -> str:
    """An id made of ``text``: ``Service Desk EU`` -> ``service-desk-eu``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text.strip()).strip("-._").lower()

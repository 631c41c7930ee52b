"""Internal service surveys (SPEC §8): one response per row, ``consumer,supplier,score``.

A survey is a CSV file (a header row, then one response per row) or a YAML file (a list of
mappings, or a mapping with a ``responses:`` list). Columns/keys: ``consumer``, ``supplier``,
``score`` (required), ``dimension``, ``date``, ``comment`` (optional). Scores are on the scale
stated once for the whole file (``1-5``, ``1-7`` or ``0-10``) and kept normalized to 0..1 as
``(score - min) / (max - min)``. A row whose score is empty is a question not answered yet (the
template a team sends out has one row per dependency and no scores) and is skipped.

Every problem is reported at once, located: ``FILE:ROW: column: what`` for CSV (rows counted as
a spreadsheet shows them, the header being row 1), ``FILE:LINE:COL: where: what`` for YAML.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orggraph.errors import (
    OrgValidationError,
    Problem,
    UsageError,
    did_you_mean,
    quoted,
)
from orggraph.model.yamlsource import SourceMap, YamlTrouble, decode, parse_yaml

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "SCALES", "Survey", "SurveyResponse", "load_survey"]

SCALES: dict[str, tuple[int, int]] = {"1-5": (1, 5), "1-7": (1, 7), "0-10": (0, 10)}
"""The scales a survey may be written on, by the name ``--scale`` takes."""
REQUIRED_COLUMNS = ("consumer", "supplier", "score")
COLUMNS = (*REQUIRED_COLUMNS, "dimension", "date", "comment")


@dataclass(frozen=True, slots=True)
class SurveyResponse:
    """One response: how ``consumer`` rates the service of ``supplier``.

    ``score`` is normalized to 0..1; ``raw`` is the score as written. ``dimension`` is "" when
    the row names none. ``where`` locates the row (``FILE:ROW`` or ``FILE:LINE:COL``).
    """

    consumer: str
    supplier: str
    score: float
    raw: float
    dimension: str = ""
    date: str | None = None
    comment: str | None = None
    where: str = ""


@dataclass(frozen=True, slots=True)
class Survey:
    """The answered responses of one survey file, in file order."""

    source: str
    scale: tuple[int, int]
    responses: tuple[SurveyResponse, ...]


def _scale(scale: str | tuple[int, int]) -> tuple[int, int]:
    if isinstance(scale, tuple):
        if scale not in SCALES.values():
            raise UsageError(f"scale {scale}: use one of {', '.join(SCALES)}")
        return scale
    found = SCALES.get(scale.strip())
    if found is None:
        raise UsageError(f"--scale {scale}: use one of {', '.join(SCALES)}")
    return found


def load_survey(
    path: str | Path, parties: Iterable[str], *, scale: str | tuple[int, int] = "1-5"
) -> Survey:
    """Read a survey file (CSV or YAML) about the parties ``parties`` (ids, or the graph itself).

    Raises :class:`~orggraph.errors.OrgValidationError` with every problem located (an id that
    is no party, with did-you-mean; a score that is no number or is off the scale; a missing or
    unknown column) and :class:`~orggraph.errors.UsageError` when the file cannot be read or the
    scale is not one of :data:`SCALES`. Pairs that are no dependency are not checked here: the
    analysis warns about them.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = os.path.join(tmp, "survey.csv")
    ...     with open(path, "w") as f:
    ...         _ = f.write("consumer,supplier,score\\nstores,warehouse,4\\n")
    ...     survey = load_survey(path, ["stores", "warehouse"])
    >>> [(r.consumer, r.supplier, r.score) for r in survey.responses]
    [('stores', 'warehouse', 0.75)]
    """
    low_high = _scale(scale)
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from None
    known = parties if isinstance(parties, Collection) else list(parties)
    known_set = set(known)
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        rows = _yaml_rows(raw, name)
    else:
        rows = _csv_rows(raw, name)
    problems: list[tuple[tuple[int, int, int], Problem]] = []
    responses: list[SurveyResponse] = []
    low, high = low_high
    for row in rows:
        bad = False
        for column in ("consumer", "supplier"):
            value = row.text(column)
            if value is None:
                problems.append(row.problem(column, f"no {column}", f"write the {column}'s id"))
                bad = True
            elif value not in known_set:
                hint = did_you_mean(value, known) or "write the id of a party of the organization"
                problems.append(row.problem(column, f"{quoted(value)} is no party", hint))
                bad = True
        score = row.number("score")
        if isinstance(score, str):
            problems.append(row.problem("score", score, f"write a number from {low} to {high}"))
            continue
        if score is None:
            continue  # not answered
        if not low <= score <= high:
            problems.append(
                row.problem(
                    "score",
                    f"score {score:g} is off the scale {low}-{high}",
                    f"write a number from {low} to {high}, or give the survey's scale with "
                    "--scale 1-5, 1-7 or 0-10",
                )
            )
            continue
        if bad:
            continue
        responses.append(
            SurveyResponse(
                consumer=str(row.text("consumer")),
                supplier=str(row.text("supplier")),
                score=(score - low) / (high - low),
                raw=score,
                dimension=row.text("dimension") or "",
                date=row.text("date"),
                comment=row.text("comment"),
                where=row.where,
            )
        )
    if problems:
        problems.sort(key=lambda p: p[0])
        raise OrgValidationError([p for _, p in problems])
    return Survey(name, low_high, tuple(responses))


class _Row:
    """One response as read, and how to locate each of its cells."""

    __slots__ = ("cells", "csv_row", "order", "smap", "source", "where", "yaml_index")

    def __init__(
        self,
        source: str,
        cells: dict[str, Any],
        *,
        csv_row: int = 0,
        smap: SourceMap | None = None,
        yaml_path: tuple[Hashable, ...] = (),
    ) -> None:
        self.source = source
        self.cells = cells
        self.csv_row = csv_row
        self.smap = smap
        self.yaml_index = yaml_path
        if smap is None:
            self.where = f"{source}:{csv_row}"
            self.order = csv_row
        else:
            self.where = str(smap.locate(yaml_path))
            self.order = smap.locate(yaml_path).line

    def text(self, column: str) -> str | None:
        value = self.cells.get(column)
        if value is None:
            return None
        if self.smap is not None:
            typed = self.smap.typed.get((*self.yaml_index, column))
            if typed is not None:
                return typed[0]
        text = str(value).strip()
        return text or None

    def number(self, column: str) -> float | str | None:
        """The cell as a number, None when empty, or a message saying why it is no number."""
        value = self.cells.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool):
            return f"expected a number, but found {str(value).lower()}"
        if isinstance(value, int | float):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                return f"expected a number, but found {quoted(str(value))}"
        if not math.isfinite(number):
            return f"expected a number, but found {quoted(str(value))}"
        return number

    def problem(
        self, column: str, message: str, hint: str | None = None
    ) -> tuple[tuple[int, int, int], Problem]:
        order = COLUMNS.index(column) if column in COLUMNS else -1
        if self.smap is None:
            where = f"{self.source}:{self.csv_row}: {column}"
            return (self.csv_row, order, 0), Problem(None, where, message, hint)
        path = (*self.yaml_index, column)
        loc = self.smap.locate(path, key=column not in self.cells)
        where = "[" + str(self.yaml_index[-1]) + "]." + column
        if len(self.yaml_index) > 1:
            where = f"{self.yaml_index[0]}{where}"
        return (loc.line, loc.col, order), Problem(loc, where, message, hint)


def _csv_rows(raw: bytes, source: str) -> list[_Row]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise OrgValidationError(
            [
                Problem(
                    None,
                    f"{source}:{line}",
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                    "save it as CSV UTF-8 (Excel: Save As, 'CSV UTF-8 (Comma delimited)')",
                )
            ]
        ) from None
    lines = text.splitlines(keepends=True)
    first = next((ln for ln in lines if ln.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(first, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    header_row = 0
    rows: list[_Row] = []
    start = 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                if header is None:
                    header = [c.strip().lower() for c in cells]
                    header_row = start
                    _check_header(header, source, header_row)
                else:
                    record = {
                        column: cell for column, cell in zip(header, cells, strict=False) if column
                    }
                    rows.append(_Row(source, record, csv_row=start))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise OrgValidationError(
            [Problem(None, f"{source}:{start}", f"cannot read the CSV: {exc}", "check the quotes")]
        ) from None
    if header is None:
        raise OrgValidationError(
            [
                Problem(
                    None,
                    f"{source}:1",
                    "the survey is empty",
                    "write a header row: " + ",".join(COLUMNS),
                )
            ]
        )
    return rows


def _check_header(header: list[str], source: str, row: int) -> None:
    problems: list[Problem] = []
    for column in header:
        if column and column not in COLUMNS:
            problems.append(
                Problem(
                    None,
                    f"{source}:{row}: {column}",
                    "unknown column",
                    did_you_mean(column, COLUMNS) or "the columns are: " + ", ".join(COLUMNS),
                )
            )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(
            Problem(
                None,
                f"{source}:{row}",
                "missing column" + ("s " if len(missing) > 1 else " ") + ", ".join(missing),
                "the header row names at least: " + ",".join(REQUIRED_COLUMNS),
            )
        )
    if problems:
        raise OrgValidationError(problems)


def _yaml_rows(raw: bytes, source: str) -> list[_Row]:
    try:
        data, smap, problems = parse_yaml(decode(raw, source), source, track=True)
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    assert smap is not None
    if problems:
        raise OrgValidationError(problems)
    prefix: tuple[Hashable, ...] = ()
    if isinstance(data, dict) and set(data) == {"responses"}:
        data, prefix = data["responses"], ("responses",)
    if not isinstance(data, list):
        raise OrgValidationError(
            [
                Problem(
                    smap.locate(prefix),
                    "",
                    "a survey is a list of responses",
                    "write one '- {consumer: ID, supplier: ID, score: N}' per line",
                )
            ]
        )
    rows: list[_Row] = []
    found: list[Problem] = []
    for i, entry in enumerate(data):
        path = (*prefix, i)
        if not isinstance(entry, dict):
            found.append(
                Problem(
                    smap.locate(path),
                    f"[{i}]",
                    "a response is a mapping",
                    "write {consumer: ID, supplier: ID, score: N}",
                )
            )
            continue
        for key in entry:
            if key not in COLUMNS:
                found.append(
                    Problem(
                        smap.locate((*path, key), key=True),
                        f"[{i}]",
                        f"unknown key {quoted(str(key))}",
                        did_you_mean(str(key), COLUMNS) or "the keys are: " + ", ".join(COLUMNS),
                    )
                )
        rows.append(_Row(source, entry, smap=smap, yaml_path=path))
    if found:
        raise OrgValidationError(sorted(found, key=Problem.sort_key))
    return rows

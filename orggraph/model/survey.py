"""Internal service surveys (SPEC §8): one response per row, ``consumer,supplier,score``.

A survey is a CSV file (a header row, then one response per row) or a YAML file (a list of
mappings, or a mapping with a ``responses:`` list). Columns/keys: ``consumer``, ``supplier``,
``score`` (required), ``dimension``, ``date``, ``comment`` (optional). Scores are on the scale
stated once for the whole file (``1-5``, ``1-7`` or ``0-10``) and kept normalized to 0..1 as
``(score - min) / (max - min)``. A row whose score is empty is a question not answered yet (the
template a team sends out has one row per dependency and no scores) and is skipped.

Every problem is reported at once, located: ``FILE:ROW: column: what`` for CSV (rows counted as
a spreadsheet shows them, the header being row 1), ``FILE:LINE:COL: where: what`` for YAML.

One module of over 500 lines on purpose: the fast column reading of a well-formed CSV and the
row-by-row reading it falls back to must give the same responses and word every problem the
same way, so they sit side by side with the wording they share.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import itemgetter
from pathlib import Path
from typing import Any, overload

from orggraph.errors import (
    OrgValidationError,
    Problem,
    UsageError,
    did_you_mean,
    quoted,
)
from orggraph.model.yamlsource import SourceMap, YamlTrouble, decode, parse_yaml

__all__ = [
    "COLUMNS",
    "REQUIRED_COLUMNS",
    "SCALES",
    "ResponseColumns",
    "Survey",
    "SurveyResponse",
    "load_survey",
]

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
    """The answered responses of one survey file, in file order (a :class:`ResponseColumns`
    when read from a CSV file)."""

    source: str
    scale: tuple[int, int]
    responses: Sequence[SurveyResponse]


class ResponseColumns(Sequence[SurveyResponse]):
    """Responses kept as one list per field, in file order: a survey of a million rows read
    from CSV would otherwise be a million objects. Indexing makes the :class:`SurveyResponse`;
    the lists (ids and dimensions shared, not copied per row) are for readers that go through
    every response. ``rows`` are the CSV rows the responses were read from."""

    __slots__ = (
        "comment",
        "consumer",
        "date",
        "dimension",
        "raw",
        "rows",
        "score",
        "source",
        "supplier",
    )

    def __init__(
        self,
        source: str,
        rows: list[int],
        consumer: list[str],
        supplier: list[str],
        score: list[float],
        raw: list[float],
        dimension: list[str],
        date: list[str | None],
        comment: list[str | None],
    ) -> None:
        self.source = source
        self.rows = rows
        self.consumer = consumer
        self.supplier = supplier
        self.score = score
        self.raw = raw
        self.dimension = dimension
        self.date = date
        self.comment = comment

    def where(self, i: int) -> str:
        """Where response ``i`` was read: ``FILE:ROW``."""
        return f"{self.source}:{self.rows[i]}"

    @overload
    def __getitem__(self, i: int) -> SurveyResponse: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[SurveyResponse, ...]: ...

    def __getitem__(self, i: int | slice) -> SurveyResponse | tuple[SurveyResponse, ...]:
        if isinstance(i, slice):
            return tuple(self[j] for j in range(*i.indices(len(self))))
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError("response index out of range")
        return SurveyResponse(
            self.consumer[i],
            self.supplier[i],
            self.score[i],
            self.raw[i],
            self.dimension[i],
            self.date[i],
            self.comment[i],
            self.where(i),
        )

    def __len__(self) -> int:
        return len(self.rows)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"ResponseColumns({self.source!r}, {len(self)} responses)"


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
        header, records, numbers = _csv_table(raw, name)
        columns = _csv_columns(name, header, records, numbers, known_set, low_high)
        if columns is not None:
            return Survey(name, low_high, columns)
        # some row is not well formed: read row by row, to locate every problem
        rows = [
            _Row(name, {c: cell for c, cell in zip(header, cells, strict=False) if c}, csv_row=n)
            for cells, n in zip(records, numbers, strict=True)
        ]
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


def _number(value: Any) -> float | str | None:
    """A cell as a number, None when empty, or a message saying why it is no number."""
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
        return _number(self.cells.get(column))

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


def _csv_table(raw: bytes, source: str) -> tuple[list[str], list[list[str]], list[int]]:
    """The header (checked), the rows that are not blank, and each one's row number (the line it
    starts on)."""
    header: list[str] | None
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
    if '"' not in text:
        # no quotes, so one row per line: read them all at once, number them by position
        try:
            everything = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error:
            pass  # read again row by row below, to say where
        else:
            filled = [i for i, cells in enumerate(everything) if "".join(cells).strip()]
            if filled:
                header = [c.strip().lower() for c in everything[filled[0]]]
                _check_header(header, source, filled[0] + 1)
                if len(filled) == len(everything) - filled[0]:  # no blank row after the header
                    return (
                        header,
                        everything[filled[0] + 1 :],
                        list(range(filled[0] + 2, len(everything) + 1)),
                    )
                return header, [everything[i] for i in filled[1:]], [i + 1 for i in filled[1:]]
    reader = csv.reader(lines, delimiter=delimiter)
    header = None
    header_row = 0
    records: list[list[str]] = []
    numbers: list[int] = []
    start = 1
    try:
        for cells in reader:
            if "".join(cells).strip():  # a row of blank cells is no response
                if header is None:
                    header = [c.strip().lower() for c in cells]
                    header_row = start
                    _check_header(header, source, header_row)
                else:
                    records.append(cells)
                    numbers.append(start)
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
    return header, records, numbers


def _csv_columns(
    source: str,
    header: list[str],
    records: list[list[str]],
    numbers: list[int],
    known: Collection[str],
    scale: tuple[int, int],
) -> ResponseColumns | None:
    """The responses of a CSV survey whose every row is well formed, checked a column at a time
    (each distinct score parsed once, the ids as sets); None when some row is not (an unknown
    or missing id, a score that is no number or off the scale, a short row, a column named
    twice), for the row-by-row reading that locates each problem."""
    where = {column: i for i, column in enumerate(header) if column}
    if len(where) != sum(1 for column in header if column):
        return None  # a column named twice: the row-by-row reading keeps the last one present
    width = max(where.values()) + 1
    if records and min(map(len, records)) < width:
        return None

    def column(name: str) -> list[str] | None:
        i = where.get(name)
        return None if i is None else [cell.strip() for cell in map(itemgetter(i), records)]

    consumers, suppliers, scores = column("consumer"), column("supplier"), column("score")
    assert consumers is not None and suppliers is not None and scores is not None  # checked
    ids = set(consumers) | set(suppliers)
    if not ids.issubset(known):  # an unknown id, or a missing one ("" is no party)
        return None
    low, high = scale
    normalized: dict[str, float] = {}
    as_written: dict[str, float] = {}
    for text in set(scores):
        number = _number(text)
        if number is None:
            continue  # not answered
        if isinstance(number, str) or not low <= number <= high:
            return None
        normalized[text], as_written[text] = (number - low) / (high - low), number
    answered: list[bool] | None = None
    if len(normalized) < len(set(scores)):  # some rows are not answered yet: leave them out
        answered = [text in normalized for text in scores]

    def keep(values: list[Any]) -> list[Any]:
        return values if answered is None else list(compress(values, answered))

    shared = {v: v for v in ids}  # one string per id, not one per row
    dimensions = column("dimension")
    dates = column("date")
    comments = column("comment")
    rows = keep(numbers)
    return ResponseColumns(
        source,
        rows,
        [shared[v] for v in keep(consumers)],
        [shared[v] for v in keep(suppliers)],
        [normalized[t] for t in keep(scores)],
        [as_written[t] for t in keep(scores)],
        [""] * len(rows) if dimensions is None else _shared(keep(dimensions)),
        [None] * len(rows) if dates is None else _shared([d or None for d in keep(dates)]),
        [None] * len(rows) if comments is None else [c or None for c in keep(comments)],
    )


def _shared(values: list[Any]) -> list[Any]:
    """``values`` with equal strings made one object (a survey repeats its dimensions and
    dates on every row)."""
    seen: dict[Any, Any] = {}
    return [seen.setdefault(v, v) for v in values]


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

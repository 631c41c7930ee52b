"""Load an organization from a file, text or dict, with every problem located.

The fast path reads the YAML without recording positions and validates it. Only when something
is wrong is the text read a second time, recording where every value came from, so each problem
can be reported as ``FILE:LINE:COL: where: what`` with a hint.
"""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from orggraph.errors import (
    Location,
    OrgValidationError,
    Problem,
    UsageError,
    did_you_mean,
    shorten,
)
from orggraph.errors import quoted as _quoted
from orggraph.model.fastyaml import DECLINED, read_simple_yaml
from orggraph.model.rules import RuleIssue, check_rules
from orggraph.model.schema import (
    ID_PATTERN,
    UNION_TAGS,
    AnyOf,
    Customer,
    Dependency,
    Org,
    OrgInfo,
    Unit,
    UnitKind,
    Vendor,
)
from orggraph.model.yamlsource import (
    SourceMap,
    YamlTrouble,
    decode,
    describe_typed,
    parse_yaml,
    surrogate_problem,
)

__all__ = ["Sources", "load", "load_dict", "load_sources", "load_text", "paused_gc"]

PathT = tuple[Hashable, ...]
_ID = re.compile(ID_PATTERN)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive.

    The collector would otherwise rescan the growing heap again and again, which makes loading
    superlinear; nothing built while loading is garbage, so there is nothing for it to find.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True, slots=True)
class Sources:
    """An organization and every file it was read from (more than one when it is split)."""

    org: Org
    files: tuple[Path, ...]
    """The files read, in the order their parties were merged, named as in messages."""
    folders: tuple[Path, ...] = ()
    """The folders whose org files were read (the folder given, folders named by include:)."""


def load(path: str | Path) -> Org:
    """Read and validate an org file, or a folder of them (see :func:`load_sources`).

    Raises :class:`~orggraph.errors.OrgValidationError` carrying every located problem, or
    :class:`~orggraph.errors.UsageError` when the file cannot be read at all.
    """
    return load_sources(path).org


def load_sources(path: str | Path) -> Sources:
    """Read and validate an organization with the list of files it came from.

    ``path`` is one org file, or a folder whose ``*.yaml``, ``*.yml`` and ``*.json`` files
    (recursively) make up one organization; a file may name others in ``include:``. A single
    file without ``include:`` takes the fast path of :func:`load_text`.
    """
    p = Path(path)
    if p.is_dir():
        from orggraph.model.include import load_tree

        return load_tree(p)
    try:
        raw = p.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"cannot read {p}: it is a directory") from None
    except OSError as exc:
        raise UsageError(f"cannot read {p}: {exc.strerror or exc}") from None
    filename = str(path)
    try:
        text = decode(raw, filename)
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    org = _load_one(text, filename, follow_include=True)
    if org is None:  # it includes other files
        from orggraph.model.include import load_tree

        return load_tree(p)
    return Sources(org, (p,))


def load_text(text: str, filename: str = "<string>") -> Org:
    """Validate an organization given as YAML (or JSON) text.

    Text has no folder to find included files in, so ``include:`` is an error here; load the
    file by its path instead.

    >>> org = load_text("units: [{id: a}]\\ncustomers: [{id: c, depends_on: [a]}]\\n")
    >>> [u.id for u in org.units], org.customers[0].depends_on
    (['a'], ['a'])
    """
    org = _load_one(text, filename, follow_include=False)
    assert org is not None
    return org


def _includes(data: Any) -> bool:
    return isinstance(data, dict) and bool(data.get("include"))


def yaml_data(text: str, filename: str) -> Any:
    """The data of a YAML text, without positions: the fast line reader takes generated files,
    the full reader everything it declines (and raises ``YamlTrouble`` for what is wrong)."""
    data = read_simple_yaml(text)
    if data is DECLINED:
        data, _, _ = parse_yaml(text, filename, track=False)
    return data


def _load_one(text: str, filename: str, *, follow_include: bool) -> Org | None:
    """The organization in one text, or None when it includes others and ``follow_include``."""
    is_json = filename.lower().endswith(".json")
    with paused_gc():
        try:
            data = _parse_json(text, filename) if is_json else yaml_data(text, filename)
            if _includes(data):
                if follow_include:
                    return None
            else:
                org = _validate(data)
                if org is not None:
                    return org
        except YamlTrouble:
            pass
        except _JsonTrouble as trouble:
            raise OrgValidationError([trouble.problem]) from None
        # Something is wrong: read again, this time remembering where everything is.
        try:
            yaml_text = _yaml_readable_json(text) if is_json else text
            data, smap, yaml_problems = parse_yaml(
                yaml_text, filename, track=True, json_numbers=is_json
            )
        except YamlTrouble as trouble:
            raise OrgValidationError(trouble.problems) from None
        assert smap is not None
        if _includes(data):
            if follow_include:
                return None
            yaml_problems.append(
                Problem(
                    smap.locate(("include",), key=True),
                    "include",
                    "text read without a file cannot include other files",
                    "load the file by its path, so that included paths have a folder to be in",
                )
            )
        problems = yaml_problems + _problems(data, smap, filename)
    problems.sort(key=Problem.sort_key)
    if not problems:  # pragma: no cover - the two reads disagree; should not happen
        problems = [Problem(Location(filename, 1, 1), "", "the file could not be validated")]
    raise OrgValidationError(problems)


class _JsonTrouble(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateJsonKey(key)
        out[key] = value
    return out


class _DuplicateJsonKey(Exception):
    pass


# JSON writes a character beyond U+FFFF as two escaped surrogates; YAML refuses those
_SURROGATE_PAIR = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
)


def _yaml_readable_json(text: str) -> str:
    """JSON text YAML reads as the same data: surrogate pairs become one ``\\U`` escape.

    Columns after such a character on its line shift left by two; lines stay right.
    """
    if "\\u" not in text:
        return text

    def one_escape(m: re.Match[str]) -> str:
        high, low = int(m[2], 16) - 0xD800, int(m[3], 16) - 0xDC00
        return f"{m[1]}\\U{0x10000 + (high << 10) + low:08X}"

    return _SURROGATE_PAIR.sub(one_escape, text)


# a \uD800 to \uDFFF escape (its backslash not itself escaped): half of a surrogate pair
_SURROGATE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*(\\u[dD][89a-fA-F][0-9a-fA-F]{2})")


def _lone_surrogate_escape(text: str) -> int | None:
    """Where JSON text escapes half of a surrogate pair without the other half, or None.

    Python's JSON reader accepts ``"\\ud800"`` and makes a string no UTF-8 file can hold.
    """
    high: int | None = None  # the start of a high half waiting for its low half
    for m in _SURROGATE_ESCAPE.finditer(text):
        start = m.start(1)
        if int(m[1][2:], 16) < 0xDC00:
            if high is not None:
                return high
            high = start
        elif high is not None and start == high + 6:
            high = None
        else:
            return high if high is not None else start
    return high


def _parse_json(text: str, filename: str) -> Any:
    """JSON parses several times faster than YAML; errors are located by the YAML re-read."""
    if not text.strip():
        return None  # the YAML re-read reports an empty file as such
    surrogate = surrogate_problem(text, filename)
    if surrogate is not None:
        raise _JsonTrouble(surrogate)
    if "\\u" in text:
        lone = _lone_surrogate_escape(text)
        if lone is not None:
            line = text.count("\n", 0, lone) + 1
            col = lone - (text.rfind("\n", 0, lone) + 1) + 1
            raise _JsonTrouble(
                Problem(
                    Location(filename, line, col),
                    "",
                    f"invalid JSON: {text[lone : lone + 6]} is half of a surrogate pair, "
                    "not a character",
                    "write the character itself, or both halves of its pair",
                )
            )
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        before = text[: exc.pos].rstrip()
        hint = "JSON allows no comma before ']' or '}'" if before.endswith(",") else None
        raise _JsonTrouble(
            Problem(Location(filename, exc.lineno, exc.colno), "", f"invalid JSON: {exc.msg}", hint)
        ) from None
    except _DuplicateJsonKey:
        # the YAML reader reports duplicate keys with their position
        raise YamlTrouble([]) from None
    except RecursionError:
        raise _JsonTrouble(
            Problem(Location(filename, 1, 1), "", "the JSON nests too deeply")
        ) from None


def load_dict(data: Any, source: str = "<dict>") -> Org:
    """Validate an organization given as Python data (as parsed from YAML or JSON).

    Problems carry no line and column; their ``where`` names the place in the data.

    >>> load_dict({"units": [{"id": "a"}]}).units[0].id
    'a'
    """
    org = _validate(data)
    if org is not None:
        return org
    problems = _problems(data, None, source)
    problems.sort(key=_where_order)
    raise OrgValidationError(problems)


def _where_order(problem: Problem) -> tuple[str, str]:
    """Document order for problems without a location: units[2] before units[10]."""
    return re.sub(r"\d+", lambda m: m.group().zfill(12), problem.where), problem.message


def _validate(data: Any) -> Org | None:
    """The fast check: the model when everything is right, else None."""
    if not isinstance(data, dict):
        return None
    try:
        org = Org.model_validate(data)
    except ValidationError:
        return None
    age_survivors()  # the model is kept: a young collection would scan it for nothing
    if check_rules(data):
        return None
    return org


def age_survivors() -> None:
    """Move every object the cyclic collector tracks into its oldest generation, unscanned.

    For just after building many objects the caller keeps (a validated model, a graph). Left in
    the youngest generation, where :func:`paused_gc` leaves them, the next young collection would
    scan them all, and the next middle one again, only to find them alive and move them on: 0.3 s
    for the model of 100,000 units. ``gc.freeze()`` moves every tracked object into the permanent
    generation and ``gc.unfreeze()`` moves them all into the oldest one, so nothing is scanned,
    nothing stays frozen, and full collections still see everything. The one cost is that
    garbage cycles already in the young generations wait for the next full collection.

    Does nothing when the program has frozen objects itself (e.g. a server before forking):
    unfreezing would undo that.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


# --------------------------------------------------------------------------------------------
# Turning problems into located messages


def _problems(
    data: Any, smap: SourceMap | None, filename: str, *, rules: bool = True
) -> list[Problem]:
    """Every problem of one document; ``rules=False`` leaves out the whole-model rules (a file
    of a split model is checked against the rules once merged)."""

    def at(path: PathT, *, key: bool = False) -> Location | None:
        return smap.locate(path, key=key) if smap is not None else None

    if data is None:
        return [
            Problem(
                Location(filename, 1, 1) if smap is not None else None,
                "",
                "the file is empty" if smap is not None else "no data (None)",
                "start with 'units:', 'customers:' and 'vendors:' (see `orggraph schema`)",
            )
        ]
    if not isinstance(data, dict):
        return [
            Problem(
                at(()),
                "",
                f"the top level must be a mapping of keys such as 'units:', not {_a(data)}",
                "start the file with 'units:', 'customers:' and 'vendors:'",
            )
        ]
    problems: list[Problem] = []
    try:
        Org.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            if smap is not None and smap.is_refused(_clean_loc(err["loc"])):
                continue  # the broken YAML under it is already reported
            problems.append(_from_pydantic(err, data, smap, at))
    if rules:
        for issue in check_rules(data):
            problems.append(_from_rule(issue, data, at))
    return problems


def _from_rule(issue: RuleIssue, data: dict[str, Any], at: Any) -> Problem:
    message = issue.message
    if issue.related is not None:
        related = at(issue.related)
        if related is not None:
            message += f" (line {related.line})"
    return Problem(at(issue.path), _where(issue.path, data), message, issue.hint)


def _clean_loc(loc: tuple[int | str, ...]) -> PathT:
    return tuple(part for part in loc if part not in UNION_TAGS)


def _from_pydantic(
    err: ErrorDetails, data: dict[str, Any], smap: SourceMap | None, at: Any
) -> Problem:
    path = _clean_loc(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    field = path[-1] if path and isinstance(path[-1], str) else None
    message: str = err["msg"]
    hint: str | None = ctx.get("hint")
    loc = at(path)
    where_path = path
    typed = smap.typed.get(path) if smap is not None else None
    quoted = smap is None or path in smap.quoted  # without positions, assume quotes

    if kind == "invalid_key" or (path and path[-1] == "[key]"):
        # a key YAML read as a number, boolean, date or null; pydantic's loc has it as text
        where_path = path[:-2] if path[-1] == "[key]" else path[:-1]
        key_path = (*where_path, value)
        loc = at(key_path, key=True)
        typed_key = smap.typed_keys.get(key_path) if smap is not None else None
        if typed_key is not None:
            source, tag = typed_key
            message = f"a key must be text, but {describe_typed(source, tag)}"
            hint = _quote_hint(source, key=True)
        else:
            message = f"a key must be text, not {_a(value)}"
    elif kind == "missing":
        where_path = path[:-1]
        loc = at(where_path)
        message = f"missing required key '{field}'"
        hint = _missing_hint(path)
    elif kind == "extra_forbidden":
        where_path = path[:-1]
        loc = at(path, key=True)
        message, hint = _unknown_key(path, data)
    elif path == ("version",) and kind in ("literal_error", "version"):
        message, hint = _bad_version(value, typed)
    elif kind == "dependency_form" and (value is None or typed is not None):
        if value is None:
            message = "expected a supplier id, but the entry is empty"
            hint = "write the supplier's id, or remove the '-' line"
        else:
            assert typed is not None
            message = f"expected a supplier id, but {describe_typed(*typed)}"
            hint = _quote_hint(typed[0])
    elif kind in ("string_type", "int_type", "float_type", "bool_type") and typed is not None:
        source, tag = typed
        expected = {
            "string_type": "text",
            "int_type": "a whole number",
            "float_type": "a number",
            "bool_type": "true or false",
        }[kind]
        if field == "lead_time":
            expected = "a lead time such as 4h"
            hint = "write a number with a unit m, h, d or w, e.g. 4h"
        if value is None:
            message = f"expected {expected}, but the value is empty"
            hint = _missing_hint(path) or "write a value, or remove the key"
        elif isinstance(value, int) and not isinstance(value, bool) and kind == "float_type":
            message = f"{field or 'the number'} is too large to use ({len(source)} digits)"
            hint = None
        else:
            message = f"expected {expected}, but {describe_typed(source, tag)}"
            if kind == "string_type":
                hint = _quote_hint(source, field)
    elif kind == "lead_time_unit" and typed is not None and typed[0] != _g(value):
        # 1:30 (base 60), 0x10, 0700: say what YAML made of it
        message = f"lead time {shorten(typed[0])} has no unit, and {describe_typed(*typed)}"
        if typed[0].count(":") == 1 and abs(value) < 1e15:
            hint = f"for hours and minutes write {value / 60:g}h or {value:g}m"
    elif kind == "lead_time" and typed is not None:
        message = f"expected a lead time such as 4h, but {describe_typed(*typed)}"
        hint = "write a number with a unit m, h, d or w, e.g. 4h"
    elif kind == "string_type":
        message = f"expected text, got {_a(value)}"
    elif kind == "string_pattern_mismatch":
        message = f"{_q(value)} is not a valid id"
        hint = "an id starts with a letter or digit and has only letters, digits, '.', '_' and '-'"
    elif kind in ("float_type", "int_type", "float_parsing"):
        message = f"expected a number, got {_a(value)}"
        if isinstance(value, str):
            hint = _number_hint(value, quoted=quoted, field=field)
    elif kind == "bool_type":
        message = f"expected true or false, got {_a(value)}"
        hint = "write true or false, without quotes" if quoted else "write true or false"
    elif kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
        sign = {
            "greater_than": ">",
            "greater_than_equal": ">=",
            "less_than_equal": "<=",
            "less_than": "<",
        }[kind]
        bound = next(iter(ctx.values()), "?")
        message = f"{field or 'value'} must be {sign} {_g(bound)}, got {_g(value)}"
        if field == "quality":
            message = f"quality must be between 0 and 1, got {_g(value)}"
            hint = "a survey score of 92% is written 0.92"
    elif kind == "finite_number":
        message = f"{field or 'value'} must be a finite number, got {value}"
    elif kind == "enum":
        choices = ", ".join(k.value for k in UnitKind)
        if isinstance(value, str):
            message = f"unknown kind {_q(value)}; expected one of {choices}"
            hint = did_you_mean(value, [k.value for k in UnitKind])
        else:
            message = f"expected a kind ({choices}), got {_a(value)}"
    elif kind == "list_type":
        message = f"expected a list, got {_a(value)}"
        if field == "depends_on" or field == "any_of":
            hint = f"write {field}: [a, b], or one '- id' line per supplier"
        elif field in ("units", "customers", "vendors"):
            hint = f"write each entry of {field} on a line starting with '- '"
        elif field == "tags":
            hint = "write tags: [a, b]"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"expected a mapping (key: value lines), got {_a(value)}"
        if isinstance(value, str) and path and isinstance(path[-1], int):
            hint = f"write it as '- id: {value}'"
        elif value is None and path and isinstance(path[-1], int):
            hint = "fill in the entry, or remove the empty '-' line"
    elif kind == "too_short" and field == "any_of":
        message = "any_of needs at least 2 alternatives"
        hint = "with one supplier, write it as a plain dependency"
    elif kind == "dependency_form":
        hint = "e.g. '- payroll', '- {supplier: payroll, volume: 4}' or '- any_of: [a, b]'"
    return Problem(loc, _where(where_path, data), message, hint)


_MODELS: dict[str, type[BaseModel]] = {
    "units": Unit,
    "customers": Customer,
    "vendors": Vendor,
}
_PARTY = {"units": "unit", "customers": "customer", "vendors": "vendor"}


def _model_at(path: PathT, data: dict[str, Any]) -> type[BaseModel] | None:
    if not path:
        return Org
    if path == ("organization",):
        return OrgInfo
    if len(path) == 2 and path[0] in _MODELS:
        return _MODELS[str(path[0])]
    if len(path) == 4 and path[2] == "depends_on":
        item = _get(data, path)
        return AnyOf if isinstance(item, dict) and "any_of" in item else Dependency
    return None


def _unknown_key(path: PathT, data: dict[str, Any]) -> tuple[str, str | None]:
    key = path[-1]
    owner = path[:-1]
    model = _model_at(owner, data)
    if model is None:
        return f"unknown key {_q(str(key))}", None
    fields = sorted(model.model_fields)
    if len(owner) == 2 and owner[0] in _MODELS:
        party = _PARTY[str(owner[0])]
        if model is Vendor and key == "depends_on":
            return (
                "vendors have no depends_on: they are external suppliers",
                "if it depends on others, declare it under units:",
            )
        others = [name for name, m in _MODELS.items() if m is not model and key in m.model_fields]
        if others:
            return (f"a {party} has no '{key}'", f"'{key}' applies to {' and '.join(others)} only")
        return f"unknown key {_q(str(key))} for a {party}", did_you_mean(str(key), fields)
    if model is Dependency and key in AnyOf.model_fields:
        return f"unknown key '{key}' in a dependency", "alternatives are written '- any_of: [a, b]'"
    if model is AnyOf and key == "supplier":
        return (
            "an any_of entry names its suppliers in any_of, not supplier",
            "move this supplier into the any_of list",
        )
    hint = did_you_mean(str(key), fields)
    if hint is None and model is Org:
        hint = f"the top level has only {', '.join(fields)}"
    return f"unknown key {_q(str(key))}", hint


def _bad_version(value: Any, typed: tuple[str, str] | None) -> tuple[str, str]:
    hint = "write version: 1, or remove the key"
    if value is None:
        return "the version is empty; this orggraph reads version 1", hint
    if isinstance(value, str):
        if value.strip() == "1":
            return f"version must be the number 1, not the text {_q(value)}", "remove the quotes"
        return f"unsupported version {_q(value)}: this orggraph reads version 1", hint
    if isinstance(value, int | float) and not isinstance(value, bool):
        shown = shorten(typed[0] if typed is not None else _g(value))
        return f"unsupported version {shown}: this orggraph reads version 1", hint
    if typed is not None:
        return f"expected version 1, but {describe_typed(*typed)}", hint
    return f"expected version 1, got {_a(value)}", hint


def _number_hint(text: str, *, quoted: bool, field: str | None) -> str | None:
    """Advice for a number that arrived as text."""
    if field == "quality" and text.strip().endswith("%"):
        return "a survey score of 92% is written 0.92"
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if quoted:
        return "remove the quotes"
    # YAML 1.1 wants a dot and a signed exponent: 1e3 and 1.5e5 are text to it
    if number.is_integer() and abs(number) < 1e15:
        plain = str(int(number))
    else:
        mantissa, _, exponent = repr(number).partition("e")
        if exponent and "." not in mantissa:
            mantissa += ".0"
        plain = f"{mantissa}e{exponent}" if exponent else mantissa
    return f"YAML reads {text} as text; write it as {plain}"


def _quote_hint(source: str, field: str | None = None, *, key: bool = False) -> str:
    """Advice to put a scalar YAML did not read as text in quotes, showing how when it is short."""
    if shorten(source) != source:
        return "put the value in quotes to keep it as text"
    if key:
        return f'quote it: "{source}":'
    return f'quote it: {field}: "{source}"' if field else f'quote it: "{source}"'


def _missing_hint(path: PathT) -> str | None:
    field = path[-1]
    if field == "id":
        return "every party needs an id such as 'id: service-desk'"
    if field == "supplier":
        return "name the supplier with 'supplier: <id>'"
    return None


def _get(data: Any, path: PathT) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _where(path: PathT, data: dict[str, Any]) -> str:
    """A readable place in the model: ``units[2](desk-eu).depends_on[1].supplier``."""
    out = ""
    for n, part in enumerate(path):
        if isinstance(part, int):
            out += f"[{part}]"
            if n == 1 and path[0] in _MODELS:
                pid = _get(data, (*path[:2], "id"))
                if isinstance(pid, str) and _ID.fullmatch(pid):
                    out += f"({pid})"
        else:
            out += f".{part}" if out else str(part)
    return out


def _a(value: Any) -> str:
    """Describe a wrong value for a message: "a list", "the number 3", "'abc'"."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {_g(value)}"
    if isinstance(value, str):
        return f"the text {_q(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _q(text: str) -> str:
    """Quote user text for a one-line message: control characters escaped, long text cut."""
    return _quoted(text)


def _g(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True

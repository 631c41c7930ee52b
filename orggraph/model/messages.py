"""The wording of messages: pydantic's validation errors turned into located problems.

One translator, :func:`translate`, serves every file orggraph validates with a pydantic model:
org files (:func:`org_problems`, with the whole-file rules) and policy files
(:mod:`orggraph.policy` words its rules itself). Each error's path is written by
:func:`~orggraph.model.paths.format_path` and located through the reader's
:class:`~orggraph.model.yamlsource.SourceMap`, so every problem reads
``FILE:LINE:COL: where: what`` with a hint saying what to change.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from orggraph.errors import Location, Problem, did_you_mean, shorten
from orggraph.errors import quoted as _quoted
from orggraph.model.paths import DocPath, format_path, value_at
from orggraph.model.rules import RuleIssue, check_rules
from orggraph.model.schema import (
    DURATION_WORDS,
    UNION_TAGS,
    AnyOf,
    Customer,
    Dependency,
    Org,
    OrgInfo,
    Scenario,
    ServiceLevels,
    Unit,
    UnitKind,
    Vendor,
)
from orggraph.model.yamlcore import describe_typed
from orggraph.model.yamlsource import SourceMap

__all__ = ["EXPECTED", "Wording", "expected_but", "org_problems", "translate"]

Wording = Callable[[ErrorDetails, DocPath], Problem]
"""Words one pydantic error, given at its path in the document, as a located problem."""

EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
}
"""What a value of the wrong type should have been, by pydantic's error type."""


def translate(
    exc: ValidationError,
    word: Wording,
    smap: SourceMap | None = None,
    *,
    union_tags: Collection[str] = (),
) -> list[Problem]:
    """Every error of ``exc`` as a problem worded by ``word``, in pydantic's order.

    Each error's path is pydantic's location without the ``union_tags`` it inserts for tagged
    unions (they name no place in the file). Errors at or inside a value the reader already
    reported as broken YAML are left out: they would only repeat that problem.
    """
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        path: DocPath = tuple(p for p in loc if p not in union_tags) if union_tags else tuple(loc)
        if smap is not None and smap.is_refused(path):
            continue  # the broken YAML under it is already reported
        problems.append(word(err, path))
    return problems


def expected_but(expected: str, typed: tuple[str, str] | None) -> str:
    """``expected a number, but YAML reads no as the boolean false``, for a plain scalar YAML
    read as ``typed`` (its source text and tag); ``typed`` None: the value is empty."""
    if typed is None:
        return f"expected {expected}, but the value is empty"
    return f"expected {expected}, but {describe_typed(*typed)}"


# --------------------------------------------------------------------------------------------
# Org files


def org_problems(
    data: Any, smap: SourceMap | None, filename: str, *, rules: bool = True
) -> list[Problem]:
    """Every problem of one document; ``rules=False`` leaves out the whole-model rules (a file
    of a split model is checked against the rules once merged)."""

    def at(path: DocPath, *, key: bool = False) -> Location | None:
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

        def word(err: ErrorDetails, path: DocPath) -> Problem:
            return _from_pydantic(err, path, data, smap, at)

        problems.extend(translate(exc, word, smap, union_tags=UNION_TAGS))
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
    return Problem(at(issue.path), format_path(issue.path, data), message, issue.hint)


def _from_pydantic(
    err: ErrorDetails, path: DocPath, data: dict[str, Any], smap: SourceMap | None, at: Any
) -> Problem:
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
            message = expected_but("a supplier id", typed)
            hint = _quote_hint(typed[0])
    elif kind in ("string_type", "int_type", "float_type", "bool_type") and typed is not None:
        source, tag = typed
        expected = EXPECTED[kind]
        if field in DURATION_WORDS:
            expected = f"a {DURATION_WORDS[field]} such as 4h"
            hint = "write a number with a unit m, h, d or w, e.g. 4h"
        if value is None:
            message = expected_but(expected, None)
            hint = _missing_hint(path) or "write a value, or remove the key"
        elif isinstance(value, int) and not isinstance(value, bool) and kind == "float_type":
            message = f"{field or 'the number'} is too large to use ({len(source)} digits)"
            hint = None
        else:
            message = expected_but(expected, typed)
            if kind == "string_type":
                hint = _quote_hint(source, field)
    elif kind == "lead_time_unit" and typed is not None and typed[0] != _g(value):
        # 1:30 (base 60), 0x10, 0700: say what YAML made of it
        what = DURATION_WORDS.get(field or "", "lead time")
        message = f"{what} {shorten(typed[0])} has no unit, and {describe_typed(*typed)}"
        if typed[0].count(":") == 1 and abs(value) < 1e15:
            hint = f"for hours and minutes write {value / 60:g}h or {value:g}m"
    elif kind == "lead_time" and typed is not None:
        what = DURATION_WORDS.get(field or "", "lead time")
        message = expected_but(f"a {what} such as 4h", typed)
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
        shown = _g(value) if _g(value) != _g(bound) else repr(value)
        message = f"{field or 'value'} must be {sign} {_g(bound)}, got {shown}"
        if field == "quality":
            message = f"quality must be between 0 and 1, got {_g(value)}"
            hint = "a survey score of 92% is written 0.92"
        elif field == "weight" and kind == "less_than_equal":
            hint = "weights are relative: divide every customer's weight by the same number"
        elif field in ("volume", "capacity") and kind == "less_than_equal":
            hint = "count in a larger unit (thousands, or a shorter period) for all figures alike"
        elif field == "capacity" and isinstance(value, int | float) and value <= 0:
            message = f"capacity must be > 0, got {_g(value)}"
        elif field == "capacity":
            hint = "count in a smaller unit (or a longer period) for all figures alike"
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
    return Problem(loc, format_path(where_path, data), message, hint)


_MODELS: dict[str, type[BaseModel]] = {
    "units": Unit,
    "customers": Customer,
    "vendors": Vendor,
}
_PARTY = {"units": "unit", "customers": "customer", "vendors": "vendor"}


def _model_at(path: DocPath, data: dict[str, Any]) -> type[BaseModel] | None:
    if not path:
        return Org
    if path == ("organization",):
        return OrgInfo
    if len(path) == 2 and path[0] in _MODELS:
        return _MODELS[str(path[0])]
    if len(path) == 2 and path[0] == "scenarios":
        return Scenario
    if len(path) == 4 and path[2] == "depends_on":
        item = value_at(data, path)
        return AnyOf if isinstance(item, dict) and "any_of" in item else Dependency
    if (len(path) == 3 and path[2] == "promise") or (len(path) == 5 and path[4] == "expects"):
        return ServiceLevels
    return None


def _unknown_key(path: DocPath, data: dict[str, Any]) -> tuple[str, str | None]:
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
    if model is Dependency and key == "primary":
        return (
            "a dependency on one supplier has no primary",
            "primary names the preferred alternative of a group: "
            "'- any_of: [a, b]' with 'primary: a'",
        )
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
        return expected_but("version 1", typed), hint
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


def _missing_hint(path: DocPath) -> str | None:
    field = path[-1]
    if field == "id":
        return "every party needs an id such as 'id: service-desk'"
    if field == "supplier":
        return "name the supplier with 'supplier: <id>'"
    return None


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

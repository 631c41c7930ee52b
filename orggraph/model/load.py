"""Load an organization from a file, text or dict, with every problem located.

The fast path reads the YAML without recording positions and validates it. Only when something
is wrong is the text read a second time, recording where every value came from, so each problem
can be reported as ``FILE:LINE:COL: where: what`` with a hint.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from orggraph.errors import Location, OrgValidationError, Problem, UsageError, did_you_mean
from orggraph.model.rules import RuleIssue, check_rules
from orggraph.model.schema import (
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
)

__all__ = ["load", "load_dict", "load_text", "paused_gc"]

PathT = tuple[Hashable, ...]


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


def load(path: str | Path) -> Org:
    """Read and validate an org file.

    Raises :class:`~orggraph.errors.OrgValidationError` carrying every located problem, or
    :class:`~orggraph.errors.UsageError` when the file cannot be read at all.
    """
    p = Path(path)
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
    return load_text(text, filename)


def load_text(text: str, filename: str = "<string>") -> Org:
    """Validate an organization given as YAML (or JSON) text.

    >>> org = load_text("units: [{id: a}]\\ncustomers: [{id: c, depends_on: [a]}]\\n")
    >>> [u.id for u in org.units], org.customers[0].depends_on
    (['a'], ['a'])
    """
    with paused_gc():
        try:
            if filename.lower().endswith(".json"):
                data = _parse_json(text, filename)
            else:
                data, _, _ = parse_yaml(text, filename, track=False)
            org = _validate(data)
            if org is not None:
                return org
        except YamlTrouble:
            pass
        except _JsonTrouble as trouble:
            raise OrgValidationError([trouble.problem]) from None
        # Something is wrong: read again, this time remembering where everything is.
        try:
            data, smap, yaml_problems = parse_yaml(text, filename, track=True)
        except YamlTrouble as trouble:
            raise OrgValidationError(trouble.problems) from None
        assert smap is not None
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


def _parse_json(text: str, filename: str) -> Any:
    """JSON parses ten times faster than YAML; errors are located by the YAML re-read."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise _JsonTrouble(
            Problem(Location(filename, exc.lineno, exc.colno), "", f"invalid JSON: {exc.msg}")
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
    problems.sort(key=lambda p: p.where)
    raise OrgValidationError(problems)


def _validate(data: Any) -> Org | None:
    """The fast check: the model when everything is right, else None."""
    if not isinstance(data, dict):
        return None
    try:
        org = Org.model_validate(data)
    except ValidationError:
        return None
    if check_rules(data):
        return None
    return org


# --------------------------------------------------------------------------------------------
# Turning problems into located messages


def _problems(data: Any, smap: SourceMap | None, filename: str) -> list[Problem]:
    def at(path: PathT, *, key: bool = False) -> Location | None:
        return smap.locate(path, key=key) if smap is not None else None

    if data is None:
        return [
            Problem(
                Location(filename, 1, 1) if smap is not None else None,
                "",
                "the file is empty",
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
            problems.append(_from_pydantic(err, data, smap, at))
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

    if kind == "missing":
        where_path = path[:-1]
        loc = at(where_path)
        message = f"missing required key '{field}'"
        hint = _missing_hint(path)
    elif kind == "extra_forbidden":
        where_path = path[:-1]
        loc = at(path, key=True)
        message, hint = _unknown_key(path, data)
    elif (
        kind in ("string_type", "int_type", "float_type", "bool_type")
        and smap is not None
        and path in smap.typed
    ):
        source, tag = smap.typed[path]
        expected = {
            "string_type": "text",
            "int_type": "a whole number",
            "float_type": "a number",
            "bool_type": "true or false",
        }[kind]
        if value is None:
            message = f"expected {expected}, but the value is empty"
            hint = "write a value, or remove the key"
        else:
            message = f"expected {expected}, but {describe_typed(source, tag)}"
            hint = (
                f'quote it: {field}: "{source}"'
                if field and kind == "string_type"
                else "quote it"
                if kind == "string_type"
                else None
            )
    elif kind == "string_type":
        message = f"expected text, got {_a(value)}"
    elif kind == "string_pattern_mismatch":
        message = f"'{value}' is not a valid id"
        hint = "an id starts with a letter or digit and has only letters, digits, '.', '_' and '-'"
    elif kind in ("float_type", "int_type", "float_parsing"):
        message = f"expected a number, got {_a(value)}"
        if isinstance(value, str) and _looks_numeric(value):
            hint = "remove the quotes"
    elif kind == "bool_type":
        message = f"expected true or false, got {_a(value)}"
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
    elif kind == "literal_error" and path == ("version",):
        message = f"unsupported version {_g(value)}: this orggraph reads version 1"
        hint = "write version: 1, or remove the key"
    elif kind == "enum":
        choices = ", ".join(k.value for k in UnitKind)
        message = f"unknown kind '{value}'; expected one of {choices}"
        hint = did_you_mean(str(value), [k.value for k in UnitKind])
    elif kind == "list_type":
        message = f"expected a list, got {_a(value)}"
        if field == "depends_on" or field == "any_of":
            hint = f"write {field}: [a, b], or one '- id' line per supplier"
        elif field in ("units", "customers", "vendors"):
            hint = f"write each entry of {field} on a line starting with '- '"
    elif kind in ("dict_type", "model_type", "model_attributes_type"):
        message = f"expected a mapping (key: value lines), got {_a(value)}"
        if isinstance(value, str) and path and isinstance(path[-1], int):
            hint = f"write it as '- id: {value}'"
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
        return f"unknown key '{key}'", None
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
        return f"unknown key '{key}' for a {party}", did_you_mean(str(key), fields)
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
    return f"unknown key '{key}'", hint


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
                if isinstance(pid, str) and pid:
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
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


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

"""Load an organization from a file, text or dict, with every problem located.

The fast path reads the YAML without recording positions and validates it. Only when something
is wrong is the text read a second time, recording where every value came from, so each problem
can be reported as ``FILE:LINE:COL: where: what`` with a hint.

The pieces live in their own modules: the readers (:mod:`~orggraph.model.sources`,
:mod:`~orggraph.model.jsonsource`), the wording of problems (:mod:`~orggraph.model.messages`)
and organizations split across files (:mod:`~orggraph.model.include`); this module is the public
loading API over them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from orggraph._perf import age_survivors, paused_gc
from orggraph.errors import Location, OrgValidationError, Problem, UsageError, shorten
from orggraph.model.files import STDIN, STDIN_NAME, is_stdin, path_error, read_input
from orggraph.model.include import load_tree
from orggraph.model.jsonsource import JsonTrouble, parse_json, yaml_readable_json
from orggraph.model.messages import org_problems
from orggraph.model.rules import check_rules
from orggraph.model.schema import Org
from orggraph.model.sources import Sources, yaml_data
from orggraph.model.yamlsource import YamlTrouble, decode, parse_yaml

__all__ = ["Sources", "load", "load_dict", "load_sources", "load_text", "yaml_data"]


def load(path: str | Path) -> Org:
    """Read and validate an org file, or a folder of them (see :func:`load_sources`).

    Raises :class:`~orggraph.errors.OrgValidationError` carrying every located problem, or
    :class:`~orggraph.errors.UsageError` when the file cannot be read at all.
    """
    return load_sources(path).org


def load_sources(path: str | Path) -> Sources:
    """Read and validate an organization with the list of files it came from.

    ``path`` is one org file, ``-`` for standard input (named ``<stdin>`` in messages), or a
    folder whose ``*.yaml``, ``*.yml`` and ``*.json`` files
    (recursively) make up one organization; a file may name others in ``include:``. A single
    file without ``include:`` takes the fast path of :func:`load_text`.
    """
    p = Path(path)
    if is_stdin(p):
        return _load_stdin()
    try:
        if p.is_dir():
            return load_tree(p)
    except OSError as exc:
        raise UsageError(f"cannot read {shorten(str(p), 200)}: {path_error(exc)}") from None
    filename = str(path)
    try:
        raw = read_input(p, filename)
    except IsADirectoryError:
        raise UsageError(f"cannot read {p}: it is a directory") from None
    except OSError as exc:
        raise UsageError(f"cannot read {shorten(str(p), 200)}: {exc.strerror or exc}") from None
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    try:
        text = decode(raw, filename)
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    del raw  # the text is all that is read from here on: the bytes would double what the file costs
    org = _load_one(text, filename, follow_include=True)
    if org is None:  # it includes other files
        return load_tree(p)
    return Sources(org, (p,))


def _load_stdin() -> Sources:
    """The organization piped to standard input (``-``): one text, named ``<stdin>``, which has
    no folder to include other files from."""
    try:
        raw = read_input(STDIN, STDIN_NAME)
        text = decode(raw, STDIN_NAME)
    except YamlTrouble as trouble:
        raise OrgValidationError(trouble.problems) from None
    except OSError as exc:
        raise UsageError(f"cannot read standard input: {exc.strerror or exc}") from None
    org = _load_one(text, STDIN_NAME, follow_include=False)
    assert org is not None
    return Sources(org, ())


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


def _load_one(text: str, filename: str, *, follow_include: bool) -> Org | None:
    """The organization in one text, or None when it includes others and ``follow_include``."""
    is_json = filename.lower().endswith(".json")
    with paused_gc():
        try:
            data = parse_json(text, filename) if is_json else yaml_data(text, filename)
            if _includes(data):
                if follow_include:
                    return None
            else:
                org = _validate(data)
                if org is not None:
                    return org
        except YamlTrouble:
            pass
        except JsonTrouble as trouble:
            raise OrgValidationError([trouble.problem]) from None
        # Something is wrong: read again, this time remembering where everything is.
        try:
            yaml_text = yaml_readable_json(text) if is_json else text
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
        problems = yaml_problems + org_problems(data, smap, filename)
    problems.sort(key=Problem.sort_key)
    if not problems:  # pragma: no cover - the two reads disagree; should not happen
        problems = [Problem(Location(filename, 1, 1), "", "the file could not be validated")]
    raise OrgValidationError(problems)


def load_dict(data: Any, source: str = "<dict>") -> Org:
    """Validate an organization given as Python data (as parsed from YAML or JSON).

    Problems carry no line and column; their ``where`` names the place in the data.

    >>> load_dict({"units": [{"id": "a"}]}).units[0].id
    'a'
    """
    org = _validate(data)
    if org is not None:
        return org
    problems = org_problems(data, None, source)
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

"""The one writer of organization files: ``orggraph generate`` and ``orggraph import`` both write
through it.

YAML is written by hand with string formatting, because PyYAML's emitter is far too slow at a
million units; :func:`iter_yaml` yields it in pieces so a large organization streams. Whether a
string may be written plain (unquoted) is decided in one place, :func:`yaml_text`: it may when
YAML 1.1 safe loading reads it back as the same string, and it is double-quoted with JSON's
escapes otherwise. Numbers go through :func:`yaml_float`. A :class:`Layout` chooses only the
indentation and where block style is used, never how a value is spelled, so the two commands'
files differ in shape, not in what reads back.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from yaml.resolver import Resolver

from orggraph.io import write_atomic
from orggraph.model.schema import AnyOf, Customer, Dependency, Org, OrgInfo, Unit, Vendor

__all__ = [
    "COMPACT",
    "READABLE",
    "Layout",
    "dump_org",
    "iter_json",
    "iter_yaml",
    "write_org",
    "yaml_float",
    "yaml_text",
]

# -- text -------------------------------------------------------------------------------------

# The one rule for plain (unquoted) text. A plain scalar holds only printable ASCII letters,
# digits, spaces and _ . / ( ) @ + & ' - (and commas outside flow collections, where a comma would
# end it); it starts with a letter, a digit or one of _ . / ( ) and ends with no space. So no
# indicator can start it, neither ': ' nor ' #' can occur in it, and no control, bidi or other
# invisible character hides in it. Then it must read back as text: text starting with a letter
# only fails to when it is one of _WORDS; anything else asks YAML 1.1's own resolvers (0700, .5
# and 2024-01-01 are numbers and dates), except durations such as 4h or 1.5d, which no YAML 1.1
# type reads and which a generated organization holds by the hundred thousand.
_MIDDLE_FLOW = "A-Za-z0-9_./()@+&'"
_MIDDLE_BLOCK = _MIDDLE_FLOW + ","


def _plain_pattern(first: str, middle: str) -> str:
    return f"[{first}](?:[{middle} -]*[{middle}-])?"


_DURATION = r"[0-9]+(?:\.[0-9]+)?[mhdw]"
_LETTER_FIRST = "A-Za-z"
_OTHER_FIRST = "0-9_./()"
_PLAIN_BLOCK = re.compile(f"{_plain_pattern(_LETTER_FIRST, _MIDDLE_BLOCK)}|{_DURATION}").fullmatch
_PLAIN_FLOW = re.compile(f"{_plain_pattern(_LETTER_FIRST, _MIDDLE_FLOW)}|{_DURATION}").fullmatch
_OTHER_BLOCK = re.compile(_plain_pattern(_OTHER_FIRST, _MIDDLE_BLOCK)).fullmatch
_OTHER_FLOW = re.compile(_plain_pattern(_OTHER_FIRST, _MIDDLE_FLOW)).fullmatch
# The words YAML 1.1 reads as a boolean or null in any capitalization (a superset of PyYAML's
# three spellings, since other YAML 1.1 readers take y and n too), and nan and inf for readers
# that take them without the dot. Only text starting with a letter can be one of them.
_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf"})
_LONGEST_WORD = max(map(len, _WORDS))

# Characters written as \u escapes inside double quotes, beyond the ones JSON escapes: those YAML
# 1.1 does not allow in a file or reads as a line break, the byte order mark, and the invisible
# spaces, joiners and bidi controls, so that what a reviewer sees is what the file holds.
_ESCAPE = re.compile(
    "[\x7f-\x9f\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000"
    "\ud800-\udfff\ufeff\ufff9-\ufffb\ufffe\uffff]"
)
_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers


@lru_cache(maxsize=4096)  # generated files repeat a few such strings; user files have few
def _resolves_to_text(text: str) -> bool:
    """Whether YAML 1.1 reads ``text`` written plain as a string (not 0700, .5 or 2024-01-01)."""
    for tag, regexp in [*_RESOLVERS.get(text[0], ()), *_RESOLVERS.get(None, ())]:
        if regexp.match(text):
            return bool(tag == _STR_TAG)
    return True


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _text_writer(
    plain: Callable[[str], object], other: Callable[[str], object]
) -> Callable[[str], str]:
    def text(value: str) -> str:
        if plain(value):
            if len(value) > _LONGEST_WORD or value.lower() not in _WORDS:
                return value
        elif other(value) and _resolves_to_text(value):
            return value
        return _ESCAPE.sub(_escape, json.dumps(value, ensure_ascii=False))

    return text


_block_text = _text_writer(_PLAIN_BLOCK, _OTHER_BLOCK)
_flow_text = _text_writer(_PLAIN_FLOW, _OTHER_FLOW)


def yaml_text(text: str, *, flow: bool = False) -> str:
    """``text`` as a YAML scalar: plain when YAML 1.1 reads it back as the same string, else
    double-quoted with JSON's escapes. ``flow``: the scalar stands inside ``[...]`` or ``{...}``.

    >>> [yaml_text(t) for t in ("Service Desk", "4h", "no", "0700", "a: b", "opt, dep")]
    ['Service Desk', '4h', '"no"', '"0700"', '"a: b"', 'opt, dep']
    >>> yaml_text("opt, dep", flow=True)
    '"opt, dep"'
    """
    return _flow_text(text) if flow else _block_text(text)


# -- numbers ----------------------------------------------------------------------------------


def yaml_float(value: float, *, whole: bool = False) -> str:
    """``value`` as a YAML 1.1 float; with ``whole``, a whole number is written as an integer
    (60 rather than 60.0: what the user typed in a sheet), which reads back equal.

    >>> [yaml_float(v) for v in (0.5, 1e-05, 60.0, float("-inf"))], yaml_float(60.0, whole=True)
    (['0.5', '1.0e-05', '60.0', '-.inf'], '60')
    """
    return _whole_float(value) if whole else _float(value)


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        # YAML 1.1 reads 1e-05 as text; it wants a dot in the mantissa
        return f"{mantissa}.0e{exponent}"
    return text


def _whole_float(value: float) -> str:
    # an int reads back equal to the float; from 1e15 up the importer has always kept the float
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return _float(value)


# -- layout -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """How an organization file is laid out; the spelling of every value is the same in all.

    ``indent``: how far the ``-`` of a block list stands right of its key (the parties under
    ``units:``, the dependencies under ``depends_on:``). ``block_dependencies``: a
    long-form dependency as a block mapping, one key per line, rather than ``{...}`` on one line.
    ``whole_floats``: 60.0 written as 60. ``blank_lines``: a blank line between top-level keys.
    """

    indent: int = 0
    block_dependencies: bool = False
    whole_floats: bool = False
    blank_lines: bool = False


COMPACT = Layout()
"""``orggraph generate``: one line per dependency, the fewest bytes."""
READABLE = Layout(indent=2, block_dependencies=True, whole_floats=True, blank_lines=True)
"""``orggraph import``: a file people will go on editing by hand."""

# the field names of SPEC §1 are written as they are (a dict lookup, not a regex, per key)
_FIELDS = {
    name: name
    for model in (Org, OrgInfo, Unit, Customer, Vendor, Dependency, AnyOf)
    for name in model.model_fields
}


@dataclass(frozen=True)
class _Writer:
    value: Callable[[Any], str]  # a value after "key: " in block context
    key: Callable[[Any], str]
    party: Callable[[Mapping[str, Any]], str]


@cache
def _writer(layout: Layout) -> _Writer:
    """The functions that write one layout, as closures: the writer's inner loop runs per value
    of a million-unit file, and a closure is as fast as a module function there."""
    number = _whole_float if layout.whole_floats else _float

    # The common types first, by exact type (a bool is not an int here), so that a value costs
    # one call; other() takes the rest: bools, None, subclasses, tuples, dates.
    def flow(value: Any) -> str:
        kind = type(value)
        if kind is str:
            return _flow_text(value)
        if kind is float:
            return number(value)
        if kind is int:
            return str(value)
        if kind is dict:
            return "{" + ", ".join([f"{flow_key(k)}: {flow(v)}" for k, v in value.items()]) + "}"
        if kind is list:
            return "[" + ", ".join(map(flow, value)) + "]"
        return other(value)

    def block(value: Any) -> str:
        kind = type(value)
        if kind is str:
            return _block_text(value)
        if kind is float:
            return number(value)
        if kind is int:
            return str(value)
        return flow(value)  # a collection is written in flow style

    def other(value: Any) -> str:
        if value is True:
            return "true"
        if value is False:
            return "false"
        if value is None:
            return "null"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return number(value)
        if isinstance(value, str):
            return _flow_text(str(value))
        if isinstance(value, Mapping):
            return "{" + ", ".join([f"{flow_key(k)}: {flow(v)}" for k, v in value.items()]) + "}"
        if isinstance(value, list | tuple):
            return "[" + ", ".join(map(flow, value)) + "]"
        if isinstance(value, _dt.date):  # datetime too
            return value.isoformat()
        raise TypeError(f"cannot write a {type(value).__name__} as YAML")

    def key(k: Any) -> str:
        return _FIELDS.get(k) or block(k)

    def flow_key(k: Any) -> str:
        return _FIELDS.get(k) or flow(k)

    head = " " * layout.indent + "- "
    more = " " * len(head)
    dep_head = more + head
    dep_more = " " * len(dep_head)
    block_dependencies = layout.block_dependencies

    def block_dependency(dep: Any) -> str:
        if type(dep) is not dict or not dep:
            return f"{dep_head}{block(dep)}\n"
        lines: list[str] = []
        lead = dep_head
        for k, v in dep.items():
            lines.append(f"{lead}{key(k)}: {block(v)}\n")
            lead = dep_more
        return "".join(lines)

    def party(entry: Mapping[str, Any]) -> str:
        """One list entry: keys in block style, one dependency per line."""
        if not entry:
            return f"{head}{{}}\n"
        lines: list[str] = []
        lead = head
        for k, v in entry.items():
            if k == "depends_on" and type(v) is list and v:
                lines.append(f"{lead}depends_on:\n")
                if block_dependencies:
                    lines.extend(map(block_dependency, v))
                else:
                    lines.extend([f"{dep_head}{block(d)}\n" for d in v])
            else:
                lines.append(f"{lead}{key(k)}: {block(v)}\n")
            lead = more
        return "".join(lines)

    return _Writer(block, key, party)


def _is_block_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(x, Mapping) for x in value)


def iter_yaml(
    data: Mapping[str, Any], chunk: int = 2000, *, layout: Layout = COMPACT
) -> Iterator[str]:
    """The YAML text of an organization, in pieces of about ``chunk`` parties.

    Every string that YAML 1.1 could read as something else is double-quoted (:func:`yaml_text`).

    >>> print("".join(iter_yaml({"units": [{"id": "a", "name": "no", "lead_time": "4h",
    ...                                     "depends_on": ["b", {"any_of": ["c", "d"]}]}]})))
    units:
    - id: a
      name: "no"
      lead_time: 4h
      depends_on:
      - b
      - {any_of: [c, d]}
    <BLANKLINE>
    """
    w = _writer(layout)
    gap = ""
    for key, value in data.items():
        if _is_block_list(value):
            yield f"{gap}{w.key(key)}:\n"
            for start in range(0, len(value), chunk):
                yield "".join(map(w.party, value[start : start + chunk]))
        elif isinstance(value, Mapping) and value:
            yield f"{gap}{w.key(key)}:\n" + "".join(
                f"  {w.key(k)}: {w.value(v)}\n" for k, v in value.items()
            )
        else:
            yield f"{gap}{w.key(key)}: {w.value(value)}\n"
        if layout.blank_lines:
            gap = "\n"


# -- JSON and files ---------------------------------------------------------------------------


def iter_json(data: Mapping[str, Any], chunk: int = 2000) -> Iterator[str]:
    """The JSON text of an organization, one party per line, in pieces of about ``chunk``."""
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
    yield "{"
    sep = "\n"
    for key, value in data.items():
        if _is_block_list(value):
            yield f"{sep}{encode(key)}: [\n"
            for start in range(0, len(value), chunk):
                part = ",\n".join(map(encode, value[start : start + chunk]))
                yield part + (",\n" if start + chunk < len(value) else "\n")
            yield "]"
        else:
            yield f"{sep}{encode(key)}: {encode(value)}"
        sep = ",\n"
    yield "\n}\n"


def dump_org(data: Mapping[str, Any], format: Literal["yaml", "json"] = "yaml") -> str:
    """The whole text of an organization as YAML or JSON (what :func:`write_org` writes)."""
    if format not in ("yaml", "json"):
        raise ValueError(f"unknown format {format!r}; expected yaml or json")
    return "".join(iter_json(data) if format == "json" else iter_yaml(data))


def write_org(
    data: Mapping[str, Any],
    path: str | Path,
    *,
    format: Literal["yaml", "json"] | None = None,
) -> Path:
    """Write an organization to ``path``, as JSON for ``.json`` and YAML for ``.yaml``/``.yml``.

    ``format`` overrides the suffix. The file appears whole or not at all
    (:func:`orggraph.io.write_atomic`). Returns the path written.
    """
    p = Path(path)
    write_atomic(p, dump_org(data, format or _format_of(p)))
    return p


def _format_of(path: Path) -> Literal["yaml", "json"]:
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    raise ValueError(f"cannot tell the format of {path.name}: use .yaml, .yml or .json")

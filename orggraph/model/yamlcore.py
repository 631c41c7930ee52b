"""The rules both YAML readers share: how a plain scalar resolves to a type, and how it is built.

:mod:`orggraph.model.yamlsource` (the full reader, over libyaml's events) and
:mod:`orggraph.model.fastyaml` (the line reader for generated files) must build exactly the same
data from the same text; the tests compare them. Keeping the YAML 1.1 resolution and construction
rules, and the limits they enforce, in this one module is what lets them agree.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Final

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from orggraph.errors import shorten

__all__ = [
    "BOOL",
    "FLOAT",
    "INT",
    "MAP",
    "MAX_DEPTH",
    "MAX_INT_BITS",
    "MERGE",
    "NULL",
    "SCALAR_TAGS",
    "SEQ",
    "STR",
    "TIMESTAMP",
    "TYPE_WORDS",
    "UNREADABLE",
    "construct",
    "describe_typed",
    "resolve_plain",
]

MAX_DEPTH = 64
"""Deepest nesting accepted; a valid org nests 6 levels plus whatever ``attributes`` hold."""

MAX_INT_BITS = 14_000
"""Largest whole number accepted, in bits (about 4,200 digits): Python refuses to turn longer
ones into text, so no message or output could show them. Decimal numbers of more than 4,300
digits already fail to read; this catches hexadecimal and base-60 ones."""

STR: Final = "tag:yaml.org,2002:str"
INT: Final = "tag:yaml.org,2002:int"
FLOAT: Final = "tag:yaml.org,2002:float"
BOOL: Final = "tag:yaml.org,2002:bool"
NULL: Final = "tag:yaml.org,2002:null"
TIMESTAMP: Final = "tag:yaml.org,2002:timestamp"
MERGE: Final = "tag:yaml.org,2002:merge"
MAP: Final = "tag:yaml.org,2002:map"
SEQ: Final = "tag:yaml.org,2002:seq"
SCALAR_TAGS: Final = frozenset({STR, INT, FLOAT, BOOL, NULL, TIMESTAMP})
"""The scalar types orggraph reads; any other tag is refused (or, by the line reader, declined)."""

UNREADABLE: Final = (ConstructorError, ValueError, OverflowError, LookupError, AttributeError)
"""What :func:`construct` may raise for text its tag cannot be built from.

PyYAML's scalar constructors trust that the resolver's pattern matched first. Under an explicit
tag they see any text at all, and fail in their own ways: ``!!bool maybe`` with a KeyError,
``!!int ""`` with an IndexError, ``!!timestamp x`` with an AttributeError."""

TYPE_WORDS: Final = {
    INT: "a number",
    FLOAT: "a number",
    BOOL: "a boolean",
    NULL: "null",
    TIMESTAMP: "a date",
}
"""How messages name what YAML made of a scalar."""

_RESOLVERS: dict[Any, list[tuple[str, Any]]] = Resolver.yaml_implicit_resolvers
_CONSTRUCTOR = SafeConstructor()

# Numbers JSON has and YAML 1.1 reads as text: an exponent without a dot or sign, NaN, Infinity.
_JSON_ONLY_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+|NaN|-?Infinity")


def resolve_plain(value: str, json_numbers: bool = False) -> str:
    """The tag YAML 1.1 gives a plain (unquoted) scalar: str, int, float, bool, null, ...

    With ``json_numbers`` the numbers Python's JSON reader accepts are numbers here too, so that
    re-reading a JSON file as YAML gives the same data.

    >>> resolve_plain("no") == BOOL, resolve_plain("1e3") == STR
    (True, True)
    >>> resolve_plain("1e3", json_numbers=True) == FLOAT
    True
    """
    if json_numbers and _JSON_ONLY_FLOAT.fullmatch(value):
        return FLOAT
    candidates = _RESOLVERS.get(value[0] if value else "", [])
    for tag, regexp in candidates:
        if regexp.match(value):
            return tag
    for tag, regexp in _RESOLVERS.get(None, []):
        if regexp.match(value):
            return tag
    return STR


def construct(tag: str, value: str) -> Any:
    """The value of the scalar ``value`` under ``tag``, as PyYAML's safe loader builds it.

    Raises one of :data:`UNREADABLE` when the text cannot be read as its tag says, including a
    whole number longer than :data:`MAX_INT_BITS`.

    >>> construct(INT, "0x10"), construct(BOOL, "no"), construct(STR, "no")
    (16, False, 'no')
    """
    if tag == STR:
        return value
    if tag == NULL:
        return None
    node = ScalarNode(tag, value)
    if tag == BOOL:
        return _CONSTRUCTOR.construct_yaml_bool(node)
    if tag == INT:
        number: int = _CONSTRUCTOR.construct_yaml_int(node)
        if number.bit_length() > MAX_INT_BITS:
            raise ValueError("too many digits")
        return number
    if tag == FLOAT:
        return _CONSTRUCTOR.construct_yaml_float(node)
    if tag == TIMESTAMP:
        return _CONSTRUCTOR.construct_yaml_timestamp(node)
    return value  # '=' (the "value" tag) and anything else harmless stays text


def describe_typed(source: str, tag: str) -> str:
    """How YAML read a plain scalar, for messages: ``'no' is read as the boolean false``.

    >>> describe_typed("no", BOOL)
    'YAML reads no as the boolean false'
    """
    built = construct(tag, source)
    shown = shorten(source)  # numbers may be long: 1_000_..., 1.000...
    if tag == BOOL:
        return f"YAML reads {shown} as the boolean {str(built).lower()}"
    if tag in (INT, FLOAT):
        if str(built) != source:
            return f"YAML reads {shown} as the number {shorten(str(built))}"
        return f"YAML reads {shown} as a number"
    if tag == NULL:
        return f"YAML reads {shown or 'an empty value'} as null"
    if tag == TIMESTAMP:
        kind = "date-time" if isinstance(built, _dt.datetime) else "date"
        return f"YAML reads {shown} as a {kind}"
    return f"YAML reads {shown} as {TYPE_WORDS.get(tag, 'a non-text value')}"

"""Reading an org file written as JSON: fast with ``json.loads``, located by the YAML reader.

JSON parses several times faster than YAML, so a ``.json`` file is read with Python's JSON
reader; only when something is wrong is it read again by the YAML reader, which records where
every value is. Two differences between the readers are bridged here: duplicate keys (which
``json.loads`` would silently merge) and characters beyond U+FFFF written as two escaped
surrogates (which YAML refuses, and which Python's reader accepts even when half is missing).
"""

from __future__ import annotations

import json
import re
from typing import Any

from orggraph.errors import Location, Problem
from orggraph.model.yamlsource import YamlTrouble, surrogate_problem

__all__ = ["JsonTrouble", "parse_json", "yaml_readable_json"]


class JsonTrouble(Exception):
    """The JSON is broken in a way the YAML re-read would word worse: ``problem`` says where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.render())
        self.problem = problem


class _DuplicateJsonKey(Exception):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateJsonKey(key)
        out[key] = value
    return out


# JSON writes a character beyond U+FFFF as two escaped surrogates; YAML refuses those
_SURROGATE_PAIR = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
)


def yaml_readable_json(text: str) -> str:
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


def parse_json(text: str, filename: str) -> Any:
    """The data of a JSON text, read without positions.

    Raises :class:`JsonTrouble` for broken JSON, and :class:`~orggraph.model.yamlsource.YamlTrouble`
    without problems for a duplicate key: the YAML re-read reports that with its position.
    Empty text is None, which the YAML re-read reports as an empty file.
    """
    if not text.strip():
        return None  # the YAML re-read reports an empty file as such
    surrogate = surrogate_problem(text, filename)
    if surrogate is not None:
        raise JsonTrouble(surrogate)
    if "\\u" in text:
        lone = _lone_surrogate_escape(text)
        if lone is not None:
            line = text.count("\n", 0, lone) + 1
            col = lone - (text.rfind("\n", 0, lone) + 1) + 1
            raise JsonTrouble(
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
        raise JsonTrouble(
            Problem(Location(filename, exc.lineno, exc.colno), "", f"invalid JSON: {exc.msg}", hint)
        ) from None
    except _DuplicateJsonKey:
        # the YAML reader reports duplicate keys with their position
        raise YamlTrouble([]) from None
    except RecursionError:
        raise JsonTrouble(
            Problem(Location(filename, 1, 1), "", "the JSON nests too deeply")
        ) from None

"""A fast reader for the strict subset of YAML that generated and hand-kept org files use.

:func:`~orggraph.model.yamlsource.parse_yaml` turns libyaml's event stream into data in Python,
one event at a time; on a 100,000-unit file that is most of the loading time. Generated files
(``orggraph generate``, PyYAML's ``yaml.safe_dump`` block style, most exports) and files kept by
hand in an editor use a small, regular part of YAML that can be read line by line far faster:

- block mappings and sequences indented with spaces, each level by any width, sequences written
  under their key without extra indentation (``key:`` then ``- item``), compact collections in
  entries (``- key: value``, ``- - item``, also with more spaces after the dash);
- one-line flow collections (``[a, b]``, ``{supplier: x, volume: 3}``, nested), items separated
  by ``", "`` and keys by ``": "``;
- plain scalars, resolved exactly as ``parse_yaml`` resolves them (YAML 1.1 types, by the rules
  of :mod:`orggraph.model.yamlcore`), also text folded over more-indented lines (as PyYAML
  writes text longer than its line width);
- quoted scalars (``"no"``, ``'08:00'``, ``'it''s'``, ``"caf\\xE9"``) with the escapes PyYAML
  writes, also folded over more-indented lines;
- comments (whole lines, or after a space; after a quoted value too), blank lines, one leading
  ``---`` line.

:func:`read_simple_yaml` returns the same data ``parse_yaml(text, ..., track=False)`` would, or
:data:`DECLINED` for anything outside that subset or anything it is not sure about: other
escapes, anchors, aliases, tags, merge keys, block scalars, flow collections over several lines,
a blank line inside a folded scalar, ``?`` keys, quoted keys in block style, tabs, carriage
returns, trailing spaces, a comment after a flow collection or folded text with quotes in it,
duplicate keys, deep nesting, unusual characters, an empty document. Declining is always safe:
the caller then reads the text with ``parse_yaml``, which also locates every error. So every rule
here errs towards declining; the tests hold it equal to ``parse_yaml`` on random files in each
writer's style and check that such files are mostly read here.

One module of over 500 lines on purpose: the line reader is one state machine whose rules for
what it reads and what it declines must be read together to see that declining stays safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import Any, Final

from orggraph.model.yamlcore import (
    MAX_DEPTH,
    SCALAR_TAGS,
    STR,
    UNREADABLE,
    construct,
    resolve_plain,
)

__all__ = ["DECLINED", "read_simple_yaml"]


class _Declined:
    """The type of :data:`DECLINED` (a class of its own so that it cannot be mistaken for data)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "DECLINED"


DECLINED: Final = _Declined()
"""What :func:`read_simple_yaml` returns for text it does not fully understand."""

# parse_yaml refuses a collection opened when MAX_DEPTH are already open; staying a few levels
# short of that means an off-by-one here can only decline, never accept what it refuses.
_DEPTH_LIMIT = MAX_DEPTH - 4

# libyaml gives up on a simple key ("key: value") longer than 1024 characters (or bytes, in some
# versions); keys longer than this are declined, far from that limit.
_KEY_LIMIT = 128

# The first character of a plain scalar may not be a YAML indicator (that would start a sequence
# entry, a flow collection, a comment, an anchor, an alias, a tag, a block scalar, a quote, a
# directive, or something reserved) nor a space. "-" and "." may start a number or a word when a
# harmless character follows ("-1", "-x", ".5"); "--" and ".." are refused so that no document
# marker ("---", "...") can slip through as a scalar.
_INDICATORS = r"\x00-\x20\-?:,\[\]{}#&*!|>'\"%@`"
_FIRST_ALONE = rf"[^{_INDICATORS}]"  # a one-character scalar ("." is one, "-" is not)
_FIRST = rf"(?:[^{_INDICATORS}.]|-[0-9A-Za-z.]|\.[0-9A-Za-z_])"

# A value in block context: ": " would make it a mapping and a final ":" too; " #" has been cut
# off as a comment before this is checked, and no line ends in a space. Possessive repeats over
# runs of characters: a repeated one-character group keeps a backtracking point per character,
# which made a long value cost a hundred times its size in memory.
_BLOCK_VALUE = re.compile(rf"{_FIRST_ALONE}|{_FIRST}[^:]*+(?::(?! )[^:]*+)*+(?<!:)")
# A key in block context. ":" anywhere would need a careful look at libyaml's rules, and flow
# indicators or quotes in a key are too unusual to be worth the doubt; no space before the ":".
_BLOCK_KEY = re.compile(rf"{_FIRST_ALONE}|{_FIRST}(?:[^:#,\[\]{{}}'\"]*[^:#,\[\]{{}}'\" ])?")
# A scalar inside a flow collection: none of ",[]{}" (they end it), ":" (a mapping separator, and
# read differently by different libyaml versions), "#" or quotes; spaces only inside it.
# (The longer form first: the tokenizer takes the first alternative that matches.)
_FLOW_SCALAR = rf"(?:{_FIRST}(?:[^:,\[\]{{}}#'\"]*[^:,\[\]{{}}#'\" ])?|{_FIRST_ALONE})"
_FLOW_SCALAR_RE = re.compile(_FLOW_SCALAR)
# A flow collection cut at its punctuation; the pieces between must be scalars or nothing. Only
# ", " and ": " count as separators: other spacing leaves a piece that is not a valid scalar.
# A quoted scalar is cut out whole, escapes and doubled single quotes included (read by
# :func:`_quoted`); a quote left in a piece makes that piece invalid.
_DOUBLE = r'"(?:[^"\\]++|\\.)*+"'
_SINGLE = r"'(?:[^']++|'')*+'"
_FLOW_SPLIT = re.compile(rf"""({_DOUBLE}|{_SINGLE}|, |: |[\[\]{{}}])""").split
# A flow collection with nothing nested or quoted in it, the common case, read without the state
# machine.
_FLAT = re.compile(r"""\[[^\[\]{}"']+\]|\{[^\[\]{}"']+\}""").fullmatch
# A quoted scalar as a block value, whole.
_QUOTED = re.compile(rf"{_DOUBLE}|{_SINGLE}").fullmatch
# A line whose value is a quoted scalar with a comment after it, or with " #" inside it: the
# dashes of its entries, a plain key (no quote, "#" or ":" in it), the quoted scalar, the comment.
_KEY_PART = r"(?:- +)*(?:[^-?:,\[\]{}#&*!|>'\"%@` ][^:#'\"]*: )?"
# A line whose quoted value is not closed on it: a "#" on it is inside the quotes.
_OPEN_QUOTE_LINE = re.compile(rf"""{_KEY_PART}(?:'(?:[^']++|'')*+|"(?:[^"\\]++|\\.)*+\\?)""")
_QUOTED_LINE = re.compile(
    rf"((?:- +)*(?:[^-?:,\[\]{{}}#&*!|>'\"%@` ][^:#'\"]*: )?"
    rf"(?:{_DOUBLE}|{_SINGLE}|\[(?:{_DOUBLE}|{_SINGLE}|[^'\"#\[\]{{}}]++)*+\]))(?: +#.*)?"
)
# The lines of a quoted scalar folded over several lines: the first (the opening quote and no
# closing one), those in the middle, the last (its closing quote ends the line). A line of a
# double-quoted one may end in a backslash: an escaped line break, which folds to nothing.
_SINGLE_LINES = (
    re.compile(r"'(?:[^']++|'')*+").fullmatch,
    re.compile(r"(?:[^']++|'')*+").fullmatch,
    re.compile(r"(?:[^']++|'')*+'").fullmatch,
)
_DOUBLE_LINES = (
    re.compile(r'"(?:[^"\\]++|\\.)*+\\?').fullmatch,
    re.compile(r'(?:[^"\\]++|\\.)*+\\?').fullmatch,
    re.compile(r'(?:[^"\\]++|\\.)*+"').fullmatch,
)
# The escapes of a double-quoted scalar that the reader undoes: those PyYAML writes (and libyaml
# reads the same way); any other backslash declines.
_ESCAPED = {"0": "\0", "a": "\a", "b": "\b", "t": "\t", "n": "\n", "v": "\v", "f": "\f",
            "r": "\r", "e": "\x1b", " ": " ", '"': '"', "\\": "\\", "N": "\x85", "_": "\xa0",
            "L": "\u2028", "P": "\u2029"}  # fmt: skip
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


# the characters of ASCII the reader takes: the printable ones and the line feed
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F)) + b"\n"


class _Decline(Exception):
    """Raised inside the reader to give up; turned into :data:`DECLINED` at the top."""


def _text_ok(text: str) -> bool:
    """Whether every character and line ending of ``text`` is one the reader can trust.

    Tabs, carriage returns and trailing spaces are legal YAML in many places but change meaning
    in others; anything ``str.isprintable`` refuses (control characters, NEL, the Unicode line
    and paragraph separators, a BOM, surrogates, unassigned code points, unusual spaces) is
    either refused by YAML or read by libyaml as a line break or as nothing at all.
    """
    if not text or "\t" in text or "\r" in text or " \n" in text or text[-1] == " ":
        return False
    if text.isascii():  # the common case, three times faster than isprintable
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.replace("\n", "").isprintable()


def _scalar(text: str, cache: dict[str, Any], pattern: re.Pattern[str]) -> Any:
    """The value of a plain scalar, as ``parse_yaml`` builds it; declines what it cannot read.

    ``cache`` maps source text to value: org files repeat the same ids, kinds and numbers again
    and again. Every value cached is immutable (str, int, float, bool, None, date, datetime),
    so sharing one object among several places of the document is safe.
    """
    if not pattern.fullmatch(text):
        raise _Decline
    tag = resolve_plain(text)
    if tag not in SCALAR_TAGS:  # the merge key "<<", the value key "=", anything new
        raise _Decline
    try:
        value = construct(tag, text)
    except UNREADABLE:  # a date that does not exist, a number too long: parse_yaml refuses it
        raise _Decline from None
    cache[text] = value
    return value


_MISSING: Any = object()


def _flow(text: str, depth: int, cache: dict[str, Any]) -> Any:
    """A one-line flow collection; ``depth`` is how many block collections enclose it.

    The text is cut at its punctuation and read with a small state machine; every piece between
    two punctuation marks must be a plain scalar (checked against the flow rules) or empty.
    """
    missing = _MISSING
    get = cache.get
    if _FLAT(text):  # no nested collection: split at ", " (and ": ") and check every piece
        if text[0] == "[":
            items: list[Any] = []
            for piece in text[1:-1].split(", "):
                value = get(piece, missing)
                items.append(_scalar(piece, cache, _FLOW_SCALAR_RE) if value is missing else value)
            return items
        pairs: dict[Any, Any] = {}
        for piece in text[1:-1].split(", "):
            k, sep, v = piece.partition(": ")
            name = get(k, missing)
            if name is missing:
                name = _scalar(k, cache, _FLOW_SCALAR_RE)
            if not sep or name in pairs or len(k) > _KEY_LIMIT:
                raise _Decline  # "{a}", a duplicate key, a long key
            value = get(v, missing)
            pairs[name] = _scalar(v, cache, _FLOW_SCALAR_RE) if value is missing else value
        return pairs
    parts = _FLOW_SPLIT(text)
    last = len(parts) - 2  # the index of the last punctuation mark
    if parts[0] or parts[-1]:  # text before the opening bracket or after the closing one
        raise _Decline
    stack: list[Any] = []  # the open collections, innermost last
    root: Any = missing
    key: Any = missing  # the key of the innermost mapping, read and waiting for its value
    want_colon = False  # a key was read and ": " must come next
    done = False  # whether the innermost collection just received a value
    for n in range(1, last + 2, 2):
        piece = parts[n - 1]
        mark = parts[n]
        quoted = mark[0] == '"' or mark[0] == "'"
        if piece or quoted:  # a scalar
            if quoted:
                if piece:  # a quote inside a plain scalar ("a'b'") is not a quoted scalar
                    raise _Decline
                value = _quoted(mark)
                size = len(mark)
            else:
                value = get(piece, missing)
                if value is missing:
                    value = _scalar(piece, cache, _FLOW_SCALAR_RE)
                size = len(piece)
            if done or want_colon or not stack:
                raise _Decline  # two scalars in a row, or one outside the brackets
            top = stack[-1]
            if type(top) is dict:
                if key is missing:  # a key: ": " must follow
                    if size > _KEY_LIMIT or value in top:
                        raise _Decline  # a long key, a duplicate key
                    key = value
                    want_colon = True
                else:
                    top[key] = value
                    key = missing
                    done = True
            else:
                top.append(value)
                done = True
            if quoted:
                continue
        if want_colon:
            if mark != ": ":  # "{a}", "{a, b}"
                raise _Decline
            want_colon = False
        elif mark == ", ":
            if not done:  # "[, a]", "[a, , b]", "{a: , b: c}"
                raise _Decline
            done = False
        elif mark == "]" or mark == "}":
            if not stack:
                raise _Decline
            top = stack.pop()
            if (mark == "]") is not (type(top) is list) or key is not missing:
                raise _Decline  # "[a}", "{a: }"
            if not done and top:  # "[a, ]"
                raise _Decline
            done = True
            if not stack and n != last:  # the outer collection closes before the end
                raise _Decline
        elif mark == ": ":
            raise _Decline  # ": " after anything but a key
        else:  # "[" or "{": a collection opens where a value is expected
            if done or len(stack) + depth >= _DEPTH_LIMIT:
                raise _Decline
            child: Any = [] if mark == "[" else {}
            if stack:
                top = stack[-1]
                if type(top) is dict:
                    if key is missing:
                        raise _Decline  # a collection as a mapping key
                    top[key] = child
                    key = missing
                else:
                    top.append(child)
            elif root is missing:
                root = child
            else:
                raise _Decline  # pragma: no cover - a second root is refused on closing the first
            stack.append(child)
    if stack or root is missing:
        raise _Decline
    return root


def read_simple_yaml(text: str) -> Any:
    """The data of ``text`` if it lies inside the subset this module reads, else DECLINED.

    Whatever it returns equals ``parse_yaml(text, name, track=False)[0]``: the same types, the
    same values, dict keys in the same order.

    >>> read_simple_yaml("units:\\n- id: a\\n  depends_on: [b, {any_of: [c, d]}]\\n")
    {'units': [{'id': 'a', 'depends_on': ['b', {'any_of': ['c', 'd']}]}]}
    >>> read_simple_yaml("base: &b {x: 1}\\n")
    DECLINED
    """
    if not _text_ok(text):
        return DECLINED
    try:
        return _read(text)
    except _Decline:
        return DECLINED


def _unescape(m: re.Match[str]) -> str:
    """One escape of a double-quoted scalar, undone; declines what libyaml would read another
    way or refuse (a surrogate, NUL, an escape PyYAML does not write, too few hex digits)."""
    x, u, big, char = m.groups()
    if char is not None:
        try:
            return _ESCAPED[char]
        except KeyError:
            raise _Decline from None
    code = int(x or u or big, 16)
    if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF or code == 0:
        raise _Decline
    return chr(code)


def _quoted(text: str) -> str:
    """The text of a one-line quoted scalar (the whole token, quotes included)."""
    inner = text[1:-1]
    if text[0] == "'":
        return inner.replace("''", "'") if "''" in inner else inner
    if "\\" not in inner:
        return inner
    return _ESCAPE.sub(_unescape, inner)


def _other_value(
    text: str, depth: int, flows: dict[str, Any], rows: Iterator[tuple[int, str]], col: int
) -> Any:
    """A block value that is a flow collection or a quoted scalar, alone on the rest of its line
    (a quoted scalar may go on over the next lines, read from ``rows``)."""
    if text[0] == "[" or text[0] == "{":
        return _flow(text, depth, flows)
    if not _QUOTED(text):
        return _long_quoted(text, rows, col)
    return _quoted(text)  # a quoted scalar is always text


def _long_quoted(first: str, rows: Iterator[tuple[int, str]], col: int) -> str:
    """A quoted scalar that starts with ``first`` and goes on over the next lines, each indented
    deeper than ``col``, folded as YAML folds them (a line break is a space, an escaped one
    nothing, the indentation of the next line nothing); PyYAML writes long text this way.
    Declines a blank line (a line break in the text), text after the closing quote, the end of
    the file before it."""
    opening, middle, closing = _SINGLE_LINES if first[0] == "'" else _DOUBLE_LINES
    if not opening(first):
        raise _Decline  # text after the closing quote
    double = first[0] == '"'
    token = first
    for _, line in rows:
        body = line.lstrip(" ")
        if not body or len(line) - len(body) <= col:
            raise _Decline
        if double and (len(token) - len(token.rstrip("\\"))) % 2:
            token = token[:-1] + body  # an escaped line break
        else:
            token = token + " " + body
        if closing(body):
            return _quoted(token)
        if not middle(body):
            raise _Decline
    raise _Decline


def _uncomment_quoted(body: str) -> str:
    """A line with quotes and " #": without its comment when its value is one quoted scalar
    (``key: 'a #1'  # note``); anything else with both declines."""
    cut = body.index(" #")
    if '"' not in body[:cut] and "'" not in body[:cut]:
        return body[:cut].rstrip(" ")  # the quotes are in the comment
    m = _QUOTED_LINE.fullmatch(body)
    if m is None:
        if _OPEN_QUOTE_LINE.fullmatch(body):
            return body  # a quoted scalar that goes on over the next lines
        raise _Decline
    return m.group(1)


# what the line before left open: nothing, a "key:" or a "-" whose value is on the lines below
_NOTHING, _KEY, _ENTRY = 0, 1, 2


def _fold(top: Any, lines: list[str], number: int, again: bool, body: str, line: str) -> None:
    """Append the text of continuation line ``number`` to the plain scalar it continues: the
    last value of ``top``, written on the line before (``again``: that line was itself a
    continuation). Declines unless both lines are plainly plain: no quotes, no "#", no flow
    collection, a text value (so that its source is its text), nothing between the lines."""
    if "#" in line or not _BLOCK_VALUE.fullmatch(body):
        raise _Decline
    if not top:
        raise _Decline
    if type(top) is dict:
        last: Any = next(reversed(top))
        value = top[last]
    else:
        last = len(top) - 1
        value = top[last]
    if type(value) is not str:
        raise _Decline  # "a: 1" continued: its source is not its value
    if not again:
        # the line before: its dashes, its key and ": " if any, then the value's source, which
        # must be the value itself and plain (no comment cut from it, not quoted, not flow)
        before = lines[number - 1].lstrip(" ")
        while before[:2] == "- ":
            before = before[2:]
        if ": " in before:
            before = before.split(": ", 1)[1].lstrip(" ")
        if "#" in before or before != value or not value or value[0] in "'\"[{":
            raise _Decline
    folded = value + " " + body
    if resolve_plain(folded) != STR:
        raise _Decline  # pragma: no cover - text with a space resolves to text
    top[last] = folded


def _read(text: str) -> Any:
    """The reader proper; raises :class:`_Decline`.

    One pass over the lines, with a stack of the open block collections. The loop is written
    out flat, with local names for everything it uses, because it runs once per line of files
    with millions of lines.
    """
    lines = text.split("\n")
    has_hash = "#" in text
    has_quote = '"' in text or "'" in text
    missing = _MISSING
    # Caches of plain scalar text -> value, one per rule the text was checked against.
    values: dict[str, Any] = {}  # block values
    keys: dict[str, Any] = {}  # block keys
    flows: dict[str, Any] = {}  # scalars inside flow collections
    vget = values.get
    kget = keys.get
    block_value = _BLOCK_VALUE
    block_key = _BLOCK_KEY
    scalar = _scalar

    # The first line with content decides what the document is; a "---" may come before it.
    start = 0
    marker = False
    for start, line in enumerate(lines):  # noqa: B007 - "start" is what the loop is for
        body = line.lstrip(" ")
        if not body or body[0] == "#":
            continue
        if has_hash and " #" in body:
            if has_quote and ('"' in body or "'" in body):
                body = _uncomment_quoted(body)
            else:
                body = body[: body.index(" #")].rstrip(" ")
        if body == "---" and line[0] == "-" and not marker:
            marker = True
            continue
        break
    else:
        raise _Decline  # no content: parse_yaml reads None; not worth a rule of its own
    if line[0] == " ":
        raise _Decline  # an indented root: legal, but never written by a machine
    if body[0] == "[" or body[0] == "{":
        # a document that is one flow collection: on one line, with only comments after it
        for after in islice(lines, start + 1, None):
            after = after.lstrip(" ")
            if after and after[0] != "#":
                raise _Decline
        return _flow(body, 0, {})
    root: Any = [] if body[0] == "-" and body[1:2] in ("", " ") else {}

    # The open block collections, innermost last, with the column of their keys or dashes. An
    # indentless sequence ("key:" then "- item" in the same column) shares its mapping's column.
    stack: list[tuple[Any, int]] = [(root, 0)]
    top: Any = root
    top_list = type(root) is list
    col = 0
    open_ = _NOTHING
    open_key: Any = None
    rest = ""

    folded = -1  # the number of the last line read as the continuation of a plain scalar
    rows = enumerate(islice(lines, start, None), start)
    for number, line in rows:
        if not line:
            continue
        if line[0] == " ":
            body = line.lstrip(" ")
            indent = len(line) - len(body)
        else:
            body = line
            indent = 0
        first = body[0]
        if first == "#":
            continue
        if has_hash and " #" in body:  # a comment after the content ("a#b" is text)
            if has_quote and ('"' in body or "'" in body):
                body = _uncomment_quoted(body)
            else:
                body = body[: body.index(" #")].rstrip(" ")
        entry = first == "-" and (len(body) == 1 or body[1] == " ")

        if open_:
            # The value of the "key:" or "-" above: a collection if this line goes deeper (or,
            # after a key, is an entry in the key's own column: an indentless sequence), else null.
            if indent > col or (indent == col and entry and open_ == _KEY):
                if len(stack) >= _DEPTH_LIMIT:
                    raise _Decline
                child: Any = [] if entry else {}
                if open_ == _KEY:
                    top[open_key] = child
                else:
                    top.append(child)
                stack.append((child, indent))
                top = child
                top_list = entry
                col = indent
            elif open_ == _KEY:
                top[open_key] = None
            else:
                top.append(None)
            open_ = _NOTHING

        if indent > col and not open_:
            # deeper than its collection: the continuation of a plain scalar folded over lines
            # (as PyYAML writes text longer than its line width), or something to decline
            _fold(top, lines, number, folded == number - 1, body, line)
            folded = number
            continue
        if indent != col:  # back out to the collection this line belongs to
            while indent < col:
                stack.pop()
                top, col = stack[-1]
            if indent != col:  # deeper than expected (a continued scalar), or between columns
                raise _Decline
            top_list = type(top) is list

        if entry:
            if not top_list:
                raise _Decline  # "- x" among the keys of a mapping
            if len(body) == 1:  # "-" alone: the entry is on the lines below, or null
                open_ = _ENTRY
                continue
            rest = body[2:]
            value = vget(rest, missing)  # a plain scalar seen before: the common case
            if value is not missing:
                top.append(value)
                continue
            c = rest[0]
            if c == " ":  # "-   x": the entry starts where its text does, further right
                body = rest.lstrip(" ")
                indent += len(rest) - len(body)
                rest = body
                value = vget(rest, missing)
                if value is not missing:
                    top.append(value)
                    continue
                c = rest[0]
            if c == "-" and (len(rest) == 1 or rest[1] == " "):
                # "- - x": the entry is a sequence, its dashes two columns further in (and so on)
                while True:
                    if len(stack) >= _DEPTH_LIMIT:
                        raise _Decline
                    child = []
                    top.append(child)
                    indent += 2
                    col = indent
                    stack.append((child, col))
                    top = child
                    if len(rest) == 1:
                        break
                    rest = rest[2:]
                    if rest[0] != "-" or (len(rest) > 1 and rest[1] != " "):
                        break
                if rest == "-":  # the innermost entry is on the lines below, or null
                    open_ = _ENTRY
                    continue
                value = vget(rest, missing)
                if value is not missing:
                    top.append(value)
                    continue
                c = rest[0]
            if c == "{" or c == "[" or c == '"' or c == "'":
                top.append(_other_value(rest, len(stack), flows, rows, col))
                continue
            key_text, sep, after = rest.partition(": ")
            if not sep:
                if rest[-1] != ":":  # a new plain scalar
                    top.append(scalar(rest, values, block_value))
                    continue
                key_text = rest[:-1]
            else:
                rest = after
            # "- key: value" opens a mapping whose keys are in the column after "- "
            if len(stack) >= _DEPTH_LIMIT:
                raise _Decline
            child = {}
            top.append(child)
            col = indent + 2
            stack.append((child, col))
            top = child
            top_list = False
        else:
            if top_list:
                # a key in the column of a sequence ends it, if it was an indentless one
                stack.pop()
                if not stack:
                    raise _Decline
                top, col = stack[-1]
                if col != indent or type(top) is not dict:
                    raise _Decline
                top_list = False
            key_text, sep, rest = body.partition(": ")
            if not sep:
                if body[-1] != ":":
                    raise _Decline  # a scalar alone on its line
                key_text = body[:-1]

        # a mapping entry: "key: value", or "key:" with its value on the lines below
        key = kget(key_text, missing)
        if key is missing:
            if len(key_text) > _KEY_LIMIT:
                raise _Decline
            key = scalar(key_text, keys, block_key)
        if key in top:
            raise _Decline  # a duplicate key: parse_yaml refuses it
        if not sep:
            open_ = _KEY
            open_key = key
            continue
        value = vget(rest, missing)  # a plain scalar seen before: the common case
        if value is missing:
            if rest[0] == " ":  # "key:   value", aligned with its neighbours
                rest = rest.lstrip(" ")
            c = rest[0]
            if c == "{" or c == "[" or c == '"' or c == "'":
                value = _other_value(rest, len(stack), flows, rows, col)
            else:
                value = vget(rest, missing)
                if value is missing:
                    value = scalar(rest, values, block_value)
        top[key] = value

    if open_ == _KEY:
        top[open_key] = None
    elif open_ == _ENTRY:
        top.append(None)
    return root

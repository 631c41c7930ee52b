"""Read YAML into plain Python data straight from libyaml's event stream.

Why not ``yaml.safe_load``: it silently keeps the last of two duplicate keys, forgets where every
value came from, and expands aliases without limit. Building values from parser events lets us
refuse those traps, and remember positions only when asked (on the second, error-reporting read),
which keeps the common path fast and lean.

Paths are tuples of mapping keys and list indexes from the document root, e.g.
``("units", 3, "depends_on", 0)``.

One module of over 500 lines: the event loop, the source map it fills and the wording of what it
refuses are one piece. The scalar rules it shares with the line reader are in
:mod:`orggraph.model.yamlcore`.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from orggraph.errors import Location, Problem, quoted
from orggraph.model.yamlcore import (
    MAP,
    MAX_DEPTH,
    MAX_INT_BITS,
    MERGE,
    SCALAR_TAGS,
    SEQ,
    STR,
    TYPE_WORDS,
    UNREADABLE,
    construct,
    resolve_plain,
)

__all__ = [
    "ALIAS_BUDGET",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_INT_BITS",
    "SourceMap",
    "YamlTrouble",
    "decode",
    "parse_yaml",
    "surrogate_problem",
]
# MAX_DEPTH and MAX_INT_BITS are yamlcore's, shared with the line reader; they are listed here too
# because they are limits this reader enforces.

MAX_FILE_BYTES = 1 << 30
"""Largest input accepted (1 GiB); a 1M-unit organization is about 150 MB of YAML."""

ALIAS_BUDGET = 1_000_000
"""How many values aliases may add in total once expanded (stops "billion laughs" files)."""

try:  # libyaml is several times faster; the pure-Python parser gives the same events.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class YamlTrouble(Exception):
    """The YAML itself is broken or hostile; ``problems`` say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        # in position order, as every report is: a duplicate key is found at its value, after
        # problems further along its line (a tag on the value), and read errors stop the read
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(p.render() for p in self.problems))


@dataclass
class SourceMap:
    """Where each value of a document came from, and how YAML read its scalars."""

    filename: str
    values: dict[tuple[Hashable, ...], tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple[Hashable, ...], tuple[int, int]] = field(default_factory=dict)
    # plain scalars YAML turned into something other than text: path -> (source text, tag)
    typed: dict[tuple[Hashable, ...], tuple[str, str]] = field(default_factory=dict)
    # the same for mapping keys, by the path the key names
    typed_keys: dict[tuple[Hashable, ...], tuple[str, str]] = field(default_factory=dict)
    # scalars written in quotes (so "remove the quotes" is advice that applies)
    quoted: set[tuple[Hashable, ...]] = field(default_factory=set)
    # values already reported as broken YAML (a forbidden tag, an alias to nothing, a list used
    # as a key): schema errors at or below them would only repeat the problem
    refused: set[tuple[Hashable, ...]] = field(default_factory=set)

    def is_refused(self, path: tuple[Hashable, ...]) -> bool:
        """Whether ``path`` is, or lies inside, a value already reported as broken YAML."""
        return any(path[:n] in self.refused for n in range(len(path) + 1))

    def locate(self, path: tuple[Hashable, ...], *, key: bool = False) -> Location:
        """The position of the value at ``path`` (of its key if ``key``), or its nearest parent."""
        probe = path
        if key and probe in self.keys:
            return self._loc(self.keys[probe])
        while probe:
            if probe in self.values:
                return self._loc(self.values[probe])
            probe = probe[:-1]
        return self._loc(self.values.get((), (0, 0)))

    def _loc(self, mark: tuple[int, int]) -> Location:
        return Location(self.filename, mark[0] + 1, mark[1] + 1)


def decode(raw: bytes, filename: str) -> str:
    """Bytes to text: UTF-8 (a BOM is allowed), else one located problem."""
    if len(raw) > MAX_FILE_BYTES:
        raise YamlTrouble(
            [
                Problem(
                    Location(filename, 1, 1),
                    "",
                    f"file is {len(raw) / 2**20:.0f} MiB; "
                    f"the limit is {MAX_FILE_BYTES // 2**20} MiB",
                    "split the organization into several files: a folder of them, or include:",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlTrouble(
            [
                Problem(
                    Location(filename, line, col),
                    "",
                    f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
                    "save it as UTF-8",
                )
            ]
        ) from None


_SURROGATE = re.compile("[\ud800-\udfff]")
# the characters YAML 1.1 does not allow in a stream (it reads only printable ones, tab and breaks)
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def surrogate_problem(text: str, filename: str) -> Problem | None:
    """A located problem when ``text`` holds half of a surrogate pair, which is not a character.

    Text decoded from bytes as UTF-8 never does; text handed to :func:`load_text` by a program
    (decoded with ``errors="surrogateescape"``, or built from JSON escapes) may, and neither
    libyaml nor a UTF-8 output file can take it.
    """
    if text.isascii():  # constant time: the common case costs nothing
        return None
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return Problem(
        _location(text, found.start(), filename),
        "",
        f"the text contains U+{ord(found.group()):04X}, half of a surrogate pair, "
        "which is not a character",
        "decode the file as UTF-8, without errors='surrogateescape'",
    )


# YAML's line breaks; libyaml counts lines by them, so every message must
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _location(text: str, index: int, filename: str) -> Location:
    """The line and column of ``text[index]``, lines counted as libyaml counts them."""
    line, start = 1, 0
    for brk in _LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, brk.end()
    return Location(filename, line, index - start + 1)


class _Frame:
    """An open mapping or sequence while its events arrive."""

    __slots__ = (
        "anchor",
        "container",
        "key",
        "key_pos",
        "mark",
        "merge_pending",
        "merges",
        "path",
        "pos",
        "size",
    )

    def __init__(
        self, container: Any, path: tuple[Hashable, ...], anchor: str | None, mark: Any
    ) -> None:
        self.container = container
        self.path = path
        self.anchor = anchor
        self.mark = mark
        self.pos: tuple[int, int] = (mark.line, mark.column)
        self.key: Any = _NO_KEY
        self.key_pos: tuple[int, int] = self.pos
        self.merge_pending = False
        self.merges: list[tuple[Any, Any]] = []
        self.size = 1


_NO_KEY = object()


def parse_yaml(
    text: str, filename: str, *, track: bool, json_numbers: bool = False
) -> tuple[Any, SourceMap | None, list[Problem]]:
    """Parse one YAML document into dicts, lists and scalars.

    With ``track`` the returned :class:`SourceMap` records the position of every value and key,
    and problems the read can go on after (duplicate keys, forbidden tags) are returned with the
    data so they can be reported together with schema errors. Without ``track`` nothing is
    recorded and the first problem raises (the caller then reads again with ``track``).
    Problems that stop the read (syntax, alias bombs, nesting) raise :class:`YamlTrouble`.
    ``json_numbers`` reads ``1e5``, ``NaN`` and ``Infinity`` as JSON does (for ``.json`` files).

    >>> data, _, _ = parse_yaml("a: [1, x, no]\\n", "f.yaml", track=False)
    >>> data
    {'a': [1, 'x', False]}
    """
    smap = SourceMap(filename) if track else None
    problems: list[Problem] = []
    surrogate = surrogate_problem(text, filename)
    if surrogate is not None:
        raise YamlTrouble([surrogate])

    def trouble(line: int, col: int, message: str, hint: str | None = None) -> None:
        problems.append(Problem(Location(filename, line + 1, col + 1), "", message, hint))
        if not track:
            raise YamlTrouble(problems)

    stack: list[_Frame] = []
    anchors: dict[str, tuple[Any, int]] = {}
    alias_total = 0
    root: Any = None
    documents = 0

    def deliver(value: Any, size: int, pos: tuple[int, int]) -> None:
        """Attach a finished value to the container on top of the stack (or make it the root)."""
        nonlocal root
        if not stack:
            root = value
            if smap is not None:
                smap.values[()] = pos
            return
        top = stack[-1]
        top.size += size
        cont = top.container
        if isinstance(cont, list):
            if smap is not None:
                smap.values[(*top.path, len(cont))] = pos
            cont.append(value)
            return
        if top.key is _NO_KEY:  # this value is a key
            if isinstance(value, dict | list):
                trouble(
                    *pos,
                    "a mapping key must be text, not a list or mapping",
                    "write a plain key such as 'name:'",
                )
                value = f"<{type(value).__name__} key>"
                if smap is not None:
                    smap.refused.add((*top.path, value))
            top.key = value
            top.key_pos = pos
            return
        key = top.key
        top.key = _NO_KEY
        if top.merge_pending:
            top.merge_pending = False
            top.merges.append((value, pos))
            return
        if key in cont:
            # YAML keys are equal when tag and value are: 1, 1.0 and true are three keys, though
            # Python finds them equal. A dict holds one of them: the first stays, and the others
            # are not text, which keys must be, so they are reported where they are read.
            if _same_key(cont, key):
                trouble(
                    *top.key_pos,
                    f"duplicate key '{key}' in this mapping",
                    "remove one of them: YAML would silently keep only the last",
                )
            return
        cont[key] = value
        if smap is not None:
            path = (*top.path, key)
            smap.values[path] = pos
            smap.keys[path] = top.key_pos

    try:
        event: Any
        for event in yaml.parse(text, Loader=_Loader):
            cls = type(event)
            if cls is ev.ScalarEvent:
                tag = event.tag
                value = event.value
                mark = event.start_mark
                pos = (mark.line, mark.column)
                # where this scalar goes (None: it is a key), recorded only on the tracked read
                vpath = _value_path(stack) if smap is not None else None
                if tag is None:
                    rtag = resolve_plain(value, json_numbers) if event.implicit[0] else STR
                elif tag == "!":
                    rtag = STR
                elif tag in SCALAR_TAGS:
                    rtag = tag
                else:
                    trouble(
                        *pos,
                        f"tag '{_short_tag(tag)}' is not allowed",
                        "remove the tag; orggraph reads plain YAML only",
                    )
                    rtag = STR
                    if smap is not None and vpath is not None:
                        smap.refused.add(vpath)
                if rtag == MERGE:
                    top = stack[-1] if stack else None
                    if top is not None and isinstance(top.container, dict) and top.key is _NO_KEY:
                        top.merge_pending = True
                    rtag = STR
                try:
                    built = construct(rtag, value)
                except UNREADABLE:
                    trouble(
                        *pos,
                        f"cannot read {quoted(value)} as {TYPE_WORDS.get(rtag, 'a value')}",
                        "quote it to keep it as text"
                        if tag is None
                        else f"remove the tag '{_short_tag(tag)}' or correct the value",
                    )
                    # reported here: the text left in its place must not be reported again
                    built, rtag = value, STR
                    if smap is not None and vpath is not None:
                        smap.refused.add(vpath)
                if smap is not None and stack:
                    if vpath is None:
                        if rtag != STR:  # the first of keys Python finds equal (1, true) stays
                            smap.typed_keys.setdefault((*stack[-1].path, built), (value, rtag))
                    elif rtag != STR:
                        smap.typed[vpath] = (value, rtag)
                    elif event.style in ("'", '"'):
                        smap.quoted.add(vpath)
                if event.anchor is not None:
                    anchors[event.anchor] = (built, 1)
                deliver(built, 1, pos)
            elif cls is ev.MappingStartEvent or cls is ev.SequenceStartEvent:
                is_map = cls is ev.MappingStartEvent
                mark = event.start_mark
                tag = event.tag
                if tag is not None and tag != "!" and tag != (MAP if is_map else SEQ):
                    trouble(
                        mark.line,
                        mark.column,
                        f"tag '{_short_tag(tag)}' is not allowed",
                        "remove the tag; orggraph reads plain YAML only",
                    )
                    if smap is not None:
                        smap.refused.add(_child_path(stack))
                if len(stack) >= MAX_DEPTH:
                    problems.append(
                        Problem(
                            Location(filename, mark.line + 1, mark.column + 1),
                            "",
                            f"nesting deeper than {MAX_DEPTH} levels",
                            "flatten the document",
                        )
                    )
                    raise YamlTrouble(problems)
                stack.append(_Frame({} if is_map else [], _child_path(stack), event.anchor, mark))
            elif cls is ev.MappingEndEvent or cls is ev.SequenceEndEvent:
                frame = stack.pop()
                value = frame.container
                for merged, pos in frame.merges:
                    _apply_merge(value, merged, pos, trouble)
                if frame.anchor is not None:
                    anchors[frame.anchor] = (value, frame.size)
                deliver(value, frame.size, frame.pos)
            elif cls is ev.AliasEvent:
                mark = event.start_mark
                pos = (mark.line, mark.column)
                if event.anchor not in anchors:
                    trouble(
                        *pos,
                        f"alias '*{event.anchor}' refers to no finished anchor",
                        "define '&name' before using '*name' (and not inside itself)",
                    )
                    if smap is not None:
                        smap.refused.add(_child_path(stack))
                    deliver(None, 1, pos)
                    continue
                value, size = anchors[event.anchor]
                alias_total += size
                if alias_total > ALIAS_BUDGET:
                    problems.append(
                        Problem(
                            Location(filename, mark.line + 1, mark.column + 1),
                            "",
                            f"aliases expand to more than {ALIAS_BUDGET:,} values",
                            "this looks like an alias bomb; write the repeated parts out",
                        )
                    )
                    raise YamlTrouble(problems)
                deliver(value, size, pos)
            elif cls is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    mark = event.start_mark
                    problems.append(
                        Problem(
                            Location(filename, mark.line + 1, mark.column + 1),
                            "",
                            "more than one YAML document in the file",
                            "keep one document: remove the extra '---' line",
                        )
                    )
                    raise YamlTrouble(problems)
            # StreamStart/End and DocumentEnd need nothing
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        problems.append(
            Problem(
                Location(filename, mark.line + 1, mark.column + 1) if mark else None,
                "",
                f"invalid YAML: {what}",
                _syntax_hint(exc, text),
            )
        )
        raise YamlTrouble(problems) from None
    except yaml.reader.ReaderError as exc:
        # libyaml gives the position in bytes of UTF-8; find the character itself instead
        found = _NOT_YAML.search(text)
        index = found.start() if found is not None else exc.position
        problems.append(
            Problem(
                _location(text, index, filename),
                "",
                "the file contains a character YAML does not allow "
                f"(U+{_codepoint(exc.character)})",
                "remove control characters from the file",
            )
        )
        raise YamlTrouble(problems) from None
    except yaml.YAMLError as exc:
        problems.append(Problem(Location(filename, 1, 1), "", f"invalid YAML: {exc}"))
        raise YamlTrouble(problems) from None
    return root, smap, problems


def _value_path(stack: list[_Frame]) -> tuple[Hashable, ...] | None:
    """The path of the next value delivered, or None when it is a mapping key."""
    if not stack:
        return ()
    top = stack[-1]
    if isinstance(top.container, list):
        return (*top.path, len(top.container))
    if top.key is _NO_KEY:
        return None
    return (*top.path, top.key)


def _child_path(stack: list[_Frame]) -> tuple[Hashable, ...]:
    if not stack:
        return ()
    top = stack[-1]
    if isinstance(top.container, list):
        return (*top.path, len(top.container))
    if top.key is _NO_KEY:
        return (*top.path, "<key>")
    return (*top.path, top.key)


def _same_key(mapping: dict[Any, Any], key: Any) -> bool:
    """Whether ``mapping`` holds ``key`` with the same type, not merely an equal one."""
    return any(k == key and type(k) is type(key) for k in mapping)


def _apply_merge(target: dict[Any, Any], merged: Any, pos: tuple[int, int], trouble: Any) -> None:
    """YAML's merge key: copy keys the mapping does not set itself."""
    sources = merged if isinstance(merged, list) else [merged]
    for source in sources:
        if not isinstance(source, dict):
            trouble(*pos, "'<<' merges mappings only", "point '<<' at a mapping anchor")
            continue
        for k, v in source.items():
            target.setdefault(k, v)


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _codepoint(char: Any) -> str:
    return f"{char if isinstance(char, int) else ord(char):04X}"


#: A line that is a key and ':' (its value, if any, after it): the indentation, any list dashes,
#: the key. Keys of an org file are names, without spaces.
_KEY_LINE = re.compile(r"([ ]*)((?:-[ ]+)*)([A-Za-z0-9_.$-]+)[ ]*:(?:[ ]|$)")


def _over_indented(text: str, mark: yaml.Mark | None) -> str | None:
    """The hint for a ``key:`` line indented deeper than the keys above it, which YAML reads as
    the previous value going on (``name`` below continues ``desk``) and then refuses the ':'::

        - id: desk
            name: Service desk

    None when the ':' is inside a value (``description: Note: first``), so that the caller's
    hint about quoting stands."""
    if mark is None:
        return None
    lines = _LINE_BREAK.split(text)
    if not 0 < mark.line < len(lines):
        return None
    here = _KEY_LINE.match(lines[mark.line])
    # the refused ':' must be the one that ends this line's key, on a line without a dash
    if (
        here is None
        or here.group(2)
        or here.end(3) > mark.column
        or ":" in lines[mark.line][here.end(3) : mark.column]
    ):
        return None
    for before in reversed(lines[: mark.line]):
        if not before.strip() or before.lstrip().startswith("#"):
            continue
        above = _KEY_LINE.match(before)
        if above is None:
            return None
        indent, column = len(here.group(1)), above.start(3)
        if indent <= column:
            return None
        return (
            f"this key is indented more than the keys above it ({indent} spaces vs {column}): "
            "align it"
        )
    return None


def _syntax_hint(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    """Advice for a YAML syntax error; libyaml's own words rarely say what to change."""
    what = exc.problem or exc.context or ""
    context = exc.context or ""
    mark = exc.problem_mark
    char = text[mark.index] if mark is not None and 0 <= mark.index < len(text) else ""
    opened = exc.context_mark
    at = f"line {opened.line + 1}, column {opened.column + 1}" if opened is not None else ""
    if "tab" in what or char == "\t":
        return "indent with spaces, not tabs"
    if char in ("@", "`"):
        return "quote values that start with @ or `"
    if "flow sequence" in context and opened is not None:
        return f"close the '[' opened at {at} with ']'"
    if "flow mapping" in context and opened is not None:
        return f"close the '{{' opened at {at} with '}}'"
    if "escape" in what:
        return "in double quotes a backslash starts an escape: write \\\\ or use single quotes"
    if "quoted scalar" in context and opened is not None:
        return f"close the quote opened at {at}"
    if char in ("]", "}"):
        return f"this '{char}' closes nothing: remove it"
    if "mapping values are not allowed" in what:
        return _over_indented(text, mark) or "a value containing ': ' must be quoted"
    if "could not find expected ':'" in what:
        return "check the indentation and that every key ends with ':'"
    if "expected '-' indicator" in what or "expected key" in what or "<block end>" in what:
        return "check the indentation: entries of one list or mapping start in the same column"
    return None

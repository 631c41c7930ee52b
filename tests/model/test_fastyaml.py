"""The fast reader: whatever it accepts, parse_yaml reads the same; whatever parse_yaml refuses,
it declines.

``read_simple_yaml`` may decline anything (the loader then runs parse_yaml), so most properties are
"declined, or exactly equal": the same types, the same values, dict keys in the same order. Hand
written cases pin the YAML traps and show the subset really is read fast; random documents built
from the subset's grammar, and random damage to them, look for a disagreement; generated files and
the examples must be accepted; and ``orggraph analyze`` must print the same bytes either way.
"""

from __future__ import annotations

import datetime as dt
import doctest
import json
import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from orggraph import cli
from orggraph.generate import PATHOLOGICAL_KINDS, PathologicalKind, generate_org, pathological
from orggraph.model import fastyaml, load, sources
from orggraph.model.dump import dump_org
from orggraph.model.fastyaml import DECLINED, read_simple_yaml
from orggraph.model.yamlsource import MAX_DEPTH, MAX_INT_BITS, YamlTrouble, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(ROOT.glob("examples/*.yaml"))

FUZZ = settings(
    max_examples=2000 if os.environ.get("ORGGRAPH_FUZZ") == "long" else 150,
    deadline=None,
    derandomize=os.environ.get("ORGGRAPH_FUZZ") != "long",
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- what "the same" means ---------------------------------------------------------------------


def same(a: Any, b: Any) -> bool:
    """Exactly the same data: types, values (NaN equal to NaN, -0.0 not 0.0), key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return len(a) == len(b) and all(
            same(ka, kb) and same(va, vb)
            for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True)
        )
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, dt.datetime):
        return a == b and a.tzinfo == b.tzinfo
    return bool(a == b)


def reference(text: str) -> tuple[bool, Any]:
    """(True, data) as parse_yaml reads ``text``, or (False, None) when it refuses it."""
    try:
        data, _, _ = parse_yaml(text, "f.yaml", track=False)
    except YamlTrouble:
        return False, None
    return True, data


def check(text: str) -> Any:
    """The contract on one text; returns what the fast reader gave."""
    fast = read_simple_yaml(text)
    ok, data = reference(text)
    if not ok:
        assert fast is DECLINED, f"accepted what parse_yaml refuses: {text!r} -> {fast!r}"
    elif fast is not DECLINED:
        assert same(fast, data), f"{text!r}: fast {fast!r} != parse_yaml {data!r}"
    return fast


def accepted(text: str) -> Any:
    """The contract, and the text is inside the subset: read by the fast reader, not declined."""
    fast = check(text)
    assert fast is not DECLINED, f"declined: {text!r}"
    return fast


# -- hand-written cases --------------------------------------------------------------------------

# Inside the subset: read fast, and equal to parse_yaml.
ACCEPTED = [
    "a: b\n",
    "a: b",  # no final line break
    "a: 1\nb: -2\nc: 1.5\nd: .5\ne: 1e3\nf: 1.0e+3\ng: 0x1F\nh: 0o17\ni: 017\nj: 1_000\n",
    "a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: true\nh: False\ni: NULL\nj: ~\n",
    "a: 1:30\nb: 190:20:30.15\nc: .inf\nd: -.Inf\ne: .nan\n",
    "a: 2024-01-01\nb: 2024-01-01 12:30:00\nc: 2001-12-14t21:59:43.10-05:00\n",
    "a: <x\nb: =x\nc: x=\nd: <<x\n",
    "1: a\n2.5: b\nnull: c\nfalse: d\n2024-01-01: e\n",  # keys that are not text
    "a:\nb:\n",  # empty values are null
    'a: b:c\nd: e#f\ng: h, i\nj: k [l] {m}\nn: it\'s\no: a "b"\np: a - b\nq: a ? b\n',
    "a: St Brigid's University Hospital\nb: Northwind Home & Living\n",
    "a: b # a comment\n# a comment line\n   # an indented one\nc: d  # more\ne: # null\n",
    "a: [x, y]\nb: []\nc: {}\ne: {k: v, l: [1, no, ~]}\nf: [[a], [b, [c]], {d: {}}]\n",
    "a: {x: 1, y: 2}\nb: [a, b c, d]\n",
    "a:   b\nc:    [d]\n",  # values aligned with spaces
    "a:\n- x\n- y\nb: 1\n",  # indentless sequence
    # scenario documents (SPEC §7): block and flow, where values of every kind
    "scenarios:\n  - id: dublin-down\n    name: Dublin site lost\n    fail: [it, vendor-colo]\n"
    "    where: {site: Dublin, floor: 3, ok: true, tags: [cloud, core], attributes.kind: x}\n",
    "scenarios:\n- id: s\n  where:\n    party: vendor\n    tags: cloud\n    rate: 1.5\n"
    "- {id: t, fail: [a]}\n",
    "a:\n  - x\n  - y\nb:\n    c: 1\n    d: 2\n",
    "- a\n- b\n-\n- [c]\n- {d: e}\n",
    "-\n  - a\n  - b\n-\n  x: 1\n",
    "- - a\n  - b\n- - - c\n    - d: 1\n      e: 2\n- -\n  - f\n",  # as yaml.dump writes lists
    "- - -\n- - - -x\n    - - y\n  - z\n- - a:\n    - b\n",
    "- #\n- # note\n  a: 1\n",  # an entry with only a comment is null, then a mapping below it
    "- a: 1\n  b: 2\n- c:\n  - x\n  d:\n    e: f\n- {}\n",
    "- id: a\n  depends_on:\n  - b\n  - {supplier: c, volume: 3}\n  - {any_of: [d, e]}\n- id: f\n",
    "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
    "a: 'quoted'\nb: \"no\"\nc: ''\nd: \"\"\ne: \" 3 h \"\nf: '#x: y, [z]'\n",
    "- 'a'\n- \"b\"\n- {x: \"1\", y: 'a, b', 'z': [\"c\"]}\n",
    "---\na: 1\n",
    "# leading comment\n---\n\na: 1\n\n\nb: 2\n",
    "--- # a comment\na: 1\n",
    "{a: [1, 2], b: {c: d}}\n# only comments after it\n",
    "[a, b]\n",
    "a: caf\u00e9\nb: \u65e5\u672c\n\u00e9: x\nc: [\u00e9, \U0001f600]\n",
    "a: " + "x" * 5000 + "\n",
    "a: 1" + "0" * 1000 + "\n",  # a long number parse_yaml reads
    # what yaml.safe_dump writes beyond the generated files: text folded over lines, doubled
    # single quotes, escapes, a "#" inside quotes, and comments after quoted values
    "a: b\n  c\n",
    "- a\n  b\n  c d\n- e\n",
    "a:\n- b: Lorem ipsum dolor\n    sit amet\n  c: 1\n",
    "a: it's\n  more\nb: [x]\n",
    "a: 'it''s'\nb: ''''\nc: ['a''b', '']\n",
    'a: "x\\ty"\nb: "caf\\xE9 \\u65E5\\U0001F600"\n'
    'c: "\\"q\\" \\\\ \\N\\_\\L\\P\\e\\a\\b\\v\\f\\r\\n\\ x"\n',
    "a: 'Team #3'\nb: \"x #y\"  # note\nc: d # it's\n",
    "- 'a #1' # one\n- key: \"b # 2\"    # two\n",
    'a: "x\n  y"\n',  # a quoted scalar over two lines
    "- k: 'it''s a #1\n    long one'\n  j: \"caf\\xE9 \\\n    \\ au\\\n    \\ lait\"\n",
    "-   a\n-   b: 1\n    c: [x]\n-  - d\n   - e\n",
]

# Outside the subset, or broken: declined (and parse_yaml refuses the broken ones).
DECLINED_CASES = [
    "a: b\n  - c\n",  # a more-indented line continues the plain scalar: 'b - c'
    "a:\n  b\n",  # a plain scalar on the next line
    "a: [x,\n  y]\n",  # a flow collection over two lines
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: !custom x\n",
    "base: {x: 1}\nc:\n  <<: {y: 2}\n",
    "a: |\n  text\n",
    "a: >\n  text\n",
    "? a\n: b\n",
    "a:\n\t- b\n",
    "a: b\t\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: 1\n...\n",
    "a: 1\n---\nb: 2\n",
    "  a: 1\n",  # an indented root
    "a: b \n",  # trailing space
    "a: b\r\nc: d\r\n",
    "a: b\rc: d\n",
    "",
    "# only a comment\n",
    "---\n",
    "a: 1\na: 2\n",  # duplicate keys
    "a:\n  b: 1\n  b: 2\n",
    "1: a\ntrue: b\n",  # 1 == True: a duplicate for Python and for parse_yaml
    "a: {x: 1, x: 2}\n",
    "a: b: c\n",
    "a: b:\n",
    "a: - b\n",
    "a :b\n",
    "a : b\n",
    "a: 'x' y # z\n",  # text after the quoted scalar
    'a: "\\/"\n',  # an escape PyYAML does not write
    'a: "\\ud800"\n',  # half a surrogate pair
    'a: "\\x4"\n',
    'a: "\\x00"\n',
    "a: 1\n  2\n",  # a number continued: its text is not its value
    "a: 'b'\n  c\n",  # a quoted scalar cannot continue on the next line
    "a: b # c\n  d\n",
    "a: b\n\n  c\n",  # a blank line inside a folded scalar is a line break
    "a: b\n  # c\n  d\n",
    "a: b\n  c: d\n",
    "a: [b]\n  c\n",
    "a: 'x\n\n  y'\n",  # a blank line in a quoted scalar is a line break
    "a: 'x\ny'\n",  # not indented
    "a: 'x\n  y' z\n",
    "a: 'x\n  y\n",  # never closed
    "a: b\n  - c\n",
    "a: [b, c\n",
    "a: [b, c]]\n",
    "a: [b,, c]\n",
    "a: [ ]\n",  # spacing other than ", " and ": " inside brackets
    "a: [b ,c]\n",
    "a: [b, c,]\n",
    "a: {b}\n",
    "a: {b: }\n",
    "a: {b:c}\n",
    "a: [b: c]\n",
    "a: {[b]: c}\n",
    "a: [b] c\n",
    'a: ["b"c]\n',
    'a: [b"c"]\n',
    "b\n",  # a scalar document
    "a: 1\nb\n",
    "a: 1\n- b\n",
    "- a\nb: 1\n",
    "a:\n  - x\n  b: 1\n",
    "a:\n    b: 1\n  c: 2\n",  # dedent to a column no collection has
    "a: 2024-13-45\n",  # a date that does not exist: parse_yaml refuses it
    "a: 0x" + "f" * (MAX_INT_BITS // 4 + 1) + "\n",  # too many bits
    "a: " + "1" * 5000 + "\n",  # too many digits
    "<<: {a: 1}\n",
    "=: 1\n",
    "a: =\n",
    "a: \x00\n",
    "a: \x85b\n",
    "a: \u2028b\n",
    "\ufeffa: 1\n",
    "a: caf\udce9\n",
    "a: -\n",
    "a: ---\n",
    "k" * 200 + ": 1\n",  # a key too long for libyaml to be sure
    "a: {" + "k" * 200 + ": 1}\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_the_subset_is_read_fast_and_the_same(text: str) -> None:
    accepted(text)


@pytest.mark.parametrize("text", DECLINED_CASES)
def test_what_is_outside_the_subset_is_declined(text: str) -> None:
    assert check(text) is DECLINED


def test_the_traps_read_as_parse_yaml_reads_them() -> None:
    data = accepted(
        "a: b\nc: yes\nd: ~\ne: 1_000\nf: 0x1F\ng: 1e3\nh: .5\ni: 2024-01-01\nj:\nk: a#b\n"
        "l: x # y\nm: on\nn: [no, '1', 1.0]\n"
    )
    assert data == {
        "a": "b",
        "c": True,
        "d": None,
        "e": 1000,
        "f": 31,
        "g": "1e3",  # YAML 1.1 wants a dot in the mantissa: text
        "h": 0.5,
        "i": dt.date(2024, 1, 1),
        "j": None,
        "k": "a#b",
        "l": "x",
        "m": True,
        "n": [False, "1", 1.0],
    }
    assert list(data) == list("acdefghijklmn")
    # and the trap the brief names: a more-indented line continues a plain scalar
    assert reference("a: b\n  - c\n") == (True, {"a": "b - c"})
    assert read_simple_yaml("a: b\n  - c\n") is DECLINED


def test_equal_values_are_not_shared_mutable_objects() -> None:
    data = accepted("a: [x]\nb: [x]\nc: {k: v}\nd: {k: v}\n")
    assert data["a"] is not data["b"] and data["c"] is not data["d"]
    data["a"].append("y")
    assert data["b"] == ["x"]


def test_nesting_at_the_limit() -> None:
    # parse_yaml refuses more than MAX_DEPTH levels; the fast reader stops a few levels earlier
    def block(depth: int) -> str:
        return "".join(f"{' ' * i}k:\n" for i in range(depth - 1)) + f"{' ' * (depth - 1)}k: 1\n"

    def flow(depth: int) -> str:
        return "a: " + "[" * depth + "]" * depth + "\n"

    for make in (block, flow):
        assert check(make(8)) is not DECLINED
        for depth in range(MAX_DEPTH - 6, MAX_DEPTH + 3):
            check(make(depth))
        assert reference(make(MAX_DEPTH + 2))[0] is False
        assert read_simple_yaml(make(MAX_DEPTH)) is DECLINED


def test_nan_and_signed_zero() -> None:
    data = accepted("a: .nan\nb: -0.0\nc: [.NaN, -0.0]\n")
    assert math.isnan(data["a"]) and math.copysign(1, data["b"]) == -1


# -- random documents from the subset's grammar, and damaged ones ----------------------------------

# Plain scalars of every kind YAML 1.1 resolves, and quoted ones
SCALARS = [
    "a",
    "b c",
    "d-000001",
    "Payroll",
    "x.y",
    "1",
    "-1",
    "+1",
    "0",
    "1.5",
    "-0.0",
    ".5",
    "1e3",
    "1.0e+3",
    "0x1F",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "1:30",
    "2024-01-01",
    "2024-01-01 12:30:00",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "null",
    "Null",
    "~",
    ".inf",
    "-.inf",
    ".nan",
    "a:b",
    "a#b",
    "it's",
    "\u00e9t\u00e9",
    ".",
    "-x",
    "'q'",
    '"q"',
    "'a: b'",
    '"a, b #c"',
    "''",
    "1" * 30,
]
# Text that is not a plain scalar, or not one the fast reader takes
ODD = [
    "2024-13-45",
    "<<",
    "=",
    'a "b"',
    "a, b",
    "a [b]",
    "-",
    "..",
    "--x",
    "?x",
    ":x",
    "!x",
    "&a",
    "*a",
    "|",
    ">",
    "%x",
    "@x",
    "`x",
    '"a\\tb"',
    "'it''s'",
    "",
    "0x" + "f" * 3600,
]
KEYS = ["a", "b", "id", "name", "depends_on", "1", "null", "x y", "2024-01-01", "-k", "\u00e9"]
ODD_KEYS = ["<<", "k:v", "'q'", "a#b", "a b ", "true", "~"]

# mostly scalars of the subset, so that most documents are read; now and then anything at all
scalars = st.integers(0, 29).flatmap(
    lambda n: (
        st.sampled_from(ODD)
        if n == 0
        else st.text(alphabet="ab -:#,[]{}'\"01.~\u00e9", max_size=6)
        if n == 1
        else st.sampled_from(SCALARS)
    )
)
keys = st.integers(0, 29).flatmap(
    lambda n: (
        st.sampled_from(ODD_KEYS)
        if n == 0
        else st.text(alphabet="ab -:#01.", min_size=1, max_size=4)
        if n == 1
        else st.sampled_from(KEYS)
    )
)


def _flow_text(draw: st.DrawFn, depth: int) -> str:
    """A flow collection of scalars (and smaller flow collections), with varied spacing."""
    if draw(st.booleans()):
        items = [
            _flow_text(draw, depth + 1)
            if depth < 2 and draw(st.integers(0, 4)) == 0
            else draw(scalars)
            for _ in range(draw(st.integers(0, 3)))
        ]
        sep = draw(st.sampled_from([", ", ", ", ", ", ",", " , "]))
        return "[" + sep.join(items) + "]"
    pairs = [
        key
        + draw(st.sampled_from([": ", ": ", ": ", ":"]))
        + (
            _flow_text(draw, depth + 1)
            if depth < 2 and draw(st.integers(0, 4)) == 0
            else draw(scalars)
        )
        for key in draw(st.lists(keys, max_size=3, unique=True))
    ]
    return "{" + draw(st.sampled_from([", ", ", ", ","])).join(pairs) + "}"


def _value(draw: st.DrawFn) -> str:
    """What follows "key: " or "- " on the same line."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return _flow_text(draw, 0)
    text = draw(scalars)
    if kind == 1:
        text += draw(st.sampled_from([" # note", "  # note", "#x", " #"]))
    return text


def _block(draw: st.DrawFn, indent: int, depth: int, lines: list[str]) -> None:
    """Append the lines of one block collection whose keys or dashes are in column ``indent``."""
    pad = " " * indent
    is_seq = draw(st.booleans())
    names = iter(draw(st.lists(keys, min_size=4, max_size=4, unique=True)))
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# comment", pad + "  # indented comment"])))
        nested = depth < 5 and draw(st.integers(0, 2)) == 0
        if is_seq:
            if nested and draw(st.booleans()):
                # compact: "- key: value" or "- - x", the rest of the collection two columns in
                inner: list[str] = []
                _block(draw, indent + 2, depth + 1, inner)
                head = inner[0]
                if head.startswith(pad + "  ") and head[indent + 2] not in " #":
                    inner[0] = f"{pad}- {head[indent + 2 :]}"
                else:
                    lines.append(f"{pad}-")
                lines.extend(inner)
            elif nested:
                lines.append(f"{pad}-")
                _block(draw, indent + draw(st.integers(1, 3)), depth + 1, lines)
            else:
                lines.append(f"{pad}- {_value(draw)}".rstrip(" "))
        else:
            key = next(names)
            if nested:
                lines.append(f"{pad}{key}:")
                # 0: an indentless sequence sits in the key's own column (or a sibling mapping)
                step = draw(st.sampled_from([0, 1, 2, 4]))
                _block(draw, indent + step, depth + 1, lines)
            else:
                lines.append(f"{pad}{key}: {_value(draw)}".rstrip(" "))


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A document written in (mostly) the subset's grammar."""
    lines: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        lines.append("---")
    _block(draw, 0, 0, lines)
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@st.composite
def damaged(draw: st.DrawFn) -> str:
    """A subset document after one to four random edits of characters or lines."""
    text = draw(documents())
    for _ in range(draw(st.integers(1, 4))):
        if not text:
            break
        at = draw(st.integers(0, len(text)))
        op = draw(st.integers(0, 5))
        if op == 0:  # insert a character with a meaning
            text = (
                text[:at] + draw(st.sampled_from(list("'\":# \t&*!|>-?,[]{}%@`\r\x85"))) + text[at:]
            )
        elif op == 1:
            text = text[:at] + text[at + 1 :]
        elif op == 2:  # cut short
            text = text[:at]
        elif op == 3:  # indent or dedent a line
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines[i] = (
                " " * draw(st.integers(1, 3)) + lines[i]
                if draw(st.booleans())
                else lines[i][1:]
                if lines[i].startswith(" ")
                else lines[i]
            )
            text = "\n".join(lines)
        elif op == 4:  # repeat a line (duplicate keys)
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        else:  # a line from elsewhere
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines)))
            lines.insert(
                i, draw(st.sampled_from(["---", "...", "- x", "x", "  y: 1", "? k", "a: |"]))
            )
            text = "\n".join(lines)
    return text


@FUZZ
@given(documents())
def test_random_subset_documents(text: str) -> None:
    check(text)


@FUZZ
@given(damaged())
def test_random_damaged_documents(text: str) -> None:
    check(text)


# Data as PyYAML's yaml.dump writes it in its default style (the subset's model)
plain_data = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False, allow_infinity=True),
        st.dates(),
        st.sampled_from(SCALARS + ODD),
        st.text(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(KEYS + ODD_KEYS), st.integers(0, 9)), inner, max_size=4
        ),
    ),
    max_leaves=20,
)


@FUZZ
@given(plain_data, st.booleans())
def test_what_yaml_dump_writes(data: Any, unicode: bool) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=unicode)
    fast = check(text)
    if fast is not DECLINED:
        assert same(fast, yaml.safe_load(text)) or not same(data, data)


@settings(FUZZ, max_examples=FUZZ.max_examples // 3)
@given(st.text(alphabet="ab1 -:#,[]{}'\"\n.~", max_size=40))
def test_random_token_soup(text: str) -> None:
    check(text)


def test_the_grammar_mostly_lands_inside_the_subset() -> None:
    # the random documents are worth little if the reader declines them all: count how many of a
    # fixed sample it reads
    read = 0

    @settings(FUZZ, max_examples=200, derandomize=True)
    @given(documents())
    def count(text: str) -> None:
        nonlocal read
        read += check(text) is not DECLINED

    count()
    assert read >= 40, read


# -- files from other writers: yaml.safe_dump's block style, and a file kept by hand ---------------

# Text as people write it: words with apostrophes, "#", dashes, dots, accents, other scripts.
_word = st.text(alphabet="abcdeXYZ0123'#-.:,&éüß日本", min_size=1, max_size=9)
_sentence = st.lists(_word, min_size=1, max_size=25).map(" ".join)
_ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
_dependency = st.one_of(
    _ids,
    st.fixed_dictionaries(
        {"supplier": _ids},
        optional={"service": _sentence, "volume": st.integers(0, 500), "required": st.booleans()},
    ),
    st.fixed_dictionaries({"any_of": st.lists(_ids, min_size=2, max_size=3)}),
)
_party = st.fixed_dictionaries(
    {"id": _ids},
    optional={
        "name": _sentence,
        "kind": st.sampled_from(["team", "department", "system"]),
        "capacity": st.floats(1, 1e4, allow_nan=False),
        "lead_time": st.sampled_from(["4h", "1d", "30m", "P2D"]),
        "tags": st.lists(_word, max_size=3),
        "description": _sentence,
        "attributes": st.dictionaries(
            st.sampled_from(["site", "cost center", "floor"]),
            st.one_of(_sentence, st.integers(0, 99)),
            max_size=2,
        ),
        "depends_on": st.lists(_dependency, max_size=4),
    },
)
org_data = st.fixed_dictionaries(
    {"units": st.lists(_party, min_size=1, max_size=4)},
    optional={"organization": st.fixed_dictionaries({"name": _sentence})},
)


@FUZZ
@given(org_data, st.booleans(), st.sampled_from([80, 40, 120]))
def test_what_safe_dump_writes_in_block_style(data: Any, unicode: bool, width: int) -> None:
    # PyYAML's defaults: ASCII with escapes (unless allow_unicode), text folded at the width
    text = yaml.safe_dump(
        data, sort_keys=False, default_flow_style=False, allow_unicode=unicode, width=width
    )
    fast = check(text)
    if fast is not DECLINED:
        assert same(fast, yaml.safe_load(text))


def _hand(data: Any, pad: str, lines: list[str], draw: st.DrawFn, lead: str | None = None) -> None:
    """``data`` (a mapping) as a person writes it: names quoted, lists of scalars in brackets,
    comments here and there, and an indentation step chosen afresh at every level."""
    for n, (key, value) in enumerate(data.items()):
        head = lead if n == 0 and lead is not None else pad
        note = draw(st.sampled_from(["", "", "", "  # note", "   # it's #1"]))
        if isinstance(value, str):
            style = draw(st.integers(0, 2))
            if style == 0:
                shown = json.dumps(value, ensure_ascii=draw(st.booleans()))
            elif style == 1:
                shown = "'" + value.replace("'", "''") + "'"
            else:
                shown = yaml.safe_dump(value, width=10**6, allow_unicode=True)
                shown = shown.removesuffix("\n...\n").removesuffix("\n")
                note = ""  # a plain scalar with " #" in it would swallow it
            lines.append(f"{head}{key}: {shown}{note}")
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            items = ", ".join(json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f"{head}{key}: [{items}]{note}")
        elif isinstance(value, list):
            lines.append(f"{head}{key}:{note}")
            step = " " * draw(st.integers(0, 4))
            for item in value:
                if isinstance(item, dict):
                    inner = pad + step + "  " + " " * draw(st.integers(0, 2))
                    _hand(
                        item,
                        inner,
                        lines,
                        draw,
                        lead=pad + step + "- " + inner[len(pad + step) + 2 :],
                    )
                else:
                    lines.append(f"{pad}{step}- {json.dumps(item)}")
        elif isinstance(value, dict):
            lines.append(f"{head}{key}:")
            _hand(value, pad + " " * draw(st.integers(1, 6)), lines, draw)
        else:
            lines.append(f"{head}{key}: {json.dumps(value)}{note}")
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# a comment line", pad + "# indented"])))


@st.composite
def hand_kept(draw: st.DrawFn) -> tuple[Any, str]:
    data = draw(org_data)
    lines = ["# kept by hand"]
    _hand(data, "", lines, draw)
    return data, "\n".join(lines) + "\n"


@FUZZ
@given(hand_kept())
def test_files_kept_by_hand(case: tuple[Any, str]) -> None:
    _data, text = case
    fast = check(text)
    if fast is not DECLINED:
        assert same(fast, yaml.safe_load(text))


def test_other_writers_are_mostly_read_fast() -> None:
    # the point of the cases above: files from other writers take the fast path, not only
    # agree with the full reader when they do
    read = {"safe_dump": 0, "hand": 0}

    @settings(FUZZ, max_examples=200, derandomize=True)
    @given(org_data, hand_kept())
    def count(data: Any, case: tuple[Any, str]) -> None:
        text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False)
        read["safe_dump"] += check(text) is not DECLINED
        read["hand"] += check(case[1]) is not DECLINED

    count()
    assert read["safe_dump"] >= 170 and read["hand"] >= 150, read


# -- real files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("units", "seed"), [(10, 0), (12, 1), (200, 2), (1000, 0), (3000, 7)])
def test_generated_files_are_read_fast(units: int, seed: int) -> None:
    accepted(dump_org(generate_org(units, seed=seed)))


@pytest.mark.parametrize("kind", PATHOLOGICAL_KINDS)
def test_pathological_generated_shapes_are_read_fast(kind: PathologicalKind) -> None:
    accepted(dump_org(pathological(kind, 50)))


# Every example in examples/ is inside the subset (comments, quoted values, flow mappings, blank
# lines). Test data that is not: anchors and merge keys, a BOM, empty files, a lone scalar.
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_examples_are_read_fast(path: Path) -> None:
    accepted(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "tests/model/example-files").glob("*/*.yaml")),
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_the_example_files_of_the_loader_tests(path: Path) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        pytest.skip("not UTF-8: the loader refuses it before any YAML is read")
    check(text)


# -- the loader and the command ---------------------------------------------------------------


def _never(text: str) -> Any:
    return DECLINED


def _analyze_json(path: Path, out: Path) -> bytes:
    result = CliRunner().invoke(cli.app, ["analyze", str(path), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.stdout + result.stderr
    return out.read_bytes()


@pytest.mark.parametrize(
    "source", [*EXAMPLES, "generated"], ids=lambda s: getattr(s, "name", str(s))
)
def test_analyze_prints_the_same_bytes_with_and_without_the_fast_reader(
    source: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if source == "generated":
        path = tmp_path / "org.yaml"
        path.write_text(dump_org(generate_org(400, seed=3, scenarios=True)), encoding="utf-8")
    else:
        assert isinstance(source, Path)
        path = source
    calls: list[bool] = []

    def spy(text: str) -> Any:
        data = read_simple_yaml(text)
        calls.append(data is not DECLINED)
        return data

    monkeypatch.setattr(sources, "read_simple_yaml", spy)
    fast = _analyze_json(path, tmp_path / "fast.json")
    assert calls == [True], "the fast reader did not read the file"
    monkeypatch.setattr(sources, "read_simple_yaml", _never)
    slow = _analyze_json(path, tmp_path / "slow.json")
    assert fast == slow


def test_the_loader_falls_back_and_locates_errors(tmp_path: Path) -> None:
    # a duplicate key: the fast reader declines, parse_yaml finds and locates it
    path = tmp_path / "dup.yaml"
    path.write_text("units:\n- id: a\n  id: b\n", encoding="utf-8")
    assert read_simple_yaml(path.read_text(encoding="utf-8")) is DECLINED
    from orggraph.errors import OrgValidationError

    with pytest.raises(OrgValidationError) as info:
        load(path)
    assert "duplicate key 'id'" in info.value.render()
    assert str(info.value.problems[0].location).startswith(f"{path}:3:")


def test_declined_is_not_data() -> None:
    assert repr(DECLINED) == "DECLINED"
    assert fastyaml.__all__ == ["DECLINED", "read_simple_yaml"]


def test_docstring_examples() -> None:
    result = doctest.testmod(fastyaml)
    assert result.attempted > 0 and result.failed == 0

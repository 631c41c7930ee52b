"""What the fuzz tests share: how long they run, the documents they damage, and what a good
failure looks like.

Two hypothesis profiles: ``orggraph-fuzz`` (the default: derandomized, so a CI re-run sees the
same examples, and small enough for the whole folder to take well under a minute) and
``orggraph-fuzz-long`` (random, twenty times the examples), chosen by ``ORGGRAPH_FUZZ=long``.
Tests ask for a share of the profile's budget with :func:`examples`.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from orggraph.errors import OrgValidationError
from orggraph.generate import generate_org
from orggraph.model.dump import dump_org

LONG = os.environ.get("ORGGRAPH_FUZZ") == "long"

settings.register_profile(
    "orggraph-fuzz",
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "orggraph-fuzz-long",
    parent=settings.get_profile("orggraph-fuzz"),
    max_examples=2000,
    derandomize=False,
)
PROFILE = settings.get_profile("orggraph-fuzz-long" if LONG else "orggraph-fuzz")


def examples(share: float) -> settings:
    """The profile's settings with ``share`` of its examples (at least 3)."""
    return settings(PROFILE, max_examples=max(3, round(PROFILE.max_examples * share)))


ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_FILES = sorted(ROOT.glob("examples/*.yaml"))
# the repository's examples and generated organizations in both formats: the documents damaged
SEEDS: list[tuple[str, str]] = [(p.name, p.read_text(encoding="utf-8")) for p in EXAMPLE_FILES]
SEEDS += [(f"generated-{n}.yaml", dump_org(generate_org(n, seed=n))) for n in (12, 40)]
SEEDS += [(f"generated-{n}.json", dump_org(generate_org(n, seed=n), "json")) for n in (12,)]

# plain scalars YAML 1.1 reads as something other than text, tags, anchors, and broken syntax
TRAPS = [
    "no",
    "yes",
    "on",
    "off",
    "y",
    "~",
    "null",
    "",
    "1e3",
    "1.5e+3",
    "0o17",
    "0x1F",
    "0b101",
    "017",
    "1_000",
    "1:30",
    "2024-01-01",
    "2024-01-01 12:30:00",
    "2024-13-45",
    ".inf",
    "-.nan",
    "!!python/object:os.system",
    "!!python/name:os.system",
    "!!binary aGk=",
    "!!bool maybe",
    "!!int ''",
    "!!timestamp x",
    "!!set {a}",
    "!custom x",
    "&a x",
    "&a {id: x}",
    "*a",
    "*nope",
    "<<: *a",
    "{<<: [*a, *a]}",
    "[",
    "{",
    "}",
    "]",
    "'",
    '"',
    '"\\ud800"',
    '"\\x00"',
    "\t",
    "- ",
    ": ",
    "? ",
    "|",
    ">-",
    "@x",
    "`x",
    "%YAML 1.1",
    "---",
    "...",
    "#",
    "[" * 80 + "]" * 80,
    "\u202e\u200b",
    "\x85",
]


@st.composite
def mutated(draw: st.DrawFn, *, seeds: list[tuple[str, str]] = SEEDS) -> tuple[str, str]:
    """A (file name, text) from one of ``seeds`` after one to six random edits."""
    name, text = draw(st.sampled_from(seeds))
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        op = draw(
            st.sampled_from(
                ["drop", "double", "swap", "indent", "dedent", "tab", "trap", "cut", "nest", "key"]
            )
        )
        if op == "drop":
            del lines[i]
        elif op == "double":
            lines.insert(i, line)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " * draw(st.integers(1, 4)) + line
        elif op == "dedent":
            lines[i] = line.lstrip(" ") if draw(st.booleans()) else line[1:]
        elif op == "tab":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + "\t" + line[at:]
        elif op == "trap":
            bare = line.rstrip("\n")
            head = bare.split(":", 1)[0] + ": " if ":" in bare else bare + " "
            lines[i] = head + draw(st.sampled_from(TRAPS)) + "\n"
        elif op == "cut":  # the file ends here, possibly mid-line
            lines = lines[: i + 1]
            lines[-1] = line[: draw(st.integers(0, len(line)))]
        elif op == "nest":  # a value wrapped in many lists or mappings
            depth = draw(st.integers(1, 120))
            bare = line.rstrip("\n")
            head, _, value = bare.partition(": ")
            inner = value or "x"
            if draw(st.booleans()):
                wrapped = "[" * depth + inner + "]" * depth
            else:
                wrapped = "{a: " * depth + inner + "}" * depth
            lines[i] = f"{head}: {wrapped}\n"
        else:  # a key another party or another kind of party has
            bare = line.rstrip("\n")
            indent = bare[: len(bare) - len(bare.lstrip())]
            key = draw(st.sampled_from(["id", "parent", "weight", "depends_on", "include", "<<"]))
            lines.insert(i, f"{indent}{key}: {draw(st.sampled_from(TRAPS))}\n")
    return name, "".join(lines)


def assert_located(error: OrgValidationError, name: str, text: str) -> None:
    """Every problem of ``error`` points into ``text``, a file called ``name``, and the message
    reads as a message.

    A file's problems are always located (``load_dict`` is the one reader whose problems have
    no position): on a line of the file (one past the last for "ended too early") and a column
    of that line (one past its end for "expected more here").
    """
    rendered = error.render()
    assert "Traceback" not in rendered
    assert rendered.endswith(" found")
    assert error.problems
    # YAML breaks lines at \r, \x85 and \u2028 too, JSON's own messages only at \n
    lines = _BREAKS.sub("\n", text.removeprefix("\ufeff")).split("\n")
    json_lines = text.split("\n")
    for problem in error.problems:
        assert problem.message, problem
        loc = problem.location
        assert loc is not None, problem
        assert loc.file == name, problem
        assert _on_a_line(loc.line, loc.col, lines) or (
            problem.message.startswith("invalid JSON") and _on_a_line(loc.line, loc.col, json_lines)
        ), problem
        assert len(problem.render()) < 2000, "a message repeats too much of the input"
    assert list(error.problems) == sorted(error.problems, key=lambda p: p.sort_key())


_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _on_a_line(line: int, col: int, lines: list[str]) -> bool:
    if not 1 <= line <= len(lines) + 1:
        return False
    width = len(lines[line - 1]) if line <= len(lines) else 0
    return 1 <= col <= width + 1


class TookTooLong(Exception):
    """A run over its time budget: a hang, as far as a user can tell."""


@contextmanager
def time_budget(seconds: int) -> Iterator[None]:
    """Fail with :class:`TookTooLong` when the block runs longer than ``seconds``."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TookTooLong(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)

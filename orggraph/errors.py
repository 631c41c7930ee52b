"""One family of errors for everything the user can get wrong.

A located problem renders as ``FILE:LINE:COL: where: what`` followed, when there is one, by an
indented hint line. Lines and columns are 1-based, as editors count them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "Location",
    "OrgError",
    "OrgValidationError",
    "Problem",
    "UsageError",
    "closest",
    "did_you_mean",
    "printable_path",
    "quoted",
    "shorten",
]

MESSAGE_TEXT_LIMIT = 60
"""Longest piece of the user's text a message repeats; a 10 MB value makes a one-line message."""


@dataclass(frozen=True, slots=True)
class Location:
    """A position in a source file (1-based line and column)."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{printable_path(self.file)}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where it is, which part of the model, what, how to fix it."""

    location: Location | None
    where: str
    message: str
    hint: str | None = None

    def render(self) -> str:
        head = f"{self.location}: " if self.location is not None else ""
        where = f"{self.where}: " if self.where else ""
        text = f"{head}{where}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.where, self.message)
        return (loc.file, loc.line, loc.col, self.where, self.message)


class OrgError(Exception):
    """Base class of every error orggraph raises on purpose."""


class OrgValidationError(OrgError):
    """An org file (or dict) is not a valid organization. Carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.render())

    def render(self) -> str:
        lines = [p.render() for p in self.problems]
        count = len(self.problems)
        lines.append(f"{count} error{'s' if count != 1 else ''} found")
        return "\n".join(lines)


class UsageError(OrgError):
    """The command line asked for something that cannot be done (unknown id, bad option value)."""


def printable_path(path: str) -> str:
    """A file name as one line of a message: line breaks and other control characters escaped
    (``\\n``, ``\\x1b``), so a name cannot start a line that looks like another message.

    >>> printable_path("org\\nerror: fake.yaml")
    'org\\\\nerror: fake.yaml'
    """
    return "".join(
        repr(ch)[1:-1] if (ch.isspace() and ch != " ") or not ch.isprintable() else ch
        for ch in path
    )


def shorten(text: str, limit: int = MESSAGE_TEXT_LIMIT) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with an ellipsis.

    >>> shorten("x" * 100, 8)
    'xxxxxxx…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(text: str, limit: int = MESSAGE_TEXT_LIMIT) -> str:
    """The user's text for a one-line message: in quotes, cut short, control characters escaped.

    >>> quoted("desk"), quoted("a\\tb")
    ("'desk'", "'a\\\\tb'")
    """
    text = shorten(text, limit)
    return f"'{text}'" if text.isprintable() else repr(text)


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """Return the candidate most similar to ``word``, or None when nothing is close."""
    # only candidates whose length leaves the cutoff reachable: difflib indexes every character
    # of ``word``, which for a 10 MB word costs 50 times its size in memory, in vain
    pool = sorted(
        {c for c in candidates if 2 * min(len(c), len(word)) >= cutoff * (len(c) + len(word))}
    )
    if not pool:
        return None
    matches = difflib.get_close_matches(word, pool, n=1, cutoff=cutoff)
    if matches:
        return matches[0]
    lowered = word.lower()
    for cand in pool:
        if cand.lower() == lowered:
            return cand
    return None


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean 'x'?" hint, or None."""
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match is not None else None

"""The loader on random and damaged documents: a result, or every problem located in the file.

Random bytes and text, YAML-ish token soup, and the examples and generated organizations with
random edits (lines dropped, doubled, swapped, re-indented, tabs, cut short, YAML 1.1 traps,
tags, anchors and aliases, deep nesting, keys of another kind of party, invalid UTF-8). Each
run has a time budget, so a hang fails as one. ``ORGGRAPH_FUZZ=long`` runs twenty times more
examples, at random rather than the fixed sequence CI sees (see ``_fuzz.py``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from orggraph.errors import OrgValidationError
from orggraph.model import load, load_text

from ._fuzz import SEEDS, TRAPS, assert_located, examples, mutated, time_budget


def load_text_or_locate(text: str, name: str) -> None:
    """``load_text`` gives an organization or an OrgValidationError located in ``text``, and
    nothing else (text has no folder, so not even a UsageError), within a few seconds."""
    with time_budget(10):
        try:
            load_text(text, name)
        except OrgValidationError as error:
            assert_located(error, name, text)


def load_file_or_locate(raw: bytes, name: str) -> None:
    """The same read from a file, and the same outcome as :func:`load_text` on its text."""
    with tempfile.TemporaryDirectory() as folder, time_budget(10):
        path = Path(folder) / name
        path.write_bytes(raw)
        try:
            org = load(path)
        except OrgValidationError as error:
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:  # located by byte: one problem, on a line of the file
                (problem,) = error.problems
                assert problem.location is not None
                assert problem.location.file == str(path)
                assert 1 <= problem.location.line <= raw.count(b"\n") + 1
                assert problem.message.startswith("the file is not UTF-8 text")
                return
            assert_located(error, str(path), text)
            try:
                load_text(text, str(path))
            except OrgValidationError as again:
                assert again.problems == error.problems, "file and text read differently"
            else:
                raise AssertionError("the text loads, the file of the same bytes does not")
        else:
            assert load_text(raw.decode("utf-8-sig"), str(path)) == org


@examples(1.0)
@given(st.binary(max_size=400), st.sampled_from(["org.yaml", "org.json"]))
def test_random_bytes(raw: bytes, name: str) -> None:
    load_file_or_locate(raw, name)


@examples(1.0)
@given(
    st.text(st.characters(codec=None, exclude_categories=()), max_size=300),
    st.sampled_from(["org.yaml", "org.json"]),
)
def test_random_text_including_surrogates_and_control_characters(text: str, name: str) -> None:
    load_text_or_locate(text, name)


YAML_TOKENS = [
    "units:",
    "customers:",
    "vendors:",
    "include:",
    "organization:",
    "version:",
    "\n",
    "\n  ",
    "\n  - ",
    "\n    ",
    "- ",
    "id: ",
    "depends_on: ",
    "any_of: ",
    "supplier: ",
    "parent: ",
    "capacity: ",
    "lead_time: ",
    "quality: ",
    "weight: ",
    "volume: ",
    "required: ",
    "attributes: ",
    "a",
    "b",
    "desk",
    "[",
    "]",
    "{",
    "}",
    ", ",
    ": ",
    "? ",
    "&x ",
    "*x",
    "!!str ",
    "!!map ",
    "'",
    '"',
    "# c",
    "4h",
    "0.5",
    "-1",
    *TRAPS[:20],
]


@examples(1.5)
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=60), st.booleans())
def test_yaml_token_soup(tokens: list[str], as_json: bool) -> None:
    load_text_or_locate("".join(tokens), "org.json" if as_json else "org.yaml")


@examples(2.0)
@given(mutated())
def test_mutated_documents(document: tuple[str, str]) -> None:
    name, text = document
    load_text_or_locate(text, name)


@examples(0.5)
@given(
    mutated(),
    st.sampled_from([b"\xff", b"\xc3(", b"\x00", b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\r"]),
    st.floats(0, 1),
)
def test_mutated_files_with_bad_bytes(document: tuple[str, str], junk: bytes, where: float) -> None:
    name, text = document
    data = text.encode("utf-8")
    cut = int(len(data) * where)
    load_file_or_locate(data[:cut] + junk + data[cut:], name)


@examples(0.5)
@given(st.sampled_from(SEEDS), st.floats(0, 1))
def test_files_cut_at_any_byte(document: tuple[str, str], where: float) -> None:
    name, text = document
    data = text.encode("utf-8")
    load_file_or_locate(data[: int(len(data) * where)], name)

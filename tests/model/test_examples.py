"""The folders of example files drive these tests.

Every file in ``example-files/invalid`` must be refused with exactly the text of its sibling
``.expected`` file (``OrgValidationError.render()`` plus a final newline), the file named as the
test passes it: by its bare name, from inside the folder. Every file in ``example-files/valid`` must
load. To cover a new rule or trap, drop a file (and, for an invalid one, its ``.expected``) into
the folder; nothing here needs to change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orggraph.errors import OrgValidationError
from orggraph.model import load

HERE = Path(__file__).parent / "example-files"
INVALID = HERE / "invalid"
VALID = HERE / "valid"

INVALID_FILES = sorted(p.name for p in INVALID.iterdir() if p.suffix != ".expected")
VALID_FILES = sorted(p.name for p in VALID.iterdir())


@pytest.mark.parametrize("name", INVALID_FILES)
def test_invalid_file_is_refused_with_the_expected_text(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = (INVALID / name).with_suffix(".expected").read_text(encoding="utf-8")
    monkeypatch.chdir(INVALID)
    with pytest.raises(OrgValidationError) as info:
        load(name)
    assert info.value.render() + "\n" == expected
    assert str(info.value) == info.value.render()


@pytest.mark.parametrize("name", INVALID_FILES)
def test_every_problem_of_an_invalid_file_is_located_inside_it(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = (INVALID / name).read_bytes().splitlines()
    monkeypatch.chdir(INVALID)
    with pytest.raises(OrgValidationError) as info:
        load(name)
    problems = info.value.problems
    assert problems
    for problem in problems:
        assert problem.location is not None
        assert problem.location.file == name
        assert 1 <= problem.location.line <= len(lines) + 1
        assert problem.location.col >= 1
    assert list(problems) == sorted(problems, key=lambda p: p.sort_key())


def test_every_invalid_file_has_an_expected_file_and_back() -> None:
    inputs = {Path(name).stem for name in INVALID_FILES}
    expectations = {p.stem for p in INVALID.glob("*.expected")}
    assert inputs == expectations


@pytest.mark.parametrize("name", VALID_FILES)
def test_valid_file_loads(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(VALID)
    org = load(name)
    assert org.units or org.customers or org.vendors

"""Text handed to the loader by a program rather than read from a file: things a file decoded as
UTF-8 cannot hold, but a ``str`` can, are located errors too."""

from __future__ import annotations

import pytest

from orggraph.errors import Location, OrgValidationError
from orggraph.model import load_text
from orggraph.model.rules import SUGGESTION_LIMIT


@pytest.mark.parametrize("name", ["org.yaml", "org.json"])
def test_a_lone_surrogate_in_text_is_a_located_error(name: str) -> None:
    # what bytes.decode("utf-8", errors="surrogateescape") makes of an invalid byte
    text = (
        "units:\n  - id: desk\n    name: caf\udce9\n"
        if name.endswith(".yaml")
        else '{"units": [{"id": "desk",\n "name": "caf\udce9"}]}'
    )
    with pytest.raises(OrgValidationError) as info:
        load_text(text, name)
    (problem,) = info.value.problems
    line, col = (3, 14) if name.endswith(".yaml") else (2, 14)
    assert problem.location == Location(name, line, col)
    assert problem.message == (
        "the text contains U+DCE9, half of a surrogate pair, which is not a character"
    )


def test_thousands_of_misspelt_references_are_refused_fast() -> None:
    # a renamed prefix: every reference is unknown. Each "did you mean" compares with every id,
    # so suggesting for all 3,000 took about a minute; only the first few get one.
    n = 3000
    units = "".join(f"  - id: team-{i}\n    depends_on: [teem-{(i + 1) % n}]\n" for i in range(n))
    parents = "".join(f"  - id: group-{i}\n    parent: grup-{i}\n" for i in range(5))
    with pytest.raises(OrgValidationError) as info:
        load_text(f"units:\n{units}{parents}", "org.yaml")
    problems = info.value.problems
    assert len(problems) == n + 5
    suggested = [p for p in problems if p.hint and p.hint.startswith("did you mean")]
    assert len(suggested) == SUGGESTION_LIMIT
    assert problems[0].hint == "did you mean 'team-1'?"
    assert problems[-1].hint == "declare the parent under units:"

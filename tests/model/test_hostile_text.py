"""Text handed to the loader by a program rather than read from a file: things a file decoded as
UTF-8 cannot hold, but a ``str`` can, are located errors too."""

from __future__ import annotations

import pytest

from orggraph.errors import Location, OrgValidationError
from orggraph.model import load_text


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

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with ``golden/NAME``; ``ORGGRAPH_UPDATE_GOLDEN=1`` rewrites the file."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("ORGGRAPH_UPDATE_GOLDEN") == "1":
            path.write_text(text, encoding="utf-8", newline="")
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs; ORGGRAPH_UPDATE_GOLDEN=1 rewrites it"

    return check

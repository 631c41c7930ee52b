"""Text tables at any terminal width: an id in a table never breaks mid-word and never vanishes;
less important columns go first, and a line says which."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import orggraph
from orggraph.analysis.report import Report
from orggraph.render.text import render_text

from ._fuzz import examples

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))


@functools.cache
def _report(path: Path) -> Report:
    return orggraph.analyze(orggraph.build_graph(orggraph.load(path)))


def _section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n\n", text.index("─", start))
    return text[start : end if end >= 0 else None]


def _whole(token: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", text) is not None


def _check(report: Report, width: int) -> None:
    text = render_text(report, width=width)
    top = 10
    tables = [
        ("Critical suppliers", [c.id for c in report.critical_suppliers[:top]]),
        ("Bottlenecks (", [b.id for b in report.bottlenecks[:top]]),
        ("Failover (", [f.id for f in report.failover[:top]]),
    ]
    for heading, ids in tables:
        if not ids:
            continue
        section = _section(text, heading)
        for party in ids:
            assert _whole(party, section), (width, heading, party)
        if "Not shown at this width" not in section:
            continue
        assert f"({width} columns)" in section


@pytest.mark.parametrize("width", [120, 100, 80, 70, 60, 50])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_id_shows_whole_at_common_widths(path: Path, width: int) -> None:
    _check(_report(path), width)


def test_a_narrow_table_drops_a_column_and_says_so() -> None:
    text = render_text(_report(EXAMPLES[0]), width=60)
    section = _section(text, "Critical suppliers")
    note = "Not shown at this width (60 columns): Chains through, Impacted units, Party, rank."
    assert note in " ".join(section.split())
    assert "Chains" not in section.split("─")[0]


@examples(0.2)
@given(st.sampled_from(EXAMPLES), st.integers(40, 200))
def test_at_any_width_ids_never_break(path: Path, width: int) -> None:
    _check(_report(path), width)

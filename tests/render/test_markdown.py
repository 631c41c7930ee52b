"""The markdown report: GitHub tables whose cells cannot be split or turned into markup."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from orggraph.render.markdown import md_escape, render_markdown

from ._reports import clinic_groups_report, clinic_report, empty_report

# a cell separator is a '|' not preceded by a backslash
SEPARATOR = re.compile(r"(?<!\\)\|")


def _tables(text: str) -> list[list[str]]:
    tables: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def test_markdown_golden(golden: Callable[[str, str], None]) -> None:
    golden("clinic.md", render_markdown(clinic_report()))


def test_sections_and_tables() -> None:
    text = render_markdown(clinic_report())
    assert text.startswith("# Northside Clinics — per week\n")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert [h.split(" (")[0] for h in headings] == [
        "## What matters most",
        "## Critical suppliers",
        "## Bottlenecks",
        "## Illusory redundancy",
        "## Failover",
        "## Service chains",
        "## Disconnected units",
        "## Dependency cycles",
        "## Warnings",
    ]
    tables = _tables(text)
    assert len(tables) == 3
    for table in tables:
        columns = len(SEPARATOR.findall(table[0]))
        assert re.fullmatch(r"\|(:---|---:)(\|(:---|---:))*\|", table[1])
        assert all(len(SEPARATOR.findall(row)) == columns for row in table)
    assert "| 1 | ehr-platform | unit | 12 | patients, insurers, gps | 3 | 0.123 |" in text
    assert "vendor-ehr → ehr-platform → pharmacy-satellite → patients" in text
    assert "- finance → procurement → finance" in text


def test_pipes_in_ids_and_names_cannot_split_a_cell() -> None:
    text = render_markdown(clinic_report(name="Acme | *Retail*", supplier_id="a|b"))
    assert text.startswith("# Acme \\| \\*Retail\\* — per week\n")
    assert "| 1 | a\\|b | unit |" in text
    for table in _tables(text):
        columns = len(SEPARATOR.findall(table[0]))
        assert all(len(SEPARATOR.findall(row)) == columns for row in table)


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("*bold* _it_", "\\*bold\\* \\_it\\_"),
        ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
        ("[link](http://x)", "\\[link\\](http\\://x)"),
        ("`code`", "\\`code\\`"),
        ("back\\slash", "back\\\\slash"),
        ("#12 @someone ~~x~~ $x$ &amp;", "\\#12 \\@\u2060someone \\~\\~x\\~\\~ \\$x\\$ \\&amp;"),
        ("line\nbreak", "line break"),
        ("desk-eu.v2", "desk-eu.v2"),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def test_top_limits_rows() -> None:
    text = render_markdown(clinic_report(), top=1)
    assert "… and 2 more critical suppliers" in text
    assert "… and 2 more bottlenecks" in text
    assert len(_tables(text)[0]) == 3  # header, rule, one row


def test_empty_report() -> None:
    text = render_markdown(empty_report())
    assert text.startswith("# orggraph report\n")
    assert "No critical suppliers: every customer survives any single failure." in text
    assert "No dependency cycles." in text
    assert _tables(text) == []
    assert text.endswith("_Betweenness: exact._\n")


def test_groups_golden(golden: Callable[[str, str], None]) -> None:
    """A report with groups: the section after the critical suppliers, groups that reach no
    customer left out of the readable table (the JSON lists every group)."""
    golden("clinic_groups.md", render_markdown(clinic_groups_report()))


def test_groups_none_critical() -> None:
    text = render_markdown(clinic_groups_report(critical=False))
    assert (
        "No critical groups: no group's failure, with all its members, reaches a customer." in text
    )
    assert "Critical groups" not in render_markdown(clinic_report())


def test_findings_open_the_report_as_in_the_text() -> None:
    from orggraph.render import _words as w

    report = clinic_report()
    text = render_markdown(report)
    lines = text.splitlines()
    start = lines.index("## What matters most")
    listed = lines[start + 2 : start + 2 + len(w.findings(report))]
    assert listed == w.findings(report)  # nothing in the clinic needs escaping
    assert listed[0] == (
        "1. 2 parties are each a single point of failure for the same 3 customers: "
        "ehr-platform and vendor-ehr."
    )
    assert "**" not in text.split("## Critical suppliers")[0]  # the findings replace the reading


def test_findings_escape_ids_and_names() -> None:
    text = render_markdown(clinic_report(supplier_id="a|b*"))
    assert "1. 2 parties are each a single point of failure for the same 3 customers: a\\|b\\*" in (
        text
    )


def test_legends_under_technical_tables() -> None:
    text = render_markdown(clinic_report())
    suppliers = text.split("## Critical suppliers")[1].split("## Bottlenecks")[0]
    assert "| Chains through |" in suppliers
    assert suppliers.rstrip().endswith(
        "_Chains through: the share of service chains (shortest paths between parties) that pass "
        "through it, 0 to 1 (betweenness)._"
    )
    assert "_Impact weight: the weight of the customers that lose service" in suppliers
    assert "2 suppliers share the top impact weight" in suppliers

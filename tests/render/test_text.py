"""The readable text report: the reading line, the tables, empty sections, width and colour."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

import pytest

from orggraph.analysis import failure_impact
from orggraph.analysis.report import CriticalSupplier, Report
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render._words import reading
from orggraph.render.text import render_text
from orggraph.render.whatif import render_impact_text

from ._reports import clinic_groups_report, clinic_report, empty_report

ANSI = re.compile(r"\x1b\[[0-9;]*m")
READING = (
    "3 customers depend on ehr-platform alone (2 more single points of failure); "
    "pharmacy-satellite runs at 140% of capacity; 2 units have no line of sight to a customer; "
    "1 dependency cycle"
)


def test_text_golden(golden: Callable[[str, str], None]) -> None:
    golden("clinic.txt", render_text(clinic_report()))


def test_reading_line_comes_first() -> None:
    assert reading(clinic_report()) == READING
    text = render_text(clinic_report(), width=300)
    lines = text.splitlines()
    # the findings open the report; the one-line reading stands in when there are none
    assert lines[:5] == [
        "Northside Clinics — per week",
        "6 units · 3 customers · 1 vendor · 9 dependencies",
        "",
        "What matters most",
        # a Report built by hand carries no customer weight, so no share is given
        "1. 2 parties are each a single point of failure for the same 3 customers: "
        "ehr-platform and vendor-ehr.",
    ]


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (
            empty_report(),
            "No single point of failure, no unit at or above 85% of capacity, "
            "no cycles, and every unit reaches a customer",
        ),
        (empty_report(customers=0), "no customers are declared, so no service chain ends anywhere"),
    ],
)
def test_reading_when_all_is_well(report: Report, expected: str) -> None:
    assert reading(report) == expected


def test_chains_are_drawn_with_arrows() -> None:
    text = render_text(clinic_report(), width=200)
    assert "vendor-ehr → ehr-platform → pharmacy-satellite → patients" in text
    assert "vendor-ehr → ehr-platform → insurers" in text
    assert "finance → procurement → finance" in text
    assert "2d 6h" in text and "45m" in text  # lead times as people say them
    assert "0.80 (pharmacy-satellite)" in text


def test_top_limits_rows_and_says_how_many_more() -> None:
    text = render_text(clinic_report(), top=1, width=200)
    assert "… and 2 more critical suppliers" in text
    assert "… and 2 more bottlenecks" in text
    assert "vendor-ehr    vendor" not in text
    everything = render_text(clinic_report(), top=0, width=200)
    assert "more critical supplier" not in everything
    assert "pharmacy-satellite  unit" in everything


def test_impacted_customers_first_few_then_count() -> None:
    many = CriticalSupplier(
        id="hub",
        party="unit",
        impact_weight=9.0,
        impacted_customers=("a", "b", "c", "d", "e"),
        impacted_units=1,
        betweenness=0.0,
    )
    text = render_text(replace(clinic_report(), critical_suppliers=(many,)), width=200)
    assert "a, b, c +2 more" in text


def test_empty_sections_say_so_in_one_line() -> None:
    text = render_text(empty_report())
    for sentence in [
        "No critical suppliers: every customer survives any single failure.",
        "No bottlenecks: no unit at or above 85% of capacity, and none that many chains pass "
        "through.",
        "No disconnected units: every unit has a line of sight to a customer.",
        "No dependency cycles.",
        "No warnings.",
    ]:
        assert sentence in text
    assert "orggraph report" in text.splitlines()[0]  # no organization name


def test_footer_says_exact_or_sampled() -> None:
    assert render_text(clinic_report()).endswith("Betweenness: exact.\n")
    sampled = render_text(clinic_report(sampled=True), width=200)
    assert sampled.splitlines()[-1] == (
        "Betweenness: sampled from 256 source parties (seed 42); "
        "the values are estimates, repeatable run to run."
    )


@pytest.mark.parametrize("width", [60, 80, 100, 140])
def test_lines_fit_the_width(width: int) -> None:
    text = render_text(clinic_report(), width=width)
    assert max(len(line) for line in text.splitlines()) <= width
    assert "pharmacy-satellite" in text
    assert "Critical chain" in text or "lead time 2d 6h" in text


def test_narrow_width_puts_each_chain_under_its_customer() -> None:
    text = render_text(clinic_report(), width=60)
    assert "\npatients\n  lead time 2d 6h · depth 3 · upstream 4 units, 1 vendor ·" in text
    assert "\n  vendor-ehr → ehr-platform → pharmacy-satellite → patients\n" in text
    words = " ".join(text.split())
    assert "quality 0.80, weakest link pharmacy-satellite" in words
    assert "upstream 2 units, 1 vendor · no quality scores" in words


def test_no_colour_codes_unless_asked() -> None:
    plain = render_text(clinic_report())
    assert "\x1b" not in plain
    coloured = render_text(clinic_report(), color=True)
    assert ANSI.search(coloured)
    assert ANSI.sub("", coloured).splitlines()[0] == plain.splitlines()[0]


def test_environment_does_not_change_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = render_text(clinic_report(), width=90)
    for name, value in [
        ("COLUMNS", "40"),
        ("LINES", "5"),
        ("FORCE_COLOR", "1"),
        ("TERM", "dumb"),
        ("TTY_COMPATIBLE", "1"),
        ("JUPYTER_COLUMNS", "30"),
    ]:
        monkeypatch.setenv(name, value)
    assert render_text(clinic_report(), width=90) == expected
    monkeypatch.setenv("NO_COLOR", "1")
    assert render_text(clinic_report(), width=90) == expected


def test_names_cannot_drive_the_terminal_or_inject_markup() -> None:
    text = render_text(
        clinic_report(name="\x1b[2J[bold red]Evil[/] :smile:\nsecond line", period="we\tek")
    )
    assert "\x1b" not in text
    assert "\\x1b[2J[bold red]Evil[/] :smile: second line — per we ek" in text.splitlines()[0]


def test_no_trailing_spaces_and_one_final_newline() -> None:
    text = render_text(clinic_report())
    assert all(line == line.rstrip() for line in text.splitlines())
    assert text.endswith("\n") and not text.endswith("\n\n")


# -- impact --------------------------------------------------------------------------------------

ORG = {
    "units": [
        {"id": "platform"},
        {"id": "desk", "depends_on": ["platform"]},
        {"id": "stores", "name": "Stores", "depends_on": ["desk"]},
        {"id": "spare"},
    ],
    "customers": [
        {"id": "shoppers", "name": "Retail shoppers", "weight": 10, "depends_on": ["stores"]},
        {"id": "online", "weight": 6, "depends_on": ["desk"]},
        {"id": "partners", "weight": 4, "depends_on": ["spare"]},
    ],
}


def test_impact_text() -> None:
    G = build_graph(load_dict(ORG))
    text = render_impact_text(failure_impact(G, ["platform"]), G)
    assert text == (
        "If platform fails:\n"
        "\n"
        "2 customers lose service: impact weight 16 of 20 (80%)\n"
        "  shoppers  weight 10  Retail shoppers\n"
        "  online    weight 6\n"
        "\n"
        "2 other units lose service:\n"
        "  desk, stores\n"
    )


def test_impact_text_when_nothing_is_lost() -> None:
    G = build_graph(load_dict(ORG))
    text = render_impact_text(failure_impact(G, ["spare", "partners"]), G)
    assert text.startswith("If partners and spare fail:\n")
    assert "1 customer loses service: impact weight 4 of 20 (20%)" in text
    assert text.endswith("No other unit loses service.\n")
    alone = render_impact_text(failure_impact(G, ["stores"]), G)
    assert "1 customer loses service" in alone
    nothing = render_impact_text(failure_impact(G, ["online"]), G)
    assert "No other unit loses service." in nothing


def test_impact_text_caps_long_lists() -> None:
    units = [{"id": "root"}] + [{"id": f"u{i:03}", "depends_on": ["root"]} for i in range(120)]
    G = build_graph(load_dict({"units": units, "customers": [{"id": "c", "depends_on": ["u000"]}]}))
    text = render_impact_text(failure_impact(G, ["root"]), G, limit=50, width=80)
    assert "… and 70 more" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_groups_golden(golden: Callable[[str, str], None]) -> None:
    """A report with groups: the section after the critical suppliers, groups that reach no
    customer left out of the readable table (the JSON lists every group)."""
    golden("clinic_groups.txt", render_text(clinic_groups_report()))


def test_groups_none_critical() -> None:
    text = render_text(clinic_groups_report(critical=False))
    assert (
        "No critical groups: no group's failure, with all its members, reaches a customer." in text
    )
    assert "Critical groups" not in render_text(clinic_report())


def test_findings_wrap_with_a_hanging_indent() -> None:
    text = render_text(clinic_report(), width=50)
    lines = text.splitlines()
    start = lines.index("What matters most")
    first, second = lines[start + 1], lines[start + 2]
    assert first.startswith("1. 2 parties are each a single point of failure")
    assert second.startswith("   ") and not second.startswith("    ")
    assert max(len(line) for line in lines[start : start + 8]) <= 50

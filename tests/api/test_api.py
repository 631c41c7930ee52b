"""The Python API: the same answers as the command line, typed results, notebook display."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from typer.testing import CliRunner

import orggraph
from orggraph.cli import app

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
HOSTILE = "<img src=x onerror=alert(1)>"
runner = CliRunner()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_to_dict_is_the_cli_json(example: Path) -> None:
    report = orggraph.analyze(orggraph.build_graph(orggraph.load(example)))
    result = runner.invoke(app, ["analyze", str(example), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == report.to_dict()
    assert result.stdout == orggraph.render_json(report)


def test_validation_errors_carry_what_the_cli_prints(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  - id: a\n    lead_time: 3\n  - id: b\n    depends_on: [c]\n")
    with pytest.raises(orggraph.OrgValidationError) as caught:
        orggraph.load(bad)
    problems = caught.value.problems
    assert [(p.location.line, p.location.col) for p in problems if p.location] == [(3, 16), (5, 18)]
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stderr == caught.value.render() + "\n"


def test_results_are_typed() -> None:
    G = orggraph.build_graph(orggraph.load(EXAMPLES[0]))
    report = orggraph.analyze(G)
    assert isinstance(report, orggraph.Report)
    assert all(isinstance(c, orggraph.CriticalSupplier) for c in report.critical_suppliers)
    assert all(isinstance(b, orggraph.Bottleneck) for b in report.bottlenecks)
    assert all(isinstance(s, orggraph.ServiceChain) for s in report.service_chains)
    # one analysis at a time gives the same answers as analyze()
    assert orggraph.service_chains(G) == report.service_chains
    assert orggraph.cycles(G) == report.cycles
    assert orggraph.disconnected_units(G) == report.disconnected_units
    impact = orggraph.failure_impact(G, [report.critical_suppliers[0].id])
    assert isinstance(impact, orggraph.Impact)
    assert set(impact.impacted_customers) == set(report.critical_suppliers[0].impacted_customers)


def _hostile_graph() -> tuple[orggraph.Report, object]:
    org = orggraph.load_dict(
        {
            "organization": {"name": HOSTILE},
            "units": [{"id": "desk", "name": HOSTILE, "capacity": 1}],
            "customers": [{"id": "shoppers", "depends_on": [{"supplier": "desk", "volume": 2}]}],
        }
    )
    G = orggraph.build_graph(org)
    return orggraph.analyze(G), org


def test_notebook_tables_escape_what_the_file_says() -> None:
    report, org = _hostile_graph()
    shown = [
        report._repr_html_(),
        report.critical_suppliers[0]._repr_html_(),
        report.bottlenecks[0]._repr_html_(),
        report.service_chains[0]._repr_html_(),
        org._repr_html_(),  # type: ignore[attr-defined]
    ]
    for page in shown:
        assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown[0]
    assert "&lt;img" in shown[-1]
    assert "<table" in shown[0] and "desk" in shown[1]


def test_view_shows_inline_and_saves(tmp_path: Path) -> None:
    org = orggraph.load(EXAMPLES[0])
    G = orggraph.build_graph(org)
    page = orggraph.view(G, height=400)
    assert page.html.lower().startswith("<!doctype html>")
    inline = page._repr_html_()
    assert inline.startswith("<iframe srcdoc=") and "height:400px" in inline
    assert "<script" not in inline  # the page is escaped inside the attribute
    out = page.save(tmp_path / "view.html")
    assert out.read_text(encoding="utf-8") == page.html


def test_figure_and_export() -> None:
    G = orggraph.build_graph(orggraph.load(EXAMPLES[0]))
    report = orggraph.analyze(G)
    for kind in ("graph", "critical", "utilization"):
        assert isinstance(orggraph.figure(G, report, kind=kind), Figure)  # type: ignore[arg-type]
    assert orggraph.export(G, "mermaid", report).startswith("flowchart LR")
    with pytest.raises(ValueError, match="unknown figure kind"):
        orggraph.figure(G, report, kind="pie")  # type: ignore[arg-type]

"""The Python API: the same answers as the command line, typed results, notebook display."""

from __future__ import annotations

import doctest
import importlib
import json
import re
import subprocess
import sys
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


def _hostile_graph() -> tuple[orggraph.Report, orggraph.Org]:
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
        org._repr_html_(),
        orggraph.failure_impact(orggraph.build_graph(org), ["desk"])._repr_html_(),
    ]
    for page in shown:
        assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown[0]
    assert "&lt;img" in shown[4]  # the organization's name in its summary
    assert "<table" in shown[0] and "desk" in shown[1]


def test_notebook_tables_write_numbers_as_people_do_and_text_on_the_left() -> None:
    org = orggraph.load_dict(
        {
            "units": [{"id": "desk", "capacity": 50_000}],
            "customers": [
                {"id": "shoppers", "depends_on": [{"supplier": "desk", "volume": 60_000}]}
            ],
        }
    )
    report = orggraph.analyze(orggraph.build_graph(org))
    table = report.bottlenecks[0]._repr_html_()
    cells = re.findall(r'<td style="([^"]*)">([^<]*)</td>', table)
    assert cells[:4] == [
        ("text-align:left", "desk"),
        ("text-align:right;font-variant-numeric:tabular-nums", "60,000"),
        ("text-align:right;font-variant-numeric:tabular-nums", "50,000"),
        ("text-align:right;font-variant-numeric:tabular-nums", "1.2"),
    ]
    assert "e+0" not in report._repr_html_()
    assert re.findall(r"<th style=\"([^\"]*)\">", table) == ["text-align:left"] * 7


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
        assert isinstance(orggraph.figure(G, report, kind=kind), Figure)
    assert orggraph.export(G, "mermaid", report).startswith("flowchart LR")
    with pytest.raises(orggraph.UsageError, match="unknown figure kind 'critcal'; did you mean"):
        orggraph.figure(G, report, kind="critcal")  # type: ignore[arg-type]
    with pytest.raises(orggraph.UsageError, match="unknown export format 'png'; choose one of"):
        orggraph.export(G, "png", report)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "module", ["orggraph", "orggraph.render.notebook", "orggraph.render.survey"]
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_import_is_lazy() -> None:
    """``import orggraph`` loads none of the heavy libraries; the first use of a name does."""
    code = (
        "import sys, orggraph\n"
        "heavy = ('networkx', 'pydantic', 'matplotlib', 'pyvis', 'yaml', 'pandas')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "orggraph.load_text\n"
        "print('pydantic' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines() == ["[]", "True"]


def test_load_text_errors_are_the_cli_errors_for_the_same_file(tmp_path: Path) -> None:
    text = "units:\n  - id: no\n  - id: b\n    depends_on: [a, a]\ncustomers: []\n"
    bad = tmp_path / "org.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(orggraph.OrgValidationError) as caught:
        orggraph.load_text(text, str(bad))
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert result.stderr == str(caught.value) + "\n"
    assert all(p.location is not None for p in caught.value.problems)


def test_every_result_shows_as_html() -> None:
    G = orggraph.build_graph(orggraph.load(EXAMPLES[0]))
    report = orggraph.analyze(G)
    shown = {
        "report": report._repr_html_(),
        "supplier": report.critical_suppliers[0]._repr_html_(),
        "bottleneck": report.bottlenecks[0]._repr_html_(),
        "chain": report.service_chains[0]._repr_html_(),
        "impact": orggraph.failure_impact(G, [report.critical_suppliers[0].id])._repr_html_(),
    }
    for name, page in shown.items():
        assert "<table" in page, name
    assert report.critical_suppliers[0].id in shown["impact"]


def test_to_pandas_rows_are_the_json_rows() -> None:
    pandas = pytest.importorskip("pandas")
    report = orggraph.analyze(orggraph.build_graph(orggraph.load(EXAMPLES[0])))
    frame = orggraph.to_pandas(report.critical_suppliers)
    assert isinstance(frame, pandas.DataFrame)
    assert frame.to_dict("records") == report.to_dict()["critical_suppliers"]
    chains = orggraph.to_pandas(report.service_chains)
    assert list(chains["customer"]) == [c.customer for c in report.service_chains]


def test_to_pandas_without_pandas_says_how_to_get_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'orggraph\[pandas\]'"):
        orggraph.to_pandas([])

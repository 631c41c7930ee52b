"""One rounding rule: the percentage in a table and the ratio in a reason are the same figure."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.model.figures import format_percent, format_ratio

runner = CliRunner()

ORG_43_40 = """\
organization: {name: Rounding, period: week}
customers:
  - id: shoppers
    depends_on: [{supplier: desk, volume: 43}]
units:
  - id: desk
    capacity: 40
    lead_time: P3DT5H10M
"""


def test_43_over_40_reads_108_percent_and_1_08_everywhere(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(ORG_43_40, encoding="utf-8")
    text = runner.invoke(app, ["analyze", str(org)], env={"COLUMNS": "120"})
    assert text.exit_code == 0, text.output
    assert "108%" in text.stdout
    assert "utilization 1.08" in text.stdout
    assert "1.07" not in text.stdout
    assert "3d 5h 10m" in text.stdout
    md = runner.invoke(app, ["analyze", str(org), "-f", "markdown"])
    assert "108%" in md.stdout and "utilization 1.08" in md.stdout
    data = json.loads(runner.invoke(app, ["analyze", str(org), "-f", "json"]).stdout)
    (desk,) = data["bottlenecks"]
    assert desk["reasons"] == ["overloaded: utilization 1.08"]
    assert desk["utilization"] == 1.075


@given(st.integers(0, 10_000), st.integers(1, 10_000))
def test_the_percentage_is_the_rounded_ratio_times_100(load: int, capacity: int) -> None:
    ratio = format_ratio(load / capacity)
    assert format_percent(load / capacity) == f"{int(ratio.replace('.', ''))}%"

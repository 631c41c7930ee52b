"""``orggraph generate`` through the CLI: valid output, the same bytes for the same seed."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.model import load, load_text

runner = CliRunner()


def test_generated_yaml_is_valid_and_repeatable() -> None:
    first = runner.invoke(app, ["generate", "--units", "60", "--seed", "7"])
    assert first.exit_code == 0, first.output
    org = load_text(first.stdout, "gen.yaml")
    assert len(org.units) == 60
    again = runner.invoke(app, ["generate", "-n", "60", "--seed", "7"])
    assert again.stdout == first.stdout
    other = runner.invoke(app, ["generate", "-n", "60", "--seed", "8"])
    assert other.stdout != first.stdout


def test_json_output_by_suffix(tmp_path: Path) -> None:
    out = tmp_path / "org.json"
    result = runner.invoke(app, ["generate", "-n", "40", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())["units"]) == 40
    assert len(load(out).units) == 40


def test_pathological_shapes_are_valid() -> None:
    for shape in ("chain", "wide_any_of", "big_cycle"):
        result = runner.invoke(app, ["generate", "--shape", shape, "-n", "30", "-f", "json"])
        assert result.exit_code == 0, result.output
        assert len(load_text(result.stdout, f"{shape}.json").units) >= 30, shape


def test_too_few_units_is_a_usage_error() -> None:
    result = runner.invoke(app, ["generate", "-n", "5"])
    assert result.exit_code == 2
    assert "at least 10" in result.stderr

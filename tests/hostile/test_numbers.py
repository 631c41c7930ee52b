"""Numbers at the edge (issue 12, items 5-7): figures too large or too small to sum or divide are
refused where they are written; JSON never holds NaN or Infinity; a policy limit of 0 is a rule;
keys are compared as YAML compares them."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.errors import OrgValidationError
from orggraph.model import load_text

LARGER = "count in a larger unit (thousands, or a shorter period) for all figures alike"
ORG = """\
units:
  - id: a
    capacity: {capacity}
  - id: b
    depends_on: [{{supplier: a, volume: {volume}}}]
customers:
  - id: c1
    weight: {weight}
    depends_on: [a, b]
  - id: c2
    weight: {weight}
    depends_on: [a]
"""


def _org(tmp_path: Path, **figures: str) -> Path:
    values = {"capacity": "10", "volume": "1", "weight": "1"} | figures
    path = tmp_path / "org.yaml"
    path.write_text(ORG.format(**values), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("figures", "expected"),
    [
        (
            {"weight": "1.7e+308"},
            "org.yaml:8:13: customers[0](c1).weight: weight must be <= 1e+15, got 1.7e+308\n"
            "    hint: weights are relative: divide every customer's weight by the same number",
        ),
        (
            {"volume": "1.0e+300"},
            "org.yaml:5:40: units[1](b).depends_on[0].volume: volume must be <= 1e+15, got 1e+300\n"
            f"    hint: {LARGER}",
        ),
        (
            {"capacity": "1.0e-310"},
            "org.yaml:3:15: units[0](a).capacity: capacity must be >= 1e-06, got 1e-310\n"
            "    hint: count in a smaller unit (or a longer period) for all figures alike",
        ),
        (
            {"capacity": "1000000000000001"},
            "org.yaml:3:15: units[0](a).capacity: capacity must be <= 1e+15, "
            "got 1000000000000001\n"
            f"    hint: {LARGER}",
        ),
    ],
)
def test_figures_that_would_overflow_are_refused_where_written(
    tmp_path: Path, figures: dict[str, str], expected: str
) -> None:
    org = _org(tmp_path, **figures)
    with pytest.raises(OrgValidationError) as caught:
        load_text(org.read_text(encoding="utf-8"), "org.yaml")
    assert str(caught.value).startswith(expected + "\n")
    for args in (
        ["analyze", str(org)],
        ["impact", str(org), "a"],
        ["check", str(org), "--no-cycles"],
        ["export", str(org), "--format", "graphml"],
        ["diff", str(org), str(org)],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output


def test_the_largest_figures_give_finite_json(tmp_path: Path) -> None:
    org = _org(tmp_path, weight="1.0e+15", volume="1.0e+15", capacity="1.0e-06")
    for args in (["analyze", str(org), "-f", "json"], ["impact", str(org), "a", "-f", "json"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output

        def refuse(word: str) -> float:
            raise AssertionError(f"{word} in JSON")

        json.loads(result.stdout, parse_constant=refuse)
    result = CliRunner().invoke(app, ["impact", str(org), "a", "-f", "json"])
    assert json.loads(result.stdout)["impact_weight"] == 2e15
    for fmt in ("text", "markdown"):
        result = CliRunner().invoke(app, ["analyze", str(org), "-f", fmt])
        assert result.exit_code == 0, result.output
        assert "inf" not in result.stdout.lower().replace("info", "")


# -- 6. policy files ----------------------------------------------------------------------------


def _check(tmp_path: Path, policy: str) -> tuple[int, str]:
    org = _org(tmp_path)
    path = tmp_path / "policy.yaml"
    path.write_text(policy, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(org), "--policy", str(path)])
    return result.exit_code, result.output


def test_a_limit_of_zero_is_a_rule(tmp_path: Path) -> None:
    code, output = _check(tmp_path, "max_impact_weight: 0\n")
    assert code == 1, output
    assert "max-impact-weight: a alone cuts off customer weight 2 (limit 0)" in output


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (
            "max_impact_weight: 1" + "0" * 400 + "\n",
            "policy.yaml:1:20: max_impact_weight: the number is too large to use (401 digits)",
        ),
        (
            "max_utilization: .inf\n",
            "policy.yaml:1:18: max_utilization: max_utilization must be a finite number, got inf",
        ),
        (
            "max_impact_weight: .nan\n",
            "policy.yaml:1:20: max_impact_weight: max_impact_weight must be a finite number, "
            "got nan",
        ),
    ],
)
def test_policy_numbers_no_float_can_hold(tmp_path: Path, policy: str, expected: str) -> None:
    code, output = _check(tmp_path, policy)
    assert code == 2, output
    assert expected in output
    assert "Traceback" not in output


# -- 7. keys and non-finite values in exports ---------------------------------------------------


def test_keys_python_finds_equal_are_not_duplicates() -> None:
    text = "units:\n  - id: a\n    attributes: {1: a, true: b, 1.0: c}\n"
    with pytest.raises(OrgValidationError) as caught:
        load_text(text, "org.yaml")
    assert str(caught.value) == (
        "org.yaml:3:18: units[0](a).attributes: a key must be text, but YAML reads 1 as a number\n"
        '    hint: quote it: "1":\n'
        "1 error found"
    )
    with pytest.raises(OrgValidationError) as caught:
        load_text("units:\n  - id: a\n    attributes: {1: a, 1: b}\n", "org.yaml")
    assert "org.yaml:3:24: duplicate key '1' in this mapping" in str(caught.value)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_non_finite_attribute_values_are_null_in_every_export(tmp_path: Path, fmt: str) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(
        "units:\n  - id: a\n    attributes: {x: .nan, y: [.inf, 1], z: -.inf}\n"
        "customers:\n  - id: c\n    depends_on: [a]\n",
        encoding="utf-8",
    )
    out = tmp_path / f"graph.{fmt}"
    result = CliRunner().invoke(app, ["export", str(org), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert not any(word in text for word in ("NaN", "Infinity", "nan", "inf"))
    if fmt == "json":
        attributes = json.loads(text)["nodes"][0]["attributes"]
    else:
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        attributes = json.loads(reader(out).nodes["a"]["attributes"])
    assert attributes == {"x": None, "y": [None, 1], "z": None}

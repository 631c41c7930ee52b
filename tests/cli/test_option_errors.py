"""Option mistakes read like org-file mistakes: the option, the value echoed, what to write."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orggraph.cli import app

runner = CliRunner()
ORG = str(Path(__file__).parents[2] / "examples" / "hospital.yaml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["analyze", ORG, "-f", "html"],
            "error: --format: 'html' is not a format; did you mean 'markdown'? "
            "choose text, json or markdown",
        ),
        (["analyze", ORG, "--top", "-1"], "error: --top: '-1' is below 0; use 0 or more"),
        (["analyze", ORG, "--top", "1.5"], "error: --top: '1.5' is not a whole number"),
        (["analyze", ORG, "--threshold", "abc"], "error: --threshold: 'abc' is not a number"),
        (
            ["analyze", ORG, "--threshold", "0"],
            "error: --threshold: must be a number greater than 0, not 0",
        ),
        (["validate"], "error: ORG: missing\n  hint: 'orggraph validate -h' lists what it takes"),
        (
            ["impact", ORG, "-f", "markdown"],
            "error: --format: 'markdown' is not a format; choose text or json",
        ),
        (["impact", ORG, "--limit", "x"], "error: --limit: 'x' is not a whole number"),
        (
            ["view", ORG, "--layout", "x"],
            "error: --layout: no such option for 'orggraph view'; did you mean --output?\n"
            "  hint: 'orggraph view -h' lists what it takes",
        ),
        (
            ["plot", ORG, "-k", "crit"],
            "error: --kind: 'crit' is not a kind; did you mean 'critical'? "
            "choose graph, critical or utilization",
        ),
        (
            ["export", ORG, "-f", "dotx"],
            "error: --format: 'dotx' is not a format; did you mean 'dot'? "
            "choose graphml, gexf, json, mermaid or dot",
        ),
        (
            ["diff", ORG, ORG, "-f", "htm"],
            "error: --format: 'htm' is not a format; choose text, json or markdown",
        ),
        (["generate", "-n", "abc"], "error: --units: 'abc' is not a whole number"),
        (
            ["generate", "--shape", "ring"],
            "error: --shape: 'ring' is not a shape; choose org, chain, wide_any_of or big_cycle",
        ),
        (["check", ORG, "--max-utilization"], "error: --max-utilization: needs a value"),
        (["schema", "extra"], "error: unexpected argument: extra\n  hint: 'orggraph schema -h'"),
        (
            ["generate", "-f", "yml"],
            "error: --format: 'yml' is not a format; did you mean 'yaml'? choose yaml or json",
        ),
        (["init", "--bogus"], "error: --bogus: no such option for 'orggraph init'"),
    ],
)
def test_an_option_error_names_the_option_and_echoes_the_value(
    args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message), result.stderr
    assert "Usage:" not in result.stderr and "Input should" not in result.stderr


def test_help_shows_metavars_not_python_types() -> None:
    for command in ("analyze", "impact", "view", "plot", "export", "check", "generate", "import"):
        text = runner.invoke(app, [command, "-h"]).stdout
        assert "list[str]" not in text and "<str>" not in text and "range>" not in text, command
    assert "  ID " in runner.invoke(app, ["impact", "-h"]).stdout


def test_a_file_name_with_a_newline_is_escaped_in_a_located_error(tmp_path: Path) -> None:
    org = tmp_path / "bad\nerror: x.yaml"
    org.write_text("units: [{id: a, bogus: 1}]\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(org)])
    assert result.exit_code == 2
    first, *rest = result.stderr.splitlines()
    assert first.endswith("bad\\nerror: x.yaml:1:17: units[0](a): unknown key 'bogus' for a unit")
    assert rest == ["1 error found"]

"""The commands through typer's CliRunner: exit codes, stdout and stderr kept apart, --output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import orggraph.analysis
from orggraph import cli
from orggraph.analysis import analyze
from orggraph.analysis.notices import graph_warnings
from orggraph.commands.schema import SCHEMA_TITLE
from orggraph.graph import build_graph
from orggraph.model import load

from .conftest import GOOD

runner = CliRunner()


def run(*args: str | Path) -> Result:
    return runner.invoke(cli.app, [str(a) for a in args])


COMMANDS = [[], ["analyze"], ["validate"], ["impact"], ["view"], ["plot"], ["export"], ["schema"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "orggraph")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_on_every_command(command: list[str], flag: str) -> None:
    result = run(*command, flag)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Usage: orggraph")
    assert result.stderr == ""


def test_no_arguments_shows_help() -> None:
    result = run()
    assert result.exit_code == 2
    assert "Usage: orggraph" in result.stdout + result.stderr
    assert "analyze" in result.stdout + result.stderr


def test_version() -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "orggraph 0.1.0\n", "")


# -- analyze ---------------------------------------------------------------------------------------


def test_analyze_text(good_org: Path) -> None:
    result = run("analyze", good_org)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Acme Retail — per week"
    assert lines[3] == "What matters most"
    assert lines[4].startswith("1. ")
    assert "cloud → platform → desk → online" in result.stdout
    assert "\x1b" not in result.stdout  # not a terminal: no colour


def test_analyze_json_is_the_report(good_org: Path) -> None:
    result = run("analyze", good_org, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["summary"] == {"units": 4, "customers": 2, "vendors": 1, "dependencies": 5}
    assert [c["id"] for c in data["critical_suppliers"]] == ["cloud", "platform", "desk", "stores"]
    assert data["utilization_threshold"] == 0.85
    assert run("analyze", good_org, "-f", "JSON").stdout == result.stdout


def test_analyze_markdown(good_org: Path) -> None:
    result = run("analyze", good_org, "--format", "markdown", "--top", "1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Acme Retail — per week\n")
    assert "… and 3 more critical suppliers" in result.stdout


def test_threshold_changes_the_bottlenecks(good_org: Path) -> None:
    low = json.loads(run("analyze", good_org, "-f", "json", "--threshold", "2").stdout)
    assert low["utilization_threshold"] == 2.0
    assert "overloaded: utilization 1.20" not in json.dumps(low["bottlenecks"])


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "abc"])
def test_threshold_must_be_positive(good_org: Path, value: str) -> None:
    result = run("analyze", good_org, "--threshold", value)
    assert result.exit_code == 2
    assert "--threshold" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("option", "value"), [("--top", "-1"), ("--list-limit", "-5")])
def test_negative_counts_are_refused(good_org: Path, option: str, value: str) -> None:
    result = run("analyze", good_org, option, value)
    assert result.exit_code == 2
    assert option in result.stderr


def test_list_limit(good_org: Path) -> None:
    data = json.loads(run("analyze", good_org, "-f", "json", "--list-limit", "1").stdout)
    cloud = data["critical_suppliers"][0]
    assert cloud["impacted_customers"] == ["shoppers"]
    assert cloud["impacted_customers_truncated"] is True
    data = json.loads(run("analyze", good_org, "-f", "json", "--list-limit", "0").stdout)
    assert data["critical_suppliers"][0]["impacted_customers"] == ["shoppers", "online"]


def test_unknown_format_is_a_usage_error(good_org: Path) -> None:
    result = run("analyze", good_org, "--format", "yaml")
    assert result.exit_code == 2
    assert "--format" in result.stderr


# -- errors ----------------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    for command in (["analyze"], ["validate"], ["impact", "--", str(missing), "x"]):
        args = [*command, str(missing)] if len(command) == 1 else command
        result = run(*args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == f"error: cannot read {missing}: No such file or directory\n"


def test_directory_without_org_files(tmp_path: Path) -> None:
    # a folder is an organization split across files; an empty one is a usage error
    result = run("analyze", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"error: no org files (.yaml, .yml, .json) in {tmp_path}\n"


def test_invalid_org_prints_every_located_error(bad_org: Path) -> None:
    for command in ("analyze", "validate"):
        result = run(command, bad_org)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"{bad_org}:3:5: units[0](desk): unknown key 'capacty' for a unit\n"
            "    hint: did you mean 'capacity'?\n"
            f"{bad_org}:5:18: units[1](stores).depends_on[0]: unknown supplier 'dsk'\n"
            "    hint: did you mean 'desk'?\n"
            "2 errors found\n"
        )


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe not utf-8", b"- just\n- a list\n", b"units: [\n", b"a: &a [*a]\n"],
    ids=["empty", "not-utf8", "not-a-mapping", "not-yaml", "alias"],
)
def test_broken_files_never_give_a_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.yaml"
    path.write_bytes(content)
    result = run("analyze", path)
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()
    assert result.stdout == ""


def test_keyboard_interrupt_exits_130(good_org: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(orggraph.analysis, "analyze", interrupted)
    result = run("analyze", good_org)
    assert result.exit_code == 130
    assert result.stderr == "interrupted\n"


# -- --output --------------------------------------------------------------------------------------


def test_output_file_gets_what_stdout_would(good_org: Path, tmp_path: Path) -> None:
    for fmt in ("text", "json", "markdown"):
        out = tmp_path / f"report.{fmt}"
        result = run("analyze", good_org, "-f", fmt, "-o", out)
        assert result.exit_code == 0, result.stderr
        assert (result.stdout, result.stderr) == ("", "")
        assert out.read_text(encoding="utf-8") == run("analyze", good_org, "-f", fmt).stdout


def test_dash_output_is_stdout(good_org: Path) -> None:
    result = run("analyze", good_org, "-f", "json", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == run("analyze", good_org, "-f", "json").stdout


def test_output_replaces_an_existing_file(good_org: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("old", encoding="utf-8")
    assert run("analyze", good_org, "-f", "json", "--output", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["units"] == 4


def test_failed_run_leaves_the_output_file_alone(bad_org: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    out.write_text("the previous report\n", encoding="utf-8")
    before = sorted(p.name for p in tmp_path.iterdir())
    result = run("analyze", bad_org, "-o", out)
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary file left


@pytest.mark.parametrize("spelling", ["same", "dotted", "symlink", "hardlink"])
def test_never_overwrites_the_input(good_org: Path, spelling: str) -> None:
    if spelling == "same":
        target = good_org
    elif spelling == "dotted":
        target = good_org.parent / "." / good_org.name
    elif spelling == "symlink":
        target = good_org.parent / "link.yaml"
        target.symlink_to(good_org)
    else:
        target = good_org.parent / "hard.yaml"
        target.hardlink_to(good_org)
    commands: list[list[str | Path]] = [["analyze", good_org], ["impact", good_org, "desk"]]
    for args in commands:
        result = run(*args, "-o", target)
        assert result.exit_code == 2
        assert result.stderr == f"error: refusing to overwrite the input file {good_org}\n"
        assert result.stdout == ""
        assert good_org.read_text(encoding="utf-8") == GOOD


def test_output_into_a_missing_directory(good_org: Path, tmp_path: Path) -> None:
    out = tmp_path / "no" / "such" / "dir" / "report.txt"
    result = run("analyze", good_org, "-o", out)
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot write {out}: No such file or directory\n"


def test_output_onto_a_directory(good_org: Path, tmp_path: Path) -> None:
    result = run("analyze", good_org, "-o", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"error: cannot write {tmp_path}: Is a directory\n"


# -- validate --------------------------------------------------------------------------------------


def test_validate_ok_with_warnings_on_stderr(good_org: Path) -> None:
    result = run("validate", good_org)
    assert result.exit_code == 0
    assert result.stdout == f"ok: {good_org}: 4 units, 2 customers, 1 vendor, 5 dependencies\n"
    assert result.stderr == "warning: 1 unit has no path to any customer: archive\n"


def test_validate_clean_org_is_quiet_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "clean.yaml"
    path.write_text("units: [{id: a}]\ncustomers: [{id: c, depends_on: [a]}]\n", encoding="utf-8")
    result = run("validate", path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == f"ok: {path}: 1 unit, 1 customer, 0 vendors, 1 dependency\n"


WARNING_ORGS = [
    GOOD,
    "units: [{id: a}, {id: b, depends_on: [a]}]\n",
    "units: [{id: a, depends_on: [b]}, {id: b, depends_on: [a]}, {id: c, depends_on: [a]}]\n"
    "customers: [{id: x, depends_on: [c]}]\n",
    "units: [{id: a}, {id: b, depends_on: [{supplier: a, volume: 3}]}]\n"
    "customers: [{id: x, depends_on: [b]}]\n",
    "units: [{id: d, kind: department}, {id: a, parent: d}, {id: lone}]\n"
    "customers: [{id: x, depends_on: [a]}]\n",
]


@pytest.mark.parametrize("text", WARNING_ORGS)
def test_validate_warnings_are_the_analysis_warnings(text: str, tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(text, encoding="utf-8")
    G = build_graph(load(path))
    assert graph_warnings(G) == analyze(G).warnings
    result = run("validate", path)
    assert result.stderr == "".join(f"warning: {w}\n" for w in analyze(G).warnings)


# -- impact ----------------------------------------------------------------------------------------


def test_impact_text(good_org: Path) -> None:
    result = run("impact", good_org, "platform")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("If platform fails:\n")
    assert "2 customers lose service: impact weight 16 of 16 (100%)" in result.stdout


def test_impact_json(good_org: Path) -> None:
    result = run("impact", good_org, "stores", "desk", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {
        "failed": ["desk", "stores"],
        "failed_members": [],
        "impacted_units": [],
        "impacted_customers": ["online", "shoppers"],
        "impact_weight": 16.0,
        "degraded_customers": [],
        "degraded_units": [],
        "redundancy_lost": [],
    }


def test_impact_unknown_id(good_org: Path) -> None:
    result = run("impact", good_org, "platfrom")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: unknown party 'platfrom'; did you mean 'platform'?\n"
    both = run("impact", good_org, "platfrom", "zzzzzz")
    assert both.stderr == (
        "error: unknown party 'platfrom'; did you mean 'platform'?\nerror: unknown party 'zzzzzz'\n"
    )


def test_impact_needs_an_id(good_org: Path) -> None:
    result = run("impact", good_org)
    assert result.exit_code == 2
    assert result.stderr == (
        "error: name what fails: one or more IDs, --scenario ID or --where KEY=VALUE "
        "(or --pairs CUSTOMER)\n"
    )


def test_impact_output_file(good_org: Path, tmp_path: Path) -> None:
    out = tmp_path / "impact.json"
    result = run("impact", good_org, "cloud", "-f", "json", "-o", out)
    assert (result.exit_code, result.stdout) == (0, "")
    assert json.loads(out.read_text(encoding="utf-8"))["impact_weight"] == 16.0


# -- schema ----------------------------------------------------------------------------------------


def test_schema(tmp_path: Path) -> None:
    result = run("schema")
    assert result.exit_code == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == SCHEMA_TITLE
    assert {"units", "customers", "vendors", "organization", "version"} <= set(schema["properties"])
    assert list(schema) == sorted(schema)
    out = tmp_path / "org.schema.json"
    assert run("schema", "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_schema_describes_the_service_level_fields() -> None:
    defs = json.loads(run("schema").stdout)["$defs"]
    described = {
        ("Customer", "promise"),
        ("Unit", "recovery_time"),
        ("Vendor", "recovery_time"),
        ("Dependency", "expects"),
        ("AnyOf", "expects"),
        ("AnyOf", "primary"),
        ("ServiceLevels", "recovery"),
    }
    for model, field in sorted(described):
        assert defs[model]["properties"][field]["description"], (model, field)
    assert set(defs["ServiceLevels"]["properties"]) == {"lead_time", "quality", "recovery"}
    assert defs["ServiceLevels"]["additionalProperties"] is False
    assert "promise" not in defs["Unit"]["properties"]
    assert "recovery_time" not in defs["Customer"]["properties"]


def test_schema_validates_an_org_file() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    yaml = pytest.importorskip("yaml")
    validator = jsonschema.Draft202012Validator(json.loads(run("schema").stdout))
    assert list(validator.iter_errors(yaml.safe_load(GOOD))) == []
    wrong = {"units": [{"id": "a", "capacty": 3}]}
    assert [e.validator for e in validator.iter_errors(wrong)] == ["additionalProperties"]


def test_survey_template_has_one_row_per_dependency_and_reads_back(tmp_path: Path) -> None:
    org = tmp_path / "alt.yaml"
    org.write_text(
        GOOD.replace("depends_on: [platform]", "depends_on: [{any_of: [platform, cloud]}]"),
        encoding="utf-8",
    )
    result = run("survey", "template", org)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "consumer,supplier,score,dimension,date,comment\n"
        "desk,cloud,,,,\n"
        "desk,platform,,,,\n"
        "online,desk,,,,\n"
        "platform,cloud,,,,\n"
        "shoppers,stores,,,,\n"
        "stores,desk,,,,\n"
    )
    out = tmp_path / "survey.csv"
    assert run("survey", "template", org, "-o", out).exit_code == 0
    assert out.read_text(encoding="utf-8") == result.stdout
    # unanswered rows do not count: the template itself is a survey with no responses
    answered = run("analyze", org, "--survey", out, "--format", "json")
    assert answered.exit_code == 0, answered.stderr
    assert json.loads(answered.stdout)["internal_service_quality"] == []
    out.write_text(result.stdout.replace("desk,platform,,", "desk,platform,4,"), encoding="utf-8")
    (quality,) = json.loads(run("analyze", org, "--survey", out, "--format", "json").stdout)[
        "internal_service_quality"
    ]
    assert (quality["id"], quality["perceived"], quality["responses"]) == ("platform", 0.75, 1)


def test_survey_template_refuses_a_bad_org_and_overwriting_it(bad_org: Path) -> None:
    result = run("survey", "template", bad_org)
    assert result.exit_code == 2
    assert "unknown key 'capacty'" in result.stderr
    refused = run("survey", "template", bad_org, "-o", bad_org)
    assert refused.exit_code == 2
    assert "template" in run("survey", "--help").stdout

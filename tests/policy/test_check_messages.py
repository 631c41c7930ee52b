"""``orggraph check``: names in rules checked against the organization (located in the policy
file), YAML traps in policy files, messages for bad flags, violations located in split models,
and positions read only when there is something to report."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import orggraph.checks
from orggraph.cli import app
from orggraph.errors import Location

runner = CliRunner()

# desk (capacity 10, load 12: 120%) alone serves shoppers (weight 5); vip (weight 2) needs hub.
ORG = """\
units:
  - id: desk
    owner: ann
    capacity: 10
  - id: hub
    owner: bo
customers:
  - id: shoppers
    weight: 5
    depends_on: [{supplier: desk, volume: 12}]
  - id: vip
    weight: 2
    depends_on: [hub]
"""


@pytest.fixture
def org(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG, encoding="utf-8")
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_customers_in_a_policy_file_are_located(org: Path, tmp_path: Path) -> None:
    policy = write(
        tmp_path / "policy.yaml",
        "protected_customers: [nobody, shopers]\nlead_time_limits:\n  vpi: 1d\n  vip: 2d\n",
    )
    result = runner.invoke(app, ["check", str(org), "--policy", str(policy)])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"{policy}:1:23: protected_customers[0]: 'nobody' is not a customer of this organization\n"
        "    hint: the customers are: shoppers, vip\n"
        f"{policy}:1:31: protected_customers[1]: 'shopers' is not a customer of this organization\n"
        "    hint: did you mean 'shoppers'?\n"
        f"{policy}:3:3: lead_time_limits.vpi: 'vpi' is not a customer of this organization\n"
        "    hint: did you mean 'vip'?\n"
        "3 errors found\n"
    )


def test_protect_flag_replaces_the_files_list_and_is_named_in_errors(
    org: Path, tmp_path: Path
) -> None:
    policy = write(tmp_path / "policy.yaml", "protected_customers: [nobody]\n")
    # the flag overrides the file, so the file's unknown name no longer matters
    result = runner.invoke(app, ["check", str(org), "--policy", str(policy), "--protect", "vip"])
    assert (result.exit_code, result.stdout) == (
        1,
        f"{org}:5:9: protected-customers: hub is a single point of failure for vip\n",
    )
    result = runner.invoke(app, ["check", str(org), "--protect", "shopers"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: --protect: 'shopers' is not a customer of this organization; "
        "did you mean 'shoppers'?\n"
    )


def test_yaml_traps_in_a_policy_file(org: Path, tmp_path: Path) -> None:
    policy = write(
        tmp_path / "policy.yaml",
        'protected_customers: [no]\nmax_impact_weight: "4"\nmax_lead_time: 4\n'
        "no_cycles: maybe\nrequire_owner:\n",
    )
    result = runner.invoke(app, ["check", str(org), "--policy", str(policy)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"{policy}:1:23: protected_customers[0]: expected text, "
        "but YAML reads no as the boolean false\n"
        '    hint: quote it: "no"\n'
        f"{policy}:2:20: max_impact_weight: expected a number, "
        "but the value is in quotes, so YAML reads it as text\n"
        "    hint: remove the quotes\n"
        f"{policy}:3:16: max_lead_time: expected a duration such as 3d, "
        "but YAML reads 4 as a number\n"
        "    hint: write a number with a unit m, h, d or w, e.g. 36h or 3d\n"
        f"{policy}:4:12: no_cycles: expected true or false, but found 'maybe'\n"
        "    hint: write true, or remove the line\n"
        f"{policy}:5:15: require_owner: expected true or false, but the value is empty\n"
        "    hint: write a value, or remove the line\n"
        "5 errors found\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--max-utilization", "0"],
            "error: --max-utilization: input should be greater than 0 "
            "(a number above 0, e.g. 0.9)\n",
        ),
        (
            ["--max-lead-time", "3"],
            "error: --max-lead-time: lead time '3' has no unit "
            "(a duration with a unit, e.g. 3d or 36h)\n",
        ),
        (
            [],
            "error: no rules to check: give --policy FILE or flags such as "
            "--max-utilization 1.0, --max-impact-weight W, --max-lead-time 3d, --no-cycles, "
            "--no-disconnected\n",
        ),
    ],
)
def test_bad_flags_are_usage_errors(org: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["check", str(org), *args])
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_an_empty_policy_file_is_no_rules(org: Path, tmp_path: Path) -> None:
    policy = write(tmp_path / "policy.yaml", "# nothing yet\n")
    result = runner.invoke(app, ["check", str(org), "--policy", str(policy)])
    assert result.exit_code == 2
    assert result.stderr.endswith(f"--no-disconnected ({policy} sets no rule)\n")


def test_violations_are_located_in_the_file_of_a_split_model(tmp_path: Path) -> None:
    (tmp_path / "teams").mkdir()
    write(
        tmp_path / "org.yaml",
        "include: [teams/desk.yaml]\ncustomers:\n  - id: shoppers\n    depends_on: [desk]\n",
    )
    write(tmp_path / "teams" / "desk.yaml", "units:\n  - id: spare\n  - id: desk\n")
    result = runner.invoke(app, ["check", str(tmp_path / "org.yaml"), "--require-owner"])
    assert result.exit_code == 1
    where = tmp_path / "teams" / "desk.yaml"
    assert result.stdout == (
        f"{where}:3:9: require-owner: desk names no owner\n"
        f"{where}:2:9: require-owner: spare names no owner\n"
    )


def test_positions_are_read_only_when_something_is_reported(
    org: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[Iterable[Path]] = []
    real = orggraph.checks.party_locations

    def counted(files: Iterable[Path]) -> dict[str, Location]:
        reads.append(files)
        return real(files)

    monkeypatch.setattr(orggraph.checks, "party_locations", counted)
    assert runner.invoke(app, ["check", str(org), "--require-owner"]).exit_code == 0
    assert reads == []
    assert runner.invoke(app, ["check", str(org), "--max-utilization", "1"]).exit_code == 1
    assert len(reads) == 1


def test_installed_command_exit_codes_and_streams(org: Path) -> None:
    command = [shutil.which("orggraph") or sys.executable]
    if not shutil.which("orggraph"):
        command += ["-m", "orggraph"]

    def run(*args: str) -> tuple[int, str, str]:
        done = subprocess.run(
            [*command, "check", str(org), *args], capture_output=True, text=True, check=False
        )
        return done.returncode, done.stdout, done.stderr

    assert run("--require-owner", "--max-impact-weight", "5") == (
        0,
        f"ok: {org}: max-impact-weight, require-owner\n",
        "",
    )
    assert run("--max-impact-weight", "4") == (
        1,
        f"{org}:2:9: max-impact-weight: desk alone cuts off customer weight 5 (limit 4): "
        "add an alternative (any_of)\n",
        "1 violation of 1 rule\n",
    )
    code, out, err = run("--max-lead-time", "soon")
    assert (code, out) == (2, "")
    assert err.startswith("error: --max-lead-time: ")
    assert "Traceback" not in err

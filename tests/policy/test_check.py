"""``orggraph check`` and orggraph.policy on a small org worked out by hand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orggraph.checks import check, party_locations
from orggraph.cli import app
from orggraph.errors import OrgValidationError
from orggraph.graph import build_graph
from orggraph.model import load
from orggraph.policy import Policy, load_policy

# desk (capacity 10, load 12: 120%) serves shoppers (weight 5) alone; stock serves vip (weight 2)
# through hub, which also has an alternative (spare) for shoppers. finance <-> audit is a cycle
# that reaches no customer; audit has no owner.
ORG = """\
units:
  - id: desk
    owner: ann
    capacity: 10
    lead_time: 2d
  - id: hub
    owner: bo
    lead_time: 1d
    depends_on: [stock]
  - id: spare
    owner: cy
  - id: stock
    owner: di
    lead_time: 4h
  - id: finance
    owner: ed
    depends_on: [audit]
  - id: audit
    depends_on: [finance]
customers:
  - id: shoppers
    weight: 5
    depends_on:
      - supplier: desk
        volume: 12
      - any_of: [hub, spare]
  - id: vip
    weight: 2
    depends_on: [hub]
"""
runner = CliRunner()


@pytest.fixture
def org(tmp_path: Path) -> Path:
    path = tmp_path / "org.yaml"
    path.write_text(ORG, encoding="utf-8")
    return path


def violations(org: Path, **rules: object) -> list[str]:
    G = build_graph(load(org))
    found = check(G, Policy.model_validate(rules), locations=party_locations([org]))
    return [v.render() for v in found]


def test_each_rule_by_hand(org: Path) -> None:
    name = str(org)
    assert violations(org, max_utilization=1.0) == [
        f"{name}:2:9: max-utilization: desk runs at 120% of capacity (limit 100%)"
    ]
    assert violations(org, max_utilization=1.25) == []
    # desk alone cuts off shoppers (5); hub and stock cut off vip (2)
    assert violations(org, max_impact_weight=4) == [
        f"{name}:2:9: max-impact-weight: desk alone cuts off customer weight 5 (limit 4): "
        "add an alternative (any_of)"
    ]
    assert violations(org, protected_customers=["vip"]) == [
        f"{name}:6:9: protected-customers: hub is a single point of failure for vip",
        f"{name}:12:9: protected-customers: stock is a single point of failure for vip",
    ]
    # shoppers: max(desk 48h, min(hub 24h + stock 4h, spare 0h)) = 48h; vip: 24h + 4h = 28h
    assert violations(org, max_lead_time="1d") == [
        f"{name}:21:9: max-lead-time: shoppers waits 2d end to end (limit 1d) "
        "along desk → shoppers",
        f"{name}:27:9: max-lead-time: vip waits 1d 4h end to end (limit 1d) "
        "along stock → hub → vip",
    ]
    assert violations(org, max_lead_time="2d") == []
    assert violations(org, no_cycles=True) == [
        f"{name}:18:9: no-cycles: dependency cycle: audit → finance → audit"
    ]
    assert violations(org, no_disconnected=True) == [
        f"{name}:18:9: no-disconnected: audit has no path to any customer",
        f"{name}:15:9: no-disconnected: finance has no path to any customer",
    ]
    assert violations(org, require_owner=True) == [
        f"{name}:18:9: require-owner: audit names no owner"
    ]


def test_cli_exit_codes_and_streams(org: Path) -> None:
    clean = runner.invoke(app, ["check", str(org), "--max-utilization", "1.5"])
    assert (clean.exit_code, clean.stdout) == (0, f"ok: {org}: max-utilization\n")
    broken = runner.invoke(app, ["check", str(org), "--max-utilization", "1", "--no-cycles"])
    assert broken.exit_code == 1
    assert broken.stdout.splitlines() == [
        f"{org}:2:9: max-utilization: desk runs at 120% of capacity (limit 100%)",
        f"{org}:18:9: no-cycles: dependency cycle: audit → finance → audit",
    ]
    assert broken.stderr == "2 violations of 2 rules\n"
    nothing = runner.invoke(app, ["check", str(org)])
    assert nothing.exit_code == 2
    assert "no rules to check" in nothing.stderr
    unknown = runner.invoke(app, ["check", str(org), "--protect", "vpi"])
    assert unknown.exit_code == 2
    assert "did you mean 'vip'?" in unknown.stderr
    bad = runner.invoke(app, ["check", str(org), "--max-lead-time", "3"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: --max-lead-time:")


def test_policy_file_and_flags_override_it(org: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("max_utilization: 2.0\nno_cycles: true\n", encoding="utf-8")
    assert load_policy(policy).rules() == ("max_utilization", "no_cycles")
    result = runner.invoke(app, ["check", str(org), "--policy", str(policy)])
    assert result.exit_code == 1
    assert [line.split(": ")[1] for line in result.stdout.splitlines()] == ["no-cycles"]
    stricter = runner.invoke(
        app, ["check", str(org), "--policy", str(policy), "--max-utilization", "1"]
    )
    assert [line.split(": ")[1] for line in stricter.stdout.splitlines()] == [
        "max-utilization",
        "no-cycles",
    ]


def test_bad_policy_files_are_located(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("max_utilisation: 0.9\nmax_lead_time: 3\nno_cycles: yes please\n")
    with pytest.raises(OrgValidationError) as caught:
        load_policy(policy)
    rendered = caught.value.render()
    assert f"{policy}:1:1: unknown rule 'max_utilisation'" in rendered
    assert "did you mean 'max_utilization'?" in rendered
    assert f"{policy}:2:16: max_lead_time:" in rendered
    assert f"{policy}:3:12: no_cycles:" in rendered
    result = runner.invoke(app, ["check", str(tmp_path / "org.yaml"), "--policy", str(policy)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_installed_command(org: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "orggraph", "check", str(org), "--no-disconnected"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout.count("no-disconnected") == 2


def test_protected_customers_from_a_policy_file(org: Path, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("protected_customers: [vip]\n", encoding="utf-8")
    result = runner.invoke(app, ["check", str(org), "--policy", str(policy)])
    assert result.exit_code == 1
    assert result.stdout.count("single point of failure for vip") == 2


def test_lead_time_limits_per_customer(org: Path, tmp_path: Path) -> None:
    name = str(org)
    # shoppers 48h, vip 28h: shoppers may take 3d, everyone else 1d
    assert violations(org, max_lead_time="1d", lead_time_limits={"shoppers": "3d"}) == [
        f"{name}:27:9: max-lead-time: vip waits 1d 4h end to end (limit 1d) along stock → hub → vip"
    ]
    # only vip has a limit
    assert violations(org, lead_time_limits={"vip": "1h"}) == [
        f"{name}:27:9: lead-time-limits: vip waits 1d 4h end to end (limit 1h) "
        "along stock → hub → vip"
    ]
    policy = tmp_path / "policy.yaml"
    policy.write_text("lead_time_limits: {vip: 1h, shopers: 2}\n", encoding="utf-8")
    with pytest.raises(OrgValidationError) as caught:
        load_policy(policy)
    assert f"{policy}:1:38: lead_time_limits.shopers:" in caught.value.render()
    policy.write_text("lead_time_limits: {vip: 1h, shopers: 2d}\n", encoding="utf-8")
    result = runner.invoke(app, ["check", name, "--policy", str(policy)])
    assert result.exit_code == 2
    assert "'shopers' is not a customer" in result.stderr
    assert "did you mean 'shoppers'?" in result.stderr

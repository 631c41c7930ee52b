"""``orggraph diff`` on a small pair worked out by hand, and on a reorganization of the retailer."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.diff import Change, GroupChange, ScenarioChange, diff
from orggraph.graph import build_graph
from orggraph.model import load_dict

HERE = Path(__file__).parent
EXAMPLES = HERE.parents[1] / "examples"
runner = CliRunner()

# before: desk (capacity 10, load 9: 90%) serves shoppers alone; ops <-> desk-b form a cycle that
# shoppers need; lab serves shoppers directly. after: desk gains an alternative (spare) and its
# capacity rises to 20, ops no longer needs desk-b (the cycle is cut), shoppers drop lab.
BEFORE: dict[str, Any] = {
    "units": [
        {"id": "desk", "capacity": 10, "lead_time": "2h"},
        {"id": "ops", "depends_on": ["desk-b"]},
        {"id": "desk-b", "depends_on": ["ops"]},
        {"id": "lab", "lead_time": "1h"},
    ],
    "customers": [
        {
            "id": "shoppers",
            "weight": 3,
            "depends_on": [{"supplier": "desk", "volume": 9}, "ops", "lab"],
        }
    ],
}
AFTER: dict[str, Any] = {
    "units": [
        {"id": "desk", "capacity": 20, "lead_time": "2h"},
        {"id": "spare", "lead_time": "5h"},
        {"id": "ops"},
        {"id": "desk-b", "depends_on": ["ops"]},
        {"id": "lab", "lead_time": "1h"},
    ],
    "customers": [
        {
            "id": "shoppers",
            "weight": 3,
            "depends_on": [{"any_of": ["desk", "spare"], "volume": 9}, "ops"],
        }
    ],
}


def test_a_small_change_by_hand() -> None:
    d = diff(build_graph(load_dict(BEFORE)), build_graph(load_dict(AFTER)))
    assert d.parties_added == (("spare", "unit"),)
    assert d.parties_removed == ()
    assert d.parties_changed == (("desk", (Change("capacity", 10.0, 20.0),)),)
    assert d.dependencies_added == (("spare", "shoppers"),)
    assert d.dependencies_removed == (("desk-b", "ops"), ("lab", "shoppers"))
    # desk -> shoppers is now one alternative of a group of two carrying the volume 9
    assert d.dependencies_changed == (
        ("desk", "shoppers", (Change("alternatives", None, ["desk", "spare"]),)),
    )
    # desk, desk-b (through the cycle) and lab were single points of failure (weight 3): desk
    # now has an alternative, and desk-b and lab no longer serve anyone; ops remains
    assert d.critical_removed == (("desk", 3.0), ("desk-b", 3.0), ("lab", 3.0))
    assert d.critical_added == ()
    assert d.impact_changed == ()
    # shoppers: max(desk 2h, ops/desk-b 0h, lab 1h) = 2h before; min(desk 2h, spare 5h) = 2h after
    assert d.lead_time_changed == ()
    # desk: 9/10 = 90% (over 85%) before; the group's 9 is split: 4.5/20 = 22.5% after
    assert d.utilization_crossed == (("desk", 0.9, 0.225),)
    assert d.cycles_broken == (("desk-b", "ops"),)
    assert d.cycles_added == ()
    # desk-b now only consumes from ops, and lab serves no one
    assert d.sight_lost == ("desk-b", "lab")
    assert d.sight_gained == ()


def test_no_change() -> None:
    G = build_graph(load_dict(BEFORE))
    d = diff(G, build_graph(load_dict(BEFORE)))
    assert not d.model_changed and not d.effects


RETAILER = EXAMPLES / "retailer.yaml"
AFTER_FILE = HERE / "data" / "retailer-after.yaml"


def test_retailer_reorganization_markdown_golden() -> None:
    result = runner.invoke(app, ["diff", str(RETAILER), str(AFTER_FILE), "-f", "markdown"])
    assert result.exit_code == 0, result.output
    golden = HERE / "data" / "retailer-after.diff.md"
    if os.environ.get("ORGGRAPH_UPDATE_GOLDEN"):
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
    assert "### No longer single points of failure" in result.stdout
    assert "| `erp` | 95 |" in result.stdout
    assert "### Cycles broken" in result.stdout


def test_retailer_reorganization_json_and_text() -> None:
    result = runner.invoke(app, ["diff", str(RETAILER), str(AFTER_FILE), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == ["model", "effects", "utilization_threshold"]
    removed = [c["id"] for c in data["effects"]["critical_suppliers_removed"]]
    assert removed == ["erp", "it-infrastructure", "vendor-colo"]
    assert data["effects"]["cycles_broken"] == [["finance", "procurement"]]
    assert {"id": "innovation-lab", "party": "unit"} in data["model"]["parties_removed"]
    # online shoppers were back after 12h (vendor-colo under erp), past their promised 8h; with
    # erp's standby on vendor-cloud (2h) they are back after 2h (order-management's own 2h)
    assert data["effects"]["promises_broken"] == []
    assert data["effects"]["promises_kept"] == [
        {
            "customer": "online-shoppers",
            "metric": "recovery",
            "promised": 8.0,
            "old_actual": 12.0,
            "new_actual": 2.0,
        }
    ]
    text = runner.invoke(app, ["diff", str(RETAILER), str(AFTER_FILE)])
    assert text.exit_code == 0
    assert text.stdout.startswith("1 party added, 1 removed, 2 changed;")
    # the same bytes every time
    assert runner.invoke(app, ["diff", str(RETAILER), str(AFTER_FILE)]).stdout == text.stdout


def test_same_file_is_no_change() -> None:
    result = runner.invoke(app, ["diff", str(RETAILER), str(RETAILER)])
    assert (result.exit_code, result.stdout) == (0, "No change to the model.\n")


@pytest.mark.parametrize("bad", ["missing.yaml", "broken.yaml"])
def test_invalid_input_is_exit_2(tmp_path: Path, bad: str) -> None:
    if bad == "broken.yaml":
        (tmp_path / bad).write_text("units: [{id: a, lead_time: 3}]\n", encoding="utf-8")
    result = runner.invoke(app, ["diff", str(RETAILER), str(tmp_path / bad)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert str(tmp_path / bad) in result.stderr


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(RETAILER.read_text(encoding="utf-8"), encoding="utf-8")
    before = old.read_bytes()
    result = runner.invoke(app, ["diff", str(old), str(AFTER_FILE), "-o", str(old)])
    assert result.exit_code == 2
    assert old.read_bytes() == before


# Groups (SPEC §7) by hand. before: it holds desk, shop needs desk, x (weight 2) needs shop and
# y (weight 3) needs web; lab holds bench. after: web joins it, shop gets a team of its own (ops),
# bench leaves lab.
GROUPS_BEFORE: dict[str, Any] = {
    "units": [
        {"id": "it", "kind": "department"},
        {"id": "desk", "parent": "it"},
        {"id": "web"},
        {"id": "shop", "depends_on": ["desk"]},
        {"id": "lab"},
        {"id": "bench", "parent": "lab"},
    ],
    "customers": [
        {"id": "x", "weight": 2, "depends_on": ["shop"]},
        {"id": "y", "weight": 3, "depends_on": ["web"]},
    ],
}
GROUPS_AFTER: dict[str, Any] = {
    "units": [
        {"id": "it", "kind": "department"},
        {"id": "desk", "parent": "it"},
        {"id": "web", "parent": "it"},
        {"id": "ops"},
        {"id": "shop", "parent": "ops", "depends_on": ["desk"]},
        {"id": "lab"},
        {"id": "bench"},
    ],
    "customers": GROUPS_BEFORE["customers"],
}


def test_groups_by_hand() -> None:
    d = diff(build_graph(load_dict(GROUPS_BEFORE)), build_graph(load_dict(GROUPS_AFTER)))
    # it before: X* = {it, desk}: shop fails, so x (2); 1 unit, 1 customer.
    # it after: X* = {it, desk, web}: shop, x and y (2 + 3 = 5); shop is ops's only member, so
    # ops has failed too: 2 units, 2 customers
    assert d.group_impact_changed == (GroupChange("it", 2.0, 5.0, 1, 2, 1, 2),)
    # ops: X* = {ops, shop}: x (2), nothing else
    assert d.groups_added == (("ops", 2.0),)
    # lab lost its only member; it cut nothing
    assert d.groups_removed == (("lab", 0.0),)
    assert d.effects
    effects = d.to_dict()["effects"]
    assert effects["groups_added"] == [{"id": "ops", "impact_weight": 2.0}]
    assert effects["groups_removed"] == [{"id": "lab", "impact_weight": 0.0}]
    assert effects["group_impact_changed"] == [
        {
            "id": "it",
            "old_impact_weight": 2.0,
            "new_impact_weight": 5.0,
            "old_impacted_units": 1,
            "new_impacted_units": 2,
            "old_impacted_customer_count": 1,
            "new_impacted_customer_count": 2,
        }
    ]
    keys = list(effects)
    assert keys.index("impact_weight_changed") + 1 == keys.index("groups_added")
    assert keys[keys.index("groups_added") :][:3] == [
        "groups_added",
        "groups_removed",
        "group_impact_changed",
    ]


def test_groups_in_text_and_markdown(tmp_path: Path) -> None:
    import yaml

    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(GROUPS_BEFORE), encoding="utf-8")
    new.write_text(yaml.safe_dump(GROUPS_AFTER), encoding="utf-8")
    text = runner.invoke(app, ["diff", str(old), str(new)])
    assert text.exit_code == 0, text.output
    assert (
        "\n\nNew groups (a unit with members, failing with them)\n  ops: impact weight 2\n"
        "\nNo longer groups\n  lab (was impact weight 0)\n"
        "\nGroup impact changed\n"
        "  it: impact weight 2 → 5, impacted units 1 → 2, impacted customers 1 → 2\n"
    ) in text.stdout
    md = runner.invoke(app, ["diff", str(old), str(new), "-f", "markdown"])
    assert md.exit_code == 0, md.output
    assert (
        "### Group impact changed\n\n"
        "| Group | Impact weight | Impacted units | Impacted customers |\n"
        "|:---|---:|---:|---:|\n"
        "| `it` | 2 → 5 | 1 → 2 | 1 → 2 |\n"
    ) in md.stdout
    assert "### New groups (a unit with members, failing with them)\n\n" in md.stdout
    assert "| `ops` | 2 |" in md.stdout and "| `lab` | 0 |" in md.stdout


def test_a_group_whose_figures_hold_is_not_listed() -> None:
    # the retailer's ERP gets a standby in the same department: the ERP is no longer a single
    # point of failure, but the technology department failing still takes both
    found = runner.invoke(app, ["diff", str(RETAILER), str(AFTER_FILE), "--format", "json"])
    effects = json.loads(found.stdout)["effects"]
    assert "erp" in [c["id"] for c in effects["critical_suppliers_removed"]]
    assert effects["group_impact_changed"] == []
    assert effects["groups_removed"] == [{"id": "innovation-lab", "impact_weight": 0.0}]


# Scenarios (SPEC §7) by hand. before: web needs db (site A, back after 4h), c (weight 2, back
# within 2h promised) needs web; d (weight 3, back within 1h) needs mail (back after 2h).
# after: web may use db or db2 (site B), mail comes back after 30m; old-one is gone, new-one new.
SCEN_BEFORE: dict[str, Any] = {
    "units": [
        {"id": "db", "recovery_time": "4h", "attributes": {"site": "A"}},
        {"id": "web", "depends_on": ["db"]},
        {"id": "mail", "recovery_time": "2h"},
    ],
    "customers": [
        {"id": "c", "weight": 2, "promise": {"recovery": "2h"}, "depends_on": ["web"]},
        {"id": "d", "weight": 3, "promise": {"recovery": "1h"}, "depends_on": ["mail"]},
    ],
    "scenarios": [
        {"id": "site-a", "where": {"site": "A"}},
        {"id": "mail-down", "fail": ["mail"]},
        {"id": "old-one", "fail": ["web"]},
    ],
}
SCEN_AFTER: dict[str, Any] = {
    "units": [
        {"id": "db", "recovery_time": "4h", "attributes": {"site": "A"}},
        {"id": "db2", "attributes": {"site": "B"}},
        {"id": "web", "depends_on": [{"any_of": ["db", "db2"]}]},
        {"id": "mail", "recovery_time": "30m"},
    ],
    "customers": SCEN_BEFORE["customers"],
    "scenarios": [
        {"id": "site-a", "where": {"site": "A"}},
        {"id": "mail-down", "fail": ["mail"]},
        {"id": "new-one", "fail": ["db2"]},
    ],
}


def test_scenarios_by_hand() -> None:
    d = diff(build_graph(load_dict(SCEN_BEFORE)), build_graph(load_dict(SCEN_AFTER)))
    # new-one: db2 fails, web still has db: nothing lost. old-one: web fails, so c (2)
    assert d.scenarios_added == (("new-one", 0.0),)
    assert d.scenarios_removed == (("old-one", 2.0),)
    assert d.scenario_impact_changed == (
        # mail-down: d loses service either way (3), but is back after 30m within its 1h now
        ScenarioChange("mail-down", 3.0, 3.0, 0, 0, ("d",), ("d",), ("d",), ()),
        # site-a: db fails; before web and c with it (c back after 4h, past 2h); after web
        # falls back on db2 and nothing is lost
        ScenarioChange("site-a", 2.0, 0.0, 1, 0, ("c",), (), ("c",), ()),
    )
    assert d.effects
    effects = d.to_dict()["effects"]
    assert effects["scenarios_added"] == [{"id": "new-one", "impact_weight": 0.0}]
    assert effects["scenarios_removed"] == [{"id": "old-one", "impact_weight": 2.0}]
    assert effects["scenario_impact_changed"][1] == {
        "id": "site-a",
        "old_impact_weight": 2.0,
        "new_impact_weight": 0.0,
        "old_impacted_units": 1,
        "new_impacted_units": 0,
        "old_impacted_customers": ["c"],
        "new_impacted_customers": [],
        "old_past_tolerance": ["c"],
        "new_past_tolerance": [],
    }
    keys = list(effects)
    assert keys[keys.index("group_impact_changed") :][:4] == [
        "group_impact_changed",
        "scenarios_added",
        "scenarios_removed",
        "scenario_impact_changed",
    ]


def test_scenarios_in_text_and_markdown(tmp_path: Path) -> None:
    import yaml

    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(SCEN_BEFORE), encoding="utf-8")
    new.write_text(yaml.safe_dump(SCEN_AFTER), encoding="utf-8")
    text = runner.invoke(app, ["diff", str(old), str(new)])
    assert text.exit_code == 0, text.output
    assert (
        "\n\nScenarios added\n  new-one: impact weight 0\n"
        "\nScenarios removed\n  old-one (was impact weight 2)\n"
        "\nScenario impact changed\n"
        "  mail-down: past their recovery tolerance d → none\n"
        "  site-a: impact weight 2 → 0, impacted units 1 → 0, customers losing service c → none,"
        " past their recovery tolerance c → none\n"
    ) in text.stdout
    md = runner.invoke(app, ["diff", str(old), str(new), "-f", "markdown"])
    assert md.exit_code == 0, md.output
    assert (
        "### Scenario impact changed\n\n"
        "| Scenario | Impact weight | Impacted units | Customers losing service"
        " | Past their recovery tolerance |\n"
        "|:---|---:|---:|:---|:---|\n"
        "| `mail-down` | 3 | 0 | `d` | `d` → none |\n"
        "| `site-a` | 2 → 0 | 1 → 0 | `c` → none | `c` → none |\n"
    ) in md.stdout
    assert "### Scenarios added\n\n| Scenario | Impact weight |\n" in md.stdout
    assert "| `old-one` | 2 |" in md.stdout


def test_the_retailer_reorganization_moves_its_scenarios() -> None:
    found = runner.invoke(app, ["diff", str(RETAILER), str(AFTER_FILE), "--format", "json"])
    effects = json.loads(found.stdout)["effects"]
    assert effects["scenarios_added"] == [{"id": "payments-outage", "impact_weight": 42.0}]
    changed = {x["id"]: x for x in effects["scenario_impact_changed"]}
    # the ERP gets a warm standby outside the Dublin colocation hall: the flood no longer cuts
    # anyone, and online shoppers are no longer kept past their 8h tolerance
    assert changed["dublin-site-lost"]["new_impacted_customers"] == []
    assert changed["dublin-site-lost"]["old_past_tolerance"] == ["online-shoppers"]
    # technology-down: the same customers, all within tolerance before and after: not listed
    assert "technology-down" not in changed

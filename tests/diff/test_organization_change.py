"""``diff`` reports a new organization name or period (the period changes what volumes mean)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from orggraph.cli import app

runner = CliRunner()
BEFORE = """\
organization: {name: Acme, period: week}
units: [{id: a}]
customers: [{id: c, depends_on: [a]}]
"""


def _diff(tmp_path: Path, after: str, fmt: str) -> str:
    (tmp_path / "a.yaml").write_text(BEFORE, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(after, encoding="utf-8")
    result = runner.invoke(
        app, ["diff", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "-f", fmt]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_name_and_period_changes_in_every_format(tmp_path: Path) -> None:
    after = BEFORE.replace("name: Acme, period: week", "name: Acme Ltd, period: day")
    text = _diff(tmp_path, after, "text")
    assert text.startswith("The organization's name or period changed. 0 parties added")
    assert "Organization changed\n  name Acme → Acme Ltd\n" in text
    assert "  period week → day (every volume and capacity now counts per day)\n" in text
    data = json.loads(_diff(tmp_path, after, "json"))
    assert data["model"]["organization_changed"] == [
        {"field": "name", "old": "Acme", "new": "Acme Ltd"},
        {"field": "period", "old": "week", "new": "day"},
    ]
    md = _diff(tmp_path, after, "markdown")
    assert "### Organization changed" in md and "| period | week | day |" in md


def test_an_organization_block_removed_is_a_change_and_none_is_not(tmp_path: Path) -> None:
    assert 'organization_changed": []' in _diff(tmp_path, BEFORE, "json").replace("\n", "")
    after = "\n".join(BEFORE.splitlines()[1:]) + "\n"
    changes = json.loads(_diff(tmp_path, after, "json"))["model"]["organization_changed"]
    assert changes == [
        {"field": "name", "old": "Acme", "new": None},
        {"field": "period", "old": "week", "new": None},
    ]

"""``orggraph diff``: promises to customers (SPEC §8) that a change breaks or now keeps, on a small
pair worked out by hand, in JSON, text and markdown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.diff import PromiseChange, diff
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render.diff import render_diff_markdown, render_diff_text

runner = CliRunner()

# before: shoppers get pack (2h, q 0.95) after wh (1d, q 0.9, back after 4h): lead 26h within
# 1d 4h, quality 0.9 at least 0.85, recovery 4h within 6h: all met. trade gets wh directly:
# lead 24h within 1d, recovery 4h past its 2h: broken. gone promises 0.5 (quality) and is removed.
BEFORE: dict[str, Any] = {
    "units": [
        {"id": "wh", "name": "Warehouse", "lead_time": "1d", "quality": 0.9, "recovery_time": "4h"},
        {"id": "pack", "lead_time": "2h", "quality": 0.95, "depends_on": ["wh"]},
    ],
    "customers": [
        {
            "id": "shoppers",
            "name": "Online shoppers",
            "promise": {"lead_time": "28h", "quality": 0.85, "recovery": "6h"},
            "depends_on": ["pack"],
        },
        {"id": "trade", "promise": {"lead_time": "1d", "recovery": "2h"}, "depends_on": ["wh"]},
        {"id": "gone", "promise": {"quality": 0.99}, "depends_on": ["wh"]},
    ],
}
# after: wh takes 1d 6h but is back after 1h. shoppers: lead 32h past 28h (broken, set by wh),
# and quality is now promised 0.92 against 0.9 (broken, the promise moved). trade: lead 30h past
# 24h (broken), recovery 1h within 2h (now kept). b2b is new and promised 0.99 against 0.9
# (broken, a new promise); its lead time promise of 3d is met from the start (not listed).
AFTER: dict[str, Any] = {
    "units": [
        {
            "id": "wh",
            "name": "Warehouse",
            "lead_time": "30h",
            "quality": 0.9,
            "recovery_time": "1h",
        },
        {"id": "pack", "lead_time": "2h", "quality": 0.95, "depends_on": ["wh"]},
    ],
    "customers": [
        {
            "id": "shoppers",
            "name": "Online shoppers",
            "promise": {"lead_time": "28h", "quality": 0.92, "recovery": "6h"},
            "depends_on": ["pack"],
        },
        {"id": "trade", "promise": {"lead_time": "1d", "recovery": "2h"}, "depends_on": ["wh"]},
        {"id": "b2b", "promise": {"lead_time": "3d", "quality": 0.99}, "depends_on": ["pack"]},
    ],
}


def _diff() -> Any:
    return diff(build_graph(load_dict(BEFORE)), build_graph(load_dict(AFTER)))


def test_promises_broken_and_kept_by_hand() -> None:
    d = _diff()
    assert d.promises_broken == (
        PromiseChange("b2b", "quality", 0.99, None, 0.9, "b2b", None, "wh", "Warehouse"),
        PromiseChange(
            "shoppers", "lead_time", 28.0, 26.0, 32.0, "Online shoppers", None, "wh", "Warehouse"
        ),
        PromiseChange(
            "shoppers", "quality", 0.92, 0.9, 0.9, "Online shoppers", 0.85, "wh", "Warehouse"
        ),
        PromiseChange("trade", "lead_time", 24.0, 24.0, 30.0, "trade", None, "wh", "Warehouse"),
    )
    assert d.promises_kept == (
        PromiseChange("trade", "recovery", 2.0, 4.0, 1.0, "trade", None, "wh", "Warehouse"),
    )
    assert d.effects


def test_promise_json_keys_and_order() -> None:
    effects = _diff().to_dict()["effects"]
    keys = list(effects)
    assert keys[keys.index("scenario_impact_changed") :][:3] == [
        "scenario_impact_changed",
        "promises_broken",
        "promises_kept",
    ]
    assert effects["promises_broken"][0] == {
        "customer": "b2b",
        "metric": "quality",
        "promised": 0.99,
        "old_actual": None,
        "new_actual": 0.9,
    }
    assert effects["promises_kept"] == [
        {
            "customer": "trade",
            "metric": "recovery",
            "promised": 2.0,
            "old_actual": 4.0,
            "new_actual": 1.0,
        }
    ]


def test_unchanged_promises_are_not_effects() -> None:
    G = build_graph(load_dict(BEFORE))
    d = diff(G, build_graph(load_dict(BEFORE)))
    assert d.promises_broken == () and d.promises_kept == () and not d.effects
    # a promise dropped is neither broken nor kept: nothing is promised any more
    dropped = {**BEFORE, "customers": [{"id": "trade", "depends_on": ["wh"]}]}
    d = diff(G, build_graph(load_dict(dropped)))
    assert d.promises_broken == () and d.promises_kept == ()


def test_promise_changes_in_words() -> None:
    d = _diff()
    text = render_diff_text(d)
    assert (
        "\nPromises broken\n"
        "  b2b: quality promised 0.99, scores 0.90 (a new promise); set by Warehouse (wh)\n"
        "  Online shoppers (shoppers): lead time promised 1d 4h, delivers in 1d 8h (was 1d 2h);"
        " set by Warehouse (wh)\n"
        "  Online shoppers (shoppers): quality promised 0.92, scores 0.90"
        " (was 0.90 against a promise of 0.85); set by Warehouse (wh)\n"
        "  trade: lead time promised 1d, delivers in 1d 6h (was 1d); set by Warehouse (wh)\n"
        "\nPromises now kept\n"
        "  trade: recovery promised 2h, is back after 1h (was 4h); set by Warehouse (wh)\n"
    ) in text
    md = render_diff_markdown(d)
    assert (
        "### Promises now kept\n\n"
        "- `trade`: recovery promised 2h, is back after 1h (was 4h); set by Warehouse (`wh`)\n"
    ) in md
    assert "- Online shoppers (`shoppers`): lead time promised 1d 4h" in md


def test_promise_changes_from_the_cli(tmp_path: Path) -> None:
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    old.write_text(yaml.safe_dump(BEFORE), encoding="utf-8")
    new.write_text(yaml.safe_dump(AFTER), encoding="utf-8")
    result = runner.invoke(app, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    effects = json.loads(result.stdout)["effects"]
    assert [(p["customer"], p["metric"]) for p in effects["promises_broken"]] == [
        ("b2b", "quality"),
        ("shoppers", "lead_time"),
        ("shoppers", "quality"),
        ("trade", "lead_time"),
    ]
    text = runner.invoke(app, ["diff", str(old), str(new)])
    assert "Promises now kept" in text.stdout

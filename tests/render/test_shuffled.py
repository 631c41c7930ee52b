"""Same organization, same output: the order of lists in the org file changes nothing.

Each run builds the graph from the org with every list shuffled (units, customers, vendors,
depends_on, any_of, tags) and checks every renderer gives the bytes of the unshuffled run.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orggraph.analysis import analyze, failure_impact
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render.json import render_impact_json, render_json
from orggraph.render.markdown import render_markdown
from orggraph.render.text import render_text
from orggraph.render.whatif import render_impact_text

ORG: dict[str, Any] = {
    "organization": {"name": "Shuffled Ltd", "period": "month"},
    "units": [
        {"id": "it", "kind": "department"},
        {
            "id": "platform",
            "parent": "it",
            "capacity": 80,
            "lead_time": "1d",
            "quality": 0.9,
            "tags": ["core", "infra", "cloud"],
            "depends_on": [{"supplier": "cloud", "volume": 40}],
        },
        {
            "id": "desk-eu",
            "parent": "it",
            "capacity": 100,
            "lead_time": "4h",
            "depends_on": ["platform", {"supplier": "itsm", "volume": 95}],
        },
        {
            "id": "desk-us",
            "parent": "it",
            "capacity": 100,
            "lead_time": "6h",
            "depends_on": ["platform", {"supplier": "itsm", "volume": 60}],
        },
        {
            "id": "stores",
            "lead_time": "2d",
            "quality": 0.8,
            "depends_on": [
                {"any_of": ["desk-eu", "desk-us"], "volume": 150},
                {"supplier": "payroll", "volume": 12},
                {"supplier": "finance", "required": False},
            ],
        },
        {"id": "web", "lead_time": "3h", "depends_on": ["platform", "desk-eu"]},
        {"id": "payroll", "capacity": 10, "depends_on": [{"supplier": "finance", "volume": 12}]},
        {"id": "finance", "depends_on": ["procurement"]},
        {"id": "procurement", "depends_on": ["finance"]},
        {"id": "archive"},
        {"id": "library", "depends_on": ["archive"]},
    ],
    "customers": [
        {"id": "shoppers", "weight": 10, "depends_on": ["stores", "web"]},
        {"id": "online", "weight": 6, "depends_on": ["web"]},
        {"id": "wholesale", "weight": 3, "depends_on": [{"any_of": ["stores", "web"]}]},
    ],
    "vendors": [{"id": "cloud", "lead_time": "2h"}, {"id": "itsm"}, {"id": "spare-vendor"}],
}


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        items = [_shuffled(v, rng) for v in value]
        rng.shuffle(items)
        return items
    return value


def _outputs(org: dict[str, Any]) -> dict[str, str]:
    G = build_graph(load_dict(org))
    report = analyze(G)
    impact = failure_impact(G, ["platform", "finance", "itsm"])
    return {
        "json": render_json(report),
        "json-capped": render_json(report, list_limit=1),
        "text": render_text(report, top=3),
        "text-colour": render_text(report, width=70, color=True),
        "markdown": render_markdown(report, top=3),
        "impact-text": render_impact_text(impact, G),
        "impact-json": render_impact_json(impact),
    }


@pytest.fixture(scope="module")
def expected() -> dict[str, str]:
    return _outputs(ORG)


def test_the_org_exercises_every_section(expected: dict[str, str]) -> None:
    text = expected["text"]
    for present in ["alone", "runs at", "finance → procurement → finance", "archive", "→"]:
        assert present in text
    assert "No " not in text.split("Warnings")[0]  # no empty section before the warnings


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_shuffled_org_gives_the_same_bytes(expected: dict[str, str], seed: int) -> None:
    shuffled = _shuffled(ORG, random.Random(seed))
    assert _outputs(shuffled) == expected


def test_failed_ids_in_any_order_give_the_same_impact() -> None:
    G = build_graph(load_dict(ORG))
    a = failure_impact(G, ["platform", "finance", "itsm"])
    b = failure_impact(G, ["itsm", "platform", "finance", "platform"])
    assert render_impact_json(a) == render_impact_json(b)
    assert render_impact_text(a, G) == render_impact_text(b, G)

"""The JSON outputs: SPEC §5 shape, key order, list order, exact bytes."""

from __future__ import annotations

import json
from collections.abc import Callable

from orggraph.analysis.report import Impact
from orggraph.render.json import (
    JSON_SCHEMA_DIALECT,
    render_impact_json,
    render_json,
    render_json_schema,
)

from ._reports import clinic_groups_report, clinic_report, empty_report

TOP_KEYS = [
    "organization",
    "summary",
    "critical_suppliers",
    "groups",
    "scenarios",
    "bottlenecks",
    "illusory_redundancy",
    "failover",
    "service_chains",
    "promises",
    "expectations",
    "internal_service_quality",
    "line_of_sight",
    "disconnected_units",
    "cycles",
    "warnings",
    "betweenness",
    "utilization_threshold",
]


def test_report_json_golden(golden: Callable[[str, str], None]) -> None:
    golden("clinic.json", render_json(clinic_report()))


def test_report_json_is_the_report_dict_one_entry_per_line() -> None:
    report = clinic_report()
    text = render_json(report, list_limit=2)
    assert json.loads(text) == report.to_dict(2)
    assert text.endswith("}\n")
    lines = text.splitlines()
    # every top-level key starts a line; every critical supplier is one line of its own
    assert [line.split(":")[0].strip() for line in lines if line.startswith('  "')] == [
        f'"{key}"' for key in TOP_KEYS
    ]
    for supplier in report.to_dict(2)["critical_suppliers"]:
        entry = json.dumps(supplier, ensure_ascii=False, separators=(", ", ": "))
        assert f"    {entry}," in lines or f"    {entry}" in lines


def test_key_order_is_fixed() -> None:
    data = json.loads(render_json(clinic_report()))
    assert list(data) == TOP_KEYS
    assert list(data["critical_suppliers"][0]) == [
        "id",
        "party",
        "impact_weight",
        "impacted_customers",
        "impacted_customer_count",
        "impacted_units",
        "betweenness",
    ]
    assert list(data["bottlenecks"][0]) == [
        "id",
        "load",
        "capacity",
        "utilization",
        "fan_in",
        "betweenness",
        "reasons",
    ]
    assert list(data["service_chains"][0]) == [
        "customer",
        "upstream_units",
        "upstream_vendors",
        "depth",
        "critical_chain",
        "lead_time_hours",
        "quality",
        "weakest_link",
    ]


def test_list_limit_caps_impacted_customers_and_says_so() -> None:
    capped = json.loads(render_json(clinic_report(), list_limit=1))["critical_suppliers"][0]
    assert capped["impacted_customers"] == ["patients"]
    assert capped["impacted_customer_count"] == 3
    assert capped["impacted_customers_truncated"] is True
    whole = json.loads(render_json(clinic_report(), list_limit=0))["critical_suppliers"][0]
    assert whole["impacted_customers"] == ["patients", "insurers", "gps"]
    assert "impacted_customers_truncated" not in whole


def test_non_ascii_is_kept_as_utf8() -> None:
    text = render_json(clinic_report(name="Zürich Kliniken — 東京"))
    assert '"name": "Zürich Kliniken — 東京"' in text


def test_empty_report() -> None:
    data = json.loads(render_json(empty_report()))
    assert data["organization"] == {"name": None, "period": None}
    assert data["critical_suppliers"] == data["bottlenecks"] == data["cycles"] == []


def test_impact_json_exact_and_sorted() -> None:
    impact = Impact(
        failed=("payroll", "desk-eu"),
        impacted_units=("stores", "call-centre"),
        impacted_customers=("shoppers", "online"),
        impact_weight=16.0,
        failed_members=("payroll-uk", "desk-eu-1"),
    )
    assert render_impact_json(impact) == (
        "{\n"
        '  "failed": [\n    "desk-eu",\n    "payroll"\n  ],\n'
        '  "failed_members": [\n    "desk-eu-1",\n    "payroll-uk"\n  ],\n'
        '  "impacted_units": [\n    "call-centre",\n    "stores"\n  ],\n'
        '  "impacted_customers": [\n    "online",\n    "shoppers"\n  ],\n'
        '  "impact_weight": 16.0,\n'
        '  "degraded_customers": [],\n'
        '  "degraded_units": [],\n'
        '  "redundancy_lost": []\n'
        "}\n"
    )


def test_json_schema_document() -> None:
    model = {
        "title": "Org",
        "type": "object",
        "properties": {"units": {"type": "array"}, "customers": {"type": "array"}},
    }
    text = render_json_schema(model, "orggraph organization file")
    data = json.loads(text)
    assert data["$schema"] == JSON_SCHEMA_DIALECT
    assert data["title"] == "orggraph organization file"
    assert list(data) == sorted(data)
    assert list(data["properties"]) == ["customers", "units"]
    assert text == render_json_schema(dict(reversed(model.items())), "orggraph organization file")


def test_groups_golden(golden: Callable[[str, str], None]) -> None:
    """A report with groups: the section after the critical suppliers, groups that reach no
    customer left out of the readable table (the JSON lists every group)."""
    golden("clinic_groups.json", render_json(clinic_groups_report()))

"""SPEC §8: effective levels, promises, expectations and perceived quality on hand-worked orgs."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from orggraph.analysis import analyze, effective_levels, expectations, perceived_quality, promises
from orggraph.cli import app
from orggraph.errors import OrgValidationError
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.model.survey import load_survey

ORG = {
    "vendors": [
        {"id": "dc-a", "lead_time": "1d", "recovery_time": "8h"},
        {"id": "dc-b", "lead_time": "2h", "recovery_time": "2h", "quality": 0.7},
    ],
    "units": [
        {
            "id": "erp",
            "lead_time": "4h",
            "recovery_time": "4h",
            "quality": 0.9,
            "depends_on": [{"any_of": ["dc-a", "dc-b"], "primary": "dc-a"}],
        },
        {
            "id": "shop",
            "recovery_time": "1h",
            "depends_on": [
                {"supplier": "erp", "volume": 3, "expects": {"lead_time": "1d", "quality": 0.95}}
            ],
        },
        {"id": "desk", "depends_on": [{"supplier": "erp", "volume": 1}]},
    ],
    "customers": [
        {
            "id": "x",
            "promise": {"lead_time": "2d", "quality": 0.9, "recovery": "2h"},
            "depends_on": ["shop"],
        },
    ],
}


def test_effective_levels_primary_and_recovery_through_any_of() -> None:
    G = build_graph(load_dict(ORG))
    x = effective_levels(G)["x"]
    # the primary dc-a sets lead and q; recovery takes the faster alternative (dc-b, 2h), erp 4h
    assert (x.lead_time, x.lead_culprit) == (28.0, "dc-a")
    assert (x.quality, x.weakest_link) == (0.9, "erp")
    assert (x.recovery, x.recovery_culprit) == (4.0, "erp")


def test_promises_and_expectations() -> None:
    G = build_graph(load_dict(ORG))
    levels = effective_levels(G)
    assert [(p.metric, p.met, p.culprit) for p in promises(G, levels)] == [
        ("lead_time", True, "dc-a"),
        ("quality", True, "erp"),
        ("recovery", False, "erp"),
    ]
    # unmet because erp's own upstream (dc-a, the primary) is slow
    assert [
        (e.consumer, e.supplier, e.metric, e.expected, e.actual, e.implied)
        for e in expectations(G, levels)
    ] == [
        ("shop", "erp", "lead_time", 24.0, 28.0, False),
        ("shop", "erp", "quality", 0.95, 0.9, False),
        ("shop", "erp", "recovery", 1.0, 4.0, True),
    ]


def test_cycle_is_one_stage() -> None:
    G = build_graph(
        load_dict(
            {
                "units": [
                    {"id": "a", "lead_time": "1h", "recovery_time": "3h", "depends_on": ["b"]},
                    {"id": "b", "lead_time": "5h", "recovery_time": "1h", "depends_on": ["a"]},
                ],
                "customers": [{"id": "c", "depends_on": ["a"]}],
            }
        )
    )
    c = effective_levels(G)["c"]
    assert (c.lead_time, c.lead_culprit, c.recovery, c.recovery_culprit) == (5.0, "b", 3.0, "a")


def test_survey_two_consumers_of_different_volumes(tmp_path: Path) -> None:
    G = build_graph(load_dict(ORG))
    path = tmp_path / "s.csv"
    path.write_text(
        "consumer,supplier,score,dimension\n"
        "shop,erp,5,speed\nshop,erp,3,care\ndesk,erp,1,\nx,dc-a,4,\n",
        encoding="utf-8",
    )
    survey = load_survey(path, G)
    (q,) = perceived_quality(G, survey)
    # shop: mean of per-dimension means (1.0, 0.5) = 0.75, weight 3; desk: 0.0, weight 1
    assert (q.id, q.perceived, q.weighting, q.responses, q.consumers) == (
        "erp",
        0.5625,
        "volume",
        3,
        2,
    )
    assert q.expected == pytest.approx(0.95) and q.gap == pytest.approx(0.5625 - 0.95)
    report = analyze(G, survey=survey)
    assert report.service_chains[0].quality == 0.5625
    assert report.service_chains[0].weakest_link == "erp"
    assert any("x rates dc-a, but x does not depend on dc-a" in w for w in report.warnings)


def test_survey_errors_are_located(tmp_path: Path) -> None:
    G = build_graph(load_dict(ORG))
    path = tmp_path / "s.csv"
    path.write_text("consumer,supplier,score\nshp,erp,6\n", encoding="utf-8")
    with pytest.raises(OrgValidationError) as caught:
        load_survey(path, G)
    assert [p.render() for p in caught.value.problems] == [
        f"{path}:2: consumer: 'shp' is no party\n    hint: did you mean 'shop'?",
        f"{path}:2: score: score 6 is off the scale 1-5\n    hint: write a number from 1 to "
        "5, or give the survey's scale with --scale 1-5, 1-7 or 0-10",
    ]
    yaml_path = tmp_path / "s.yaml"
    yaml_path.write_text("- {consumer: shop, supplier: erp, score: 11}\n", encoding="utf-8")
    with pytest.raises(OrgValidationError) as caught:
        load_survey(yaml_path, G, scale="0-10")
    assert caught.value.problems[0].render().startswith(f"{yaml_path}:1:")


def test_check_promises_and_expectations_cli(tmp_path: Path) -> None:
    import yaml

    org = tmp_path / "org.yaml"
    org.write_text(yaml.safe_dump(ORG, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(org), "--promises", "--expectations"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].startswith(f"{org}:") and "promises: x is promised recovery 2h" in lines[0]
    assert all(":" in line and "expectations:" in line for line in lines[1:])


def test_recovery_through_any_of_takes_the_faster_alternative_even_with_a_primary() -> None:
    org = {
        "vendors": [
            {"id": "dc-a", "lead_time": "1h", "recovery_time": "8h"},
            {"id": "dc-b", "lead_time": "5h", "recovery_time": "2h"},
        ],
        "units": [
            {
                "id": "erp",
                "recovery_time": "1h",
                "depends_on": [{"any_of": ["dc-a", "dc-b"], "primary": "dc-a"}],
            }
        ],
        "customers": [
            {"id": "x", "promise": {"lead_time": "1h", "recovery": "90m"}, "depends_on": ["erp"]}
        ],
    }
    G = build_graph(load_dict(org))
    x = effective_levels(G)["x"]
    # normal traffic goes to the primary dc-a (lead 1h); after a disruption dc-b is back first
    assert (x.lead_time, x.lead_culprit, x.recovery, x.recovery_culprit) == (
        1.0,
        "dc-a",
        2.0,
        "dc-b",
    )
    assert [(p.metric, p.actual, p.met, p.culprit) for p in promises(G, effective_levels(G))] == [
        ("lead_time", 1.0, True, "dc-a"),
        ("recovery", 2.0, False, "dc-b"),
    ]


def test_equal_means_reached_in_another_order_tie_and_sort_by_id(tmp_path: Path) -> None:
    # u2's consumer answers in three dimensions whose means (0.35, 0.1, 0.6) average to 0.35, which
    # plain float arithmetic makes 0.3499999999999999; u1's is 0.35 from two answers. Both are 0.35
    # to a reader, so they tie and sort by id.
    G = build_graph(
        load_dict(
            {
                "units": [
                    {"id": "u1"},
                    {"id": "u2"},
                    {"id": "u3", "depends_on": ["u2"]},
                ],
                "customers": [{"id": "c1", "depends_on": ["u1", "u3"]}],
            }
        )
    )
    path = tmp_path / "s.csv"
    path.write_text(
        "consumer,supplier,score,dimension\n"
        "u3,u2,1,\nu3,u2,1,speed\nu3,u2,6,\nu3,u2,6,care\nc1,u1,3,\nc1,u1,4,\n",
        encoding="utf-8",
    )
    found = perceived_quality(G, load_survey(path, G, scale="0-10"))
    assert [(q.id, q.perceived) for q in found] == [("u1", 0.35), ("u2", 0.35)]

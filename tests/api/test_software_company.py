"""examples/software-company.yaml, worked by hand: why the grain matters (SPEC §7).

Required dependencies only propagate. vendor-cloud feeds k8s-cluster, user-db and warehouse;
auth-service needs k8s-cluster and user-db; api-gateway, invoice-service and billing-service need
k8s-cluster and auth-service (billing also payment-adapter, which needs vendor-payments);
reporting-service needs warehouse and auth-service; web-app needs api-gateway and invoice-service,
mobile-app api-gateway and vendor-appstore. enterprise-customers (10) need api-gateway, web-app,
reporting-service and support-desk; smb-customers (6) web-app and billing-service; mobile-users
(3) mobile-app. support-desk and knowledge-base need vendor-helpdesk.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

import orggraph
from orggraph.cli import app

EXAMPLE = Path(__file__).parents[2] / "examples" / "software-company.yaml"
ALL = ("enterprise-customers", "mobile-users", "smb-customers")


@pytest.fixture(scope="module")
def G() -> nx.DiGraph:
    return orggraph.build_graph(orggraph.load(EXAMPLE))


def test_a_team_fails_with_all_its_components(G: nx.DiGraph) -> None:
    # X* = platform-team, k8s-cluster, user-db, auth-service, api-gateway; then invoice-service,
    # billing-service, reporting-service, web-app, mobile-app: every customer
    down = orggraph.failure_impact(G, ["platform-team"])
    assert down.failed == ("platform-team",)
    assert down.failed_members == ("api-gateway", "auth-service", "k8s-cluster", "user-db")
    assert down.impacted_units == (
        "billing-service", "invoice-service", "mobile-app", "reporting-service", "web-app",
    )  # fmt: skip
    assert down.impacted_customers == ALL and down.impact_weight == 19.0


def test_a_department_fails_with_its_teams_and_their_components(G: nx.DiGraph) -> None:
    down = orggraph.failure_impact(G, ["customer-operations"])
    assert down.failed_members == ("knowledge-base", "support-desk", "support-team")
    # support-desk is required only by enterprise customers (optional for small businesses)
    assert down.impacted_customers == ("enterprise-customers",) and down.impacted_units == ()


def test_a_vendor_can_take_a_whole_team_down(G: nx.DiGraph) -> None:
    # vendor-payments -> payment-adapter -> billing-service: both payments-team members have
    # failed, so the team has failed too
    down = orggraph.failure_impact(G, ["vendor-payments"])
    assert down.impacted_units == ("billing-service", "payment-adapter", "payments-team")
    assert down.impacted_customers == ("smb-customers",) and down.impact_weight == 6.0


def test_a_component_of_one_team_cuts_only_its_own_customers(G: nx.DiGraph) -> None:
    # the app stores serve the mobile app alone: the product team's other services go on
    down = orggraph.failure_impact(G, ["vendor-appstore"])
    assert down.impacted_units == ("mobile-app",)
    assert down.impacted_customers == ("mobile-users",) and down.impact_weight == 3.0
    # a component shared across teams: auth-service, used by four teams' services
    shared = orggraph.failure_impact(G, ["auth-service"])
    assert shared.impacted_units == (
        "api-gateway", "billing-service", "invoice-service", "mobile-app", "reporting-service",
        "web-app",
    )  # fmt: skip
    assert shared.impacted_customers == ALL


def test_critical_suppliers_and_groups(G: nx.DiGraph) -> None:
    report = orggraph.analyze(G)
    assert [(c.id, c.impact_weight, c.impacted_units) for c in report.critical_suppliers] == [
        ("vendor-cloud", 19.0, 12),  # 10 components, then platform-team and data-team
        ("k8s-cluster", 19.0, 7),
        ("user-db", 19.0, 7),
        ("auth-service", 19.0, 6),
        ("api-gateway", 19.0, 2),
        ("invoice-service", 16.0, 1),
        ("web-app", 16.0, 0),
        ("vendor-helpdesk", 10.0, 4),  # support-team and customer-operations fail with it
        ("warehouse", 10.0, 2),  # reporting-service, then data-team
        ("reporting-service", 10.0, 0),
        ("support-desk", 10.0, 0),
        ("vendor-payments", 6.0, 3),
        ("payment-adapter", 6.0, 2),
        ("billing-service", 6.0, 0),
        ("vendor-appstore", 3.0, 1),
        ("mobile-app", 3.0, 0),
    ]
    assert [
        (g.id, g.members, g.impact_weight, g.impacted_units, g.critical_members)
        for g in report.groups
    ] == [
        ("platform-team", 4, 19.0, 5, 4),
        ("engineering", 16, 19.0, 0, 11),
        ("product-team", 4, 19.0, 0, 3),  # notification-service is nice to have
        ("support-team", 2, 10.0, 1, 1),  # customer-operations has lost all its members
        ("customer-operations", 3, 10.0, 0, 1),
        ("data-team", 2, 10.0, 0, 2),
        ("payments-team", 2, 6.0, 0, 2),
    ]


def test_analyze_reads_well() -> None:
    result = CliRunner().invoke(app, ["analyze", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Kestrel Invoicing — per day\n21 units · 3 customers · 5 vendors")
    assert "Critical groups (a unit failing with all its members)" in out
    assert re.search(r"api-gateway \(API gateway\) +850 / 900 +94%", out)
    assert "No warnings." in out
    data = json.loads(CliRunner().invoke(app, ["analyze", str(EXAMPLE), "-f", "json"]).stdout)
    assert [g["id"] for g in data["groups"]][:3] == ["platform-team", "engineering", "product-team"]

"""The fictional catalog in examples/catalog (Lantern Cycles) imports, validates, and its team-level
critical groups reach their customers through relations written in the catalog."""

from __future__ import annotations

import json
import os
from collections import deque
from pathlib import Path

import yaml
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.model import load

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "examples" / "catalog"
TEAMS = {"team-rides", "team-fleet", "team-shop", "team-payments", "team-infra"}


def _import(tmp_path: Path) -> tuple[Path, str]:
    out = tmp_path / "catalog-org.yaml"
    old = Path.cwd()
    os.chdir(ROOT)  # the paths the README shows
    try:
        result = runner.invoke(
            app,
            [
                "import",
                "--from",
                "backstage",
                "examples/catalog",
                "--customers",
                "type=website",
                "-o",
                str(out),
            ],
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.stderr
    return out, result.stderr


def _catalog_edges() -> set[tuple[str, str]]:
    """(consumer, supplier) names as the catalog files state them, read without orggraph:
    dependsOn, dependencyOf turned round, and consumesApis through providesApis."""
    entities = [
        doc
        for path in sorted(CATALOG.rglob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
        if doc
    ]

    def name(ref: str) -> str:
        return ref.split(":")[-1].split("/")[-1]

    providers: dict[str, list[str]] = {}
    for e in entities:
        for api in e.get("spec", {}).get("providesApis", []):
            providers.setdefault(api, []).append(e["metadata"]["name"])
    edges: set[tuple[str, str]] = set()
    for e in entities:
        me, spec = e["metadata"]["name"], e.get("spec", {})
        edges.update((me, name(r)) for r in spec.get("dependsOn", []))
        edges.update((name(r), me) for r in spec.get("dependencyOf", []))
        for api in spec.get("consumesApis", []):
            edges.update((me, p) for p in providers.get(api, [api]))
    return edges


def test_catalog_has_the_promised_shape() -> None:
    kinds: dict[str, int] = {}
    for path in CATALOG.rglob("*.yaml"):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                assert doc["apiVersion"] == "backstage.io/v1alpha1"
                kinds[doc["kind"]] = kinds.get(doc["kind"], 0) + 1
    assert 5 <= kinds["Group"] <= 9
    assert 20 <= kinds["Component"] <= 30
    assert kinds["User"] >= 2 and kinds["API"] >= 5 and kinds["Resource"] >= 3
    assert kinds["Location"] == 1 and kinds["System"] >= 3 and kinds["Domain"] >= 2


def test_imports_validates_and_reports_the_skipped_template(tmp_path: Path) -> None:
    out, err = _import(tmp_path)
    org = load(out)
    units = {u.id: u for u in org.units}
    assert {c.id for c in org.customers} == {
        "rides-web-customers",
        "shop-web-customers",
        "repairs-web-customers",
    }
    assert units["lantern"].kind == "department" and units["team-infra"].kind == "team"
    # a User owner maps to the group it is a member of
    assert units["shop-web"].parent == "team-shop"
    assert units["dock-controller"].parent == "team-fleet"
    # an API nobody here provides is a unit under its owner
    assert units["card-network-api"].parent == "team-payments"
    assert "template:default/new-service: kind Template has no meaning in an org" in err
    assert "# Dropped or chosen while importing (1):" in out.read_text()
    assert runner.invoke(app, ["validate", str(out)]).exit_code == 0


def test_team_critical_groups_reach_customers_through_catalog_relations(tmp_path: Path) -> None:
    out, _ = _import(tmp_path)
    result = runner.invoke(app, ["analyze", "--format", "json", str(out)])
    assert result.exit_code == 0, result.output
    groups = {g["id"]: g for g in json.loads(result.output)["groups"]}
    teams = TEAMS & set(groups)
    assert {"team-infra", "team-payments", "team-fleet"} <= teams
    assert set(groups["team-infra"]["impacted_customers"]) == {
        "rides-web-customers",
        "shop-web-customers",
        "repairs-web-customers",
    }

    org = load(out)
    members: dict[str, set[str]] = {}
    for unit in org.units:
        if unit.parent is not None:
            members.setdefault(unit.parent, set()).add(unit.id)
    written = _catalog_edges()
    site_of = {c.id: c.id.removesuffix("-customers") for c in org.customers}
    for team in teams:
        for customer in groups[team]["impacted_customers"]:
            # breadth-first from the website down the catalog's own relations
            start = site_of[customer]
            seen, todo = {start}, deque([start])
            while todo:
                here = todo.popleft()
                for consumer, supplier in written:
                    if consumer == here and supplier not in seen:
                        seen.add(supplier)
                        todo.append(supplier)
            assert seen & (members[team] | {team}), (team, customer)

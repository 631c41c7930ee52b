"""Shapes that real Backstage catalogs use and the first importer mishandled: a website that
lists a Component under ``consumesApis``, ``sub-department`` groups, ``subcomponentOf``."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from typer.testing import CliRunner

from orggraph.cli import app

runner = CliRunner()

CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: music-co}
spec: {type: organization, children: [listening]}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: listening}
spec: {type: sub-department, parent: music-co, children: [tuners]}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: tuners}
spec: {type: team, parent: listening}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: radio-site}
spec:
  type: website
  owner: tuners
  consumesApis: ['component:station-finder', 'group:tuners']
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: station-finder}
spec: {type: service, owner: tuners, dependsOn: ['resource:stations-db']}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: finder-cache}
spec: {type: service, owner: tuners, subcomponentOf: station-finder}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: stations-db}
spec: {type: database, owner: tuners}
"""


def _import(tmp_path: Path) -> tuple[dict[str, dict[str, object]], str]:
    (tmp_path / "c.yaml").write_text(CATALOG)
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(
            app,
            [
                "import",
                "--from",
                "backstage",
                "c.yaml",
                "--customers",
                "type=website",
                "-o",
                "o.yaml",
            ],
        )
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.stderr
    data = yaml.safe_load((tmp_path / "o.yaml").read_text())
    return {u["id"]: u for u in data["units"]}, result.stderr


def test_consumes_apis_naming_a_component_is_a_reported_dependency(tmp_path: Path) -> None:
    units, err = _import(tmp_path)
    assert units["radio-site"]["depends_on"] == ["station-finder"]
    assert (
        "component:default/radio-site: consumesApis component:default/station-finder is not an "
        "API; a dependency on it" in err
    )
    # a group named there is still dropped, and said so
    assert "consumesApis group:default/tuners is not an API; dropped" in err
    result = runner.invoke(app, ["analyze", "--format", "json", str(tmp_path / "o.yaml")])
    assert result.exit_code == 0, result.output
    assert '"tuners"' in result.output


def test_sub_department_is_a_department(tmp_path: Path) -> None:
    units, _ = _import(tmp_path)
    assert units["listening"]["kind"] == "department"
    assert units["music-co"]["kind"] == "department"
    assert units["tuners"]["kind"] == "team"


def test_subcomponent_of_is_kept_as_an_attribute(tmp_path: Path) -> None:
    units, _ = _import(tmp_path)
    attributes = units["finder-cache"]["attributes"]
    assert isinstance(attributes, dict)
    assert attributes["subcomponent_of"] == "station-finder"
    assert units["finder-cache"]["parent"] == "tuners"

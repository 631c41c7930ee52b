"""``orggraph import --from backstage``: a Backstage catalog to an org.yaml (SPEC §10)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.model import load

runner = CliRunner()

# Shaped like Backstage's example catalog: a Location tree, groups with children, users,
# components that provide, consume and depend, a resource, a system in a domain.
ROOT = """\
apiVersion: backstage.io/v1alpha1
kind: Location
metadata:
  name: example
spec:
  targets:
    - ./org.yaml
    - ./components/all.yaml
    - ./missing.yaml
    - https://github.com/backstage/backstage/blob/master/catalog-info.yaml
    - ./catalog-info.yaml
"""
ORG = """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: acme-corp
  title: ACME Corp
spec:
  type: root
  children: [infrastructure, team-a]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: infrastructure
spec:
  type: business-unit
  children: [team-b]
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
  description: Team A builds the artist pages
spec:
  type: team
  profile: {displayName: Team A}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-b
spec:
  type: team
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: guild
spec:
  type: guild
  parent: acme-corp
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: guest
spec:
  memberOf: [team-b, team-a]
---
apiVersion: backstage.io/v1alpha1
kind: Domain
metadata:
  name: artists
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: artist-engagement-portal
spec:
  owner: team-a
  domain: artists
"""
COMPONENTS = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: artist-web
  title: Artist Web
  tags: [public, web]
  annotations:
    orggraph.io/volume: "search=30, nowhere=2"
    orggraph.io/weight: "5"
spec:
  type: website
  lifecycle: production
  owner: user:guest
  system: artist-engagement-portal
  dependsOn: [wayback-archive]
  consumesApis: [petstore, search, Wayback-Archive]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: artist-lookup
  annotations:
    orggraph.io/capacity: "100"
    orggraph.io/lead-time: "2h"
    orggraph.io/quality: "high"
spec:
  type: service
  lifecycle: experimental
  owner: team-a
  system: artist-engagement-portal
  dependsOn: [resource:artists-db, system:artist-engagement-portal, component:gone]
  providesApis: [search]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: petstore
spec:
  type: service
  lifecycle: production
  owner: group:default/team-b
  providesApis: [petstore]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: search-mirror
spec:
  type: service
  lifecycle: production
  owner: team-b
  providesApis: [search]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: wayback-archive
spec:
  type: service
  lifecycle: production
  owner: team-b
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: petstore
spec:
  type: openapi
  lifecycle: production
  owner: team-b
  definition: "openapi: 3.0.0"
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: wayback-archive
  description: The archive's search API, run by a vendor
spec:
  type: openapi
  lifecycle: production
  owner: team-b
  definition: "openapi: 3.0.0"
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: search
spec:
  type: grpc
  lifecycle: production
  owner: team-a
  definition: "syntax = 'proto3';"
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: artists-db
spec:
  type: database
  owner: team-a
  system: artist-engagement-portal
  dependencyOf: [component:petstore, component:artist-lookup]
"""

EXPECTED = (Path(__file__).parent / "backstage_expected.yaml").read_text()


def _catalog(root: Path) -> Path:
    folder = root / "catalog"
    (folder / "components").mkdir(parents=True)
    (folder / "catalog-info.yaml").write_text(ROOT)
    (folder / "org.yaml").write_text(ORG)
    (folder / "components" / "all.yaml").write_text(COMPONENTS)
    return folder / "catalog-info.yaml"


def _run(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(app, ["import", "--from", "backstage", *args])
    finally:
        os.chdir(old)
    out = (tmp_path / "org.yaml").read_text() if (tmp_path / "org.yaml").exists() else ""
    return result.exit_code, out, result.stderr


def test_example_catalog_maps_exactly_and_reports_every_drop(tmp_path: Path) -> None:
    from orggraph._version import __version__

    _catalog(tmp_path)
    code, out, err = _run(
        tmp_path, "catalog/catalog-info.yaml", "--customers", "type=website", "-o", "org.yaml"
    )
    assert code == 0, err
    assert out == EXPECTED.replace("{version}", __version__)
    notes = [line.removeprefix("#   ") for line in out.splitlines() if line.startswith("#   ")]
    assert len(notes) == 11
    for note in notes:  # every note of the file is on stderr too
        assert f"note: {note}" in err
    org = load(tmp_path / "org.yaml")
    assert {c.id for c in org.customers} == {"artist-web-customers"}
    result = runner.invoke(app, ["analyze", str(tmp_path / "org.yaml")])
    assert result.exit_code == 0, result.output


def test_search_api_with_two_providers_is_an_any_of_with_the_volume(tmp_path: Path) -> None:
    _catalog(tmp_path)
    _run(tmp_path, "catalog", "--customers", "tag=public", "-o", "org.yaml")
    units = {u["id"]: u for u in yaml.safe_load((tmp_path / "org.yaml").read_text())["units"]}
    assert units["artist-web"]["depends_on"] == [
        {"supplier": "petstore", "service": "petstore"},
        {"any_of": ["artist-lookup", "search-mirror"], "service": "search", "volume": 30},
        {"supplier": "api-wayback-archive", "service": "wayback-archive"},
    ]
    # A dependencyOf B is B dependsOn A: written once on the consumer
    assert units["petstore"]["depends_on"] == ["artists-db"]
    assert units["artist-lookup"]["depends_on"] == ["artists-db"]


def test_json_entity_list_gives_the_same_org(tmp_path: Path) -> None:
    _catalog(tmp_path)
    entities = [doc for text in (ORG, COMPONENTS) for doc in yaml.safe_load_all(text)]
    (tmp_path / "entities.json").write_text(json.dumps(entities))
    code, out, err = _run(
        tmp_path, "entities.json", "--customers", "type=website", "-o", "org.yaml"
    )
    assert code == 0, err
    body = out[out.index("version: 1") :]
    assert body == EXPECTED[EXPECTED.index("version: 1") :]
    assert "entities.json:1:1: component:default/artist-web: dependsOn 'wayback-archive'" in err


def test_refs_default_kind_namespace_and_case(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text(
        """\
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: Platform, namespace: ops}
spec: {type: team}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: gateway, namespace: ops}
spec: {type: website, owner: platform, dependsOn: ["Resource:OPS/Cache"]}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata: {name: cache, namespace: ops}
spec: {type: redis, owner: group:ops/platform}
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: {name: gateway}
spec: {type: service, owner: platform}
"""
    )
    code, out, err = _run(tmp_path, "c.yaml", "--customers", "type=website", "-o", "org.yaml")
    assert code == 0, err
    units = {u["id"]: u for u in yaml.safe_load(out)["units"]}
    assert units["gateway-2"]["parent"] == "Platform"
    assert units["gateway-2"]["depends_on"] == ["cache"]
    assert units["cache"]["parent"] == "Platform"
    # the default namespace keeps the plain name; its owner is group:default/platform: absent
    assert "parent" not in units["gateway"]
    assert "component:default/gateway: owner 'platform' is not in the catalog" in err
    assert "component:ops/gateway: the id 'gateway' is taken; id 'gateway-2'" in err


def test_without_selector_says_how_to_choose_customers(tmp_path: Path) -> None:
    _catalog(tmp_path)
    code, _, err = _run(tmp_path, "catalog", "-o", "org.yaml")
    assert code == 0
    assert "note: no customers: choose the entities customers use with --customers" in err


def test_bad_selector_is_a_usage_error(tmp_path: Path) -> None:
    _catalog(tmp_path)
    code, _, err = _run(tmp_path, "catalog", "--customers", "website", "-o", "org.yaml")
    assert code == 2
    assert "--customers 'website': write type=TYPE, tag=TAG or annotation=KEY" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kind: Group\nmetadata: {name: [x\n", "bad.yaml:3:1: invalid YAML"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                for p, c in zip("abcdefg", "bcdefgh", strict=True)
            ),
            "bad.yaml:6:36: aliases expand to more than 1,000,000 values",
        ),
        ("---\nkind: A\n---\n" + "[" * 100 + "]" * 100 + "\n", "bad.yaml:4:65: nesting deeper"),
        (b"kind: \xff\n", "bad.yaml:1:7: the file is not UTF-8 text"),
    ],
)
def test_hostile_input_is_located_exit_2(
    tmp_path: Path, content: str | bytes, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content)
    code, _, err = _run(tmp_path, "bad.yaml", "-o", "org.yaml")
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_huge_file_is_refused_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from orggraph.model import yamlsource

    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 100)
    (tmp_path / "big.yaml").write_text("# " + "x" * 200 + "\n")
    code, _, err = _run(tmp_path, "big.yaml", "-o", "org.yaml")
    assert code == 2
    assert "big.yaml:1:1: file is" in err


def test_bad_json_is_located(tmp_path: Path) -> None:
    (tmp_path / "e.json").write_text('[{"kind": "Group",\n  oops}]')
    code, _, err = _run(tmp_path, "e.json", "-o", "org.yaml")
    assert code == 2
    assert "e.json:2:3: invalid JSON" in err


def test_location_loop_and_remote_only(tmp_path: Path) -> None:
    loc = (
        "apiVersion: backstage.io/v1alpha1\nkind: Location\n"
        "metadata: {name: %s}\nspec: {target: %s}\n"
    )
    (tmp_path / "a.yaml").write_text(loc % ("a", "./b.yaml"))
    (tmp_path / "b.yaml").write_text(
        loc % ("b", "./a.yaml") + "---\n" + loc % ("r", "https://x/y.yaml")
    )
    code, out, err = _run(tmp_path, "a.yaml", "-o", "org.yaml")
    assert code == 0, err
    assert "b.yaml:5:1: location:default/r: remote target https://x/y.yaml is not fetched" in err
    assert out.endswith("version: 1\n")

"""pyvis is only the source of the vis-network bundle: the pinned range ships it, and any other
install is refused with one clear message (through the API and the CLI), never a broken page."""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from orggraph.analysis.report import Report
from orggraph.cli import app
from orggraph.errors import OrgError
from orggraph.render import _visbundle
from orggraph.render._visbundle import (
    PYVIS_REQUIREMENT,
    VIS_VERSION,
    find_vis_bundle,
    vis_network_js,
)
from orggraph.render.html import render_html

ROOT = Path(__file__).parents[2]
ACME = Path(__file__).parent / "data" / "acme.yaml"
NEEDS = (
    "the interactive view needs vis-network 9.1.2 as shipped by pyvis>=0.3.0,<0.4, but {}:"
    " install a release in that range with 'pip install \"pyvis>=0.3.0,<0.4\"'"
)


@pytest.fixture(autouse=True)
def fresh_bundle() -> Iterator[None]:
    """The bundle is read once per process: forget it around each test."""
    vis_network_js.cache_clear()
    yield
    vis_network_js.cache_clear()


def test_the_pin_in_pyproject_is_the_range_the_message_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert PYVIS_REQUIREMENT in project["dependencies"]


def test_the_installed_pyvis_ships_the_bundle() -> None:
    path = find_vis_bundle()
    assert path is not None and path.parent.name == f"vis-{VIS_VERSION}"
    js = vis_network_js()
    assert f"@version {VIS_VERSION}" in js
    assert "sourceMappingURL" not in js and "</script" not in js.lower()


def test_every_asset_is_package_data() -> None:
    """A non-editable install ships only what package-data names."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["orggraph"]
    assets = sorted((ROOT / "orggraph" / "render" / "assets").iterdir())
    assert assets
    for path in assets:
        relative = path.relative_to(ROOT / "orggraph").as_posix()
        assert any(fnmatch.fnmatch(relative, g) for g in globs), relative


def _another_version(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "vis-network.min.js"
    path.write_text("/**\n * vis-network\n * @version 9.0.4\n */\nvar vis={};\n", encoding="utf-8")
    return path, f"pyvis 0.3.9 has vis-network 9.0.4 in {path}"


def _no_tag(tmp_path: Path) -> tuple[Path, str]:
    path = tmp_path / "vis-network.min.js"
    path.write_text("var vis={};\n", encoding="utf-8")
    return path, f"pyvis 0.3.9 has no vis-network version tag in {path}"


MISMATCHES = {
    "no pyvis": (None, lambda tmp: (None, "pyvis is not installed")),
    "pyvis without the file": (
        "0.2.1",
        lambda tmp: (
            None,
            "pyvis 0.2.1 is installed and ships no lib/vis-9.1.2/vis-network.min.js",
        ),
    ),
    "another vis version": ("0.3.9", _another_version),
    "no version tag": ("0.3.9", _no_tag),
}


@pytest.fixture(params=sorted(MISMATCHES))
def mismatch(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> str:
    """Make the installed pyvis one that does not fit; the message it must give."""
    version, make = MISMATCHES[request.param]
    path, problem = make(tmp_path)
    monkeypatch.setattr(_visbundle, "find_vis_bundle", lambda: path)
    monkeypatch.setattr(_visbundle, "installed_pyvis_version", lambda: version)
    return NEEDS.format(problem)


def test_a_mismatched_pyvis_is_a_clear_error(
    mismatch: str, acme_graph: nx.DiGraph, acme_report: Report
) -> None:
    with pytest.raises(OrgError) as caught:
        render_html(acme_graph, acme_report)
    assert str(caught.value) == mismatch


def test_the_view_command_exits_2_with_the_message(mismatch: str, tmp_path: Path) -> None:
    out = tmp_path / "acme.html"
    result = CliRunner().invoke(app, ["view", str(ACME), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {mismatch}\n"
    assert result.stdout == ""
    assert not out.exists()  # no page without its drawing

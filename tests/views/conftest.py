from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from playwright.sync_api import Page

from orggraph.analysis import analyze
from orggraph.analysis.report import Report

from ._orgs import acme, hostile
from ._page import CHROMIUM, CHROMIUM_FLAGS, READY, VIEWPORT, View


@pytest.fixture(scope="session")
def acme_graph() -> nx.DiGraph:
    return acme()


@pytest.fixture(scope="session")
def acme_report(acme_graph: nx.DiGraph) -> Report:
    return analyze(acme_graph)


@pytest.fixture(scope="session")
def hostile_graph() -> nx.DiGraph:
    return hostile()


@pytest.fixture(scope="session")
def hostile_report(hostile_graph: nx.DiGraph) -> Report:
    return analyze(hostile_graph)


# -- the browser: pytest-playwright's fixtures, pointed at Debian's chromium -------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if CHROMIUM is None:
        pytest.skip(
            "the browser tests drive Debian's chromium (apt-get install -y chromium) "
            "or the one ORGGRAPH_CHROMIUM names"
        )
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": VIEWPORT, "device_scale_factor": 1}


@pytest.fixture
def watched(page: Page) -> View:
    """Playwright's ``page`` (1366×768, no network) with what it does recorded."""
    return View.watch(page)


OpenView = Callable[..., View]


@pytest.fixture
def open_view(watched: View, tmp_path: Path) -> OpenView:
    """Write a generated page to a file and open it: ``open_view(html, name="view",
    ready=READY)``; waits until the page says it is ready (``ready=None``: the load event)."""

    def _open(page_html: str, name: str = "view", ready: str | None = READY) -> View:
        path = tmp_path / f"{name}.html"
        path.write_text(page_html, encoding="utf-8")
        return watched.open(path, ready=ready)

    return _open

from __future__ import annotations

from collections.abc import Iterator

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.analysis.report import Report

from ._browser import CHROMIUM, Browser
from ._orgs import acme, hostile


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(
            f"headless browser tests need Chromium at {CHROMIUM} "
            "(Debian: apt-get install -y chromium)"
        )
    chromium = Browser(CHROMIUM)
    try:
        yield chromium
    finally:
        chromium.close()

"""The progress line: on a terminal for large inputs only, never in pipes."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orggraph import cli
from orggraph.analysis import analyze
from orggraph.commands import _common
from orggraph.graph import build_graph
from orggraph.model import load

EXAMPLE = Path(__file__).parents[2] / "examples" / "retailer.yaml"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_sees_each_step(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    monkeypatch.setattr(_common, "PROGRESS_MIN_BYTES", 0)
    monkeypatch.delenv("TERM", raising=False)
    with _common.progress(EXAMPLE) as step:
        step("failure impact")
    assert "retailer.yaml: failure impact" in terminal.getvalue()


def test_small_inputs_and_pipes_stay_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with _common.progress(EXAMPLE) as step:  # the example is far below the size limit
        step("failure impact")
    assert terminal.getvalue() == ""
    monkeypatch.setattr(_common, "PROGRESS_MIN_BYTES", 0)
    result = CliRunner().invoke(cli.app, ["analyze", str(EXAMPLE), "-f", "json"])
    assert result.exit_code == 0
    assert result.stderr == ""  # not a terminal: nothing but the report


def test_analyze_names_its_steps() -> None:
    steps: list[str] = []
    analyze(build_graph(load(EXAMPLE)), progress=steps.append)
    assert steps[0] == "reading the graph"
    assert {"betweenness", "failure impact", "service chains", "bottlenecks"} <= set(steps)


@pytest.mark.parametrize(
    ("module", "argv"),
    [
        ("analyze", ["analyze", "{org}", "-f", "json"]),
        ("validate", ["validate", "{org}"]),
        ("check", ["check", "{org}", "--no-cycles"]),
        ("diff", ["diff", "{org}", "{org}"]),
        ("impact", ["impact", "{org}", "technology"]),
        ("plot", ["plot", "{org}", "-o", "{tmp}/figure.png"]),
        ("survey", ["survey", "template", "{org}"]),
        ("export", ["export", "{org}", "-f", "mermaid"]),
    ],
)
def test_every_command_that_reads_an_org_names_its_steps(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, module: str, argv: list[str]
) -> None:
    # each command tells the progress line what it is doing, from loading on
    told: list[str] = []

    @contextmanager
    def recording(org: Path) -> Iterator[Callable[[str], None]]:
        yield told.append

    monkeypatch.setattr(f"orggraph.commands.{module}.progress", recording)
    args = [a.format(org=EXAMPLE, tmp=tmp_path) for a in argv]
    result = CliRunner().invoke(cli.app, args)
    assert result.exit_code in (0, 1), result.output
    assert any("loading" in step for step in told), told
    assert len(told) >= 2, told

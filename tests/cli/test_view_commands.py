"""view, plot and export on the command line: files written where asked, errors as exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from orggraph import cli
from orggraph.analysis import analyze
from orggraph.graph import build_graph
from orggraph.model import load
from orggraph.render.export import export_graph

from .conftest import GOOD

runner = CliRunner()


def run(*args: str | Path) -> Result:
    return runner.invoke(cli.app, [str(a) for a in args])


@pytest.mark.parametrize("command", ["view", "plot", "export"])
def test_help(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: orggraph {command}")


# -- view -----------------------------------------------------------------------------------------


def test_view_writes_org_html_here_by_default(
    good_org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run("view", good_org)
    assert result.exit_code == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "wrote org.html\n")
    page = (here / "org.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    assert "<title>Acme Retail</title>" in page


def test_view_options_reach_the_page(good_org: Path, tmp_path: Path) -> None:
    out = tmp_path / "focus.html"
    result = run(
        "view",
        good_org,
        "-o",
        out,
        "--focus",
        "desk",
        "--depth",
        "2",
        "--chain",
        "shoppers",
        "--title",
        "Desk & friends",
    )
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "neighbourhood of desk at depth 2" in page
    assert "Desk &amp; friends" in page


def test_view_to_stdout(good_org: Path) -> None:
    result = run("view", good_org, "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert "<html" in result.stdout.lower()
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "dsk"], "error: no party with id 'dsk'; did you mean 'desk'?\n"),
        (["--chain", "desk"], "error: 'desk' is a unit, not a customer: "),
        (["--collapse", "team"], "error: cannot collapse by 'team'"),
    ],
)
def test_view_usage_errors(good_org: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "view.html"
    result = run("view", good_org, "-o", out, *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert not out.exists()


def test_view_never_overwrites_the_input(good_org: Path) -> None:
    result = run("view", good_org, "-o", good_org)
    assert result.exit_code == 2
    assert result.stderr == f"error: refusing to overwrite the input file {good_org}\n"
    assert good_org.read_text(encoding="utf-8") == GOOD


# -- plot -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["graph", "critical", "utilization"])
def test_plot_png(good_org: Path, tmp_path: Path, kind: str) -> None:
    out = tmp_path / f"{kind}.png"
    result = run("plot", good_org, "--kind", kind, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"wrote {out}\n"
    assert out.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_plot_format_follows_the_suffix_and_is_repeatable(
    good_org: Path, tmp_path: Path, suffix: str, magic: bytes
) -> None:
    first, second = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    assert run("plot", good_org, "-o", first).exit_code == 0
    assert run("plot", good_org, "-o", second).exit_code == 0
    assert first.read_bytes().startswith(magic)
    assert first.read_bytes() == second.read_bytes()


def test_plot_unknown_suffix(good_org: Path, tmp_path: Path) -> None:
    result = run("plot", good_org, "-o", tmp_path / "figure.jpg")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot tell the figure format of '{tmp_path / 'figure.jpg'}': "
        "end the file name with .png, .svg or .pdf\n"
    )


def test_plot_too_big_is_a_usage_error(tmp_path: Path) -> None:
    units = "\n".join(f"  - {{id: u{i}}}" for i in range(450))
    path = tmp_path / "big.yaml"
    path.write_text(f"units:\n{units}\n", encoding="utf-8")
    result = run("plot", path, "-o", tmp_path / "big.png")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: the organization has 450 parties")
    assert not (tmp_path / "big.png").exists()


# -- export ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "mermaid", "dot"])
def test_export_formats(good_org: Path, fmt: str) -> None:
    result = run("export", good_org, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    G = build_graph(load(good_org))
    assert result.stdout == export_graph(G, analyze(G), fmt)


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("g.graphml", "graphml"),
        ("g.gexf", "gexf"),
        ("g.json", "json"),
        ("g.mmd", "mermaid"),
        ("g.gv", "dot"),
    ],
)
def test_export_format_from_the_suffix(good_org: Path, tmp_path: Path, name: str, fmt: str) -> None:
    out = tmp_path / name
    result = run("export", good_org, "-o", out)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8") == run("export", good_org, "-f", fmt).stdout
    if fmt == "json":
        assert {n["id"] for n in json.loads(out.read_text(encoding="utf-8"))["nodes"]} >= {
            "desk",
            "shoppers",
        }


def test_export_needs_a_format(good_org: Path, tmp_path: Path) -> None:
    for args in ([], ["-o", str(tmp_path / "graph.txt")]):
        result = run("export", good_org, *args)
        assert result.exit_code == 2
        assert result.stderr == (
            "error: choose an export format with --format: graphml, gexf, json, mermaid, dot\n"
        )


def test_view_open_hands_the_page_to_the_browser(
    good_org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    out = tmp_path / "page.html"
    result = run("view", good_org, "-o", out, "--open")
    assert result.exit_code == 0, result.output
    assert opened == [out.resolve().as_uri()]


def test_view_open_without_a_browser_is_only_a_note(
    good_org: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("webbrowser.open", lambda url: False)
    out = tmp_path / "page.html"
    result = run("view", good_org, "-o", out, "--open")
    assert result.exit_code == 0
    assert out.exists()
    assert "no web browser found" in result.stderr

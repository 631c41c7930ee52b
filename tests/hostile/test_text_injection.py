"""A file's text never changes what another program does with an output (issue 12, items 1-4):
Mermaid directives, markdown links and HTML on GitHub, bidirectional controls, YAML injected
through an import's header comment, CSV rows split inside a cell, matplotlib math, rich markup."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from orggraph.analysis import analyze
from orggraph.cli import app
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render.export import export_graph
from orggraph.render.markdown import md_escape

from ._payloads import BIDI, BIDI_CONTROLS, LINK_TAGS, MARKDOWN, MERMAID, gfm_html, html_text

HERE = Path(__file__).parent
# a folder whose node_modules holds mermaid and jsdom (.ci/run installs them there)
MERMAID_DIR = os.environ.get("ORGGRAPH_MERMAID_DIR", "")
NODE = shutil.which("node")


def hostile_org(names: list[str]) -> dict[str, Any]:
    """Units named by ``names`` (with the same text as description, tag, owner, service and note),
    all needed by one customer."""
    units = [
        {
            "id": f"u{i}",
            "name": name,
            "description": name,
            "owner": name,
            "tags": [name],
            "attributes": {"note": name},
        }
        for i, name in enumerate(names)
    ]
    deps = [{"supplier": f"u{i}", "service": name, "note": name} for i, name in enumerate(names)]
    return {
        "organization": {"name": names[0]},
        "units": units,
        "customers": [{"id": "c", "name": names[-1], "depends_on": deps}],
    }


def _mermaid_of(names: list[str]) -> str:
    G = build_graph(load_dict(hostile_org(names)))
    return export_graph(G, analyze(G), "mermaid")


# -- 1. Mermaid -------------------------------------------------------------------------------

_ENTITY = re.compile(r"#(\d+|[a-z]+);")
_NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&"}


def _label_text(label: str) -> str:
    return _ENTITY.sub(lambda m: chr(int(m[1])) if m[1].isdigit() else _NAMED[m[1]], label)


def test_mermaid_labels_hold_no_character_mermaid_reads() -> None:
    text = _mermaid_of(MERMAID)
    labels = re.findall(r'\["(.*)"\]|\(\["(.*)"\]\)|\|"(.*)"\|', text)
    assert len(labels) == len(MERMAID) + 1
    for groups in labels:
        label = next(g for g in groups if g)
        assert not set(label) & set('%{}"`|<>\\'), label
    assert "%%" not in text  # no comment, no directive
    shown = [_label_text(next(g for g in groups if g)) for groups in labels]
    assert set(MERMAID) <= set(shown)


def _mermaid_parse(text: str) -> dict[str, Any]:
    done = subprocess.run(
        # --eval, so that imports resolve from MERMAID_DIR, where node_modules is
        [str(NODE), "--input-type=module", "--eval", (HERE / "mermaid_parse.mjs").read_text()],
        input=text,
        capture_output=True,
        text=True,
        cwd=MERMAID_DIR,
        timeout=120,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.skipif(
    NODE is None or not (Path(MERMAID_DIR) / "node_modules" / "mermaid").is_dir(),
    reason="node with mermaid and jsdom (ORGGRAPH_MERMAID_DIR) is not installed",
)
def test_mermaid_parses_every_name_as_written() -> None:
    # the check the parser is strict enough: an unescaped directive changes the theme
    raw = "flowchart LR\n    n0[\"a %%{init: {'theme': 'dark'}}%% b\"]\n"
    assert _mermaid_parse(raw)["theme"] == "dark"
    result = _mermaid_parse(_mermaid_of(MERMAID))
    assert result["ok"], result
    assert result["theme"] == "default"
    # mermaid keeps entities encoded until it draws: ﬂ°°37¶ß is #37;
    decoded = {
        k: re.sub(
            r"ﬂ°°?(\w+)¶ß",
            lambda m: chr(int(m[1])) if m[1].isdigit() else _NAMED[m[1]],
            v,
        )
        for k, v in result["vertices"].items()
    }
    assert set(MERMAID) <= set(decoded.values())
    assert len(result["edges"]) == len(MERMAID)


# -- 2. markdown and bidirectional controls -----------------------------------------------------


@pytest.mark.parametrize("payload", MARKDOWN + BIDI)
def test_md_escape_is_inert_on_github(payload: str) -> None:
    rendered = gfm_html(f"| {md_escape(payload)} |\n|---|\n| x |\n")
    assert not LINK_TAGS.search(rendered), rendered
    assert "raw HTML" not in rendered
    assert rendered.count("<th>") == 1
    expected = payload
    for ch in BIDI_CONTROLS:
        expected = expected.replace(ch, f"\\u{ord(ch):04x}")
    header = re.search(r"<th>(.*)</th>", rendered, re.DOTALL)
    assert header is not None
    assert html_text(header[1]) == expected


def _markdown_outputs(tmp_path: Path, names: list[str]) -> list[str]:
    old = tmp_path / "old.yaml"
    new = tmp_path / "new.yaml"
    plain = hostile_org([f"n{i}" for i in range(len(names))])
    old.write_text(yaml.safe_dump(plain), encoding="utf-8")
    new.write_text(yaml.safe_dump(hostile_org(names), allow_unicode=True), encoding="utf-8")
    out = []
    for args in (
        ["analyze", str(new), "-f", "markdown"],
        ["diff", str(old), str(new), "-f", "markdown"],
    ):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        out.append(result.stdout)
    return out


def test_markdown_outputs_are_inert_on_github(tmp_path: Path) -> None:
    analyzed, diffed = _markdown_outputs(tmp_path, MARKDOWN + BIDI)
    for text in (analyzed, diffed):
        rendered = gfm_html(text)
        assert not re.search(r"<a\b|<img|<script", rendered), rendered
        assert "raw HTML" not in rendered
        assert not any(ch in text for ch in BIDI_CONTROLS)
    seen = html_text(gfm_html(diffed))
    for payload in MARKDOWN:  # every field's change is shown, as written
        assert payload in seen, payload
    assert "\\u202eexe.txt" in seen


def test_text_output_shows_bidi_controls_as_escapes(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text(yaml.safe_dump(hostile_org(BIDI), allow_unicode=True), encoding="utf-8")
    for args in (["analyze", str(org)], ["impact", str(org), "u0"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0, result.output
        assert not any(ch in result.stdout for ch in BIDI_CONTROLS)
    result = CliRunner().invoke(app, ["analyze", str(org)])
    assert "\\u202eexe.txt" in result.stdout


# -- 3. import ----------------------------------------------------------------------------------


@pytest.mark.parametrize("brk", ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"])
def test_import_header_keeps_the_file_name_on_its_comment_line(tmp_path: Path, brk: str) -> None:
    name = f"edges{brk}organization: {{name: X}}{brk}include: [x.yaml]{brk}.csv"
    try:
        source = tmp_path / name
        source.write_text("consumer,supplier\nshop,desk\n", encoding="utf-8")
    except (OSError, ValueError):
        pytest.skip("this file system refuses the name")
    out = tmp_path / "org.yaml"
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    header = text.split("version: 1")[0]
    assert all(line.startswith("#") for line in header.splitlines() if line)
    assert "include" not in yaml.safe_load(text)
    assert "organization" not in yaml.safe_load(text)
    assert len(header.splitlines()) == 3


@pytest.mark.parametrize(
    "sep", ["\u2028", "\u2029", "\x0c", "\x0b", "\x85", "\x1c", "\x1d", "\x1e"]
)
def test_csv_rows_end_at_real_line_ends_only(tmp_path: Path, sep: str) -> None:
    source = tmp_path / "edges.csv"
    # split at sep, the row would add a dependency of shop on evil; read whole, evil is a note
    source.write_text(
        f"consumer,supplier,service,note\nshop,desk,a{sep}shop,evil\n", encoding="utf-8"
    )
    out = tmp_path / "org.yaml"
    result = CliRunner().invoke(app, ["import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    org = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [u["id"] for u in org["units"]] == ["shop", "desk"]
    assert org["units"][0]["depends_on"] == [
        {"supplier": "desk", "service": f"a{sep}shop", "note": "evil"}
    ]


# -- 4. plot and progress -----------------------------------------------------------------------


def test_plots_draw_names_literally() -> None:
    from matplotlib.text import Text

    from orggraph.render.plot import plot_critical, plot_graph, plot_utilization

    data = hostile_org(["Pay $10 and $20", r"$\frac{1}{2}$"])
    data["units"][0]["capacity"] = 1
    data["customers"][0]["depends_on"][0]["volume"] = 2
    G = build_graph(load_dict(data))
    report = analyze(G)
    for figure in (plot_graph(G, report), plot_critical(report), plot_utilization(report)):
        texts = [t for t in figure.findobj(Text) if "$" in t.get_text()]
        assert texts
        for t in texts:
            shown, is_math = t._preprocess_math(t.get_text())  # type: ignore[attr-defined]
            assert not is_math and shown == t.get_text(), t.get_text()


def test_progress_shows_a_file_name_as_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from contextlib import nullcontext

    from rich.console import Console, RenderableType

    from orggraph.commands import _common

    org = tmp_path / "[bold red]x[blink] :smile:.yaml"
    org.write_text("units: []\n", encoding="utf-8")
    shown: list[RenderableType] = []

    class Status:
        def update(self, status: RenderableType) -> None:
            shown.append(status)

    def status(self: Console, status: RenderableType, **_: object) -> object:
        shown.append(status)
        return nullcontext(Status())

    monkeypatch.setattr(_common, "PROGRESS_MIN_BYTES", 0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.setattr(Console, "status", status)
    with _common.progress(org) as step:
        step("loading")
    console = Console(record=True, width=200, force_terminal=False)
    for renderable in shown:
        console.print(renderable)
    assert console.export_text().splitlines() == [
        "[bold red]x[blink] :smile:.yaml: starting",
        "[bold red]x[blink] :smile:.yaml: loading",
    ]

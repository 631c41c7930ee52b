"""Hostile and broken input, generated: the only outcomes are a result or a located error.

Random bytes, mutated versions of the example files (lines dropped, doubled, swapped,
re-indented, cut short, YAML 1.1 traps, tags, anchors, bad UTF-8), random valid organizations, and
the command line on mutated files. Set ``ORGGRAPH_FUZZ=long`` for a run twenty times larger.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from orggraph.analysis import analyze
from orggraph.cli import app
from orggraph.errors import OrgError, OrgValidationError
from orggraph.generate import dump_org, generate_org
from orggraph.graph import build_graph
from orggraph.model import load_dict, load_text
from orggraph.render.export import export_graph
from orggraph.render.html import render_html
from orggraph.render.json import render_json
from orggraph.render.markdown import render_markdown
from orggraph.render.text import render_text

LONG = os.environ.get("ORGGRAPH_FUZZ") == "long"
EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
TEXTS = [p.read_text(encoding="utf-8") for p in EXAMPLES]
FUZZ = settings(
    max_examples=2000 if LONG else 100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TRAPS = [
    "no",
    "yes",
    "on",
    "off",
    "~",
    "null",
    "1e3",
    "0o17",
    "0x1F",
    "017",
    "1_000",
    "2024-01-01",
    "12:30",
    ".inf",
    "-.nan",
    "!!python/object:os.system",
    "!!binary aGk=",
    "&a x",
    "*a",
    "*nope",
    "<<: *a",
    "[",
    "{",
    "}",
    "'",
    '"',
    "\t",
    "- ",
    ": ",
    "? ",
    "|",
    ">",
    "%YAML 1.1",
    "---",
    "...",
]


def assert_located(error: OrgValidationError) -> None:
    text = error.render()
    assert "Traceback" not in text
    assert error.problems
    for problem in error.problems:
        assert problem.message
        if problem.location is not None:
            assert problem.location.line >= 1 and problem.location.col >= 1


def load_or_locate(text: str, name: str = "fuzz.yaml") -> None:
    try:
        load_text(text, name)
    except OrgValidationError as error:
        assert_located(error)
    except OrgError as error:  # a usage problem, such as include: in text
        assert str(error)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(TEXTS)).splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "double", "swap", "indent", "dedent", "trap", "cut"]))
        if op == "drop":
            del lines[i]
        elif op == "double":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        elif op == "trap":
            line = lines[i].rstrip("\n")
            head = line.split(":", 1)[0] + ": " if ":" in line else line + " "
            lines[i] = head + draw(st.sampled_from(TRAPS)) + "\n"
        else:
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
    return "".join(lines)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(raw: bytes) -> None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return
    load_or_locate(text)


@FUZZ
@given(st.text(max_size=300))
def test_random_text(text: str) -> None:
    load_or_locate(text)


@FUZZ
@given(mutated())
def test_mutated_examples(text: str) -> None:
    load_or_locate(text, "mutated.yaml")


@FUZZ
@given(mutated(), st.sampled_from([b"\xff", b"\xc3(", b"\x00", b"\xef\xbb\xbf"]))
def test_bad_bytes_in_a_file(text: str, junk: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "org.yaml"
        data = text.encode("utf-8")
        cut = len(data) // 2
        path.write_bytes(data[:cut] + junk + data[cut:])
        result = CliRunner().invoke(app, ["validate", str(path)])
        assert result.exit_code in (0, 2), result.output
        assert "Traceback" not in result.output


@settings(max_examples=30 if LONG else 6, deadline=None)
@given(st.integers(20, 400), st.integers(0, 10**6))
def test_random_valid_orgs_go_through_everything(units: int, seed: int) -> None:
    data = generate_org(max(units, 10), seed=seed)
    G = build_graph(load_dict(data))
    report = analyze(G)
    assert render_text(report)
    assert render_json(report)
    assert render_markdown(report)
    for fmt in ("graphml", "gexf", "json", "mermaid", "dot"):
        assert export_graph(G, report, fmt)
    if G.number_of_nodes() <= 2000:
        assert "<!DOCTYPE html>" in render_html(G, report)
    # the YAML dump of the same data reads back to the same organization
    assert load_text(dump_org(data), "same.yaml") == load_dict(data)


@settings(max_examples=200 if LONG else 25, deadline=None)
@given(mutated(), st.sampled_from(["analyze", "validate", "view", "export", "check"]))
def test_cli_on_mutated_files_keeps_old_output(text: str, command: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        org = Path(folder) / "org.yaml"
        org.write_text(text, encoding="utf-8")
        out = Path(folder) / "out.txt"
        out.write_bytes(b"previous result\n")
        args = {
            "analyze": ["analyze", str(org), "-o", str(out)],
            "validate": ["validate", str(org)],
            "view": ["view", str(org), "-o", str(out)],
            "export": ["export", str(org), "--format", "dot", "-o", str(out)],
            "check": ["check", str(org), "--no-cycles"],
        }[command]
        result = CliRunner().invoke(app, args)
        allowed = (0, 1, 2) if command == "check" else (0, 2)
        assert result.exit_code in allowed, (result.exit_code, result.output)
        assert "Traceback" not in result.output
        if result.exit_code == 2:
            assert out.read_bytes() == b"previous result\n"
            assert result.stderr.strip()


BOMBS = {
    "billion laughs": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8)
    ),
    "deep nesting": "units: " + "[" * 5000 + "]" * 5000 + "\n",
    "long scalar": "units: [{id: a, name: " + "x" * 10_000_000 + "}]\n",
    "wide flow list": "units: [" + ", ".join(f"{{id: u{i}}}" for i in range(100_000)) + "]\n",
}


def test_bombs_end_quickly_in_bounded_memory(tmp_path: Path) -> None:
    for name, text in BOMBS.items():
        path = tmp_path / "bomb.yaml"
        path.write_text(text, encoding="utf-8")
        code = (
            "import resource, sys\n"
            "from orggraph.cli import main\n"
            "sys.argv = ['orggraph', 'validate', sys.argv[1]]\n"
            "try:\n    main()\n"
            "except SystemExit as e:\n"
            "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "    print('PEAK', peak, file=sys.stderr)\n    raise\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode in (0, 2), (name, done.stderr[-500:])
        assert "Traceback" not in done.stderr, name
        peak_kb = int(done.stderr.rsplit("PEAK", 1)[1].split()[0])
        assert peak_kb < 1_500_000, (name, peak_kb)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss > 0

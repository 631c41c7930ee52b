"""The command line on damaged files, folders and include graphs: exit 0 or 2 (1 also for
``check``), a message and never a traceback, and a run that fails leaves an existing output
file byte for byte as it was. A few runs go through the installed ``orggraph`` command.
``ORGGRAPH_FUZZ=long`` runs twenty times more examples (see ``_fuzz.py``).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from orggraph.cli import app
from orggraph.errors import OrgValidationError
from orggraph.model import load

from ._fuzz import SEEDS, assert_located, examples, mutated, time_budget

PREVIOUS = b"the previous result\n"


def commands(org: Path, out: Path, other: Path) -> dict[str, list[str]]:
    """Every command that reads an organization, writing to ``out`` where it can."""
    o = ["-o", str(out)]
    return {
        "validate": ["validate", str(org)],
        "analyze": ["analyze", str(org), *o],
        "analyze-json": ["analyze", str(org), "-f", "json", *o],
        "analyze-markdown": ["analyze", str(org), "-f", "markdown", *o],
        "impact": ["impact", str(org), "it-desk", "stores", *o],
        "view": ["view", str(org), *o],
        "export": ["export", str(org), "--format", "graphml", *o],
        "export-mermaid": ["export", str(org), "--format", "mermaid", *o],
        "diff": ["diff", str(other), str(org), *o],
        "check": ["check", str(org), "--no-cycles", "--max-utilization", "1"],
    }


def run_cli(args: list[str], out: Path | None) -> int:
    with time_budget(60):
        result = CliRunner().invoke(app, args)
    allowed = (0, 1, 2) if args[0] == "check" else (0, 2)
    assert result.exit_code in allowed, (args, result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stderr.strip()
        assert "Traceback" not in result.stderr
        if out is not None:
            assert out.read_bytes() == PREVIOUS, "a failed run touched the output file"
    elif out is not None and result.exit_code == 0:
        assert out.read_bytes() != PREVIOUS
    if out is not None:  # no temporary file left behind, whatever happened
        assert sorted(p.name for p in out.parent.glob(f".{out.name}.*")) == []
    return result.exit_code


@examples(0.5)
@given(mutated(), st.sampled_from(sorted(commands(Path(), Path(), Path()))))
def test_every_command_on_damaged_files(document: tuple[str, str], command: str) -> None:
    name, text = document
    with tempfile.TemporaryDirectory() as folder:
        org = Path(folder) / name
        org.write_text(text, encoding="utf-8")
        other = Path(folder) / "before.yaml"
        other.write_text("units: [{id: it-desk}]\n", encoding="utf-8")
        suffix = {"view": ".html", "export": ".graphml"}.get(command, ".txt")
        out = Path(folder) / f"out{suffix}"
        out.write_bytes(PREVIOUS)
        args = commands(org, out, other)[command]
        run_cli(args, out if "-o" in args else None)


@examples(0.05)
@given(mutated())
def test_plot_on_damaged_files(document: tuple[str, str]) -> None:
    name, text = document
    with tempfile.TemporaryDirectory() as folder:
        org = Path(folder) / name
        org.write_text(text, encoding="utf-8")
        out = Path(folder) / "figure.svg"
        out.write_bytes(PREVIOUS)
        run_cli(["plot", str(org), "-o", str(out)], out)


@st.composite
def include_trees(draw: st.DrawFn) -> dict[str, str]:
    """A few org files that include each other at random: cycles, missing files, folders,
    paths out of the folder, the same file twice, ids defined twice or nowhere."""
    names = [f"part{i}.yaml" for i in range(draw(st.integers(1, 5)))]
    targets = [*names, "missing.yaml", "sub/", "sub/deep.yaml", "../outside.yaml", "/etc/x.yaml"]
    files: dict[str, str] = {}
    for i, name in enumerate([*names, "sub/deep.yaml"]):
        includes = draw(st.lists(st.sampled_from(targets), max_size=3))
        unit = draw(st.sampled_from([f"u{i}", "u0", "shared"]))
        supplier = draw(st.sampled_from(["u0", "u1", "nowhere", unit]))
        lines = [f"include: [{', '.join(includes)}]"] if includes else []
        lines += ["units:", f"  - id: {unit}", f"    depends_on: [{supplier}]"]
        if draw(st.booleans()):
            lines += [f"organization: {{name: part {i}}}"]
        if draw(st.booleans()):
            lines += ["customers:", f"  - id: c{i}", f"    depends_on: [{unit}]"]
        files[name] = "\n".join(lines) + "\n"
    return files


@examples(0.4)
@given(include_trees(), st.booleans())
def test_include_graphs(files: dict[str, str], whole_folder: bool) -> None:
    with tempfile.TemporaryDirectory() as top:
        root = Path(top) / "org"
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (Path(top) / "outside.yaml").write_text("units: [{id: far}]\n", encoding="utf-8")
        target = root if whole_folder else root / "part0.yaml"
        with time_budget(20):
            try:
                load(target)
            except OrgValidationError as error:
                assert error.problems
                for problem in error.problems:
                    assert problem.location is not None, problem
                    shown = Path(problem.location.file)
                    file = shown if shown.is_absolute() else Path.cwd() / shown
                    assert file.is_file(), problem
                    assert_located(
                        OrgValidationError([problem]),
                        problem.location.file,
                        file.read_text(encoding="utf-8"),
                    )
        out = Path(top) / "report.txt"
        out.write_bytes(PREVIOUS)
        run_cli(["analyze", str(target), "-o", str(out)], out)


INSTALLED = shutil.which("orggraph")


@pytest.mark.skipif(INSTALLED is None, reason="the orggraph command is not installed")
@pytest.mark.parametrize("seed", range(3))
def test_the_installed_command_on_damaged_files(seed: int, tmp_path: Path) -> None:
    assert INSTALLED is not None
    name, text = _fixed_damage(seed)
    org = tmp_path / name
    org.write_text(text, encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_bytes(PREVIOUS)
    for args in (["validate", str(org)], ["analyze", str(org), "-o", str(out)]):
        done = subprocess.run(
            [INSTALLED, *args], capture_output=True, text=True, timeout=120, check=False
        )
        assert done.returncode in (0, 2), done.stderr
        assert "Traceback" not in done.stderr
        if done.returncode == 2:
            assert done.stderr.strip()
            assert out.read_bytes() == PREVIOUS


def _fixed_damage(seed: int) -> tuple[str, str]:
    """Three damaged files, the same every run: a YAML 1.1 trap, a cut, a bad indentation."""
    name, text = SEEDS[0]
    lines = text.splitlines(keepends=True)
    if seed == 0:
        lines[len(lines) // 2] = "  - id: no\n"
    elif seed == 1:
        lines = lines[: len(lines) // 3]
        lines[-1] = lines[-1][: len(lines[-1]) // 2]
    else:
        lines.insert(len(lines) // 4, "   \tparent: [\n")
    return name, "".join(lines)

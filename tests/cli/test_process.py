"""The installed ``orggraph`` command and ``python -m orggraph`` as real processes: exit codes,
streams, pipes closed early, terminals, and what gets imported."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import GOOD

ORGGRAPH = shutil.which("orggraph")
needs_command = pytest.mark.skipif(
    ORGGRAPH is None, reason="the orggraph command is not installed (pip install -e .)"
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _env(**extra: str) -> dict[str, str]:
    dropped = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "PYTHONUNBUFFERED")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({k: v for k, v in extra.items() if v})
    return env


def orggraph(*args: str | Path, **env: str) -> subprocess.CompletedProcess[str]:
    assert ORGGRAPH is not None
    return subprocess.run(
        [ORGGRAPH, *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(**env),
        check=False,
        timeout=120,
    )


def module(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orggraph", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        check=False,
        timeout=120,
    )


@needs_command
def test_version_from_both_entry_points() -> None:
    for result in (orggraph("--version"), module("--version")):
        assert (result.returncode, result.stdout, result.stderr) == (0, "orggraph 0.1.0\n", "")


@needs_command
@pytest.mark.parametrize(
    "command", ["", "analyze", "validate", "impact", "view", "plot", "export", "schema"]
)
def test_help(command: str) -> None:
    result = orggraph(*command.split(), "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: orggraph")
    assert result.stderr == ""


def test_python_m_uses_the_command_name() -> None:
    assert module("analyze", "--help").stdout.startswith("Usage: orggraph analyze")


@needs_command
def test_streams_and_exit_codes(good_org: Path, bad_org: Path) -> None:
    ok = orggraph("analyze", good_org)
    assert (ok.returncode, ok.stderr) == (0, "")
    assert "cloud → platform → desk → online" in ok.stdout
    assert "\x1b" not in ok.stdout

    valid = orggraph("validate", good_org)
    assert valid.returncode == 0
    assert valid.stdout.startswith(f"ok: {good_org}: 4 units")
    assert valid.stderr.startswith("warning: ")

    bad = orggraph("validate", bad_org)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr.endswith("2 errors found\n")
    assert "Traceback" not in bad.stderr

    missing = orggraph("analyze", good_org.parent / "missing.yaml")
    assert missing.returncode == 2
    assert missing.stderr.startswith("error: cannot read ")

    unknown = orggraph("impact", good_org, "dsk")
    assert (unknown.returncode, unknown.stderr) == (
        2,
        "error: unknown party 'dsk'; did you mean 'desk'?\n",
    )

    usage = orggraph("analyze", good_org, "--top", "lots")
    assert usage.returncode == 2
    assert "Traceback" not in usage.stderr


@needs_command
def test_output_is_atomic_and_spares_the_input(good_org: Path, bad_org: Path) -> None:
    out = good_org.parent / "report.json"
    assert orggraph("analyze", good_org, "-f", "json", "-o", out).returncode == 0
    written = out.read_text(encoding="utf-8")
    assert orggraph("analyze", good_org, "-f", "json").stdout == written

    failed = orggraph("analyze", bad_org, "-f", "json", "-o", out)
    assert failed.returncode == 2
    assert out.read_text(encoding="utf-8") == written

    refused = orggraph("analyze", good_org, "-o", good_org)
    assert refused.returncode == 2
    assert refused.stderr == f"error: refusing to overwrite the input file {good_org}\n"
    assert good_org.read_text(encoding="utf-8") == GOOD
    assert sorted(p.name for p in good_org.parent.iterdir()) == [
        "bad.yaml",
        "org.yaml",
        "report.json",
    ]


EXIT_CHILD = """\
import atexit, sys
from orggraph.cli import {entry}
atexit.register(lambda: sys.stderr.write("exit handler ran\\n"))
sys.argv = ["orggraph", *sys.argv[1:]]
{entry}()
"""


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_the_quick_exit_keeps_output_exit_codes_and_exit_handlers(
    good_org: Path, bad_org: Path, unbuffered: str
) -> None:
    """``run`` ends the process without the interpreter's teardown: nothing may be lost by that.
    The same child through ``main`` (the ordinary exit) is the reference."""

    def child(entry: str, *args: str | Path) -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-c", EXIT_CHILD.format(entry=entry), *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=_env(PYTHONUNBUFFERED=unbuffered),
            check=False,
            timeout=120,
        )
        return done.returncode, done.stdout, done.stderr

    for args in (
        ("analyze", good_org, "-f", "json"),
        ("analyze", good_org),
        ("validate", bad_org),
        ("analyze", good_org, "--top", "lots"),
        ("--version",),
    ):
        quick = child("run", *args)
        assert quick == child("main", *args)
        assert quick[2].endswith("exit handler ran\n")
    code, out, _ = child("run", "analyze", good_org, "-f", "json")
    assert code == 0 and out.startswith("{") and out.endswith("}\n")


@needs_command
@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_closed_pipe_is_not_an_error(tmp_path: Path, unbuffered: str) -> None:
    """``orggraph analyze big.yaml -f json | head -1``: no traceback when head stops reading."""
    units = "\n".join(
        f"  - {{id: u{i:04}, depends_on: [u{i - 1:04}]}}" if i else "  - {id: u0000}"
        for i in range(600)
    )
    customers = "\n".join(f"  - {{id: c{i:03}, depends_on: [u0599]}}" for i in range(60))
    path = tmp_path / "big.yaml"
    path.write_text(f"units:\n{units}\ncustomers:\n{customers}\n", encoding="utf-8")
    assert ORGGRAPH is not None
    process = subprocess.Popen(
        [ORGGRAPH, "analyze", str(path), "-f", "json", "--list-limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(PYTHONUNBUFFERED=unbuffered),
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline() == b"{\n"
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 141
    assert stderr == ""


@needs_command
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("no_color", [False, True])
def test_colour_only_on_a_terminal_without_no_color(good_org: Path, no_color: bool) -> None:
    import pty

    master, slave = pty.openpty()
    env = _env(COLUMNS="120", TERM="xterm-256color")
    if no_color:
        env["NO_COLOR"] = "1"
    assert ORGGRAPH is not None
    process = subprocess.Popen(
        [ORGGRAPH, "analyze", str(good_org)], stdout=slave, stderr=subprocess.DEVNULL, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.wait(timeout=120) == 0
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    assert bool(ANSI.search(text)) is not no_color
    plain = ANSI.sub("", text)
    assert plain.splitlines()[0] == "Acme Retail — per week"
    # the shoppers chain fits on one line at 120 columns (it wraps at 100)
    assert "cloud → platform → desk → stores → shoppers" in plain
    assert max(len(line) for line in plain.splitlines()) <= 120


def _imported(*args: str) -> set[str]:
    """The top-level modules (and orggraph's own) that ``python -m orggraph ARGS`` imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "orggraph", *args],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
        timeout=120,
    )
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            names.add(name if name.startswith("orggraph") else name.split(".")[0])
    return names


def test_version_imports_nothing_heavy() -> None:
    imported = _imported("--version")
    assert "orggraph.cli" in imported
    heavy = {"networkx", "pydantic", "yaml", "rich", "matplotlib", "pyvis", "orggraph.analysis"}
    assert imported & heavy == set()


def test_validate_does_not_import_the_renderers(good_org: Path) -> None:
    imported = _imported("validate", str(good_org))
    assert {"networkx", "orggraph.model"} <= imported
    assert imported & {"rich", "matplotlib", "pyvis", "orggraph.render.text"} == set()

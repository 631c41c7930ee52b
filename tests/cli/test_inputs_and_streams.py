"""Inputs that are not plain files of a sane size, and outputs that cannot be written (issue 12,
items 10, 13, 14, 15 and 22): each ends in a message and exit 2, never a hang or a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import orggraph.model.yamlsource as yamlsource
from orggraph.cli import app
from orggraph.errors import OrgValidationError, UsageError
from orggraph.io import write_atomic
from orggraph.model import load_sources
from orggraph.model.files import read_input
from orggraph.model.include import MAX_INCLUDE_DEPTH

runner = CliRunner()
ORG = "units: [{id: a}, {id: b, depends_on: [a]}]\ncustomers: [{id: c, depends_on: [b]}]\n"


def _cli(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orggraph", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=cwd,
    )


# -- 10: at most the limit is read ---------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_before_reading(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    result = runner.invoke(app, ["validate", device])
    assert result.exit_code == 2
    assert f"cannot read {device}: it is not a regular file" in result.stderr


def test_a_named_pipe_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "org.yaml"
    os.mkfifo(fifo)
    done = _cli("validate", str(fifo))  # the timeout fails the test if it waits for a writer
    assert done.returncode == 2
    assert "it is not a regular file (a named pipe, device or socket)" in done.stderr


def test_a_link_to_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "org.yaml"
    link.symlink_to("/dev/zero")
    with pytest.raises(UsageError, match="not a regular file"):
        load_sources(link)


def test_no_more_than_the_limit_is_read_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 100)
    read: list[int] = []

    class Stream:
        def read(self, n: int) -> bytes:
            read.append(n)
            return b"#" * n

    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": Stream()})())
    with pytest.raises(OrgValidationError) as info:
        load_sources("-")
    assert read == [101]
    (problem,) = info.value.problems
    assert str(problem.location) == "<stdin>:1:1"
    assert problem.message == "file is over 0 MiB; the limit is 0 MiB"


def test_the_limit_applies_to_included_files_the_policy_and_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "main.yaml").write_text("include: [big.yaml]\nunits: [{id: a}]\n")
    (tmp_path / "big.yaml").write_text("units: [{id: b}]\n" + "#" * 3 * 2**20)
    (tmp_path / "policy.yaml").write_text("max_impact_weight: 1\n" + "#" * 3 * 2**20)
    (tmp_path / "edges.csv").write_text("consumer,supplier\nb,a\n" + "#" * 3 * 2**20)
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 2 * 2**20)
    with pytest.raises(OrgValidationError) as info:
        load_sources(tmp_path / "main.yaml")
    assert [p.message for p in info.value.problems] == ["file is 3 MiB; the limit is 2 MiB"]
    assert info.value.problems[0].location.file == str(tmp_path / "big.yaml")
    (tmp_path / "org.yaml").write_text(ORG)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["check", "org.yaml", "--policy", "policy.yaml"])
    assert result.exit_code == 2
    assert "policy.yaml:1:1: file is 3 MiB; the limit is 2 MiB" in result.stderr
    result = runner.invoke(app, ["import", "edges.csv", "-o", "-"])
    assert result.exit_code == 2
    assert "edges.csv:1:1: file is 3 MiB; the limit is 2 MiB" in result.stderr


def test_a_file_that_grows_while_read_stops_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "org.yaml"
    path.write_bytes(b"#" * 50)
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 100)
    real_fstat = os.fstat
    monkeypatch.setattr(os, "fstat", lambda fd: real_fstat(fd))
    assert read_input(path) == b"#" * 50
    path.write_bytes(b"#" * 101)
    with pytest.raises(yamlsource.YamlTrouble, match="file is 0 MiB; the limit is 0 MiB"):
        read_input(path)


# -- 22: '-' reads stdin -------------------------------------------------------------------------


def test_stdin_as_the_org_of_validate_analyze_and_diff(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    assert _cli("validate", "-", stdin=ORG).returncode == 0
    done = _cli("analyze", "-", "-f", "json", stdin=ORG)
    assert done.returncode == 0, done.stderr
    changed = ORG.replace("{id: a}", "{id: a, capacity: 5}")
    done = _cli("diff", "-", "org.yaml", stdin=changed, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "capacity" in done.stdout


def test_stdin_problems_are_named_stdin_and_include_is_refused() -> None:
    done = _cli("validate", "-", stdin="units: [{id: a, depends_on: [x]}]\n")
    assert done.returncode == 2
    assert done.stderr.startswith("<stdin>:1:30: units[0](a).depends_on[0]: unknown supplier 'x'")
    done = _cli("validate", "-", stdin="include: [a.yaml]\n")
    assert done.returncode == 2
    assert (
        "<stdin>:1:1: include: text read without a file cannot include other files" in done.stderr
    )


def test_stdin_twice_in_diff_is_refused() -> None:
    done = _cli("diff", "-", "-", stdin=ORG)
    assert done.returncode == 2
    assert "standard input can be read once" in done.stderr


# -- 14: paths that cannot be files --------------------------------------------------------------


def test_hostile_include_paths_are_located(tmp_path: Path) -> None:
    long_name = "z" * 300 + ".yaml"
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "main.yaml").write_text(
        f'include: ["x\\0y.yaml", {long_name}, loop.yaml]\nunits: [{{id: a}}]\n'
    )
    with pytest.raises(OrgValidationError) as info:
        load_sources(tmp_path / "main.yaml")
    messages = [(p.location.line, p.where, p.message) for p in info.value.problems]
    assert [m[:2] for m in messages] == [(1, "include[0]"), (1, "include[1]"), (1, "include[2]")]
    assert messages[0][2] == "cannot read 'x\\x00y.yaml': the path contains a NUL byte"
    assert messages[1][2].endswith("the path, or a name in it, is too long for the file system")
    assert messages[2][2] == "cannot read 'loop.yaml': the path is a loop of symbolic links"


def test_a_long_include_chain_is_a_message_not_a_recursion_error(tmp_path: Path) -> None:
    n = 600  # past Python's recursion limit once each level costs a few frames
    for i in range(n):
        (tmp_path / f"f{i}.yaml").write_text(f"include: [f{i + 1}.yaml]\nunits: [{{id: u{i}}}]\n")
    (tmp_path / f"f{n}.yaml").write_text("units: [{id: last}]\n")
    with pytest.raises(OrgValidationError) as info:
        load_sources(tmp_path / "f0.yaml")
    (problem,) = info.value.problems
    assert problem.location.file == str(tmp_path / f"f{MAX_INCLUDE_DEPTH}.yaml")
    assert problem.message == f"includes nest deeper than {MAX_INCLUDE_DEPTH} files"


def test_an_unreadable_subfolder_is_reported_not_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the tests may run as root, who can list any folder: the refusal is simulated where the
    # walk lists a folder (os.scandir), as a chmod 000 folder gives it to other users
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "a.yaml").write_text("units: [{id: a}]\n")
    (tmp_path / "org" / "locked").mkdir()
    (tmp_path / "org" / "locked" / "b.yaml").write_text("units: [{id: a}]\n")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(OrgValidationError) as info:
        load_sources(tmp_path / "org")
    (problem,) = info.value.problems
    assert problem.message == f"cannot read {tmp_path / 'org' / 'locked'}: Permission denied"


def test_a_file_without_search_permission_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # simulated as above: opening the file fails as it does in a folder without search (x) right
    path = tmp_path / "org.yaml"
    path.write_text(ORG)
    real_open = os.open

    def deny(p: str | os.PathLike[str], flags: int, *args: int) -> int:
        if Path(p) == path:
            raise PermissionError(13, "Permission denied", os.fspath(p))
        return real_open(p, flags, *args)

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(UsageError, match=r"cannot read .*org.yaml: Permission denied"):
        load_sources(path)


@pytest.mark.parametrize("where", ["input", "output"])
def test_an_over_long_path_is_a_message(where: str, tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    long = str(tmp_path / ("q" * 5000))
    args = (
        ["analyze", long]
        if where == "input"
        else ["analyze", str(tmp_path / "org.yaml"), "-o", long]
    )
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "too long" in result.stderr or "File name too long" in result.stderr


# -- 13: bounded counts --------------------------------------------------------------------------


def test_generate_bounds_its_unit_count() -> None:
    result = runner.invoke(app, ["generate", "-n", "99999999999999"])
    assert result.exit_code == 2
    assert "must be from 2 to 2,000,000 units, not 99,999,999,999,999" in result.stderr


def test_a_wide_csv_header_gives_a_counted_summary(tmp_path: Path) -> None:
    n = 20_000
    (tmp_path / "wide.csv").write_text(
        ",".join(f"c{i}" for i in range(n)) + "\n" + ",".join("x" * n) + "\n"
    )
    result = runner.invoke(app, ["import", str(tmp_path / "wide.csv"), "-o", "-"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) < 40
    assert f"wide.csv:1: … and {n - 10:,} more problems like this" in result.stderr


def test_a_long_csv_header_is_sniffed_quickly(tmp_path: Path) -> None:
    (tmp_path / "long.csv").write_text("consumer;supplier;" + "x" * 100_000 + "\nb;a;1\n")
    result = runner.invoke(app, ["import", str(tmp_path / "long.csv"), "-o", "-"])
    assert result.exit_code == 2  # the long column is unknown; the delimiter was found
    assert "unknown column 'xxxx" in result.stderr


# -- 15: stdout that cannot take the result, signals during a write ------------------------------


@pytest.mark.parametrize(
    "args", [["analyze", "ORG"], ["validate", "ORG"], ["schema"], ["--version"]]
)
@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_stdout_full_or_closed_is_a_message(args: list[str], stdout: str, tmp_path: Path) -> None:
    if stdout == "full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    (tmp_path / "org.yaml").write_text(ORG)
    argv = [
        sys.executable,
        "-m",
        "orggraph",
        *[str(tmp_path / "org.yaml") if a == "ORG" else a for a in args],
    ]
    if stdout == "full":
        with Path("/dev/full").open("w") as full:
            done = subprocess.run(
                argv, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60, check=False
            )
    else:
        done = subprocess.run(
            argv,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
            preexec_fn=lambda: os.close(1),
        )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: cannot write")


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_write_leaves_no_temporary(
    signame: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signum = getattr(signal, signame)
    out = tmp_path / "report.txt"
    out.write_text("old")
    monkeypatch.setattr(os, "fsync", lambda fd: os.kill(os.getpid(), signum))
    with pytest.raises(SystemExit) as stop:
        write_atomic(out, "new")
    assert stop.value.code == 128 + signum
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]
    assert out.read_text() == "old"
    assert signal.getsignal(signum) is signal.SIG_DFL


# -- 16: one rule for files written --------------------------------------------------------------


def test_generate_refuses_to_replace_a_file_without_force(tmp_path: Path) -> None:
    out = tmp_path / "org.yaml"
    out.write_text("mine\n")
    result = runner.invoke(app, ["generate", "-n", "20", "-o", str(out)])
    assert result.exit_code == 2
    assert "exists; not overwriting it (use --force" in result.stderr
    assert out.read_text() == "mine\n"
    result = runner.invoke(app, ["generate", "-n", "20", "-o", str(out), "--force"])
    assert result.exit_code == 0
    assert out.read_text().startswith("version: 1")


def test_a_view_replaces_its_own_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "org.yaml").write_text(ORG)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        result = runner.invoke(app, ["view", "org.yaml"])
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "org.html").read_text().startswith("<!")

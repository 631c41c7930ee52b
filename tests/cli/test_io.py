"""orggraph.io: atomic writes and the guard that never lets an output overwrite an input."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from orggraph.errors import UsageError
from orggraph.io import check_not_input, same_file, write_atomic


def _names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_writes_text_as_is(tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    write_atomic(out, "a\r\nb → c\n")
    assert out.read_bytes() == "a\r\nb → c\n".encode()
    write_atomic(out, b"\x00bytes")
    assert out.read_bytes() == b"\x00bytes"
    assert _names(tmp_path) == ["report.txt"]


def test_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.txt", "x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o644


def test_existing_file_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "private.txt"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    write_atomic(out, "new")
    assert out.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_failure_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    out = tmp_path / "report.txt"
    out.write_text("old", encoding="utf-8")

    def fail(fd: int) -> None:
        raise error

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(type(error)):
        write_atomic(out, "new")
    assert out.read_text(encoding="utf-8") == "old"
    assert _names(tmp_path) == ["report.txt"]


def test_a_symlink_keeps_pointing_at_its_target(tmp_path: Path) -> None:
    target = tmp_path / "real.txt"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == "new"


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, "x")


def test_missing_directory_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_atomic(tmp_path / "missing" / "x.txt", "x")


def test_same_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("units: []\n", encoding="utf-8")
    hard = tmp_path / "hard.yaml"
    hard.hardlink_to(org)
    soft = tmp_path / "soft.yaml"
    soft.symlink_to(org)
    monkeypatch.chdir(tmp_path)
    assert same_file(org, "org.yaml")
    assert same_file(org, "./sub/../org.yaml")
    assert same_file(org, hard)
    assert same_file(org, soft)
    assert not same_file(org, tmp_path / "other.yaml")
    assert same_file("missing.yaml", tmp_path / "missing.yaml")  # neither exists: by path


def test_check_not_input(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("units: []\n", encoding="utf-8")
    check_not_input(tmp_path / "report.txt", [org])
    with pytest.raises(UsageError, match=r"^refusing to overwrite the input file .*org\.yaml$"):
        check_not_input(tmp_path / "." / "org.yaml", [tmp_path / "other.yaml", org])


def test_a_named_pipe_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still a pipe, not a regular file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]

"""Writing results to files: atomically, and never over an input.

A reader of the output file sees either the old file or the whole new one, never a half-written
one, and a run that fails leaves an existing output file as it was.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from orggraph.errors import UsageError

__all__ = ["check_not_input", "same_file", "write_atomic"]

StrPath = str | os.PathLike[str]


def same_file(a: StrPath, b: StrPath) -> bool:
    """Whether two paths name the same file: the same inode when both exist (hard links and
    symbolic links included), else the same absolute path once resolved.

    >>> same_file("org.yaml", "./org.yaml")
    True
    """
    try:
        return Path(a).samefile(b)
    except (OSError, ValueError):
        return Path(a).resolve() == Path(b).resolve()


def check_not_input(output: StrPath, inputs: Iterable[StrPath]) -> None:
    """Refuse an output path that is one of the input files.

    Raises :class:`~orggraph.errors.UsageError` ``refusing to overwrite the input file X``.
    """
    for source in inputs:
        if same_file(output, source):
            raise UsageError(f"refusing to overwrite the input file {os.fspath(source)}")


def _new_file_mode() -> int:
    """The permissions a newly created file gets under the process umask (0o644 under 022)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: StrPath, data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write ``data`` to ``path`` so that it appears all at once or not at all.

    The data goes to a temporary file in the same directory, is flushed to disk, and then
    replaces ``path`` in one ``os.replace``. On any failure the temporary file is removed and
    ``path`` is left as it was. A symbolic link keeps pointing where it did: its target is
    replaced. An existing file keeps its permissions; a new one gets the usual ones (the umask),
    not the private ones of a temporary file. Text is written as is (no newline translation).
    A target that exists but is not a regular file (``/dev/null``, a named pipe) is written
    straight through, never replaced.
    Raises ``OSError`` when the directory cannot be written.
    """
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", os.fspath(path))
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        info = target.stat()
    except FileNotFoundError:
        mode = _new_file_mode()
    else:
        if not stat.S_ISREG(info.st_mode):
            # a device, pipe or socket (/dev/null, /dev/stdout, a FIFO): there is nothing to
            # replace atomically, and renaming over it would destroy it, so write through
            with target.open("wb") as stream:
                stream.write(payload)
            return
        mode = stat.S_IMODE(info.st_mode)
    with _signals_end_cleanly():
        _write_replace(target, payload, mode)
    _fsync_directory(target.parent)


def _write_replace(target: Path, payload: bytes, mode: int) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        temporary.chmod(mode)
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


_ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _end(signum: int, _frame: object) -> None:
    # SystemExit unwinds through the write's cleanup, which removes the temporary file
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _signals_end_cleanly() -> Iterator[None]:
    """While a file is written: SIGTERM and SIGHUP end the program as they would (exit status
    128 + the signal's number) but through the cleanup, so no temporary file is left behind.
    SIGINT already does so (KeyboardInterrupt). Only the main thread can set handlers."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in _ENDING_SIGNALS:
        old = signal.getsignal(signum)
        if old is signal.SIG_DFL:  # an ignored or handled signal keeps its handler
            previous[signum] = old
            signal.signal(signum, _end)
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)

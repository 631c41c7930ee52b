"""Reading an input file: at most the size limit, only regular files, or stdin as ``-``.

Every reader of user files (org files and their includes, the policy file, the importer's CSV and
xlsx) goes through :func:`read_input`, so no input can make orggraph read without end: a link to
``/dev/zero`` is refused before a byte is read, a named pipe is refused instead of waiting for a
writer, and a file that grows while it is read stops at the limit.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

from orggraph.errors import Location, Problem
from orggraph.model import yamlsource
from orggraph.model.yamlsource import YamlTrouble

__all__ = ["STDIN", "STDIN_NAME", "is_stdin", "path_error", "read_input", "shown_name", "too_large"]

STDIN = "-"
"""As an input path: read standard input."""

STDIN_NAME = "<stdin>"
"""How standard input is named in messages."""

_CHUNK = 1 << 20


def is_stdin(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is ``-``, which names standard input."""
    return os.fspath(path) == STDIN


def too_large(filename: str, size: int | None) -> YamlTrouble:
    """The located problem of an input over ``MAX_FILE_BYTES`` (``size`` None: not known, since
    the input is a stream or grew while read)."""
    limit = yamlsource.MAX_FILE_BYTES
    shown = f"{size / 2**20:.0f} MiB" if size is not None else f"over {limit / 2**20:.0f} MiB"
    return YamlTrouble(
        [
            Problem(
                Location(filename, 1, 1),
                "",
                f"file is {shown}; the limit is {limit / 2**20:.0f} MiB",
                "split the organization into several files: a folder of them, or include:",
            )
        ]
    )


def path_error(exc: OSError | ValueError | RuntimeError) -> str:
    """What is wrong with a path, in words: an ``OSError``'s reason, a NUL byte, a link loop."""
    if isinstance(exc, ValueError):
        return "the path contains a NUL byte"
    if isinstance(exc, RuntimeError):  # pathlib's resolve() on Python before 3.13
        return "the path is a loop of symbolic links"
    if exc.errno == errno.ELOOP:
        return "the path is a loop of symbolic links"
    if exc.errno == errno.ENAMETOOLONG:
        return "the path, or a name in it, is too long for the file system"
    return str(exc.strerror or exc)


def read_input(path: str | os.PathLike[str], filename: str | None = None) -> bytes:
    """The bytes of ``path`` (``-``: standard input), at most ``MAX_FILE_BYTES`` of them.

    Raises ``OSError`` (its ``strerror`` says why, in words) when the path cannot be opened or is
    not a regular file (a directory: ``IsADirectoryError``), and :class:`YamlTrouble` located at
    ``filename`` 1:1 when the input is over the limit.
    """
    limit = yamlsource.MAX_FILE_BYTES
    if is_stdin(path):
        name = filename or STDIN_NAME
        data = sys.stdin.buffer.read(limit + 1)
        if len(data) > limit:
            raise too_large(name, None)
        return data
    name = filename or os.fspath(path)
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer (it is refused below)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (ValueError, RuntimeError) as exc:
        raise OSError(errno.EINVAL, path_error(exc), name) from None
    except OSError as exc:
        raise OSError(exc.errno, path_error(exc), name) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a directory", name)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(
                errno.EINVAL,
                "it is not a regular file (a named pipe, device or socket); "
                "to read a stream, pipe it into '-' (standard input)",
                name,
            )
        if info.st_size > limit:
            raise too_large(name, info.st_size)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > limit:  # it grew while read
            raise too_large(name, None)
        return b"".join(chunks)
    finally:
        os.close(fd)


def shown_name(path: Path) -> str:
    """How ``path`` is named in messages: ``<stdin>`` for ``-``."""
    return STDIN_NAME if is_stdin(path) else str(path)

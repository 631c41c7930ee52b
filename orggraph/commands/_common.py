"""What the commands share: the error guard, writing the result, loading with progress, options.

The commands are the only code that prints or chooses an exit code. Results go to stdout or to the
``--output`` file (written atomically, never over an input); errors and warnings go to stderr.
Exit codes: 0 success; 1 a check the user asked for failed; 2 bad usage or an invalid org file;
130 interrupted; 141 the reader of stdout went away (as when piped to ``head``).

Only typer and the standard library are imported here at the top: everything heavy is imported
inside the function that needs it, so ``orggraph --version`` stays fast.
"""

from __future__ import annotations

import errno
import io
import math
import os
import select
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orggraph.commands._usage import OrgGroup
from orggraph.errors import OrgError, OrgValidationError, UsageError

if TYPE_CHECKING:
    import networkx as nx

    from orggraph.model.survey import Survey

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CHECK_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "ORG_FILE",
    "PROGRESS_MIN_BYTES",
    "STDOUT",
    "ClosedStdout",
    "ForceOpt",
    "OrgArg",
    "OrgGroup",
    "OutputOpt",
    "ReportFormat",
    "ScaleOpt",
    "StdoutError",
    "SurveyOpt",
    "ThresholdOpt",
    "check_output",
    "default_output",
    "emit",
    "guard",
    "load_graph",
    "positive",
    "progress",
    "read_survey",
    "refuse_existing",
    "terminal",
    "to_stdout",
    "write_stdout",
    "wrote",
]

EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

STDOUT = "-"  # as --output: write to stdout
ORG_FILE = Path("org.yaml")  # what ``import`` and ``init`` write when not told where

PROGRESS_MIN_BYTES = 2_000_000
"""Inputs from this size on (about 7,000 units of YAML) show a progress line on a terminal."""


class ReportFormat(StrEnum):
    """The formats of a report read by people and by programs (``analyze``, ``diff``)."""

    text = "text"
    json = "json"
    markdown = "markdown"


# -- errors -------------------------------------------------------------------------------------


def _error(message: str) -> None:
    """One ``error: ...`` line on stderr per line of ``message``."""
    for line in message.splitlines() or [""]:
        sys.stderr.write(f"error: {line}\n")
    sys.stderr.flush()


def _silence_stdout() -> None:
    """After the reader of stdout went away: point stdout at /dev/null so the interpreter's
    final flush does not complain a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test runner's buffer): nothing to silence


@contextmanager
def guard() -> Iterator[None]:
    """Turn the user's mistakes into messages and exit codes, never a traceback."""
    try:
        yield
    except OrgValidationError as exc:
        sys.stderr.write(exc.render() + "\n")
        sys.stderr.flush()
        raise typer.Exit(EXIT_USAGE) from None
    except OrgError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BrokenPipeError:
        _silence_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None
    except StdoutError as exc:
        _silence_stdout()
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None


class StdoutError(OrgError):
    """Standard output cannot take the result: closed, or its disk is full (not a broken pipe,
    which ends quietly with 141)."""


class ClosedStdout(io.TextIOBase):
    """Standard output when the program was started with it closed (``>&-``): every write fails
    with a clear reason instead of ``sys.stdout`` being None."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


# -- output -------------------------------------------------------------------------------------


def to_stdout(output: Path | None) -> bool:
    """Whether ``output`` means stdout: not given, or ``-``."""
    return output is None or str(output) == STDOUT


def check_output(output: Path | None, inputs: Sequence[Path]) -> None:
    """Refuse an ``output`` file that is one of ``inputs`` (also through links)."""
    if not to_stdout(output):
        assert output is not None
        from orggraph.io import check_not_input

        check_not_input(output, inputs)


def emit(data: str | bytes, output: Path | None) -> None:
    """The result: to stdout (no ``output``, or ``-``), or atomically to the file ``output``."""
    if to_stdout(output):
        write_stdout(data)
        return
    assert output is not None
    from orggraph.io import write_atomic

    try:
        write_atomic(output, data)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def write_stdout(text: str | bytes) -> None:
    """Write all of ``text`` (or bytes) to stdout, or raise ``BrokenPipeError``.

    Under ``PYTHONUNBUFFERED`` (or ``python -u``) stdout writes straight to the file descriptor,
    and one large write to a pipe whose reader has gone can write part of the text and drop the
    rest without an error. Writing the bytes in a loop makes the rest fail loudly instead. A
    character the stream's encoding cannot carry becomes '?' rather than a traceback.
    """
    try:
        _write_stdout(text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise StdoutError(
            f"cannot write the result to standard output: {exc.strerror or exc} "
            "(write it to a file with -o FILE)"
        ) from None


def _write_stdout(text: str | bytes) -> None:
    sys.stdout.flush()
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stream (some test runners)
        if isinstance(text, bytes):
            raise UsageError("cannot write binary data to this stdout: use --output FILE")
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    if isinstance(text, bytes):
        data = text
    else:
        encoding = sys.stdout.encoding or "utf-8"
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            data = text.encode(encoding, errors="replace")
    view = memoryview(data)
    while view:
        written = stream.write(view)
        if written is None:  # a non-blocking stdout that is full: wait until it drains
            select.select([], [stream], [])
            continue
        view = view[written:]
    stream.flush()


def wrote(output: Path | None) -> None:
    """Tell stderr which file was written: the result itself went there, not to stdout."""
    if not to_stdout(output):
        sys.stderr.write(f"wrote {output}\n")


def refuse_existing(output: Path, force: bool) -> None:
    """Nothing the user wrote is replaced by accident: an existing file needs --force.

    The rule of every command: a command that writes an organization file (``init``, ``import``,
    ``generate``), which people then edit, never replaces an existing file without ``--force``.
    A command that writes a result derived from the organization (``analyze``, ``diff``,
    ``impact``, ``export``, ``schema``, ``view``, ``plot``) replaces its output file, since
    writing it again after a change is what it is for; no command ever writes over an input."""
    if force or to_stdout(output):
        return
    try:
        is_dir, is_file = output.is_dir(), output.exists() and output.is_file()
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None
    if is_dir:
        raise UsageError(f"cannot write {output}: it is a directory")
    if is_file:
        raise UsageError(
            f"{output} exists; not overwriting it (use --force to replace it, "
            f"or -o to write elsewhere)"
        )


def default_output(org: Path, suffix: str) -> Path:
    """``ORG``'s name with another suffix, in the current directory (a folder's name, for a
    folder: ``org/`` gives ``org.html``); ``stdin.html`` for ``-``."""
    if str(org) == "-":  # standard input
        return Path("stdin").with_suffix(suffix)
    name = org.name if org.name not in ("", ".", "..") else Path.cwd().joinpath(org).resolve().name
    return Path(Path(name or "org").with_suffix(suffix).name)


def terminal() -> tuple[bool, int]:
    """(colour, width) for text on stdout: colour only on a terminal without NO_COLOR."""
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return False, 100
    color = not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return color, max(shutil.get_terminal_size((100, 24)).columns, 40)


# -- loading ------------------------------------------------------------------------------------


def _input_size(org: Path) -> int:
    try:
        if org.is_dir():
            return sum(f.stat().st_size for f in org.rglob("*") if f.is_file())
        return org.stat().st_size
    except OSError:
        return 0


@contextmanager
def progress(org: Path) -> Iterator[Callable[[str], None]]:
    """A transient spinner on stderr naming the step under way, for large inputs when stderr is a
    terminal; in pipes, CI and for small inputs a function that does nothing. Leave the block
    before writing the result, so the spinner never mixes with it."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty or os.environ.get("TERM") == "dumb" or _input_size(org) < PROGRESS_MIN_BYTES:
        yield lambda _: None
        return
    from rich.console import Console
    from rich.text import Text

    # Text, not a string: rich would read "[red]" in a file name as markup and ":smile:" as emoji
    console = Console(stderr=True)
    with console.status(Text(f"{org.name}: starting"), spinner="dots") as status:
        yield lambda step: status.update(Text(f"{org.name}: {step}"))


def load_graph(
    org: Path, output: Path | None = None, step: Callable[[str], None] | None = None
) -> nx.DiGraph:
    """The graph of ``org`` (a file or a folder). With ``output``: refuse it if it is one of the
    files the organization was read from, or would be read as part of it next time. ``step`` is
    told when loading and building start."""
    from orggraph.graph import build_graph
    from orggraph.model import load_sources

    if step is not None:
        step("loading and validating")
    sources = load_sources(org)
    if not to_stdout(output):
        assert output is not None
        from orggraph.model.include import check_output_outside

        check_output(output, sources.files)
        check_output_outside(output, sources)
    if step is not None:
        step("building the graph")
    return build_graph(sources.org)


# -- parameters ---------------------------------------------------------------------------------


def positive(value: float) -> float:
    """A typer callback: ``value`` if it is a finite number above 0, else a usage error."""
    if not math.isfinite(value) or value <= 0:
        raise typer.BadParameter(f"must be a number greater than 0, not {value:g}")
    return value


OrgArg = Annotated[
    Path,
    typer.Argument(
        metavar="ORG",
        help="The organization: a file (YAML, or JSON of the same schema), or a folder of them.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the result to FILE (atomically) instead of stdout ('-'). Never an input.",
        show_default=False,
    ),
]
ThresholdOpt = Annotated[
    float,
    typer.Option(
        "--threshold",
        metavar="X",
        callback=positive,
        help="Utilization at which a unit is a bottleneck (> 0).",
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Replace the output file if it exists (never an input)."),
]


# -- SPEC §8: an internal service survey -----------------------------------------------------------

SurveyOpt = Annotated[
    Path | None,
    typer.Option(
        "--survey",
        metavar="FILE",
        help="Internal service survey (CSV or YAML: consumer,supplier,score rows): perceived "
        "quality per supplier, used as its quality in the weakest link.",
        show_default=False,
    ),
]
ScaleOpt = Annotated[
    str,
    typer.Option("--scale", metavar="1-5|1-7|0-10", help="The survey's score scale."),
]


def read_survey(path: Path | None, G: nx.DiGraph | Sequence[str], scale: str) -> Survey | None:
    """The survey at ``path`` about the parties of ``G`` (or these ids; None without one).

    Bad rows raise the located errors the guard reports with exit 2."""
    if path is None:
        return None
    from orggraph.model.survey import load_survey

    return load_survey(path, G, scale=scale)

"""The ``orggraph`` command line: the typer app assembled from :mod:`orggraph.commands`.

Each command lives in its own module there, with what they share in
:mod:`orggraph.commands._common`; this module only adds the root options (``--version``), registers
the commands in the order ``orggraph --help`` lists them, and runs the app.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import os
import sys
from typing import Annotated, NoReturn

import typer

from orggraph import __version__
from orggraph.commands import (
    analyze,
    check,
    diff,
    export,
    generate,
    impact,
    import_,
    init,
    plot,
    schema,
    survey,
    validate,
    view,
)
from orggraph.commands._common import (
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    ClosedStdout,
    OrgGroup,
    guard,
    write_stdout,
)

__all__ = ["app", "main", "run"]

app = typer.Typer(
    name="orggraph",
    help="Show an organization where its service really comes from.\n\n"
    "Reads an org.yaml file (who depends on whom) and finds the single points of failure, "
    "the bottlenecks, the service chains that end at each customer, and the units no chain "
    "connects to a customer.",
    cls=OrgGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        with guard():
            write_stdout(f"orggraph {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Show an organization where its service really comes from."""


# the order of ``orggraph --help``: the everyday commands first, then the workflows
for _command in (
    analyze,
    validate,
    impact,
    view,
    plot,
    export,
    schema,
    check,
    diff,
    generate,
    import_,
    init,
    survey,
):
    _command.register(app)


def main() -> None:
    """Run the command line in this process; ends with ``SystemExit`` like any click program."""
    if sys.stdout is None:  # started with stdout closed (>&-)
        _hold_stdout_descriptor()
        sys.stdout = ClosedStdout()
    try:
        app(prog_name="orggraph")
    except OSError as exc:  # writing help or a usage message, outside a command's guard
        if isinstance(exc, BrokenPipeError) or exc.errno in (errno.ENOSPC, errno.EBADF, errno.EIO):
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"error: cannot write: {exc.strerror or exc}\n")
            raise SystemExit(EXIT_USAGE) from None
        raise
    except KeyboardInterrupt:  # before or after a command's own guard
        sys.stderr.write("interrupted\n")
        raise SystemExit(EXIT_INTERRUPTED) from None


def _hold_stdout_descriptor() -> None:
    """Keep descriptor 1 taken while stdout is closed, so that no file opened later gets it and
    receives what was meant for stdout."""
    with contextlib.suppress(OSError):
        fd = os.open(os.devnull, os.O_WRONLY)
        if fd != 1:
            os.close(fd)


def run() -> NoReturn:
    """The ``orggraph`` console script and ``python -m orggraph``: :func:`main`, then a quick exit.

    After a large organization, millions of objects are still alive when the command is done;
    freeing them one by one as the interpreter shuts down takes about a second per 100,000 units
    and achieves nothing. So once the command has finished, its output is flushed and the exit
    handlers run (``atexit``), and the process ends without that teardown. Everything the
    command writes to files is closed before it returns.
    """
    try:
        main()
        status = 0
    except SystemExit as stop:
        if stop.code is not None and not isinstance(stop.code, int):
            raise  # a message to print: Python's own exit does that
        status = stop.code or 0
    atexit._run_exitfuncs()  # they may still write: flushed below
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # the reader went away: the normal exit handles and reports it
        raise SystemExit(status) from None
    os._exit(status)

"""The ``orggraph`` command: the only place that prints or chooses an exit code.

Results go to stdout or to the ``--output`` file (written atomically, never over an input);
errors and warnings go to stderr. Exit codes: 0 success; 1 a check the user asked for failed;
2 bad usage or an invalid org file; 130 interrupted; 141 the reader of stdout went away (as
when piped to ``head``).

Everything heavy (networkx, the analyses, rich, matplotlib, pyvis) is imported inside the
command that needs it, so ``orggraph --version`` and ``orggraph validate`` start fast.
"""

from __future__ import annotations

import math
import os
import select
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from orggraph import __version__
from orggraph.errors import OrgError, OrgValidationError, UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["app", "main"]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

SCHEMA_TITLE = "orggraph organization file (org.yaml)"

app = typer.Typer(
    name="orggraph",
    help="Show an organization where its service really comes from.\n\n"
    "Reads an org.yaml file (who depends on whom) and finds the single points of failure, "
    "the bottlenecks, the service chains that end at each customer, and the units no chain "
    "connects to a customer.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ImpactFormat(StrEnum):
    text = "text"
    json = "json"


# -- plumbing ---------------------------------------------------------------------------------


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
def _guard() -> Iterator[None]:
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


def _check_output(output: Path | None, inputs: Sequence[Path]) -> None:
    if output is not None:
        from orggraph.io import check_not_input

        check_not_input(output, inputs)


def _emit(text: str, output: Path | None) -> None:
    """The result: to stdout, or atomically to ``output``."""
    if output is None:
        _write_stdout(text)
        return
    from orggraph.io import write_atomic

    try:
        write_atomic(output, text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def _write_stdout(text: str) -> None:
    """Write all of ``text`` to stdout, or raise ``BrokenPipeError``.

    Under ``PYTHONUNBUFFERED`` (or ``python -u``) stdout writes straight to the file descriptor,
    and one large write to a pipe whose reader has gone can write part of the text and drop the
    rest without an error. Writing the bytes in a loop makes the rest fail loudly instead. A
    character the stream's encoding cannot carry becomes '?' rather than a traceback.
    """
    sys.stdout.flush()
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:  # a text-only stream (some test runners)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
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


def _load_graph(org: Path) -> nx.DiGraph:
    from orggraph.graph import build_graph
    from orggraph.model import load

    return build_graph(load(org))


def _terminal() -> tuple[bool, int]:
    """(colour, width) for text on stdout: colour only on a terminal without NO_COLOR."""
    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return False, 100
    color = not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return color, max(shutil.get_terminal_size((100, 24)).columns, 40)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"orggraph {__version__}\n")
        raise typer.Exit()


def _positive(value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise typer.BadParameter(f"must be a number greater than 0, not {value:g}")
    return value


# -- parameters ---------------------------------------------------------------------------------

OrgArg = Annotated[
    Path,
    typer.Argument(
        metavar="ORG",
        help="The organization file (YAML, or JSON of the same schema).",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the result to FILE (atomically) instead of stdout. Never an input file.",
        show_default=False,
    ),
]


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


# -- commands -----------------------------------------------------------------------------------


@app.command(short_help="Report critical suppliers, bottlenecks, chains and cycles.")
def analyze(
    org: OrgArg,
    format_: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ReportFormat.text,
    top: Annotated[
        int,
        typer.Option(
            "--top",
            min=0,
            metavar="N",
            help="Rows of critical suppliers and bottlenecks in text and markdown (0 = all).",
        ),
    ] = 10,
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            metavar="X",
            callback=_positive,
            help="Utilization at which a unit is a bottleneck (> 0).",
        ),
    ] = 0.85,
    list_limit: Annotated[
        int,
        typer.Option(
            "--list-limit",
            min=0,
            metavar="N",
            help="Impacted customers listed per critical supplier in JSON (0 = no cap).",
        ),
    ] = 100,
    output: OutputOpt = None,
) -> None:
    """Find the critical suppliers, bottlenecks, service chains and cycles.

    The full report of an organization: the single points of failure ranked by the customer
    weight they cut off, the units at or above capacity or that many chains pass through, each
    customer's critical chain with its lead time and weakest link, the units no chain connects
    to a customer, the dependency cycles and the warnings.
    """
    with _guard():
        _check_output(output, [org])
        G = _load_graph(org)
        from orggraph.analysis import analyze as run_analysis

        report = run_analysis(G, threshold=threshold)
        if format_ is ReportFormat.json:
            from orggraph.render.json import render_json

            text = render_json(report, list_limit)
        elif format_ is ReportFormat.markdown:
            from orggraph.render.markdown import render_markdown

            text = render_markdown(report, top=top)
        else:
            from orggraph.render.text import render_text

            color, width = _terminal() if output is None else (False, 100)
            text = render_text(report, top=top, width=width, color=color)
        _emit(text, output)


def org_warnings(G: nx.DiGraph) -> tuple[str, ...]:
    """The warnings ``analyze`` reports, without the costly analyses (failure impact,
    betweenness) that do not feed them: what ``validate`` prints."""
    from orggraph.analysis import cycles, disconnected_units, loads
    from orggraph.analysis import org_warnings as warnings_of
    from orggraph.graph import customers, units

    return warnings_of(
        customers=len(customers(G)),
        disconnected=disconnected_units(G),
        cycles=cycles(G),
        loads=loads(G),
        units=units(G),
    )


@app.command()
def validate(org: OrgArg) -> None:
    """Check an organization file and print its counts.

    Prints "ok: FILE: N units, ..." on stdout (exit 0), or every error found, located as
    FILE:LINE:COL, on stderr (exit 2). Warnings go to stderr and do not fail the check.
    """
    with _guard():
        G = _load_graph(org)
        from orggraph.graph import customers, units, vendors
        from orggraph.render._words import plural

        counts = ", ".join(
            [
                plural(len(units(G)), "unit"),
                plural(len(customers(G)), "customer"),
                plural(len(vendors(G)), "vendor"),
                plural(G.number_of_edges(), "dependency", "dependencies"),
            ]
        )
        sys.stdout.write(f"ok: {org}: {counts}\n")
        sys.stdout.flush()
        for warning in org_warnings(G):
            sys.stderr.write(f"warning: {warning}\n")


@app.command()
def impact(
    org: OrgArg,
    ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID",
            help="The parties that fail (units, vendors or customers).",
            show_default=False,
        ),
    ],
    format_: Annotated[
        ImpactFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ImpactFormat.text,
    output: OutputOpt = None,
) -> None:
    """What if these parties fail? Who loses service.

    Lists the units and customers that lose service when every ID fails at once, and the
    customers' total weight. An optional dependency never spreads a failure; an any_of group
    fails only when all of its alternatives do.
    """
    with _guard():
        _check_output(output, [org])
        G = _load_graph(org)
        from orggraph.analysis import failure_impact

        result = failure_impact(G, ids)
        if format_ is ImpactFormat.json:
            from orggraph.render.json import render_impact_json

            text = render_impact_json(result)
        else:
            from orggraph.render.text import render_impact_text

            width = _terminal()[1] if output is None else 100
            text = render_impact_text(result, G, width=width)
        _emit(text, output)


@app.command()
def schema(output: OutputOpt = None) -> None:
    """Print the JSON Schema of the org file, for editors.

    Point the YAML language server at it (a "# yaml-language-server: $schema=FILE" comment)
    to get completion and checks while editing an org file.
    """
    with _guard():
        from orggraph.model import Org
        from orggraph.render.json import render_json_schema

        _emit(render_json_schema(Org.model_json_schema(), SCHEMA_TITLE), output)


def main() -> None:
    """The ``orggraph`` console script and ``python -m orggraph``."""
    try:
        app(prog_name="orggraph")
    except KeyboardInterrupt:  # before or after a command's own guard
        sys.stderr.write("interrupted\n")
        raise SystemExit(EXIT_INTERRUPTED) from None

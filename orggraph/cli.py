"""The ``orggraph`` command: the only place that prints or chooses an exit code.

Results go to stdout or to the ``--output`` file (written atomically, never over an input);
errors and warnings go to stderr. Exit codes: 0 success; 1 a check the user asked for failed;
2 bad usage or an invalid org file; 130 interrupted; 141 the reader of stdout went away (as
when piped to ``head``).

Everything heavy (networkx, the analyses, rich, matplotlib, pyvis) is imported inside the
command that needs it, so ``orggraph --version`` and ``orggraph validate`` start fast.
"""

from __future__ import annotations

import atexit
import math
import os
import select
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from orggraph import __version__
from orggraph.errors import OrgError, OrgValidationError, UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["app", "main", "run"]

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

SCHEMA_TITLE = "orggraph organization file (org.yaml)"
STDOUT = "-"  # as --output: write to stdout

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
    if not _to_stdout(output):
        assert output is not None
        from orggraph.io import check_not_input

        check_not_input(output, inputs)


def _to_stdout(output: Path | None) -> bool:
    return output is None or str(output) == STDOUT


def _emit(data: str | bytes, output: Path | None) -> None:
    """The result: to stdout (no ``output``, or ``-``), or atomically to the file ``output``."""
    if _to_stdout(output):
        _write_stdout(data)
        return
    assert output is not None
    from orggraph.io import write_atomic

    try:
        write_atomic(output, data)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from None


def _write_stdout(text: str | bytes) -> None:
    """Write all of ``text`` (or bytes) to stdout, or raise ``BrokenPipeError``.

    Under ``PYTHONUNBUFFERED`` (or ``python -u``) stdout writes straight to the file descriptor,
    and one large write to a pipe whose reader has gone can write part of the text and drop the
    rest without an error. Writing the bytes in a loop makes the rest fail loudly instead. A
    character the stream's encoding cannot carry becomes '?' rather than a traceback.
    """
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


PROGRESS_MIN_BYTES = 2_000_000
"""Inputs from this size on (about 7,000 units of YAML) show a progress line on a terminal."""


def _input_size(org: Path) -> int:
    try:
        if org.is_dir():
            return sum(f.stat().st_size for f in org.rglob("*") if f.is_file())
        return org.stat().st_size
    except OSError:
        return 0


@contextmanager
def _progress(org: Path) -> Iterator[Callable[[str], None]]:
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

    console = Console(stderr=True)
    with console.status(f"{org.name}: starting", spinner="dots") as status:
        yield lambda step: status.update(f"{org.name}: {step}")


def _load_graph(
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
    if not _to_stdout(output):
        assert output is not None
        from orggraph.model.include import check_output_outside

        _check_output(output, sources.files)
        check_output_outside(output, sources)
    if step is not None:
        step("building the graph")
    return build_graph(sources.org)


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


ThresholdOpt = Annotated[
    float,
    typer.Option(
        "--threshold",
        metavar="X",
        callback=_positive,
        help="Utilization at which a unit is a bottleneck (> 0).",
    ),
]


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
    threshold: ThresholdOpt = 0.85,
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
        with _progress(org) as step:
            G = _load_graph(org, output, step)
            from orggraph.analysis import analyze as run_analysis

            # text and markdown name at most five impacted customers per supplier; JSON the limit
            listed = list_limit if format_ is ReportFormat.json else 5
            report = run_analysis(G, threshold=threshold, list_limit=listed, progress=step)
            step("writing the report")
            if format_ is ReportFormat.json:
                from orggraph.render.json import render_json

                text = render_json(report, list_limit)
            elif format_ is ReportFormat.markdown:
                from orggraph.render.markdown import render_markdown

                text = render_markdown(report, top=top)
            else:
                from orggraph.render.text import render_text

                color, width = _terminal() if _to_stdout(output) else (False, 100)
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
        G = _load_graph(org, output)
        from orggraph.analysis import failure_impact

        result = failure_impact(G, ids)
        if format_ is ImpactFormat.json:
            from orggraph.render.json import render_impact_json

            text = render_impact_json(result)
        else:
            from orggraph.render.text import render_impact_text

            width = _terminal()[1] if _to_stdout(output) else 100
            text = render_impact_text(result, G, width=width)
        _emit(text, output)


# -- views ----------------------------------------------------------------------------------------


class PlotKind(StrEnum):
    graph = "graph"
    critical = "critical"
    utilization = "utilization"


class ExportFormat(StrEnum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    mermaid = "mermaid"
    dot = "dot"


#: --output suffixes ``export`` reads a format from when --format is not given
EXPORT_SUFFIXES = {
    ".graphml": ExportFormat.graphml,
    ".gexf": ExportFormat.gexf,
    ".json": ExportFormat.json,
    ".mmd": ExportFormat.mermaid,
    ".mermaid": ExportFormat.mermaid,
    ".dot": ExportFormat.dot,
    ".gv": ExportFormat.dot,
}
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def _default_output(org: Path, suffix: str) -> Path:
    """``ORG``'s name with another suffix, in the current directory (a folder's name, for a
    folder: ``org/`` gives ``org.html``)."""
    name = org.name if org.name not in ("", ".", "..") else Path.cwd().joinpath(org).resolve().name
    return Path(Path(name or "org").with_suffix(suffix).name)


def _wrote(output: Path | None) -> None:
    if not _to_stdout(output):
        sys.stderr.write(f"wrote {output}\n")


@app.command()
def view(
    org: OrgArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The HTML file to write (default: ORG's name with .html, here; '-': stdout).",
            show_default=False,
        ),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option(
            "--focus",
            metavar="ID",
            help="Show only this party (or department) and its neighbourhood.",
        ),
    ] = None,
    depth: Annotated[
        int,
        typer.Option("--depth", min=0, metavar="N", help="Edges up- and downstream of --focus."),
    ] = 1,
    chain: Annotated[
        str | None,
        typer.Option(
            "--chain", metavar="CUSTOMER", help="Highlight this customer's critical chain."
        ),
    ] = None,
    collapse: Annotated[
        str | None,
        typer.Option("--collapse", metavar="department", help="One node per top-level department."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", help="Page title (default: the organization's name).")
    ] = None,
    threshold: ThresholdOpt = 0.85,
    open_: Annotated[
        bool,
        typer.Option("--open", help="Open the page in the default web browser, when there is one."),
    ] = False,
) -> None:
    """Write an interactive view: one offline HTML page.

    Service flows left to right; critical suppliers have a red border, overloaded units a dashed
    orange one. Hover or click a party for its facts. Works without a network connection.
    """
    with _guard():
        output = output if output is not None else _default_output(org, ".html")
        _check_output(output, [org])
        with _progress(org) as step:
            G = _load_graph(org, output, step)
            from orggraph.analysis import analyze as run_analysis
            from orggraph.render.html import check_full_view_size, render_html

            if focus is None and collapse is None:
                check_full_view_size(G)  # before the analysis, which may take a while
            report = run_analysis(G, threshold=threshold, list_limit=5, progress=step)
        page = render_html(
            G, report, focus=focus, depth=depth, chain=chain, collapse=collapse, title=title
        )
        _emit(page, output)
        _wrote(output)
        if open_:
            _open_in_browser(output)


def _open_in_browser(page: Path) -> None:
    """Show a written page in the default browser; only a note on stderr when there is none."""
    if _to_stdout(page):
        sys.stderr.write("note: --open needs a file: the page went to stdout\n")
        return
    import webbrowser

    try:
        opened = webbrowser.open(page.resolve().as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        sys.stderr.write(f"note: no web browser found here; open {page} yourself\n")


@app.command()
def plot(
    org: OrgArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The figure to write: .png, .svg or .pdf (default: ORG's name with .png, here).",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        PlotKind,
        typer.Option(
            "--kind",
            "-k",
            case_sensitive=False,
            help="graph: the layered service graph; critical: the top critical suppliers; "
            "utilization: units by load / capacity.",
        ),
    ] = PlotKind.graph,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            min=1,
            metavar="N",
            help="Bars in the critical (default 10) and utilization (default 30) charts.",
            show_default=False,
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="Figure title (graph only).")] = None,
    threshold: ThresholdOpt = 0.85,
) -> None:
    """Draw a figure (PNG, SVG, PDF) of the graph or the findings.

    The layered service graph in the view's colours (at most 400 parties), the top critical
    suppliers, or the units by utilization with the threshold marked.
    """
    with _guard():
        output = output if output is not None else _default_output(org, ".png")
        fmt = "png" if _to_stdout(output) else output.suffix.lower().lstrip(".")
        if f".{fmt}" not in PLOT_SUFFIXES:
            raise UsageError(
                f"cannot tell the figure format of '{output}': "
                f"end the file name with {', '.join(PLOT_SUFFIXES[:-1])} or {PLOT_SUFFIXES[-1]}"
            )
        _check_output(output, [org])
        G = _load_graph(org, output)
        from orggraph.analysis import analyze as run_analysis
        from orggraph.render import plot as plots

        report = run_analysis(G, threshold=threshold, list_limit=5)
        if kind is PlotKind.critical:
            figure = plots.plot_critical(report, top=top or 10)
        elif kind is PlotKind.utilization:
            figure = plots.plot_utilization(report, top=top or 30)
        else:
            figure = plots.plot_graph(G, report, title=title)
        import io

        import matplotlib

        buffer = io.BytesIO()
        # the same org gives the same bytes: no creation dates in SVG and PDF, and SVG clip-path
        # ids from a fixed salt instead of a random one
        metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
        with matplotlib.rc_context({"svg.hashsalt": "orggraph"}):
            figure.savefig(buffer, format=fmt, metadata=metadata)
        _emit(buffer.getvalue(), output)
        _wrote(output)


@app.command()
def export(
    org: OrgArg,
    format_: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            case_sensitive=False,
            help="Export format (default: from the --output file's suffix).",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    threshold: ThresholdOpt = 0.85,
) -> None:
    """Export the graph with its analysis figures for other tools.

    GraphML and GEXF (Gephi, yEd, Cytoscape), networkx node-link JSON, Mermaid (GitHub renders
    it) or Graphviz DOT. Every party carries its impact, load, utilization and betweenness.
    """
    with _guard():
        if format_ is None:
            suffix = "" if _to_stdout(output) else (output or Path()).suffix.lower()
            format_ = EXPORT_SUFFIXES.get(suffix)
            if format_ is None:
                raise UsageError(
                    "choose an export format with --format: "
                    + ", ".join(f.value for f in ExportFormat)
                )
        _check_output(output, [org])
        with _progress(org) as step:
            G = _load_graph(org, output, step)
            from orggraph.analysis import analyze as run_analysis
            from orggraph.render.export import export_graph

            report = run_analysis(G, threshold=threshold, list_limit=5, progress=step)
        _emit(export_graph(G, report, format_.value), output)


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


def _register_commands() -> None:
    """Add the commands kept in the modules of :mod:`orggraph.commands`."""
    import importlib
    import pkgutil

    from orggraph import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"{commands.__name__}.{info.name}").register(app)


_register_commands()


def main() -> None:
    """Run the command line in this process; ends with ``SystemExit`` like any click program."""
    try:
        app(prog_name="orggraph")
    except KeyboardInterrupt:  # before or after a command's own guard
        sys.stderr.write("interrupted\n")
        raise SystemExit(EXIT_INTERRUPTED) from None


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

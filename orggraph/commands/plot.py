"""``orggraph plot``: a figure (PNG, SVG, PDF) of the graph or the findings."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import (
    OrgArg,
    ThresholdOpt,
    check_output,
    default_output,
    emit,
    guard,
    load_graph,
    progress,
    to_stdout,
    wrote,
)
from orggraph.errors import UsageError


class PlotKind(StrEnum):
    graph = "graph"
    critical = "critical"
    utilization = "utilization"


PLOT_SUFFIXES = (".png", ".svg", ".pdf")


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
    with guard():
        output = output if output is not None else default_output(org, ".png")
        fmt = "png" if to_stdout(output) else output.suffix.lower().lstrip(".")
        if f".{fmt}" not in PLOT_SUFFIXES:
            raise UsageError(
                f"cannot tell the figure format of '{output}': "
                f"end the file name with {', '.join(PLOT_SUFFIXES[:-1])} or {PLOT_SUFFIXES[-1]}"
            )
        check_output(output, [org])
        with progress(org) as step:
            G = load_graph(org, output, step)
            from orggraph.analysis import analyze as run_analysis
            from orggraph.render import plot as plots

            report = run_analysis(G, threshold=threshold, list_limit=5, progress=step)
            step("drawing the figure")
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
        emit(buffer.getvalue(), output)
        wrote(output)


def register(app: typer.Typer) -> None:
    app.command()(plot)

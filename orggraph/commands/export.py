"""``orggraph export``: the graph with its analysis figures, for other tools."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import (
    OrgArg,
    OutputOpt,
    ThresholdOpt,
    check_output,
    emit,
    guard,
    load_graph,
    progress,
    to_stdout,
)
from orggraph.errors import UsageError


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
    with guard():
        if format_ is None:
            suffix = "" if to_stdout(output) else (output or Path()).suffix.lower()
            format_ = EXPORT_SUFFIXES.get(suffix)
            if format_ is None:
                raise UsageError(
                    "choose an export format with --format: "
                    + ", ".join(f.value for f in ExportFormat)
                )
        check_output(output, [org])
        with progress(org) as step:
            G = load_graph(org, output, step)
            from orggraph.analysis import analyze as run_analysis
            from orggraph.render.export import export_graph

            report = run_analysis(G, threshold=threshold, list_limit=5, progress=step)
        emit(export_graph(G, report, format_.value), output)


def register(app: typer.Typer) -> None:
    app.command()(export)

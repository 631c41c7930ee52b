"""``orggraph analyze``: the full report of an organization."""

from __future__ import annotations

from typing import Annotated

import typer

from orggraph.commands._common import (
    OrgArg,
    OutputOpt,
    ReportFormat,
    ScaleOpt,
    SurveyOpt,
    ThresholdOpt,
    check_output,
    emit,
    guard,
    load_graph,
    progress,
    read_survey,
    terminal,
    to_stdout,
)


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
    survey: SurveyOpt = None,
    scale: ScaleOpt = "1-5",
) -> None:
    """Find the critical suppliers, bottlenecks, service chains and cycles.

    The full report of an organization: the single points of failure ranked by the customer
    weight they cut off, the units at or above capacity or that many chains pass through, each
    customer's critical chain with its lead time and weakest link, the units no chain connects
    to a customer, the dependency cycles and the warnings.
    """
    with guard():
        check_output(output, [org])
        with progress(org) as step:
            G = load_graph(org, output, step)
            responses = read_survey(survey, G, scale)
            from orggraph.analysis import analyze as run_analysis

            # text and markdown name at most five impacted customers per supplier; JSON the limit
            listed = list_limit if format_ is ReportFormat.json else 5
            report = run_analysis(
                G, threshold=threshold, list_limit=listed, progress=step, survey=responses
            )
            step("writing the report")
            if format_ is ReportFormat.json:
                from orggraph.render.json import render_json

                text = render_json(report, list_limit)
            elif format_ is ReportFormat.markdown:
                from orggraph.render.markdown import render_markdown

                text = render_markdown(report, top=top)
            else:
                from orggraph.render.text import render_text

                color, width = terminal() if to_stdout(output) else (False, 100)
                text = render_text(report, top=top, width=width, color=color)
        emit(text, output)


def register(app: typer.Typer) -> None:
    app.command(short_help="Report critical suppliers, bottlenecks, chains and cycles.")(analyze)

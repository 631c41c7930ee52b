"""``orggraph view``: an interactive view of the organization, one offline HTML page."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import (
    OrgArg,
    ScaleOpt,
    SurveyOpt,
    ThresholdOpt,
    check_output,
    default_output,
    emit,
    guard,
    load_graph,
    progress,
    read_survey,
    to_stdout,
    wrote,
)


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
            help="Show only this party and its neighbourhood (a group: its members and theirs).",
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
        typer.Option(
            "--collapse",
            metavar="department",
            help="One node per top-level department; edges: dependencies between their members.",
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            metavar="ID",
            help="Mark what one of the file's scenarios (scenarios:) fails, who loses service and "
            "who stays untouched; the summary lists the impacted customers and their recovery.",
        ),
    ] = None,
    colour: Annotated[
        str,
        typer.Option(
            "--colour",
            "--color",
            metavar="impact|quality",
            help="Fill parties by impact weight (default) or by quality: perceived (with "
            "--survey) or their own, red 0 to green 1.",
        ),
    ] = "impact",
    overview: Annotated[
        bool,
        typer.Option(
            "--overview",
            help="Open on the departments and drill down in the page, level by level (the "
            "default above 2,000 parties or 10,000 dependencies).",
        ),
    ] = False,
    title: Annotated[
        str | None, typer.Option("--title", help="Page title (default: the organization's name).")
    ] = None,
    threshold: ThresholdOpt = 0.85,
    survey: SurveyOpt = None,
    scale: ScaleOpt = "1-5",
    open_: Annotated[
        bool,
        typer.Option("--open", help="Open the page in the default web browser, when there is one."),
    ] = False,
) -> None:
    """Write an interactive view: one offline HTML page.

    Service flows left to right; critical suppliers have a red border, overloaded units a dashed
    orange one. Hover or click a party for its facts. Works without a network connection.
    --scenario ID marks a scenario's failed, impacted and untouched parties; --colour quality
    fills parties by their quality.
    """
    with guard():
        output = output if output is not None else default_output(org, ".html")
        check_output(output, [org])
        with progress(org) as step:
            G = load_graph(org, output, step)
            responses = read_survey(survey, G, scale)
            from orggraph.analysis import analyze as run_analysis
            from orggraph.render.html import render_html

            report = run_analysis(
                G, threshold=threshold, list_limit=5, progress=step, survey=responses
            )
        page = render_html(
            G,
            report,
            focus=focus,
            depth=depth,
            chain=chain,
            collapse=collapse,
            title=title,
            scenario=scenario,
            colour=colour,
            overview=True if overview else None,
        )
        emit(page, output)
        wrote(output)
        if open_:
            _open_in_browser(output)


def _open_in_browser(page: Path) -> None:
    """Show a written page in the default browser; only a note on stderr when there is none."""
    if to_stdout(page):
        sys.stderr.write("note: --open needs a file: the page went to stdout\n")
        return
    import webbrowser

    try:
        opened = webbrowser.open(page.resolve().as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        sys.stderr.write(f"note: no web browser found here; open {page} yourself\n")


def register(app: typer.Typer) -> None:
    app.command()(view)

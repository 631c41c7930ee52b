"""``orggraph diff``: what a change to an organization changes, for a review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import (
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
)
from orggraph.errors import UsageError


def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The organization before the change.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The organization after it.")],
    format_: Annotated[
        ReportFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ReportFormat.text,
    threshold: ThresholdOpt = 0.85,
    output: OutputOpt = None,
    survey: SurveyOpt = None,
    scale: ScaleOpt = "1-5",
) -> None:
    """Show what changed between two versions of an organization, and what it does.

    The model: parties and dependencies added, removed or changed. The effects: new and removed
    single points of failure and changed impact weights, groups new, gone or whose failure (with
    all their members) impacts differently, lead time per customer (critical chain
    before and after), utilization crossing the threshold, cycles made or broken, units that
    lost or gained line of sight. Markdown fits a pull-request comment. A difference is not a
    failure: the exit code is 0.
    """
    with guard():
        if str(old) == str(new) == "-":
            raise UsageError(
                "OLD and NEW are both '-': standard input can be read once; "
                "give one of them as a file"
            )
        check_output(output, [old, new])
        from orggraph.diff import diff as run_diff
        from orggraph.render import diff as render

        with progress(new) as step:
            step(f"{old.name}: loading")
            before = load_graph(old, output)
            after = load_graph(new, output, step)
            # the survey may rate parties of either version
            both = [*before.nodes, *(n for n in after.nodes if n not in before)]
            responses = read_survey(survey, both, scale)
            step("comparing the two versions")
            found = run_diff(before, after, threshold=threshold, survey=responses)
        if format_ is ReportFormat.json:
            text = render.render_diff_json(found)
        elif format_ is ReportFormat.markdown:
            text = render.render_diff_markdown(found)
        else:
            text = render.render_diff_text(found)
        emit(text, output)


def register(app: typer.Typer) -> None:
    app.command(short_help="What changed between two versions, and what it does.")(diff)

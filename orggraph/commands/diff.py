"""``orggraph diff``: what a change to an organization changes, for a review."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from orggraph.cli import OutputOpt, ThresholdOpt, _check_output, _emit, _guard, _load_graph


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The organization before the change.")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The organization after it.")],
    format_: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = DiffFormat.text,
    threshold: ThresholdOpt = 0.85,
    output: OutputOpt = None,
) -> None:
    """Show what changed between two versions of an organization, and what it does.

    The model: parties and dependencies added, removed or changed. The effects: new and removed
    single points of failure and changed impact weights, lead time per customer (critical chain
    before and after), utilization crossing the threshold, cycles made or broken, units that
    lost or gained line of sight. Markdown fits a pull-request comment. A difference is not a
    failure: the exit code is 0.
    """
    with _guard():
        _check_output(output, [old, new])
        before = _load_graph(old, output)
        after = _load_graph(new, output)
        from orggraph.diff import diff as run_diff
        from orggraph.render import diff as render

        found = run_diff(before, after, threshold=threshold)
        if format_ is DiffFormat.json:
            text = render.render_diff_json(found)
        elif format_ is DiffFormat.markdown:
            text = render.render_diff_markdown(found)
        else:
            text = render.render_diff_text(found)
        _emit(text, output)


def register(app: typer.Typer) -> None:
    app.command(short_help="What changed between two versions, and what it does.")(diff)

"""``orggraph impact``: who loses service when some parties fail."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from orggraph.commands._common import (
    OrgArg,
    OutputOpt,
    check_output,
    emit,
    guard,
    load_graph,
    terminal,
    to_stdout,
)


class ImpactFormat(StrEnum):
    text = "text"
    json = "json"


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
    with guard():
        check_output(output, [org])
        G = load_graph(org, output)
        from orggraph.analysis import failure_impact

        result = failure_impact(G, ids)
        if format_ is ImpactFormat.json:
            from orggraph.render.json import render_impact_json

            text = render_impact_json(result)
        else:
            from orggraph.render.text import render_impact_text

            width = terminal()[1] if to_stdout(output) else 100
            text = render_impact_text(result, G, width=width)
        emit(text, output)


def register(app: typer.Typer) -> None:
    app.command()(impact)

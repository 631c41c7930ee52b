"""``orggraph impact``: who loses service when some parties fail."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import (
    OrgArg,
    OutputOpt,
    check_output,
    emit,
    guard,
    load_graph,
    progress,
    terminal,
    to_stdout,
)
from orggraph.errors import UsageError


class ImpactFormat(StrEnum):
    text = "text"
    json = "json"


def impact(
    org: OrgArg,
    ids: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="ID",
            help="The parties that fail (units, vendors or customers).",
            show_default=False,
        ),
    ] = None,
    format_: Annotated[
        ImpactFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = ImpactFormat.text,
    output: OutputOpt = None,
    pairs: Annotated[
        str | None,
        typer.Option(
            "--pairs",
            metavar="CUSTOMER",
            help="List the minimal double failures of CUSTOMER instead: two units or vendors "
            "that together, but neither alone, stop its service.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, help="With --pairs: list at most N pairs (0: all)."),
    ] = 100,
) -> None:
    """What if these parties fail? Who loses service.

    Lists the units and customers that lose service when every ID fails at once, and the
    customers' total weight. An optional dependency never spreads a failure; an any_of group
    fails only when all of its alternatives do. Parties still served but without a
    nice-to-have (or relying on one that is) run degraded, and are listed apart.

    With --pairs CUSTOMER: every pair of units or vendors whose failure together, but neither
    alone, stops the customer's service.
    """
    with guard():
        check_output(output, [org])
        if pairs is not None:
            if ids:
                raise UsageError("give either IDs to fail or --pairs CUSTOMER, not both")
            _pairs(org, pairs, limit, format_ is ImpactFormat.json, output)
            return
        if not ids:
            raise UsageError("name at least one party to fail, or --pairs CUSTOMER")
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


def _pairs(org: Path, customer: str, limit: int, as_json: bool, output: Path | None) -> None:
    from orggraph.analysis import double_failures

    with progress(org) as step:
        G = load_graph(org, output, step)

        def told(done: int, total: int) -> None:
            if done % 64 == 0 or done == total:
                step(f"double failures: {done:,} of {total:,} parties")

        found = double_failures(G, customer, limit, progress=told)
    if as_json:
        from orggraph.render.json import render_pairs_json

        text = render_pairs_json(found)
    else:
        from orggraph.render.text import render_pairs_text

        width = terminal()[1] if to_stdout(output) else 100
        text = render_pairs_text(found, G, width=width)
    emit(text, output)


def register(app: typer.Typer) -> None:
    app.command()(impact)

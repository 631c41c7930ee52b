"""``orggraph impact``: who loses service when some parties fail."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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
from orggraph.errors import UsageError, did_you_mean


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
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            metavar="ID",
            help="Run one of the file's scenarios (scenarios:), with the recovery of each "
            "customer against its promised recovery.",
            show_default=False,
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            metavar="KEY=VALUE",
            help="Fail the units and vendors matching every KEY=VALUE given (repeatable): "
            "kind, owner, party, tags (has the tag) or an attribute name "
            "(attributes.NAME always means the attribute). Values compare as text.",
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
        typer.Option(
            "--limit", min=0, metavar="N", help="With --pairs: list at most N pairs (0: all)."
        ),
    ] = 100,
) -> None:
    """What if these parties fail? Who loses service.

    Lists the units and customers that lose service when every ID fails at once (a unit with
    its members), and the customers' total weight. An optional dependency never spreads a
    failure; an any_of group fails only when all of its alternatives do. Parties still served
    but without a nice-to-have (or relying on one that is) run degraded, and are listed apart.
    --scenario ID runs a scenario of the file, --where KEY=VALUE fails every unit and vendor
    that matches; both add each impacted customer's recovery against its promised recovery.

    With --pairs CUSTOMER: every pair of units or vendors whose failure together, but neither
    alone, stops the customer's service.
    """
    with guard():
        check_output(output, [org])
        chosen = _where_options(where or [])
        if pairs is not None:
            if ids or scenario is not None or chosen:
                raise UsageError("give either parties to fail or --pairs CUSTOMER, not both")
            _pairs(org, pairs, limit, format_ is ImpactFormat.json, output)
            return
        if scenario is not None and (ids or chosen):
            raise UsageError(
                "--scenario runs the file's scenario as written: give no ID or --where"
            )
        if not ids and scenario is None and not chosen:
            raise UsageError(
                "name what fails: one or more IDs, --scenario ID or --where KEY=VALUE "
                "(or --pairs CUSTOMER)"
            )
        with progress(org) as step:
            G = load_graph(org, output, step)
            from orggraph.analysis import evaluate_scenario, failure_impact, scenarios_of

            run = None
            if scenario is not None:
                planned = {str(x["id"]): x for x in scenarios_of(G)}
                if scenario not in planned:
                    hint = did_you_mean(scenario, sorted(planned)) or (
                        f"the file's scenarios: {', '.join(sorted(planned))}"
                        if planned
                        else "the file has no scenarios: (see docs/format.md)"
                    )
                    raise UsageError(f"unknown scenario '{scenario}'; {hint}")
                x = planned[scenario]
                run = evaluate_scenario(
                    G, x.get("fail") or (), x.get("where") or {}, id=scenario, name=x.get("name")
                )
            elif chosen:
                run = evaluate_scenario(G, ids or (), chosen)
                if not run.matched:
                    shown = " ".join(f"--where {item}" for item in where or [])
                    raise UsageError(
                        f"no party matches {shown}; "
                        "values compare as text, tags=X means has tag X, "
                        "attributes.NAME names an attribute"
                    )
            # a scenario fails what it names and matches: the same failure, with what degrades
            step("failure impact")
            result = failure_impact(G, run.failed if run is not None else ids or [])
        if format_ is ImpactFormat.json:
            from orggraph.render.json import render_impact_json, render_scenario_impact_json

            text = (
                render_impact_json(result)
                if run is None
                else render_scenario_impact_json(result, run)
            )
        else:
            from orggraph.render.whatif import render_impact_text

            width = terminal()[1] if to_stdout(output) else 100
            text = render_impact_text(result, G, width=width, scenario=run)
        emit(text, output)


def _where_options(items: list[str]) -> dict[str, Any]:
    """``--where KEY=VALUE`` options as a scenario's where: repeated ``tags`` add up (the party
    has them all); any other key given twice is refused (no party has two values)."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--where takes KEY=VALUE, got '{item}'; e.g. --where site=Dublin")
        if key == "tags":
            out.setdefault("tags", []).append(value)
        elif key in out:
            raise UsageError(
                f"--where {key} is given twice; a party has one {key}; run one impact per value"
            )
        else:
            out[key] = value
    return out


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
        from orggraph.render.whatif import render_pairs_text

        width = terminal()[1] if to_stdout(output) else 100
        text = render_pairs_text(found, G, width=width)
    emit(text, output)


def register(app: typer.Typer) -> None:
    app.command()(impact)

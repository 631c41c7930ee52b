"""``orggraph generate``: a synthetic organization for benchmarks, demos and tests."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import (
    ForceOpt,
    OutputOpt,
    check_output,
    emit,
    guard,
    refuse_existing,
    wrote,
)
from orggraph.errors import UsageError

MAX_UNITS = 2_000_000
"""The largest organization ``generate`` writes: twice the largest one benchmarked, about 600 MB
of YAML; a mistyped count must end in a message, not in memory exhaustion."""


def _unit_count(value: int) -> int:
    if not 2 <= value <= MAX_UNITS:
        raise typer.BadParameter(f"must be from 2 to {MAX_UNITS:,} units, not {value:,}")
    return value


class Shape(StrEnum):
    org = "org"
    chain = "chain"
    wide_any_of = "wide_any_of"
    big_cycle = "big_cycle"


class DataFormat(StrEnum):
    yaml = "yaml"
    json = "json"


def _format_for(output: Path | None, format_: DataFormat | None) -> DataFormat:
    if format_ is not None:
        return format_
    if output is not None and output.suffix.lower() == ".json":
        return DataFormat.json
    return DataFormat.yaml


def generate(
    units: Annotated[
        int,
        typer.Option(
            "--units",
            "-n",
            callback=_unit_count,
            metavar="N",
            help=f"Number of units (2 to {MAX_UNITS:,}).",
        ),
    ] = 1000,
    seed: Annotated[
        int, typer.Option("--seed", metavar="S", help="Random seed: the same seed, the same org.")
    ] = 0,
    shape: Annotated[
        Shape,
        typer.Option(
            "--shape",
            help="org: departments, teams, shared services, vendors, ~2% customers. "
            "chain, wide_any_of, big_cycle: the extreme shapes (one long chain, one very wide "
            "any_of group, one ring of N units).",
        ),
    ] = Shape.org,
    format_: Annotated[
        DataFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="yaml or json (default: json for a .json output, else yaml).",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Write a synthetic organization that is valid by construction.

    The realistic shape has departments of teams, a few shared services with high fan-in, dependency
    cycles, any_of alternatives, optional links, vendors and about 2% customers. A JSON file loads
    about twice as fast as the same organization in YAML.
    """
    with guard():
        check_output(output, [])
        if output is not None:
            refuse_existing(output, force)
        from orggraph.generate import (
            PATHOLOGICAL_KINDS,
            PathologicalKind,
            generate_org,
            pathological,
        )
        from orggraph.model.dump import dump_org

        if shape is Shape.org:
            if units < 10:
                raise UsageError("--units must be at least 10 for --shape org")
            data = generate_org(units, seed=seed)
        else:
            kinds: dict[str, PathologicalKind] = {k: k for k in PATHOLOGICAL_KINDS}
            data = pathological(kinds[shape.value], units)
        emit(dump_org(data, _format_for(output, format_).value), output)
        wrote(output)


def register(app: typer.Typer) -> None:
    app.command()(generate)

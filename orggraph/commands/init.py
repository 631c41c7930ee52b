"""``orggraph init``: a small, commented org.yaml to start from."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import (
    ORG_FILE,
    ForceOpt,
    emit,
    guard,
    refuse_existing,
    to_stdout,
    wrote,
)


def init(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Where to write the starter file ('-': stdout).",
        ),
    ] = ORG_FILE,
    force: ForceOpt = False,
) -> None:
    """Write a small, commented org.yaml to start from.

    It has a department with three teams, two more units, a vendor and two customers, an any_of,
    an optional dependency, capacities, volumes and lead times; 'orggraph analyze' works on it
    as it is. An existing file is kept unless --force.
    """
    with guard():
        refuse_existing(output, force)
        from orggraph.starter import STARTER

        emit(STARTER, output)
        wrote(output)
        if not to_stdout(output):
            sys.stderr.write(f"next: orggraph analyze {output}\n")


def register(app: typer.Typer) -> None:
    app.command()(init)

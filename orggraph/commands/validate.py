"""``orggraph validate``: check an organization file and print its counts."""

from __future__ import annotations

import sys

import typer

from orggraph.commands._common import OrgArg, guard, load_graph, progress


def validate(org: OrgArg) -> None:
    """Check an organization file and print its counts.

    Prints "ok: FILE: N units, ..." on stdout (exit 0), or every error found, located as
    FILE:LINE:COL, on stderr (exit 2). Warnings go to stderr and do not fail the check.
    """
    with guard():
        from orggraph.analysis.notices import graph_warnings

        with progress(org) as step:
            G = load_graph(org, step=step)
            step("looking for warnings")
            warnings = graph_warnings(G)
        from orggraph.graph import customers, units, vendors
        from orggraph.render._words import plural

        counts = ", ".join(
            [
                plural(len(units(G)), "unit"),
                plural(len(customers(G)), "customer"),
                plural(len(vendors(G)), "vendor"),
                plural(G.number_of_edges(), "dependency", "dependencies"),
            ]
        )
        sys.stdout.write(f"ok: {org}: {counts}\n")
        sys.stdout.flush()
        for warning in warnings:
            sys.stderr.write(f"warning: {warning}\n")


def register(app: typer.Typer) -> None:
    app.command()(validate)

"""``orggraph check``: policy rules for CI, exit 1 when any is broken."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import EXIT_CHECK_FAILED, OrgArg, guard, progress, write_stdout
from orggraph.errors import UsageError


def check(
    org: OrgArg,
    policy_file: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            metavar="FILE",
            help="A YAML file of rules (see docs/workflows.md); flags override it.",
            show_default=False,
        ),
    ] = None,
    max_utilization: Annotated[
        float | None,
        typer.Option(
            "--max-utilization",
            metavar="X",
            help="No unit above this load / capacity (1.0 = full).",
        ),
    ] = None,
    max_impact_weight: Annotated[
        float | None,
        typer.Option(
            "--max-impact-weight",
            metavar="W",
            help="No single point of failure cutting off more customer weight than W.",
        ),
    ] = None,
    protect: Annotated[
        list[str] | None,
        typer.Option(
            "--protect",
            metavar="CUSTOMER",
            help="This customer must have no single point of failure (repeatable).",
        ),
    ] = None,
    max_lead_time: Annotated[
        str | None,
        typer.Option(
            "--max-lead-time",
            metavar="DURATION",
            help="No customer's end-to-end lead time above this (e.g. 3d, 36h).",
        ),
    ] = None,
    no_cycles: Annotated[bool, typer.Option("--no-cycles", help="No dependency cycles.")] = False,
    no_disconnected: Annotated[
        bool, typer.Option("--no-disconnected", help="Every unit reaches a customer.")
    ] = False,
    require_owner: Annotated[
        bool, typer.Option("--require-owner", help="Every unit names an owner.")
    ] = False,
    promises: Annotated[
        bool, typer.Option("--promises", help="Every promise to a customer is met (SPEC §8).")
    ] = False,
    expectations: Annotated[
        bool,
        typer.Option("--expectations", help="Every internal customer's expectation is met."),
    ] = False,
    max_scenario_impact_weight: Annotated[
        float | None,
        typer.Option(
            "--max-scenario-impact-weight",
            metavar="W",
            help="No scenario of the file cutting off more customer weight than W.",
        ),
    ] = None,
    scenario_tolerance: Annotated[
        bool,
        typer.Option(
            "--scenario-tolerance",
            help="No scenario keeps a customer out of service past its promised recovery.",
        ),
    ] = False,
    max_failover_utilization: Annotated[
        float | None,
        typer.Option(
            "--max-failover-utilization",
            metavar="X",
            help="No unit above this load / capacity when one failure elsewhere moves an "
            "any_of group's volume onto it (a backup that cannot carry the load).",
        ),
    ] = None,
) -> None:
    """Check an organization against policy rules, for CI.

    Prints one located line per violation (FILE:LINE:COL: rule: what) and exits 1, or prints
    "ok" and exits 0. Only the rules asked for apply, from --policy FILE and the flags.
    """
    with guard():
        from orggraph.checks import check as run_check
        from orggraph.checks import party_locations
        from orggraph.policy import Policy, check_customer_names, load_policy, merge_flags

        policy = load_policy(policy_file) if policy_file is not None else Policy()
        # an absent switch leaves the policy file's rule alone, so False is "not given" too
        flags = {
            "max_utilization": max_utilization,
            "max_impact_weight": max_impact_weight,
            "protected_customers": list(protect) if protect else None,
            "max_lead_time": max_lead_time,
            "no_cycles": no_cycles or None,
            "no_disconnected": no_disconnected or None,
            "require_owner": require_owner or None,
            "promises": promises or None,
            "expectations": expectations or None,
            "max_scenario_impact_weight": max_scenario_impact_weight,
            "scenario_tolerance": scenario_tolerance or None,
            "max_failover_utilization": max_failover_utilization,
        }
        given = {k: v for k, v in flags.items() if v is not None}
        policy = merge_flags(policy, given)
        if not policy.rules():
            raise UsageError(
                "no rules to check: give --policy FILE or flags such as --max-utilization 1.0, "
                "--max-impact-weight W, --max-lead-time 3d, --no-cycles, --no-disconnected"
                + (f" ({policy_file} sets no rule)" if policy_file is not None else "")
            )
        from orggraph.graph import build_graph
        from orggraph.model import load_sources

        with progress(org) as step:
            step("loading and validating")
            sources = load_sources(org)
            step("building the graph")
            G = build_graph(sources.org)
            check_customer_names(G, policy, policy_file=policy_file, from_flags=given)
            step("checking the rules")
            violations = run_check(G, policy)
            if violations:
                # positions need a second, tracking read of the files: only pay for it when needed
                step("locating the violations")
                where = party_locations(sources.files)
                violations = tuple(v.locate(where) for v in violations)
        if violations:
            write_stdout("".join(v.render() + "\n" for v in violations))
            count = len(violations)
            sys.stderr.write(
                f"{count} violation{'s' if count != 1 else ''} of "
                f"{len(policy.rules())} rule{'s' if len(policy.rules()) != 1 else ''}\n"
            )
            raise typer.Exit(EXIT_CHECK_FAILED)
        rules = ", ".join(r.replace("_", "-") for r in policy.rules())
        write_stdout(f"ok: {org}: {rules}\n")


def register(app: typer.Typer) -> None:
    app.command()(check)

"""``orggraph import``: an edge list (CSV or Excel) to an org.yaml."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from orggraph.commands._common import (
    ORG_FILE,
    ForceOpt,
    check_output,
    emit,
    guard,
    refuse_existing,
    to_stdout,
    wrote,
)
from orggraph.errors import UsageError


def _sheet(names: list[str], wanted: tuple[str, ...]) -> str | None:
    for name in names:
        if name.strip().lower() in wanted:
            return name
    return None


def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="The edge list: .csv (comma, semicolon or tab) or .xlsx, one row per dependency "
            "with columns consumer, supplier and optionally service, volume, required, any_of, "
            "note. With --from backstage: catalog descriptor files, folders of them, or a saved "
            "JSON entity list (several allowed).",
            show_default=False,
        ),
    ],
    source: Annotated[
        str,
        typer.Option(
            "--from",
            metavar="FORMAT",
            help="What FILE is: 'table' (an edge list) or 'backstage' (a Backstage catalog).",
        ),
    ] = "table",
    customers: Annotated[
        list[str] | None,
        typer.Option(
            "--customers",
            metavar="SELECTOR",
            help="With --from backstage: the entities that get an external customer: "
            "type=TYPE, tag=TAG or annotation=KEY (repeatable; any one matching selects).",
            show_default=False,
        ),
    ] = None,
    parties: Annotated[
        Path | None,
        typer.Option(
            "--parties",
            "-p",
            metavar="FILE",
            help="A sheet describing the parties: id, name, party (unit, customer, vendor), "
            "kind, parent, capacity, lead_time, quality, recovery_time, weight, owner, "
            "description. Default: a sheet named 'parties' in an xlsx FILE, if there is one.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="The org file to write ('-': stdout). Never an input.",
        ),
    ] = ORG_FILE,
    force: ForceOpt = False,
) -> None:
    """Turn an edge list (CSV or Excel), or a Backstage catalog, into an org.yaml.

    Each row says that a consumer depends on a supplier. Parties named only in the edge list
    become units; a parties sheet can make them customers or vendors and give their details.
    Rows of one consumer with the same any_of label are alternatives. Every bad row is reported
    as FILE:ROW: column: what, all at once (exit 2); the YAML is checked with the same loader as
    'orggraph validate' before it is written. With --from backstage, every relation the
    catalog import drops is reported on stderr and as a comment in the file (docs/import.md).
    """
    with guard():
        kind = source.strip().lower()
        if kind == "backstage":
            _backstage(files, customers or [], output, force)
            return
        if kind != "table":
            raise UsageError(f"--from '{source}': write table or backstage")
        if customers:
            raise UsageError("--customers applies to --from backstage only")
        if len(files) != 1:
            raise UsageError("an edge list is one FILE; give the parties sheet with --parties")
        file = files[0]
        inputs = [file] + ([parties] if parties is not None else [])
        check_output(output, inputs)
        refuse_existing(output, force)
        from orggraph.workflows.edgelist import check_yaml, import_org, to_yaml
        from orggraph.workflows.tables import read_table, xlsx_sheets

        is_book = file.suffix.lower() in (".xlsx", ".xlsm")
        names = xlsx_sheets(file) if is_book else []
        edge_sheet = _sheet(names, ("edges", "dependencies", "depends_on"))
        edges = read_table(file, sheet=edge_sheet)
        party_table = None
        if parties is not None:
            party_names = (
                xlsx_sheets(parties) if parties.suffix.lower() in (".xlsx", ".xlsm") else []
            )
            party_table = read_table(parties, sheet=_sheet(party_names, ("parties",)))
        elif (party_sheet := _sheet(names, ("parties",))) is not None and party_sheet != names[0]:
            party_table = read_table(file, sheet=party_sheet)
        imported = import_org(edges, party_table)
        text = to_yaml(imported)
        check_yaml(text, "-" if to_stdout(output) else str(output), imported)
        emit(text, output)
        wrote(output)
        data = imported.data
        if not data["customers"] and not to_stdout(output):
            sys.stderr.write(
                "note: no customers: mark them with party = customer in a parties sheet "
                "(--parties), or the analysis has no service chains to follow\n"
            )


def _backstage(paths: list[Path], selectors: list[str], output: Path, force: bool) -> None:
    check_output(output, paths)
    refuse_existing(output, force)
    from orggraph.workflows.backstage import read_catalog
    from orggraph.workflows.backstage_map import map_catalog, parse_selector, to_yaml
    from orggraph.workflows.edgelist import check_yaml

    chosen = [parse_selector(text) for text in selectors]
    catalog = read_catalog(paths)
    mapped = map_catalog(catalog, chosen)
    text = to_yaml(mapped)
    check_yaml(text, "-" if to_stdout(output) else str(output), mapped.imported)
    emit(text, output)
    for note in mapped.notes:
        sys.stderr.write(f"note: {note.render()}\n")
    if mapped.notes:
        sys.stderr.write(
            f"{len(mapped.notes)} relation(s) or entities dropped or chosen; "
            "listed at the top of the written file too\n"
        )
    wrote(output)
    if not mapped.imported.data["customers"]:
        sys.stderr.write(
            "note: no customers: choose the entities customers use with --customers "
            "(type=website, tag=public or annotation=orggraph.io/customer), or the analysis "
            "has no service chains to follow\n"
        )


def register(app: typer.Typer) -> None:
    app.command("import")(import_)

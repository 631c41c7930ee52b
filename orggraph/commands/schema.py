"""``orggraph schema``: the JSON Schema of the org file, for editors."""

from __future__ import annotations

import typer

from orggraph.commands._common import OutputOpt, emit, guard

SCHEMA_TITLE = "orggraph organization file (org.yaml)"


def schema(output: OutputOpt = None) -> None:
    """Print the JSON Schema of the org file, for editors.

    Point the YAML language server at it (a "# yaml-language-server: $schema=FILE" comment)
    to get completion and checks while editing an org file.
    """
    with guard():
        from orggraph.model import Org
        from orggraph.render.json import render_json_schema

        emit(render_json_schema(Org.model_json_schema(), SCHEMA_TITLE), output)


def register(app: typer.Typer) -> None:
    app.command()(schema)

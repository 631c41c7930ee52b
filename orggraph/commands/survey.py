"""``orggraph survey``: the internal customer survey of SPEC §8 (``survey template``)."""

from __future__ import annotations

import typer

from orggraph.commands._common import OrgArg, OutputOpt, emit, guard, load_graph, progress

survey_app = typer.Typer(
    name="survey",
    help="Internal customer surveys: what each consumer perceives of its suppliers.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@survey_app.command()
def template(org: OrgArg, output: OutputOpt = None) -> None:
    """Write the CSV survey a team sends out: one row per dependency, the score left empty.

    Columns consumer,supplier,score,dimension,date,comment; an any_of group gets one row per
    alternative. Each consumer fills in a score (on the scale given to --scale when read back),
    and optionally a dimension, date and comment; rows left empty are not yet answered and do not
    count. Read the answers back with `orggraph analyze ORG --survey FILE`.
    """
    with guard():
        from orggraph.render.survey import render_survey_template

        with progress(org) as step:
            G = load_graph(org, output, step)
            step("writing the survey")
            text = render_survey_template(G)
        emit(text, output)


def register(app: typer.Typer) -> None:
    app.add_typer(survey_app)

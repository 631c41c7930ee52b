"""The survey a team sends out (SPEC §8): one row per dependency for its consumer to score."""

from __future__ import annotations

import networkx as nx

from orggraph.model.survey import COLUMNS

__all__ = ["render_survey_template"]


def render_survey_template(G: nx.DiGraph) -> str:
    """The CSV of an unanswered survey about ``G``: the header, then one row per dependency (an
    any_of group: one row per alternative), sorted by consumer then supplier, every score empty.

    A row with an empty score is a question not answered yet: the file loads as a survey with no
    responses, and fills in as answers come back.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({"units": [
    ...     {"id": "it"}, {"id": "hr"},
    ...     {"id": "shop", "depends_on": [{"any_of": ["it", "hr"]}]}]}))
    >>> print(render_survey_template(G), end="")
    consumer,supplier,score,dimension,date,comment
    shop,hr,,,,
    shop,it,,,,
    """
    empty = "," * (len(COLUMNS) - 2)
    rows = sorted((consumer, supplier) for supplier, consumer in G.edges)
    return ",".join(COLUMNS) + "\n" + "".join(f"{c},{s}{empty}\n" for c, s in rows)

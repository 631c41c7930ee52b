"""The machine-readable outputs: the SPEC §5 report, a what-if impact, the input's JSON Schema.

Same input, same bytes: key order comes from the result objects, lists are already in output
order, and non-ASCII text is kept as it is (UTF-8).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from orggraph.analysis.report import DEFAULT_LIST_LIMIT, Impact, Report

__all__ = ["JSON_SCHEMA_DIALECT", "render_impact_json", "render_json", "render_json_schema"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _dump(value: Any, *, sort_keys: bool = False) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


def render_json(report: Report, list_limit: int = DEFAULT_LIST_LIMIT) -> str:
    """The report as the JSON object of SPEC §5.

    ``list_limit`` caps each critical supplier's ``impacted_customers`` (0: no cap).
    """
    return _dump(report.to_dict(list_limit))


def render_impact_json(impact: Impact) -> str:
    """A what-if failure as ``{"failed", "impacted_units", "impacted_customers",
    "impact_weight"}`` with every list sorted by id.

    >>> print(render_impact_json(Impact(("b", "a"), ("c",), (), 0.0)), end="")
    {
      "failed": [
        "a",
        "b"
      ],
      "impacted_units": [
        "c"
      ],
      "impacted_customers": [],
      "impact_weight": 0.0
    }
    """
    out = impact.to_dict()
    for key in ("failed", "impacted_units", "impacted_customers"):
        out[key] = sorted(out[key])
    return _dump(out)


def render_json_schema(model_schema: Mapping[str, Any], title: str) -> str:
    """A pydantic model's JSON Schema as a draft 2020-12 document for editors, keys sorted."""
    document = {key: value for key, value in model_schema.items() if key != "title"}
    document["$schema"] = JSON_SCHEMA_DIALECT
    document["title"] = title
    return _dump(document, sort_keys=True)

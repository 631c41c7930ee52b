"""The machine-readable outputs: the SPEC §5 report, a what-if impact, the input's JSON Schema.

Same input, same bytes: key order comes from the result objects, lists are already in output
order, and non-ASCII text is kept as it is (UTF-8).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from orggraph._perf import paused_gc, reused_encoder
from orggraph.analysis.report import (
    DEFAULT_LIST_LIMIT,
    DoubleFailures,
    Impact,
    Report,
    ScenarioResult,
)

__all__ = [
    "JSON_SCHEMA_DIALECT",
    "render_impact_json",
    "render_json",
    "render_json_schema",
    "render_pairs_json",
    "render_scenario_impact_json",
]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _dump(value: Any, *, sort_keys: bool = False) -> str:
    return (
        json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys, allow_nan=False) + "\n"
    )


# allow_nan=False: NaN and Infinity are not JSON; the model's bounds on figures (docs/format.md,
# Limits) keep every figure finite, and a figure that was not would fail here, not in a reader
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False)


_SHORT = 6  # an object value with at most this many entries stays on its key's line


def _one_entry_per_line(document: Mapping[str, Any]) -> str:
    """A JSON object with each top-level key on its own line, and each entry of a list or of a
    longer object value on its own line, written compactly.

    Large reports hold hundreds of thousands of entries: this layout keeps them one per line (easy
    to read, grep and diff) and lets the C encoder write each entry, several times faster than
    ``indent=2``, which the json module only writes in Python. Entries are joined per section and
    the sections once at the end, with no string made per entry to indent or wrap it: the report
    can be tens of megabytes, and each such step would copy it again.
    """
    write = reused_encoder(_ENCODER)  # once per document: see its docstring
    out: list[str] = []
    for key, value in document.items():
        out.append(",\n  " if out else "{\n  ")
        out.append(f"{write(key)}: ")
        if isinstance(value, list) and value:
            out.append("[\n    ")
            out.append(",\n    ".join(map(write, value)))
            out.append("\n  ]")
        elif isinstance(value, dict) and len(value) > _SHORT:
            out.append("{\n    ")
            out.append(",\n    ".join([f"{write(k)}: {write(v)}" for k, v in value.items()]))
            out.append("\n  }")
        else:
            out.append(write(value))
    out.append("\n}\n" if out else "{\n\n}\n")
    return "".join(out)


def render_json(report: Report, list_limit: int = DEFAULT_LIST_LIMIT) -> str:
    """The report as the JSON object of SPEC §5, one entry per line.

    ``list_limit`` caps each critical supplier's and each group's ``impacted_customers``
    (0: no cap).
    """
    with paused_gc():  # hundreds of thousands of small dicts, none of them garbage
        return _one_entry_per_line(report.to_dict(list_limit))


def render_scenario_impact_json(impact: Impact, scenario: ScenarioResult) -> str:
    """A failure run as a scenario (``impact --scenario`` or ``--where``): the keys of
    :func:`render_impact_json` after ``"scenario"`` (its id, null for ``--where`` alone), then
    ``"recovery"`` (SPEC §7)."""
    out: dict[str, Any] = {"scenario": scenario.id or None}
    out.update(_impact_dict(impact))
    out["recovery"] = [r.to_dict() for r in scenario.recovery]
    return _dump(out)


def render_impact_json(impact: Impact) -> str:
    """A what-if failure as ``{"failed", "failed_members", "impacted_units",
    "impacted_customers", "impact_weight", "degraded_customers", "degraded_units",
    "redundancy_lost"}`` with every list sorted by id.

    >>> print(render_impact_json(Impact(("b", "a"), ("c",), (), 0.0)), end="")
    {
      "failed": [
        "a",
        "b"
      ],
      "failed_members": [],
      "impacted_units": [
        "c"
      ],
      "impacted_customers": [],
      "impact_weight": 0.0,
      "degraded_customers": [],
      "degraded_units": [],
      "redundancy_lost": []
    }
    """
    return _dump(_impact_dict(impact))


def _impact_dict(impact: Impact) -> dict[str, Any]:
    out = impact.to_dict()
    for key in (
        "failed",
        "failed_members",
        "impacted_units",
        "impacted_customers",
        "degraded_customers",
        "degraded_units",
        "redundancy_lost",
    ):
        out[key] = sorted(out[key])
    return out


def render_pairs_json(found: DoubleFailures) -> str:
    """The minimal double failures of a customer as ``{"customer", "pairs", "truncated"}``,
    each pair on one line.

    >>> print(render_pairs_json(DoubleFailures("pax", (("a", "b"),), False)), end="")
    {
      "customer": "pax",
      "pairs": [
        ["a", "b"]
      ],
      "truncated": false
    }
    """
    return _one_entry_per_line(found.to_dict())


def render_json_schema(model_schema: Mapping[str, Any], title: str) -> str:
    """A pydantic model's JSON Schema as a draft 2020-12 document for editors, keys sorted."""
    document = {key: value for key, value in model_schema.items() if key != "title"}
    document["$schema"] = JSON_SCHEMA_DIALECT
    document["title"] = title
    return _dump(document, sort_keys=True)

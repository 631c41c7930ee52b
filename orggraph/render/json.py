"""The machine-readable outputs: the SPEC §5 report, a what-if impact, the input's JSON Schema.

Same input, same bytes: key order comes from the result objects, lists are already in output
order, and non-ASCII text is kept as it is (UTF-8).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from orggraph.analysis.report import DEFAULT_LIST_LIMIT, Impact, Report
from orggraph.model.load import paused_gc

__all__ = ["JSON_SCHEMA_DIALECT", "render_impact_json", "render_json", "render_json_schema"]

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _dump(value: Any, *, sort_keys: bool = False) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=sort_keys) + "\n"


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def _entry_writer() -> Callable[[Any], str]:
    """What ``json.dumps(value, ensure_ascii=False, separators=(", ", ": "))`` writes, for many
    values in a row.

    ``json.dumps`` and ``JSONEncoder.encode`` make a new C encoder at every call: for the 100,000
    entries of a large report that is a tenth of the writing. This makes the C encoder the json
    module makes, with the same arguments, once per report, and falls back to the encoder where
    there is no C accelerator (``c_make_encoder`` is json's own, undocumented, name for it). Once
    per report: its circular-reference markers are only sure to be empty again after an encoding
    that succeeded.
    """
    make: Callable[..., Any] | None = getattr(json.encoder, "c_make_encoder", None)
    enc = _ENCODER
    if make is None:  # no C accelerator
        return enc.encode
    try:
        write = make(
            {} if enc.check_circular else None,
            enc.default,
            json.encoder.encode_basestring,  # ensure_ascii=False
            enc.indent,
            enc.key_separator,
            enc.item_separator,
            enc.sort_keys,
            enc.skipkeys,
            enc.allow_nan,
        )
    except TypeError:  # an accelerator this code does not know how to call
        return enc.encode

    def encode(value: Any) -> str:
        if type(value) is int:  # line_of_sight's counts: what the encoder writes for an int
            return int.__repr__(value)
        return "".join(write(value, 0))

    return encode


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
    write = _entry_writer()
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


def render_impact_json(impact: Impact) -> str:
    """A what-if failure as ``{"failed", "failed_members", "impacted_units",
    "impacted_customers", "impact_weight"}`` with every list sorted by id.

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
      "impact_weight": 0.0
    }
    """
    out = impact.to_dict()
    for key in ("failed", "failed_members", "impacted_units", "impacted_customers"):
        out[key] = sorted(out[key])
    return _dump(out)


def render_json_schema(model_schema: Mapping[str, Any], title: str) -> str:
    """A pydantic model's JSON Schema as a draft 2020-12 document for editors, keys sorted."""
    document = {key: value for key, value in model_schema.items() if key != "title"}
    document["$schema"] = JSON_SCHEMA_DIALECT
    document["title"] = title
    return _dump(document, sort_keys=True)

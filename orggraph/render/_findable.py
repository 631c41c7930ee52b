"""What the page's find and filter controls read: each drawn party's searchable fields and facets,
and the choices the filters offer.

The page searches id, name, owner, tags and attributes, and filters by party kind, department,
alarm (critical, overloaded, near capacity, a promise broken: SPEC §8) and tag. All of it is
plain data in the page's JSON block, read by ``assets/find.js`` and written to the page only as
text, so a name can never become markup.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from orggraph.graph import ATTRIBUTES, KIND, NAME, OWNER, PARTY, TAGS, UNIT
from orggraph.render._tooltips import clip
from orggraph.render._viewcontext import ViewContext
from orggraph.render._views import DEPARTMENT

__all__ = ["FLAGS", "find_choices", "findable"]

#: the alarms a party can be filtered by, in the order the page lists them, with their words
FLAGS = {
    "critical": "critical supplier",
    "overloaded": "overloaded (over 100%)",
    "near": "near capacity",
    "broken": "promise broken",
}
_VALUE_LIMIT = 160  # characters of one searchable value (an attribute can be long)
_ATTRIBUTE_LIMIT = 40  # attributes of one party that are searchable


def findable(view: nx.DiGraph, n: str, ctx: ViewContext, collapsed: bool) -> dict[str, Any]:
    """The searchable fields and facets of node ``n`` of the drawn ``view``.

    ``fields`` are ``[what, value]`` pairs (id, name, owner, tag, attribute) the search matches
    and the result list quotes; ``party`` is unit, customer, vendor, group or department;
    ``kind`` a unit's declared kind; ``dept`` its top-level department (None when it has none);
    ``flags`` its alarms (:data:`FLAGS`); ``tags`` its tags.
    """
    data = view.nodes[n]
    department_node = collapsed and data[PARTY] == DEPARTMENT
    name = str(data.get(NAME) or n)
    fields: list[list[str]] = [["id", n]]
    if name != n:
        fields.append(["name", clip(name, _VALUE_LIMIT)])
    if data.get(OWNER):
        fields.append(["owner", clip(data[OWNER], _VALUE_LIMIT)])
    tags = sorted({str(t) for t in data.get(TAGS) or ()})
    fields += [["tag", clip(t, _VALUE_LIMIT)] for t in tags]
    attributes: Mapping[str, Any] = data.get(ATTRIBUTES) or {}
    for key in sorted(attributes)[:_ATTRIBUTE_LIMIT]:
        value = attributes[key]
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        fields.append(["attribute", clip(f"{key}: {shown}", _VALUE_LIMIT)])

    fig = ctx.figures[n]
    if department_node:
        party = DEPARTMENT
        dept: str | None = n
        critical, overloaded = data["critical"] > 0, data["overloaded"] > 0
        near = any(
            ctx.figures[m].near_capacity and not ctx.figures[m].overloaded for m in data["members"]
        )
        broken = False
    else:
        party = "group" if fig.group is not None else str(data[PARTY])
        top = ctx.department_of.get(n, n)
        dept = top if top != n or top in ctx.hue_of else None
        critical, overloaded = fig.critical, fig.overloaded
        near = fig.near_capacity and not fig.overloaded
        broken = any(not p.met for p in ctx.promises_of.get(n, ()))
    on = {"critical": critical, "overloaded": overloaded, "near": near, "broken": broken}
    return {
        "party": party,
        "kind": str(data[KIND]) if data[PARTY] == UNIT and data.get(KIND) else None,
        "dept": dept,
        "flags": [f for f in FLAGS if on[f]],
        "tags": tags,
        "fields": fields,
    }


def find_choices(ctx: ViewContext, found: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """What the filters offer for the drawn nodes' ``found`` facets: the parties, unit kinds,
    departments (id and name, by name), alarms and tags present, each sorted."""
    found = list(found)
    departments = sorted(
        {f["dept"] for f in found if f["dept"] is not None},
        key=lambda d: (str(ctx.G.nodes[d].get(NAME) or d).casefold(), d),
    )
    present = {flag for f in found for flag in f["flags"]}
    return {
        "parties": sorted({f["party"] for f in found if f["party"] is not None}),
        "kinds": sorted({f["kind"] for f in found if f["kind"] is not None}),
        "departments": [[d, clip(ctx.G.nodes[d].get(NAME) or d, 60)] for d in departments],
        "flags": [[flag, words] for flag, words in FLAGS.items() if flag in present],
        "tags": sorted({t for f in found for t in f["tags"]}),
    }

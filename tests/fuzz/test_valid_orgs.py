"""Random valid organizations go through everything: load, graph, analyses, every renderer.

Two sources: ``generate_org`` at random sizes and seeds (realistic shapes), and a strategy that
builds small org dicts directly (any ids, cycles, any_of groups, optional dependencies, missing
or extreme numbers, parents, odd text in names), which reach corners the generator does not.
``ORGGRAPH_FUZZ=long`` runs twenty times more examples (see ``_fuzz.py``).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from orggraph.analysis import analyze, failure_impact
from orggraph.generate import generate_org
from orggraph.graph import build_graph
from orggraph.model import load_dict, load_text
from orggraph.model.dump import dump_org
from orggraph.render.export import export_graph
from orggraph.render.html import MAX_VIEW_NODES, render_html
from orggraph.render.json import render_impact_json, render_json
from orggraph.render.markdown import render_markdown
from orggraph.render.text import render_text
from orggraph.render.whatif import render_impact_text

from ._fuzz import examples, time_budget

EXPORTS = ("graphml", "gexf", "json", "mermaid", "dot")


def everything(data: dict[str, Any]) -> None:
    """Load ``data`` and put it through every analysis and renderer; YAML and JSON dumps of it
    read back as the same organization."""
    org = load_dict(data)
    G = build_graph(org)
    report = analyze(G)
    assert render_text(report)
    assert json.loads(render_json(report))["summary"]["units"] == len(org.units)
    assert render_markdown(report)
    for fmt in EXPORTS:
        assert export_graph(G, report, fmt)
    if G.number_of_nodes() <= MAX_VIEW_NODES:
        assert "<!DOCTYPE html>" in render_html(G, report)
    for failed in (sorted(G)[:1], sorted(G)[-2:]):
        impact = failure_impact(G, failed)
        assert render_impact_text(impact, G)
        assert json.loads(render_impact_json(impact))
    for fmt in ("yaml", "json"):
        assert load_text(dump_org(data, fmt), f"same.{fmt}") == org


@examples(0.05)
@given(st.integers(10, 150), st.integers(0, 10**6))
def test_generated_orgs(units: int, seed: int) -> None:
    with time_budget(60):
        everything(generate_org(units, seed=seed))


IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,12}", fullmatch=True)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
NUMBER = st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False)
LEAD = st.one_of(
    st.builds(lambda n, u: f"{n:.2f}{u}", st.floats(0, 1e6), st.sampled_from("mhdw")),
    st.sampled_from(["P2D", "PT6H", "P1DT12H", "P1W", "PT90M", "0h"]),
)


@st.composite
def orgs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid organization as a dict: ids unique, every reference resolves, no rule broken,
    but otherwise anything (cycles, any_of groups, optional edges, zero volumes, huge numbers)."""
    ids = draw(st.lists(IDS, min_size=1, max_size=25, unique_by=str.lower))
    n_cust = draw(st.integers(0, min(4, len(ids) - 1)))
    n_vend = draw(st.integers(0, min(4, len(ids) - n_cust)))
    customers, vendors = ids[:n_cust], ids[n_cust : n_cust + n_vend]
    units = ids[n_cust + n_vend :]
    suppliers = units + vendors

    def maybe(strategy: st.SearchStrategy[Any]) -> Any:
        return draw(st.one_of(st.none(), strategy))

    def depends_on(me: str) -> list[Any]:
        pool = [s for s in suppliers if s != me]
        chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=5)) if pool else []
        out: list[Any] = []
        while chosen:
            form = draw(st.integers(0, 2))
            if form == 2 and len(chosen) >= 2:
                group, chosen = chosen[:2], chosen[2:]
                entry: dict[str, Any] = {"any_of": group}
            else:
                supplier, chosen = chosen[0], chosen[1:]
                if form == 0:
                    out.append(supplier)
                    continue
                entry = {"supplier": supplier}
            for key, value in (
                ("volume", maybe(NUMBER)),
                ("required", maybe(st.booleans())),
                ("service", maybe(TEXT)),
            ):
                if value is not None:
                    entry[key] = value
            out.append(entry)
        return out

    def party(pid: str, *, unit: bool, customer: bool) -> dict[str, Any]:
        item: dict[str, Any] = {"id": pid}
        extras = {
            "name": maybe(TEXT),
            "lead_time": maybe(LEAD),
            "quality": maybe(st.floats(0, 1)),
            "tags": maybe(st.lists(TEXT, max_size=3)),
            "attributes": maybe(st.dictionaries(IDS, st.one_of(TEXT, NUMBER), max_size=2)),
        }
        if unit:
            extras["capacity"] = maybe(st.floats(1e-6, 1e12))
            extras["kind"] = maybe(st.sampled_from(["team", "department", "system", "other"]))
        if customer:
            extras["weight"] = maybe(st.floats(1e-6, 1e12))
        item.update({k: v for k, v in extras.items() if v is not None})
        if not unit and not customer:
            return item
        deps = depends_on(pid)
        if deps:
            item["depends_on"] = deps
        return item

    unit_items = [party(u, unit=True, customer=False) for u in units]
    for index, item in enumerate(unit_items[1:], start=1):  # parents only point backwards
        if draw(st.booleans()):
            item["parent"] = units[draw(st.integers(0, index - 1))]
    data: dict[str, Any] = {
        "units": unit_items,
        "customers": [party(c, unit=False, customer=True) for c in customers],
        "vendors": [party(v, unit=False, customer=False) for v in vendors],
    }
    if draw(st.booleans()):
        data["organization"] = {"name": draw(TEXT), "period": "week"}
    return data


@examples(0.6)
@given(orgs())
def test_built_orgs(data: dict[str, Any]) -> None:
    with time_budget(30):
        everything(data)

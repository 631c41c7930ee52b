"""One declaration per party field: the models, the listing table, and what reads them agree."""

from __future__ import annotations

import pytest

from orggraph import graph
from orggraph.diff import PARTY_FIELDS as DIFF_FIELDS
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.model.schema import (
    PARTY_FIELD_NAMED,
    PARTY_FIELDS,
    Customer,
    PartyField,
    Unit,
    Vendor,
)

MODELS = {"unit": Unit, "customer": Customer, "vendor": Vendor}


def test_the_table_lists_every_model_field_once() -> None:
    declared = {n for m in MODELS.values() for n in m.model_fields} - {"id", "depends_on"}
    names = [f.name for f in PARTY_FIELDS]
    assert sorted(names) == sorted(declared)
    assert len(set(names)) == len(names)
    assert {f.name: f for f in PARTY_FIELDS} == PARTY_FIELD_NAMED


@pytest.mark.parametrize("field", PARTY_FIELDS, ids=lambda f: f.name)
def test_parties_of_a_field_are_the_models_that_declare_it(field: PartyField) -> None:
    assert field.parties == tuple(p for p, m in MODELS.items() if field.name in m.model_fields)


def test_node_data_holds_the_party_and_exactly_its_models_fields() -> None:
    G = build_graph(
        load_dict(
            {
                "units": [{"id": "a", "kind": "system", "tags": ["x"], "attributes": {"k": 1}}],
                "customers": [{"id": "c", "depends_on": ["a"]}],
                "vendors": [{"id": "v"}],
            }
        )
    )
    for n, party in (("a", "unit"), ("c", "customer"), ("v", "vendor")):
        data = G.nodes[n]
        expected = [k for k in MODELS[party].model_fields if k not in ("id", "depends_on")]
        assert list(data) == ["party", *expected]
        assert data["party"] == party
    assert G.nodes["a"]["kind"] == "system"  # the word, not the enum
    assert G.nodes["c"]["name"] == "c"  # the display name defaults to the id


def test_node_data_lists_and_mappings_are_the_graphs_own() -> None:
    org = load_dict({"units": [{"id": "a", "tags": ["x"], "attributes": {"k": [1]}}]})
    G = build_graph(org)
    G.nodes["a"]["tags"].append("y")
    G.nodes["a"]["attributes"]["new"] = 2
    assert org.units[0].tags == ["x"]
    assert org.units[0].attributes == {"k": [1]}


def test_graph_key_constants_name_schema_fields() -> None:
    for const in ("NAME", "KIND", "PARENT", "CAPACITY", "LEAD_TIME", "QUALITY", "WEIGHT"):
        assert getattr(graph, const) in PARTY_FIELD_NAMED


def test_diff_compares_the_party_and_every_field_in_listing_order() -> None:
    assert ("party", *(f.name for f in PARTY_FIELDS)) == DIFF_FIELDS

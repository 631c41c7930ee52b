"""``build_graph`` fills the networkx dicts itself: it must give exactly the graph that
``add_nodes_from`` and ``add_edges_from`` give, and every node and edge its own data dict."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from orggraph.generate import generate_org
from orggraph.graph import (
    ANY_OF,
    CUSTOMER,
    EXPECTS,
    GROUP_VOLUME,
    NOTE,
    PRIMARY,
    REQUIRED,
    SERVICE,
    UNIT,
    VENDOR,
    VOLUME,
    _node_data,
    build_graph,
    group_id,
)
from orggraph.model import AnyOf, Dependency, Org, load, load_dict

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(ROOT.glob("examples/*.yaml"))


def reference_graph(org: Org) -> nx.DiGraph:
    """The graph as networkx's own methods build it (how build_graph did it before)."""
    G = nx.DiGraph()
    G.graph["organization"] = {"name": org.organization.name, "period": org.organization.period}
    if org.scenarios:  # SPEC §7: the file's scenarios ride on the graph, in file order
        G.graph["scenarios"] = [
            {"id": x.id, "name": x.name or x.id, "fail": [*x.fail], "where": {**x.where}}
            for x in org.scenarios
        ]
    G.add_nodes_from((u.id, _node_data(u, UNIT)) for u in org.units)
    G.add_nodes_from((c.id, _node_data(c, CUSTOMER)) for c in org.customers)
    G.add_nodes_from((v.id, _node_data(v, VENDOR)) for v in org.vendors)
    edges: list[tuple[str, str, dict[str, Any]]] = []
    for consumer in [*org.units, *org.customers]:
        for index, dep in enumerate(consumer.depends_on):
            data: dict[str, Any] = {
                SERVICE: None,
                VOLUME: None,
                REQUIRED: True,
                NOTE: None,
                ANY_OF: None,
                GROUP_VOLUME: None,
                PRIMARY: None,
                EXPECTS: None,
            }
            if isinstance(dep, str):
                edges.append((dep, consumer.id, data))
            elif isinstance(dep, Dependency):
                data.update({SERVICE: dep.service, VOLUME: dep.volume, REQUIRED: dep.required})
                data[NOTE] = dep.note
                data[EXPECTS] = None if dep.expects is None else dep.expects.model_dump()
                edges.append((dep.supplier, consumer.id, data))
            elif isinstance(dep, AnyOf):
                share = None if dep.volume is None else dep.volume / len(dep.any_of)
                data.update({SERVICE: dep.service, VOLUME: share, REQUIRED: dep.required})
                data.update({NOTE: dep.note, ANY_OF: group_id(consumer.id, index)})
                data[GROUP_VOLUME] = dep.volume
                data[PRIMARY] = dep.primary
                data[EXPECTS] = None if dep.expects is None else dep.expects.model_dump()
                for s in dep.any_of:
                    edge = {**data, EXPECTS: data[EXPECTS] and dict(data[EXPECTS])}
                    if dep.primary is not None and dep.volume is not None:
                        edge[VOLUME] = dep.volume if s == dep.primary else 0.0
                    edges.append((s, consumer.id, edge))
    G.add_edges_from(edges)
    return G


def assert_same_graph(G: nx.DiGraph, H: nx.DiGraph) -> None:
    """Equal data, and equal order everywhere an analysis could iterate."""
    assert G.graph == H.graph
    assert list(G.nodes(data=True)) == list(H.nodes(data=True))
    for n in G:
        assert list(G.nodes[n]) == list(H.nodes[n])  # key order of the node data
    assert list(G.edges(data=True)) == list(H.edges(data=True))
    assert [list(G.pred[n].items()) for n in G] == [list(H.pred[n].items()) for n in H]
    for u, v, data in G.edges(data=True):
        assert list(data) == list(H.edges[u, v])
        assert G.pred[v][u] is data  # one dict per edge, seen from both ends


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_build_as_networkx_would(path: Path) -> None:
    org = load(path)
    assert_same_graph(build_graph(org), reference_graph(org))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_orgs_build_as_networkx_would(seed: int) -> None:
    org = load_dict(generate_org(1500, seed=seed))
    assert_same_graph(build_graph(org), reference_graph(org))


def test_a_model_that_skipped_the_rules_builds_as_networkx_would() -> None:
    # Org.model_validate checks fields only: a repeated id, a supplier that is no party and a
    # repeated supplier reach build_graph this way, and networkx merges them its own way
    org = Org.model_validate(
        {
            "units": [
                {"id": "a", "capacity": 3},
                {"id": "b", "depends_on": ["a", "ghost", {"supplier": "a", "volume": 2}]},
                {"id": "a", "owner": "second"},
            ],
            "customers": [{"id": "c", "depends_on": [{"any_of": ["b", "b", "ghost"]}]}],
        }
    )
    assert_same_graph(build_graph(org), reference_graph(org))


def test_every_node_and_edge_has_its_own_data() -> None:
    org = load_dict(generate_org(300, seed=3))
    G = build_graph(org)
    edge_data = [data for *_, data in G.edges(data=True)]
    assert len({id(data) for data in edge_data}) == len(edge_data)
    node_data = [data for _, data in G.nodes(data=True)]
    assert len({id(data) for data in node_data}) == len(node_data)
    # changing one edge, even of an any_of group, changes no other edge nor the next graph
    data = next(d for *_, d in G.edges(data=True) if d[ANY_OF] is not None)
    data[VOLUME] = -1.0
    assert [d[VOLUME] for *_, d in G.edges(data=True)].count(-1.0) == 1
    # an edge of a plain '- supplier' entry, whose data starts as a copy of a shared template
    consumer = next(c for c in org.units if any(isinstance(d, str) for d in c.depends_on))
    supplier = next(d for d in consumer.depends_on if isinstance(d, str))
    G.edges[supplier, consumer.id][REQUIRED] = False
    assert sum(not d[REQUIRED] for *_, d in G.edges(data=True)) == 1 + sum(
        not d[REQUIRED] for *_, d in reference_graph(org).edges(data=True)
    )
    assert_same_graph(build_graph(org), reference_graph(org))
    # node lists are copies, never the frozen model's own
    unit = org.units[0]
    assert G.nodes[unit.id]["tags"] is not unit.tags
    assert G.nodes[unit.id]["attributes"] is not unit.attributes

"""Exports: GraphML and GEXF read back with networkx; Mermaid and DOT checked against the
grammar they are written in; every format deterministic and safe with hostile names."""

from __future__ import annotations

import io
import json
import random
import re

import networkx as nx
import pytest

from orggraph.analysis import analyze
from orggraph.analysis.report import Report
from orggraph.errors import UsageError
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.render.export import EXPORT_FORMATS, export_graph

KEY_NODE_FIELDS = ("party", "name", "capacity", "lead_time", "quality", "weight", "parent", "kind")


def read_back(G: nx.DiGraph, report: Report, fmt: str) -> nx.DiGraph:
    text = export_graph(G, report, fmt)
    if fmt == "graphml":
        H: nx.DiGraph = nx.read_graphml(io.StringIO(text))
    else:
        H = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    return H


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_read_back_gives_the_same_graph(
    acme_graph: nx.DiGraph, acme_report: Report, fmt: str
) -> None:
    H = read_back(acme_graph, acme_report, fmt)
    assert H.is_directed()
    assert sorted(H) == sorted(acme_graph)
    assert sorted(H.edges()) == sorted(acme_graph.edges())
    for n, data in acme_graph.nodes(data=True):
        for key in KEY_NODE_FIELDS:
            if data.get(key) is not None:
                assert H.nodes[n][key] == data[key], (n, key)
            else:
                assert key not in H.nodes[n], (n, key)  # None is dropped, never "None"
        assert json.loads(H.nodes[n]["tags"]) == data["tags"]
        assert json.loads(H.nodes[n]["attributes"]) == data["attributes"]
    for u, v, data in acme_graph.edges(data=True):
        got = H.edges[u, v]
        assert got["required"] is data["required"]
        for key in ("service", "volume", "any_of", "group_volume", "note"):
            if data.get(key) is not None:
                assert got[key] == data[key], (u, v, key)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_analysis_figures_are_node_attributes(
    acme_graph: nx.DiGraph, acme_report: Report, fmt: str
) -> None:
    H = read_back(acme_graph, acme_report, fmt)
    for rank, supplier in enumerate(acme_report.critical_suppliers):
        node = H.nodes[supplier.id]
        assert node["critical"] is True, rank
        assert node["impact_weight"] == pytest.approx(supplier.impact_weight)
        assert node["impacted_customers"] == len(supplier.impacted_customers)
        assert node["impacted_units"] == supplier.impacted_units
    assert H.nodes["recruiting"]["critical"] is False
    assert H.nodes["recruiting"]["impact_weight"] == 0.0
    for party, load in acme_report.loads.items():
        if load.utilization is not None:
            assert H.nodes[party]["utilization"] == pytest.approx(load.utilization)
            assert H.nodes[party]["load"] == pytest.approx(load.load)
    for party, value in acme_report.betweenness.items():
        assert H.nodes[party]["betweenness"] == pytest.approx(value)
    for party, distance in acme_report.line_of_sight:
        assert H.nodes[party]["line_of_sight"] == distance
    assert H.nodes["desk-eu"]["department"] == "it"
    chain = next(c for c in acme_report.service_chains if c.customer == "shoppers")
    assert H.nodes["shoppers"]["chain_lead_time_hours"] == pytest.approx(chain.lead_time_hours)
    assert json.loads(H.nodes["shoppers"]["critical_chain"]) == list(chain.critical_chain)


def test_node_link_json(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    data = json.loads(export_graph(acme_graph, acme_report, "json"))
    H = nx.node_link_graph(data, edges="edges")
    assert sorted(H) == sorted(acme_graph) and sorted(H.edges()) == sorted(acme_graph.edges())
    assert H.nodes["desk-eu"]["tags"] == ["support"]  # JSON keeps lists as lists
    assert H.nodes["desk-eu"]["capacity"] == 120.0
    assert data["graph"] == {"organization_name": "Acme Retail", "organization_period": "week"}


def hostile_controls() -> nx.DiGraph:
    return build_graph(
        load_dict(
            {
                "units": [
                    {
                        "id": "a",
                        "name": 'bell\x07 <x> & "q" ]]> \\ end',
                        "attributes": {"k\x01": ["\x02", {"n": None}]},
                    },
                    {
                        "id": "b",
                        "depends_on": [{"supplier": "a", "service": "x\x0by", "note": "\n"}],
                    },
                ],
                "customers": [{"id": "end", "name": "end", "depends_on": ["b"]}],
            }
        )
    )


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_survive_characters_xml_cannot_carry(fmt: str) -> None:
    G = hostile_controls()
    H = read_back(G, analyze(G), fmt)
    assert H.nodes["a"]["name"] == 'bell\ufffd <x> & "q" ]]> \\ end'
    assert H.edges["a", "b"]["service"] == "x\ufffdy"


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_same_bytes_whatever_the_insertion_order(
    acme_graph: nx.DiGraph, acme_report: Report, fmt: str
) -> None:
    rng = random.Random(11)
    nodes, edges = list(acme_graph.nodes(data=True)), list(acme_graph.edges(data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    shuffled = nx.DiGraph()
    shuffled.graph.update(acme_graph.graph)
    shuffled.add_nodes_from(nodes)
    shuffled.add_edges_from(edges)
    first = export_graph(acme_graph, acme_report, fmt)
    assert export_graph(shuffled, acme_report, fmt) == first
    assert export_graph(acme_graph, acme_report, fmt) == first


def test_unknown_format() -> None:
    G = hostile_controls()
    with pytest.raises(UsageError) as info:
        export_graph(G, analyze(G), "grapml")
    assert str(info.value) == (
        "unknown export format 'grapml': choose one of graphml, gexf, json, mermaid, dot; "
        "did you mean 'graphml'?"
    )


# -- Mermaid: every line is one of the forms the exporter writes ------------------------------

ID = r"n\d+"
LABEL = r'"[^"\n]*"'
MERMAID_LINE = re.compile(
    "|".join(
        [
            r"flowchart LR",
            rf"    {ID}\[{LABEL}\]",  # unit
            rf"    {ID}\(\[{LABEL}\]\)",  # customer
            rf"    {ID}\{{\{{{LABEL}\}}\}}",  # vendor
            rf"    {ID} (-->|-\.->) {ID}",  # required / optional
            rf"    {ID} (-->|-\.->)\|{LABEL}\| {ID}",  # any_of alternative
            r"    classDef [a-z]+ [a-z-]+:[#\w ]+(,[a-z-]+:[#\w ]+)*",
            rf"    class {ID}(,{ID})* [a-z]+",
        ]
    )
)
# what a label may contain: no quote, markup, backtick or bare '#' (only entities like #quot;)
LABEL_TEXT = re.compile(r'^(?:[^"<>`#\\\n]|#(?:quot|lt|gt|amp|\d+);)*$')


def check_mermaid(text: str) -> None:
    assert text.endswith("\n")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    for line in lines:
        assert MERMAID_LINE.fullmatch(line), f"not in the grammar: {line!r}"
        assert line.count('"') % 2 == 0
        for label in re.findall(LABEL, line):
            assert LABEL_TEXT.match(label[1:-1]), label


def test_mermaid_grammar(acme_graph: nx.DiGraph, acme_report: Report) -> None:
    text = export_graph(acme_graph, acme_report, "mermaid")
    check_mermaid(text)
    lines = text.splitlines()
    assert sum(1 for line in lines if re.fullmatch(r"    n\d+(\[|\(\[|\{\{).*", line)) == len(
        acme_graph
    )
    assert sum(1 for line in lines if "->" in line) == acme_graph.number_of_edges()
    assert sum(1 for line in lines if "-.->" in line) == sum(
        1 for *_, r in acme_graph.edges(data="required") if not r
    )
    assert any(line.endswith(" critical") for line in lines)
    assert '    n3 -->|"any of 2: IT support"| n16' in lines  # desk-eu -> stores


def test_mermaid_with_hostile_names(hostile_graph: nx.DiGraph, hostile_report: Report) -> None:
    check_mermaid(export_graph(hostile_graph, hostile_report, "mermaid"))
    G = hostile_controls()
    text = export_graph(G, analyze(G), "mermaid")
    check_mermaid(text)
    assert '["bell #lt;x#gt; #amp; #quot;q#quot; ]]#gt; #92; end"]' in text
    assert '(["end"])' in text  # a label may say "end"; only ids are keywords, and ours are nN


# -- DOT --------------------------------------------------------------------------------------

QUOTED = r'"(?:[^"\\\n]|\\.)*"'
ATTR = rf"[a-z]+=(?:{QUOTED}|[\w.]+)"
DOT_LINE = re.compile(
    "|".join(
        [
            rf"digraph {QUOTED} \{{",
            r"    rankdir=LR;",
            rf"    (?:node|edge) \[{ATTR}(?:, {ATTR})*\];",
            rf"    {QUOTED} \[{ATTR}(?:, {ATTR})*\];",
            rf"    {QUOTED} -> {QUOTED}(?: \[{ATTR}(?:, {ATTR})*\])?;",
            r"\}",
        ]
    )
)


@pytest.mark.parametrize("which", ["acme", "hostile", "controls"])
def test_dot_grammar(
    which: str,
    acme_graph: nx.DiGraph,
    acme_report: Report,
    hostile_graph: nx.DiGraph,
    hostile_report: Report,
) -> None:
    if which == "acme":
        G, report = acme_graph, acme_report
    elif which == "hostile":
        G, report = hostile_graph, hostile_report
    else:
        G = hostile_controls()
        report = analyze(G)
    text = export_graph(G, report, "dot")
    for line in text.splitlines():
        assert DOT_LINE.fullmatch(line), f"not in the grammar: {line!r}"
    assert sum(1 for line in text.splitlines() if " -> " in line) == G.number_of_edges()

"""Turn a validated :class:`~orggraph.model.Org` into the service graph (SPEC §2).

One node per party keyed by id; one edge **supplier → consumer** per dependency, the direction in
which service flows toward the customer. The ``parent`` hierarchy is node data, not edges.

Attribute names are defined here once; analyses and renderers import them from here.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

import networkx as nx

from orggraph._perf import age_survivors, graph_dicts, paused_gc
from orggraph.model import AnyOf, Customer, Dependency, Org, Unit, Vendor
from orggraph.model.schema import PARTY_FIELD_NAMED, PARTY_FIELDS, ServiceLevels

__all__ = [
    "ANY_OF",
    "ATTRIBUTES",
    "CAPACITY",
    "CUSTOMER",
    "DESCRIPTION",
    "EXPECTS",
    "GROUP_VOLUME",
    "KIND",
    "LEAD_TIME",
    "NAME",
    "NOTE",
    "OWNER",
    "PARENT",
    "PARTY",
    "PRIMARY",
    "PROMISE",
    "QUALITY",
    "RECOVERY_TIME",
    "REQUIRED",
    "SCENARIOS",
    "SERVICE",
    "TAGS",
    "UNIT",
    "VENDOR",
    "VOLUME",
    "WEIGHT",
    "build_graph",
    "customers",
    "parties_of",
    "units",
    "vendors",
]

# node data: the kind of party, then every field the party's model declares (PARTY_FIELDS)
PARTY = "party"
UNIT = "unit"
CUSTOMER = "customer"
VENDOR = "vendor"


def _field(name: str) -> str:
    """A node data key, checked against the schema when this module is imported."""
    if name not in PARTY_FIELD_NAMED:
        raise RuntimeError(f"{name!r} is no party field of orggraph.model.schema")
    return name


NAME = _field("name")  # the display name: the id where the file gives none
KIND = _field("kind")  # units only
PARENT = _field("parent")  # units only, or None
CAPACITY = _field("capacity")  # units only, or None
LEAD_TIME = _field("lead_time")  # hours, or None
QUALITY = _field("quality")  # 0..1, or None
WEIGHT = _field("weight")  # customers only
OWNER = _field("owner")
DESCRIPTION = _field("description")
TAGS = _field("tags")
ATTRIBUTES = _field("attributes")
RECOVERY_TIME = _field("recovery_time")  # units and vendors: hours, or None
PROMISE = _field("promise")  # customers: {lead_time, quality, recovery} (hours, 0..1), or None

# edge data
SERVICE = "service"
VOLUME = "volume"  # demand this edge places on its supplier (an any_of edge carries its share)
REQUIRED = "required"
ANY_OF = "any_of"  # group id shared by the edges of one any_of group, else None
GROUP_VOLUME = "group_volume"  # an any_of group's whole volume, before splitting
NOTE = "note"
PRIMARY = "primary"  # an any_of group's primary alternative (SPEC §9), else None
EXPECTS = "expects"  # the consumer's service levels expected of this supplier, else None

# graph data
SCENARIOS = "scenarios"  # the file's scenarios (SPEC §7), when it has any: see build_graph


def _node_keys(model: type[Unit | Customer | Vendor]) -> tuple[str, ...]:
    """The node data keys of a party of this model, in the model's declaration order."""
    return tuple(name for name in model.model_fields if name in PARTY_FIELD_NAMED)


# per model: its keys, and a getter reading their values from a model instance's field dict at
# once (the graph holds one data dict per party, so this runs once per party)
_READERS = {
    model: (keys, itemgetter(*keys))
    for model in (Unit, Customer, Vendor)
    for keys in [_node_keys(model)]
}
# values the graph must not share with the (frozen) model: a copy of each list and mapping
_COPIES: tuple[tuple[str, type[list[Any]] | type[dict[str, Any]]], ...] = tuple(
    (f.name, list if f.form == "tags" else dict)
    for f in PARTY_FIELDS
    if f.form in ("tags", "mapping")
)
_CHOICES = tuple(f.name for f in PARTY_FIELDS if f.form == "choice")
_LEVELS = tuple(f.name for f in PARTY_FIELDS if f.form == "levels")


def _levels(levels: ServiceLevels | None) -> dict[str, float | None] | None:
    """Service levels as plain data: lead_time and recovery in hours, quality 0..1."""
    return None if levels is None else levels.model_dump()


def _node_data(party: Unit | Customer | Vendor, kind: str) -> dict[str, Any]:
    keys, read = _READERS[type(party)]
    data: dict[str, Any] = {PARTY: kind}
    data.update(zip(keys, read(party.__dict__), strict=True))
    data[NAME] = party.label
    for name, copy in _COPIES:
        data[name] = copy(data[name])
    for name in _CHOICES:
        if name in data:
            data[name] = data[name].value
    for name in _LEVELS:
        if name in data:
            data[name] = _levels(data[name])
    return data


def group_id(consumer: str, index: int) -> str:
    """The id of the ``index``-th entry of ``consumer``'s depends_on when it is an any_of group."""
    return f"{consumer}#{index}"


# The data of an edge from a plain ``- supplier`` entry. Each such edge gets its own copy: edge
# data dicts are the graph's, and a caller may change one edge's data.
_PLAIN_EDGE: dict[str, Any] = {
    SERVICE: None,
    VOLUME: None,
    REQUIRED: True,
    NOTE: None,
    ANY_OF: None,
    GROUP_VOLUME: None,
    PRIMARY: None,
    EXPECTS: None,
}


def build_graph(org: Org) -> nx.DiGraph:
    """Build the service graph of a validated organization.

    ``G.graph["organization"]`` holds the organization's name and period; ``G.graph["scenarios"]``
    (:data:`SCENARIOS`), when the file has scenarios, a list of ``{"id", "name" (the id when the
    file gives none), "fail", "where"}`` in file order.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> org = load_dict({"units": [{"id": "a"}, {"id": "b", "depends_on": ["a"]}],
    ...                  "customers": [{"id": "c", "depends_on": [{"any_of": ["a", "b"],
    ...                                                             "volume": 4}]}]})
    >>> G = build_graph(org)
    >>> sorted(G.edges())
    [('a', 'b'), ('a', 'c'), ('b', 'c')]
    >>> G.edges["a", "c"]["volume"], G.edges["a", "c"]["any_of"]
    (2.0, 'c#0')
    """
    with paused_gc():  # only new objects: the collector would rescan them for nothing
        G = nx.DiGraph()
        G.graph["organization"] = {
            "name": org.organization.name,
            "period": org.organization.period,
        }
        if org.scenarios:
            G.graph[SCENARIOS] = [
                {"id": x.id, "name": x.label, "fail": list(x.fail), "where": dict(x.where)}
                for x in org.scenarios
            ]
        _fill(G, org)
        age_survivors()  # the graph is kept: a young collection would scan it for nothing
    return G


def _fill(G: nx.DiGraph, org: Org) -> None:
    """Add the parties and dependencies to an empty graph, straight into its adjacency dicts.

    This is what ``add_nodes_from`` and ``add_edges_from`` do, giving the same nodes, edges,
    data and order (nodes in file order, edges in the order of the consumers and their
    depends_on), without their per-item checks and copies: each node and edge gets a data dict
    made for it alone, so there is nothing to copy (see :func:`orggraph._perf.graph_dicts`). An
    id that comes twice, or a supplier that is no party, is handled as networkx would (the data
    is merged; the supplier becomes a node without data), though a loaded model has neither.
    """
    node, succ, pred = graph_dicts(G)

    def add_node(pid: str, data: dict[str, Any]) -> None:
        known = node.setdefault(pid, data)
        if known is data:
            succ[pid] = {}
            pred[pid] = {}
        else:  # the id again: networkx merges the data
            known.update(data)

    for unit in org.units:
        add_node(unit.id, _node_data(unit, UNIT))
    for customer in org.customers:
        add_node(customer.id, _node_data(customer, CUSTOMER))
    for vendor in org.vendors:
        add_node(vendor.id, _node_data(vendor, VENDOR))

    # Each id as the node's own key object: a reference read from a file is a string of its own
    # (JSON's reader shares none), and keeping it as a key of pred[v] would keep one more copy of
    # an id alive per dependency for as long as the graph lives.
    key_of = {pid: pid for pid in node}

    def add_edge(u: str, v: str, into_v: dict[str, dict[str, Any]], data: dict[str, Any]) -> None:
        """Add u -> v; ``into_v`` is ``pred[v]``, looked up once per consumer."""
        u = key_of.get(u, u)
        out = succ.get(u)
        if out is None:  # not a party: networkx would add it without data
            node[u] = {}
            out = succ[u] = {}
            pred[u] = {}
        known = out.setdefault(v, data)
        if known is data:
            into_v[u] = data
        else:  # the same edge again: networkx updates its data in place
            known.update(data)

    plain = _PLAIN_EDGE
    consumers: list[Unit | Customer] = [*org.units, *org.customers]
    for consumer in consumers:
        v = consumer.id
        into_v = pred[v]
        for index, dep in enumerate(consumer.depends_on):
            if isinstance(dep, str):
                add_edge(dep, v, into_v, plain.copy())
            elif isinstance(dep, Dependency):
                data = {
                    SERVICE: dep.service,
                    VOLUME: dep.volume,
                    REQUIRED: dep.required,
                    NOTE: dep.note,
                    ANY_OF: None,
                    GROUP_VOLUME: None,
                    PRIMARY: None,
                    EXPECTS: _levels(dep.expects),
                }
                add_edge(dep.supplier, v, into_v, data)
            elif isinstance(dep, AnyOf):
                volume = dep.volume
                primary = dep.primary
                group: dict[str, Any] = {
                    SERVICE: dep.service,
                    VOLUME: None if volume is None else volume / len(dep.any_of),
                    REQUIRED: dep.required,
                    NOTE: dep.note,
                    ANY_OF: group_id(v, index),
                    GROUP_VOLUME: volume,
                    PRIMARY: primary,
                }
                expects = _levels(dep.expects)
                for supplier in dep.any_of:
                    # each edge's data is its own, its expectations too
                    edge = {**group, EXPECTS: None if expects is None else dict(expects)}
                    if primary is not None and volume is not None:
                        # normal traffic goes to the primary; the backups carry none of it
                        edge[VOLUME] = volume if supplier == primary else 0.0
                    add_edge(supplier, v, into_v, edge)


def parties_of(G: nx.DiGraph, kind: str) -> list[str]:
    """Ids of the parties of one kind (``unit``, ``customer`` or ``vendor``), sorted."""
    return sorted(n for n, d in G.nodes(data=True) if d[PARTY] == kind)


def units(G: nx.DiGraph) -> list[str]:
    """Sorted unit ids."""
    return parties_of(G, UNIT)


def customers(G: nx.DiGraph) -> list[str]:
    """Sorted customer ids."""
    return parties_of(G, CUSTOMER)


def vendors(G: nx.DiGraph) -> list[str]:
    """Sorted vendor ids."""
    return parties_of(G, VENDOR)

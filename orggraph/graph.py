"""Turn a validated :class:`~orggraph.model.Org` into the service graph (SPEC §2).

One node per party keyed by id; one edge **supplier → consumer** per dependency, the direction in
which service flows toward the customer. The ``parent`` hierarchy is node data, not edges.

Attribute names are defined here once; analyses and renderers import them from here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import networkx as nx

from orggraph.model import AnyOf, Customer, Dependency, Org, Unit, Vendor
from orggraph.model.load import paused_gc

__all__ = [
    "ANY_OF",
    "CUSTOMER",
    "GROUP_VOLUME",
    "PARTY",
    "REQUIRED",
    "SERVICE",
    "UNIT",
    "VENDOR",
    "VOLUME",
    "build_graph",
    "customers",
    "parties_of",
    "units",
    "vendors",
]

# node data
PARTY = "party"
UNIT = "unit"
CUSTOMER = "customer"
VENDOR = "vendor"

# edge data
SERVICE = "service"
VOLUME = "volume"  # demand this edge places on its supplier (an any_of edge carries its share)
REQUIRED = "required"
ANY_OF = "any_of"  # group id shared by the edges of one any_of group, else None
GROUP_VOLUME = "group_volume"  # an any_of group's whole volume, before splitting
NOTE = "note"


def _node_data(party: Unit | Customer | Vendor, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        PARTY: kind,
        "name": party.label,
        "description": party.description,
        "owner": party.owner,
        "tags": list(party.tags),
        "attributes": dict(party.attributes),
        "lead_time": party.lead_time,  # hours, or None
        "quality": party.quality,
    }
    if isinstance(party, Unit):
        data["kind"] = party.kind.value
        data["parent"] = party.parent
        data["capacity"] = party.capacity
    elif isinstance(party, Customer):
        data["weight"] = party.weight
    return data


def group_id(consumer: str, index: int) -> str:
    """The id of the ``index``-th entry of ``consumer``'s depends_on when it is an any_of group."""
    return f"{consumer}#{index}"


def build_graph(org: Org) -> nx.DiGraph:
    """Build the service graph of a validated organization.

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
        G.add_nodes_from((unit.id, _node_data(unit, UNIT)) for unit in org.units)
        G.add_nodes_from((c.id, _node_data(c, CUSTOMER)) for c in org.customers)
        G.add_nodes_from((vendor.id, _node_data(vendor, VENDOR)) for vendor in org.vendors)
        G.add_edges_from(_edges([*org.units, *org.customers]))
    return G


def _edges(consumers: list[Unit | Customer]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(supplier, consumer, data) for every dependency, in file order."""
    for consumer in consumers:
        for index, dep in enumerate(consumer.depends_on):
            if isinstance(dep, str):
                yield dep, consumer.id, _edge(None, None, True, None, None, None)
            elif isinstance(dep, Dependency):
                data = _edge(dep.service, dep.volume, dep.required, dep.note, None, None)
                yield dep.supplier, consumer.id, data
            elif isinstance(dep, AnyOf):
                gid = group_id(consumer.id, index)
                share = None if dep.volume is None else dep.volume / len(dep.any_of)
                for supplier in dep.any_of:
                    data = _edge(dep.service, share, dep.required, dep.note, gid, dep.volume)
                    yield supplier, consumer.id, data


def _edge(
    service: str | None,
    volume: float | None,
    required: bool,
    note: str | None,
    group: str | None,
    group_volume: float | None,
) -> dict[str, Any]:
    return {
        SERVICE: service,
        VOLUME: volume,
        REQUIRED: required,
        NOTE: note,
        ANY_OF: group,
        GROUP_VOLUME: group_volume,
    }


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

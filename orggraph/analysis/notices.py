"""The warnings of SPEC §1 and §3: reported with the analysis, never fatal."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import networkx as nx

from orggraph.analysis.bottlenecks import loads as party_loads
from orggraph.analysis.chains import disconnected_units
from orggraph.analysis.cycles import cycles as dependency_cycles
from orggraph.analysis.report import Load
from orggraph.graph import customers as customers_of
from orggraph.graph import units as units_of

__all__ = ["MAX_LISTED", "graph_warnings", "org_warnings"]

MAX_LISTED = 10
"""How many ids one aggregated warning names before it says "and N more"."""


def _listing(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:MAX_LISTED])
    rest = len(ids) - MAX_LISTED
    return f"{shown} and {rest} more" if rest > 0 else shown


def org_warnings(
    *,
    customers: int,
    disconnected: Sequence[str],
    cycles: Sequence[Sequence[str]],
    loads: Mapping[str, Load],
    units: Sequence[str],
) -> tuple[str, ...]:
    """The warnings about an analyzed organization, in a fixed order.

    In order: no customers at all; units with no path to any customer (one warning, left out when
    there are no customers since the first one says it all); one per dependency cycle (members in
    id order, back to the first); units that receive volume but have no capacity (one warning).
    Aggregated warnings name at most :data:`MAX_LISTED` ids.

    Examples
    --------
    >>> for warning in org_warnings(
    ...         customers=1, disconnected=["a", "b"], cycles=[["f", "p"]],
    ...         loads={"d": Load(3.0, None)}, units=["a", "b", "d", "f", "p"]):
    ...     print(warning)
    2 units have no path to any customer: a, b
    dependency cycle: f → p → f
    1 unit receives volume but has no capacity: d
    """
    out: list[str] = []
    if customers == 0:
        out.append("no customers: nothing to analyze service for")
    elif disconnected:
        ids = sorted(disconnected)
        verb = "units have" if len(ids) != 1 else "unit has"
        out.append(f"{len(ids)} {verb} no path to any customer: {_listing(ids)}")
    for cycle in cycles:
        members = sorted(cycle)
        out.append("dependency cycle: " + " → ".join([*members, members[0]]))
    unit_set = set(units)
    uncapped = sorted(
        x
        for x, load in loads.items()
        if x in unit_set and load.load is not None and load.capacity is None
    )
    if uncapped:
        verb = (
            "units receive volume but have"
            if len(uncapped) != 1
            else ("unit receives volume but has")
        )
        out.append(f"{len(uncapped)} {verb} no capacity: {_listing(uncapped)}")
    return tuple(out)


def graph_warnings(G: nx.DiGraph) -> tuple[str, ...]:
    """The warnings of :func:`org_warnings` for the graph ``G``, the same that
    :func:`orggraph.analysis.analyze` reports, without the costly analyses (failure impact,
    betweenness) that do not feed them: what ``orggraph validate`` prints.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_node("a", party="unit")
    >>> graph_warnings(G)
    ('no customers: nothing to analyze service for',)
    """
    return org_warnings(
        customers=len(customers_of(G)),
        disconnected=disconnected_units(G),
        cycles=dependency_cycles(G),
        loads=party_loads(G),
        units=units_of(G),
    )

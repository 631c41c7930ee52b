"""The graph the page explores on click: what a party's failure takes down (SPEC §3, §7, §9) and
what a party needs upstream, computed in the page's own script (``assets/explore.js``).

The page receives the whole organization, not only the drawn view, so a click answers exactly as
``orggraph impact`` does even in a focused or collapsed view. The data is compact: parties are
numbered in id order and every reference is a number.

``ids``, ``names`` ("" where the name is the id), ``party`` (one letter a party: ``u`` unit,
``c`` customer, ``v`` vendor), ``weight`` (``[customer, weight]`` where it is not 1), ``parent``
(``[unit, parent]`` pairs), ``deps`` (per party, its dependencies: ``[required, supplier]`` or
``[required, alternative, alternative, …]`` for an ``any_of`` group, required as 1 or 0),
``chain`` (per party, ``[from, …tail]``: its critical chain is the chain of ``from`` (−1: none)
followed by the tail; see :func:`~orggraph.analysis.chains.critical_chain_steps`), ``drawn``
(per party, the position in the page's node list of the node that shows it, −1 when not drawn)
and ``scenarios`` (each ``{"id", "name", "fail"}``: the parties it fails, as numbers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from orggraph.analysis.chains import critical_chain_steps
from orggraph.analysis.report import Report
from orggraph.graph import ANY_OF, CUSTOMER, NAME, PARENT, PARTY, REQUIRED, VENDOR, WEIGHT

__all__ = ["explore_data"]

_LETTER = {CUSTOMER: "c", VENDOR: "v"}


def explore_data(
    G: nx.DiGraph, report: Report, drawn_as: Mapping[str, str], drawn: Sequence[str]
) -> dict[str, Any]:
    """The compact graph of ``G`` for the page's click answers. ``drawn_as`` maps a party to the
    id of the node that shows it (itself, or its department when collapsed); ``drawn`` lists the
    page's node ids in order."""
    ids = sorted(G)
    index = {n: i for i, n in enumerate(ids)}
    position = {n: i for i, n in enumerate(drawn)}
    names: list[str] = []
    party = []
    weight: list[list[float]] = []
    parent: list[list[int]] = []
    deps: list[list[list[int]]] = []
    for i, n in enumerate(ids):
        data = G.nodes[n]
        name = data.get(NAME)
        names.append(str(name) if name is not None and name != n else "")
        kind = data[PARTY]
        party.append(_LETTER.get(kind, "u"))
        if kind == CUSTOMER:
            w = data.get(WEIGHT)
            if w is not None and float(w) != 1.0:
                weight.append([i, float(w)])
        up = data.get(PARENT)
        if up is not None and up in index:
            parent.append([i, index[up]])
        singles: list[list[int]] = []
        groups: dict[str, tuple[int, list[int]]] = {}
        for d, edge in G.pred[n].items():
            required = 1 if edge.get(REQUIRED, True) else 0
            group = edge.get(ANY_OF)
            if group is None:
                singles.append([required, index[d]])
            else:
                groups.setdefault(str(group), (required, []))[1].append(index[d])
        entries = sorted(singles, key=lambda e: e[1])
        entries += sorted(([r, *sorted(a)] for r, a in groups.values()), key=lambda e: e[1:])
        deps.append(entries)
    steps = critical_chain_steps(G)
    chain = []
    for n in ids:
        start, tail = steps[n]
        chain.append([-1 if start is None else index[start], *(index[t] for t in tail)])
    return {
        "ids": ids,
        "names": names,
        "party": "".join(party),
        "weight": weight,
        "parent": parent,
        "deps": deps,
        "chain": chain,
        "drawn": [position.get(drawn_as.get(n, ""), -1) for n in ids],
        "scenarios": [
            {"id": s.id, "name": s.name or "", "fail": [index[x] for x in s.failed if x in index]}
            for s in report.scenarios
        ],
    }

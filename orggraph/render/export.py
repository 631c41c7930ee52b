"""Exports of the service graph for other tools: GraphML and GEXF (Gephi, yEd, Cytoscape),
networkx node-link JSON, Mermaid (GitHub renders it) and Graphviz DOT.

Every node carries its facts from the org file and the analysis figures from the Report
(``impact_weight``, ``impacted_customers`` as a count, ``impacted_units``, ``critical``,
``load``, ``utilization``, ``betweenness``, ``fan_in``, ``line_of_sight``, ``department`` and,
for customers, their chain's ``chain_lead_time_hours``, ``chain_quality`` and ``chain_depth``).
Output is deterministic: nodes and edges sorted by id, attributes by name. Nothing is written;
the caller writes the returned text.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx

from orggraph.analysis.report import Report
from orggraph.errors import UsageError, did_you_mean
from orggraph.graph import ANY_OF, CUSTOMER, NAME, PARTY, REQUIRED, SERVICE, VENDOR, VOLUME
from orggraph.model.figures import format_percent
from orggraph.model.schema import PARTY_FIELDS
from orggraph.render._style import CRITICAL, OVERLOADED
from orggraph.render._views import PartyFigures, party_figures, top_departments

__all__ = ["EXPORT_FORMATS", "export_graph", "mermaid_label"]

EXPORT_FORMATS = ("graphml", "gexf", "json", "mermaid", "dot")

# XML 1.0 cannot carry most control characters, even escaped: they become U+FFFD
# figures held as floats in every export: the party fields that are measures, and the analysis's
_MEASURES = (*(f.name for f in PARTY_FIELDS if f.measure), "load", "utilization")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def export_graph(G: nx.DiGraph, report: Report, fmt: str) -> str:
    """The graph with its analysis figures in format ``fmt`` (one of :data:`EXPORT_FORMATS`)."""
    writers: dict[str, Callable[[nx.DiGraph, Report], str]] = {
        "graphml": _graphml,
        "gexf": _gexf,
        "json": _node_link,
        "mermaid": _mermaid,
        "dot": _dot,
    }
    writer = writers.get(fmt)
    if writer is None:
        hint = did_you_mean(fmt, EXPORT_FORMATS)
        raise UsageError(
            f"unknown export format '{fmt}': choose one of {', '.join(EXPORT_FORMATS)}"
            + (f"; {hint}" if hint else "")
        )
    return writer(G, report)


# -- the enriched graph ---------------------------------------------------------------------


def _figures_of(fig: PartyFigures, department: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "critical": fig.critical,
        "impact_weight": float(fig.impact_weight),
        "impacted_customers": fig.impacted_customers,
        "impacted_units": fig.impacted_units,
        "fan_in": fig.fan_in,
        "department": department,
        "load": fig.load,
        "utilization": fig.utilization,
        "betweenness": fig.betweenness,
        "line_of_sight": fig.line_of_sight,
    }
    if fig.chain is not None:
        out["chain_lead_time_hours"] = float(fig.chain.lead_time_hours)
        out["chain_quality"] = float(fig.chain.quality)
        out["chain_depth"] = fig.chain.depth
        out["critical_chain"] = list(fig.chain.critical_chain)
    return out


def _enriched(G: nx.DiGraph, report: Report) -> nx.DiGraph:
    """A new graph, nodes and edges inserted in sorted order, each node's data extended with
    its analysis figures; numbers that are whole by nature stay int, measures become float."""
    figures = party_figures(G, report)
    department = top_departments(G)
    H = nx.DiGraph()
    organization: Mapping[str, Any] = G.graph.get("organization") or {}
    H.graph.update({f"organization_{k}": v for k, v in sorted(organization.items())})
    for n in sorted(G):
        data = dict(G.nodes[n])
        data.update(_figures_of(figures[n], department[n]))
        data["label"] = data.get(NAME) or n
        for key in _MEASURES:
            if data.get(key) is not None:
                data[key] = float(data[key])
        H.add_node(n, **dict(sorted(data.items())))
    for u, v in sorted(G.edges()):
        data = dict(G.edges[u, v])
        for key in (VOLUME, "group_volume"):
            if data.get(key) is not None:
                data[key] = float(data[key])
        H.add_edge(u, v, **dict(sorted(data.items())))
    return H


def _scalar(value: Any) -> Any:
    """A value GraphML and GEXF can hold: text, number or bool; lists and mappings as JSON;
    text cleaned of what XML cannot carry; None and non-finite numbers are dropped.

    The rule of every export: a non-finite number is no value, null in JSON. GraphML and GEXF have
    no null, so a top-level one is left out, and one inside a list or mapping is written ``null``.

    >>> _scalar({"x": float("nan"), "y": [float("inf"), 1]}), _scalar(float("-inf"))
    ('{"x": null, "y": [null, 1]}', None)
    """
    if value is None:
        return None
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return _NOT_XML.sub("\ufffd", value)
    text = json.dumps(
        _json_safe(value), ensure_ascii=False, sort_keys=True, default=str, allow_nan=False
    )
    return _NOT_XML.sub("\ufffd", text)


def _flat(H: nx.DiGraph) -> nx.DiGraph:
    F = nx.DiGraph()
    F.graph.update({k: s for k, v in H.graph.items() if (s := _scalar(v)) is not None})
    for n, data in H.nodes(data=True):
        F.add_node(n, **{k: s for k, v in data.items() if (s := _scalar(v)) is not None})
    for u, v, data in H.edges(data=True):
        F.add_edge(u, v, **{k: s for k, v2 in data.items() if (s := _scalar(v2)) is not None})
    return F


def _graphml(G: nx.DiGraph, report: Report) -> str:
    F = _flat(_enriched(G, report))
    return "\n".join(nx.generate_graphml(F, encoding="utf-8", prettyprint=True)) + "\n"


def _gexf(G: nx.DiGraph, report: Report) -> str:
    F = _flat(_enriched(G, report))
    text = "\n".join(nx.generate_gexf(F, encoding="utf-8", prettyprint=True)) + "\n"
    # the writer stamps today's date: drop it, so the same input gives the same bytes
    return re.sub(r' lastmodifieddate="[0-9-]+"', "", text, count=1)


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def _node_link(G: nx.DiGraph, report: Report) -> str:
    data = nx.node_link_data(_enriched(G, report), edges="edges")
    return json.dumps(_json_safe(data), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# -- Mermaid --------------------------------------------------------------------------------

_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "\\": "#92;",
    # "%%" starts a comment and "%%{...}%%" a directive anywhere in the text, quotes or not
    "%": "#37;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
}


def mermaid_label(text: str, limit: int = 60) -> str:
    """Text safe inside a quoted Mermaid label: one line, no quote, no markup, no entity that
    Mermaid would read (``#`` itself is written as an entity), no ``%`` (comments and
    ``%%{init}%%`` directives), brace or bar.

    >>> mermaid_label('Ops "EU" <b>#1</b>')
    'Ops #quot;EU#quot; #lt;b#gt;#35;1#lt;/b#gt;'
    >>> mermaid_label("%%{init: {'theme': 'dark'}}%%")
    "#37;#37;#123;init: #123;'theme': 'dark'#125;#125;#37;#37;"
    """
    flat = " ".join(_NOT_XML.sub(" ", text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in flat)


def _mermaid(G: nx.DiGraph, report: Report) -> str:
    figures = party_figures(G, report)
    ids = {n: f"n{i}" for i, n in enumerate(sorted(G))}
    lines = ["flowchart LR"]
    for n in sorted(G):
        data = G.nodes[n]
        label = mermaid_label(str(data.get(NAME) or n))
        party = data[PARTY]
        if party == CUSTOMER:
            lines.append(f'    {ids[n]}(["{label}"])')
        elif party == VENDOR:
            lines.append(f'    {ids[n]}{{{{"{label}"}}}}')
        else:
            lines.append(f'    {ids[n]}["{label}"]')
    group_number: dict[str, int] = {}
    for u, v in sorted(G.edges()):
        data = G.edges[u, v]
        arrow = "-->" if data.get(REQUIRED, True) else "-.->"
        group = data.get(ANY_OF)
        if group is not None:
            number = group_number.setdefault(group, len(group_number) + 1)
            text = f"any of {number}" + (f": {data[SERVICE]}" if data.get(SERVICE) else "")
            lines.append(f'    {ids[u]} {arrow}|"{mermaid_label(text, 40)}"| {ids[v]}')
        else:
            lines.append(f"    {ids[u]} {arrow} {ids[v]}")
    lines.append("    classDef customer fill:#d7f5dc,stroke:#2e7d32")
    lines.append("    classDef vendor fill:#fbe3cf,stroke:#b35a00")
    lines.append(f"    classDef critical stroke:{CRITICAL},stroke-width:3px")
    lines.append(
        f"    classDef overloaded stroke:{OVERLOADED},stroke-width:3px,stroke-dasharray:5 3"
    )
    classes = {
        "customer": [n for n in sorted(G) if G.nodes[n][PARTY] == CUSTOMER],
        "vendor": [n for n in sorted(G) if G.nodes[n][PARTY] == VENDOR],
        "critical": [n for n in sorted(G) if figures[n].critical],
        "overloaded": [n for n in sorted(G) if figures[n].overloaded and not figures[n].critical],
    }
    for name, members in classes.items():
        if members:
            lines.append(f"    class {','.join(ids[n] for n in members)} {name}")
    return "\n".join(lines) + "\n"


# -- Graphviz DOT ---------------------------------------------------------------------------


def _dot_quote(text: Any) -> str:
    """A DOT double-quoted string on one line: runs of whitespace (line and paragraph
    separators included) become one space; backslashes and quotes are escaped."""
    s = " ".join(_NOT_XML.sub("\ufffd", str(text)).split())
    s = s.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def _dot(G: nx.DiGraph, report: Report) -> str:
    figures = party_figures(G, report)
    organization: Mapping[str, Any] = G.graph.get("organization") or {}
    name = organization.get("name") or "orggraph"
    lines = [
        f"digraph {_dot_quote(name)} {{",
        "    rankdir=LR;",
        '    node [shape=box, style="rounded,filled", fillcolor="#dbe8f6", fontname="Helvetica"];',
        '    edge [color="#546e7a", fontname="Helvetica", fontsize=10];',
    ]
    shapes = {CUSTOMER: ("ellipse", "#d7f5dc"), VENDOR: ("hexagon", "#fbe3cf")}
    volumes = [float(v) for *_, v in G.edges(data=VOLUME) if v is not None]
    top_volume = max(volumes, default=0.0)
    for n in sorted(G):
        data = G.nodes[n]
        fig = figures[n]
        attrs = {"label": _dot_quote(data.get(NAME) or n)}
        if data[PARTY] in shapes:
            shape, fill = shapes[data[PARTY]]
            attrs["shape"] = shape
            attrs["fillcolor"] = _dot_quote(fill)
        tooltip = [f"{data[PARTY]} {n}"]
        if fig.critical:
            attrs["color"] = _dot_quote(CRITICAL)
            attrs["penwidth"] = "3"
            tooltip.append(f"critical: impact weight {fig.impact_weight:g}")
        elif fig.overloaded:
            attrs["color"] = _dot_quote(OVERLOADED)
            attrs["penwidth"] = "3"
            attrs["style"] = '"rounded,filled,dashed"'
        if fig.utilization is not None:
            tooltip.append(f"utilization {format_percent(fig.utilization)}")
        attrs["tooltip"] = _dot_quote("; ".join(tooltip))
        lines.append(f"    {_dot_quote(n)} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];")
    for u, v in sorted(G.edges()):
        data = G.edges[u, v]
        attrs = {}
        if not data.get(REQUIRED, True):
            attrs["style"] = "dashed"
        if data.get(ANY_OF) is not None:
            attrs["style"] = "dotted" if data.get(REQUIRED, True) else "dashed"
            attrs["color"] = '"#00897b"'
            attrs["label"] = _dot_quote(
                "any of" + (f": {data[SERVICE]}" if data.get(SERVICE) else "")
            )
        elif data.get(SERVICE):
            attrs["label"] = _dot_quote(data[SERVICE])
        if data.get(VOLUME) is not None and top_volume > 0:
            attrs["penwidth"] = f"{1 + 3 * math.sqrt(float(data[VOLUME]) / top_volume):.2f}"
        suffix = f" [{', '.join(f'{k}={v}' for k, v in attrs.items())}]" if attrs else ""
        lines.append(f"    {_dot_quote(u)} -> {_dot_quote(v)}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"

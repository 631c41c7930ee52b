"""The interactive view: one self-contained, offline HTML page drawn by vis-network.

The page is generated here, not from pyvis's template: that template loads bootstrap from a CDN and
writes its heading and select menu unescaped. pyvis is used only as the source of the vis-network
9.1.2 bundle it ships (read from the installed package and inlined), so no request ever leaves the
page. Positions are computed in Python (a layered layout, vendors left, customers right) and physics
is off, so even a view at the size limit draws in about a second.

Everything that comes from the org file reaches the page in one of two safe ways: as HTML-escaped
text (title, legend), or inside a JSON data block whose ``<``, ``>`` and ``&`` are ``\\u``-escaped
so no string can close the ``<script>`` element. vis-network shows tooltips with ``innerText``, and
the page's own script writes details with ``textContent``: names are always text, never markup. A
Content-Security-Policy that allows no network access is the second line of defence.

This module assembles the page: the checks, the view (full, focused, collapsed, a chain marked),
the spacing of the layout, and the page from its template, style and script in ``assets/``. The
drawn data (nodes, edges, legend) comes from ``_viewdata``, the tooltips from ``_tooltips`` and the
vis-network bundle from ``_visbundle``.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Mapping
from importlib.resources import files
from itertools import pairwise
from string import Template
from typing import Any

import networkx as nx

from orggraph.analysis.groups import members
from orggraph.analysis.report import Report, ScenarioResult
from orggraph.errors import UsageError, did_you_mean
from orggraph.graph import CUSTOMER, PARTY
from orggraph.render._explore import explore_data
from orggraph.render._findable import find_choices, findable
from orggraph.render._overview import build_overview
from orggraph.render._placement import edges_through_nodes, label_order, positions_of, rounded
from orggraph.render._scenario import (
    find_scenario,
    scenario_html,
    scenario_states,
    scenario_title,
)
from orggraph.render._viewcontext import COLOUR_MODES, Scale, ViewContext
from orggraph.render._viewdata import LARGE_VIEW, legend_html, vis_edge, vis_node, vis_options
from orggraph.render._views import (
    collapse_departments,
    neighbourhood,
    party_figures,
    unknown_party,
)
from orggraph.render._visbundle import vis_network_js

__all__ = [
    "COLLAPSE_MODES",
    "COLOUR_MODES",
    "CONTENT_SECURITY_POLICY",
    "EXPLORE_MAX_DEPENDENCIES",
    "EXPLORE_MAX_PARTIES",
    "MAX_VIEW_EDGES",
    "MAX_VIEW_NODES",
    "html_iframe",
    "render_html",
]

#: Above this many parties a drawn view is unreadable: a full or collapsed view is written as the
#: overview instead (opened level by level in the page), a focused one is refused.
MAX_VIEW_NODES = 2000
#: The same for dependencies: a dense graph at the node limit would still not draw quickly.
MAX_VIEW_EDGES = 10000
COLLAPSE_MODES = ("department",)
#: The overview page embeds the whole organization for what a click answers (about 60 bytes a
#: party) only up to this many parties and dependencies, so its size stays bounded; above, the
#: page says to ask ``orggraph impact``.
EXPLORE_MAX_PARTIES = 25000
EXPLORE_MAX_DEPENDENCIES = 100000
#: the page's scripts, in the order they run (one ``<script>`` element): the drawing, the one
#: owner of the nodes' look (paint.js: a click's answer and find's dimming composed), then the
#: labels, find and filter, the controls (panel, fit, export), and what a click answers, each
#: reading the drawing; the overview adds overview.js, which changes the drawing in place
PAGE_SCRIPTS = ("page.js", "paint.js", "labels.js", "find.js", "controls.js", "explore.js")
#: No network at all: inline scripts and styles only, images only from ``data:`` URLs.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
)


def render_html(
    G: nx.DiGraph,
    report: Report,
    *,
    focus: str | None = None,
    depth: int = 1,
    chain: str | None = None,
    collapse: str | None = None,
    title: str | None = None,
    scenario: str | ScenarioResult | None = None,
    colour: str = "impact",
    overview: bool | None = None,
) -> str:
    """The interactive view of ``G`` as one offline HTML page.

    ``focus`` keeps one party and its neighbourhood ``depth`` edges up- and downstream (a group,
    such as a department: the group, all its members and their neighbourhood);
    ``chain`` highlights a customer's critical chain; ``collapse="department"`` draws one node per
    top-level department with aggregated edges (``focus`` then names a party or department whose
    department node is the centre). ``scenario`` (an id of the file's ``scenarios:``, or a
    :class:`~orggraph.analysis.report.ScenarioResult` from ``evaluate_scenario``) marks the
    parties that fail, lose service, run degraded and stay untouched, names the scenario in the
    title and lists the impacted customers with their recovery in the summary.
    ``colour="quality"`` fills parties by their perceived (survey) or own quality on a red →
    green scale instead of their impact weight. ``overview=True`` writes the drill-down overview
    (``_overview``: the departments first, opened level by level in the page, of bounded size);
    by default (``None``) a full or collapsed view above :data:`MAX_VIEW_NODES` parties or
    :data:`MAX_VIEW_EDGES` dependencies is written as the overview. Raises
    :class:`~orggraph.errors.UsageError` for an unknown id, scenario or mode, and for a focused
    view above the limits.
    """
    if colour not in COLOUR_MODES:
        hint = did_you_mean(colour, COLOUR_MODES) or "the choices are " + ", ".join(
            f"'{m}'" for m in COLOUR_MODES
        )
        raise UsageError(f"cannot colour by '{colour}'; {hint}")
    run = find_scenario(report, scenario) if scenario is not None else None
    if collapse is not None and collapse not in COLLAPSE_MODES:
        raise UsageError(
            f"cannot collapse by '{collapse}': the only mode is "
            + ", ".join(f"'{m}'" for m in COLLAPSE_MODES)
        )
    if focus is not None and focus not in G:
        raise UsageError(unknown_party(focus, G))
    if depth < 0:
        raise UsageError(f"depth must be 0 or more, not {depth}")
    if chain is not None:
        customers = [n for n, d in G.nodes(data=True) if d[PARTY] == CUSTOMER]
        if chain not in G:
            raise UsageError(unknown_party(chain, customers, "customer"))
        if G.nodes[chain][PARTY] != CUSTOMER:
            raise UsageError(
                f"'{chain}' is a {G.nodes[chain][PARTY]}, not a customer: "
                "a critical chain ends at a customer"
            )
    organization: Mapping[str, Any] = G.graph.get("organization") or {}
    org_name = organization.get("name")
    automatic = overview is None
    if overview is None:
        overview = focus is None and collapse is None and _too_big(G)
    if overview and focus is not None:
        raise UsageError("--focus draws a neighbourhood: it does not go with the overview")

    figures = party_figures(G, report)
    ctx = ViewContext.build(
        G,
        report,
        figures,
        organization.get("period"),
        colour_by="quality" if colour == "quality" else "impact",
        scenario=run,
        states=scenario_states(G, run) if run is not None else None,
    )
    if overview:
        return _overview_page(G, report, ctx, run, chain, title, org_name, colour)
    if collapse is not None:
        collapsed = collapse_departments(G, figures)
        view, group_of = collapsed.graph, collapsed.group_of
    else:
        view, group_of = G, {n: n for n in G}
    centre: set[str] = set()
    # the chain is read before focusing: a focus must not silently drop the chain's parties
    chain_mapped = [group_of[n] for n in ctx.chain_of(chain)] if chain is not None else []
    chain_path = list(dict.fromkeys(chain_mapped))
    added: list[str] = []
    if focus is not None:
        # a group is its members: a department's neighbourhood is theirs (SPEC §7)
        centre = {group_of[focus]} if collapse is not None else {focus, *members(G, focus)}
        keep = neighbourhood(view, centre, depth)
        added = [n for n in chain_path if n not in keep]
        view = view.subgraph(keep.union(added))
        _check_size(
            view,
            f"the neighbourhood of '{group_of[focus]}' at depth {depth}",
            "a smaller depth",
        )
    elif collapse is not None:
        if automatic and _too_big(view):  # too many departments, customers or vendors
            return _overview_page(G, report, ctx, run, chain, title, org_name, colour)
        _check_size(
            view,
            "the view collapsed by department",
            "--focus ID together with --collapse department (a party or a department id)",
        )

    chain_nodes = set(chain_path)
    chain_edges = {(a, b) for a, b in pairwise(chain_mapped) if a != b}

    scale = Scale(
        collapsed=collapse is not None,
        members=max((len(d.get("members", ())) for _, d in view.nodes(data=True)), default=1),
        count=max((int(c or 0) for *_, c in view.edges(data="count")), default=1),
    )
    nodes = [vis_node(view, n, (0.0, 0.0), ctx, scale, chain_nodes) for n in sorted(view)]
    positions, shelf, plan = positions_of(view, ctx, nodes)
    for node in nodes:
        x, y = positions[node["id"]]
        node["x"], node["y"] = round(x, 1), round(y, 1)
        if plan is not None:
            node["labelAt"] = plan.places.get(node["id"], "")
    large = view.number_of_nodes() > LARGE_VIEW
    edges = [
        vis_edge(view, i, u, v, ctx, scale, chain_nodes, chain_edges, solid=large)
        for i, (u, v) in enumerate(sorted(view.edges()))
    ]
    # in the collapsed view (few nodes, long edges along the row of departments) a straight edge
    # would run through the departments between its ends
    small = collapse is not None and view.number_of_nodes() <= 250
    through = edges_through_nodes(view, positions) if small else set()
    for edge in edges:
        # a back edge of a cycle, one within a column, or one that would run straight through
        # another party curves round the parties between
        u, v = edge["from"], edge["to"]
        if positions[u][0] >= positions[v][0] or (u, v) in through:
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.3}
    found = [findable(view, node["id"], ctx, collapse is not None) for node in nodes]
    rank = {n: i for i, n in enumerate(label_order(view, ctx, centre | chain_nodes))}
    for node, facets in zip(nodes, found, strict=True):
        node["find"] = facets
        node["rank"] = rank[node["id"]]
        if node["id"] in shelf:
            node["shelf"] = True
    if focus is not None:
        for node in nodes:
            if node["id"] in centre:
                node["shadow"] = {"enabled": True, "color": "rgba(0,0,0,0.55)", "size": 18}
                node["borderWidth"] = max(node.get("borderWidth", 1), 3)

    if collapse is not None:
        described = "one node per top-level department"
    elif focus is not None:
        described = f"neighbourhood of {focus}"
        if len(centre) > 1:
            described += f" and its {len(centre) - 1} members"
        described += f" at depth {depth}"
    else:
        described = "full view"
    if focus is not None:
        described += f": {view.number_of_nodes()} of {G.number_of_nodes()} parties"
    if chain is not None:
        described += f"; critical chain of {chain} highlighted"
        if added:
            described += f" ({len(added)} of its parties drawn outside the neighbourhood)"
    if colour == "quality":
        described += "; colour: quality"
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": vis_options(large),
        "meta": {
            "view": "collapse" if collapse is not None else "focus" if focus else "full",
            "parties": G.number_of_nodes(),
            "chain": sorted(chain_nodes),
            "colour": colour,
            "scenario": run.id if run is not None else None,
            "find": find_choices(ctx, found),
            "shelf": len(shelf),
            # links drawn without dashes (a large view): the answers' key says so
            "solidLinks": large,
            # the drawing with every planned label: the first fit shows all of it
            **({"extent": rounded(plan.extent)} if plan is not None else {}),
        },
        # the whole organization, for what a click answers (assets/explore.js)
        "explore": explore_data(G, report, group_of, [node["id"] for node in nodes]),
    }
    page_title = title if title is not None else (org_name or "orggraph view")
    if run is not None and title is None:
        page_title += " — " + scenario_title(run)
    legend = legend_html(ctx, collapse is not None, chain, report, solid=large)
    extra = scenario_html(G, report, run) if run is not None else ""
    return _page(page_title, _summary(report, described), legend, data, extra)


def html_iframe(html_page: str, height: int = 600) -> str:
    """The page inside an ``<iframe srcdoc=…>`` for notebooks (Jupyter, VS Code, Colab), where a
    relative-path IFrame shows blank. The frame is sandboxed: scripts run and an exported image
    may be downloaded; nothing else is allowed (no forms, popups, navigation of the notebook).

    >>> html_iframe("<p>a & b</p>", height=200)[:40]
    '<iframe srcdoc="&lt;p&gt;a &amp; b&lt;/p'
    """
    if height <= 0:
        raise UsageError(f"height must be a positive number of pixels, not {height}")
    return (
        f'<iframe srcdoc="{html.escape(html_page, quote=True)}" '
        'sandbox="allow-scripts allow-downloads" '
        f'title="orggraph view" style="width:100%;height:{int(height)}px;border:1px solid #ddd">'
        "</iframe>"
    )


def _too_big(view: nx.DiGraph) -> bool:
    return bool(view.number_of_nodes() > MAX_VIEW_NODES or view.number_of_edges() > MAX_VIEW_EDGES)


def _overview_page(
    G: nx.DiGraph,
    report: Report,
    ctx: ViewContext,
    run: ScenarioResult | None,
    chain: str | None,
    title: str | None,
    org_name: str | None,
    colour: str,
) -> str:
    """The overview of a large organization (``_overview``): the top level drawn, the tree of
    entries and their edges embedded for the page to open level by level."""
    found = build_overview(G, ctx, ctx.chain_of(chain) if chain is not None else ())
    # positions come from overview.js, which lays out whatever is open the same way
    nodes = [found.data["nodes"][k] for k in found.top]
    found.data["limits"]["view"] = MAX_VIEW_NODES  # the most nodes the page draws at once
    found.data["limits"]["explore"] = {
        "parties": EXPLORE_MAX_PARTIES,
        "dependencies": EXPLORE_MAX_DEPENDENCIES,
    }
    described = (
        f"overview: {len(found.top)} of {G.number_of_nodes()} parties and groups drawn;"
        " click a department to open it"
    )
    if chain is not None:
        described += f"; critical chain of {chain} marked"
    if colour == "quality":
        described += "; colour: quality"
    data = {
        "nodes": nodes,
        "edges": [],  # drawn by overview.js from the embedded edges
        # aggregated edges are many and wide: hidden while zooming and dragging, at any size
        "options": vis_options(True),
        "meta": {
            "view": "overview",
            "parties": G.number_of_nodes(),
            "chain": [],
            "colour": colour,
            "scenario": run.id if run is not None else None,
            # search looks through every embedded entry, drawn or not
            "find": find_choices(ctx, [node["find"] for node in found.data["nodes"]]),
        },
        "overview": found.data,
    }
    if (
        G.number_of_nodes() <= EXPLORE_MAX_PARTIES
        and G.number_of_edges() <= EXPLORE_MAX_DEPENDENCIES
    ):
        # what a click answers; each party shown by its deepest embedded entry (overview.js
        # maps that entry to whatever stands for it as the reader opens and closes groups)
        explore = explore_data(G, report, {}, [])
        explore["drawn"] = found.atom
        data["explore"] = explore
    page_title = title if title is not None else (org_name or "orggraph view")
    if run is not None and title is None:
        page_title += " — " + scenario_title(run)
    legend = legend_html(ctx, True, chain, report)
    extra = scenario_html(G, report, run) if run is not None else ""
    return _page(page_title, _summary(report, described), legend, data, extra, overview=True)


def _check_size(view: nx.DiGraph, what: str, instead: str) -> None:
    n, m = view.number_of_nodes(), view.number_of_edges()
    advice = f"use {instead}" if instead else "use --focus ID or --collapse department"
    if n > MAX_VIEW_NODES:
        raise UsageError(
            f"{what} has {n} parties; a full view above {MAX_VIEW_NODES} is unreadable: {advice}"
        )
    if m > MAX_VIEW_EDGES:
        raise UsageError(
            f"{what} has {m} dependencies; a view above {MAX_VIEW_EDGES} is unreadable: {advice}"
        )


def _summary(report: Report, described: str) -> str:
    s = report.summary
    return (
        f"{s.units} units · {s.customers} customers · {s.vendors} vendors · "
        f"{s.dependencies} dependencies · {len(report.critical_suppliers)} critical suppliers"
        f" · {described}"
    )


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` survives as such,
    so no string can close the element or open a comment, and line separators are escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


@functools.cache
def _asset(name: str) -> str:
    """A file of the page (template, style, script) shipped in ``orggraph/render/assets``."""
    return (files("orggraph.render") / "assets" / name).read_text(encoding="utf-8")


def _page(
    title: str,
    summary: str,
    legend: str,
    data: Mapping[str, Any],
    scenario: str = "",
    *,
    overview: bool = False,
) -> str:
    # a Template, not str.format: braces in a future template (inline style, script) stay literal
    e = html.escape
    return Template(_asset("page.html")).substitute(
        csp=e(CONTENT_SECURITY_POLICY),
        title=e(title),
        summary=e(summary),
        scenario=scenario,
        legend=legend,
        data=_json_for_script(data),
        vis_network=vis_network_js(),
        css=_asset("page.css")
        + _asset("explore.css")
        + (_asset("overview.css") if overview else ""),
        script="\n".join(_asset(name) for name in PAGE_SCRIPTS)
        + ("\n" + _asset("overview.js") if overview else ""),
    )

"""Load, utilization and bottlenecks (SPEC §3).

load(x) is the demand x's consumers place on it: the ``volume`` on x's out-edges (an ``any_of``
edge already carries its even share). A unit is a bottleneck when its utilization reaches a
threshold, or structurally when many chains pass through it (betweenness) or it serves many
direct consumers (fan-in).
"""

from __future__ import annotations

import importlib.util
import math
import random
from collections import deque
from collections.abc import Mapping
from typing import Literal

import networkx as nx

from orggraph._perf import paused_gc, raw_dicts
from orggraph.analysis.report import BetweennessInfo, Bottleneck, Load
from orggraph.errors import UsageError
from orggraph.graph import CAPACITY, PARTY, UNIT, VENDOR, VOLUME
from orggraph.model.figures import format_ratio

__all__ = [
    "BETWEENNESS_SAMPLE",
    "BETWEENNESS_SEED",
    "BETWEENNESS_THRESHOLD",
    "DEFAULT_THRESHOLD",
    "EXACT_BETWEENNESS_MAX_NODES",
    "FAN_IN_THRESHOLD",
    "Engine",
    "betweenness_centrality",
    "bottlenecks",
    "default_engine",
    "loads",
]

DEFAULT_THRESHOLD = 0.85
"""Utilization at which a unit is listed as near capacity."""
BETWEENNESS_THRESHOLD = 0.10
"""Betweenness at which a unit is listed as being on many service chains."""
FAN_IN_THRESHOLD = 10
"""Number of distinct direct consumers at which a unit is listed for its fan-in."""
EXACT_BETWEENNESS_MAX_NODES = 2000
"""Graphs up to this many parties get exact betweenness; larger ones a sampled estimate."""
BETWEENNESS_SAMPLE = 256
"""Source parties sampled for the betweenness estimate on large graphs."""
BETWEENNESS_SEED = 42
"""Seed of the sample, so the estimate is the same on every run."""


@paused_gc()  # only live objects are made; the collector would rescan G
def loads(G: nx.DiGraph) -> dict[str, Load]:
    """Load and capacity of every unit and vendor, in id order.

    ``load`` is the sum of the volumes on the party's out-edges (the demand its consumers place on
    it), or None when none of them states a volume; ``capacity`` is a unit's capacity (vendors have
    none). O(N + E).

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a", "capacity": 10}, {"id": "b"},
    ...               {"id": "c", "depends_on": [{"any_of": ["a", "b"], "volume": 9}]}]}))
    >>> loads(G)["a"], loads(G)["a"].utilization, loads(G)["c"].load
    (Load(load=4.5, capacity=10.0), 0.45, None)
    """
    out: dict[str, Load] = {}
    succ, node_data = raw_dicts(G)
    for x in sorted(node_data):
        data = node_data[x]
        if data[PARTY] not in (UNIT, VENDOR):
            continue
        # summed in consumer id order so the float result is the same on every run
        edges = succ[x]
        volumes = [edges[c].get(VOLUME) for c in sorted(edges)]
        given = [float(v) for v in volumes if v is not None]
        capacity = data.get(CAPACITY) if data[PARTY] == UNIT else None
        out[x] = Load(
            load=sum(given, 0.0) if given else None,
            capacity=None if capacity is None else float(capacity),
        )
    return out


@paused_gc()  # only live objects are made; the collector would rescan G
def betweenness_centrality(
    G: nx.DiGraph, *, engine: Engine | None = None
) -> tuple[dict[str, float], BetweennessInfo]:
    """Betweenness centrality of every party (directed, normalized, on the whole graph).

    For each party v, the share of shortest paths through v, summed over ordered pairs (s, t) of
    other parties with s ≠ t, divided by the (N - 1)(N - 2) such pairs; a path's share is the
    number of shortest s → t paths through v over the number of shortest s → t paths. This is
    ``networkx.betweenness_centrality(G, normalized=True)``.

    Exact with up to :data:`EXACT_BETWEENNESS_MAX_NODES` parties. Above that, estimated from
    :data:`BETWEENNESS_SAMPLE` source parties drawn with ``random.Random(BETWEENNESS_SEED)`` from
    the ids in sorted order: the sums over those sources times N / k, normalized as above, so the
    result repeats and does not depend on the order the file lists parties in. The returned
    :class:`BetweennessInfo` says which.

    The shortest paths are counted by python-igraph when it is installed (the ``fast`` extra:
    about 100 times faster) and the graph is big enough to repay its import, otherwise in pure
    Python over integer lists (``python``, :func:`default_engine`), which gives networkx's sums
    to the last bit (``networkx`` runs networkx itself); igraph gives the same sums up to float
    rounding (the output rounds to 6 decimals). ``engine`` forces one of them. Cost
    O(N · E) exact, O(k · E) sampled.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> betweenness_centrality(G)
    ({'a': 0.0, 'b': 0.5, 'c': 0.0}, BetweennessInfo(method='exact', k=None, seed=None))
    """
    ids = sorted(G.nodes)
    n = len(ids)
    if n <= EXACT_BETWEENNESS_MAX_NODES:
        sources = ids
        info = BetweennessInfo("exact")
    else:
        k = min(BETWEENNESS_SAMPLE, n)
        sources = random.Random(BETWEENNESS_SEED).sample(ids, k)
        info = BetweennessInfo("sampled", k=k, seed=BETWEENNESS_SEED)
    if n <= 2:
        return dict.fromkeys(ids, 0.0), info
    work = len(sources) * max(G.number_of_edges(), 1)
    raw = _path_shares(G, ids, sources, engine or default_engine(work))
    scale = (n / len(sources)) / ((n - 1) * (n - 2))
    return {x: raw[i] * scale for i, x in enumerate(ids)}, info


Engine = Literal["igraph", "python", "networkx"]


IGRAPH_MIN_WORK = 10_000_000
"""Sources × edges from which igraph is worth its import (about half a second, as it loads
matplotlib); below that networkx finishes sooner."""


def default_engine(work: int = IGRAPH_MIN_WORK) -> Engine:
    """``igraph`` when python-igraph can be imported and the ``work`` (sources × edges) is at
    least :data:`IGRAPH_MIN_WORK`, else ``python``: the pure-Python count of
    :func:`_brandes`, which adds up the same floats in the same order as networkx."""
    if work >= IGRAPH_MIN_WORK and importlib.util.find_spec("igraph") is not None:
        return "igraph"
    return "python"


def _path_shares(G: nx.DiGraph, ids: list[str], sources: list[str], engine: Engine) -> list[float]:
    """Per party (in ``ids`` order), its summed share of the shortest paths from ``sources``
    to every other party (Brandes' accumulation, unnormalized).

    Both engines see the graph with parties and edges in sorted order, so the float sums are
    added up in the same order whatever order the file listed them in."""
    index = {x: i for i, x in enumerate(ids)}
    succ, _ = raw_dicts(G)
    edges = sorted((index[a], index[b]) for a, out in succ.items() for b in out)
    if engine == "igraph":
        import igraph

        h = igraph.Graph(n=len(ids), edges=edges, directed=True)
        values = h.betweenness(directed=True, sources=[index[s] for s in sources])
        return [float(v) for v in values]
    if engine == "python":
        out: list[list[int]] = [[] for _ in ids]
        for a, b in edges:
            out[a].append(b)
        return _brandes(out, [index[s] for s in sources])
    if engine == "networkx":
        canonical = nx.DiGraph()
        canonical.add_nodes_from(range(len(ids)))
        canonical.add_edges_from(edges)
        shares = nx.betweenness_centrality_subset(
            canonical, [index[s] for s in sources], list(range(len(ids))), normalized=False
        )
        return [float(shares[i]) for i in range(len(ids))]
    raise ValueError(f"unknown betweenness engine {engine!r}; expected igraph, python or networkx")


def _brandes(out: list[list[int]], sources: list[int]) -> list[float]:
    """Brandes' accumulation over integer adjacency lists (``out[v]``: v's successors, in
    ascending order): per party, the summed share of the shortest paths from ``sources``.

    The steps are those of ``networkx.betweenness_centrality_subset`` with every party a target
    (a breadth-first search per source counting shortest paths, then the dependencies added up
    from the farthest party back), in the same order, so the float sums are identical to the
    last bit; lists instead of dicts make it several times faster (docs/performance.md)."""
    n = len(out)
    total = [0.0] * n
    for s in sources:
        order: list[int] = []  # parties in the order the search reaches them
        before: dict[int, list[int]] = {}  # party -> its predecessors on shortest paths
        sigma = [0.0] * n  # number of shortest paths from s
        dist = [-1] * n
        sigma[s] = 1.0
        dist[s] = 0
        queue = deque([s])
        while queue:
            v = queue.popleft()
            order.append(v)
            step = dist[v] + 1
            paths = sigma[v]
            for w in out[v]:
                d = dist[w]
                if d < 0:
                    queue.append(w)
                    dist[w] = step
                    sigma[w] += paths
                    before[w] = [v]
                elif d == step:
                    sigma[w] += paths
                    before[w].append(v)
        delta = dict.fromkeys(order, 0.0)
        while order:
            w = order.pop()
            coeff = (delta[w] + 1.0) / sigma[w] if w != s else delta[w] / sigma[w]
            for v in before.get(w, ()):
                delta[v] += sigma[v] * coeff
            if w != s:
                total[w] += delta[w]
    return total


@paused_gc()  # only live objects are made; the collector would rescan G
def bottlenecks(
    G: nx.DiGraph,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    betweenness: Mapping[str, float] | None = None,
    betweenness_threshold: float = BETWEENNESS_THRESHOLD,
    fan_in_threshold: int = FAN_IN_THRESHOLD,
    party_loads: Mapping[str, Load] | None = None,
) -> tuple[Bottleneck, ...]:
    """Units that are bottlenecks, each with the reasons it is listed.

    A unit is listed when its utilization is at least ``threshold`` ("overloaded" above 1.0, else
    "near capacity"), when its betweenness is at least ``betweenness_threshold`` ("on many service
    chains"), or when it serves at least ``fan_in_threshold`` distinct direct consumers. Sorted by
    utilization (highest first, unknown last), then betweenness (highest first), then id.

    Parameters
    ----------
    G : networkx.DiGraph
        The service graph; not modified.
    threshold : float, optional
        Utilization at which a unit is listed (default 0.85).
    betweenness : mapping of str to float, optional
        Betweenness per party; computed with :func:`betweenness_centrality` when not given.
    betweenness_threshold, fan_in_threshold : optional
        The structural thresholds (defaults 0.10 and 10).
    party_loads : mapping of str to Load, optional
        The result of :func:`loads`, when already computed.

    Raises
    ------
    orggraph.errors.UsageError
        When ``threshold`` is negative or not a finite number.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "desk", "capacity": 120}],
    ...     "customers": [{"id": "x", "depends_on": [{"supplier": "desk", "volume": 130}]}]}))
    >>> [(b.id, b.reasons) for b in bottlenecks(G)]
    [('desk', ('overloaded: utilization 1.08',))]
    """
    if not math.isfinite(threshold) or threshold < 0:
        raise UsageError(f"the utilization threshold must be a number >= 0, not {threshold}")
    if betweenness is None:
        betweenness, _ = betweenness_centrality(G)
    if party_loads is None:
        party_loads = loads(G)
    out: list[Bottleneck] = []
    succ, node_data = raw_dicts(G)
    for x in sorted(node_data):
        if node_data[x][PARTY] != UNIT:
            continue
        load = party_loads.get(x, Load(None, None))
        utilization = load.utilization
        between = float(betweenness.get(x, 0.0))
        fan_in = len(succ[x])
        reasons: list[str] = []
        if utilization is not None and utilization >= threshold:
            if utilization > 1.0:
                reasons.append(f"overloaded: utilization {format_ratio(utilization)}")
            else:
                reasons.append(
                    f"near capacity: utilization {format_ratio(utilization)} "
                    f"≥ threshold {threshold:g}"
                )
        if between >= betweenness_threshold:
            reasons.append(f"on many service chains: betweenness {between:.2f}")
        if fan_in >= fan_in_threshold:
            reasons.append(f"serves {fan_in} direct consumers (fan-in)")
        if reasons:
            out.append(
                Bottleneck(
                    id=x,
                    load=load.load,
                    capacity=load.capacity,
                    utilization=utilization,
                    fan_in=fan_in,
                    betweenness=between,
                    reasons=tuple(reasons),
                )
            )
    out.sort(
        key=lambda b: (
            b.utilization is None,
            -(b.utilization or 0.0),
            -b.betweenness,
            b.id,
        )
    )
    return tuple(out)

"""The speed tricks, fenced in one place, each with the reason it is worth its oddness.

- pausing the cyclic garbage collector while building objects that all stay alive, and ageing
  what was built so that young collections do not rescan it (:func:`paused_gc`,
  :func:`age_survivors`);
- reading and filling networkx's own adjacency dicts instead of going through its views and
  methods (:func:`raw_dicts`, :func:`graph_dicts`);
- reusing one C JSON encoder for many values (:func:`reused_encoder`).

Each relies on something outside orggraph's control (CPython's collector, networkx's documented
data structure, the json module's accelerator); the tests compare every one with the plain way.
What each saves is measured in docs/performance.md, not here, where figures would go stale.
This module imports none of orggraph's layers, so that every layer may use it.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import networkx as nx

__all__ = ["age_survivors", "graph_dicts", "paused_gc", "raw_dicts", "reused_encoder"]


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that all stay alive.

    The collector would otherwise rescan the growing heap again and again, which makes loading
    superlinear; nothing built while loading is garbage, so there is nothing for it to find.
    Also usable as a decorator.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def age_survivors() -> None:
    """Move every object the cyclic collector tracks into its oldest generation, unscanned.

    For just after building many objects the caller keeps (a validated model, a graph). Left in
    the youngest generation, where :func:`paused_gc` leaves them, the next young collection would
    scan them all, and the next middle one again, only to find them alive and move them on.
    ``gc.freeze()`` moves every tracked object into the permanent generation and
    ``gc.unfreeze()`` moves them all into the oldest one, so nothing is scanned, nothing stays
    frozen, and full collections still see everything. The one cost is that garbage cycles
    already in the young generations wait for the next full collection.

    Does nothing when the program has frozen objects itself (e.g. a server before forking):
    unfreezing would undo that.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def raw_dicts(
    G: nx.DiGraph,
) -> tuple[Mapping[Any, Mapping[Any, Mapping[str, Any]]], Mapping[Any, Mapping[str, Any]]]:
    """``G``'s successor dicts and node data, for reading only.

    networkx's own dicts behind ``G.succ`` and ``G.nodes`` when ``G`` has them (a DiGraph):
    going through the read-only views costs a Python call per edge, which dominates reading a
    large graph. Callers must never modify what they get.
    """
    succ = getattr(G, "_succ", None)
    nodes = getattr(G, "_node", None)
    if isinstance(succ, dict) and isinstance(nodes, dict):
        return succ, nodes
    return G.succ, G.nodes


_Adjacency = dict[Any, dict[Any, dict[str, Any]]]


def graph_dicts(G: nx.DiGraph) -> tuple[dict[Any, dict[str, Any]], _Adjacency, _Adjacency]:
    """``G``'s node data, successor and predecessor dicts, for filling a new graph directly.

    ``_node``, ``_succ`` and ``_pred`` are the dict-of-dicts networkx documents as a DiGraph's
    data structure. Filling them skips the per-item checks and copies of ``add_nodes_from`` and
    ``add_edges_from``; the caller must keep them consistent as networkx would, and only on a new
    graph, about which networkx has cached nothing that the changes could make stale.
    tests/model/test_build_graph.py compares the result with networkx's own methods, so a
    networkx release that changed them would fail there.
    """
    return G._node, G._succ, G._pred


def reused_encoder(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """What ``encoder.encode`` writes, for many values in a row.

    ``json.dumps`` and ``JSONEncoder.encode`` make a new C encoder at every call, which adds up
    over the hundreds of thousands of entries of a large report. This makes the C encoder the json
    module makes, with the same arguments, once, and falls back to ``encoder.encode`` where there
    is no C accelerator (``c_make_encoder`` is json's own, undocumented, name for it). Make a new
    one per document: its circular-reference markers are only sure to be empty again after an
    encoding that succeeded. Only for an encoder whose ``ensure_ascii`` is false.
    """
    make: Callable[..., Any] | None = getattr(json.encoder, "c_make_encoder", None)
    enc = encoder
    if make is None:  # no C accelerator
        return enc.encode
    try:
        write = make(
            {} if enc.check_circular else None,
            enc.default,
            json.encoder.encode_basestring,  # ensure_ascii=False
            enc.indent,
            enc.key_separator,
            enc.item_separator,
            enc.sort_keys,
            enc.skipkeys,
            enc.allow_nan,
        )
    except TypeError:  # an accelerator this code does not know how to call
        return enc.encode

    def encode(value: Any) -> str:
        if type(value) is int:  # a bare count (line of sight's): what the encoder writes for an int
            return int.__repr__(value)
        return "".join(write(value, 0))

    return encode

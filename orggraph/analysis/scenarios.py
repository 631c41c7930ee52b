"""Scenarios: severe but plausible disruptions, what they bring down and how fast service is
back (SPEC §7).

A scenario fails the parties it names (``fail``) and the parties its ``where`` matches, with
their members; the failure impact is :func:`~orggraph.analysis.impact.failure_impact`'s and the
recovery :func:`~orggraph.analysis.recovery.recovery` counted over the failed set X*.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

from orggraph._perf import raw_dicts
from orggraph.analysis._structure import Structure
from orggraph.analysis.impact import _failure, failure_impact
from orggraph.analysis.recovery import _recovery, recovery
from orggraph.analysis.report import ScenarioRecovery, ScenarioResult
from orggraph.graph import (
    ATTRIBUTES,
    CUSTOMER,
    KIND,
    NAME,
    OWNER,
    PARTY,
    PROMISE,
    SCENARIOS,
    TAGS,
    UNIT,
)
from orggraph.model.schema import WHERE_KEYS

__all__ = [
    "ATTRIBUTE_PREFIX",
    "as_text",
    "evaluate_scenario",
    "evaluate_scenarios",
    "scenario_matches",
    "scenario_warnings",
    "scenarios_of",
]

ATTRIBUTE_PREFIX = "attributes."
"""A ``where`` key that starts with this names the attribute after it, whatever its name."""


def as_text(value: Any) -> str:
    """A value as a ``where`` compares it: as JSON writes it, a string as itself.

    >>> [as_text(v) for v in ("Dublin", 3, 1.5, True, None)]
    ['Dublin', '3', '1.5', 'true', 'null']
    """
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _attribute_name(key: str) -> str | None:
    """The attribute a ``where`` key names, or None for kind, owner, party and tags."""
    if key.startswith(ATTRIBUTE_PREFIX):
        return key[len(ATTRIBUTE_PREFIX) :]
    return None if key in WHERE_KEYS else key


def _wanted(value: Any) -> list[str]:
    return [as_text(v) for v in value] if isinstance(value, list) else [as_text(value)]


def _matcher(key: str, value: Any) -> Callable[[Mapping[str, Any]], bool]:
    """Whether a party's data matches one ``where`` entry; what the entry means (which key,
    the value as text) is worked out once per scenario, not once per party."""
    attribute = _attribute_name(key)
    wanted = as_text(value)
    if attribute is not None:
        name = attribute

        def has_attribute(data: Mapping[str, Any]) -> bool:
            attributes = data.get(ATTRIBUTES) or {}
            if name not in attributes:
                return False
            have = attributes[name]
            if isinstance(have, list):
                return any(as_text(v) == wanted for v in have)
            return as_text(have) == wanted

        return has_attribute
    if key == "party":
        return lambda data: as_text(data.get(PARTY)) == wanted
    if key == "kind":
        return lambda data: data.get(PARTY) == UNIT and as_text(data.get(KIND)) == wanted
    if key == "owner":

        def has_owner(data: Mapping[str, Any]) -> bool:
            owner = data.get(OWNER)
            return owner is not None and as_text(owner) == wanted

        return has_owner
    # tags: the party has every listed tag
    listed = _wanted(value)

    def has_tags(data: Mapping[str, Any]) -> bool:
        tags = {as_text(t) for t in data.get(TAGS) or ()}
        return all(t in tags for t in listed)

    return has_tags


def scenario_matches(G: nx.DiGraph, where: Mapping[str, Any]) -> list[str]:
    """The units and vendors that match every entry of a scenario's ``where``, sorted by id.

    Keys: ``kind`` (units only), ``owner``, ``party`` (``unit`` or ``vendor``), ``tags`` (the
    party has every tag given: a list or one tag), or an attribute name; ``attributes.NAME``
    always names the attribute (e.g. one called ``kind``). Values are compared as text, each
    written as JSON writes it (``true``, ``1.5``, a string as itself), so ``"3"`` matches
    ``floor: 3``; an attribute that is a list matches when any element does. Customers never
    match. An empty ``where`` matches nothing.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "a", "attributes": {"floor": 3, "site": ["Dublin", "Cork"]}},
    ...               {"id": "b", "tags": ["x", "y"], "attributes": {"kind": "legacy"}}],
    ...     "vendors": [{"id": "v", "attributes": {"floor": "3"}}],
    ...     "customers": [{"id": "c", "attributes": {"floor": 3}}]}))
    >>> scenario_matches(G, {"floor": "3"})
    ['a', 'v']
    >>> scenario_matches(G, {"site": "Cork", "party": "unit"})
    ['a']
    >>> scenario_matches(G, {"tags": "x"}), scenario_matches(G, {"attributes.kind": "legacy"})
    (['b'], ['b'])
    """
    if not where:
        return []
    _, node_data = raw_dicts(G)
    checks = [_matcher(k, x) for k, x in where.items()]
    return sorted(
        v
        for v, data in node_data.items()
        if data.get(PARTY) != CUSTOMER and all(check(data) for check in checks)
    )


def scenarios_of(G: nx.DiGraph) -> list[dict[str, Any]]:
    """The scenarios of the file ``G`` was built from (``{"id", "name", "fail", "where"}``,
    in file order); none for a graph built without them."""
    return list(G.graph.get(SCENARIOS) or ())


def evaluate_scenario(
    G: nx.DiGraph,
    fail: Iterable[str] = (),
    where: Mapping[str, Any] | None = None,
    *,
    id: str = "",
    name: str | None = None,
) -> ScenarioResult:
    """What one scenario brings down, and whether each customer it impacts is back within its
    promised recovery (SPEC §7).

    X = the parties in ``fail`` and those :func:`scenario_matches` finds for ``where``; the
    impact is :func:`~orggraph.analysis.impact.failure_impact` of X (closed over members, X*).
    For each impacted customer with a ``promise.recovery``: the §8 recovery time in which only
    the parties of X* count their own recovery_time (the others resume as soon as what they need
    is back), against that tolerance.

    Raises :class:`~orggraph.errors.UsageError` for an id in ``fail`` that is no party.

    Examples
    --------
    >>> from orggraph.model import load_dict
    >>> from orggraph.graph import build_graph
    >>> G = build_graph(load_dict({
    ...     "units": [{"id": "it", "kind": "department", "recovery_time": "2h"},
    ...               {"id": "desk", "parent": "it", "recovery_time": "6h"},
    ...               {"id": "shop", "recovery_time": "1d", "depends_on": ["desk"]}],
    ...     "customers": [{"id": "x", "promise": {"recovery": "4h"}, "depends_on": ["shop"]}]}))
    >>> result = evaluate_scenario(G, ["it"], id="it-down")
    >>> result.failed, result.failed_members, result.impacted_units, result.impacted_customers
    (('it',), ('desk',), ('shop',), ('x',))
    >>> [(r.customer, r.hours, r.tolerance, r.within) for r in result.recovery]
    [('x', 6.0, 4.0, False)]
    """
    return _evaluate(G, None, fail, where, id=id, name=name)


def _evaluate(
    G: nx.DiGraph,
    s: Structure | None,
    fail: Iterable[str],
    where: Mapping[str, Any] | None,
    *,
    id: str,
    name: str | None,
) -> ScenarioResult:
    """:func:`evaluate_scenario`, on a structure the scenarios of one graph share (the failure
    system and org tree are cached on it); the degraded parties are not looked for."""
    matched = scenario_matches(G, where or {})
    failed = sorted({*fail, *matched})
    if s is None or any(x not in s.index for x in failed):
        impact = failure_impact(G, failed)  # says which id is unknown, with did-you-mean
    else:
        impact = _failure(G, s, failed, degraded=False)
    found: tuple[ScenarioRecovery, ...] = ()
    _, node_data = raw_dicts(G)
    promised = [
        (c, float(levels["recovery"]))
        for c in impact.impacted_customers
        if (levels := node_data[c].get(PROMISE)) and levels.get("recovery") is not None
    ]
    if promised:
        counted = {*impact.failed, *impact.failed_members}
        if s is None:
            rec = recovery(G, counted=counted)
            found = tuple(
                ScenarioRecovery(c, rec.hours[c], tolerance, rec.culprit[c])
                for c, tolerance in promised
            )
        else:
            hours, culprit = _recovery(G, s, counted)
            found = tuple(
                ScenarioRecovery(
                    c,
                    hours[s.index[c]],
                    tolerance,
                    None if culprit[s.index[c]] < 0 else s.ids[culprit[s.index[c]]],
                )
                for c, tolerance in promised
            )
    mentioned = {
        *impact.failed,
        *impact.failed_members,
        *impact.impacted_customers,
        *(r.culprit for r in found if r.culprit is not None),
    }
    names = {
        v: str(label)
        for v in sorted(mentioned)
        if v in node_data and (label := node_data[v].get(NAME)) is not None and label != v
    }
    return ScenarioResult(
        id=id,
        name=name if name is not None else id,
        failed=impact.failed,
        failed_members=impact.failed_members,
        impacted_customers=impact.impacted_customers,
        impact_weight=impact.impact_weight,
        impacted_units=impact.impacted_units,
        recovery=found,
        matched=tuple(matched),
        names=names,
    )


def evaluate_scenarios(
    G: nx.DiGraph, scenarios: Sequence[Mapping[str, Any]] | None = None
) -> tuple[ScenarioResult, ...]:
    """Every scenario evaluated with :func:`evaluate_scenario`, in file order.

    ``scenarios`` are mappings ``{"id", "name", "fail", "where"}``; by default the file's own
    (:func:`scenarios_of`).
    """
    return _evaluate_all(G, Structure.of(G), scenarios)


def _evaluate_all(
    G: nx.DiGraph, s: Structure, scenarios: Sequence[Mapping[str, Any]] | None = None
) -> tuple[ScenarioResult, ...]:
    """:func:`evaluate_scenarios` on the structure ``analyze()`` already built."""
    chosen = scenarios_of(G) if scenarios is None else scenarios
    return tuple(
        _evaluate(
            G,
            s,
            x.get("fail") or (),
            x.get("where") or {},
            id=str(x["id"]),
            name=x.get("name"),
        )
        for x in chosen
    )


def scenario_warnings(
    G: nx.DiGraph,
    scenarios: Sequence[Mapping[str, Any]],
    results: Sequence[ScenarioResult],
) -> tuple[str, ...]:
    """One warning per scenario whose ``where`` matches no party, saying which attribute names
    no party carries (a likely misspelling)."""
    out: list[str] = []
    carried: set[str] | None = None
    for x, result in zip(scenarios, results, strict=True):
        where = x.get("where") or {}
        if not where or result.matched:
            continue
        if carried is None:
            _, node_data = raw_dicts(G)
            carried = {
                name
                for data in node_data.values()
                if data.get(PARTY) != CUSTOMER
                for name in data.get(ATTRIBUTES) or ()
            }
        shown = ", ".join(f"{k}={as_text(v)}" for k, v in where.items())
        missing = sorted(
            a for k in where if (a := _attribute_name(k)) is not None and a not in carried
        )
        why = ""
        if missing:
            names = ", ".join(missing)
            why = (
                f" (no unit or vendor has an attribute {names}; where keys are "
                f"{', '.join(WHERE_KEYS)} or an attribute name)"
            )
        out.append(f"scenario '{result.id}': where {shown} matches no party{why}")
    return tuple(out)

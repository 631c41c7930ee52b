"""The what-if answers of ``orggraph impact`` in words: who loses service, who runs degraded,
who lost a backup, a scenario's recovery, and a customer's double failures."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from orggraph.analysis.report import DoubleFailures, Impact, ScenarioResult
from orggraph.graph import NAME, WEIGHT
from orggraph.render import _words as w

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["render_impact_text", "render_pairs_text"]


def _weight(G: nx.DiGraph, customer: str) -> float:
    data = G.nodes[customer] if customer in G else {}
    weight = data.get(WEIGHT)
    return 1.0 if weight is None else float(weight)


def _name(G: nx.DiGraph, party: str) -> str | None:
    """The party's name when it says more than its id."""
    name = G.nodes[party].get(NAME) if party in G else None
    return None if name is None or name == party else w.clean(name)


def render_impact_text(
    impact: Impact,
    G: nx.DiGraph,
    *,
    limit: int = 50,
    width: int = 100,
    scenario: ScenarioResult | None = None,
) -> str:
    """A what-if failure in words: who loses service, and how much customer weight that is.

    The members that fail with the failed units are listed apart, names beside ids. Customers
    are listed highest weight first, then by id, with their names; impacted units by id. Each
    list names at most ``limit`` parties (0: all); the JSON has them all. With ``scenario`` (the
    same failure run as a scenario) the scenario is named first and each customer with a
    promised recovery is said to be back within or past it.
    """
    failed = sorted(impact.failed)
    verb = "fails" if len(failed) == 1 else "fail"
    failed_words = (
        w.ids_in_words(failed)
        if len(failed) <= 10
        else f"{', '.join(w.clean(x) for x in failed[:10])} and {len(failed) - 10} more"
    )
    out = [f"If {failed_words} {verb}:", ""]
    if scenario is not None:
        named = w.named(scenario.id, scenario.name) if scenario.id else "--where"
        out = [f"Scenario {named}", *out]
    if impact.failed_members:
        members, hidden_members = w.limited(list(impact.failed_members), limit)
        listing = ", ".join(w.named(m, _name(G, m)) for m in members)
        if hidden_members:
            listing += f" {w.more(hidden_members)}"
        out[-1:-1] = textwrap.wrap(
            f"{w.plural(len(impact.failed_members), 'member')} fail with "
            f"{'it' if len(failed) == 1 else 'them'}: {listing}",
            width=max(width, 20),
            subsequent_indent="  ",
            break_on_hyphens=False,
            break_long_words=False,
        )

    customers = sorted(impact.impacted_customers, key=lambda c: (-_weight(G, c), c))
    if customers:
        total = sum(_weight(G, c) for c, d in G.nodes(data=True) if d.get("party") == "customer")
        share = f" ({impact.impact_weight / total * 100:.0f}%)" if total > 0 else ""
        out.append(
            f"{w.plural(len(customers), 'customer')} lose{'s' if len(customers) == 1 else ''} "
            f"service: impact weight {w.fmt_number(impact.impact_weight)} "
            f"of {w.fmt_number(total)}{share}"
        )
        shown, hidden = w.limited(customers, limit)
        ids = [w.clean(c) for c in shown]
        weights = [f"weight {w.fmt_number(_weight(G, c))}" for c in shown]
        id_width = max(len(x) for x in ids)
        weight_width = max(len(x) for x in weights)
        for c, cid, weight in zip(shown, ids, weights, strict=True):
            name = _name(G, c)
            row = f"  {cid:<{id_width}}  {weight:<{weight_width}}  {name or ''}"
            out.append(row.rstrip())
        if hidden:
            out.append(f"  {w.more(hidden)}")
    else:
        out.append("No customer loses service.")

    units = sorted(impact.impacted_units)
    if units:
        out.append("")
        others = (
            " other" if any(G.nodes[x].get("party") == "unit" for x in failed if x in G) else ""
        )
        out.append(
            f"{len(units)}{others} unit{'s' if len(units) != 1 else ''} "
            f"lose{'s' if len(units) == 1 else ''} service:"
        )
        shown, hidden = w.limited(units, limit)
        listing = ", ".join(w.clean(x) for x in shown) + (f" {w.more(hidden)}" if hidden else "")
        out.extend(
            textwrap.wrap(
                listing,
                width=max(width, 20),
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,
                break_long_words=False,
            )
        )
    else:
        out.append("No other unit loses service.")
    if scenario is not None and scenario.recovery:
        out += ["", "Recovery (from the start of the disruption, against promised recovery):"]
        for r in scenario.recovery:
            verdict = "within" if r.within else "PAST"
            by = f"; set by {w.named(r.culprit, _name(G, r.culprit))}" if r.culprit else ""
            out.append(
                f"  {w.named(r.customer, _name(G, r.customer))}: back after "
                f"{w.fmt_hours(r.hours)}, {verdict} its {w.fmt_hours(r.tolerance)} tolerance{by}"
            )
    out.extend(_degraded_lines(impact, G, limit, width))
    return "\n".join(out) + "\n"


def _wrapped(listing: str, width: int) -> list[str]:
    return textwrap.wrap(
        listing,
        width=max(width, 20),
        initial_indent="  ",
        subsequent_indent="  ",
        break_on_hyphens=False,
        break_long_words=False,
    )


def _in_words(G: nx.DiGraph, party: str) -> str:
    """``Payroll (payroll)``, or the id alone when the name says no more."""
    name = _name(G, party)
    return f"{name} ({w.clean(party)})" if name else w.clean(party)


def _listing(G: nx.DiGraph, ids: Sequence[str], limit: int) -> str:
    shown, hidden = w.limited(sorted(ids), limit)
    return ", ".join(_in_words(G, x) for x in shown) + (f" {w.more(hidden)}" if hidden else "")


def _degraded_lines(impact: Impact, G: nx.DiGraph, limit: int, width: int) -> list[str]:
    """SPEC §9: who still has service but runs degraded, and who lost its backup."""
    out: list[str] = []
    degraded = [*impact.degraded_customers, *impact.degraded_units]
    if degraded:
        out.append("")
        n = len(degraded)
        out.append(
            f"{w.plural(n, 'party', 'parties')} still {'has' if n == 1 else 'have'} service but "
            f"{'runs' if n == 1 else 'run'} degraded (a nice-to-have lost, or a supplier "
            "that runs degraded):"
        )
        if impact.degraded_customers:
            out.extend(
                _wrapped("customers: " + _listing(G, impact.degraded_customers, limit), width)
            )
        if impact.degraded_units:
            out.extend(_wrapped("units: " + _listing(G, impact.degraded_units, limit), width))
    if impact.redundancy_lost:
        out.append("")
        n = len(impact.redundancy_lost)
        out.append(
            f"{w.plural(n, 'party', 'parties')} still served by an alternative, with no backup "
            "left for the failed ones:"
        )
        out.extend(_wrapped(_listing(G, impact.redundancy_lost, limit), width))
    return out


def render_pairs_text(found: DoubleFailures, G: nx.DiGraph, *, width: int = 100) -> str:
    """The minimal double failures of a customer in words, one pair per line, with names."""
    who = _in_words(G, found.customer)
    if not found.pairs:
        return (
            f"No two units or vendors stop {who} together without one of them stopping it alone.\n"
        )
    n = len(found.pairs)
    which = "both of these fail" if n == 1 else f"both parties of any of these {n} pairs fail"
    out = [f"{who} loses service when {which} (neither alone stops it):", ""]
    for x, y in found.pairs:
        out.append(f"  {_in_words(G, x)} + {_in_words(G, y)}")
    if found.truncated:
        out.append("")
        out.append(f"… more pairs exist: the first {n} are shown (--limit N, 0 for all).")
    return "\n".join(out) + "\n"

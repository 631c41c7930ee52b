"""SPEC §8 properties: effective levels, promises, expectations and perceived quality against a
literal brute force written independently here.

Random organizations with required and optional dependencies, any_of groups with and without a
``primary``, cycles, lead times, quality scores, recovery times, promises and expectations; random
surveys on every scale, with dimensions and volumes. The brute force recurses on the condensation
of the required graph (a required cycle is one stage) and reads the networkx graph directly.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orggraph.analysis import (
    analyze,
    effective_levels,
    expectations,
    perceived_quality,
    promises,
    recovery,
    service_chains,
)
from orggraph.analysis.report import METRICS
from orggraph.errors import OrgValidationError
from orggraph.graph import build_graph
from orggraph.model import load_dict
from orggraph.model import survey as survey_module
from orggraph.model.survey import load_survey

SETTINGS = settings(max_examples=200, deadline=None)

# --- random organizations -------------------------------------------------------------------


@st.composite
def org_data(draw: st.DrawFn) -> dict[str, Any]:
    units = [f"u{i:02d}" for i in range(draw(st.integers(2, 10)))]
    vendors = [f"v{i}" for i in range(draw(st.integers(0, 3)))]
    customers = [f"c{i}" for i in range(draw(st.integers(1, 3)))]
    hours = st.one_of(st.none(), st.sampled_from([0, 1, 2, 4, 8]).map(lambda h: f"{h}h"))
    quality = st.sampled_from([None, 0.5, 0.8, 0.9, 1.0])

    def levels() -> dict[str, Any] | None:
        if draw(st.integers(0, 2)) == 0:
            return None
        chosen = {"lead_time": draw(hours), "quality": draw(quality), "recovery": draw(hours)}
        return {k: v for k, v in chosen.items() if v is not None}

    def depends_on(pool: list[str]) -> list[Any]:
        chosen = draw(st.lists(st.sampled_from(pool), unique=True, max_size=4)) if pool else []
        deps: list[Any] = []
        i = 0
        while i < len(chosen):
            dep: dict[str, Any]
            if draw(st.booleans()) and i + 1 < len(chosen):
                size = draw(st.integers(2, min(3, len(chosen) - i)))
                alternatives = chosen[i : i + size]
                dep = {"any_of": alternatives}
                if draw(st.booleans()):
                    dep["primary"] = draw(st.sampled_from(alternatives))
                i += size
            else:
                dep = {"supplier": chosen[i]}
                i += 1
            if draw(st.integers(0, 3)) == 0:
                dep["required"] = False
            if draw(st.booleans()):
                dep["volume"] = draw(st.integers(0, 5))
            expects = levels()
            if expects is not None:
                dep["expects"] = expects
            deps.append(dep)
        return deps

    return {
        "units": [
            {
                "id": u,
                "lead_time": draw(hours),
                "quality": draw(quality),
                "recovery_time": draw(hours),
                "depends_on": depends_on([x for x in units if x != u] + vendors),
            }
            for u in units
        ],
        "vendors": [
            {
                "id": v,
                "lead_time": draw(hours),
                "quality": draw(quality),
                "recovery_time": draw(hours),
            }
            for v in vendors
        ],
        "customers": [
            {
                "id": c,
                "lead_time": draw(hours),
                "quality": draw(quality),
                "promise": levels(),
                "depends_on": depends_on(units + vendors),
            }
            for c in customers
        ],
    }


def graphs() -> st.SearchStrategy[nx.DiGraph]:
    return org_data().map(lambda data: build_graph(load_dict(data)))


# --- brute force of SPEC §8 -------------------------------------------------------------------


class Dep:
    """One dependency of a consumer, straight from the edges: its suppliers (one, or an any_of
    group's alternatives, sorted), required, primary, expects and the volume written on it."""

    def __init__(self, suppliers: list[str], data: dict[str, Any]) -> None:
        self.suppliers = sorted(suppliers)
        self.group = data["any_of"] is not None
        self.required = bool(data["required"])
        self.primary: str | None = data.get("primary")
        self.expects: dict[str, float] = data.get("expects") or {}
        self.volume = data.get("group_volume") if self.group else data.get("volume")


def deps_of(G: nx.DiGraph, c: str) -> list[Dep]:
    singles: list[Dep] = []
    groups: dict[str, list[str]] = defaultdict(list)
    group_data: dict[str, dict[str, Any]] = {}
    for s, _, data in G.in_edges(c, data=True):
        if data["any_of"] is None:
            singles.append(Dep([s], data))
        else:
            groups[data["any_of"]].append(s)
            group_data[data["any_of"]] = data
    return singles + [Dep(g, group_data[key]) for key, g in groups.items()]


def own(G: nx.DiGraph, v: str, key: str) -> float | None:
    value = G.nodes[v].get(key)
    return None if value is None else float(value)


class Naive:
    """lead, q and rec of every party with their culprits, by recursion over the stages."""

    def __init__(self, G: nx.DiGraph, perceived: dict[str, float] | None = None) -> None:
        self.G = G
        self.perceived = perceived or {}
        R = nx.DiGraph()
        R.add_nodes_from(G)
        R.add_edges_from((s, c) for s, c, d in G.edges(data=True) if d["required"])
        self.C = nx.condensation(R)
        self.stage: dict[str, int] = self.C.graph["mapping"]
        self.deps = {v: [d for d in deps_of(G, v) if d.required] for v in G}

    def members(self, k: int) -> list[str]:
        return sorted(self.C.nodes[k]["members"])

    def outside(self, k: int, dep: Dep, use_primary: bool) -> list[str]:
        """The suppliers a dependency of stage k offers to its recurrence: none when it is met
        inside the stage (the primary, or any alternative without one, in the stage)."""
        if use_primary and dep.primary is not None:
            return [] if self.stage[dep.primary] == k else [dep.primary]
        if any(self.stage[a] == k for a in dep.suppliers):
            return []
        return dep.suppliers

    @functools.cache  # noqa: B019 - one Naive per example
    def lead(self, k: int) -> tuple[float, tuple[int, ...]]:
        """lead of stage k and the stages of its critical chain (from k upstream)."""
        top = max(own(self.G, v, "lead_time") or 0.0 for v in self.members(k))
        terms: list[tuple[str, int]] = []
        for v in self.members(k):
            for dep in self.deps[v]:
                alts = self.outside(k, dep, use_primary=True)
                if not alts:
                    continue
                # fastest alternative: smallest lead, then longest chain, then smallest id
                best = min(
                    alts,
                    key=lambda a: (
                        self.lead(self.stage[a])[0],
                        -len(self.lead(self.stage[a])[1]),
                        a,
                    ),
                )
                terms.append((best, self.stage[best]))
        if not terms:
            return top, (k,)
        terms.sort()  # max() keeps the smallest supplier id among ties
        _, t = max(terms, key=lambda term: (self.lead(term[1])[0], len(self.lead(term[1])[1])))
        lead, chain = self.lead(t)
        return top + lead, (k, *chain)

    def lead_culprit(self, v: str) -> str | None:
        """The party with the largest own lead time on the critical chain, smallest id on ties."""
        lead, chain = self.lead(self.stage[v])
        if lead == 0:
            return None
        on_chain = [p for k in chain for p in self.members(k)]
        return min(on_chain, key=lambda p: (-(own(self.G, p, "lead_time") or 0.0), p))

    def own_quality(self, v: str) -> float | None:
        return self.perceived[v] if v in self.perceived else own(self.G, v, "quality")

    @functools.cache  # noqa: B019
    def quality(self, k: int) -> tuple[float, str | None]:
        def rank(cand: tuple[float, str | None]) -> tuple[float, bool, str]:
            return (cand[0], cand[1] is None, cand[1] or "")

        cands: list[tuple[float, str | None]] = []
        for v in self.members(k):
            q = self.own_quality(v)
            cands.append((1.0, None) if q is None else (q, v))
            for dep in self.deps[v]:
                alts = self.outside(k, dep, use_primary=True)
                if alts:
                    best = max(alts, key=lambda a: self.quality(self.stage[a])[0])
                    cands.append(self.quality(self.stage[best]))
        return min(cands, key=rank)

    @functools.cache  # noqa: B019
    def recovery(self, k: int) -> tuple[float, frozenset[str]]:
        """rec of stage k, and every party whose own recovery_time sets it through a term that
        reaches the maximum (the culprit is the smallest of them)."""
        terms: list[tuple[float, frozenset[str]]] = []
        for v in self.members(k):
            terms.append((own(self.G, v, "recovery_time") or 0.0, frozenset([v])))
            for dep in self.deps[v]:
                alts = self.outside(k, dep, use_primary=False)
                if not alts:
                    continue
                low = min(self.recovery(self.stage[a])[0] for a in alts)
                setters = frozenset().union(
                    *(
                        self.recovery(self.stage[a])[1]
                        for a in alts
                        if self.recovery(self.stage[a])[0] == low
                    )
                )
                terms.append((low, setters))
        rec = max(t for t, _ in terms)
        return rec, frozenset().union(*(s for t, s in terms if t == rec))

    def value(self, v: str, metric: str) -> float:
        k = self.stage[v]
        if metric == "lead_time":
            return self.lead(k)[0]
        if metric == "quality":
            return self.quality(k)[0]
        return self.recovery(k)[0]

    def culprit(self, v: str, metric: str) -> str | None:
        if metric == "lead_time":
            return self.lead_culprit(v)
        if metric == "quality":
            return self.quality(self.stage[v])[1]
        rec, setters = self.recovery(self.stage[v])
        return min(setters) if rec > 0 else None

    def group_value(self, dep: Dep, metric: str) -> float:
        """A dependency's effective value: its supplier's, or for a group the best alternative
        (min lead, max q, min rec), the primary's lead and q where one is named."""
        if dep.primary is not None and metric != "recovery":
            return self.value(dep.primary, metric)
        values = [self.value(a, metric) for a in dep.suppliers]
        return max(values) if metric == "quality" else min(values)


def met(metric: str, actual: float, target: float) -> bool:
    return actual >= target if metric == "quality" else actual <= target


def naive_promises(G: nx.DiGraph, naive: Naive) -> list[tuple[Any, ...]]:
    out = []
    for c in sorted(G):
        promised = G.nodes[c].get("promise")
        if G.nodes[c]["party"] != "customer" or not promised:
            continue
        for metric in METRICS:
            if promised.get(metric) is None:
                continue
            actual = naive.value(c, metric)
            target = float(promised[metric])
            out.append(
                (c, metric, target, actual, met(metric, actual, target), naive.culprit(c, metric))
            )
    return out


def naive_expectations(G: nx.DiGraph, naive: Naive) -> list[tuple[Any, ...]]:
    out = []
    for consumer in G:
        own_rec = own(G, consumer, "recovery_time")
        for dep in deps_of(G, consumer):
            name = tuple(dep.suppliers) if dep.group else dep.suppliers[0]
            for metric in METRICS:
                if dep.expects.get(metric) is None:
                    continue
                actual = naive.group_value(dep, metric)
                target = float(dep.expects[metric])
                if not met(metric, actual, target):
                    out.append((consumer, name, metric, target, actual, False))
            if own_rec is not None and dep.required and dep.expects.get("recovery") is None:
                actual = naive.group_value(dep, "recovery")
                if actual > own_rec:
                    out.append((consumer, name, "recovery", own_rec, actual, True))

    def key(e: tuple[Any, ...]) -> tuple[Any, ...]:
        supplier = (e[1],) if isinstance(e[1], str) else e[1]
        return (e[0], supplier, METRICS.index(e[2]))

    return sorted(out, key=key)


# --- properties -------------------------------------------------------------------------------


@SETTINGS
@given(graphs())
def test_effective_levels_match_the_brute_force(G: nx.DiGraph) -> None:
    naive = Naive(G)
    levels = effective_levels(G)
    assert set(levels) == set(G)
    for v, level in levels.items():
        for metric in METRICS:
            assert level.value(metric) == naive.value(v, metric), (v, metric)
            assert level.culprit(metric) == naive.culprit(v, metric), (v, metric)


@SETTINGS
@given(graphs())
def test_one_pass_agrees_with_the_separate_recurrences(G: nx.DiGraph) -> None:
    """analyze() computes chains, effective levels and recovery in one pass; the §7 scenarios
    still use the recovery recurrence on its own, and both must agree."""
    report = analyze(G)
    alone = recovery(G)
    chains = {c.customer: c for c in service_chains(G)}
    assert dict(report.levels) == effective_levels(G)
    for v, level in report.levels.items():
        assert (level.recovery, level.recovery_culprit) == (alone.hours[v], alone.culprit[v])
    assert {c.customer: c for c in report.service_chains} == chains


@SETTINGS
@given(graphs())
def test_promises_match_the_brute_force(G: nx.DiGraph) -> None:
    found = promises(G, effective_levels(G))
    assert [
        (p.customer, p.metric, p.promised, p.actual, p.met, p.culprit) for p in found
    ] == naive_promises(G, Naive(G))


@SETTINGS
@given(graphs())
def test_expectations_match_the_brute_force(G: nx.DiGraph) -> None:
    found = expectations(G, effective_levels(G))
    assert [
        (e.consumer, e.supplier, e.metric, e.expected, e.actual, e.implied) for e in found
    ] == naive_expectations(G, Naive(G))


@SETTINGS
@given(graphs())
def test_analyze_reports_the_same_promises_and_expectations(G: nx.DiGraph) -> None:
    report = analyze(G).to_dict()
    naive = Naive(G)
    assert [
        (p["customer"], p["metric"], p["promised"], p["actual"], p["met"], p["culprit"])
        for p in report["promises"]
    ] == [(*p[:3], pytest.approx(p[3]), *p[4:]) for p in naive_promises(G, naive)]
    assert [
        (e["consumer"], e["supplier"], e["metric"], e["implied"]) for e in report["expectations"]
    ] == [
        (e[0], e[1] if isinstance(e[1], str) else list(e[1]), e[2], e[5])
        for e in naive_expectations(G, naive)
    ]


# --- perceived quality ------------------------------------------------------------------------

SCALES = {"1-5": (1, 5), "1-7": (1, 7), "0-10": (0, 10)}


def naive_perceived(
    G: nx.DiGraph, rows: list[tuple[str, str, int, str]], scale: tuple[int, int]
) -> list[tuple[Any, ...]]:
    """SPEC §8 read literally, row by row."""
    low, high = scale
    modelled = [r for r in rows if G.has_edge(r[1], r[0])]
    out = []
    for supplier in sorted({r[1] for r in modelled}):
        mine = [r for r in modelled if r[1] == supplier]
        consumers = sorted({r[0] for r in mine})
        score = {}
        for c in consumers:
            dims = sorted({r[3] for r in mine if r[0] == c})
            means = []
            for dim in dims:
                xs = [(r[2] - low) / (high - low) for r in mine if r[0] == c and r[3] == dim]
                means.append(sum(xs) / len(xs))
            score[c] = sum(means) / len(means)
        deps = {c: next(d for d in deps_of(G, c) if supplier in d.suppliers) for c in consumers}
        volumes = {c: deps[c].volume for c in consumers}
        if all(v is not None and v > 0 for v in volumes.values()):
            weighting, weight = "volume", {c: float(volumes[c] or 0) for c in consumers}
        else:
            weighting, weight = "equal", dict.fromkeys(consumers, 1.0)
        perceived = sum(weight[c] * score[c] for c in consumers) / sum(weight.values())
        stating = [c for c in consumers if deps[c].expects.get("quality") is not None]
        expected = (
            sum(weight[c] * deps[c].expects["quality"] for c in stating)
            / sum(weight[c] for c in stating)
            if stating
            else None
        )
        gap = None if expected is None else perceived - expected
        out.append((supplier, perceived, len(mine), len(consumers), weighting, expected, gap))
    # Equal means reached in another order differ in the last bit; the product rounds them to
    # twelve decimals so that ties sort by id, and so does this reference.
    out.sort(key=lambda q: (round(q[1], 12), q[0]))
    return out


@st.composite
def surveyed(draw: st.DrawFn) -> tuple[nx.DiGraph, list[tuple[str, str, int, str]], str]:
    G = build_graph(load_dict(draw(org_data())))
    edges = sorted((c, s) for s, c in G.edges)
    parties = sorted(G)
    scale = draw(st.sampled_from(sorted(SCALES)))
    low, high = SCALES[scale]
    pair = st.sampled_from(edges) if edges else st.nothing()
    stray = st.tuples(st.sampled_from(parties), st.sampled_from(parties))
    row = st.tuples(
        st.one_of(pair, pair, stray) if edges else stray,
        st.integers(low, high),
        st.sampled_from(["", "", "speed", "care"]),
    ).map(lambda t: (t[0][0], t[0][1], t[1], t[2]))
    return G, draw(st.lists(row, max_size=25)), scale


def approx_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(pytest.approx(x) if isinstance(x, float) else x for x in r) for r in rows]


@settings(max_examples=200, deadline=None)
@given(case=surveyed())
def test_perceived_quality_matches_the_brute_force(
    tmp_path_factory: pytest.TempPathFactory,
    case: tuple[nx.DiGraph, list[tuple[str, str, int, str]], str],
) -> None:
    G, rows, scale = case
    path: Path = tmp_path_factory.mktemp("survey") / "survey.csv"
    path.write_text(
        "consumer,supplier,score,dimension\n"
        + "".join(f"{c},{s},{x},{d}\n" for c, s, x, d in rows),
        encoding="utf-8",
    )
    survey = load_survey(path, G, scale=scale)
    found = perceived_quality(G, survey)
    assert [
        (q.id, q.perceived, q.responses, q.consumers, q.weighting, q.expected, q.gap) for q in found
    ] == approx_rows(naive_perceived(G, rows, SCALES[scale]))
    # the perceived score is the supplier's quality in the weakest link (SPEC §3 via §8)
    perceived = {q.id: q.perceived for q in found}
    naive = Naive(G, perceived)
    levels = effective_levels(G, perceived=perceived)
    for v in G:
        assert levels[v].quality == naive.value(v, "quality")
        assert levels[v].weakest_link == naive.culprit(v, "quality")


# --- the survey reader: read a column at a time, or row by row --------------------------------


@st.composite
def survey_texts(draw: st.DrawFn) -> tuple[nx.DiGraph, str]:
    G = build_graph(load_dict(draw(org_data())))
    parties = sorted(G)
    ids = st.sampled_from([*parties, *parties, "nobody", "", " " + parties[0]])
    score = st.sampled_from(["1", "3", "5", " 4 ", "", "2.5", "0", "6", "x", "nan"])
    words = st.sampled_from(["", "speed", " care", "2024-01-15", '"a, b"', "ok"])
    columns = draw(
        st.permutations(["consumer", "supplier", "score", "dimension", "date", "comment"])
    )
    lines = [",".join(columns)]
    for _ in range(draw(st.integers(0, 12))):
        cells = {
            "consumer": draw(ids),
            "supplier": draw(ids),
            "score": draw(score),
            "dimension": draw(words),
            "date": draw(words),
            "comment": draw(words),
        }
        row = [cells[c] for c in columns]
        if draw(st.integers(0, 9)) == 0:
            row = row[: draw(st.integers(0, len(row)))]  # a short or blank row
        lines.append(",".join(row))
    return G, "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(case=survey_texts())
def test_survey_columns_read_as_row_by_row(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[nx.DiGraph, str]
) -> None:
    """A CSV survey is read a column at a time when every row is well formed, else row by row
    (to locate each problem): both give the same responses, and the same errors."""
    G, text = case
    path: Path = tmp_path_factory.mktemp("survey") / "survey.csv"
    path.write_text(text, encoding="utf-8")

    def read() -> tuple[Any, ...] | list[str]:
        try:
            return tuple(load_survey(path, G).responses)
        except OrgValidationError as error:
            return [str(p) for p in error.problems]

    columns = read()
    with pytest.MonkeyPatch.context() as m:
        m.setattr(survey_module, "_csv_columns", lambda *args: None)
        assert read() == columns

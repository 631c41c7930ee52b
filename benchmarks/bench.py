#!/usr/bin/env python
"""Time and peak memory of every stage of the orggraph pipeline on synthetic organizations.

    python benchmarks/bench.py --sizes 1000 10000 100000 [--repeat 3] [--seed S] [--json]

For each size it generates an organization (cached under ``--cache-dir`` by shape, size, seed,
format and whether it has scenarios; a generated org carries three SPEC §7 scenarios, a site, a
vendor and a department, unless ``--no-scenarios``), then measures, each run in a fresh Python
process so that memory is that stage's alone:

- the floor: the libyaml event stream of the file, consumed and dropped (nothing can read the
  file faster than that with libyaml);
- reading and parsing to data, validating it (pydantic and the whole-file rules), and the public
  ``orggraph.model.load`` that does both;
- ``build_graph``; each public analysis function separately, and ``analyze`` for all of them;
  rendering the report as JSON;
- ``orggraph analyze FILE --format json`` end to end, as a subprocess (process start included),
  and its ratio to the floor.

A stage's prerequisites (e.g. loading and building before an analysis) run first in the same
process, untimed. Peak memory is the process's resident high-water mark during the stage: the
mark is reset (``/proc/self/clear_refs``) after the prerequisites, so the figure is what the
pipeline holds at that stage plus what the stage adds at its peak. Where the mark cannot be reset
the whole process's peak is shown, marked ``*``. Times and memory are the median of ``--repeat``
runs. Growth columns divide each size's time by the previous size's: near-linear cost shows as
growth close to the size ratio.

This is a plain script, never part of the test run.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

Ctx = dict[str, Any]


# ------------------------------------------------------------------------------------------
# Stages (run inside a worker process)


@dataclass(frozen=True)
class Stage:
    name: str
    label: str
    needs: str | None  # the stage whose results this one starts from
    run: Callable[[Ctx], Any]  # returns what later stages read, stored under the stage's name
    imports: tuple[str, ...] = ()  # imported before timing: a stage's time is its work alone
    api: str | None = None  # the orggraph.analysis function it needs, if any


def _floor(ctx: Ctx) -> None:
    import yaml

    text = Path(ctx["path"]).read_text(encoding="utf-8")
    for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
        pass


def _pyyaml(ctx: Ctx) -> None:
    """What most tools do: PyYAML's C loader builds the whole document (collector on)."""
    import yaml

    with Path(ctx["path"]).open(encoding="utf-8") as stream:
        yaml.load(stream, Loader=yaml.CSafeLoader)


def _pyyaml_paused(ctx: Ctx) -> None:
    """The same load with the garbage collector paused, as PERF-FACTS measured it: the fairest
    plain-YAML reference (the collector otherwise rescans the growing document again and
    again)."""
    import yaml

    from orggraph._perf import paused_gc

    with paused_gc(), Path(ctx["path"]).open(encoding="utf-8") as stream:
        yaml.load(stream, Loader=yaml.CSafeLoader)


def _parse(ctx: Ctx) -> Any:
    """Bytes to plain data the way ``orggraph.model.load`` does it on its fast path."""
    from orggraph._perf import paused_gc
    from orggraph.model.load import yaml_data
    from orggraph.model.yamlsource import decode

    path = ctx["path"]
    with paused_gc():
        text = decode(Path(path).read_bytes(), path)
        if path.endswith(".json"):
            from orggraph.model.jsonsource import parse_json

            return parse_json(text, path)
        return yaml_data(text, path)


def _validate(ctx: Ctx) -> Any:
    from orggraph._perf import paused_gc
    from orggraph.model import load_dict

    with paused_gc():  # as the loader validates
        return load_dict(ctx["parse"])


def _load(ctx: Ctx) -> Any:
    from orggraph.model import load

    return load(ctx["path"])


def _build(ctx: Ctx) -> Any:
    from orggraph.graph import build_graph

    return build_graph(ctx["load"])


def _analysis(name: str, *args: Any) -> Callable[[Ctx], Any]:
    def run(ctx: Ctx) -> Any:
        import orggraph.analysis

        return getattr(orggraph.analysis, name)(ctx["build"], *args)

    return run


def _render_json(ctx: Ctx) -> str:
    report = ctx["analyze"]
    try:
        from orggraph.render.json import render_json
    except ImportError:  # before the JSON renderer landed
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)
    text: str = render_json(report)
    return text


def _levels(ctx: Ctx) -> Any:
    """SPEC §8 on its own: effective levels of every party, promises, expectations."""
    from orggraph.analysis import effective_levels, expectations, promises

    G = ctx["build"]
    levels = effective_levels(G)
    return promises(G, levels), expectations(G, levels)


_DETAILS: dict[str, dict[str, Any]] = {}
"""Extra figures a stage reports beside its time, by stage name (read by the worker)."""


def _analyze_steps(ctx: Ctx, with_survey: bool, name: str) -> Any:
    from orggraph.analysis import analyze

    marks: list[tuple[str, float]] = []
    report = analyze(
        ctx["build"],
        survey=ctx["survey_load"] if with_survey else None,
        progress=lambda step: marks.append((step, time.perf_counter())),
    )
    marks.append(("(end)", time.perf_counter()))
    _DETAILS[name] = {"steps": {a: t2 - t1 for (a, t1), (_, t2) in pairwise(marks)}}
    return report


SURVEY_ROWS = 1_000_000


def _survey_write(ctx: Ctx) -> str:
    """A survey of SURVEY_ROWS responses over the graph's dependencies (one in fifty about a pair
    the org does not model), with dimensions, dates and comments: the file ``survey_load`` reads."""
    import random

    G = ctx["build"]
    pairs = [(c, s) for s, c in G.edges]
    parties = sorted(G)
    rng = random.Random(0)
    path = Path(ctx["path"]).with_name(f"survey-{Path(ctx['path']).stem}.csv")
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("consumer,supplier,score,dimension,date,comment\n")
        dims = ("", "speed", "care", "accuracy")
        for i in range(SURVEY_ROWS):
            c, s = pairs[i % len(pairs)] if i % 50 else (rng.choice(parties), rng.choice(parties))
            out.write(f"{c},{s},{rng.randint(1, 5)},{dims[i % 4]},2024-0{1 + i % 9}-15,\n")
    return str(path)


def _survey_load(ctx: Ctx) -> Any:
    from orggraph.model.survey import load_survey

    return load_survey(ctx["survey_write"], ctx["build"])


_ANALYSES: list[tuple[str, str, tuple[Any, ...]]] = [
    ("single_failure_impacts", "impact: single_failure_impacts", ()),
    ("critical_suppliers", "impact: critical_suppliers (+impacts)", ({},)),
    ("service_chains", "chains: service_chains", ()),
    ("line_of_sight", "chains: line_of_sight", ()),
    ("disconnected_units", "chains: disconnected_units", ()),
    ("cycles", "cycles", ()),
    ("loads", "bottlenecks: loads", ()),
    ("betweenness_centrality", "bottlenecks: betweenness_centrality", ()),
    ("bottlenecks", "bottlenecks (+betweenness, loads)", ()),
    ("illusory_redundancy", "redundancy: illusory_redundancy (own pass)", ()),
    ("failover", "redundancy: failover (own pass, +loads)", ()),
    ("analyze", "analyze (all of the above)", ()),
]


def _short_count(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n:,}"


STAGES: dict[str, Stage] = {
    s.name: s
    for s in [
        Stage("floor", "libyaml parse floor (events only)", None, _floor, ("yaml",)),
        Stage("pyyaml", "PyYAML CSafeLoader yaml.load", None, _pyyaml, ("yaml",)),
        Stage(
            "pyyaml_paused",
            "PyYAML CSafeLoader, gc paused",
            None,
            _pyyaml_paused,
            ("yaml", "orggraph._perf"),
        ),
        Stage("parse", "read + parse to data", None, _parse, ("orggraph.model.load",)),
        Stage("validate", "validate (pydantic + rules)", "parse", _validate, ("orggraph.model",)),
        Stage("load", "model.load (read+parse+validate)", None, _load, ("orggraph.model",)),
        Stage("build", "build_graph", "load", _build, ("orggraph.graph",)),
        *(
            Stage(name, label, "build", _analysis(name, *args), ("orggraph.analysis",), name)
            for name, label, args in _ANALYSES
        ),
        Stage("render", "render JSON", "analyze", _render_json, ("orggraph.render.json",)),
        Stage(
            "levels",
            "levels: effective levels+promises+exp.",
            "build",
            _levels,
            ("orggraph.analysis",),
            "effective_levels",
        ),
        Stage(
            "analyze_steps",
            "analyze, timed by step",
            "build",
            lambda ctx: _analyze_steps(ctx, False, "analyze_steps"),
            ("orggraph.analysis",),
            "effective_levels",
        ),
        Stage(
            "survey_write",
            f"write a {_short_count(SURVEY_ROWS)}-row survey (setup)",
            "build",
            _survey_write,
        ),
        Stage(
            "survey_load",
            f"load_survey, {_short_count(SURVEY_ROWS)} rows",
            "survey_write",
            _survey_load,
            ("orggraph.model.survey",),
            "perceived_quality",
        ),
        Stage(
            "analyze_survey",
            f"analyze --survey ({_short_count(SURVEY_ROWS)} rows)",
            "survey_load",
            lambda ctx: _analyze_steps(ctx, True, "analyze_survey"),
            ("orggraph.analysis",),
            "perceived_quality",
        ),
    ]
}
E2E = "e2e"
E2E_LABEL = "end to end (orggraph analyze, json)"


def _available(name: str) -> bool:
    """Whether a stage, and every stage it starts from, can run with this orggraph."""
    if name == E2E:
        return True
    stage = STAGES[name]
    if stage.api is not None:
        try:
            import orggraph.analysis
        except ImportError:
            return False
        if not hasattr(orggraph.analysis, stage.api):
            return False
    return stage.needs is None or _available(stage.needs)


def _status_kb(field: str) -> int | None:
    with contextlib.suppress(OSError):
        match = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
        if match:
            return int(match.group(1))
    return None


def _reset_peak() -> bool:
    """Reset the resident high-water mark (Linux >= 4.0); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _chain(name: str) -> list[Stage]:
    """The stage and the stages it starts from, first needed first."""
    chain: list[Stage] = []
    stage: Stage | None = STAGES[name]
    while stage is not None:
        chain.append(stage)
        stage = STAGES[stage.needs] if stage.needs else None
    return chain[::-1]


def worker(names: list[str], path: str, gc_mode: str) -> dict[str, dict[str, Any]]:
    """Measure ``names`` in this process, in order, running missing prerequisites untimed.

    Results no later stage needs are dropped, as a pipeline would drop them.
    """
    import resource

    for name in names:
        for stage in _chain(name):
            for module in stage.imports:
                with contextlib.suppress(ImportError):
                    importlib.import_module(module)
    ctx: Ctx = {"path": path}
    out: dict[str, dict[str, Any]] = {}
    for k, name in enumerate(names):
        *prerequisites, target = _chain(name)
        for stage in prerequisites:
            if stage.name not in ctx:
                ctx[stage.name] = stage.run(ctx)
        gc.collect()
        if gc_mode == "freeze":
            gc.freeze()
        rss_before = _status_kb("VmRSS")
        reset = _reset_peak()
        cpu = time.process_time()
        start = time.perf_counter()
        ctx[target.name] = target.run(ctx)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        peak_kb = _status_kb("VmHWM") if reset else None
        if peak_kb is None:
            reset = False
            peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        out[name] = {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "peak_mb": peak_kb / 1024,
            "rss_before_mb": (rss_before or 0) / 1024,
            "peak_is_stage_only": reset,
            **_DETAILS.pop(name, {}),
        }
        needed = {s.name for later in names[k + 1 :] for s in _chain(later)}
        for key in [key for key in ctx if key != "path" and key not in needed]:
            del ctx[key]
        if gc_mode == "freeze":
            gc.unfreeze()
    return out


# ------------------------------------------------------------------------------------------
# The driver


def _size(text: str) -> int:
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM]?)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"not a size: {text} (e.g. 1000, 10k, 1M)")
    factor = {"": 1, "k": 1000, "m": 1_000_000}[match.group(2).lower()]
    return int(float(match.group(1)) * factor)


def _short(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Child:
    """How a child process went: exit code (None on timeout), wall and CPU seconds, peak RSS."""

    code: int | None
    seconds: float
    cpu_seconds: float
    peak_mb: float
    stderr_tail: str

    @property
    def error(self) -> str:
        return "timeout" if self.code is None else f"exit {self.code}: {self.stderr_tail}"


def _run_child(argv: list[str], workdir: Path, timeout: float) -> Child:
    """Run a process to its end, with its stdout and stderr in files (no pipe to fill up)."""
    out_path, err_path = workdir / "child.out", workdir / "child.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return Child(None, timeout, 0.0, 0.0, "timeout")
            time.sleep(0.005)
        wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    tail = err_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-3:]
    cpu = usage.ru_utime + usage.ru_stime
    return Child(code, wall, cpu, usage.ru_maxrss / 1024, " | ".join(tail))


def _cli_argv() -> list[str]:
    script = shutil.which("orggraph", path=str(Path(sys.executable).parent))
    if script:
        return [script]
    return [sys.executable, "-m", "orggraph"]


def _input_file(
    shape: str,
    size: int,
    seed: int,
    fmt: str,
    cache: Path,
    workdir: Path,
    timeout: float,
    scenarios: bool = True,
    writer: str = "orggraph",
) -> tuple[Path, dict[str, Any]]:
    """The cached input file, generated (in a fresh process, timed) when missing."""
    stem = f"{shape}-{size}-s{seed}" if shape.startswith("org") else f"{shape}-{size}"
    if shape.startswith("org") and scenarios:
        stem += "-scenarios"
    if writer != "orggraph":
        stem += f"-{writer}"
    path = cache / f"{stem}.{WRITER_FORMAT.get(writer, fmt)}"
    meta_path = path.with_name(path.name + ".meta.json")
    if path.exists() and meta_path.exists():
        meta: dict[str, Any] = json.loads(meta_path.read_text())
        return path, meta
    _log(f"[{_short(size)}] generating {path} ...")
    result = workdir / "gen.json"
    child = _run_child(
        [sys.executable, __file__, "--generate-to", str(path), "--shape", shape,
         "--seed", str(seed), "--result", str(result), "--sizes", str(size),
         "--writer", writer, *([] if scenarios else ["--no-scenarios"])],
        workdir,
        timeout,
    )  # fmt: skip
    if child.code != 0:
        raise SystemExit(f"generating {path} failed: {child.error}")
    meta = json.loads(result.read_text())
    meta["peak_mb"] = child.peak_mb
    meta["bytes"] = path.stat().st_size
    meta_path.write_text(json.dumps(meta))
    return path, meta


def _generate_to(
    path: Path, shape: str, size: int, seed: int, scenarios: bool = True, writer: str = "orggraph"
) -> dict[str, Any]:
    from orggraph.generate import generate_org, pathological
    from orggraph.model.dump import write_org

    start = time.perf_counter()
    if shape in ("org", "org-levels"):
        data = generate_org(size, seed=seed, scenarios=scenarios)
        if shape == "org-levels":
            _add_service_levels(data, seed)
    else:
        data = pathological(shape, size)  # type: ignore[arg-type]
    generated = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    if writer == "orggraph":
        write_org(data, path)
    else:
        WRITERS[writer](data, path)
    written = time.perf_counter()
    return {"generate_seconds": generated - start, "write_seconds": written - generated}


# ------------------------------------------------------------------------------------------
# Writers: the same organization written the way other tools and people write it


def _write_safe_dump(data: dict[str, Any], path: Path) -> None:
    """``yaml.safe_dump`` in block style, PyYAML's defaults otherwise (ASCII with escapes, lines
    folded at 80 columns, single quotes where needed): what a script that knows no better
    writes. The C emitter writes the same text as the Python one, faster."""
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with path.open("w", encoding="utf-8") as out:
        yaml.dump(data, out, Dumper=dumper, sort_keys=False, default_flow_style=False)


def _write_json(data: dict[str, Any], path: Path) -> None:
    """``json.dump`` of the data on one line, as a program that exports JSON writes it."""
    with path.open("w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)


def _write_hand(data: dict[str, Any], path: Path) -> None:
    """The organization as a person keeps it in an editor: names in double quotes, lists of
    ids as flow lists (``depends_on: [a, b]``), a short long-form dependency on one line in
    braces and a longer one as a block, comments on their own lines and after values, blank
    lines between parties, and indentation that differs by level (parties two columns in,
    their fields four, nested mappings four more, dependencies six)."""
    from orggraph.model.dump import yaml_float, yaml_text

    def scalar(value: Any, flow: bool = False) -> str:
        if value is None:
            return "null"
        if value is True or value is False:
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return yaml_float(value)
        return yaml_text(str(value), flow=flow)

    def flat(value: Any) -> bool:
        return not isinstance(value, (list, dict))

    def flow(value: Any) -> str:
        if isinstance(value, list):
            return "[" + ", ".join(flow(v) for v in value) + "]"
        if isinstance(value, dict):
            return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
        return scalar(value, flow=True)

    def mapping(items: dict[str, Any], pad: str, out: list[str], first: str | None = None) -> None:
        for n, (key, value) in enumerate(items.items()):
            lead = first if n == 0 and first is not None else pad
            if key == "name" and isinstance(value, str):
                out.append(f"{lead}{key}: {json.dumps(value, ensure_ascii=False)}")
            elif isinstance(value, dict):
                if all(flat(v) for v in value.values()) and len(value) <= 3:
                    out.append(f"{lead}{key}: {flow(value)}")
                else:
                    out.append(f"{lead}{key}:")
                    mapping(value, pad + "    ", out)
            elif isinstance(value, list):
                if all(flat(v) for v in value):
                    out.append(f"{lead}{key}: {flow(value)}")
                else:
                    out.append(f"{lead}{key}:")
                    for item in value:
                        if isinstance(item, dict) and len(item) > 2:
                            mapping(item, pad + "    ", out, first=pad + "  - ")
                        else:
                            out.append(f"{pad}  - {flow(item)}")
            else:
                out.append(f"{lead}{key}: {scalar(value)}")

    out = [f"# {data.get('organization', {}).get('name', 'organization')}", "# kept by hand", ""]
    for key, value in data.items():
        if key in ("units", "customers", "vendors", "scenarios") and isinstance(value, list):
            out.append(f"{key}:")
            for n, party in enumerate(value):
                if n % 50 == 0:
                    out += ["", f"  # -- {key} {n + 1} to {n + 50} --"]
                lines: list[str] = []
                mapping(party, "    ", lines, first="  - ")
                if n % 10 == 3:
                    lines[0] += "  # reviewed"
                out += [*lines, ""] if n % 7 == 0 else lines
        elif isinstance(value, dict):
            out.append(f"{key}:")
            mapping(value, "    ", out)
        else:
            out.append(f"{key}: {scalar(value)}")
        out.append("")
    path.write_text("\n".join(out), encoding="utf-8")


WRITERS: dict[str, Callable[[dict[str, Any], Path], None]] = {
    "safe_dump": _write_safe_dump,
    "hand": _write_hand,
    "json": _write_json,
}
"""The writers besides the project's own (``orggraph``: ``write_org``, YAML or JSON by
``--format``)."""
WRITER_FORMAT = {"safe_dump": "yaml", "hand": "yaml", "json": "json"}


def _add_service_levels(data: dict[str, Any], seed: int) -> None:
    """SPEC §8 fields on a generated org: a recovery time on half the units and vendors, a
    promise to every customer, ``expects`` on one dependency in five and a primary on half the
    any_of groups (seeded: the same org every time)."""
    import random

    rng = random.Random(seed)
    hours = ("30m", "1h", "2h", "4h", "8h", "1d", "2d")
    for party in [*data.get("units", []), *data.get("vendors", [])]:
        if rng.random() < 0.5:
            party["recovery_time"] = rng.choice(hours)
    for customer in data.get("customers", []):
        customer["promise"] = {
            "lead_time": rng.choice(("1d", "2d", "1w")),
            "quality": rng.choice((0.8, 0.9)),
            "recovery": rng.choice(("8h", "1d")),
        }
    for party in [*data.get("units", []), *data.get("customers", [])]:
        deps = party.get("depends_on") or []
        for i, dep in enumerate(deps):
            if isinstance(dep, dict) and "any_of" in dep and rng.random() < 0.5:
                dep["primary"] = dep["any_of"][0]
            if rng.random() < 0.2:
                dep = deps[i] = {"supplier": dep} if isinstance(dep, str) else dep
                dep["expects"] = {"lead_time": rng.choice(hours), "quality": 0.85}


def _median(values: list[float]) -> float:
    return statistics.median(values)


@dataclass(frozen=True)
class Column:
    """One input measured: a generated org of a size written by one writer, or a given file."""

    key: str  # the key of its figures in the results
    label: str  # its column heading
    size: int | None  # units, for a generated org
    writer: str | None  # None for a file given with --from
    path: Path | None = None  # a file given with --from


def columns(args: argparse.Namespace) -> list[Column]:
    """The inputs to measure, in table order: every file of ``--from``, else every size with
    every writer (sizes outermost, so each writer's growth reads across its own columns)."""
    if args.from_files:
        out: list[Column] = []
        for n, name in enumerate(args.from_files):
            path = Path(name)
            label = path.name if len(path.name) <= 16 else path.name[:15] + "…"
            if any(c.label == label for c in out):
                label = f"{label[:13]}#{n + 1}"
            out.append(Column(f"{n}:{path}", label, None, None, path))
        return out
    many = len(args.writer) > 1
    return [
        Column(
            f"{size}-{writer}" if many else str(size),
            f"{_short(size)} {WRITER_SHORT[writer]}" if many else _short(size),
            size,
            writer,
        )
        for size in args.sizes
        for writer in args.writer
    ]


WRITER_SHORT = {"orggraph": "og", "safe_dump": "sd", "hand": "hand", "json": "json"}


def growth_pairs(cols: list[Column]) -> list[tuple[Column, Column]]:
    """Consecutive sizes of one writer: the growth the table shows (none between given files)."""
    pairs: list[tuple[Column, Column]] = []
    for writer in dict.fromkeys(c.writer for c in cols if c.writer is not None):
        pairs += pairwise([c for c in cols if c.writer == writer])
    return pairs


def measure(args: argparse.Namespace) -> dict[str, Any]:
    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    selected = [s for s in [*STAGES, E2E] if s in args.stages]
    skipped = [s for s in selected if not _available(s)]
    stages = [s for s in selected if s not in skipped]
    # one process per stage and repeat, or one process per repeat running every stage in turn
    if args.isolate == "stage":
        batches = [[name] for name in stages]
    else:
        batches = [[name for name in stages if name != E2E]] + ([[E2E]] if E2E in stages else [])
    cols = columns(args)
    results: dict[str, Any] = {
        "meta": _meta(args),
        "sizes": args.sizes if not args.from_files else [],
        "columns": [
            {"key": c.key, "label": c.label, "size": c.size, "writer": c.writer} for c in cols
        ],
        "growth": [
            [a.key, b.key, b.size / a.size] for a, b in growth_pairs(cols) if a.size and b.size
        ],
        "stages": {},
    }
    with tempfile.TemporaryDirectory(prefix="orggraph-bench-") as tmp:
        workdir = Path(tmp)
        for col in cols:
            if col.path is not None:
                path, gen = col.path, {"bytes": col.path.stat().st_size}
            else:
                assert col.size is not None and col.writer is not None
                path, gen = _input_file(
                    args.shape,
                    col.size,
                    args.seed,
                    args.format,
                    cache,
                    workdir,
                    args.timeout,
                    args.scenarios,
                    col.writer,
                )
            results.setdefault("inputs", {})[col.key] = {"file": str(path), **gen}
            runs: dict[str, list[dict[str, Any]]] = {name: [] for name in stages}
            for batch in batches:
                for r in range(args.repeat):
                    measured = _measure_batch(batch, path, workdir, args)
                    for name, run in measured.items():
                        runs[name].append(run)
                        shown = f"{run['seconds']:.3f}s" if run["ok"] else run["error"]
                        _log(f"[{col.label}] {name} {r + 1}/{args.repeat}: {shown}")
                    if not any(run["ok"] for run in measured.values()):
                        break  # it will not go better the next time
            for name in stages:
                results["stages"].setdefault(name, {})[col.key] = _summarize(runs[name])
    results["skipped"] = skipped
    return results


def _measure_batch(
    names: list[str], path: Path, workdir: Path, args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    """One fresh process: the end-to-end command, or a worker measuring ``names`` in turn."""
    if names == [E2E]:
        out = workdir / "report.json"
        argv = [*_cli_argv(), "analyze", str(path), "--format", "json", "-o", str(out)]
        child = _run_child(argv, workdir, args.timeout)
        out.unlink(missing_ok=True)
        if child.code != 0:
            return {E2E: {"ok": False, "error": child.error}}
        return {
            E2E: {
                "ok": True,
                "seconds": child.seconds,
                "cpu_seconds": child.cpu_seconds,
                "peak_mb": child.peak_mb,
                "peak_is_stage_only": False,
            }
        }
    result = workdir / "stages.json"
    result.unlink(missing_ok=True)
    argv = [sys.executable, __file__, "--worker", *names, "--input", str(path),
            "--result", str(result), "--gc", args.gc]  # fmt: skip
    child = _run_child(argv, workdir, args.timeout)
    measured: dict[str, dict[str, Any]] = json.loads(result.read_text()) if result.exists() else {}
    return {
        name: {**measured[name], "ok": True}
        if name in measured
        else {"ok": False, "error": child.error}
        for name in names
    }


def _summarize(runs: list[dict[str, Any]]) -> dict[str, Any]:
    good = [r for r in runs if r.get("ok")]
    if len(good) < len(runs):
        return {"error": next(r["error"] for r in runs if not r.get("ok"))}
    return {
        "seconds": _median([r["seconds"] for r in good]),
        "cpu_seconds": _median([r["cpu_seconds"] for r in good]),
        "peak_mb": _median([r["peak_mb"] for r in good]),
        "runs": [round(r["seconds"], 4) for r in good],
        "peak_is_stage_only": all(r.get("peak_is_stage_only") for r in good),
        **(
            {"steps": {k: _median([r["steps"][k] for r in good]) for k in good[0]["steps"]}}
            if "steps" in good[0]
            else {}
        ),
    }


def _meta(args: argparse.Namespace) -> dict[str, Any]:
    import networkx
    import pydantic
    import yaml

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError, AttributeError):
        mem_kb = int(re.findall(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[0])
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, {cpu}, "
        f"{mem_kb / 1024**2:.0f} GB",
        "python": platform.python_version(),
        "versions": {
            "PyYAML": f"{yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'})",
            "pydantic": pydantic.VERSION,
            "networkx": networkx.__version__,
        },
        "shape": args.shape,
        "format": args.format,
        "seed": args.seed,
        "repeat": args.repeat,
        "gc": args.gc,
        "isolate": args.isolate,
        "clock": args.clock,
        "writer": args.writer,
        "from": args.from_files or [],
    }


# ------------------------------------------------------------------------------------------
# The table


def _table_columns(results: dict[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(key, label) of every column and the (key, key) pairs whose growth is shown; results
    written before ``--writer`` have only sizes."""
    if "columns" in results:
        cols = [(c["key"], c["label"]) for c in results["columns"]]
        return cols, [(a, b) for a, b, _ in results.get("growth", [])]
    sizes: list[int] = results["sizes"]
    return [(str(n), _short(n)) for n in sizes], [(str(a), str(b)) for a, b in pairwise(sizes)]


def table(results: dict[str, Any]) -> str:
    meta = results["meta"]
    cols, pairs = _table_columns(results)
    labels = dict(cols)
    key = "cpu_seconds" if meta.get("clock") == "cpu" else "seconds"
    given = bool(meta.get("from"))
    source = (
        "files given with --from"
        if given
        else f"{meta['shape']} ({meta['format']}), seed {meta['seed']}, "
        f"writer {', '.join(meta.get('writer', ['orggraph']))}"
    )
    lines = [
        f"orggraph benchmark, {meta['date']}: {meta['machine']}; Python {meta['python']}, "
        + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()),
        f"input: {source}; "
        f"median of {meta['repeat']}; {'CPU' if key == 'cpu_seconds' else 'wall'} seconds and "
        f"peak resident MB per stage; a process per {meta.get('isolate', 'stage')}; "
        f"gc {meta['gc']}",
    ]
    width = 40
    head = f"{'stage':<{width}}" + "".join(f"{label:>17}" for _, label in cols)
    head += "".join(f"{labels[a] + '→' + labels[b]:>{max(13, len(labels[a] + labels[b]) + 3)}}"
                    for a, b in pairs)  # fmt: skip
    lines += ["", head]
    sub = f"{'':<{width}}" + f"{'s':>9}{'MB':>8}" * len(cols)
    sub += "".join(f"{'growth':>{max(13, len(labels[a] + labels[b]) + 3)}}" for a, b in pairs)
    lines.append(sub)
    inputs = results.get("inputs", {})
    failures: list[str] = []
    gen_rows = [("generate_org (once)", "generate_seconds"), ("write file (once)", "write_seconds")]
    for label, field in gen_rows if not given else []:
        row = f"{label:<{width}}"
        for k, _ in cols:
            value = inputs.get(k, {}).get(field)
            row += f"{value:>9.3f}{'':>8}" if value is not None else f"{'-':>17}"
        lines.append(row)
    row = f"{'file size MB':<{width}}"
    for k, _ in cols:
        size_bytes = inputs.get(k, {}).get("bytes")
        row += f"{size_bytes / 1e6:>9.1f}{'':>8}" if size_bytes else f"{'-':>17}"
    lines.append(row)
    lines.append("")
    for name, per_col in results["stages"].items():
        label = E2E_LABEL if name == E2E else STAGES[name].label
        row = f"{label[:width]:<{width}}"
        for k, col_label in cols:
            cell = per_col.get(k)
            if cell is None:
                row += f"{'-':>17}"
            elif "error" in cell:
                row += f"{'failed':>17}"
                failures.append(f"{label} at {col_label}: {cell['error']}")
            else:
                mark = "" if cell["peak_is_stage_only"] or name == E2E else "*"
                row += f"{cell[key]:>9.3f}{cell['peak_mb']:>7.0f}{mark:1}"
        for a, b in pairs:
            ca, cb = per_col.get(a, {}), per_col.get(b, {})
            w = max(13, len(labels[a] + labels[b]) + 3)
            if key in ca and key in cb and ca[key] > 0:
                row += f"{'×' + format(cb[key] / ca[key], '.1f'):>{w}}"
            else:
                row += f"{'-':>{w}}"
        lines.append(row)
        steps = [k for cell in per_col.values() for k in cell.get("steps", {})]
        for step in dict.fromkeys(steps):  # analyze's own steps, in the order it runs them
            row = f"{'  ' + step:<{width}}"
            for k, _ in cols:
                t = per_col.get(k, {}).get("steps", {}).get(step)
                total = per_col.get(k, {}).get("seconds")
                row += f"{t:>9.3f}{t / total:>7.1%} " if t is not None and total else f"{'-':>17}"
            lines.append(row)
    e2e = results["stages"].get(E2E, {})
    references = [
        ("floor", "end to end / libyaml floor"),
        ("pyyaml", "end to end / CSafeLoader load"),
        ("pyyaml_paused", "end to end / CSafeLoader, gc paused"),
    ]
    ratio_rows: list[str] = []
    for reference, label in references:
        base = results["stages"].get(reference, {})
        if not (base and e2e):
            continue
        row = f"{label:<{width}}"
        for k, _ in cols:
            f, e = base.get(k, {}), e2e.get(k, {})
            row += f"{e[key] / f[key]:>9.2f}{'':>8}" if key in f and key in e else f"{'-':>17}"
        ratio_rows.append(row)
    if ratio_rows:
        lines += ["", *ratio_rows]
    growth = results.get("growth")
    if growth is None:  # results written before --writer
        growth = [[str(a), str(b), b / a] for a, b in pairwise(results["sizes"])]
    ratios = "".join(f"  {labels[a]}→{labels[b]}: ×{r:g}" for a, b, r in growth)
    if ratios:
        lines.append(f"size growth:{ratios}")
    if given:
        lines.append(
            "input given with --from: no generation rows (the file was not generated here); "
            "every stage reads the file itself"
        )
    lines += [f"failed: {failure}" for failure in failures]
    if results.get("skipped"):
        lines.append(f"not available here: {', '.join(results['skipped'])}")
    if any(
        not cell.get("peak_is_stage_only", True)
        for name, per_col in results["stages"].items()
        if name != E2E
        for cell in per_col.values()
    ):
        lines.append("* peak of the whole worker process (the high-water mark could not be reset)")
    return "\n".join(line.rstrip() for line in lines)


# ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    all_stages = [*STAGES, E2E]
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", nargs="+", type=_size, default=[1000, 10_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument(
        "--format",
        choices=["yaml", "json"],
        default="yaml",
        help="the file the project's own writer makes (the other writers have their own)",
    )
    parser.add_argument(
        "--writer",
        nargs="+",
        choices=["orggraph", *WRITERS],
        default=["orggraph"],
        help="who writes the generated org: the project's own writer (orggraph, YAML or JSON by "
        "--format), yaml.safe_dump in block style (safe_dump), a hand-kept style with flow lists, "
        "comments, quoted names and mixed indentation (hand), or json.dump (json); several "
        "writers are measured side by side, a column each",
    )
    parser.add_argument(
        "--from",
        dest="from_files",
        nargs="+",
        metavar="FILE",
        help="measure these org files (anyone's) instead of generated ones: a column each; "
        "--sizes, --seed, --shape and --writer then do not apply",
    )
    parser.add_argument(
        "--shape",
        choices=["org", "org-levels", "chain", "wide_any_of", "big_cycle"],
        default="org",
        help="a generated org (default), one that also carries the service levels of SPEC §8 "
        "(org-levels), or a pathological shape of that size",
    )
    parser.add_argument("--stages", nargs="+", choices=all_stages, default=all_stages)
    parser.add_argument(
        "--no-scenarios",
        dest="scenarios",
        action="store_false",
        help="a generated org without its three scenarios (the figures before SPEC §7 scenarios)",
    )
    parser.add_argument(
        "--gc",
        choices=["default", "freeze"],
        default="default",
        help="freeze: gc.freeze() after a stage's prerequisites, before timing it",
    )
    parser.add_argument(
        "--isolate",
        choices=["stage", "run"],
        default="stage",
        help="stage: a fresh process per stage (prerequisites rerun untimed; memory is the "
        "stage's own); run: one process per repeat runs every stage in turn, as the CLI does "
        "(much faster at large sizes)",
    )
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="the time the table shows (the JSON has both); cpu is steadier on a busy machine",
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per process")
    parser.add_argument(
        "--cache-dir", default=str(Path(tempfile.gettempdir()) / "orggraph-bench-cache")
    )
    # internal: one measurement in this fresh process
    parser.add_argument("--worker", nargs="+", choices=list(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    parser.add_argument("--generate-to", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        out = worker(args.worker, args.input, args.gc)
        Path(args.result).write_text(json.dumps(out))
        return 0
    if args.generate_to:
        out = _generate_to(
            Path(args.generate_to),
            args.shape,
            args.sizes[0],
            args.seed,
            args.scenarios,
            args.writer[0],
        )
        Path(args.result).write_text(json.dumps(out))
        return 0

    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    for name in args.from_files or []:
        if not Path(name).is_file():
            parser.error(f"--from {name}: no such file")
    if args.format == "json" and any(w in ("safe_dump", "hand") for w in args.writer):
        parser.error("--format json is the project's own JSON writer; the YAML writers write YAML")
    results = measure(args)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""How the interactive view behaves in headless Chromium: page size, time to write it, time to
open it, and the frame time of zooming and panning.

    python benchmarks/view.py [--sizes 1940 10000 100000] [--seed 0] [--cache-dir DIR]

For each size it generates an organization with ``orggraph.generate.generate_org`` (cached as
JSON under ``--cache-dir``, the same directory ``bench.py`` uses), writes the page ``orggraph
view`` writes (the full view up to 2,000 parties, the overview above), and opens it in Debian's
chromium through Playwright (offline, 1366×768):

- ``render s``: loading, analysing and writing the page in this process (CPU seconds);
- ``open s``: from navigation until the page says it is ready (drawn and fitted), wall clock;
- ``frame ms``: the median and the worst of 40 zoom and pan steps, each a ``moveTo`` followed by
  a synchronous redraw of the canvas (vis-network's own ``_redraw``), on the first drawing; for
  an overview the same again after opening its largest department.

Wall-clock figures depend on the machine's load: on shared CPUs run it when nothing else runs, and
say so next to the figures (docs/performance.md). This is a plain script, never part of the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from orggraph.analysis import analyze
from orggraph.generate import generate_org
from orggraph.graph import build_graph
from orggraph.model import load
from orggraph.model.dump import write_org
from orggraph.render.html import render_html

FRAMES = """() => {
  const n = window.orggraphNetwork, times = [], start = n.getViewPosition(), s0 = n.getScale();
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    n.moveTo({position: {x: start.x + 15 * i, y: start.y - 9 * i},
              scale: s0 * (1 + 0.03 * (i % 10)), animation: false});
    n.renderer._redraw();
    times.push(performance.now() - t);
  }
  n.moveTo({position: start, scale: s0, animation: false});
  times.sort((a, b) => a - b);
  return [times[20], times[39], n.body.data.nodes.length];
}"""


def _org(size: int, seed: int, cache: Path) -> Path:
    path = cache / f"view-org-{size}-s{seed}.json"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        write_org(generate_org(size, seed=seed), path)
    return path


def _page(path: Path, out: Path) -> float:
    start = time.process_time()
    G = build_graph(load(path))
    report = analyze(G, list_limit=5)
    out.write_text(render_html(G, report), encoding="utf-8")
    return time.process_time() - start


def _browse(page_path: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("ORGGRAPH_CHROMIUM") or shutil.which("chromium")
    if chromium is None:
        sys.exit("needs Debian's chromium (apt-get install -y chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--disable-gpu"])
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        start = time.perf_counter()
        page.goto(page_path.as_uri(), wait_until="load", timeout=120_000)
        page.wait_for_function("window.orggraphReady === true", timeout=120_000)
        opened = time.perf_counter() - start
        median, worst, drawn = page.evaluate(FRAMES)
        found: dict[str, Any] = {"open": opened, "drawn": drawn, "frame": median, "worst": worst}
        if page.evaluate("!!window.orggraphOverview"):
            largest = page.evaluate(
                """() => { const ov = window.orggraphData.overview;
                let best = -1;
                ov.parent.forEach((p, k) => { if (p === -1 && ov.members[k] > (best < 0 ? 0
                  : ov.members[best]) && ov.nodes[k].shape === 'hexagon') best = k; });
                return ov.nodes[best].id; }"""
            )
            t = time.perf_counter()
            page.evaluate(f"window.orggraphOverview.open({json.dumps(largest)})")
            found["expand"] = time.perf_counter() - t
            found["opened"], found["open_worst"], found["drawn_open"] = page.evaluate(FRAMES)
        browser.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1940, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--cache-dir", default=str(Path(tempfile.gettempdir()) / "orggraph-bench-cache")
    )
    args = parser.parse_args()
    print(f"# {platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()}")
    header = (
        "| units | parties | page MB | drawn | render s (CPU) | open s | frame ms (median / worst)"
        " | open a department: s, drawn, frame ms |"
    )
    print(header)
    print("|---" * 8 + "|")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = _org(size, args.seed, Path(args.cache_dir))
            out = Path(tmp) / f"view-{size}.html"
            render = _page(path, out)
            parties = size + max(1, round(size * 0.02)) + max(1, round(size * 0.01))
            found = _browse(out)
            opened = (
                f"{found['expand']:.2f}, {found['drawn_open']}, "
                f"{found['opened']:.1f} / {found['open_worst']:.1f}"
                if "expand" in found
                else "—"
            )
            print(
                f"| {size:,} | {parties:,} | {out.stat().st_size / 1e6:.1f} | {found['drawn']:,} "
                f"| {render:.1f} | {found['open']:.2f} | {found['frame']:.1f} / "
                f"{found['worst']:.1f} | {opened} |",
                flush=True,
            )


if __name__ == "__main__":
    main()

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
- ``frame ms``: the median and the worst time to draw one frame (vis-network's
  ``beforeDrawing`` to ``afterDrawing``) while zooming with the wheel (20 steps) and panning by
  dragging (20 steps) with the mouse, as a person does; for an overview the same again after
  opening its largest department;
- for a full view, click to highlight: a real click on a vendor, the busiest unit and a
  customer, timed from the pointer going down to the animation frame after the answer is drawn,
  with the steps between (printed under the table row).

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

# every drawing of the canvas is timed, from vis-network's beforeDrawing to its afterDrawing
HOOK = """() => { const n = window.orggraphNetwork; window.__frames = [];
  n.on('beforeDrawing', () => { window.__t = performance.now(); });
  n.on('afterDrawing', () => { window.__frames.push(performance.now() - window.__t); }); }"""
TAKE = """() => { const f = window.__frames.slice().sort((a, b) => a - b); window.__frames = [];
  return [f[Math.floor(f.length / 2)], f[f.length - 1], f.length,
          window.orggraphNetwork.body.data.nodes.length]; }"""


def _frames(page: Any) -> tuple[float, float, int]:
    """Zoom with the mouse wheel and pan by dragging, as a person does (vis-network hides the
    edges of a large view meanwhile); the median and worst drawing times, and the nodes drawn."""
    page.evaluate(HOOK)
    page.mouse.move(683, 420)
    for step in range(20):
        page.mouse.wheel(0, -120 if step < 10 else 120)
        page.wait_for_timeout(30)
    page.mouse.down()
    for step in range(20):
        page.mouse.move(683 + 12 * step, 420 + 6 * step)
        page.wait_for_timeout(20)
    page.mouse.up()
    page.wait_for_timeout(300)
    median, worst, _count, drawn = page.evaluate(TAKE)
    return float(median), float(worst), int(drawn)


# a click timed from the pointer going down to the frame after the answer is drawn: the page's
# answer (explore.js) goes through paint.answer, which asks for one redraw; the steps between
CLICK_HOOK = """() => { const n = window.orggraphNetwork, paint = window.orggraph.paint;
  const c = window.__click = {};
  document.addEventListener('pointerdown', () => {
    for (const k of Object.keys(c)) delete c[k];
    c.down = performance.now(); }, true);
  n.on('click', () => {
    if (c.down !== undefined && c.picked === undefined) c.picked = performance.now(); });
  const answer = paint.answer;
  paint.answer = (look) => {
    if (c.down !== undefined && c.asked === undefined) c.asked = performance.now();
    answer(look);
    if (c.down !== undefined && c.painted === undefined) c.painted = performance.now(); };
  n.on('beforeDrawing', () => {
    if (c.painted !== undefined && c.before === undefined) c.before = performance.now(); });
  n.on('afterDrawing', () => {
    if (c.before !== undefined && c.drawn === undefined) {
      c.drawn = performance.now();
      requestAnimationFrame(() => { c.frame = performance.now(); });
    } }); }"""


def _clicks(page: Any) -> list[dict[str, Any]]:
    """A real mouse click on a vendor, the unit with most dependents and a customer (each
    brought into view first, the answer cleared between): per click, in ms from the pointer
    going down, when vis-network reported the click (after explore.js answered it), when the
    answer was computed and handed to paint.js, when paint.js had written the looks, when the
    redraw began and ended, and the next animation frame (the answer on screen)."""
    page.evaluate(CLICK_HOOK)
    targets = page.evaluate(
        """() => { const nodes = window.orggraphNetwork.body.data.nodes.get();
        const edges = window.orggraphNetwork.body.data.edges.get(), out = {};
        edges.forEach(e => { out[e.from] = (out[e.from] || 0) + 1; });
        const kind = (n) => n.find ? n.find.party : '';
        const first = (p) => nodes.filter(n => kind(n) === p).map(n => n.id).sort()[0];
        const busiest = nodes.filter(n => kind(n) === 'unit')
          .sort((a, b) => (out[b.id] || 0) - (out[a.id] || 0) || (a.id < b.id ? -1 : 1))[0];
        return [first('vendor'), busiest && busiest.id, first('customer')].filter(Boolean); }"""
    )
    found = []
    for node in targets:
        page.evaluate("window.orggraphExplore.reset()")
        page.evaluate("(id) => window.orggraphNetwork.focus(id, {animation: false})", node)
        page.wait_for_timeout(800)
        x, y = page.evaluate(
            """(id) => { const n = window.orggraphNetwork, p = n.canvasToDOM(n.getPosition(id));
            const r = document.getElementById('orggraph-view').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top]; }""",
            node,
        )
        page.mouse.click(x, y)
        page.wait_for_function("() => window.__click.frame !== undefined", timeout=30_000)
        c = page.evaluate("window.__click")
        shown = page.evaluate("window.orggraphExplore.shown()")
        steps = {
            k: c[k] - c["down"] for k in ("picked", "asked", "painted", "before", "drawn", "frame")
        }
        found.append({"node": node, "failed": len(shown["parties"]) if shown else 0, **steps})
    return found


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
        median, worst, drawn = _frames(page)
        found: dict[str, Any] = {"open": opened, "drawn": drawn, "frame": median, "worst": worst}
        if page.evaluate("!!window.orggraphExplore && !window.orggraphOverview"):
            found["clicks"] = _clicks(page)
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
            found["opened"], found["open_worst"], found["drawn_open"] = _frames(page)
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
            for click in found.get("clicks", []):
                print(
                    f"  click {click['node']} ({click['failed']} chosen): "
                    + ", ".join(
                        f"{k} {click[k]:.0f}"
                        for k in ("picked", "asked", "painted", "before", "drawn", "frame")
                    )
                    + " ms",
                    flush=True,
                )


if __name__ == "__main__":
    main()

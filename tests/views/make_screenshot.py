"""Make the README screenshot of the interactive view (docs/img/view.png) in headless Chromium.

    python tests/views/make_screenshot.py [ORG.yaml] [-o docs/img/view.png] [--hover ID]

Not part of the test run; it drives Debian's chromium through Playwright, offline, as the tests do.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))  # the tests folder, for the views test helpers

from orggraph.analysis import analyze  # noqa: E402
from orggraph.graph import build_graph  # noqa: E402
from orggraph.model import load  # noqa: E402
from orggraph.render.html import render_html  # noqa: E402
from views._page import CHROMIUM, CHROMIUM_FLAGS, View  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("org", nargs="?", default=str(HERE / "data" / "acme.yaml"))
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "img" / "view.png"))
    parser.add_argument("--select", default="warehouse", help="party to click (details panel)")
    parser.add_argument("--hover", default="", help="party whose tooltip to show")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=820)
    args = parser.parse_args(argv)

    G = build_graph(load(args.org))
    page_html = render_html(G, analyze(G))
    from playwright.sync_api import sync_playwright

    if CHROMIUM is None:
        parser.error("needs Debian's chromium (apt-get install -y chromium) or ORGGRAPH_CHROMIUM")
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(
                viewport={"width": args.width, "height": args.height}, device_scale_factor=1
            )
            path = Path(tmp) / "view.html"
            path.write_text(page_html, encoding="utf-8")
            view = View.watch(page).open(path)
            view.evaluate("orggraphNetwork.redraw(); orggraphNetwork.fit(); true")
            if args.select:  # a click: the details panel shows the party's facts
                view.page.mouse.click(*view.point_at(args.select))
            if args.hover:
                view.hover_party(args.hover)
                page.wait_for_timeout(600)  # vis-network shows a tooltip after its delay
            png = page.screenshot()
            outside = [u for u in view.requests if not u.startswith(("file:", "data:", "about:"))]
            assert outside == [], outside
        finally:
            browser.close()
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    print(f"wrote {out} ({len(png)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

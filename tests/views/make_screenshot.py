"""Make the README screenshot of the interactive view (docs/img/view.png) in headless Chromium.

    python tests/views/make_screenshot.py [ORG.yaml] [-o docs/img/view.png] [--hover ID]

Not part of the test run; it uses the same offline browser driver as the tests.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE.parent))  # the tests folder, for the views test helpers

from orggraph.analysis import analyze  # noqa: E402
from orggraph.graph import build_graph  # noqa: E402
from orggraph.model import load  # noqa: E402
from orggraph.render.html import render_html  # noqa: E402
from views._browser import Browser  # noqa: E402


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
    browser = Browser()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "view.html"
            path.write_text(page_html, encoding="utf-8")
            page = browser.open(path.as_uri(), ready="window.orggraphReady === true")
            page.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": args.width, "height": args.height, "deviceScaleFactor": 1,
                 "mobile": False},
            )  # fmt: skip
            page.evaluate("orggraphNetwork.redraw(); orggraphNetwork.fit(); true")
            for party, action in ((args.select, "select"), (args.hover, "hover")):
                if not party:
                    continue
                x, y = page.evaluate(
                    "(function(){var n=orggraphNetwork, id=" + json.dumps(party) + ";"
                    "var p=n.canvasToDOM(n.getPosition(id));"
                    "var r=document.getElementById('orggraph-view').getBoundingClientRect();"
                    "return [p.x + r.left, p.y + r.top];})()"
                )
                if action == "select":  # a click: the details panel shows the party's facts
                    for kind in ("mousePressed", "mouseReleased"):
                        page.send(
                            "Input.dispatchMouseEvent",
                            {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                        )
                else:
                    page.hover(x, y)
                time.sleep(0.6)  # vis-network shows a tooltip after its delay
            png = page.screenshot(args.width, args.height)
            assert not page.requests or all(
                u.startswith(("file:", "data:", "about:")) for u in page.requests
            ), page.requests
    finally:
        browser.close()
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(png)
    print(f"wrote {out} ({len(png)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

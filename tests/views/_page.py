"""A generated view opened in Playwright's Chromium, and what it did that a person would not see.

The browser is Debian's chromium (Playwright never downloads one here); the page runs with no
network: every request that is not ``file:``, ``data:``, ``about:`` or ``blob:`` is aborted and
recorded, so a test can say that nothing tried to leave. Console errors, uncaught exceptions and
JavaScript dialogs are recorded too (dialogs are dismissed).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Dialog, Frame, Page, Request, Route

__all__ = [
    "CHROMIUM",
    "CHROMIUM_FLAGS",
    "LOCAL_SCHEMES",
    "READY",
    "VIEWPORT",
    "View",
    "chromium_path",
]

#: The screen the views are judged on (issue 17): a common laptop.
VIEWPORT = {"width": 1366, "height": 768}
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
READY = "window.orggraphReady === true"
CHROMIUM_FLAGS = [
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    # belt and braces: even a request that escaped the route below goes nowhere
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


def chromium_path() -> str | None:
    """Debian's chromium (or ``ORGGRAPH_CHROMIUM``): Playwright drives it, never its own build."""
    return os.environ.get("ORGGRAPH_CHROMIUM") or shutil.which("chromium")


CHROMIUM = chromium_path()


@dataclass
class View:
    """One tab showing one page, with the requests, console errors and dialogs it produced."""

    page: Page
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    @classmethod
    def watch(cls, page: Page) -> View:
        view = cls(page)
        page.on("request", view._on_request)
        page.on("console", view._on_console)
        page.on("pageerror", lambda error: view.console_errors.append(str(error)))
        page.on("dialog", view._on_dialog)
        page.route("**/*", view._route)
        return view

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "assert"):
            self.console_errors.append(message.text)

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    # -- opening ------------------------------------------------------------------------------
    def open(self, path: Path, ready: str | None = READY, timeout: float = 30.0) -> View:
        """Go to a file and wait for its load event and, if given, the ``ready`` expression."""
        self.page.goto(path.as_uri(), wait_until="load", timeout=timeout * 1000)
        if ready is not None:
            self.page.wait_for_function(ready, timeout=timeout * 1000)
        return self

    # -- reading and acting -------------------------------------------------------------------
    def evaluate(self, expression: str, frame: Frame | None = None) -> Any:
        return (frame or self.page).evaluate(expression)

    def point_at(self, node: str) -> tuple[float, float]:
        """Where a party is drawn, in page pixels."""
        x, y = self.page.evaluate(
            """(id) => {
            const n = window.orggraphNetwork, p = n.canvasToDOM(n.getPosition(id));
            const r = document.getElementById('orggraph-view').getBoundingClientRect();
            return [p.x + r.left, p.y + r.top]; }""",
            node,
        )
        return float(x), float(y)

    def click_party(self, node: str, modifiers: Sequence[str] = ()) -> None:
        """A real mouse click on a party, as a person would (after bringing it into view), with
        keys held (``"Shift"``, ``"Control"``): ``mouse.click`` takes no modifiers, so they are
        pressed on the keyboard around it."""
        self.page.evaluate(
            "(id) => { window.orggraphNetwork.focus(id, {animation: false}); }",
            node,
        )
        x, y = self.point_at(node)
        for key in modifiers:
            self.page.keyboard.down(key)
        try:
            self.page.mouse.click(x, y)
        finally:
            for key in reversed(modifiers):
                self.page.keyboard.up(key)

    def hover_party(self, node: str) -> None:
        self.page.mouse.move(*self.point_at(node))

    def tooltip(self, node: str) -> dict[str, Any]:
        """Hover a party and read the tooltip vis-network shows after its delay."""
        self.hover_party(node)
        handle = self.page.wait_for_function(
            """() => { const t = document.querySelector('.vis-tooltip');
            return t && t.style.visibility === 'visible'
              ? {text: t.innerText, elements: t.querySelectorAll('*').length} : null; }""",
            timeout=5000,
        )
        tip: dict[str, Any] = handle.json_value()
        return tip

    def drawn(self) -> dict[str, Any]:
        counts: dict[str, Any] = self.page.evaluate(
            """() => ({
            canvases: document.querySelectorAll('#orggraph-view canvas').length,
            width: document.querySelector('#orggraph-view canvas').width,
            data: window.orggraphData.nodes.length,
            drawn: window.orggraphNetwork.body.data.nodes.length,
            edges: window.orggraphNetwork.body.data.edges.length})"""
        )
        return counts

    def assert_clean(self) -> None:
        """Nothing left the page, nothing went wrong, no injected code ran."""
        assert self.requests, "the page itself should have been requested"
        outside = [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]
        assert outside == [], f"requests left the page: {outside}"
        assert self.console_errors == []
        assert self.dialogs == []
        assert self.page.evaluate("window.__xss === undefined")

"""A small headless-Chromium driver for the view tests: the Chrome DevTools Protocol over a pipe.

``--remote-debugging-pipe`` makes Chromium read protocol messages from fd 3 and write its answers
to fd 4, each a JSON text ended by a NUL byte. That needs no websocket, no port and no new
dependency. The driver records what a person cannot see: every request the page attempts (and
fails all but ``file:``/``data:``/``about:`` ones, so nothing can leave even by mistake), console
errors, uncaught exceptions and JavaScript dialogs.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "LOCAL_SCHEMES", "Browser", "BrowserError", "Page"]

CHROMIUM = Path(os.environ.get("ORGGRAPH_CHROMIUM", "/usr/bin/chromium"))
LOCAL_SCHEMES = ("file:", "data:", "about:")

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--disable-dev-shm-usage",
    # belt and braces: even a request the page tried and we failed to block goes nowhere
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--window-size=1400,900",
    "--remote-debugging-pipe",
)


class BrowserError(RuntimeError):
    pass


# Chromium wants the pipe at fds 3 (commands in) and 4 (answers out). A tiny trampoline puts
# them there whatever numbers the parent's pipe got, then becomes Chromium.
_PLACE_FDS = """
import fcntl, os, sys
ends = [fcntl.fcntl(int(fd), fcntl.F_DUPFD, 5) for fd in sys.argv[1:3]]
for fd in sys.argv[1:3]:
    os.close(int(fd))
os.dup2(ends[0], 3)
os.dup2(ends[1], 4)
os.close(ends[0])
os.close(ends[1])
os.execv(sys.argv[3], sys.argv[3:])
"""


_SESSION_SETUP: tuple[tuple[str, dict[str, Any] | None], ...] = (
    ("Page.enable", None),
    ("Runtime.enable", None),
    ("Log.enable", None),
    ("Network.enable", None),
    ("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}),
    ("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True}),
)


class Browser:
    """One Chromium process with a fresh profile; open pages with :meth:`open`."""

    def __init__(self, executable: Path = CHROMIUM) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="orggraph-chromium-")
        profile = Path(self._profile.name)
        self._log = (profile / "chromium.log").open("wb")
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()
        command = [str(executable), *FLAGS, f"--user-data-dir={profile / 'profile'}", "about:blank"]
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _PLACE_FDS, str(to_chrome_r), str(from_chrome_w), *command],
                pass_fds=(to_chrome_r, from_chrome_w),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=self._log,
            )
        except OSError:
            for fd in (to_chrome_r, to_chrome_w, from_chrome_r, from_chrome_w):
                os.close(fd)
            self._log.close()
            self._profile.cleanup()
            raise
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._write_fd = to_chrome_w
        self._read_fd = from_chrome_r
        self._write_lock = threading.Lock()
        self._cond = threading.Condition()
        self._next_id = 0
        self._responses: dict[int, dict[str, Any]] = {}
        self._listeners: dict[str, Callable[[dict[str, Any]], None]] = {}
        self._closed = False
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    # -- protocol ---------------------------------------------------------------------------
    def _post(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        with self._cond:
            self._next_id += 1
            msg_id = self._next_id
        message: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        with self._write_lock:
            view = memoryview(data)
            while view:
                view = view[os.write(self._write_fd, view) :]
        return msg_id

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        msg_id = self._post(method, params, session)
        deadline = time.monotonic() + timeout
        with self._cond:
            while msg_id not in self._responses:
                left = deadline - time.monotonic()
                if left <= 0 or self._closed:
                    raise BrowserError(f"no answer to {method} ({self.log_tail()})")
                self._cond.wait(left)
            answer = self._responses.pop(msg_id)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def _read_loop(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._read_fd, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cond:
                    self._closed = True
                    self._cond.notify_all()
                return
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                message = json.loads(raw)
                if "id" in message:
                    with self._cond:
                        self._responses[message["id"]] = message
                        self._cond.notify_all()
                else:
                    listener = self._listeners.get(message.get("sessionId", ""))
                    if listener is not None:
                        listener(message)

    def log_tail(self) -> str:
        self._log.flush()
        text = Path(self._log.name).read_text(errors="replace")
        return text[-2000:]

    # -- pages ------------------------------------------------------------------------------
    def open(self, url: str, *, ready: str | None = None, timeout: float = 30.0) -> Page:
        """Open ``url`` in a new tab and wait for its load event and, if given, until the
        JavaScript expression ``ready`` is true. Returns the page with its recorded events."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        self._listeners[session] = page._on_event
        for method, params in _SESSION_SETUP:
            page.send(method, params)
        page.send("Page.navigate", {"url": url})
        page.wait_for(lambda: page.loaded, timeout, "the load event")
        if ready is not None:
            deadline = time.monotonic() + timeout
            while not page.evaluate(ready):
                if time.monotonic() > deadline:
                    raise BrowserError(f"timed out waiting for {ready}: {page.console_errors}")
                time.sleep(0.05)
        return page

    def close(self) -> None:
        try:
            self._post("Browser.close", None, None)
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        finally:
            for fd in (self._write_fd, self._read_fd):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._log.close()
            self._profile.cleanup()


@dataclass
class Page:
    """One tab, and everything it did that a person would not see."""

    browser: Browser
    target: str
    session: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    frames: list[str] = field(default_factory=list)  # sessions of out-of-process frames
    loaded: bool = False

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.send(method, params, self.session)

    def _on_event(self, message: dict[str, Any]) -> None:
        method, params = message["method"], message.get("params", {})
        if method == "Fetch.requestPaused":
            url = params["request"]["url"]
            self.requests.append(url)
            # answered from the reader thread without waiting: the page is paused until then
            if url.startswith(LOCAL_SCHEMES):
                self.browser._post(
                    "Fetch.continueRequest", {"requestId": params["requestId"]}, self.session
                )
            else:
                self.browser._post(
                    "Fetch.failRequest",
                    {"requestId": params["requestId"], "errorReason": "BlockedByClient"},
                    self.session,
                )
        elif method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            self.console_errors.append(
                " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            )
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            self.console_errors.append(
                details.get("exception", {}).get("description", details.get("text", ""))
            )
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            entry = params["entry"]
            self.console_errors.append(f"{entry.get('source')}: {entry.get('text')}")
        elif method == "Page.javascriptDialogOpening":
            self.dialogs.append(params.get("message", ""))
            self.browser._post("Page.handleJavaScriptDialog", {"accept": False}, self.session)
        elif method == "Page.loadEventFired" and message.get("sessionId") == self.session:
            self.loaded = True
        elif method == "Target.attachedToTarget":
            # an out-of-process frame (a sandboxed iframe): watch it exactly like the page
            child = params["sessionId"]
            self.frames.append(child)
            self.browser._listeners[child] = self._on_event
            for setup, setup_params in _SESSION_SETUP:
                self.browser._post(setup, setup_params, child)
            self.browser._post("Runtime.runIfWaitingForDebugger", None, child)
        with self.browser._cond:
            self.browser._cond.notify_all()

    def wait_for(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self.browser._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BrowserError(f"timed out waiting for {what}")
                self.browser._cond.wait(left)

    def evaluate(self, expression: str, frame: str | None = None) -> Any:
        """The value of a JavaScript expression in the page (or in the frame with that session)."""
        result = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            frame or self.session,
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def hover(self, x: float, y: float) -> None:
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def screenshot(self, width: int = 1400, height: int = 900) -> bytes:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        data = self.send("Page.captureScreenshot", {"format": "png"})["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        for session in (self.session, *self.frames):
            self.browser._listeners.pop(session, None)
        self.browser.send("Target.closeTarget", {"targetId": self.target})

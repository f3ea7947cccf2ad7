"""A real headless Chromium for tests, driven over the Chrome DevTools Protocol.

A small client (``websocket-client``): start ``chromium --headless --remote-debugging-port=0``,
open a page at a given viewport width, and read what a reader would meet: horizontal
overflow, images that did not load, console errors, the page's text, a full-page
screenshot. :func:`find_chromium` is None when no browser can be had (tests then skip).
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websocket

from marketdata.reports.pdf import HEADLESS_FLAGS
from marketdata.reports.pdf import chromium as find_chromium

__all__ = ["Browser", "PageReport", "find_chromium"]
_LISTENING = re.compile(r"DevTools listening on (ws://\S+)")
_MEASURE = """(() => {
  const doc = document.documentElement;
  const width = window.innerWidth;
  const wide = [];
  for (const el of document.querySelectorAll('table, img, figure, pre, svg, .md-scroll')) {
    const box = el.getBoundingClientRect();
    let scrolls = false, limit = width;
    for (let p = el.parentElement; p; p = p.parentElement) {
      const style = getComputedStyle(p);
      if (['auto', 'scroll'].includes(style.overflowX)) { scrolls = true; break; }
      if (['hidden', 'clip'].includes(style.overflowX)) {
        limit = Math.min(limit, p.getBoundingClientRect().right);
      }
    }
    if (!scrolls && box.right > limit + 1) {
      wide.push(el.tagName.toLowerCase() + ' to ' + Math.round(box.right) + 'px');
    }
  }
  const images = [...document.images].map(i => ({
    alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0,
    width: i.getBoundingClientRect().width}));
  const scrolled = [...document.querySelectorAll('body *')].filter(el =>
    ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
    && el.scrollWidth > el.clientWidth + 1
  ).map(el => (el.className || el.tagName) + ': ' + el.scrollWidth + ' in ' + el.clientWidth);
  return {overflow: doc.scrollWidth - doc.clientWidth, width: width, wide: wide, scrolled: scrolled,
          images: images, text: document.body ? document.body.innerText : ''};
})()"""


_UNFOLD = "document.querySelectorAll('details').forEach(d => { d.open = true; })"
#: The measures of :data:`_MEASURE`, with ``text`` cut to what the first screen shows.
_FIRST_SCREEN = _MEASURE.replace(
    "text: document.body ? document.body.innerText : ''",
    """text: (() => { const out = []; const h = window.innerHeight;
    const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT); let n;
    while ((n = w.nextNode())) { const r = document.createRange(); r.selectNodeContents(n);
      const b = r.getBoundingClientRect(), at = n.parentElement;
      if (at.closest('details:not([open])') && !at.closest('summary')) continue;
      if (b.height > 0 && b.top < h && b.bottom > 0 && n.textContent.trim()) {
        out.push(n.textContent); } }
    return out.join(' '); })()""",
)


@dataclass
class PageReport:
    """What one page looked like at one width."""

    width: int
    overflow: int  # pixels the page is wider than the window (0: none)
    wide: list[str]  # tables/images/figures reaching past the window, not inside a scroll box
    scrolled: list[str]  # boxes whose content scrolls sideways (wide tables in their own box)
    images: list[dict[str, Any]]
    text: str
    console_errors: list[str] = field(default_factory=list)
    screenshot: Path | None = None

    @property
    def broken_images(self) -> list[dict[str, Any]]:
        """Images that did not load."""
        return [i for i in self.images if not i["loaded"]]


class Browser:
    """One headless Chromium process; use as a context manager."""

    def __init__(self, binary: str, *, timeout: float = 30.0) -> None:
        self._profile = tempfile.mkdtemp(prefix="md-browser-")
        self._timeout = timeout
        self._process = subprocess.Popen(
            [
                binary,
                *HEADLESS_FLAGS,
                "--hide-scrollbars",
                f"--user-data-dir={self._profile}",
                "--remote-debugging-port=0",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        url = self._devtools_url()
        self._ws = websocket.create_connection(url, timeout=timeout, suppress_origin=True)
        self._id = 0
        self._events: list[dict[str, Any]] = []

    def _devtools_url(self) -> str:
        deadline = time.monotonic() + self._timeout
        assert self._process.stderr is not None
        while time.monotonic() < deadline:
            line = self._process.stderr.readline()
            if not line and self._process.poll() is not None:
                break
            found = _LISTENING.search(line)
            if found:
                return found[1]
        self.close()
        raise RuntimeError("Chromium did not start its DevTools endpoint")

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the browser and remove its profile."""
        ws = getattr(self, "_ws", None)
        if ws is not None:
            ws.close()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
        shutil.rmtree(self._profile, ignore_errors=True)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its answer (events meanwhile are kept)."""
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self._ws.send(json.dumps(message))
        while True:
            answer = json.loads(self._ws.recv())
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self._events.append(answer)

    def _wait_for(self, event: str, session: str) -> None:
        deadline = time.monotonic() + self._timeout
        seen = lambda: any(  # noqa: E731
            e.get("method") == event and e.get("sessionId") == session for e in self._events
        )
        while not seen():
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {event} within {self._timeout} s")
            self._events.append(json.loads(self._ws.recv()))

    def inspect(
        self,
        page: Path,
        width: int,
        *,
        height: int = 900,
        screenshot: Path | None = None,
        media: str = "screen",
        unfold: bool = True,
        viewport_only: bool = False,
    ) -> PageReport:
        """Open ``page`` in a fresh tab ``width`` CSS pixels wide and report on it;
        ``media="print"`` applies the print stylesheet (as a PDF is laid out). ``unfold``
        opens every folded section first (else the report is read as it opens);
        ``viewport_only``: the text and screenshot of the first ``width`` x ``height`` screen
        only."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        try:
            for domain in ("Page", "Runtime", "Log"):
                self.send(f"{domain}.enable", session=session)
            self.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
                session=session,
            )
            self.send("Emulation.setEmulatedMedia", {"media": media}, session=session)
            self._events.clear()
            self.send("Page.navigate", {"url": Path(page).resolve().as_uri()}, session=session)
            self._wait_for("Page.loadEventFired", session)
            if unfold:
                self.send("Runtime.evaluate", {"expression": _UNFOLD}, session=session)
            measure = _FIRST_SCREEN if viewport_only else _MEASURE
            result = self.send(
                "Runtime.evaluate",
                {"expression": measure, "returnByValue": True},
                session=session,
            )["result"]["value"]
            report = PageReport(
                width=width,
                overflow=int(result["overflow"]),
                wide=list(result["wide"]),
                scrolled=list(result["scrolled"]),
                images=list(result["images"]),
                text=str(result["text"]),
                console_errors=self._errors(session),
            )
            if screenshot is not None:
                shot = self.send(
                    "Page.captureScreenshot",
                    {"format": "png", "captureBeyondViewport": not viewport_only},
                    session=session,
                )
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                screenshot.write_bytes(base64.b64decode(shot["data"]))
                report.screenshot = screenshot
            return report
        finally:
            self.send("Target.closeTarget", {"targetId": target})

    def _errors(self, session: str) -> list[str]:
        found = []
        for event in self._events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                args = params.get("args", [])
                found.append(" ".join(str(a.get("value", a.get("description"))) for a in args))
            elif method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", ""))
        return found


class Tab:
    """A browser tab on a live page (a web app): run JavaScript, wait for it, type text."""

    def __init__(self, browser: Browser, url: str, *, width: int = 1280, height: int = 900):
        self._browser = browser
        self.target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send(
            "Target.attachToTarget", {"targetId": self.target, "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=self.session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=self.session,
        )
        browser.send("Page.navigate", {"url": url}, session=self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        answer = self._browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in answer:
            raise RuntimeError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 60.0) -> Any:
        """Poll a JavaScript expression until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"not true within {timeout} s: {expression}")
            time.sleep(0.1)

    def type_into(self, selector: str, text: str) -> None:
        """Focus the element ``selector``, empty it and type ``text`` as keystrokes would."""
        self.evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)}); el.focus();"
            " el.select && el.select(); return true; })()"
        )
        self._browser.send("Input.insertText", {"text": text}, session=self.session)

    def console_errors(self) -> list[str]:
        """Errors the page logged so far."""
        return self._browser._errors(self.session)

    def requested(self) -> list[str]:
        """Addresses the page asked for so far, in order."""
        return [
            e["params"]["request"]["url"]
            for e in self._browser._events
            if e.get("sessionId") == self.session and e.get("method") == "Network.requestWillBeSent"
        ]

    def close(self) -> None:
        """Close the tab."""
        self._browser.send("Target.closeTarget", {"targetId": self.target})

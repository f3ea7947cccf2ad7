"""A small local HTTP server that speaks like BLS's servers, for tests.

It serves files with ETag and Last-Modified, answers conditional requests with 304,
and lets a test install handlers that misbehave on purpose (errors, Retry-After,
bodies cut short, slow answers).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)
LAST_MODIFIED = formatdate(1778803200, usegmt=True)  # 2026-05-15, as BLS's files


@dataclass
class Request:
    """What a client asked."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Answer:
    """What the server sends. ``cut_after`` closes the connection after that many body bytes
    (Content-Length still announces the full body); ``delay`` waits before answering."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    cut_after: int | None = None
    delay: float = 0.0


Handler = Callable[[Request], Answer]


def file_handler(body: bytes, content_type: str = "text/plain") -> Handler:
    """Serve ``body`` with validators; answer conditional requests with 304 and range
    requests (``Range: bytes=N-``, honouring ``If-Range``) with 206."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

    def handle(request: Request) -> Answer:
        headers = {
            "ETag": etag,
            "Last-Modified": LAST_MODIFIED,
            "Content-Type": content_type,
            "Accept-Ranges": "bytes",
        }
        if request.headers.get("if-none-match") == etag:
            return Answer(304, headers)
        wanted = request.headers.get("range", "")
        same = request.headers.get("if-range", etag) in (etag, LAST_MODIFIED)
        if wanted.startswith("bytes=") and wanted.endswith("-") and same:
            start = int(wanted[6:-1])
            if start < len(body):
                headers["Content-Range"] = f"bytes {start}-{len(body) - 1}/{len(body)}"
                return Answer(206, headers, body[start:] if request.method == "GET" else b"")
        return Answer(200, headers, body if request.method == "GET" else b"")

    return handle


class _QuietServer(ThreadingHTTPServer):
    """A threaded server that keeps quiet when a client hangs up mid-answer (tests make
    clients time out and drop connections on purpose): socketserver would print
    "Exception occurred during processing of request" and a traceback on stderr."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        logger.debug("request from %s ended early", client_address, exc_info=True)


class BLSServer:
    """Threaded HTTP server on 127.0.0.1 with per-path handlers and a request log."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.requests: list[Request] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    self.command,
                    parts.path,
                    parse_qs(parts.query),
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
                outer.requests.append(request)
                handler = outer.handlers.get(parts.path)
                answer = handler(request) if handler else Answer(404, {}, b"Not Found")
                if answer.delay:
                    time.sleep(answer.delay)
                self.send_response(answer.status)
                headers = {"Content-Length": str(len(answer.body))} | answer.headers
                for name, value in headers.items():
                    self.send_header(name, value)
                if answer.cut_after is not None:
                    self.send_header("Connection", "close")
                self.end_headers()
                if answer.status != 304 and self.command != "HEAD":
                    data = (
                        answer.body if answer.cut_after is None else answer.body[: answer.cut_after]
                    )
                    try:
                        self.wfile.write(data)
                        self.wfile.flush()
                    except OSError:
                        pass
                if answer.cut_after is not None:
                    self.close_connection = True

            do_GET = do_POST = do_HEAD = _serve  # noqa: N815

        self._server = _QuietServer(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> BLSServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, path: str, body: bytes | Path, *, content_type: str = "text/plain") -> None:
        """Serve a file at ``path`` (bytes or a file on disk)."""
        data = body.read_bytes() if isinstance(body, Path) else body
        self.handlers[path] = file_handler(data, content_type)

    def add_handler(self, path: str, handler: Handler) -> None:
        """Answer requests for ``path`` with ``handler``."""
        self.handlers[path] = handler

    def count(self, path: str, method: str = "GET") -> int:
        """How many requests for ``path`` with ``method`` arrived."""
        return sum(1 for r in self.requests if r.path == path and r.method == method)

"""A small local HTTP server that speaks like BLS's servers, for tests.

It runs on pytest-httpserver's threaded server, werkzeug underneath. One handler of its own
answers every path from the ``handlers`` table, so a test can replace or remove a path's
handler at any time, and the server's log is the request log. Files are served by werkzeug's
conditional responses: ETag and Last-Modified, 304 on conditional requests, 206 on range
requests that ``If-Range`` allows. A test can install handlers that misbehave on purpose:
errors, Retry-After, bodies cut short, slow answers.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path

import werkzeug
from pytest_httpserver import HTTPServer
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.test import EnvironBuilder

LAST_MODIFIED = formatdate(1778803200, usegmt=True)  # 2026-05-15, as BLS's files
STOP_WAIT = 5.0  # seconds stop() waits for each thread that answered a request


@dataclass
class Request:
    """What a client asked."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    @classmethod
    def of(cls, request: werkzeug.Request) -> Request:
        """The request werkzeug parsed, header names in lower case."""
        return cls(
            request.method,
            request.path,
            request.args.to_dict(flat=False),
            {name.lower(): value for name, value in request.headers.items()},
            request.get_data(),
        )


@dataclass
class Answer:
    """What the server sends. ``cut_after`` closes the connection after that many body bytes
    (Content-Length still announces the full body); ``delay`` holds the answer back that many
    seconds before its first byte, with the request already in the log (an answer without a
    body, a 304 or one to HEAD, goes at once)."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    cut_after: int | None = None
    delay: float = 0.0


Handler = Callable[[Request], Answer]


def file_handler(body: bytes, content_type: str = "text/plain") -> Handler:
    """Serve ``body`` with validators; answer conditional requests with 304 and range
    requests (honouring ``If-Range``) with 206, as werkzeug does."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

    def handle(request: Request) -> Answer:
        validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED, "Content-Type": content_type}
        response = werkzeug.Response(body, headers=validators)
        environ = EnvironBuilder(request.path, method=request.method, headers=request.headers)
        try:
            response.make_conditional(
                environ.get_environ(), accept_ranges=True, complete_length=len(body)
            )
        except RequestedRangeNotSatisfiable as refused:
            response = refused.get_response()
        # the length goes with the body sent (a test may swap it), the date with the answer
        headers = {
            k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "date")
        }
        sent = b"" if response.status_code == 304 else response.get_data()
        return Answer(response.status_code, headers, sent)

    return handle


class _Response(werkzeug.Response):
    """An answer with no Content-Type unless its handler gives one."""

    default_mimetype = None


class _Server(HTTPServer):
    """pytest-httpserver's server, its loop polling often enough for a quick stop."""

    def thread_target(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.05)


class BLSServer:
    """Threaded HTTP server on 127.0.0.1 with per-path handlers and a request log."""

    def __init__(self) -> None:
        self.handlers: dict[str, Handler] = {}
        self.url = ""
        self._server = _Server("127.0.0.1", 0, threaded=True)
        self._server.expect_request(re.compile(".*")).respond_with_handler(self._respond)
        self._stopping = threading.Event()
        self._answering: weakref.WeakSet[threading.Thread] = weakref.WeakSet()

    def start(self) -> BLSServer:
        # werkzeug logs every request at INFO, and to stderr when nothing else takes it
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server.start()
        self.url = self._server.url_for("/").removesuffix("/")
        return self

    def stop(self) -> None:
        """Stop serving: slow answers are cut short, and every thread that answered ends."""
        self._stopping.set()
        self._server.stop()
        for thread in list(self._answering):
            thread.join(STOP_WAIT)

    @property
    def requests(self) -> tuple[Request, ...]:
        """Every request that arrived, in order (from the server's log)."""
        return tuple(Request.of(request) for request, _ in list(self._server.log))

    def clear_log(self) -> None:
        """Forget the requests that arrived so far."""
        self._server.clear_log()

    def add(self, path: str, body: bytes | Path, *, content_type: str = "text/plain") -> None:
        """Serve a file at ``path`` (bytes or a file on disk)."""
        data = body.read_bytes() if isinstance(body, Path) else body
        self.handlers[path] = file_handler(data, content_type)

    def add_handler(self, path: str, handler: Handler) -> None:
        """Answer requests for ``path`` with ``handler``."""
        self.handlers[path] = handler

    def count(self, path: str, method: str = "GET") -> int:
        """How many requests for ``path`` with ``method`` arrived."""
        return sum(r.path == path and r.method == method for r, _ in list(self._server.log))

    def statuses(self, path: str) -> list[int]:
        """The status of every answer to a request for ``path``, in order."""
        return [a.status_code for r, a in list(self._server.log) if r.path == path]

    def _respond(self, request: werkzeug.Request) -> werkzeug.Response:
        self._answering.add(threading.current_thread())
        handler = self.handlers.get(request.path)
        answer = handler(Request.of(request)) if handler else Answer(404, {}, b"Not Found")
        sent = answer.body if answer.cut_after is None else answer.body[: answer.cut_after]
        headers = {"Content-Length": str(len(answer.body))} | answer.headers
        return _Response(self._held(sent, answer.delay), answer.status, headers)

    def _held(self, body: bytes, delay: float) -> Iterator[bytes]:
        """``body`` after ``delay`` seconds; werkzeug sends the status line with its first
        bytes, and closes the connection after the last, however many the headers announced."""
        self._stopping.wait(delay)
        yield body

"""A warm process that runs the counselor page's reports with the in-process engine.

A Jupyter kernel (the page's) cannot host the in-process engine, which needs its own IPython
shell. So the page starts one child process that imports pandas, matplotlib and the notebook
tools once (:func:`marketdata.reports.inprocess.prepare`) and then runs each report it is
sent with :func:`marketdata.reports.run` (``engine="inprocess"``): a report takes what it
takes in a warm ``marketdata report``, not the seconds a new kernel and its imports cost.

The child reads its work from a pipe that only the page's process holds: when that process
ends, however it ends, the child reads end-of-file and exits. It is a daemon process too,
so a kernel that exits normally also stops it.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from marketdata.cli.app_page import one_line

logger = logging.getLogger(__name__)


class ReportWorker:
    """The page's report process: started on first use (or by :meth:`start`), one report at a
    time."""

    def __init__(self) -> None:
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def start(self) -> None:
        """Start the process (it warms up while the page waits for input)."""
        if self._process is not None and self._process.is_alive():
            return
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs,), daemon=True, name="md-report")
        process.start()
        theirs.close()  # only the child holds its end: our exit is its end-of-file
        self._process, self._conn = process, ours

    def ask(
        self, request: dict[str, Any], *, waiting: Callable[[float], None] | None = None
    ) -> dict[str, Any]:
        """Send ``request`` and return the answer (``{"error": line}`` on failure);
        ``waiting(seconds)`` is called about ten times a second meanwhile."""
        self.start()
        conn, process = self._conn, self._process
        if conn is None or process is None:  # start() sets both
            return {"error": "The report process could not start; try again."}
        started = time.perf_counter()
        conn.send(request)
        while not conn.poll(0.1):
            if not process.is_alive():
                self.close()
                return {"error": "The report process stopped; try again."}
            if waiting is not None:
                waiting(time.perf_counter() - started)
        return conn.recv()

    def report(
        self,
        name: str,
        *,
        output_dir: Path,
        parameters: dict[str, Any],
        waiting: Callable[[float], None] | None = None,
    ) -> dict[str, Any]:
        """Run report ``name``: its folder, page, summary and closing lines, or ``error``."""
        request = {"do": "report", "name": name, "output_dir": str(output_dir), **parameters}
        return self.ask(request, waiting=waiting)

    def pdf(
        self, html: Path, *, paper: str, waiting: Callable[[float], None] | None = None
    ) -> dict[str, Any]:
        """Print a report page to PDF on ``paper`` beside it: ``{"pdf": path}`` or ``error``."""
        return self.ask({"do": "pdf", "html": str(html), "paper": paper}, waiting=waiting)

    def close(self) -> None:
        """Stop the process (closing its pipe ends it; it is killed if it does not)."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._process = self._conn = None


def pdf_name(paper: str) -> str:
    """The PDF's file name in the report folder: ``report.pdf`` on Letter (as
    ``marketdata report --pdf`` names it), ``report-a4.pdf`` on A4."""
    return "report.pdf" if paper == "letter" else f"report-{paper}.pdf"


def _serve(conn: Connection) -> None:
    """The child: warm up, then answer requests until the pipe closes."""
    from marketdata.reports import inprocess

    inprocess.prepare()
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(_answer(request))


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    """One request's answer; any error is its one line."""
    try:
        if request.pop("do") == "pdf":
            return _pdf(Path(request["html"]), request["paper"])
        return _report(request)
    except Exception as err:
        logger.warning("page request failed", exc_info=True)
        return {"error": one_line(err)}


def _report(request: dict[str, Any]) -> dict[str, Any]:
    import json

    from marketdata import reports
    from marketdata.reports.about import closing_lines

    name, output_dir = request.pop("name"), request.pop("output_dir")
    done = reports.run(name, output_dir=output_dir, engine="inprocess", **request)
    manifest = json.loads(done.manifest.read_text(encoding="utf-8"))
    return {
        "directory": str(done.directory),
        "html": str(done.html),
        "summary": list(done.summary),
        "closing": closing_lines(manifest),
        "seconds": done.seconds,
    }


def _pdf(html: Path, paper: str) -> dict[str, Any]:
    from marketdata.reports.pdf import paper_of, render

    paper = paper_of(paper) or "letter"
    target = html.with_name(pdf_name(paper))
    return {"pdf": str(render(html, target, paper=paper))}

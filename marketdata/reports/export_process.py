"""The HTML export of one report in a helper process, prepared while the notebook runs.

Importing nbconvert and compiling its page templates and CSS selectors takes about half a
second, as long as the export itself takes twice over. :func:`start` forks a helper that does
that work on the machine's other core while this process runs the notebook; :meth:`render`
hands it the executed notebook and waits until ``report.html`` is written. The helper never
outlives the report: it exits after one page, when this process closes its end of the pipe
(also when this process is killed), or on :meth:`close`.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)


def _serve(ours: Connection, theirs: Connection) -> None:
    """The helper: prepare the exporter, then write the one page asked for."""
    theirs.close()  # so that the pipe ends when the report's process ends
    try:
        import nbformat

        from marketdata.reports.export import html

        ready = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("ready")])
        html(ready, "ready")  # templates and selectors compiled now, not after the notebook
        notebook, page, title = ours.recv()
        text = html(nbformat.read(notebook, as_version=4), title)
        Path(page).write_text(text, encoding="utf-8")
        ours.send("")
    except EOFError:  # the report ended without asking for its page
        pass
    except BaseException as err:  # said to the report, which then exports the page itself
        with suppress(OSError):
            ours.send(f"{type(err).__name__}: {err}")
    finally:
        ours.close()


class HtmlProcess:
    """A helper process that writes one report's HTML page."""

    def __init__(self, process: Any, connection: Connection) -> None:
        self._process = process
        self._connection = connection

    @classmethod
    def start(cls) -> HtmlProcess | None:
        """A helper preparing itself, or None where this process cannot start one safely.

        That is: no fork on this system, other threads running (a fork would copy their
        locks), or this process a daemon worker, which may not have children.
        """
        if (
            "fork" not in multiprocessing.get_all_start_methods()
            or threading.active_count() > 1
            or multiprocessing.current_process().daemon  # a daemon may not start children
        ):
            return None
        context = multiprocessing.get_context("fork")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs, ours), daemon=True)
        process.start()
        theirs.close()
        return cls(process, ours)

    def render(self, notebook: Path, page: Path, title: str) -> bool:
        """Have the helper write ``page`` from the executed ``notebook``; False (and the
        reason logged) if it could not, so the caller exports the page itself."""
        try:
            self._connection.send((os.fspath(notebook), os.fspath(page), title))
            problem = self._connection.recv()
        except (EOFError, OSError) as err:
            problem = f"the helper process ended ({err or 'no answer'})"
        finally:
            self.close()
        if problem:
            logger.info("HTML export in this process instead: %s", problem)
        return not problem

    def close(self) -> None:
        """End the helper (if it still runs) and wait for it."""
        self._connection.close()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()

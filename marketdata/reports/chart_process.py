"""The charts of one report drawn in a helper process while the notebook's cells go on.

Importing matplotlib and drawing a report's charts takes about a second, all on the core
that runs the notebook. :func:`aside` forks a helper before the notebook starts; the helper
imports pandas and matplotlib on the machine's other core while the notebook imports its own
modules, then draws each :class:`~marketdata.reports.charts.Chart` it is
sent, writing its PNG into the report's folder and answering with its text alternative.
:func:`results` waits for the answers at the end of the run. Answers are small, so neither
process ever waits on a full pipe while the other waits on it.

The helper never outlives the report: it exits when this process closes its end of the pipe
(also when this process is killed), and :func:`aside` closes it when the run ends.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from marketdata.reports.charts import Chart, png

__all__ = ["aside", "draw", "results"]

logger = logging.getLogger(__name__)

_state: dict[str, Any] = {"helper": None, "sent": 0}


def _serve(ours: Connection, theirs: Connection) -> None:
    """The helper: import matplotlib and the charts, then draw what it is sent until the
    pipe closes."""
    theirs.close()  # so that the pipe ends when the report's process ends
    logging.captureWarnings(True)  # to the report's log, not raw onto its terminal
    try:
        import marketdata.plots  # noqa: F401  matplotlib and the charts, before any request

        while True:
            ticket, chart, path, alt, dpi = ours.recv()
            try:
                data, alt = png(chart.figure(), Path(path).stem, alt=alt, dpi=dpi)
                Path(path).write_bytes(data)
                answer = (ticket, alt, "")
            except Exception as err:  # said to the report, which fails naming the chart
                answer = (ticket, "", f"{type(err).__name__}: {err}")
            ours.send(answer)
    except (EOFError, OSError, KeyboardInterrupt):  # the report ended, was killed or stopped
        pass
    finally:
        ours.close()


@contextmanager
def aside() -> Iterator[None]:
    """Let the report run inside the block draw its charts in a helper process, started
    now where this process can fork safely; the helper is closed when the block ends."""
    _start()
    try:
        yield
    finally:
        _close()


def _start() -> None:
    """Fork the helper, unless this process cannot fork safely: no fork on this system,
    another thread running (a fork would copy its locks), or a daemon process (which may not
    have children). Without a helper, the report draws its charts itself."""
    if (
        _state["helper"] is not None
        or "fork" not in multiprocessing.get_all_start_methods()
        or threading.active_count() > 1
        or multiprocessing.current_process().daemon
    ):
        return
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, ours), daemon=True)
    process.start()
    theirs.close()
    _state["helper"] = (process, ours)
    _state["sent"] = 0


def draw(chart: Chart, path: Path, *, alt: str | None, dpi: int | None) -> int | None:
    """Have the helper draw ``chart`` into the PNG file ``path``; the ticket of its answer,
    or None if there is no helper (the caller draws it)."""
    if _state["helper"] is None:
        return None
    ticket = _state["sent"]
    try:
        _state["helper"][1].send((ticket, chart, str(path), alt, dpi))
    except (OSError, ValueError) as err:  # the helper is gone: the caller draws it
        logger.info("chart %s drawn in this process: %s", path.name, err)
        _close()
        return None
    _state["sent"] = ticket + 1
    return ticket


def results() -> dict[int, tuple[str, str]]:
    """Wait for the answers to the charts sent, then close the helper.

    Returns
    -------
    dict
        Ticket -> ``(alt, error)``: ``error`` is "" when the PNG was written, else what went
        wrong. A chart the helper did not answer, because it ended, has no entry: the caller
        draws it.
    """
    helper = _state["helper"]
    answers: dict[int, tuple[str, str]] = {}
    if helper is None:
        return answers
    try:
        while len(answers) < _state["sent"]:
            ticket, alt, error = helper[1].recv()
            answers[ticket] = (alt, error)
    except (EOFError, OSError) as err:
        logger.info("the chart process ended early (%s); its charts are drawn here", err)
    finally:
        _close()
    return answers


def _close() -> None:
    """End the helper, if one runs, and wait for it."""
    helper, _state["helper"] = _state["helper"], None
    if helper is None:
        return
    process, connection = helper
    with suppress(OSError):
        connection.close()
    process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join()

"""The local pool: worker processes that build one report at a time, survive the loss of one
of them and never outlive the batch.

A worker that dies (killed, out of memory) fails only the report it was building: that
report is tried once more on a fresh worker, then gets an error row, while the other workers
go on. Each worker watches the batch's process and exits the moment it is gone, so killing
the batch, even with ``kill -9``, leaves no worker behind.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from marketdata.reports.batch.workers import Done, context, task, warm

logger = logging.getLogger(__name__)

#: How many times a report is tried when its worker dies under it.
TRIES = 2
_STOP_SECONDS = 10.0


def _gone(pid: int) -> bool:
    """True once process ``pid`` no longer runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it runs, as another user: not the batch any more
        return True
    return False


def _wait_for_exit(pid: int) -> None:
    """Return when process ``pid`` exits (a pidfd where the system has one, else polling)."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # not Linux 5.3+
        while not _gone(pid):
            time.sleep(0.5)
        return
    try:
        select.select([fd], [], [])  # a pidfd turns readable when its process exits
    finally:
        os.close(fd)


def watch_batch(pid: int) -> None:
    """End this worker process as soon as the batch process ``pid`` is gone.

    On Linux the kernel also kills it when its parent dies (``PR_SET_PDEATHSIG``), which
    covers a worker that is the batch's own child; the watching thread covers the others
    (forked by a fork server) and other systems.
    """
    if sys.platform.startswith("linux") and os.getppid() == pid:
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if _gone(pid):
        os._exit(1)

    def watch() -> None:
        _wait_for_exit(pid)
        os._exit(1)  # no cleanup: the batch that wanted the report is gone

    threading.Thread(target=watch, name="marketdata-batch-watch", daemon=True).start()


def serve(conn: Connection, batch_pid: int, common: dict[str, Any]) -> None:
    """A worker's life: watch the batch, warm up, then build each report sent until told to
    stop (``None``) or the batch closes the pipe."""
    watch_batch(batch_pid)
    warm(common["settings"])
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, parameters = job
        conn.send((index, task(parameters, common)))


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    job: int | None = None


def _start(common: dict[str, Any]) -> _Worker:
    ctx = context()
    ours, theirs = ctx.Pipe()
    process = ctx.Process(
        target=serve, args=(theirs, os.getpid(), common), name="marketdata-batch-worker"
    )
    process.start()
    theirs.close()
    return _Worker(process, ours)


def death(exitcode: int | None) -> str:
    """How a worker process ended, in words: ``killed by SIGKILL``, ``exit status 1``."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exit status {exitcode}"


def _stop(workers: list[_Worker]) -> None:
    """Ask every worker to stop, then end those that do not within a few seconds."""
    for worker in workers:
        with contextlib.suppress(OSError):
            worker.conn.send(None)
    deadline = time.monotonic() + _STOP_SECONDS
    for worker in workers:
        if worker.job is not None:  # interrupted in a report: no reason to wait
            worker.process.kill()
        worker.process.join(max(0.0, deadline - time.monotonic()))
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.conn.close()


def run_local(jobs: dict[int, dict[str, Any]], workers: int, common: dict, done: Done) -> None:
    """Build ``jobs`` (index -> parameters) on ``workers`` processes, each warmed once; call
    ``done(index, row)`` as each report finishes or fails."""
    pending = deque(jobs)
    tries = dict.fromkeys(jobs, 0)
    live: list[_Worker] = []
    try:
        while pending or any(w.job is not None for w in live):
            busy = sum(w.job is not None for w in live)
            while len(live) < min(workers, busy + len(pending)):
                live.append(_start(common))
            for worker in live:
                if worker.job is None and pending:
                    worker.job = pending.popleft()
                    tries[worker.job] += 1
                    with contextlib.suppress(OSError):  # died already: its sentinel says so
                        worker.conn.send((worker.job, jobs[worker.job]))
            ready = wait([w.conn for w in live] + [w.process.sentinel for w in live])
            for worker in list(live):
                if worker.conn in ready:
                    try:
                        index, row = worker.conn.recv()
                    except (EOFError, OSError):
                        pass  # it died; its sentinel says how
                    else:
                        worker.job = None
                        done(index, row)
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    worker.process.join()
                    live.remove(worker)
                    worker.conn.close()
                    _lost(worker, pending, tries, done)
    finally:
        _stop(live)


def _lost(worker: _Worker, pending: deque[int], tries: dict[int, int], done: Done) -> None:
    """A worker died: the report it was building goes back in the queue once, then fails."""
    index = worker.job
    if index is None:
        return
    why = death(worker.process.exitcode)
    if tries[index] < TRIES:
        logger.warning("a batch worker died (%s) building report %d; trying it again", why, index)
        pending.appendleft(index)
        return
    done(
        index,
        {
            "status": "error",
            "error": f"the worker process died while building this report, {tries[index]} "
            f"times ({why})",
        },
    )

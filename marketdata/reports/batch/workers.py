"""Where a batch's reports run: one report in a warmed worker process (in-process engine),
a local pool of worker processes (:mod:`.pool`), or a Dask cluster.

Each worker process keeps its imports, its IPython shell (reports run in-process,
:mod:`marketdata.reports.inprocess`), the page's Markdown renderer and the release's lookup
tables for all the reports it runs.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marketdata import reports
from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataError, ReportError
from marketdata.datasets import oews

logger = logging.getLogger(__name__)


_WARM: set[Settings] = set()


def warm(settings: Settings) -> None:
    """Prepare this process for reports (:func:`~marketdata.reports.inprocess.prepare`)
    and read the current release's tables once."""
    if settings in _WARM:
        return
    import pyarrow as pa

    from marketdata.reports import inprocess

    # Arrow's own allocator keeps what a report freed for later reads; the system's gives it
    # back, so a worker stays near one report's size (about 45 MiB less at its peak)
    pa.set_memory_pool(pa.system_memory_pool())
    inprocess.prepare()
    logging.disable(logging.WARNING)  # e.g. "using the bundled snapshot": reports say it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            oews.areas(settings=settings)
            oews.occupations(settings=settings)
            oews.load("00-0000", release="latest", settings=settings)  # one row group
    except MarketdataError as err:  # each report will say it, with its parameters
        logger.info("warming up: %s", err)
    finally:
        logging.disable(logging.NOTSET)
    _WARM.add(settings)


def attempt(row: dict[str, Any], step) -> Any:
    """``step()``, or None with ``row["error"]`` set: a package error's message, or for
    anything else (a bug, not bad input) its type and message; only this report fails."""
    try:
        return step()
    except MarketdataError as err:
        row.update(status="error", error=str(err))
    except Exception as err:
        logger.exception("report failed: %s", row)
        row.update(status="error", error=f"{type(err).__name__}: {err}")
    return None


def run_one(
    name: str,
    parameters: dict[str, Any],
    *,
    output_dir: Path,
    settings: Settings,
    pdf: bool | str = False,
) -> dict[str, Any]:
    """Plan and build one report in this process with the in-process engine. Never raises
    for the report's failure: returns ``status`` (ok, error), ``error``, ``output``,
    ``report`` (its labels) and ``seconds``."""
    from marketdata.reports import inprocess

    started = time.perf_counter()
    row: dict[str, Any] = {"report": "", "status": "ok", "error": "", "output": ""}

    def build() -> None:
        warm(settings)
        plan_ = reports.plan(name, output_dir=output_dir, settings=settings, **parameters)
        row.update(report=labels(plan_), output=str(plan_.target))
        reports.build(plan_, executor=inprocess.execute_notebook, pdf=pdf)

    attempt(row, build)
    row["seconds"] = round(time.perf_counter() - started, 3)
    return row


def task(parameters: dict[str, Any], common: dict[str, Any]) -> dict[str, Any]:
    """:func:`run_one` with the batch's common arguments (report name, folder, settings)."""
    return run_one(common["name"], parameters, **{k: v for k, v in common.items() if k != "name"})


def labels(plan_: reports.ReportPlan) -> str:
    return " ".join(plan_.labels.values())


# --------------------------------------------------------------------------- backends

Done = Callable[[int, dict[str, Any]], None]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: Modules a fork server imports once; every worker forked from it starts with them.
_PRELOAD = [
    "marketdata.reports.batch",
    "marketdata.reports.inprocess",
    "marketdata.plots",
    "marketdata.reports.kit",
    "marketdata.reports.tables",
    "marketdata.analysis.salary",
    "marketdata.reports.export",
    "mistune",
]


def context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes: forked from a single-threaded fork server that has imported
    the package (:data:`_PRELOAD`) where the system has one, else spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    forkserver = multiprocessing.get_context("forkserver")
    forkserver.set_forkserver_preload(_PRELOAD)
    return forkserver


def dask_client(scheduler: str | None, client: Any, workers: int) -> tuple[Any, list[Any]]:
    """The Dask client to use, and what to close afterwards (what was started here)."""
    if client is not None:
        return client, []
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise ReportError(
            "the dask backend needs Dask: pip install 'marketdata[dask]' (or use the local backend)"
        ) from None
    if scheduler:
        try:
            made = Client(scheduler, timeout="30s")
        except OSError as err:
            raise ReportError(f"cannot reach the Dask scheduler {scheduler}: {err}") from None
        return made, [made]
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    made = Client(cluster)
    return made, [made, cluster]


def run_dask(jobs: dict[int, dict[str, Any]], client: Any, common: dict, done: Done) -> None:
    """Run ``jobs`` as Dask tasks; each worker process warms up on its first report."""
    from dask.distributed import as_completed as completed

    futures = {client.submit(task, job, common, pure=False): i for i, job in jobs.items()}
    try:
        for future in completed(list(futures)):
            try:
                row = future.result()
            except Exception as err:  # the worker died or the task was lost
                row = {"status": "error", "error": f"{type(err).__name__}: {err}"}
            done(futures[future], row)
    except BaseException:
        client.cancel(list(futures))
        raise

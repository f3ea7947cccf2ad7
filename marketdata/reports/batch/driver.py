"""Run one report over many parameter sets and summarise: :func:`run`, :class:`BatchResult`.

``run("occupation_outlook", over={"area": "all-states"}, params={"occupation": "29-2072"})``
writes the same report folders as :func:`marketdata.reports.run` would, one per area, and
returns a :class:`BatchResult` whose ``summary`` says for each parameter set ``ok``,
``skipped`` (resume: already up to date) or ``error`` (with the message; one failure never
stops the batch). Area lists: :mod:`marketdata.reports.batch.parameter_sets`.

Where reports run (``backend``):

``"local"``
    a pool of worker processes on this machine (default: one per core);
``"dask"``
    a Dask cluster: ``scheduler="tcp://host:8786"``, a ``dask.distributed.Client``, or a
    local cluster started for the batch. Workers need ``marketdata`` installed and must
    reach ``output_dir`` and the cache folder at the same paths (a shared file system);
    start them with ``--nthreads 1`` (one report at a time per process).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import ReportError
from marketdata.io.progress import bar as progress_bar
from marketdata.reports import plan
from marketdata.reports.batch.parameter_sets import parameter_sets
from marketdata.reports.batch.pool import run_local
from marketdata.reports.batch.resume import up_to_date
from marketdata.reports.batch.workers import (
    attempt,
    cores,
    dask_client,
    labels,
    run_dask,
)
from marketdata.reports.folders import output_root
from marketdata.reports.pdf import paper_of
from marketdata.reports.planning import ReportPlan

logger = logging.getLogger(__name__)

STATUSES = ("ok", "skipped", "error")

# --------------------------------------------------------------------------- the batch


@dataclass(frozen=True)
class BatchResult:
    """Outcome of :func:`run`.

    ``summary``: one row per parameter set, in order: the ``over`` parameters, ``report``
    (the report's labels), ``status`` (ok, skipped, error), ``error`` (the message),
    ``output`` (the report folder) and ``seconds``.
    """

    name: str
    summary: pd.DataFrame
    output_dir: Path
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        """How many reports are ok, skipped and in error."""
        found = self.summary["status"].value_counts()
        return {status: int(found.get(status, 0)) for status in STATUSES}

    @property
    def ok(self) -> bool:
        """True when no report failed."""
        return self.counts["error"] == 0

    def errors(self) -> pd.DataFrame:
        """The rows of the reports that failed."""
        return self.summary[self.summary["status"] == "error"]


def _describe(parameters: Mapping[str, Any], keys: Iterable[str]) -> str:
    return " ".join(f"{k}={_cell(parameters[k])}" for k in keys)


def _triage(
    name: str,
    tasks: list[dict[str, Any]],
    keys: list[str],
    root: Path,
    settings: Settings,
    resume: bool,
    pdf: bool | str = False,
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """Plan every task here (fast, nothing written): bad parameters and reports that are up
    to date get their row now; the rest are returned as jobs for the workers."""
    rows: list[dict[str, Any]] = []
    jobs: dict[int, dict[str, Any]] = {}
    folders: dict[Path, int] = {}
    for index, task in enumerate(tasks):
        started = time.perf_counter()
        row: dict[str, Any] = {"report": "", "status": "", "error": "", "output": ""}
        plan_ = attempt(row, lambda t=task: plan(name, output_dir=root, settings=settings, **t))
        if plan_ is not None:
            row.update(report=labels(plan_), output=str(plan_.target))
            first = folders.setdefault(plan_.target, index)
            if first != index:
                row.update(
                    status="error",
                    error=f"same report folder as {_describe(tasks[first], keys)} "
                    f"({plan_.target}): the report's labels do not tell them apart",
                )
            elif resume and attempt(row, lambda p=plan_: up_to_date(p) and _has_pdf(p, pdf)):
                row["status"] = "skipped"
            elif not row["status"]:
                jobs[index] = task
        row["seconds"] = round(time.perf_counter() - started, 3)
        rows.append(row)
    return rows, jobs


def _has_pdf(plan_: ReportPlan, wanted: bool | str) -> bool:
    """A report asked for with ``--pdf`` is up to date only with its ``report.pdf``."""
    return not wanted or (plan_.target / "report.pdf").is_file()


def run(
    name: str,
    *,
    over: Mapping[str, str | Sequence[Any]],
    params: Mapping[str, Any] | None = None,
    backend: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    output_dir: str | os.PathLike[str] | None = None,
    resume: bool = True,
    pdf: bool | str = False,
    settings: Settings | None = None,
    progress: bool = False,
) -> BatchResult:
    """Run report ``name`` once per combination of the ``over`` values.

    Parameters
    ----------
    name
        Report name, e.g. ``"occupation_outlook"``.
    over
        Parameter -> values: a list, or text (``"all-states"``, ``"OH-metros"``,
        ``"OH,KY,IN"``; see the module's help).
    params
        Parameters shared by every report, e.g. ``{"occupation": "29-2072"}``.
    backend
        ``"local"`` (worker processes) or ``"dask"``; giving ``scheduler`` or ``client``
        means ``"dask"``.
    workers
        Worker processes (local pool, or a local Dask cluster); default: one per core,
        at most one per report to build.
    scheduler, client
        A Dask scheduler address (``tcp://host:8786``) or a ``dask.distributed.Client``.
    output_dir
        Root of the report folders (default ``./outputs``), as for ``reports.run``.
    resume
        Skip reports that are up to date (:func:`up_to_date`; with ``pdf``, only those that
        have their ``report.pdf``).
    pdf
        Also write each report's ``report.pdf`` (headless Chromium or WeasyPrint): True
        (Letter paper) or the paper, ``"letter"`` or ``"a4"``.
    progress
        Show a progress bar (:func:`marketdata.io.progress.bar`: text on stderr, a widget in
        Jupyter; never in CI or reports).

    Raises
    ------
    ReportError
        Unknown report or parameter, a bad ``over`` or backend, Dask missing or its
        scheduler unreachable. A report's own failure is a row of the summary instead.
    """
    started = time.perf_counter()
    settings = get_settings(settings)
    if scheduler or client is not None:
        backend = "dask"
    if backend not in ("local", "dask"):
        raise ReportError(f"backend {backend!r}: use 'local' or 'dask'")
    if workers is not None and workers < 1:
        raise ReportError(f"workers={workers} must be at least 1")
    paper_of(pdf)  # a bad paper fails before any report runs
    root = output_root(output_dir)
    tasks = parameter_sets(name, over=over, params=params, settings=settings)
    keys = list(over)
    rows, jobs = _triage(name, tasks, keys, root, settings, resume, pdf)
    count = min(workers or cores(), len(jobs))
    cluster_client, owned = (
        dask_client(scheduler, client, count) if jobs and backend == "dask" else (None, [])
    )
    bar = progress_bar(
        total=len(tasks),
        initial=len(tasks) - len(jobs),
        unit="report",
        desc=name,
        disable=not progress,
        settings=settings,
    )

    def done(index: int, row: dict[str, Any]) -> None:
        rows[index] = {**rows[index], **row}
        bar.update(1)
        failed = sum(r["status"] == "error" for r in rows)
        if failed:
            bar.set_postfix(errors=failed)

    common = {"name": name, "output_dir": root, "settings": settings, "pdf": pdf}
    try:
        if cluster_client is not None:
            run_dask(jobs, cluster_client, common, done)
        elif jobs:
            run_local(jobs, count, common, done)
    finally:
        bar.close()
        for thing in owned:
            thing.close()
    summary = pd.DataFrame(
        [{**{k: _cell(t[k]) for k in keys}, **r} for t, r in zip(tasks, rows, strict=True)],
        columns=[*keys, "report", "status", "error", "output", "seconds"],
    )
    result = BatchResult(
        name=name, summary=summary, output_dir=root, seconds=time.perf_counter() - started
    )
    logger.info("batch %s: %s in %.1f s", name, result.counts, result.seconds)
    return result


def _cell(value: Any) -> Any:
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else value

"""One report over many parameter sets: every state, every metro of a state, a list of areas.

``run("occupation_outlook", over={"area": "all-states"}, params={"occupation": "29-2072"})``
writes the same report folders as :func:`marketdata.reports.run` would, one per area, and
returns a :class:`BatchResult` whose ``summary`` says for each parameter set ``ok``,
``skipped`` (resume: already up to date) or ``error`` (with the message; one failure never
stops the batch).

Area lists (the value of an ``over`` key, from the current release's area table,
:func:`marketdata.oews.areas`; items separated by commas, see :func:`split_list`):

``all-states``
    the 50 states and the District of Columbia;
``all-territories``
    the territories BLS publishes as states (May 2025: Guam, Puerto Rico, Virgin Islands);
``all-metros`` / ``all-nonmetros``
    every metropolitan / nonmetropolitan area (Puerto Rico's metros included);
``OH-metros`` / ``OH-nonmetros``
    those of one state (a metro spanning states, e.g. ``Cincinnati, OH-KY-IN``, is in each
    state its name lists);
anything else
    an area as :func:`marketdata.codes.resolve_area` reads it (``OH``, ``Columbus, OH``).

Where reports run (``backend``):

``"local"``
    a pool of worker processes on this machine (default: one per core);
``"dask"``
    a Dask cluster: ``scheduler="tcp://host:8786"``, a ``dask.distributed.Client``, or a
    local cluster started for the batch. Workers need ``marketdata`` installed and must
    reach ``output_dir`` and the cache folder at the same paths (a shared file system);
    start them with ``--nthreads 1`` (one report at a time per process).

Each worker process keeps its imports, its IPython shell (reports run in-process,
:mod:`marketdata.inprocess`), the compiled HTML templates and the release's lookup tables
for all the reports it runs.
"""

from __future__ import annotations

import difflib
import itertools
import json
import logging
import multiprocessing
import os
import re
import time
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from marketdata import __version__, cache, codes, oews, reports, snapshot
from marketdata.config import Settings, get_settings
from marketdata.errors import MarketdataError, ReportError, UnknownArea
from marketdata.series_id import STATES

logger = logging.getLogger(__name__)

STATUSES = ("ok", "skipped", "error")
#: Parameters whose values are areas: duplicates are found by area code.
AREA_PARAMETERS = frozenset({"area"})
_KEYWORD = re.compile(r"^(all|[a-z]{2})-(states|territories|metros|nonmetros)$", re.IGNORECASE)
_LAST_STATE_FIPS = 56  # Wyoming; FIPS codes above are territories
_POSTAL = {postal: fips for fips, (postal, _) in STATES.items()}


# --------------------------------------------------------------------------- area lists


def split_list(text: str) -> list[str]:
    """Items of a comma-separated list. A comma followed by a space stays inside an item,
    so BLS area names keep theirs: ``"Columbus, OH,Dayton-Kettering, OH,KY"`` gives
    ``["Columbus, OH", "Dayton-Kettering, OH", "KY"]``."""
    return [item.strip() for item in re.split(r",(?! )", text) if item.strip()]


def _metro_states(name: str) -> list[str]:
    """Postal codes a metro's name lists: ``Cincinnati, OH-KY-IN`` -> OH, KY, IN."""
    return name.rpartition(", ")[2].split("-")


def _keyword_codes(word: str, table: pd.DataFrame) -> list[str]:
    scope, kind = word.lower().split("-")
    fips = pd.to_numeric(table["state_code"], errors="coerce")
    kinds = {"states": "state", "territories": "state", "metros": "metro", "nonmetros": "nonmetro"}
    rows = table[table["area_type"] == kinds[kind]]
    if kind == "states":
        rows = rows[fips[rows.index] <= _LAST_STATE_FIPS]
    elif kind == "territories":
        rows = rows[fips[rows.index] > _LAST_STATE_FIPS]
    if scope != "all":
        postal = scope.upper()
        if postal not in _POSTAL or kind in ("states", "territories"):
            raise UnknownArea(
                "area list",
                word,
                difflib.get_close_matches(f"{postal}-{kind}", [f"{p}-metros" for p in _POSTAL]),
                hint="Give all-states, all-territories, all-metros, all-nonmetros, "
                "a state's metros or nonmetros (OH-metros, OH-nonmetros), or areas a,b,c.",
            )
        if kind == "metros":
            rows = rows[[postal in _metro_states(n) for n in rows["area_name"]]]
        else:
            rows = rows[rows["state_code"] == _POSTAL[postal]]
    return list(rows["area_code"])


def area_list(value: str | Iterable[str], *, settings: Settings | None = None) -> list[str]:
    """The areas ``value`` names, in order, without repeats: keywords (``all-states``,
    ``OH-metros``, ...) become seven-digit area codes; other items stay as given (they are
    checked when their report is planned). Text is split with :func:`split_list`.

    Raises :class:`~marketdata.errors.UnknownArea` for a malformed keyword (``ZZ-metros``).
    """
    items = split_list(value) if isinstance(value, str) else [str(v) for v in value]
    table = oews.areas(settings=settings)
    found: dict[str, str] = {}
    for item in items:
        if _KEYWORD.match(item):
            for code in _keyword_codes(item, table):
                found.setdefault(code, code)
            continue
        try:
            key = codes.resolve_area(item, table=table).code
        except MarketdataError:
            key = item
        found.setdefault(key, item)
    return list(found.values())


def parameter_sets(
    name: str,
    *,
    over: Mapping[str, str | Sequence[Any]],
    params: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """Every combination of the ``over`` values, each with ``params`` added.

    A text value of ``over`` is a list (:func:`split_list`); area parameters
    (:data:`AREA_PARAMETERS`) and keyword items go through :func:`area_list`.
    """
    params = dict(params or {})
    known = reports.notebook_parameters(name)
    for key in [*params, *over]:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ReportError(
                f"unknown parameter {key!r}{hint} for report {name}. Parameters: {', '.join(known)}"
            )
    both = sorted(set(params) & set(over))
    if both:
        raise ReportError(f"parameter {both[0]!r} is given both as a value and in --over")
    choices: dict[str, list[Any]] = {}
    for key, value in over.items():
        items = split_list(value) if isinstance(value, str) else list(value)
        if key in AREA_PARAMETERS or any(isinstance(i, str) and _KEYWORD.match(i) for i in items):
            items = area_list(items, settings=settings)
        else:
            items = list({json.dumps(i, sort_keys=True): i for i in items}.values())
        if not items:
            raise ReportError(f"--over {key}= names no values")
        choices[key] = items
    return [
        {**params, **dict(zip(choices, combo, strict=True))}
        for combo in itertools.product(*choices.values())
    ]


# --------------------------------------------------------------------------- resume


def _data_unchanged(manifest: Mapping[str, Any], settings: Settings) -> bool:
    """True if every data file the report used is still the one it would use now, and, for
    a report with unavailable sections, nothing entered the cache since it was written.

    A bundled file is still used if the cache holds no file from its URL; it is the same
    if it is the OEWS snapshot's (checked) or ships with the same package version.
    """
    cached = {entry.url: entry for entry in cache.entries(settings=settings)}
    bundled = {p.source_url: p.sha256 for p in snapshot.provenance()}
    for record in manifest.get("data", []):
        url, sha = record.get("source_url"), record.get("sha256")
        if record.get("bundled"):
            current = None if url in cached else bundled.get(url, sha)
        else:
            current = cached[url].sha256 if url in cached else None
        if current != sha:
            return False
    created = str(manifest.get("created", ""))
    return not (manifest.get("unavailable") and any(e.retrieved > created for e in cached.values()))


def up_to_date(plan_: reports.ReportPlan) -> bool:
    """True if ``plan_``'s folder holds a finished report made with the same parameters,
    data files, package version and notebook, and every file its manifest lists exists."""
    folder = plan_.target
    try:
        manifest = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    files = manifest.get("files") or {}
    parameters = json.loads(json.dumps(plan_.parameters, default=str))
    return (
        manifest.get("report") == plan_.name
        and manifest.get("parameters") == parameters
        and manifest.get("package", {}).get("version") == __version__
        and manifest.get("notebook", {}).get("sha256") == cache.sha256_of(plan_.notebook)
        and bool(files)
        and all((folder / name).is_file() for name in files)
        and _data_unchanged(manifest, plan_.settings)
    )


# --------------------------------------------------------------------------- one report


_WARM: set[Settings] = set()


def warm(settings: Settings) -> None:
    """Prepare this process for reports: import what the notebooks import, create the
    IPython shell and the HTML exporter, and read the current release's tables once."""
    if settings in _WARM:
        return
    from marketdata import inprocess, plots, report_kit, report_tables, salary  # noqa: F401

    inprocess.shell()
    reports._exporter()
    logging.disable(logging.WARNING)  # e.g. "using the bundled snapshot": reports say it
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            oews.areas(settings=settings)
            oews.occupations(settings=settings)
            oews.load("latest", area="US", settings=settings)
    except MarketdataError as err:  # each report will say it, with its parameters
        logger.info("warming up: %s", err)
    finally:
        logging.disable(logging.NOTSET)
    _WARM.add(settings)


def _attempt(row: dict[str, Any], step) -> Any:
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
    name: str, parameters: dict[str, Any], *, output_dir: Path, settings: Settings
) -> dict[str, Any]:
    """Plan and build one report in this process with the in-process engine. Never raises
    for the report's failure: returns ``status`` (ok, error), ``error``, ``output``,
    ``report`` (its labels) and ``seconds``."""
    from marketdata import inprocess

    started = time.perf_counter()
    row: dict[str, Any] = {"report": "", "status": "ok", "error": "", "output": ""}

    def build() -> None:
        warm(settings)
        plan_ = reports.plan(name, output_dir=output_dir, settings=settings, **parameters)
        row.update(report=_labels(plan_), output=str(plan_.target))
        reports.build(plan_, executor=inprocess.execute_notebook)

    _attempt(row, build)
    row["seconds"] = round(time.perf_counter() - started, 3)
    return row


def _task(parameters: dict[str, Any], common: dict[str, Any]) -> dict[str, Any]:
    return run_one(common["name"], parameters, **{k: v for k, v in common.items() if k != "name"})


def _labels(plan_: reports.ReportPlan) -> str:
    return " ".join(plan_.labels.values())


# --------------------------------------------------------------------------- backends

Done = Callable[[int, dict[str, Any]], None]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: Modules a fork server imports once; every worker forked from it starts with them.
_PRELOAD = [
    "marketdata.batch",
    "marketdata.inprocess",
    "marketdata.plots",
    "marketdata.report_kit",
    "marketdata.report_tables",
    "marketdata.salary",
    "papermill",
    "nbconvert",
]


def _context() -> multiprocessing.context.BaseContext:
    """Fresh worker processes: forked from a single-threaded fork server that has imported
    the package (:data:`_PRELOAD`) where the system has one, else spawned."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_PRELOAD)
    return context


def _run_local(jobs: dict[int, dict[str, Any]], workers: int, common: dict, done: Done) -> None:
    """Run ``jobs`` (index -> parameters) in ``workers`` new processes, each warmed once."""
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=_context(),
        initializer=warm,
        initargs=(common["settings"],),
    ) as pool:
        futures = {pool.submit(_task, job, common): i for i, job in jobs.items()}
        try:
            for future in as_completed(futures):
                try:
                    row = future.result()
                except BrokenProcessPool as err:
                    row = {"status": "error", "error": f"worker process died: {err}"}
                done(futures[future], row)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _dask_client(scheduler: str | None, client: Any, workers: int) -> tuple[Any, list[Any]]:
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


def _run_dask(jobs: dict[int, dict[str, Any]], client: Any, common: dict, done: Done) -> None:
    """Run ``jobs`` as Dask tasks; each worker process warms up on its first report."""
    from dask.distributed import as_completed as completed

    futures = {client.submit(_task, job, common, pure=False): i for i, job in jobs.items()}
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
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """Plan every task here (fast, nothing written): bad parameters and reports that are up
    to date get their row now; the rest are returned as jobs for the workers."""
    rows: list[dict[str, Any]] = []
    jobs: dict[int, dict[str, Any]] = {}
    folders: dict[Path, int] = {}
    for index, task in enumerate(tasks):
        started = time.perf_counter()
        row: dict[str, Any] = {"report": "", "status": "", "error": "", "output": ""}
        plan_ = _attempt(
            row, lambda t=task: reports.plan(name, output_dir=root, settings=settings, **t)
        )
        if plan_ is not None:
            row.update(report=_labels(plan_), output=str(plan_.target))
            first = folders.setdefault(plan_.target, index)
            if first != index:
                row.update(
                    status="error",
                    error=f"same report folder as {_describe(tasks[first], keys)} "
                    f"({plan_.target}): the report's labels do not tell them apart",
                )
            elif resume and _attempt(row, lambda p=plan_: up_to_date(p)):
                row["status"] = "skipped"
            elif not row["status"]:
                jobs[index] = task
        row["seconds"] = round(time.perf_counter() - started, 3)
        rows.append(row)
    return rows, jobs


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
        Skip reports that are up to date (:func:`up_to_date`).
    progress
        Show a progress bar (tqdm, on stderr).

    Raises
    ------
    ReportError
        Unknown report or parameter, a bad ``over`` or backend, Dask missing or its
        scheduler unreachable. A report's own failure is a row of the summary instead.
    """
    from tqdm.auto import tqdm

    started = time.perf_counter()
    settings = get_settings(settings)
    if scheduler or client is not None:
        backend = "dask"
    if backend not in ("local", "dask"):
        raise ReportError(f"backend {backend!r}: use 'local' or 'dask'")
    if workers is not None and workers < 1:
        raise ReportError(f"workers={workers} must be at least 1")
    root = Path(output_dir if output_dir is not None else reports.DEFAULT_OUTPUT_DIR).resolve()
    tasks = parameter_sets(name, over=over, params=params, settings=settings)
    keys = list(over)
    rows, jobs = _triage(name, tasks, keys, root, settings, resume)
    count = min(workers or _cores(), len(jobs))
    dask_client, owned = (
        _dask_client(scheduler, client, count) if jobs and backend == "dask" else (None, [])
    )
    bar = tqdm(
        total=len(tasks),
        initial=len(tasks) - len(jobs),
        unit="report",
        desc=name,
        disable=not progress,
    )

    def done(index: int, row: dict[str, Any]) -> None:
        rows[index] = {**rows[index], **row}
        bar.update(1)
        failed = sum(r["status"] == "error" for r in rows)
        if failed:
            bar.set_postfix(errors=failed)

    common = {"name": name, "output_dir": root, "settings": settings}
    try:
        if dask_client is not None:
            _run_dask(jobs, dask_client, common, done)
        elif jobs:
            _run_local(jobs, count, common, done)
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

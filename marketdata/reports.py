"""Run a report notebook with parameters and write a finished report folder.

``run("occupation_outlook", occupation="29-2072", area="OH")`` validates the parameters (no
kernel is started for bad ones), executes ``notebooks/occupation_outlook.ipynb`` with papermill
in a temporary folder and, when everything is written, moves it into place as
``outputs/<report>/<slug>/``::

    report.html      code hidden, figures embedded
    report.ipynb     the executed notebook
    tables/*.csv     every table shown (raw values and flags)
    figures/*.png    every figure shown
    manifest.json    parameters, package version, data sources (URL, SHA-256), time, run id

:func:`rerun` executes a manifest again and says which tables differ.

The steps are separate so that batch runs can reuse them: :func:`plan` (validate, no side
effects), an :data:`Executor` (``execute_notebook`` starts one kernel per report; another
engine may run notebooks in-process) and :func:`build` (temp folder, HTML, manifest, move).
"""

from __future__ import annotations

import ast
import difflib
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from marketdata import __version__, cache, report_tables
from marketdata.config import Settings, get_settings
from marketdata.errors import ReportError
from marketdata.report_kit import ENV_VAR, PROVENANCE_FILE, SECTIONS_FILE

logger = logging.getLogger(__name__)

DEFAULT_OUTPUT_DIR = Path("outputs")
#: Kernel name meaning "the Python running this code" (no kernelspec needed).
CURRENT_PYTHON = "marketdata-current-python"
_SLUG_MAX = 80
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


# --------------------------------------------------------------------------- notebooks


def notebooks_dir() -> Path:
    """Folder holding the report notebooks: the source checkout's ``notebooks/`` when there
    is one (editable installs), else the copy installed with the package."""
    checkout = Path(__file__).resolve().parent.parent / "notebooks"
    if (checkout / "occupation_outlook.ipynb").is_file():
        return checkout
    try:
        files = importlib.metadata.files("marketdata") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for entry in files:
        if entry.name == "occupation_outlook.ipynb" and "notebooks" in entry.parts:
            return Path(entry.locate()).resolve().parent
    raise ReportError(
        f"report notebooks not found (looked in {checkout} and the installed package files)"
    )


def available() -> list[str]:
    """Names of the reports that can be run."""
    return sorted(p.stem for p in notebooks_dir().glob("*.ipynb") if p.stem in REPORTS)


def notebook_path(name: str) -> Path:
    """Path of report ``name``'s notebook; :class:`ReportError` with suggestions if unknown."""
    if name not in REPORTS:
        close = difflib.get_close_matches(name, list(REPORTS), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ReportError(f"unknown report {name!r}.{hint} Reports: {', '.join(sorted(REPORTS))}")
    return notebooks_dir() / f"{name}.ipynb"


def notebook_parameters(name: str) -> dict[str, Any]:
    """The parameters of report ``name`` and their defaults, read from its ``parameters`` cell."""
    from papermill.inspection import inspect_notebook

    found = inspect_notebook(str(notebook_path(name)))
    return {key: ast.literal_eval(p["default"]) for key, p in found.items()}


# --------------------------------------------------------------------------- slugs


def slugify(text: str, *, max_length: int = _SLUG_MAX) -> str:
    """A folder name made of ``[a-z0-9-]`` from any text (accents folded, punctuation to ``-``).

    Texts longer than ``max_length`` are cut and end with a short hash of the full text, as do
    texts with nothing left after folding and names reserved by Windows.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if not slug or slug in _RESERVED:
        return f"{slug or 'x'}-{digest}"
    if len(slug) > max_length:
        return slug[: max_length - len(digest) - 1].rstrip("-") + "-" + digest
    return slug


def _inside(root: Path, *parts: str) -> Path:
    """``root / parts`` resolved; :class:`ReportError` if it is not inside ``root``."""
    base = root.resolve()
    path = base.joinpath(*parts).resolve()
    if path == base or not path.is_relative_to(base):
        raise ReportError(f"output path {path} would leave the output folder {base}")
    return path


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Resolved:
    """What a report's validator returns.

    ``parameters``: the values handed to the notebook (e.g. ``release="latest"`` pinned to the
    release it means, so that a rerun uses the same data). ``labels``: readable names of the
    key parameters, in order; they make the slug and are recorded in the manifest.
    """

    parameters: dict[str, Any]
    labels: dict[str, str]


Validator = Callable[[dict[str, Any], Settings], Resolved]


@dataclass(frozen=True)
class ReportSpec:
    """A report: its title and the function that checks its parameters before any kernel starts."""

    name: str
    title: str
    validate: Validator
    #: Parameters whose default is text but that also take a list of texts.
    lists: tuple[str, ...] = ()


def _coerce(name: str, value: Any, default: Any, *, list_ok: bool = False) -> Any:
    """A parameter value of the type of the notebook's default (text from the command line
    becomes a number, a yes/no or a one-item list); :class:`ReportError` if it cannot be."""
    plain = isinstance(value, str | int) and not isinstance(value, bool)
    if isinstance(default, list) or (list_ok and isinstance(value, list | tuple)):
        items = list(value) if isinstance(value, list | tuple) else [value]
        if all(isinstance(v, str | int) and not isinstance(v, bool) for v in items):
            return [str(v) for v in items]
    elif isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no", "1", "0"}:
            return value.lower() in {"true", "yes", "1"}
    elif isinstance(default, int):
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                raise ReportError(f"parameter {name}={value!r} must be a whole number") from None
        if plain:
            return value
    elif default is None or (isinstance(default, str) and plain):
        return str(value) if plain else value
    kind = "a list" if isinstance(default, list) else type(default).__name__
    raise ReportError(f"parameter {name}={value!r} must be {kind}, like {default!r}")


def _with_defaults(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter of report ``name``: those given (checked and coerced), else defaults."""
    defaults = notebook_parameters(name)
    unknown = [k for k in given if k not in defaults]
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, list(defaults), n=1)
            hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ReportError(
            f"unknown parameter {', '.join(hints)} for report {name}. "
            f"Parameters: {', '.join(defaults)}"
        )
    lists = REPORTS[name].lists
    return {
        k: _coerce(k, given[k], d, list_ok=k in lists) if k in given else d
        for k, d in defaults.items()
    }


# --------------------------------------------------------------------------- plans and results


@dataclass(frozen=True)
class ReportPlan:
    """A validated report run: everything needed to execute it, nothing written yet."""

    name: str
    title: str
    notebook: Path
    requested: dict[str, Any]
    parameters: dict[str, Any]
    labels: dict[str, str]
    slug: str
    root: Path
    target: Path
    settings: Settings = field(repr=False)


@dataclass(frozen=True)
class ReportResult:
    """A finished report folder."""

    name: str
    directory: Path
    html: Path
    notebook: Path
    manifest: Path
    tables: dict[str, Path]
    figures: dict[str, Path]
    unavailable: list[dict[str, str]]
    seconds: float


def plan(
    name: str,
    *,
    output_dir: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    **parameters: Any,
) -> ReportPlan:
    """Validate ``parameters`` for report ``name`` and decide where it goes; writes nothing.

    Raises the package's errors: :class:`ReportError` (unknown report or parameter), and the
    API's :class:`~marketdata.errors.UnknownCode`, :class:`~marketdata.errors.UnknownArea`,
    :class:`~marketdata.errors.UnknownRelease` or :class:`~marketdata.errors.OfflineError`.
    """
    settings = get_settings(settings)
    notebook = notebook_path(name)
    spec = REPORTS[name]
    full = _with_defaults(name, parameters)
    resolved = spec.validate(full, settings)
    slug = slugify(" ".join(resolved.labels.values()) or name)
    root = Path(output_dir) if output_dir is not None else DEFAULT_OUTPUT_DIR
    target = _inside(root, name, slug)
    return ReportPlan(
        name=name,
        title=spec.title,
        notebook=notebook,
        requested=dict(parameters),
        parameters=resolved.parameters,
        labels=resolved.labels,
        slug=slug,
        root=root.resolve(),
        target=target,
        settings=settings,
    )


# --------------------------------------------------------------------------- execution engine


class Executor(Protocol):
    """Executes ``notebook`` with ``parameters``, writing tables/figures to ``report_dir`` and
    the executed notebook to ``output``; returns the executed notebook."""

    def __call__(
        self,
        notebook: Path,
        output: Path,
        parameters: dict[str, Any],
        *,
        report_dir: Path,
        settings: Settings,
    ) -> nbformat.NotebookNode: ...


class _Specs(KernelSpecManager):
    """Kernelspecs, plus :data:`CURRENT_PYTHON`: an IPython kernel of ``sys.executable``."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == CURRENT_PYTHON:
            return KernelSpec(
                argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                display_name=f"Python {sys.version.split()[0]} (marketdata)",
                language="python",
                metadata={"supported_encryption": ["curve"]},
            )
        return super().get_kernel_spec(kernel_name)


class _KernelManager(AsyncKernelManager):
    """Finds :data:`CURRENT_PYTHON`; talks to the kernel over local sockets where the system
    has them (nothing listens on the network)."""

    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        return _Specs(data_dir=self.data_dir)

    @default("transport")
    def _local_transport(self) -> str:
        # socket paths are "<runtime dir>/md-<12 hex>-ipc-<n>"; Unix caps them at 104-108 bytes
        short = len(os.fsencode(_runtime_dir())) + 24 < 100
        return "ipc" if os.name == "posix" and short else "tcp"

    @default("ip")
    def _socket_path(self) -> str:
        if self.transport != "ipc":
            return "127.0.0.1"
        folder = _runtime_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        return str(folder / f"md-{uuid.uuid4().hex[:12]}-ipc")  # one per kernel, never shared


def _runtime_dir() -> Path:
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir())


def kernel_env(settings: Settings, report_dir: Path | None = None) -> dict[str, str]:
    """Environment of a report kernel: the settings as ``MARKETDATA_*`` variables (so the
    kernel reads the same cache and servers), and where the report's files go. Secrets pass
    through the kernel's environment only; they are never notebook parameters or written."""
    env = dict(os.environ)
    values = settings.to_env() | {"MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    env.update(values)
    if report_dir is not None:
        env[ENV_VAR] = str(report_dir)
    else:
        env.pop(ENV_VAR, None)
    return env


def _engine():
    """The papermill engine that starts the kernel with :func:`kernel_env`'s environment."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines

    class MarketdataEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            *,
            kernel_env,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            client = PapermillNotebookClient(
                nb_man,
                kernel_name=kernel_name,
                kernel_manager_class=_KernelManager,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                log=logger,
            )
            # the kernel process's own messages (start-up, shutdown) go to the log, not the
            # terminal; what cells print is in the notebook
            with tempfile.TemporaryFile() as stderr:
                try:
                    return client.execute(env=kernel_env, stderr=stderr)
                finally:
                    stderr.seek(0)
                    text = stderr.read().decode(errors="replace").strip()
                    if text:
                        logger.debug("kernel stderr:\n%s", text)

    papermill_engines.register("marketdata", MarketdataEngine)
    return "marketdata"


def execute_notebook(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    report_dir: Path,
    settings: Settings,
    kernel_name: str | None = None,
    timeout: float | None = 600,
) -> nbformat.NotebookNode:
    """Execute ``notebook`` with papermill in a fresh kernel (the default :class:`Executor`).

    ``kernel_name``: a Jupyter kernelspec name; default: the Python running this code.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        return papermill.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            engine_name=_engine(),
            kernel_name=kernel_name or CURRENT_PYTHON,
            progress_bar=False,
            kernel_env=kernel_env(settings, report_dir),
            execution_timeout=timeout,
        )
    except PapermillExecutionError as exc:
        raise ReportError(
            f"report notebook {notebook.name} failed in cell {exc.exec_count}: "
            f"{exc.ename}: {exc.evalue}"
        ) from None


# --------------------------------------------------------------------------- building the folder


@lru_cache(maxsize=1)
def _exporter() -> Any:
    """The HTML exporter, made once per process (its templates compile once)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import Preprocessor

    class DropStreams(Preprocessor):
        """Report readers see tables, figures and notes, not the kernel's stderr."""

        def preprocess_cell(self, cell, resources, index):
            if cell.get("cell_type") == "code":
                cell.outputs = [
                    o for o in cell.get("outputs", []) if o.get("output_type") != "stream"
                ]
            return cell, resources

    template = Path(__file__).parent / "data" / "report.html.j2"
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_template_paths=[str(template.parent)],
        template_file=template.name,
    )
    exporter.register_preprocessor(DropStreams(), enabled=True)
    return exporter


def _html(nb: nbformat.NotebookNode, title: str) -> str:
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_json(path: Path, default: Any) -> Any:
    return json.loads(path.read_text()) if path.is_file() else default


def _manifest(
    plan_: ReportPlan, folder: Path, nb: nbformat.NotebookNode, run_id: str
) -> dict[str, Any]:
    data = _read_json(folder / PROVENANCE_FILE, [])
    unavailable = _read_json(folder / SECTIONS_FILE, [])
    for record in (PROVENANCE_FILE, SECTIONS_FILE):
        (folder / record).unlink(missing_ok=True)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    pm = nb.metadata.get("papermill", {})
    return {
        "report": plan_.name,
        "title": plan_.title,
        "slug": plan_.slug,
        "requested": plan_.requested,
        "parameters": plan_.parameters,
        "labels": plan_.labels,
        "package": {"name": "marketdata", "version": __version__},
        "notebook": {"name": plan_.notebook.name, "sha256": _sha256(plan_.notebook)},
        "data": data,
        "unavailable": unavailable,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_id": run_id,
        "papermill": {"version": pm.get("version"), "duration": pm.get("duration")},
        "offline": plan_.settings.offline,
        "files": {p.relative_to(folder).as_posix(): _sha256(p) for p in files},
    }


def _place(tmp: Path, target: Path) -> None:
    """Move the finished ``tmp`` folder to ``target``, replacing an older report."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
        os.replace(target, old)
    os.replace(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _execute_to(plan_: ReportPlan, folder: Path, executor: Executor, run_id: str) -> dict[str, Any]:
    """Run the notebook into ``folder`` and write the HTML and the manifest there."""
    nb = executor(
        plan_.notebook,
        folder / "report.ipynb",
        plan_.parameters,
        report_dir=folder,
        settings=plan_.settings,
    )
    nb.metadata.setdefault("marketdata", {})["run_id"] = run_id
    nbformat.write(nb, folder / "report.ipynb")
    (folder / "report.html").write_text(_html(nb, plan_.title), encoding="utf-8")
    manifest = _manifest(plan_, folder, nb, run_id)
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n"
    )
    return manifest


def _scratch(plan_: ReportPlan, kind: str) -> Path:
    parent = plan_.target.parent
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{plan_.slug}.", suffix=f".{kind}", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)  # mkdtemp makes it private; a report folder is not
    return folder


def build(plan_: ReportPlan, *, executor: Executor | None = None) -> ReportResult:
    """Execute a planned report and move the finished folder into place.

    Nothing appears at ``plan_.target`` unless every file was written.
    """
    started = time.perf_counter()
    run_id = uuid.uuid4().hex
    tmp = _scratch(plan_, "partial")
    try:
        manifest = _execute_to(plan_, tmp, executor or execute_notebook, run_id)
        # one move at a time per folder: two runs finishing together would otherwise rename
        # onto each other (ENOTEMPTY) and lose a report
        with cache.lock(f"report:{plan_.target}", settings=plan_.settings):
            _place(tmp, plan_.target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    target = plan_.target
    files = manifest["files"]
    return ReportResult(
        name=plan_.name,
        directory=target,
        html=target / "report.html",
        notebook=target / "report.ipynb",
        manifest=target / "manifest.json",
        tables={Path(f).stem: target / f for f in files if f.startswith("tables/")},
        figures={Path(f).stem: target / f for f in files if f.startswith("figures/")},
        unavailable=manifest["unavailable"],
        seconds=time.perf_counter() - started,
    )


def run(
    name: str,
    *,
    output_dir: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    kernel_name: str | None = None,
    **parameters: Any,
) -> ReportResult:
    """Produce report ``name`` with ``parameters`` in ``<output_dir>/<name>/<slug>/``.

    Parameters
    ----------
    name
        Report (notebook) name, e.g. ``"occupation_outlook"``; see :func:`available`.
    output_dir
        Root folder of reports (default ``./outputs``).
    kernel_name
        Jupyter kernelspec to run the notebook with (default: this Python).
    **parameters
        The notebook's parameters, e.g. ``occupation="29-2072", area="OH"``.
    """
    plan_ = plan(name, output_dir=output_dir, settings=settings, **parameters)

    def executor(
        notebook: Path, output: Path, params: dict[str, Any], **kw: Any
    ) -> nbformat.NotebookNode:
        return execute_notebook(notebook, output, params, kernel_name=kernel_name, **kw)

    result = build(plan_, executor=executor)
    logger.info("report %s written to %s in %.1f s", name, result.directory, result.seconds)
    return result


# --------------------------------------------------------------------------- rerun


@dataclass(frozen=True)
class RerunResult:
    """Outcome of :func:`rerun`: which tables came out different."""

    manifest: Path
    differing: dict[str, str]
    missing: list[str]
    extra: list[str]
    data_changed: list[str]
    modified: list[str]

    @property
    def identical(self) -> bool:
        """True when every table came out byte-identical and no table is missing or new."""
        return not (self.differing or self.missing or self.extra)

    def summary(self) -> str:
        """A few lines saying what differs, for people."""
        if self.identical:
            return f"all tables identical to {self.manifest}"
        lines = [f"tables differ from {self.manifest}:"]
        lines += [f"  {name}: {how}" for name, how in sorted(self.differing.items())]
        lines += [f"  {name}: not produced by the rerun" for name in self.missing]
        lines += [f"  {name}: new in the rerun" for name in self.extra]
        if self.modified:
            lines.append(
                "  changed on disk after the report was written: " + ", ".join(self.modified)
            )
        if self.data_changed:
            lines.append("  data files differ from the manifest's: " + ", ".join(self.data_changed))
        return "\n".join(lines)


def _describe_difference(old: Path, new: Path) -> str:
    import pandas as pd

    try:
        a, b = (
            pd.read_csv(old, dtype=str, keep_default_na=False),
            pd.read_csv(new, dtype=str, keep_default_na=False),
        )
    except (ValueError, pd.errors.ParserError):
        return "contents differ"
    if list(a.columns) != list(b.columns):
        return f"columns differ ({len(a.columns)} vs {len(b.columns)})"
    if len(a) != len(b):
        return f"{len(a)} rows on disk vs {len(b)} in the rerun"
    cells = int((a.to_numpy() != b.to_numpy()).sum())
    return f"{cells} cell(s) differ" if cells else "same values, different bytes"


def rerun(
    manifest_path: str | os.PathLike[str],
    *,
    settings: Settings | None = None,
    kernel_name: str | None = None,
) -> RerunResult:
    """Execute the report of ``manifest_path`` again with the same parameters, and compare
    every CSV table with the one in its folder. The report folder is left unchanged."""
    manifest_path = Path(manifest_path)
    try:
        manifest = json.loads(manifest_path.read_text())
        name, parameters = manifest["report"], manifest["parameters"]
    except (OSError, ValueError, KeyError) as exc:
        raise ReportError(f"cannot read report manifest {manifest_path}: {exc}") from None
    folder = manifest_path.resolve().parent
    plan_ = plan(name, output_dir=folder.parent.parent, settings=settings, **parameters)
    scratch = _scratch(plan_, "rerun")

    def executor(
        notebook: Path, output: Path, params: dict[str, Any], **kw: Any
    ) -> nbformat.NotebookNode:
        return execute_notebook(notebook, output, params, kernel_name=kernel_name, **kw)

    try:
        fresh = _execute_to(plan_, scratch, executor, uuid.uuid4().hex)
        recorded = {f: h for f, h in manifest.get("files", {}).items() if f.startswith("tables/")}
        produced = {f: h for f, h in fresh["files"].items() if f.startswith("tables/")}
        differing = {}
        for f in sorted(set(recorded) & set(produced)):
            on_disk = folder / f
            if not on_disk.is_file():
                differing[f] = "missing from the report folder"
            elif on_disk.read_bytes() != (scratch / f).read_bytes():
                differing[f] = _describe_difference(on_disk, scratch / f)
        modified = sorted(
            f for f, h in recorded.items() if (folder / f).is_file() and _sha256(folder / f) != h
        )
        old_data = {(d.get("source_url"), d.get("sha256")) for d in manifest.get("data", [])}
        new_data = {(d.get("source_url"), d.get("sha256")) for d in fresh["data"]}
        data_changed = sorted({str(url) for url, _ in old_data ^ new_data})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return RerunResult(
        manifest=manifest_path,
        differing=differing,
        missing=sorted(set(recorded) - set(produced)),
        extra=sorted(set(produced) - set(recorded)),
        data_changed=data_changed,
        modified=modified,
    )


# --------------------------------------------------------------------------- the reports


def _release(value: Any, where: Any, occupation: str | None, settings: Settings) -> str:
    """The OEWS release ``value`` means, checked to be loadable (the current one always is:
    downloaded, cached or bundled; a past one must be cached or downloadable)."""
    from marketdata import oews, oews_history

    current = oews.current_release(settings=settings)
    text = str(value).strip()
    if text.lower() in {"latest", "current"}:
        return current
    rel = oews_history.parse_release(text)
    if str(rel.year) in current:
        return current
    oews.load(rel.label, area=where.code, occupation=occupation, settings=settings)
    return rel.label


def _validate_outlook(params: dict[str, Any], settings: Settings) -> Resolved:
    occ = report_tables.occupation(params["occupation"], settings=settings)
    where = report_tables.area(params["area"], settings=settings)
    others = report_tables.areas(params["comparison_areas"], settings=settings)
    release = _release(params["release"], where, occ.code, settings)
    labels = {"occupation": occ.code, "area": where.name}
    labels.update({f"comparison_{i}": a.name for i, a in enumerate(others)})
    labels["release"] = release
    return Resolved(
        parameters={
            **params,
            "occupation": occ.code,
            "area": where.code,
            "comparison_areas": [a.code for a in others],
            "release": release,
        },
        labels=labels,
    )


def _validate_regional(params: dict[str, Any], settings: Settings) -> Resolved:
    where = report_tables.area(params["area"], settings=settings)
    chosen = params["occupations"]
    _, members = report_tables.occupation_list(chosen, settings=settings)
    release = _release(params["release"], where, None, settings)
    if params["chart_limit"] < 1:
        raise ReportError(f"chart_limit={params['chart_limit']} must be at least 1")
    if isinstance(chosen, str):
        occupations: str | list[str] = report_tables.occupation(chosen, settings=settings).code
        what = occupations
    else:
        occupations = [o.code for o in members]
        what = " ".join(occupations)
    labels = {"area": where.name, "occupations": what, "release": release}
    if params["chart_limit"] != notebook_parameters("regional_salary_report")["chart_limit"]:
        labels["chart"] = f"chart {params['chart_limit']}"  # its own folder, not an overwrite
    return Resolved(
        parameters={**params, "area": where.code, "occupations": occupations, "release": release},
        labels=labels,
    )


def _validate_growth(params: dict[str, Any], settings: Settings) -> Resolved:
    group = report_tables.occupation(params["soc_group"], settings=settings)
    if group.level == "detailed":
        raise ReportError(
            f"soc_group {params['soc_group']!r} is the detailed occupation {group.code} "
            f"{group.title}; give a group such as {group.code[:4]}000 or {group.code[:2]}-0000"
        )
    where = report_tables.area(params["area"], settings=settings)
    if not 1 <= params["top_n"] <= 100:
        raise ReportError(f"top_n={params['top_n']} must be between 1 and 100")
    release = _release(params["release"], where, None, settings)
    return Resolved(
        parameters={**params, "soc_group": group.code, "area": where.code, "release": release},
        labels={
            "group": group.code,
            "area": where.name,
            "top": f"top {params['top_n']}",
            "release": release,
        },
    )


REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec("occupation_outlook", "Occupation outlook", _validate_outlook),
        ReportSpec(
            "regional_salary_report",
            "Regional salary report",
            _validate_regional,
            lists=("occupations",),
        ),
        ReportSpec("growth_explorer", "Growth explorer", _validate_growth),
    )
}

"""Run a report: execute its notebook in a scratch folder, export the HTML, write the
manifest, and move the finished folder into place as ``<output_dir>/<report>/<slug>/``.

Two engines run the notebook (:data:`ENGINES`): ``kernel`` (papermill with a fresh Jupyter
kernel; the default of :func:`run`, which leaves the calling process as it was) and
``inprocess`` (this process's IPython shell, :mod:`marketdata.reports.inprocess`: no kernel
to start, as batch workers and ``marketdata report`` run reports). Both write the same
tables, figures and HTML.

A report made again into its folder replaces the files the previous run wrote (its manifest
lists them) and keeps every other file there (:mod:`marketdata.reports.keep`)."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketdata.core.config import Settings
from marketdata.core.errors import ReportError
from marketdata.io import cache
from marketdata.io.atomic import place
from marketdata.io.disk_space import folder_size, raise_if_full
from marketdata.reports import chart_process
from marketdata.reports.folders import release, scratch
from marketdata.reports.keep import carry_own_files
from marketdata.reports.pdf import PdfError, PdfUnavailable, brief_page, paper_of, render
from marketdata.reports.planning import ReportPlan, plan

if TYPE_CHECKING:  # Jupyter, nbformat and nbconvert load when a report runs, not for errors
    import nbformat

    from marketdata.reports.kernel import Executor

logger = logging.getLogger(__name__)

#: How a report's notebook can be run.
ENGINES = ("inprocess", "kernel")


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
    summary: list[str] = field(default_factory=list)
    pdf: Path | None = None
    #: Why no PDF was written when one was asked for (what to install), else "".
    pdf_note: str = ""
    #: ``brief.pdf``: the brief alone on one page, when asked for (``brief=True``).
    brief_pdf: Path | None = None


def execute_to(
    plan_: ReportPlan,
    folder: Path,
    executor: Executor,
    run_id: str,
    *,
    pdf: bool | str = False,
    brief: bool = False,
) -> dict[str, Any]:
    """Run the notebook into ``folder`` and write the HTML and the manifest there.

    With ``pdf``, ``report.pdf`` follows from the HTML
    on the paper :func:`~marketdata.reports.pdf.paper_of` reads; with ``brief``, ``brief.pdf``,
    the brief alone.
    """

    from marketdata.reports import run_record
    from marketdata.reports.export import html
    from marketdata.reports.manifest import manifest_of

    paper = paper_of(pdf)
    nb = executor(
        plan_.notebook,
        folder / "report.ipynb",
        plan_.parameters,
        report_dir=folder,
        settings=plan_.settings,
    )
    nb.metadata.setdefault("marketdata", {})["run_id"] = run_id
    run_record.write(nb, folder / "report.ipynb")
    page = folder / "report.html"
    page.write_text(html(nb, plan_.title), encoding="utf-8")
    note = _pdf(folder, paper) if paper else ""
    if brief:
        note = _brief(folder, paper or "letter") or note
    manifest = manifest_of(plan_, folder, nb, run_id)
    if paper or brief:
        manifest["pdf"] = {"written": not note, "note": note, "paper": paper or "letter"}
    (folder / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True, default=str) + "\n"
    )
    return manifest


def _brief(folder: Path, paper: str) -> str:
    """Write ``brief.html`` and ``brief.pdf`` (the brief alone) beside ``report.html``; "" if
    written, else why not."""
    page = brief_page((folder / "report.html").read_text(encoding="utf-8"))
    if page is None:
        return "no brief.pdf written: this report has no brief"
    (folder / "brief.html").write_text(page, encoding="utf-8")
    return _pdf(folder, paper, name="brief")


def _pdf(folder: Path, paper: str, *, name: str = "report") -> str:
    """Write ``<name>.pdf`` on ``paper`` from ``<name>.html``; "" if written, else the one
    line saying what to install (the HTML report stands)."""
    try:
        render(folder / f"{name}.html", folder / f"{name}.pdf", paper=paper)
    except PdfUnavailable as err:
        return str(err)
    except PdfError as err:
        logger.warning("%s", err)
        return f"no PDF written: {err}"
    return ""


def build(
    plan_: ReportPlan,
    *,
    executor: Executor | None = None,
    pdf: bool | str = False,
    brief: bool = False,
) -> ReportResult:
    """Execute a planned report and move the finished folder into place; with ``pdf``, also
    ``report.pdf`` (when a renderer is installed; ``ReportResult.pdf_note`` says otherwise).

    Nothing appears at ``plan_.target`` unless every file was written.
    """
    started = time.perf_counter()
    run_id = uuid.uuid4().hex
    tmp = scratch(plan_.target, plan_.slug, "partial")
    try:
        executor = executor or executor_for("kernel")
        manifest = execute_to(plan_, tmp, executor, run_id, pdf=pdf, brief=brief)
        # one move at a time per folder: two runs finishing together would otherwise rename
        # onto each other (ENOTEMPTY) and lose a report
        with cache.lock(f"report:{plan_.target}", settings=plan_.settings):
            kept = carry_own_files(plan_.target, tmp)
            place(tmp, plan_.target)
    except BaseException as err:
        # a full disk: one line saying how much was written before it filled
        written = folder_size(tmp)
        release(tmp)
        raise_if_full(err, tmp.parent, f"the report {plan_.slug}", written, at_least=True)
        raise
    finally:
        release(tmp)
    if kept:
        logger.info("kept %d file(s) of yours in %s: %s", len(kept), plan_.target, kept)
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
        summary=manifest["summary"],
        pdf=target / "report.pdf" if "report.pdf" in files else None,
        pdf_note=manifest.get("pdf", {}).get("note", ""),
        brief_pdf=target / "brief.pdf" if "brief.pdf" in files else None,
    )


def default_engine() -> str:
    """``inprocess`` unless another IPython shell runs in this process (e.g. the command line
    called from a Jupyter kernel), then ``kernel``."""
    if "IPython" not in sys.modules:  # no shell can exist yet
        return "inprocess"
    from marketdata.reports import inprocess

    return "inprocess" if inprocess.available() else "kernel"


def executor_for(engine: str = "kernel", kernel_name: str | None = None) -> Executor:
    """The :class:`Executor` of ``engine`` (one of :data:`ENGINES`); ``kernel_name`` is the
    kernel engine's kernelspec (default: this Python). The engine's modules are imported
    when it first runs a notebook."""
    if engine not in ENGINES:
        raise ReportError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "kernel":
        return partial(_in_kernel, kernel_name=kernel_name)
    if kernel_name is not None:
        raise ReportError(
            f"kernel {kernel_name!r} is for the kernel engine; drop it or use engine 'kernel'"
        )
    return _in_process


def _in_kernel(*args: Any, **kwargs: Any) -> nbformat.NotebookNode:
    from marketdata.reports.kernel import execute_notebook

    return execute_notebook(*args, **kwargs)


def _in_process(*args: Any, **kwargs: Any) -> nbformat.NotebookNode:
    from marketdata.reports import inprocess

    return inprocess.execute_notebook(*args, **kwargs)


def run(
    name: str,
    *,
    output_dir: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    engine: str = "kernel",
    kernel_name: str | None = None,
    pdf: bool | str = False,
    brief: bool = False,
    **parameters: Any,
) -> ReportResult:
    """Produce report ``name`` with ``parameters`` in ``<output_dir>/<name>/<slug>/``.

    Parameters
    ----------
    name
        Report (notebook) name, e.g. ``"occupation_outlook"``; see :func:`available`.
    output_dir
        Root folder of reports (default ``./outputs``).
    engine
        ``"kernel"`` (a fresh Jupyter kernel) or ``"inprocess"`` (this process's IPython
        shell: faster, the same files; not inside another IPython session such as Jupyter).
    kernel_name
        Jupyter kernelspec for the kernel engine (default: this Python).
    pdf
        Also write ``report.pdf`` from the HTML (headless Chromium or WeasyPrint): True
        (Letter paper) or the paper, ``"letter"`` or ``"a4"``.
    brief
        Also write ``brief.pdf``: the report's brief alone on one page (on ``pdf``'s paper).
    **parameters
        The notebook's parameters, e.g. ``occupation="29-2072", area="OH"``.
    """
    paper_of(pdf)  # a bad paper fails before the report runs
    executor = executor_for(engine, kernel_name)
    plan_ = plan(name, output_dir=output_dir, settings=settings, **parameters)
    # in this process, the charts are drawn on the other core while the cells run
    with chart_process.aside() if engine == "inprocess" else nullcontext():
        result = build(plan_, executor=executor, pdf=pdf, brief=brief)
    logger.info("report %s written to %s in %.1f s", name, result.directory, result.seconds)
    return result

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
effects), an :class:`Executor` (:func:`execute_notebook` starts one kernel per report;
:mod:`marketdata.reports.inprocess` runs notebooks in this process) and :func:`build` (temp
folder, HTML, manifest, move).

The names below are the public API. The subpackage's modules (see ``ARCHITECTURE.md``):
``catalogue``, ``validation``, ``planning``, ``folders``, ``kernel``, ``inprocess``,
``export``, ``manifest``, ``runner``, ``reproduce``; ``kit`` and ``tables`` are what the
notebooks import; ``batch`` fans a report out over many parameter sets.
"""

from __future__ import annotations

from marketdata.reports.catalogue import (
    REPORTS,
    available,
    notebook_parameters,
    notebook_path,
    notebooks_dir,
)
from marketdata.reports.folders import slugify
from marketdata.reports.kernel import Executor, execute_notebook
from marketdata.reports.planning import ReportPlan, plan
from marketdata.reports.reproduce import RerunResult, rerun
from marketdata.reports.runner import ReportResult, build, run

__all__ = [
    "REPORTS",
    "Executor",
    "ReportPlan",
    "ReportResult",
    "RerunResult",
    "available",
    "build",
    "execute_notebook",
    "notebook_parameters",
    "notebook_path",
    "notebooks_dir",
    "plan",
    "rerun",
    "run",
    "slugify",
]

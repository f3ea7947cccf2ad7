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

import importlib
from typing import Any

#: Public name -> the module of this subpackage that defines it (imported on first use, so
#: that help and parameter errors do not load Jupyter, papermill or nbconvert).
_HOME = {
    "REPORTS": "catalogue",
    "available": "catalogue",
    "notebook_parameters": "catalogue",
    "notebook_path": "catalogue",
    "notebooks_dir": "catalogue",
    "slugify": "folders",
    "Executor": "kernel",
    "execute_notebook": "kernel",
    "ReportPlan": "planning",
    "plan": "planning",
    "RerunResult": "reproduce",
    "rerun": "reproduce",
    "ENGINES": "runner",
    "default_engine": "runner",
    "ReportResult": "runner",
    "build": "runner",
    "run": "runner",
}
__all__ = sorted(_HOME)


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOME})

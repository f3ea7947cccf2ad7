"""Run report notebooks in this Python process: no kernel to start, no imports to repeat.

:func:`execute_notebook` is an :class:`marketdata.reports.Executor`, for ``marketdata report``
and batch workers. Parameters are injected and the run recorded in the notebook's metadata
where papermill puts them (:mod:`marketdata.reports.run_record`), without importing papermill
and the Jupyter kernel client it brings; the cells run in one IPython ``InteractiveShell``
per process, whose displays, results, printed text and errors become the cells' outputs as a
kernel's messages would (``display_data``, ``execute_result``, ``stream``, ``error``). The
user namespace is cleared before each notebook; modules imported by one report stay imported
for the next.

The report's settings reach the notebook as for a kernel:
:func:`marketdata.reports.report_env.kernel_env` is put in ``os.environ`` while it runs (then
restored), so ``get_settings()`` and ``marketdata.reports.kit`` inside the notebook see the
report's cache, servers and folder. One notebook runs at a time per process (a lock); run
several processes for parallel reports.
"""

from __future__ import annotations

import base64
import builtins
import logging
import os
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from marketdata.core import config
from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataWarning, ReportError
from marketdata.reports import run_record
from marketdata.reports.report_env import kernel_env

logger = logging.getLogger(__name__)

_LOCK = threading.Lock()


def _jsonable(value: Any) -> Any:
    """Display data as a kernel sends it: bytes base64-encoded, containers walked."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def new_output(output_type: str, **fields: Any) -> nbformat.NotebookNode:
    """A cell output as a kernel's message makes it (``nbformat.v4.new_output`` without its
    check of each output against the schema, which runs jsonschema, not the compiled
    validator: the whole notebook is validated when it is written)."""
    return nbformat.from_dict({"output_type": output_type, **fields})


class _Outputs:
    """Where the running cell's outputs go (``cell`` is ``None`` between cells), and the
    outputs shown with a display id (``update_display`` changes them in place)."""

    def __init__(self) -> None:
        self.cell: list[nbformat.NotebookNode] | None = None
        self.displays: dict[str, list[nbformat.NotebookNode]] = {}

    def add(self, output: nbformat.NotebookNode) -> None:
        if self.cell is not None:
            self.cell.append(output)

    def write(self, name: str, text: str) -> None:
        """Printed text: appended to the last output if that is the same stream."""
        if self.cell is None or not text:
            return
        last = self.cell[-1] if self.cell else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.cell.append(new_output("stream", name=name, text=text))


_OUTPUTS = _Outputs()


class _Stream:
    """``sys.stdout``/``sys.stderr`` while a cell runs."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, name: str) -> None:
        self.name = name

    def write(self, text: str) -> int:
        _OUTPUTS.write(self.name, text)
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


class _Publisher(DisplayPublisher):
    """``display(...)`` -> a ``display_data`` output; ``update_display`` changes the outputs
    shown with that display id, as a notebook client does."""

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        data, metadata = _jsonable(data), _jsonable(metadata or {})
        display_id = (transient or {}).get("display_id")
        if update:
            for shown in _OUTPUTS.displays.get(display_id, []):
                shown.data, shown.metadata = data, metadata
            return
        output = new_output("display_data", data=data, metadata=metadata)
        if display_id:
            _OUTPUTS.displays.setdefault(display_id, []).append(output)
        _OUTPUTS.add(output)

    def clear_output(self, wait=False):
        if _OUTPUTS.cell is not None:
            _OUTPUTS.cell.clear()


class _ResultHook(DisplayHook):
    """The value of a cell's last expression -> an ``execute_result`` output."""

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        _OUTPUTS.add(
            new_output(
                "execute_result",
                data=_jsonable(format_dict),
                metadata=_jsonable(md_dict or {}),
                execution_count=self.prompt_count,
            )
        )

    def finish_displayhook(self):
        pass

    def flush(self) -> None:
        """Forget the cached results (``_``, ``__``, ``___``, ``_<n>``, ``Out``), as IPython's
        hook does on ``reset``, but without its forced full garbage collection: in a process
        that holds pandas and matplotlib that takes 0.1-0.2 s per report; Python's collector
        still runs when it is due."""
        for n in range(1, self.prompt_count + 1):
            self.shell.user_ns_hidden.pop(f"_{n}", None)
            self.shell.user_ns.pop(f"_{n}", None)
        self.shell.user_ns.get("_oh", {}).clear()
        self._, self.__, self.___ = "", "", ""
        if "_" not in builtins.__dict__:
            self.shell.user_ns.update({"_": self._, "__": self.__, "___": self.___})


class _Shell(InteractiveShell):
    """An IPython shell whose output goes to the running cell's outputs."""

    display_pub_class = _Publisher
    displayhook_class = _ResultHook

    def _showtraceback(self, etype, evalue, stb):
        _OUTPUTS.add(
            new_output("error", ename=etype.__name__, evalue=str(evalue), traceback=list(stb))
        )


def available() -> bool:
    """Whether reports can run in this process: no other IPython shell (e.g. a Jupyter
    kernel's) runs here."""
    return not InteractiveShell.initialized() or isinstance(InteractiveShell.instance(), _Shell)


def shell() -> InteractiveShell:
    """This process's shell (created on first use, without a history file)."""
    if not available():
        raise ReportError(
            "in-process reports cannot run inside another IPython session (e.g. a Jupyter "
            "kernel); use marketdata.reports.run with engine='kernel', or "
            "marketdata.reports.batch.run with a worker pool"
        )
    cfg = Config()
    cfg.HistoryManager.enabled = False
    with _own_main():
        return _Shell.instance(config=cfg)


@contextmanager
def _own_main() -> Iterator[None]:
    """Give ``sys.modules["__main__"]`` back after the block: IPython puts its user module
    there (notebook code runs as ``__main__``, as in a kernel), which would break, e.g.,
    multiprocessing in the process once the report is done."""
    main = sys.modules.get("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


#: What report notebooks import: directly, through the package's lazy attributes, or
#: through pandas (Parquet).
NOTEBOOK_MODULES = (
    "marketdata.datasets.oews",
    "marketdata.datasets.oews_history",
    "pyarrow.dataset",
    "pyarrow.parquet",
    "marketdata.plots",
    "marketdata.analysis.salary",
    "marketdata.reports.kit",
    "marketdata.reports.summary",
    "marketdata.reports.tables",
)


def prepare() -> None:
    """Make this process ready to run reports at once: import what the notebooks import,
    create the IPython shell, and set up the page's Markdown renderer (by exporting an empty
    notebook). Reads no data and starts no thread, so the process can be forked afterwards."""
    import importlib

    from marketdata.reports.export import html

    for module in NOTEBOOK_MODULES:
        importlib.import_module(module)
    shell()
    html(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("ready")]), "ready")


@contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    """``os.environ`` is ``env`` inside the block (settings read from it again)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    config.reset_settings()
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
        config.reset_settings()


@contextmanager
def _capture(outputs: list[nbformat.NotebookNode]) -> Iterator[None]:
    _OUTPUTS.cell = outputs
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Stream("stdout"), _Stream("stderr")
    try:
        yield
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        _OUTPUTS.cell = None


def _run(nb: nbformat.NotebookNode, env: dict[str, str]) -> None:
    """Run the cells of ``nb`` in order with ``env`` as ``os.environ``, up to the first that
    fails; then show the charts drawn aside. The run is recorded in the notebook's metadata."""
    sh = shell()
    sh.reset(new_session=True)
    sys.modules["__main__"] = sh.user_module  # as in a kernel, until the run ends
    _OUTPUTS.displays.clear()
    clock = run_record.RunClock(nb)
    with _environment(env), warnings.catch_warnings():
        # a fresh registry, as in a new kernel: each report shows its own warnings
        warnings.filterwarnings("default", category=MarketdataWarning)
        for cell in nb.cells:
            start = clock.cell_started(cell)
            ok = cell.cell_type != "code" or _run_cell(sh, cell)
            clock.cell_ended(cell, start, ok=ok)
            if not ok:
                break
        else:
            kit = sys.modules.get("marketdata.reports.kit")
            if kit is not None:
                kit.show_drawn_charts()
    clock.ended()
    nb.metadata["language_info"] = dict(run_record.LANGUAGE_INFO)


def _run_cell(sh: InteractiveShell, cell: nbformat.NotebookNode) -> bool:
    """Run one code cell, filling its outputs; False if it raised (a KeyboardInterrupt is
    raised again: Ctrl-C stops the report)."""
    outputs: list[nbformat.NotebookNode] = []
    with _capture(outputs):
        result = sh.run_cell(cell.source, store_history=True)
    cell.outputs = outputs
    cell.execution_count = result.execution_count
    if isinstance(result.error_in_exec, KeyboardInterrupt):
        raise KeyboardInterrupt  # Ctrl-C stops the report, as it stops a kernel's caller
    return result.success


def execute_notebook(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    report_dir: Path,
    settings: Settings,
) -> nbformat.NotebookNode:
    """Execute ``notebook`` with ``parameters`` in this process (an
    :class:`~marketdata.reports.Executor`); the executed notebook is written to ``output``.

    Raises :class:`ReportError` naming the cell and the error if a cell fails.
    """
    with _LOCK, _own_main():
        nb = run_record.read(notebook)
        run_record.inject(nb, parameters, input_path=str(notebook), output_path=str(output))
        _run(nb, kernel_env(settings, report_dir))
        run_record.write(nb, output)
    failed = run_record.first_error(nb)
    if failed is not None:
        count, name, message = failed
        raise ReportError(
            f"report notebook {notebook.name} failed in cell {count}: {name}: {message}"
        )
    return nb

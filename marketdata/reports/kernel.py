"""The kernel engine: execute a report notebook with papermill in a fresh Jupyter kernel.

:class:`Executor` is what :func:`marketdata.reports.build` calls to run a notebook;
:func:`execute_notebook` (one kernel per report) is the default, and
:mod:`marketdata.reports.inprocess` is the other one. A report's settings reach its kernel
as ``MARKETDATA_*`` environment variables (:func:`kernel_env`).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any, Protocol

import nbformat
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from marketdata.core.config import Settings
from marketdata.core.errors import ReportError
from marketdata.reports.report_env import kernel_env

logger = logging.getLogger(__name__)

#: Kernel name meaning "the Python running this code" (no kernelspec needed).
CURRENT_PYTHON = "marketdata-current-python"


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
    return run_papermill(
        notebook,
        output,
        parameters,
        engine_name=_engine(),
        kernel_name=kernel_name or CURRENT_PYTHON,
        kernel_env=kernel_env(settings, report_dir),
        execution_timeout=timeout,
    )


def run_papermill(
    notebook: Path, output: Path, parameters: dict[str, Any], **options: Any
) -> nbformat.NotebookNode:
    """``papermill.execute_notebook`` with ``options`` (engine, kernel, environment ...), no
    progress bar; a failing cell raises :class:`ReportError` naming the cell and the error."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    try:
        return papermill.execute_notebook(
            str(notebook), str(output), parameters=parameters, progress_bar=False, **options
        )
    except PapermillExecutionError as exc:
        raise ReportError(
            f"report notebook {notebook.name} failed in cell {exc.exec_count}: "
            f"{exc.ename}: {exc.evalue}"
        ) from None

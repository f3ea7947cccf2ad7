"""What a report run records in its notebook, where papermill records it: the injected
parameters cell, and the times and status of the run and of each cell.

The in-process engine runs cells itself, without importing papermill (which brings the
Jupyter kernel client with it); the notebook it writes has papermill's layout, so
``manifest.json``, :mod:`marketdata.reports.reproduce` and Jupyter read both engines'
notebooks alike.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

__all__ = ["LANGUAGE_INFO", "RunClock", "first_error", "inject", "read", "write"]

#: What an IPython kernel says about its language (``ipykernel``'s ``language_info``).
LANGUAGE_INFO: dict[str, Any] = {
    "name": "python",
    "version": sys.version.split()[0],
    "mimetype": "text/x-python",
    "codemirror_mode": {"name": "ipython", "version": 3},
    "pygments_lexer": "ipython3",
    "nbconvert_exporter": "python",
    "file_extension": ".py",
}


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` in format 4.5, with cell ids and every cell's tags, as
    papermill reads it.

    Read without checking it against the notebook schema: compiling the schema's validator
    takes a tenth of a second, and a report notebook is checked by the package's tests.
    """
    nb = nbformat.v4.upgrade(nbformat.convert(nbformat.reader.reads(path.read_text("utf-8")), 4))
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> None:
    """Write ``nb`` to ``path`` as ``nbformat.write`` does, without checking it against the
    schema."""
    path.write_text(nbformat.v4.writes(nb) + "\n", encoding="utf-8")


def inject(
    nb: nbformat.NotebookNode, parameters: dict[str, Any], *, input_path: str, output_path: str
) -> None:
    """Put ``parameters`` in a cell tagged ``injected-parameters`` after the cell tagged
    ``parameters``, replacing an injected cell already there, and record them in the
    notebook's metadata, as papermill does; no cell is added for no parameters."""
    record = nb.metadata.setdefault("papermill", {})
    if parameters:
        source = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
        cell = nbformat.v4.new_code_cell(source=source)
        cell.metadata["tags"] = ["injected-parameters"]
        tags = [c.metadata.get("tags", []) for c in nb.cells]
        injected = next((i for i, t in enumerate(tags) if "injected-parameters" in t), None)
        declared = next((i for i, t in enumerate(tags) if "parameters" in t), -1)
        if injected is not None:
            nb.cells[injected] = cell
        else:
            nb.cells.insert(declared + 1, cell)
        record["parameters"] = parameters
    record.update(input_path=input_path, output_path=output_path)


def _now() -> datetime:
    return datetime.now(UTC)


class RunClock:
    """Times and status of a run and of its cells, in papermill's metadata fields."""

    def __init__(self, nb: nbformat.NotebookNode) -> None:
        self.nb = nb
        self.started = _now()
        record = nb.metadata.setdefault("papermill", {})
        record.update(start_time=self.started.isoformat(), end_time=None, duration=None)
        record.update(exception=None, version=None)
        for cell in nb.cells:
            cell.metadata["papermill"] = {
                "exception": None,
                "start_time": None,
                "end_time": None,
                "duration": None,
                "status": "pending",
            }

    def cell_started(self, cell: nbformat.NotebookNode) -> datetime:
        """Mark ``cell`` running; when it started."""
        start = _now()
        cell.metadata["papermill"].update(
            start_time=start.isoformat(), status="running", exception=False
        )
        return start

    def cell_ended(self, cell: nbformat.NotebookNode, start: datetime, *, ok: bool) -> None:
        """Mark ``cell`` completed, or failed when not ``ok``."""
        end = _now()
        cell.metadata["papermill"].update(
            end_time=end.isoformat(),
            duration=(end - start).total_seconds(),
            status="completed" if ok else "failed",
            exception=not ok,
        )
        if not ok:
            self.nb.metadata["papermill"]["exception"] = True

    def ended(self) -> None:
        """Record the run's end and duration."""
        end = _now()
        record = self.nb.metadata["papermill"]
        record.update(end_time=end.isoformat(), duration=(end - self.started).total_seconds())


def first_error(nb: nbformat.NotebookNode) -> tuple[int | None, str, str] | None:
    """The execution count, exception name and message of the first cell that failed."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return (
                    cell.get("execution_count"),
                    output.get("ename", ""),
                    output.get("evalue", ""),
                )
    return None

"""The report's ``manifest.json``: parameters, package version, notebook, data sources (URL,
SHA-256), sections not available (plain words, the technical reason and the command that
fills them), the summary, time, run id and the SHA-256 of every file written."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import nbformat

from marketdata import __version__
from marketdata.reports.kit import PROVENANCE_FILE, SECTIONS_FILE, SUMMARY_FILE
from marketdata.reports.planning import ReportPlan


def sha256(path: Path) -> str:
    """SHA-256 of the file at ``path``, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_json(path: Path, default: Any) -> Any:
    return json.loads(path.read_text()) if path.is_file() else default


def manifest_of(
    plan_: ReportPlan, folder: Path, nb: nbformat.NotebookNode, run_id: str
) -> dict[str, Any]:
    """The manifest of the report written in ``folder``; folds in (and removes) the records
    the notebook kit wrote there."""
    data = _read_json(folder / PROVENANCE_FILE, [])
    unavailable = _read_json(folder / SECTIONS_FILE, [])
    summary = _read_json(folder / SUMMARY_FILE, {})
    for record in (PROVENANCE_FILE, SECTIONS_FILE, SUMMARY_FILE):
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
        "notebook": {"name": plan_.notebook.name, "sha256": sha256(plan_.notebook)},
        "data": data,
        "unavailable": unavailable,
        "summary": summary.get("summary", []),
        "started": summary.get("started"),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "run_id": run_id,
        "papermill": {"version": pm.get("version"), "duration": pm.get("duration")},
        "offline": plan_.settings.offline,
        "files": {p.relative_to(folder).as_posix(): sha256(p) for p in files},
    }

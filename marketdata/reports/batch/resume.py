"""Resume a batch: is a report folder up to date (same parameters, data files, package
version and notebook, every file present)?"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from marketdata import __version__
from marketdata import bundled as snapshot
from marketdata.core.config import Settings
from marketdata.io import cache
from marketdata.reports import ReportPlan


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


def up_to_date(plan_: ReportPlan) -> bool:
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

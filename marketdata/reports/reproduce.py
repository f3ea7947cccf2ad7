"""Rerun a report from its ``manifest.json`` and say which tables came out different."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from marketdata.core.config import Settings
from marketdata.core.errors import ReportError
from marketdata.reports.catalogue import notebook_parameters
from marketdata.reports.folders import release, scratch
from marketdata.reports.manifest import sha256
from marketdata.reports.planning import plan
from marketdata.reports.runner import execute_to, executor_for


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


def _read_manifest(path: Path) -> tuple[str, dict, dict]:
    """Report name, parameters and the whole manifest; one clear ReportError otherwise."""
    wanted = "give the manifest.json a report run wrote (outputs/<report>/<slug>/manifest.json)"
    try:
        manifest = json.loads(path.read_text())
    except OSError as exc:
        raise ReportError(f"cannot read report manifest {path}: {exc.strerror or exc}") from None
    except ValueError:
        raise ReportError(f"{path} is not JSON, so not a report manifest: {wanted}") from None
    fields = {"report": str, "parameters": dict}
    if not isinstance(manifest, dict):
        manifest = {}
    missing = [k for k, kind in fields.items() if not isinstance(manifest.get(k), kind)]
    if missing:
        raise ReportError(
            f"{path} is not a report manifest: it has no {' or '.join(map(repr, missing))} "
            f"(the report's name and parameters); {wanted}"
        )
    name, parameters = manifest["report"], manifest["parameters"]
    known = notebook_parameters(name)  # an unknown report is a ReportError naming it
    unknown = [key for key in parameters if key not in known]
    if unknown:
        raise ReportError(
            f"{path}: {unknown[0]!r} is not a parameter of report {name} "
            f"(its parameters: {', '.join(known)}); remove it from the manifest's parameters"
        )
    return name, parameters, manifest


def rerun(
    manifest_path: str | os.PathLike[str],
    *,
    settings: Settings | None = None,
    engine: str = "kernel",
    kernel_name: str | None = None,
) -> RerunResult:
    """Execute the report of ``manifest_path`` again with the same parameters, and compare
    every CSV table with the one in its folder. The report folder is left unchanged.

    ``engine`` and ``kernel_name``: as for :func:`marketdata.reports.run`."""
    manifest_path = Path(manifest_path)
    name, parameters, manifest = _read_manifest(manifest_path)
    folder = manifest_path.resolve().parent
    plan_ = plan(name, output_dir=folder.parent.parent, settings=settings, **parameters)
    work = scratch(plan_.target, plan_.slug, "rerun")

    executor = executor_for(engine, kernel_name)

    try:
        fresh = execute_to(plan_, work, executor, uuid.uuid4().hex)
        recorded = {f: h for f, h in manifest.get("files", {}).items() if f.startswith("tables/")}
        produced = {f: h for f, h in fresh["files"].items() if f.startswith("tables/")}
        differing = {}
        for f in sorted(set(recorded) & set(produced)):
            on_disk = folder / f
            if not on_disk.is_file():
                differing[f] = "missing from the report folder"
            elif on_disk.read_bytes() != (work / f).read_bytes():
                differing[f] = _describe_difference(on_disk, work / f)
        modified = sorted(
            f for f, h in recorded.items() if (folder / f).is_file() and sha256(folder / f) != h
        )
        old_data = {(d.get("source_url"), d.get("sha256")) for d in manifest.get("data", [])}
        new_data = {(d.get("source_url"), d.get("sha256")) for d in fresh["data"]}
        data_changed = sorted({str(url) for url, _ in old_data ^ new_data})
    finally:
        release(work)
    return RerunResult(
        manifest=manifest_path,
        differing=differing,
        missing=sorted(set(recorded) - set(produced)),
        extra=sorted(set(produced) - set(recorded)),
        data_changed=data_changed,
        modified=modified,
    )

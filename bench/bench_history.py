"""Every national OEWS release 2000-2024 from the real BLS files in shared/data (skips if absent).

Packs each release's files (``shared/data/oews/national/history/<zip-name>/`` for 2000-2019,
``national_M20YY_dl.xlsx`` for 2020-2024) into a zip in BLS's layout, adds it to a temporary
cache as a user saving it by hand would, then times :func:`marketdata.datasets.oews_history.load_release`
on all 25 (first parse, then the Parquet reload) into one frame, and checks each release's
national all-occupations (00-0000) employment against the published file read independently
with xlrd / openpyxl.

    python bench/bench_history.py
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import xlrd

from marketdata.core.config import Settings
from marketdata.datasets import oews_history
from marketdata.io import cache
from marketdata.sources.oews_archive import archive_urls, release_for

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "oews" / "national"
YEARS = range(2000, 2025)


def release_files(year: int) -> list[Path]:
    rel = release_for(year)
    folder = SHARED / "history" / f"{rel.key}nat"
    if folder.is_dir():
        return sorted(folder.iterdir())
    return [SHARED / f"national_M{year}_dl.xlsx"]


def pack(files: list[Path]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, path.name)
    return buf.getvalue()


def published_total(path: Path) -> float | None:
    """TOT_EMP of 00-0000 read straight from the workbook (None: the file has no such row)."""
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        rows = sheet.iter_rows(values_only=True)
    else:
        sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
        rows = (sheet.row_values(i) for i in range(sheet.nrows))
    names: list[str] | None = None
    for r in rows:
        cells = [str(c).strip().lower() for c in r]
        if names is None:
            names = cells if {"occ_code", "tot_emp"} <= set(cells) else None
            continue
        if cells[names.index("occ_code")] == "00-0000":
            return float(str(r[names.index("tot_emp")]).strip())
    return None


def main() -> int:
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(cache_dir=Path(tmp) / "cache", offline=True)
        for year in YEARS:
            rel = release_for(year)
            zipped = Path(tmp) / rel.zip_name("national")
            zipped.write_bytes(pack(release_files(year)))
            url = archive_urls(rel, "national", base_url=settings.bls_www_url)[0]
            cache.add_file(zipped, key=f"oews-archive/{zipped.name}", url=url, settings=settings)

        timings = {}
        for label in ("parse", "parquet reload"):
            t0 = time.perf_counter()
            frames = [oews_history.load_release(y, settings=settings) for y in YEARS]
            combined = pd.concat(frames, ignore_index=True)
            timings[label] = time.perf_counter() - t0
        print(
            f"{len(YEARS)} national releases, {len(combined):,} rows, {combined.shape[1]} columns"
        )
        for label, seconds in timings.items():
            print(f"  {label}: {seconds:.2f} s")

        failures = 0
        for year in YEARS:
            files = [p for p in release_files(year) if p.name.lower().startswith("national")]
            expected = published_total(files[0])
            got = combined.loc[
                (combined["year"] == year) & (combined["occupation_code"] == "00-0000"),
                "employment",
            ].tolist()
            if expected is None:
                ok = got == []
                shown = "no 00-0000 row in the published file, none in the frame"
            else:
                ok = got == [expected]
                shown = f"{expected:,.0f}"
            failures += not ok
            print(f"  {year}: {'ok ' if ok else 'MISMATCH'} {shown}{'' if ok else f' (got {got})'}")
    print("all equal to the published files" if not failures else f"{failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

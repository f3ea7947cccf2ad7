"""Bundle the national OEWS history, BLS's SOC crosswalks and CPI-U averages, with the live parsers.

usage::

    python -m tools.build_history_bundle DATA_DIR [--out DIR]

``DATA_DIR`` is the staged data folder (``../shared/data``):

- ``oews/national/history/<zip name>/`` (the members of BLS's ``oes*nat.zip``, 2000-2019) and
  ``oews/national/national_M<year>_dl.xlsx`` (2020 on): each release is put back into a zip
  of its BLS name in memory and read by :func:`marketdata.sources.oews_archive.read_archive`,
  the parser ``oews.history`` runs on BLS's zips;
- ``soc/soc_2000_to_2010_crosswalk.xls``, ``soc/soc_2010_to_2018_crosswalk.xlsx``;
- ``cpi/cu.data.1.AllItems``.

``history_manifest.json`` records every source file (its SHA-256, size and BLS's URL).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from marketdata.bundled import history_bundle as history
from marketdata.sources import cpi_flat_file as cpi
from marketdata.sources import soc_crosswalk
from marketdata.sources.oews_archive import archive_urls, read_archive, releases
from marketdata.sources.oews_archive.columns import ARCHIVE_COLUMNS

_WRITE = {"compression": "zstd", "compression_level": 19}
BLS = "https://www.bls.gov"
BLS_DOWNLOAD = "https://download.bls.gov"
#: Columns the same in every national row: kept once, in the manifest.
SHARED = ("area_code", "area_name", "area_type", "state_code", "industry_code", "industry_title")
ORIGIN = "staged copy; see MANIFEST.md and onet_oews2025_PROVENANCE.md beside the data"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _retrieved(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def _source(path: Path, url: str, release: str) -> dict[str, object]:
    return {
        "file": path.name,
        "url": url,
        "release": release,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "retrieved": _retrieved(path),
        "origin": ORIGIN,
    }


def _write(frame: pd.DataFrame, path: Path) -> None:
    plain = frame.copy()
    plain.attrs = {}
    tmp = path.with_name(path.name + ".part")
    pq.write_table(pa.Table.from_pandas(plain, preserve_index=False), tmp, **_WRITE)
    pd.testing.assert_frame_equal(pq.read_table(tmp).to_pandas(), plain)
    tmp.replace(path)


def _members(data: Path, year: int, zip_stem: str) -> list[Path]:
    folder = data / "oews" / "national" / "history" / zip_stem
    if folder.is_dir():
        return sorted(p for p in folder.iterdir() if p.is_file())
    workbook = data / "oews" / "national" / f"national_M{year}_dl.xlsx"
    return [workbook] if workbook.is_file() else []


def _zipped(members: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for member in members:
            zf.writestr(member.name, member.read_bytes())
    return buffer.getvalue()


def build_oews(data: Path, out: Path) -> dict[str, object]:
    """Write ``oews-national-history.parquet``; return its manifest entry."""
    frames, sources = [], []
    last = max(int(p.stem[10:14]) for p in (data / "oews/national").glob("national_M*_dl.xlsx"))
    for rel in releases(last_year=last):
        if rel.zip_prefix == "oesn":
            continue
        zip_name = rel.zip_name("national")
        members = _members(data, rel.year, zip_name.removesuffix(".zip"))
        if not members:
            continue
        frame = read_archive(_zipped(members), release=rel, scope="national", name=zip_name)
        frames.append(frame)
        url = archive_urls(rel, "national", base_url=BLS)[0]
        for member in members:
            sources.append(_source(member, url, rel.label) | {"member_of": zip_name})
    rows = pd.concat(frames, ignore_index=True)
    shared = {}
    for column in SHARED:
        values = rows[column].unique()
        if len(values) != 1:
            raise SystemExit(f"{column} is not the same in every national row: {values[:5]}")
        shared[column] = values[0]
    kept = rows[[c for c in ARCHIVE_COLUMNS if c not in SHARED]]
    _write(kept, out / history.FILES["oews_history"].name)
    return {
        "program": "OEWS",
        "file": history.FILES["oews_history"].name,
        "rows": len(kept),
        "shared_columns": shared,
        "how_built": "marketdata.sources.oews_archive.read_archive (the parser oews.history "
        "runs on BLS's zips) on each release's staged national members, zipped under BLS's "
        "zip name; cross-industry national rows, every occupation level.",
        "sources": sources,
    }


def build_crosswalks(data: Path, out: Path) -> dict[str, object]:
    """Write ``soc-crosswalks.parquet``; return its manifest entry."""
    frames, sources = [], []
    for cw in soc_crosswalk.CROSSWALKS:
        path = data / "soc" / cw.key.rsplit("/", 1)[-1]
        table = soc_crosswalk.parse(path.read_bytes(), crosswalk=cw, name=path.name)
        frames.append(table.assign(old_version=cw.old, new_version=cw.new))
        sources.append(_source(path, cw.url(BLS), f"{cw.old} to {cw.new}"))
    links = pd.concat(frames, ignore_index=True)
    _write(links, out / history.FILES["soc_crosswalks"].name)
    return {
        "program": "SOC crosswalk",
        "file": history.FILES["soc_crosswalks"].name,
        "rows": len(links),
        "how_built": "marketdata.sources.soc_crosswalk.parse on each staged crosswalk.",
        "sources": sources,
    }


def build_cpi(data: Path, out: Path) -> dict[str, object]:
    """Write ``cpi-u-annual.parquet``; return its manifest entry."""
    path = data / "cpi" / cpi.DATA_FILE
    annual = cpi.annual_averages(cpi.parse(path, source=path.name, series_ids=[cpi.CPI_U]))
    _write(annual, out / history.FILES["cpi"].name)
    first, last = int(annual["year"].iloc[0]), int(annual["year"].iloc[-1])
    url = f"{BLS_DOWNLOAD}{cpi.CU_PATH}{cpi.DATA_FILE}"
    return {
        "program": "CPI",
        "file": history.FILES["cpi"].name,
        "rows": len(annual),
        "how_built": "marketdata.sources.cpi_flat_file.parse + annual_averages (the live path's "
        f"parser) on the staged file; series {cpi.CPI_U}, period {cpi.ANNUAL}.",
        "sources": [_source(path, url, f"CPI-U annual averages {first}-{last}")],
    }


def build(data: Path, out: Path) -> dict[str, object]:
    """Write the bundled files into ``out`` and return the manifest."""
    built = datetime.now(UTC).date().isoformat()
    manifest = {
        "oews_history": build_oews(data, out),
        "soc_crosswalks": build_crosswalks(data, out),
        "cpi": build_cpi(data, out),
    }
    for entry in manifest.values():
        entry["built"] = built
    (out / history.MANIFEST.name).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the staged data folder (../shared/data)")
    parser.add_argument("--out", type=Path, default=history.HERE)
    args = parser.parse_args(argv)
    manifest = build(args.data, args.out)
    for name, entry in manifest.items():
        size = (args.out / str(entry["file"])).stat().st_size
        sys.stdout.write(f"{name}: {entry['rows']:,} rows, {size:,} bytes\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

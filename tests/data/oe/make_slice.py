"""Cut the OEWS flat-file test slice in this folder from the real May 2025 release.

The real files: ``../shared/data/oews-2025/`` holds the May 2025 release and
``make_flat_files.py``, which rebuilds BLS's ``download.bls.gov/pub/time.series/oe/`` files
(``oe.data.0.Current`` byte-identical to BLS's). This script rebuilds them in a temporary
folder (or reads an existing folder given as FLATDIR) and keeps, byte for byte (CRLF line
ends, padded series ids, right-aligned values), the lines of:

- areas: national, Alabama, California, Ohio, Columbus OH (metro), Southern Ohio
  nonmetropolitan area;
- industries: cross-industry (000000) and Hospitals (622000, national only, as BLS publishes);
- occupations: all (00-0000), healthcare practitioners (29-0000), medical records
  specialists (29-2072), cardiologists (29-1212, wages top-coded: footnote 5), personal
  service managers, all other (11-9179, employment not released: footnote 8), web developers
  (15-1254, wages not released in Alabama and Ohio: footnote 8), elementary school teachers
  (25-2021, hourly wages not published: footnote 4), actors (27-2011, annual wages not
  published: footnote 4).

Mapping files are trimmed to those codes (``oe.area``, ``oe.industry``, ``oe.occupation``) or
copied whole (``oe.datatype``, ``oe.footnote``, ``oe.release``).

usage: python tests/data/oe/make_slice.py [FLATDIR]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "oews-2025"

AREAS = {"0000000", "0100000", "0600000", "3900000", "0018140", "3900004"}
INDUSTRIES = {"000000", "622000"}
OCCUPATIONS = {
    "000000",
    "290000",
    "292072",
    "291212",
    "119179",
    "151254",
    "252021",
    "272011",
}
KEEP_COLUMN = {"oe.area": ("area_code", AREAS), "oe.industry": ("industry_code", INDUSTRIES)}
KEEP_COLUMN["oe.occupation"] = ("occupation_code", OCCUPATIONS)
COPY = ("oe.datatype", "oe.footnote", "oe.release")


def slice_data(src: Path, dst: Path) -> int:
    """Keep the header and the lines of the chosen cells; return the number of values."""
    kept = 0
    with src.open("rb") as f, dst.open("wb") as out:
        out.write(f.readline())
        for line in f:
            if line[4:11] in _AREAS and line[11:17] in _INDUSTRIES and line[17:23] in _OCCS:
                out.write(line)
                kept += 1
    return kept


_AREAS = {a.encode() for a in AREAS}
_INDUSTRIES = {i.encode() for i in INDUSTRIES}
_OCCS = {o.encode() for o in OCCUPATIONS}


def slice_mapping(src: Path, dst: Path, column: str, keep: set[str]) -> None:
    """Keep the header and the rows whose ``column`` is in ``keep`` (bytes unchanged)."""
    lines = src.read_bytes().split(b"\r\n")
    header = lines[0].decode().split("\t")
    at = header.index(column)
    rows = [r for r in lines[1:] if r and r.decode().split("\t")[at] in keep]
    dst.write_bytes(b"\r\n".join([lines[0], *rows]) + b"\r\n")


def main(flat_dir: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if flat_dir is None:
            flat_dir = Path(tmp)
            subprocess.run(
                [sys.executable, str(SHARED / "make_flat_files.py"), str(flat_dir)], check=True
            )
        kept = slice_data(flat_dir / "oe.data.0.Current", HERE / "oe.data.0.Current")
        for name, (column, keep) in KEEP_COLUMN.items():
            slice_mapping(flat_dir / name, HERE / name, column, keep)
        for name in COPY:
            shutil.copyfile(flat_dir / name, HERE / name)
    print(f"kept {kept} values")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else None)

"""Cut the real OEWS May 2025 slice of this folder from ../shared/data/oews-2025.

Writes BLS's oe.* time-series flat files (layout of ../shared/data/oews-2025/make_flat_files.py:
tab-separated, header line, CRLF, series_id padded to 30, value right-aligned to 12) holding
only the areas and occupations of AREAS x OCCUPATIONS (cross-industry). Every row is BLS's
published row; mapping files keep only the rows these cells use.

usage: python tests/data/salary/make_oe_slice.py   (needs ../shared; about 1 s)
"""

from __future__ import annotations

import gzip
import shutil
import sqlite3
import tempfile
from pathlib import Path

STAGED = Path(__file__).resolve().parents[4] / "shared" / "data"  # ../shared/data
SHARED = STAGED / "oews-2025" / "oews-2025.sqlite.gz"
OUT = Path(__file__).resolve().parent / "oe"
YEAR = "2025"
AREAS = (
    "0000000",  # National
    "3900000",  # Ohio
    "0018140",  # Columbus, OH
    "3600000",  # New York
    "0021300",  # Elmira, NY: 29-2072 employment published, wages not released
    "2600000",  # Michigan
    "0024340",  # Grand Rapids-Kentwood, MI: 29-1211 90th percentile top-coded
)
OCCUPATIONS = ("000000", "290000", "292072", "291211", "291212")


def _write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="") as f:
        f.write("\t".join(header) + "\r\n")
        for r in rows:
            f.write("\t".join("" if v is None else str(v) for v in r) + "\r\n")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "oews.sqlite"
        with gzip.open(SHARED, "rb") as src, db.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        c = sqlite3.connect(db)
        areas = ",".join(f"'{a}'" for a in AREAS)
        occs = ",".join(f"'{o}'" for o in OCCUPATIONS)
        _write(
            OUT / "oe.area",
            ["state_code", "area_code", "areatype_code", "area_name"],
            c.execute(
                "select state_code, area_code, areatype_code, area_name from area "
                f"where area_code in ({areas}) order by area_code"
            ),
        )
        _write(
            OUT / "oe.datatype",
            ["datatype_code", "datatype_name"],
            c.execute("select * from datatype order by 1"),
        )
        _write(
            OUT / "oe.footnote",
            ["footnote_code", "footnote_text"],
            c.execute("select * from footnote order by 1"),
        )
        cols = ["display_level", "selectable", "sort_sequence"]
        _write(
            OUT / "oe.industry",
            ["industry_code", "industry_name", *cols],
            (
                (a, b, d, "T", 1)
                for a, b, d in c.execute("select * from industry where industry_code = '000000'")
            ),
        )
        _write(
            OUT / "oe.occupation",
            ["occupation_code", "occupation_name", *cols],
            (
                (a, b, d, "T", i + 1)
                for i, (a, b, d) in enumerate(
                    c.execute(
                        f"select * from occupation where occupation_code in ({occs}) order by 1"
                    )
                )
            ),
        )
        _write(OUT / "oe.release", ["release_date", "description"], [("2026-05-15", "May 2025")])
        with (OUT / "oe.data.0.Current").open("w", newline="") as data:
            data.write(f"{'series_id':<30}\tyear\tperiod\t{'value':>12}\tfootnote_codes\r\n")
            rows = c.execute(
                "select * from cell where substr(key, 5, 7) in (" + areas + ") "
                "and substr(key, 12, 6) = '000000' and substr(key, 18, 6) in (" + occs + ") "
                "order by key"
            )
            for row in rows:
                for i in range(1, 18):
                    value, footnote = row[i], row[17 + i]
                    if value is None:
                        continue
                    data.write(
                        f"{row[0]}{i:02d}".ljust(30) + f"\t{YEAR}\tA01\t{value:>12}\t"
                        f"{footnote or ''}\r\n"
                    )


if __name__ == "__main__":
    main()

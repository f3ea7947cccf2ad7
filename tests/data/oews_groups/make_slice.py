"""Cut BLS's May 2025 national workbook down to a few rows and re-pack it as BLS's zip.

Reads ``shared/data/oews/national/national_M2025_dl.xlsx`` (see its MANIFEST.md) and writes
``oesm25nat.zip`` next to this script, holding ``national_M2025_dl.xlsx`` with every sheet:
the data sheet keeps its header and the rows of :data:`CODES` (group rows the time-series
files leave out, their single children, and a few others), each cell with its value and type.

Run from the repository root: ``python tests/data/oews_groups/make_slice.py [DATA_DIR]``
(``DATA_DIR`` defaults to ``../shared/data``; needs openpyxl; the output is committed, the
tests do not run this).
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent
MEMBER = "national_M2025_dl.xlsx"
#: Group rows (first of each pair) with their single child, and rows the time series has.
CODES = {
    "00-0000",
    "11-1000",
    "11-1010",
    "11-1011",
    "29-2072",
    "35-1000",
    "35-1010",
    "35-1011",
    "35-1012",
    "35-9000",
    "35-9020",
    "35-9021",
    "53-7070",
    "53-7071",
    "29-1140",
    "29-1141",
}


def main(data: Path) -> None:
    source = openpyxl.load_workbook(data / "oews" / "national" / MEMBER)
    data = source.sheetnames[0]
    sheet = source[data]
    header = [c.value for c in sheet[1]]
    occ = header.index("OCC_CODE")
    drop = [
        row[0].row for row in sheet.iter_rows(min_row=2) if str(row[occ].value).strip() not in CODES
    ]
    for number in reversed(drop):  # from the bottom, so the numbers above stay put
        sheet.delete_rows(number)
    buffer = io.BytesIO()
    source.save(buffer)
    with zipfile.ZipFile(OUT / "oesm25nat.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MEMBER, buffer.getvalue())


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))

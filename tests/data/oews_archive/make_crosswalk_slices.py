"""Cut BLS's two SOC crosswalks down to the rows the tests need (real rows, unchanged).

Sources: ``shared/data/soc/soc_2000_to_2010_crosswalk.xls`` and
``shared/data/soc/soc_2010_to_2018_crosswalk.xlsx``, byte-identical copies of BLS's files
(``https://www.bls.gov/soc/soc_2000_to_2010_crosswalk.xls``,
``https://www.bls.gov/soc/2018/soc_2010_to_2018_crosswalk.xlsx``; see shared/data/MANIFEST.md).

Kept: the sheet (its name), every row above the header and the header at its row (row 7 of
the .xls, row 9 of the .xlsx), the blank row under the .xls header, and, in BLS's order,
every row linked to the followed occupations (:data:`FOLLOWED`) through either crosswalk,
repeated until no new code appears (so every path the occupation history can take is there
whole), plus the rows whose codes carry BLS's stray trailing spaces. Cell text is copied as
it is (spaces, ``*``/``**``/``(#)`` markers). ``.xls`` is rewritten with xlwt, ``.xlsx``
with openpyxl.

Run from the repository root: ``python tests/data/oews_archive/make_crosswalk_slices.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import xlwt
from python_calamine import CalamineWorkbook

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / ".." / "shared" / "data" / "soc"
OUT = HERE / "crosswalk"
#: Occupations followed by the tests (SOC 2018 / 2010 codes).
FOLLOWED = {"29-2072", "29-1141", "15-1122", "15-1212", "15-1252", "29-2071"}
FILES = (
    ("soc_2000_to_2010_crosswalk.xls", 6),  # (name, 0-based header row)
    ("soc_2010_to_2018_crosswalk.xlsx", 8),
)
_CODE = re.compile(r"^\d{2}-\d{4}$")


def _rows(name: str) -> tuple[str, list[list[str]]]:
    book = CalamineWorkbook.from_path(str(SHARED / name))
    sheet = book.sheet_names[0]
    rows = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return sheet, [["" if c is None else str(c) for c in r] for r in rows]


def _closure(tables: list[list[list[str]]]) -> set[str]:
    codes = set(FOLLOWED)
    while True:
        more = set(codes)
        for rows in tables:
            for r in rows:
                old, new = r[0].strip(), r[2].strip()
                if old in codes or new in codes:
                    more |= {old, new}
        if more == codes:
            return codes
        codes = more


def main() -> None:
    read = {name: _rows(name) for name, _ in FILES}
    bodies = [rows[header + 1 :] for (name, header) in FILES for rows in [read[name][1]]]
    codes = _closure(bodies)
    OUT.mkdir(exist_ok=True)
    for (name, header), body in zip(FILES, bodies, strict=True):
        sheet_name, rows = read[name]
        kept = [
            r
            for r in body
            if not any(r)
            or (r[0].strip() in codes or r[2].strip() in codes)
            or (r[0] != r[0].strip() or r[2] != r[2].strip())
        ]
        kept = [r for i, r in enumerate(kept) if any(r) or i == 0]  # the blank under the header
        out = [*rows[: header + 1], *kept]
        if name.endswith(".xls"):
            book = xlwt.Workbook()
            sheet = book.add_sheet(sheet_name)
            for i, r in enumerate(out):
                for j, v in enumerate(r):
                    if v != "":
                        sheet.write(i, j, v)
            book.save(str(OUT / name))
        else:
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.title = sheet_name
            for i, r in enumerate(out, start=1):
                for j, v in enumerate(r, start=1):
                    if v != "":
                        sheet.cell(row=i, column=j, value=v)
            book.save(OUT / name)
        links = sum(1 for r in kept if _CODE.match(r[0].strip()))
        print(f"{name}: {links} links, {(OUT / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

"""Cut BLS's archived OEWS releases down to a few rows and re-pack them as BLS's zips.

Reads the real files staged in ``shared/data/oews`` (see its MANIFEST.md) and writes
``oesm21nat.zip``-style zips next to this script, with BLS's member names and layout:

- every sheet of a data workbook is kept; in the data sheet, the preamble (the 2000 files'
  38- and 42-row notes), the header row and only the selected data rows are kept, each cell
  at its original position and with its original type (padded text stays text);
- rows kept: the occupations the tests follow (:data:`CODES`), and for each marker
  (``*``, ``**``, ``***``, ``#``, ``~``) and each column the first row that carries it, and
  the first occupation published twice (broad and detailed);
- ``field_descriptions.xls(x)`` members are copied byte for byte;
- ``.xls`` is written with xlwt (BIFF8), ``.xlsx`` with openpyxl.

Run from the repository root: ``python tests/data/oews_archive/make_slices.py``
(needs xlwt and openpyxl; the output is committed, the tests do not run this).
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from pathlib import Path

import openpyxl
import xlwt
from python_calamine import CalamineWorkbook

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data" / "oews"
OUT = Path(__file__).resolve().parent

#: Occupations the tests follow through the SOC changes (national files).
CODES = {
    "00-0000",
    "29-0000",
    "15-0000",  # labelled "detailed" in the 2000 file
    "29-2071",  # Medical Records and Health Information Technicians (SOC 2000, 2010)
    "29-2072",  # Medical Records Specialists (SOC 2018)
    "29-2098",  # OEWS hybrid, May 2019-2020
    "29-9021",  # Health Information Technologists and Medical Registrars (SOC 2018)
    "29-9098",  # OEWS hybrid, May 2019-2020
    "29-1111",  # Registered Nurses (SOC 2000)
    "29-1141",  # Registered Nurses (SOC 2010, 2018)
    "15-1031",  # Computer Software Engineers, Applications (SOC 2000)
    "15-1032",  # Computer Software Engineers, Systems Software (SOC 2000)
    "15-1132",  # Software Developers, Applications (SOC 2010)
    "15-1133",  # Software Developers, Systems Software (SOC 2010)
    "15-1252",  # Software Developers (SOC 2018)
    "15-1256",  # OEWS hybrid, May 2019-2020
    "15-1179",  # OEWS hybrid, May 2010-2011
    "15-1081",  # Network Systems and Data Communications Analysts (SOC 2000)
    "15-1122",  # Information Security Analysts (SOC 2010)
    "15-1212",  # Information Security Analysts (SOC 2018)
}
#: Occupations kept for every state in the state files.
STATE_CODES = {"00-0000", "29-2071", "29-1111", "29-1141", "29-1061"}  # 29-1061: top-coded, "**"
#: States kept in the 2000 state file (its rows are many and the tests need few).
STATES_2000 = {"AL", "CA"}
MARKERS = ("*", "**", "***", "#", "~")
HEADER = {"occ_code", "tot_emp"}


def _norm(cell: object) -> str:
    return re.sub(r"\s+", "_", str(cell).strip().lower())


def _select(rows: list[list[object]], hi: int, *, codes: set[str], states: set[str] | None):
    """Indices of the data rows to keep."""
    header = [_norm(c) for c in rows[hi]]
    occ = header.index("occ_code")
    st = header.index("st") if "st" in header else None
    keep: list[int] = []
    seen_markers: set[tuple[int, str]] = set()
    seen_codes: set[str] = set()
    duplicate_kept = False
    for i in range(hi + 1, len(rows)):
        row = rows[i]
        code = str(row[occ]).strip()
        wanted = code in codes and (states is None or st is None or row[st] in states)
        for j, cell in enumerate(row):
            marker = str(cell).strip()
            if marker in MARKERS and (j, marker) not in seen_markers:
                seen_markers.add((j, marker))
                wanted = True
        if code in seen_codes and not duplicate_kept and states is None:
            duplicate_kept = wanted = True
            keep += [k for k in range(hi + 1, i) if str(rows[k][occ]).strip() == code]
        seen_codes.add(code)
        if wanted:
            keep.append(i)
    return sorted(set(keep))


def _sheets(content: bytes, *, codes: set[str], states: set[str] | None):
    """(sheet name, {(row, col): value}) for every sheet, data sheets cut down."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    result = []
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        hi = next((i for i, r in enumerate(rows[:100]) if {_norm(c) for c in r} >= HEADER), None)
        if hi is None:
            chosen = list(range(len(rows)))
        else:
            chosen = list(range(hi + 1)) + _select(rows, hi, codes=codes, states=states)
        cells = {}
        for out_row, i in enumerate(chosen):
            for j, value in enumerate(rows[i]):
                if value != "" and value is not None:
                    cells[(out_row, j)] = value
        result.append((name, cells))
    return result


def _write_xls(sheets) -> bytes:
    book = xlwt.Workbook()
    for name, cells in sheets:
        sheet = book.add_sheet(name)
        for (r, c), value in cells.items():
            sheet.write(r, c, value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _write_xlsx(sheets) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, cells in sheets:
        sheet = book.create_sheet(name)
        for (r, c), value in cells.items():
            sheet.cell(row=r + 1, column=c + 1, value=value)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def slice_workbook(content: bytes, member: str, *, codes: set[str], states=None) -> bytes:
    """The workbook cut down to the selected rows, in its own format."""
    sheets = _sheets(content, codes=codes, states=states)
    return _write_xlsx(sheets) if member.lower().endswith(".xlsx") else _write_xls(sheets)


def write_zip(name: str, members: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(OUT / name, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in members:
            zf.writestr(member, data)
    print(f"{name}: {(OUT / name).stat().st_size:,} bytes")


def national(year: int) -> None:
    prefix = "oes" if year <= 2002 else "oesm"
    stem = f"{prefix}{year % 100:02d}nat"
    folder = SHARED / "national" / "history" / stem
    files = (
        sorted(folder.iterdir())
        if folder.is_dir()
        else [SHARED / "national" / f"national_M{year}_dl.xlsx"]
    )
    # BLS's 2012-2020 zips hold their files in a folder named like the zip
    inside = f"{stem}/" if 2012 <= year <= 2020 else ""
    members = []
    for path in files:
        data = path.read_bytes()
        if path.name.lower().startswith("national"):
            data = slice_workbook(data, path.name, codes=CODES)
        members.append((inside + path.name, data))
    write_zip(f"{stem}.zip", members)


def state(zip_name: str, *, states: set[str] | None) -> None:
    members = []
    with zipfile.ZipFile(SHARED / "state" / zip_name) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename.lower().startswith("state"):
                data = slice_workbook(data, info.filename, codes=STATE_CODES, states=states)
            members.append((info.filename, data))
    write_zip(zip_name, members)


def main() -> int:
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: nothing to slice", file=sys.stderr)
        return 1
    for year in range(2000, 2025):
        national(year)
    state("oes00st.zip", states=STATES_2000)
    state("oesm10st.zip", states=None)
    state("oesm13st.zip", states=None)
    total = sum(p.stat().st_size for p in OUT.glob("*.zip"))
    print(f"total: {total:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

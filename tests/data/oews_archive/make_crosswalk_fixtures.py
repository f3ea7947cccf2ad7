"""Write the SOC crosswalk FIXTURES used by the tests (not BLS's files).

BLS's crosswalks (``www.bls.gov/soc/soc_2000_to_2010_crosswalk.xls`` and
``www.bls.gov/soc/2018/soc_2010_to_2018_crosswalk.xlsx``) are not staged in shared/data.
These two small workbooks are built in their documented layout: a few rows of notes, then
a header ``2000 SOC code | 2000 SOC title | 2010 SOC code | 2010 SOC title`` (on row 7 of
the 2000 -> 2010 .xls) or ``2010 SOC Code | 2010 SOC Title | 2018 SOC Code | 2018 SOC Title``
(on row 9 of the 2010 -> 2018 .xlsx), one row per link between an old and a new detailed
occupation. Only the links of the occupations followed by the tests are written; the notes
rows say that the file is a fixture.

Run from the repository root: ``python tests/data/oews_archive/make_crosswalk_fixtures.py``
(needs xlwt and openpyxl).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import xlwt

OUT = Path(__file__).resolve().parent / "crosswalk-fixture"

NOTES = [
    "TEST FIXTURE in the layout of BLS's SOC crosswalk; not the file published by BLS.",
    "Only the links of the occupations followed by marketdata's tests are listed.",
]

TITLES = {
    "15-1031": "Computer Software Engineers, Applications",
    "15-1032": "Computer Software Engineers, Systems Software",
    "15-1081": "Network Systems and Data Communications Analysts",
    "15-1122": "Information Security Analysts",
    "15-1132": "Software Developers, Applications",
    "15-1133": "Software Developers, Systems Software",
    "15-1134": "Web Developers",
    "15-1143": "Computer Network Architects",
    "15-1212": "Information Security Analysts",
    "15-1252": "Software Developers",
    "29-1111": "Registered Nurses",
    "29-1141": "Registered Nurses",
    "29-1151": "Nurse Anesthetists",
    "29-1161": "Nurse Midwives",
    "29-1171": "Nurse Practitioners",
    "29-2071": "Medical Records and Health Information Technicians",
    "29-2072": "Medical Records Specialists",
    "29-9021": "Health Information Technologists and Medical Registrars",
}

LINKS_2000_2010 = [
    ("15-1031", "15-1132"),
    ("15-1032", "15-1133"),
    ("15-1081", "15-1122"),
    ("15-1081", "15-1134"),
    ("15-1081", "15-1143"),
    ("29-1111", "29-1141"),
    ("29-1111", "29-1151"),
    ("29-1111", "29-1161"),
    ("29-1111", "29-1171"),
    ("29-2071", "29-2071"),
]

LINKS_2010_2018 = [
    ("15-1122", "15-1212"),
    ("15-1132", "15-1252"),
    ("15-1133", "15-1252"),
    ("29-1141", "29-1141"),
    ("29-2071", "29-2072"),
    ("29-2071", "29-9021"),
]


def _row(link: tuple[str, str]) -> tuple[str, str, str, str]:
    old, new = link
    return old, TITLES[old], new, TITLES[new]


def write_2000_2010(path: Path) -> None:
    book = xlwt.Workbook()
    sheet = book.add_sheet("2000 to 2010 crosswalk")
    for r, text in enumerate(NOTES):
        sheet.write(r, 0, text)
    header = ["2000 SOC code", "2000 SOC title", "2010 SOC code", "2010 SOC title"]
    for c, text in enumerate(header):
        sheet.write(6, c, text)
    for r, link in enumerate(LINKS_2000_2010, start=7):
        for c, text in enumerate(_row(link)):
            sheet.write(r, c, text)
    book.save(str(path))


def write_2010_2018(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sorted by 2010"
    for r, text in enumerate(NOTES, start=1):
        sheet.cell(row=r, column=1, value=text)
    header = ["2010 SOC Code", "2010 SOC Title", "2018 SOC Code", "2018 SOC Title"]
    for c, text in enumerate(header, start=1):
        sheet.cell(row=9, column=c, value=text)
    for r, link in enumerate(LINKS_2010_2018, start=10):
        for c, text in enumerate(_row(link), start=1):
            sheet.cell(row=r, column=c, value=text)
    book.save(path)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    write_2000_2010(OUT / "soc_2000_to_2010_crosswalk.xls")
    write_2010_2018(OUT / "soc_2010_to_2018_crosswalk.xlsx")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

"""Write the CPS certification LAYOUT fixtures of this folder (made-up values; see README.md).

Real copies of BLS's certification files (cpsaat53.xlsx, le.cert, le.series, ln.series, ...)
were not available, so these files reproduce BLS's documented layouts with invented numbers:

- ``cpsaat53_layout_2025.xlsx``: the cpsaat workbook layout of the real cpsaat39_2025.xlsx in
  this folder (title cell with line breaks, "[Numbers in thousands]" row, header rows joined by
  merged cells, row labels indented by hierarchy, en dash for suppressed cells, footnote and
  NOTE rows at the end, number formats "#,##0" / "0.0").
- ``le/`` and ``ln/``: BLS time-series flat files in the layout of the oe.* files (tab-separated,
  header line, series_id padded to 30 characters, values right-aligned to 12, CRLF line ends).
  Columns: ln.series has the 42 columns of BLS's LN series file; le.series has the LE columns
  BLS documents (series_id, lfst_code, fips_code, series_title, tdata_code, pcts_code,
  earn_code, class_code, unin_code, indy_code, occupation_code, education_code, ages_code,
  race_code, orig_code, sexs_code, born_code, seasonal, footnote_codes, begin/end year and
  period) plus ``cert_code`` (its position is a guess).
- ``api/le_cert_2025.json``: a BLS Public Data API v2 answer for the same LE series.

Series ids, occupation codes and every number are invented. The LE medians equal the
table's, as BLS's database and tables agree, so both paths can be checked against each other.

usage: python tests/data/cps/make_layout_fixtures.py   (rewrites the files next to it)
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent
YEAR = 2025

# label, indent level, employed (thousands), shares (either, cert-no-license, license, without),
# median weekly earnings (total, either, cert-no-license, license, without); None = dash.
ROWS: list[tuple] = [
    (
        "Total, 16 years and over",
        0,
        160000,
        (24.0, 2.5, 21.5, 76.0),
        (1200, 1400, 1390, 1405, 1120),
    ),
    (
        "Management, professional, and related occupations",
        0,
        70000,
        (38.0, 4.0, 34.0, 62.0),
        (1650, 1740, 1800, 1730, 1600),
    ),
    (
        "Management, business, and financial operations occupations",
        1,
        28000,
        (26.0, 5.0, 21.0, 74.0),
        (1760, 1880, 1900, 1875, 1720),
    ),
    ("Management occupations", 2, 19000, (22.0, 3.0, 19.0, 78.0), (1850, 1950, 1990, 1940, 1820)),
    (
        "Business and financial operations occupations",
        2,
        9000,
        (34.0, 9.0, 25.0, 66.0),
        (1560, 1720, 1690, 1730, 1480),
    ),
    (
        "Professional and related occupations",
        1,
        42000,
        (46.0, 3.5, 42.5, 54.0),
        (1560, 1650, 1790, 1640, 1470),
    ),
    (
        "Computer and mathematical occupations",
        2,
        6200,
        (15.0, 11.0, 4.0, 85.0),
        (1900, 2010, 2030, 1960, 1880),
    ),
    (
        "Architecture and engineering occupations",
        2,
        3300,
        (24.0, 6.0, 18.0, 76.0),
        (1850, 1990, 1950, 2000, 1810),
    ),
    (
        "Life, physical, and social science occupations",
        2,
        1600,
        (25.0, 5.0, 20.0, 75.0),
        (1600, 1700, 1660, 1710, 1570),
    ),
    (
        "Community and social service occupations",
        2,
        2900,
        (45.0, 5.0, 40.0, 55.0),
        (1050, 1150, 1080, 1160, 980),
    ),
    ("Legal occupations", 2, 1900, (66.0, 1.0, 65.0, 34.0), (1700, 2050, None, 2060, 1100)),
    (
        "Education, training, and library occupations",
        2,
        9300,
        (55.0, 2.0, 53.0, 45.0),
        (1150, 1250, 1080, 1260, 960),
    ),
    (
        "Arts, design, entertainment, sports, and media occupations",
        2,
        3200,
        (10.0, 4.0, 6.0, 90.0),
        (1250, 1300, 1310, 1290, 1240),
    ),
    (
        "Healthcare practitioners and technical occupations",
        2,
        10000,
        (75.0, 5.0, 70.0, 25.0),
        (1400, 1500, 1200, 1520, 1100),
    ),
    ("Service occupations", 0, 25000, (16.0, 2.0, 14.0, 84.0), (750, 880, 820, 890, 720)),
    ("Healthcare support occupations", 1, 4000, (35.0, 6.0, 29.0, 65.0), (720, 780, 760, 790, 690)),
    (
        "Protective service occupations",
        1,
        3100,
        (45.0, 4.0, 41.0, 55.0),
        (1100, 1250, 1050, 1260, 900),
    ),
    (
        "Food preparation and serving related occupations",
        1,
        7500,
        (6.0, 2.0, 4.0, 94.0),
        (620, 660, 650, 665, 615),
    ),
    (
        "Building and grounds cleaning and maintenance occupations",
        1,
        5200,
        (7.0, 2.0, 5.0, 93.0),
        (700, 780, 740, 790, 690),
    ),
    (
        "Personal care and service occupations",
        1,
        4200,
        (25.0, 3.0, 22.0, 75.0),
        (700, 760, 730, 765, 680),
    ),
    (
        "Sales and office occupations",
        0,
        30000,
        (12.0, 2.0, 10.0, 88.0),
        (950, 1100, 1050, 1110, 920),
    ),
    (
        "Sales and related occupations",
        1,
        14000,
        (13.0, 2.0, 11.0, 87.0),
        (1000, 1200, 1150, 1210, 960),
    ),
    (
        "Office and administrative support occupations",
        1,
        16000,
        (11.0, 2.0, 9.0, 89.0),
        (900, 980, 960, 985, 890),
    ),
    (
        "Natural resources, construction, and maintenance occupations",
        0,
        14000,
        (20.0, 3.0, 17.0, 80.0),
        (1050, 1200, 1150, 1210, 1010),
    ),
    (
        "Farming, fishing, and forestry occupations",
        1,
        1000,
        (6.0, 1.0, 5.0, 94.0),
        (700, 800, None, 800, 690),
    ),
    (
        "Construction and extraction occupations",
        1,
        8000,
        (18.0, 2.0, 16.0, 82.0),
        (1050, 1250, 1150, 1260, 1000),
    ),
    (
        "Installation, maintenance, and repair occupations",
        1,
        5000,
        (28.0, 6.0, 22.0, 72.0),
        (1100, 1250, 1200, 1260, 1050),
    ),
    (
        "Production, transportation, and material moving occupations",
        0,
        20000,
        (13.0, 2.0, 11.0, 87.0),
        (900, 1050, 980, 1060, 880),
    ),
    ("Production occupations", 1, 8000, (8.0, 3.0, 5.0, 92.0), (920, 1000, 990, 1010, 910)),
    (
        "Transportation and material moving occupations",
        1,
        12000,
        (16.0, 1.0, 15.0, 84.0),
        (880, 1060, 970, 1070, 850),
    ),
]
STATUSES = ("with_either", "cert_no_license", "license", "without")
CERT_CODES = {
    "total": "00",
    "without": "01",
    "with_either": "02",
    "cert_no_license": "03",
    "license": "04",
}
CERT_TEXT = {
    "00": "",
    "01": "Without a certification or license",
    "02": "With a certification or license",
    "03": "With a certification, but no license",
    "04": "With a license",
}


def write_table(path: Path) -> None:
    """The cpsaat53 workbook in BLS's cpsaat layout (compare cpsaat39_2025.xlsx)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "cpsaat53"
    ws["A1"] = (
        "HOUSEHOLD DATA\n ANNUAL AVERAGES\n 53. Certification and licensing status of the employed "
        "by occupation"
    )
    ws["A1"].alignment = Alignment(wrap_text=True)
    ws["A1"].font = Font(bold=True)
    ws["A2"] = "[Numbers in thousands]"
    ws["A3"] = ""
    for cells in ("A1:L1", "A2:L2", "A3:L3"):
        ws.merge_cells(cells)
    header = {
        "A4": ("Occupation", "A4:A7"),
        "B4": (str(YEAR), "B4:L4"),
        "B5": ("Total employed", "B5:B7"),
        "C5": ("Percent distribution", "C5:G5"),
        "H5": ("Median weekly earnings of full-time wage and salary workers", "H5:L5"),
    }
    for first in ("C", "H"):
        c = ord(first)
        header[f"{first}6"] = ("Total", f"{first}6:{first}7")
        header[f"{chr(c + 1)}6"] = (
            "With a certification or license(1)",
            f"{chr(c + 1)}6:{chr(c + 3)}6",
        )
        header[f"{chr(c + 1)}7"] = ("Total", None)
        header[f"{chr(c + 2)}7"] = ("With a certification, but no license", None)
        header[f"{chr(c + 3)}7"] = ("With a license(2)", None)
        header[f"{chr(c + 4)}6"] = (
            "Without a certification or license",
            f"{chr(c + 4)}6:{chr(c + 4)}7",
        )
    for cell, (text, merged) in header.items():
        ws[cell] = text
        ws[cell].alignment = Alignment(horizontal="center", wrap_text=True)
        if merged:
            ws.merge_cells(merged)
    row = 8
    for label, level, employed, shares, medians in ROWS:
        ws.cell(row=row, column=1, value=label).alignment = Alignment(indent=level)
        ws.cell(row=row, column=2, value=employed).number_format = "#,##0"
        for i, share in enumerate((100.0, *shares)):
            ws.cell(row=row, column=3 + i, value=share).number_format = "0.0"
        for i, median in enumerate(medians):
            cell = ws.cell(row=row, column=8 + i, value="–" if median is None else median)
            cell.number_format = "#,##0"
            if median is None:
                cell.alignment = Alignment(horizontal="right")
        row += 1
        if label.startswith("Total"):
            row += 1  # BLS leaves a blank row under the total
    row += 1
    footnotes = [
        "(1) Includes persons who have both a certification and a license.",
        "(2) Includes persons with a license and a certification.",
        "NOTE: Made-up layout fixture, not BLS data. Dash indicates no data or data that do "
        "not meet publication criteria (values not shown where base is less than 50,000).",
    ]
    for text in footnotes:
        ws.cell(row=row, column=1, value=text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=12)
        row += 1
    wb.save(path)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        f.write("\t".join(header) + "\r\n")
        for r in rows:
            f.write("\t".join(r) + "\r\n")


def _data(path: Path, values: list[tuple[str, str, str, str]]) -> None:
    """A data file exactly as oe.data.0.Current is laid out."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        f.write(f"{'series_id':<30}\tyear\tperiod\t{'value':>12}\tfootnote_codes\r\n")
        for sid, period, value, footnote in values:
            f.write(f"{sid:<30}\t{YEAR}\t{period}\t{value:>12}\t{footnote}\r\n")


def write_le(folder: Path) -> dict[str, float | None]:
    """le.cert, le.occupation, le.earn, le.footnote, le.series, le.data.1.AllData."""
    _write(folder / "le.cert", ["cert_code", "cert_text"], [[c, t] for c, t in CERT_TEXT.items()])
    occupations = [[f"{9000 + i:04d}", label] for i, (label, *_rest) in enumerate(ROWS)]
    occupations[0] = ["0000", "All occupations"]
    _write(folder / "le.occupation", ["occupation_code", "occupation_text"], occupations)
    _write(
        folder / "le.earn",
        ["earn_code", "earn_text"],
        [["00", "Number of workers"], ["03", "Median usual weekly earnings (second quartile)"]],
    )
    _write(
        folder / "le.footnote",
        ["footnote_code", "footnote_text"],
        [["7", "Data do not meet publication criteria."]],
    )
    header = [
        "series_id",
        "lfst_code",
        "fips_code",
        "series_title",
        "tdata_code",
        "pcts_code",
        "earn_code",
        "class_code",
        "unin_code",
        "indy_code",
        "occupation_code",
        "education_code",
        "ages_code",
        "race_code",
        "orig_code",
        "sexs_code",
        "born_code",
        "cert_code",
        "seasonal",
        "footnote_codes",
        "begin_year",
        "begin_period",
        "end_year",
        "end_period",
    ]
    series, data, api = [], [], {}
    for i, (label, _level, _employed, _shares, medians) in enumerate(ROWS):
        occ = occupations[i][0]
        for status, median in zip(("total", *STATUSES), medians, strict=True):
            cert = CERT_CODES[status]
            sid = f"LEU09{i:03d}{int(cert):02d}000"
            title = (
                f"(Unadj) Median usual weekly earnings, full-time wage and salary workers, {label}"
                + (f", {CERT_TEXT[cert].lower()}" if cert != "00" else "")
            )
            series.append(
                [
                    f"{sid:<30}",
                    "25",
                    "00",
                    title,
                    "01",
                    "00",
                    "03",
                    "01",
                    "0",
                    "0000",
                    occ,
                    "00",
                    "00",
                    "00",
                    "00",
                    "0",
                    "00",
                    cert,
                    "U",
                    "",
                    "2015",
                    "A01",
                    str(YEAR),
                    "A01",
                ]
            )
            data.append(
                (sid, "A01", "-" if median is None else str(median), "7" if median is None else "")
            )
            api[sid] = median
    # one series of another kind (number of workers) that the loader must ignore
    series.append(
        [
            f"{'LEU0990000001':<30}",
            "25",
            "00",
            "(Unadj) Number of workers",
            "00",
            "00",
            "00",
            "01",
            "0",
            "0000",
            "0000",
            "00",
            "00",
            "00",
            "00",
            "0",
            "00",
            "00",
            "U",
            "",
            "2015",
            "A01",
            str(YEAR),
            "A01",
        ]
    )
    data.append(("LEU0990000001", "A01", "120000", ""))
    _write(folder / "le.series", header, series)
    _data(folder / "le.data.1.AllData", data)
    return api


def write_ln(folder: Path) -> None:
    """ln.cert, ln.occupation, ln.series (42 columns), ln.data.1.AllData: employed by status."""
    _write(folder / "ln.cert", ["cert_code", "cert_text"], [[c, t] for c, t in CERT_TEXT.items()])
    occupations = [[f"{9000 + i:04d}", label] for i, (label, *_rest) in enumerate(ROWS)]
    occupations[0] = ["0000", "All Occupations"]
    _write(folder / "ln.occupation", ["occupation_code", "occupation_text"], occupations)
    _write(
        folder / "ln.footnote",
        ["footnote_code", "footnote_text"],
        [["7", "Data do not meet publication criteria."]],
    )
    header = [
        "series_id",
        "lfst_code",
        "periodicity_code",
        "series_title",
        "absn_code",
        "activity_code",
        "ages_code",
        "cert_code",
        "class_code",
        "duration_code",
        "education_code",
        "entr_code",
        "expr_code",
        "hheader_code",
        "hour_code",
        "indy_code",
        "jdes_code",
        "look_code",
        "mari_code",
        "mjhs_code",
        "occupation_code",
        "orig_code",
        "pcts_code",
        "race_code",
        "rjnw_code",
        "rnlf_code",
        "rwns_code",
        "seek_code",
        "sexs_code",
        "tdat_code",
        "vets_code",
        "wkst_code",
        "born_code",
        "chld_code",
        "disa_code",
        "seasonal",
        "tlwk_code",
        "footnote_codes",
        "begin_year",
        "begin_period",
        "end_year",
        "end_period",
    ]
    assert len(header) == 42
    series, data = [], []
    for i, (label, _level, employed, shares, _medians) in enumerate(ROWS):
        occ = occupations[i][0]
        counts = {"total": employed}
        counts.update(
            {s: round(employed * share / 100) for s, share in zip(STATUSES, shares, strict=True)}
        )
        for status, count in counts.items():
            cert = CERT_CODES[status]
            sid = f"LNU02{i:03d}{int(cert):03d}"
            codes = dict.fromkeys(header, "0")
            codes.update(
                series_id=f"{sid:<30}",
                lfst_code="20",
                periodicity_code="A",
                series_title=f"(Unadj) Employed, {label}"
                + (f", {CERT_TEXT[cert].lower()}" if cert != "00" else ""),
                ages_code="00",
                cert_code=cert,
                class_code="00",
                duration_code="000",
                education_code="00",
                hheader_code="00",
                hour_code="00",
                indy_code="0000",
                look_code="00",
                mari_code="00",
                mjhs_code="00",
                occupation_code=occ,
                orig_code="00",
                pcts_code="00",
                race_code="00",
                rjnw_code="00",
                rnlf_code="00",
                rwns_code="00",
                seek_code="00",
                sexs_code="0",
                tdat_code="00",
                vets_code="00",
                wkst_code="00",
                born_code="00",
                chld_code="00",
                disa_code="00",
                seasonal="U",
                tlwk_code="00",
                footnote_codes="",
                begin_year="2015",
                begin_period="A01",
                end_year=str(YEAR),
                end_period="A01",
            )
            series.append([codes[h] for h in header])
            data.append((sid, "A01", str(count), ""))
    _write(folder / "ln.series", header, series)
    _data(folder / "ln.data.1.AllData", data)


def write_api(path: Path, values: dict[str, float | None]) -> None:
    """A BLS API v2 answer (REQUEST_SUCCEEDED) for the LE series, annual values."""
    answer = {
        "status": "REQUEST_SUCCEEDED",
        "responseTime": 120,
        "message": [],
        "Results": {
            "series": [
                {
                    "seriesID": sid,
                    "data": [
                        {
                            "year": str(YEAR),
                            "period": "A01",
                            "periodName": "Annual",
                            "value": "-" if v is None else str(v),
                            "footnotes": [
                                {"code": "7", "text": "Data do not meet publication criteria."}
                            ]
                            if v is None
                            else [{}],
                        }
                    ],
                }
                for sid, v in values.items()
            ]
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(answer, indent=1) + "\n")


if __name__ == "__main__":
    write_table(HERE / "cpsaat53_layout_2025.xlsx")
    le_values = write_le(HERE / "le")
    write_ln(HERE / "ln")
    write_api(HERE / "api" / "le_cert_2025.json", le_values)

"""Cut the EP test slices from the real BLS files in ../shared/data (run once; output committed).

Workbooks keep every sheet, its title row, header row, footnote and source rows and its cell
styles; only data rows whose occupation code is not in KEEP are deleted. CSV slices keep the
header line and whole original lines (same bytes, same line ends). The Projections Central
slice keeps some rows of the Nevada answer, re-indented like the recording (indent=1).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl

SHARED = Path(__file__).resolve().parents[4] / "shared" / "data"
HERE = Path(__file__).parent
CODE = re.compile(r"^\d{2}-\d{4}$")

#: Occupations whose O*NET 2024-34 growth band was checked (tests/analysis/test_growth.py), and others
#: that exercise the parser: summary rows, "—" and top-coded wages, footnote markers, NEM codes.
ONET_2024 = [
    "13-2011",
    "15-2011",
    "17-2011",
    "17-2021",
    "19-1013",
    "53-2011",
    "17-1011",
    "19-2021",
    "17-2031",
    "35-1011",
    "17-2041",
    "17-2051",
    "15-1241",
    "27-3043",
    "25-9031",
    "15-1212",
    "15-1243",
    "29-1021",
    "29-1031",
    "13-1161",
    "29-1215",
    "17-2071",
    "17-2081",
    "19-2041",
    "27-1022",
    "27-2012",
    "19-1012",
    "27-1024",
    "29-1141",
    "11-9081",
    "11-3121",
    "17-2112",
    "27-1025",
    "11-3031",
    "27-3023",
    "23-1011",
    "13-1111",
    "11-2021",
    "17-2141",
    "17-2161",
    "29-1051",
    "27-4021",
    "29-1123",
    "19-2012",
    "25-2021",
    "19-3033",
    "13-1041",
    "11-2022",
    "21-1012",
    "21-1022",
    "25-2031",
    "13-1121",
    "27-1021",
    "27-4032",
    "15-1254",
]
COMMON = [
    "00-0000",
    "11-0000",
    "11-1011",
    "29-0000",
    "29-2000",
    "29-2010",
    "29-2072",
    "31-1120",
    "45-3031",
    "25-3099",
    "27-2011",
    "29-1211",
    "15-1252",
]
KEEP_XLSX = {
    "occupation_2024-34.xlsx": set(COMMON) | set(ONET_2024),
    "occupation_2021-31.xlsx": set(COMMON) | {"13-2011", "29-1141", "23-1011"},
}
KEEP_CSV = {
    "employment_projections_2016-2026.csv": {
        "29-2071",
        "25-3099",
        "45-3000",
        "27-2011",
        "13-2011",
        "29-1211",
    },
    "employment_projections_2021-2031.csv": {"29-2072", "27-2011", "13-2011", "29-1211", "45-3031"},
    "employment_projections_2022-2032.csv": {"29-2072", "29-1024", "27-2011", "13-2011"},
}
KEEP_NV = {
    "00-0000",
    "29-2072",
    "29-1141",
    "13-2011",
    "29-2010",
    "45-4029",
    "15-1252",
    "29-1211",
    "31-1120",
}


def slice_workbook(name: str, keep: set[str]) -> None:
    wb = openpyxl.load_workbook(SHARED / "ep" / name)
    for ws in wb.worksheets:
        drop = [
            r
            for r in range(1, ws.max_row + 1)
            if isinstance(ws.cell(r, 2).value, str)
            and CODE.match(ws.cell(r, 2).value.strip())
            and ws.cell(r, 2).value.strip() not in keep
        ]
        for r in reversed(drop):
            ws.delete_rows(r)
    wb.save(HERE / name)


def slice_csv(name: str, keep: set[str]) -> None:
    lines = (SHARED / "ep" / name).read_bytes().splitlines(keepends=True)
    kept = [lines[0]] + [
        line
        for line in lines[1:]
        if (m := re.search(rb'"=""(\d{2}-\d{4})"""', line)) and m.group(1).decode() in keep
    ]
    (HERE / name).write_bytes(b"".join(kept))


def slice_nevada() -> None:
    doc = json.loads((SHARED / "projections-central" / "nv-longterm-2026-09-11.json").read_text())
    doc["rows"] = [r for r in doc["rows"] if r["OccCode"] in KEEP_NV]
    out = HERE.parent / "projections_central" / "nv-longterm-2026-09-11-slice.json"
    out.write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    for name, keep in KEEP_XLSX.items():
        slice_workbook(name, keep)
    for name, keep in KEEP_CSV.items():
        slice_csv(name, keep)
    slice_nevada()

"""Cut the ORS and BEA test fixtures from the staged real files (run from the repo root).

    python tests/data/ors/make_slices.py [../shared/data]

- ``ors-2020-slice.xlsx``, ``ors-2018-slice.xlsx``: BLS's ORS complete-dataset workbooks
  (2020 preliminary, SOC 2018; 2018, O*NET-SOC 2010) with their information and footnote
  sheets whole and only the data rows of a few occupations; every cell value copied unchanged.
- ``or/or.*``: a small set of ORS time-series flat files in BLS's layout
  (``download.bls.gov/pub/time.series/or/``: tab-separated, header line, ``series_id`` padded
  to 30 characters), CONSTRUCTED from the 2020 workbook's credential rows of the same
  occupations (or.series itself was not available). Values, standard errors, footnote codes,
  codes and texts are the workbook's; ``or.footnote`` is BLS's 2020 footnote list.
- ``../bea_rpp/``: BEA's SARPP files whole; MARPP with only its "RPPs: All items" lines
  (header and footer kept, other lines dropped, nothing changed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
SOC_2020 = {"000000", "290000", "292072", "291141", "292011", "310000", "311133"}
SOC_2018 = {"00000000", "29000000", "29207100", "29114100"}


def _slice_workbook(src: Path, dest: Path, socs: set[str]) -> None:
    book = openpyxl.load_workbook(src, read_only=True)
    out = openpyxl.Workbook(write_only=True)
    for sheet in book.worksheets:
        target = out.create_sheet(sheet.title)
        rows = sheet.iter_rows(values_only=True)
        if not sheet.title.upper().startswith("ORS"):
            for row in rows:
                target.append(list(row))
            continue
        header = next(rows)
        target.append(list(header))
        soc = next(i for i, h in enumerate(header) if "SOC" in str(h).upper())
        for row in rows:
            if str(row[soc]).strip() in socs:
                target.append(list(row))
    out.save(dest)


def _pad(series_id: str) -> str:
    return series_id.ljust(30)


def _flat_files(src: Path, folder: Path) -> None:
    book = openpyxl.load_workbook(src, read_only=True)
    sheet = book["ORS 2020 dataset"]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    picked = []
    for row in rows:
        record = dict(zip(header, row, strict=True))
        if record["SOC 2018 CODE"] in SOC_2020 and str(record["CATEGORY"]).startswith("Credent"):
            picked.append(record)
    folder.mkdir(exist_ok=True)

    def text(v: object) -> str:
        return "" if v is None else str(v)

    def write(name: str, lines: list[str]) -> None:
        (folder / name).write_text("\n".join(lines) + "\n", newline="\n")

    write(
        "or.series",
        [
            "series_id                     \tseasonal\townership_code\tindustry_code\t"
            "occupation_code\tsoc_code\tjob_characteristic_code\testimate_code\tdatatype_code\t"
            "category_code\tadditive_code\trequirement_code\tseries_title\tfootnote_codes\t"
            "begin_year\tbegin_period\tend_year\tend_period"
        ]
        + [
            "\t".join(
                [
                    _pad(r["SERIES_ID"]),
                    r["SERIES_ID"][2],
                    r["SERIES_ID"][4],
                    r["SERIES_ID"][5:9],
                    r["SERIES_ID"][9:12],
                    r["SOC 2018 CODE"],
                    r["SERIES_ID"][12:15],
                    r["ESTIMATE CODE"],
                    r["DATATYPE CODE"],
                    r["CATEGORY CODE"],
                    r["ADDITIVE CODE"],
                    r["SERIES_ID"][3],
                    r["SERIES_TITLE"],
                    text(r["SERIES FOOTNOTE"]),
                    "2020",
                    "A01",
                    "2020",
                    "A01",
                ]
            )
            for r in picked
        ],
    )
    write(
        "or.data.1.AllData",
        ["series_id                     \tyear\tperiod\tvalue\tfootnote_codes"]
        + [
            f"{_pad(r['SERIES_ID'])}\t2020\tA01\t{text(r['ESTIMATE'])}\t{text(r['DATA FOOTNOTE'])}"
            for r in picked
        ],
    )
    write(
        "or.aspect",
        ["series_id                     \tyear\tperiod\taspect\tvalue\tfootnote_codes"]
        + [
            f"{_pad(r['SERIES_ID'])}\t2020\tA01\tE\t{text(r['STANDARD ERROR'])}\t"
            f"{text(r['STANDARD ERROR FOOTNOTE'])}"
            for r in picked
        ],
    )
    occupations = {r["SERIES_ID"][9:12]: (r["SOC 2018 CODE"], r["OCCUPATION"]) for r in picked}
    write(
        "or.occupation",
        ["occupation_code\tsoc_code\toccupation_text\tdisplay_level\tselectable\tsort_sequence"]
        + [
            f"{code}\t{soc}\t{name}\t{0 if soc.endswith('0000') else 1}\tT\t{i}"
            for i, (code, (soc, name)) in enumerate(sorted(occupations.items()), 1)
        ],
    )
    estimates = {r["ESTIMATE CODE"]: r["ESTIMATE TEXT"] for r in picked}
    write(
        "or.estimate",
        ["estimate_code\testimate_text\tdisplay_level\tselectable\tsort_sequence"]
        + [f"{c}\t{t}\t0\tT\t{i}" for i, (c, t) in enumerate(sorted(estimates.items()), 1)],
    )
    categories = {r["CATEGORY CODE"]: r["CATEGORY"] for r in picked}
    write(
        "or.category",
        ["category_code\tcategory_text\tdisplay_level\tselectable\tsort_sequence"]
        + [f"{c}\t{t}\t0\tT\t{i}" for i, (c, t) in enumerate(sorted(categories.items()), 1)],
    )
    notes = book["Footnote codes"].iter_rows(values_only=True)
    next(notes)
    write(
        "or.footnote",
        ["footnote_code\tfootnote_text"]
        + [f"{str(c).strip().upper()}\t{str(t).strip()}" for c, t in notes if c is not None],
    )


def _bea(data: Path, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for src in (
        data / "bea_rpp/SARPP_STATE_2008_2024.csv",
        data / "bea_rpp/rppzip_2024-12-12/SARPP_STATE_2008_2023.csv",
    ):
        (folder / src.name).write_bytes(src.read_bytes())
    marpp = (data / "bea_rpp/rppzip_2024-12-12/MARPP_MSA_2008_2023.csv").read_bytes()
    lines = marpp.split(b"\r\n")
    kept = [ln for ln in lines if not ln.startswith(b' "') or b',"RPPs: All items ",' in ln]
    (folder / "MARPP_MSA_2008_2023.csv").write_bytes(b"\r\n".join(kept))


def main(data: Path) -> None:
    _slice_workbook(
        data / "ors/ors-complete-dataset-2020-preliminary.xlsx",
        HERE / "ors-2020-slice.xlsx",
        SOC_2020,
    )
    _slice_workbook(data / "ors/ors-2018-excel-output.xlsx", HERE / "ors-2018-slice.xlsx", SOC_2018)
    _flat_files(data / "ors/ors-complete-dataset-2020-preliminary.xlsx", HERE / "or")
    _bea(data, HERE.parent / "bea_rpp")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))

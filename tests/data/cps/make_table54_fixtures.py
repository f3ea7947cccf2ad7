"""Write CPS table 54 in BLS's workbook and web-page layouts, from the transcribed 2023 figures.

No copy of BLS's own ``cpsaat54.xlsx`` or ``cpsaat54.htm`` could be had (see
``../shared/data/MANIFEST.md``). These two files put the *real* 2023 figures of
``cpsaat54_2023_transcribed.csv`` (a transcription of a public copy, see README.md) into the
layouts BLS serves, so that the xlsx and htm readers are tested on BLS's numbers:

- ``cpsaat54_2023_rebuilt.xlsx``: the cpsaat workbook layout of the real cpsaat39/cpsaat11
  files here (title cell with line breaks, "[Numbers in thousands]", header rows joined by
  merged cells, labels indented by hierarchy, "–" en dash for a suppressed cell, NOTE row);
- ``cpsaat54_2023_rebuilt.htm``: an HTML table with ``<caption>``, a three-row ``<thead>``
  joined by ``rowspan``/``colspan``, ``<tbody>`` rows with ``<th>`` labels, ``<tfoot>`` notes.

Every cell value is copied from the CSV unchanged; only the layout is ours. Both files say
in their NOTE that they are rebuilt by this script and are not BLS's files. BLS's footnote
texts are not in the transcription, so the footnote rows say that instead of a text.

Run from the repository root: ``python tests/data/cps/make_table54_fixtures.py``.
"""

from __future__ import annotations

import csv
import html
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "cpsaat54_2023_transcribed.csv"
TITLE = (
    "54. Median weekly earnings of full-time wage and salary workers by certification and "
    "licensing status and selected characteristics"
)
LABEL = (
    "NOTE: REBUILT FILE, not BLS's: the 2023 figures of cpsaat54_2023_transcribed.csv (a "
    "transcription of a public copy of https://www.bls.gov/cps/aa2023/cpsaat54.htm) put "
    "into BLS's layout by tests/data/cps/make_table54_fixtures.py."
)
FOOTNOTES = [
    f"({n}) [text of BLS's footnote {n} not in the transcribed copy]" for n in (1, 2, 3, 4)
]


def _rows() -> list[list[str]]:
    with SOURCE.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))[3:]  # after BLS's three header lines


def _indent(label: str, in_block: bool) -> int:
    if not in_block:
        return 0
    if label.endswith("years and over") and "," in label:
        return 1
    return 2


def write_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "cpsaat54"
    sheet["A1"] = "HOUSEHOLD DATA\n ANNUAL AVERAGES\n " + TITLE
    sheet["A1"].alignment = Alignment(wrap_text=True)
    sheet["A2"] = "[Numbers in thousands]"
    sheet["A3"] = ""
    heads = {
        "A4": "Characteristic",
        "B4": "Full-time wage and salary workers",
        "C4": "Median weekly earnings",
        "C5": "Total",
        "D5": "With a certification or license(1)",
        "G5": "Without a certification or license",
        "D6": "Total",
        "E6": "With a certification, but no license",
        "F6": "With a license(2)",
    }
    for cell, text in heads.items():
        sheet[cell] = text
    for merged in ("A1:G1", "A2:G2", "A3:G3", "A4:A6", "B4:B6", "C4:G4", "C5:C6", "D5:F5"):
        sheet.merge_cells(merged)
    sheet.merge_cells("G5:G6")
    row, in_block = 8, False
    for cells in _rows():
        if not any(cells):
            row += 1
            continue
        label, values = cells[0], cells[1:]
        if not any(values):
            in_block = True
            sheet.cell(row=row, column=1, value=label)
            row += 1
            continue
        sheet.cell(row=row, column=1, value=label).alignment = Alignment(
            indent=_indent(label, in_block)
        )
        for c, text in enumerate(values, start=2):
            clean = text.replace("$", "").replace(",", "")
            cell = sheet.cell(row=row, column=c, value=int(clean) if clean.isdigit() else "–")
            cell.number_format = "#,##0"
        row += 1
    row += 1
    for text in [*FOOTNOTES, LABEL]:
        sheet.cell(row=row, column=1, value=text)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        row += 1
    sheet.column_dimensions["A"].width = 70
    book.save(path)


def write_htm(path: Path) -> None:
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Table {html.escape(TITLE)}</title></head><body>",
        '<table class="regular" id="cps_eeann_cert_char">',
        f'<caption><span class="tableTitle">Table {html.escape(TITLE)}</span><br>'
        "[Numbers in thousands]</caption>",
        "<thead>",
        '<tr><th rowspan="3">Characteristic</th>'
        '<th rowspan="3">Full-time wage and salary workers</th>'
        '<th colspan="5">Median weekly earnings</th></tr>',
        '<tr><th rowspan="2">Total</th>'
        '<th colspan="3">With a certification or license<span class="footnote">(1)</span></th>'
        '<th rowspan="2">Without a certification or license</th></tr>',
        "<tr><th>Total</th><th>With a certification, but no license</th>"
        '<th>With a license<span class="footnote">(2)</span></th></tr>',
        "</thead>",
        '<tfoot><tr><td colspan="7">',
        *(f'<p class="footnote">{html.escape(t)}</p>' for t in FOOTNOTES),
        f'<p class="note">{html.escape(LABEL)}</p>',
        "</td></tr></tfoot>",
        "<tbody>",
    ]
    in_block = False
    for cells in _rows():
        if not any(cells):
            continue
        label, values = cells[0], cells[1:]
        if not any(values):
            in_block = True
            out.append(f'<tr><th><p class="sub0">{html.escape(label)}</p></th>')
            out.append('<td colspan="6"></td></tr>')
            continue
        level = _indent(label, in_block)
        mark = ""
        if label.endswith(")"):
            label, mark = label[: label.rindex("(")], label[label.rindex("(") :]
            mark = f'<span class="footnote">{mark}</span>'
        tds = "".join(
            f'<td><span class="datavalue">{html.escape(v if v != "-" else "–")}</span></td>'
            for v in values
        )
        out.append(f'<tr><th><p class="sub{level}">{html.escape(label)}{mark}</p></th>{tds}</tr>')
    out += ["</tbody>", "</table>", "</body></html>", ""]
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> None:
    write_xlsx(HERE / "cpsaat54_2023_rebuilt.xlsx")
    write_htm(HERE / "cpsaat54_2023_rebuilt.htm")
    for name in ("cpsaat54_2023_rebuilt.xlsx", "cpsaat54_2023_rebuilt.htm"):
        print(f"{name}: {(HERE / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

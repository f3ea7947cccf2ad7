"""Parse CPS table 54 (``cpsaat54``): bytes in, one tidy row per worker characteristic.

BLS's annual-average table 54, "Median weekly earnings of full-time wage and salary workers
by certification and licensing status and selected characteristics", is served as a workbook
(``www.bls.gov/cps/aa<YEAR>/cpsaat54.xlsx``, the cpsaat layout of
:mod:`marketdata.sources.cps_annual`) and as a web page (``cpsaat54.htm``); copies circulate as CSV
(BLS's three header lines flattened, or one header line naming each column). All three give
the same frame: :data:`COLUMNS`, one row per characteristic (e.g. *Educational attainment /
Some college, no degree*), weekly medians in dollars, workers in thousands. A dash (``-``,
``–``, ``—``) stays missing and ``note`` says so; BLS's footnote markers (``(3)``) move from
the label to ``footnotes``.

``parent`` is the nearest row above in the same block that names a population (a label
such as "Men, 16 years and over" or "Total, 25 years and over"); the Men/Women rows under
"White, 16 years and over" are told apart by it. It is derived the same way from every
format, so the three agree.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.sources import KnownFile
from marketdata.sources.cps_annual import load_sheet, merged_fill

TABLE = "54"
TITLE = (
    "Median weekly earnings of full-time wage and salary workers by certification and "
    "licensing status and selected characteristics"
)
#: Status keys of the five medians, in BLS's column order.
STATUSES: tuple[str, ...] = ("total", "with_either", "cert_no_license", "license", "without")
MEDIANS: tuple[str, ...] = tuple(f"median_weekly_{s}" for s in STATUSES)
#: Columns of the tidy frame.
COLUMNS: tuple[str, ...] = ("group", "parent", "label", "workers", *MEDIANS, "footnotes", "note")
FORMATS = ("xlsx", "htm", "csv")

_DASHES = {"-", "–", "—", "‐"}
_MARK = re.compile(r"\s*\((\d+)\)\s*$")
_FOOTNOTE_ROW = re.compile(r"^\s*\(?(\d+)\)\s*(.+)$")
_NOTE_ROW = re.compile(r"^(NOTE|NOTES|SOURCE|Footnotes?)\b", re.I)
_TITLE = re.compile(r"(?:^|\n|\s)(?:Table\s+)?54\.\s+(.+)$", re.S)
_NUMBER = re.compile(r"^\$?-?\d[\d,]*(\.\d+)?$")
_YEAR = re.compile(r"^(19|20)\d\d$")
_HEAD_ROW = re.compile(r", \d+ years and over$")
#: BLS's three header lines of table 54, as a CSV copy flattens them (markers removed).
_CSV_HEADER = (
    ("characteristic", "full-time wage and salary workers", "median weekly earnings"),
    ("total", "with a certification or license", "without a certification or license"),
    ("total", "with a certification, but no license", "with a license"),
)
_NAME = re.compile(
    r"^cpsaat54(?:[_-](?P<year>\d{4}))?(?:[_-][a-z0-9]+)*\.(?P<ext>xlsx|htm|html|csv)$"
)


def _clean(text: object) -> str:
    return " ".join(str(text).split()) if text is not None else ""


def _status(measure: str) -> str | None:
    """Which column a flattened header (parts joined by `` | ``) is: a status or workers."""
    parts = [_MARK.sub("", p).strip().lower() for p in measure.split(" | ") if p.strip()]
    text = " | ".join(parts)
    if not parts:
        return None
    if "workers" in text and "median" not in text and "earnings" not in text:
        return "workers"
    for words, status in (
        ("without a certification", "without"),
        ("but no license", "cert_no_license"),
        ("with a license", "license"),
        ("with a certification or license", "with_either"),
    ):
        if words in text:
            return status
    return "total" if parts[-1] == "total" else None


def _label(row: Sequence[str]) -> str:
    """A row's label, empty for the header's "Characteristic" (repeated by merged cells)."""
    return row[0] if row and row[0].lower() != "characteristic" else ""


def _columns(header_rows: Sequence[Sequence[str]], width: int, source: str) -> dict[int, str]:
    """Value column index (0 = first after the label) -> ``workers`` or a median column."""
    rows = [[_clean(c) for c in row] for row in header_rows]
    flat = [tuple(_MARK.sub("", c).lower().split(" (")[0] for c in row) for row in rows]
    if tuple(flat) == _CSV_HEADER:  # a CSV copy of BLS's three header lines
        return {0: "workers", **{i + 1: m for i, m in enumerate(MEDIANS)}}
    found: dict[int, str] = {}
    for c in range(width):
        parts: list[str] = []
        for row in rows:
            part = row[c + 1] if c + 1 < len(row) else ""
            if part and not _YEAR.match(part) and (not parts or parts[-1] != part):
                parts.append(part)
        status = _status(" | ".join(parts))
        if status is not None:
            found[c] = "workers" if status == "workers" else f"median_weekly_{status}"
    missing = [m for m in ("workers", *MEDIANS) if m not in found.values()]
    if missing or len(set(found.values())) != len(found):
        heads = " / ".join(" | ".join(r[1:]) for r in rows) or "(none)"
        raise SourceFormatError(
            f"the header ({heads}) does not name table 54's columns (workers, and median "
            "weekly earnings: total, with a certification or license, with a certification "
            "but no license, with a license, without); is this BLS's cpsaat54?",
            source=source,
        )
    return found


def _header_footnotes(header_rows: Sequence[Sequence[str]], columns: dict[int, str]) -> dict:
    """Column -> BLS footnote marker on its header (e.g. ``median_weekly_license: "2"``)."""
    if list(columns) == list(range(6)) and all(len(r) <= 3 for r in header_rows):  # CSV copy
        either = ("median_weekly_with_either", "median_weekly_cert_no_license")
        names = {  # (line, cell) -> the columns that header covers
            (0, 1): ("workers",),
            (1, 1): (*either, "median_weekly_license"),
            (1, 2): ("median_weekly_without",),
            (2, 1): ("median_weekly_cert_no_license",),
            (2, 2): ("median_weekly_license",),
        }
        marks: dict[str, set[str]] = {}
        for (r, c), covered in names.items():
            if m := _MARK.search(_clean(header_rows[r][c]) if c < len(header_rows[r]) else ""):
                for name in covered:
                    marks.setdefault(name, set()).add(m[1])
        return {
            name: ",".join(sorted(marks[name])) for name in (*MEDIANS, "workers") if name in marks
        }
    out = {}
    for c, name in columns.items():
        cells = [_clean(row[c + 1]) for row in header_rows if c + 1 < len(row)]
        marks = sorted({m[1] for cell in cells if (m := _MARK.search(cell))})
        if marks:
            out[name] = ",".join(marks)
    return out


def _tidy(
    title: str,
    lines: Sequence[tuple[int, Sequence[object]]],
    *,
    source: str,
    header_rows: Sequence[Sequence[str]] | None = None,
) -> pd.DataFrame:
    """The tidy frame of a table given as (line number, [label, cell, ...]) rows."""
    rows = [(n, [_clean(c) for c in cells]) for n, cells in lines]
    first = next(
        (i for i, (_, r) in enumerate(rows) if _label(r) and any(_NUMBER.match(c) for c in r[1:])),
        None,
    )
    if first is None:
        raise SourceFormatError(
            "no data rows (a label followed by numbers); is this BLS's table 54?", source=source
        )
    skip = {i for i, (_, r) in enumerate(rows[:first]) if r and r[0].startswith("[")}
    if header_rows is None:
        heads = {i for i, (_, r) in enumerate(rows[:first]) if any(r[1:]) and i not in skip}
        header_rows = [rows[i][1] for i in sorted(heads)]
        skip |= heads
    width = max(len(r) for _, r in rows[first:]) - 1
    columns = _columns(header_rows, width, source)
    notes: list[str] = []
    footnotes: dict[str, str] = {}
    dash_reason = "no figure published"
    records, group, parent = [], "", ""
    for i, (n, r) in enumerate(rows):
        if i in skip:
            continue
        label = r[0] if r else ""
        values = r[1:]
        if not label and not any(values):
            continue
        if notes or _NOTE_ROW.match(label) or _FOOTNOTE_ROW.match(label):
            notes.append(label)
            if m := _FOOTNOTE_ROW.match(label):
                footnotes[m[1]] = m[2].strip()
            if m := re.search(r"Dash(?:es)? (?:indicates?|represents?) ([^.]*)\.", label):
                dash_reason = m[1].strip()
            continue
        if not any(values):
            group, parent = label, ""
            continue
        marks = _MARK.search(label)
        name = _MARK.sub("", label)
        record = {"group": group, "parent": "" if _HEAD_ROW.search(name) else parent}
        record.update(label=name, footnotes=marks[1] if marks else "", line=n)
        gaps = []
        for c, column in columns.items():
            text = values[c] if c < len(values) else ""
            if text in _DASHES:
                record[column] = float("nan")
                gaps.append(f"{column}: BLS shows a dash {text!r} ({{dash}})")
            elif not text:
                record[column] = float("nan")
                gaps.append(f"{column}: empty cell")
            elif _NUMBER.match(text):
                record[column] = float(text.replace(",", "").lstrip("$"))
            else:
                raise SourceFormatError(
                    f"row {name!r}, column {column}: {text!r} is not a number or a dash",
                    source=source,
                    line=n,
                )
        record["note"] = "; ".join(gaps)
        if _HEAD_ROW.search(name):
            parent = name
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    frame["note"] = frame["note"].str.replace("{dash}", dash_reason, regex=False)
    frame = frame[list(COLUMNS)].astype(dict.fromkeys(("workers", *MEDIANS), "float64"))
    years = {c for r in header_rows for c in r if _YEAR.match(c)}
    title_year = re.search(r"\b((?:19|20)\d\d) annual averages", title)
    year = int(years.pop()) if len(years) == 1 else int(title_year[1]) if title_year else None
    frame.attrs.update(
        table=TABLE,
        title=title,
        year=year,
        units="workers in thousands; median weekly earnings in dollars",
        footnotes=footnotes,
        column_footnotes=_header_footnotes(header_rows, columns),
        notes=notes,
        source=source,
    )
    return frame


def _title(text: str) -> str:
    m = _TITLE.search(text or "")
    return _clean(m[1]) if m else ""


def parse_xlsx(data: bytes | Path, *, source: str) -> pd.DataFrame:
    """Table 54 from BLS's workbook ``cpsaat54.xlsx`` (title cell, merged header rows)."""
    sheet = load_sheet(data, source)
    grid = merged_fill(sheet, sheet.max_row, sheet.max_column)
    title = str(sheet.cell(row=1, column=1).value or "")
    lines = [(r + 1, row) for r, row in enumerate(grid) if r > 0]
    return _tidy(_title(title), lines, source=source)


class _Tables(HTMLParser):
    """Rows of every ``<table>`` (cells with row/colspan filled), captions and text after."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._part = "body"
        self._caption: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append({"caption": "", "rows": [], "parts": [], "pending": {}})
        elif not self.tables:
            return
        elif tag == "caption":
            self._caption = []
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = tag[1:]
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
            self.tables[-1]["parts"].append(self._part)
        elif tag in ("td", "th"):
            self._cell = []
            self._span = (int(a.get("rowspan") or 1), int(a.get("colspan") or 1))
        elif tag in ("br", "p", "div") and self._cell is not None:
            self._cell.append("\n")  # paragraph break: footnotes in one cell split on it
        elif tag == "br" and self._caption is not None:
            self._caption.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self.tables:
            return
        table = self.tables[-1]
        if tag == "caption" and self._caption is not None:
            table["caption"] = "".join(self._caption)
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and table["rows"]:
            row, pending = table["rows"][-1], table["pending"]
            r = len(table["rows"]) - 1
            while (r, len(row)) in pending:
                row.append(pending.pop((r, len(row))))
            text = "".join(self._cell).strip()
            rowspan, colspan = self._span
            for _ in range(colspan):
                col = len(row)
                row.append(text)
                for dr in range(1, rowspan):
                    pending[(r + dr, col)] = text
            self._cell = None
        elif tag == "tr" and table["rows"]:
            row, r = table["rows"][-1], len(table["rows"]) - 1
            while (r, len(row)) in table["pending"]:
                row.append(table["pending"].pop((r, len(row))))

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def parse_htm(data: bytes | Path, *, source: str) -> pd.DataFrame:
    """Table 54 from BLS's web page ``cpsaat54.htm`` (``<thead>`` headers, ``<tfoot>`` notes)."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    parser = _Tables()
    try:
        parser.feed(raw.decode("utf-8", "replace"))
    except (AssertionError, ValueError) as err:  # malformed markup, bad spans
        raise SourceFormatError(f"not a readable HTML table ({err})", source=source) from None
    tables = [
        t for t in parser.tables if any("certification" in " ".join(r).lower() for r in t["rows"])
    ]
    if not tables:
        raise SourceFormatError(
            "no HTML table about certification status; is this BLS's cpsaat54.htm?",
            source=source,
        )
    table = tables[0]
    rows = list(enumerate(zip(table["rows"], table["parts"], strict=True), start=1))
    heads = [r for _, (r, part) in rows if part == "head"]
    body = [(n, r) for n, (r, part) in rows if part not in ("head", "foot")]
    notes = [
        (n, [line])
        for n, (r, part) in rows
        if part == "foot"
        for cell in dict.fromkeys(r)  # a colspan repeats the cell
        for line in cell.split("\n")
        if line.strip()
    ]
    caption = table["caption"].split("\n")[0]
    return _tidy(_title(caption), body + notes, source=source, header_rows=heads or None)


def parse_csv(data: bytes | Path, *, source: str) -> pd.DataFrame:
    """Table 54 from a CSV copy (BLS's three header lines, or one line naming each column)."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")
    try:
        lines = list(enumerate(csv.reader(io.StringIO(text)), start=1))
    except csv.Error as err:
        raise SourceFormatError(f"not a readable CSV file ({err})", source=source) from None
    return _tidy("", lines, source=source)


def parse(data: bytes | Path, *, source: str, fmt: str | None = None) -> pd.DataFrame:
    """Table 54 in any layout BLS serves (``fmt``: ``xlsx``, ``htm`` or ``csv``; by default
    told from the bytes: a zip is a workbook, ``<`` starts a web page, else CSV)."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    if fmt is None:
        head = raw[:512].lstrip().lower()
        fmt = "xlsx" if raw[:4] == b"PK\x03\x04" else "htm" if head.startswith(b"<") else "csv"
    readers = {"xlsx": parse_xlsx, "htm": parse_htm, "html": parse_htm, "csv": parse_csv}
    if fmt not in readers:
        raise SourceFormatError(f"unknown table 54 format {fmt!r}; use one of {FORMATS}")
    return readers[fmt](raw, source=source)


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """CPS table 54 saved by hand: ``cpsaat54.xlsx``, ``cpsaat54.htm`` or a CSV copy, named
    with its year (``cpsaat54_2023.xlsx``) unless the table's title says it."""
    settings = get_settings(settings)
    name = Path(path).name.lower()
    if (m := _NAME.match(name)) is None:
        return None
    ext = "htm" if m["ext"] == "html" else m["ext"]
    frame = parse(Path(path), source=name, fmt=ext)
    year = m["year"] or frame.attrs["year"]
    if year is None:
        raise SourceFormatError(
            "the table does not say which year it is; rename it cpsaat54_YYYY."
            f"{ext} (e.g. cpsaat54_2023.{ext}) and add it again",
            source=str(path),
        )

    def check(p: Path) -> None:
        parse(p, source=name, fmt=ext)

    url_ext = "htm" if ext == "csv" else ext
    return KnownFile(
        key=f"cps/aa{year}/cpsaat54.{ext}",
        url=f"{settings.bls_www_url}/cps/aa{year}/cpsaat54.{url_ext}",
        description=f"BLS CPS {year} annual-average table 54 ({ext})",
        check=check,
    )

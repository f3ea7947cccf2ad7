"""Parse BLS's CPS annual-average tables ``cpsaat<NN>.xlsx``: bytes in, frames out.

BLS's tables (``www.bls.gov/cps/aa<YEAR>/``) share one layout: a title cell
(``HOUSEHOLD DATA / ANNUAL AVERAGES / 53. Certification ...``), a units line
(``[Numbers in thousands]``), two or three header rows joined by merged cells, row labels
whose hierarchy is the cell indent, ``–`` (en dash) for suppressed cells and ``NOTE`` /
footnote rows at the end. :func:`parse_cpsaat` reads any table in that layout into a long
frame; :func:`parse_certification_table` picks the certification-by-occupation columns out
of it. The LE/LN time-series files are read by :mod:`marketdata.sources.cps_timeseries`,
table 54 (earnings by certification status and worker characteristics) by
:mod:`marketdata.sources.cps_table54`.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.sources import KnownFile
from marketdata.sources.cps_timeseries import parse_timeseries_file
from marketdata.sources.workbook_limits import check_workbook

logger = logging.getLogger(__name__)

#: Columns of the certification frame (one row per occupation group).
CERT_TABLE_COLUMNS: tuple[str, ...] = (
    "group",
    "level",
    "path",
    "year",
    "employed",
    "share_with_either",
    "share_cert_no_license",
    "share_license",
    "share_without",
    "median_weekly_total",
    "median_weekly_with_either",
    "median_weekly_cert_no_license",
    "median_weekly_license",
    "median_weekly_without",
    "note",
)

_DASHES = {"–", "—", "-", "‐"}
_DASH_REASON = "no data or data that do not meet publication criteria"
_FOOTNOTE_MARK = re.compile(r"\s*(\(\d+\)|\[\d+\])\s*$")
_TITLE = re.compile(r"(?:^|\n)\s*(\d+[A-Z]?)\.\s+(.+)$", re.S)
_YEAR = re.compile(r"^(19|20)\d\d$")
_NOTE_ROW = re.compile(r"^(NOTE|NOTES|Footnotes?|SOURCE)\b|^\(\d+\)|^\[\d+\]", re.I)


def _clean(text: object) -> str:
    """Collapse whitespace and newlines of a cell's text."""
    return " ".join(str(text).split()) if text is not None else ""


# --------------------------------------------------------------------------- cpsaat tables


def load_sheet(data: bytes | Path, source: str):
    """The first worksheet of a cpsaat workbook (SourceFormatError if not a workbook)."""
    import openpyxl

    check_workbook(data, source)
    try:
        handle = data if isinstance(data, Path) else io.BytesIO(data)
        workbook = openpyxl.load_workbook(handle, data_only=True)
    except Exception as err:  # openpyxl raises many types for non-xlsx bytes
        raise SourceFormatError(
            f"not an Excel workbook ({type(err).__name__}); expected a BLS cpsaat*.xlsx table",
            source=source,
        ) from None
    return workbook.worksheets[0]


def merged_fill(sheet, rows: int, cols: int) -> list[list[object]]:
    """Cell values of the first ``rows`` rows with merged ranges filled from their top-left."""
    grid = [[sheet.cell(row=r + 1, column=c + 1).value for c in range(cols)] for r in range(rows)]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= rows:
            continue
        value = grid[top][left]
        for r in range(top, min(merged.max_row, rows)):
            for c in range(left, min(merged.max_col, cols)):
                grid[r][c] = value
    return grid


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    text = _clean(value).replace(",", "").lstrip("$")
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


def _number(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    return float(_clean(value).replace(",", "").lstrip("$"))


def parse_cpsaat(data: bytes | Path, *, source: str, year: int | None = None) -> pd.DataFrame:
    """Read one BLS CPS annual-average table (``cpsaatNN.xlsx``) into a long frame.

    Parameters
    ----------
    data
        The workbook's bytes (or a path to it).
    source
        Name used in error messages and ``attrs`` (usually the URL).
    year
        Year of the annual averages when neither a header row nor the title says it
        (BLS puts it only in the URL, ``aa<YEAR>``, for some tables).

    Returns
    -------
    DataFrame
        One row per (table row, value column): ``line`` (sheet row), ``label`` (row label,
        whitespace collapsed, footnote markers removed), ``level`` (cell indent = hierarchy),
        ``path`` (ancestor labels joined with `` > ``), ``section`` (last heading row without
        values, if any), ``measure`` (the column's header rows joined with `` | ``),
        ``year`` (a year header level, else the title's year, else ``<NA>``), ``value``
        (float; NaN where BLS shows a dash) and ``note`` (BLS's reason for a missing value).
        ``attrs`` hold ``table`` (number), ``title``, ``units``, ``notes`` and ``source``.

    Raises
    ------
    SourceFormatError
        If the bytes are not a workbook in BLS's cpsaat layout; names the sheet row.
    """
    sheet = load_sheet(data, source)
    n_rows, n_cols = sheet.max_row, sheet.max_column
    first_data = None
    for r in range(1, n_rows + 1):
        label = _clean(sheet.cell(row=r, column=1).value)
        values = [sheet.cell(row=r, column=c).value for c in range(2, n_cols + 1)]
        if label and any(_is_number(v) and not _YEAR.match(_clean(v)) for v in values):
            first_data = r
            break
    if first_data is None or first_data < 2:
        raise SourceFormatError(
            "no data rows found (a label in column A followed by numbers); "
            "is this a BLS cpsaat table?",
            source=source,
        )
    title_text = str(sheet.cell(row=1, column=1).value or "")
    match = _TITLE.search(title_text)
    if not match:
        raise SourceFormatError(
            f"first cell {title_text[:60]!r} has no table number and title "
            "(expected e.g. 'HOUSEHOLD DATA ANNUAL AVERAGES 53. ...')",
            source=source,
            line=1,
        )
    table_no, title = match.group(1), _clean(match.group(2))
    title_year = re.search(r"\b((?:19|20)\d\d) annual averages", title)

    grid = merged_fill(sheet, first_data - 1, n_cols)
    header_rows, units = [], ""
    for r in range(1, first_data - 1):
        row = grid[r]
        first = _clean(row[0])
        rest = [_clean(v) for v in row[1:]]
        if first.startswith("["):
            units = first.strip("[]")
        elif any(rest):
            header_rows.append(rest)
    if not header_rows:
        raise SourceFormatError("no header rows above the first data row", source=source)

    measures, years = [], []
    for c in range(n_cols - 1):
        parts, column_year = [], None
        for row in header_rows:
            part = _FOOTNOTE_MARK.sub("", row[c])
            if _YEAR.match(part):
                column_year = int(part)
            elif part and (not parts or parts[-1] != part):
                parts.append(part)
        measures.append(" | ".join(parts))
        years.append(column_year)

    records, notes, dash_reason = [], [], _DASH_REASON
    section, stack = "", []
    for r in range(first_data, n_rows + 1):
        cell = sheet.cell(row=r, column=1)
        label = _FOOTNOTE_MARK.sub("", _clean(cell.value))
        values = [sheet.cell(row=r, column=c).value for c in range(2, n_cols + 1)]
        filled = [(i, v) for i, v in enumerate(values) if _clean(v)]
        if not label and not filled:
            continue
        if _NOTE_ROW.match(label):
            notes.append(label)
            dash = re.search(r"Dash(?:es)? (?:indicates?|represents?) ([^.]*)\.", label)
            if dash:
                dash_reason = dash.group(1).strip()
            continue
        if notes:
            notes.append(label)  # footnote text continuing after the NOTE block
            continue
        level = int(cell.alignment.indent or 0)
        stack = [(lv, name) for lv, name in stack if lv < level]
        path = " > ".join(name for _, name in stack)
        stack.append((level, label))
        if not filled:
            section = label
            continue
        for i, raw in enumerate(values):
            if not measures[i]:
                continue
            text = _clean(raw)
            if text in _DASHES or not text:
                value, note = float("nan"), _DASH_REASON if text else "empty cell"
            elif _is_number(raw):
                value, note = _number(raw), ""
            else:
                raise SourceFormatError(
                    f"row {r}, column {measures[i]!r} holds {text!r}, not a number or a dash",
                    source=source,
                    line=r,
                )
            records.append((r, label, level, path, section, measures[i], years[i], value, note))
    frame = pd.DataFrame.from_records(
        records,
        columns=["line", "label", "level", "path", "section", "measure", "year", "value", "note"],
    )
    default_year = int(title_year.group(1)) if title_year else year
    frame["year"] = pd.array(
        [default_year if y is None or pd.isna(y) else y for y in frame["year"]], dtype="Int64"
    )
    frame["value"] = frame["value"].astype("float64")
    frame["note"] = frame["note"].replace(_DASH_REASON, f"BLS shows a dash: {dash_reason}")
    frame.attrs.update(
        table=table_no,
        title=title,
        units=units,
        notes=[n for n in notes if n],
        source=source,
    )
    logger.debug("parsed %s: table %s, %d values", source, table_no, len(frame))
    return frame


def _status_of(measure: str) -> str | None:
    """Which certification status a flattened column header is about."""
    text = measure.lower()
    if "without a certification" in text:
        return "without"
    if "but no license" in text:
        return "cert_no_license"
    if "with a license" in text:
        return "license"
    if "with a certification or license" in text:
        return "with_either"
    if text.split(" | ")[-1].strip() in {"total", "total employed"}:
        return "total"
    return None


def parse_certification_table(data: bytes | Path, *, source: str) -> pd.DataFrame:
    """Read a CPS certification and licensing table (e.g. ``cpsaat53.xlsx``).

    Columns are found by their headers, not their position: percent-distribution columns
    (``Percent ... | With a certification, but no license``) become ``share_<status>``,
    median-weekly-earnings columns become ``median_weekly_<status>``, the count of
    employed or of full-time wage and salary workers becomes ``employed`` (thousands).
    A table may carry shares, earnings or both; missing blocks are all-NaN.

    Returns
    -------
    DataFrame
        One row per table row, columns :data:`CERT_TABLE_COLUMNS`; ``note`` lists the
        columns BLS suppressed on that row and why. ``attrs`` as :func:`parse_cpsaat`.

    Raises
    ------
    SourceFormatError
        If no column is about certification status (not a certification table).
    """
    long = parse_cpsaat(data, source=source)
    targets: dict[str, str] = {}
    for measure in long["measure"].unique():
        lower = measure.lower()
        status = _status_of(measure)
        if "median" in lower and "earnings" in lower and status:
            targets[measure] = f"median_weekly_{status}"
        elif "percent" in lower and status and status != "total":
            targets[measure] = f"share_{status}"
        elif (
            status in {"total", None}
            and "percent" not in lower
            and "median" not in lower
            and any(word in lower for word in ("employed", "workers", "number"))
        ):
            targets.setdefault(measure, "employed")
    by_status = [t for t in targets.values() if t.startswith(("share_", "median_weekly_"))]
    if not [t for t in by_status if t != "median_weekly_total"]:
        raise SourceFormatError(
            "no column about certification or licensing status "
            f"(headers: {', '.join(long['measure'].unique()[:6])}); "
            "expected a table such as cpsaat53 'Certification and licensing status ...'",
            source=source,
        )
    picked = long[long["measure"].isin(targets)].assign(column=lambda d: d["measure"].map(targets))
    picked = picked.drop_duplicates(["line", "column"])
    wide = picked.pivot(index="line", columns="column", values="value")
    rows = picked.drop_duplicates("line").set_index("line")
    notes: dict[int, list[str]] = {}
    gaps = picked[picked["value"].isna()]
    for line, column, note in zip(gaps["line"], gaps["column"], gaps["note"], strict=True):
        notes.setdefault(line, []).append(f"{column}: {note}")
    out = pd.DataFrame(
        {
            "group": rows["label"],
            "level": rows["level"],
            "path": rows["path"],
            "year": rows["year"],
        }
    )
    for column in CERT_TABLE_COLUMNS[4:-1]:
        out[column] = wide[column] if column in wide else float("nan")
    out["note"] = ["; ".join(notes.get(line, [])) for line in out.index]
    out = out.reset_index(drop=True)[list(CERT_TABLE_COLUMNS)]
    out.attrs.update(long.attrs)
    return out


_CPSAAT_NAME = re.compile(r"^cpsaat(?P<table>\d+[a-z]?)(?:[_-](?P<year>\d{4}))?\.xlsx$")
_TIMESERIES_NAME = re.compile(r"^(?P<db>le|ln)\.[a-z0-9.]+$")


def _parses(parse, name: str):
    def check(path: Path) -> None:
        parse(path, source=name)

    return check


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """CPS files saved by hand: annual tables ``cpsaatNN.xlsx`` and LE/LN flat files."""
    settings = get_settings(settings)
    name = Path(path).name.lower()
    if m := _TIMESERIES_NAME.match(name):
        return KnownFile(
            key=f"{m['db']}/{name}",
            url=f"{settings.bls_download_url}/pub/time.series/{m['db']}/{name}",
            description=f"BLS CPS time-series file {name}",
            check=_parses(parse_timeseries_file, name),
        )
    if (m := _CPSAAT_NAME.match(name)) is None or m["table"] == "54":
        return None  # table 54 is read by marketdata.sources.cps_table54
    year = m["year"]
    if year is None:
        years = parse_cpsaat(Path(path), source=name)["year"].dropna().unique()
        if len(years) != 1:
            raise SourceFormatError(
                "the table does not say which year it is; rename it cpsaatNN_YYYY.xlsx "
                "(e.g. cpsaat53_2025.xlsx) and add it again",
                source=str(path),
            )
        year = int(years[0])
    table = f"cpsaat{m['table']}.xlsx"
    return KnownFile(
        key=f"cps/aa{year}/{table}",
        url=f"{settings.bls_www_url}/cps/aa{year}/{table}",
        description=f"BLS CPS {year} annual-average table {m['table']}",
        check=_parses(parse_cpsaat, name),
    )

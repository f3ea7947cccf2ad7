"""The EP ``occupation.xlsx`` workbook: its tables found by title, parsed into tidy frames.

The workbook (``www.bls.gov/emp/ind-occ-matrix/occupation.xlsx``; past rounds inside the zips
of the projections archive, :mod:`marketdata.sources.ep.archive`) has one sheet per table, a
title row above the header, footnote rows below the data, numbers in thousands, "—" where a
value is not available, titles indented with leading spaces (2024-34) and footnote markers
"(1)" or "[1]".
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from python_calamine import CalamineWorkbook

from marketdata.core.errors import InputValueError, SourceFormatError
from marketdata.sources import is_reader_error, sheet_rows
from marketdata.sources.ep.ep_tables import (
    ROUND_IN_TEXT,
    TABLE_FALLBACK,
    TABLE_TITLES,
    map_headers,
    normalize_round,
    round_name,
    round_years,
    sniff,
)
from marketdata.sources.workbook_limits import check_workbook as check_limits

if TYPE_CHECKING:  # pandas loads to parse a table, not to find the tables or the round
    import pandas as pd

_CODE = re.compile(r"^\d{2}-\d{4}$")


_FOOTNOTE = re.compile(r"^\s*(\(\d+\)|\[\d+\])\s*(.+)$", re.S)


def _open(source: Path | bytes, name: str | None = None) -> CalamineWorkbook:
    check_limits(source, name or (source.name if isinstance(source, Path) else "workbook"))
    try:
        if isinstance(source, bytes):
            return CalamineWorkbook.from_filelike(io.BytesIO(source))
        return CalamineWorkbook.from_path(str(source))
    except BaseException as err:  # calamine's own errors, or a Rust panic
        if not is_reader_error(err):
            raise
        raise SourceFormatError(
            f"not a readable Excel workbook ({err})", source=_name(source, name)
        ) from None


def _name(source: Path | bytes, name: str | None = None) -> str:
    return name or (str(source) if not isinstance(source, bytes) else "occupation.xlsx")


def _titles(book: CalamineWorkbook, label: str) -> dict[str, str]:
    titles = {}
    for sheet in book.sheet_names:
        rows = sheet_rows(book, sheet, label, skip_empty_area=True, nrows=1)
        titles[sheet] = " ".join(str(c).strip() for row in rows for c in row if str(c).strip())
    return titles


def _tables(titles: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for sheet, title in titles.items():
        low = title.lower()
        for kind, pattern in TABLE_TITLES.items():
            if kind not in found and re.search(pattern, low):
                found[kind] = sheet
                break
    return found


def _round(titles: dict[str, str], label: str) -> str:
    for title in titles.values():
        match = ROUND_IN_TEXT.search(title)
        if match:
            if match.group(3):
                return round_name(int(match.group(3)), int(match.group(4)))
            return normalize_round(match.group(0))
    raise SourceFormatError("no projection round (e.g. 2024-34) in any table title", source=label)


def sheet_titles(source: Path | bytes, *, name: str | None = None) -> dict[str, str]:
    """Sheet name -> title (the first row of the sheet, above the header)."""
    return _titles(_open(source, name), _name(source, name))


def find_tables(source: Path | bytes, *, name: str | None = None) -> dict[str, str]:
    """Table kind -> sheet name, found by title (see :data:`TABLE_TITLES`)."""
    return _tables(sheet_titles(source, name=name))


def workbook_round(source: Path | bytes, *, name: str | None = None) -> str:
    """The projection round of an EP workbook (``"2024-34"``), read from its table titles."""
    return _round(sheet_titles(source, name=name), _name(source, name))


def parse_workbook(
    source: Path | bytes, *, kind: str = "projections", name: str | None = None
) -> pd.DataFrame:
    """One table of an EP ``occupation.xlsx`` as a tidy frame.

    Parameters
    ----------
    source
        Path of the workbook, or its bytes.
    kind
        ``"projections"`` (projections and worker characteristics), ``"employment"``,
        ``"separations"`` (separations and openings), ``"attainment"`` (educational
        attainment) or ``"education"`` (education and training assignments).
    name
        Name for messages (default: the path).

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS` ``[kind]``; summary and line-item rows both present, told apart
        by ``occupation_type``. ``attrs["footnotes"]`` and ``attrs["table"]`` carry BLS's
        footnotes and the table title.
    """
    if kind not in TABLE_TITLES:
        raise InputValueError("EP table", kind, list(TABLE_TITLES))
    label = _name(source, name)
    book = _open(source, label)
    titles = _titles(book, label)
    tables = _tables(titles)
    sheet = tables.get(kind) or tables.get(TABLE_FALLBACK.get(kind, ""))
    if sheet is None:
        raise SourceFormatError(
            f"no {kind} table in this workbook (found: {', '.join(tables) or 'none'})", source=label
        )
    base, projected = round_years(_round(titles, label))
    rows = sheet_rows(book, sheet, label, skip_empty_area=True)
    frame = _parse_rows(
        rows, kind=kind, source=f"{label}, sheet {sheet!r}", years=(base, projected)
    )
    if frame["occupation_type"].isna().all() and "projections" in tables:
        # Tables 5.3 and 5.4 have no type column: take it from the projections table.
        rows = sheet_rows(book, tables["projections"], label, skip_empty_area=True)
        types = _parse_rows(rows, kind="projections", source=label, years=(base, projected))
        by_code = dict(zip(types["occupation_code"], types["occupation_type"], strict=True))
        frame["occupation_type"] = frame["occupation_code"].map(by_code).astype("string")
    return frame


def _parse_rows(
    rows: list[list[object]], *, kind: str, source: str, years: tuple[int, int]
) -> pd.DataFrame:
    import pandas as pd

    from marketdata.sources.ep.cells import tidy

    header_at = next(
        (
            i
            for i, row in enumerate(rows[:15])
            if any(v == "occupation_code" for v in map_headers(row).values())
        ),
        None,
    )
    if header_at is None:
        raise SourceFormatError("no header row with an occupation code column", source=source)
    headers = list(rows[header_at])
    mapping = map_headers(headers)
    if "occupation_title" not in mapping.values():
        raise SourceFormatError("no occupation title column", source=source)
    title = " ".join(str(c).strip() for row in rows[:header_at] for c in row if str(c).strip())
    width = len(headers)
    body = [list(r) + [""] * (width - len(r)) for r in rows[header_at + 1 :]]
    raw = pd.DataFrame([r[:width] for r in body], dtype=object)
    code_pos = next(p for p, n in mapping.items() if n == "occupation_code")
    codes = (
        raw.iloc[:, code_pos].astype("string").str.strip()
        if len(raw)
        else pd.Series([], dtype="string")
    )
    is_data = codes.str.fullmatch(_CODE.pattern).fillna(False).astype(bool)
    first_col = raw.iloc[:, 0].astype("string").str.strip() if len(raw) else codes
    footnotes = {}
    notes = []
    for text in first_col[~is_data].dropna():
        match = _FOOTNOTE.match(text)
        if match:
            footnotes[match.group(1)] = match.group(2).strip()
        elif text.lower().startswith("note"):
            notes.append(text)
    if not is_data.any():
        raise SourceFormatError("no occupation rows under the header", source=source)
    frame = tidy(
        raw[is_data], mapping, headers, kind=kind, source=source, footnotes=footnotes, years=years
    )
    if frame["release"].iloc[0] != round_name(*years):
        raise SourceFormatError(
            f"table years {frame['release'].iloc[0]} differ from the workbook's round "
            f"{round_name(*years)}",
            source=source,
        )
    if kind == "attainment":
        years = re.search(
            r"((?:19|20)\d\d\s*[-–]\s*\d{2,4}|(?:19|20)\d\d)\s*$", title.split("(")[0].strip()
        )
        frame["attainment_years"] = pd.Series(
            years.group(1) if years else pd.NA, index=frame.index, dtype="string"
        )
    frame.attrs["table"] = title
    frame.attrs["footnotes"] = [f"{k} {v}" for k, v in footnotes.items()] + notes
    return frame


def check_workbook(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is an Excel workbook (e.g. an HTML error page)."""
    start = sniff(path)
    if not start.startswith(b"PK\x03\x04"):
        what = "an HTML page" if b"<" in start[:100] else "not a zip"
        raise SourceFormatError(
            f"expected an Excel workbook (xlsx), got {what} starting {start[:60]!r}",
            source=str(path),
        )
    try:
        with zipfile.ZipFile(path) as zf:
            if "xl/workbook.xml" not in zf.namelist():
                raise SourceFormatError(
                    "zip file without xl/workbook.xml: not an xlsx", source=str(path)
                )
    except zipfile.BadZipFile:
        raise SourceFormatError("damaged xlsx (bad zip)", source=str(path)) from None


def check_projections_workbook(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is an xlsx whose projections table parses."""
    check_workbook(path)
    parse_workbook(path, kind="projections")

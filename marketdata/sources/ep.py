"""BLS Employment Projections (EP): the ``occupation.xlsx`` workbook and the data-tool CSV export.

Parse only: bytes in, tidy frames out (:mod:`marketdata.projections` downloads and caches).

The workbook (``www.bls.gov/emp/ind-occ-matrix/occupation.xlsx``; past rounds inside the zips
of the projections archive) has one sheet per table, a title row above the header, footnote
rows below the data, numbers in thousands, "—" where a value is not available, titles indented
with leading spaces (2024-34) and footnote markers "(1)" or "[1]". BLS renumbers the tables
between rounds (the projections with worker characteristics are Table 1.7 in 2021-31 and
Table 1.2 in 2024-34), so tables are found by their title (:data:`TABLE_TITLES`) and columns by
their header text (:data:`HEADER_PATTERNS`), never by position.

The CSV export of the Occupational Projections data tool (``data.bls.gov/projections/
occupationProj``) has one row per detailed occupation, SOC codes written as Excel formulas
(``="29-2072"``), thousands separators, "N/A" wages, ``>=208,000`` top-coded wages and sample
job titles glued to the title (``"Actors    * Actor Understudy* Actress"``).

Counts (employment, change, openings, separations) come out in persons, not thousands;
percentages and rates stay as BLS printed them.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from marketdata.config import Settings, get_settings
from marketdata.errors import InputValueError, SourceFormatError, UnknownRelease
from marketdata.sources import KnownFile, is_reader_error

logger = logging.getLogger(__name__)

#: Where BLS publishes the EP occupation tables. ``{www}`` is ``settings.bls_www_url``;
#: ``{round}`` a projection round such as ``2021-31``. The current round is always at
#: ``current`` under the same name; BLS moves past rounds into zips of its projections
#: archive (www.bls.gov/emp/data/projections-archive.htm), each holding that round's
#: ``occupation.xlsx``.
URL_TEMPLATES: dict[str, str] = {
    "current": "{www}/emp/ind-occ-matrix/occupation.xlsx",
    "archive": "{www}/emp/projections-archive/{round}.zip",
}
#: The Occupational Projections data tool whose "Employment Projections.csv" export we read.
DATA_TOOL_URL = "https://data.bls.gov/projections/occupationProj"

#: Table kind -> regular expression matched against the table's title (lower case).
TABLE_TITLES: dict[str, str] = {
    "projections": r"occupational projections.*worker characteristics",
    "employment": r"employment by detailed occupation",
    "separations": r"occupational separations and openings",
    "attainment": r"educational attainment.*by detailed occupation",
    "education": r"education and training (?:assignments|categories) by detailed occupation",
}
#: A round without a table of this kind has the same figures in the other table
#: (2024-34 folds Table 1.2 "employment" and Table 5.4 "education" into the projections).
TABLE_FALLBACK: dict[str, str] = {"employment": "projections", "education": "projections"}

_ID = ("occupation_code", "occupation_title", "occupation_type")
_YEARS = ("base_year", "projected_year")
_WAGE = ("median_wage", "median_wage_year", "median_wage_topcoded", "median_wage_note")
_EDUCATION = ("typical_education", "work_experience", "training")
ATTAINMENT_COLUMNS: tuple[str, ...] = (
    "attainment_less_than_hs",
    "attainment_hs",
    "attainment_some_college",
    "attainment_associate",
    "attainment_bachelor",
    "attainment_master",
    "attainment_doctoral",
)

#: The columns of each table kind, in order (absent figures are missing, never dropped).
COLUMNS: dict[str, tuple[str, ...]] = {
    "projections": (
        *_ID,
        *_YEARS,
        "employment_base",
        "employment_projected",
        "employment_share_base",
        "employment_share_projected",
        "change",
        "percent_change",
        "percent_self_employed",
        "openings_annual",
        *_WAGE,
        *_EDUCATION,
        "job_titles",
        "note",
        "round",
    ),
    "employment": (
        *_ID,
        *_YEARS,
        "employment_base",
        "employment_projected",
        "employment_share_base",
        "employment_share_projected",
        "change",
        "percent_change",
        "openings_annual",
        "note",
        "round",
    ),
    "separations": (
        *_ID,
        *_YEARS,
        "employment_base",
        "employment_projected",
        "change",
        "percent_change",
        "labor_force_exit_rate",
        "transfer_rate",
        "separations_rate",
        "labor_force_exits",
        "transfers",
        "separations",
        "openings_annual",
        "note",
        "round",
    ),
    "attainment": (*_ID, "attainment_years", *ATTAINMENT_COLUMNS, "note", "round"),
    "education": (*_ID, *_EDUCATION, "note", "round"),
}

#: Header text (normalised: lower case, plain hyphens and apostrophes, footnote markers
#: removed) -> column. Checked in order; the first match wins. ``{year}`` columns are the
#: base or projected year, told apart by the year in the header.
HEADER_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"matrix (?:occupation )?title$|^occupation title$", "occupation_title"),
    (r"matrix (?:occupation )?code$|^occupation code$|^soc code$", "occupation_code"),
    (r"^occupation type$", "occupation_type"),
    (r"^employment distribution, percent, (\d{4})$", "employment_share_{year}"),
    (r"^employment,? (\d{4})(?: \(thousands\))?$", "employment_{year}"),
    (
        r"^percent employment change|^employment change, percent|^employment percent change"
        r"|^employment change.*\(percent\)$",
        "percent_change",
    ),
    (r"^employment change\b", "change"),
    (r"^percent self[- ]employed", "percent_self_employed"),
    (r"^occupational openings.*annual average", "openings_annual"),
    (r"median annual wage", "median_wage"),
    (r"^typical (?:entry-level )?education", "typical_education"),
    (r"^work experience in a related occupation$", "work_experience"),
    (r"^typical on-the-job training", "training"),
    (r"^labor force exit rate", "labor_force_exit_rate"),
    (r"^occupational transfer rate", "transfer_rate"),
    (r"^total occupational separations rate", "separations_rate"),
    (r"^labor force exits\b", "labor_force_exits"),
    (r"^occupational transfers\b", "transfers"),
    (r"^total occupational separations\b", "separations"),
    (r"^less than high school", "attainment_less_than_hs"),
    (r"^high school diploma or equivalent$", "attainment_hs"),
    (r"^some college, no degree$", "attainment_some_college"),
    (r"^associate's degree$", "attainment_associate"),
    (r"^bachelor's degree$", "attainment_bachelor"),
    (r"^master's degree$", "attainment_master"),
    (r"^doctoral or professional degree$", "attainment_doctoral"),
)

#: Columns published in thousands; multiplied by 1,000 (and rounded to whole persons).
THOUSANDS: frozenset[str] = frozenset(
    {
        "employment_base",
        "employment_projected",
        "change",
        "openings_annual",
        "labor_force_exits",
        "transfers",
        "separations",
    }
)
_TEXT = frozenset({*_ID, *_EDUCATION, "job_titles", "note", "round", "median_wage_note"})
_CODE = re.compile(r"^\d{2}-\d{4}$")
_CODE_IN = re.compile(r"(\d{2}-\d{4})")
_MARKER = re.compile(r"\s*(\(\d+\)|\[\d+\])\s*$")
_FOOTNOTE = re.compile(r"^\s*(\(\d+\)|\[\d+\])\s*(.+)$", re.S)
_ROUND_IN_TEXT = re.compile(
    r"((?:19|20)\d\d)\s*(?:-|–|—|to)\s*((?:19|20)?\d\d)\b"
    r"|((?:19|20)\d\d) and projected ((?:19|20)\d\d)"
)
_DASHES = frozenset({"—", "–", "-", "‐"})
_NOT_AVAILABLE = frozenset({*_DASHES, "n/a", "na", ""})
DASH_NOTE = "Data is unavailable (BLS shows —)"
NA_WAGE_NOTE = "Wage data not available (BLS shows N/A)"
TOPCODE_NOTE = "Top-coded: BLS publishes the wage only as at least this value"


def normalize_round(text: str | int) -> str:
    """A projection round written as BLS does in file names: ``"2024-34"``.

    Accepts ``"2024-34"``, ``"2024–34"``, ``"2024-2034"``, ``"2024 to 2034"``.

    >>> normalize_round("2024–2034"), normalize_round("2021-31")
    ('2024-34', '2021-31')
    """
    match = _ROUND_IN_TEXT.search(str(text))
    if not match or match.group(3):
        raise UnknownRelease(
            "projection round",
            text,
            hint="Write a round as base and projected year, e.g. '2024-34' or '2021-2031'.",
        )
    base = int(match.group(1))
    projected = match.group(2)
    projected_year = int(projected) if len(projected) == 4 else base // 100 * 100 + int(projected)
    if projected_year <= base:
        projected_year += 100
    return round_name(base, projected_year)


def round_name(base_year: int, projected_year: int) -> str:
    """``round_name(2024, 2034) == "2024-34"``."""
    return f"{base_year}-{projected_year % 100:02d}"


def round_years(round_: str) -> tuple[int, int]:
    """Base and projected year of a round: ``round_years("2024-34") == (2024, 2034)``."""
    base, short = (int(part) for part in normalize_round(round_).split("-"))
    projected = base // 100 * 100 + short
    return base, projected if projected > base else projected + 100


def _normalize_header(text: object) -> str:
    t = str(text).replace("\n", " ").replace("–", "-").replace("—", "-").replace("’", "'")
    t = _MARKER.sub("", t)
    return re.sub(r"\s+", " ", t).strip().lower()


def _map_headers(headers: Iterable[object]) -> dict[int, str]:
    """Column position -> tidy name, for the headers we know (others are ignored)."""
    found: dict[int, str] = {}
    years: dict[str, list[tuple[int, int]]] = {}
    for pos, raw in enumerate(headers):
        header = _normalize_header(raw)
        if not header:
            continue
        for pattern, name in HEADER_PATTERNS:
            match = re.search(pattern, header)
            if not match:
                continue
            if "{year}" in name:
                years.setdefault(name, []).append((int(match.group(1)), pos))
            elif name not in found.values():
                found[pos] = name
            break
    for name, pairs in years.items():
        pairs.sort()
        found[pairs[0][1]] = name.replace("{year}", "base")
        if len(pairs) > 1:
            found[pairs[-1][1]] = name.replace("{year}", "projected")
    return found


def _year_of(headers: Iterable[object], mapping: dict[int, str], column: str) -> int | None:
    for pos, name in mapping.items():
        if name == column:
            match = re.search(r"((?:19|20)\d\d)", _normalize_header(list(headers)[pos]))
            return int(match.group(1)) if match else None
    return None


# Values ---------------------------------------------------------------------------------


def _numbers(
    values: pd.Series, *, column: str, source: str
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Numbers from cells as BLS printed them: (value, top-coded flag, reason when missing)."""
    text = values.astype("string").str.strip()
    cleaned = text.str.replace(r"[,$\s]", "", regex=True)
    topcoded = cleaned.str.match(r"^(?:>=|≥)").fillna(False).astype(bool)
    numeric = pd.to_numeric(cleaned.str.replace(r"^(?:>=|≥)", "", regex=True), errors="coerce")
    numeric = numeric.astype("float64")
    missing = numeric.isna()
    lowered = text.str.lower().fillna("")
    bad = missing & ~lowered.isin(_NOT_AVAILABLE)
    if bad.any():
        raise SourceFormatError(
            f"column {column!r} holds {values[bad].iloc[0]!r}, which is neither a number nor "
            "a BLS marker",
            source=source,
        )
    note = pd.Series(pd.NA, index=values.index, dtype="string")
    note = note.mask(missing & lowered.isin(_DASHES), DASH_NOTE)
    note = note.mask(missing & lowered.isin({"n/a", "na"}), NA_WAGE_NOTE)
    note = note.mask(topcoded, TOPCODE_NOTE)
    return numeric, topcoded, note


def _text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text.str.lower().isin(_NOT_AVAILABLE - {"n/a", "na"}))


def _persons(thousands: pd.Series) -> pd.Series:
    """Thousands (one decimal, as printed) to whole persons: 194.8 -> 194800."""
    return np.round(thousands.astype("float64") * 1000.0)


def _tidy(
    raw: pd.DataFrame,
    mapping: dict[int, str],
    headers: list[object],
    *,
    kind: str,
    source: str,
    footnotes: dict[str, str],
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Named, typed columns for one table kind from the raw cells of its data rows.

    Base and projected years come from the employment headers, else from ``years``.
    """
    cols = {name: raw.iloc[:, pos] for pos, name in mapping.items()}
    out: dict[str, pd.Series] = {}
    index = raw.index
    titles = cols["occupation_title"].astype("string")
    markers = titles.str.extract(r"(\(\d+\)|\[\d+\])\s*$", expand=False)
    out["occupation_code"] = (
        cols["occupation_code"].astype("string").str.extract(_CODE_IN, expand=False)
    )
    out["occupation_title"] = titles.str.replace(_MARKER.pattern, "", regex=True).str.strip()
    out["note"] = markers.map(footnotes).astype("string")
    if "occupation_type" in cols:
        out["occupation_type"] = _text(cols["occupation_type"]).str.replace(r"\s+", " ", regex=True)
    for name, series in cols.items():
        if name in out or name in _ID:
            continue
        if name in _TEXT:
            out[name] = _text(series)
            continue
        value, topcoded, reason = _numbers(series, column=name, source=source)
        out[name] = _persons(value) if name in THOUSANDS else value
        if name == "median_wage":
            out["median_wage_topcoded"] = topcoded
            out["median_wage_note"] = reason
            out["median_wage_year"] = pd.Series(
                _year_of(headers, mapping, "median_wage"), index=index, dtype="Int64"
            )
    base = _year_of(headers, mapping, "employment_base")
    projected = _year_of(headers, mapping, "employment_projected")
    if (base is None or projected is None) and years is not None:
        base, projected = years
    if base is None or projected is None:
        raise SourceFormatError(f"no base and projected years in the {kind} table", source=source)
    out["base_year"] = pd.Series(base, index=index, dtype="int64")
    out["projected_year"] = pd.Series(projected, index=index, dtype="int64")
    out["round"] = pd.Series(round_name(base, projected), index=index, dtype="string")
    frame = pd.DataFrame(out, index=index)
    for column in COLUMNS[kind]:
        if column not in frame:
            frame[column] = _empty_like(column, index)
    return frame.loc[:, list(COLUMNS[kind])].reset_index(drop=True)


def _empty_like(column: str, index: pd.Index) -> pd.Series:
    if column in _TEXT:
        return pd.Series(pd.NA, index=index, dtype="string")
    if column == "median_wage_topcoded":
        return pd.Series(False, index=index, dtype=bool)
    if column == "median_wage_year":
        return pd.Series(pd.NA, index=index, dtype="Int64")
    return pd.Series(np.nan, index=index, dtype="float64")


# Workbook -------------------------------------------------------------------------------


def _open(source: Path | bytes, name: str | None = None) -> CalamineWorkbook:
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


def _sheet_rows(
    book: CalamineWorkbook, sheet: str, label: str, nrows: int | None = None
) -> list[list[object]]:
    try:
        return book.get_sheet_by_name(sheet).to_python(nrows=nrows)
    except BaseException as err:  # calamine's own errors, or a Rust panic
        if not is_reader_error(err):
            raise
        raise SourceFormatError(f"sheet {sheet!r} is not readable ({err})", source=label) from None


def _name(source: Path | bytes, name: str | None = None) -> str:
    return name or (str(source) if not isinstance(source, bytes) else "occupation.xlsx")


def _titles(book: CalamineWorkbook, label: str) -> dict[str, str]:
    titles = {}
    for sheet in book.sheet_names:
        rows = _sheet_rows(book, sheet, label, nrows=1)
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
        match = _ROUND_IN_TEXT.search(title)
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
    rows = _sheet_rows(book, sheet, label)
    frame = _parse_rows(
        rows, kind=kind, source=f"{label}, sheet {sheet!r}", years=(base, projected)
    )
    if frame["occupation_type"].isna().all() and "projections" in tables:
        # Tables 5.3 and 5.4 have no type column: take it from the projections table.
        rows = _sheet_rows(book, tables["projections"], label)
        types = _parse_rows(rows, kind="projections", source=label, years=(base, projected))
        by_code = dict(zip(types["occupation_code"], types["occupation_type"], strict=True))
        frame["occupation_type"] = frame["occupation_code"].map(by_code).astype("string")
    return frame


def _parse_rows(
    rows: list[list[object]], *, kind: str, source: str, years: tuple[int, int]
) -> pd.DataFrame:
    header_at = next(
        (
            i
            for i, row in enumerate(rows[:15])
            if any(v == "occupation_code" for v in _map_headers(row).values())
        ),
        None,
    )
    if header_at is None:
        raise SourceFormatError("no header row with an occupation code column", source=source)
    headers = list(rows[header_at])
    mapping = _map_headers(headers)
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
    frame = _tidy(
        raw[is_data], mapping, headers, kind=kind, source=source, footnotes=footnotes, years=years
    )
    if frame["round"].iloc[0] != round_name(*years):
        raise SourceFormatError(
            f"table years {frame['round'].iloc[0]} differ from the workbook's round "
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


# Projections archive --------------------------------------------------------------------


def archive_member(names: Iterable[str]) -> str | None:
    """The occupation workbook among the members of an archive zip (``occupation.xlsx``
    preferred, else the shortest ``occupation*.xlsx``)."""
    found = [n for n in names if re.search(r"(?:^|/)occupation[^/]*\.xlsx$", n, re.I)]
    if not found:
        return None
    exact = [n for n in found if n.lower().rsplit("/", 1)[-1] == "occupation.xlsx"]
    return min(exact or found, key=len)


def read_archive(path: Path) -> bytes:
    """The bytes of the occupation workbook inside a projections-archive zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            member = archive_member(zf.namelist())
            if member is None:
                raise SourceFormatError("no occupation*.xlsx inside the archive", source=str(path))
            return zf.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as err:
        raise SourceFormatError(f"not a readable zip archive ({err})", source=str(path)) from None


# Checks ----------------------------------------------------------------------------------


def _sniff(path: Path) -> bytes:
    with Path(path).open("rb") as f:
        return f.read(512)


def check_workbook(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is an Excel workbook (e.g. an HTML error page)."""
    start = _sniff(path)
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


def check_archive(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is a zip holding an ``occupation*.xlsx`` whose
    tables parse (the projections table, else the first table found by title)."""
    start = _sniff(path)
    if not start.startswith(b"PK\x03\x04"):
        what = "an HTML page" if b"<" in start[:100] else "not a zip"
        raise SourceFormatError(f"expected a zip archive, got {what}", source=str(path))
    workbook = read_archive(path)
    tables = find_tables(workbook, name=str(path))
    if not tables:
        raise SourceFormatError("no EP table found by its title in the workbook", source=str(path))
    kind = "projections" if "projections" in tables else next(iter(tables))
    parse_workbook(workbook, kind=kind, name=str(path))


# Data-tool CSV ---------------------------------------------------------------------------


def parse_csv(source: Path | bytes | str, *, name: str | None = None) -> pd.DataFrame:
    """The data tool's "Employment Projections.csv" as a tidy projections frame.

    Every row is a detailed occupation (``occupation_type`` "Line item"); sample job titles go to
    ``job_titles`` (``"; "``-separated).
    """
    label = name or (str(source) if isinstance(source, Path) else "Employment Projections.csv")
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as err:
        raise SourceFormatError(f"not UTF-8 text ({err.reason})", source=label) from None
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise SourceFormatError(f"not a CSV file ({err})", source=label) from None
    if not records or not records[0]:
        raise SourceFormatError("empty file", source=label)
    headers = records[0]
    mapping = _map_headers(headers)
    for needed in (
        "occupation_code",
        "occupation_title",
        "employment_base",
        "employment_projected",
    ):
        if needed not in mapping.values():
            raise SourceFormatError(
                f"no column for {needed} (headers: {', '.join(headers)})", source=label
            )
    width = len(headers)
    rows = [r + [""] * (width - len(r)) for r in records[1:] if any(c.strip() for c in r)]
    if not rows:
        raise SourceFormatError("no occupation rows under the header", source=label)
    raw = pd.DataFrame([r[:width] for r in rows], dtype=object)
    title_pos = next(p for p, n in mapping.items() if n == "occupation_title")
    parts = (
        raw.iloc[:, title_pos].astype("string").str.split(r"\s{2,}\*", n=1, regex=True, expand=True)
    )
    raw.iloc[:, title_pos] = parts[0].str.strip()
    jobs = parts[1] if parts.shape[1] > 1 else pd.Series(pd.NA, index=raw.index, dtype="string")
    frame = _tidy(raw, mapping, headers, kind="projections", source=label, footnotes={})
    if frame["occupation_code"].isna().any():
        codes = raw.iloc[:, next(p for p, n in mapping.items() if n == "occupation_code")]
        bad = codes[frame["occupation_code"].isna().to_numpy()].iloc[0]
        raise SourceFormatError(f"unreadable occupation code {bad!r}", source=label)
    frame["occupation_type"] = pd.Series("Line item", index=frame.index, dtype="string")
    frame["job_titles"] = (
        jobs.reset_index(drop=True)
        .str.split(r"\*")
        .map(
            lambda items: (
                "; ".join(i.strip() for i in items if i.strip())
                if isinstance(items, list)
                else pd.NA
            )
        )
    ).astype("string")
    frame.attrs["table"] = "Occupational Projections data tool export"
    frame.attrs["footnotes"] = []
    return frame


def check_csv(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is a data-tool projections CSV that parses."""
    start = _sniff(path).decode("utf-8-sig", errors="replace")
    if not re.match(r'^"?Occupation Title"?,', start):
        raise SourceFormatError("not an Employment Projections data-tool CSV", source=str(path))
    parse_csv(path)


# Files added by hand ---------------------------------------------------------------------


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """Recognise an EP workbook, projections-archive zip or data-tool CSV saved by hand."""
    settings = get_settings(settings)
    path = Path(path)
    start = _sniff(path)
    www = settings.bls_www_url
    try:
        if start.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
            if "xl/workbook.xml" in names:
                if "projections" not in find_tables(path):
                    return None
                round_ = workbook_round(path)
                return KnownFile(
                    key=f"ep/occupation_{round_}.xlsx",
                    url=URL_TEMPLATES["current"].format(www=www),
                    description=f"BLS Employment Projections occupation.xlsx, {round_} round",
                    check=check_projections_workbook,
                )
            if archive_member(names) is not None:
                round_ = workbook_round(read_archive(path))
                return KnownFile(
                    key=f"ep/projections-archive/{round_}.zip",
                    url=URL_TEMPLATES["archive"].format(www=www, round=round_),
                    description=f"BLS Employment Projections archive, {round_} round",
                    check=check_archive,
                )
            return None
        check_csv(path)
        frame = parse_csv(path)
    except (SourceFormatError, zipfile.BadZipFile, UnicodeDecodeError):
        return None
    base, projected = int(frame["base_year"].iloc[0]), int(frame["projected_year"].iloc[0])
    return KnownFile(
        key=f"ep/employment_projections_{base}-{projected}.csv",
        url=DATA_TOOL_URL,
        description=f"BLS Occupational Projections data-tool export, {round_name(base, projected)}",
        check=check_csv,
    )

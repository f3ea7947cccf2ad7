"""BLS's archived OEWS releases: zip bytes -> tidy frame (parse only, no network).

BLS keeps every past OEWS release as zips of spreadsheets under
``/oes/special-requests/`` (``oesm21nat.zip``, ``oesm13st.zip``, ``oes00nat.zip`` ...).
Their layout drifts from year to year; the drift is described here as data:

- :data:`VINTAGES`: zip names, release labels and SOC version by year;
- :data:`MEMBER_PATTERNS`: which zip members hold the estimates of each scope;
- :data:`COLUMN_ALIASES`: every column name seen, mapped to the tidy name;
- :data:`MARKERS`: the cell markers (``*``, ``**``, ``***``, ``#``, ``~``) and what they mean.

The header row is found by looking for :data:`HEADER_COLUMNS` (the 2000 files have a
38- or 42-row preamble). Top-coded wages (``#``) get the bound stated in the release's own
notes (preamble, ``Field Descriptions`` sheet or ``field_descriptions.xls``) and a flag;
other markers leave the value missing with the reason in ``<measure>_note``.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
from python_calamine import CalamineWorkbook

from marketdata.config import Settings, get_settings
from marketdata.errors import SourceFormatError, UnknownRelease
from marketdata.schema import OEWS_COLUMNS, OEWS_MEASURES, OEWS_WAGE_COLUMNS
from marketdata.series_id import CROSS_INDUSTRY, NATIONAL_AREA, STATES
from marketdata.sources import KnownFile, is_reader_error

logger = logging.getLogger(__name__)

# Release registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class Vintage:
    """Years that share a zip naming, a release label and an occupational classification."""

    first: int
    last: int | None  # None: every later year
    zip_prefix: str  # "oes", "oesm" (May), "oesn" (November)
    label: str  # format with year=
    soc_version: str


#: Archived releases by year. ``soc_version`` names the classification of the codes; the
#: hybrid releases mix two SOC versions plus OEWS-specific hybrid codes.
VINTAGES: tuple[Vintage, ...] = (
    Vintage(1997, 1998, "oes", "{year}", "OES"),
    Vintage(1999, 2002, "oes", "{year}", "SOC 2000"),
    Vintage(2003, 2009, "oesm", "May {year}", "SOC 2000"),
    Vintage(2003, 2004, "oesn", "November {year}", "SOC 2000"),
    Vintage(2010, 2011, "oesm", "May {year}", "SOC 2000/2010 hybrid"),
    Vintage(2012, 2018, "oesm", "May {year}", "SOC 2010"),
    Vintage(2019, 2020, "oesm", "May {year}", "SOC 2010/2018 hybrid"),
    Vintage(2021, None, "oesm", "May {year}", "SOC 2018"),
)

#: Scope -> the zip name's suffix.
SCOPES: dict[str, str] = {"national": "nat", "state": "st", "metro": "ma", "all": "all"}

#: Folders under the host where BLS has kept the zips (the second is the older spelling).
ARCHIVE_FOLDERS: tuple[str, ...] = ("oes/special-requests", "oes/special.requests")


@dataclass(frozen=True)
class ArchiveRelease:
    """One archived OEWS release."""

    year: int
    label: str
    zip_prefix: str
    soc_version: str

    @property
    def key(self) -> str:
        """Short name used in cache keys, e.g. ``oesm21``."""
        return f"{self.zip_prefix}{self.year % 100:02d}"

    @property
    def is_hybrid(self) -> bool:
        """Whether the release mixes two SOC versions."""
        return "hybrid" in self.soc_version

    def zip_name(self, scope: str) -> str:
        """BLS's zip name for ``scope``, e.g. ``oesm21nat.zip``."""
        return f"{self.key}{SCOPES[check_scope(scope)]}.zip"


def check_scope(scope: str) -> str:
    """Return ``scope`` if it is one of :data:`SCOPES`, else raise UnknownRelease."""
    if scope not in SCOPES:
        raise UnknownRelease(
            "OEWS archive scope", scope, sorted(SCOPES), hint="Scopes: " + ", ".join(SCOPES) + "."
        )
    return scope


def releases(*, last_year: int) -> list[ArchiveRelease]:
    """Every archived release up to ``last_year``, oldest first (May before November)."""
    found = [
        ArchiveRelease(year, v.label.format(year=year), v.zip_prefix, v.soc_version)
        for v in VINTAGES
        for year in range(v.first, min(v.last or last_year, last_year) + 1)
    ]
    return sorted(found, key=lambda r: (r.year, r.zip_prefix == "oesn"))


def release_for(year: int, *, month: str | None = None) -> ArchiveRelease:
    """The archived release of ``year``; ``month`` ("May"/"November") picks between two.

    Raises
    ------
    UnknownRelease
        No archived release for that year (or month).
    """
    candidates = [r for r in releases(last_year=max(year, 1997)) if r.year == year]
    if month:
        wanted = month.strip().lower()[:3]
        exact = [r for r in candidates if r.label.lower().startswith(wanted)]
        candidates = exact or [r for r in candidates if r.label == str(year)]
    if not candidates:
        known = [r.label for r in releases(last_year=max(year, 2024))]
        raise UnknownRelease(
            "OEWS release",
            f"{month + ' ' if month else ''}{year}",
            [k for k in known if str(year) in k][:3],
            hint=f"Archived releases run from {known[0]} on.",
        )
    return candidates[0]


def archive_urls(release: ArchiveRelease, scope: str, *, base_url: str) -> list[str]:
    """Where BLS publishes the zip, most likely first."""
    name = release.zip_name(scope)
    return [f"{base_url.rstrip('/')}/{folder}/{name}" for folder in ARCHIVE_FOLDERS]


def check_zip(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is a zip archive (BLS may answer with HTML)."""
    with path.open("rb") as f:
        start = f.read(512)
    if not start.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(path):
        snippet = start[:60].decode("latin-1", "replace").strip()
        raise SourceFormatError(
            f"not a zip archive (starts with {snippet!r}); BLS may have sent an error page",
            source=str(path.name),
        )


# Layout registry --------------------------------------------------------------------------

#: Zip members holding estimates, by scope (matched case-insensitively on the member's
#: base name; e.g. national_M2021_dl.xlsx, national_dl.xls, national__M2008_dl.xls,
#: national_May2007_dl.xls, state_M2013_dl.xls, MSA_M2021_dl.xlsx, BOS_M2021_dl.xlsx).
MEMBER_PATTERNS: dict[str, re.Pattern[str]] = {
    "national": re.compile(r"national[^/]*\.xlsx?", re.IGNORECASE),
    "state": re.compile(r"state[^/]*\.xlsx?", re.IGNORECASE),
    "metro": re.compile(r"(?:msa|bos|nonmetro)[^/]*\.xlsx?", re.IGNORECASE),
    "all": re.compile(r"all_data[^/]*\.xlsx?", re.IGNORECASE),
}
#: The release's notes, where the data workbook has none of its own.
FIELD_DESCRIPTIONS = re.compile(r"field_descriptions[^/]*\.xlsx?", re.IGNORECASE)

#: The header row is the first row (of the first 100) holding all of these names.
HEADER_COLUMNS = frozenset({"occ_code", "tot_emp"})
_HEADER_SEARCH_ROWS = 100
_MAX_MEMBER_BYTES = 1 << 30  # refuse absurd (zip-bomb) members

#: Column names seen in the archives (lower case, spaces as "_") -> tidy name.
#: ``None``: known and deliberately not carried.
COLUMN_ALIASES: dict[str, str | None] = {
    "area": "area_code",
    "area_title": "area_name",
    "area_name": "area_name",
    "area_type": "area_type",
    "st": "state_postal",
    "prim_state": "state_postal",
    "state": "state_name",
    "naics": "industry_code",
    "naics_title": "industry_title",
    "occ_code": "occupation_code",
    "occ_title": "occupation_title",
    "occ_titl": "occupation_title",
    "group": "occupation_level",
    "occ_group": "occupation_level",
    "o_group": "occupation_level",
    "tot_emp": "employment",
    "emp_prse": "employment_rse",
    "jobs_1000": "jobs_per_1000",
    "loc_quotient": "location_quotient",
    "loc_q": "location_quotient",
    "h_mean": "hourly_mean",
    "a_mean": "annual_mean",
    "mean_prse": "wage_rse",
    "h_pct10": "hourly_p10",
    "h_wpct10": "hourly_p10",
    "h_pct25": "hourly_p25",
    "h_wpct25": "hourly_p25",
    "h_median": "hourly_median",
    "h_pct75": "hourly_p75",
    "h_wpct75": "hourly_p75",
    "h_pct90": "hourly_p90",
    "h_wpct90": "hourly_p90",
    "a_pct10": "annual_p10",
    "a_wpct10": "annual_p10",
    "a_pct25": "annual_p25",
    "a_wpct25": "annual_p25",
    "a_median": "annual_median",
    "a_pct75": "annual_p75",
    "a_wpct75": "annual_p75",
    "a_pct90": "annual_p90",
    "a_wpct90": "annual_p90",
    "annual": "annual_only",
    "hourly": "hourly_only",
    "i_group": None,
    "own_code": None,
    "pct_total": None,
    "pct_rpt": None,
    "year": None,
    "release": None,
}

#: AREA_TYPE codes of the 2019+ files -> area type as in the current-release frame
#: (4 is a metropolitan area, 6 a nonmetropolitan area; 3 is a U.S. territory).
AREA_TYPE_CODES: dict[str, str] = {
    "1": "national",
    "2": "state",
    "3": "state",
    "4": "metro",
    "5": "metro",
    "6": "nonmetro",
}
#: Area type of files without area columns, by scope.
SCOPE_AREA_TYPES: dict[str, str] = {"national": "national", "state": "state", "metro": "metro"}

#: Cell markers -> reason a value is missing. ``#`` (top-coded) keeps the bound instead.
MARKERS: dict[str, str] = {
    "*": "wage estimate not available",
    "**": "employment estimate not available",
    "***": "wage data removed because of reporting errors",
    "#": "wage at or above the top code",
    "~": "fewer than 0.5 percent of establishments reported the occupation",
}
TOPCODE_MARKER = "#"

#: SOC levels as written in the group columns; where blank, the level follows from the code.
LEVELS = ("total", "major", "minor", "broad", "detailed")

_BOUND_RE = re.compile(
    r"(?P<cmp>equal to or greater than|greater than or equal to|greater than|at or above)?"
    r"\s*\$\s*(?P<hour>[\d,]+(?:\.\d+)?)\s*(?:per|an|/)\s*hour"
    r".*?\$\s*(?P<year>[\d,]+(?:\.\d+)?)\s*(?:per|a|/)\s*year",
    re.IGNORECASE,
)

#: Tidy columns of an archived release, in order.
MEASURES: tuple[str, ...] = tuple(c for c in OEWS_COLUMNS if c in OEWS_MEASURES)
FLAG_COLUMNS: tuple[str, ...] = tuple(f"is_topcoded_{c}" for c in OEWS_WAGE_COLUMNS)
NOTE_COLUMNS: tuple[str, ...] = tuple(f"{c}_note" for c in MEASURES)
ARCHIVE_COLUMNS: tuple[str, ...] = (*OEWS_COLUMNS, "year", *FLAG_COLUMNS, *NOTE_COLUMNS)


@dataclass(frozen=True)
class TopCode:
    """The top-code bound stated by a release (``#`` cells)."""

    hourly: float
    annual: float
    inclusive: bool  # "equal to or greater than" (True) or "greater than" (False)

    def describe(self) -> str:
        """E.g. ``>= $100.00/hour or $208,000/year``."""
        sign = ">=" if self.inclusive else ">"
        return f"{sign} ${self.hourly:,.2f}/hour or ${self.annual:,.0f}/year"


def parse_top_code(lines: Iterable[str]) -> TopCode | None:
    """The top code from a release's notes: the line that explains ``#``."""
    for line in lines:
        text = line.strip()
        if not text.startswith("#"):
            continue
        m = _BOUND_RE.search(text)
        if m:
            cmp = (m.group("cmp") or "").lower()
            return TopCode(
                hourly=float(m.group("hour").replace(",", "")),
                annual=float(m.group("year").replace(",", "")),
                inclusive="equal" in cmp or "at or above" in cmp,
            )
    return None


# Reading ----------------------------------------------------------------------------------


def _rows(workbook: CalamineWorkbook, sheet: str) -> list[list[object]]:
    return workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def _norm(name: object) -> str:
    return re.sub(r"\s+", "_", str(name).strip().lower())


def _header_index(rows: list[list[object]]) -> int | None:
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        if {_norm(c) for c in row} >= HEADER_COLUMNS:
            return i
    return None


def _text_lines(rows: Iterable[list[object]]) -> list[str]:
    return [" ".join(str(c) for c in row if str(c).strip()) for row in rows]


@dataclass
class _Sheet:
    member: str
    sheet: str
    header: list[str]
    data: list[list[object]]
    header_row: int  # 0-based row of the header in the sheet
    notes: list[str]


def _read_workbook(content: bytes, member: str) -> tuple[list[_Sheet], list[str]]:
    """Data sheets of one workbook and the text of everything else in it (notes)."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
    except BaseException as err:  # calamine's own errors, or a Rust panic
        if not is_reader_error(err):
            raise
        raise SourceFormatError(f"not a readable spreadsheet ({err})", source=member) from None
    sheets, notes = [], []
    for name in workbook.sheet_names:
        try:
            rows = _rows(workbook, name)
        except BaseException as err:  # calamine's own errors, or a Rust panic
            if not is_reader_error(err):
                raise
            raise SourceFormatError(
                f"sheet {name!r} is not readable ({err})", source=member
            ) from None
        hi = _header_index(rows)
        if hi is None:
            notes += _text_lines(rows)
            continue
        notes += _text_lines(rows[:hi])
        sheets.append(
            _Sheet(member, name, [_norm(c) for c in rows[hi]], rows[hi + 1 :], hi, notes=[])
        )
    return sheets, notes


def _decode_numbers(raw: pd.Series, *, column: str, sheet: _Sheet) -> tuple[pd.Series, pd.Series]:
    """Numbers (padded text or floats) and the marker of each non-numeric cell."""
    text = raw.astype("string").str.strip()
    numbers = pd.to_numeric(text.str.replace(",", "", regex=False), errors="coerce")
    marker = text.where(numbers.isna() & text.notna() & (text != ""))
    unknown = marker.notna() & ~marker.isin(list(MARKERS))
    if unknown.any():
        at = unknown[unknown].index[0]
        raise SourceFormatError(
            f"sheet {sheet.sheet!r}, column {column!r}: unexpected value {marker[at]!r}",
            source=sheet.member,
            line=sheet.header_row + 2 + int(at),
        )
    return numbers.astype("float64"), marker


def _levels(codes: pd.Series, group: pd.Series | None) -> pd.Series:
    """SOC level: the group column where it names one, else from the code's digits."""
    from_code = pd.Series("detailed", index=codes.index, dtype="string")
    from_code = from_code.mask(codes.str.endswith("0"), "broad")
    from_code = from_code.mask(codes.str.endswith("000"), "minor")
    from_code = from_code.mask(codes.str.endswith("0000"), "major")
    from_code = from_code.mask(codes == "00-0000", "total")
    if group is None:
        return from_code
    named = group.astype("string").str.strip().str.lower()
    level = named.where(named.isin(LEVELS), from_code)
    # XX-0000 is a major group and 00-0000 the total whatever the group column says
    # (2000 labels some major groups "detailed"; 2002 labels 00-0000 "major").
    level = level.mask(codes.str.endswith("0000"), "major")
    return level.mask(codes == "00-0000", "total")


def _area_columns(df: pd.DataFrame, scope: str) -> pd.DataFrame:
    """area_code (7-digit OEWS code), area_name, area_type, state_code (FIPS)."""
    n = len(df)
    if "area_type" in df:
        kind = df["area_type"].astype("string").str.strip().str.split(".").str[0]
        area_type = kind.map(AREA_TYPE_CODES)
    else:
        area_type = pd.Series([SCOPE_AREA_TYPES.get(scope)] * n, index=df.index, dtype="string")
    if "area_code" in df:
        raw = df["area_code"].astype("string").str.strip().str.split(".").str[0]
    else:
        raw = pd.Series([None] * n, index=df.index, dtype="string")
    code = raw.str.zfill(7)
    code = code.mask(area_type == "state", raw.str.zfill(2) + "00000")
    code = code.mask(area_type == "national", NATIONAL_AREA)
    # metro files without AREA_TYPE: a state's nonmetropolitan areas have state FIPS + 0000N
    area_type = area_type.mask((area_type == "metro") & ~code.str.startswith("00"), "nonmetro")
    postal_to_fips = {postal: fips for fips, (postal, _) in STATES.items()}
    state = code.str[:2].where(code.str[:2] != "00")
    if "state_postal" in df:
        postal = df["state_postal"].astype("string").str.strip()
        by_postal = postal.map(postal_to_fips).astype("string")
        state = state.fillna(by_postal)
    state = state.mask(area_type == "national", "00")
    if "area_name" in df:
        name = df["area_name"].astype("string").str.strip()
    elif "state_name" in df:
        name = df["state_name"].astype("string").str.strip()
    else:
        name = pd.Series([None] * n, index=df.index, dtype="string")
    name = name.mask(area_type == "national", name.fillna("U.S."))
    return pd.DataFrame(
        {"area_code": code, "area_name": name, "area_type": area_type, "state_code": state},
        index=df.index,
    ).astype("string")


def _tidy_sheet(sheet: _Sheet, *, scope: str, top: TopCode | None) -> pd.DataFrame:
    width = len(sheet.header)
    rows = [r[:width] + [""] * (width - len(r)) for r in sheet.data]
    raw = pd.DataFrame(rows, columns=range(width), dtype=object)
    renamed: dict[str, int] = {}
    for i, name in enumerate(sheet.header):
        if not name:
            continue
        if name not in COLUMN_ALIASES:
            logger.debug("%s: ignoring unknown column %r", sheet.member, name)
            continue
        target = COLUMN_ALIASES[name]
        if target is not None and target not in renamed:
            renamed[target] = i
    missing = [c for c in ("occupation_code", "employment") if c not in renamed]
    if missing:
        raise SourceFormatError(
            f"sheet {sheet.sheet!r} lacks {', '.join(missing)}; columns: {sheet.header}",
            source=sheet.member,
        )
    df = pd.DataFrame({t: raw[i] for t, i in renamed.items()})
    code = df["occupation_code"].astype("string").str.strip()
    keep = code.str.fullmatch(r"\d{2}-\d{4}").fillna(False)
    df, code = df.loc[keep], code[keep]

    out = _area_columns(df, scope)
    industry = (
        df["industry_code"].astype("string").str.strip()
        if "industry_code" in df
        else pd.Series(CROSS_INDUSTRY, index=df.index, dtype="string")
    )
    out["industry_code"] = industry
    out["industry_title"] = (
        df["industry_title"].astype("string").str.strip()
        if "industry_title" in df
        else pd.Series("Cross-industry", index=df.index, dtype="string")
    )
    out["occupation_code"] = code
    title = df.get("occupation_title", pd.Series(pd.NA, index=df.index))
    out["occupation_title"] = title.astype("string").str.strip()
    out["occupation_level"] = _levels(code, df.get("occupation_level"))
    notes: dict[str, pd.Series] = {}
    flags: dict[str, pd.Series] = {}
    for measure in MEASURES:
        if measure not in df:
            out[measure] = float("nan")
            notes[measure] = pd.Series(pd.NA, index=df.index, dtype="string")
            continue
        values, marker = _decode_numbers(df[measure], column=measure, sheet=sheet)
        note = marker.map(MARKERS).astype("string")
        if measure in OEWS_WAGE_COLUMNS:
            topped = marker == TOPCODE_MARKER
            flags[measure] = topped.fillna(False).astype(bool)
            if top is not None:
                bound = top.hourly if measure.startswith("hourly") else top.annual
                values = values.mask(topped.fillna(False), bound)
                note = note.mask(topped.fillna(False), f"{MARKERS['#']} ({top.describe()})")
            else:
                note = note.mask(topped.fillna(False), f"{MARKERS['#']} (bound not stated)")
        elif (marker == TOPCODE_MARKER).any():
            raise SourceFormatError(
                f"sheet {sheet.sheet!r}: top-code marker '#' in non-wage column {measure!r}",
                source=sheet.member,
            )
        out[measure] = values
        notes[measure] = note
    for measure in OEWS_WAGE_COLUMNS:
        out[f"is_topcoded_{measure}"] = flags.get(measure, pd.Series(False, index=df.index))
    for measure in MEASURES:
        out[f"{measure}_note"] = notes[measure]
    return out


def member_names(zf: zipfile.ZipFile, scope: str) -> list[str]:
    """Names of the members holding ``scope`` estimates, in archive order."""
    pattern = MEMBER_PATTERNS[check_scope(scope)]
    return [
        info.filename
        for info in zf.infolist()
        if not info.is_dir() and pattern.fullmatch(info.filename.rsplit("/", 1)[-1])
    ]


def _read_member(zf: zipfile.ZipFile, name: str, *, label: str | None = None) -> bytes:
    where = f"{label}:{name}" if label else name
    info = zf.getinfo(name)
    if info.file_size > _MAX_MEMBER_BYTES:
        raise SourceFormatError(f"member is {info.file_size:,} bytes; refusing", source=where)
    try:
        with zf.open(info) as f:
            return f.read()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as err:
        raise SourceFormatError(f"damaged zip member ({err})", source=where) from None


def archive_check(scope: str, *, name: str | None = None) -> Callable[[Path], None]:
    """A check for :func:`marketdata.cache.fetch`: raise SourceFormatError unless ``path`` is a
    zip whose ``scope`` members are intact workbooks with the header row :func:`read_archive`
    needs (``OCC_CODE`` and ``TOT_EMP`` in the first rows), so a changed layout never enters
    the cache. Reads the first rows of each sheet only (cell values are checked by the parse).
    ``name``: the zip's name in messages (default: the file's).
    """
    scope = check_scope(scope)

    def check(path: Path) -> None:
        check_zip(path)
        label = name or path.name
        try:
            zf = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, ValueError, EOFError) as err:
            raise SourceFormatError(f"not a readable zip archive ({err})", source=label) from None
        with zf:
            members = member_names(zf, scope)
            if not members:
                raise SourceFormatError(
                    f"no {scope} estimates in the archive (members: {zf.namelist()})",
                    source=label,
                )
            for member in members:
                try:
                    content = _read_member(zf, member, label=label)
                    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
                    heads = [
                        book.get_sheet_by_name(sheet).to_python(
                            skip_empty_area=False, nrows=_HEADER_SEARCH_ROWS
                        )
                        for sheet in book.sheet_names
                    ]
                except SourceFormatError:
                    raise
                except BaseException as err:  # calamine's own errors, or a Rust panic
                    if not is_reader_error(err):
                        raise
                    raise SourceFormatError(
                        f"not a readable spreadsheet ({err})", source=f"{label}:{member}"
                    ) from None
                if all(_header_index(rows) is None for rows in heads):
                    raise SourceFormatError(
                        f"no header row with {sorted(HEADER_COLUMNS)} in the first "
                        f"{_HEADER_SEARCH_ROWS} rows: the layout changed",
                        source=f"{label}:{member}",
                    )

    return check


def read_archive(
    source: bytes | Path | BinaryIO,
    *,
    release: ArchiveRelease,
    scope: str = "national",
    name: str | None = None,
) -> pd.DataFrame:
    """Parse an archived release zip into the tidy OEWS frame (plus ``year``).

    Parameters
    ----------
    source
        The zip (bytes, a path or an open binary file).
    release
        Which release it is (sets ``release`` and ``year``).
    scope
        ``national``, ``state``, ``metro`` or ``all``: which members to read.
    name
        How to call the zip in error messages (default: its path or ``release.zip_name``).

    Raises
    ------
    SourceFormatError
        Not a zip, no member for ``scope``, no header row, or an unexpected cell value.
    """
    label = name or (str(source) if isinstance(source, Path) else release.zip_name(scope))
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        zf = zipfile.ZipFile(data)
    except (zipfile.BadZipFile, ValueError, EOFError) as err:
        raise SourceFormatError(f"not a readable zip archive ({err})", source=label) from None
    with zf:
        members = member_names(zf, scope)
        if not members:
            raise SourceFormatError(
                f"no {scope} estimates in the archive (members: {zf.namelist()})", source=label
            )
        extra_notes: list[str] = []
        for info in zf.infolist():
            if FIELD_DESCRIPTIONS.fullmatch(info.filename.rsplit("/", 1)[-1]):
                content = _read_member(zf, info.filename, label=label)
                _, fd_notes = _read_workbook(content, f"{label}:{info.filename}")
                extra_notes += fd_notes
        frames = []
        for member in members:
            content = _read_member(zf, member, label=label)
            sheets, notes = _read_workbook(content, f"{label}:{member}")
            if not sheets:
                raise SourceFormatError(
                    f"no header row with {sorted(HEADER_COLUMNS)} in the first "
                    f"{_HEADER_SEARCH_ROWS} rows",
                    source=f"{label}:{member}",
                )
            top = parse_top_code(notes) or parse_top_code(extra_notes)
            if top is None:
                logger.info("%s: no top-code bound stated; '#' cells stay missing", member)
            frames += [_tidy_sheet(s, scope=scope, top=top) for s in sheets]
    df = pd.concat(frames, ignore_index=True)
    df["release"] = release.label
    df["year"] = release.year
    # through Arrow: the same column types as the current-release frame and the Parquet cache
    return pa.Table.from_pandas(df.loc[:, list(ARCHIVE_COLUMNS)], preserve_index=False).to_pandas()


_ZIP_NAME = re.compile(r"^(?P<prefix>oes[mn]?)(?P<yy>\d{2})(?P<scope>nat|st|ma|all)\.zip$")


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """OEWS archived-release zips (``oesm21nat.zip``, ``oes00st.zip`` ...) saved by hand."""
    name = Path(path).name.lower()
    m = _ZIP_NAME.match(name)
    if m is None:
        return None
    yy = int(m["yy"])
    year = 1900 + yy if yy >= 90 else 2000 + yy
    scope = next(k for k, v in SCOPES.items() if v == m["scope"])
    release = release_for(year)
    urls = archive_urls(release, scope, base_url=get_settings(settings).bls_www_url)
    return KnownFile(
        key=f"oews-archive/{release.zip_name(scope)}",
        url=urls[0],
        description=f"BLS OEWS {release.label} {scope} archive",
        check=archive_check(scope, name=name),
    )

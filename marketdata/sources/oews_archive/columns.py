"""The column drift of BLS's archived OEWS releases, as data and as the code that undoes it.

Every column name seen in the archives maps to the tidy name (:data:`COLUMN_ALIASES`); the
header row is found by :data:`HEADER_COLUMNS` (the 2000 files have a 38- or 42-row preamble);
area codes, area types and SOC levels are rebuilt where a year's files leave them out.
:func:`tidy_sheet` turns one data sheet into the tidy OEWS frame.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import pandas as pd

from marketdata.core.errors import SourceFormatError
from marketdata.core.schema import OEWS_COLUMNS, OEWS_MEASURES, OEWS_WAGE_COLUMNS
from marketdata.core.series_id import CROSS_INDUSTRY, NATIONAL_AREA, STATES
from marketdata.sources.oews_archive.markers import MARKERS, TOPCODE_MARKER, TopCode

logger = logging.getLogger(__name__)

#: The header row is the first row (of the first 100) holding all of these names.
HEADER_COLUMNS = frozenset({"occ_code", "tot_emp"})
HEADER_SEARCH_ROWS = 100


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


#: SOC levels as written in the group columns; where blank, the level follows from the code.
LEVELS = ("total", "major", "minor", "broad", "detailed")


#: Tidy columns of an archived release, in order.
MEASURES: tuple[str, ...] = tuple(c for c in OEWS_COLUMNS if c in OEWS_MEASURES)
FLAG_COLUMNS: tuple[str, ...] = tuple(f"is_topcoded_{c}" for c in OEWS_WAGE_COLUMNS)
NOTE_COLUMNS: tuple[str, ...] = tuple(f"{c}_note" for c in MEASURES)
ARCHIVE_COLUMNS: tuple[str, ...] = (*OEWS_COLUMNS, "year", *FLAG_COLUMNS, *NOTE_COLUMNS)


@dataclass
class Sheet:
    """A data sheet of an archive member: its normalised header and the rows below it."""

    member: str
    sheet: str
    header: list[str]
    data: list[list[object]]
    header_row: int  # 0-based row of the header in the sheet
    notes: list[str]


def norm(name: object) -> str:
    """A column name as :data:`COLUMN_ALIASES` spells it: lower case, spaces as "_"."""
    return re.sub(r"\s+", "_", str(name).strip().lower())


def header_index(rows: list[list[object]]) -> int | None:
    """The row holding :data:`HEADER_COLUMNS` among the first :data:`HEADER_SEARCH_ROWS`."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if {norm(c) for c in row} >= HEADER_COLUMNS:
            return i
    return None


def _decode_numbers(raw: pd.Series, *, column: str, sheet: Sheet) -> tuple[pd.Series, pd.Series]:
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


def tidy_sheet(sheet: Sheet, *, scope: str, top: TopCode | None) -> pd.DataFrame:
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

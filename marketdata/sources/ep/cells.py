"""Cells of EP tables -> typed columns: numbers as BLS printed them, BLS's markers ("—",
"N/A", ``>=`` top codes) kept as notes, counts from thousands to persons, and the tidy frame
of one table kind."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from marketdata.core.errors import SourceFormatError
from marketdata.sources.ep.ep_tables import (
    COLUMNS,
    EDUCATION_COLUMNS,
    ID_COLUMNS,
    MARKER,
    THOUSANDS,
    round_name,
    year_of,
)

_TEXT = frozenset(
    {*ID_COLUMNS, *EDUCATION_COLUMNS, "job_titles", "note", "release", "median_wage_note"}
)
_CODE_IN = re.compile(r"(\d{2}-\d{4})")
_DASHES = frozenset({"—", "–", "-", "‐"})
_NOT_AVAILABLE = frozenset({*_DASHES, "n/a", "na", ""})
DASH_NOTE = "Data is unavailable (BLS shows —)"
NA_WAGE_NOTE = "Wage data not available (BLS shows N/A)"
TOPCODE_NOTE = "Top-coded: BLS publishes the wage only as at least this value"


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


def tidy(
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
    out["occupation_title"] = titles.str.replace(MARKER.pattern, "", regex=True).str.strip()
    out["note"] = markers.map(footnotes).astype("string")
    if "occupation_type" in cols:
        out["occupation_type"] = _text(cols["occupation_type"]).str.replace(r"\s+", " ", regex=True)
    for name, series in cols.items():
        if name in out or name in ID_COLUMNS:
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
                year_of(headers, mapping, "median_wage"), index=index, dtype="Int64"
            )
    base = year_of(headers, mapping, "employment_base")
    projected = year_of(headers, mapping, "employment_projected")
    if (base is None or projected is None) and years is not None:
        base, projected = years
    if base is None or projected is None:
        raise SourceFormatError(f"no base and projected years in the {kind} table", source=source)
    out["base_year"] = pd.Series(base, index=index, dtype="int64")
    out["projected_year"] = pd.Series(projected, index=index, dtype="int64")
    out["release"] = pd.Series(round_name(base, projected), index=index, dtype="string")
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

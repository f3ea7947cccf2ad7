"""Tables of the occupation outlook report: the area next to its state and the nation, the
industries that employ the occupation, its growth, quick facts and pay bands."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from marketdata.analysis import growth
from marketdata.analysis.credentials import estimates as cert_estimates
from marketdata.core.config import Settings
from marketdata.core.errors import ContactRequired, MarketdataError
from marketdata.core.formatting import format_value
from marketdata.core.schema import PROJECTION_FIELDS, attach_provenance, provenance_of
from marketdata.core.series_id import NATIONAL_AREA
from marketdata.datasets import codes, cps
from marketdata.datasets.codes import Area, Occupation
from marketdata.reports.tables.common import columns_of

#: NAICS detail shown as "industries that employ it": 4-digit industry groups, else 3-digit.
INDUSTRY_DIGITS: tuple[int, ...] = (4, 3)


def comparison_codes(where: Area, others: Sequence[Area] = ()) -> list[str]:
    """Area codes in report order: the area, the other areas asked for, the area's state
    (for a metro or nonmetro area), the nation; each once."""
    wanted = [where.code, *(a.code for a in others)]
    if where.type not in ("state", "national") and where.state_code:
        wanted.append(f"{where.state_code}00000")
    wanted.append(NATIONAL_AREA)
    return list(dict.fromkeys(wanted))


def comparison_title(where: Area) -> str:
    """Heading of the area comparison: "Columbus, OH next to its state and the nation"."""
    if where.type == "national":
        return "The nation"
    if where.type == "state":
        return f"{where.name} next to the nation"
    return f"{where.name} next to its state and the nation"


def area_row(frame: pd.DataFrame, where: Area, occ: Occupation) -> pd.Series:
    """The row of ``occ`` in ``where``; a row of missing values (with names) if BLS publishes
    none for that area."""
    rows = frame[(frame["area_code"] == where.code) & (frame["occupation_code"] == occ.code)]
    if len(rows):
        return rows.iloc[0]
    blank = pd.Series(index=frame.columns, dtype=object)
    release = frame["release"].iloc[0] if len(frame) else ""
    blank.update(
        pd.Series(
            {
                "area_code": where.code,
                "area_name": where.name,
                "occupation_code": occ.code,
                "occupation_title": occ.title,
                "release": release,
            }
        )
    )
    return blank


def naics_digits(code: str) -> int | None:
    """How many NAICS digits an OEWS industry code has (``622000`` -> 3, ``621100`` -> 4);
    None for cross-industry, ownership and sector codes (``000001``, ``31--33``)."""
    if not code.isdigit() or code.startswith("0000"):
        return None
    return len(code.rstrip("0"))


def industry_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Industry rows of one occupation at the most detailed level published in ``frame``
    (4-digit NAICS, else 3-digit), largest employment first."""
    digits = frame["industry_code"].map(naics_digits)
    for level in INDUSTRY_DIGITS:
        chosen = frame[digits == level]
        if not chosen.empty:
            chosen = chosen.sort_values(["employment", "industry_code"], ascending=[False, True])
            return attach_provenance(chosen.reset_index(drop=True), provenance_of(frame))
    return attach_provenance(frame.iloc[0:0], provenance_of(frame))


def industry_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of an industry table."""
    keep = ["industry_code", "industry_title", "employment", "annual_median", "hourly_median"]
    flags = [f"is_topcoded_{c}" for c in keep if f"is_topcoded_{c}" in frame.columns]
    return attach_provenance(frame[keep + flags].reset_index(drop=True), provenance_of(frame))


def try_outlook(
    occupation_code: str, where: str = "US", *, settings: Settings | None = None
) -> tuple[Any | None, MarketdataError | None]:
    """(:func:`marketdata.analysis.growth.outlook`, None) or (None, the error that kept it out)."""
    try:
        return growth.outlook(occupation_code, where, settings=settings), None
    except MarketdataError as exc:
        return None, exc


def outlook_rows(
    occupation_code: str, where: Area, *, settings: Settings | None = None
) -> tuple[pd.DataFrame, list[str], list[MarketdataError]]:
    """Growth of one occupation in the nation and, for a state (or a metro's state), in the
    state: one row per area that has figures (none: an empty table), plain notes, and the
    errors of the projections that could not be had (the state's, when Projections Central
    can't be reached or they are not cached offline: :func:`marketdata.analysis.growth.outlook` then
    gives the nation's figures with ``unavailable`` set, and the report shows the nation's
    row once and says what is missing, instead of the national figures under the state).
    The state's projections are read once."""
    wanted = [("US", "the nation")]
    if where.type != "national" and where.state_code:
        state = codes.resolve_area(where.state_code).name
        wanted.insert(0, (state, state))
    found, notes, missing = [], [], []
    for query, name in wanted:
        result, error = try_outlook(occupation_code, query, settings=settings)
        if isinstance(error, ContactRequired):
            raise error
        if error is not None:
            missing.append(error)
        elif result.unavailable is not None:  # the nation's figures: not shown as the state's
            missing.append(result.unavailable)
        elif result.basis == "unavailable":
            notes.append(f"No projection for {name}: {'; '.join(result.notes)}")
        else:
            found.append(result)
            notes.extend(result.notes)
    return outlook_table(found), notes, missing


def require_rows(table: pd.DataFrame | None, missing: Sequence[MarketdataError]) -> pd.DataFrame:
    """``table`` if it has rows, else the first error that kept them out (the section then
    says it is not available)."""
    if table is None or table.empty:
        raise missing[0] if missing else MarketdataError("no employment projection was found")
    return table


def _money(row: pd.Series, column: str) -> str:
    value = row.get(column)
    if value is None or pd.isna(value):
        return "not released"
    return format_value(
        float(value), column, topcoded=bool(row.get(f"is_topcoded_{column}", False))
    )


def quick_facts(row: pd.Series, national: Any | None = None) -> dict[str, str]:
    """Headline facts of one occupation in one area, like the Occupational Outlook Handbook's
    quick facts: employment and pay in the area (OEWS), growth, openings and typical entry
    education (national Employment Projections, a :class:`marketdata.analysis.growth.Outlook`;
    "not available" when None)."""
    where = str(row["area_name"])
    employment = row.get("employment")
    facts = {
        "Occupation": f"{row['occupation_title']} ({row['occupation_code']})",
        "Area": where,
        f"Employment, {row['release']}": "not released"
        if employment is None or pd.isna(employment)
        else format_value(float(employment), "employment"),
        "Median annual pay": _money(row, "annual_median"),
        "Median hourly pay": _money(row, "hourly_median"),
    }
    missing = "not available"
    if national is None or national.basis != "projected":
        facts["Projected growth (U.S.)"] = missing
        facts["Openings per year (U.S.)"] = missing
        facts["Typical entry-level education"] = missing
        return facts
    growth = format_value(national.percent_change, "percent_change")
    if national.growth_category:
        growth += f" ({national.growth_category.lower()})"
    facts[f"Projected growth (U.S.), {national.release}"] = growth
    facts["Openings per year (U.S.)"] = format_value(national.openings_annual, "openings")
    facts["Typical entry-level education"] = national.typical_education or "not published"
    return facts


def outlook_table(outlooks: Sequence[Any]) -> pd.DataFrame:
    """One row per :class:`marketdata.analysis.growth.Outlook` (area), provenance of all of them."""
    frames = [o.to_frame() for o in outlooks]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return attach_provenance(table, [p for f in frames for p in provenance_of(f)])


def growth_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The columns of a growth table (from :func:`outlook_rows`)."""
    return columns_of(
        table,
        [
            "area_name",
            "source",
            "basis",
            *PROJECTION_FIELDS,
            "growth_category",
            "typical_education",
        ],
    )


PAY_BAND_COLUMNS: tuple[str, ...] = (
    "area_name",
    "annual_median",
    "entry_annual_low",
    "entry_annual_high",
    "mid_annual_low",
    "mid_annual_high",
    "experienced_annual_low",
    "experienced_annual_high",
    "cert_only_factor_low",
    "cert_only_factor_high",
    "cert_only_annual_low",
    "cert_only_annual_high",
)


def pay_band_columns(bands: pd.DataFrame) -> pd.DataFrame:
    """The columns of a pay-band table (from :func:`marketdata.analysis.salary.breakdown`): the
    pay with a certification is the one the chart and the text give (certification, no
    license); the mid-career band's point is the median, shown once as ``annual_median``."""
    return columns_of(bands, PAY_BAND_COLUMNS)


def certification_for(
    wages: pd.DataFrame, *, settings: Settings | None = None
) -> tuple[pd.DataFrame | bool, MarketdataError | None]:
    """The CPS certification table by occupation of the OEWS release's year for
    :func:`marketdata.analysis.salary.breakdown`, or (True, the error) when it cannot be had: the
    breakdown then falls back on a cached table or the bundled table 54, and the report
    records the gap (the breakdown's ``cert_unavailable`` column, which holds the technical
    reason, is not among the notes :func:`pay_band_notes` shows)."""
    year = int(re.search(r"(19|20)\d\d", str(wages["release"].iloc[0]))[0])
    try:
        return cps.certification_table(release=year, settings=settings), None
    except MarketdataError as exc:
        return True, exc


#: Columns of a pay-band table whose text the report shows as notes: methods and sources the
#: package writes. ``cert_unavailable`` (why a source could not be used, error text
#: included) is never among them: the report's About box names that gap in plain words.
PAY_BAND_NOTE_COLUMNS: tuple[str, ...] = (
    "experience_method",
    "cert_note",
    "cert_source",
)


def pay_band_notes(bands: pd.DataFrame) -> list[str]:
    """How the estimates of a pay-band table were made, once each (the columns of
    :data:`PAY_BAND_NOTE_COLUMNS`)."""
    notes = []
    for column in PAY_BAND_NOTE_COLUMNS:
        if column in bands.columns:
            notes += [str(v).strip() for v in bands[column].dropna().unique() if str(v).strip()]
        if column == "experience_method" and bands.get("cert_only_annual_low") is not None:
            notes.append(cert_estimates.CERT_ONLY_METHOD)  # the estimate the table shows
    return list(dict.fromkeys(notes))

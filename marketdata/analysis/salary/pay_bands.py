"""The salary breakdown: published pay by area, comparisons, sampling intervals, experience
bands and what it takes (the labels of each figure: :mod:`marketdata.analysis.salary`).

Experience bands (the rule)
---------------------------
OEWS publishes the 10th, 25th, 50th, 75th and 90th percentiles of an occupation's wages in
an area; it does not record experience. The established precedent for reading experience
levels off this distribution is the Department of Labor's prevailing-wage system: DOL ETA,
*Prevailing Wage Determination Policy Guidance, Nonagricultural Immigration Programs*
(revised November 2009), section II.B.1 "OES Wage Levels", sets four levels — I entry,
II qualified, III experienced, IV fully competent. Level I is the mean of the lowest third
of the OEWS wage distribution (about the 17th percentile), Level IV the mean of the upper
two thirds (about the 67th), and Levels II and III split the difference in thirds (about the
34th and 50th) — the statutory rule of INA 212(p)(4) for surveys with two levels. DOL's
final rule of 14 January 2021, "Strengthening Wage Protections for the Temporary and
Permanent Employment of Certain Aliens in the United States" (86 FR 3608), would have moved
them to about the 35th, 53rd, 72nd and 90th percentiles; DOL delayed its effective date
(86 FR 26164, 13 May 2021).

Since OEWS publishes percentiles, not the means DOL computes from microdata, the bands here
are intervals between *published* percentiles, chosen to contain the DOL levels of the 2009
guidance, with no interpolation:

========== ================== ===============================================
band       OEWS percentiles   contains
========== ================== ===============================================
entry      10th - 25th        DOL Level I (~17th percentile)
mid        25th - 75th        DOL Levels II, III, IV (~34th, ~50th, ~67th);
                              the median is given as the mid-career point
experienced 75th - 90th       the top quarter, above DOL Level IV
========== ================== ===============================================

BLS's own career guidance reads the percentiles the same way: someone new to a field may
expect wages near the 10th or 25th percentile, those with more experience near the 75th or
90th (B. Cover, "Beyond averages: Other ways to look at occupational wages", BLS
*Occupational Outlook Quarterly*). Each band bound equals a BLS published percentile; what is
an estimate is the mapping of experience onto that range.

"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from marketdata.analysis.salary.context_columns import price_columns, requirement_columns
from marketdata.analysis.salary.credential_columns import (
    check_user_factors,
    cps_table,
    credential_columns,
    read_user_factors,
    user_columns,
)
from marketdata.analysis.salary.figure_kinds import (
    DERIVED,
    EP,
    ESTIMATE,
    PUBLISHED,
    Columns,
    clean_value,
    one_line,
    topcoded,
)
from marketdata.core import arguments
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    FetchError,
    MarketdataError,
    SchemaError,
    UnknownArea,
    UnknownCode,
)
from marketdata.core.schema import OEWS_COLUMNS, OEWS_WAGE_COLUMNS, attach_provenance, provenance_of
from marketdata.core.series_id import CROSS_INDUSTRY, NATIONAL_AREA
from marketdata.datasets import codes

logger = logging.getLogger(__name__)

#: z of a two-sided 95 % normal interval.
Z95 = 1.96

#: Experience bands: name -> (low percentile column suffix, high suffix, point suffix or None).
BANDS: dict[str, tuple[str, str, str | None]] = {
    "entry": ("p10", "p25", None),
    "mid": ("p25", "p75", "median"),
    "experienced": ("p75", "p90", None),
}
EXPERIENCE_METHOD = (
    "Estimate: experience mapped to published OEWS percentiles (entry 10th-25th, mid 25th-75th "
    "with the median as point, experienced 75th-90th), bands chosen to contain DOL's "
    "prevailing-wage levels (ETA guidance Nov 2009: Level I ~17th, II ~34th, III ~50th, "
    "IV ~67th percentile); no interpolation"
)
SAMPLING_METHOD = "published estimate x (1 +/- 1.96 x RSE/100): normal 95% interval"
RATIO_METHOD = "area annual median / comparison area annual median (both published)"
WHAT_IT_TAKES = ("typical_education", "work_experience", "training")
_IDENTITY = (
    "area_code",
    "area_name",
    "area_type",
    "state_code",
    "occupation_code",
    "occupation_title",
    "release",
)


def _notes(frame: pd.DataFrame) -> pd.Series:
    columns = [c for c in OEWS_COLUMNS if f"{c}_note" in frame]
    out = []
    for _, row in frame.iterrows():
        parts = [
            f"{c}: {row[f'{c}_note']}"
            for c in columns
            if isinstance(row[f"{c}_note"], str) and row[f"{c}_note"].strip()
        ]
        out.append("; ".join(parts))
    return pd.Series(out, index=frame.index, dtype="str")


def _resolve_areas(areas: str | int | Iterable[str | int], occ: pd.DataFrame) -> list[str]:
    """Seven-digit codes of ``areas`` among the areas where the occupation is published."""
    table = occ[["area_code", "area_name", "area_type", "state_code"]].reset_index(drop=True)
    wanted = [areas] if isinstance(areas, str | int) else list(areas)
    if not wanted:
        raise UnknownArea("OEWS area", areas, hint="Give at least one area, e.g. 'US'.")
    return [codes.resolve_area(area, table=table).code for area in wanted]


def _oews(occupation: str, release: str, settings: Settings) -> pd.DataFrame:
    """Every area's cross-industry estimates of ``occupation`` (the states and the nation are
    needed for the comparisons)."""
    from marketdata.datasets import oews

    return oews.load(occupation, release=release, settings=settings)


def _what_it_takes(occupation: str, settings: Settings) -> tuple[dict[str, object], str, list]:
    """EP's education and training assignments and attainment shares for ``occupation``.

    Loaded lazily from :func:`marketdata.datasets.projections.load` (tables ``projections`` and
    ``attainment``); what cannot be loaded is left out and the reason returned.
    """
    try:
        from marketdata.datasets import projections
    except ImportError as err:
        return {}, f"EP data unavailable: {one_line(err)}", []
    values: dict[str, object] = {}
    notes: list[str] = []
    provenance: list = []
    for table in ("projections", "attainment"):
        try:
            frame = projections.load(table=table, settings=settings)
        except FetchError as err:
            if not values:  # the workbook itself is out of reach, bundled release included
                logger.info("EP data unavailable: %s", err)
                notes.append(f"EP data unavailable: {one_line(err)}")
                break
            # the projections came (e.g. from the bundled release); only this table is missing
            logger.info("EP %s table unavailable: %s", table, err)
            notes.append(f"EP {table} table unavailable: {str(err).splitlines()[0]}")
            continue
        except MarketdataError as err:
            logger.info("EP %s table unavailable: %s", table, err)
            notes.append(f"EP {table} table unavailable: {one_line(err)}")
            continue
        provenance += provenance_of(frame)
        rows = frame[frame["occupation_code"] == occupation]
        if rows.empty:
            notes.append(f"EP {table} table has no row for {occupation}")
            continue
        row = rows.iloc[0]
        wanted = [c for c in frame.columns if c in WHAT_IT_TAKES or c.startswith("attainment_")]
        values.update({c: row[c] for c in wanted})
        values["projections_release"] = row.get("release", "")
    return values, "; ".join(notes), provenance


def _published(cols: Columns, out: pd.DataFrame) -> None:
    skip = ("industry_code", "industry_title", "occupation_level")
    for column in OEWS_COLUMNS:
        if column in skip:
            continue
        kind = "identity" if column in _IDENTITY else PUBLISHED
        cols.add(column, out[column].to_numpy(), kind, "OEWS, as published", "OEWS")
    for column in OEWS_WAGE_COLUMNS:
        cols.add(
            f"is_topcoded_{column}",
            topcoded(out, column).to_numpy(),
            PUBLISHED,
            "BLS top-code footnote: the value is a bound",
            "OEWS",
        )
    cols.add(
        "bls_notes", _notes(out).to_numpy(), PUBLISHED, "BLS footnotes of missing values", "OEWS"
    )


def _comparisons(cols: Columns, out: pd.DataFrame, occ: pd.DataFrame) -> None:
    median = clean_value(out, "annual_median").to_numpy()
    states = occ[occ["area_type"].astype(str).str.startswith("state")].set_index("state_code")
    state_median = clean_value(states, "annual_median")
    is_national = (out["area_code"] == NATIONAL_AREA).to_numpy()
    is_state = out["area_type"].astype(str).str.startswith("state").to_numpy()
    state = out["state_code"].map(state_median).to_numpy(dtype="float64")
    national = (
        float(clean_value(occ.loc[[NATIONAL_AREA]], "annual_median").iloc[0])
        if NATIONAL_AREA in occ.index
        else np.nan
    )
    what = "OEWS annual median of the area's state / the nation (NaN if top-coded or suppressed)"
    cols.add(
        "state_name",
        out["state_code"].map(states["area_name"]).fillna("").to_numpy(),
        PUBLISHED,
        what,
        "OEWS",
    )
    cols.add(
        "state_annual_median",
        np.where(is_national | is_state, np.nan, state),
        PUBLISHED,
        what,
        "OEWS",
    )
    cols.add("national_annual_median", national, PUBLISHED, what, "OEWS")
    cols.add(
        "ratio_to_state",
        median / cols["state_annual_median"].to_numpy(),
        DERIVED,
        RATIO_METHOD,
        "OEWS",
    )
    cols.add(
        "ratio_to_nation",
        np.where(is_national, np.nan, median / national),
        DERIVED,
        RATIO_METHOD,
        "OEWS",
    )


def _sampling(cols: Columns, out: pd.DataFrame) -> None:
    pairs = (
        ("employment", "employment_rse"),
        ("annual_mean", "wage_rse"),
        ("hourly_mean", "wage_rse"),
    )
    for measure, rse in pairs:
        value = clean_value(out, measure).to_numpy()
        half = Z95 * out[rse].to_numpy() / 100 * value
        cols.add(f"{measure}_ci95_low", value - half, DERIVED, SAMPLING_METHOD, "OEWS")
        cols.add(f"{measure}_ci95_high", value + half, DERIVED, SAMPLING_METHOD, "OEWS")


def _bands(cols: Columns, out: pd.DataFrame) -> None:
    for band, (low, high, point) in BANDS.items():
        for basis in ("annual", "hourly"):
            for end, pct in (("low", low), ("high", high), ("point", point)):
                if pct is None:
                    continue
                column, published = f"{band}_{basis}_{end}", f"{basis}_{pct}"
                cols.add(
                    column,
                    out[published].to_numpy(),
                    ESTIMATE,
                    EXPERIENCE_METHOD,
                    f"OEWS {published}",
                )
                cols.add(
                    f"is_topcoded_{column}",
                    topcoded(out, published).to_numpy(),
                    ESTIMATE,
                    EXPERIENCE_METHOD,
                    f"OEWS {published}",
                )
    cols.add("experience_method", EXPERIENCE_METHOD, ESTIMATE, EXPERIENCE_METHOD)


def _ep(cols: Columns, occupation: str, settings: Settings) -> list:
    values, why, provenance = _what_it_takes(occupation, settings)
    for column in (*WHAT_IT_TAKES, *(c for c in values if c not in WHAT_IT_TAKES)):
        cols.add(column, values.get(column, pd.NA), EP, "national EP assignment", "EP")
    cols.add("what_it_takes_note", why, EP, "", "EP")
    return provenance


def breakdown(
    occupation: str,
    areas: str | Sequence[str | int],
    *,
    release: str = "latest",
    certification: bool | pd.DataFrame = True,
    user_factors: str | Path | pd.DataFrame | None = None,
    what_it_takes: bool = True,
    local_prices: bool | pd.DataFrame = True,
    requirements: bool | pd.DataFrame = True,
    data: pd.DataFrame | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Pay bands, regional comparison, sampling error and credential factors of an occupation.

    Parameters
    ----------
    occupation
        SOC code (``"29-2072"``) or title words (``"medical records"``), as
        :func:`marketdata.datasets.codes.resolve_occupation` reads them.
    areas
        Areas to show, in order: ``"US"``, a state (``"Ohio"``, ``"OH"``, ``39``), a metro
        or nonmetro area (``"Columbus, OH"``, CBSA ``18140``), as
        :func:`marketdata.datasets.codes.resolve_area` reads them.
    release
        OEWS release (``"latest"``, ``"May 2025"``, ...), passed to :func:`marketdata.datasets.oews.load`.
    certification
        True: add the CPS certification factors: the occupation group's from BLS's table of
        the release's year (fetched or cached, else any cached one), the EP entry
        education's and all workers' from CPS table 54 (the bundled 2023 table offline, with
        an OfflineDataWarning); False: leave them out; a certification frame by occupation
        (e.g. from :func:`marketdata.datasets.cps.certification_series`): use it for the group.
    user_factors
        Path to a user credential-factor CSV (see :func:`read_user_factors`) or its frame.
    what_it_takes
        Add EP's education, experience and training assignments and attainment shares
        (national); left out with a note if EP data cannot be loaded.
    local_prices
        True: add BEA's regional price parity and the median in national prices
        (:mod:`marketdata.analysis.salary.context_columns`); False: leave them out; a frame of
        :func:`marketdata.datasets.rpp.load_all`: use it.
    requirements
        True: add BLS ORS's shares of jobs requiring a credential, a certification and a
        license (national); False: leave them out; a frame of
        :func:`marketdata.datasets.ors.load_credentials`: use it.
    data
        An OEWS frame already loaded (columns of :data:`marketdata.core.schema.OEWS_COLUMNS` with
        ``is_topcoded_*`` and ``*_note``); default: :func:`marketdata.datasets.oews.load`.

    Returns
    -------
    DataFrame
        One row per area. ``df.attrs["column_info"]`` maps every column to its ``kind``
        (BLS published, derived from BLS figures, estimate, user-supplied, EP) and method;
        ``df.attrs["provenance"]`` lists every source. The rules: this module's docstring
        (experience bands) and :mod:`marketdata.analysis.salary.credential_columns` (credential factors).

    Raises
    ------
    UnknownCode, UnknownArea
        With close matches, for an occupation or area BLS does not publish.
    SourceFormatError
        For a malformed user-factor file (names the file and line).
    """
    settings = get_settings(settings)
    arguments.one(occupation, "occupation", example="'29-2072' or 'medical records'")
    areas = arguments.selection(areas, "areas", noun="area", example="'US' or ['US', 'OH']")
    factors = None
    if user_factors is not None:  # checked first: a bad file fails before any download
        factors = (
            check_user_factors(user_factors, source="user_factors frame")
            if isinstance(user_factors, pd.DataFrame)
            else read_user_factors(user_factors)
        )
    titles = None
    if data is not None:
        titles = data[["occupation_code", "occupation_title", "occupation_level"]]
        titles = titles.drop_duplicates("occupation_code").reset_index(drop=True)
    occupation = codes.resolve_occupation(occupation, table=titles).code
    frame = data if data is not None else _oews(occupation, release, settings)
    missing = [c for c in OEWS_COLUMNS if c not in frame]
    if missing:
        raise SchemaError(f"OEWS frame is missing columns: {', '.join(missing)}")
    occ = frame[
        (frame["occupation_code"] == occupation) & (frame["industry_code"] == CROSS_INDUSTRY)
    ]
    if occ.empty:
        raise UnknownCode("OEWS occupation", occupation, hint="The OEWS frame has no row of it.")
    occ = occ.drop_duplicates("area_code").set_index("area_code", drop=False)
    out = occ.loc[_resolve_areas(areas, occ)]
    median = clean_value(out, "annual_median").to_numpy()

    cols = Columns(pd.RangeIndex(len(out)))
    _published(cols, out)
    _comparisons(cols, out, occ)
    _sampling(cols, out)
    _bands(cols, out)
    provenance = list(provenance_of(frame))
    education = None
    if what_it_takes:
        provenance += _ep(cols, occupation, settings)
        education = cols["typical_education"].iloc[0]
        education = education if isinstance(education, str) and education else None
    if certification is not False:
        year = _release_year(out["release"].iloc[0])
        table, why = cps_table(certification, year, settings)
        provenance += credential_columns(
            cols,
            occupation,
            median,
            list(out["area_name"]),
            table,
            why,
            entry_education=education,
            settings=settings,
        )
    if factors is not None:
        user_columns(cols, occupation, median, factors)
    if local_prices is not False:
        provenance += price_columns(cols, out, local_prices, settings)
    if requirements is not False:
        provenance += requirement_columns(cols, occupation, requirements, settings)
    result = cols.frame
    result.attrs["column_info"] = cols.info
    return attach_provenance(result, provenance)


def _release_year(release: object) -> int:
    match = re.search(r"(19|20)\d\d", str(release))
    if not match:
        raise SchemaError(f"OEWS release {release!r} names no year")
    return int(match.group(0))

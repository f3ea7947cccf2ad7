"""Salary breakdown of one occupation by area, experience level and credential.

:func:`breakdown` answers a counselor's question — what would this student earn here,
starting out, and does a certification pay? — from BLS data, with every figure labelled:

- **BLS published** (OEWS): employment, wages and their percentiles, location quotient,
  jobs per 1,000, relative standard errors. Copied, never changed. Top-coded wages keep
  BLS's bound and ``is_topcoded_<column>`` is True; suppressed values stay NaN and
  ``bls_notes`` gives BLS's reason.
- **derived from BLS figures**: ratios of medians (area vs its state and the nation) and
  95 % sampling intervals from the published RSEs. Arithmetic on published numbers; NaN
  when an input is suppressed or top-coded (a ratio of a bound is not a number).
- **estimate** (a model, labelled in ``experience_method`` / ``cert_method``): experience
  bands and pay with a credential.
- **user-supplied**: credential factors from the user's CSV, in ``user_*`` columns only.
- **EP** (BLS Employment Projections): education and training assignments and educational
  attainment ("what it takes"), national.

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

Credentials
-----------
The BLS-derived factor comes from CPS (:mod:`marketdata.certification`): the occupation's
CPS group, median weekly earnings of full-time wage and salary workers with a certification
but no license, with a license, or with either, each divided by the group's median for all
workers; the range is the lowest and highest of the published ones. ``cert_annual_low`` /
``_high`` apply it to the area's OEWS annual median. User factors (a CSV with columns
``credential, occupation_code, factor_low, factor_high, citation``) go to their own
``user_<credential>_*`` columns and are never combined with the BLS-derived ones.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from marketdata import codes, cps
from marketdata.certification import cps_group, premium_for
from marketdata.config import Settings, get_settings
from marketdata.errors import (
    FetchError,
    MarketdataError,
    SchemaError,
    SourceFormatError,
    UnknownArea,
    UnknownCode,
)
from marketdata.formatting import format_value
from marketdata.schema import OEWS_COLUMNS, OEWS_WAGE_COLUMNS, attach_provenance, provenance_of
from marketdata.series_id import CROSS_INDUSTRY, NATIONAL_AREA

logger = logging.getLogger(__name__)

#: z of a two-sided 95 % normal interval.
Z95 = 1.96
PUBLISHED = "BLS published"
DERIVED = "derived from BLS figures"
ESTIMATE = "estimate"
USER = "user-supplied"
EP = "BLS Employment Projections"

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
CERT_METHOD = (
    "Estimate: area's OEWS annual median x CPS factor (median weekly earnings of full-time "
    "wage and salary workers with a certification but no license / a license / either, "
    "divided by all workers', in the occupation's CPS group); a ratio of medians, not a "
    "causal effect"
)
USER_METHOD = "Estimate: area's OEWS annual median x user factor"
SAMPLING_METHOD = "published estimate x (1 +/- 1.96 x RSE/100): normal 95% interval"
RATIO_METHOD = "area annual median / comparison area annual median (both published)"
USER_FACTOR_COLUMNS = ("credential", "occupation_code", "factor_low", "factor_high", "citation")
WHAT_IT_TAKES = ("typical_education", "work_experience", "training")
_SOC = re.compile(r"^\d{2}-\d{4}$")
_IDENTITY = (
    "area_code",
    "area_name",
    "area_type",
    "state_code",
    "occupation_code",
    "occupation_title",
    "release",
)


# --------------------------------------------------------------------------- user factors


def read_user_factors(path: str | Path) -> pd.DataFrame:
    """Read and check a user credential-factor CSV (see :func:`check_user_factors`).

    The file has a header line and the columns ``credential, occupation_code, factor_low,
    factor_high, citation`` (extra columns are kept). Example::

        credential,occupation_code,factor_low,factor_high,citation
        CPC,29-2072,1.05,1.12,"<certifying body>, <salary survey>, <year>, <URL>"

    Raises
    ------
    SourceFormatError
        Naming the file and line of the first problem.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise SourceFormatError("file not found", source=str(path)) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise SourceFormatError(f"not a readable CSV file ({err})", source=str(path)) from None
    return check_user_factors(frame, source=str(path))


def check_user_factors(frame: pd.DataFrame, *, source: str = "user factors") -> pd.DataFrame:
    """Check user credential factors and return them cleaned (factors as floats).

    ``factor_*`` multiply an annual median: 1.08 means 8 % more. Line numbers in errors count
    the header as line 1, as in the CSV file.

    Raises
    ------
    SourceFormatError
        Naming ``source`` and the line of the first problem: missing column, malformed SOC
        code, non-numeric factor, factors outside ``0 < factor_low <= factor_high < 10``,
        empty credential or citation, or the same credential twice for one occupation.
    """
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in USER_FACTOR_COLUMNS if c not in frame.columns]
    if missing:
        raise SourceFormatError(
            f"missing column(s) {', '.join(missing)}; the header must name "
            f"{', '.join(USER_FACTOR_COLUMNS)}",
            source=source,
            line=1,
        )
    text = frame[list(USER_FACTOR_COLUMNS)].astype(str).apply(lambda c: c.str.strip())
    seen: dict[tuple[str, str], int] = {}
    lows, highs = [], []
    for line, row in enumerate(text.itertuples(index=False), start=2):
        low, high = _check_row(row, source, line)
        key = (row.credential.lower(), row.occupation_code)
        if key in seen:
            raise SourceFormatError(
                f"{row.credential} for {row.occupation_code} is also on line {seen[key]}",
                source=source,
                line=line,
            )
        seen[key] = line
        lows.append(low)
        highs.append(high)
    for column in ("credential", "occupation_code", "citation"):
        frame[column] = text[column]
    frame["factor_low"] = pd.Series(lows, index=frame.index, dtype="float64")
    frame["factor_high"] = pd.Series(highs, index=frame.index, dtype="float64")
    frame.attrs["source"] = source
    return frame


def _check_row(row: tuple, source: str, line: int) -> tuple[float, float]:
    def fail(message: str) -> SourceFormatError:
        return SourceFormatError(message, source=source, line=line)

    if not row.credential:
        raise fail("empty credential")
    if not _SOC.match(row.occupation_code):
        raise fail(f"occupation_code {row.occupation_code!r} is not a SOC code like 29-2072")
    try:
        low, high = float(row.factor_low), float(row.factor_high)
    except ValueError:
        raise fail(
            f"factor_low {row.factor_low!r} / factor_high {row.factor_high!r} must be numbers "
            "such as 1.05"
        ) from None
    if not 0 < low <= high < 10:  # also False for NaN
        raise fail(
            f"factors must satisfy 0 < factor_low <= factor_high < 10 (got {low}, {high}); "
            "a factor multiplies pay, 1.10 = 10 % more"
        )
    if not row.citation:
        raise fail(f"empty citation for {row.credential}: say where the factor comes from")
    return low, high


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "credential"


# --------------------------------------------------------------------------- helpers


def _topcoded(frame: pd.DataFrame, column: str) -> pd.Series:
    flag = f"is_topcoded_{column}"
    if flag in frame:
        return frame[flag].fillna(False).astype(bool)
    return pd.Series(False, index=frame.index)


def _clean_value(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column's values, NaN where the value is only a top-code bound."""
    return frame[column].where(~_topcoded(frame, column))


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


def _money(value: float, hourly: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return format_value(value, "hourly" if hourly else "annual")


# --------------------------------------------------------------------------- loading


def _oews(occupation: str, release: str, settings: Settings) -> pd.DataFrame:
    """Every area's cross-industry estimates of ``occupation`` (the states and the nation are
    needed for the comparisons)."""
    from marketdata import oews

    return oews.load(release, occupation=occupation, settings=settings)


def _one_line(err: BaseException) -> str:
    return " ".join(str(err).split())


def _what_it_takes(occupation: str, settings: Settings) -> tuple[dict[str, object], str, list]:
    """EP's education and training assignments and attainment shares for ``occupation``.

    Loaded lazily from :func:`marketdata.projections.load` (tables ``projections`` and
    ``attainment``); what cannot be loaded is left out and the reason returned.
    """
    try:
        from marketdata import projections
    except ImportError as err:
        return {}, f"EP data unavailable: {_one_line(err)}", []
    values: dict[str, object] = {}
    notes: list[str] = []
    provenance: list = []
    for table in ("projections", "attainment"):
        try:
            frame = projections.load(table=table, settings=settings)
        except FetchError as err:  # the workbook itself is out of reach: no table will do
            logger.info("EP data unavailable: %s", err)
            notes.append(f"EP data unavailable: {_one_line(err)}")
            break
        except MarketdataError as err:
            logger.info("EP %s table unavailable: %s", table, err)
            notes.append(f"EP {table} table unavailable: {_one_line(err)}")
            continue
        provenance += provenance_of(frame)
        rows = frame[frame["occupation_code"] == occupation]
        if rows.empty:
            notes.append(f"EP {table} table has no row for {occupation}")
            continue
        row = rows.iloc[0]
        wanted = [c for c in frame.columns if c in WHAT_IT_TAKES or c.startswith("attainment_")]
        values.update({c: row[c] for c in wanted})
        values["ep_round"] = row.get("round", "")
    return values, "; ".join(notes), provenance


def _cps_table(
    certification_arg: bool | pd.DataFrame, year: int, settings: Settings
) -> tuple[pd.DataFrame | None, str]:
    if isinstance(certification_arg, pd.DataFrame):
        return certification_arg, ""
    try:
        return cps.certification_table(year, settings=settings), ""
    except MarketdataError as err:
        logger.info("CPS certification table unavailable: %s", err)
        return None, f"CPS certification table for {year} unavailable: {_one_line(err)}"


# --------------------------------------------------------------------------- breakdown


class _Columns:
    """The breakdown's columns and what each one is (kind, method, source)."""

    def __init__(self, index: pd.Index) -> None:
        self.frame = pd.DataFrame(index=index)
        self.info: dict[str, dict[str, str]] = {}

    def add(self, name: str, values: object, kind: str, method: str = "", source: str = "") -> None:
        self.frame[name] = values
        self.info[name] = {"kind": kind, "method": method, "source": source}


def _published(cols: _Columns, out: pd.DataFrame) -> None:
    skip = ("industry_code", "industry_title", "occupation_level")
    for column in OEWS_COLUMNS:
        if column in skip:
            continue
        kind = "identity" if column in _IDENTITY else PUBLISHED
        cols.add(column, out[column].to_numpy(), kind, "OEWS, as published", "OEWS")
    for column in OEWS_WAGE_COLUMNS:
        cols.add(
            f"is_topcoded_{column}",
            _topcoded(out, column).to_numpy(),
            PUBLISHED,
            "BLS top-code footnote: the value is a bound",
            "OEWS",
        )
    cols.add(
        "bls_notes", _notes(out).to_numpy(), PUBLISHED, "BLS footnotes of missing values", "OEWS"
    )


def _comparisons(cols: _Columns, out: pd.DataFrame, occ: pd.DataFrame) -> None:
    median = _clean_value(out, "annual_median").to_numpy()
    states = occ[occ["area_type"].astype(str).str.startswith("state")].set_index("state_code")
    state_median = _clean_value(states, "annual_median")
    is_national = (out["area_code"] == NATIONAL_AREA).to_numpy()
    is_state = out["area_type"].astype(str).str.startswith("state").to_numpy()
    state = out["state_code"].map(state_median).to_numpy(dtype="float64")
    national = (
        float(_clean_value(occ.loc[[NATIONAL_AREA]], "annual_median").iloc[0])
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
        median / cols.frame["state_annual_median"].to_numpy(),
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


def _sampling(cols: _Columns, out: pd.DataFrame) -> None:
    pairs = (
        ("employment", "employment_rse"),
        ("annual_mean", "wage_rse"),
        ("hourly_mean", "wage_rse"),
    )
    for measure, rse in pairs:
        value = _clean_value(out, measure).to_numpy()
        half = Z95 * out[rse].to_numpy() / 100 * value
        cols.add(f"{measure}_ci95_low", value - half, DERIVED, SAMPLING_METHOD, "OEWS")
        cols.add(f"{measure}_ci95_high", value + half, DERIVED, SAMPLING_METHOD, "OEWS")


def _bands(cols: _Columns, out: pd.DataFrame) -> None:
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
                    _topcoded(out, published).to_numpy(),
                    ESTIMATE,
                    EXPERIENCE_METHOD,
                    f"OEWS {published}",
                )
    cols.add("experience_method", EXPERIENCE_METHOD, ESTIMATE, EXPERIENCE_METHOD)


def _credential(
    cols: _Columns,
    occupation: str,
    median: np.ndarray,
    table: pd.DataFrame | None,
    why: str,
) -> list:
    """The BLS-derived (CPS) credential columns; returns the CPS provenance."""
    if table is None:
        premium = None
        group, source, note = cps_group(occupation)[0], "", why
    else:
        premium = premium_for(occupation, table)
        group, source, note = premium.group or premium.mapped_group, premium.source, premium.note
    ratios = {
        "cps_premium_low": "premium_low",
        "cps_premium_high": "premium_high",
        "cps_premium_either": "premium_with_either",
        "cert_factor_low": "factor_low",
        "cert_factor_high": "factor_high",
    }
    cols.add("cps_group", group, DERIVED, "SOC major group -> CPS occupation group", "CPS")
    for column, field in ratios.items():
        value = getattr(premium, field) if premium is not None else np.nan
        cols.add(column, value, DERIVED, "ratio of published CPS medians", "CPS")
    for end in ("low", "high"):
        factor = cols.frame[f"cert_factor_{end}"].to_numpy()
        cols.add(f"cert_annual_{end}", median * factor, ESTIMATE, CERT_METHOD, "OEWS x CPS")
    cols.add("cert_method", CERT_METHOD, ESTIMATE, CERT_METHOD)
    cols.add("cert_source", source, DERIVED, "", "CPS")
    cols.add("cert_note", note, DERIVED, "", "CPS")
    return provenance_of(table) if table is not None else []


def _user(cols: _Columns, occupation: str, median: np.ndarray, factors: pd.DataFrame) -> None:
    """User-supplied credential columns, ``user_<credential>_*``: never mixed with BLS's."""
    where = factors.attrs.get("source", "user")
    for row in factors[factors["occupation_code"] == occupation].itertuples(index=False):
        slug = f"user_{_slug(row.credential)}"
        for end in ("low", "high"):
            factor = float(getattr(row, f"factor_{end}"))
            cols.add(f"{slug}_factor_{end}", factor, USER, "as given in the user's file", where)
            cols.add(
                f"{slug}_annual_{end}", median * factor, ESTIMATE, USER_METHOD, "OEWS x user factor"
            )
        cols.add(
            f"{slug}_citation",
            f"{row.credential}: {row.citation}",
            USER,
            "as given in the user's file",
            where,
        )


def _ep(cols: _Columns, occupation: str, settings: Settings) -> list:
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
    data: pd.DataFrame | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Pay bands, regional comparison, sampling error and credential factors of an occupation.

    Parameters
    ----------
    occupation
        SOC code (``"29-2072"``) or title words (``"medical records"``), as
        :func:`marketdata.codes.resolve_occupation` reads them.
    areas
        Areas to show, in order: ``"US"``, a state (``"Ohio"``, ``"OH"``, ``39``), a metro
        or nonmetro area (``"Columbus, OH"``, CBSA ``18140``), as
        :func:`marketdata.codes.resolve_area` reads them.
    release
        OEWS release (``"latest"``, ``"May 2025"``, ...), passed to :func:`marketdata.oews.load`.
    certification
        True: add the CPS certification factor (BLS table of the release's year, fetched
        and cached); False: leave it out; a certification frame (e.g. from
        :func:`marketdata.cps.certification_series`): use it.
    user_factors
        Path to a user credential-factor CSV (see :func:`read_user_factors`) or its frame.
    what_it_takes
        Add EP's education, experience and training assignments and attainment shares
        (national); left out with a note if EP data cannot be loaded.
    data
        An OEWS frame already loaded (columns of :data:`marketdata.schema.OEWS_COLUMNS` with
        ``is_topcoded_*`` and ``*_note``); default: :func:`marketdata.oews.load`.

    Returns
    -------
    DataFrame
        One row per area. ``df.attrs["column_info"]`` maps every column to its ``kind``
        (BLS published, derived from BLS figures, estimate, user-supplied, EP) and method;
        ``df.attrs["provenance"]`` lists every source. See the module docstring for the rules.

    Raises
    ------
    UnknownCode, UnknownArea
        With close matches, for an occupation or area BLS does not publish.
    SourceFormatError
        For a malformed user-factor file (names the file and line).
    """
    settings = get_settings(settings)
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
    median = _clean_value(out, "annual_median").to_numpy()

    cols = _Columns(pd.RangeIndex(len(out)))
    _published(cols, out)
    _comparisons(cols, out, occ)
    _sampling(cols, out)
    _bands(cols, out)
    provenance = list(provenance_of(frame))
    if certification is not False:
        year = _release_year(out["release"].iloc[0])
        table, why = _cps_table(certification, year, settings)
        provenance += _credential(cols, occupation, median, table, why)
    if factors is not None:
        _user(cols, occupation, median, factors)
    if what_it_takes:
        provenance += _ep(cols, occupation, settings)
    result = cols.frame
    result.attrs["column_info"] = cols.info
    return attach_provenance(result, provenance)


def _release_year(release: object) -> int:
    match = re.search(r"(19|20)\d\d", str(release))
    if not match:
        raise SchemaError(f"OEWS release {release!r} names no year")
    return int(match.group(0))


# --------------------------------------------------------------------------- display


_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Employment", "employment", "count"),
    ("Employment, 95% interval", "employment_ci95", "count_range"),
    ("Jobs per 1,000", "jobs_per_1000", "number3"),
    ("Location quotient", "location_quotient", "number2"),
    ("Annual mean wage", "annual_mean", "money"),
    ("Annual mean, 95% interval", "annual_mean_ci95", "money_range"),
    ("Annual median wage", "annual_median", "money"),
    ("Hourly median wage", "hourly_median", "hourly"),
    ("Median vs state", "ratio_to_state", "ratio"),
    ("Median vs nation", "ratio_to_nation", "ratio"),
    ("Entry (10th-25th pct)*", "entry_annual", "band"),
    ("Mid-career (25th-75th pct)*", "mid_annual", "band"),
    ("Mid-career point (median)*", "mid_annual_point", "money"),
    ("Experienced (75th-90th pct)*", "experienced_annual", "band"),
    ("CPS premium, with / without credential (BLS-derived)", "cps_premium", "factor_range"),
    ("CPS factor, with credential / all workers (BLS-derived)", "cert_factor", "factor_range"),
    ("Pay with credential*", "cert_annual", "money_range"),
)


def _cell(row: pd.Series, column: str, style: str) -> str:
    def bound(name: str, hourly: bool = False) -> str:
        value = row.get(name, np.nan)
        if pd.isna(value):
            return "n/a"
        text = _money(float(value), hourly)
        return f">= {text}" if bool(row.get(f"is_topcoded_{name}", False)) else text

    if style == "money":
        return bound(column)
    if style == "hourly":
        return bound(column, hourly=True)
    if style == "band":
        low, high = bound(column + "_low"), bound(column + "_high")
        low_value, high_value = row.get(column + "_low"), row.get(column + "_high")
        if high.startswith(">=") and pd.notna(low_value) and low_value >= high_value:
            # BLS's top code lies below the band's published start (May 2025 publishes wages
            # above it): all that is known is that the band starts there.
            return f"{low} and up"
        return "n/a" if low == high == "n/a" else f"{low} - {high}"
    value = row.get(column, np.nan)
    if style == "count":
        return "n/a" if pd.isna(value) else f"{value:,.0f}"
    if style.startswith("number"):  # as BLS prints them: 3 decimals (per 1,000), 2 (LQ)
        return "n/a" if pd.isna(value) else f"{value:,.{style[-1]}f}"
    if style == "ratio":
        return "-" if pd.isna(value) else f"{value:.3f}"
    low, high = row.get(f"{column}_low", np.nan), row.get(f"{column}_high", np.nan)
    if pd.isna(low) or pd.isna(high):
        return "n/a"
    if style == "count_range":
        return f"{low:,.0f} - {high:,.0f}"
    if style == "factor_range":
        return f"{low:.2f} - {high:.2f}"
    return f"{_money(low)} - {_money(high)}"


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """A text table of a :func:`breakdown`: one column per area, one row per figure.

    Top-coded values read ``>= $239,200``; suppressed ones ``n/a``; rows marked ``*`` are
    estimates (see the frame's ``*_method`` columns).
    """
    rows = [
        (label, column, style)
        for label, column, style in _ROWS
        if any(c.startswith(column) for c in frame.columns)
    ]
    user = sorted(
        {
            c[: -len("_factor_low")]
            for c in frame.columns
            if c.startswith("user_") and c.endswith("_factor_low")
        }
    )
    for slug in user:
        rows.append((f"User factor {slug[5:]} (user-supplied)", f"{slug}_factor", "factor_range"))
        rows.append((f"Pay with {slug[5:]}* (user factor)", f"{slug}_annual", "money_range"))
    table = {
        row["area_name"]: [_cell(row, column, style) for _, column, style in rows]
        for _, row in frame.iterrows()
    }
    return pd.DataFrame(table, index=[label for label, _, _ in rows])

"""Is this job growing? Projected (or, failing that, observed) employment change for a report.

:func:`outlook` combines, for one occupation and one area, base and projected employment,
change, percent change, annual openings, education and training, and BLS's plain-language
growth category. Nationally the figures are BLS's Employment Projections; for a state they are
the state's long-term projections from Projections Central, and where a state has none, the
change observed in OEWS employment (labelled ``basis="observed"``, never passed off as a
projection).

:func:`nem_to_soc` maps National Employment Matrix codes to the SOC codes OEWS publishes.
"""

from __future__ import annotations

import importlib
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

import pandas as pd
from rapidfuzz import process

from marketdata import projections, series_id
from marketdata.config import Settings, get_settings
from marketdata.errors import MarketdataError, UnknownCode, UnknownRelease
from marketdata.schema import attach_provenance, provenance_of

logger = logging.getLogger(__name__)

#: BLS's wording, fastest first (Occupational Outlook Handbook, "Job Outlook").
CATEGORIES: tuple[str, ...] = (
    "Much faster than average",
    "Faster than average",
    "As fast as average",
    "Slower than average",
    "Little or no change",
    "Decline",
)


@dataclass(frozen=True)
class GrowthBands:
    """Lower bounds, in whole percent, of BLS's growth categories for one projection round.

    A percent change is rounded to a whole percent (as the Occupational Outlook Handbook
    prints it) and then falls in the highest band whose lower bound it reaches; below
    ``slower_min`` and above ``decline_max`` is "Little or no change".
    """

    round: str
    much_faster_min: int
    faster_min: int
    as_fast_min: int
    slower_min: int
    decline_max: int
    source: str

    def category(self, percent_change: float) -> str | None:
        """BLS's wording for ``percent_change`` (None when it is missing)."""
        if percent_change is None or (
            isinstance(percent_change, float) and math.isnan(percent_change)
        ):
            return None
        whole = _round_half_away(percent_change)
        if whole >= self.much_faster_min:
            return CATEGORIES[0]
        if whole >= self.faster_min:
            return CATEGORIES[1]
        if whole >= self.as_fast_min:
            return CATEGORIES[2]
        if whole >= self.slower_min:
            return CATEGORIES[3]
        if whole > self.decline_max:
            return CATEGORIES[4]
        return CATEGORIES[5]


#: Growth categories of each projection round whose thresholds are documented.
#:
#: 2024-34: the bands O*NET OnLine (U.S. Department of Labor) prints with BLS's 2024-34
#: projections in every occupation summary, field "Projected growth (2024-2034)": "Much faster
#: than average (7% or higher)", "Faster than average (5% to 6%)", "Average (3% to 4%)",
#: "Slower than average (1% to 2%)", "Little or no change", "Decline (-1% or lower)". "Average"
#: starts at the round's all-occupations rate (00-0000 in Table 1.2, rounded to a whole
#: percent). Applied to BLS's published percent change rounded to a whole
#: percent, these bands reproduce O*NET's band for every one of 55 occupations checked against
#: ``occupation_2024-34.xlsx`` (tests/test_growth.py). The OOH says "As fast as average" where
#: O*NET says "Average".
#:
#: Other rounds: the printed OOH documented fixed ranges ("Key phrases in the Handbook",
#: www.bls.gov/oco/oco20016.htm; 2006-16: grow much faster than average 21 % or more, faster
#: 14-20 %, about as fast 7-13 %, more slowly 3-6 %, little or no change -2 to 2 %, decline
#: 3 % or more); since the 2012 redesign the OOH describes growth relative to each round's
#: average, and we found no BLS table of those thresholds.
#: Rounds without an entry here get no category (None) rather than a guess; add an entry once
#: the round's thresholds are documented.
GROWTH_BANDS: dict[str, GrowthBands] = {
    "2024-34": GrowthBands(
        round="2024-34",
        much_faster_min=7,
        faster_min=5,
        as_fast_min=3,
        slower_min=1,
        decline_max=-1,
        source="O*NET OnLine, 'Projected growth (2024-2034)' bands of BLS Employment Projections",
    ),
}


def _round_half_away(value: float) -> int:
    """Whole percent as BLS rounds (half away from zero): 4.5 -> 5, -1.5 -> -2."""
    return math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)


def growth_category(
    percent_change: float,
    *,
    round: str,
    average: float | None = None,
) -> str | None:
    """BLS's plain-language growth category of a projected percent change.

    Parameters
    ----------
    percent_change
        The occupation's projected employment change over the round, in percent.
    round
        The projection round (``"2024-34"``); the categories are relative to that round's
        all-occupations growth (see :data:`GROWTH_BANDS` for the documented thresholds).
    average
        The round's all-occupations (``00-0000``) percent change as read from the data; if
        given, it must fall in the round's "as fast as average" band (a check that the data and
        the thresholds are of the same round).

    Returns
    -------
    str or None
        One of :data:`CATEGORIES`, or None when the round's thresholds are not documented
        or ``percent_change`` is missing.

    Notes
    -----
    2024-34 thresholds (O*NET OnLine's "Projected growth (2024-2034)" bands of BLS's
    projections, in the OOH's wording): much faster than average 7 % or more, faster 5-6 %,
    as fast as average 3-4 % (the all-occupations rate), slower 1-2 %, little or no change 0 %,
    decline -1 % or less, on the percent change rounded to a whole percent. See
    :data:`GROWTH_BANDS` for the sources and why other rounds return None.
    """
    bands = GROWTH_BANDS.get(round)
    if bands is None:
        return None
    if average is not None and not (
        bands.as_fast_min <= _round_half_away(average) < bands.faster_min
    ):
        raise UnknownRelease(
            "all-occupations growth rate",
            average,
            hint=f"The {round} categories put the all-occupations rate at {bands.as_fast_min} "
            f"to {bands.faster_min - 1} % (as fast as average); {average} % is from another "
            "vintage of the projections.",
        )
    return bands.category(percent_change)


# NEM -> SOC ------------------------------------------------------------------------------


def nem_to_soc(nem_codes: Iterable[str], soc_codes: Iterable[str]) -> pd.DataFrame:
    """Map National Employment Matrix (NEM) occupation codes to the SOC codes of an OEWS release.

    EP's matrix follows the SOC as OEWS publishes it, with a few codes of its own. Each NEM
    code is matched as follows:

    - ``same``: the code is among ``soc_codes`` (most codes, including NEM line items that are
      SOC broad occupations OEWS also publishes, such as ``31-1120``).
    - ``aggregate``: the code is not in OEWS, but OEWS publishes detailed codes of the same
      group that EP does not list separately (e.g. NEM ``25-3099`` "Teachers and instructors,
      all other" = OEWS ``25-3097`` + ``25-3098`` in May 2016); one row per OEWS code. The NEM
      figure covers the sum of those OEWS occupations: add their employment, but do not
      combine their wage percentiles.
    - ``none``: no OEWS counterpart (e.g. ``45-3031`` "Fishing and hunting workers", mostly
      self-employed, which OEWS does not survey); ``soc_code`` is missing. Unmatched codes are
      kept, never dropped, so a join shows what has no OEWS data.

    Parameters
    ----------
    nem_codes
        EP occupation codes (e.g. ``load()["occupation_code"]``).
    soc_codes
        OEWS occupation codes of the release to join with (detailed codes; summary codes ending
        in 0 are used only for ``same`` matches).

    Returns
    -------
    DataFrame
        Columns ``nem_code``, ``soc_code``, ``match``.
    """
    soc = {str(c).strip() for c in soc_codes}
    nem = [str(c).strip() for c in nem_codes]
    nem_set = set(nem)
    detailed = sorted(c for c in soc if re.fullmatch(r"\d{2}-\d{3}[1-9]", c) and c not in nem_set)
    rows = []
    for code in dict.fromkeys(nem):
        if code in soc:
            rows.append((code, code, "same"))
            continue
        prefix = code.rstrip("0") if code.endswith("0") else code[:6]
        prefix = prefix if len(prefix) >= 4 else code[:6]
        children = [c for c in detailed if c.startswith(prefix)]
        if children:
            rows.extend((code, child, "aggregate") for child in children)
        else:
            rows.append((code, pd.NA, "none"))
    frame = pd.DataFrame(rows, columns=["nem_code", "soc_code", "match"])
    return frame.astype("string")


# Outlook ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outlook:
    """The growth of one occupation in one area, ready for a report.

    ``basis`` is ``"projected"`` (BLS or state projections), ``"observed"`` (OEWS employment
    change between two releases: ``employment_base`` and ``employment_projected`` then hold the
    first and last release's employment, nothing is projected) or ``"unavailable"`` (see
    ``notes``). Counts are persons.
    """

    occupation_code: str
    occupation_title: str
    area: str
    area_name: str
    basis: str
    source: str
    round: str | None = None
    base_year: int | None = None
    projected_year: int | None = None
    employment_base: float | None = None
    employment_projected: float | None = None
    change: float | None = None
    percent_change: float | None = None
    openings_annual: float | None = None
    average_percent_change: float | None = None
    growth_category: str | None = None
    typical_education: str | None = None
    work_experience: str | None = None
    training: str | None = None
    notes: tuple[str, ...] = ()
    provenance: tuple[dict, ...] = field(default=(), repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One-row frame (notes joined by newlines); provenance in ``attrs``."""
        data = asdict(self)
        data.pop("provenance")
        data["notes"] = "\n".join(self.notes)
        frame = pd.DataFrame([data])
        return attach_provenance(frame, self.provenance)


_NATIONAL = {"us", "u.s.", "usa", "united states", "national", "nation", "00", "0"}


_PROJECTION_FIELDS = (
    "base_year",
    "projected_year",
    "employment_base",
    "employment_projected",
    "change",
    "percent_change",
    "openings_annual",
)


def _projection_values(row: pd.Series) -> dict[str, object]:
    """The projection figures of one row, as :class:`Outlook` fields."""
    return {column: _value(row, column) for column in _PROJECTION_FIELDS}


def _value(row: pd.Series, column: str) -> object:
    value = row.get(column)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if column not in ("base_year", "projected_year") else int(value)
    return str(value)


def _find(frame: pd.DataFrame, occupation: str, *, what: str) -> pd.Series:
    """The row of ``occupation`` (code or exact title); UnknownCode with close matches."""
    text = str(occupation).strip()
    codes = frame["occupation_code"].astype(str)
    titles = frame["occupation_title"].astype(str)
    hit = frame[codes == text]
    if hit.empty:
        hit = frame[titles.str.lower() == text.lower()]
    if not hit.empty:
        return hit.iloc[0]
    choices = [f"{c} {t}" for c, t in zip(codes, titles, strict=True)]
    close = [m for m, score, _ in process.extract(text, choices, limit=3) if score >= 60]
    raise UnknownCode(
        f"occupation in {what}",
        occupation,
        close,
        hint="Give a SOC code such as '29-2072' or the exact occupation title.",
    )


def outlook(
    occupation: str,
    area: str = "US",
    *,
    round: str = "latest",
    settings: Settings | None = None,
) -> Outlook:
    """Projected growth of an occupation, nationally or in a state.

    Parameters
    ----------
    occupation
        SOC / National Employment Matrix code (``"29-2072"``) or exact title.
    area
        ``"US"`` (BLS Employment Projections) or a state (name, postal or FIPS code):
        the state's long-term projections from Projections Central; where the state has none
        for the occupation, the employment change observed in OEWS
        (:func:`marketdata.oews_history.observed_change`), labelled ``basis="observed"``.
    round
        Projection round of the national figures (``"latest"``, ``"2024-34"``, ...). State
        projections are the states' current round.

    Returns
    -------
    Outlook
        Figures in persons; ``growth_category`` in BLS's wording, relative to the all-occupations
        (``00-0000``) growth of the same round (:func:`growth_category`), for national
        projections of rounds whose thresholds are documented; None otherwise (see ``notes``).
    """
    settings = get_settings(settings)
    if str(area).strip().lower() in _NATIONAL:
        return _national(occupation, round_=round, settings=settings)
    return _state(occupation, area, settings=settings)


def _national(occupation: str, *, round_: str, settings: Settings) -> Outlook:
    frame = projections.load(round_, occupation_type="all", settings=settings)
    row = _find(frame, occupation, what=f"BLS Employment Projections {frame['round'].iloc[0]}")
    round_name = str(row["round"])
    total = frame[frame["occupation_code"] == "00-0000"]
    average = float(total["percent_change"].iloc[0]) if len(total) else None
    notes = []
    category = None
    if average is None:
        notes.append("The all-occupations rate is not in this table; no growth category.")
    elif round_name not in GROWTH_BANDS:
        notes.append(
            f"BLS's growth-category thresholds for the {round_name} round are not documented in "
            f"marketdata; compare with the all-occupations rate, {average} %."
        )
    else:
        category = growth_category(_value(row, "percent_change"), round=round_name, average=average)
    if row["occupation_type"] == "Summary":
        notes.append(f"{row['occupation_code']} is a summary (group) row of the matrix.")
    return Outlook(
        occupation_code=str(row["occupation_code"]),
        occupation_title=str(row["occupation_title"]),
        area="US",
        area_name="United States",
        basis="projected",
        source=f"BLS Employment Projections {round_name}",
        round=round_name,
        **_projection_values(row),
        average_percent_change=average,
        growth_category=category,
        typical_education=_value(row, "typical_education"),
        work_experience=_value(row, "work_experience"),
        training=_value(row, "training"),
        notes=tuple(notes),
        provenance=tuple(provenance_of(frame)),
    )


def _state(occupation: str, area: str, *, settings: Settings) -> Outlook:
    fips = projections.state_fips(area)
    name = series_id.STATES[fips][1]
    frame = projections.state_projections(fips, settings=settings)
    notes = list(frame.attrs.get("notes", []))
    if not frame.empty:
        try:
            row = _find(frame, occupation, what=f"{name} long-term projections")
        except UnknownCode:
            notes.append(f"{name}'s long-term projections do not list {occupation}.")
        else:
            return _state_projected(row, frame, name, notes, settings=settings)
    return _observed(occupation, fips, name, notes, settings=settings)


def _state_projected(
    row: pd.Series, frame: pd.DataFrame, name: str, notes: list[str], *, settings: Settings
) -> Outlook:
    round_name = str(row["round"])
    total = frame[frame["occupation_code"] == "00-0000"]
    average = float(total["percent_change"].iloc[0]) if len(total) else None
    notes.append(
        f"BLS's growth categories describe national projections; {name}'s all-occupations "
        f"rate for {round_name} is {average} %."
        if average is not None
        else f"{name}'s projections give no all-occupations total."
    )
    education: dict[str, object] = {}
    provenance = list(provenance_of(frame))
    try:
        national = projections.load(round_name, occupation_type="all", settings=settings)
        match = national[national["occupation_code"] == row["occupation_code"]]
        if len(match):
            education = {
                c: _value(match.iloc[0], c)
                for c in ("typical_education", "work_experience", "training")
            }
            provenance += provenance_of(national)
            notes.append(
                f"Education and training: BLS Employment Projections {round_name} (national)."
            )
    except MarketdataError as err:
        notes.append(f"Education and training unavailable: {str(err).splitlines()[0]}")
    return Outlook(
        occupation_code=str(row["occupation_code"]),
        occupation_title=str(row["occupation_title"]),
        area=str(row["state_code"]),
        area_name=name,
        basis="projected",
        source=f"{name} long-term projections {round_name} (Projections Central)",
        round=round_name,
        **_projection_values(row),
        average_percent_change=average,
        notes=tuple(notes),
        provenance=tuple(provenance),
        **education,
    )


#: Columns read from :func:`marketdata.oews_history.observed_change` (first one present).
OBSERVED_COLUMNS: dict[str, tuple[str, ...]] = {
    "employment_base": ("employment_start", "start_employment", "employment_base"),
    "employment_projected": ("employment_end", "end_employment"),
    "change": ("employment_change", "change"),
    "percent_change": ("employment_percent_change", "employment_change_percent", "percent_change"),
    "start": ("start_release", "start"),
    "end": ("end_release", "end"),
}


def _pick(row: pd.Series, field_name: str) -> object:
    for column in OBSERVED_COLUMNS[field_name]:
        if column in row.index:
            return _value(row, column)
    return None


def _observed_change(
    code: str, fips: str, notes: list[str], settings: Settings
) -> pd.DataFrame | None:
    """Call :func:`marketdata.oews_history.observed_change` if it exists (imported lazily)."""
    try:
        history = importlib.import_module("marketdata.oews_history")
    except ImportError:
        notes.append("Observed OEWS change is unavailable: marketdata.oews_history is missing.")
        return None
    observed_change = getattr(history, "observed_change", None)
    if observed_change is None:
        notes.append("Observed OEWS change is unavailable: no oews_history.observed_change.")
        return None
    try:
        return observed_change(occupation=code, area=fips, settings=settings)
    except MarketdataError as err:
        notes.append(f"Observed OEWS change is unavailable: {str(err).splitlines()[0]}")
        return None


def _observed(
    occupation: str, fips: str, name: str, notes: list[str], *, settings: Settings
) -> Outlook:
    """Fallback: OEWS employment change observed between two releases (not a projection)."""
    code = str(occupation).strip()
    observed = _observed_change(code, fips, notes, settings)
    if observed is None or len(observed) == 0:
        return Outlook(
            occupation_code=code,
            occupation_title="",
            area=fips,
            area_name=name,
            basis="unavailable",
            source="none",
            notes=tuple(notes),
        )
    row = observed.iloc[0]
    start, end = _pick(row, "start"), _pick(row, "end")
    span = f" from {start} to {end}" if start is not None and end is not None else ""
    notes.append(f"Observed change in OEWS employment{span}; history, not a projection.")
    return Outlook(
        occupation_code=code,
        occupation_title=str(row.get("occupation_title", "")),
        area=fips,
        area_name=name,
        basis="observed",
        source="BLS OEWS (observed change)",
        employment_base=_pick(row, "employment_base"),
        employment_projected=_pick(row, "employment_projected"),
        change=_pick(row, "change"),
        percent_change=_pick(row, "percent_change"),
        notes=tuple(notes),
        provenance=tuple(provenance_of(observed)),
    )

"""BLS's plain-language growth categories ("Much faster than average" ... "Decline") of a
EP release, from its documented thresholds (:data:`GROWTH_BANDS`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from marketdata.core.errors import UnknownRelease

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
    """Lower bounds, in whole percent, of BLS's growth categories for one EP release.

    A percent change is rounded to a whole percent (as the Occupational Outlook Handbook
    prints it) and then falls in the highest band whose lower bound it reaches; below
    ``slower_min`` and above ``decline_max`` is "Little or no change".
    """

    release: str
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


#: Growth categories of each EP release whose thresholds are documented.
#:
#: 2024-34: the bands O*NET OnLine (U.S. Department of Labor) prints with BLS's 2024-34
#: projections in every occupation summary, field "Projected growth (2024-2034)": "Much faster
#: than average (7% or higher)", "Faster than average (5% to 6%)", "Average (3% to 4%)",
#: "Slower than average (1% to 2%)", "Little or no change", "Decline (-1% or lower)". "Average"
#: starts at the release's all-occupations rate (00-0000 in Table 1.2, rounded to a whole
#: percent). Applied to BLS's published percent change rounded to a whole
#: percent, these bands reproduce O*NET's band for every one of 55 occupations checked against
#: ``occupation_2024-34.xlsx`` (tests/analysis/test_growth.py). The OOH says "As fast as average" where
#: O*NET says "Average".
#:
#: Other releases: the printed OOH documented fixed ranges ("Key phrases in the Handbook",
#: www.bls.gov/oco/oco20016.htm; 2006-16: grow much faster than average 21 % or more, faster
#: 14-20 %, about as fast 7-13 %, more slowly 3-6 %, little or no change -2 to 2 %, decline
#: 3 % or more); since the 2012 redesign the OOH describes growth relative to each release's
#: average, and we found no BLS table of those thresholds.
#: Releases without an entry here get no category (None) rather than a guess; add an entry once
#: the release's thresholds are documented.
GROWTH_BANDS: dict[str, GrowthBands] = {
    "2024-34": GrowthBands(
        release="2024-34",
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
    release: str,
    average: float | None = None,
) -> str | None:
    """BLS's plain-language growth category of a projected percent change.

    Parameters
    ----------
    percent_change
        The occupation's projected employment change over the release's ten years, in percent.
    release
        The EP release (``"2024-34"``); the categories are relative to that release's
        all-occupations growth (see :data:`GROWTH_BANDS` for the documented thresholds).
    average
        The release's all-occupations (``00-0000``) percent change as read from the data; if
        given, it must fall in the release's "as fast as average" band (a check that the data and
        the thresholds are of the same release).

    Returns
    -------
    str or None
        One of :data:`CATEGORIES`, or None when the release's thresholds are not documented
        or ``percent_change`` is missing.

    Notes
    -----
    2024-34 thresholds (O*NET OnLine's "Projected growth (2024-2034)" bands of BLS's
    projections, in the OOH's wording): much faster than average 7 % or more, faster 5-6 %,
    as fast as average 3-4 % (the all-occupations rate), slower 1-2 %, little or no change 0 %,
    decline -1 % or less, on the percent change rounded to a whole percent. See
    :data:`GROWTH_BANDS` for the sources and why other releases return None.
    """
    bands = GROWTH_BANDS.get(release)
    if bands is None:
        return None
    if average is not None and not (
        bands.as_fast_min <= _round_half_away(average) < bands.faster_min
    ):
        raise UnknownRelease(
            "all-occupations growth rate",
            average,
            hint=f"The {release} categories put the all-occupations rate at {bands.as_fast_min} "
            f"to {bands.faster_min - 1} % (as fast as average); {average} % is from another "
            "vintage of the projections.",
        )
    return bands.category(percent_change)

"""The career brief: one page that answers a student's questions about one job in one place.

The questions come in this order: what the job is, what it pays here, what a certification
changes, whether there will be jobs, what it takes, where it can lead, and where the figures
come from. :func:`build` reads the answers off the report's own tables (pure: frames in, a
:class:`Brief` out); :func:`html` and :func:`text` render it. Every figure is written as the
report's tables write it (:func:`marketdata.core.formatting.format_value`), estimates as
:func:`marketdata.core.formatting.estimate_range` rounds them.

Two sections come from other modules and are optional: ``profile`` (what the job is: O*NET
titles and tasks, from ``marketdata.datasets.onet.profile``) and ``pathways`` (where it can lead:
related occupations, from ``marketdata.analysis.pathways.pathways``). When they are None the brief
leaves them out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from marketdata.core.formatting import estimate_range, format_value
from marketdata.core.series_id import NATIONAL_AREA
from marketdata.reports import about, brief_notes
from marketdata.reports.summary import money, plain_title

#: A metro counts among the best-paying places when it has at least this many jobs.
MIN_JOBS = 100
#: How many best-paying places the brief names.
PLACES = 3
#: EP's typical entry education in a student's words.
EDUCATION: dict[str, str] = {
    "Postsecondary nondegree award": "A certificate from a program after high school",
    "High school diploma or equivalent": "A high school diploma",
    "No formal educational credential": "No diploma needed",
    "Some college, no degree": "Some college",
}


@dataclass(frozen=True)
class Place:
    """A metro area among the best-paying places near the area asked."""

    name: str
    median: str  # "$61,950"
    jobs: str  # "1,810"


@dataclass(frozen=True)
class Pay:
    """What the job pays here and in the nation (BLS's published figures, as the tables
    write them; None when BLS did not publish one)."""

    year: str | None  # "$50,990"
    hour: str | None  # "$24.52"
    start: str | None  # "$38,060 to $45,500": 10th to 25th percentile
    experienced: str | None  # "$63,510 to $79,290": 75th to 90th percentile
    nation_year: str | None = None
    nation_hour: str | None = None


@dataclass(frozen=True)
class Certification:
    """Pay with and without a certification (estimates), and how many jobs require one."""

    without: str | None  # "$50,100"
    with_: str | None  # "$63,500"
    basis: str  # one plain line: where the two figures come from
    required: str | None = None  # "About 1 in 4 jobs in this field require a certification."
    #: (label, figure) of the user's own factors file, never mixed with the CPS figures.
    own: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Jobs:
    """How many work in the job here, and the growth forecast."""

    employed: str | None  # "About 7,440 people work in this job in Ohio."
    outlook: str | None  # the forecast, saying whose it is and why the state's is missing
    is_state: bool = False


@dataclass(frozen=True)
class Takes:
    """What it takes to start: BLS's typical entry education, experience and training."""

    education: str | None
    experience: str | None
    training: str | None


@dataclass(frozen=True)
class Brief:
    """The facts of a career brief, in the order a student asks for them."""

    occupation_code: str
    title: str  # "Medical records specialists"
    area_name: str  # "Ohio"
    release: str  # "May 2025"
    pay: Pay
    places: tuple[Place, ...] = ()
    places_where: str = ""  # "in Ohio"
    certification: Certification | None = None
    jobs: Jobs = field(default_factory=lambda: Jobs(None, None))
    takes: Takes | None = None
    sources: str = ""
    missing: str = ""
    #: What the job is: ``marketdata.datasets.onet.profile(occupation)`` (O*NET titles and tasks);
    #: None leaves the section out. Wired when that module is merged.
    profile: Any | None = None
    #: Where it can lead: ``marketdata.analysis.pathways.pathways(occupation, area)`` (related
    #: occupations with their local pay and growth); None leaves the section out.
    pathways: Any | None = None

    def sentences(self) -> list[str]:
        """The brief's prose sentences (the figures and their labels left out), for a
        reading-level check."""
        out = [self.pay_sentence(), self.jobs.employed, self.jobs.outlook]
        if self.certification is not None:
            out += [self.certification.basis, self.certification.required]
        return [s for s in out if s]

    def pay_sentence(self) -> str | None:
        """``Half of the workers in Ohio earn more than $50,990 a year, and half earn less.``"""
        if self.pay.year is None:
            return None
        return (
            f"Half of the workers {in_area(self.area_name)} earn more than {self.pay.year} a year, "
            "and half earn less."
        )


def in_area(area_name: str) -> str:
    """``in Ohio``, or ``in the nation``."""
    return "in the nation" if area_name in ("National", "United States") else f"in {area_name}"


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text if text and text.lower() not in ("none", "nan") else None


def _span(row: pd.Series, low: str, high: str) -> str | None:
    a, b = money(row, low), money(row, high)
    return f"{a} to {b}" if a and b else None


def pay_of(here: pd.Series, nation: pd.Series | None) -> Pay:
    """The :class:`Pay` of an OEWS row, with the nation's row beside it."""
    national = here.get("area_code") == NATIONAL_AREA
    return Pay(
        year=money(here, "annual_median"),
        hour=money(here, "hourly_median"),
        start=_span(here, "annual_p10", "annual_p25"),
        experienced=_span(here, "annual_p75", "annual_p90"),
        nation_year=None if nation is None or national else money(nation, "annual_median"),
        nation_hour=None if nation is None or national else money(nation, "hourly_median"),
    )


def best_places(
    wages: pd.DataFrame, state: str | None, *, count: int = PLACES, min_jobs: int = MIN_JOBS
) -> tuple[Place, ...]:
    """The best-paying metro areas whose main state is ``state`` (FIPS code; None: the
    nation) that have at least ``min_jobs`` jobs, with their job counts."""
    metros = wages[(wages["area_type"] == "metro") & (wages["employment"] >= min_jobs)]
    metros = metros[metros["annual_median"].notna()]
    if state:
        metros = metros[metros["state_code"].astype(str).str.zfill(2) == state]
    metros = metros.sort_values(["annual_median", "area_name"], ascending=[False, True])
    return tuple(
        Place(
            str(r["area_name"]),
            money(r, "annual_median") or "",
            format_value(r["employment"], "employment"),
        )
        for _, r in metros.head(count).iterrows()
    )


def share_phrase(share: float) -> str:
    """A share of jobs as people say it: 26.3 -> ``about 1 in 4``; 62 -> ``about 6 in 10``."""
    if share < 45:
        return f"about 1 in {max(2, round(100 / share))}" if share > 0 else "almost none"
    return f"about {round(share / 10)} in 10"


def certification_of(
    bands: pd.DataFrame | None, required: pd.DataFrame | None, area_name: str
) -> Certification | None:
    """Pay with and without a certification in the area (the breakdown's ``cert_only_*`` and
    ``no_cert_*`` estimates), the basis in one line, ORS's share of jobs that require one,
    and the user's own factors under their own label."""
    if bands is None or bands.empty or "cert_only_annual_low" not in bands.columns:
        return None
    row = bands.iloc[0]
    with_ = _estimate(row, "cert_only_annual")
    without = _estimate(row, "no_cert_annual")
    premium = _ratio(row)
    schooling = {"education": " with the same schooling", "occupation group": " in this job group"}
    whom = schooling.get(str(row.get("cert_basis", "")), "")
    basis = (
        "These are estimates. "
        if premium is None
        else f"Across all jobs, workers{whom} who hold a certification earn about "
        f"{premium:.0%} more than those who do not. "
    )
    basis += (
        f"We applied that gap to the pay {in_area(area_name)}, so it is a guide, not a promise."
    )
    return Certification(
        without=without,
        with_=with_,
        basis=basis,
        required=_required(required),
        own=tuple(_own(bands)),
    )


def _ratio(row: pd.Series) -> float | None:
    """How much more, as a share, the estimate with a certification is than without one."""
    cols = (
        "cert_only_annual_low",
        "cert_only_annual_high",
        "no_cert_annual_low",
        "no_cert_annual_high",
    )
    values = [row.get(c) for c in cols]
    if any(v is None or pd.isna(v) for v in values) or values[2] + values[3] <= 0:
        return None
    return (values[0] + values[1]) / (values[2] + values[3]) - 1


def _estimate(row: pd.Series, stem: str) -> str | None:
    """The middle of an estimated range, rounded as the tables round estimates."""
    low, high = row.get(f"{stem}_low"), row.get(f"{stem}_high")
    if low is None or high is None or pd.isna(low) or pd.isna(high):
        return None
    middle = (float(low) + float(high)) / 2
    return estimate_range(middle, middle)


def _required(table: pd.DataFrame | None) -> str | None:
    if table is None or table.empty:
        return None
    rows = table[table["requirement"] == "Certification required"]
    if rows.empty or pd.isna(rows["share"].iloc[0]):
        return None
    share = float(rows["share"].iloc[0])
    return f"{share_phrase(share).capitalize()} jobs in this field require a certification."


def _own(bands: pd.DataFrame) -> Iterable[tuple[str, str]]:
    row = bands.iloc[0]
    for column in bands.columns:
        if column.startswith("user_") and column.endswith("_annual_low"):
            stem = column.removesuffix("_low")
            figure = _estimate(row, stem)
            credential = str(row.get(f"{stem.removesuffix('_annual')}_citation", "")).split(":")[0]
            if figure:
                yield f"{credential or 'Your file'} (from your file, not BLS)", figure


def jobs_of(
    here: pd.Series,
    growth: pd.DataFrame | None,
    state: str | None,
    missing: Sequence[about.Gap] = (),
    *,
    offline: bool = False,
) -> Jobs:
    """How many work in the job here, and the forecast: the state's when its projections are
    at hand, else the nation's, said to be the nation's, with why the state's is missing."""
    jobs = (
        format_value(here["employment"], "employment") if pd.notna(here.get("employment")) else None
    )
    employed = (
        f"About {jobs} people work in this job {in_area(str(here['area_name']))}." if jobs else None
    )
    if growth is None or growth.empty:
        return Jobs(employed, "No job forecast could be had for this report.")
    states = growth[growth["area"] != "US"] if "area" in growth.columns else growth.iloc[0:0]
    nation = growth[growth["area"] == "US"] if "area" in growth.columns else growth
    if len(states):
        row = states.iloc[0]
        return Jobs(employed, _forecast(row, f"In {row['area_name']}"), is_state=True)
    if nation.empty:
        return Jobs(employed, "No job forecast could be had for this report.")
    said = _forecast(nation.iloc[0], "In the nation as a whole")
    if state:
        why = _why_missing(state, missing, offline=offline)
        said = said.removesuffix(".") + f"; {why}"
    return Jobs(employed, said)


def _forecast(row: pd.Series, where: str) -> str:
    pct = row.get("percent_change")
    years = (
        f" from {row['base_year']} to {row['projected_year']}"
        if pd.notna(row.get("base_year"))
        else ""
    )
    if pct is None or pd.isna(pct):
        text = f"{where}, there is no growth figure{years}"
    elif round(float(pct), 1) == 0:
        text = f"{where}, the number of jobs should stay about the same{years}"
    else:
        verb = "grow" if pct > 0 else "shrink"
        size = format_value(abs(float(pct)), "percent_change").lstrip("+")
        text = f"{where}, jobs should {verb} {size}{years}"
    openings = row.get("openings_annual")
    if openings is not None and pd.notna(openings):
        text += f", with about {format_value(float(openings), 'openings_annual')} openings a year"
    return text + "."


def _why_missing(state: str, gaps: Sequence[about.Gap], *, offline: bool) -> str:
    from marketdata.core.series_id import STATES

    name = next((n for p, n in STATES.values() if p == state), state)
    command = f"`marketdata fetch --state {state}`"
    if not any(g.kind == "state" for g in gaps):
        return f"{name} publishes no forecast for this job."
    if offline or any(g.reason == "offline mode is on" for g in gaps):
        return f"{name}'s own forecast is not downloaded yet: {command}."
    return f"{name}'s own forecast could not be downloaded today: try {command} later."


def takes_of(outlook: Any | None) -> Takes | None:
    """What it takes, from the nation's :class:`marketdata.analysis.growth.Outlook` (EP)."""
    if outlook is None:
        return None
    education = _text(getattr(outlook, "typical_education", None))
    return Takes(
        education=EDUCATION.get(education or "", education),
        experience=_text(getattr(outlook, "work_experience", None)) or "None",
        training=_text(getattr(outlook, "training", None)) or "None",
    )


def build(
    compared: pd.DataFrame,
    wages: pd.DataFrame,
    *,
    growth: pd.DataFrame | None = None,
    national: Any | None = None,
    bands: pd.DataFrame | None = None,
    required: pd.DataFrame | None = None,
    errors: Sequence[tuple[str, BaseException]] = (),
    provenance: Iterable[Mapping[str, Any]] = (),
    offline: bool = False,
    profile: Any | None = None,
    pathways: Any | None = None,
) -> Brief:
    """The brief of the report's first row of ``compared`` (the area asked; the nation is
    its row with the national code).

    Parameters
    ----------
    compared
        OEWS rows of the area first, the nation last (``rows_for``).
    wages
        The release's OEWS rows of the occupation in every area (for the best-paying metros).
    growth
        The growth table of ``outlook_rows`` (``area`` ``"US"`` is the nation).
    national
        The nation's :class:`marketdata.analysis.growth.Outlook` (education, experience, training).
    bands
        The salary breakdown of the areas (``salary.breakdown``), first row the area.
    required
        ORS's credential table of the occupation (``credential_table``).
    errors
        (section, error) of what could not be had (the state's projections, CPS...).
    provenance
        Provenance records of the data used (``df.attrs["provenance"]``).
    offline
        Whether offline mode is on (a missing file is then "not downloaded yet").
    profile, pathways
        The "what the job is" and "where it can lead" sections, or None.

    Returns
    -------
    Brief
    """
    here = compared.iloc[0]
    nations = compared[compared["area_code"] == NATIONAL_AREA]
    nation = nations.iloc[0] if len(nations) else None
    area_type = str(here.get("area_type", ""))
    state_code = str(here.get("state_code", "") or "")
    from marketdata.core.series_id import STATES

    state = None if area_type == "national" else STATES.get(state_code.zfill(2), (None,))[0]
    gaps = brief_notes.gaps_of(errors, offline=offline)
    return Brief(
        occupation_code=str(here["occupation_code"]),
        title=plain_title(str(here["occupation_title"])),
        area_name=str(here["area_name"]),
        release=str(here.get("release", "")),
        pay=pay_of(here, nation),
        places=best_places(wages, None if state is None else state_code.zfill(2)),
        places_where=f"in {STATES.get(state_code.zfill(2), ('', 'the state'))[1]}"
        if state
        else "in the nation",
        certification=certification_of(bands, required, str(here["area_name"])),
        jobs=jobs_of(here, growth, state, [g for g in gaps if g.kind == "state"], offline=offline),
        takes=takes_of(national),
        sources=brief_notes.sources_line(provenance),
        missing=brief_notes.missing_line(gaps, offline=offline),
        profile=profile,
        pathways=pathways,
    )

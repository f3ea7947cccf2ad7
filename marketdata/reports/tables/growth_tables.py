"""Tables of the growth explorer: projections of a SOC group's occupations with their pay in
an area, and the group's employment and pay over past releases."""

from __future__ import annotations

import pandas as pd

from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataError
from marketdata.core.schema import PROJECTION_MEASURES, attach_provenance, provenance_of
from marketdata.datasets import oews, projections, state_projections
from marketdata.datasets.codes import Area
from marketdata.reports.resolve import group_prefix
from marketdata.reports.tables.common import columns_of

#: What a zero in EP's national change and openings means: EP publishes employment in
#: thousands with one decimal, so its change and openings are rounded to hundreds, and a 0
#: beside a percent change that is not 0 (computed by BLS from unrounded figures) is under 50.
UNDER_50_NOTE = (
    "BLS rounds projected employment to hundreds: a change or openings shown as "
    "“under 50” round to 0 in BLS's tables, though the percent change (from unrounded "
    "figures) is not 0."
)


def projections_table(
    frame: pd.DataFrame,
    group: str,
    *,
    wages: pd.DataFrame | None = None,
    projections_for: str = "United States",
    rounded_to_hundreds: bool = False,
) -> pd.DataFrame:
    """EP line items of a SOC group, with the area's OEWS median pay if given.

    ``frame``: :func:`marketdata.datasets.projections.load` (line items) or a state's projections,
    which are for ``projections_for`` (a column of the table, so that no sentence gives
    the nation's openings a state's name). ``wages``: OEWS rows of one area
    (``occupation_code``, ``annual_median`` and its flag). With ``wages`` the table holds one
    median per occupation, OEWS's of that release; EP's ``median_wage`` (the May of its base
    year, top-coded at BLS's cap of that year) is kept only without them. The projections'
    release is ``projections_release``; ``release`` is the OEWS release of the pay.
    ``rounded_to_hundreds``: the projections round change and openings to hundreds (EP's
    national ones); a 0 there with a percent change that is not 0 is flagged
    ``is_under_50_<column>`` (shown "under 50").
    """
    prefix = group_prefix(group)
    rows = frame[frame["occupation_code"].str.startswith(prefix)]
    rows = rows[rows["occupation_code"] != group].reset_index(drop=True)
    columns = [
        "occupation_code",
        "occupation_title",
        *PROJECTION_MEASURES,
        *(["median_wage"] if wages is None else []),
        "typical_education",
    ]
    out = rows[[c for c in columns if c in rows.columns]].copy()
    if "release" in rows.columns:
        out["projections_release"] = rows["release"]
    out["projections_for"] = projections_for
    if wages is None and "median_wage_topcoded" in rows.columns:
        out["is_topcoded_median_wage"] = (
            rows["median_wage_topcoded"].astype("boolean").fillna(False)
        )
    if rounded_to_hundreds and "percent_change" in out.columns:
        moved = out["percent_change"].fillna(0) != 0
        for column in ("change", "openings_annual"):
            if column in out.columns:
                out[f"is_under_50_{column}"] = (out[column] == 0) & moved
    if wages is not None:
        pay = wages.drop_duplicates("occupation_code").set_index("occupation_code")
        out["annual_median"] = out["occupation_code"].map(pay["annual_median"])
        out["is_topcoded_annual_median"] = (
            out["occupation_code"]
            .map(pay["is_topcoded_annual_median"])
            .astype("boolean")
            .fillna(False)
        )
        out["area_name"] = out["occupation_code"].map(pay["area_name"])
        if "release" in pay.columns:
            out["release"] = out["occupation_code"].map(pay["release"])
    sources = provenance_of(frame) + (provenance_of(wages) if wages is not None else [])
    return attach_provenance(out, sources)


#: Past releases the growth explorer's history goes back (the newest plus these).
HISTORY_YEARS = 5


def group_outlook(
    group: str, where: Area, *, release: str = "latest", settings: Settings | None = None
) -> tuple[pd.DataFrame, list[str], list[MarketdataError]]:
    """Projections of a SOC group's occupations with their pay in ``where``, plain notes,
    and the errors of what could not be had (the state's projections).

    Projections are the state's (Projections Central) for a state when it publishes them,
    else BLS's national Employment Projections (said in the notes); pay is the OEWS annual
    median in ``where``.
    """
    notes: list[str] = []
    missing: list[MarketdataError] = []
    frame = None
    national = True
    if where.type == "state":
        try:
            frame = state_projections.state_projections(where.state_code, settings=settings)
            if frame.empty:
                notes.extend(frame.attrs.get("notes", []))
                frame = None
            else:
                national = False
                notes.append(
                    f"Projections: {where.name}'s long-term projections (Projections Central)."
                )
        except MarketdataError as exc:
            missing.append(exc)  # the notes then name the national projections shown
    elif where.type != "national":
        notes.append(
            "Projections are published for the nation and the states; national ones shown."
        )
    if frame is None:
        frame = projections.load(settings=settings)
        notes.append(
            f"Projections: BLS Employment Projections {frame['release'].iloc[0]} (national)."
        )
    wages = oews.load(release=release, area=where.code, settings=settings)
    table = projections_table(
        frame,
        group,
        wages=wages,
        projections_for="United States" if national else where.name,
        rounded_to_hundreds=national,
    )
    if table.filter(like="is_under_50_").any(axis=None):
        notes.append(UNDER_50_NOTE)
    if table.empty:
        raise MarketdataError(
            f"the projections loaded ({notes[-1].removeprefix('Projections: ').rstrip('.')}) "
            f"hold no occupation of {group}"
        )
    return table, notes, missing


def try_group_outlook(
    group: str, where: Area, *, release: str = "latest", settings: Settings | None = None
) -> tuple[pd.DataFrame | None, list[str], list[MarketdataError]]:
    """:func:`group_outlook`, or (None, [], [the error]) when no projection could be had."""
    try:
        return group_outlook(group, where, release=release, settings=settings)
    except MarketdataError as exc:
        return None, [], [exc]


def group_history(
    group: str, where: Area, *, years: int = HISTORY_YEARS, settings: Settings | None = None
) -> pd.DataFrame:
    """Employment and pay of a SOC group in ``where`` over the last ``years`` + 1 releases
    (BLS's archived OEWS releases, :func:`marketdata.datasets.oews_history.history`)."""
    from marketdata.datasets import oews_history

    latest = oews_history.latest_release(settings=settings).year
    place = "US" if where.type == "national" else where.name
    return oews_history.history(
        occupation=group, area=place, start=latest - years, settings=settings
    )


def history_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of a history table."""
    return columns_of(
        frame,
        [
            "release",
            "year",
            "area_name",
            "occupation_code",
            "occupation_title",
            "employment",
            "annual_median",
            "hourly_median",
            "is_comparable",
            "comparability_note",
        ],
    )

"""Tables of the growth explorer: projections of a SOC group's occupations with their pay in
an area, and the group's employment and pay over past releases."""

from __future__ import annotations

import pandas as pd

from marketdata import oews, projections
from marketdata.codes import Area
from marketdata.config import Settings
from marketdata.errors import MarketdataError
from marketdata.reports.resolve import group_prefix
from marketdata.reports.tables.common import columns_of
from marketdata.schema import PROJECTION_MEASURES, attach_provenance, provenance_of


def projections_table(
    frame: pd.DataFrame, group: str, *, wages: pd.DataFrame | None = None
) -> pd.DataFrame:
    """EP line items of a SOC group (national), with the area's OEWS median pay if given.

    ``frame``: :func:`marketdata.projections.load` (line items). ``wages``: OEWS rows of one
    area (``occupation_code``, ``annual_median`` and its flag).
    """
    prefix = group_prefix(group)
    rows = frame[frame["occupation_code"].str.startswith(prefix)]
    rows = rows[rows["occupation_code"] != group].reset_index(drop=True)
    columns = [
        "occupation_code",
        "occupation_title",
        *PROJECTION_MEASURES,
        "median_wage",
        "typical_education",
        "round",
    ]
    out = rows[[c for c in columns if c in rows.columns]].copy()
    if "median_wage_topcoded" in rows.columns:
        out["is_topcoded_median_wage"] = (
            rows["median_wage_topcoded"].astype("boolean").fillna(False)
        )
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
    if where.type == "state":
        try:
            frame = projections.state_projections(where.state_code, settings=settings)
            if frame.empty:
                notes.extend(frame.attrs.get("notes", []))
                frame = None
            else:
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
            f"Projections: BLS Employment Projections {frame['round'].iloc[0]} (national)."
        )
    wages = oews.load(release, area=where.code, settings=settings)
    table = projections_table(frame, group, wages=wages)
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
    (BLS's archived OEWS releases, :func:`marketdata.oews_history.history`)."""
    from marketdata import oews_history

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

"""OEWS pay adjusted for local prices with BEA regional price parities (RPP).

``annual_median_rpp_adjusted = annual_median / rpp * 100``: the median expressed in national
prices (U.S. = 100). It is BEA-derived, not a BLS figure: every frame says so in
``rpp_source`` and ``attrs["provenance"]``.

Matching rules
--------------
- States: BEA's ``GeoFIPS`` ``SS000`` is OEWS area ``SS00000`` (state FIPS + five zeros).
- Metro areas: BEA's ``GeoFIPS`` is the CBSA code; OEWS metro areas are ``00`` + CBSA code.
  Only equal codes match: where OMB redrew or renumbered an area between the delineation BEA
  uses and the one OEWS uses, the area is listed as unmatched (:func:`match_areas`).
- The nation is 100 by definition (BEA's "United States" row).
- OEWS nonmetropolitan areas get no figure: BEA prices only each state's whole
  nonmetropolitan portion, not OEWS's sub-state nonmetro areas.

Vintage: one RPP year for every area of a frame, so that areas compared are priced alike: the
year closest to the OEWS release year (the earlier one on a tie) among the years every BEA
table the frame needs publishes (:func:`common_year`); ``rpp_year`` says which.
"""

from __future__ import annotations

import re

import pandas as pd

from marketdata.core.config import Settings
from marketdata.core.errors import SchemaError
from marketdata.core.schema import provenance_of
from marketdata.datasets import rpp
from marketdata.sources.bea_rpp import UPDATED

NONMETRO_NOTE = (
    "no BEA price parity: BEA prices a state's whole nonmetropolitan portion, not OEWS's "
    "nonmetropolitan areas"
)
UNMATCHED_NOTE = "BEA publishes no price parity for this area code ({table})"
ADJUSTED_LABEL = "Annual median in national prices (OEWS median ÷ BEA RPP × 100; BEA-derived)"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_TABLE_OF = {"state": "SARPP", "metro": "MARPP", "national": "SARPP"}


def bea_code(area_code: str, area_type: str) -> str | None:
    """BEA's ``GeoFIPS`` for an OEWS area (None for nonmetro areas)."""
    code = str(area_code).zfill(7)
    if area_type == "national":
        return "00000"
    if area_type == "state":
        return code[:2] + "000"
    if area_type == "metro":
        return code[2:]
    return None


def closest_year(release: str | int, years: pd.Series) -> int:
    """The year among ``years`` closest to the OEWS ``release`` ("May 2025" -> 2024 if BEA
    stops at 2024); the earlier one on a tie."""
    m = _YEAR.search(str(release))
    if m is None:
        raise ValueError(f"release {release!r} names no year")
    wanted = int(m[1])
    available = sorted({int(y) for y in years.dropna()})
    if not available:
        raise ValueError("no RPP years to choose from")
    return min(available, key=lambda y: (abs(y - wanted), y))


def common_year(frame: pd.DataFrame, parities: pd.DataFrame, release: str | int) -> int:
    """The one RPP year for the areas of ``frame``: closest to ``release`` among the years
    every BEA table they need has values for (states 2024 and metros 2023 give 2023).

    Raises
    ------
    ValueError
        The tables share no year, or hold none.
    """
    tables = {_TABLE_OF[k] for k in frame["area_type"].dropna() if k in _TABLE_OF}
    valued = parities[parities["rpp"].notna()]
    shared: set[int] | None = None
    for table in sorted(tables):
        years = {int(y) for y in valued.loc[valued["table"] == table, "year"].dropna()}
        shared = years if shared is None else shared & years
    if not shared:
        raise ValueError(f"BEA tables {', '.join(sorted(tables))} share no price-parity year")
    return closest_year(release, pd.Series(sorted(shared)))


def _values(
    parities: pd.DataFrame, table: str, year: int
) -> tuple[dict[str, tuple[float, object]], int, str]:
    """BEA ``table``'s (rpp, note) by ``geo_fips`` for ``year``, that year and the source text."""
    part = parities[parities["table"] == table]
    chosen = part[part["year"] == year]
    if chosen.empty:
        raise ValueError(
            f"BEA {table} has no {year} values (years: {sorted(part['year'].unique())})"
        )
    updated = UPDATED.search(str(chosen["release"].iloc[0]))
    source = f"BEA {table} {year}" + (f", updated {updated[1]}" if updated else "")
    by_geo = dict(
        zip(chosen["geo_fips"], zip(chosen["rpp"], chosen["note"], strict=True), strict=True)
    )
    return by_geo, year, source


def add_rpp(
    frame: pd.DataFrame, parities: pd.DataFrame, *, year: int | None = None
) -> pd.DataFrame:
    """``frame`` (OEWS rows) with BEA's all-items RPP and the median adjusted by it.

    Parameters
    ----------
    frame
        OEWS rows with ``area_code``, ``area_type``, ``release`` and ``annual_median``.
    parities
        All-items RPPs of both tables (:func:`marketdata.datasets.rpp.load_all`).
    year
        RPP year to use; default :func:`common_year`, one year for all areas of a release.

    Returns
    -------
    DataFrame
        A copy with ``rpp``, ``rpp_year``, ``rpp_source`` (BEA table and its "Last updated"
        line), ``rpp_note`` (why a value is missing) and ``annual_median_rpp_adjusted``
        (rounded to whole dollars). Provenance: the OEWS records, then BEA's.
    """
    missing = [c for c in ("area_code", "area_type", "release", "annual_median") if c not in frame]
    if missing:
        raise SchemaError(f"OEWS frame is missing columns: {', '.join(missing)}")
    out = frame.copy()
    values = {"rpp": [], "rpp_year": [], "rpp_source": [], "rpp_note": []}
    chosen: dict[tuple[str, str], tuple[pd.DataFrame, int, str]] = {}
    for code, kind, release in zip(out["area_code"], out["area_type"], out["release"], strict=True):
        geo = bea_code(code, kind)
        table = _TABLE_OF.get(kind)
        if geo is None or table is None:
            values["rpp"].append(float("nan"))
            values["rpp_year"].append(pd.NA)
            values["rpp_source"].append("")
            values["rpp_note"].append(NONMETRO_NOTE)
            continue
        key = (table, str(release))
        if key not in chosen:
            used = year
            if used is None:
                same = out[out["release"].astype(str) == str(release)]
                used = common_year(same, parities, release)
            chosen[key] = _values(parities, table, used)
        by_geo, used, source = chosen[key]
        if geo in by_geo:
            parity, note = by_geo[geo]
            values["rpp"].append(float(parity))
            values["rpp_note"].append(note)
        else:
            values["rpp"].append(float("nan"))
            values["rpp_note"].append(UNMATCHED_NOTE.format(table=table))
        values["rpp_year"].append(used)
        values["rpp_source"].append(source)
    for name, column in values.items():
        out[name] = column
    out["rpp_year"] = out["rpp_year"].astype("Int64")
    out["annual_median_rpp_adjusted"] = (out["annual_median"] / out["rpp"] * 100).round(0)
    out.attrs["provenance"] = provenance_of(frame) + provenance_of(parities)
    out.attrs["annual_median_rpp_adjusted"] = ADJUSTED_LABEL
    return out


def match_areas(
    areas: pd.DataFrame, parities: pd.DataFrame, *, year: int
) -> dict[str, pd.DataFrame]:
    """Which OEWS states and metros BEA prices in ``year``, and which BEA areas OEWS lacks.

    Returns
    -------
    dict
        ``oews_unmatched``: OEWS state and metro areas (``area_code``, ``area_name``) without a
        BEA figure; ``bea_unmatched``: BEA states and metros (``geo_fips``, ``geo_name``) with
        no OEWS area of that code; ``matched``: OEWS areas with their ``geo_fips`` and ``rpp``.
    """
    kinds = areas[areas["area_type"].isin(["state", "metro"])].copy()
    kinds["geo_fips"] = [
        bea_code(c, k) for c, k in zip(kinds["area_code"], kinds["area_type"], strict=True)
    ]
    kinds["table"] = kinds["area_type"].map(_TABLE_OF)
    bea = parities[(parities["year"] == year) & parities["geo_type"].isin(["state", "metro"])]
    merged = kinds.merge(
        bea[["table", "geo_fips", "rpp"]], on=["table", "geo_fips"], how="left", indicator=True
    )
    matched = merged["_merge"] == "both"
    keys = set(zip(kinds["table"], kinds["geo_fips"], strict=True))
    bea_keys = list(zip(bea["table"], bea["geo_fips"], strict=True))
    return {
        "matched": merged.loc[matched, ["area_code", "area_name", "geo_fips", "rpp"]],
        "oews_unmatched": merged.loc[~matched, ["area_code", "area_name", "area_type"]],
        "bea_unmatched": bea.loc[
            [k not in keys for k in bea_keys], ["table", "geo_fips", "geo_name"]
        ],
    }


def rank_metros(frame: pd.DataFrame, *, top: int | None = 10) -> pd.DataFrame:
    """Metro areas ranked by annual median, nominal and adjusted for local prices.

    ``frame`` comes from :func:`add_rpp`. Returns one row per metro with a value, sorted by the
    adjusted median, with ``rank_nominal`` and ``rank_adjusted`` (1 = best paid) and
    ``rank_change`` (places gained by adjusting); ``top`` keeps the best ``top`` by either.
    """
    metros = frame[(frame["area_type"] == "metro") & frame["annual_median"].notna()].copy()
    metros["rank_nominal"] = metros["annual_median"].rank(ascending=False, method="min")
    metros["rank_adjusted"] = metros["annual_median_rpp_adjusted"].rank(
        ascending=False, method="min"
    )
    for name in ("rank_nominal", "rank_adjusted"):
        metros[name] = metros[name].astype("Int64")
    metros["rank_change"] = metros["rank_nominal"] - metros["rank_adjusted"]
    if top is not None:
        metros = metros[(metros["rank_nominal"] <= top) | (metros["rank_adjusted"] <= top)]
    columns = [
        "area_code",
        "area_name",
        "annual_median",
        "rank_nominal",
        "rpp",
        "rpp_year",
        "annual_median_rpp_adjusted",
        "rank_adjusted",
        "rank_change",
    ]
    out = metros.sort_values(["rank_adjusted", "rank_nominal"], na_position="last")[columns]
    out = out.reset_index(drop=True)
    out.attrs["provenance"] = provenance_of(frame)
    return out


def with_rpp(
    frame: pd.DataFrame, *, year: int | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """:func:`add_rpp` with BEA's tables from :func:`marketdata.datasets.rpp.load_all`."""
    return add_rpp(frame, rpp.load_all(settings=settings), year=year)

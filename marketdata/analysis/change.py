"""Observed change of an occupation's employment and wages between two OEWS releases, by area.

:func:`observed_change` compares two archived releases area by area: employment, mean and
median annual wage, nominal and in constant dollars, and whether each change is within
sampling error.

Rules
-----
- **Constant dollars**: wages of the start release are expressed in dollars of the end
  release's year with the CPI-U annual average (series ``CUUR0000SA0``, period ``M13``, from
  :mod:`marketdata.datasets.cpi`: BLS's CPI flat file, cached, or bundled offline):
  ``start_real = start * CPI(end year) / CPI(start year)``. OEWS wages refer to
  May (and, in BLS's method, to a three-year panel); the annual average is the usual deflator.
- **Sampling error**: BLS publishes relative standard errors for employment (``EMP_PRSE``)
  and the mean wage (``MEAN_PRSE``), not for medians. The standard error of an estimate is
  ``rse / 100 * value``; the change's is ``sqrt(se_start**2 + se_end**2)`` (treating the
  two releases as independent). A change is *within sampling error* when
  ``|change| < 1.96 * se_change`` (a 95 % interval around zero). Consecutive releases share
  survey panels, so their errors are positively correlated and the true error of the change
  is smaller: the rule is conservative (it calls more changes "within sampling error").
- Top-coded values and values BLS did not publish give no change (missing, with the reason
  in ``note``); rows across a SOC revision or an area redefinition are flagged in
  ``is_comparable`` / ``comparability_note`` as in :func:`marketdata.datasets.oews_history.history`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import UnknownRelease
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.core.soc_bridge import match, versions_of
from marketdata.datasets import cpi as cpi_dataset
from marketdata.datasets.oews_history import (
    area_note,
    checked_soc_code,
    load_crosswalks,
    load_release,
    occupation_rows,
    parse_release,
    published_codes,
    resolve_area,
)
from marketdata.sources.cpi_flat_file import CPI_U

__all__ = [
    "CPI_SERIES",
    "MEASURE_RSE",
    "Z_95",
    "cpi_annual_averages",
    "observed_change",
]

logger = logging.getLogger(__name__)

CPI_SERIES = CPI_U
Z_95 = 1.96
#: Measure -> the column of its relative standard error (None: BLS publishes none).
MEASURE_RSE: dict[str, str | None] = {
    "employment": "employment_rse",
    "annual_mean": "wage_rse",
    "annual_median": None,
}
_WAGES = ("annual_mean", "annual_median")
_KEEP = ("area_code", "area_name", "area_type", "occupation_code", "occupation_title")


def cpi_annual_averages(years: Iterable[int], *, settings: Settings | None = None) -> pd.Series:
    """CPI-U (``CUUR0000SA0``) annual averages of ``years``, by year.

    They come from :func:`marketdata.datasets.cpi.load`, whose provenance is in
    ``.attrs["provenance"]``.

    Raises
    ------
    InputValueError
        BLS has published no annual average for one of the years; names the years it has.
    """
    frame = cpi_dataset.load(settings=settings)
    found = {year: cpi_dataset.annual_average(year, frame) for year in sorted(set(years))}
    result = pd.Series(found, name=CPI_SERIES, dtype="float64")
    return attach_provenance(result, provenance_of(frame))  # type: ignore[arg-type]


def _side(
    frame: pd.DataFrame, code: str, *, release_soc: str, reference_soc: str, crosswalks
) -> tuple[pd.DataFrame, str | None, bool]:
    found = match(
        code,
        published=published_codes(frame),
        release_soc=release_soc,
        reference_soc=reference_soc,
        crosswalks=crosswalks,
    )
    rows = occupation_rows(frame, found) if found.code else frame.iloc[0:0]
    columns = [
        *_KEEP,
        *MEASURE_RSE,
        "employment_rse",
        "wage_rse",
        *(f"is_topcoded_{w}" for w in _WAGES),
    ]
    notes = [f"{m}_note" for m in MEASURE_RSE]
    return rows[list(dict.fromkeys(columns + notes))], found.note, found.is_comparable


def observed_change(
    occupation: str,
    areas: str | int | Iterable[str | int] | None = None,
    *,
    start: str | int,
    end: str | int,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Employment and wage change of ``occupation`` from release ``start`` to ``end``, by area.

    Parameters
    ----------
    occupation
        SOC code as published in the ``end`` release (``"29-2072"``).
    areas
        ``"US"``, states, CBSA codes or metro names. Default: the nation and every state.
    start, end
        OEWS releases (``2013``, ``"May 2021"``).

    Returns
    -------
    DataFrame
        One row per area: codes and titles on each side, ``is_comparable`` and
        ``comparability_note``; for ``employment``, ``annual_mean`` and ``annual_median``:
        ``<m>_start``, ``<m>_end``, ``<m>_change``, ``<m>_pct_change``; for employment and the
        mean wage (which have published RSEs) ``<m>_change_se`` and
        ``<m>_within_sampling_error``; for the wages in constant end-year dollars
        ``<w>_start_real``, ``<w>_real_change``, ``<w>_real_pct_change`` (and
        ``annual_mean_real_within_sampling_error``); ``cpi_start``, ``cpi_end``; ``note``.
        See the module docstring for the rules.
    """
    settings = get_settings(settings)
    code = checked_soc_code(occupation)
    first, last = parse_release(start), parse_release(end)
    if first.year >= last.year:
        raise UnknownRelease(
            "OEWS release pair", f"{start} -> {end}", hint="start must be an earlier release."
        )
    targets: dict[str, list[str] | None] = {}
    if areas is None:
        targets = {"national": None, "state": None}
    else:
        for area in [areas] if isinstance(areas, str | int) else areas:
            scope, where = resolve_area(area, release=last, settings=settings)
            targets.setdefault(scope, []).append(where)  # type: ignore[union-attr]
    crosswalks = load_crosswalks(
        {v for r in (first, last) for v in versions_of(r.soc_version)}, settings=settings
    )
    parts, sources = [], []
    for scope, wanted in targets.items():
        sides = []
        for rel in (first, last):
            frame = load_release(rel.label, scope=scope, settings=settings)
            sources += provenance_of(frame)
            if wanted is not None:
                frame = frame[frame["area_code"].isin(wanted)]
            sides.append(
                _side(
                    frame,
                    code,
                    release_soc=rel.soc_version,
                    reference_soc=last.soc_version,
                    crosswalks=crosswalks,
                )
            )
        (before, note0, ok0), (after, note1, ok1) = sides
        merged = after.merge(before, on="area_code", how="outer", suffixes=("_end", "_start"))
        note = "; ".join(n for n in (note0, note1) if n)
        missing = merged["occupation_code_start"].isna() | merged["occupation_code_end"].isna()
        merged["is_comparable"] = (ok0 and ok1) & ~missing
        merged["comparability_note"] = note or None
        merged.loc[missing, "comparability_note"] = (
            f"{note}; " if note else ""
        ) + "not published for this area in both releases"
        parts.append(merged)
    out = pd.concat(parts, ignore_index=True)
    for side in ("end", "start"):
        out[f"area_name_{side}"] = out[f"area_name_{side}"].astype(object)
    out["area_name"] = out["area_name_end"].fillna(out["area_name_start"])
    out["area_type"] = out["area_type_end"].fillna(out["area_type_start"])
    extra = out["area_type"].map(lambda t: area_note(str(t), first.year, last.year))
    has_extra = extra.notna()
    out.loc[has_extra, "is_comparable"] = False
    out.loc[has_extra, "comparability_note"] = (
        out.loc[has_extra, "comparability_note"].fillna("").str.cat(extra[has_extra], sep="; ")
    ).str.strip("; ")
    cpi = cpi_annual_averages([first.year, last.year], settings=settings)
    result = _changes(out, cpi[first.year], cpi[last.year])
    result.insert(3, "start_release", first.label)
    result.insert(4, "end_release", last.label)
    return attach_provenance(result, [*sources, *provenance_of(cpi)])


def _within(change: pd.Series, se: pd.Series) -> pd.Series:
    within = (change.abs() < Z_95 * se).astype("boolean")
    return within.mask(change.isna() | se.isna())


def _changes(df: pd.DataFrame, cpi_start: float, cpi_end: float) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "area_code": df["area_code"],
            "area_name": df["area_name"],
            "area_type": df["area_type"],
            "start_code": df["occupation_code_start"],
            "end_code": df["occupation_code_end"],
            "start_title": df["occupation_title_start"],
            "end_title": df["occupation_title_end"],
            "is_comparable": df["is_comparable"].astype(bool),
            "comparability_note": df["comparability_note"],
        }
    )
    notes = pd.Series([[] for _ in range(len(df))], index=df.index, dtype=object)
    factor = cpi_end / cpi_start
    for measure, rse in MEASURE_RSE.items():
        a, b = df[f"{measure}_start"], df[f"{measure}_end"]
        if measure in _WAGES:
            topped = df[f"is_topcoded_{measure}_start"].eq(True) | df[
                f"is_topcoded_{measure}_end"
            ].eq(True)
            for i in np.flatnonzero(topped.to_numpy()):
                notes.iloc[i].append(f"{measure}: top-coded, no change computed")
            a, b = a.mask(topped), b.mask(topped)
        for side, values in (("start", a), ("end", b)):
            reason = df[f"{measure}_note_{side}"]
            for i in np.flatnonzero((values.isna() & reason.notna()).to_numpy()):
                notes.iloc[i].append(f"{measure} {side}: {reason.iloc[i]}")
        change = b - a
        out[f"{measure}_start"] = df[f"{measure}_start"]
        out[f"{measure}_end"] = df[f"{measure}_end"]
        out[f"{measure}_change"] = change
        out[f"{measure}_pct_change"] = 100 * change / a
        if rse is not None:
            se = np.sqrt((df[f"{rse}_start"] / 100 * a) ** 2 + (df[f"{rse}_end"] / 100 * b) ** 2)
            out[f"{measure}_change_se"] = se
            out[f"{measure}_within_sampling_error"] = _within(change, se)
        if measure in _WAGES:
            real = a * factor
            real_change = b - real
            out[f"{measure}_start_real"] = real
            out[f"{measure}_real_change"] = real_change
            out[f"{measure}_real_pct_change"] = 100 * real_change / real
            if rse is not None:
                se_real = np.sqrt(
                    (df[f"{rse}_start"] / 100 * real) ** 2 + (df[f"{rse}_end"] / 100 * b) ** 2
                )
                out[f"{measure}_real_within_sampling_error"] = _within(real_change, se_real)
    out["cpi_start"] = cpi_start
    out["cpi_end"] = cpi_end
    out["note"] = notes.map(lambda n: "; ".join(n) or None)
    order = {"national": 0, "state": 1, "metro": 2, "nonmetro": 3}
    out = out.assign(_rank=out["area_type"].map(order)).sort_values(["_rank", "area_code"])
    return out.drop(columns="_rank").reset_index(drop=True)

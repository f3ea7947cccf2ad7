"""Which rows of an OEWS release a load asks for: areas, occupations, industries, SOC groups.

:func:`selection` turns what the user gave (codes, names, area groups, a SOC group) into the
codes wanted per column; :func:`resolved` also answers the group rows BLS's workbook publishes;
:func:`filters` and :func:`select` apply the choice to a Parquet read or a frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from marketdata.core.config import Settings
from marketdata.core.errors import UnknownCode
from marketdata.datasets import codes, codes_groups, oews_groups

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ALL_INDUSTRIES",
    "CROSS_INDUSTRY",
    "Selection",
    "as_list",
    "filters",
    "resolved",
    "select",
    "selection",
]

CROSS_INDUSTRY = codes.CROSS_INDUSTRY
#: ``industry=ALL_INDUSTRIES`` loads every industry (national industry estimates included).
ALL_INDUSTRIES = "all"

Selection = str | int | Iterable[str | int] | None


def as_list(value: Selection) -> list[str | int]:
    if value is None:
        return []
    if isinstance(value, str | int):
        return [value]
    return list(value)


def selection(
    area: Selection,
    occupation: Selection,
    industry: Selection,
    tables: Mapping[str, Any],
    soc_group: Selection = None,
) -> dict[str, list[str]]:
    """Column -> codes wanted (columns absent: no restriction)."""
    chosen: dict[str, list[str]] = {}
    if industry is None:
        chosen["industry_code"] = [CROSS_INDUSTRY]
    elif industry != ALL_INDUSTRIES:
        chosen["industry_code"] = [
            codes.resolve_industry(i, table=tables["industry"]).code for i in as_list(industry)
        ]
    if area is not None:
        wanted = codes_groups.area_codes(as_list(area), table=tables["area"])
        if wanted is not None:  # None: "all"
            chosen["area_code"] = wanted
    if occupation is not None:
        chosen["occupation_code"] = [
            codes.resolve_occupation(o, table=tables["occupation"]).code
            for o in as_list(occupation)
        ]
    if soc_group is not None:
        group = codes_groups.occupations_in(as_list(soc_group), table=tables["occupation"])
        asked = chosen.get("occupation_code")
        chosen["occupation_code"] = [o.code for o in group if asked is None or o.code in asked]
    return chosen


def filters(chosen: dict[str, list[str]]) -> list[tuple[str, str, list[str]]] | None:
    return [(column, "in", wanted) for column, wanted in chosen.items()] or None


def select(df: pd.DataFrame, chosen: dict[str, list[str]]) -> pd.DataFrame:
    """The rows wanted; a contiguous block (e.g. one industry) is sliced, not copied."""
    import numpy as np

    keep = np.ones(len(df), bool)
    for column, wanted in chosen.items():
        keep &= df[column].isin(wanted).to_numpy()
    rows = np.flatnonzero(keep)
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        return df.iloc[rows[0] : rows[-1] + 1].reset_index(drop=True)
    return df.iloc[rows].reset_index(drop=True)


def resolved(
    area: Selection,
    occupation: Selection,
    industry: Selection,
    tables: Mapping[str, Any],
    release: str,
    settings: Settings,
    soc_group: Selection = None,
) -> tuple[dict[str, list[str]], oews_groups.Groups | None]:
    """:func:`selection`, answering the group rows BLS's workbook publishes and the time-series
    files leave out (:mod:`marketdata.datasets.oews_groups`); an unknown code names the release."""
    wanted, groups = oews_groups.split(
        occupation, table=tables["occupation"], release=release, settings=settings
    )
    try:
        return selection(area, wanted, industry, tables, soc_group), groups
    except UnknownCode as err:
        if err.kind != "SOC occupation code":
            raise
        raise oews_groups.not_published(err, release, settings=settings) from None

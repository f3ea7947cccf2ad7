"""Tables every report shares: OEWS rows picked, ordered and trimmed to the columns a table
shows. (Report parameters are resolved in :mod:`marketdata.reports.resolve`.)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pandas as pd

from marketdata.core.errors import MarketdataError
from marketdata.core.schema import WAGE_TABLE_MEASURES, attach_provenance, provenance_of


def rows_for(frame: pd.DataFrame, area_codes: Sequence[str]) -> pd.DataFrame:
    """The rows of ``frame`` for ``area_codes``, in that order (absent areas skipped)."""
    order = {code: i for i, code in enumerate(area_codes)}
    rows = frame[frame["area_code"].isin(order)]
    rows = rows.assign(_order=rows["area_code"].map(order)).sort_values("_order", kind="stable")
    return attach_provenance(
        rows.drop(columns="_order").reset_index(drop=True), provenance_of(frame)
    )


def top(frame: pd.DataFrame, measure: str, n: int) -> pd.DataFrame:
    """The ``n`` rows with the highest ``measure`` (ties by name), provenance kept."""
    label = "area_name" if "area_name" in frame.columns else "occupation_title"
    rows = frame.sort_values([measure, label], ascending=[False, True], na_position="last")
    return attach_provenance(rows.head(n).reset_index(drop=True), provenance_of(frame))


def of_type(frame: pd.DataFrame, *types: str) -> pd.DataFrame:
    """Rows of the given area types (``state``, ``metro``, ``nonmetro``, ``national``)."""
    rows = frame[frame["area_type"].isin(types)].reset_index(drop=True)
    return attach_provenance(rows, provenance_of(frame))


def wage_columns(frame: pd.DataFrame, *, label: str = "area_name") -> pd.DataFrame:
    """The columns of a wage table: label, employment, median, percentiles, flags."""
    keep = [label, *WAGE_TABLE_MEASURES]
    flags = [f"is_topcoded_{c}" for c in keep if f"is_topcoded_{c}" in frame.columns]
    return attach_provenance(frame[keep + flags].reset_index(drop=True), provenance_of(frame))


def columns_of(frame: pd.DataFrame, keep: Sequence[str]) -> pd.DataFrame:
    """``keep`` columns that ``frame`` has, plus their top-code flags; provenance kept."""
    chosen = [c for c in keep if c in frame.columns]
    flags = [f"is_topcoded_{c}" for c in chosen if f"is_topcoded_{c}" in frame.columns]
    return attach_provenance(frame[chosen + flags].reset_index(drop=True), provenance_of(frame))


T = TypeVar("T")


def attempt(
    function: Callable[..., T], *args: Any, **kwargs: Any
) -> tuple[T | None, MarketdataError | None]:
    """(``function(*args, **kwargs)``, None), or (None, the package error that kept it out):
    a figure the brief needs early, whose section later says why it is missing."""
    try:
        return function(*args, **kwargs), None
    except MarketdataError as exc:
        return None, exc


def require(value: T | None, error: MarketdataError | None) -> T:
    """``value``, or raise the ``error`` of :func:`attempt` (its section then says what is
    missing)."""
    if error is not None:
        raise error
    if value is None:
        raise MarketdataError("no figures were found for this section")
    return value

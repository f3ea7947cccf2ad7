"""Dollars of different years made comparable: constant dollars with CPI-U annual averages.

>>> from marketdata import dollars, oews
>>> history = oews.history(occupation="29-2072", area="US")  # doctest: +SKIP
>>> constant = dollars.inflation_adjust(history, to=2025)  # doctest: +SKIP
>>> constant[["release", "annual_median", "annual_median_2025_dollars"]]  # doctest: +SKIP

Each dollar column ``<column>`` of a frame gets a companion ``<column>_<to>_dollars``: the
value times CPI-U of year ``to`` over CPI-U of the row's year (BLS's annual averages, series
``CUUR0000SA0``; :func:`marketdata.datasets.cpi.load`). The original columns are left as published.
The new columns are estimates, not BLS figures: ``df.attrs["column_info"]`` says so for each,
``df.attrs["notes"]`` says how they were made (and when an average covers fewer than 12
months, as 2025's does), and the CPI file joins the frame's provenance.
"""

from __future__ import annotations

import re

import pandas as pd

from marketdata.core.config import Settings
from marketdata.core.errors import InputValueError, SchemaError
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.datasets import cpi

__all__ = [
    "ESTIMATE",
    "dollar_columns",
    "inflation_adjust",
]

ESTIMATE = "estimate"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
#: Decimals kept in converted columns: whole dollars a year, cents an hour (as BLS publishes).
_DECIMALS = {"annual_": 0, "hourly_": 2}


def dollar_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of ``frame`` that hold dollars: OEWS's ``annual_*`` and ``hourly_*`` wages."""
    return [
        c
        for c in frame.columns
        if c.startswith(tuple(_DECIMALS))
        and not c.endswith("_dollars")
        and pd.api.types.is_numeric_dtype(frame[c])
    ]


def _years(frame: pd.DataFrame) -> pd.Series:
    if "year" in frame:
        return pd.to_numeric(frame["year"], errors="raise").astype(int)
    if "release" in frame:
        found = frame["release"].astype(str).str.extract(_YEAR, expand=False)
        if found.isna().any():
            bad = frame.loc[found.isna(), "release"].iloc[0]
            raise SchemaError(f"release {bad!r} names no year to adjust for")
        return found.astype(int)
    raise SchemaError("the frame has no 'year' or 'release' column to adjust for")


def inflation_adjust(
    frame: pd.DataFrame,
    *,
    to: int,
    columns: list[str] | None = None,
    cpi_frame: pd.DataFrame | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """A copy of ``frame`` with its dollar columns also in constant dollars of year ``to``.

    Parameters
    ----------
    frame
        Rows with a ``year`` column (or a ``release`` label such as ``"May 2021"``).
    to
        The year whose dollars every row is expressed in (``2025``).
    columns
        The dollar columns to convert (default: :func:`dollar_columns`).
    cpi_frame
        CPI-U annual averages as :func:`marketdata.datasets.cpi.load` returns them (default: loaded).

    Returns
    -------
    DataFrame
        ``frame``'s columns unchanged, plus ``<column>_<to>_dollars`` for each converted
        column (whole dollars a year, cents an hour); a top-coded value stays a bound in
        constant dollars (its ``is_topcoded_<column>`` flag applies to both).
        ``attrs["column_info"]`` marks the new columns as estimates; ``attrs["notes"]`` says
        how they were made; ``attrs["provenance"]`` adds the CPI file.

    Raises
    ------
    InputValueError
        ``to`` or a row's year has no CPI-U annual average.
    SchemaError
        No year to adjust for, or a named column is not in the frame.
    """
    prices = cpi.load(settings=settings) if cpi_frame is None else cpi_frame
    target = cpi.annual_average(to, prices)
    years = _years(frame)
    chosen = dollar_columns(frame) if columns is None else list(columns)
    missing = [c for c in chosen if c not in frame.columns]
    if missing:
        raise SchemaError(f"no column {', '.join(missing)} in the frame")
    by_year = prices.set_index("year")
    absent = sorted(set(years) - set(by_year.index))
    if absent:
        first, last = int(by_year.index.min()), int(by_year.index.max())
        raise InputValueError(
            "CPI-U year", absent[0], hint=f"BLS's annual averages run from {first} to {last}."
        )
    factor = target / years.map(by_year["cpi_u"]).astype(float)
    out = frame.copy()
    info = dict(frame.attrs.get("column_info", {}))
    for column in chosen:
        name = f"{column}_{to}_dollars"
        decimals = next((d for p, d in _DECIMALS.items() if column.startswith(p)), 2)
        out[name] = (frame[column].astype(float) * factor).round(decimals)
        info[name] = {
            "kind": ESTIMATE,
            "method": f"{column} x CPI-U {to} / CPI-U of the row's year",
            "source": f"BLS CPI-U annual averages, series {cpi.source.CPI_U}",
        }
    out.attrs["column_info"] = info
    short = by_year.loc[sorted({*years, int(to)})]
    note = (
        f"Columns ending _{to}_dollars are estimates in {to} dollars: the published value times "
        f"CPI-U {to} ({target:,.3f}) over CPI-U of the row's year (BLS annual averages, "
        f"all items, U.S. city average, series {cpi.source.CPI_U})."
    )
    notes = [*frame.attrs.get("notes", []), note]
    notes += [f"CPI-U {y}: {n}." for y, n in zip(short.index, short["note"], strict=True) if n]
    out.attrs["notes"] = notes
    return attach_provenance(out, [*provenance_of(frame), *provenance_of(prices)])

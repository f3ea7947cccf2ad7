"""CPI-U annual averages from BLS's CPI flat file, fetched, cached, or bundled.

>>> from marketdata import cpi
>>> cpi.load().set_index("year").loc[2021, "cpi_u"]  # doctest: +SKIP
270.97

The file ``cu.data.1.AllItems`` comes from
``{MARKETDATA_BLS_DOWNLOAD_URL}/pub/time.series/cu/`` through the cache (a copy saved by hand
enters with ``marketdata cache add cu.data.1.AllItems``); the annual averages of CPI-U (all
items, U.S. city average, not seasonally adjusted, 1982-84=100: series ``CUUR0000SA0``, period
``M13``) are cached as Parquet. If BLS cannot be reached and nothing is cached, the bundled
averages (:mod:`marketdata.bundled.history_bundle`) are used, with one
:class:`~marketdata.core.errors.OfflineDataWarning`.

An average that covers fewer than 12 months says so: 2025's averages 11 months, because
October 2025 was not collected (BLS shows ``-`` with footnote ``X``); ``months``,
``footnote_codes`` and ``note`` carry that with the value.
"""

from __future__ import annotations

import pandas as pd

from marketdata.bundled import history_bundle as bundled
from marketdata.core.config import Settings
from marketdata.core.errors import InputValueError
from marketdata.datasets import recipe
from marketdata.io import cache
from marketdata.sources import cpi_flat_file as source

__all__ = [
    "COLUMNS",
    "PROGRAM",
    "RECIPE",
    "annual_average",
    "load",
]

PROGRAM = "CPI"
COLUMNS = source.ANNUAL_COLUMNS


def _parse(entry: cache.CachedFile) -> pd.DataFrame:
    parsed = source.parse(entry.path, source=entry.url, series_ids=[source.CPI_U])
    return source.annual_averages(parsed)


def _years(frame: pd.DataFrame) -> str:
    return f"{frame['year'].iloc[0]}-{frame['year'].iloc[-1]}"


def _release(frame: pd.DataFrame) -> str:
    return f"CPI-U annual averages {_years(frame)}"


RECIPE = recipe.Recipe(
    program=PROGRAM,
    agency="BLS",
    source="CPI-U annual averages",
    url=lambda settings: source.file_url(settings=settings),
    key=source.cache_key(),
    frame_name=f"cpi/{source.CPI_U}-annual",
    parse=_parse,
    release=_release,
    check=source.check_file,
    bundled=lambda: bundled.read("cpi"),
    bundled_name=lambda frame: f"CPI-U annual averages ({_years(frame)})",
)


def load(*, settings: Settings | None = None, refresh: bool = False) -> pd.DataFrame:
    """CPI-U annual averages, one row per year.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: ``year``, ``series_id``, ``cpi_u`` (the annual average), ``months``
        (monthly values it averages), ``footnote_codes`` and ``note`` (why fewer than 12);
        provenance in ``df.attrs["provenance"]``.

    Raises
    ------
    ContactRequired
        BLS refused the download (403): set ``MARKETDATA_CONTACT``.

    Warns
    -----
    OfflineDataWarning
        BLS could not be reached and the file is not cached: the bundled averages are used.
    """
    return recipe.load(RECIPE, settings=settings, refresh=refresh)


def annual_average(year: int, frame: pd.DataFrame) -> float:
    """The CPI-U annual average of ``year`` in ``frame`` (from :func:`load`).

    Raises
    ------
    InputValueError
        No annual average for that year; names the years there are.
    """
    rows = frame[frame["year"] == int(year)]
    if rows.empty:
        first, last = int(frame["year"].min()), int(frame["year"].max())
        raise InputValueError(
            "CPI-U year", year, hint=f"BLS's annual averages run from {first} to {last}."
        )
    return float(rows["cpi_u"].iloc[0])

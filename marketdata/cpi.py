"""CPI-U annual averages from BLS's CPI flat file, fetched, cached, or bundled.

>>> from marketdata import cpi
>>> cpi.load().set_index("year").loc[2021, "cpi_u"]  # doctest: +SKIP
270.97

The file ``cu.data.1.AllItems`` comes from
``{MARKETDATA_BLS_DOWNLOAD_URL}/pub/time.series/cu/`` through the cache (a copy saved by hand
enters with ``marketdata cache add cu.data.1.AllItems``); the annual averages of CPI-U (all
items, U.S. city average, not seasonally adjusted, 1982-84=100: series ``CUUR0000SA0``, period
``M13``) are cached as Parquet. If BLS cannot be reached and nothing is cached, the bundled
averages (:mod:`marketdata.snapshot.history`) are used, with one
:class:`~marketdata.errors.OfflineDataWarning`.

An average that covers fewer than 12 months says so: 2025's averages 11 months, because
October 2025 was not collected (BLS shows ``-`` with footnote ``X``); ``months``,
``footnote_codes`` and ``note`` carry that with the value.
"""

from __future__ import annotations

import pandas as pd

from marketdata import cache
from marketdata.config import Settings, get_settings
from marketdata.errors import ContactRequired, FetchError, InputValueError, OfflineDataWarning
from marketdata.notices import unreachable, warn_once
from marketdata.schema import attach_provenance, provenance_of
from marketdata.snapshot import history as bundled
from marketdata.sources import cpi as source

PROGRAM = "CPI"
COLUMNS = source.ANNUAL_COLUMNS


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
    settings = get_settings(settings)
    try:
        entry = cache.fetch(
            source.file_url(settings=settings),
            key=source.cache_key(),
            settings=settings,
            refresh=refresh,
            check=source.check_file,
        )
    except ContactRequired:
        raise
    except FetchError as err:
        frame = bundled.read("cpi")
        warn_once(
            PROGRAM,
            f"{unreachable(settings.offline)}; using the bundled CPI-U annual "
            f"averages ({frame['year'].iloc[0]}-{frame['year'].iloc[-1]}).",
            OfflineDataWarning,
        )
        why = str(err).splitlines()[0]
        return attach_provenance(frame, [p | {"note": why} for p in provenance_of(frame)])
    name = f"cpi/{source.CPI_U}-annual"
    frame = cache.read_parquet(name, inputs=[entry], settings=settings)
    if frame is not None:
        return frame
    parsed = source.parse(entry.path, source=entry.url, series_ids=[source.CPI_U])
    frame = source.annual_averages(parsed)
    first, last = frame["year"].iloc[0], frame["year"].iloc[-1]
    release = f"CPI-U annual averages {first}-{last}"
    attach_provenance(frame, [entry.provenance(program=PROGRAM, release=release)])
    cache.write_parquet(frame, name, inputs=[entry], settings=settings)
    return frame


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

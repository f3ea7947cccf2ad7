"""Load CPS certification and licensing data: BLS annual tables and LE/LN time series.

Three ways to the same figures, each fetched and cached like the other sources:

- :func:`certification_table`: BLS's annual-average table (``cpsaat53.xlsx`` in 2025,
  "Certification and licensing status of the employed by occupation") from
  ``{settings.bls_www_url}/cps/aa<YEAR>/``.
- :func:`~marketdata.datasets.cps_series.certification_series` with ``via="file"``: the LE (median weekly earnings) or LN
  (employment) time-series flat files under ``{settings.bls_download_url}/pub/time.series/``,
  series chosen from ``le.series`` / ``ln.series`` by their ``cert_code``.
- :func:`~marketdata.datasets.cps_series.certification_series` with ``via="api"``: the same series, values from the BLS
  Public Data API (:func:`marketdata.datasets.api.series`).

All return the certification frame of :data:`marketdata.sources.cps_annual.CERT_TABLE_COLUMNS`
(one row per CPS occupation group; shares in percent, medians in dollars per week), with
``attrs["provenance"]``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import FetchError, InputValueError, SourceFormatError
from marketdata.datasets import recipe
from marketdata.datasets.cps_series import DATA_FILES, DATABASES, certification_series
from marketdata.io import cache
from marketdata.sources import cps_annual as source

__all__ = [
    "CERT_TABLE",
    "DATABASES",
    "DATA_FILES",
    "annual_table",
    "cached_group_table",
    "certification_series",
    "certification_table",
    "table_url",
]

logger = logging.getLogger(__name__)

#: BLS's number of the certification-by-occupation table in the 2025 annual averages.
#: BLS renumbers the cpsaat tables from year to year: pass ``table=`` for other years.
CERT_TABLE = 53


def _xlsx_check(path: Path) -> None:
    with path.open("rb") as f:
        start = f.read(4)
    if start != b"PK\x03\x04":
        raise SourceFormatError(
            f"not an Excel workbook (starts with {start!r}); BLS may have sent an error page",
            source=str(path.name),
        )


def _table_check(parse):
    """Check for the cache: an xlsx whose table parses (a changed layout stays out)."""

    def check(path: Path) -> None:
        _xlsx_check(path)
        parse(path.read_bytes(), source=path.name)  # openpyxl refuses a .part name

    return check


def table_url(table: int | str, *, release: int, settings: Settings | None = None) -> str:
    """URL of a CPS annual-average table of ``release``, e.g. ``.../cps/aa2025/cpsaat53.xlsx``."""
    settings = get_settings(settings)
    return f"{settings.bls_www_url}/cps/aa{release}/cpsaat{table}.xlsx"


def _year(year: int | str) -> int:
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = -1
    if not 2015 <= value <= 2100:
        raise InputValueError(
            "CPS release",
            year,
            hint="Certification questions entered the CPS in January 2015: give 2015 or later.",
        )
    return value


def _table_recipe(
    table: int | str,
    year: int,
    kind: str,
    check: Callable[..., pd.DataFrame],
    parse: Callable[[cache.CachedFile], pd.DataFrame],
    release: str,
) -> recipe.Recipe:
    """Table ``cpsaat<table>.xlsx`` of ``year``: downloads must pass ``check`` (a parser of
    the table's bytes), the frame is ``parse``'s, cached as the table's ``kind``."""
    key = f"cps/aa{year}/cpsaat{table}.xlsx"
    return recipe.Recipe(
        program="CPS",
        agency="BLS",
        source=f"CPS table {table} of {year}",
        url=lambda settings: table_url(table, release=year, settings=settings),
        key=key,
        frame_name=f"{key.removesuffix('.xlsx')}-{kind}",
        parse=parse,
        release=lambda _: release,
        check=_table_check(check),
    )


def annual_table(
    table: int | str, *, release: int, settings: Settings | None = None, refresh: bool = False
) -> pd.DataFrame:
    """Any CPS annual-average table ``cpsaat<table>.xlsx`` of ``release`` as a long frame.

    Parameters
    ----------
    table
        The table's number that year, e.g. ``11``.
    release
        The CPS release: the year of the annual averages (2015 on).

    Returns
    -------
    DataFrame
        See :func:`marketdata.sources.cps_annual.parse_cpsaat` for the columns.
    """
    year = _year(release)

    def parse(entry: cache.CachedFile) -> pd.DataFrame:
        return source.parse_cpsaat(entry.path, source=entry.url, year=year)

    release = f"{year} annual averages"
    cooked = _table_recipe(table, year, "long", source.parse_cpsaat, parse, release)
    return recipe.load(cooked, settings=settings, refresh=refresh)


def certification_table(
    *,
    release: int,
    table: int | str = CERT_TABLE,
    settings: Settings | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """BLS's certification and licensing table by occupation of a CPS release.

    Parameters
    ----------
    release
        The CPS release: the year of the annual averages (2015 on); BLS publishes them early
        the next year.
    table
        The table's number that year (53 in 2025; BLS renumbers tables across years).

    Returns
    -------
    DataFrame
        :data:`~marketdata.sources.cps_annual.CERT_TABLE_COLUMNS`, one row per occupation group.
    """
    year = _year(release)

    def parse(entry: cache.CachedFile) -> pd.DataFrame:
        frame = source.parse_certification_table(entry.path, source=entry.url)
        frame["year"] = frame["year"].fillna(year)
        return frame

    release = f"{year} annual averages, table {table}"
    cooked = _table_recipe(
        table, year, "certification", source.parse_certification_table, parse, release
    )
    return recipe.load(cooked, settings=settings, refresh=refresh)


_TABLE_KEY = re.compile(r"^cps/aa(?P<year>\d{4})/cpsaat(?P<table>\d+[a-z]?)\.xlsx$")


def cached_group_table(*, settings: Settings | None = None) -> pd.DataFrame | None:
    """The newest certification-by-occupation-group frame the cache already holds, or None.

    Tried in order, without any download: every cached annual table ``cpsaat<NN>.xlsx`` of
    the newest year first (those that are not a certification table by occupation, such as
    cpsaat11 or table 54, are skipped), then the LE series (:func:`certification_series`)
    if all of its files are cached.
    """
    settings = get_settings(settings)
    offline = dataclasses.replace(settings, offline=True)
    found = [
        (int(m["year"]), m["table"])
        for entry in cache.entries(settings=settings)
        if (m := _TABLE_KEY.match(entry.key)) and m["table"] != "54"
    ]
    for year, table in sorted(found, reverse=True):
        try:
            return certification_table(release=year, table=table, settings=offline)
        except (FetchError, SourceFormatError) as err:
            logger.debug("cached cpsaat%s (%s) is no certification table: %s", table, year, err)
    try:
        return certification_series("le", settings=offline)
    except (FetchError, SourceFormatError, InputValueError) as err:
        logger.debug("no cached LE certification series: %s", err)
        return None

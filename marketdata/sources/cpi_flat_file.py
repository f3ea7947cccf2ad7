"""BLS's CPI flat file ``cu.data.1.AllItems``: bytes in, tidy frame out.

BLS publishes the Consumer Price Index in LABSTAT flat files under
``download.bls.gov/pub/time.series/cu/``: tab-separated ``series_id, year, period, value,
footnote_codes`` with padded series ids, CRLF line ends and a trailing tab; a value BLS did
not publish is ``-`` with a footnote code (October 2025 is ``-`` with footnote ``X``: it was
not collected). :func:`parse` reads the file; :func:`annual_averages` picks one series'
annual averages (period ``M13``) and says, per year, how many months each average covers.
"""

from __future__ import annotations

import calendar
import re
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.sources import KnownFile
from marketdata.sources.cps_timeseries import parse_data

DATA_FILE = "cu.data.1.AllItems"
CU_PATH = "/pub/time.series/cu/"
#: CPI-U, U.S. city average, all items, not seasonally adjusted, 1982-84=100.
CPI_U = "CUUR0000SA0"
ANNUAL = "M13"
#: Columns of :func:`annual_averages`.
ANNUAL_COLUMNS: tuple[str, ...] = (
    "year",
    "series_id",
    "cpi_u",
    "months",
    "footnote_codes",
    "note",
)
_FILE = re.compile(r"^cu\.data\.1\.allitems(?:\.txt)?$", re.IGNORECASE)


def file_url(*, settings: Settings | None = None) -> str:
    """Where BLS publishes the all-items file (``MARKETDATA_BLS_DOWNLOAD_URL`` + path)."""
    return f"{get_settings(settings).bls_download_url}{CU_PATH}{DATA_FILE}"


def cache_key() -> str:
    """The file's place in the cache."""
    return f"cpi/{DATA_FILE}"


def parse(data: bytes | Path, *, source: str, series_ids: list[str] | None = None) -> pd.DataFrame:
    """Read the flat file into ``series_id, year, period, value, footnote_codes, note``.

    ``value`` is NaN where BLS shows ``-``; ``note`` then names the footnote.

    Raises
    ------
    SourceFormatError
        Not a BLS time-series file (missing columns, a year that is not a year).
    """
    return parse_data(data, source=source, series_ids=series_ids)


def annual_averages(frame: pd.DataFrame, *, series_id: str = CPI_U) -> pd.DataFrame:
    """One row per year with an annual average (``M13``) of ``series_id``.

    Returns
    -------
    DataFrame
        :data:`ANNUAL_COLUMNS`: ``cpi_u`` the annual average as published, ``months`` how
        many monthly values BLS published that year, ``footnote_codes`` those of the average
        and of its missing months, ``note`` (e.g. "average of 11 months: October 2025 has no
        value (footnote X)") or empty.

    Raises
    ------
    SourceFormatError
        The series has no annual averages in the frame.
    """
    rows = frame[frame["series_id"] == series_id]
    annual = rows[rows["period"] == ANNUAL]
    if annual.empty or annual["value"].isna().all():
        raise SourceFormatError(
            f"no annual averages (period {ANNUAL}) of {series_id}",
            source=str(frame.attrs.get("source", "")),
        )
    monthly = rows[rows["period"].str.fullmatch(r"M(0[1-9]|1[0-2])")]
    out = []
    for row in annual.itertuples(index=False):
        months = monthly[monthly["year"] == row.year]
        missing = months[months["value"].isna()]
        codes = [c for c in str(row.footnote_codes).split(",") if c.strip()]
        texts = []
        for gap in missing.itertuples(index=False):
            name = calendar.month_name[int(gap.period[1:])]
            mark = [c.strip() for c in str(gap.footnote_codes).split(",") if c.strip()]
            codes += mark
            texts.append(
                f"{name} {gap.year} has no value"
                + (f" (footnote {', '.join(mark)})" if mark else "")
            )
        count = int(months["value"].notna().sum())
        note = f"average of {count} months: {'; '.join(texts)}" if texts else ""
        out.append(
            {
                "year": int(row.year),
                "series_id": series_id,
                "cpi_u": float(row.value),
                "months": count,
                "footnote_codes": ",".join(dict.fromkeys(codes)),
                "note": note,
            }
        )
    result = pd.DataFrame(out, columns=list(ANNUAL_COLUMNS))
    result.attrs["source"] = frame.attrs.get("source", "")
    return result


def check_file(path: Path) -> None:
    """A cache check: the file parses and holds CPI-U annual averages."""
    annual_averages(parse(path, source=Path(path).name, series_ids=[CPI_U]))


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """The CPI all-items flat file saved by hand (``cu.data.1.AllItems``, or with ``.txt``)."""
    if _FILE.match(Path(path).name) is None:
        return None
    return KnownFile(
        key=cache_key(),
        url=file_url(settings=settings),
        description="BLS CPI flat file cu.data.1.AllItems (CPI-U annual averages)",
        check=check_file,
    )

"""Load CPS table 54: earnings by certification status and worker characteristics.

BLS's annual-average table 54, "Median weekly earnings of full-time wage and salary workers
by certification and licensing status and selected characteristics", is fetched and cached
like the other CPS tables (``{settings.bls_www_url}/cps/aa<YEAR>/cpsaat54.xlsx``); a copy
saved by hand as ``cpsaat54_<YEAR>.xlsx``, ``.htm`` or ``.csv`` enters the cache with
``marketdata cache add``. :func:`load` returns the tidy frame of
:mod:`marketdata.sources.cps_table54` with provenance.

The latest table 54 that could be had, 2023, is bundled (``marketdata/bundled/cps_table54_2023.csv``):
a **transcription** of a public CSV copy of BLS's page, not BLS's own file (see
``marketdata/bundled/cps_table54_manifest.json``). :func:`load` without a release uses it, with an
:class:`~marketdata.core.errors.OfflineDataWarning`, when no newer table is cached or can be
fetched.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from marketdata.bundled import read_manifest
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    ContactRequired,
    FetchError,
    InputValueError,
    SourceFormatError,
)
from marketdata.core.schema import Provenance, attach_provenance
from marketdata.datasets import recipe
from marketdata.io import cache
from marketdata.sources import cps_table54 as source

logger = logging.getLogger(__name__)

SNAPSHOT = Path(__file__).resolve().parents[1] / "bundled"
MANIFEST = SNAPSHOT / "cps_table54_manifest.json"
#: Cache formats tried for a year, in order (the workbook is what :func:`load` downloads).
FORMATS = ("xlsx", "htm", "csv")
_KEY = re.compile(r"^cps/aa(?P<year>\d{4})/cpsaat54\.(?P<ext>xlsx|htm|csv)$")
FIRST_YEAR = 2015  # certification questions entered the CPS in January 2015


def _manifest() -> dict[str, Any]:
    return read_manifest(MANIFEST)


def bundled_year() -> int:
    """Year of the bundled table 54 (2023)."""
    return int(_manifest()["year"])


def url(year: int, *, settings: Settings | None = None) -> str:
    """Where BLS publishes table 54 of ``year``: ``.../cps/aa<YEAR>/cpsaat54.xlsx``."""
    return f"{get_settings(settings).bls_www_url}/cps/aa{year}/cpsaat54.xlsx"


def key(year: int, fmt: str = "xlsx") -> str:
    """Cache key of table 54 of ``year`` in format ``fmt``."""
    return f"cps/aa{year}/cpsaat54.{fmt}"


def _check_year(year: object) -> int:
    try:
        value = int(year)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = -1
    if isinstance(year, bool) or not FIRST_YEAR <= value <= 2100:
        raise InputValueError(
            "CPS table 54 year",
            year,
            hint=f"Certification questions entered the CPS in 2015: give {FIRST_YEAR} or later.",
        )
    return value


def _check(fmt: str):
    def check(path: Path) -> None:
        source.parse(path.read_bytes(), source=path.name, fmt=fmt)

    return check


def _read(entry: cache.CachedFile, year: int, fmt: str, settings: Settings) -> pd.DataFrame:
    def parse() -> pd.DataFrame:
        frame = source.parse(entry.path.read_bytes(), source=entry.url, fmt=fmt)
        frame.attrs["year"] = year
        return frame

    name = entry.key.replace(".", "-")
    frame = recipe.cached_frame(name, [entry], parse, settings=settings)
    release = f"{year} annual averages, table 54"
    return attach_provenance(frame, [entry.provenance(program="CPS", release=release)])


def cached_years(*, settings: Settings | None = None) -> dict[int, str]:
    """Year -> cache key of every table 54 in the cache (the workbook first)."""
    best: dict[int, tuple[int, str]] = {}
    for entry in cache.entries(settings=settings):
        if m := _KEY.match(entry.key):
            year, rank = int(m["year"]), FORMATS.index(m["ext"])
            if year not in best or rank < best[year][0]:
                best[year] = (rank, entry.key)
    return {year: k for year, (_, k) in sorted(best.items())}


def fetch(year: int, *, settings: Settings | None = None, refresh: bool = False) -> pd.DataFrame:
    """Table 54 of ``year``: a cached copy (workbook, page or CSV), else BLS's workbook.

    Raises
    ------
    FetchError, OfflineError
        Not cached, and BLS could not be reached (or offline mode is on).
    SourceFormatError
        The file is not table 54 in a layout BLS serves (it is then not cached).
    """
    settings = get_settings(settings)
    year = _check_year(year)
    if not refresh:
        for fmt in FORMATS:
            entry = cache.lookup(key(year, fmt), settings=settings)
            if entry is not None:
                return _read(entry, year, fmt, settings)
    file = recipe.File(key(year), url(year, settings=settings), _check("xlsx"))
    entry = recipe.fetch([file], settings=settings, refresh=refresh)[file.key]
    return _read(entry, year, "xlsx", settings)


def bundled() -> pd.DataFrame:
    """The bundled 2023 table 54 (a transcription of a public copy), provenance ``bundled``."""
    info = _manifest()
    path = SNAPSHOT / info["file"]
    frame = source.parse(path.read_bytes(), source=info["bls_url"], fmt="csv")
    frame.attrs["year"] = int(info["year"])
    frame.attrs["transcription"] = info["fidelity"]
    provenance = Provenance(
        program="CPS",
        release=info["release"],
        source_url=info["bls_url"],
        retrieved=info["retrieved"],
        sha256=info["sha256"],
        bundled=True,
    )
    return attach_provenance(frame, [provenance])


def load(
    *, release: int | None = None, settings: Settings | None = None, refresh: bool = False
) -> pd.DataFrame:
    """CPS table 54 of a CPS release, or the newest one available.

    Parameters
    ----------
    release
        The year of the annual averages; ``None``: the newest cached table if it is at least as
        new as the bundled one, else the newest BLS serves after the bundled year, else the
        bundled 2023 table.

    Returns
    -------
    DataFrame
        :data:`marketdata.sources.cps_table54.COLUMNS`; ``attrs`` hold ``year``, ``title``,
        ``footnotes`` and ``provenance`` (``bundled`` for the bundled table).

    Warns
    -----
    OfflineDataWarning
        The bundled transcription is used (no newer table cached or reachable).
    """
    settings = get_settings(settings)
    if release is not None:
        return fetch(release, settings=settings, refresh=refresh)
    newest = bundled_year()
    cached = {y: k for y, k in cached_years(settings=settings).items() if y >= newest}
    if cached and not refresh:
        return fetch(max(cached), settings=settings)
    reasons = []
    for candidate in range(date.today().year - 1, newest - 1, -1):  # BLS's file beats ours
        try:
            return fetch(candidate, settings=settings, refresh=refresh)
        except ContactRequired:
            raise
        except (FetchError, SourceFormatError) as err:
            logger.info("CPS table 54 of %s unavailable: %s", candidate, err)
            reasons.append(f"{candidate}: {str(err).splitlines()[0]}")
    if cached:  # refresh asked, BLS unreachable: the cached copy is still newer
        return fetch(max(cached), settings=settings)
    info = _manifest()
    why = (
        f"no CPS table 54 of {newest} or later is cached or could be fetched "
        f"({'; '.join(reasons[:2]) or 'none tried'}); the bundled {newest} table 54 is a "
        f"transcription of a public copy ({info['copied_from']}) of {info['bls_url']}"
    )
    return recipe.bundled_instead(
        "CPS table 54",
        bundled,
        why,
        what="No newer CPS table 54 could be had",
        name=lambda _: f"{newest} table",
    )

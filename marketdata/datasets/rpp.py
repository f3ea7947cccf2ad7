"""BEA regional price parities (all items), fetched, cached, or bundled.

>>> from marketdata import rpp
>>> states = rpp.load("SARPP")  # doctest: +SKIP

BEA's zips ``SARPP.zip`` (states) and ``MARPP.zip`` (metro areas) come from
``{settings.bea_url}/regional/zip/`` (``MARKETDATA_BEA_URL``) through the cache; a copy saved
by hand enters with ``marketdata cache add SARPP.zip`` (or the CSV inside it). If BEA cannot be
reached and nothing is cached, the bundled values (:mod:`marketdata.bundled.context_bundle`) are
used with an :class:`~marketdata.core.errors.OfflineDataWarning`.

These are Bureau of Economic Analysis (BEA) figures, not BLS's: every frame says so in its
provenance (``program="BEA"``).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from marketdata.bundled import context_bundle as context
from marketdata.core.config import Settings
from marketdata.core.errors import InputValueError
from marketdata.core.schema import attach_provenance
from marketdata.datasets import recipe
from marketdata.io import cache
from marketdata.sources import bea_rpp

__all__ = [
    "PROGRAM",
    "TABLES",
    "load",
    "load_all",
    "release_name",
]

PROGRAM = "BEA"
TABLES = tuple(bea_rpp.TABLES)


def _table(table: str) -> str:
    name = str(table).upper()
    if name not in TABLES:
        raise InputValueError("BEA RPP table", table, suggestions=TABLES)
    return name


def load(
    table: str = "SARPP", *, settings: Settings | None = None, refresh: bool = False
) -> pd.DataFrame:
    """All-items regional price parities of ``table`` (``SARPP`` states, ``MARPP`` metros).

    Returns
    -------
    DataFrame
        :data:`marketdata.sources.bea_rpp.COLUMNS`, all-items rows only, every year BEA
        publishes; ``attrs["provenance"]`` names BEA's file and its "Last updated" release.

    Raises
    ------
    ContactRequired
        The server refused the download (403).

    Warns
    -----
    OfflineDataWarning
        BEA could not be reached and the table is not cached: bundled values are used.
    """
    return recipe.load(_recipe(_table(table)), settings=settings, refresh=refresh)


def _recipe(table: str) -> recipe.Recipe:
    """BEA's zip of ``table``: its all-items rows, or the bundled ones."""

    def parse(entry: cache.CachedFile) -> pd.DataFrame:
        return bea_rpp.all_items(bea_rpp.parse(entry.path, source=entry.url))

    def stale(frame: pd.DataFrame) -> str | None:
        updated = frame.attrs["updated"]
        if _updated(updated) >= _updated(_bundled_updated(table)):
            return None
        return (
            f"the cached {table} (updated {updated}) is older than the bundled one; "
            "load with refresh=True for BEA's current file"
        )

    bundled = release_name(table, _bundled_updated(table))
    return recipe.Recipe(
        program=PROGRAM,
        agency="BEA",
        source=f"{table} regional price parities",
        url=lambda settings: bea_rpp.zip_url(table, settings=settings),
        key=bea_rpp.cache_key(table),
        frame_name=f"bea/{table}-all-items",
        parse=parse,
        release=lambda frame: release_name(table, frame.attrs["updated"]),
        check=bea_rpp.checker(table),
        bundled=lambda: _bundled(table, bundled),
        bundled_name=lambda _: (
            f"{table} price parities (BEA, {bundled.partition(', ')[2] or bundled})"
        ),
        stale=stale,
    )


def release_name(table: str, updated: str) -> str:
    """How a BEA file's release is named in provenance: ``"SARPP, last updated <date>"``."""
    return f"{table}, last updated {updated}" if updated else table


def _updated(text: str) -> datetime:
    return datetime.strptime(text, "%B %d, %Y") if text else datetime.min


def _bundled_updated(table: str) -> str:
    source = next(s for s in context.manifest()["bea_rpp"]["sources"] if table in s["url"])
    found = bea_rpp.UPDATED.search(source["release"])
    return found[1] if found else ""


def _bundled(table: str, release: str) -> pd.DataFrame:
    """The bundled all-items rows of ``table``, their provenance naming ``release``."""
    frame = context.read("bea_rpp")
    chosen = [
        p | {"release": release} for p in frame.attrs["provenance"] if table in p["source_url"]
    ]
    frame = frame[frame["table"] == table].reset_index(drop=True)
    return attach_provenance(frame, chosen)


def load_all(*, settings: Settings | None = None, refresh: bool = False) -> pd.DataFrame:
    """States (SARPP) and metro areas (MARPP) in one frame, provenance of both."""
    parts = [load(t, settings=settings, refresh=refresh) for t in TABLES]
    frame = pd.concat(parts, ignore_index=True)
    return attach_provenance(frame, [p for part in parts for p in part.attrs["provenance"]])

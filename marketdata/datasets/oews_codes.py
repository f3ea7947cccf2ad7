"""The current OEWS release's code tables as records, read in plain Python.

:func:`area_records` and :func:`occupation_records` give the areas and occupations of the
cached mapping files (``oe.area``, ``oe.occupation``; downloaded if missing), or the bundled
snapshot's if BLS can't be reached; :mod:`marketdata.datasets.codes` resolves what people type against
them. Neither pandas nor pyarrow loads, so that a mistyped code or area is answered at once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.datasets import codes, recipe
from marketdata.io import cache
from marketdata.sources import oe

logger = logging.getLogger(__name__)

# The records of a cached mapping file, memoized by its content (path and SHA-256).


@lru_cache(maxsize=8)
def _areas(path: Path, sha256: str) -> tuple[codes.Area, ...]:
    return tuple(codes.Area(*row[:4]) for row in oe.area_rows(path))


@lru_cache(maxsize=8)
def _occupations(path: Path, sha256: str) -> tuple[codes.Occupation, ...]:
    return tuple(codes.Occupation(*row[:3]) for row in oe.occupation_rows(path))


@lru_cache(maxsize=8)
def _industries(path: Path, sha256: str) -> tuple[codes.Industry, ...]:
    return tuple(codes.Industry(*row) for row in oe.industry_rows(path))


def records_of(files: Mapping[str, cache.CachedFile]) -> dict[str, tuple[Any, ...]]:
    """``area``, ``occupation`` and ``industry`` records of a release's cached flat files."""
    area, occupation, industry = files["oe.area"], files["oe.occupation"], files["oe.industry"]
    return {
        "area": _areas(area.path, area.sha256),
        "occupation": _occupations(occupation.path, occupation.sha256),
        "industry": _industries(industry.path, industry.sha256),
    }


def first_reads(
    files: Mapping[str, cache.CachedFile], settings: Settings
) -> tuple[str, dict[str, tuple[Any, ...]], oe.Release]:
    """What is read of a release's cached flat files before they are parsed: the release's
    name (``oe.release``), its code tables and its year and period (the data file's first
    lines). Only when these reads fail are the files hashed whole, to tell damage apart.

    Raises
    ------
    ChecksumError
        The reads failed and a file no longer matches its SHA-256 (it was dropped).
    SourceFormatError
        The reads failed on files that are as they were cached.
    """
    paths = {name: f.path for name, f in files.items()}
    try:
        return oe.read_release(paths["oe.release"])[1], records_of(files), oe.release_of(paths)
    except SourceFormatError:
        cache.confirm(list(files.values()), settings=settings)
        raise


def flat_file(name: str, *, settings: Settings) -> recipe.File:
    """The OEWS flat file ``name`` (``oe.area``) as BLS publishes it, and its cache entry."""
    return recipe.File(f"oe/{name}", oe.file_url(name, settings=settings), oe.check_file(name))


def _mapping_file(name: str, settings: Settings | None) -> cache.CachedFile | None:
    """The cached mapping file ``name`` (downloaded if missing); None if BLS can't be reached."""
    settings = get_settings(settings)
    got = recipe.reach([flat_file(name, settings=settings)], settings=settings)
    if isinstance(got, recipe.Missed):
        logger.info("using the bundled %s table (%s)", name.removeprefix("oe."), got.error)
        return None
    return got[f"oe/{name}"]


def area_records(*, settings: Settings | None = None) -> tuple[codes.Area, ...]:
    """The current release's areas as :class:`~marketdata.datasets.codes.Area` records, for
    :func:`marketdata.datasets.codes.resolve_area`; bundled ones if BLS is unreachable and nothing is
    cached."""
    cached = _mapping_file("oe.area", settings)
    return tuple(codes.areas_of()) if cached is None else _areas(cached.path, cached.sha256)


def occupation_records(*, settings: Settings | None = None) -> tuple[codes.Occupation, ...]:
    """The current release's occupations as :class:`~marketdata.datasets.codes.Occupation` records,
    for :func:`marketdata.datasets.codes.resolve_occupation` (as :func:`area_records`)."""
    cached = _mapping_file("oe.occupation", settings)
    if cached is None:
        return tuple(codes.occupations_of())
    return _occupations(cached.path, cached.sha256)

"""The current OEWS release's code tables as records, read in plain Python.

:func:`area_records` and :func:`occupation_records` give the areas and occupations of the
cached mapping files (``oe.area``, ``oe.occupation``; downloaded if missing), or the bundled
snapshot's if BLS can't be reached; :mod:`marketdata.datasets.codes` resolves what people type against
them. Neither pandas nor pyarrow loads, so that a mistyped code or area is answered at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import ChecksumError, SourceFormatError
from marketdata.datasets import codes, recipe
from marketdata.io import cache
from marketdata.sources import oe

logger = logging.getLogger(__name__)

T = TypeVar("T")

# The records of a cached mapping file, memoized by its content (path and SHA-256); each file
# is hashed whole when first read, so that a code changed since it was cached is never looked up.


def _rows(path: Path, sha256: str, read: Callable[[Path], list[tuple[str, ...]]]) -> list:
    """The rows ``read`` finds in the mapping file ``path``, once its bytes hash to ``sha256``."""
    if cache.sha256_of(path) != sha256:
        raise SourceFormatError("its bytes changed since it was cached", source=path.name)
    return read(path)


@lru_cache(maxsize=8)
def _areas(path: Path, sha256: str) -> tuple[codes.Area, ...]:
    return tuple(codes.Area(*row[:4]) for row in _rows(path, sha256, oe.area_rows))


@lru_cache(maxsize=8)
def _occupations(path: Path, sha256: str) -> tuple[codes.Occupation, ...]:
    return tuple(codes.Occupation(*row[:3]) for row in _rows(path, sha256, oe.occupation_rows))


@lru_cache(maxsize=8)
def _industries(path: Path, sha256: str) -> tuple[codes.Industry, ...]:
    return tuple(codes.Industry(*row) for row in _rows(path, sha256, oe.industry_rows))


def records_of(files: Mapping[str, cache.CachedFile]) -> dict[str, tuple[Any, ...]]:
    """``area``, ``occupation`` and ``industry`` records of a release's cached flat files."""
    area, occupation, industry = files["oe.area"], files["oe.occupation"], files["oe.industry"]
    return {
        "area": _areas(area.path, area.sha256),
        "occupation": _occupations(occupation.path, occupation.sha256),
        "industry": _industries(industry.path, industry.sha256),
    }


def _read_or_hash(
    files: Mapping[str, cache.CachedFile], settings: Settings, read: Callable[[], T]
) -> T:
    """``read()`` of a release's cached flat files; when it fails, every file is hashed whole
    to tell damage apart (a damaged one is dropped: ChecksumError)."""
    try:
        return read()
    except SourceFormatError:
        cache.confirm(list(files.values()), settings=settings)
        raise


def first_reads(
    files: Mapping[str, cache.CachedFile], settings: Settings
) -> tuple[str, dict[str, tuple[Any, ...]]]:
    """What is read of a release's cached flat files to resolve codes, before they are parsed:
    the release's name (``oe.release``) and its code tables (hashed whole when first read).

    Raises
    ------
    ChecksumError
        A read failed and a file no longer matches its SHA-256 (it was dropped).
    SourceFormatError
        A read failed on files that are as they were cached.
    """
    paths = {name: f.path for name, f in files.items()}
    return _read_or_hash(
        files, settings, lambda: (oe.read_release(paths["oe.release"])[1], records_of(files))
    )


def release_of(files: Mapping[str, cache.CachedFile], settings: Settings) -> oe.Release:
    """The year and period of a release's cached flat files, read from the data file's first
    lines (this loads pandas: call it once the codes are resolved).

    Raises
    ------
    ChecksumError, SourceFormatError
        As :func:`first_reads`.
    """
    paths = {name: f.path for name, f in files.items()}
    return _read_or_hash(files, settings, lambda: oe.release_of(paths))


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


def _table(
    name: str, settings: Settings | None, read: Callable[[Path, str], T], bundled: Callable[[], T]
) -> T:
    """The records ``read`` finds in the cached mapping file ``name``; ``bundled()`` if BLS
    can't be reached and nothing is cached, or if the cached file is damaged (it is dropped)."""
    settings = get_settings(settings)
    cached = _mapping_file(name, settings)
    if cached is None:
        return bundled()
    try:
        return _read_or_hash({name: cached}, settings, lambda: read(cached.path, cached.sha256))
    except ChecksumError as err:
        logger.info("using the bundled %s table (%s)", name.removeprefix("oe."), err)
    return bundled()


def area_records(*, settings: Settings | None = None) -> tuple[codes.Area, ...]:
    """The current release's areas as :class:`~marketdata.datasets.codes.Area` records, for
    :func:`marketdata.datasets.codes.resolve_area`; bundled ones if BLS is unreachable and nothing is
    cached, or the cached file is damaged."""
    return _table("oe.area", settings, _areas, lambda: tuple(codes.areas_of()))


def occupation_records(*, settings: Settings | None = None) -> tuple[codes.Occupation, ...]:
    """The current release's occupations as :class:`~marketdata.datasets.codes.Occupation` records,
    for :func:`marketdata.datasets.codes.resolve_occupation` (as :func:`area_records`)."""
    return _table("oe.occupation", settings, _occupations, lambda: tuple(codes.occupations_of()))

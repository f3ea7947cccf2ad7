"""Parse BLS's OEWS time-series flat files (``download.bls.gov/pub/time.series/oe/``).

Bytes in, tidy frame out; no network, no cache. Four modules, one job each:

- :mod:`~marketdata.sources.oe.oe_files`: where the files are published, their names and the
  frame's columns;
- :mod:`~marketdata.sources.oe.mapping`: the mapping files ``oe.area``, ``oe.datatype``,
  ``oe.footnote``, ``oe.industry``, ``oe.occupation``, ``oe.release``;
- :mod:`~marketdata.sources.oe.values`: the data file ``oe.data.0.Current`` (its header, its
  values, and the check that every value is a number or one of BLS's markers);
- :mod:`~marketdata.sources.oe.frame`: :func:`parse`, the tidy frame of every area, industry
  and occupation.

This package offers what the loaders use: the file names, :func:`check_file` (the check run
before a file enters the cache), :func:`identify` (for ``marketdata cache add``), the readers
and :func:`parse`. Only :func:`parse`, :func:`release_of` and the data file's readers need
numpy and pyarrow: they load on first use, so that looking codes up in the mapping files does
not.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from marketdata.core.config import Settings, get_settings
from marketdata.sources import KnownFile
from marketdata.sources.oe import mapping
from marketdata.sources.oe.mapping import (
    TopCode,
    area_rows,
    industry_rows,
    occupation_rows,
    read_areas,
    read_datatypes,
    read_footnotes,
    read_industries,
    read_occupations,
    read_release,
    topcode_of,
)
from marketdata.sources.oe.oe_files import (
    COLUMNS,
    DATA_FILE,
    FILES,
    MAPPING_FILES,
    MEASURES,
    NOTE_COLUMNS,
    OE_PATH,
    TOPCODE_COLUMNS,
)

#: Names whose modules need numpy and pyarrow -> that module, imported on first use: the
#: file names, the mapping files and :func:`check_file` of a mapping file load without them.
_LAZY = {
    "parse": "frame",
    "release_of": "frame",
    "check_values": "values",
    "read_values": "values",
}

__all__ = [
    "COLUMNS",
    "DATA_FILE",
    "FILES",
    "MAPPING_FILES",
    "MEASURES",
    "NOTE_COLUMNS",
    "OE_PATH",
    "TOPCODE_COLUMNS",
    "TopCode",
    "area_rows",
    "check_file",
    "check_values",
    "file_url",
    "identify",
    "industry_rows",
    "occupation_rows",
    "parse",
    "read_areas",
    "read_datatypes",
    "read_footnotes",
    "read_industries",
    "read_occupations",
    "read_release",
    "read_values",
    "release_of",
    "topcode_of",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def file_url(name: str, *, settings: Settings | None = None) -> str:
    """Where BLS publishes the flat file ``name`` (e.g. ``oe.data.0.Current``)."""
    return get_settings(settings).bls_download_url + OE_PATH + name


def check_file(name: str) -> Callable[[Path], None]:
    """The check for :func:`marketdata.io.cache.fetch` and ``cache add``: raise if ``path`` is
    not BLS's ``name``.

    A mapping file is read whole. The data file's header, last byte (a file cut short fails)
    and every line are checked: five fields, and a value that is a number or one of BLS's
    markers (:data:`marketdata.sources.oe.values.MARKERS`); the message names the first bad line.
    """

    def check(path: Path) -> None:
        if name == DATA_FILE:
            from marketdata.sources.oe.values import check_values

            check_values(Path(path), name)
        else:
            mapping.read_mapping(Path(path), name=name)

    return check


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """OEWS flat files (``oe.data.0.Current``, ``oe.area`` ...) saved by hand, by name."""
    name = Path(path).name
    if name not in FILES:
        return None
    return KnownFile(
        key=f"oe/{name}",
        url=file_url(name, settings=settings),
        description=f"BLS OEWS flat file {name}",
        check=check_file(name),
    )

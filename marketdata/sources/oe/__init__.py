"""Parse BLS's OEWS time-series flat files (``download.bls.gov/pub/time.series/oe/``).

Bytes in, tidy frame out; no network, no cache. Three modules, one job each:

- :mod:`~marketdata.sources.oe.mapping`: the mapping files ``oe.area``, ``oe.datatype``,
  ``oe.footnote``, ``oe.industry``, ``oe.occupation``, ``oe.release``;
- :mod:`~marketdata.sources.oe.values`: the data file ``oe.data.0.Current`` (its header, its
  values, and the check that every value is a number or one of BLS's markers);
- :mod:`~marketdata.sources.oe.frame`: :func:`parse`, the tidy frame of every area, industry
  and occupation.

This package offers what the loaders use: the file names, :func:`check_file` (the check run
before a file enters the cache), :func:`identify` (for ``marketdata cache add``), the readers
and :func:`parse`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from marketdata.config import Settings, get_settings
from marketdata.sources import KnownFile
from marketdata.sources.oe import mapping
from marketdata.sources.oe.frame import (
    COLUMNS,
    FILES,
    MEASURES,
    NOTE_COLUMNS,
    TOPCODE_COLUMNS,
    parse,
    release_of,
)
from marketdata.sources.oe.mapping import (
    MAPPING_FILES,
    TopCode,
    read_areas,
    read_datatypes,
    read_footnotes,
    read_industries,
    read_occupations,
    read_release,
    topcode_of,
)
from marketdata.sources.oe.values import DATA_FILE, check_values, read_values

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
    "check_file",
    "identify",
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

#: Where BLS publishes the files, under the download host.
OE_PATH = "/pub/time.series/oe/"


def check_file(name: str) -> Callable[[Path], None]:
    """The check for :func:`marketdata.cache.fetch` and ``cache add``: raise if ``path`` is
    not BLS's ``name``.

    A mapping file is read whole. The data file's header, last byte (a file cut short fails)
    and every line are checked: five fields, and a value that is a number or one of BLS's
    markers (:data:`marketdata.sources.oe.values.MARKERS`); the message names the first bad line.
    """

    def check(path: Path) -> None:
        if name == DATA_FILE:
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
        url=get_settings(settings).bls_download_url + OE_PATH + name,
        description=f"BLS OEWS flat file {name}",
        check=check_file(name),
    )

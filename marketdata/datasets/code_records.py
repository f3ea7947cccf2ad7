"""The code records a lookup works on: occupations, areas and industries, without pandas.

A table is a sequence of records or a frame with their columns; by default the bundled
snapshot's. :mod:`marketdata.datasets.codes` resolves what people type against them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from marketdata import bundled as snapshot

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AREA_COLUMNS",
    "INDUSTRY_COLUMNS",
    "OCCUPATION_COLUMNS",
    "Area",
    "Industry",
    "Occupation",
    "areas_of",
    "industries_of",
    "occupations_of",
]


@dataclass(frozen=True)
class Occupation:
    """An OEWS occupation: SOC ``code`` (``29-2072``), ``title`` and ``level``."""

    code: str
    title: str
    level: str


@dataclass(frozen=True)
class Area:
    """An OEWS area: seven-digit ``code``, ``name``, ``type`` and ``state_code`` (FIPS)."""

    code: str
    name: str
    type: str
    state_code: str


@dataclass(frozen=True)
class Industry:
    """An OEWS industry: six-character ``code``, ``title`` and ``level``."""

    code: str
    title: str
    level: str


Record = TypeVar("Record", Occupation, Area, Industry)
if TYPE_CHECKING:  # what a lookup accepts as its table: records, or a frame of their columns
    OccupationTable = Sequence[Occupation] | pd.DataFrame
    AreaTable = Sequence[Area] | pd.DataFrame
    IndustryTable = Sequence[Industry] | pd.DataFrame

#: The frame columns of each record's fields, in order.
OCCUPATION_COLUMNS = ("occupation_code", "occupation_title", "occupation_level")
AREA_COLUMNS = ("area_code", "area_name", "area_type", "state_code")
INDUSTRY_COLUMNS = ("industry_code", "industry_title", "industry_level")


def _records(
    table: Sequence[Record] | pd.DataFrame, kind: type[Record], columns: tuple[str, ...]
) -> Sequence[Record]:
    """``table`` as records: a sequence as given, a frame's rows converted (as text)."""
    if isinstance(table, Sequence):
        return table
    return [kind(*map(str, values)) for values in zip(*(table[c] for c in columns), strict=True)]


@lru_cache(maxsize=1)
def _bundled_occupations() -> tuple[Occupation, ...]:
    return tuple(Occupation(*row) for row in snapshot.occupation_rows())


@lru_cache(maxsize=1)
def _bundled_areas() -> tuple[Area, ...]:
    return tuple(Area(*row) for row in snapshot.area_rows())


@lru_cache(maxsize=1)
def _bundled_industries() -> tuple[Industry, ...]:
    return tuple(Industry(*row) for row in snapshot.industry_rows())


def occupations_of(table: OccupationTable | None = None) -> Sequence[Occupation]:
    """The occupations of ``table`` as records (default: the bundled snapshot's)."""
    if table is None:
        return _bundled_occupations()
    return _records(table, Occupation, OCCUPATION_COLUMNS)


def areas_of(table: AreaTable | None = None) -> Sequence[Area]:
    """The areas of ``table`` as records (default: the bundled snapshot's)."""
    if table is None:
        return _bundled_areas()
    return _records(table, Area, AREA_COLUMNS)


def industries_of(table: IndustryTable | None = None) -> Sequence[Industry]:
    """The industries of ``table`` as records (default: the bundled snapshot's)."""
    if table is None:
        return _bundled_industries()
    return _records(table, Industry, INDUSTRY_COLUMNS)

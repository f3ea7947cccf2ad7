"""Column contracts of the tidy tables, and provenance carried in ``DataFrame.attrs``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from marketdata.core.errors import SchemaError

if TYPE_CHECKING:  # only annotations: the constants and Provenance load without pandas
    import pandas as pd

__all__ = [
    "AREA_TYPES",
    "OEWS_COLUMNS",
    "OEWS_MEASURES",
    "OEWS_NOTE_COLUMNS",
    "OEWS_TOPCODE_COLUMNS",
    "OEWS_WAGE_COLUMNS",
    "PROJECTION_FIELDS",
    "PROJECTION_MEASURES",
    "WAGE_TABLE_MEASURES",
    "Provenance",
    "attach_provenance",
    "combine_provenance",
    "keep_provenance",
    "plain",
    "provenance_of",
    "validate",
]

#: OEWS tidy frame: one row per release x area x industry x occupation.
OEWS_COLUMNS: tuple[str, ...] = (
    "area_code",
    "area_name",
    "area_type",
    "state_code",
    "industry_code",
    "industry_title",
    "occupation_code",
    "occupation_title",
    "occupation_level",
    "employment",
    "employment_rse",
    "hourly_mean",
    "annual_mean",
    "wage_rse",
    "hourly_p10",
    "hourly_p25",
    "hourly_median",
    "hourly_p75",
    "hourly_p90",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
    "jobs_per_1000",
    "location_quotient",
    "release",
)

#: Wage measures (may be top-coded or suppressed).
OEWS_WAGE_COLUMNS: tuple[str, ...] = (
    "hourly_mean",
    "annual_mean",
    "hourly_p10",
    "hourly_p25",
    "hourly_median",
    "hourly_p75",
    "hourly_p90",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
)

#: Every numeric measure of the OEWS frame.
OEWS_MEASURES: tuple[str, ...] = (
    "employment",
    "employment_rse",
    "wage_rse",
    "jobs_per_1000",
    "location_quotient",
    *OEWS_WAGE_COLUMNS,
)

#: Flag and note columns that follow the measures in every OEWS frame (current and archived):
#: ``is_topcoded_<wage>`` is True where the value is BLS's top-code bound (the true wage is at
#: or above it); ``<measure>_note`` holds BLS's reason where a value is missing or qualified.
OEWS_TOPCODE_COLUMNS: dict[str, str] = {m: f"is_topcoded_{m}" for m in OEWS_WAGE_COLUMNS}
OEWS_NOTE_COLUMNS: dict[str, str] = {m: f"{m}_note" for m in OEWS_COLUMNS if m in OEWS_MEASURES}

#: The figures of a wage table (``marketdata wages``, the reports' wage tables), in order,
#: after the column that names the row (``area_name``).
WAGE_TABLE_MEASURES: tuple[str, ...] = (
    "employment",
    "hourly_median",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
    "location_quotient",
)

#: The figures of one occupation's employment projection (BLS EP and Projections Central).
PROJECTION_MEASURES: tuple[str, ...] = (
    "employment_base",
    "employment_projected",
    "change",
    "percent_change",
    "openings_annual",
)
#: A projection's years, then its figures.
PROJECTION_FIELDS: tuple[str, ...] = ("base_year", "projected_year", *PROJECTION_MEASURES)

#: ``area_type`` values of OEWS frames.
AREA_TYPES: tuple[str, ...] = ("national", "state", "metro", "nonmetro")


@dataclass(frozen=True)
class Provenance:
    """Where a frame's numbers come from."""

    program: str  # e.g. "OEWS", "EP", "CPS"
    release: str  # e.g. "May 2025", "2024-34"
    source_url: str
    retrieved: str  # ISO date (or datetime) the bytes were fetched or added
    sha256: str = ""
    added_by_hand: bool = False
    bundled: bool = False

    def as_dict(self) -> dict[str, object]:
        """Plain dict, as stored in ``df.attrs['provenance']`` and manifests."""
        return asdict(self)


def attach_provenance(df: pd.DataFrame, sources: Iterable[Provenance | Mapping]) -> pd.DataFrame:
    """Record ``sources`` in ``df.attrs['provenance']`` (a list of dicts) and return ``df``."""
    items = [s.as_dict() if isinstance(s, Provenance) else dict(s) for s in sources]
    df.attrs["provenance"] = items
    return df


def provenance_of(df: pd.DataFrame) -> list[dict[str, object]]:
    """The provenance records carried by ``df`` (empty list if none)."""
    return list(df.attrs.get("provenance", []))


def combine_provenance(*frames: pd.DataFrame) -> list[dict[str, object]]:
    """The provenance records of every frame, each once, in order.

    pandas keeps ``attrs`` through row filters, column changes and ``groupby``, but
    ``pd.merge``, ``DataFrame.join`` and ``pd.concat`` keep them only when every input's
    ``attrs`` are equal (pandas 2.2 to 3.1): a merge of an OEWS frame with an EP frame has no
    provenance. Collect it from the inputs with this function, or use
    :func:`keep_provenance`.
    """
    found: list[dict[str, object]] = []
    for frame in frames:
        for record in provenance_of(frame):
            if record not in found:
                found.append(dict(record))
    return found


def keep_provenance(result: pd.DataFrame, *frames: pd.DataFrame) -> pd.DataFrame:
    """``result`` (e.g. ``pd.merge(a, b)``) with the provenance of ``frames`` attached:
    ``keep_provenance(pd.merge(wages, outlook, on="occupation_code"), wages, outlook)``."""
    return attach_provenance(result, combine_provenance(*frames))


def plain(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without its ``attrs`` (provenance): pandas deep-copies attrs on every column
    read, which costs more than the work on the column. A shallow copy; the caller's frame
    is untouched."""
    out = df.copy(deep=False)
    out.attrs = {}
    return out


def validate(df: pd.DataFrame, columns: Iterable[str], *, table: str) -> pd.DataFrame:
    """Raise :class:`SchemaError` listing the ``columns`` missing from ``df``."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(f"{table} table is missing columns: {', '.join(missing)}")
    return df

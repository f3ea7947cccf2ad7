"""The bundled snapshot: the latest OEWS release's cross-industry estimates for every area.

Used when BLS cannot be reached or offline mode is on (:func:`marketdata.datasets.oews.load` says so
with an :class:`~marketdata.core.errors.OfflineDataWarning`), and for looking up codes without a
download. Files in this folder:

- ``oews.parquet``: the tidy OEWS frame (:data:`marketdata.sources.oe.COLUMNS`) for industry
  ``000000`` (cross-industry) and every area: national, states, metro and nonmetro areas.
  Industry-specific rows are not bundled. To stay small it is stored encoded (see
  :func:`encode`): codes only (names are joined back from the lookup tables), each measure as
  an integer number of its published unit (cents, tenths of a percent, ...), and each annual
  wage as its difference from 2,080 times the hourly wage. :func:`read` decodes it exactly:
  the builder checks that the decoded frame equals the parsed one.
- ``areas.tsv``, ``occupations.tsv``, ``industries.tsv``: the release's lookup tables (from
  ``oe.area``, ``oe.occupation``, ``oe.industry``), tab-separated with a header line, so that
  codes are looked up (:mod:`marketdata.datasets.codes`) in plain Python, without pandas or pyarrow.
- ``manifest.json``: the release, the BLS source files (URL, size, SHA-256), the retrieval
  date and how the snapshot was built.

Rebuild with ``python -m tools.build_oews_bundle FLATDIR`` (:mod:`tools.build_oews_bundle`),
which runs the same parser as the live path.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketdata.core.schema import Provenance, attach_provenance
from marketdata.sources.oe import COLUMNS, MEASURES

if TYPE_CHECKING:  # numpy, pandas and pyarrow load for the frames, not for the lookup rows
    import numpy as np
    import pandas as pd
    import pyarrow as pa

HERE = Path(__file__).resolve().parent
DATA = HERE / "oews.parquet"
AREAS = HERE / "areas.tsv"
OCCUPATIONS = HERE / "occupations.tsv"
INDUSTRIES = HERE / "industries.tsv"
MANIFEST = HERE / "manifest.json"
#: How the lookup tables are written (:mod:`csv` arguments): tab-separated, quoted only where
#: a name holds a tab, a quote or a line break.
LOOKUP_FORMAT: dict[str, str] = {"delimiter": "\t", "lineterminator": "\n"}
_DATA = "oe.data.0.Current"  # listed first in the provenance


@cache
def read_manifest(path: Path) -> dict[str, Any]:
    """A bundled manifest, read once per process (shared: callers must not change it)."""
    return json.loads(path.read_text())


def copy_of(manifest: dict[str, Any]) -> dict[str, Any]:
    """A copy of a bundled manifest a caller may change."""
    return json.loads(json.dumps(manifest))


def _manifest() -> dict[str, Any]:
    return read_manifest(MANIFEST)


def manifest() -> dict[str, Any]:
    """The snapshot's manifest (a copy)."""
    return copy_of(_manifest())


def release() -> str:
    """The bundled release, e.g. ``"May 2025"``."""
    return str(_manifest()["release"])


def bundled_provenance(
    program: str, source: Mapping[str, Any], *, release: str, retrieved: str
) -> Provenance:
    """Provenance of a bundled copy of a file; ``source`` is its manifest entry (``url``,
    ``sha256``). Shared by the snapshot, the bundled projections and the bundled context."""
    return Provenance(
        program=program,
        release=release,
        source_url=source["url"],
        retrieved=retrieved,
        sha256=source["sha256"],
        bundled=True,
    )


def provenance() -> list[Provenance]:
    """One record per BLS source file of the snapshot, marked ``bundled``."""
    info = _manifest()
    return [
        bundled_provenance(
            info["program"], source, release=info["release"], retrieved=info["retrieved"]
        )
        for _, source in sorted(info["sources"].items(), key=lambda item: item[0] != _DATA)
    ]


#: Published decimals of each measure: the stored integer is ``value * 10**decimals``.
DECIMALS: dict[str, int] = {
    m: 2 if m.startswith("hourly") or m == "location_quotient" else 0 for m in MEASURES
} | {"employment_rse": 1, "wage_rse": 1, "jobs_per_1000": 3}
#: Columns joined back from the lookup tables on reading.
_JOINED = {
    "area_code": ("area_name", "area_type", "state_code"),
    "occupation_code": ("occupation_title", "occupation_level"),
    "industry_code": ("industry_title",),
}
_HOURS = 2080  # BLS: annual wage = hourly wage x 2,080 hours (oe.footnote 2)


def _annual_base(hourly_cents: np.ndarray) -> np.ndarray:
    """2,080 x the hourly wage, in whole dollars (integer arithmetic, rounded half up)."""
    return (hourly_cents * _HOURS + 50) // 100


def encode(frame: pd.DataFrame) -> pa.Table:
    """The compact table stored in ``oews.parquet`` (see the module docstring).

    Raises
    ------
    ValueError
        A value has more decimals than :data:`DECIMALS` allows (it would not round-trip).
    """
    import numpy as np
    import pyarrow as pa

    stored = [c for c in COLUMNS if c not in {j for js in _JOINED.values() for j in js}]
    stored.remove("release")
    columns: dict[str, pa.Array] = {}
    for name in stored:
        if name not in MEASURES:
            columns[name] = pa.Array.from_pandas(frame[name])
            continue
        value = frame[name].to_numpy(dtype=float)
        scaled = np.round(value * 10 ** DECIMALS[name])
        missing = np.isnan(value)
        if not np.array_equal(scaled[~missing] / 10 ** DECIMALS[name], value[~missing]):
            raise ValueError(f"{name} has values with more than {DECIMALS[name]} decimals")
        columns[name] = pa.array(np.where(missing, 0, scaled).astype(np.int64), mask=missing)
    for name in MEASURES:
        if name.startswith("annual_"):
            hourly = columns["hourly_" + name.removeprefix("annual_")]
            base = _annual_base(hourly.fill_null(0).to_numpy())
            annual = columns[name]
            columns[name] = pa.array(
                annual.fill_null(0).to_numpy() - np.where(hourly.is_null(), 0, base),
                mask=annual.is_null().to_numpy(zero_copy_only=False),
            )
    return pa.table({k: v.cast(pa.int32()) if k in MEASURES else v for k, v in columns.items()})


def decode(
    table: pa.Table,
    *,
    lookups: dict[str, pd.DataFrame] | None = None,
    release_name: str | None = None,
) -> pd.DataFrame:
    """The tidy frame of an encoded table (inverse of :func:`encode`).

    ``lookups`` (``area_code``/``occupation_code``/``industry_code`` -> table) and
    ``release_name`` default to the bundled ones.
    """
    import numpy as np

    df = table.to_pandas()
    for name in MEASURES:
        if name.startswith("annual_"):
            hourly = df["hourly_" + name.removeprefix("annual_")]
            base = _annual_base(hourly.fillna(0).to_numpy(dtype=np.int64))
            df[name] = df[name] + np.where(hourly.isna(), 0, base)
    for name in MEASURES:
        df[name] = df[name].astype(float) / 10 ** DECIMALS[name]
    if lookups is None:
        lookups = {
            "area_code": areas(),
            "occupation_code": occupations(),
            "industry_code": industries(),
        }
    for key, names in _JOINED.items():
        table_ = lookups[key].set_index(key)
        for name in names:
            df[name] = df[key].map(table_[name]).astype(df[key].dtype)
    df["release"] = release_name or release()
    df["release"] = df["release"].astype(df["area_code"].dtype)
    return df[list(COLUMNS)]


def read(*, filters: Any = None) -> pd.DataFrame:
    """The bundled frame (optionally filtered by pyarrow ``filters`` on the code columns)
    with its provenance."""
    import pyarrow.parquet as pq

    df = decode(pq.read_table(DATA, filters=filters))
    return attach_provenance(df, provenance())


@lru_cache(maxsize=4)
def read_lookup(path: Path) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A lookup table as :func:`tools.build_oews_bundle.write_lookup` writes it: its header
    and its rows, as strings (memoized by path)."""
    with path.open(newline="", encoding="utf-8") as f:
        header, *rows = csv.reader(f, delimiter=LOOKUP_FORMAT["delimiter"])
    return tuple(header), tuple(map(tuple, rows))


@lru_cache(maxsize=3)
def _frame(path: Path) -> pd.DataFrame:
    import pandas as pd

    header, rows = read_lookup(path)
    return pd.DataFrame(list(rows), columns=list(header))


def area_rows() -> tuple[tuple[str, ...], ...]:
    """Bundled areas as (``area_code``, ``area_name``, ``area_type``, ``state_code``)."""
    return read_lookup(AREAS)[1]


def occupation_rows() -> tuple[tuple[str, ...], ...]:
    """Bundled occupations as (``occupation_code``, ``occupation_title``,
    ``occupation_level``)."""
    return read_lookup(OCCUPATIONS)[1]


def industry_rows() -> tuple[tuple[str, ...], ...]:
    """Bundled industries as (``industry_code``, ``industry_title``, ``industry_level``)."""
    return read_lookup(INDUSTRIES)[1]


def areas() -> pd.DataFrame:
    """Bundled ``area_code``, ``area_name``, ``area_type``, ``state_code`` (every area)."""
    return _frame(AREAS).copy()


def occupations() -> pd.DataFrame:
    """Bundled ``occupation_code`` (``29-2072``), ``occupation_title``, ``occupation_level``."""
    return _frame(OCCUPATIONS).copy()


def industries() -> pd.DataFrame:
    """Bundled ``industry_code``, ``industry_title``, ``industry_level``."""
    return _frame(INDUSTRIES).copy()

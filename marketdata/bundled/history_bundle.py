"""The bundled history: every national OEWS release, BLS's SOC crosswalks and CPI-U averages.

Used offline, or when BLS cannot be reached and nothing is cached, by
:func:`marketdata.datasets.oews_history.history` (national rows only) and :func:`marketdata.datasets.cpi.load`,
with one :class:`~marketdata.core.errors.OfflineDataWarning` per source; provenance says
``bundled``. Files:

- ``oews-national-history.parquet``: the cross-industry national estimates of every release
  the staged files cover (one row per release and occupation code, every occupation level),
  in the archive frame's columns (:func:`marketdata.sources.oews_archive.read_archive`) less
  the area and industry columns, which are the same in every row: the manifest holds them
  (``shared_columns``) and they are put back on reading.
- ``soc-crosswalks.parquet``: BLS's 2000 -> 2010 and 2010 -> 2018 SOC crosswalks
  (:func:`marketdata.sources.soc_crosswalk.parse`), with ``old_version`` and ``new_version``.
- ``cpi-u-annual.parquet``: CPI-U annual averages (:func:`marketdata.sources.cpi_flat_file.
  annual_averages`), with how many months each covers and BLS's footnotes.
- ``history_manifest.json``: for each, the source files (URL, size, SHA-256, where the copy
  came from) and how the file was built.

Rebuild with ``python -m tools.build_history_bundle SHARED_DATA_DIR``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketdata.bundled import bundled_provenance, copy_of, read_manifest
from marketdata.core.schema import Provenance, attach_provenance

if TYPE_CHECKING:  # pandas and pyarrow load with the frames, not for the manifest
    import pandas as pd

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "history_manifest.json"
FILES = {
    "oews_history": HERE / "oews-national-history.parquet",
    "soc_crosswalks": HERE / "soc-crosswalks.parquet",
    "cpi": HERE / "cpi-u-annual.parquet",
}


def _manifest() -> dict[str, Any]:
    return read_manifest(MANIFEST)


def manifest() -> dict[str, Any]:
    """The bundled history's manifest (a copy)."""
    return copy_of(_manifest())


def provenance(name: str, *, release: str | None = None) -> list[Provenance]:
    """One record per source file of the bundled ``name`` (``release``: that release's only)."""
    entry = _manifest()[name]
    return [
        bundled_provenance(
            entry["program"], source, release=source["release"], retrieved=source["retrieved"]
        )
        for source in entry["sources"]
        if release is None or source["release"] == release
    ]


def releases() -> list[str]:
    """The bundled OEWS releases, oldest first (``"2000"`` ... ``"May 2025"``)."""
    return list(dict.fromkeys(s["release"] for s in _manifest()["oews_history"]["sources"]))


@lru_cache(maxsize=1)
def _history() -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(FILES["oews_history"]).to_pandas()


def release_frame(label: str) -> pd.DataFrame | None:
    """The bundled national frame of release ``label`` (None if it is not bundled), in the
    columns :func:`marketdata.sources.oews_archive.read_archive` gives, with its provenance."""
    if label not in releases():
        return None
    from marketdata.sources.oews_archive.columns import ARCHIVE_COLUMNS

    rows = _history()
    frame = rows[rows["release"] == label].reset_index(drop=True)
    shared = _manifest()["oews_history"]["shared_columns"]
    frame = frame.assign(**shared)[list(ARCHIVE_COLUMNS)]
    return attach_provenance(frame, provenance("oews_history", release=label))


def read(name: str) -> pd.DataFrame:
    """The bundled frame ``name`` (``soc_crosswalks`` or ``cpi``) with its provenance."""
    import pyarrow.parquet as pq

    frame = pq.read_table(FILES[name]).to_pandas()
    return attach_provenance(frame, provenance(name))

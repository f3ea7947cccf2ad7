"""The bundled counselor context: BEA regional price parities and BLS ORS credential shares.

Used by :mod:`marketdata.datasets.rpp` and :mod:`marketdata.datasets.ors` when BEA or BLS cannot be reached (or
offline mode is on) and nothing newer is cached, with an
:class:`~marketdata.core.errors.OfflineDataWarning`; provenance says ``bundled``. Files:

- ``bea-rpp-all-items.parquet``: the "RPPs: All items" rows (:func:`marketdata.sources.bea_rpp.
  all_items`) of the latest staged SARPP (states) and MARPP (metro areas) files, every year.
- ``ors-credentials.parquet``: every credential row (any credential, certification, license,
  educational certificate) of the latest staged ORS complete-dataset workbook
  (:func:`marketdata.sources.ors_workbooks.parse_workbook`, then :func:`marketdata.sources.ors_workbooks.credentials`).
- ``context_manifest.json``: for each, the source files (name, URL, size, SHA-256, where the
  copy came from), the release and how the file was built.

Rebuild with ``python -m tools.build_context_bundle SHARED_DATA_DIR``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from marketdata.bundled import bundled_provenance, copy_of, read_manifest
from marketdata.core.schema import Provenance, attach_provenance

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "context_manifest.json"
FILES = {"bea_rpp": HERE / "bea-rpp-all-items.parquet", "ors": HERE / "ors-credentials.parquet"}


def _manifest() -> dict[str, Any]:
    return read_manifest(MANIFEST)


def manifest() -> dict[str, Any]:
    """The bundled context's manifest (a copy)."""
    return copy_of(_manifest())


def provenance(name: str) -> list[Provenance]:
    """One record per source file of the bundled ``name`` (``bea_rpp`` or ``ors``)."""
    entry = _manifest()[name]
    return [
        bundled_provenance(
            entry["program"], source, release=source["release"], retrieved=source["retrieved"]
        )
        for source in entry["sources"]
    ]


def read(name: str) -> pd.DataFrame:
    """The bundled frame ``name`` (``bea_rpp`` or ``ors``) with its provenance."""
    frame = pq.read_table(FILES[name]).to_pandas()
    return attach_provenance(frame, provenance(name))

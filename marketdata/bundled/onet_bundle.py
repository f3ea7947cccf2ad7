"""The bundled O*NET release: the small part marketdata shows, read offline.

Used by :mod:`marketdata.datasets.onet` when O*NET cannot be reached (or offline mode is on) and the
release is not cached, with an :class:`~marketdata.core.errors.OfflineDataWarning`; provenance says
``bundled``. Files (written by :mod:`tools.build_onet_bundle`):

- ``onet-<table>.parquet`` for each of :data:`TABLES`, as
  :func:`marketdata.sources.onet_text_files.parse` reads them (``technology``: hot technologies only);
- ``onet-titles.tsv.gz``: every title, alternate title and reported title with its O*NET-SOC
  code and kind (:data:`TITLE_KINDS`), read in plain Python by :func:`title_rows` for
  occupation search (:func:`marketdata.datasets.codes.search_occupations`);
- ``onet_manifest.json``: the release, its attribution, the source files and the SHA-256 of
  every bundled file.
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketdata.bundled import LOOKUP_FORMAT, bundled_provenance, copy_of, read_manifest
from marketdata.core.schema import Provenance, attach_provenance
from marketdata.sources.onet_text_files import TABLES as SOURCE_TABLES

if TYPE_CHECKING:
    import pandas as pd

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "onet_manifest.json"
TITLES = HERE / "onet-titles.tsv.gz"
#: The bundled tables (keys of :data:`marketdata.sources.onet_text_files.TABLES`).
TABLES = (
    "related",
    "job_zones",
    "job_zone_reference",
    "occupations",
    "alternate_titles",
    "reported_titles",
    "tasks",
    "technology",
)
#: The O*NET file each bundled table comes from.
TABLES_FILES = {table: SOURCE_TABLES[table].file for table in TABLES}
#: Kinds of titles in the search index: O*NET's occupation title, an alternate title (or its
#: short form), a title reported by workers.
TITLE_KINDS = {
    "occupation": "O*NET title",
    "alternate": "O*NET alternate title",
    "reported": "title reported to O*NET",
}


def file_name(table: str) -> str:
    """The bundled file of ``table``: ``onet-job-zones.parquet``."""
    return f"onet-{table.replace('_', '-')}.parquet"


def _manifest() -> dict[str, Any]:
    return read_manifest(MANIFEST)


def manifest() -> dict[str, Any]:
    """The bundled release's manifest (a copy)."""
    return copy_of(_manifest())


def release() -> str:
    """The bundled O*NET release, e.g. ``"30.1"``."""
    return str(_manifest()["release"])


def provenance(table: str | None = None) -> list[Provenance]:
    """The bundled release's provenance: one record per O*NET file bundled from (its URL is
    the release zip's, ``#`` the file's name); only ``table``'s file when given."""
    info = _manifest()
    wanted = TABLES_FILES.get(table or "", "")
    return [
        bundled_provenance(
            info["program"], source, release=info["release"], retrieved=info["retrieved"]
        )
        for name, source in info["sources"].items()
        if name == wanted or not wanted
    ]


def read(table: str) -> pd.DataFrame:
    """The bundled frame of ``table`` with its provenance and attribution in ``attrs``."""
    import pyarrow.parquet as pq

    frame = pq.read_table(HERE / file_name(table)).to_pandas()
    frame = frame.astype({c: "string" for c in frame.columns if frame[c].dtype == object})
    frame.attrs["attribution"] = _manifest()["attribution"]
    return attach_provenance(frame, provenance(table))


@lru_cache(maxsize=1)
def title_rows() -> tuple[tuple[str, str, str], ...]:
    """Every bundled O*NET title as (``onet_code``, ``title``, ``kind``), without pandas."""
    text = gzip.decompress(TITLES.read_bytes()).decode("utf-8")
    _, *rows = csv.reader(io.StringIO(text), delimiter=LOOKUP_FORMAT["delimiter"])
    return tuple((code, title, kind) for code, title, kind in rows)

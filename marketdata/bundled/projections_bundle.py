"""The bundled Employment Projections: the tables of one release of BLS's ``occupation.xlsx``.

Used by :func:`marketdata.datasets.projections.load` when BLS cannot be reached (or offline mode is on)
and the release is not cached, with an :class:`~marketdata.core.errors.OfflineDataWarning`; its
provenance says ``bundled``. Files in this folder:

- ``projections-<release>-<table>.parquet``: the tidy frame :func:`marketdata.sources.ep.
  parse_workbook` returns for each table the release's workbook has (summary and line-item rows),
  exactly as parsed (the builder checks that each file reads back equal to the parse).
- ``projections-<release>-codes.tsv``: the projections table's code index
  (:data:`marketdata.sources.ep.CODE_COLUMNS`: every row's code, title and release, in order),
  tab-separated as the snapshot's lookup tables, so that an occupation is looked up without
  pandas or pyarrow.
- ``projections_manifest.json``: the release, BLS's workbook (URL, size, SHA-256, where the copy
  came from), the retrieval date, how the files were built, and per table its file, sheet,
  title and footnotes.

Rebuild with ``python -m tools.build_projections_bundle WORKBOOK``
(:mod:`tools.build_projections_bundle`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketdata.bundled import bundled_provenance, copy_of, read_lookup, read_manifest
from marketdata.core.errors import FetchError, OfflineError, UnknownRelease
from marketdata.core.schema import Provenance, attach_provenance

if TYPE_CHECKING:  # pandas and pyarrow load for the tables, not for the code index
    import pandas as pd

HERE = Path(__file__).resolve().parent
MANIFEST = HERE / "projections_manifest.json"


def file_name(release: str, table: str) -> str:
    """Name of a bundled table's file: ``projections-2024-34-separations.parquet``."""
    return f"projections-{release}-{table}.parquet"


def codes_name(release: str) -> str:
    """Name of the bundled code index: ``projections-2024-34-codes.tsv``."""
    return f"projections-{release}-codes.tsv"


def _manifest() -> dict[str, Any]:
    return read_manifest(MANIFEST)


def manifest() -> dict[str, Any]:
    """The bundled projections' manifest (a copy)."""
    return copy_of(_manifest())


def round_() -> str:
    """The bundled EP release, e.g. ``"2024-34"``."""
    return str(_manifest()["release"])


def tables() -> list[str]:
    """The table kinds bundled (those the release's workbook has)."""
    return list(_manifest()["tables"])


def provenance() -> Provenance:
    """Where the bundled tables come from: BLS's workbook, marked ``bundled``."""
    info = _manifest()
    return bundled_provenance(
        info["program"], info["source"], release=info["release"], retrieved=info["retrieved"]
    )


@lru_cache(maxsize=8)
def _read(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas()


def forget() -> None:
    """Forget the manifest and the tables read so far, so a rebuilt bundle is read anew."""
    read_manifest.cache_clear()
    _read.cache_clear()


def read(table: str) -> pd.DataFrame:
    """One bundled table (every row), with the parser's ``attrs`` and the provenance.

    Raises
    ------
    KeyError
        ``table`` is not bundled (see :func:`tables`).
    """
    entry = _manifest()["tables"][table]
    frame = _read(HERE / entry["file"]).copy()
    frame.attrs.update(json.loads(json.dumps(entry["attrs"])))
    return attach_provenance(frame, [provenance()])


def code_index() -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The projections table's code index: its header (:data:`marketdata.sources.ep.
    CODE_COLUMNS`) and rows, as text, read without pandas."""
    return read_lookup(HERE / _manifest()["codes"]["file"])


def fits(wanted: str) -> bool:
    """Whether the bundled tables answer a request for EP release ``wanted``."""
    if wanted == "latest":
        return True
    from marketdata.sources import ep

    try:
        return ep.normalize_round(wanted) == round_()
    except UnknownRelease:
        return False


def check_table(table: str, reason: FetchError | UnknownRelease) -> None:
    """OfflineError if the bundled release has no ``table``, BLS having failed to give the
    release for ``reason``."""
    info = manifest()
    if table not in info["tables"]:
        raise OfflineError(
            f"BLS's Employment Projections could not be had ({str(reason).splitlines()[0]}) "
            f"and the bundled {info['release']} release has no {table} table (its workbook has none)",
            url=getattr(reason, "url", None),
            hint=f"Bundled tables: {', '.join(info['tables'])}. Load {table!r} when BLS is "
            "reachable, or add a workbook that has it with `marketdata cache add PATH`.",
        ) from reason

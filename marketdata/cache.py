"""Where files live: raw BLS bytes, their provenance, and parsed Parquet.

Layout under ``settings.cache_dir``::

    raw/<key>                 the bytes as BLS served them (never changed)
    raw/<key>.meta.json       URL, size, SHA-256, ETag, Last-Modified, retrieval time
    raw/.<key>.partial(.json) bytes of an interrupted download and their ETag (to resume)
    parquet/<name>.parquet    parsed frames, valid while their inputs' SHA-256 are unchanged:
                              a file, or a folder of part-NN.parquet files (slices of rows,
                              written in parallel) for a large frame
    parquet/<name>.parquet.meta.json  the inputs' SHA-256 and the frame's ``attrs`` (provenance)
    parquet/<name>.index.tsv  a few columns of the frame as text (e.g. its codes), read
                              without pandas; the meta says whether there is one
    json/<name>.json          small JSON answers (e.g. BLS API)
    locks/                    cross-process locks

Every write goes to a temporary file (or folder) in the same folder and is renamed into place,
so a crash or a dropped connection never leaves a half-written entry.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import FileLock

from marketdata import atomic
from marketdata.config import Settings, get_settings
from marketdata.errors import (
    ContactRequired,
    FetchError,
    InputValueError,
    OfflineError,
    SourceFormatError,
)
from marketdata.schema import Provenance

if TYPE_CHECKING:  # pandas and pyarrow load for Parquet frames, requests for downloads
    import pandas as pd
    import pyarrow as pa

logger = logging.getLogger(__name__)

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_LOCK_TIMEOUT = 1800  # seconds: a 330 MB download on a slow line
Check = Callable[[Path], None]


@dataclass(frozen=True)
class CachedFile:
    """A verified file in the cache and where it came from."""

    key: str
    path: Path
    url: str
    size: int
    sha256: str
    retrieved: str
    etag: str | None = None
    last_modified: str | None = None
    added_by_hand: bool = False

    def provenance(self, *, program: str, release: str, bundled: bool = False) -> Provenance:
        """The :class:`~marketdata.schema.Provenance` of data read from this file."""
        return Provenance(
            program=program,
            release=release,
            source_url=self.url,
            retrieved=self.retrieved,
            sha256=self.sha256,
            added_by_hand=self.added_by_hand,
            bundled=bundled,
        )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check_key(key: str) -> str:
    """Return ``key`` if it is a safe relative cache path, else raise InputValueError."""
    if not _KEY.match(key) or ".." in key.split("/"):
        raise InputValueError(
            "cache key", key, hint="Use letters, digits, '.', '_', '-' and '/' between parts."
        )
    return key


def _raw_path(key: str, settings: Settings) -> Path:
    return settings.cache_dir / "raw" / check_key(key)


def _meta_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_json(path: Path, obj: Any) -> None:
    atomic_write_bytes(path, json.dumps(obj, indent=1, sort_keys=True, default=str).encode())


@contextlib.contextmanager
def lock(name: str, *, settings: Settings | None = None) -> Iterator[None]:
    """Hold a cross-process lock named ``name`` (e.g. a cache key)."""
    settings = get_settings(settings)
    folder = settings.cache_dir / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(name.encode()).hexdigest()[:24]
    with FileLock(folder / f"{digest}.lock", timeout=_LOCK_TIMEOUT):
        yield


def _read_meta(path: Path) -> dict | None:
    try:
        return json.loads(_meta_path(path).read_text())
    except (OSError, ValueError):
        return None


def lookup(key: str, *, settings: Settings | None = None) -> CachedFile | None:
    """The cached file for ``key`` if present and intact, else None.

    A file whose size or modification time differs from what was recorded is hashed
    again; if its SHA-256 no longer matches it is removed (and fetched again by
    :func:`fetch`).
    """
    settings = get_settings(settings)
    path = _raw_path(key, settings)
    meta = _read_meta(path)
    if meta is None or not path.exists():
        return None
    stat = path.stat()
    if stat.st_size != meta["size"] or stat.st_mtime_ns != meta.get("mtime_ns"):
        if stat.st_size != meta["size"] or sha256_of(path) != meta["sha256"]:
            logger.warning("cached %s is damaged (size or SHA-256 changed); dropping it", key)
            path.unlink(missing_ok=True)
            _meta_path(path).unlink(missing_ok=True)
            return None
        meta["mtime_ns"] = stat.st_mtime_ns
        _write_json(_meta_path(path), meta)
    return _entry(key, path, meta)


def _entry(key: str, path: Path, meta: dict) -> CachedFile:
    fields = {
        k: meta.get(k) for k in ("url", "size", "sha256", "retrieved", "etag", "last_modified")
    }
    return CachedFile(key=key, path=path, added_by_hand=bool(meta.get("added_by_hand")), **fields)


def _store(tmp: Path, path: Path, meta: dict) -> CachedFile:
    """Move a complete, checked temporary file into place and record its metadata."""
    os.replace(tmp, path)
    meta["mtime_ns"] = path.stat().st_mtime_ns
    _write_json(_meta_path(path), meta)
    return _entry(meta["key"], path, meta)


def fetch(
    url: str,
    *,
    key: str,
    settings: Settings | None = None,
    refresh: bool = False,
    check: Check | None = None,
) -> CachedFile:
    """Return the cached file for ``key``, downloading ``url`` if needed.

    Parameters
    ----------
    url
        Where the file is published.
    key
        Its place in the cache, e.g. ``"oe/oe.data.0.Current"``.
    refresh
        Ask the server whether the file changed (conditional GET; a 304 transfers no body).
        If the server can't be reached, the cached copy is kept and a warning logged.
    check
        Called with the downloaded file before it enters the cache; raises
        :class:`~marketdata.errors.SourceFormatError` if the bytes are not the expected file.

    Raises
    ------
    OfflineError
        Offline mode is on and the file is not cached.
    ContactRequired, FetchError, SourceFormatError
        From the download or ``check``; the cache is left as it was.
    """
    settings = get_settings(settings)
    path = _raw_path(key, settings)
    with lock(key, settings=settings):
        entry = lookup(key, settings=settings)
        if entry is not None and not refresh:
            return entry
        if settings.offline:
            if entry is not None:
                return entry
            raise OfflineError(
                f"{key} is not in the cache and offline mode is on",
                url=url,
                hint="Unset MARKETDATA_OFFLINE to download it, or add a copy you saved with "
                "`marketdata cache add PATH`.",
            )
        from marketdata import http

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp, resume = _partial(path, url, fresh=entry is None)
        keep = False
        try:
            result = http.download(
                url,
                tmp,
                settings=settings,
                etag=entry.etag if entry else None,
                last_modified=entry.last_modified if entry else None,
                resume=resume,
            )
            if result.status == 304 and entry is not None:
                logger.info("%s is unchanged on the server (304)", key)
                return entry
            if check is not None:
                check(tmp)
            meta = {
                "key": key,
                "url": url,
                "size": result.size,
                "sha256": result.sha256,
                "retrieved": _now(),
                "etag": result.etag,
                "last_modified": result.last_modified,
                "added_by_hand": False,
            }
            return _store(tmp, path, meta)
        except (FetchError, SourceFormatError, KeyboardInterrupt) as err:
            resumable = entry is None and not isinstance(err, SourceFormatError)
            keep = resumable and _keep_partial(tmp, url, getattr(err, "resume", None))
            if isinstance(err, KeyboardInterrupt | ContactRequired) or entry is None:
                raise
            logger.warning("could not refresh %s (%s); keeping the cached copy", key, err)
            return entry
        finally:
            if not keep:
                tmp.unlink(missing_ok=True)
                _resume_path(tmp).unlink(missing_ok=True)


def _resume_path(tmp: Path) -> Path:
    """Where the validator of an interrupted download's bytes is kept (no ``.meta.json``)."""
    return tmp.with_name(tmp.name + ".json")


def _partial(path: Path, url: str, *, fresh: bool) -> tuple[Path, str | None]:
    """Where a download of ``path`` is written, and the validator of the bytes an interrupted
    download of the same URL left there (None: start from the first byte)."""
    tmp = path.with_name(f".{path.name}.partial")
    try:
        meta = json.loads(_resume_path(tmp).read_text()) if fresh else None
    except (OSError, ValueError):
        meta = None
    if meta is None or meta.get("url") != url or not tmp.exists():
        tmp.unlink(missing_ok=True)
        return tmp, None
    logger.info("resuming %s after %s bytes", url, f"{tmp.stat().st_size:,}")
    return tmp, meta.get("validator")


def _keep_partial(tmp: Path, url: str, validator: str | None) -> bool:
    """Keep the bytes of an interrupted download for the next try, if the server named
    the version they belong to (ETag or Last-Modified: ``validator``)."""
    if validator is None or not tmp.exists() or tmp.stat().st_size == 0:
        return False
    _write_json(_resume_path(tmp), {"url": url, "validator": validator})
    return True


def add_file(
    src: Path,
    *,
    key: str,
    url: str,
    settings: Settings | None = None,
    check: Check | None = None,
) -> CachedFile:
    """Put a file the user downloaded by hand into the cache, marked as added by hand."""
    settings = get_settings(settings)
    src = Path(src)
    if check is not None:
        check(src)
    path = _raw_path(key, settings)
    with lock(key, settings=settings):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        os.close(fd)
        tmp = Path(name)
        try:
            shutil.copyfile(src, tmp)
            meta = {
                "key": key,
                "url": url,
                "size": tmp.stat().st_size,
                "sha256": sha256_of(tmp),
                "retrieved": _now(),
                "etag": None,
                "last_modified": None,
                "added_by_hand": True,
            }
            return _store(tmp, path, meta)
        finally:
            tmp.unlink(missing_ok=True)


def entries(*, settings: Settings | None = None) -> list[CachedFile]:
    """Every raw file recorded in the cache."""
    settings = get_settings(settings)
    root = settings.cache_dir / "raw"
    found = []
    for meta_file in sorted(root.rglob("*.meta.json")) if root.exists() else []:
        data_file = meta_file.with_name(meta_file.name.removesuffix(".meta.json"))
        meta = _read_meta(data_file)
        if meta is not None and data_file.exists():
            found.append(_entry(data_file.relative_to(root).as_posix(), data_file, meta))
    return found


def verify(*, settings: Settings | None = None) -> dict[str, bool]:
    """Hash every cached raw file; drop the damaged ones. Returns key -> intact."""
    settings = get_settings(settings)
    result = {}
    for entry in entries(settings=settings):
        intact = entry.path.stat().st_size == entry.size and sha256_of(entry.path) == entry.sha256
        if not intact:
            logger.warning("cached %s is damaged; dropping it", entry.key)
            entry.path.unlink(missing_ok=True)
            _meta_path(entry.path).unlink(missing_ok=True)
        result[entry.key] = intact
    return result


# Parsed frames ---------------------------------------------------------------------------


def _inputs_of(inputs: list[CachedFile]) -> dict[str, str]:
    return {f.key: f.sha256 for f in inputs}


def parquet_path(
    name: str, *, inputs: list[CachedFile], settings: Settings | None = None
) -> Path | None:
    """Path of the cached Parquet for ``name`` if it was built from exactly ``inputs``."""
    settings = get_settings(settings)
    path = settings.cache_dir / "parquet" / f"{check_key(name)}.parquet"
    meta = _read_meta(path)
    if meta is None or meta.get("inputs") != _inputs_of(inputs) or not path.exists():
        return None
    return path


def read_parquet(
    name: str,
    *,
    inputs: list[CachedFile],
    settings: Settings | None = None,
    columns: list[str] | None = None,
    filters: Any = None,
) -> pd.DataFrame | None:
    """The cached frame ``name`` (with its ``attrs``), or None if absent or stale.

    ``columns`` and ``filters`` are passed to pyarrow so that only what is needed is read.
    """
    path = parquet_path(name, inputs=inputs, settings=settings)
    if path is None:
        return None
    import pyarrow.parquet as pq

    meta = _read_meta(path) or {}
    df = pq.read_table(path, columns=columns, filters=filters).to_pandas()
    df.attrs.update(meta.get("attrs", {}))
    return df


def write_parquet(
    df: pd.DataFrame,
    name: str,
    *,
    inputs: list[CachedFile],
    settings: Settings | None = None,
    row_group_size: int = 65536,
    parts: int = 1,
    index: pd.DataFrame | None = None,
) -> Path:
    """Store ``df`` as Parquet (zstd, level 1) under ``name``, tied to the SHA-256 of ``inputs``.

    Row groups of ``row_group_size`` rows let filtered reads skip what they don't need. With
    ``parts`` > 1 (and more rows than one row group), the frame is a folder of that many files
    of consecutive rows, written in parallel threads: :func:`read_parquet` reads it back as
    one frame, rows in order. ``index`` (a frame of text columns, e.g. the codes and titles of
    ``df``'s rows) is stored beside it as tab-separated text, for :func:`read_index`.
    """
    import pyarrow as pa

    settings = get_settings(settings)
    path = settings.cache_dir / "parquet" / f"{check_key(name)}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    parts = max(1, min(parts, -(-table.num_rows // row_group_size)))
    with lock(f"parquet:{name}", settings=settings):
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part"))
        try:
            if parts == 1:
                _write_table(table, tmp / "frame.parquet", row_group_size)
                atomic.place(tmp / "frame.parquet", path)
            else:
                _write_parts(table, tmp, parts, row_group_size)
                atomic.place(tmp, path)
        finally:
            atomic.remove(tmp)
        meta = {"inputs": _inputs_of(inputs), "attrs": dict(df.attrs)}
        if index is not None:
            _write_index(index_path(path), index)
            meta["index"] = list(index.columns)
        _write_json(_meta_path(path), meta)
    return path


def _write_table(table: pa.Table, path: Path, row_group_size: int) -> None:
    import pyarrow.parquet as pq

    # zstd level 1: as small as the default level 3 here (13 MB for a full release) and about
    # a fifth faster to write
    pq.write_table(
        table, path, compression="zstd", compression_level=1, row_group_size=row_group_size
    )


def _write_parts(table: pa.Table, folder: Path, parts: int, row_group_size: int) -> None:
    """``table`` as ``parts`` files of consecutive rows (whole row groups), in parallel."""
    groups = -(-table.num_rows // row_group_size)
    cuts = [row_group_size * (groups * k // parts) for k in range(parts)] + [table.num_rows]

    def write(k: int) -> None:
        piece = table.slice(cuts[k], cuts[k + 1] - cuts[k])
        _write_table(piece, folder / f"part-{k:02d}.parquet", row_group_size)

    with ThreadPoolExecutor(max_workers=parts) as pool:  # pyarrow writes without the GIL
        list(pool.map(write, range(parts)))


def index_path(parquet: Path) -> Path:
    """Where the index of the frame stored at ``parquet`` is (``<name>.index.tsv``)."""
    return parquet.with_name(parquet.name.removesuffix(".parquet") + ".index.tsv")


def _write_index(path: Path, index: pd.DataFrame) -> None:
    """The index as tab-separated text: a header line, then one line per row."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n")
    writer.writerow(index.columns)
    writer.writerows(index.itertuples(index=False))
    atomic_write_bytes(path, text.getvalue().encode("utf-8"))


def read_index(
    name: str, *, inputs: list[CachedFile], settings: Settings | None = None
) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
    """The header and rows of the index stored with the Parquet ``name`` (see
    :func:`write_parquet`), read without pandas; None if the Parquet is absent or stale, or
    was stored without an index."""
    path = parquet_path(name, inputs=inputs, settings=settings)
    meta = _read_meta(path) if path is not None else None
    if meta is None or "index" not in meta:
        return None
    try:
        with index_path(path).open(newline="", encoding="utf-8") as f:
            header, *rows = csv.reader(f, delimiter="\t")
    except (OSError, ValueError):
        return None
    if header != meta["index"]:
        return None
    return tuple(header), [tuple(row) for row in rows]


# Small JSON answers ----------------------------------------------------------------------


def read_json(name: str, *, settings: Settings | None = None) -> Any | None:
    """A JSON document stored with :func:`write_json`, or None."""
    settings = get_settings(settings)
    path = settings.cache_dir / "json" / f"{check_key(name)}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def write_json(name: str, obj: Any, *, settings: Settings | None = None) -> Path:
    """Store ``obj`` as JSON under ``name``, atomically."""
    settings = get_settings(settings)
    path = settings.cache_dir / "json" / f"{check_key(name)}.json"
    _write_json(path, obj)
    return path


def describe(entry: CachedFile) -> dict[str, Any]:
    """A plain dict of an entry (for manifests and the CLI)."""
    d = asdict(entry)
    d["path"] = str(entry.path)
    return d

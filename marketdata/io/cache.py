"""Where files live: raw BLS bytes, their provenance, and parsed Parquet.

Layout under ``settings.cache_dir``::

    raw/<key>                 the bytes as BLS served them (never changed)
    raw/<key>.meta.json       URL, size, SHA-256, ETag, Last-Modified, retrieval time (and
                              the SHA-256 of the metadata itself: :mod:`marketdata.io.cache_entry`)
    raw/.<key>.partial(.json) bytes of an interrupted download and their ETag (to resume)
    parquet/<name>.parquet    parsed frames, valid while their inputs' SHA-256 are unchanged:
                              a file, or a folder of part-NN.parquet files (slices of rows,
                              written in parallel) for a large frame
    parquet/<name>.parquet.meta.json  the inputs' SHA-256, the frame's ``attrs`` (provenance)
                              and the SHA-256 of its files, checked on every read
                              (:mod:`marketdata.io.cache_frames`)
    parquet/<name>.index.tsv  a few columns of the frame as text (e.g. its codes), read
                              without pandas; the meta says whether there is one
    json/<name>.json          small JSON answers (e.g. BLS API)
    locks/                    cross-process locks

Every write goes to a temporary file (or folder) in the same folder and is renamed into place,
so a crash or a dropped connection never leaves a half-written entry; a file and its metadata
are placed together under the entry's publish lock, so a reader never takes a file being
replaced for a damaged one.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    ChecksumError,
    ContactRequired,
    FetchError,
    OfflineError,
    SourceFormatError,
)
from marketdata.core.schema import Provenance
from marketdata.io import cache_entry as entry_files
from marketdata.io import cache_frames
from marketdata.io.cache_entry import (
    META,
    Damaged,
    atomic_write_bytes,
    check_key,
    lock,
    meta_path,
    regular_file,
    sha256_of,
)
from marketdata.io.cache_entry import write_json as write_json_file
from marketdata.io.cache_frames import (
    index_path,
    parquet_path,
    read_index,
    read_parquet,
    write_parquet,
)
from marketdata.io.disk_space import room_for

__all__ = [
    "CachedFile",
    "add_file",
    "atomic_write_bytes",
    "check_key",
    "confirm",
    "describe",
    "entries",
    "fetch",
    "index_path",
    "lock",
    "lookup",
    "parquet_path",
    "read_index",
    "read_json",
    "read_parquet",
    "sha256_of",
    "verify",
    "write_json",
    "write_parquet",
]

logger = logging.getLogger(__name__)

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
        """The :class:`~marketdata.core.schema.Provenance` of data read from this file."""
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


def _raw_path(key: str, settings: Settings) -> Path:
    return settings.cache_dir / "raw" / check_key(key)


def _read_meta(path: Path) -> dict | None:
    """The metadata of the raw file ``path``, or None if it has none or it is damaged."""
    try:
        return entry_files.read_meta(path, entry_files.RAW_FIELDS)
    except Damaged:
        return None


def lookup(key: str, *, settings: Settings | None = None) -> CachedFile | None:
    """The cached file for ``key`` if present and intact, else None.

    A file whose size or modification time differs from what was recorded is hashed
    again; if its SHA-256 no longer matches, or its metadata is damaged, both are removed
    (and fetched again by :func:`fetch`). A file being placed by a writer is never removed:
    what looks wrong is looked at again under the entry's publish lock.
    """
    settings = get_settings(settings)
    path = _raw_path(key, settings)
    try:
        found = _looked_up(key, path, settings, settle=False)
    except Damaged:
        with entry_files.publishing(key, settings=settings):
            try:
                return _looked_up(key, path, settings, settle=True)
            except Damaged as err:
                logger.warning("cached %s is damaged (%s); dropping it", key, err)
                _drop(path)
                return None
    return found


def _looked_up(key: str, path: Path, settings: Settings, *, settle: bool) -> CachedFile | None:
    """The entry if its file and metadata agree; Damaged if not (``settle``: the publish lock
    is held, so a changed modification time of an intact file is recorded)."""
    meta = entry_files.read_meta(path, entry_files.RAW_FIELDS)
    if meta is None or not path.is_file():
        return None
    stat = path.stat()
    if stat.st_size != meta["size"]:
        raise Damaged("its size changed")
    if stat.st_mtime_ns != meta.get("mtime_ns"):
        if not settle or sha256_of(path) != meta["sha256"]:
            raise Damaged("its SHA-256 changed")
        meta = entry_files.write_meta(path, {**meta, "mtime_ns": stat.st_mtime_ns})
    return _entry(key, path, meta)


def _drop(path: Path) -> None:
    path.unlink(missing_ok=True)
    meta_path(path).unlink(missing_ok=True)


def _entry(key: str, path: Path, meta: dict) -> CachedFile:
    fields = {
        k: meta.get(k) for k in ("url", "size", "sha256", "retrieved", "etag", "last_modified")
    }
    return CachedFile(key=key, path=path, added_by_hand=bool(meta.get("added_by_hand")), **fields)


def _store(tmp: Path, path: Path, meta: dict, settings: Settings) -> CachedFile:
    """Move a complete, checked temporary file into place and record its metadata, as one
    step for readers (under the entry's publish lock)."""
    with entry_files.publishing(meta["key"], settings=settings):
        os.replace(tmp, path)
        meta = entry_files.write_meta(path, {**meta, "mtime_ns": path.stat().st_mtime_ns})
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
        :class:`~marketdata.core.errors.SourceFormatError` if the bytes are not the expected file.

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
        from marketdata.io import http

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp, resume = entry_files.partial(path, url, fresh=entry is None)
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
            return _store(tmp, path, meta, settings)
        except (FetchError, SourceFormatError, KeyboardInterrupt) as err:
            resumable = entry is None and not isinstance(err, SourceFormatError)
            keep = resumable and entry_files.keep_partial(tmp, url, getattr(err, "resume", None))
            if isinstance(err, KeyboardInterrupt | ContactRequired) or entry is None:
                raise
            logger.warning("could not refresh %s (%s); keeping the cached copy", key, err)
            return entry
        finally:
            if not keep:
                tmp.unlink(missing_ok=True)
                entry_files.resume_path(tmp).unlink(missing_ok=True)


def add_file(
    src: Path,
    *,
    key: str,
    url: str,
    settings: Settings | None = None,
    check: Check | None = None,
) -> CachedFile:
    """Put a file the user downloaded by hand into the cache, marked as added by hand.

    Raises
    ------
    MarketdataError
        ``src`` is not a regular file (a folder, a FIFO, a device).
    DiskFullError
        The cache's disk has no room for it (nothing is left half-written).
    """
    settings = get_settings(settings)
    src = Path(src)
    regular_file(src)
    if check is not None:
        check(src)
    path = _raw_path(key, settings)
    size = src.stat().st_size
    with (
        lock(key, settings=settings),
        room_for(path.parent, f"adding {src.name}", lambda: size),
    ):
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
            return _store(tmp, path, meta, settings)
        finally:
            tmp.unlink(missing_ok=True)


def entries(*, settings: Settings | None = None) -> list[CachedFile]:
    """Every raw file recorded in the cache (intact metadata; the files are not hashed)."""
    settings = get_settings(settings)
    root = settings.cache_dir / "raw"
    found = []
    for data_file in _recorded(root):
        meta = _read_meta(data_file)
        if meta is not None and data_file.is_file():
            found.append(_entry(data_file.relative_to(root).as_posix(), data_file, meta))
    return found


def _recorded(root: Path) -> list[Path]:
    """The raw files under ``root`` that have a metadata file, by a valid key."""
    found = []
    for meta_file in entry_files.metadata_files(root):
        data_file = meta_file.with_name(meta_file.name.removesuffix(META))
        key = data_file.relative_to(root).as_posix()
        if entry_files.KEY.match(key) and not data_file.name.startswith("."):
            found.append(data_file)
    return found


def _intact(key: str, path: Path) -> None:
    """Raise Damaged unless the raw file ``path`` matches its metadata (hashed whole)."""
    meta = entry_files.read_meta(path, entry_files.RAW_FIELDS)
    if meta is None:
        return
    if meta.get("key") != key:
        raise Damaged("its metadata names another file")
    if not path.is_file() or path.stat().st_size != meta["size"]:
        raise Damaged("its size changed or it is missing")
    if sha256_of(path) != meta["sha256"]:
        raise Damaged("its SHA-256 changed")


def confirm(files: list[CachedFile], *, settings: Settings | None = None) -> None:
    """Hash each of ``files`` whole before it is parsed; drop the damaged ones.

    Raises
    ------
    ChecksumError
        A file no longer matches its recorded SHA-256 (it was removed: fetch it again).
    """
    settings = get_settings(settings)
    for entry in files:
        try:
            _intact(entry.key, entry.path)
        except Damaged:
            with entry_files.publishing(entry.key, settings=settings):
                try:
                    _intact(entry.key, entry.path)
                except Damaged as err:
                    logger.warning("cached %s is damaged (%s); dropping it", entry.key, err)
                    _drop(entry.path)
                    raise ChecksumError(
                        f"the cached {entry.key} is damaged ({err})", url=entry.url
                    ) from None


def verify(*, settings: Settings | None = None) -> dict[str, bool]:
    """Hash every cached raw file and parsed frame; drop the damaged ones (a frame is parsed
    again when next needed). Returns key -> intact (frames as ``parquet/<name>``)."""
    settings = get_settings(settings)
    root = settings.cache_dir / "raw"
    result = {}
    for path in _recorded(root):
        key = path.relative_to(root).as_posix()
        try:
            _intact(key, path)
        except Damaged:
            with entry_files.publishing(key, settings=settings):
                try:
                    _intact(key, path)
                except Damaged as err:
                    logger.warning("cached %s is damaged (%s); dropping it", key, err)
                    _drop(path)
                    result[key] = False
                    continue
        result[key] = True
    return {**result, **cache_frames.verify_frames(settings=settings)}


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
    write_json_file(path, obj)
    return path


def describe(entry: CachedFile) -> dict[str, Any]:
    """A plain dict of an entry (for manifests and the CLI)."""
    d = asdict(entry)
    d["path"] = str(entry.path)
    return d

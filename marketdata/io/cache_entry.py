"""One cache entry's files: metadata read whole and checked, written with its own checksum,
placed so that a reader never catches an entry half-written, and the bytes of an interrupted
download kept to resume it.

Every metadata file (``<file>.meta.json``) records the SHA-256 of its own content
(``meta_sha256``); a file that is not JSON, lacks a field, has a field of the wrong type or
fails its checksum is :class:`Damaged`, never a ``KeyError`` further on. Metadata written
before the checksum was recorded is accepted when its fields are whole.

A writer places an entry's file and then its metadata while holding the entry's *publish*
lock (:func:`publishing`); a reader that finds the two disagreeing takes the same lock and
looks again before it calls the entry damaged, so it never removes what a writer is placing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from filelock import FileLock

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import InputValueError, MarketdataError

logger = logging.getLogger("marketdata.io.cache")

META = ".meta.json"
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_HEX = re.compile(r"^[0-9a-f]{64}$")
_LOCK_TIMEOUT = 1800  # seconds: a 330 MB download on a slow line
_CHECKSUM = "meta_sha256"

#: What a raw file's metadata must hold: field -> its type (``"sha"``: 64 hex digits).
RAW_FIELDS: dict[str, Any] = {
    "key": str,
    "url": str,
    "size": int,
    "sha256": "sha",
    "retrieved": str,
}
#: What a parsed frame's metadata must hold.
FRAME_FIELDS: dict[str, Any] = {"inputs": dict, "attrs": dict, "files": dict}


class Damaged(Exception):
    """A cache entry's file or metadata is not what was written; says what is wrong."""


def check_key(key: str) -> str:
    """Return ``key`` if it is a safe relative cache path, else raise InputValueError."""
    if not isinstance(key, str) or not KEY.match(key) or ".." in key.split("/"):
        raise InputValueError(
            "cache key", key, hint="Use letters, digits, '.', '_', '-' and '/' between parts."
        )
    return key


def metadata_files(root: Path) -> list[Path]:
    """The metadata files under ``root``, sorted, listed safely while other processes write.

    Folders whose name starts with a dot are left out: they are the temporary folders of a
    frame being written, and one may vanish between being listed and being read.

    Parameters
    ----------
    root
        A cache folder; an absent one has no metadata files.

    Returns
    -------
    list of Path
        Every ``*.meta.json`` file under ``root``.
    """
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [Path(folder, name) for name in files if name.endswith(META)]
    return sorted(found)


def meta_path(path: Path) -> Path:
    """Where the metadata of the cached ``path`` is (``<path>.meta.json``)."""
    return path.with_name(path.name + META)


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


def write_json(path: Path, obj: Any) -> None:
    """``obj`` as indented JSON at ``path``, atomically."""
    atomic_write_bytes(path, json.dumps(obj, indent=1, sort_keys=True, default=str).encode())


def _checksum(meta: Mapping[str, Any]) -> str:
    rest = {k: v for k, v in meta.items() if k != _CHECKSUM}
    canonical = json.dumps(rest, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def write_meta(path: Path, meta: Mapping[str, Any]) -> dict[str, Any]:
    """Write the metadata of ``path`` with its checksum; returns it as a reader sees it."""
    plain = json.loads(json.dumps({k: v for k, v in meta.items() if k != _CHECKSUM}, default=str))
    plain[_CHECKSUM] = _checksum(plain)
    write_json(meta_path(path), plain)
    return plain


def fits(value: Any, kind: Any) -> bool:
    if kind == "sha":
        return isinstance(value, str) and bool(_HEX.match(value))
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return isinstance(value, kind)


def read_meta(path: Path, fields: Mapping[str, Any]) -> dict[str, Any] | None:
    """The metadata of ``path``; None if there is none.

    Raises
    ------
    Damaged
        It is not JSON, fails its checksum, or lacks one of ``fields`` (or has it of another
        type).
    """
    try:
        raw = meta_path(path).read_bytes()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise Damaged(f"its metadata cannot be read ({err.strerror})") from None
    try:
        meta = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Damaged("its metadata is not valid JSON") from None
    if not isinstance(meta, dict):
        raise Damaged("its metadata is not a JSON object")
    if _CHECKSUM in meta and meta[_CHECKSUM] != _checksum(meta):
        raise Damaged("its metadata fails its own checksum")
    for name, kind in fields.items():
        if not fits(meta.get(name), kind):
            raise Damaged(f"its metadata lacks a valid {name!r}")
    return meta


# Interrupted downloads -------------------------------------------------------------------


def resume_path(tmp: Path) -> Path:
    """Where the validator of an interrupted download's bytes is kept (no ``.meta.json``)."""
    return tmp.with_name(tmp.name + ".json")


def partial(path: Path, url: str, *, fresh: bool) -> tuple[Path, str | None]:
    """Where a download of ``path`` is written, and the validator of the bytes an interrupted
    download of the same URL left there (None: start from the first byte)."""
    tmp = path.with_name(f".{path.name}.partial")
    try:
        meta = json.loads(resume_path(tmp).read_text()) if fresh else None
    except (OSError, ValueError):
        meta = None
    if not isinstance(meta, dict) or meta.get("url") != url or not tmp.exists():
        tmp.unlink(missing_ok=True)
        return tmp, None
    logger.info("resuming %s after %s bytes", url, f"{tmp.stat().st_size:,}")
    return tmp, meta.get("validator")


def keep_partial(tmp: Path, url: str, validator: str | None) -> bool:
    """Keep the bytes of an interrupted download for the next try, if the server named
    the version they belong to (ETag or Last-Modified: ``validator``)."""
    if validator is None or not tmp.exists() or tmp.stat().st_size == 0:
        return False
    write_json(resume_path(tmp), {"url": url, "validator": validator})
    return True


def lock(name: str, *, settings: Settings | None = None) -> contextlib.AbstractContextManager:
    """A cross-process lock named ``name`` (e.g. a cache key), held in a ``with`` block."""
    settings = get_settings(settings)
    folder = settings.cache_dir / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(name.encode()).hexdigest()[:24]
    return FileLock(folder / f"{digest}.lock", timeout=_LOCK_TIMEOUT)


@contextlib.contextmanager
def publishing(name: str, *, settings: Settings | None = None) -> Iterator[None]:
    """Hold the lock under which entry ``name``'s files are placed or removed (short: never
    held across a download or a parse)."""
    with lock(f"publish:{name}", settings=settings):
        yield


def regular_file(path: Path) -> Path:
    """``path`` if it is a regular file (a link to one is followed); MarketdataError naming what
    it is otherwise: missing, a folder, or not a regular file (a FIFO, a device, a socket)."""
    import stat

    try:
        mode = Path(path).stat().st_mode
    except FileNotFoundError:
        raise MarketdataError(f"{path}: no such file; check the path") from None
    except OSError as err:
        raise MarketdataError(f"{path}: cannot be read ({err.strerror})") from None
    if stat.S_ISDIR(mode):
        raise MarketdataError(f"{path} is a folder: give the files in it, e.g. {path}/*")
    if not stat.S_ISREG(mode):
        raise MarketdataError(
            f"{path} is not a regular file (a pipe, a device or a socket): give a file saved "
            "from BLS"
        )
    return Path(path)

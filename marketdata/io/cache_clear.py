"""Clearing the cache: remove what marketdata wrote under ``settings.cache_dir``, nothing else.

The cache folder is whatever ``MARKETDATA_CACHE_DIR`` names, which may be a folder that also
holds the user's own files. :func:`plan` lists only files marketdata itself wrote (see the
layout in :mod:`marketdata.io.cache`):

- ``raw/<key>`` and ``raw/<key>.meta.json``, for every key whose metadata records that key;
- ``parquet/<name>.parquet`` (a file, or a folder of ``part-NN.parquet`` files), its
  ``.meta.json`` and ``<name>.index.tsv``, for every frame whose metadata records its inputs;
- ``json/<name>.json`` documents written by :func:`marketdata.io.cache.write_json` (recognised by
  their exact formatting);
- ``locks/<hash>.lock``, the ``.<name>.*.part`` temporary files (or folders of Parquet
  files) of interrupted writes and the ``.<name>.partial`` bytes (with ``.partial.json``)
  kept to resume a download.

:func:`clear` removes them and then the folders they leave empty. It refuses ``/``, the home
folder (and the folders above it), and a folder that holds no marketdata cache.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import ConfigError
from marketdata.io.cache import index_path
from marketdata.io.cache_entry import META as _META
from marketdata.io.cache_entry import metadata_files

_LOCK = re.compile(r"^[0-9a-f]{24}\.lock$")
_PART = re.compile(r"^\..+\.(part|partial|partial\.json)$")
_FOLDERS = ("raw", "parquet", "json", "locks")


@dataclass(frozen=True)
class ClearPlan:
    """What :func:`clear` would remove: ``files`` (every path under ``folder``), their
    total ``size`` in bytes, and how many are cache entries (raw files, frames, documents)."""

    folder: Path
    files: tuple[Path, ...]
    entries: int
    size: int


def _meta(path: Path) -> dict | None:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _ours_json(path: Path) -> bool:
    """Whether ``path`` is a document as :func:`marketdata.io.cache.write_json` writes it."""
    try:
        text = path.read_text()
        return json.dumps(json.loads(text), indent=1, sort_keys=True, default=str) == text
    except (OSError, ValueError, UnicodeDecodeError):
        return False


def _raw(root: Path) -> list[Path]:
    found = []
    for meta_file in metadata_files(root):
        data_file = meta_file.with_name(meta_file.name.removesuffix(_META))
        meta = _meta(meta_file)
        if meta is None or meta.get("key") != data_file.relative_to(root).as_posix():
            continue
        found += [data_file, meta_file] if data_file.is_file() else [meta_file]
    return found


def _parquet(root: Path) -> list[Path]:
    found = []
    for meta_file in metadata_files(root):
        frame = meta_file.with_name(meta_file.name.removesuffix(_META))
        meta = _meta(meta_file) if frame.suffix == ".parquet" else None
        if meta is not None and "inputs" in meta:
            files = sorted(frame.glob("part-*.parquet")) if frame.is_dir() else [frame]
            index = index_path(frame)
            found += [*files, *([index] if index.is_file() else []), meta_file]
    return found


def _leftovers(root: Path) -> list[Path]:
    """The temporary files of interrupted writes under ``root``, and the Parquet files in
    their temporary folders; a folder another process removes meanwhile is passed over."""
    found = []
    for folder, subfolders, files in os.walk(root):
        for name in sorted(subfolders):
            if _PART.match(name):
                found += sorted(Path(folder, name).glob("*.parquet"))
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        found += [Path(folder, name) for name in sorted(files) if _PART.match(name)]
    return found


def _refuse_folder(folder: Path) -> None:
    home = Path.home().resolve()
    if folder == Path(folder.anchor) or folder == home or folder in home.parents:
        raise ConfigError(
            f"refusing to clear {folder}: it is the root or home folder, never a cache. "
            "Set MARKETDATA_CACHE_DIR to the cache folder itself (default ~/.cache/marketdata)."
        )


def plan(*, settings: Settings | None = None) -> ClearPlan:
    """The files :func:`clear` would remove (nothing is removed).

    Raises
    ------
    ConfigError
        The folder is ``/`` or the home folder (or above it), or it exists but holds no
        marketdata cache.
    """
    settings = get_settings(settings)
    folder = settings.cache_dir.expanduser().resolve()
    _refuse_folder(folder)
    raw = _raw(folder / "raw") if (folder / "raw").is_dir() else []
    frames = _parquet(folder / "parquet") if (folder / "parquet").is_dir() else []
    docs = (
        [p for p in sorted((folder / "json").rglob("*.json")) if _ours_json(p)]
        if (folder / "json").is_dir()
        else []
    )
    locks = (
        [p for p in (folder / "locks").iterdir() if _LOCK.match(p.name) and p.is_file()]
        if (folder / "locks").is_dir()
        else []
    )
    parts = [file for name in _FOLDERS for file in _leftovers(folder / name)]
    files = tuple(dict.fromkeys([*raw, *frames, *docs, *sorted(locks), *parts]))
    if not files and folder.exists() and any(folder.iterdir()):
        raise ConfigError(
            f"{folder} holds no marketdata cache (no files marketdata wrote); nothing removed. "
            "Check MARKETDATA_CACHE_DIR."
        )
    entries = sum(1 for p in raw if not p.name.endswith(_META))
    entries += sum(1 for p in frames if p.name.endswith(_META)) + len(docs)
    size = sum(p.stat().st_size for p in files if p.exists())
    return ClearPlan(folder=folder, files=files, entries=entries, size=size)


def clear(cleared: ClearPlan | None = None, *, settings: Settings | None = None) -> ClearPlan:
    """Remove the files of ``cleared`` (default: :func:`plan`), then the cache folders left
    empty (and the cache folder itself if nothing else is in it). Returns what was removed."""
    cleared = plan(settings=settings) if cleared is None else cleared
    for path in cleared.files:
        path.unlink(missing_ok=True)
    folder = cleared.folder
    for name in _FOLDERS:
        top = folder / name
        if not top.is_dir():
            continue
        for sub in sorted((p for p in top.rglob("*") if p.is_dir()), reverse=True):
            if not any(sub.iterdir()):
                sub.rmdir()
        if not any(top.iterdir()):
            top.rmdir()
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    return cleared

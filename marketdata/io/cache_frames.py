"""Parsed frames in the cache: Parquet files that record the SHA-256 of every file they are
made of, checked on every read.

``parquet/<name>.parquet`` is one file, or a folder of ``part-NN.parquet`` files (slices of
rows written in parallel) for a large frame. Its ``.meta.json`` records the SHA-256 of the raw
files it was parsed from (``inputs``: the frame is stale once they change), its ``attrs``
(provenance), the size and SHA-256 of each of its files (``files``; ``"."`` for a single file)
and those of its ``<name>.index.tsv``. A reader hashes the bytes it parses: a frame that fails
is dropped with one warning and parsed again from its raw files, never read. A writer removes
what an interrupted write of the same frame left (``.<name>.parquet.*.part``).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import logging
import re
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketdata.core.config import Settings, get_settings
from marketdata.io import atomic
from marketdata.io import cache_entry as entry_files
from marketdata.io.cache_entry import Damaged, check_key, lock, meta_path
from marketdata.io.disk_space import room_for

if TYPE_CHECKING:  # pandas and pyarrow load with the first frame
    import pandas as pd
    import pyarrow as pa

    from marketdata.io.cache import CachedFile

logger = logging.getLogger(__name__)

_SINGLE = "."  # the name of a frame's only file in its ``files`` record
_PART = re.compile(r"^part-\d{2}\.parquet$")
#: Temporary names of marketdata's writes (``tempfile`` adds 8 characters of [a-z0-9_]).
_TEMPORARY = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.part$")
_OLD = re.compile(r"^\.(?P<name>.+)\.old-[0-9a-f]{8}$")


def _inputs_of(inputs: list[CachedFile]) -> dict[str, str]:
    return {f.key: f.sha256 for f in inputs}


def frame_path(name: str, settings: Settings) -> Path:
    """Where the frame ``name`` is stored."""
    return settings.cache_dir / "parquet" / f"{check_key(name)}.parquet"


def index_path(parquet: Path) -> Path:
    """Where the index of the frame stored at ``parquet`` is (``<name>.index.tsv``)."""
    return parquet.with_name(parquet.name.removesuffix(".parquet") + ".index.tsv")


def _sha(data: bytes | pa.Buffer) -> str:
    return hashlib.sha256(data).hexdigest()


def _record(size: int, sha: str) -> dict[str, Any]:
    return {"size": size, "sha256": sha}


def _checked(
    path: Path, record: Any, what: str, read: Callable[[Path], Any] = Path.read_bytes
) -> Any:
    """The bytes of ``path``, as ``read`` gives them, if they match ``record`` (size and
    SHA-256); else Damaged."""
    if not isinstance(record, dict) or not entry_files.fits(record.get("sha256"), "sha"):
        raise Damaged(f"its record of {what} is damaged")
    try:
        data = read(path)
    except OSError:
        raise Damaged(f"{what} is missing or unreadable") from None
    if len(data) != record.get("size") or _sha(data) != record["sha256"]:
        raise Damaged(f"the SHA-256 of {what} changed")
    return data


def _arrow_bytes(path: Path) -> pa.Buffer:
    """The bytes of ``path`` in memory Arrow owns.

    Arrow's scanner lets go of what it read on a thread of its own, after the read returns: a
    Python object released there while the interpreter shuts down aborts the process.
    """
    import pyarrow as pa

    with pa.OSFile(str(path)) as file:
        return file.read_buffer()


def _files_of(path: Path, meta: dict[str, Any]) -> dict[str, Path]:
    """The files the frame is made of, by their name in its record; Damaged if the files
    on disk are not those recorded."""
    names = sorted(meta["files"])
    if names == [_SINGLE]:
        if not path.is_file():
            raise Damaged("its file is missing or a folder")
        return {_SINGLE: path}
    if not path.is_dir() or not names or not all(_PART.match(n) for n in names):
        raise Damaged("its parts are not those recorded")
    present = sorted(p.name for p in path.iterdir())
    if present != names:
        raise Damaged("its parts are not those recorded")
    return {n: path / n for n in names}


def _current(path: Path, inputs: list[CachedFile]) -> dict[str, Any] | None:
    """The frame's metadata if it was built from exactly ``inputs``; None if absent, stale
    or written without the SHA-256 of its files; Damaged if the metadata is damaged."""
    meta = entry_files.read_meta(path, entry_files.FRAME_FIELDS)
    if meta is None or meta["inputs"] != _inputs_of(inputs) or not path.exists():
        return None
    return meta


def _load(
    path: Path, inputs: list[CachedFile], columns: list[str] | None, filters: Any
) -> pd.DataFrame | None:
    import pyarrow as pa

    meta = _current(path, inputs)
    if meta is None:
        return None
    tables = [
        _read(file, meta["files"][what], "its file" if what == _SINGLE else what, columns, filters)
        for what, file in _files_of(path, meta).items()
    ]
    table = tables[0] if len(tables) == 1 else pa.concat_tables(tables)
    df = table.to_pandas()
    df.attrs.update(meta["attrs"])
    return df


def _read(path: Path, record: Any, what: str, columns: list[str] | None, filters: Any) -> pa.Table:
    """One file of a frame as an Arrow table, if it matches ``record``; else Damaged."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = _checked(path, record, what, read=_arrow_bytes)
    try:
        return pq.read_table(pa.BufferReader(data), columns=columns, filters=filters)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise Damaged(f"it cannot be read ({err})") from None


def _drop(path: Path) -> None:
    """Remove a frame, its index and its metadata (metadata first: readers see it gone)."""
    meta_path(path).unlink(missing_ok=True)
    index_path(path).unlink(missing_ok=True)
    if path.is_dir() and not path.is_symlink():
        for part in path.iterdir():
            if _PART.match(part.name):
                part.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.rmdir()
    else:
        path.unlink(missing_ok=True)


def _read_or_drop(name: str, path: Path, settings: Settings, read: Any) -> Any:
    """``read()``; if it finds the frame damaged, look again under the frame's lock (a writer
    may have been placing it) and drop the frame with one warning if it still is (None)."""
    try:
        return read()
    except Damaged:
        with lock(f"parquet:{name}", settings=settings):
            try:
                return read()
            except Damaged as err:
                logger.warning(
                    "the cached frame %s is damaged (%s); dropping it, it is parsed again "
                    "from its raw files",
                    name,
                    err,
                )
                _drop(path)
                return None


def parquet_path(
    name: str, *, inputs: list[CachedFile], settings: Settings | None = None
) -> Path | None:
    """Path of the cached Parquet for ``name`` if it was built from exactly ``inputs`` (its
    files are not hashed here: :func:`read_parquet` does)."""
    settings = get_settings(settings)
    path = frame_path(name, settings)
    try:
        return path if _current(path, inputs) is not None else None
    except Damaged:
        return None


def read_parquet(
    name: str,
    *,
    inputs: list[CachedFile],
    settings: Settings | None = None,
    columns: list[str] | None = None,
    filters: Any = None,
) -> pd.DataFrame | None:
    """The cached frame ``name`` (with its ``attrs``), or None if absent, stale or damaged.

    Every file of the frame is hashed before it is parsed; a damaged frame is dropped with
    one warning. ``columns`` and ``filters`` are passed to pyarrow so that only what is needed
    is converted.
    """
    settings = get_settings(settings)
    path = frame_path(name, settings)
    return _read_or_drop(name, path, settings, lambda: _load(path, inputs, columns, filters))


def clean_leftovers(path: Path) -> list[Path]:
    """Remove what interrupted writes of the frame at ``path`` left beside it: temporary
    files and folders (``.<name>.parquet.*.part``, and those of its metadata and index) and
    folders moved aside (``.<name>.parquet.old-*``). Only names marketdata writes, and in a
    folder only Parquet files. Call with the frame's lock held. Returns what was removed."""
    ours = {path.name, meta_path(path).name, index_path(path).name}
    removed = []
    for p in sorted(path.parent.glob(".*")) if path.parent.is_dir() else []:
        m = _TEMPORARY.match(p.name) or _OLD.match(p.name)
        if m is None or m["name"] not in ours:
            continue
        if p.is_dir() and not p.is_symlink():
            for inner in p.iterdir():
                if inner.name == "frame.parquet" or _PART.match(inner.name):
                    inner.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                p.rmdir()
                removed.append(p)
        elif p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


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
    ``df``'s rows) is stored beside it as tab-separated text, for :func:`read_index`. The size
    and SHA-256 of every file are recorded for the readers' check.

    Raises
    ------
    DiskFullError
        No room on the cache's disk (nothing is left half-written).
    """
    import pyarrow as pa

    settings = get_settings(settings)
    path = frame_path(name, settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    parts = max(1, min(parts, -(-table.num_rows // row_group_size)))
    written = [0]
    with (
        lock(f"parquet:{name}", settings=settings),
        room_for(path.parent, f"the parsed frame {name}", lambda: written[0], at_least=True),
    ):
        clean_leftovers(path)
        tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part"))
        try:
            if parts == 1:
                _write_table(table, tmp / "frame.parquet", row_group_size)
            else:
                _write_parts(table, tmp, parts, row_group_size)
            files = {
                (_SINGLE if parts == 1 else p.name): _record(
                    p.stat().st_size, entry_files.sha256_of(p)
                )
                for p in sorted(tmp.iterdir())
            }
            meta: dict[str, Any] = {
                "inputs": _inputs_of(inputs),
                "attrs": dict(df.attrs),
                "files": files,
            }
            if index is not None:
                meta["index"] = list(index.columns)
                meta["index_file"] = _write_index(index_path(path), index)
            atomic.place(tmp / "frame.parquet" if parts == 1 else tmp, path)
            entry_files.write_meta(path, meta)
        finally:
            written[0] = sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file())
            atomic.remove(tmp)
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


def _write_index(path: Path, index: pd.DataFrame) -> dict[str, Any]:
    """The index as tab-separated text: a header line, then one line per row. Returns the
    record of its size and SHA-256."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter="\t", lineterminator="\n")
    writer.writerow(index.columns)
    writer.writerows(index.itertuples(index=False))
    data = text.getvalue().encode("utf-8")
    entry_files.atomic_write_bytes(path, data)
    return _record(len(data), _sha(data))


def _load_index(
    path: Path, inputs: list[CachedFile]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
    meta = _current(path, inputs)
    if meta is None or "index" not in meta:
        return None
    data = _checked(index_path(path), meta.get("index_file"), "its index")
    try:
        header, *rows = csv.reader(io.StringIO(data.decode("utf-8")), delimiter="\t")
    except (ValueError, UnicodeDecodeError):
        raise Damaged("its index cannot be read") from None
    if header != meta["index"]:
        raise Damaged("its index has other columns than recorded")
    return tuple(header), [tuple(row) for row in rows]


def read_index(
    name: str, *, inputs: list[CachedFile], settings: Settings | None = None
) -> tuple[tuple[str, ...], list[tuple[str, ...]]] | None:
    """The header and rows of the index stored with the Parquet ``name`` (see
    :func:`write_parquet`), read without pandas; None if the Parquet is absent or stale, or
    was stored without an index. A damaged index drops the frame, with one warning."""
    settings = get_settings(settings)
    path = frame_path(name, settings)
    return _read_or_drop(name, path, settings, lambda: _load_index(path, inputs))


def _verify_one(path: Path) -> None:
    """Raise Damaged unless every file of the frame at ``path`` matches its record."""
    meta = entry_files.read_meta(path, entry_files.FRAME_FIELDS)
    if meta is None:
        return
    for what, file in _files_of(path, meta).items():
        _checked(file, meta["files"][what], "its file" if what == _SINGLE else what)
    if "index" in meta:
        _checked(index_path(path), meta.get("index_file"), "its index")


def verify_frames(*, settings: Settings | None = None) -> dict[str, bool]:
    """Hash every file of every cached frame; drop the damaged ones (each is parsed again
    when next needed). Returns ``parquet/<name>`` -> intact."""
    settings = get_settings(settings)
    root = settings.cache_dir / "parquet"
    result = {}
    for meta_file in entry_files.metadata_files(root):
        path = meta_file.with_name(meta_file.name.removesuffix(entry_files.META))
        name = path.relative_to(root).as_posix().removesuffix(".parquet")
        if (
            path.suffix != ".parquet"
            or path.name.startswith(".")
            or not entry_files.KEY.match(name)
        ):
            continue

        def check(path: Path = path) -> bool:
            _verify_one(path)
            return True

        result[f"parquet/{name}"] = bool(_read_or_drop(name, path, settings, check))
    return result

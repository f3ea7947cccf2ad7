"""Where a report's folder goes: its slug, a path kept inside the output root and the scratch
folder it is written in (:func:`marketdata.io.atomic.place` puts the finished folder in place).

A scratch folder is locked while its run lives; one left by a run that was killed is removed
by the next run into the same report's folder (:func:`sweep`)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from marketdata.core.errors import ReportError

try:
    import fcntl
except ImportError:  # Windows: scratch folders are neither locked nor swept
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

DEFAULT_OUTPUT_DIR = Path("outputs")
_SLUG_MAX = 80
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def slugify(text: str, *, max_length: int = _SLUG_MAX) -> str:
    """A folder name made of ``[a-z0-9-]`` from any text (accents folded, punctuation to ``-``).

    Texts longer than ``max_length`` are cut and end with a short hash of the full text, as do
    texts with nothing left after folding and names reserved by Windows.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if not slug or slug in _RESERVED:
        return f"{slug or 'x'}-{digest}"
    if len(slug) > max_length:
        return slug[: max_length - len(digest) - 1].rstrip("-") + "-" + digest
    return slug


def output_root(output_dir: str | os.PathLike[str] | None) -> Path:
    """The folder reports go in (``output_dir``, else ``./outputs``) as an absolute path.

    Raises :class:`ReportError` if it is relative and the working folder no longer exists.
    """
    root = Path(output_dir) if output_dir is not None else DEFAULT_OUTPUT_DIR
    try:
        return root.resolve()
    except FileNotFoundError:  # os.getcwd() of a folder deleted or moved away
        raise ReportError(
            f"the working folder no longer exists (deleted or moved), so there is no "
            f"{root}/ to write to: cd to a folder that exists, or give --output-dir a full path"
        ) from None


def inside(root: Path, *parts: str) -> Path:
    """``root / parts`` resolved; :class:`ReportError` if it is not inside ``root``."""
    base = root.resolve()
    path = base.joinpath(*parts).resolve()
    if path == base or not path.is_relative_to(base):
        raise ReportError(f"output path {path} would leave the output folder {base}")
    return path


#: A scratch folder's name: ``.<slug>.<8 characters of mkdtemp>.<kind>``.
_SCRATCH = re.compile(r"^\.[a-z0-9-]+\.[a-z0-9_]{8}\.(partial|rerun)$")


def _lock(folder: Path) -> int | None:
    """An open descriptor of ``folder`` holding its lock, or None if another process holds it,
    the folder is gone or was replaced, or the system has no such locks."""
    if fcntl is None:
        return None
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        if folder.stat().st_ino == os.fstat(fd).st_ino:  # still the folder at that name
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def sweep(parent: Path) -> list[Path]:
    """Remove the scratch folders in ``parent`` that no running report holds: those of runs
    that were killed. Returns what was removed."""
    removed = []
    for folder in parent.iterdir() if parent.is_dir() else ():
        if not _SCRATCH.match(folder.name) or folder.is_symlink() or not folder.is_dir():
            continue
        fd = _lock(folder)
        if fd is None:
            continue
        try:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)
        logger.info("removed %s, left by a report run that was interrupted", folder)
        removed.append(folder)
    return removed


#: The lock of each scratch folder this process writes in, by folder.
_HELD: dict[Path, int] = {}


def scratch(target: Path, slug: str, kind: str) -> Path:
    """A new hidden folder beside ``target`` to write a report in (``kind``: partial, rerun),
    locked until :func:`release`; scratch folders of interrupted runs into the same report
    folder are removed first (:func:`sweep`)."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    sweep(parent)
    while True:
        folder = Path(tempfile.mkdtemp(prefix=f".{slug}.", suffix=f".{kind}", dir=parent))
        fd = _lock(folder)
        if fd is not None or fcntl is None:
            break
        # another run's sweep took it between its creation and the lock: take another
    if fd is not None:
        _HELD[folder] = fd
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)  # mkdtemp makes it private; a report folder is not
    return folder


def release(folder: Path) -> None:
    """Remove the scratch ``folder`` if it is still there, then let go of its lock."""
    shutil.rmtree(folder, ignore_errors=True)
    fd = _HELD.pop(folder, None)
    if fd is not None:
        os.close(fd)

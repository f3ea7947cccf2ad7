"""Where a report's folder goes: its slug, a path kept inside the output root and the scratch
folder it is written in (:func:`marketdata.atomic.place` puts the finished folder in place)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path

from marketdata.errors import ReportError

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


def scratch(target: Path, slug: str, kind: str) -> Path:
    """A new hidden folder beside ``target`` to write a report in (``kind``: partial, rerun)."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{slug}.", suffix=f".{kind}", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)  # mkdtemp makes it private; a report folder is not
    return folder

"""Making a report again into its folder: the files the package wrote are replaced, the
user's own files in that folder are kept.

The previous report's ``manifest.json`` lists the files the package wrote there; every other
file (a ``notes.md``, a chart the user saved beside the report) is carried into the new
report folder before it takes the old one's place. A file of the user's that has the name
of a file the new report writes stops the run, with a message saying which, and nothing is
changed. A folder without a manifest holds no file the package knows it wrote.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from marketdata.core.errors import ReportError

MANIFEST = "manifest.json"


def package_files(folder: Path) -> set[str]:
    """The files (paths relative to ``folder``, with ``/``) the report in ``folder`` wrote, as
    its manifest lists them, the manifest included; empty without a readable manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
    except (OSError, ValueError, TypeError, KeyError):
        return set()
    if not isinstance(files, dict):
        return set()
    return {str(name) for name in files} | {MANIFEST}


def own_files(folder: Path) -> tuple[list[str], list[str]]:
    """The user's files in a report ``folder`` (not listed by its manifest; symbolic links
    included, never followed) and the user's empty folders, as relative paths."""
    ours = package_files(folder)
    files, empty = [], []
    for top, dirs, names in os.walk(folder):
        here = Path(top)
        links = [d for d in dirs if (here / d).is_symlink()]
        for name in sorted([*names, *links]):
            relative = (here / name).relative_to(folder).as_posix()
            if relative not in ours:
                files.append(relative)
        if here != folder and not dirs and not names:
            empty.append(here.relative_to(folder).as_posix())
    return files, empty


def carry_own_files(target: Path, new: Path) -> list[str]:
    """Link (or copy, where links cannot be made) the user's files of the report folder
    ``target`` into the finished folder ``new`` that will replace it; returns them.

    The originals stay where they are until ``new`` is in place, so an interruption at any
    point loses nothing.

    Raises
    ------
    ReportError
        A file of the user's has the name of a file of the new report, or ``target`` is not
        a folder.
    """
    if not (target.exists() or target.is_symlink()):
        return []
    if target.is_symlink() or not target.is_dir():
        raise ReportError(
            f"{target} is in the way of the report folder and is not one: move it, "
            "then run the report again"
        )
    files, empty = own_files(target)
    for relative in files:
        source, dest = target / relative, new / relative
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists() or dest.is_symlink():
                raise FileExistsError(dest)
        except (FileExistsError, NotADirectoryError):
            why = (
                "the folder has no manifest.json listing the files marketdata wrote"
                if not package_files(target)
                else "marketdata did not write it (the report's manifest.json does not list it)"
            )
            raise ReportError(
                f"not replacing {source}: {why}, and the new report writes a file of that "
                "name. Move or rename it, then run the report again"
            ) from None
        try:
            os.link(source, dest, follow_symlinks=False)
        except OSError:  # a file system without hard links
            shutil.copy2(source, dest, follow_symlinks=False)
    for relative in empty:
        (new / relative).mkdir(parents=True, exist_ok=True)
    return files

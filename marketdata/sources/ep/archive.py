"""The zips of BLS's projections archive: past rounds' ``occupation.xlsx``.

BLS moves past rounds into zips of its projections archive
(www.bls.gov/emp/data/projections-archive.htm), each holding that round's occupation workbook
(read by :mod:`marketdata.sources.ep.workbook`).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

from marketdata.core.errors import SourceFormatError
from marketdata.sources.ep.ep_tables import sniff
from marketdata.sources.ep.workbook import find_tables, parse_workbook


def archive_member(names: Iterable[str]) -> str | None:
    """The occupation workbook among the members of an archive zip (``occupation.xlsx``
    preferred, else the shortest ``occupation*.xlsx``)."""
    found = [n for n in names if re.search(r"(?:^|/)occupation[^/]*\.xlsx$", n, re.I)]
    if not found:
        return None
    exact = [n for n in found if n.lower().rsplit("/", 1)[-1] == "occupation.xlsx"]
    return min(exact or found, key=len)


def read_archive(path: Path) -> bytes:
    """The bytes of the occupation workbook inside a projections-archive zip."""
    try:
        with zipfile.ZipFile(path) as zf:
            member = archive_member(zf.namelist())
            if member is None:
                raise SourceFormatError("no occupation*.xlsx inside the archive", source=str(path))
            return zf.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as err:
        raise SourceFormatError(f"not a readable zip archive ({err})", source=str(path)) from None


def check_archive(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is a zip holding an ``occupation*.xlsx`` whose
    tables parse (the projections table, else the first table found by title)."""
    start = sniff(path)
    if not start.startswith(b"PK\x03\x04"):
        what = "an HTML page" if b"<" in start[:100] else "not a zip"
        raise SourceFormatError(f"expected a zip archive, got {what}", source=str(path))
    workbook = read_archive(path)
    tables = find_tables(workbook, name=str(path))
    if not tables:
        raise SourceFormatError("no EP table found by its title in the workbook", source=str(path))
    kind = "projections" if "projections" in tables else next(iter(tables))
    parse_workbook(workbook, kind=kind, name=str(path))

"""Workbooks refused before any reader opens them when they are far larger than any BLS
publishes: a zip bomb never reaches the spreadsheet reader.

An ``.xlsx`` is a zip of XML files. The largest real workbook the package reads, BLS's ORS
complete dataset (2020), holds 29.2 MB of XML once decompressed and 642,564 cells (35,694 rows
by 18 columns). A workbook is refused when, at 50 times that, its members decompress to more
than :data:`MAX_BYTES` (the sizes the zip declares are checked first, then the bytes as they
are decompressed in 1 MiB blocks, never all at once), or its sheets hold more than
:data:`MAX_CELLS` cells or span a range (last row times last column, which the reader
allocates) of more than that. Files that are not zips (old ``.xls``) are left to the reader.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

from marketdata.core.errors import SourceFormatError

#: The largest real workbook read: decompressed XML bytes and cells (ORS complete dataset).
LARGEST_REAL_BYTES = 29_185_981
LARGEST_REAL_CELLS = 642_564
MAX_BYTES = 50 * LARGEST_REAL_BYTES
MAX_CELLS = 50 * LARGEST_REAL_CELLS
_BLOCK = 1 << 20
_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})')
_ROWS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}[0-9]{1,7}:)?([A-Z]{1,3})([0-9]{1,7})"')


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


class WorkbookTooLarge(SourceFormatError):
    """A workbook far beyond any BLS publishes, refused before any reader opens it."""


def _refuse(source: str, what: str) -> WorkbookTooLarge:
    return WorkbookTooLarge(
        f"refused before reading: {what}, far beyond any workbook BLS publishes "
        f"(at most {MAX_BYTES / 1e9:,.2f} GB of XML and {MAX_CELLS:,} cells are read)",
        source=source,
    )


class _Sheet:
    """What the XML of one worksheet holds, counted block by block."""

    def __init__(self) -> None:
        self.cells = 0
        self.rows = 0
        self.columns = 0
        self.tail = b""

    def feed(self, block: bytes, source: str) -> None:
        text = self.tail + block
        self.cells += block.count(b"<c ") + block.count(b"<c>")
        # distinct values only: a few dozen columns and one row number per row
        columns = set(_COLUMNS.findall(text))
        rows = set(_ROWS.findall(text))
        if columns:
            self.columns = max(self.columns, *map(_column, columns))
        if rows:
            self.rows = max(self.rows, *map(int, rows))
        for letters, row in _DIMENSION.findall(text[:4096]) if not self.rows else []:
            if _column(letters) * int(row) > MAX_CELLS:
                raise _refuse(source, f"a sheet declares {_column(letters) * int(row):,} cells")
        if self.cells > MAX_CELLS:
            raise _refuse(source, f"a sheet holds more than {MAX_CELLS:,} cells")
        if self.rows * self.columns > MAX_CELLS:
            extent = f"{self.rows:,} rows by {self.columns:,} columns"
            raise _refuse(source, f"a sheet spans {extent}")
        self.tail = text[-24:]


def check_workbook(data: bytes | Path, source: str) -> None:
    """Raise :class:`WorkbookTooLarge` naming ``source`` if the workbook
    ``data`` (its bytes or path) is beyond the limits above; do nothing if it is not a zip."""
    handle = io.BytesIO(data) if isinstance(data, bytes) else Path(data)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: an .xls, or bytes the reader will refuse with its own message
    with archive:
        members = archive.infolist()
        declared = sum(m.file_size for m in members)
        if declared > MAX_BYTES:
            raise _refuse(source, f"its parts declare {declared / 1e9:,.2f} GB decompressed")
        total = 0
        for member in members:
            sheet = _Sheet() if member.filename.startswith("xl/worksheets/sheet") else None
            try:
                with archive.open(member) as stream:
                    seen = 0
                    while block := stream.read(_BLOCK):
                        seen += len(block)
                        total += len(block)
                        if seen > member.file_size or total > MAX_BYTES:
                            raise _refuse(source, f"{member.filename} decompresses past its size")
                        if sheet is not None:
                            sheet.feed(block, source)
            except WorkbookTooLarge:
                raise
            except (
                zipfile.BadZipFile,
                zlib.error,
                EOFError,
                NotImplementedError,
                ValueError,
                OSError,
            ) as err:
                raise SourceFormatError(
                    f"not a readable workbook ({member.filename}: {err})", source=source
                ) from None

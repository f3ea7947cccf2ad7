"""The zips of BLS's archived OEWS releases: which members hold the estimates of a scope,
reading them safely, the check before a zip enters the cache, and the whole zip -> frame.

Top-coded wages (``#``) get the bound stated in the release's own notes (preamble, ``Field
Descriptions`` sheet or ``field_descriptions.xls``) and a flag; other markers leave the value
missing with the reason in ``<measure>_note``.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa
from python_calamine import CalamineWorkbook

from marketdata.core.errors import SourceFormatError
from marketdata.sources import is_reader_error, open_workbook, sheet_rows
from marketdata.sources.oews_archive.columns import (
    ARCHIVE_COLUMNS,
    HEADER_COLUMNS,
    HEADER_SEARCH_ROWS,
    Sheet,
    header_index,
    norm,
    tidy_sheet,
)
from marketdata.sources.oews_archive.markers import parse_top_code
from marketdata.sources.oews_archive.releases import ArchiveRelease, check_scope
from marketdata.sources.workbook_limits import check_workbook

logger = logging.getLogger(__name__)

#: Zip members holding estimates, by scope (matched case-insensitively on the member's
#: base name; e.g. national_M2021_dl.xlsx, national_dl.xls, national__M2008_dl.xls,
#: national_May2007_dl.xls, state_M2013_dl.xls, MSA_M2021_dl.xlsx, BOS_M2021_dl.xlsx).
MEMBER_PATTERNS: dict[str, re.Pattern[str]] = {
    "national": re.compile(r"national[^/]*\.xlsx?", re.IGNORECASE),
    "state": re.compile(r"state[^/]*\.xlsx?", re.IGNORECASE),
    "metro": re.compile(r"(?:msa|bos|nonmetro)[^/]*\.xlsx?", re.IGNORECASE),
    "all": re.compile(r"all_data[^/]*\.xlsx?", re.IGNORECASE),
}
#: The release's notes, where the data workbook has none of its own.
FIELD_DESCRIPTIONS = re.compile(r"field_descriptions[^/]*\.xlsx?", re.IGNORECASE)


_MAX_MEMBER_BYTES = 1 << 30  # refuse absurd (zip-bomb) members


def check_zip(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is a zip archive (BLS may answer with HTML)."""
    with path.open("rb") as f:
        start = f.read(512)
    if not start.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(path):
        snippet = start[:60].decode("latin-1", "replace").strip()
        raise SourceFormatError(
            f"not a zip archive (starts with {snippet!r}); BLS may have sent an error page",
            source=str(path.name),
        )


def _text_lines(rows: Iterable[list[object]]) -> list[str]:
    return [" ".join(str(c) for c in row if str(c).strip()) for row in rows]


def _read_workbook(content: bytes, member: str) -> tuple[list[Sheet], list[str]]:
    """Data sheets of one workbook and the text of everything else in it (notes)."""
    workbook = open_workbook(content, member)
    sheets, notes = [], []
    for name in workbook.sheet_names:
        rows = sheet_rows(workbook, name, member)
        hi = header_index(rows)
        if hi is None:
            notes += _text_lines(rows)
            continue
        notes += _text_lines(rows[:hi])
        sheets.append(
            Sheet(member, name, [norm(c) for c in rows[hi]], rows[hi + 1 :], hi, notes=[])
        )
    return sheets, notes


def member_names(zf: zipfile.ZipFile, scope: str) -> list[str]:
    """Names of the members holding ``scope`` estimates, in archive order."""
    pattern = MEMBER_PATTERNS[check_scope(scope)]
    return [
        info.filename
        for info in zf.infolist()
        if not info.is_dir() and pattern.fullmatch(info.filename.rsplit("/", 1)[-1])
    ]


def _read_member(zf: zipfile.ZipFile, name: str, *, label: str | None = None) -> bytes:
    where = f"{label}:{name}" if label else name
    info = zf.getinfo(name)
    if info.file_size > _MAX_MEMBER_BYTES:
        raise SourceFormatError(f"member is {info.file_size:,} bytes; refusing", source=where)
    try:
        with zf.open(info) as f:
            return f.read()
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as err:
        raise SourceFormatError(f"damaged zip member ({err})", source=where) from None


@contextmanager
def _archive(
    source: Path | BinaryIO, scope: str, label: str
) -> Iterator[tuple[zipfile.ZipFile, list[str]]]:
    """The open zip and its ``scope`` members; SourceFormatError if it is no zip or has none."""
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, ValueError, EOFError) as err:
        raise SourceFormatError(f"not a readable zip archive ({err})", source=label) from None
    with zf:
        members = member_names(zf, scope)
        if not members:
            raise SourceFormatError(
                f"no {scope} estimates in the archive (members: {zf.namelist()})", source=label
            )
        yield zf, members


def archive_check(scope: str, *, name: str | None = None) -> Callable[[Path], None]:
    """A check for :func:`marketdata.io.cache.fetch`: raise SourceFormatError unless ``path`` is a
    zip whose ``scope`` members are intact workbooks with the header row :func:`read_archive`
    needs (``OCC_CODE`` and ``TOT_EMP`` in the first rows), so a changed layout never enters
    the cache. Reads the first rows of each sheet only (cell values are checked by the parse).
    ``name``: the zip's name in messages (default: the file's).
    """
    scope = check_scope(scope)

    def check(path: Path) -> None:
        check_zip(path)
        label = name or path.name
        with _archive(path, scope, label) as (zf, members):
            for member in members:
                try:
                    content = _read_member(zf, member, label=label)
                    check_workbook(content, f"{label}: {member}")
                    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
                    heads = [
                        book.get_sheet_by_name(sheet).to_python(
                            skip_empty_area=False, nrows=HEADER_SEARCH_ROWS
                        )
                        for sheet in book.sheet_names
                    ]
                except SourceFormatError:
                    raise
                except BaseException as err:  # calamine's own errors, or a Rust panic
                    if not is_reader_error(err):
                        raise
                    raise SourceFormatError(
                        f"not a readable spreadsheet ({err})", source=f"{label}:{member}"
                    ) from None
                if all(header_index(rows) is None for rows in heads):
                    raise SourceFormatError(
                        f"no header row with {sorted(HEADER_COLUMNS)} in the first "
                        f"{HEADER_SEARCH_ROWS} rows: the layout changed",
                        source=f"{label}:{member}",
                    )

    return check


def read_archive(
    source: bytes | Path | BinaryIO,
    *,
    release: ArchiveRelease,
    scope: str = "national",
    name: str | None = None,
) -> pd.DataFrame:
    """Parse an archived release zip into the tidy OEWS frame (plus ``year``).

    Parameters
    ----------
    source
        The zip (bytes, a path or an open binary file).
    release
        Which release it is (sets ``release`` and ``year``).
    scope
        ``national``, ``state``, ``metro`` or ``all``: which members to read.
    name
        How to call the zip in error messages (default: its path or ``release.zip_name``).

    Raises
    ------
    SourceFormatError
        Not a zip, no member for ``scope``, no header row, or an unexpected cell value.
    """
    label = name or (str(source) if isinstance(source, Path) else release.zip_name(scope))
    data = io.BytesIO(source) if isinstance(source, bytes) else source
    with _archive(data, scope, label) as (zf, members):
        extra_notes: list[str] = []
        for info in zf.infolist():
            if FIELD_DESCRIPTIONS.fullmatch(info.filename.rsplit("/", 1)[-1]):
                content = _read_member(zf, info.filename, label=label)
                _, fd_notes = _read_workbook(content, f"{label}:{info.filename}")
                extra_notes += fd_notes
        frames = []
        for member in members:
            content = _read_member(zf, member, label=label)
            sheets, notes = _read_workbook(content, f"{label}:{member}")
            if not sheets:
                raise SourceFormatError(
                    f"no header row with {sorted(HEADER_COLUMNS)} in the first "
                    f"{HEADER_SEARCH_ROWS} rows",
                    source=f"{label}:{member}",
                )
            top = parse_top_code(notes) or parse_top_code(extra_notes)
            if top is None:
                logger.info("%s: no top-code bound stated; '#' cells stay missing", member)
            frames += [tidy_sheet(s, scope=scope, top=top) for s in sheets]
    df = pd.concat(frames, ignore_index=True)
    df["release"] = release.label
    df["year"] = release.year
    # through Arrow: the same column types as the current-release frame and the Parquet cache
    return pa.Table.from_pandas(df.loc[:, list(ARCHIVE_COLUMNS)], preserve_index=False).to_pandas()

"""OEWS mapping files: ``oe.area``, ``oe.datatype``, ``oe.footnote``, ``oe.industry``,
``oe.occupation`` and ``oe.release``.

Each is tab-separated with a header line and read by column name, so extra columns are
ignored. Codes and names come back as stripped strings.
"""

from __future__ import annotations

import logging
import mmap
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from marketdata.core.errors import SourceFormatError
from marketdata.core.series_id import DATATYPE_NAMES, DATATYPES

if TYPE_CHECKING:  # the rows are plain Python; pandas loads only for the frames
    import pandas as pd

logger = logging.getLogger(__name__)

#: BLS datatype name (``oe.datatype``, lower case) -> column of the frame.
_COLUMN_OF_NAME = {DATATYPE_NAMES[code].lower(): DATATYPES[code] for code in DATATYPES}
#: Required columns of each mapping file.
_MAPPING_COLUMNS: dict[str, tuple[str, ...]] = {
    "oe.area": ("state_code", "area_code", "areatype_code", "area_name"),
    "oe.datatype": ("datatype_code", "datatype_name"),
    "oe.footnote": ("footnote_code", "footnote_text"),
    "oe.industry": ("industry_code", "industry_name", "display_level"),
    "oe.occupation": ("occupation_code", "occupation_name", "display_level"),
    "oe.release": ("release_date", "description"),
}
#: The fields of :func:`area_rows`, :func:`occupation_rows` and :func:`industry_rows`, in
#: order (the columns of :func:`read_areas` and friends).
AREA_COLUMNS = ("area_code", "area_name", "area_type", "state_code", "areatype_code")
OCCUPATION_COLUMNS = (
    "occupation_code",
    "occupation_title",
    "occupation_level",
    "occupation_digits",
)
INDUSTRY_COLUMNS = ("industry_code", "industry_title", "industry_level")
_AREA_TYPES = {"N": "national", "S": "state", "M": "metro"}
_OCCUPATION_LEVELS = {"0": "major", "1": "minor", "2": "broad", "3": "detailed"}
_TOPCODE_RE = re.compile(
    r"\$(?P<hourly>[\d,]+(?:\.\d+)?) per hour or \$(?P<annual>[\d,]+(?:\.\d+)?) per year"
)


@dataclass(frozen=True)
class TopCode:
    """The top-code footnote: its code and the bounds stated in its text."""

    code: str
    hourly: float
    annual: float


def decode(raw: bytes) -> str:
    """BLS's bytes as text: UTF-8, else Windows-1252 (older files)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def truncated(path: Path, name: str) -> SourceFormatError | None:
    """The error for a file that ends mid-line (a download cut short), else None."""
    with path.open("rb") as f:
        f.seek(0, 2)
        if f.tell() == 0:
            return None
        f.seek(-1, 2)
        if f.read(1) == b"\n":
            return None
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        lines = m[:].count(b"\n") + 1
    return SourceFormatError(
        "the file ends in the middle of a line (truncated download?)", source=name, line=lines
    )


def mapping_rows(path: Path, *, name: str | None = None) -> list[tuple[str, ...]]:
    """Read a mapping file (``oe.area``, ...) as rows of stripped strings, in plain Python.

    Each row holds the columns :func:`marketdata.sources.oe.parse` needs, in the order of
    ``_MAPPING_COLUMNS[name]``; they are found by their header names.

    Raises
    ------
    SourceFormatError
        The header lacks a needed column, a line has too few fields, or the file ends
        mid-line (truncated); the message names the file and line.
    """
    path = Path(path)
    name = name or path.name
    columns = _MAPPING_COLUMNS[name]
    text = decode(path.read_bytes())
    if not text.strip():
        raise SourceFormatError("the file is empty", source=name, line=1)
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    else:
        raise SourceFormatError(
            "the file ends in the middle of a line (truncated download?)",
            source=name,
            line=len(lines),
        )
    header = [h.strip() for h in lines[0].rstrip("\r").split("\t")]
    missing = [c for c in columns if c not in header]
    if missing:
        raise SourceFormatError(
            f"the header has no column {', '.join(missing)} (found: {', '.join(header)[:200]!r}); "
            f"is this BLS's {name}?",
            source=name,
            line=1,
        )
    where = [header.index(c) for c in columns]
    need = max(where) + 1
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.rstrip("\r").split("\t")
        if len(cells) < need:
            if not line.strip():
                continue
            raise SourceFormatError(
                f"expected {len(header)} tab-separated fields, found {len(cells)}",
                source=name,
                line=number,
            )
        rows.append(tuple(cells[i].strip() for i in where))
    return rows


def _frame(rows: list[tuple[str, ...]], columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def read_mapping(path: Path, *, name: str | None = None) -> pd.DataFrame:
    """:func:`mapping_rows` as a frame of strings, one column per needed header name."""
    name = name or Path(path).name
    return _frame(mapping_rows(path, name=name), _MAPPING_COLUMNS[name])


def area_rows(path: Path) -> list[tuple[str, ...]]:
    """``oe.area`` as rows of :data:`AREA_COLUMNS`: ``area_code``, ``area_name``,
    ``area_type``, ``state_code``, ``areatype_code``.

    ``area_type`` is ``national``, ``state``, ``metro`` (code ``00`` + CBSA) or
    ``nonmetro`` (a state's nonmetropolitan area, code state FIPS + ``0000N``).
    """
    rows = []
    for number, (state, code, areatype, name) in enumerate(
        mapping_rows(path, name="oe.area"), start=2
    ):
        kind = _AREA_TYPES.get(areatype)
        if kind is None:
            raise SourceFormatError(
                f"unknown area type {areatype!r} (expected N, S or M)",
                source="oe.area",
                line=number,
            )
        if areatype == "M" and not code.startswith("00"):
            kind = "nonmetro"
        rows.append((code, name, kind, state, areatype))
    return rows


def read_areas(path: Path) -> pd.DataFrame:
    """:func:`area_rows` as a frame with the columns :data:`AREA_COLUMNS`."""
    return _frame(area_rows(path), AREA_COLUMNS)


def occupation_rows(path: Path) -> list[tuple[str, ...]]:
    """``oe.occupation`` as rows of :data:`OCCUPATION_COLUMNS`: ``occupation_code``
    (``29-2072``), ``occupation_title``, ``occupation_level`` (total, major, minor, broad,
    detailed) and ``occupation_digits`` (``292072``)."""
    rows = []
    for digits, title, display in mapping_rows(path, name="oe.occupation"):
        level = _OCCUPATION_LEVELS.get(display, f"level {display}")
        if digits == "000000":
            level = "total"
        rows.append((f"{digits[:2]}-{digits[2:6]}", title, level, digits))
    return rows


def read_occupations(path: Path) -> pd.DataFrame:
    """:func:`occupation_rows` as a frame with the columns :data:`OCCUPATION_COLUMNS`."""
    return _frame(occupation_rows(path), OCCUPATION_COLUMNS)


def industry_rows(path: Path) -> list[tuple[str, ...]]:
    """``oe.industry`` as rows of :data:`INDUSTRY_COLUMNS`: ``industry_code``,
    ``industry_title``, ``industry_level``."""
    return mapping_rows(path, name="oe.industry")


def read_industries(path: Path) -> pd.DataFrame:
    """:func:`industry_rows` as a frame with the columns :data:`INDUSTRY_COLUMNS`."""
    return _frame(industry_rows(path), INDUSTRY_COLUMNS)


def read_datatypes(path: Path) -> dict[str, str]:
    """``oe.datatype`` as datatype code -> column name of the frame.

    Raises SourceFormatError if a datatype the frame needs is absent (names are compared
    case-insensitively); datatypes the frame has no column for are skipped with a warning.
    """
    found: dict[str, str] = {}
    for code, text in mapping_rows(path, name="oe.datatype"):
        column = _COLUMN_OF_NAME.get(text.lower())
        if column is None:
            logger.warning("oe.datatype: skipping datatype %s %r (no column for it)", code, text)
        else:
            found[code] = column
    missing = [DATATYPE_NAMES[c] for c, m in DATATYPES.items() if m not in found.values()]
    if missing:
        raise SourceFormatError(
            f"no datatype named {'; '.join(missing)}: the file does not describe OEWS datatypes",
            source="oe.datatype",
        )
    return found


def read_footnotes(path: Path) -> dict[str, str]:
    """``oe.footnote`` as footnote code -> text."""
    return dict(mapping_rows(path, name="oe.footnote"))


def topcode_of(footnotes: Mapping[str, str]) -> TopCode | None:
    """The footnote that states the top code ("... $115.00 per hour or $239,200 per year")."""
    for code, text in footnotes.items():
        match = _TOPCODE_RE.search(text)
        if match:
            return TopCode(
                code=code,
                hourly=float(match["hourly"].replace(",", "")),
                annual=float(match["annual"].replace(",", "")),
            )
    return None


def read_release(path: Path) -> tuple[str, str]:
    """``oe.release`` as (release date, description) of its latest row.

    e.g. ("2026-05", "May 2025")
    """
    rows = mapping_rows(path, name="oe.release")
    if not rows:
        raise SourceFormatError("no release is listed", source="oe.release", line=2)
    release_date, description = sorted(rows, key=lambda row: row[0])[-1]
    return release_date, description

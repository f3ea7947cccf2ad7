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

import numpy as np
import pandas as pd

from marketdata.errors import SourceFormatError
from marketdata.series_id import DATATYPE_NAMES, DATATYPES

logger = logging.getLogger(__name__)

#: Mapping files read by :func:`marketdata.sources.oe.parse` (``oe.areatype`` and
#: ``oe.series`` are not needed).
MAPPING_FILES: tuple[str, ...] = (
    "oe.area",
    "oe.datatype",
    "oe.footnote",
    "oe.industry",
    "oe.occupation",
    "oe.release",
)

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


def read_mapping(path: Path, *, name: str | None = None) -> pd.DataFrame:
    """Read a mapping file (``oe.area``, ...) into a frame of stripped strings.

    Only the columns :func:`marketdata.sources.oe.parse` needs are returned; they are found
    by their header names.

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
            f"the header has no column {', '.join(missing)} (found: {', '.join(header)[:200]}); "
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
        rows.append([cells[i].strip() for i in where])
    return pd.DataFrame(rows, columns=list(columns), dtype=object)


def read_areas(path: Path) -> pd.DataFrame:
    """``oe.area`` as ``area_code``, ``area_name``, ``area_type``, ``state_code``.

    ``area_type`` is ``national``, ``state``, ``metro`` (code ``00`` + CBSA) or
    ``nonmetro`` (a state's nonmetropolitan area, code state FIPS + ``0000N``).
    """
    raw = read_mapping(path, name="oe.area")
    kind = raw["areatype_code"].map({"N": "national", "S": "state", "M": "metro"})
    unknown = kind.isna()
    if unknown.any():
        row = int(np.argmax(unknown.to_numpy()))
        raise SourceFormatError(
            f"unknown area type {raw['areatype_code'].iloc[row]!r} (expected N, S or M)",
            source="oe.area",
            line=row + 2,
        )
    nonmetro = (raw["areatype_code"] == "M") & ~raw["area_code"].str.startswith("00")
    kind = kind.mask(nonmetro, "nonmetro")
    return pd.DataFrame(
        {
            "area_code": raw["area_code"],
            "area_name": raw["area_name"],
            "area_type": kind,
            "state_code": raw["state_code"],
            "areatype_code": raw["areatype_code"],
        }
    )


def soc_code(digits: pd.Series) -> pd.Series:
    """Six-digit SOC codes (``292072``) written with their dash (``29-2072``)."""
    return digits.str.slice(0, 2) + "-" + digits.str.slice(2, 6)


def read_occupations(path: Path) -> pd.DataFrame:
    """``oe.occupation`` as ``occupation_code`` (``29-2072``), ``occupation_title``,
    ``occupation_level`` (total, major, minor, broad, detailed) and ``occupation_digits``."""
    raw = read_mapping(path, name="oe.occupation")
    level = raw["display_level"].map(_OCCUPATION_LEVELS).fillna("level " + raw["display_level"])
    level = level.mask(raw["occupation_code"] == "000000", "total")
    return pd.DataFrame(
        {
            "occupation_code": soc_code(raw["occupation_code"]),
            "occupation_title": raw["occupation_name"],
            "occupation_level": level,
            "occupation_digits": raw["occupation_code"],
        }
    )


def read_industries(path: Path) -> pd.DataFrame:
    """``oe.industry`` as ``industry_code``, ``industry_title``, ``industry_level``."""
    raw = read_mapping(path, name="oe.industry")
    return pd.DataFrame(
        {
            "industry_code": raw["industry_code"],
            "industry_title": raw["industry_name"],
            "industry_level": raw["display_level"],
        }
    )


def read_datatypes(path: Path) -> dict[str, str]:
    """``oe.datatype`` as datatype code -> column name of the frame.

    Raises SourceFormatError if a datatype the frame needs is absent (names are compared
    case-insensitively); datatypes the frame has no column for are skipped with a warning.
    """
    raw = read_mapping(path, name="oe.datatype")
    found: dict[str, str] = {}
    for code, text in zip(raw["datatype_code"], raw["datatype_name"], strict=True):
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
    raw = read_mapping(path, name="oe.footnote")
    return dict(zip(raw["footnote_code"], raw["footnote_text"], strict=True))


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
    raw = read_mapping(path, name="oe.release")
    if raw.empty:
        raise SourceFormatError("no release is listed", source="oe.release", line=2)
    latest = raw.sort_values("release_date").iloc[-1]
    return str(latest["release_date"]), str(latest["description"])

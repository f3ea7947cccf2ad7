"""Parse BLS's OEWS time-series flat files (``download.bls.gov/pub/time.series/oe/``).

Bytes in, tidy frame out; no network, no cache. The files:

- ``oe.data.0.Current``: one line per published value, tab-separated with a header line and
  CRLF line ends: ``series_id`` (padded with spaces to 30 characters), ``year``, ``period``,
  ``value`` (right-aligned; ``-`` where BLS publishes no number) and ``footnote_codes``.
  A series id is ``OEU`` + area type (N/S/M) + area (7) + industry (6) + occupation (6) +
  datatype (2).
- mapping files ``oe.area``, ``oe.datatype``, ``oe.footnote``, ``oe.industry``,
  ``oe.occupation``, ``oe.release`` (tab-separated, header line; read by column name, so
  extra columns are ignored).

:func:`parse` pivots the values to one row per area x industry x occupation with a float
column per datatype (names of :data:`marketdata.schema.OEWS_COLUMNS`; datatypes are matched
by the names BLS gives them in ``oe.datatype``). BLS's markers keep their meaning:

- every ``-`` is missing (NaN), never 0;
- the footnote of each value is kept as text (from ``oe.footnote``) in ``<measure>_note``,
  e.g. ``Estimate not released.`` (code 8) or the hourly-wage-not-published text (code 4);
- a wage carrying the top-code footnote (code 5, "equal to or greater than $115.00 per hour
  or $239,200 per year") holds the bound read from that footnote's text (hourly or annual
  as the measure) and ``is_topcoded_<measure>`` is True.
"""

from __future__ import annotations

import itertools
import logging
import mmap
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from marketdata.config import Settings, get_settings
from marketdata.errors import SourceFormatError
from marketdata.schema import (
    OEWS_COLUMNS,
    OEWS_MEASURES,
    OEWS_NOTE_COLUMNS,
    OEWS_TOPCODE_COLUMNS,
)
from marketdata.series_id import DATATYPE_NAMES, DATATYPES
from marketdata.sources import KnownFile

logger = logging.getLogger(__name__)

DATA_FILE = "oe.data.0.Current"
#: Where BLS publishes the files, under the download host.
OE_PATH = "/pub/time.series/oe/"
#: Mapping files read by :func:`parse` (``oe.areatype`` and ``oe.series`` are not needed).
MAPPING_FILES: tuple[str, ...] = (
    "oe.area",
    "oe.datatype",
    "oe.footnote",
    "oe.industry",
    "oe.occupation",
    "oe.release",
)
FILES: tuple[str, ...] = (DATA_FILE, *MAPPING_FILES)

#: Measures in the order of the frame's columns.
MEASURES: tuple[str, ...] = tuple(c for c in OEWS_COLUMNS if c in OEWS_MEASURES)
#: Wage measure -> its top-code flag column.
TOPCODE_COLUMNS: dict[str, str] = OEWS_TOPCODE_COLUMNS
#: Measure -> the column holding the text of BLS's footnote on that value.
NOTE_COLUMNS: dict[str, str] = OEWS_NOTE_COLUMNS
#: Every column of the parsed frame, in order.
COLUMNS: tuple[str, ...] = (*OEWS_COLUMNS, *TOPCODE_COLUMNS.values(), *NOTE_COLUMNS.values())

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
_DATA_COLUMNS = ("series_id", "year", "period", "value", "footnote_codes")
_ID_WIDTH = 30  # series ids are padded with spaces to 30 characters
_PART_BYTES = 32 << 20  # the data file is parsed in parts of about this size, in parallel
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


@dataclass(frozen=True)
class Release:
    """The release a set of files belongs to."""

    name: str  # "May 2025" (oe.release description)
    year: str  # "2025"
    period: str  # "A01"
    release_date: str  # as in oe.release, e.g. "2026-05"

    @property
    def code(self) -> str:
        """Year and period, e.g. ``2025A01`` (used as the cache key)."""
        return f"{self.year}{self.period}"


# Mapping files ---------------------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _ends_mid_line(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(0, 2)
        if f.tell() == 0:
            return False
        f.seek(-1, 2)
        return f.read(1) != b"\n"


def _count_lines(path: Path) -> int:
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m[:].count(b"\n") + 1


def read_mapping(path: Path, *, name: str | None = None) -> pd.DataFrame:
    """Read a mapping file (``oe.area``, ...) into a frame of stripped strings.

    Only the columns :func:`parse` needs are returned; they are found by their header names.

    Raises
    ------
    SourceFormatError
        The header lacks a needed column, a line has too few fields, or the file ends
        mid-line (truncated); the message names the file and line.
    """
    path = Path(path)
    name = name or path.name
    columns = _MAPPING_COLUMNS[name]
    text = _decode(path.read_bytes())
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


# The data file ---------------------------------------------------------------------------


def _data_header(path: Path, name: str) -> list[str]:
    with path.open("rb") as f:
        first = f.readline(4096)
    header = [h.strip() for h in _decode(first).rstrip("\r\n").split("\t")]
    if header[: len(_DATA_COLUMNS)] != list(_DATA_COLUMNS):
        shown = first[:80].decode("ascii", errors="replace")
        raise SourceFormatError(
            f"expected the header {' '.join(_DATA_COLUMNS)}, found {shown!r}; "
            f"is this BLS's {DATA_FILE}?",
            source=name,
            line=1,
        )
    return header


def check_file(name: str) -> Callable[[Path], None]:
    """A cheap check for :func:`marketdata.cache.fetch`: raise if ``path`` is not BLS's ``name``.

    Looks at the header (an HTML error page or another file fails) and at the last byte
    (a file cut short fails); the full parse checks every line.
    """

    def check(path: Path) -> None:
        path = Path(path)
        if name == DATA_FILE:
            _data_header(path, name)
            if _ends_mid_line(path):
                raise SourceFormatError(
                    "the file ends in the middle of a line (truncated download?)",
                    source=name,
                    line=_count_lines(path),
                )
        else:
            read_mapping(path, name=name)

    return check


def _first_bad_line(path: Path, name: str) -> SourceFormatError:
    """Scan the data file line by line for the first malformed line (slow; errors only)."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            if number == 1:
                continue
            line = _decode(raw).rstrip("\r\n")
            cells = line.split("\t")
            if len(cells) != len(_DATA_COLUMNS):
                problem = f"expected {len(_DATA_COLUMNS)} tab-separated fields, found {len(cells)}"
            else:
                value = cells[3].strip()
                try:
                    float(value)
                    continue
                except ValueError:
                    if value == "-":
                        continue
                problem = f"value {value!r} is neither a number nor '-'"
            return SourceFormatError(f"{problem}: {line[:80]!r}", source=name, line=number)
    return SourceFormatError("the file could not be read as CSV", source=name)


@dataclass
class _Values:
    """The data file's columns; the padded series ids as a byte matrix (no copy)."""

    raw: np.ndarray  # the ids' bytes, 30 per row
    value: np.ndarray  # float64, NaN where BLS wrote '-'
    footnote: np.ndarray  # per row, index into footnote_codes (-1: none)
    footnote_codes: list[str]  # distinct footnote_codes strings

    def __len__(self) -> int:
        return len(self.value)

    @property
    def ids(self) -> np.ndarray:
        """The series ids as an (n, 30) uint8 matrix."""
        return self.raw.reshape(len(self), _ID_WIDTH)

    def word(self, at: int) -> np.ndarray:
        """Bytes ``at`` to ``at + 8`` of every id as a little-endian uint64 (a strided view)."""
        return np.ndarray(
            (len(self),), dtype="<u8", buffer=self.raw, offset=at, strides=(_ID_WIDTH,)
        )

    def id_text(self, row: int) -> str:
        return self.ids[row].tobytes().decode("ascii", errors="replace").strip()


def _fixed_width(array: pa.Array, name: str, *, first_row: int = 0) -> np.ndarray:
    """The bytes of the series ids, each padded to 30 characters (no copy if already padded).

    ``first_row`` is the row number of the first id in the file (for error messages).
    """
    lengths = pc.binary_length(array)
    if pc.max(lengths).as_py() > _ID_WIDTH:
        row = int(np.argmax(lengths.to_numpy() > _ID_WIDTH))
        raise SourceFormatError(
            f"series id {_decode(array[row].as_py())!r} is longer than {_ID_WIDTH} characters",
            source=name,
            line=first_row + row + 2,
        )
    if pc.min(lengths).as_py() < _ID_WIDTH:
        array = pc.utf8_rpad(array.cast(pa.string()), width=_ID_WIDTH, padding=" ")
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], np.int32, count=n + 1, offset=array.offset * 4)
    return np.frombuffer(array.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]


def _numbers(column: pa.ChunkedArray) -> np.ndarray:
    """Right-aligned numbers as float64; '-' (no number published) as NaN.

    Raises ``pa.ArrowInvalid`` on anything else.
    """
    text = pc.ascii_trim_whitespace(column.combine_chunks().view(pa.string()))
    text = pc.if_else(pc.equal(text, "-"), pa.scalar(None, pa.string()), text)
    return pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)


def _footnotes(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """Per row, the index of its footnote_codes among the distinct ones (-1: none)."""
    array = column.combine_chunks()
    noted = np.flatnonzero(pc.binary_length(array).to_numpy(zero_copy_only=False))
    found = pc.ascii_trim_whitespace(array.take(pa.array(noted)).view(pa.string()))
    encoded = found.dictionary_encode()
    index = np.full(len(array), -1, np.int16)
    index[noted] = encoded.indices.to_numpy(zero_copy_only=False)
    index[noted[pc.equal(found, "").to_numpy(zero_copy_only=False)]] = -1
    return index, encoded.dictionary.to_pylist()


@dataclass
class _Part:
    """The columns of one part of the data file."""

    ids: pa.Array
    value: np.ndarray
    footnote: np.ndarray
    footnote_codes: list[str]


def _read_part(data: pa.Buffer, header: list[str]) -> _Part:
    """Parse one part (whole lines, no header); fields read as bytes, then converted."""
    needed = ["series_id", "value", "footnote_codes"]
    table = pacsv.read_csv(
        pa.BufferReader(data),
        read_options=pacsv.ReadOptions(column_names=header, block_size=1 << 24, use_threads=False),
        parse_options=pacsv.ParseOptions(
            delimiter="\t", quote_char=False, ignore_empty_lines=False
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=needed,
            column_types=dict.fromkeys(needed, pa.binary()),
            strings_can_be_null=False,
            check_utf8=False,
        ),
    )
    footnote, codes = _footnotes(table.column("footnote_codes"))
    return _Part(
        ids=table.column("series_id").combine_chunks(),
        value=_numbers(table.column("value")),
        footnote=footnote,
        footnote_codes=codes,
    )


def _line_ranges(data: pa.Buffer, start: int) -> list[tuple[int, int]]:
    """Byte ranges of about :data:`_PART_BYTES` from ``start``, cut after a line end."""
    view = memoryview(data)
    cuts = [start]
    while len(data) - cuts[-1] > 2 * _PART_BYTES:
        at = cuts[-1] + _PART_BYTES
        while at < len(data) and (found := bytes(view[at : at + 65536]).find(b"\n")) < 0:
            at += 65536
        if at >= len(data):
            break
        cuts.append(at + found + 1)
    return [(a, b) for a, b in itertools.pairwise([*cuts, len(data)]) if a < b]


def read_values(path: Path, *, name: str = DATA_FILE) -> _Values:
    """Read ``oe.data.0.Current`` (series id, value, footnote).

    The file is memory-mapped and cut at line ends into parts of about 32 MB, parsed in
    parallel threads with pyarrow's CSV reader (fields as bytes, converted with pyarrow's
    compute functions). ``year`` and ``period`` are not read: the file holds one release,
    and a series that appears twice (e.g. for two years) is caught by :func:`parse`.
    """
    path = Path(path)
    header = _data_header(path, name)
    if _ends_mid_line(path):
        raise SourceFormatError(
            "the file ends in the middle of a line (truncated download?)",
            source=name,
            line=_count_lines(path),
        )
    with pa.memory_map(str(path)) as source:
        data = source.read_buffer()
        start = bytes(memoryview(data)[:4096]).index(b"\n") + 1
        ranges = _line_ranges(data, start)
        workers = max(1, min(len(ranges), os.cpu_count() or 1))
        try:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                parts = list(
                    pool.map(lambda r: _read_part(data.slice(r[0], r[1] - r[0]), header), ranges)
                )
        except (pa.ArrowInvalid, UnicodeDecodeError):
            raise _first_bad_line(path, name) from None
    rows = np.cumsum([0] + [len(part.value) for part in parts])
    if rows[-1] == 0:
        raise SourceFormatError("the file holds no values", source=name, line=2)
    codes = sorted({c for part in parts for c in part.footnote_codes})
    footnotes = []
    for part in parts:
        remap = np.array([codes.index(c) for c in part.footnote_codes] + [-1], np.int16)
        footnotes.append(remap[part.footnote])  # -1 (none) stays -1
    raws = [
        _fixed_width(part.ids, name, first_row=int(first))
        for part, first in zip(parts, rows, strict=False)
    ]
    return _Values(
        raw=np.concatenate(raws) if len(raws) > 1 else raws[0],
        value=np.concatenate([part.value for part in parts]),
        footnote=np.concatenate(footnotes),
        footnote_codes=codes,
    )


# The tidy frame --------------------------------------------------------------------------


def release_of(paths: Mapping[str, Path]) -> Release:
    """The release of a set of files, read cheaply from ``oe.release`` and the first data line."""
    release_date, description = read_release(paths["oe.release"])
    data = Path(paths[DATA_FILE])
    _data_header(data, DATA_FILE)
    with data.open("rb") as f:
        f.readline()
        cells = _decode(f.readline()).split("\t")
    if len(cells) != len(_DATA_COLUMNS):
        raise SourceFormatError("the file holds no values", source=DATA_FILE, line=2)
    year, period = cells[1].strip(), cells[2].strip()
    if year not in description:
        raise SourceFormatError(
            f"oe.release describes {description!r} but {DATA_FILE} holds {year}: "
            "the files come from different releases",
            source="oe.release",
        )
    return Release(name=description, year=year, period=period, release_date=release_date)


_LOW6 = np.uint64((1 << 48) - 1)
_OEU = np.uint64(int.from_bytes(b"OEU", "little"))
_PADDING = np.uint64(int.from_bytes(b" " * 5, "little"))


def _bad_id(values: _Values, row: int, name: str) -> SourceFormatError:
    return SourceFormatError(
        f"{values.id_text(row)!r} is not an OEWS series id (OEU + area type + 7-digit "
        "area + 6-character industry + 6-digit occupation + 2-digit datatype)",
        source=name,
        line=row + 2,
    )


def _datatypes(values: _Values, columns: Mapping[str, str], name: str) -> np.ndarray:
    """Column index (in MEASURES) of each row; checks the id's prefix, datatype and padding."""
    bad = (values.word(0) & np.uint64(0xFFFFFF)) != _OEU  # 'OEU' + area type + ...
    if bad.any():
        raise _bad_id(values, int(np.argmax(bad)), name)
    lut = {code: MEASURES.index(column) for code, column in columns.items()}
    codes, tails = pd.factorize(values.word(22))  # occupation digit, datatype, padding
    column_of = np.empty(len(tails), np.int64)
    for k, tail in enumerate(_unpack(tails)):
        datatype, padding = tail[1:3], tail[3:]
        column_of[k] = lut.get(datatype, -1) if padding == " " * 5 else -2
    col = column_of[codes]
    if (col < 0).any():
        row = int(np.argmax(col < 0))
        if col[row] == -2:
            raise _bad_id(values, row, name)
        raise SourceFormatError(
            f"datatype {values.id_text(row)[23:25]} of {values.id_text(row)!r} is not listed "
            "in oe.datatype",
            source=name,
            line=row + 2,
        )
    return col


def _increasing(words: Sequence[np.ndarray]) -> bool:
    """True if the rows of these byte words are in strictly increasing byte order."""
    later = np.zeros(len(words[0]) - 1, bool)
    tied = np.ones(len(words[0]) - 1, bool)
    for word in words:
        big = word.byteswap()  # compare bytes in order
        later |= tied & (big[1:] > big[:-1])
        tied &= big[1:] == big[:-1]
    return bool(later.all())


def _cells(values: _Values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group rows by area x industry x occupation.

    Returns the cell of each row, the first row of each cell, and the cell keys as packed
    words (area with its type, industry, occupation) per cell. BLS's file lists a series'
    values together and in order, so rows are grouped by runs; in any other order, runs of
    the same cell are merged.
    """
    words = (values.word(3), values.word(11), values.word(15))  # key bytes 3-23
    change = np.empty(len(values), bool)
    change[0] = True
    np.not_equal(words[0][1:], words[0][:-1], out=change[1:])
    for word in words[1:]:
        change[1:] |= word[1:] != word[:-1]
    first = np.flatnonzero(change)
    keys = [word[first] for word in words]
    cell = np.cumsum(change, dtype=np.int64) - 1
    if not _increasing(keys):
        frame = pd.DataFrame({str(i): key for i, key in enumerate(keys)})
        cell_of_run = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
        first = first[np.unique(cell_of_run, return_index=True)[1]]
        cell = cell_of_run[cell]
        keys = [word[first] for word in words]
    return cell, first, np.stack([keys[0], keys[1] & _LOW6, keys[2] >> np.uint64(16)])


def _unpack(values: np.ndarray) -> list[str]:
    """Packed ASCII words back to text."""
    return [b.decode("ascii", errors="replace") for b in np.asarray(values, "<u8").view("S8")]


def _lookup(
    packed: np.ndarray, known: pd.Index, first: np.ndarray, *, what: str, mapping: str
) -> np.ndarray:
    """Position in ``known`` of each cell's code; raise naming the first unknown one."""
    repeated = known.duplicated()
    if repeated.any():
        at = int(np.argmax(repeated))
        raise SourceFormatError(
            f"{what} {known[at]!r} is listed twice", source=mapping, line=at + 2
        )
    codes, uniques = pd.factorize(packed)
    texts = _unpack(uniques)
    where = known.get_indexer(texts)
    if (where < 0).any():
        k = int(np.argmax(where < 0))
        raise SourceFormatError(
            f"{what} {texts[k]!r} is not listed in {mapping} (files from different releases?)",
            source=DATA_FILE,
            line=int(first[codes == k].min()) + 2,
        )
    return where[codes]


def _notes(codes: list[str], footnotes: Mapping[str, str]) -> list[str | None]:
    """Footnote text for each distinct ``footnote_codes`` string."""
    texts: list[str | None] = []
    for entry in codes:
        parts = [c for c in re.split(r"[,\s]+", entry) if c]
        for c in parts:
            if c not in footnotes:
                logger.warning("footnote code %r is not in oe.footnote", c)
        texts.append("; ".join(footnotes.get(c, f"footnote {c}") for c in parts) or None)
    return texts


def _rank(keys: pd.Series | pd.Index) -> np.ndarray:
    """Sort rank of each key."""
    return np.argsort(np.argsort(np.asarray(keys, dtype=str), kind="stable"), kind="stable")


def _raise_duplicate(values: _Values, flat: np.ndarray) -> None:
    order = np.argsort(flat, kind="stable")
    repeated = np.flatnonzero(flat[order][1:] == flat[order][:-1])[0]
    earlier, row = sorted(order[repeated : repeated + 2])
    raise SourceFormatError(
        f"series {values.id_text(row)} appears twice (first on line {earlier + 2}); "
        "the file should hold one value per series",
        source=DATA_FILE,
        line=int(row) + 2,
    )


def parse(paths: Mapping[str, Path]) -> pd.DataFrame:
    """Parse the OEWS flat files into the tidy frame (every area, industry and occupation).

    Parameters
    ----------
    paths
        File name (:data:`FILES`, e.g. ``"oe.data.0.Current"``) -> local path.

    Returns
    -------
    DataFrame
        One row per area x industry x occupation with the columns :data:`COLUMNS`, sorted by
        industry, occupation, area type (national, state, metro/nonmetro) and area code.

    Raises
    ------
    SourceFormatError
        A file is truncated or malformed, or the files do not belong together; the message
        names the file and line.
    """
    release = release_of(paths)
    areas = read_areas(paths["oe.area"])
    industries = read_industries(paths["oe.industry"])
    occupations = read_occupations(paths["oe.occupation"])
    datatypes = read_datatypes(paths["oe.datatype"])
    footnotes = read_footnotes(paths["oe.footnote"])
    values = read_values(paths[DATA_FILE])

    col = _datatypes(values, datatypes, DATA_FILE)
    cell, first, keys = _cells(values)
    area = _lookup(
        keys[0],
        pd.Index(areas["areatype_code"] + areas["area_code"]),
        first,
        what="area",
        mapping="oe.area",
    )
    industry = _lookup(
        keys[1],
        pd.Index(industries["industry_code"]),
        first,
        what="industry",
        mapping="oe.industry",
    )
    occupation = _lookup(
        keys[2],
        pd.Index(occupations["occupation_digits"]),
        first,
        what="occupation",
        mapping="oe.occupation",
    )

    # order: industry, occupation, area type (national, state, metro/nonmetro), area code
    area_key = areas["areatype_code"].map({"N": "0", "S": "1", "M": "2"}) + areas["area_code"]
    order = np.lexsort(
        (
            _rank(area_key)[area],
            _rank(occupations["occupation_digits"])[occupation],
            _rank(industries["industry_code"])[industry],
        )
    )
    area, industry, occupation = area[order], industry[order], occupation[order]
    position = np.empty(len(order), np.int64)
    position[order] = np.arange(len(order))

    # one row per measure, one column per cell (in output order)
    n_cells, n_measures = len(first), len(MEASURES)
    flat = col * n_cells + position[cell]
    seen = np.zeros(n_measures * n_cells, bool)
    seen[flat] = True
    if np.count_nonzero(seen) != len(flat):
        _raise_duplicate(values, flat)
    grid = np.full((n_measures, n_cells), np.nan)
    grid.ravel()[flat] = values.value
    note_grid = np.full((n_measures, n_cells), -1, np.int16)
    note_grid.ravel()[flat] = values.footnote

    def take(table: pd.DataFrame, column: str, at: np.ndarray) -> pa.Array:
        return pa.array(table[column].to_numpy(dtype=object), pa.string()).take(pa.array(at))

    columns: dict[str, pa.Array] = {
        "area_code": take(areas, "area_code", area),
        "area_name": take(areas, "area_name", area),
        "area_type": take(areas, "area_type", area),
        "state_code": take(areas, "state_code", area),
        "industry_code": take(industries, "industry_code", industry),
        "industry_title": take(industries, "industry_title", industry),
        "occupation_code": take(occupations, "occupation_code", occupation),
        "occupation_title": take(occupations, "occupation_title", occupation),
        "occupation_level": take(occupations, "occupation_level", occupation),
    }
    note_texts = pa.array(_notes(values.footnote_codes, footnotes), pa.string())
    topcode = topcode_of(footnotes)
    topcoded = [
        i
        for i, c in enumerate(values.footnote_codes)
        if topcode is not None and topcode.code in re.split(r"[,\s]+", c)
    ]
    flags: dict[str, pa.Array] = {}
    notes: dict[str, pa.Array] = {}
    for k, measure in enumerate(MEASURES):
        column, note = grid[k], note_grid[k]
        if measure in TOPCODE_COLUMNS:
            flag = np.isin(note, topcoded)
            if topcode is not None and flag.any():
                bound = topcode.hourly if measure.startswith("hourly") else topcode.annual
                column = np.where(flag & np.isnan(column), bound, column)
            flags[TOPCODE_COLUMNS[measure]] = pa.array(flag)
        columns[measure] = pa.array(column)
        notes[NOTE_COLUMNS[measure]] = note_texts.take(pa.array(note, mask=note < 0))
    columns["release"] = pa.array([release.name]).take(pa.array(np.zeros(n_cells, np.int64)))
    return pa.table({**columns, **flags, **notes}).to_pandas()


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """OEWS flat files (``oe.data.0.Current``, ``oe.area`` ...) saved by hand, by name."""
    name = Path(path).name
    if name not in FILES:
        return None
    return KnownFile(
        key=f"oe/{name}",
        url=get_settings(settings).bls_download_url + OE_PATH + name,
        description=f"BLS OEWS flat file {name}",
        check=check_file(name),
    )

"""The OEWS data file ``oe.data.0.Current``: its header, its values and their check.

One line per published value, tab-separated with a header line and CRLF line ends:
``series_id`` (padded with spaces to 30 characters), ``year``, ``period``, ``value``
(right-aligned; ``-`` where BLS publishes no number) and ``footnote_codes``. The file is read
by pyarrow's multithreaded CSV reader with a type per column (ids and footnotes as bytes,
values as float64 with BLS's markers as missing), so every value is checked as it is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from marketdata.core.errors import SourceFormatError
from marketdata.sources.oe.mapping import decode, truncated
from marketdata.sources.oe.oe_files import DATA_FILE

DATA_COLUMNS = ("series_id", "year", "period", "value", "footnote_codes")
#: How BLS's flat files mark a value it does not publish (read as missing, never 0).
MARKERS: tuple[str, ...] = ("-",)
ID_WIDTH = 30  # series ids are padded with spaces to 30 characters
_BLOCK_BYTES = 16 << 20  # the CSV reader converts blocks of about this size in parallel
#: A marker as it stands in the right-aligned value column, with its padding.
_PADDED_MARKERS = [" " * i + m + " " * j for m in MARKERS for i in range(64) for j in range(3)]
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def data_header(path: Path, name: str = DATA_FILE) -> list[str]:
    """The data file's header fields; raise unless it starts with :data:`DATA_COLUMNS`."""
    with Path(path).open("rb") as f:
        first = f.readline(4096)
    header = [h.strip() for h in decode(first).rstrip("\r\n").split("\t")]
    if header[: len(DATA_COLUMNS)] != list(DATA_COLUMNS):
        shown = first[:80].decode("ascii", errors="replace")
        raise SourceFormatError(
            f"expected the header {' '.join(DATA_COLUMNS)}, found {shown!r}; "
            f"is this BLS's {DATA_FILE}?",
            source=name,
            line=1,
        )
    return header


def _problem(cells: list[str]) -> str | None:
    """What is wrong with one line's fields, or None."""
    if len(cells) != len(DATA_COLUMNS):
        return f"expected {len(DATA_COLUMNS)} tab-separated fields, found {len(cells)}"
    value = cells[3]
    if value in _PADDED_MARKERS or _NUMBER.fullmatch(value.strip()):
        return None
    markers = ", ".join(repr(m) for m in MARKERS)
    return f"value {value.strip()!r} is neither a number nor one of BLS's markers ({markers})"


def _first_bad_line(path: Path, name: str) -> SourceFormatError:
    """Scan the data file line by line for the first malformed line (slow; errors only)."""
    with path.open("rb") as f:
        f.readline()
        for number, raw in enumerate(f, start=2):
            line = decode(raw).rstrip("\r\n")
            problem = _problem(line.split("\t"))
            if problem is not None:
                return SourceFormatError(f"{problem}: {line[:80]!r}", source=name, line=number)
    return SourceFormatError("the file could not be read as CSV", source=name)


def _read(path: Path, name: str, types: dict[str, pa.DataType]) -> pa.Table:
    """The value column and the columns ``types`` of the data file; every line checked."""
    types = {**types, "value": pa.float64()}
    header = data_header(path, name)
    error = truncated(path, name)
    if error is not None:
        raise error
    try:
        table = pacsv.read_csv(
            str(path),
            read_options=pacsv.ReadOptions(
                column_names=header, skip_rows=1, block_size=_BLOCK_BYTES
            ),
            parse_options=pacsv.ParseOptions(
                delimiter="\t", quote_char=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(types),
                column_types=types,
                null_values=_PADDED_MARKERS,
                strings_can_be_null=False,
                check_utf8=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        raise _first_bad_line(path, name) from None
    if table.num_rows == 0:
        raise SourceFormatError("the file holds no values", source=name, line=2)
    # pyarrow also reads 'nan' and 'inf', which BLS never writes
    if pc.any(pc.invert(pc.is_finite(table.column("value")))).as_py():
        raise _first_bad_line(path, name)
    return table


def check_values(path: Path, name: str = DATA_FILE) -> None:
    """Raise unless every line of the data file has its fields and a value that is a number
    or one of :data:`MARKERS`, and no series appears twice (the message names the line)."""
    ids = _read(Path(path), name, {"series_id": pa.binary()}).column("series_id")
    if pc.count_distinct(ids).as_py() == len(ids):
        return
    first: dict[bytes, int] = {}
    for row, series in enumerate(ids.to_pylist()):
        if series in first:
            raise SourceFormatError(
                f"series {decode(series).strip()} appears twice (first on line "
                f"{first[series] + 2}); the file should hold one value per series",
                source=name,
                line=row + 2,
            )
        first[series] = row


@dataclass
class Values:
    """The data file's columns. The padded series ids stay in the reader's blocks (no copy):
    ``parts[i]`` holds the bytes of rows ``starts[i]`` to ``starts[i + 1]``, 30 per row."""

    parts: list[np.ndarray]  # uint8, the ids' bytes of one block of the reader
    starts: np.ndarray  # int64, the first row of each part, then the number of rows
    value: np.ndarray  # float64, NaN where BLS wrote a marker
    footnote: np.ndarray  # per row, index into footnote_codes (-1: none)
    footnote_codes: list[str]  # distinct footnote_codes strings

    def __len__(self) -> int:
        return len(self.value)

    def id_bytes(self, row: int) -> bytes:
        part = int(np.searchsorted(self.starts, row, side="right")) - 1
        at = (row - int(self.starts[part])) * ID_WIDTH
        return self.parts[part][at : at + ID_WIDTH].tobytes()

    def id_text(self, row: int) -> str:
        return self.id_bytes(row).decode("ascii", errors="replace").strip()

    def field(self, rows: np.ndarray, at: int) -> np.ndarray:
        """Bytes ``at`` to ``at + 8`` of the ids of ``rows`` (ascending) as little-endian uint64."""
        out = np.empty(len(rows), "<u8")
        cuts = np.searchsorted(rows, self.starts)
        for part, start, lo, hi in zip(self.parts, self.starts, cuts, cuts[1:], strict=False):
            if hi > lo:
                words = np.ndarray(
                    (len(part) // ID_WIDTH,), "<u8", buffer=part, offset=at, strides=(ID_WIDTH,)
                )
                out[lo:hi] = words[rows[lo:hi] - start]
        return out

    def blocks(self, rows: int) -> list[tuple[int, np.ndarray]]:
        """The ids in blocks of at most ``rows`` rows: (first row, the bytes of its rows)."""
        return [
            (int(start) + lo, part[lo * ID_WIDTH : (lo + rows) * ID_WIDTH])
            for part, start in zip(self.parts, self.starts, strict=False)
            for lo in range(0, len(part) // ID_WIDTH, rows)
        ]


def _fixed_width(array: pa.Array, name: str, *, first_row: int = 0) -> np.ndarray:
    """The bytes of the series ids, each padded to 30 characters (no copy if already padded).

    ``first_row`` is the row number of the first id in the file (for error messages).
    """
    lengths = pc.binary_length(array)
    if pc.max(lengths).as_py() > ID_WIDTH:
        row = int(np.argmax(lengths.to_numpy() > ID_WIDTH))
        raise SourceFormatError(
            f"series id {decode(array[row].as_py())!r} is longer than {ID_WIDTH} characters",
            source=name,
            line=first_row + row + 2,
        )
    if pc.min(lengths).as_py() < ID_WIDTH:
        try:
            text = array.cast(pa.string())
        except pa.ArrowInvalid:  # a byte that is not UTF-8: no BLS series id
            raise SourceFormatError(
                "a series id holds bytes that are not text", source=name
            ) from None
        array = pc.utf8_rpad(text, width=ID_WIDTH, padding=" ")
    n = len(array)
    offsets = np.frombuffer(array.buffers()[1], np.int32, count=n + 1, offset=array.offset * 4)
    return np.frombuffer(array.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]


def _footnotes(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """Per row, the index of its footnote_codes among the distinct ones (-1: none), from the
    reader's dictionary-encoded column (a dictionary per block)."""
    codes: list[str] = []
    parts = []
    for chunk in column.chunks:
        texts = [decode(b).strip() for b in chunk.dictionary.to_pylist()]
        for text in texts:
            if text and text not in codes:
                codes.append(text)
        remap = np.array([codes.index(t) if t else -1 for t in texts] or [-1], np.int16)
        parts.append(remap[chunk.indices.to_numpy(zero_copy_only=False)])
    order = sorted(range(len(codes)), key=codes.__getitem__)
    rank = np.array([*np.argsort(order), -1], np.int16)  # -1 (none) stays -1
    index = np.concatenate(parts) if parts else np.empty(0, np.int16)
    return rank[index], sorted(codes)


def read_values(path: Path, *, name: str = DATA_FILE) -> Values:
    """Read ``oe.data.0.Current`` (series id, value, footnote).

    ``year`` and ``period`` are not read: the file holds one release, and a series that
    appears twice (e.g. for two years) is caught by :func:`marketdata.sources.oe.parse`.
    """
    path = Path(path)
    table = _read(
        path,
        name,
        {"series_id": pa.binary(), "footnote_codes": pa.dictionary(pa.int32(), pa.binary())},
    )
    chunks = [c for c in table.column("series_id").chunks if len(c)]
    starts = np.cumsum([0, *(len(c) for c in chunks)])
    footnote, codes = _footnotes(table.column("footnote_codes"))
    return Values(
        parts=[
            _fixed_width(chunk, name, first_row=int(first))
            for chunk, first in zip(chunks, starts, strict=False)
        ],
        starts=starts,
        value=table.column("value").to_numpy(),
        footnote=footnote,
        footnote_codes=codes,
    )

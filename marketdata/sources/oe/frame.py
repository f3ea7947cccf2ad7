"""The tidy OEWS frame: the data file's values pivoted to one row per area x industry x
occupation, with the names from the mapping files.

:func:`parse` gives a float column per datatype (names of :data:`marketdata.core.schema.OEWS_COLUMNS`;
datatypes are matched by the names BLS gives them in ``oe.datatype``). BLS's markers keep their
meaning:

- every ``-`` is missing (NaN), never 0;
- the footnote of each value is kept as text (from ``oe.footnote``) in ``<measure>_note``,
  e.g. ``Estimate not released.`` (code 8) or the hourly-wage-not-published text (code 4);
- a wage carrying the top-code footnote (code 5, "equal to or greater than $115.00 per hour
  or $239,200 per year") holds the bound read from that footnote's text (hourly or annual
  as the measure) and ``is_topcoded_<measure>`` is True.

A series id is ``OEU`` + area type (N/S/M) + area (7) + industry (6) + occupation (6) +
datatype (2).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from marketdata.core.errors import SourceFormatError
from marketdata.sources.oe.mapping import (
    decode,
    read_areas,
    read_datatypes,
    read_footnotes,
    read_industries,
    read_occupations,
    read_release,
    topcode_of,
)
from marketdata.sources.oe.oe_files import DATA_FILE, MEASURES, NOTE_COLUMNS, TOPCODE_COLUMNS
from marketdata.sources.oe.values import (
    DATA_COLUMNS,
    ID_WIDTH,
    Values,
    data_header,
    read_values,
)

logger = logging.getLogger(__name__)


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


def release_of(paths: Mapping[str, Path]) -> Release:
    """The release of a set of files, read cheaply from ``oe.release`` and the first data line."""
    release_date, description = read_release(paths["oe.release"])
    data = Path(paths[DATA_FILE])
    data_header(data, DATA_FILE)
    with data.open("rb") as f:
        f.readline()
        cells = decode(f.readline()).split("\t")
    if len(cells) != len(DATA_COLUMNS):
        raise SourceFormatError("the file holds no values", source=DATA_FILE, line=2)
    year, period = cells[1].strip(), cells[2].strip()
    if not re.fullmatch(r"\d{4}", year) or not re.fullmatch(r"[A-Z]\d{2}", period):
        shown = f"{year} {period}"[:40]
        raise SourceFormatError(f"{shown!r} is no year and period", source=DATA_FILE, line=2)
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


def _bad_id(values: Values, row: int, name: str) -> SourceFormatError:
    return SourceFormatError(
        f"{values.id_text(row)!r} is not an OEWS series id (OEU + area type + 7-digit "
        "area + 6-character industry + 6-digit occupation + 2-digit datatype)",
        source=name,
        line=row + 2,
    )


_BLOCK_ROWS = 1 << 16  # rows are processed in blocks of this many (ids: 2 MB, in cache)
_NOT_OEU, _BAD_TAIL, _UNLISTED = -3, -2, -1  # problems of a row's id, in the order raised


def _in_parallel(work: Callable[[Any], None], items: Sequence[Any]) -> None:
    """``work(item)`` for every item, in threads (numpy releases the GIL)."""
    with ThreadPoolExecutor(max_workers=max(1, min(len(items), os.cpu_count() or 1))) as pool:
        list(pool.map(work, items))


def _scan(
    values: Values, columns: Mapping[str, str], name: str
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Column index (in MEASURES) of each row, whether it starts a run of a new cell, and the
    key words (id bytes 3-11, 11-19, 15-23) of each run's first row.

    Checks each id's prefix, datatype and padding. The ids are read block by block (each
    block's fields while it is in the CPU cache), in parallel threads.
    """
    lut = np.full(1 << 16, _UNLISTED, np.int8)  # the datatype's two bytes -> column
    for code, column in columns.items():
        if len(raw := code.encode("ascii", errors="replace")) == 2:
            lut[int.from_bytes(raw, "little")] = MEASURES.index(column)
    col = np.empty(len(values), np.int8)
    change = np.empty(len(values), bool)
    run_keys: dict[int, list[np.ndarray]] = {}  # first row of a block -> its runs' keys

    def scan(start: int, ids: np.ndarray) -> None:
        rows = len(ids) // ID_WIDTH

        def word(at: int, dtype: str = "<u8") -> np.ndarray:
            return np.ndarray((rows,), dtype, buffer=ids, offset=at, strides=(ID_WIDTH,))

        block = lut[word(23, "<u2")]  # the datatype's two bytes
        block[(word(22) >> np.uint64(24)) != _PADDING] = _BAD_TAIL  # bytes 25-29: spaces
        block[(word(0) & np.uint64(0xFFFFFF)) != _OEU] = _NOT_OEU
        stop = start + rows
        col[start:stop] = block
        keys = (word(3), word(11), word(15))  # bytes 3-23: area with its type, industry, occ.
        new = keys[0][1:] != keys[0][:-1]
        for key in keys[1:]:
            new |= key[1:] != key[:-1]
        change[start + 1 : stop] = new
        # the block's first row against the row before it (the end of another block)
        change[start] = (
            start == 0 or values.id_bytes(start)[3:23] != values.id_bytes(start - 1)[3:23]
        )
        starts = change[start:stop]
        run_keys[start] = [key[starts] for key in keys]

    _in_parallel(lambda block: scan(*block), values.blocks(_BLOCK_ROWS))
    if (col < 0).any():
        row = int(np.argmax(col == _NOT_OEU)) if (col == _NOT_OEU).any() else -1
        if row < 0:
            row = int(np.argmax(col < 0))
        if col[row] != _UNLISTED:
            raise _bad_id(values, row, name)
        raise SourceFormatError(
            f"datatype {values.id_text(row)[23:25]} of {values.id_text(row)!r} is not listed "
            "in oe.datatype",
            source=name,
            line=row + 2,
        )
    blocks = [run_keys[start] for start in sorted(run_keys)]
    return col, change, [np.concatenate([b[i] for b in blocks]) for i in range(3)]


def _increasing(words: Sequence[np.ndarray]) -> bool:
    """True if the rows of these byte words are in strictly increasing byte order."""
    later = np.zeros(len(words[0]) - 1, bool)
    tied = np.ones(len(words[0]) - 1, bool)
    for word in words:
        big = word.byteswap()  # compare bytes in order
        later |= tied & (big[1:] > big[:-1])
        tied &= big[1:] == big[:-1]
    return bool(later.all())


def _cells(
    values: Values, change: np.ndarray, keys: list[np.ndarray]
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """Group rows by area x industry x occupation, from where runs of a cell start (and the
    key words of each run, from :func:`_scan`).

    Returns the cell of each run (None: run k is cell k), the first row of each cell, and
    the cell keys as packed words (area with its type, industry, occupation) per cell.
    BLS's file lists a series' values together and in order, so rows are grouped by runs;
    in any other order, runs of the same cell are merged.
    """
    first = np.flatnonzero(change)
    cell_of_run = None
    if not _increasing(keys):
        frame = pd.DataFrame({str(i): key for i, key in enumerate(keys)})
        cell_of_run = frame.groupby(list(frame.columns), sort=False).ngroup().to_numpy()
        first = first[np.unique(cell_of_run, return_index=True)[1]]
        keys = [values.field(first, at) for at in (3, 11, 15)]
    return cell_of_run, first, np.stack([keys[0], keys[1] & _LOW6, keys[2] >> np.uint64(16)])


def _grids(
    values: Values,
    col: np.ndarray,
    change: np.ndarray,
    cell_of_run: np.ndarray | None,
    position: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The values and footnote indexes as (measure, cell) grids, cells in output order;
    filled block by block in parallel threads. Raises if a series appears twice."""
    n_cells = len(position)
    grid = np.empty((len(MEASURES), n_cells))
    note_grid = np.empty((len(MEASURES), n_cells), np.int16)
    seen = np.zeros(len(MEASURES) * n_cells, bool)
    bounds = np.arange(0, len(values) + _BLOCK_ROWS, _BLOCK_ROWS).clip(max=len(values))
    runs_before = np.cumsum([0, *(np.count_nonzero(change[a:b]) for a, b in pairwise(bounds))])

    def clear(k: int) -> None:  # a measure's row: not published until a value says so
        grid[k] = np.nan
        note_grid[k] = -1

    _in_parallel(clear, range(len(MEASURES)))

    def fill(k: int) -> None:
        start, stop = bounds[k], bounds[k + 1]
        run = np.cumsum(change[start:stop], dtype=np.int64) + (runs_before[k] - 1)
        cell = run if cell_of_run is None else cell_of_run[run]
        flat = col[start:stop].astype(np.int64) * n_cells + position[cell]
        seen[flat] = True
        grid.ravel()[flat] = values.value[start:stop]
        note_grid.ravel()[flat] = values.footnote[start:stop]

    _in_parallel(fill, range(len(bounds) - 1))
    if np.count_nonzero(seen) != len(values):
        run = np.cumsum(change, dtype=np.int64) - 1
        cell = run if cell_of_run is None else cell_of_run[run]
        _raise_duplicate(values, col.astype(np.int64) * n_cells + position[cell])
    return grid, note_grid


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


def _raise_duplicate(values: Values, flat: np.ndarray) -> None:
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

    col, change, run_keys = _scan(values, datatypes, DATA_FILE)
    cell_of_run, first, keys = _cells(values, change, run_keys)
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
    n_cells = len(first)
    grid, note_grid = _grids(values, col, change, cell_of_run, position)

    def take(source: tuple[pd.DataFrame, str, np.ndarray]) -> pa.Array:
        table, column, at = source
        return pa.array(table[column].to_numpy(dtype=object), pa.large_string()).take(pa.array(at))

    texts = {
        "area_code": (areas, "area_code", area),
        "area_name": (areas, "area_name", area),
        "area_type": (areas, "area_type", area),
        "state_code": (areas, "state_code", area),
        "industry_code": (industries, "industry_code", industry),
        "industry_title": (industries, "industry_title", industry),
        "occupation_code": (occupations, "occupation_code", occupation),
        "occupation_title": (occupations, "occupation_title", occupation),
        "occupation_level": (occupations, "occupation_level", occupation),
    }
    note_texts = pa.array(_notes(values.footnote_codes, footnotes), pa.large_string())
    topcode = topcode_of(footnotes)
    topcoded = [
        i
        for i, c in enumerate(values.footnote_codes)
        if topcode is not None and topcode.code in re.split(r"[,\s]+", c)
    ]

    def measured(k: int) -> tuple[pa.Array, pa.Array | None, pa.Array]:
        """Measure k's values (top-coded ones at their bound), top-code flags and notes."""
        measure, column, note = MEASURES[k], grid[k], note_grid[k]
        flag = None
        if measure in TOPCODE_COLUMNS:
            flag = np.isin(note, topcoded)
            if topcode is not None and flag.any():
                bound = topcode.hourly if measure.startswith("hourly") else topcode.annual
                column = np.where(flag & np.isnan(column), bound, column)
            flag = pa.array(flag)
        return pa.array(column), flag, note_texts.take(pa.array(note, mask=note < 0))

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # pyarrow: no GIL
        taken = pool.map(take, texts.values())
        by_measure = list(pool.map(measured, range(len(MEASURES))))
        columns: dict[str, pa.Array] = dict(zip(texts, taken, strict=True))
    flags: dict[str, pa.Array] = {}
    notes: dict[str, pa.Array] = {}
    for measure, (column, flag, note) in zip(MEASURES, by_measure, strict=True):
        columns[measure] = column
        if flag is not None:
            flags[TOPCODE_COLUMNS[measure]] = flag
        notes[NOTE_COLUMNS[measure]] = note
    columns["release"] = pa.array([release.name]).take(pa.array(np.zeros(n_cells, np.int64)))
    return pa.table({**columns, **flags, **notes}).to_pandas()

"""Where the OEWS flat files are published, their names, and the tidy frame's columns.

Plain constants, so that the loaders can name the files and columns (and look codes up in
the mapping files) without loading numpy or pyarrow.
"""

from __future__ import annotations

from marketdata.core.schema import (
    OEWS_COLUMNS,
    OEWS_MEASURES,
    OEWS_NOTE_COLUMNS,
    OEWS_TOPCODE_COLUMNS,
)

#: Where BLS publishes the files, under the download host.
OE_PATH = "/pub/time.series/oe/"
DATA_FILE = "oe.data.0.Current"
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
FILES: tuple[str, ...] = (DATA_FILE, *MAPPING_FILES)

#: Measures in the order of the frame's columns.
MEASURES: tuple[str, ...] = tuple(c for c in OEWS_COLUMNS if c in OEWS_MEASURES)
#: Wage measure -> its top-code flag column.
TOPCODE_COLUMNS: dict[str, str] = OEWS_TOPCODE_COLUMNS
#: Measure -> the column holding the text of BLS's footnote on that value.
NOTE_COLUMNS: dict[str, str] = OEWS_NOTE_COLUMNS
#: Every column of the parsed frame, in order.
COLUMNS: tuple[str, ...] = (*OEWS_COLUMNS, *TOPCODE_COLUMNS.values(), *NOTE_COLUMNS.values())

"""One module per BLS file family; each turns bytes into a frame and nothing more.

Each source module that downloads files also offers
``identify(path: Path, *, settings: Settings) -> KnownFile | None``: given a file the user
saved by hand (e.g. in a browser, when BLS blocks scripted downloads), it says whether the
file is one of its own, under which cache key and URL it belongs, and how to check that it
parses. :func:`identify` asks every source in turn (used by ``marketdata cache add``).
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.io.cache_entry import regular_file

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

#: Source modules asked, in order, by :func:`identify`, and what each accepts, in plain words
#: with one example file name (listed when a file is none of them).
SOURCE_MODULES: dict[str, str] = {
    "oe": "OEWS flat files of the current release, e.g. oe.data.0.Current",
    "oews_archive": "OEWS archive zips of past releases, e.g. oesm21nat.zip",
    "ep": "Employment Projections workbooks, archives or data-tool CSVs, e.g. occupation.xlsx",
    "projections_central": "Projections Central state projections (JSON), e.g. longterm-32.json",
    "cps_table54": "CPS table 54, earnings by certification and licensing, e.g. cpsaat54.xlsx",
    "cps_annual": "CPS annual-average tables or time-series files, e.g. cpsaat11.xlsx",
    "ors_workbooks": "BLS ORS credential workbooks or or.* files, e.g. ors-complete-dataset.xlsx",
    "bea_rpp": "BEA regional price parities (SARPP, MARPP), e.g. SARPP.zip",
    "onet_text_files": "O*NET database text zip or its files, e.g. db_30_1_text.zip",
    "cpi_flat_file": "the CPI all-items flat file, cu.data.1.AllItems",
}


@dataclass(frozen=True)
class KnownFile:
    """A BLS file recognised by its source: where it lives in the cache and how to check it."""

    key: str
    url: str
    description: str
    check: Callable[[Path], None]


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile:
    """Recognise which BLS file ``path`` is.

    Raises
    ------
    SourceFormatError
        No source recognises the file; the message lists what is accepted.
    """
    settings = get_settings(settings)
    path = regular_file(Path(path))
    for name in SOURCE_MODULES:
        try:
            module = importlib.import_module(f"marketdata.sources.{name}")
        except ModuleNotFoundError:
            continue
        finder = getattr(module, "identify", None)
        if finder is None:
            continue
        known = finder(path, settings=settings)
        if known is not None:
            return known
    accepted = "".join(f"\n  - {what}" for what in SOURCE_MODULES.values())
    raise SourceFormatError(
        f"not a BLS file that marketdata knows. Accepted:{accepted}", source=str(path)
    )


def is_reader_error(err: BaseException) -> bool:
    """Whether ``err`` is a spreadsheet reader failing on damaged bytes: an ordinary exception,
    or a Rust panic of python-calamine (``pyo3_runtime.PanicException`` derives from
    BaseException, so ``except Exception`` misses it). Interrupts and exits are not."""
    return isinstance(err, Exception) or type(err).__name__ == "PanicException"


def open_workbook(content: bytes, source: str) -> CalamineWorkbook:
    """A spreadsheet read from its bytes; SourceFormatError naming ``source`` when the bytes
    are not one (see :func:`is_reader_error`) or are far beyond any workbook BLS publishes
    (:func:`marketdata.sources.workbook_limits.check_workbook`)."""
    from python_calamine import CalamineWorkbook

    from marketdata.sources.workbook_limits import check_workbook

    check_workbook(content, source)
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(content))
    except BaseException as err:  # calamine's own errors, or a Rust panic
        if not is_reader_error(err):
            raise
        raise SourceFormatError(f"not a readable spreadsheet ({err})", source=source) from None


def sheet_rows(
    workbook: CalamineWorkbook,
    sheet: str,
    source: str,
    *,
    skip_empty_area: bool = False,
    nrows: int | None = None,
) -> list[list[object]]:
    """The rows of one sheet (the first ``nrows``); SourceFormatError naming ``source`` when
    the sheet cannot be read. ``skip_empty_area``: as calamine's (drop leading empty rows)."""
    try:
        return workbook.get_sheet_by_name(sheet).to_python(
            skip_empty_area=skip_empty_area, nrows=nrows
        )
    except BaseException as err:  # calamine's own errors, or a Rust panic
        if not is_reader_error(err):
            raise
        raise SourceFormatError(f"sheet {sheet!r} is not readable ({err})", source=source) from None

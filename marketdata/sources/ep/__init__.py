"""BLS Employment Projections (EP): the ``occupation.xlsx`` workbook and the data-tool CSV export.

Parse only: bytes in, tidy frames out (:mod:`marketdata.datasets.projections` downloads and caches).

- :mod:`~marketdata.sources.ep.ep_tables`: where BLS publishes the tables, their titles, columns
  and header texts in each round, projection rounds;
- :mod:`~marketdata.sources.ep.cells`: cell values -> typed columns (BLS's markers, persons);
- :mod:`~marketdata.sources.ep.workbook`: the ``occupation.xlsx`` workbook;
- :mod:`~marketdata.sources.ep.archive`: past rounds in the zips of the projections archive;
- :mod:`~marketdata.sources.ep.datatool`: the CSV export of the Occupational Projections
  data tool.

Counts (employment, change, openings, separations) come out in persons, not thousands;
percentages and rates stay as BLS printed them. The names below are what the loaders use;
:func:`identify` recognises any of these files saved by hand.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.sources import KnownFile
from marketdata.sources.ep.archive import archive_member, check_archive, read_archive
from marketdata.sources.ep.datatool import check_csv, parse_csv
from marketdata.sources.ep.ep_tables import (
    CODE_COLUMNS,
    COLUMNS,
    DATA_TOOL_URL,
    TABLE_FALLBACK,
    TABLE_TITLES,
    URL_TEMPLATES,
    code_frame,
    normalize_round,
    round_name,
    round_years,
    sniff,
)
from marketdata.sources.ep.workbook import (
    check_projections_workbook,
    find_tables,
    parse_workbook,
    workbook_round,
)
from marketdata.sources.workbook_limits import WorkbookTooLarge

__all__ = [
    "CODE_COLUMNS",
    "COLUMNS",
    "DATA_TOOL_URL",
    "TABLE_FALLBACK",
    "TABLE_TITLES",
    "URL_TEMPLATES",
    "check_archive",
    "check_csv",
    "check_projections_workbook",
    "code_frame",
    "find_tables",
    "identify",
    "normalize_round",
    "parse_csv",
    "parse_workbook",
    "read_archive",
    "round_years",
    "workbook_round",
]


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """Recognise an EP workbook, projections-archive zip or data-tool CSV saved by hand."""
    settings = get_settings(settings)
    path = Path(path)
    start = sniff(path)
    www = settings.bls_www_url
    try:
        if start.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
            if "xl/workbook.xml" in names:
                if "projections" not in find_tables(path):
                    return None
                round_ = workbook_round(path)
                return KnownFile(
                    key=f"ep/occupation_{round_}.xlsx",
                    url=URL_TEMPLATES["current"].format(www=www),
                    description=f"BLS Employment Projections occupation.xlsx, {round_} round",
                    check=check_projections_workbook,
                )
            if archive_member(names) is not None:
                round_ = workbook_round(read_archive(path))
                return KnownFile(
                    key=f"ep/projections-archive/{round_}.zip",
                    url=URL_TEMPLATES["archive"].format(www=www, release=round_),
                    description=f"BLS Employment Projections archive, {round_} round",
                    check=check_archive,
                )
            return None
        check_csv(path)
        frame = parse_csv(path)
    except (SourceFormatError, zipfile.BadZipFile, UnicodeDecodeError) as err:
        if isinstance(err, WorkbookTooLarge):
            raise
        return None
    base, projected = int(frame["base_year"].iloc[0]), int(frame["projected_year"].iloc[0])
    return KnownFile(
        key=f"ep/employment_projections_{base}-{projected}.csv",
        url=DATA_TOOL_URL,
        description=f"BLS Occupational Projections data-tool export, {round_name(base, projected)}",
        check=check_csv,
    )

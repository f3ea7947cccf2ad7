"""BLS's SOC crosswalks (2000 -> 2010, 2010 -> 2018): spreadsheet bytes -> link table.

BLS publishes each revision's crosswalk as a spreadsheet with a few rows of notes above
a header such as ``2010 SOC Code | 2010 SOC Title | 2018 SOC Code | 2018 SOC Title``
(``2000 SOC code`` ... in the 2000 -> 2010 file). One row per link between an old and a
new detailed occupation: an occupation split in two has two rows, two merged have two rows.
The header is found by its names, not by its position.

BLS's files carry quirks that the parser absorbs: codes and titles with stray trailing
spaces (``'13-1161  '``, ``'47-2111 '`` in the 2000 -> 2010 file), a blank row under the
header, and markers after titles (``*``, ``**`` in 2000 -> 2010; ``(#)``, ``(##)`` in
2010 -> 2018), which the files do not explain: they are moved from the title to
``old_mark`` / ``new_mark`` unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from marketdata.core.errors import SourceFormatError
from marketdata.sources import open_workbook, sheet_rows

#: Link table columns.
COLUMNS: tuple[str, ...] = (
    "old_code",
    "old_title",
    "new_code",
    "new_title",
    "old_mark",
    "new_mark",
)
_MARK = re.compile(r"\s*(\*{1,3}|\(#{1,2}\))\s*$")
_CODE = re.compile(r"\d{2}-\d{4}")
_HEADER_SEARCH_ROWS = 50


@dataclass(frozen=True)
class Crosswalk:
    """One published crosswalk: from which SOC version to which, and where it lives."""

    old: str  # "SOC 2010"
    new: str  # "SOC 2018"
    path: str  # under the BLS host, e.g. "soc/2018/soc_2010_to_2018_crosswalk.xlsx"

    @property
    def key(self) -> str:
        """Cache key of the file."""
        return "soc/" + self.path.rsplit("/", 1)[-1]

    def url(self, base_url: str) -> str:
        """Where BLS publishes it under ``base_url`` (``settings.bls_www_url``)."""
        return f"{base_url.rstrip('/')}/{self.path}"


#: The crosswalks between the SOC versions used by OEWS, oldest first.
CROSSWALKS: tuple[Crosswalk, ...] = (
    Crosswalk("SOC 2000", "SOC 2010", "soc/soc_2000_to_2010_crosswalk.xls"),
    Crosswalk("SOC 2010", "SOC 2018", "soc/2018/soc_2010_to_2018_crosswalk.xlsx"),
)


def _norm(cell: object) -> str:
    return re.sub(r"\s+", " ", str(cell).strip().lower())


def _find(header: list[str], year: str, what: str) -> int | None:
    wanted = f"{year} soc {what}"
    return next((i for i, h in enumerate(header) if h == wanted), None)


def parse(content: bytes, *, crosswalk: Crosswalk, name: str | None = None) -> pd.DataFrame:
    """Parse a crosswalk workbook into ``old_code, old_title, new_code, new_title``.

    Raises
    ------
    SourceFormatError
        No sheet has the expected header in its first rows, or no link was found.
    """
    name = name or crosswalk.path.rsplit("/", 1)[-1]
    old_year, new_year = crosswalk.old.split()[-1], crosswalk.new.split()[-1]
    workbook = open_workbook(content, name)
    for sheet in workbook.sheet_names:
        rows = sheet_rows(workbook, sheet, name)
        for hi, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            header = [_norm(c) for c in row]
            where = [
                _find(header, old_year, "code"),
                _find(header, old_year, "title"),
                _find(header, new_year, "code"),
                _find(header, new_year, "title"),
            ]
            if None in where:
                continue
            picked = [
                [" ".join(str(r[i]).split()) if i < len(r) else "" for i in where]
                for r in rows[hi + 1 :]
            ]
            df = pd.DataFrame(picked, columns=list(COLUMNS[:4]))
            for side in ("old", "new"):
                title = df[f"{side}_title"]
                df[f"{side}_mark"] = title.str.extract(_MARK, expand=False).fillna("")
                df[f"{side}_title"] = title.str.replace(_MARK, "", regex=True)
            ok = df["old_code"].str.fullmatch(_CODE) & df["new_code"].str.fullmatch(_CODE)
            df = df[ok].drop_duplicates(ignore_index=True)
            if df.empty:
                raise SourceFormatError(f"sheet {sheet!r} holds no SOC code links", source=name)
            return df
    raise SourceFormatError(
        f"no header '{old_year} SOC Code | {old_year} SOC Title | {new_year} SOC Code | "
        f"{new_year} SOC Title' in the first {_HEADER_SEARCH_ROWS} rows; is this BLS's "
        f"{crosswalk.old} to {crosswalk.new} crosswalk?",
        source=name,
    )


def check_spreadsheet(path: Path) -> None:
    """Raise SourceFormatError unless the file starts like an .xls or .xlsx (not HTML)."""
    with Path(path).open("rb") as f:
        start = f.read(8)
    if not start.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise SourceFormatError(
            f"not a spreadsheet (starts with {start!r}); BLS may have sent an error page",
            source=Path(path).name,
        )


def crosswalk_check(crosswalk: Crosswalk) -> Callable[[Path], None]:
    """A check for :func:`marketdata.io.cache.fetch`: the file is a spreadsheet (not an error page)
    and parses as ``crosswalk`` (header found, links present), so a truncated file or a
    changed layout never enters the cache."""

    def check(path: Path) -> None:
        check_spreadsheet(path)
        parse(Path(path).read_bytes(), crosswalk=crosswalk, name=crosswalk.key.rsplit("/", 1)[-1])

    return check

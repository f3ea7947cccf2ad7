"""The layout of BLS's EP occupation tables, as data: where they are published, how tables
and columns are named in each round, and projection rounds.

BLS renumbers the tables between rounds (the projections with worker characteristics are
Table 1.7 in 2021-31 and Table 1.2 in 2024-34), so tables are found by their title
(:data:`TABLE_TITLES`) and columns by their header text (:data:`HEADER_PATTERNS`), never by
position.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from marketdata.core.errors import UnknownRelease

if TYPE_CHECKING:
    import pandas as pd

#: Where BLS publishes the EP occupation tables. ``{www}`` is ``settings.bls_www_url``;
#: ``{release}`` an EP release such as ``2021-31``. The current release is always at
#: ``current`` under the same name; BLS moves past releases into zips of its projections
#: archive (www.bls.gov/emp/data/projections-archive.htm), each holding that release's
#: ``occupation.xlsx``.
URL_TEMPLATES: dict[str, str] = {
    "current": "{www}/emp/ind-occ-matrix/occupation.xlsx",
    "archive": "{www}/emp/projections-archive/{release}.zip",
}
#: The Occupational Projections data tool whose "Employment Projections.csv" export we read.
DATA_TOOL_URL = "https://data.bls.gov/projections/occupationProj"

#: Table kind -> regular expression matched against the table's title (lower case).
TABLE_TITLES: dict[str, str] = {
    "projections": r"occupational projections.*worker characteristics",
    "employment": r"employment by detailed occupation",
    "separations": r"occupational separations and openings",
    "attainment": r"educational attainment.*by detailed occupation",
    "education": r"education and training (?:assignments|categories) by detailed occupation",
}
#: A round without a table of this kind has the same figures in the other table
#: (2024-34 folds Table 1.2 "employment" and Table 5.4 "education" into the projections).
TABLE_FALLBACK: dict[str, str] = {"employment": "projections", "education": "projections"}

ID_COLUMNS = ("occupation_code", "occupation_title", "occupation_type")
_YEARS = ("base_year", "projected_year")
#: Employment, its share of all jobs, and the change: in this order in both tables that have them.
_EMPLOYMENT = (
    "employment_base",
    "employment_projected",
    "employment_share_base",
    "employment_share_projected",
    "change",
    "percent_change",
)
_WAGE = ("median_wage", "median_wage_year", "median_wage_topcoded", "median_wage_note")
EDUCATION_COLUMNS = ("typical_education", "work_experience", "training")
ATTAINMENT_COLUMNS: tuple[str, ...] = (
    "attainment_less_than_hs",
    "attainment_hs",
    "attainment_some_college",
    "attainment_associate",
    "attainment_bachelor",
    "attainment_master",
    "attainment_doctoral",
)

#: The columns of a table's code index: its rows' codes and titles (as text, in the table's
#: order) and release, what an occupation is looked up in without pandas (:func:`code_frame`).
CODE_COLUMNS = ("occupation_code", "occupation_title", "release")

#: The columns of each table kind, in order (absent figures are missing, never dropped).
COLUMNS: dict[str, tuple[str, ...]] = {
    "projections": (
        *ID_COLUMNS,
        *_YEARS,
        *_EMPLOYMENT,
        "percent_self_employed",
        "openings_annual",
        *_WAGE,
        *EDUCATION_COLUMNS,
        "job_titles",
        "note",
        "release",
    ),
    "employment": (
        *ID_COLUMNS,
        *_YEARS,
        *_EMPLOYMENT,
        "openings_annual",
        "note",
        "release",
    ),
    "separations": (
        *ID_COLUMNS,
        *_YEARS,
        "employment_base",
        "employment_projected",
        "change",
        "percent_change",
        "labor_force_exit_rate",
        "transfer_rate",
        "separations_rate",
        "labor_force_exits",
        "transfers",
        "separations",
        "openings_annual",
        "note",
        "release",
    ),
    "attainment": (*ID_COLUMNS, "attainment_years", *ATTAINMENT_COLUMNS, "note", "release"),
    "education": (*ID_COLUMNS, *EDUCATION_COLUMNS, "note", "release"),
}

#: Header text (normalised: lower case, plain hyphens and apostrophes, footnote markers
#: removed) -> column. Checked in order; the first match wins. ``{year}`` columns are the
#: base or projected year, told apart by the year in the header.
HEADER_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"matrix (?:occupation )?title$|^occupation title$", "occupation_title"),
    (r"matrix (?:occupation )?code$|^occupation code$|^soc code$", "occupation_code"),
    (r"^occupation type$", "occupation_type"),
    (r"^employment distribution, percent, (\d{4})$", "employment_share_{year}"),
    (r"^employment,? (\d{4})(?: \(thousands\))?$", "employment_{year}"),
    (
        r"^percent employment change|^employment change, percent|^employment percent change"
        r"|^employment change.*\(percent\)$",
        "percent_change",
    ),
    (r"^employment change\b", "change"),
    (r"^percent self[- ]employed", "percent_self_employed"),
    (r"^occupational openings.*annual average", "openings_annual"),
    (r"median annual wage", "median_wage"),
    (r"^typical (?:entry-level )?education", "typical_education"),
    (r"^work experience in a related occupation$", "work_experience"),
    (r"^typical on-the-job training", "training"),
    (r"^labor force exit rate", "labor_force_exit_rate"),
    (r"^occupational transfer rate", "transfer_rate"),
    (r"^total occupational separations rate", "separations_rate"),
    (r"^labor force exits\b", "labor_force_exits"),
    (r"^occupational transfers\b", "transfers"),
    (r"^total occupational separations\b", "separations"),
    (r"^less than high school", "attainment_less_than_hs"),
    (r"^high school diploma or equivalent$", "attainment_hs"),
    (r"^some college, no degree$", "attainment_some_college"),
    (r"^associate's degree$", "attainment_associate"),
    (r"^bachelor's degree$", "attainment_bachelor"),
    (r"^master's degree$", "attainment_master"),
    (r"^doctoral or professional degree$", "attainment_doctoral"),
)

#: Columns published in thousands; multiplied by 1,000 (and rounded to whole persons).
THOUSANDS: frozenset[str] = frozenset(
    {
        "employment_base",
        "employment_projected",
        "change",
        "openings_annual",
        "labor_force_exits",
        "transfers",
        "separations",
    }
)
#: A footnote marker at the end of a title or header: "(1)" or "[1]".
MARKER = re.compile(r"\s*(\(\d+\)|\[\d+\])\s*$")
#: A projection round in a title: "2024-34", "2024–2034", "2021 and projected 2031".
ROUND_IN_TEXT = re.compile(
    r"((?:19|20)\d\d)\s*(?:-|–|—|to)\s*((?:19|20)?\d\d)\b"
    r"|((?:19|20)\d\d) and projected ((?:19|20)\d\d)"
)


def normalize_round(text: str | int) -> str:
    """A projection round written as BLS does in file names: ``"2024-34"``.

    Accepts ``"2024-34"``, ``"2024–34"``, ``"2024-2034"``, ``"2024 to 2034"``.

    >>> normalize_round("2024–2034"), normalize_round("2021-31")
    ('2024-34', '2021-31')
    """
    match = ROUND_IN_TEXT.search(str(text))
    if not match or match.group(3):
        raise UnknownRelease(
            "EP release",
            text,
            hint="Write an EP release as base and projected year, e.g. '2024-34' or '2021-2031'.",
        )
    base = int(match.group(1))
    projected = match.group(2)
    projected_year = int(projected) if len(projected) == 4 else base // 100 * 100 + int(projected)
    if projected_year <= base:
        projected_year += 100
    return round_name(base, projected_year)


def round_name(base_year: int, projected_year: int) -> str:
    """``round_name(2024, 2034) == "2024-34"``."""
    return f"{base_year}-{projected_year % 100:02d}"


def round_years(round_: str) -> tuple[int, int]:
    """Base and projected year of a round: ``round_years("2024-34") == (2024, 2034)``."""
    base, short = (int(part) for part in normalize_round(round_).split("-"))
    projected = base // 100 * 100 + short
    return base, projected if projected > base else projected + 100


def _normalize_header(text: object) -> str:
    t = str(text).replace("\n", " ").replace("–", "-").replace("—", "-").replace("’", "'")
    t = MARKER.sub("", t)
    return re.sub(r"\s+", " ", t).strip().lower()


def map_headers(headers: Iterable[object]) -> dict[int, str]:
    """Column position -> tidy name, for the headers we know (others are ignored)."""
    found: dict[int, str] = {}
    years: dict[str, list[tuple[int, int]]] = {}
    for pos, raw in enumerate(headers):
        header = _normalize_header(raw)
        if not header:
            continue
        for pattern, name in HEADER_PATTERNS:
            match = re.search(pattern, header)
            if not match:
                continue
            if "{year}" in name:
                years.setdefault(name, []).append((int(match.group(1)), pos))
            elif name not in found.values():
                found[pos] = name
            break
    for name, pairs in years.items():
        pairs.sort()
        found[pairs[0][1]] = name.replace("{year}", "base")
        if len(pairs) > 1:
            found[pairs[-1][1]] = name.replace("{year}", "projected")
    return found


def year_of(headers: Iterable[object], mapping: dict[int, str], column: str) -> int | None:
    """The year in the header of ``column`` (e.g. 2024 of "Employment, 2024"), if any."""
    for pos, name in mapping.items():
        if name == column:
            match = re.search(r"((?:19|20)\d\d)", _normalize_header(list(headers)[pos]))
            return int(match.group(1)) if match else None
    return None


def code_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The code index of a parsed table: its :data:`CODE_COLUMNS` as text, row for row."""
    return frame.loc[:, list(CODE_COLUMNS)].astype(str).reset_index(drop=True)


def sniff(path: Path) -> bytes:
    """The first 512 bytes of a file (to tell an xlsx, a zip, a CSV or an HTML page apart)."""
    with Path(path).open("rb") as f:
        return f.read(512)

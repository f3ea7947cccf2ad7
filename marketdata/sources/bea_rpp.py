"""BEA regional price parities (SARPP states, MARPP metro areas): bytes in, frames out.

BEA publishes them as zips under ``{settings.bea_url}/regional/zip/`` (``SARPP.zip``,
``MARPP.zip``; ``RPP.zip`` holds both). Each zip holds one CSV (``SARPP_STATE_2008_2024.csv``,
``MARPP_MSA_2008_2023.csv``) plus ``*__Footnotes.html`` and ``*__definition.xml``. The CSV:
a header ``GeoFIPS,GeoName,Region,TableName,LineCode,IndustryClassification,Description,
Unit,2008,...``, quoted fields after a leading space, ``(NA)`` for values BEA does not have
(a ``*`` after the name points to the footnote saying why), and four footer lines (a note,
the table's title, ``Last updated: <date>-- ...`` and ``U.S. Bureau of Economic Analysis``).

Line codes differ between BEA's zips (``RPP.zip``: 1 = "RPPs: All items"; one ``SARPP.zip``
vintage numbers ten lines, with "RPPs: All items" as line 5), so lines are chosen by their
description (:func:`all_items`), never by code.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.sources import KnownFile

#: BEA's tables and the geography each covers.
TABLES: dict[str, str] = {"SARPP": "state", "MARPP": "metro"}
ALL_ITEMS = "rpps: all items"
NOT_AVAILABLE = "(NA)"
#: Columns of :func:`parse`.
COLUMNS: tuple[str, ...] = (
    "table",
    "geo_fips",
    "geo_name",
    "geo_type",
    "line_code",
    "description",
    "year",
    "rpp",
    "note",
    "release",
)
_HEADER = ("GeoFIPS", "GeoName", "LineCode", "Description")
UPDATED = re.compile(r"Last updated:\s*([A-Za-z]+ \d{1,2}, \d{4})")
_YEAR = re.compile(r"^(19|20)\d\d$")
_NAME_SUFFIX = re.compile(r"\s*\((Metropolitan Statistical Area|Nonmetropolitan Portion)\)")


def _csv_bytes(data: bytes, source: str) -> tuple[bytes, str]:
    """The table CSV inside a BEA zip (or ``data`` itself if it is the CSV) and its name."""
    if not data.startswith(b"PK\x03\x04"):
        return data, source
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                n
                for n in archive.namelist()
                if n.lower().endswith(".csv") and n.split("/")[-1][:5].upper() in TABLES
            ]
            if len(members) != 1:
                raise SourceFormatError(
                    f"expected one SARPP_/MARPP_ CSV in the zip, found {members or 'none'}",
                    source=source,
                )
            return archive.read(members[0]), f"{source}!{members[0]}"
    except zipfile.BadZipFile:
        raise SourceFormatError("damaged zip file", source=source) from None


def _footer(lines: list[str]) -> dict[str, str]:
    info = {}
    for line in lines:
        text = line.strip().strip('"').strip()
        if m := UPDATED.search(text):
            info["release"] = text
            info["updated"] = m[1]
        elif text[:5].upper() in TABLES and ":" in text:
            info["title"] = text
    return info


def parse(data: bytes | Path, *, source: str, footnotes: str = "") -> pd.DataFrame:
    """Read a BEA SARPP or MARPP CSV (or the zip holding it) into a long frame.

    Parameters
    ----------
    data
        The CSV's or the zip's bytes, or a path to either.
    footnotes
        Text given as the ``note`` of ``(NA)`` values (default: BEA's legend "Not available").

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: one row per area x line x year; ``rpp`` is the index (U.S. = 100),
        NaN where BEA shows ``(NA)``; ``geo_type`` is ``nation``, ``state``, ``metro`` or
        ``nonmetro_portion``; ``release`` is BEA's "Last updated" line. ``attrs`` hold the
        table, its title and the update date.

    Raises
    ------
    SourceFormatError
        Not a BEA regional CSV (names the missing header fields), or no year columns.
    """
    raw = data.read_bytes() if isinstance(data, Path) else data
    csv, where = _csv_bytes(raw, source)
    text = csv.decode("utf-8-sig", errors="replace")
    lines = text.splitlines()
    if not lines or not all(h in lines[0] for h in _HEADER):
        start = lines[0][:80] if lines else ""
        raise SourceFormatError(
            f"first line {start!r} is not a BEA regional header ({', '.join(_HEADER)})",
            source=where,
            line=1,
        )
    body = [lines[0]] + [ln for ln in lines[1:] if ln.startswith(' "') or ln[:1].isdigit()]
    info = _footer([ln for ln in lines[1:] if ln.startswith('"')])
    frame = pd.read_csv(
        io.StringIO("\n".join(body)), dtype=str, skipinitialspace=True, keep_default_na=False
    )
    years = [c for c in frame.columns if _YEAR.match(str(c).strip())]
    if not years:
        raise SourceFormatError("no year columns in the header", source=where, line=1)
    tables = set(frame["TableName"].str.strip())
    if len(tables) != 1 or not tables <= set(TABLES):
        raise SourceFormatError(
            f"TableName {sorted(tables)} is not one of {', '.join(TABLES)}", source=where
        )
    table = tables.pop()
    long = frame.melt(
        id_vars=["GeoFIPS", "GeoName", "LineCode", "Description"],
        value_vars=years,
        var_name="year",
        value_name="raw",
    )
    fips = long["GeoFIPS"].str.strip().str.zfill(5)
    names = long["GeoName"].str.strip()
    values = long["raw"].str.strip()
    rpp = pd.to_numeric(values, errors="coerce")
    bad = rpp.isna() & (values != NOT_AVAILABLE)
    if bad.any():
        row = long[bad].iloc[0]
        raise SourceFormatError(
            f"{row['GeoName'].strip()} {row['year']}: value {row['raw']!r} is not a number",
            source=where,
        )
    geo_type = pd.Series(TABLES[table], index=long.index)
    geo_type[fips == "00000"] = "nation"
    geo_type[names.str.contains("Nonmetropolitan Portion", regex=False)] = "nonmetro_portion"
    out = pd.DataFrame(
        {
            "table": table,
            "geo_fips": fips,
            "geo_name": names.str.rstrip(" *").str.replace(_NAME_SUFFIX, "", regex=True),
            "geo_type": geo_type,
            "line_code": long["LineCode"].str.strip(),
            "description": long["Description"].str.strip(),
            "year": long["year"].str.strip().astype("int64"),
            "rpp": rpp.astype("float64"),
            "note": (values == NOT_AVAILABLE).map(
                {True: footnotes or "not available (BEA: (NA))", False: ""}
            ),
            "release": info.get("release", ""),
        }
    )
    out.attrs.update(
        {"table": table, "title": info.get("title", ""), "updated": info.get("updated", "")}
    )
    out.attrs["source"] = where
    return out


def all_items(frame: pd.DataFrame) -> pd.DataFrame:
    """The "RPPs: All items" rows of a :func:`parse` frame, found by their description.

    Raises
    ------
    SourceFormatError
        No line or several lines are described as all items.
    """
    described = frame["description"].str.strip().str.lower()
    lines = frame.loc[described == ALL_ITEMS, "line_code"].unique()
    if len(lines) != 1:
        found = sorted(frame["description"].unique())
        raise SourceFormatError(
            f"expected one line described 'RPPs: All items', found {len(lines)} among {found}",
            source=str(frame.attrs.get("source", "")),
        )
    out = frame[described == ALL_ITEMS].reset_index(drop=True)
    out.attrs.update(frame.attrs)
    return out


def zip_url(table: str, *, settings: Settings | None = None) -> str:
    """Where BEA publishes ``table``'s zip, e.g. ``https://apps.bea.gov/regional/zip/SARPP.zip``."""
    return f"{get_settings(settings).bea_url}/regional/zip/{table}.zip"


def checker(table: str):
    """A cache check: the file parses as BEA's ``table`` and has an all-items line."""

    def check(path: Path) -> None:
        parsed = parse(path, source=path.name)
        if parsed.attrs["table"] != table:
            raise SourceFormatError(
                f"holds BEA table {parsed.attrs['table']}, expected {table}", source=path.name
            )
        all_items(parsed)

    return check


def cache_key(table: str) -> str:
    """The cache key of ``table``'s file (the zip, or its CSV if added by hand)."""
    return f"bea/{table}"


_FILE = re.compile(r"^(?P<table>sarpp|marpp)(?:_[a-z]+_\d{4}_\d{4}\.csv|\.zip)$", re.I)


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """BEA regional price parities saved by hand: ``SARPP.zip``/``MARPP.zip`` or their CSV."""
    settings = get_settings(settings)
    m = _FILE.match(Path(path).name)
    if m is None:
        return None
    table = m["table"].upper()
    return KnownFile(
        key=cache_key(table),
        url=zip_url(table, settings=settings),
        description=f"BEA regional price parities {table} ({TABLES[table]})",
        check=checker(table),
    )

"""O*NET database text files (tab-delimited): bytes in, frames out.

O*NET publishes each release as a zip, ``db_<release>_text.zip`` (``db_30_1_text.zip``), of
tab-separated text files with a header line, CRLF line endings, one folder
``db_30_1_text/`` inside. The files read here (:data:`TABLES`) and their layouts:

- ``Related Occupations.txt``: 30.x ``O*NET-SOC Code, Related O*NET-SOC Code, Relatedness
  Tier, Index``; 29.x adds ``Title`` and ``Related Title``.
- ``Job Zones.txt``: 30.x ``O*NET-SOC Code, Job Zone, Date, Domain Source``; 29.x adds
  ``Title``.
- ``Job Zone Reference.txt``, ``Occupation Data.txt``, ``Alternate Titles.txt``, ``Sample of
  Reported Titles.txt``, ``Task Statements.txt``, ``Technology Skills.txt``.

Each file is recognised by its header, never by its name alone: a file of another table (or
not an O*NET file) raises :class:`~marketdata.core.errors.SourceFormatError` in one line naming
what it looks like. A release that lacks a file (O*NET 30.2 renamed and split some) is
read for what it has; :func:`read_release` says which files are missing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import MissingFileError, SourceFormatError
from marketdata.sources import KnownFile

if TYPE_CHECKING:  # pandas loads to parse; the table names and codes are read without it
    import pandas as pd

PROGRAM = "O*NET"
#: The licence O*NET's ``Read Me.txt`` names, and the attribution it asks for.
LICENSE = "CC BY 4.0"
LICENSE_URL = "https://www.onetcenter.org/license_db.html"
_CODE = re.compile(r"^\d{2}-\d{4}\.\d{2}$")
_RELEASE = re.compile(r"O\*NET (\d{1,2}\.\d) Database")
_FOLDER = re.compile(r"db_(\d{1,2})_(\d)_text", re.I)
_MISSING = {"n/a", ""}


@dataclass(frozen=True)
class Table:
    """One O*NET file: its name, the columns read (O*NET's name -> ours) and which of them
    every layout has."""

    file: str
    columns: dict[str, str]
    required: tuple[str, ...]


#: The files read, by our table name.
TABLES: dict[str, Table] = {
    "related": Table(
        "Related Occupations.txt",
        {
            "O*NET-SOC Code": "onet_code",
            "Title": "onet_title",
            "Related O*NET-SOC Code": "related_code",
            "Related Title": "related_title",
            "Relatedness Tier": "tier",
            "Index": "rank",
        },
        ("O*NET-SOC Code", "Related O*NET-SOC Code", "Relatedness Tier", "Index"),
    ),
    "job_zones": Table(
        "Job Zones.txt",
        {
            "O*NET-SOC Code": "onet_code",
            "Title": "onet_title",
            "Job Zone": "job_zone",
            "Date": "date",
            "Domain Source": "domain_source",
        },
        ("O*NET-SOC Code", "Job Zone", "Date"),
    ),
    "job_zone_reference": Table(
        "Job Zone Reference.txt",
        {
            "Job Zone": "job_zone",
            "Name": "name",
            "Experience": "experience",
            "Education": "education",
            "Job Training": "training",
            "Examples": "examples",
            "SVP Range": "svp_range",
        },
        ("Job Zone", "Name", "Experience", "Education"),
    ),
    "occupations": Table(
        "Occupation Data.txt",
        {"O*NET-SOC Code": "onet_code", "Title": "title", "Description": "description"},
        ("O*NET-SOC Code", "Title", "Description"),
    ),
    "alternate_titles": Table(
        "Alternate Titles.txt",
        {
            "O*NET-SOC Code": "onet_code",
            "Alternate Title": "title",
            "Short Title": "short_title",
            "Source(s)": "sources",
        },
        ("O*NET-SOC Code", "Alternate Title"),
    ),
    "reported_titles": Table(
        "Sample of Reported Titles.txt",
        {
            "O*NET-SOC Code": "onet_code",
            "Reported Job Title": "title",
            "Shown in My Next Move": "shown_in_my_next_move",
        },
        ("O*NET-SOC Code", "Reported Job Title"),
    ),
    "tasks": Table(
        "Task Statements.txt",
        {
            "O*NET-SOC Code": "onet_code",
            "Task ID": "task_id",
            "Task": "task",
            "Task Type": "task_type",
            "Incumbents Responding": "incumbents_responding",
            "Date": "date",
            "Domain Source": "domain_source",
        },
        ("O*NET-SOC Code", "Task ID", "Task"),
    ),
    "technology": Table(
        "Technology Skills.txt",
        {
            "O*NET-SOC Code": "onet_code",
            "Example": "example",
            "Commodity Code": "commodity_code",
            "Commodity Title": "commodity_title",
            "Hot Technology": "hot_technology",
            "In Demand": "in_demand",
        },
        ("O*NET-SOC Code", "Example", "Commodity Title", "Hot Technology"),
    ),
}
TIERS = ("Primary-Short", "Primary-Long", "Supplemental")
_INTEGER = {"rank", "job_zone", "task_id"}
_FLAG = {"hot_technology", "in_demand", "shown_in_my_next_move"}
_BY_FILE = {t.file.lower(): name for name, t in TABLES.items()}


def attribution(release: str) -> str:
    """The attribution O*NET asks for under CC BY 4.0, naming the release.

    >>> attribution("30.1")  # doctest: +NORMALIZE_WHITESPACE
    'O*NET 30.1 Database by the U.S. Department of Labor, Employment and Training
    Administration (USDOL/ETA). Used under the CC BY 4.0 license.'
    """
    return (
        f"O*NET {release} Database by the U.S. Department of Labor, Employment and Training "
        f"Administration (USDOL/ETA). Used under the {LICENSE} license."
    )


def _header(text: str) -> list[str]:
    first = text.split("\n", 1)[0].rstrip("\r")
    return [c.strip() for c in first.split("\t")]


def _looks_like(header: list[str]) -> str:
    """The O*NET file whose columns ``header`` has, in words, or '' if none."""
    for table in TABLES.values():
        if set(table.required) <= set(header):
            return table.file
    return ""


def _text(data: bytes, source: str) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise SourceFormatError(
            "a zip, not one O*NET text file: read it with read_release", source=source
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse(data: bytes | Path, table: str, *, source: str = "") -> pd.DataFrame:
    """Read one O*NET text file of ``table`` (a key of :data:`TABLES`), either layout.

    Parameters
    ----------
    data
        The file's bytes, or its path. CRLF or LF line endings.
    table
        ``related``, ``job_zones``, ``job_zone_reference``, ``occupations``,
        ``alternate_titles``, ``reported_titles``, ``tasks`` or ``technology``.

    Returns
    -------
    DataFrame
        Our names of the table's columns (:attr:`Table.columns`), every one present (missing
        in a layout: empty); ``n/a`` cells are missing; ranks, job zones and task ids are
        integers, Y/N columns booleans.

    Raises
    ------
    SourceFormatError
        Not an O*NET text file, a file of another table, or a bad code or number (names the
        line).
    """
    import pandas as pd

    spec = TABLES[table]
    raw = data.read_bytes() if isinstance(data, Path) else data
    source = source or (str(data) if isinstance(data, Path) else spec.file)
    text = _text(raw, source)
    header = _header(text)
    missing = [c for c in spec.required if c not in header]
    if missing:
        other = _looks_like(header)
        what = f"it looks like O*NET's {other!r}" if other else "not an O*NET text file"
        first = text[:60].splitlines()[0] if text.strip() else ""
        shown = f"first line {first!r}" if first.replace("\t", " ").isprintable() else "not text"
        raise SourceFormatError(
            f"expected O*NET's {spec.file!r} (columns {', '.join(spec.required)}); {what}: {shown}",
            source=source,
            line=1,
        )
    _check_fields(text, len(header), source)
    frame = pd.read_csv(
        io.StringIO(text),
        sep="\t",
        dtype=str,
        keep_default_na=False,
        quoting=csv.QUOTE_NONE,
        index_col=False,
        engine="c",
    ).rename(columns=str.strip)
    out = pd.DataFrame(index=frame.index)
    for name, ours in spec.columns.items():
        values = frame[name].str.strip() if name in frame else pd.Series(pd.NA, index=frame.index)
        out[ours] = values.mask(values.isin(_MISSING)) if name in frame else values
    _check(out, spec, source)
    for column in _INTEGER & set(out.columns):
        out[column] = out[column].astype("int64")
    for column in _FLAG & set(out.columns):
        out[column] = out[column].map({"Y": True, "N": False}).astype("boolean")
    out.attrs["source"] = source
    out.attrs["layout"] = "29.x" if "Title" in header and table in ("related", "job_zones") else ""
    return out.astype({c: "string" for c in out.columns if c not in _INTEGER | _FLAG})


def _check_fields(text: str, fields: int, source: str) -> None:
    """SourceFormatError at the first line whose number of fields differs from the header's."""
    for number, line in enumerate(text.splitlines()[1:], start=2):
        if line and line.count("\t") != fields - 1:
            raise SourceFormatError(
                f"{line.count(chr(9)) + 1} tab-separated fields, the header has {fields}",
                source=source,
                line=number,
            )


def _check(frame: pd.DataFrame, spec: Table, source: str) -> None:
    """SourceFormatError at the first row with a bad code, tier or number."""
    for column in ("onet_code", "related_code"):
        if column in frame:
            bad = ~frame[column].fillna("").str.match(_CODE)
            _fail(frame, bad, column, "is not an O*NET-SOC code like 29-2072.00", source)
    for column in _INTEGER & set(frame.columns):
        bad = ~frame[column].fillna("").str.fullmatch(r"\d+")
        _fail(frame, bad, column, "is not a whole number", source)
    if "tier" in frame:
        _fail(frame, ~frame["tier"].isin(TIERS), "tier", f"is not one of {TIERS}", source)


def _fail(frame: pd.DataFrame, bad: pd.Series, column: str, what: str, source: str) -> None:
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        value = frame[column].iloc[row]
        raise SourceFormatError(f"{column} {value!r} {what}", source=source, line=row + 2)


def release_of(text: str) -> str:
    """The release a ``Read Me.txt`` or a folder/zip name names (``"30.1"``), or ''."""
    if m := _RELEASE.search(text):
        return m[1]
    if m := _FOLDER.search(text):
        return f"{m[1]}.{m[2]}"
    return ""


@dataclass(frozen=True)
class Release:
    """The files of one O*NET release folder or zip: the tables read, and what is missing."""

    release: str
    tables: dict[str, pd.DataFrame]
    missing: tuple[str, ...]
    source: str

    def table(self, name: str) -> pd.DataFrame:
        """The frame of table ``name``; MissingFileError naming the file the release lacks."""
        if name not in self.tables:
            raise MissingFileError(
                f"this O*NET {self.release + ' ' if self.release else ''}release has no "
                f"{TABLES[name].file!r} (O*NET renamed or split some files in later "
                "releases; a copy may also be partial)",
                source=self.source,
            )
        return self.tables[name]


def _members(path: Path) -> dict[str, bytes]:
    """File name (lower case) -> bytes of a release folder or zip."""
    if path.is_dir():
        return {p.name.lower(): p.read_bytes() for p in path.iterdir() if p.is_file()}
    try:
        with zipfile.ZipFile(path) as archive:
            return {
                n.rsplit("/", 1)[-1].lower(): archive.read(n)
                for n in archive.namelist()
                if not n.endswith("/")
            }
    except zipfile.BadZipFile:
        raise SourceFormatError(
            "not a zip, nor an O*NET release folder", source=str(path)
        ) from None


def read_release(path: Path, tables: tuple[str, ...] | None = None) -> Release:
    """Read the O*NET files of a release folder or its zip (``db_30_1_text.zip``).

    ``tables`` (default: every one of :data:`TABLES`) are parsed where the release has their
    file; the others are listed in :attr:`Release.missing`.

    Raises
    ------
    SourceFormatError
        Not a zip or folder, none of O*NET's files in it, or a file with a bad layout.
    """
    path = Path(path)
    members = _members(path)
    wanted = tables or tuple(TABLES)
    found = {
        t: members[TABLES[t].file.lower()] for t in wanted if TABLES[t].file.lower() in members
    }
    if not any(t.file.lower() in members for t in TABLES.values()):
        raise SourceFormatError(
            f"none of O*NET's files ({', '.join(t.file for t in TABLES.values())}) is in it",
            source=str(path),
        )
    readme = members.get("read me.txt", b"").decode("utf-8", errors="replace")
    release = release_of(readme) or release_of(path.name)
    frames = {
        t: parse(data, t, source=f"{path.name}!{TABLES[t].file}") for t, data in found.items()
    }
    missing = tuple(TABLES[t].file for t in wanted if t not in found)
    return Release(release, frames, missing, str(path))


def zip_name(release: str) -> str:
    """``db_30_1_text.zip`` for ``"30.1"``."""
    return f"db_{release.replace('.', '_')}_text.zip"


def zip_url(release: str, *, settings: Settings | None = None) -> str:
    """Where O*NET publishes a release's text zip (``MARKETDATA_ONET_URL`` replaces the host)."""
    return f"{get_settings(settings).onet_url}/dl_files/database/{zip_name(release)}"


def cache_key(release: str, file: str | None = None) -> str:
    """Cache key of a release's zip, or of one of its files added by hand."""
    folder = f"onet/{zip_name(release).removesuffix('.zip')}"
    return (
        f"{folder}.zip" if file is None else f"{folder}/{file.replace(' ', '_').replace(',', '')}"
    )


def check_zip(path: Path) -> None:
    """A cache check: the zip holds O*NET's related occupations in a known layout."""
    read_release(path, ("related",)).table("related")


def _file_check(table: str):
    def check(path: Path) -> None:
        parse(path, table, source=path.name)

    return check


def _lacking(path: Path) -> list[str]:
    """The files of :data:`TABLES` a release zip lacks (none said for a file not a zip)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = {n.rsplit("/", 1)[-1].lower() for n in archive.namelist()}
    except (zipfile.BadZipFile, OSError):
        return []
    return [t.file for t in TABLES.values() if t.file.lower() not in names]


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """An O*NET release zip (``db_30_1_text.zip``) or one of its text files, saved by hand.

    A single file's release is read from its folder's name (``db_30_1_text/``) or the
    ``Read Me.txt`` beside it.

    Raises
    ------
    SourceFormatError
        An O*NET file name whose release cannot be told.
    """
    path = Path(path)
    name = path.name
    if _FOLDER.fullmatch(name.removesuffix(".zip")) and name.endswith(".zip"):
        release = release_of(name)
        missing = _lacking(path)
        lacking = f"; lacks {', '.join(missing)}" if missing else ""
        return KnownFile(
            key=cache_key(release),
            url=zip_url(release, settings=settings),
            description=f"O*NET {release} database (text files{lacking})",
            check=check_zip,
        )
    table = _BY_FILE.get(name.lower())
    if table is None:
        return None
    readme = path.with_name("Read Me.txt")
    release = release_of(readme.read_text(errors="replace")) if readme.is_file() else ""
    release = release or release_of(path.parent.name)
    if not release:
        raise SourceFormatError(
            "an O*NET file, but of which release? Keep it in its db_30_1_text folder (or "
            "beside its Read Me.txt) and add it from there",
            source=str(path),
        )
    return KnownFile(
        key=cache_key(release, name),
        url=f"{zip_url(release, settings=settings)}#{name}",
        description=f"O*NET {release} {name}",
        check=_file_check(table),
    )

"""BLS's national Employment Projections (EP); the states' are in :mod:`.state_projections`.

:func:`load` returns one table of BLS's ``occupation.xlsx`` for an EP release (BLS calls it a
projection round), downloaded through the cache (the current release from
``/emp/ind-occ-matrix/occupation.xlsx``, past releases from the projections archive) and parsed
once into Parquet, with its provenance in ``df.attrs["provenance"]``.

Summary rows (totals and groups, e.g. ``00-0000``, ``29-2000``) and line items (detailed
occupations) are kept apart by ``occupation_type``; :func:`load` returns line items unless asked
otherwise, so that sums never count a worker twice.

:func:`load` is :func:`locate` (which file holds the release, downloading it if needed; no
pandas) then :func:`read`; :func:`code_index` answers which occupations the located table has
without pandas or pyarrow, so that a mistyped code is answered at once.

If BLS cannot be reached (or offline mode is on) and no release as new as the bundled one is
cached, ``load()`` (or ``load`` of the bundled release) uses the tables of the release
bundled with the package (:mod:`marketdata.bundled.projections_bundle`), with an
:class:`~marketdata.core.errors.OfflineDataWarning`; their provenance says ``bundled``. A 403
(:class:`~marketdata.core.errors.ContactRequired`) is a configuration problem and always raises.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from marketdata.bundled import projections_bundle as bundled
from marketdata.core import arguments
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    ContactRequired,
    FetchError,
    InputValueError,
    OfflineError,
    UnknownRelease,
)
from marketdata.core.schema import attach_provenance
from marketdata.datasets import codes_groups, recipe
from marketdata.io import cache
from marketdata.io.cache import CachedFile
from marketdata.sources import ep

if TYPE_CHECKING:  # pandas loads to read a table, not to locate it or look up its codes
    import pandas as pd

__all__ = [
    "CURRENT_KEY",
    "OCCUPATION_TYPES",
    "PROGRAM",
    "TABLES",
    "Located",
    "code_index",
    "load",
    "locate",
    "read",
    "releases_cached",
]

logger = logging.getLogger(__name__)

PROGRAM = "EP"
#: Cache key of the current-round workbook (its content changes when BLS publishes a round).
CURRENT_KEY = "ep/occupation.xlsx"
TABLES: tuple[str, ...] = tuple(ep.TABLE_TITLES)
#: ``occupation_type`` argument -> value kept (None: both).
OCCUPATION_TYPES: dict[str, str | None] = {
    "line item": "Line item",
    "summary": "Summary",
    "all": None,
}


@dataclass(frozen=True)
class _Located:
    """A cached file holding a release's tables: an xlsx, an archive zip or a data-tool CSV."""

    file: CachedFile
    form: str  # "workbook" | "archive" | "csv"


@dataclass(frozen=True)
class Located:
    """Where :func:`read` finds ``table`` of the release asked for (:func:`locate`): a cached
    file, or (``cached`` None) the bundled release, BLS's being out of reach."""

    release: str  # as asked: "latest" or an EP release
    table: str
    cached: _Located | None


def _hand_key(round_: str) -> str:
    return f"ep/occupation_{round_}.xlsx"


def csv_key(round_: str) -> str:
    base, projected = ep.round_years(round_)
    return f"ep/employment_projections_{base}-{projected}.csv"


def _round_of(located: _Located) -> str:
    if located.form == "archive":
        return ep.workbook_round(ep.read_archive(located.file.path), name=located.file.key)
    if located.form == "csv":
        return str(ep.parse_csv(located.file.path)["release"].iloc[0])
    return ep.workbook_round(located.file.path, name=located.file.key)


def releases_cached(*, settings: Settings | None = None) -> list[str]:
    """EP releases whose tables are in the cache (downloaded or added by hand)."""
    found = set()
    for entry in cache.entries(settings=settings):
        match = re.match(
            r"^ep/(?:occupation_|projections-archive/|employment_projections_)(.+?)\.(?:xlsx|zip|csv)$",
            entry.key,
        )
        if match:
            found.add(ep.normalize_round(match.group(1)))
        elif entry.key == CURRENT_KEY:
            found.add(_round_of(_Located(entry, "workbook")))
    return sorted(found)


def _locate(
    round_: str, *, refresh: bool, templates: Mapping[str, str], settings: Settings
) -> _Located:
    """Find (downloading if needed) the file that holds ``round_``'s tables."""
    current_url = templates["current"].format(www=settings.bls_www_url)

    def current() -> _Located | recipe.Missed:
        file = recipe.File(CURRENT_KEY, current_url, ep.check_projections_workbook)
        got = recipe.reach([file], settings=settings, refresh=refresh)
        return got if isinstance(got, recipe.Missed) else _Located(got[CURRENT_KEY], "workbook")

    if round_ == "latest":
        located = current()
        if not isinstance(located, recipe.Missed):
            return located
        cached = releases_cached(settings=settings)
        if not cached or ep.round_years(cached[-1]) < ep.round_years(bundled.round_()):
            raise located.error  # the bundled round is newer: load() uses it
        fallback = cached[-1]
        logger.info("could not get BLS's current occupation.xlsx (%s)", located.error)
        recipe.say_instead(
            PROGRAM,
            "BLS's current Employment Projections could not be had",
            f"the newest EP release in the cache, {fallback}",
        )
        return _locate(fallback, refresh=False, templates=templates, settings=settings)

    wanted = _check_round(round_)
    entry = cache.lookup(_hand_key(wanted), settings=settings)
    if entry is not None:
        return _Located(entry, "workbook")
    entry = cache.lookup(CURRENT_KEY, settings=settings)
    if entry is not None and not refresh and _round_of(_Located(entry, "workbook")) == wanted:
        return _Located(entry, "workbook")
    archive_url = templates["archive"].format(www=settings.bls_www_url, release=wanted)
    key = f"ep/projections-archive/{wanted}.zip"
    archive = recipe.reach(
        [recipe.File(key, archive_url, ep.check_archive)], settings=settings, refresh=refresh
    )
    if not isinstance(archive, recipe.Missed):
        return _Located(archive[key], "archive")
    if not isinstance(archive.error, OfflineError) and archive.error.status != 404:
        raise archive.error
    problems = [archive.reason]
    # The current round is not in the archive yet: it is the current workbook.
    located = current()
    if isinstance(located, recipe.Missed):
        problems.append(located.reason)
    elif _round_of(located) == wanted:
        return located
    else:
        problems.append(f"BLS's current occupation.xlsx is the {_round_of(located)} release")
    entry = cache.lookup(csv_key(wanted), settings=settings)
    if entry is not None:
        return _Located(entry, "csv")
    if settings.offline:
        raise OfflineError(
            f"the {wanted} EP release is not in the cache and offline mode is on",
            url=archive_url,
            hint=f"Fetch it by running the command again with MARKETDATA_OFFLINE unset (it is "
            f"downloaded from {archive_url}), or save the release's occupation.xlsx in a browser "
            "and add it with `marketdata cache add PATH`.",
        )
    raise UnknownRelease(
        "EP release",
        wanted,
        releases_cached(settings=settings),
        hint="Not found: " + "; ".join(problems) + ". Download the release's occupation.xlsx or "
        "data-tool CSV in a browser and add it with `marketdata cache add PATH`.",
    )


def _check_round(round_: str) -> str:
    """``round_`` as BLS writes it (``"2024-34"``) if it can be a published round (ten years,
    starting before this year); UnknownRelease otherwise, before anything is downloaded."""
    wanted = ep.normalize_round(round_)
    base, projected = ep.round_years(wanted)
    if projected - base != 10 or base >= date.today().year:
        raise UnknownRelease(
            "EP release",
            round_,
            [bundled.round_()],
            hint=f"Not an EP release: BLS publishes one ten-year projection a year, the first "
            f"year already past (e.g. {bundled.round_()}, the bundled one).",
        )
    return wanted


def _parse(located: _Located, table: str) -> pd.DataFrame:
    if located.form == "csv":
        if table != "projections":
            raise InputValueError(
                "EP table",
                table,
                ["projections"],
                hint=f"{located.file.key} is a data-tool export, which has only the projections.",
            )
        return ep.parse_csv(located.file.path, name=located.file.key)
    source = ep.read_archive(located.file.path) if located.form == "archive" else located.file.path
    return ep.parse_workbook(source, kind=table, name=located.file.key)


def load(
    *,
    release: str = "latest",
    table: str = "projections",
    occupation_type: str = "line item",
    soc_group: str | Sequence[str] | None = None,
    refresh: bool = False,
    url_templates: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """One table of BLS's Employment Projections for an EP release.

    Parameters
    ----------
    release
        ``"latest"`` (BLS's current ``occupation.xlsx``) or an EP release such as ``"2021-31"``
        (also ``"2021-2031"``).
    table
        ``"projections"`` (employment, change, openings, median wage, education and training),
        ``"employment"``, ``"separations"`` (exit and transfer rates, openings),
        ``"attainment"`` (educational attainment shares) or ``"education"``.
    occupation_type
        ``"line item"`` (detailed occupations, default), ``"summary"`` (totals and groups) or
        ``"all"``.
    soc_group
        One or more SOC groups: ``"29-0000"`` keeps the rows of the major group,
        ``"29-2000"`` of a minor group (see :func:`marketdata.datasets.codes_groups.in_soc_group`).
    refresh
        Ask BLS whether the file changed since it was cached.
    url_templates
        Replace :data:`marketdata.sources.ep.URL_TEMPLATES` (keys ``current`` and ``archive``).

    Returns
    -------
    DataFrame
        Columns :data:`marketdata.sources.ep.COLUMNS` ``[table]``; counts in persons.

    Raises
    ------
    UnknownRelease
        The release is neither BLS's current one nor in the archive, the cache or the bundle.
    ContactRequired
        BLS refused the download (403): set ``MARKETDATA_CONTACT``.

    Warns
    -----
    OfflineDataWarning
        BLS could not be reached and nothing as new is cached: the bundled release is used
        (for ``"latest"``), or a cached older release when that is all there is.
    """
    settings = get_settings(settings)
    arguments.one(release, "release", example="'latest' or '2024-34'")
    arguments.one(table, "table", example="'projections'")
    arguments.one(occupation_type, "occupation_type", example="'line item'")
    _check_table(table)
    _occupation_type(occupation_type)
    prefixes = [codes_groups.soc_prefix(g) for g in _listed(soc_group)]  # bad input: no loading
    located = _where(
        release, table, refresh=refresh, url_templates=url_templates, settings=settings
    )
    frame = read(located, occupation_type=occupation_type, settings=settings)
    return codes_groups.in_soc_group(frame, soc_group) if prefixes else frame


def _listed(value: str | Sequence[str] | None) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def locate(
    *,
    release: str = "latest",
    table: str = "projections",
    refresh: bool = False,
    url_templates: Mapping[str, str] | None = None,
    settings: Settings | None = None,
) -> Located:
    """Where :func:`load` reads ``table`` of ``release`` (downloaded if needed), without
    pandas: :func:`read` reads it, :func:`code_index` lists its occupations. Parameters,
    errors and warnings as :func:`load`'s."""
    settings = get_settings(settings)
    _check_table(table)
    return _where(release, table, refresh=refresh, url_templates=url_templates, settings=settings)


def read(
    located: Located, *, occupation_type: str = "line item", settings: Settings | None = None
) -> pd.DataFrame:
    """The table :func:`locate` found, as :func:`load` returns it (``occupation_type`` as
    there); parsed into the cache's Parquet on first use."""
    settings = get_settings(settings)
    kept = OCCUPATION_TYPES[_occupation_type(occupation_type)]
    if located.cached is None:
        frame = bundled.read(located.table)
    else:
        frame = _load_located(located.cached, located.release, located.table, settings=settings)
    if kept is not None:
        attrs = dict(frame.attrs)
        frame = frame[frame["occupation_type"] == kept].reset_index(drop=True)
        frame.attrs.update(attrs)
    return frame


def code_index(
    located: Located, *, settings: Settings | None = None
) -> list[tuple[str, ...]] | None:
    """The rows of the located table as (code, title, release) text
    (:data:`marketdata.sources.ep.CODE_COLUMNS`), in the table's order, read without pandas:
    the bundled release's code index, or the one stored with a cached release's Parquet.

    None when there is none (the bundle indexes only its projections table; a cached release
    parsed by an older marketdata, or not parsed yet, has none): :func:`read` the table.

    Raises
    ------
    UnknownRelease
        The cached file holds another release than the one asked for (as :func:`read`).
    """
    if located.cached is None:
        if located.table != "projections":
            return None
        header, rows = bundled.code_index()
    else:
        stored = cache.read_index(
            _parquet_name(located.cached, located.table),
            inputs=[located.cached.file],
            settings=get_settings(settings),
        )
        if stored is None:
            return None
        header, rows = stored
    if header != ep.CODE_COLUMNS or not rows:
        return None
    if located.cached is not None:
        _check_round_of(located.cached, located.release, rows[0][2])
    return list(rows)


def _check_table(table: str) -> None:
    if table not in TABLES:
        raise InputValueError("EP table", table, list(TABLES))


def _occupation_type(occupation_type: str) -> str:
    """The key of :data:`OCCUPATION_TYPES` meant; InputValueError if none."""
    key = occupation_type.strip().lower()
    if key not in OCCUPATION_TYPES:
        raise InputValueError("occupation type", occupation_type, list(OCCUPATION_TYPES))
    return key


def _where(
    round_: str,
    table: str,
    *,
    refresh: bool,
    url_templates: Mapping[str, str] | None,
    settings: Settings,
) -> Located:
    """The file holding ``round_``'s tables, or the bundled round (said loudly) when BLS
    could not give it and the bundle answers the request."""
    templates = {**ep.URL_TEMPLATES, **(url_templates or {})}
    try:
        located = _locate(round_, refresh=refresh, templates=templates, settings=settings)
    except ContactRequired:
        raise
    except (FetchError, UnknownRelease) as err:
        if not bundled.fits(round_):
            raise
        missed: FetchError | UnknownRelease = err
    else:
        return Located(round_, table, located)
    bundled.check_table(table, missed)
    info = bundled.manifest()
    logger.info(
        "BLS's Employment Projections could not be had (%s); using the bundled %s release "
        "(BLS's occupation.xlsx retrieved %s)",
        str(missed).splitlines()[0],
        info["release"],
        info["retrieved"],
    )
    recipe.say_instead(
        PROGRAM, None, f"the bundled {info['release']} release of the Employment Projections"
    )
    return Located(round_, table, None)


def _parquet_name(located: _Located, table: str) -> str:
    return f"{located.file.key}/{table}"


def _load_located(
    located: _Located, round_: str, table: str, *, settings: Settings
) -> pd.DataFrame:
    def parse() -> pd.DataFrame:
        frame = _parse(located, table)
        release = str(frame["release"].iloc[0])
        return attach_provenance(frame, [located.file.provenance(program=PROGRAM, release=release)])

    name = _parquet_name(located, table)
    frame = recipe.cached_frame(
        name,
        [located.file],
        parse,
        settings=settings,
        index=ep.code_frame,
        columns=ep.COLUMNS[table],  # a frame cached by an earlier version is parsed again
    )
    _check_round_of(located, round_, str(frame["release"].iloc[0]))
    return frame


def _check_round_of(located: _Located, round_: str, found: str) -> None:
    """UnknownRelease if ``located`` holds round ``found``, not ``round_`` (unless "latest")."""
    if round_ != "latest" and found != ep.normalize_round(round_):
        raise UnknownRelease(
            "EP release",
            round_,
            [found],
            hint=f"{located.file.key} holds another EP release.",
        )

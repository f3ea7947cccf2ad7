"""OEWS employment and wage estimates, as a tidy frame for notebooks and reports.

>>> from marketdata import oews
>>> df = oews.load("29-2072", ["US", "OH", "Columbus, OH"])  # doctest: +SKIP

The current release comes from BLS's time-series flat files
(``<MARKETDATA_BLS_DOWNLOAD_URL>/pub/time.series/oe/``), downloaded once into the cache and
parsed into Parquet keyed by release; later loads read only the Parquet rows asked for.
Older releases come from BLS's archives (:mod:`marketdata.datasets.oews_history`).

If BLS cannot be reached (or offline mode is on) and the files are not cached, the bundled
snapshot of the latest release (cross-industry estimates for every area) is used, with an
:class:`~marketdata.core.errors.OfflineDataWarning`; its provenance says ``bundled``. A 403
(:class:`~marketdata.core.errors.ContactRequired`) is a configuration problem and always raises.
"""

from __future__ import annotations

import logging
import os
import re
import warnings
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from marketdata import bundled as snapshot
from marketdata.core import arguments
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    ArgumentOrderError,
    ChecksumError,
    ContactRequired,
    FetchError,
    OfflineDataWarning,
    OfflineError,
    SourceFormatError,
    UnknownRelease,
)
from marketdata.core.notices import unreachable
from marketdata.core.schema import attach_provenance
from marketdata.datasets import codes, oews_groups, recipe
from marketdata.datasets import oews_archived as archived
from marketdata.datasets import oews_rows as rows
from marketdata.datasets.oews_codes import (
    area_records,
    first_reads,
    flat_file,
    occupation_records,
    release_of,
)
from marketdata.io import cache
from marketdata.sources import oe
from marketdata.sources.oews_archive import parse_release

if TYPE_CHECKING:  # numpy and pandas load with the data; codes are resolved without them
    import pandas as pd

__all__ = [
    "ALL_INDUSTRIES",
    "CROSS_INDUSTRY",
    "LATEST",
    "OE_PATH",
    "PROGRAM",
    "areas",
    "current_release",
    "fetch_files",
    "history",
    "load",
    "occupations",
    "wages_table",
]

logger = logging.getLogger(__name__)

OE_PATH = oe.OE_PATH  # where BLS publishes the flat files, under the download host
file_url = oe.file_url  # where BLS publishes a flat file: file_url("oe.area")

PROGRAM = "OEWS"
CROSS_INDUSTRY = rows.CROSS_INDUSTRY
#: ``industry=ALL_INDUSTRIES`` loads every industry (national industry estimates included).
ALL_INDUSTRIES = rows.ALL_INDUSTRIES
#: The one word for BLS's newest release.
LATEST = "latest"
_RELEASE_HINT = (
    "Give 'latest', a year such as 2024, or a release label such as 'May 2024' "
    "(releases run from 1997 on; May each year since 2003, also November in 2003 and 2004)."
)
_EXAMPLES = {
    "area": "'OH', 'Ohio' or 'Columbus, OH'",
    "occupation": "'29-2072' or 'medical records'",
    "industry": "'622000' or 'all'",
}

Selection = rows.Selection


def fetch_files(
    *, settings: Settings | None = None, refresh: bool = False
) -> dict[str, cache.CachedFile]:
    """The current release's flat files in the cache (downloaded if missing).

    Raises
    ------
    ContactRequired
        BLS answered 403.
    FetchError, OfflineError
        A file could not be downloaded and is not cached.
    SourceFormatError
        A downloaded file is not the expected BLS file (nothing enters the cache).
    """
    settings = get_settings(settings)
    return _by_name(recipe.fetch(_files(settings), settings=settings, refresh=refresh))


def _files(
    settings: Settings, names: tuple[str, ...] = (*oe.MAPPING_FILES, oe.DATA_FILE)
) -> list[recipe.File]:
    """The flat files ``names``: by default every one, small files first."""
    return [flat_file(name, settings=settings) for name in names]


def _by_name(found: dict[str, cache.CachedFile]) -> dict[str, cache.CachedFile]:
    """Cached flat files by their file name (``oe.area``) rather than their cache key."""
    return {key.removeprefix("oe/"): entry for key, entry in found.items()}


def _release_year(release: str | int | None) -> int | None:
    """The year of a release label; None for the latest.

    Raises :class:`TypeError` for a value that is not text or a whole number (``2025.5``),
    :class:`UnknownRelease` for text that names no release (``"November 2025"``).
    """
    if release is None:
        return None
    release = arguments.one(release, "release", example="'latest', 2025 or 'May 2025'")
    if isinstance(release, str) and release.strip().lower() == LATEST:
        return None
    try:
        return parse_release(release).year
    except UnknownRelease as err:
        year = re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", str(release))
        close = err.suggestions or ([LATEST] if year is None else _label_of(year[0]))
        raise UnknownRelease("OEWS release", release, close, hint=_RELEASE_HINT) from None


def _label_of(year: str) -> list[str]:
    """The label of ``year``'s release (``["May 2025"]``), or nothing if there is none."""
    try:
        return [parse_release(year).label]
    except UnknownRelease:
        return []


def _not_a_release(occupation: Selection) -> None:
    """ArgumentOrderError if ``occupation`` names an OEWS release and no occupation."""
    try:
        value = arguments.one(occupation, "occupation", example=_EXAMPLES["occupation"])
        if codes.soc_code(value) is not None:
            return
        _release_year(value)
    except (TypeError, UnknownRelease):  # a selection, a wrong kind or no release: looked up
        return
    raise ArgumentOrderError(
        f"oews.load({occupation!r}): the occupation comes first and {occupation!r} is a "
        f"release; pass release={occupation!r}"
    ) from None


def _checked(*selections: Selection) -> list[Selection]:
    """The area, occupation and industry selections checked (a collection becomes a list); a
    TypeError naming the parameter for anything that is not a selection of codes."""
    names = ("area", "occupation", "industry")
    return [
        arguments.selection(value, name, example=_EXAMPLES[name])
        for name, value in zip(names, selections, strict=True)
    ]


def current_release(*, settings: Settings | None = None) -> str:
    """The release BLS's flat files hold (e.g. ``"May 2025"``): that of the cached
    ``oe.release``, downloaded if missing; the bundled snapshot's if BLS can't be reached."""
    settings = get_settings(settings)
    got = recipe.reach(_files(settings, ("oe.release",)), settings=settings)
    if isinstance(got, recipe.Missed):
        logger.info("using the bundled snapshot's release (%s)", got.error)
        return snapshot.release()
    return oe.read_release(got["oe/oe.release"].path)[1]


def load(
    occupation: Selection = None,
    area: Selection = None,
    *,
    release: str | int = "latest",
    industry: Selection = None,
    soc_group: Selection = None,
    refresh: bool = False,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """OEWS estimates, one row per area x industry x occupation.

    Parameters
    ----------
    occupation
        One or more SOC codes (``"29-2072"``, ``"292072"``) or titles
        (``"medical records"``; see :func:`marketdata.datasets.codes.resolve_occupation`).
        Default: every occupation.
    area
        One or more areas as people type them: ``"US"``, ``"OH"``, ``"Ohio"``, ``39``,
        ``"Columbus, OH"``, ``"18140"`` (see :func:`marketdata.datasets.codes.resolve_area`), or
        groups: ``"all"``, ``"all-states"``, ``"OH-metros"`` (see
        :mod:`marketdata.datasets.codes_groups`). Default: every area.
    release
        ``"latest"`` (BLS's current flat files), or a past release: ``2021``,
        ``"May 2021"`` (from BLS's archives, :func:`marketdata.datasets.oews_history.load_release`:
        the national zip for the nation, the state and metro zips for their areas, all three
        for every area, the all-data zip for industry rows). ``"latest"`` is the only word
        for the newest release; a label BLS never used (``"November 2025"``, ``"2025-05"``,
        ``"current"``) or a year not published yet is an error, never read as another.
    industry
        Default cross-industry (``000000``) only; one or more OEWS industry codes or titles,
        or ``"all"`` for every industry.
    soc_group
        One or more SOC groups: ``"29-0000"`` keeps the major group's rows (its own, its
        minor and broad groups' and its detailed occupations'; ``occupation_level`` tells them
        apart), ``"29-2000"`` a minor group. With ``occupation``, the occupations of both.
    refresh
        Ask BLS whether the files changed (conditional requests; unchanged files transfer
        no body).

    Returns
    -------
    DataFrame
        Columns :data:`marketdata.sources.oe.COLUMNS` (those of
        :data:`marketdata.core.schema.OEWS_COLUMNS`, then ``is_topcoded_<wage>`` and
        ``<measure>_note``); provenance in ``df.attrs["provenance"]``.

    Raises
    ------
    UnknownCode, UnknownArea, UnknownRelease
        An input names nothing BLS publishes (or a release not published yet); the message
        lists close matches or the valid choices.
    TypeError
        An input is not text, a whole number or (for selections) a list of them: a float
        such as ``292072.0`` or ``2025.5``, a dict, a list for ``release``.
    ArgumentOrderError
        The first value names a release (``"May 2025"``, ``2025``, ``"latest"``), not an
        occupation: a release is given as ``release=``.
    ContactRequired
        BLS refused the download (403): set ``MARKETDATA_CONTACT``.
    SourceFormatError
        A BLS file is malformed (the message names file and line).

    Warns
    -----
    OfflineDataWarning
        BLS could not be reached and nothing is cached: the bundled snapshot is used.
    """
    settings = get_settings(settings)
    _not_a_release(occupation)
    area, occupation, industry = _checked(area, occupation, industry)
    year = _release_year(release)
    if year is not None:
        latest = current_release(settings=settings)
        current = _release_year(latest)
        if current is not None and year > current:
            raise UnknownRelease(
                "OEWS release", release, hint=f"It is not published yet (latest: {latest})."
            )
        if year != current:
            return archived.load_archived(release, area, occupation, industry, settings, soc_group)
    got = recipe.reach(_files(settings), settings=settings, refresh=refresh)
    if isinstance(got, recipe.Missed):
        return _load_snapshot(got.error, area, occupation, industry, settings, soc_group)
    files = _by_name(got)
    inputs = [files[name] for name in oe.FILES]

    def parse() -> pd.DataFrame:
        full = _parse(inputs, settings)
        sources = [f.provenance(program=PROGRAM, release=rel.name) for f in inputs]
        return attach_provenance(full, sources)

    try:
        release, tables = first_reads(files, settings)
        chosen, groups = rows.resolved(
            area, occupation, industry, tables, release, settings, soc_group
        )
        rel = release_of(files, settings)
        df = recipe.cached_frame(
            f"oews/{rel.code}",
            inputs,
            parse,
            settings=settings,
            filters=rows.filters(chosen),
            pick=lambda full: rows.select(full, chosen),
            # in parts, one per core: writing 370,000 rows x 56 columns is a third of the parse
            parts=os.cpu_count() or 1,
            row_group_size=32768,
        )
    except ContactRequired:
        raise
    except (FetchError, SourceFormatError) as err:  # a cached file damaged or unreadable
        damaged: FetchError | SourceFormatError | None = err
    else:
        damaged = None
    if damaged is not None:  # outside the handler: a mistyped input is not chained to it
        return _load_snapshot(damaged, area, occupation, industry, settings, soc_group)
    return oews_groups.attach(df, groups, asked=occupation)


def _parse(inputs: list[cache.CachedFile], settings: Settings) -> pd.DataFrame:
    """The release parsed from its flat files, each hashed whole first (a damaged one is
    dropped and, unless offline, fetched again once)."""
    try:
        cache.confirm(inputs, settings=settings)
    except ChecksumError:
        if settings.offline:
            raise
        files = fetch_files(settings=settings)
        inputs = [files[name] for name in oe.FILES]
        cache.confirm(inputs, settings=settings)
    paths = {f.key.removeprefix("oe/"): f.path for f in inputs}
    logger.info("parsing OEWS from %s", paths[oe.DATA_FILE])
    return oe.parse(paths)


def _load_snapshot(
    reason: FetchError | SourceFormatError,
    area: Selection,
    occupation: Selection,
    industry: Selection,
    settings: Settings,
    soc_group: Selection = None,
) -> pd.DataFrame:
    tables = {
        "area": codes.areas_of(),
        "occupation": codes.occupations_of(),
        "industry": codes.industries_of(),
    }
    chosen, groups = rows.resolved(
        area, occupation, industry, tables, snapshot.release(), settings, soc_group
    )
    if chosen.get("industry_code") != [CROSS_INDUSTRY]:
        raise OfflineError(
            "industry-specific OEWS estimates are not bundled and BLS could not be reached "
            f"({str(reason).splitlines()[0]})",
            url=getattr(reason, "url", None),
            hint="Load them when BLS is reachable (they are then cached), or drop `industry`.",
        ) from None
    info = snapshot.manifest()
    why = (
        f"{str(reason).splitlines()[0]}; the bundled snapshot (cross-industry estimates, "
        f"retrieved {info['retrieved']}) was used"
    )
    frame = recipe.bundled_instead(
        PROGRAM,
        lambda: snapshot.read(filters=rows.filters(chosen)),
        why,
        what=_why(reason, settings),
        name=lambda _: f"OEWS {info['release']} snapshot",
    )
    return oews_groups.attach(frame, groups, asked=occupation)


def _why(reason: FetchError | SourceFormatError, settings: Settings) -> str:
    """Why the bundled snapshot is used, in a few words."""
    if isinstance(reason, FetchError) and not isinstance(reason, ChecksumError):
        return unreachable(settings.offline)
    return f"The cached BLS files cannot be used ({str(reason).splitlines()[0]})"


def wages_table(
    occupation: str | int,
    area: str | int = "US",
    *,
    release: str | int = "latest",
    settings: Settings | None = None,
) -> pd.DataFrame:
    """One occupation in the nation, the area's state (for a metro or nonmetro area) and the
    area, cross-industry, in that order.

    ``df.attrs["notes"]`` explains, per area, the values BLS does not publish or top-codes
    (from BLS's footnotes); provenance as :func:`load`.
    """
    found = load(occupation, area, release=release, settings=settings)
    row = found.iloc[0]
    areas_ = ["US"]
    if row["area_type"] in ("metro", "nonmetro"):
        areas_.append(f"{row['state_code']}00000")
    if row["area_type"] != "national":
        areas_.append(str(row["area_code"]))
    with warnings.catch_warnings():  # the first load has warned already
        warnings.simplefilter("ignore", OfflineDataWarning)
        df = load(str(row["occupation_code"]), areas_, release=release, settings=settings)
    notes: list[str] = []
    for _, r in df.iterrows():
        by_text: dict[str, list[str]] = {}
        for measure in oe.MEASURES:
            text = r[oe.NOTE_COLUMNS[measure]]
            if isinstance(text, str):
                by_text.setdefault(text, []).append(measure)
        notes += [f"{r['area_name']}: {', '.join(m)}: {t}" for t, m in by_text.items()]
    df.attrs["notes"] = notes
    return df


def areas(*, settings: Settings | None = None) -> pd.DataFrame:
    """The current release's areas (``area_code``, ``area_name``, ``area_type``,
    ``state_code``): :func:`area_records` as a frame."""
    return _frame(area_records(settings=settings), codes.Area, codes.AREA_COLUMNS)


def occupations(*, settings: Settings | None = None) -> pd.DataFrame:
    """The current release's occupations (``occupation_code``, ``occupation_title``,
    ``occupation_level``): :func:`occupation_records` as a frame."""
    return _frame(occupation_records(settings=settings), codes.Occupation, codes.OCCUPATION_COLUMNS)


def _frame(records: tuple[Any, ...], kind: type, columns: tuple[str, ...]) -> pd.DataFrame:
    """Records of ``kind`` as a frame: a column per field, named ``columns`` in field order."""
    import pandas as pd

    names = [f.name for f in fields(kind)]
    return pd.DataFrame(
        {c: [getattr(r, n) for r in records] for c, n in zip(columns, names, strict=True)}
    )


def history(
    occupation: str,
    area: str | int = "US",
    *,
    start: str | int | None = None,
    end: str | int | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """One occupation's estimates across releases, bridged across SOC revisions.

    The same as :func:`marketdata.datasets.oews_history.history`, which documents the
    parameters and the columns.
    """
    from marketdata.datasets import oews_history

    return oews_history.history(occupation, area, start=start, end=end, settings=settings)

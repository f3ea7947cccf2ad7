"""Past OEWS releases (BLS's archived zips) and one occupation's history across them.

- :func:`load_release`: a past release (``"May 2021"``, ``2021``, ``"2021"``) in the tidy
  OEWS frame plus ``year``, for the nation, states, metro/nonmetro areas or all files.
- :func:`history`: one row per release for an occupation and area, following the
  occupation through the SOC revisions with BLS's crosswalks and the OEWS hybrid codes
  (:mod:`marketdata.core.soc_bridge`); rows that do not compare with the newest release are
  flagged (``is_comparable``, ``comparability_note``), never spliced silently.

Zips are fetched through :mod:`marketdata.io.cache` from ``settings.bls_www_url`` and parsed
frames are cached as Parquet. When BLS cannot be reached and a national zip or a crosswalk is
not cached, the bundled copy (:mod:`marketdata.bundled.history_bundle`: every national release from
2000 to the newest bundled one) is used, with one
:class:`~marketdata.core.errors.OfflineDataWarning`; other areas then raise one line saying what
``marketdata fetch`` would add.
"""

from __future__ import annotations

import logging
import warnings
from datetime import date

import pandas as pd

from marketdata.bundled import history_bundle as bundled
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    FetchError,
    NotComparableWarning,
    OfflineError,
    UnknownArea,
    UnknownCode,
    UnknownRelease,
)
from marketdata.core.notices import unreachable, user_stacklevel
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.core.series_id import area_code, area_type_of, occupation_digits
from marketdata.core.soc_bridge import Crosswalks, Match, match, versions_of
from marketdata.datasets import codes, recipe
from marketdata.datasets import history_offline as offline
from marketdata.io import cache
from marketdata.sources import soc_crosswalk
from marketdata.sources.oews_archive import (
    FLAG_COLUMNS,
    MEASURES,
    NOTE_COLUMNS,
    SCOPES,
    ArchiveRelease,
    archive_check,
    archive_urls,
    check_scope,
    parse_release,
    read_archive,
    release_for,
    releases,
)

logger = logging.getLogger(__name__)

PROGRAM = "OEWS"
#: Releases with new metropolitan/nonmetropolitan area definitions: history rows of metro
#: areas before one of them are not comparable with rows from it on.
AREA_REDEFINITIONS: dict[int, str] = {
    2024: "metropolitan and nonmetropolitan area definitions were redrawn for May 2024",
}
#: First year of :func:`history` by default: the first release coded in SOC.
FIRST_SOC_YEAR = next(r.year for r in releases(last_year=2000) if versions_of(r.soc_version))

_AREA_TYPE_SCOPE = {"N": "national", "S": "state", "M": "metro"}
#: Columns of :func:`history`.
HISTORY_COLUMNS: tuple[str, ...] = (
    "release",
    "year",
    "soc_version",
    "area_code",
    "area_name",
    "area_type",
    "reference_code",
    "occupation_code",
    "occupation_title",
    "occupation_level",
    "match",
    "is_comparable",
    "comparability_note",
    *MEASURES,
    *FLAG_COLUMNS,
    *NOTE_COLUMNS,
)


def _fetch_zip(
    release: ArchiveRelease, scope: str, settings: Settings
) -> cache.CachedFile | recipe.Missed:
    """The release's zip of ``scope`` in the cache, from the first of BLS's locations that has
    it, or why BLS could not give it; UnknownRelease when none has it (404)."""
    first, *others = urls = archive_urls(release, scope, base_url=settings.bls_www_url)
    key = f"oews-archive/{release.zip_name(scope)}"
    check = archive_check(scope, name=release.zip_name(scope))
    got = recipe.reach([recipe.File(key, first, check, tuple(others))], settings=settings)
    if not isinstance(got, recipe.Missed):
        return got[key]
    if got.error.status != 404:
        return got
    raise UnknownRelease(
        "OEWS archived release",
        f"{release.label} ({scope})",
        hint=f"BLS has no {release.zip_name(scope)} at {' or '.join(urls)}; "
        "the release may not be published yet.",
    )


def load_release(
    release: str | int, *, scope: str = "national", settings: Settings | None = None
) -> pd.DataFrame:
    """One archived OEWS release as the tidy OEWS frame plus ``year``.

    Parameters
    ----------
    release
        ``"May 2021"``, ``2021``, ``"2021"`` (the May release; 1997-2002 have one release a
        year, labelled by the year) or ``"November 2003"``.
    scope
        ``"national"`` (``oesmYYnat.zip``), ``"state"`` (``st``), ``"metro"`` (``ma``:
        metropolitan and nonmetropolitan areas) or ``"all"`` (``all``: every area and the
        national industry estimates).

    Returns
    -------
    DataFrame
        Columns of :data:`marketdata.core.schema.OEWS_COLUMNS`, ``year``, ``is_topcoded_<wage>``
        (the value is the top-code bound stated by the release) and ``<measure>_note`` (why a
        value is missing: BLS's ``*``, ``**``, ``***`` and ``~`` markers). Provenance in
        ``df.attrs["provenance"]``.

    Raises
    ------
    UnknownRelease
        Not a release, or BLS has no such archive.
    FetchError, OfflineError, SourceFormatError
        From the download or the parse.
    """
    settings = get_settings(settings)
    rel = parse_release(release)
    scope = check_scope(scope)
    cached = _fetch_zip(rel, scope, settings)
    if isinstance(cached, recipe.Missed):
        return offline.bundled_release(rel, scope, cached.error, settings)

    def parse() -> pd.DataFrame:
        with cached.path.open("rb") as f:
            df = read_archive(f, release=rel, scope=scope, name=cached.url)
        return attach_provenance(df, [cached.provenance(program=PROGRAM, release=rel.label)])

    name = f"oews-archive/{rel.key}{SCOPES[scope]}"
    return recipe.cached_frame(name, [cached], parse, settings=settings)


def load_crosswalks(versions: set[str], *, settings: Settings | None = None) -> Crosswalks:
    """BLS's crosswalks linking the SOC ``versions`` (every adjacent pair between them)."""
    settings = get_settings(settings)
    tables, sources = {}, []
    order = sorted(v for v in versions if v)
    for cw in soc_crosswalk.CROSSWALKS:
        if order and order[0] <= cw.old and cw.new <= order[-1]:
            file = recipe.File(
                cw.key, cw.url(settings.bls_www_url), soc_crosswalk.crosswalk_check(cw)
            )
            got = recipe.reach([file], settings=settings)
            if isinstance(got, recipe.Missed):
                links = recipe.bundled_instead(
                    "SOC crosswalks",
                    lambda cw=cw: _bundled_links(cw),
                    got.reason,
                    what=unreachable(settings.offline),
                )
                tables[(cw.old, cw.new)] = links
                sources += provenance_of(links)
                continue
            cached = got[cw.key]
            tables[(cw.old, cw.new)] = soc_crosswalk.parse(
                cached.path.read_bytes(), crosswalk=cw, name=cached.url
            )
            sources.append(
                cached.provenance(
                    program="SOC crosswalk", release=f"{cw.old} to {cw.new}"
                ).as_dict()
            )
    return Crosswalks(tables, provenance=sources)


def _bundled_links(cw: soc_crosswalk.Crosswalk) -> pd.DataFrame:
    """The bundled links of the crosswalk ``cw``, with their provenance."""
    links = bundled.read("soc_crosswalks")
    pick = (links["old_version"] == cw.old) & (links["new_version"] == cw.new)
    release = f"{cw.old} to {cw.new}"
    chosen = [p for p in provenance_of(links) if p["release"] == release]
    return attach_provenance(links[pick].reset_index(drop=True), chosen)


def checked_soc_code(occupation: str) -> str:
    """``29-2072`` from ``"29-2072"`` or ``"292072"``; an error for anything else.

    Unlike :func:`marketdata.datasets.codes.soc_code`, which answers None for text that is no
    code, this raises: the history is asked for by code.

    Raises
    ------
    UnknownCode
        ``occupation`` is not a SOC code.
    """
    digits = occupation_digits(occupation)
    return f"{digits[:2]}-{digits[2:]}"


def latest_release(*, settings: Settings | None = None) -> ArchiveRelease:
    """The newest archived release BLS publishes (tries last year's, then the year before);
    offline, the newest of those in the cache, else the newest bundled one."""
    settings = get_settings(settings)
    year = date.today().year
    offline: FetchError | None = None
    for candidate in (year - 1, year - 2):
        rel = release_for(candidate)
        try:
            got = _fetch_zip(rel, "national", settings)
        except UnknownRelease:
            logger.info("%s is not published yet", rel.label)
            continue
        if isinstance(got, recipe.Missed):
            logger.info("%s is not cached and BLS could not be reached", rel.label)
            offline = got.error
            continue
        return rel
    if offline is not None:
        newest = parse_release(bundled.releases()[-1])
        if newest.year >= year - 2:
            return newest
        raise offline
    raise UnknownRelease(
        "OEWS release", f"May {year - 2} or later", hint="Give end= a published release."
    )


def _year_range(
    start: str | int | None, end: str | int | None, settings: Settings
) -> tuple[int, int]:
    first = parse_release(start).year if start is not None else FIRST_SOC_YEAR
    last = (parse_release(end) if end is not None else latest_release(settings=settings)).year
    if first > last:
        raise UnknownRelease(
            "OEWS release range", f"{start}..{end}", hint="start must not be after end."
        )
    return first, last


def resolve_area(
    area: str | int, *, release: ArchiveRelease, settings: Settings | None = None
) -> tuple[str, str]:
    """(scope, seven-digit area code) of ``area`` for an archived release.

    ``"US"``, states (name, postal or FIPS code) and CBSA codes need no data; metro and
    nonmetro names are looked up among the current release's areas
    (:func:`marketdata.datasets.codes.resolve_area`), then among the names in the release's own
    metro archive (``oesmYYma.zip``), for areas since renamed or redrawn.
    """
    try:
        code = area_code(area)
        return _AREA_TYPE_SCOPE[area_type_of(code)], code
    except UnknownArea:
        pass
    try:
        return "metro", codes.resolve_area(area).code
    except UnknownArea as err:
        current_error = err
    try:
        metro = load_release(release.label, scope="metro", settings=settings)
    except (UnknownRelease, FetchError) as err:
        logger.info("no metro archive of %s to look %r up in (%s)", release.label, area, err)
        raise current_error from None
    table = metro[["area_code", "area_name", "area_type", "state_code"]].drop_duplicates(
        "area_code"
    )
    return "metro", codes.resolve_area(area, table=table).code


def published_codes(frame: pd.DataFrame) -> dict[str, str]:
    """Code -> title of the occupations in a release frame (detailed rows first)."""
    rank = (frame["occupation_level"] != "detailed").astype(int)
    ordered = frame.assign(_rank=rank).sort_values("_rank", kind="stable")
    unique = ordered.drop_duplicates("occupation_code")
    return dict(zip(unique["occupation_code"], unique["occupation_title"], strict=True))


def occupation_rows(frame: pd.DataFrame, found: Match) -> pd.DataFrame:
    """The rows of ``found.code`` in a release frame, one per area (detailed row first)."""
    rows = frame[frame["occupation_code"] == found.code]
    rank = (rows["occupation_level"] != "detailed").astype(int)
    return (
        rows.assign(_rank=rank)
        .sort_values("_rank", kind="stable")
        .drop_duplicates("area_code")
        .drop(columns="_rank")
    )


def area_note(area_type: str, year: int, reference_year: int) -> str | None:
    """Why a metro/nonmetro row of ``year`` does not compare with ``reference_year``."""
    if area_type not in ("metro", "nonmetro"):
        return None
    notes = [t for y, t in AREA_REDEFINITIONS.items() if year < y <= reference_year]
    return "; ".join(notes) or None


def _releases(first: int, last: int) -> list[ArchiveRelease]:
    # one release a year: the May release (or the year's only one), not November 2003/2004
    return [r for r in releases(last_year=last) if r.year >= first and r.zip_prefix != "oesn"]


def history(
    occupation: str,
    area: str | int = "US",
    *,
    start: str | int | None = None,
    end: str | int | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """One row per release for ``occupation`` in ``area``, bridged across SOC revisions.

    Parameters
    ----------
    occupation
        SOC code as published in the newest release of the range (``"29-2072"``); a code of
        an older SOC version works too and is followed forward.
    area
        ``"US"`` (default), a state (name, postal or FIPS code), a CBSA code or a metro name.
    start, end
        First and last release (``2019``, ``"May 2019"``). Default: from the first SOC-coded
        release (1999) to the newest published one; offline, from the first bundled release
        (2000) to the newest bundled or cached one.

    Returns
    -------
    DataFrame
        :data:`HISTORY_COLUMNS`: the release, its ``soc_version``, the code and title each
        row comes from (``occupation_code``, ``occupation_title``; ``reference_code`` is the
        code followed), how it was found (``match``), ``is_comparable`` with the newest row and
        ``comparability_note``, and the measures with their flags and notes. Rows where the
        release has no figure for the occupation hold missing values and say why.

    Warns
    -----
    NotComparableWarning
        Some rows are not comparable with the newest release.
    """
    from rapidfuzz import process

    settings = get_settings(settings)
    code = checked_soc_code(occupation)
    rels = _releases(*_year_range(start, end, settings))
    scope, where = resolve_area(area, release=rels[-1], settings=settings)
    frames = {}
    for rel in rels:
        try:
            frames[rel] = load_release(rel.label, scope=scope, settings=settings)
        except OfflineError:
            if scope != "national":
                raise offline.not_bundled(area, scope, where, len(rels), settings) from None
            if start is not None or rel.year >= offline.first_bundled():
                raise
            logger.info("%s is neither cached nor bundled: the history starts later", rel.label)
    frames = {rel: frame[frame["area_code"] == where] for rel, frame in frames.items()}
    rels = sorted(frames, key=lambda r: (r.year, r.label))
    reference = rels[-1]
    crosswalks = load_crosswalks(
        {v for r in rels for v in versions_of(r.soc_version)}, settings=settings
    )
    newest_codes = published_codes(frames[reference])
    if code not in newest_codes and crosswalks.native(code) is None:
        close = [m for m, s, _ in process.extract(code, list(newest_codes), limit=3) if s >= 80]
        raise UnknownCode(
            "SOC occupation code",
            occupation,
            [f"{c} {newest_codes[c]}" for c in close],
            hint=f"It is not published in {reference.label} nor in the SOC crosswalks.",
        )
    rows = []
    for rel in rels:
        frame = frames[rel]
        found = match(
            code,
            published=published_codes(frame),
            release_soc=rel.soc_version,
            reference_soc=reference.soc_version,
            crosswalks=crosswalks,
        )
        picked = occupation_rows(frame, found) if found.code else frame.iloc[0:0]
        row = picked.iloc[0].to_dict() if len(picked) else {"area_code": where}
        notes = [found.note] if found.note else []
        comparable = found.is_comparable and bool(len(picked))
        extra = area_note(str(row.get("area_type", "")), rel.year, reference.year)
        if extra:
            notes.append(extra)
            comparable = False
        if not len(picked) and found.code:
            notes.append(f"{found.code} is not published for this area")
        row.update(
            release=rel.label,
            year=rel.year,
            soc_version=rel.soc_version,
            reference_code=code,
            match=found.how,
            is_comparable=comparable,
            comparability_note="; ".join(notes) or None,
        )
        rows.append(row)
    out = pd.DataFrame(rows).reindex(columns=list(HISTORY_COLUMNS))
    out["is_comparable"] = out["is_comparable"].astype(bool)
    out[list(FLAG_COLUMNS)] = out[list(FLAG_COLUMNS)].eq(True)
    sources = [p for rel in rels for p in provenance_of(frames[rel])]
    attach_provenance(out, [*sources, *crosswalks.provenance])
    bad = int((~out["is_comparable"]).sum())
    if bad:
        warnings.warn(
            f"{bad} of {len(out)} releases of {code} are not comparable with "
            f"{reference.label}; see the comparability_note column",
            NotComparableWarning,
            stacklevel=user_stacklevel(),
        )
    return out

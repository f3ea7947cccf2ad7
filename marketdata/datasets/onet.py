"""O*NET: related occupations, job zones, tasks and job titles, fetched, cached or bundled.

>>> from marketdata import onet
>>> onet.load("related")  # doctest: +SKIP
>>> onet.profile("29-2072").job_zone_text  # doctest: +SKIP
'Job Zone 3: medium preparation needed. Most occupations in this zone require training ...'

O*NET publishes each release as ``db_<release>_text.zip`` under
``{settings.onet_url}/dl_files/database/`` (``MARKETDATA_ONET_URL``, default
``https://www.onetcenter.org``). The zip is fetched through the cache like BLS's files; a copy
saved by hand enters with ``marketdata cache add db_30_1_text.zip`` (or single files from
its folder). Each table is parsed once (:mod:`marketdata.sources.onet_text_files`) into the cache's
Parquet. If O*NET cannot be reached and nothing is cached, the bundled release
(:mod:`marketdata.bundled.onet_bundle`) is used with an :class:`~marketdata.core.errors.OfflineDataWarning`.

O*NET's content is licensed under CC BY 4.0: every frame carries the attribution O*NET asks
for in ``attrs["attribution"]`` and in each provenance record; show it with the data.

O*NET-SOC codes carry a suffix: ``29-2072.00`` is SOC occupation 29-2072 itself,
``29-2099.08`` (Patient Representatives) is O*NET detail under SOC 29-2099. :func:`to_soc`
maps them to the codes OEWS publishes, saying when the figures are a parent's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from marketdata.bundled import onet_bundle as bundled
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import FetchError, InputValueError, MissingFileError, UnknownCode
from marketdata.core.notices import unreachable
from marketdata.core.schema import attach_provenance
from marketdata.datasets import codes, recipe
from marketdata.io import cache
from marketdata.sources import onet_text_files as source

if TYPE_CHECKING:
    import pandas as pd

    from marketdata.datasets import onet_profile

__all__ = [
    "MATCHES",
    "PROGRAM",
    "TABLES",
    "check_occupation",
    "find",
    "load",
    "load_optional",
    "onet_code",
    "profile",
    "release_of",
    "to_soc",
]

PROGRAM = source.PROGRAM
TABLES = tuple(source.TABLES)
_RELEASE = re.compile(r"^\d{1,2}\.\d$")
_ONET = re.compile(r"^(\d{2})-?(\d{4})(?:\.(\d{2}))?$")
#: How a relation's OEWS figures relate to the O*NET occupation (:func:`to_soc`'s ``match``).
MATCHES = {
    "same": "the SOC occupation itself",
    "parent": "the SOC occupation the O*NET occupation sits under",
    "group": "the SOC group OEWS publishes instead",
    "none": "OEWS publishes no figures",
}


def release_of(release: str | None) -> str:
    """``release`` checked (``"30.1"``); None, ``"bundled"`` or ``"latest"`` mean the bundled
    release (marketdata does not ask O*NET which release is newest: name a newer one)."""
    if release in (None, "", "bundled", "latest"):
        return bundled.release()
    text = str(release).strip()
    if not _RELEASE.match(text):
        raise InputValueError("O*NET release", release, hint="Give a release such as 30.1.")
    return text


def _table(table: str) -> str:
    if table not in source.TABLES:
        raise InputValueError("O*NET table", table, suggestions=TABLES)
    return table


def _attribute(frame: pd.DataFrame, records: list[dict], release: str) -> pd.DataFrame:
    text = source.attribution(release)
    frame.attrs["attribution"] = text
    return attach_provenance(
        frame, [r | {"license": source.LICENSE, "attribution": text} for r in records]
    )


def _parsed(entry: cache.CachedFile, table: str, release: str, settings: Settings) -> pd.DataFrame:
    def parse() -> pd.DataFrame:
        if entry.key.endswith(".zip"):
            frame = source.read_release(entry.path, (table,)).table(table)
        else:
            frame = source.parse(entry.path, table, source=entry.url)
        frame.attrs = {}
        return frame

    name = f"onet/{release}/{table}-{entry.sha256[:16]}"
    frame = recipe.cached_frame(name, [entry], parse, settings=settings)
    program = entry.provenance(program=PROGRAM, release=release).as_dict()
    return _attribute(frame, [program], release)


def _bundled(table: str, reason: str, settings: Settings) -> pd.DataFrame:
    hot = ", its technologies the hot ones only" if table == "technology" else ""
    frame = recipe.bundled_instead(
        f"O*NET {bundled.release()} database",
        lambda: bundled.read(table),
        reason,
        what=unreachable(settings.offline, "O*NET"),
        name=lambda _: f"O*NET {bundled.release()} database{hot}",
    )
    return _attribute(frame, frame.attrs["provenance"], bundled.release())


def load(
    table: str,
    *,
    release: str | None = None,
    settings: Settings | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """One O*NET table of a release.

    Parameters
    ----------
    table
        ``related``, ``job_zones``, ``job_zone_reference``, ``occupations``,
        ``alternate_titles``, ``reported_titles``, ``tasks`` or ``technology``.
    release
        ``"30.1"``; default the bundled release.

    Returns
    -------
    DataFrame
        The columns of :data:`marketdata.sources.onet_text_files.TABLES` ``[table]``; ``attrs`` hold the
        provenance and the CC BY 4.0 attribution (``attrs["attribution"]``).

    Raises
    ------
    MissingFileError
        The release's zip has no file for ``table`` (names the file).
    SourceFormatError
        The file has not the layout of ``table``.
    FetchError
        O*NET could not be reached, and the release is neither cached nor bundled.

    Warns
    -----
    OfflineDataWarning
        O*NET could not be reached and the release is not cached: the bundled one is used.
    """
    settings = get_settings(settings)
    table = _table(table)
    release = release_of(release)
    key = source.cache_key(release)
    file = recipe.File(key, source.zip_url(release, settings=settings), source.check_zip)
    got = recipe.reach([file], settings=settings, refresh=refresh)
    if not isinstance(got, recipe.Missed):
        return _parsed(got[key], table, release, settings)
    by_hand = cache.lookup(source.cache_key(release, source.TABLES[table].file), settings=settings)
    if by_hand is not None:
        return _parsed(by_hand, table, release, settings)
    if release != bundled.release() or table not in bundled.TABLES:
        raise got.error
    return _bundled(table, got.reason, settings)


def load_optional(
    table: str, *, release: str | None = None, settings: Settings | None = None
) -> tuple[pd.DataFrame | None, str]:
    """:func:`load`, or None and a sentence saying why where the release lacks the file.

    For the tables a result can do without: a later release that renamed or split the file,
    a partial copy, or a release of which only some files were added by hand.

    Returns
    -------
    tuple
        The frame and ''; or None and the one-line reason (names the file).

    Raises
    ------
    SourceFormatError
        The file is there but has not the layout of ``table``.
    """
    try:
        return load(table, release=release, settings=settings), ""
    except MissingFileError as err:
        return None, str(err)
    except FetchError as err:
        file = source.TABLES[_table(table)].file
        return None, f"O*NET {release_of(release)} {file!r} could not be had: {err}"


def profile(
    occupation: str, *, release: str | None = None, settings: Settings | None = None
) -> onet_profile.Profile:
    """What ``occupation`` is in O*NET's words: title, description, core tasks, hot
    technologies, job zone in plain words, alternate titles and the attribution to show with
    them. See :func:`marketdata.datasets.onet_profile.profile`.

    Raises
    ------
    UnknownCode
        O*NET has no such occupation (lists the closest codes).
    """
    from marketdata.datasets import onet_profile

    return onet_profile.profile(occupation, release=release, settings=settings)


# O*NET-SOC -> SOC ------------------------------------------------------------------------


def onet_code(text: str | int) -> str:
    """The O*NET-SOC code meant by ``text``: ``29-2072.00`` for ``29-2072``, ``292072`` or
    ``29-2072.00``; ``29-2099.08`` stays.

    Raises
    ------
    InputValueError
        Not a code.
    """
    m = _ONET.match(str(text).strip())
    if m is None:
        raise InputValueError(
            "O*NET-SOC code", text, hint="Give a code such as 29-2072 or 29-2099.08."
        )
    return f"{m[1]}-{m[2]}.{m[3] or '00'}"


def to_soc(
    onet_codes: Iterable[str], *, table: codes.OccupationTable | None = None
) -> list[dict[str, str]]:
    """The OEWS occupation whose figures stand for each O*NET-SOC code.

    As O*NET documents: the first seven characters are the SOC code (``29-2099.08`` ->
    ``29-2099``); ``.00`` is the SOC occupation itself, other suffixes are O*NET detail
    under it. Where OEWS does not publish that SOC code, the SOC broad group it does publish
    stands for it (``29-2011`` -> ``29-2010``); failing that, none.

    Parameters
    ----------
    table
        OEWS occupations (records or frame; default the bundled snapshot's).

    Returns
    -------
    list of dict
        Per code, in order: ``onet_code``, ``soc_code``, ``occupation_code`` (OEWS; '' when
        none), ``occupation_title`` (OEWS), ``match`` (a key of :data:`MATCHES`) and ``note``
        (a sentence when the figures are not the occupation's own, else '').
    """
    known = {o.code: o for o in codes.occupations_of(table)}
    rows = []
    for code in onet_codes:
        soc = code[:7]
        note = ""
        if soc in known:
            match, oews = ("same" if code.endswith(".00") else "parent"), known[soc]
        elif soc[:6] + "0" in known:
            match, oews = "group", known[soc[:6] + "0"]
        else:
            match, oews = "none", None
        if oews is not None and match != "same":
            why = "sits under" if match == "parent" else "is part of"
            note = (
                f"{code} {why} {oews.code} {oews.title}: pay and employment are "
                f"{oews.code}'s, which OEWS publishes."
            )
        elif oews is None:
            note = f"OEWS publishes no figures for SOC {soc} or its group."
        rows.append(
            {
                "onet_code": code,
                "soc_code": soc,
                "occupation_code": oews.code if oews else "",
                "occupation_title": oews.title if oews else "",
                "match": match,
                "note": note,
            }
        )
    return rows


def find(occupation: str | int, *, occupations: pd.DataFrame) -> str:
    """The O*NET-SOC code of ``occupation`` among ``occupations`` (the O*NET table).

    A SOC code (``29-2072``) means its ``.00`` occupation; a title (O*NET's or OEWS's)
    is resolved by :func:`marketdata.datasets.codes.resolve_occupation` first.

    Raises
    ------
    UnknownCode
        O*NET has no such occupation; lists the closest codes.
    """
    titles = dict(zip(occupations["onet_code"], occupations["title"], strict=True))
    return _known(occupation, titles)


def check_occupation(occupation: str | int) -> str:
    """The O*NET-SOC code of ``occupation`` in the bundled release, read without pandas (a
    mistyped code is answered at once); as :func:`find`."""
    titles = {code: title for code, title, kind in bundled.title_rows() if kind == "occupation"}
    return _known(occupation, titles)


def _known(occupation: str | int, titles: dict[str, str]) -> str:
    try:
        code = onet_code(occupation)
    except InputValueError:
        code = codes.resolve_occupation(occupation).code + ".00"
    if code in titles:
        return code
    under = sorted(c for c in titles if c[:7] == code[:7]) or sorted(
        c for c in titles if c[:4] == code[:4]
    )
    raise UnknownCode(
        "O*NET-SOC code",
        occupation,
        [f"{c} {titles[c]}" for c in under[:5]],
        hint="O*NET has no such occupation in this release (military and some residual "
        "codes have no O*NET profile).",
    )

"""What a job requires: BLS Occupational Requirements Survey (ORS) credential shares.

>>> from marketdata import ors
>>> ors.occupation_credentials("29-2072")  # doctest: +SKIP

The shares of jobs for which a credential, a certification or a license is *required* (ORS
measures job requirements, not what workers hold). Sources, fetched and cached like the others:

- ``via="workbook"`` (default): BLS's complete-dataset workbook
  (:func:`marketdata.sources.ors_workbooks.workbook_url`); older releases enter the cache by hand
  (``marketdata cache add ors-complete-dataset.xlsx``) under ``ors/<year>/``.
- ``via="timeseries"``: the ``or.*`` flat files under ``{bls_download_url}/pub/time.series/or/``.

If BLS cannot be reached and no workbook is cached, the bundled credential rows of the latest
staged release (:mod:`marketdata.bundled.context_bundle`) are used with an
:class:`~marketdata.core.errors.OfflineDataWarning`.
"""

from __future__ import annotations

import pandas as pd

from marketdata.bundled import context_bundle as context
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    InputValueError,
    UnknownRelease,
)
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.datasets import codes, recipe
from marketdata.io import cache
from marketdata.sources import ors_workbooks as source

__all__ = [
    "MEASURES",
    "PROGRAM",
    "credential_sentence",
    "load_credentials",
    "occupation_credentials",
]

PROGRAM = "ORS"
#: The measures shown, in order, and how a sentence names them.
MEASURES: dict[str, str] = {
    "any": "a certification, license or educational certificate",
    "certification": "a certification",
    "license": "a license",
}


def _from_entry(entry: cache.CachedFile, settings: Settings) -> pd.DataFrame:
    def parse() -> pd.DataFrame:
        parsed = source.parse_workbook(entry.path, source=entry.url)
        frame = source.credentials(parsed)
        frame.attrs = {k: parsed.attrs[k] for k in ("release", "year", "released")}
        return frame

    name = f"ors/credentials-{entry.sha256[:16]}"
    frame = recipe.cached_frame(name, [entry], parse, settings=settings)
    release = str(frame.attrs.get("release") or frame["release"].iloc[0])
    return attach_provenance(
        frame, [entry.provenance(program=PROGRAM, release=release.removeprefix("ORS "))]
    )


def _hand_added(settings: Settings, year: int | None = None) -> cache.CachedFile | None:
    found = [
        e
        for e in cache.entries(settings=settings)
        if e.key.startswith("ors/") and e.key.count("/") == 2 and e.key.split("/")[1].isdigit()
    ]
    if year is not None:
        found = [e for e in found if _year_of(e) == year]
    return max(found, key=_year_of, default=None)


def _year_of(entry: cache.CachedFile) -> int:
    return int(entry.key.split("/")[1])


def _bundled_year() -> int:
    """Reference year of the bundled release (``"2020 (preliminary)"`` -> 2020)."""
    return int(context.manifest()["ors"]["sources"][0]["release"][:4])


def _bundled(reason: str) -> pd.DataFrame:
    return recipe.bundled_instead(
        PROGRAM,
        lambda: context.read("ors"),
        reason,
        what=None,
        name=lambda frame: f"ORS credential estimates of {frame['release'].iloc[0]}",
    )


def _timeseries(settings: Settings, refresh: bool) -> pd.DataFrame:
    files = [
        recipe.File(
            f"or/{name}",
            f"{settings.bls_download_url}/pub/time.series/or/{name}",
            source.flat_file_check(name),
        )
        for name in source.TIMESERIES_FILES
    ]
    entries = list(recipe.fetch(files, settings=settings, refresh=refresh).values())

    def parse() -> pd.DataFrame:
        paths = {e.key.removeprefix("or/"): e.path for e in entries}
        return source.credentials(source.parse_timeseries(paths, source="or"))

    frame = recipe.cached_frame("or/credentials", entries, parse, settings=settings)
    release = frame.attrs["release"].removeprefix("ORS ")
    return attach_provenance(
        frame, [e.provenance(program=PROGRAM, release=release) for e in entries]
    )


def load_credentials(
    *,
    release: int | str | None = None,
    via: str = "workbook",
    settings: Settings | None = None,
    refresh: bool = False,
) -> pd.DataFrame:
    """Every ORS credential row (see :func:`marketdata.sources.ors_workbooks.credentials`).

    Parameters
    ----------
    release
        Reference year (``2018``, ``2020``); default the current workbook.
    via
        ``"workbook"`` or ``"timeseries"`` (the ``or.*`` flat files; current release only).

    Raises
    ------
    UnknownRelease
        ``release`` is neither cached, current nor bundled (the hint says how to add it).
    ContactRequired
        BLS refused the download (403).

    Warns
    -----
    OfflineDataWarning
        BLS could not be reached and nothing is cached: the bundled release is used.
    """
    settings = get_settings(settings)
    if via not in ("workbook", "timeseries"):
        raise InputValueError("ORS source", via, suggestions=("workbook", "timeseries"))
    year = None if release in (None, "latest", "current") else int(str(release)[:4])
    if year is not None:
        entry = _hand_added(settings, year)
        if entry is not None:
            return _from_entry(entry, settings)
    if via == "timeseries":
        return _timeseries(settings, refresh)
    key = source.workbook_key()
    file = recipe.File(key, source.workbook_url(settings=settings), source.workbook_check)
    got = recipe.reach([file], settings=settings, refresh=refresh)
    if isinstance(got, recipe.Missed):
        entry = _hand_added(settings) if year is None else None
        if entry is not None and _year_of(entry) >= _bundled_year():
            return _from_entry(entry, settings)
        frame = _bundled(f"BLS could not be reached ({got.reason})")
    else:
        frame = _from_entry(got[key], settings)
    if (
        year is not None
        and int(frame.attrs.get("year") or frame["release"].iloc[0].split()[1]) != year
    ):
        raise UnknownRelease(
            "ORS release",
            release,
            suggestions=[frame["release"].iloc[0]],
            hint="Add BLS's workbook of that year with `marketdata cache add FILE.xlsx`.",
        )
    return frame


def occupation_credentials(
    occupation: str, *, credentials: pd.DataFrame | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """Shares of jobs requiring any credential, a certification and a license.

    When ORS publishes no credential estimate at all for the occupation, its SOC major group
    (``29-0000`` for ``29-2072``) is used and ``note`` says so; a measure ORS does not publish
    for the occupation it does cover stays missing, with a note.

    Returns
    -------
    DataFrame
        One row per :data:`MEASURES` key: ``measure``, ``share`` (percent of jobs),
        ``standard_error``, ``soc_code`` and ``occupation`` the figures are for, ``fallback``
        (True when the major group's), ``release`` and ``note``.
    """
    frame = credentials if credentials is not None else load_credentials(settings=settings)
    code = codes.soc_code(occupation)
    if code is None:
        raise InputValueError("SOC code", occupation, hint="Give a code such as 29-2072.")
    rows = frame[frame["soc_code"] == code]
    fallback = rows.empty
    note = ""
    if fallback:
        group = code[:2] + "-0000"
        rows = frame[frame["soc_code"] == group]
        note = (
            f"ORS publishes no credential estimates for {code}; figures are for major group {group}"
        )
        code = group
    release = frame["release"].iloc[0] if len(frame) else ""
    records = []
    for measure in MEASURES:
        hit = rows[rows["measure"] == measure]
        if hit.empty:
            records.append(
                {
                    "measure": measure,
                    "share": float("nan"),
                    "standard_error": float("nan"),
                    "soc_code": code,
                    "occupation": rows["occupation"].iloc[0] if len(rows) else "",
                    "fallback": fallback,
                    "release": release,
                    "note": "; ".join(
                        p for p in (note, f"ORS publishes no estimate for {code} in {release}") if p
                    ),
                }
            )
            continue
        row = hit.iloc[0]
        extra = [p for p in (row["estimate_note"], row["standard_error_note"]) if p]
        records.append(
            {
                "measure": measure,
                "share": row["estimate"],
                "standard_error": row["standard_error"],
                "soc_code": code,
                "occupation": row["occupation"],
                "fallback": fallback,
                "release": row["release"],
                "note": "; ".join([p for p in (note, *extra) if p]),
            }
        )
    return attach_provenance(pd.DataFrame.from_records(records), provenance_of(frame))


def _fraction(share: float) -> str:
    """A share in words: 26.3 -> "About 1 in 4", 94 -> "Nearly all (94%)"."""
    if share >= 92:
        return f"Nearly all ({share:.0f}%)"
    if share < 5:
        return f"Few ({share:.1f}%)"
    for n in range(2, 11):
        k = round(share / 100 * n)
        if 0 < k < n and abs(k / n * 100 - share) <= 3:
            return "About half" if (k, n) == (1, 2) else f"About {k} in {n}"
    return f"About {share:.0f}%"


def credential_sentence(row: pd.Series | dict) -> str:
    """Plain words for one :func:`occupation_credentials` row.

    >>> credential_sentence({"measure": "certification", "share": 26.3,
    ...     "release": "ORS 2020 (preliminary)", "fallback": False, "soc_code": "29-2072"})
    'About 1 in 4 of these jobs requires a certification (BLS ORS 2020, preliminary)'
    """
    release = str(row["release"]).replace(" (preliminary)", ", preliminary")
    cite = f"BLS {release}"
    if row.get("fallback"):
        cite += f"; figure for major group {row['soc_code']}"
    share = row["share"]
    if share is None or pd.isna(share):
        return f"ORS publishes no share of these jobs requiring {MEASURES[row['measure']]} ({cite})"
    start = _fraction(float(share))
    verb = "requires" if start.startswith("About 1 in") else "require"
    return f"{start} of these jobs {verb} {MEASURES[row['measure']]} ({cite})"

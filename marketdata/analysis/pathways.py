"""Where a job can lead: O*NET's related occupations with local pay, growth and entry needs.

>>> from marketdata.analysis.pathways import pathways
>>> pathways("29-2072", "OH")  # doctest: +SKIP

For one occupation and one area, each of O*NET's related occupations (tier and rank as O*NET
lists them) with the area's OEWS employment and annual median (the nation's beside it), the
projected growth and annual openings (the state's long-term projections when they are cached
and list the occupation, else BLS's national Employment Projections, said in
``growth_source``), BLS's typical entry education, O*NET's job zone, and whether it pays more
than the starting occupation in that area. Rows are sorted so the realistic next steps come
first: the closer tier, then a job zone the same or one higher, then the higher local pay.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from marketdata.analysis import growth
from marketdata.core import series_id
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import ContactRequired, FetchError, OfflineDataWarning
from marketdata.core.notices import warn_once
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.datasets import codes, oews, onet, projections, state_projections
from marketdata.sources.onet_text_files import TIERS

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMNS",
    "pathways",
]

#: Columns of :func:`pathways`, in order.
COLUMNS = (
    "onet_code",
    "onet_title",
    "tier",
    "rank",
    "occupation_code",
    "occupation_title",
    "match",
    "pay_note",
    "area_name",
    "employment",
    "annual_median",
    "annual_median_national",
    "pays_more",
    "percent_change",
    "openings_annual",
    "growth_source",
    "typical_education",
    "job_zone",
)


def _quietly(load, *args, **kwargs):
    """``load(...)``, its OfflineDataWarning kept for one warning per source."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OfflineDataWarning)
        result = load(*args, **kwargs)
    return result, [str(w.message) for w in caught]


def _growth(
    where: codes.Area, settings: Settings
) -> tuple[pd.DataFrame, pd.DataFrame | None, list[str]]:
    """BLS's national projections and, outside the nation, the state's long-term projections
    when they are cached (else None, and a note saying how to fetch them)."""
    national, notes = _quietly(projections.load, settings=settings)
    if where.type == "national":
        return national, None, notes
    postal, state = series_id.STATES[where.state_code]
    try:
        frame = state_projections.state_projections(
            where.state_code, settings=settings.replace(offline=True)
        )
    except ContactRequired:
        raise
    except FetchError:
        notes.append(
            f"{state}'s long-term projections are not cached: growth and openings are "
            f"national. Fetch them with `marketdata fetch --state {postal}`."
        )
        return national, None, notes
    return national, (frame if not frame.empty else None), notes + frame.attrs.get("notes", [])


def _growth_columns(
    code: pd.Series, national: pd.DataFrame, state: pd.DataFrame | None, where: codes.Area
) -> dict[str, pd.Series]:
    """Percent change, openings and where they come from, per row: the state's projections
    where they list the occupation, else the nation's."""
    nation = national.drop_duplicates("occupation_code").set_index("occupation_code")
    label = f"national, BLS Employment Projections {national['release'].iloc[0]}"
    out = {
        "percent_change": code.map(nation["percent_change"]),
        "openings_annual": code.map(nation["openings_annual"]),
        "growth_source": code.map(lambda c: label if c in nation.index else ""),
    }
    if state is not None:
        listed = state.drop_duplicates("occupation_code").set_index("occupation_code")
        name = series_id.STATES[where.state_code][1]
        release = listed["release"].dropna().iloc[0] if listed["release"].notna().any() else ""
        in_state = code.isin(listed.index)
        for column in ("percent_change", "openings_annual"):
            out[column] = code.map(listed[column]).where(in_state, out[column])
        out["growth_source"] = out["growth_source"].mask(
            in_state, f"{name}, long-term projections {release}".strip()
        )
    return out


def pathways(
    occupation: str,
    area: str = "US",
    *,
    release: str | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """The occupations ``occupation`` can lead to, with the area's pay and growth.

    Parameters
    ----------
    occupation
        SOC code (``29-2072``), O*NET-SOC code (``29-2072.00``) or title.
    area
        ``US``, a state (``OH``, ``Ohio``, ``39``), a metro or nonmetro area.
    release
        O*NET release (default the bundled one).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, one row per related occupation. ``match`` and ``pay_note`` say when
        pay and employment are the SOC parent's or group's (:func:`marketdata.datasets.onet.to_soc`);
        ``pays_more`` is missing where either median is. ``attrs``: ``start`` (the starting
        occupation's code, titles, job zone and local median), ``notes`` (also naming an
        O*NET file the release lacks: titles and job zones are then read from what it has),
        ``attribution`` and the provenance of every source.

    Raises
    ------
    UnknownCode
        O*NET has no such occupation.
    MissingFileError
        The release has no ``Related Occupations.txt``.
    UnknownArea
        No such area.

    Warns
    -----
    OfflineDataWarning
        Bundled O*NET, OEWS or EP data are used (also in ``attrs["notes"]``).
    """
    import pandas as pd

    settings = get_settings(settings)
    where = growth.area_of(area, settings=settings)
    tables, said, lacking = _onet_tables(release, settings)
    titles = _titles(tables)
    known = pd.DataFrame({"onet_code": list(titles), "title": list(titles.values())})
    start = onet.find(occupation, occupations=known)
    related = tables["related"]
    related = related[related["onet_code"] == start].sort_values("rank")
    zones = (
        dict(zip(tables["job_zones"]["onet_code"], tables["job_zones"]["job_zone"], strict=True))
        if "job_zones" in tables
        else {}
    )
    records = oews.occupation_records(settings=settings)
    mapped = pd.DataFrame(onet.to_soc([start, *related["related_code"]], table=records))
    wanted = sorted({c for c in mapped["occupation_code"] if c})
    areas = list(dict.fromkeys([series_id.NATIONAL_AREA, where.code]))
    # no OEWS code at all (e.g. military occupations, which OEWS does not survey): no pay
    pay, warned = _quietly(
        oews.load, occupation=wanted or ["00-0000"], area=areas, settings=settings
    )
    said += warned
    local = pay[pay["area_code"] == where.code].set_index("occupation_code")
    nation = pay[pay["area_code"] == series_id.NATIONAL_AREA].set_index("occupation_code")
    national_ep, state_ep, warned = _growth(where, settings)
    said += warned
    education = national_ep.drop_duplicates("occupation_code").set_index("occupation_code")
    out = mapped.iloc[1:].reset_index(drop=True)
    code = out["occupation_code"]
    frame = pd.DataFrame(
        {
            "onet_code": out["onet_code"],
            "onet_title": out["onet_code"]
            .map(titles)
            .replace("", pd.NA)
            .fillna(out["occupation_title"]),
            "tier": related["tier"].to_numpy(),
            "rank": related["rank"].to_numpy(),
            "occupation_code": code,
            "occupation_title": out["occupation_title"],
            "match": out["match"],
            "pay_note": out["note"],
            "area_name": where.name,
            "employment": code.map(local["employment"]),
            "annual_median": code.map(local["annual_median"]),
            "annual_median_national": code.map(nation["annual_median"]),
            **_growth_columns(code, national_ep, state_ep, where),
            "typical_education": code.map(education["typical_education"]),
            "job_zone": out["onet_code"].map(zones).astype("Int64"),
        }
    )
    numbers = ["employment", "annual_median", "annual_median_national"]
    numbers += ["percent_change", "openings_annual"]
    frame[numbers] = frame[numbers].apply(pd.to_numeric, errors="coerce").astype("float64")
    first = mapped.iloc[0]
    start_median = local["annual_median"].get(first["occupation_code"], float("nan"))
    start_zone = zones.get(start)
    frame["pays_more"] = (frame["annual_median"] > start_median).astype("boolean")
    frame.loc[frame["annual_median"].isna() | pd.isna(start_median), "pays_more"] = pd.NA
    frame = _sorted(frame, start_zone)[list(COLUMNS)]
    frame.attrs["start"] = {
        "onet_code": start,
        "onet_title": titles.get(start) or first["occupation_title"],
        "occupation_code": first["occupation_code"],
        "occupation_title": first["occupation_title"],
        "job_zone": start_zone,
        "annual_median": None if pd.isna(start_median) else float(start_median),
        "area_name": where.name,
        "pay_note": first["note"],
    }
    notes = list(dict.fromkeys(said)) + lacking
    for note in notes:
        if "bundled" in note:  # the loaders' OfflineDataWarning, once per source
            warn_once(note, note, OfflineDataWarning)
    if related.empty:
        notes.append(f"O*NET lists no related occupations for {start} {titles.get(start, '')}.")
    frame.attrs["notes"] = notes
    frame.attrs["attribution"] = tables["related"].attrs["attribution"]
    sources = [
        *(p for t in tables.values() for p in provenance_of(t)),
        *provenance_of(pay),
        *provenance_of(national_ep),
        *(provenance_of(state_ep) if state_ep is not None else []),
    ]
    unique = list({tuple(sorted(p.items())): p for p in sources}.values())
    return attach_provenance(frame, unique)


#: What pathways do without each optional O*NET table, said after the reason.
_WITHOUT = {
    "occupations": "titles are those of 'Related Occupations.txt' and 'Job Zones.txt' where "
    "they have them, else the OEWS title",
    "job_zones": "no job zones, and rows are not ordered by them",
}


def _onet_tables(
    release: str | None, settings: Settings
) -> tuple[dict[str, pd.DataFrame], list[str], list[str]]:
    """O*NET's related occupations, and its titles and job zones where the release has them:
    the tables, the loaders' warnings and a note per file lacking."""
    related, said = _quietly(onet.load, "related", release=release, settings=settings)
    tables, lacking = {"related": related}, []
    for name, without in _WITHOUT.items():
        (frame, why), warned = _quietly(
            onet.load_optional, name, release=release, settings=settings
        )
        said += warned
        if frame is None:
            lacking.append(f"{why}: {without}.")
        else:
            tables[name] = frame
    return tables, said, lacking


def _titles(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """O*NET-SOC code -> title, from ``Occupation Data.txt``, else the titles the 29.x
    layouts of the related occupations and job zones carry ('' where none)."""
    import numpy as np
    import pandas as pd

    related = tables["related"]
    pairs = [
        (related["onet_code"], related["onet_title"]),
        (related["related_code"], related["related_title"]),
    ]
    if "job_zones" in tables:
        pairs.append((tables["job_zones"]["onet_code"], tables["job_zones"]["onet_title"]))
    if "occupations" in tables:
        pairs.append((tables["occupations"]["onet_code"], tables["occupations"]["title"]))
    codes_ = np.concatenate([c.to_numpy(dtype=object) for c, _ in pairs])
    names = np.concatenate([n.to_numpy(dtype=object) for _, n in pairs])
    named = pd.notna(names)
    titles = dict.fromkeys(codes_.tolist(), "")
    # the last title given to a code wins, in the order of ``pairs``
    titles.update(zip(codes_[named].tolist(), map(str, names[named]), strict=True))
    return titles


def _sorted(frame: pd.DataFrame, start_zone: int | None) -> pd.DataFrame:
    """Closer tier first, then a job zone the same or one higher, then higher local pay."""
    tier = frame["tier"].map({t: i for i, t in enumerate(TIERS)})
    if start_zone is None:
        fits = 0
    else:
        step = frame["job_zone"] - start_zone
        fits = (~step.isin([0, 1])).astype(int)
    keys = frame.assign(_tier=tier, _fits=fits, _pay=-frame["annual_median"].fillna(-1))
    keys = keys.sort_values(["_tier", "_fits", "_pay", "rank"], kind="stable")
    return keys.drop(columns=["_tier", "_fits", "_pay"]).reset_index(drop=True)

"""Is this job growing? Projected employment change for a report.

:func:`outlook` combines, for one occupation and one area, base and projected employment,
change, percent change, annual openings, education and training, and BLS's plain-language
growth category. Nationally the figures are BLS's Employment Projections; for a state they are
the state's long-term projections from Projections Central; where a state's projections do not
list the occupation, the outlook is ``basis="unavailable"`` and says so in its notes.

:func:`nem_to_soc` maps National Employment Matrix codes to the SOC codes OEWS publishes.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from marketdata.analysis.growth_bands import GROWTH_BANDS, growth_category
from marketdata.core import arguments, series_id
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    ContactRequired,
    FetchError,
    InputValueError,
    MarketdataError,
    OfflineError,
    UnknownCode,
)
from marketdata.core.schema import PROJECTION_FIELDS, attach_provenance, provenance_of
from marketdata.datasets import codes, oews, projections, state_projections

if TYPE_CHECKING:  # pandas loads with the figures; an unknown occupation is answered without
    import pandas as pd

__all__ = [
    "Outlook",
    "area_of",
    "nem_to_soc",
    "outlook",
]

logger = logging.getLogger(__name__)

# NEM -> SOC ------------------------------------------------------------------------------


def nem_to_soc(nem_codes: Iterable[str], soc_codes: Iterable[str]) -> pd.DataFrame:
    """Map National Employment Matrix (NEM) occupation codes to the SOC codes of an OEWS release.

    EP's matrix follows the SOC as OEWS publishes it, with a few codes of its own. Each NEM
    code is matched as follows:

    - ``same``: the code is among ``soc_codes`` (most codes, including NEM line items that are
      SOC broad occupations OEWS also publishes, such as ``31-1120``).
    - ``aggregate``: the code is not in OEWS, but OEWS publishes detailed codes of the same
      group that EP does not list separately (e.g. NEM ``25-3099`` "Teachers and instructors,
      all other" = OEWS ``25-3097`` + ``25-3098`` in May 2016); one row per OEWS code. The NEM
      figure covers the sum of those OEWS occupations: add their employment, but do not
      combine their wage percentiles.
    - ``none``: no OEWS counterpart (e.g. ``45-3031`` "Fishing and hunting workers", mostly
      self-employed, which OEWS does not survey); ``soc_code`` is missing. Unmatched codes are
      kept, never dropped, so a join shows what has no OEWS data.

    Parameters
    ----------
    nem_codes
        EP occupation codes (e.g. ``load()["occupation_code"]``).
    soc_codes
        OEWS occupation codes of the release to join with (detailed codes; summary codes ending
        in 0 are used only for ``same`` matches).

    Returns
    -------
    DataFrame
        Columns ``nem_code``, ``soc_code``, ``match``.
    """
    import pandas as pd

    soc = {str(c).strip() for c in soc_codes}
    nem = [str(c).strip() for c in nem_codes]
    nem_set = set(nem)
    detailed = sorted(c for c in soc if re.fullmatch(r"\d{2}-\d{3}[1-9]", c) and c not in nem_set)
    rows = []
    for code in dict.fromkeys(nem):
        if code in soc:
            rows.append((code, code, "same"))
            continue
        prefix = code.rstrip("0") if code.endswith("0") else code[:6]
        prefix = prefix if len(prefix) >= 4 else code[:6]
        children = [c for c in detailed if c.startswith(prefix)]
        if children:
            rows.extend((code, child, "aggregate") for child in children)
        else:
            rows.append((code, pd.NA, "none"))
    frame = pd.DataFrame(rows, columns=["nem_code", "soc_code", "match"])
    return frame.astype("string")


# Outlook ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outlook:
    """The growth of one occupation in one area, ready for a report.

    ``basis`` is ``"projected"`` (BLS or state projections) or ``"unavailable"`` (see
    ``notes``). Counts are persons. ``unavailable``: for a state, metro or nonmetro area whose
    state's projections could not be had, the error that kept them out (the figures are then
    the nation's, said in ``notes``); None otherwise.
    """

    occupation_code: str
    occupation_title: str
    area: str
    area_name: str
    basis: str
    source: str
    release: str | None = None
    base_year: int | None = None
    projected_year: int | None = None
    employment_base: float | None = None
    employment_projected: float | None = None
    change: float | None = None
    percent_change: float | None = None
    openings_annual: float | None = None
    average_percent_change: float | None = None
    growth_category: str | None = None
    typical_education: str | None = None
    work_experience: str | None = None
    training: str | None = None
    notes: tuple[str, ...] = ()
    provenance: tuple[dict, ...] = field(default=(), repr=False)
    unavailable: MarketdataError | None = field(default=None, repr=False, compare=False)

    def to_frame(self) -> pd.DataFrame:
        """One-row frame (notes joined by newlines); provenance in ``attrs``."""
        data = {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("provenance", "unavailable")
        }
        data["notes"] = "\n".join(self.notes)
        import pandas as pd

        frame = pd.DataFrame([data])
        return attach_provenance(frame, self.provenance)

    def _repr_html_(self) -> str:
        """The outlook as a small card in Jupyter (figures as BLS prints them)."""
        from marketdata.analysis.growth_display import outlook_html

        return outlook_html(self)


def _projection_values(row: pd.Series) -> dict[str, object]:
    """The projection figures of one row, as :class:`Outlook` fields."""
    return {column: _value(row, column) for column in PROJECTION_FIELDS}


def _value(row: pd.Series, column: str) -> object:
    import pandas as pd

    value = row.get(column)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) if column not in ("base_year", "projected_year") else int(value)
    return str(value)


def _find(frame: pd.DataFrame, occupation: str, *, what: str) -> pd.Series:
    """The row of ``occupation`` (code or exact title); UnknownCode with close matches."""
    codes = frame["occupation_code"].astype(str).tolist()
    titles = frame["occupation_title"].astype(str).tolist()
    return frame.iloc[_position(codes, titles, occupation, what=what)]


def _position(codes: Sequence[str], titles: Sequence[str], occupation: str, *, what: str) -> int:
    """Where ``occupation`` is among the rows (code, else exact title, in any case: the first
    such row); UnknownCode with the three closest rows that score 60 or more."""
    from rapidfuzz import process

    text = str(occupation).strip()
    for wanted, names in ((text, codes), (text.lower(), [t.lower() for t in titles])):
        if wanted in names:
            return names.index(wanted)
    choices = [f"{c} {t}" for c, t in zip(codes, titles, strict=True)]
    close = [m for m, score, _ in process.extract(text, choices, limit=3) if score >= 60]
    raise UnknownCode(
        f"occupation in {what}",
        occupation,
        close,
        hint="Give a SOC code such as '29-2072' or the exact occupation title.",
    )


def outlook(
    occupation: str,
    area: str = "US",
    *,
    release: str = "latest",
    settings: Settings | None = None,
) -> Outlook:
    """Projected growth of an occupation, nationally or in a state, metro or nonmetro area.

    Parameters
    ----------
    occupation
        SOC / National Employment Matrix code (``"29-2072"``) or exact title.
    area
        Any area :func:`marketdata.datasets.oews.load` accepts (:func:`area_of`). ``"US"``: BLS
        Employment Projections. A state (name, postal or FIPS code): the state's long-term
        projections from Projections Central; where they do not list the occupation,
        ``basis="unavailable"``, said in ``notes``.
        A metro or nonmetro area (``"Columbus, OH"``, ``18140``): its state's projections
        (for a metro spanning states, the state its name lists first), said in ``notes``.
        When the state's projections can't be had (offline and not cached, or unreachable),
        the national outlook, with a note naming the command that fetches the state's.
    release
        EP release of the national figures (``"latest"``, ``"2024-34"``, ...). State
        projections are the states' current ones, so another area takes only ``"latest"``.

    Returns
    -------
    Outlook
        Figures in persons; ``growth_category`` in BLS's wording, relative to the all-occupations
        (``00-0000``) growth of the same release (:func:`growth_category`), for national
        projections of releases whose thresholds are documented; None otherwise (see ``notes``).
    """
    settings = get_settings(settings)
    arguments.one(occupation, "occupation", example="'29-2072'")
    arguments.one(area, "area", example="'US', 'OH' or 'Columbus, OH'")
    arguments.one(release, "release", example="'latest' or '2024-34'")
    if str(area).strip().lower() in codes.NATIONAL_NAMES:
        return _national(occupation, release=release, settings=settings)
    where = area_of(area, settings=settings)
    if where.type == "national":
        return _national(occupation, release=release, settings=settings)
    if str(release).strip().lower() != "latest":
        raise InputValueError(
            "EP release for an area other than the nation",
            release,
            hint="State projections are each state's current ones: leave release='latest', "
            f"or ask for the nation's {release} projections with area='US'.",
        )
    return _state(occupation, where, settings=settings)


def area_of(area: str | int, *, settings: Settings | None = None) -> codes.Area:
    """The OEWS area meant by ``area``, read as :func:`marketdata.datasets.oews.load` reads it
    (:func:`marketdata.datasets.codes.resolve_area` on the current release's areas)."""
    return codes.resolve_area(area, table=oews.area_records(settings=settings))


def _national(occupation: str, *, release: str, settings: Settings) -> Outlook:
    located = projections.locate(release=release, settings=settings)
    index = projections.code_index(located, settings=settings)
    if index is not None:  # an unknown occupation is answered before pandas loads
        index_codes, titles, releases = zip(*index, strict=True)
        _position(index_codes, titles, occupation, what=f"BLS Employment Projections {releases[0]}")
    frame = projections.read(located, occupation_type="all", settings=settings)
    row = _find(frame, occupation, what=f"BLS Employment Projections {frame['release'].iloc[0]}")
    found = str(row["release"])
    total = frame[frame["occupation_code"] == "00-0000"]
    average = float(total["percent_change"].iloc[0]) if len(total) else None
    notes = []
    category = None
    if average is None:
        notes.append("The all-occupations rate is not in this table; no growth category.")
    elif found not in GROWTH_BANDS:
        notes.append(
            f"BLS's growth-category thresholds for the {found} release are not documented in "
            f"marketdata; compare with the all-occupations rate, {average} %."
        )
    else:
        category = growth_category(_value(row, "percent_change"), release=found, average=average)
    if row["occupation_type"] == "Summary":
        notes.append(f"{row['occupation_code']} is a summary (group) row of the matrix.")
    return Outlook(
        occupation_code=str(row["occupation_code"]),
        occupation_title=str(row["occupation_title"]),
        area="US",
        area_name="United States",
        basis="projected",
        source=f"BLS Employment Projections {found}",
        release=found,
        **_projection_values(row),
        average_percent_change=average,
        growth_category=category,
        typical_education=_value(row, "typical_education"),
        work_experience=_value(row, "work_experience"),
        training=_value(row, "training"),
        notes=tuple(notes),
        provenance=tuple(provenance_of(frame)),
    )


def _state(occupation: str, where: codes.Area, *, settings: Settings) -> Outlook:
    fips = where.state_code
    name = series_id.STATES[fips][1]
    notes = []
    if where.type != "state":
        kind = "metropolitan" if where.type == "metro" else "nonmetropolitan"
        main = " (the state its name lists first)" if "-" in where.name.rpartition(", ")[2] else ""
        notes.append(
            f"{where.name} is a {kind} area; projections are made for states: these are "
            f"{name}'s{main}."
        )
    try:
        frame = state_projections.state_projections(fips, settings=settings)
    except ContactRequired:
        raise
    except FetchError as err:
        failed: FetchError | None = err
    else:
        failed = None
    if failed is not None:  # outside the handler: an unknown occupation is not chained to it
        return _national_instead(occupation, fips, notes, failed, settings=settings)
    notes += frame.attrs.get("notes", [])
    if not frame.empty:
        try:
            row = _find(frame, occupation, what=f"{name} long-term projections")
        except UnknownCode:
            notes.append(f"{name}'s long-term projections do not list {occupation}.")
        else:
            return _state_projected(row, frame, name, notes, settings=settings)
    return Outlook(
        occupation_code=str(occupation).strip(),
        occupation_title="",
        area=fips,
        area_name=name,
        basis="unavailable",
        source="none",
        notes=tuple(notes),
    )


def _national_instead(
    occupation: str, fips: str, notes: list[str], err: FetchError, *, settings: Settings
) -> Outlook:
    """The national outlook, with a note saying why and how to get the state's projections."""
    postal, name = series_id.STATES[fips]
    command = f"marketdata fetch --state {postal}"
    if isinstance(err, OfflineError):
        why, when = "are not cached and offline mode is on", " with MARKETDATA_OFFLINE unset"
    else:
        why, when = f"could not be downloaded ({str(err).splitlines()[0]})", " when online"
    notes.append(
        f"{name}'s long-term projections {why}: these are national projections. "
        f"Fetch {name}'s with `{command}`{when}."
    )
    national = _national(occupation, release="latest", settings=settings)
    return dataclasses.replace(national, notes=(*notes, *national.notes), unavailable=err)


def _state_projected(
    row: pd.Series, frame: pd.DataFrame, name: str, notes: list[str], *, settings: Settings
) -> Outlook:
    found = str(row["release"])
    total = frame[frame["occupation_code"] == "00-0000"]
    average = float(total["percent_change"].iloc[0]) if len(total) else None
    notes.append(
        f"BLS's growth categories describe national projections; {name}'s all-occupations "
        f"rate for {found} is {average} %."
        if average is not None
        else f"{name}'s projections give no all-occupations total."
    )
    education: dict[str, object] = {}
    provenance = list(provenance_of(frame))
    try:
        national = projections.load(release=found, occupation_type="all", settings=settings)
        match = national[national["occupation_code"] == row["occupation_code"]]
        if len(match):
            education = {
                c: _value(match.iloc[0], c)
                for c in ("typical_education", "work_experience", "training")
            }
            provenance += provenance_of(national)
            notes.append(f"Education and training: BLS Employment Projections {found} (national).")
    except MarketdataError as err:
        notes.append(f"Education and training unavailable: {str(err).splitlines()[0]}")
    return Outlook(
        occupation_code=str(row["occupation_code"]),
        occupation_title=str(row["occupation_title"]),
        area=str(row["state_code"]),
        area_name=name,
        basis="projected",
        source=f"{name} long-term projections {found} (Projections Central)",
        release=found,
        **_projection_values(row),
        average_percent_change=average,
        notes=tuple(notes),
        provenance=tuple(provenance),
        **education,
    )

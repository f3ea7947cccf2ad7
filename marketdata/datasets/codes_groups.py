"""Groups of areas and occupations by name: ``all``, ``all-states``, ``OH-metros``, a SOC group.

The vocabulary that Python loaders and batch runs share (plain Python, no pandas):

``all``
    every area of the release (no restriction);
``all-states``
    the 50 states and the District of Columbia;
``all-territories``
    the territories BLS publishes as states (May 2025: Guam, Puerto Rico, Virgin Islands);
``all-metros`` / ``all-nonmetros``
    every metropolitan / nonmetropolitan area (Puerto Rico's metros included);
``OH-metros`` / ``OH-nonmetros``
    those of one state (a metro spanning states, e.g. ``Cincinnati, OH-KY-IN``, is in each
    state its name lists).

A SOC group is a code ending in zeros: ``29-0000`` (major group), ``29-2000`` (minor group),
``29-2070`` (broad occupation); its occupations are those whose codes start the same way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from marketdata.core.errors import InputValueError, UnknownArea, UnknownCode
from marketdata.core.series_id import STATES
from marketdata.datasets import codes

if TYPE_CHECKING:
    import pandas as pd

    from marketdata.datasets.codes import Area, AreaTable, Occupation, OccupationTable

#: The word that means every area.
ALL_AREAS = "all"
#: The kinds of area a group can hold, and the ``area_type`` of each.
KINDS = {"state": "state", "territory": "state", "metro": "metro", "nonmetro": "nonmetro"}
_PLURAL = {
    "states": "state",
    "territories": "territory",
    "metros": "metro",
    "nonmetros": "nonmetro",
}
_GROUP = re.compile(r"^(all|[a-z]{2})-(states|territories|metros|nonmetros)$", re.IGNORECASE)
_LAST_STATE_FIPS = 56  # Wyoming; FIPS codes above are territories
_POSTAL = {postal: fips for fips, (postal, _) in STATES.items()}
_GROUP_HINT = (
    "Give all-states, all-territories, all-metros, all-nonmetros, "
    "a state's metros or nonmetros (OH-metros, OH-nonmetros), or areas a,b,c."
)


def is_area_group(text: object) -> bool:
    """Whether ``text`` names a group of areas (``all``, ``all-states``, ``OH-metros``, ...)."""
    if not isinstance(text, str):
        return False
    word = text.strip()
    return word.lower() == ALL_AREAS or _GROUP.match(word) is not None


def scope_of(word: str) -> str:
    """Which of BLS's archive files holds a group's areas: ``"state"`` (states, territories),
    ``"metro"`` (metro and nonmetro areas) or ``"all"`` (``all``, or not a group)."""
    match = _GROUP.match(str(word).strip())
    if match is None:
        return "all"
    return "state" if _PLURAL[match[2].lower()] in ("state", "territory") else "metro"


def _metro_states(name: str) -> list[str]:
    """Postal codes a metro's name lists: ``Cincinnati, OH-KY-IN`` -> OH, KY, IN."""
    return name.rpartition(", ")[2].split("-")


def _fips(area: Area) -> int | None:
    return int(area.state_code) if area.state_code.isdigit() else None


def _state_postal(where: str | int, table: AreaTable | None) -> str:
    """The postal code of the state ``where`` names (``OH``, ``Ohio``, ``39``)."""
    text = str(where).strip()
    if text.upper() in _POSTAL:
        return text.upper()
    area = codes.resolve_area(where, table=table)
    if area.type != "state" or area.state_code not in STATES:
        raise UnknownArea(
            "state", where, hint=f"{area.name} is not a state; give one such as OH or Ohio."
        )
    return STATES[area.state_code][0]


def areas_in(
    where: str | int = ALL_AREAS, *, kind: str = "metro", table: AreaTable | None = None
) -> list[Area]:
    """The areas of one ``kind`` in a state, or in the whole country, in the table's order.

    Parameters
    ----------
    where
        ``"all"`` (the whole country) or a state as :func:`marketdata.datasets.codes.resolve_area`
        reads it (``"OH"``, ``"Ohio"``, ``39``).
    kind
        ``"metro"``, ``"nonmetro"``, ``"state"`` (the 50 states and DC) or ``"territory"``;
        states and territories only with ``where="all"``.
    table
        The release's areas (default: the bundled snapshot's).

    Raises
    ------
    InputValueError
        For a kind not in :data:`KINDS`.
    UnknownArea
        For a place that is not a state, or states of a state.

    Examples
    --------
    >>> [a.name for a in areas_in("OH", kind="metro")][:2]
    ['Akron, OH', 'Canton-Massillon, OH']
    """
    if kind not in KINDS:
        raise InputValueError("kind of area", kind, list(KINDS))
    everywhere = str(where).strip().lower() == ALL_AREAS
    if not everywhere and kind in ("state", "territory"):
        raise UnknownArea(
            "area group", f"{where} {kind}", hint="States and territories are of the whole country."
        )
    postal = None if everywhere else _state_postal(where, table)
    found = []
    for area in codes.areas_of(table):
        if area.type != KINDS[kind]:
            continue
        fips = _fips(area)
        if kind == "state" and (fips is None or fips > _LAST_STATE_FIPS):
            continue
        if kind == "territory" and (fips is None or fips <= _LAST_STATE_FIPS):
            continue
        if postal is not None:
            if kind == "metro" and postal not in _metro_states(area.name):
                continue
            if kind == "nonmetro" and area.state_code != _POSTAL[postal]:
                continue
        found.append(area)
    return found


def group_areas(word: str, *, table: AreaTable | None = None) -> list[Area]:
    """The areas of a group keyword (``all``, ``all-states``, ``OH-metros``, ...).

    Raises
    ------
    UnknownArea
        For a malformed keyword (``ZZ-metros``, ``OH-states``), with close matches.
    """
    text = word.strip()
    if text.lower() == ALL_AREAS:
        return list(codes.areas_of(table))
    match = _GROUP.match(text)
    scope, kind = (match[1], _PLURAL[match[2].lower()]) if match else ("", "")
    if not match or (scope.lower() != ALL_AREAS and scope.upper() not in _POSTAL):
        guess = f"{scope.upper()}-{match[2].lower()}" if match else text
        raise UnknownArea(
            "area list",
            word,
            difflib.get_close_matches(guess, [f"{p}-metros" for p in _POSTAL]),
            hint=_GROUP_HINT,
        )
    if scope.lower() != ALL_AREAS and kind in ("state", "territory"):
        raise UnknownArea("area list", word, [f"{scope.upper()}-metros"], hint=_GROUP_HINT)
    return areas_in(scope, kind=kind, table=table)


def area_codes(value: object, *, table: AreaTable | None = None) -> list[str] | None:
    """Seven-digit codes of the areas ``value`` names, in order, without repeats; ``None`` for
    ``"all"`` (every area). ``value`` is one area, a group keyword or a list of them."""
    items: Iterable[object] = [value] if isinstance(value, str | int) else value  # type: ignore[assignment]
    found: dict[str, None] = {}
    for item in items:
        if isinstance(item, str) and item.strip().lower() == ALL_AREAS:
            return None
        if is_area_group(item):
            found.update(dict.fromkeys(a.code for a in group_areas(str(item), table=table)))
        else:
            found[codes.resolve_area(item, table=table).code] = None  # type: ignore[arg-type]
    return list(found)


# SOC groups ------------------------------------------------------------------------------


def soc_prefix(group: str | int) -> str:
    """The start shared by the codes of a SOC group: ``29-`` for ``29-0000``, ``29-2`` for
    ``29-2000``, ``15-12`` for ``15-1200``, ``29-207`` for ``29-2070``.

    Raises
    ------
    InputValueError
        For text that is no SOC code, or a detailed occupation (its last digit is not 0).
    """
    code = codes.soc_code(group)
    if code is None:
        raise InputValueError(
            "SOC group", group, hint="Give a group code such as 29-0000, 29-2000 or 29-2070."
        )
    if not code.endswith("0"):
        raise InputValueError(
            "SOC group",
            group,
            hint=f"{code} is a detailed occupation, not a group: give it as occupation= instead.",
        )
    return f"{code[:3]}{code[3:].rstrip('0')}"


def occupations_in(
    groups: str | int | Sequence[str | int], *, table: OccupationTable | None = None
) -> list[Occupation]:
    """The occupations of one or more SOC groups (the group's own row and every level below
    it), in the table's order.

    Raises
    ------
    UnknownCode
        For a group with no occupation in the table (close group codes listed).
    """
    listed = [groups] if isinstance(groups, str | int) else list(groups)
    occupations = codes.occupations_of(table)
    found: dict[str, Occupation] = {}
    for group in listed:
        prefix = soc_prefix(group)
        members = [o for o in occupations if o.code.startswith(prefix)]
        if not members:
            majors = [f"{o.code} {o.title}" for o in occupations if o.code.endswith("-0000")]
            raise UnknownCode(
                "SOC group",
                group,
                difflib.get_close_matches(f"{prefix:0<7}", majors, n=3, cutoff=0.3),
                hint="This release publishes no occupation in that group.",
            )
        found.update((o.code, o) for o in members)
    return list(found.values())


def in_soc_group(frame: pd.DataFrame, groups: str | int | Sequence[str | int]) -> pd.DataFrame:
    """The rows of ``frame`` whose ``occupation_code`` is in one of the SOC ``groups``, index
    reset, attrs (provenance) kept.

    Raises
    ------
    UnknownCode
        For a group none of whose codes is in the frame.
    """
    listed = [groups] if isinstance(groups, str | int) else list(groups)
    column = frame["occupation_code"].astype(str)
    keep = column.str.startswith("\x00")  # all False, the frame's index
    for group in listed:
        hit = column.str.startswith(soc_prefix(group))
        if not hit.any():
            raise UnknownCode(
                "SOC group", group, hint="This table has no occupation in that group."
            )
        keep |= hit
    return frame[keep.to_numpy()].reset_index(drop=True)

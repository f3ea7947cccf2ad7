"""Turn what people type into OEWS codes: occupations, areas and industries.

Every lookup works on a table of the release at hand: plain records (:class:`Occupation`,
:class:`Area`, :class:`Industry`; :func:`marketdata.datasets.oews.occupation_records` and
:func:`marketdata.datasets.oews.area_records` give those of the current release) or a frame with the
columns of :func:`marketdata.datasets.oews.occupations` and friends; by default the bundled snapshot's
(:mod:`marketdata.bundled`). Lookups run in plain Python, so that a mistyped parameter is
answered without loading pandas:

- occupations: a SOC code with or without the dash (``292072``, ``29-2072``, also O*NET's
  ``29-2072.00``), an exact title, or words found in exactly one title
  (``medical records``); anything else raises :class:`~marketdata.core.errors.UnknownCode` with
  close matches (:func:`search_occupations` lists fuzzy matches);
- areas: ``national``/``US``; a state by name, postal code or FIPS code (``Ohio``, ``OH``,
  ``39``); a metro or nonmetro area by name (``Columbus, OH``, ``Columbus OH``), CBSA code
  (``18140``) or seven-digit OEWS area code (``0018140``); or words found in exactly one
  area name; else :class:`~marketdata.core.errors.UnknownArea` with close matches;
- industries: the six-character OEWS code (``622000``), a NAICS prefix that pads to one
  (``622``), an exact title or words found in exactly one title.

A fuzzy match is never taken silently: it is only offered as a suggestion.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from marketdata import bundled as snapshot
from marketdata.core import arguments, series_id
from marketdata.core.errors import InputValueError, UnknownArea, UnknownCode
from marketdata.core.series_id import STATES
from marketdata.datasets.code_records import (
    AREA_COLUMNS,
    INDUSTRY_COLUMNS,
    OCCUPATION_COLUMNS,
    Area,
    Industry,
    Occupation,
    areas_of,
    industries_of,
    occupations_of,
)

if TYPE_CHECKING:  # frames are accepted and search_occupations returns one; pandas loads there
    import pandas as pd

    from marketdata.datasets.code_records import AreaTable, IndustryTable, OccupationTable, Record

__all__ = [
    "AREA_COLUMNS",
    "CROSS_INDUSTRY",
    "INDUSTRY_COLUMNS",
    "NATIONAL_NAMES",
    "OCCUPATION_COLUMNS",
    "SEARCH_THRESHOLD",
    "Area",
    "Industry",
    "Occupation",
    "areas_in",
    "areas_of",
    "industries_of",
    "occupations_of",
    "onet_suggestions",
    "resolve_area",
    "resolve_industry",
    "resolve_occupation",
    "search_occupations",
    "soc_code",
]

logger = logging.getLogger(__name__)

CROSS_INDUSTRY = series_id.CROSS_INDUSTRY
NATIONAL_NAMES = series_id.NATIONAL_NAMES
_SOC = re.compile(r"^(\d{2})-?(\d{4})(?:\.\d{2})?$")
_SUGGESTIONS = 5


def _normal(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())


def _words_match(names: list[str], query: str) -> list[bool]:
    """Which normalized names contain the query, or (if none does) every word of it."""
    found = [query in name for name in names]
    words = query.split()
    if not any(found) and len(words) > 1:
        found = [all(word in name for word in words) for name in names]
    return found


def _close(query: str, labels: list[str]) -> list[str]:
    """Up to five labels close to ``query`` (fuzzy)."""
    from rapidfuzz import fuzz, process

    found = process.extract(
        str(query), labels, scorer=fuzz.WRatio, limit=_SUGGESTIONS, score_cutoff=60
    )
    return [label for label, _, _ in found]


def _pick(
    records: Sequence[Record],
    name: Callable[[Record], str],
    query: str,
    *,
    label: Callable[[Record], str],
    prefer: Callable[[list[Record]], list[Record]] = lambda found: found,
) -> tuple[Record | None, list[str]]:
    """The one record whose name is ``query`` or contains its words; else (None, suggestions)."""
    normal = _normal(query)
    if not normal:
        return None, []
    names = [_normal(name(r)) for r in records]
    exact = [r for r, n in zip(records, names, strict=True) if n == normal]
    if len(exact) > 1:
        exact = prefer(exact)
    if len(exact) == 1:
        return exact[0], []
    found = [r for r, hit in zip(records, _words_match(names, normal), strict=True) if hit]
    if len(found) > 1:
        found = prefer(found) if len(prefer(found)) == 1 else found
    if len(found) == 1:
        return found[0], []
    if len(found) > 1:
        return None, [label(r) for r in found[:_SUGGESTIONS]]
    return None, _close(query, [label(r) for r in records])


# Occupations -----------------------------------------------------------------------------


def _occupation_label(occupation: Occupation) -> str:
    return f"{occupation.code} {occupation.title}"


def _prefer_detailed(found: list[Occupation]) -> list[Occupation]:
    detailed = [o for o in found if o.level == "detailed"]
    return detailed or found


def soc_code(text: str | int) -> str | None:
    """``29-2072`` for ``292072``, ``29-2072`` or ``29-2072.00``; None if ``text`` is no code."""
    m = _SOC.match(str(text).strip())
    return f"{m[1]}-{m[2]}" if m else None


def resolve_occupation(text: str | int, *, table: OccupationTable | None = None) -> Occupation:
    """The occupation meant by ``text`` (a SOC code, a title, or words of one title).

    Parameters
    ----------
    text
        ``29-2072``, ``292072``, ``Medical Records Specialists``, ``medical records``.
    table
        The release's occupations: records, or a frame with ``occupation_code``,
        ``occupation_title``, ``occupation_level`` (default: the bundled snapshot's).

    Raises
    ------
    UnknownCode
        No such code, or no single title matches; lists close matches.
    TypeError
        ``text`` is not one text or whole number (a list, a float, ...).
    """
    text = arguments.one(text, "occupation", example="'29-2072' or 'medical records'")
    occupations = occupations_of(table)
    code = soc_code(text)
    if code is not None:
        for occupation in occupations:
            if occupation.code == code:
                return occupation
        group = [o for o in occupations if o.code.startswith(code[:5])]
        group.sort(key=lambda o: abs(int(o.code[3:]) - int(code[3:])))  # stable: ties in order
        near = [_occupation_label(o) for o in group[:_SUGGESTIONS]]
        raise UnknownCode(
            "SOC occupation code",
            text,
            near or _close(code, [_occupation_label(o) for o in occupations]),
            hint="This release publishes no such code (codes are SOC 2018): find the code with "
            "`marketdata search WORDS` (in Python, md.codes.search_occupations).",
        )
    found, suggestions = _pick(
        occupations,
        lambda o: o.title,
        str(text),
        label=_occupation_label,
        prefer=_prefer_detailed,
    )
    if found is None:
        raise UnknownCode(
            "occupation",
            text,
            _merged(onet_suggestions(str(text), table=table), suggestions, occupations, text),
            hint="Give a SOC code such as 29-2072 or more words of the title.",
        )
    return found


#: Words that say nothing about an occupation; a search ignores them.
_FILLER = frozenset({"a", "an", "and", "the", "of", "or", "in", "for", "all", "other", "except"})
#: Least share of the query's words (in percent) a title must match to be listed.
SEARCH_THRESHOLD = 50.0


_ENDINGS = ("", "s", "es", "er", "ers", "ing")


def _word_credit(word: str, title_words: list[str]) -> float:
    """1 if a title word is ``word`` or ``word`` with an ending (``record`` -> ``records``,
    not ``nurse`` -> ``nursery``), else the best close spelling (``recrds``) as a fraction,
    0 below 85 % similar."""
    from rapidfuzz import fuzz

    best = 0.0
    for candidate in title_words:
        if candidate.startswith(word) and candidate[len(word) :] in _ENDINGS:
            return 1.0
        similarity = fuzz.ratio(word, candidate)
        if similarity >= 85:
            best = max(best, similarity / 100)
    return best


def search_occupations(
    text: str, *, table: pd.DataFrame | None = None, limit: int = 10, onet_titles: bool = True
) -> pd.DataFrame:
    """Occupations whose titles hold the words of ``text``, best first.

    ``score`` (0-100) is the share of the query's words found in the title (a word counts when
    a title word is it or starts with it; a misspelling counts in part); titles matching less
    than :data:`SEARCH_THRESHOLD` are left out. With ``onet_titles``, O*NET's alternate and
    reported job titles count too (:mod:`marketdata.datasets.codes_onet`: "medical coder" finds
    29-2072). ``matched_title`` and ``matched`` say which title matched and what kind it is.
    Ties go to SOC titles, then to the title closest to ``text`` as a whole, then (with
    ``onet_titles``) to the occupation with more jobs in the nation, then to detailed
    occupations.
    """
    import pandas as pd
    from rapidfuzz import fuzz

    table = snapshot.occupations() if table is None else table
    words = [w for w in _normal(text).split() if w not in _FILLER] or _normal(text).split()
    if not words:
        empty = table.iloc[:0].assign(score=pd.Series(dtype=float), matched_title="", matched="")
        return empty.reset_index(drop=True)
    titles = table["occupation_title"].astype(str)
    score = titles.map(
        lambda title: 100 * sum(_word_credit(w, _normal(title).split()) for w in words) / len(words)
    )
    closeness = titles.map(lambda title: fuzz.WRatio(str(text), title))
    ranked = table.assign(
        score=score.round(1),
        matched_title=titles,
        matched="SOC title",
        _close=closeness,
        _detailed=(table["occupation_level"] == "detailed").astype(int),
    )
    keys = ["score", "_close", "_detailed"]
    if onet_titles:
        from marketdata.datasets import codes_onet

        ranked = codes_onet.with_onet_titles(ranked, str(text), words, SEARCH_THRESHOLD)
        keys = ["score", "_soc", "_close", "_jobs", "_detailed"]
    ranked = ranked[ranked["score"] >= SEARCH_THRESHOLD].sort_values(
        keys, ascending=False, kind="stable"
    )
    shown = ranked.drop(columns=[k for k in keys if k.startswith("_")])
    return shown.head(limit).reset_index(drop=True)


def _merged(
    onet: list[str], soc: list[str], occupations: Sequence[Occupation], text: object
) -> list[str]:
    """Up to five suggestions, one per occupation code: SOC titles holding the words of
    ``text`` first, else O*NET's titles holding them before fuzzy SOC matches."""
    names = [_normal(o.title) for o in occupations]
    first, then = (soc, onet) if any(_words_match(names, _normal(str(text)))) else (onet, soc)
    seen: dict[str, str] = {}
    for label in [*first, *then]:
        seen.setdefault(label.split(" ", 1)[0], label)
    return list(seen.values())[:_SUGGESTIONS]


def onet_suggestions(text: str, *, table: OccupationTable | None = None) -> list[str]:
    """Up to five occupations whose O*NET job titles hold every word of ``text``, labelled
    with the title that matched (for "did you mean")."""
    from marketdata.datasets import codes_onet

    words = [w for w in _normal(text).split() if w not in _FILLER] or _normal(text).split()
    return codes_onet.suggestions(text, words, occupations_of(table), limit=_SUGGESTIONS)


# Areas -----------------------------------------------------------------------------------


def _area_label(area: Area) -> str:
    """The area as a person would give it back: a state with its postal code, a metro with
    its CBSA code, a nonmetro area with its seven-digit code."""
    if area.type == "state" and area.state_code in STATES:
        return f"{area.name} ({STATES[area.state_code][0]})"
    if area.type == "metro":
        return f"{area.name} ({area.code[2:]})"
    if area.type == "national":
        return f"{area.name} (US)"
    return f"{area.name} ({area.code})"


def _area_code_of(text: str) -> str | None:
    """The seven-digit code meant by a national name, postal/FIPS/CBSA/OEWS code."""
    if text.lower() in NATIONAL_NAMES:
        return series_id.NATIONAL_AREA
    if text.isascii() and text.isdigit():  # not '²' or other Unicode digits
        if len(text) == 7:
            return text
        if len(text) == 5:
            return f"00{text}"
        if len(text) <= 2:
            return f"{int(text):02d}00000"
    if len(text) == 2 and text.isalpha():
        for fips, (postal, _) in STATES.items():
            if postal == text.upper():
                return f"{fips}00000"
    return None


def resolve_area(text: str | int, *, table: AreaTable | None = None) -> Area:
    """The area meant by ``text``.

    Parameters
    ----------
    text
        ``national``/``US``; ``Ohio``, ``OH``, ``39``; ``Columbus, OH``, ``18140``,
        ``0018140``; or words of one area name (``Cleveland``).
    table
        The release's areas: records, or a frame with ``area_code``, ``area_name``,
        ``area_type``, ``state_code`` (default: the bundled snapshot's).

    Raises
    ------
    UnknownArea
        Not an area of the release, or several match (e.g. ``Columbus``); lists them.
    TypeError
        ``text`` is not one text or whole number (a list, a float, ...).
    """
    text = arguments.one(text, "area", example="'OH', 'Ohio' or 'Columbus, OH'")
    areas = areas_of(table)
    query = str(text).strip()
    code = _area_code_of(query)
    if code is not None:
        for area in areas:
            if area.code == code:
                return area
        raise UnknownArea(
            "OEWS area",
            text,
            _close(query, [_area_label(a) for a in areas]),
            hint=f"No area {code} in this release.",
        )
    found, suggestions = _pick(areas, lambda a: a.name, query, label=_area_label)
    if found is None:
        raise UnknownArea(
            "OEWS area",
            text,
            suggestions,
            hint="Give 'US', a state (Ohio, OH, 39), a metro area as 'Columbus, OH' or its "
            "CBSA code (18140).",
        )
    return found


# Industries ------------------------------------------------------------------------------


def _industry_label(industry: Industry) -> str:
    return f"{industry.code} {industry.title}"


def resolve_industry(text: str | int, *, table: IndustryTable | None = None) -> Industry:
    """The industry meant by ``text``: OEWS code (``622000``), NAICS prefix (``622``),
    exact title, or words of one title.

    ``table``: the release's industries, records or a frame with ``industry_code``,
    ``industry_title``, ``industry_level`` (default: the bundled snapshot's).

    Raises
    ------
    UnknownCode
        No such industry; lists close matches.
    """
    text = arguments.one(text, "industry", example="'622000' or 'hospitals'")
    industries = industries_of(table)
    query = str(text).strip().upper()
    if not query:
        raise InputValueError("industry", text, hint="Give a code such as 000000 or 622000.")
    candidates = [query]
    if query.isdigit() and len(query) < 6:
        candidates.append(query.ljust(6, "0"))
    for code in candidates:
        for industry in industries:
            if industry.code == code:
                return industry
    found, suggestions = _pick(industries, lambda i: i.title, str(text), label=_industry_label)
    if found is None:
        raise UnknownCode(
            "OEWS industry",
            text,
            suggestions,
            hint="Give the six-character OEWS industry code (000000 = cross-industry).",
        )
    return found


# Groups ----------------------------------------------------------------------------------


def areas_in(
    where: str | int = "all", *, kind: str = "metro", table: AreaTable | None = None
) -> list[Area]:
    """The areas of one ``kind`` (``metro``, ``nonmetro``, ``state``, ``territory``) in a state
    or the whole country: ``areas_in("OH", kind="metro")``; see
    :func:`marketdata.datasets.codes_groups.areas_in`."""
    from marketdata.datasets import codes_groups

    return codes_groups.areas_in(where, kind=kind, table=table)

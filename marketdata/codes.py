"""Turn what people type into OEWS codes: occupations, areas and industries.

Every lookup works on a table of the release at hand (by default the bundled snapshot's
tables, :mod:`marketdata.snapshot`; :func:`marketdata.oews.areas` and friends give those of
the cached current release):

- occupations: a SOC code with or without the dash (``292072``, ``29-2072``, also O*NET's
  ``29-2072.00``), an exact title, or words found in exactly one title
  (``medical records``); anything else raises :class:`~marketdata.errors.UnknownCode` with
  close matches (:func:`search_occupations` lists fuzzy matches);
- areas: ``national``/``US``; a state by name, postal code or FIPS code (``Ohio``, ``OH``,
  ``39``); a metro or nonmetro area by name (``Columbus, OH``, ``Columbus OH``), CBSA code
  (``18140``) or seven-digit OEWS area code (``0018140``); or words found in exactly one
  area name; else :class:`~marketdata.errors.UnknownArea` with close matches;
- industries: the six-character OEWS code (``622000``), a NAICS prefix that pads to one
  (``622``), an exact title or words found in exactly one title.

A fuzzy match is never taken silently: it is only offered as a suggestion.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from marketdata import snapshot
from marketdata.errors import InputValueError, UnknownArea, UnknownCode
from marketdata.series_id import STATES

logger = logging.getLogger(__name__)

NATIONAL_CODE = "0000000"
CROSS_INDUSTRY = "000000"
#: Names of the nation; ``99`` is the national area code of BLS's OEWS spreadsheets.
NATIONAL_NAMES = frozenset(
    {"national", "nation", "us", "u.s.", "usa", "u.s.a.", "united states", "99"}
)
_SOC = re.compile(r"^(\d{2})-?(\d{4})(?:\.\d{2})?$")
_SUGGESTIONS = 5


@dataclass(frozen=True)
class Occupation:
    """An OEWS occupation: SOC ``code`` (``29-2072``), ``title`` and ``level``."""

    code: str
    title: str
    level: str


@dataclass(frozen=True)
class Area:
    """An OEWS area: seven-digit ``code``, ``name``, ``type`` and ``state_code`` (FIPS)."""

    code: str
    name: str
    type: str
    state_code: str


@dataclass(frozen=True)
class Industry:
    """An OEWS industry: six-character ``code``, ``title`` and ``level``."""

    code: str
    title: str
    level: str


def _normal(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).lower()).split())


def _words_match(names: pd.Series, query: str) -> pd.Series:
    """Rows whose normalized name contains the query or every word of it."""
    normal = names.map(_normal)
    words = query.split()
    found = normal.str.contains(query, regex=False)
    if not found.any() and len(words) > 1:
        found = pd.Series(True, index=names.index)
        for word in words:
            found &= normal.str.contains(word, regex=False)
    return found


def _close(query: str, labels: pd.Series) -> list[str]:
    """Up to five labels close to ``query`` (fuzzy)."""
    found = process.extract(
        str(query), labels.tolist(), scorer=fuzz.WRatio, limit=_SUGGESTIONS, score_cutoff=60
    )
    return [label for label, _, _ in found]


def _pick(
    table: pd.DataFrame,
    name_column: str,
    query: str,
    *,
    label: Callable[[pd.DataFrame], pd.Series],
    prefer: Callable[[pd.DataFrame], pd.DataFrame] = lambda t: t,
) -> tuple[pd.Series | None, list[str]]:
    """The one row whose name is ``query`` or contains its words; else (None, suggestions)."""
    normal = _normal(query)
    if not normal:
        return None, []
    exact = table[table[name_column].map(_normal) == normal]
    if len(exact) > 1:
        exact = prefer(exact)
    if len(exact) == 1:
        return exact.iloc[0], []
    found = table[_words_match(table[name_column], normal)]
    if len(found) > 1:
        found = prefer(found) if len(prefer(found)) == 1 else found
    if len(found) == 1:
        return found.iloc[0], []
    if len(found) > 1:
        return None, label(found).head(_SUGGESTIONS).tolist()
    return None, _close(query, label(table))


# Occupations -----------------------------------------------------------------------------


def _occupation_label(table: pd.DataFrame) -> pd.Series:
    return table["occupation_code"] + " " + table["occupation_title"]


def _prefer_detailed(table: pd.DataFrame) -> pd.DataFrame:
    detailed = table[table["occupation_level"] == "detailed"]
    return detailed if len(detailed) else table


def soc_code(text: str | int) -> str | None:
    """``29-2072`` for ``292072``, ``29-2072`` or ``29-2072.00``; None if ``text`` is no code."""
    m = _SOC.match(str(text).strip())
    return f"{m[1]}-{m[2]}" if m else None


def resolve_occupation(text: str | int, *, table: pd.DataFrame | None = None) -> Occupation:
    """The occupation meant by ``text`` (a SOC code, a title, or words of one title).

    Parameters
    ----------
    text
        ``29-2072``, ``292072``, ``Medical Records Specialists``, ``medical records``.
    table
        ``occupation_code``, ``occupation_title``, ``occupation_level`` of the release
        (default: the bundled snapshot's).

    Raises
    ------
    UnknownCode
        No such code, or no single title matches; lists close matches.
    """
    table = snapshot.occupations() if table is None else table
    code = soc_code(text)
    if code is not None:
        row = table[table["occupation_code"] == code]
        if len(row):
            return _occupation(row.iloc[0])
        group = table[table["occupation_code"].str.startswith(code[:5])]
        distance = (group["occupation_code"].str.slice(3).astype(int) - int(code[3:])).abs()
        group = group.assign(_distance=distance.to_numpy()).sort_values("_distance", kind="stable")
        near = _occupation_label(group).head(_SUGGESTIONS).tolist()
        raise UnknownCode(
            "SOC occupation code",
            text,
            near or _close(code, _occupation_label(table)),
            hint="This release publishes no such code (codes are SOC 2018; "
            "search titles with marketdata.codes.search_occupations).",
        )
    row, suggestions = _pick(
        table,
        "occupation_title",
        str(text),
        label=_occupation_label,
        prefer=_prefer_detailed,
    )
    if row is None:
        raise UnknownCode(
            "occupation",
            text,
            suggestions,
            hint="Give a SOC code such as 29-2072 or more words of the title.",
        )
    return _occupation(row)


def _occupation(row: pd.Series) -> Occupation:
    return Occupation(
        code=str(row["occupation_code"]),
        title=str(row["occupation_title"]),
        level=str(row["occupation_level"]),
    )


#: Words that say nothing about an occupation; a search ignores them.
_FILLER = frozenset({"a", "an", "and", "the", "of", "or", "in", "for", "all", "other", "except"})
#: Least share of the query's words (in percent) a title must match to be listed.
SEARCH_THRESHOLD = 50.0


_ENDINGS = ("", "s", "es", "er", "ers", "ing")


def _word_credit(word: str, title_words: list[str]) -> float:
    """1 if a title word is ``word`` or ``word`` with an ending (``record`` -> ``records``,
    not ``nurse`` -> ``nursery``), else the best close spelling (``recrds``) as a fraction,
    0 below 85 % similar."""
    best = 0.0
    for candidate in title_words:
        if candidate.startswith(word) and candidate[len(word) :] in _ENDINGS:
            return 1.0
        similarity = fuzz.ratio(word, candidate)
        if similarity >= 85:
            best = max(best, similarity / 100)
    return best


def search_occupations(
    text: str, *, table: pd.DataFrame | None = None, limit: int = 10
) -> pd.DataFrame:
    """Occupations whose titles hold the words of ``text``, best first.

    ``score`` (0-100) is the share of the query's words found in the title (a word counts when
    a title word is it or starts with it; a misspelling counts in part); titles matching less
    than :data:`SEARCH_THRESHOLD` are left out. Ties go to the title closest to ``text`` as a
    whole, then to detailed occupations.
    """
    table = snapshot.occupations() if table is None else table
    words = [w for w in _normal(text).split() if w not in _FILLER] or _normal(text).split()
    if not words:
        return table.iloc[:0].assign(score=pd.Series(dtype=float)).reset_index(drop=True)
    titles = table["occupation_title"].astype(str)
    score = titles.map(
        lambda title: 100 * sum(_word_credit(w, _normal(title).split()) for w in words) / len(words)
    )
    closeness = titles.map(lambda title: fuzz.WRatio(str(text), title))
    ranked = table.assign(
        score=score.round(1),
        _close=closeness,
        _detailed=(table["occupation_level"] == "detailed").astype(int),
    )
    ranked = ranked[ranked["score"] >= SEARCH_THRESHOLD].sort_values(
        ["score", "_close", "_detailed"], ascending=False, kind="stable"
    )
    return ranked.drop(columns=["_close", "_detailed"]).head(limit).reset_index(drop=True)


# Areas -----------------------------------------------------------------------------------


def _area_label(table: pd.DataFrame) -> pd.Series:
    return table["area_name"] + " (" + table["area_code"] + ")"


def _area(row: pd.Series) -> Area:
    return Area(
        code=str(row["area_code"]),
        name=str(row["area_name"]),
        type=str(row["area_type"]),
        state_code=str(row["state_code"]),
    )


def _area_code_of(text: str) -> str | None:
    """The seven-digit code meant by a national name, postal/FIPS/CBSA/OEWS code."""
    if text.lower() in NATIONAL_NAMES:
        return NATIONAL_CODE
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


def resolve_area(text: str | int, *, table: pd.DataFrame | None = None) -> Area:
    """The area meant by ``text``.

    Parameters
    ----------
    text
        ``national``/``US``; ``Ohio``, ``OH``, ``39``; ``Columbus, OH``, ``18140``,
        ``0018140``; or words of one area name (``Cleveland``).
    table
        ``area_code``, ``area_name``, ``area_type``, ``state_code`` of the release
        (default: the bundled snapshot's).

    Raises
    ------
    UnknownArea
        Not an area of the release, or several match (e.g. ``Columbus``); lists them.
    """
    table = snapshot.areas() if table is None else table
    query = str(text).strip()
    code = _area_code_of(query)
    if code is not None:
        row = table[table["area_code"] == code]
        if len(row):
            return _area(row.iloc[0])
        raise UnknownArea(
            "OEWS area",
            text,
            _close(query, _area_label(table)),
            hint=f"No area {code} in this release.",
        )
    row, suggestions = _pick(table, "area_name", query, label=_area_label)
    if row is None:
        raise UnknownArea(
            "OEWS area",
            text,
            suggestions,
            hint="Give 'US', a state (Ohio, OH, 39), a metro area as 'Columbus, OH' or its "
            "CBSA code (18140).",
        )
    return _area(row)


# Industries ------------------------------------------------------------------------------


def _industry_label(table: pd.DataFrame) -> pd.Series:
    return table["industry_code"] + " " + table["industry_title"]


def resolve_industry(text: str | int, *, table: pd.DataFrame | None = None) -> Industry:
    """The industry meant by ``text``: OEWS code (``622000``), NAICS prefix (``622``),
    exact title, or words of one title.

    Raises
    ------
    UnknownCode
        No such industry; lists close matches.
    """
    table = snapshot.industries() if table is None else table
    query = str(text).strip().upper()
    if not query:
        raise InputValueError("industry", text, hint="Give a code such as 000000 or 622000.")
    candidates = [query]
    if query.isdigit() and len(query) < 6:
        candidates.append(query.ljust(6, "0"))
    for code in candidates:
        row = table[table["industry_code"] == code]
        if len(row):
            return _industry(row.iloc[0])
    row, suggestions = _pick(table, "industry_title", str(text), label=_industry_label)
    if row is None:
        raise UnknownCode(
            "OEWS industry",
            text,
            suggestions,
            hint="Give the six-character OEWS industry code (000000 = cross-industry).",
        )
    return _industry(row)


def _industry(row: pd.Series) -> Industry:
    return Industry(
        code=str(row["industry_code"]),
        title=str(row["industry_title"]),
        level=str(row["industry_level"]),
    )

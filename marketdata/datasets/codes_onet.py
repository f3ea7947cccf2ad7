"""Occupations found by the words people use: O*NET's alternate and reported job titles.

"Medical coder", "CPC" or "certified coding specialist" are nobody's SOC title, but O*NET
lists them as titles of 29-2072.00 Medical Records Specialists. :func:`title_matches` scores
every bundled O*NET title (:func:`marketdata.bundled.onet_bundle.title_rows`) against the words of a
query, in plain Python (no pandas), and maps each O*NET-SOC code to the OEWS occupation whose
figures stand for it (the SOC code itself, else its broad group, as
:func:`marketdata.datasets.onet.to_soc` does). The index is read only when a search needs it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from marketdata.bundled import onet_bundle as bundled

if TYPE_CHECKING:
    import pandas as pd

    from marketdata.datasets.codes import Occupation

_ENDINGS = ("", "s", "es", "er", "ers", "ing")
#: How each kind of title is named in search results.
KINDS = bundled.TITLE_KINDS


@dataclass(frozen=True)
class TitleMatch:
    """The best O*NET title of one OEWS occupation for a query."""

    occupation_code: str
    title: str
    kind: str
    score: float
    closeness: float

    @property
    def label(self) -> str:
        """How the title is described: ``O*NET alternate title "Medical Coder"``."""
        return f'{bundled.TITLE_KINDS[self.kind]} "{self.title}"'


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[tuple[str, str, str], ...], dict[str, list[int]]]:
    """The title rows and, for each word, the rows whose title holds it."""
    from marketdata.datasets.codes import _normal

    rows = bundled.title_rows()
    words: dict[str, list[int]] = defaultdict(list)
    for i, (_, title, _) in enumerate(rows):
        for word in set(_normal(title).split()):
            words[word].append(i)
    return rows, dict(words)


@lru_cache(maxsize=1)
def national_employment() -> dict[str, float]:
    """OEWS code -> national employment in the bundled snapshot (ties between equally good
    title matches go to the occupation with more jobs)."""
    import pyarrow.parquet as pq

    from marketdata import bundled as snapshot

    table = pq.read_table(
        snapshot.DATA,
        columns=["occupation_code", "employment"],
        filters=[("area_code", "=", "0000000")],
    )
    return dict(zip(*(table[c].to_pylist() for c in table.column_names), strict=True))


def _oews_code(onet_code: str, known: set[str]) -> str | None:
    soc = onet_code[:7]
    if soc in known:
        return soc
    group = soc[:6] + "0"
    return group if group in known else None


def title_matches(
    text: str, words: Sequence[str], known: set[str], *, threshold: float
) -> dict[str, TitleMatch]:
    """OEWS code -> its best-matching O*NET title for the query ``text``.

    Parameters
    ----------
    words
        The query's normalized words that count (fillers left out).
    known
        The OEWS occupation codes a match may name.
    threshold
        Least share of ``words`` (percent) a title must hold.
    """
    from rapidfuzz import fuzz

    rows, index = _index()
    hits: dict[int, int] = defaultdict(int)
    for word in words:
        found = {i for ending in _ENDINGS for i in index.get(word + ending, ())}
        for i in found:
            hits[i] += 1
    best: dict[str, TitleMatch] = {}
    for i, count in hits.items():
        score = round(100 * count / len(words), 1)
        if score < threshold:
            continue
        onet_code, title, kind = rows[i]
        code = _oews_code(onet_code, known)
        if code is None:
            continue
        match = TitleMatch(code, title, kind, score, fuzz.WRatio(text, title))
        current = best.get(code)
        if current is None or (match.score, match.closeness) > (current.score, current.closeness):
            best[code] = match
    return best


def with_onet_titles(
    ranked: pd.DataFrame, text: str, words: Sequence[str], threshold: float
) -> pd.DataFrame:
    """The ranking frame of :func:`marketdata.datasets.codes.search_occupations` with each
    occupation's O*NET title where it holds more of the query's words than the SOC title, and
    the tie-break columns ``_soc`` (the SOC title matched best) and ``_jobs``."""
    import pandas as pd

    codes = ranked["occupation_code"].astype(str).tolist()
    found = title_matches(text, words, set(codes), threshold=threshold)
    better = [
        (m := found.get(code)) is not None and m.score > score
        for code, score in zip(codes, ranked["score"], strict=True)
    ]
    chosen = [found[c] for c, b in zip(codes, better, strict=True) if b]
    ranked = ranked.copy()
    ranked.loc[better, "score"] = [m.score for m in chosen]
    ranked.loc[better, "_close"] = [m.closeness for m in chosen]
    ranked["matched_title"] = ranked["matched_title"].astype(object)
    ranked.loc[better, "matched_title"] = [m.title for m in chosen]
    ranked.loc[better, "matched"] = [KINDS[m.kind] for m in chosen]
    jobs = national_employment()
    ranked["_soc"] = [int(not b) for b in better]
    ranked["_jobs"] = [jobs.get(c) or 0.0 for c in codes]
    return ranked.astype({"matched_title": pd.StringDtype(), "matched": pd.StringDtype()})


def suggestions(
    text: str, words: Sequence[str], occupations: Sequence[Occupation], *, limit: int
) -> list[str]:
    """Up to ``limit`` occupations with an O*NET title holding every one of ``words``,
    closest to ``text`` first, each labelled with the title that matched."""
    if not words:
        return []
    titles = {o.code: o.title for o in occupations}
    found = title_matches(text, words, set(titles), threshold=100.0)
    best = sorted(found.values(), key=lambda m: (-m.closeness, m.occupation_code))
    return [f"{m.occupation_code} {titles[m.occupation_code]} ({m.label})" for m in best[:limit]]

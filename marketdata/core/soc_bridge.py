"""Follow one occupation through OEWS releases coded in different SOC versions.

OEWS used SOC 2000 until May 2009, SOC 2010 from May 2012 to May 2018 and SOC 2018 from
May 2021; May 2010-2011 and May 2019-2020 mix two versions and add OEWS "hybrid" codes
(e.g. 29-2098, which holds Medical Records Specialists with other occupations). Given an
occupation code and the codes a release publishes, :func:`match` finds the code that
release uses for it:

1. the code itself or its counterparts through BLS's crosswalks, newest version first;
2. in a hybrid release, an OEWS-specific code (in neither version of the crosswalks) whose
   title contains the occupation's title or a counterpart's title;
3. failing that, the only such hybrid code in the same SOC broad group (first five digits).

A match is comparable only if every crosswalk step between the two codes is one-to-one
(the SOC revision neither split nor merged the occupation); hybrid codes never are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from marketdata.core.errors import MarketdataError

#: SOC versions used by OEWS, oldest first.
SOC_VERSIONS: tuple[str, ...] = ("SOC 2000", "SOC 2010", "SOC 2018")
TOTAL = "00-0000"


def versions_of(soc_version: str) -> tuple[str, ...]:
    """SOC versions a release uses: ``"SOC 2010/2018 hybrid"`` -> ``("SOC 2010", "SOC 2018")``.

    Releases before SOC (``"OES"``) give an empty tuple.
    """
    return tuple(f"SOC {y}" for y in re.findall(r"\d{4}", soc_version))


def _norm_title(title: object) -> str:
    return re.sub(r"\s+", " ", str(title).replace("*", "").strip().lower())


@dataclass(frozen=True)
class Match:
    """The code a release uses for an occupation, and whether its figures compare."""

    code: str | None
    how: str  # same code | crosswalk | hybrid code (title) | hybrid code (broad group) | ...
    is_comparable: bool
    note: str | None = None


class Crosswalks:
    """Links between adjacent SOC versions (from BLS's crosswalk tables).

    ``provenance``: where the tables come from (dicts as in ``df.attrs["provenance"]``).
    """

    def __init__(
        self,
        tables: Mapping[tuple[str, str], pd.DataFrame],
        *,
        provenance: Iterable[Mapping[str, object]] = (),
    ):
        self.provenance = [dict(p) for p in provenance]
        self._forward: dict[tuple[str, str], dict[str, set[str]]] = {}
        self._backward: dict[tuple[str, str], dict[str, set[str]]] = {}
        self._titles: dict[str, dict[str, str]] = {v: {} for v in SOC_VERSIONS}
        for (old, new), table in tables.items():
            fwd: dict[str, set[str]] = {}
            back: dict[str, set[str]] = {}
            for o, ot, n, nt in table[
                ["old_code", "old_title", "new_code", "new_title"]
            ].itertuples(index=False):
                fwd.setdefault(o, set()).add(n)
                back.setdefault(n, set()).add(o)
                self._titles[old].setdefault(o, ot)
                self._titles[new].setdefault(n, nt)
            self._forward[(old, new)] = fwd
            self._backward[(old, new)] = back

    def titles(self, version: str) -> dict[str, str]:
        """Code -> title of every code the crosswalks know in ``version``."""
        return self._titles.get(version, {})

    def native(self, code: str) -> str | None:
        """The newest SOC version that has ``code`` (None: not in any crosswalk)."""
        return next((v for v in reversed(SOC_VERSIONS) if code in self.titles(v)), None)

    def _pair(self, old: str, new: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        if (old, new) not in self._forward:
            raise MarketdataError(f"the {old} to {new} crosswalk is not loaded")
        return self._forward[(old, new)], self._backward[(old, new)]

    def translate(self, code: str, source: str, target: str) -> tuple[frozenset[str], bool]:
        """Counterparts of ``code`` (a ``source`` code) in ``target``, and whether the path
        between them is one-to-one at every step."""
        i, j = SOC_VERSIONS.index(source), SOC_VERSIONS.index(target)
        current, one_to_one = {code}, True
        step = 1 if j > i else -1
        for k in range(i, j, step):
            old, new = (
                (SOC_VERSIONS[k], SOC_VERSIONS[k + 1])
                if step > 0
                else (
                    SOC_VERSIONS[k - 1],
                    SOC_VERSIONS[k],
                )
            )
            fwd, back = self._pair(old, new)
            ahead, behind = (fwd, back) if step > 0 else (back, fwd)
            reached = set().union(*(ahead.get(c, set()) for c in current))
            one_to_one = (
                one_to_one
                and len(current) == 1
                and len(reached) == 1
                and behind.get(next(iter(reached)), set()) == current
            )
            current = reached
        return frozenset(current), one_to_one


def _split_note(crosswalks: Crosswalks, code: str, native: str, found: str, version: str) -> str:
    """Why ``found`` (a ``version`` code) does not compare with ``code`` (a ``native`` code):
    which codes the SOC revision split it into or merged it with, per BLS's crosswalks."""
    back = sorted(crosswalks.translate(found, version, native)[0])
    counterparts = sorted(crosswalks.translate(code, native, version)[0])
    parts = []
    if len(back) > 1:
        parts.append(f"the SOC revision split {version} {found} into {native} {', '.join(back)}")
    if len(counterparts) > 1:
        parts.append(f"{native} {code} combines {version} {', '.join(counterparts)}")
    for other in back:
        more = sorted(crosswalks.translate(other, native, version)[0] - {found})
        if more and other != code:
            parts.append(f"{native} {other} also takes in {version} {', '.join(more)}")
    return (
        f"not one-to-one: {'; '.join(parts)} (BLS's SOC crosswalks); figures of {version} "
        f"{found} do not cover the same work as {native} {code}"
    )


def _title_in(title: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(title) + r"(?!\w)", text) is not None


def match(
    code: str,
    *,
    published: Mapping[str, str],
    release_soc: str,
    reference_soc: str,
    crosswalks: Crosswalks,
) -> Match:
    """The code a release uses for ``code``.

    Parameters
    ----------
    code
        The occupation followed, as published in the reference release (or any SOC code).
    published
        Code -> title of the occupations the release publishes.
    release_soc, reference_soc
        SOC version of the release and of the reference release (e.g. ``"SOC 2018"``).
    crosswalks
        Links between every pair of adjacent versions involved.
    """
    versions = versions_of(release_soc)
    if not versions:
        return Match(None, "before SOC", False, f"{release_soc} codes (before SOC) are not bridged")
    native = crosswalks.native(code)
    if native is None:
        if code not in published:
            return Match(None, "not published", False, f"{code} is not published in this release")
        same = code == TOTAL or release_soc == reference_soc
        note = None
        if not same:
            note = (
                f"{code} is not in the SOC crosswalks (an aggregate or OEWS-specific code); "
                f"what it covers may differ between {release_soc} and {reference_soc}"
            )
        return Match(code, "same code", same, note)

    tried: dict[str, str] = {code: crosswalks.titles(native)[code]}
    for version in reversed(versions):
        counterparts, one_to_one = crosswalks.translate(code, native, version)
        tried.update({c: crosswalks.titles(version).get(c, "") for c in counterparts})
        found = sorted(c for c in counterparts if c in published)
        if len(found) == 1:
            found_code = found[0]
            comparable = one_to_one and len(counterparts) == 1
            how = "same code" if found_code == code else "crosswalk"
            if comparable:
                return Match(found_code, how, True)
            return Match(
                found_code, how, False, _split_note(crosswalks, code, native, found_code, version)
            )
        if len(found) > 1:
            return Match(
                None,
                "several codes",
                False,
                f"{native} {code} corresponds to {len(found)} occupations published separately "
                f"in this release ({', '.join(found)}); no single comparable figure",
            )
    if len(versions) > 1:
        known = set().union(*(crosswalks.titles(v) for v in versions))
        hybrids = {c: _norm_title(t) for c, t in published.items() if c not in known}
        titles = [_norm_title(t) for t in tried.values() if t]
        by_title = sorted(c for c, t in hybrids.items() if any(_title_in(x, t) for x in titles))
        by_group = sorted(c for c in hybrids if any(c[:6] == t[:6] for t in tried))
        for how, found in (("title", by_title), ("broad group", by_group)):
            if len(found) == 1:
                return Match(
                    found[0],
                    f"hybrid code ({how})",
                    False,
                    f"OEWS hybrid code {found[0]} ({release_soc}): BLS's own aggregate, in "
                    f"neither SOC crosswalk, combining {native} {code} with other occupations "
                    f"(matched by {how})",
                )
    return Match(None, "not published", False, f"no code for {native} {code} in this release")

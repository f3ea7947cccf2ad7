"""Group rows that BLS's national workbook publishes and its time-series files leave out.

BLS's OEWS national workbook (``national_M2025_dl.xlsx`` in ``oesm25nat.zip``) has a row for
every SOC group, but the time-series files (``oe.occupation``, ``oe.data.0.Current``) skip a
group that has a single child with the same figures: May 2025 has 290 such rows (273 broad
groups, 17 minor groups), e.g. 35-9020 Dishwashers, whose single child is 35-9021.
:func:`split` lets :func:`marketdata.datasets.oews.load` answer such a code: it loads the child, and
:func:`attach` puts the rows back under the group's own code and title, with the national
figures of BLS's workbook when it is at hand (cached, or the bundled national history) and
the child's figures elsewhere, saying so in ``df.attrs["notes"]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from marketdata.core.config import Settings
from marketdata.core.errors import UnknownCode, UnknownRelease
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.datasets import codes
from marketdata.io import cache
from marketdata.sources.oews_archive import parse_release

if TYPE_CHECKING:
    import pandas as pd

NATIONAL = "0000000"
CROSS_INDUSTRY = "000000"


@dataclass(frozen=True)
class GroupRow:
    """A group the workbook publishes with the same figures as its single child."""

    code: str
    title: str
    level: str
    child: str
    child_title: str


def _workbook(release: str, settings: Settings) -> pd.DataFrame | None:
    """BLS's national workbook of ``release`` as parsed: the cached zip, else the bundled
    national history; None if neither is at hand."""
    from marketdata.bundled import history_bundle as bundled

    try:
        rel = parse_release(release)
    except UnknownRelease:
        return None
    if cache.lookup(f"oews-archive/{rel.zip_name('national')}", settings=settings) is not None:
        from marketdata.datasets import oews_history

        return oews_history.load_release(rel.label, scope="national", settings=settings)
    return bundled.release_frame(rel.label)


def _has_workbook(release: str, settings: Settings) -> bool:
    """Whether :func:`_workbook` has the release's workbook (read without pandas)."""
    from marketdata.bundled import history_bundle as bundled

    try:
        rel = parse_release(release)
    except UnknownRelease:
        return False
    key = f"oews-archive/{rel.zip_name('national')}"
    return cache.lookup(key, settings=settings) is not None or rel.label in bundled.releases()


def group_rows(workbook: pd.DataFrame, published: Iterable[str]) -> dict[str, GroupRow]:
    """The workbook's group rows missing from ``published`` (the time-series codes), each
    with its single child: the published code under it with the very same figures."""
    import numpy as np

    from marketdata.sources.oews_archive import MEASURES

    rows = workbook.drop_duplicates("occupation_code").set_index("occupation_code")
    figures = rows[list(MEASURES)].to_numpy(dtype=float)
    where = {code: i for i, code in enumerate(rows.index)}
    under_of: dict[str, list[str]] = {}
    shown = sorted((c for c in set(published) if c in where), key=lambda c: (len(c.rstrip("0")), c))
    for code in shown:  # the nearest level first
        for cut in range(3, 7):
            under_of.setdefault(code[:cut], []).append(code)
    found = {}
    for code in sorted(set(rows.index) - set(published)):
        mine = figures[where[code]]
        child = next(
            (
                c
                for c in under_of.get(code.rstrip("0"), [])
                if np.array_equal(figures[where[c]], mine, equal_nan=True)
            ),
            None,
        )
        if child is not None:
            found[code] = GroupRow(
                code,
                str(rows.loc[code, "occupation_title"]),
                str(rows.loc[code, "occupation_level"]),
                child,
                str(rows.loc[child, "occupation_title"]),
            )
    return found


@dataclass
class Groups:
    """Group codes asked for, and where their figures come from."""

    rows: list[GroupRow]
    workbook: pd.DataFrame | None
    release: str


def split(
    occupation: Any, *, table: Any, release: str, settings: Settings
) -> tuple[Any, Groups | None]:
    """``occupation`` with each group row's code replaced by its single child's, and the
    groups asked (None when none is); other values are left for the resolver to judge."""
    if occupation is None:
        return None, None
    values = [occupation] if isinstance(occupation, str | int) else list(occupation)
    known = {o.code for o in codes.occupations_of(table)}
    wanted = {codes.soc_code(v) for v in values} - {None} - known
    wanted = {c for c in wanted if c.endswith("0")}  # SOC group codes end in 0, detailed never
    if not wanted:
        return occupation, None
    from marketdata.bundled import history_bundle as bundled

    workbook = _workbook(release, settings)
    newest = bundled.release_frame(bundled.releases()[-1])
    found = group_rows(workbook if workbook is not None else newest, known)
    asked = [found[c] for c in sorted(wanted) if c in found]
    if not asked:
        return occupation, None
    replaced = [found[c].child if (c := codes.soc_code(v)) in found else v for v in values]
    return replaced, Groups(asked, workbook, release)


def not_published(err: UnknownCode, release: str, *, settings: Settings) -> UnknownCode:
    """``err`` said truly: what of the release was searched for the code."""
    searched = (
        "neither its data files nor its national workbook have it"
        if _has_workbook(release, settings)
        else "its data files do not have it, and its national workbook is not at hand"
    )
    return UnknownCode(
        err.kind,
        err.value,
        err.suggestions,
        hint=f"OEWS {release} publishes no such code: {searched}. Find the code with "
        "`marketdata search WORDS` (in Python, md.codes.search_occupations).",
    )


def attach(frame: pd.DataFrame, groups: Groups | None, *, asked: Any) -> pd.DataFrame:
    """``frame`` with each group's rows (its child's rows, under the group's code and title;
    national figures from the workbook) and without child rows nobody asked for."""
    if groups is None:
        return frame
    import pandas as pd

    values = [asked] if isinstance(asked, str | int) else list(asked)
    kept = {codes.soc_code(v) for v in values}
    notes, sources = list(frame.attrs.get("notes", [])), provenance_of(frame)
    workbook = (
        groups.workbook.drop_duplicates("occupation_code").set_index("occupation_code")
        if groups.workbook is not None
        else None
    )
    links = pd.DataFrame(
        [(g.code, g.title, g.level, g.child) for g in groups.rows],
        columns=["occupation_code", "occupation_title", "occupation_level", "child"],
    )
    children = frame.rename(columns={"occupation_code": "child"}).drop(
        columns=["occupation_title", "occupation_level"]
    )
    rows = links.merge(children, on="child").drop(columns="child")[list(frame.columns)]
    national = (
        (rows["area_code"] == NATIONAL) & (rows["industry_code"] == CROSS_INDUSTRY)
    ).to_numpy()
    from_workbook = workbook is not None and bool(national.any())
    if from_workbook:
        codes_ = rows.loc[national, "occupation_code"]
        columns = [
            c
            for c in rows.columns
            if c in workbook.columns
            and not c.startswith(("area_", "industry_", "state_", "occ"))
            and c not in ("release", "year")
        ]
        for column in columns:  # column by column: each keeps its type
            rows.loc[national, column] = workbook.loc[codes_, column].to_numpy()
    for group in groups.rows:
        where = (
            f"the national row is BLS's {groups.release} national workbook's, other areas show "
            f"{group.child}'s figures"
            if from_workbook
            else f"every row shows {group.child}'s figures"
            + ("" if workbook is not None else f" (BLS's {groups.release} workbook is not at hand)")
        )
        notes.append(
            f"{group.code} {group.title} ({group.level} group): BLS publishes it with the same "
            f"figures as its single child, {group.child} {group.child_title}; {where}."
        )
    drop = {g.child for g in groups.rows} - kept
    rest = frame[~frame["occupation_code"].isin(drop)]
    out = pd.concat([rest, rows], ignore_index=True)
    out.attrs["notes"] = notes
    if groups.workbook is not None:
        sources += [p for p in provenance_of(groups.workbook) if p not in sources]
    return attach_provenance(out, sources)

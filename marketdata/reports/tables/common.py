"""Tables every report shares: report parameters resolved with the current release's code
tables, and OEWS rows picked, ordered and trimmed to the columns a table shows.

Report parameters are resolved here by the runner before any kernel starts
(:mod:`marketdata.reports.validation`) and again inside the notebook, so both agree on what
``"OH"`` or ``"medical records"`` means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import pandas as pd

from marketdata import codes, oews
from marketdata.codes import Area, Occupation
from marketdata.config import Settings
from marketdata.errors import UnknownCode
from marketdata.schema import WAGE_TABLE_MEASURES, attach_provenance, provenance_of

_GROUP = re.compile(r"^(\d{2})-(\d{4})$")


def occupation(text: str | int, *, settings: Settings | None = None) -> Occupation:
    """The occupation ``text`` means in the current release (code, title or title words)."""
    return codes.resolve_occupation(text, table=oews.occupations(settings=settings))


def area(text: str | int, *, settings: Settings | None = None) -> Area:
    """The area ``text`` means in the current release (``US``, ``OH``, ``Columbus, OH``...)."""
    return codes.resolve_area(text, table=oews.areas(settings=settings))


def areas(texts: Iterable[str | int], *, settings: Settings | None = None) -> list[Area]:
    """:func:`area` of each text, in order."""
    table = oews.areas(settings=settings)
    return [codes.resolve_area(t, table=table) for t in texts]


def group_prefix(group: str) -> str:
    """What the codes of a SOC group's members start with: ``29-`` for ``29-0000``,
    ``29-2`` for ``29-2000``, ``29-102`` for ``29-1020``."""
    m = _GROUP.match(str(group).strip())
    if m is None:
        raise UnknownCode("SOC group", group, hint="Give a group code such as 29-0000 or 29-2000.")
    return f"{m[1]}-" + ("" if m[2] == "0000" else m[2].rstrip("0"))


def group_members(group: str, table: pd.DataFrame) -> pd.DataFrame:
    """Detailed occupations of a SOC group (``29-0000`` major, ``29-1000`` minor, ``29-1020``
    broad) in ``table`` (``occupation_code``, ``occupation_title``, ``occupation_level``)."""
    prefix = group_prefix(group)
    detailed = table[table["occupation_level"] == "detailed"]
    members = detailed[detailed["occupation_code"].str.startswith(prefix)]
    if members.empty or group not in set(table["occupation_code"]):
        groups = table[table["occupation_level"].isin(["major", "minor", "broad"])]
        close = groups[groups["occupation_code"].str.startswith(group[:2])]
        raise UnknownCode(
            "SOC group",
            group,
            (close["occupation_code"] + " " + close["occupation_title"]).head(5).tolist(),
            hint="Give a major (29-0000), minor (29-1000) or broad (29-1020) group code.",
        )
    return members.reset_index(drop=True)


def occupation_list(
    value: str | Sequence[str], *, settings: Settings | None = None
) -> tuple[str, list[Occupation]]:
    """The occupations a regional report covers, and a label for them.

    ``value`` is a list of codes or titles, a SOC group code (``"29-0000"``) or the title of
    a SOC group as BLS names it (``"Healthcare support occupations"``): a group stands for
    its detailed occupations.
    """
    table = oews.occupations(settings=settings)
    if isinstance(value, str):
        found = codes.resolve_occupation(value, table=table)
        if found.level == "detailed":
            return found.title, [found]
        members = group_members(found.code, table)
        return f"{found.code} {found.title}", [
            Occupation(r.occupation_code, r.occupation_title, r.occupation_level)
            for r in members.itertuples(index=False)
        ]
    found_all = [codes.resolve_occupation(v, table=table) for v in value]
    if not found_all:
        raise UnknownCode("occupation list", value, hint="Give at least one occupation.")
    label = ", ".join(o.code for o in found_all)
    return label, found_all


def rows_for(frame: pd.DataFrame, area_codes: Sequence[str]) -> pd.DataFrame:
    """The rows of ``frame`` for ``area_codes``, in that order (absent areas skipped)."""
    order = {code: i for i, code in enumerate(area_codes)}
    rows = frame[frame["area_code"].isin(order)]
    rows = rows.assign(_order=rows["area_code"].map(order)).sort_values("_order", kind="stable")
    return attach_provenance(
        rows.drop(columns="_order").reset_index(drop=True), provenance_of(frame)
    )


def top(frame: pd.DataFrame, measure: str, n: int) -> pd.DataFrame:
    """The ``n`` rows with the highest ``measure`` (ties by name), provenance kept."""
    label = "area_name" if "area_name" in frame.columns else "occupation_title"
    rows = frame.sort_values([measure, label], ascending=[False, True], na_position="last")
    return attach_provenance(rows.head(n).reset_index(drop=True), provenance_of(frame))


def of_type(frame: pd.DataFrame, *types: str) -> pd.DataFrame:
    """Rows of the given area types (``state``, ``metro``, ``nonmetro``, ``national``)."""
    rows = frame[frame["area_type"].isin(types)].reset_index(drop=True)
    return attach_provenance(rows, provenance_of(frame))


def wage_columns(frame: pd.DataFrame, *, label: str = "area_name") -> pd.DataFrame:
    """The columns of a wage table: label, employment, median, percentiles, flags."""
    keep = [label, *WAGE_TABLE_MEASURES]
    flags = [f"is_topcoded_{c}" for c in keep if f"is_topcoded_{c}" in frame.columns]
    return attach_provenance(frame[keep + flags].reset_index(drop=True), provenance_of(frame))


def columns_of(frame: pd.DataFrame, keep: Sequence[str]) -> pd.DataFrame:
    """``keep`` columns that ``frame`` has, plus their top-code flags; provenance kept."""
    chosen = [c for c in keep if c in frame.columns]
    flags = [f"is_topcoded_{c}" for c in chosen if f"is_topcoded_{c}" in frame.columns]
    return attach_provenance(frame[chosen + flags].reset_index(drop=True), provenance_of(frame))

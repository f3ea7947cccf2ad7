"""Report parameters resolved with the current release's code tables: occupations, areas,
SOC groups and occupation lists.

The runner resolves them before any kernel starts (:mod:`marketdata.reports.validation`) and
the notebook again (through :mod:`marketdata.reports.tables`), so both agree on what ``"OH"``
or ``"medical records"`` means. Everything here works on plain records
(:func:`marketdata.datasets.oews.occupation_records`, :func:`marketdata.datasets.oews.area_records`), so that a
mistyped parameter is answered without loading pandas.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from marketdata.core.config import Settings
from marketdata.core.errors import UnknownCode
from marketdata.datasets import codes, oews
from marketdata.datasets.codes import Area, Occupation

_GROUP = re.compile(r"^(\d{2})-(\d{4})$")


def occupation(text: str | int, *, settings: Settings | None = None) -> Occupation:
    """The occupation ``text`` means in the current release (code, title or title words)."""
    return codes.resolve_occupation(text, table=oews.occupation_records(settings=settings))


def area(text: str | int, *, settings: Settings | None = None) -> Area:
    """The area ``text`` means in the current release (``US``, ``OH``, ``Columbus, OH``...)."""
    return codes.resolve_area(text, table=oews.area_records(settings=settings))


def areas(texts: Iterable[str | int], *, settings: Settings | None = None) -> list[Area]:
    """:func:`area` of each text, in order."""
    table = oews.area_records(settings=settings)
    return [codes.resolve_area(t, table=table) for t in texts]


def group_prefix(group: str) -> str:
    """What the codes of a SOC group's members start with: ``29-`` for ``29-0000``,
    ``29-2`` for ``29-2000``, ``29-102`` for ``29-1020``."""
    m = _GROUP.match(str(group).strip())
    if m is None:
        raise UnknownCode("SOC group", group, hint="Give a group code such as 29-0000 or 29-2000.")
    return f"{m[1]}-" + ("" if m[2] == "0000" else m[2].rstrip("0"))


def group_members(group: str, table: Sequence[Occupation]) -> list[Occupation]:
    """Detailed occupations of a SOC group (``29-0000`` major, ``29-1000`` minor, ``29-1020``
    broad) among the occupations ``table``, in its order."""
    prefix = group_prefix(group)
    members = [o for o in table if o.level == "detailed" and o.code.startswith(prefix)]
    if not members or group not in {o.code for o in table}:
        close = [
            f"{o.code} {o.title}"
            for o in table
            if o.level in ("major", "minor", "broad") and o.code.startswith(group[:2])
        ]
        raise UnknownCode(
            "SOC group",
            group,
            close[:5],
            hint="Give a major (29-0000), minor (29-1000) or broad (29-1020) group code.",
        )
    return members


def occupation_list(
    value: str | Sequence[str], *, settings: Settings | None = None
) -> tuple[str, list[Occupation]]:
    """The occupations a regional report covers, and a label for them.

    ``value`` is a list of codes or titles, a SOC group code (``"29-0000"``) or the title of
    a SOC group as BLS names it (``"Healthcare support occupations"``): a group stands for
    its detailed occupations.
    """
    table = oews.occupation_records(settings=settings)
    if isinstance(value, str):
        found = codes.resolve_occupation(value, table=table)
        if found.level == "detailed":
            return found.title, [found]
        return f"{found.code} {found.title}", group_members(found.code, table)
    found_all = [codes.resolve_occupation(v, table=table) for v in value]
    if not found_all:
        raise UnknownCode("occupation list", value, hint="Give at least one occupation.")
    label = ", ".join(o.code for o in found_all)
    return label, found_all

"""The career brief's last two lines: its sources with their dates, and what was missing
with the one command that adds it (:mod:`marketdata.reports.brief`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from marketdata.reports import about

#: Short names of the data programs, for the sources line.
PROGRAMS: dict[str, str] = {
    "OEWS": "BLS wage survey (OEWS)",
    "Projections Central": "state job projections",
    "EP": "BLS job projections",
    "CPS": "BLS Current Population Survey",
    "ORS": "BLS job requirements survey",
    "O*NET": "O*NET",
}
#: What the brief misses, by kind of data (see :func:`marketdata.reports.about.kind_of`).
MISSING: dict[str, str] = {
    "state": "{state}'s own job forecast",
    "cps": "the certification figures by job group",
    "ep": "the national job forecast",
    "oews": "the wage figures",
    "history": "past years' figures",
    "other": "some figures",
}
_RELEASE = re.compile(r"May \d{4}|\d{4}-\d{2}|\d{4}|\d{1,2}\.\d")


def sources_line(records: Iterable[Mapping[str, Any]]) -> str:
    """``Sources: BLS wage survey (OEWS) May 2025, ...; files dated 2026-09-26 to ...``."""
    order = list(PROGRAMS)
    notes = [n for n in about.sources(records) if n.program in PROGRAMS]
    notes.sort(key=lambda n: order.index(n.program))
    if not notes:
        return ""
    names = []
    for note in notes:
        found = _RELEASE.search(note.release)
        names.append(
            f"{PROGRAMS.get(note.program, note.program)} {found[0] if found else ''}".strip()
        )
    dates = sorted({n.retrieved for n in notes if n.retrieved})
    when = (
        f"; data retrieved {dates[0]}" + (f" to {dates[-1]}" if len(dates) > 1 else "")
        if dates
        else ""
    )
    return "Sources: " + ", ".join(dict.fromkeys(names)) + when + "."


def missing_line(gaps: Sequence[about.Gap], *, offline: bool = False) -> str:
    """What the brief could not show, and the one command that fills it; "" when nothing is
    missing."""
    if not gaps:
        return ""
    from marketdata.core.series_id import STATES

    names = []
    for gap in gaps:
        state = next((n for p, n in STATES.values() if p == gap.state), "the state")
        names.append(MISSING.get(gap.kind, MISSING["other"]).format(state=state))
    listed = " and ".join(dict.fromkeys(names))
    how = "Not downloaded yet" if offline else "Could not be had today"
    command = about.fetch_command(gaps)
    return f"{how}: {listed}." + (f" Run `{command}` to add them." if command else "")


def gaps_of(
    errors: Iterable[tuple[str, BaseException]], *, offline: bool = False
) -> list[about.Gap]:
    """The :class:`~marketdata.reports.about.Gap` of each (section, error) pair."""
    return [
        about.gap(
            section,
            " ".join(str(err).split()),
            error=type(err).__name__,
            url=getattr(err, "url", None),
            offline=offline,
        )
        for section, err in errors
    ]

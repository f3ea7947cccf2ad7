"""When each dataset publishes a new vintage, as data, and whether the one at hand is behind.

BLS and O*NET publish on a steady calendar:

- OEWS: the May estimates of a year each spring of the next (May 2025 in spring 2026);
- Employment Projections: the release starting with a year each late summer of the next
  (2025-35 in late August 2026);
- O*NET: a release about every six months or oftener, a new major version each August
  (30.0 in August 2025, 31.0 in August 2026).

:data:`SCHEDULES` holds those dates with a margin (a vintage is only expected some weeks
after its usual date); :func:`behind` says in one line when the vintage at hand is older than
the newest the schedule says exists, with the command that fetches the newer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Schedule:
    """When a program publishes a new vintage, and how to get it."""

    program: str
    #: Plain words: when a new vintage comes out.
    when: str
    #: Month and day of the year after the reference year by which it is out (with a margin).
    due: tuple[int, int]
    #: What gets the newest vintage (``{vintage}``: its name).
    how: str


#: Program (as provenance names it) -> its publication schedule.
SCHEDULES: dict[str, Schedule] = {
    "OEWS": Schedule(
        "OEWS",
        "its May estimates each spring of the next year",
        (5, 15),
        "Run `marketdata fetch` while online to get it.",
    ),
    "EP": Schedule(
        "EP",
        "a release each late summer",
        (9, 15),
        "Run `marketdata fetch` while online to get it.",
    ),
    "O*NET": Schedule(
        "O*NET",
        "a release about every six months",
        (9, 15),
        'Load it with `marketdata.datasets.onet.load(table, release="{vintage}")` while online.',
    ),
}
#: O*NET's major version of the August release of year ``y`` is ``y - O_NET_BASE`` (30: 2025).
O_NET_BASE = 1995
_YEAR = re.compile(r"(?:19|20)\d\d")


def _reference_year(program: str, today: date) -> int:
    """The newest reference year whose vintage the schedule says is out on ``today``."""
    month, day = SCHEDULES[program].due
    return today.year - 1 if (today.month, today.day) >= (month, day) else today.year - 2


def expected(program: str, *, today: date | None = None) -> str | None:
    """The newest vintage of ``program`` that should exist on ``today`` (default: now):
    ``"May 2025"``, ``"2025-35"``, ``"31.0"``; None for a program without a schedule."""
    if program not in SCHEDULES:
        return None
    today = today or date.today()
    year = _reference_year(program, today)
    if program == "OEWS":
        return f"May {year}"
    if program == "EP":
        return f"{year}-{(year + 10) % 100:02d}"
    return f"{year + 1 - O_NET_BASE}.0"


def _rank(program: str, vintage: str) -> float | None:
    """A number that orders the vintages of ``program`` (None if ``vintage`` is unreadable)."""
    if program == "O*NET":
        found = re.match(r"\s*(\d+)\.(\d+)", vintage)
        return int(found[1]) + int(found[2]) / 100 if found else None
    found = _YEAR.search(vintage)
    return int(found[0]) if found else None


def behind(program: str, vintage: str, *, today: date | None = None) -> str | None:
    """One line when ``vintage`` is older than the newest ``program`` should have out on
    ``today`` (default: now), naming both and the command that fetches the newer one; None
    when it is current, or the program or vintage is not known.

    >>> print(behind("EP", "2024-34", today=date(2026, 12, 7)))  # doctest: +NORMALIZE_WHITESPACE
    EP 2025-35 should be out by now (EP publishes a release each late summer); this uses
    2024-34. Run `marketdata fetch` while online to get it.
    """
    newest = expected(program, today=today)
    have, want = _rank(program, vintage), _rank(program, newest or "")
    if newest is None or have is None or want is None or have >= want:
        return None
    schedule = SCHEDULES[program]
    return (
        f"{program} {newest} should be out by now ({program} publishes {schedule.when}); "
        f"this uses {vintage}. {schedule.how.format(vintage=newest)}"
    )


def notes(records: list[dict[str, object]], *, today: date | None = None) -> list[str]:
    """The :func:`behind` lines of provenance records, once per program and vintage."""
    found: dict[str, None] = {}
    for record in records:
        program, vintage = str(record.get("program") or ""), str(record.get("release") or "")
        line = behind(program, vintage, today=today)
        if line:
            found[line] = None
    return list(found)

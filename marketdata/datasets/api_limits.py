"""BLS Public Data API limits: how a request splits into queries, and today's query budget.

Without a key BLS allows 25 series and 10 years per query and 25 queries a day; with a
registration key (``BLS_API_KEY``) 50 series, 20 years and 500 queries a day. :func:`plan`
splits a request into the fewest queries these limits allow; :func:`usage` counts the queries
sent today, on disk per key (a hash of it, never the key) or for anonymous use, starting again
at midnight US Eastern time as BLS's count does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import InputValueError
from marketdata.io import cache

EASTERN = ZoneInfo("America/New_York")
KEY_URL = "https://data.bls.gov/registrationEngine/"
_USAGE = "api/usage"
_SERIES_ID = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")


@dataclass(frozen=True)
class Limits:
    """What BLS allows per query and per day."""

    series: int
    years: int
    daily: int


ANONYMOUS = Limits(series=25, years=10, daily=25)
REGISTERED = Limits(series=50, years=20, daily=500)


@dataclass(frozen=True)
class Query:
    """One POST: up to ``Limits.series`` series over up to ``Limits.years`` years."""

    series: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Usage:
    """Queries counted today for the current key (or anonymous use)."""

    used: int
    limit: int
    resets_at: datetime  # next midnight US Eastern, as an aware datetime

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)


def limits(settings: Settings | None = None) -> Limits:
    """The limits that apply: :data:`REGISTERED` with a key, else :data:`ANONYMOUS`."""
    return REGISTERED if get_settings(settings).api_key else ANONYMOUS


def eastern_now() -> datetime:
    """Now, in US Eastern time (BLS's clock for releases and the daily count)."""
    return datetime.now(EASTERN)


def next_midnight(now: datetime) -> datetime:
    """The midnight US Eastern time after ``now``, when the daily count starts again."""
    local = now.astimezone(EASTERN)
    return datetime.combine(local.date() + timedelta(days=1), time(0), tzinfo=EASTERN)


def _clean_ids(series_ids: str | Iterable[str]) -> list[str]:
    raw = [series_ids] if isinstance(series_ids, str) else list(series_ids)
    ids = []
    for sid in raw:
        text = str(sid).strip().upper()
        if not _SERIES_ID.match(text):
            raise InputValueError(
                "BLS series id", sid, hint="Use letters, digits and dashes, e.g. LNS14000000."
            )
        ids.append(text)
    if not ids:
        raise InputValueError("BLS series id list", series_ids, hint="Give at least one id.")
    return list(dict.fromkeys(ids))


def _years(start: int | str | None, end: int | str | None) -> tuple[int, int]:
    this_year = eastern_now().year

    def year(value: int | str | None, name: str) -> int | None:
        if value is None:
            return None
        text = str(value).strip()
        if not (text.isascii() and text.isdigit()) or not 1900 <= int(text) <= this_year:
            raise InputValueError(
                name, value, hint=f"Give a four-digit year from 1900 to {this_year}."
            )
        return int(text)

    last = year(end, "end year") or this_year
    first = year(start, "start year") or last - 2
    if first > last:
        raise InputValueError("year range", f"{first}-{last}", hint="start must not be after end.")
    return first, last


def plan(
    series_ids: str | Iterable[str],
    *,
    start: int | str | None = None,
    end: int | str | None = None,
    settings: Settings | None = None,
) -> list[Query]:
    """The queries :func:`series` sends for this request (the fewest BLS's limits allow).

    >>> from pathlib import Path
    >>> s = Settings(cache_dir=Path("."))
    >>> [(len(q.series), q.start, q.end) for q in plan(["A"], start=2000, end=2025, settings=s)]
    [(1, 2000, 2009), (1, 2010, 2019), (1, 2020, 2025)]
    """
    lim = limits(settings)
    ids = _clean_ids(series_ids)
    first, last = _years(start, end)
    windows = [(y, min(y + lim.years - 1, last)) for y in range(first, last + 1, lim.years)]
    batches = [tuple(ids[i : i + lim.series]) for i in range(0, len(ids), lim.series)]
    return [Query(batch, a, b) for batch in batches for a, b in windows]


def _who(settings: Settings) -> str:
    key = settings.api_key
    return f"key-{hashlib.sha256(key.encode()).hexdigest()[:16]}" if key else "anonymous"


def usage(*, settings: Settings | None = None) -> Usage:
    """Queries sent today (US Eastern) with the current key, or anonymously."""
    settings = get_settings(settings)
    now = eastern_now()
    record = cache.read_json(_USAGE, settings=settings) or {}
    counts = record.get("counts", {}) if record.get("date") == str(now.date()) else {}
    used = counts.get(_who(settings), 0)
    return Usage(used=used, limit=limits(settings).daily, resets_at=next_midnight(now))


def count_queries(settings: Settings, *, add: int = 0, exhausted: bool = False) -> None:
    """Add ``add`` queries to today's count, or mark today's budget used up (``exhausted``)."""
    today = str(eastern_now().date())
    with cache.lock(_USAGE, settings=settings):
        record = cache.read_json(_USAGE, settings=settings) or {}
        if record.get("date") != today:
            record = {"date": today, "counts": {}}
        counts = record["counts"]
        who = _who(settings)
        counts[who] = limits(settings).daily if exhausted else counts.get(who, 0) + add
        cache.write_json(_USAGE, record, settings=settings)


def wait_text(resets_at: datetime) -> str:
    """When the count starts again, in words, for messages."""
    left = resets_at - eastern_now()
    hours, rest = divmod(max(0, int(left.total_seconds())), 3600)
    when = resets_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"midnight US Eastern time ({when}, in {hours} h {rest // 60:02d} min)"


def budget_hint(settings: Settings) -> str:
    """How to get a larger budget (a registration key), for messages."""
    if settings.api_key:
        return "The limit with a registration key is 500 queries a day."
    return (
        "A free registration key raises the limit from 25 to 500 queries a day (and to 50 "
        f"series and 20 years per query): get one at {KEY_URL} and set BLS_API_KEY."
    )

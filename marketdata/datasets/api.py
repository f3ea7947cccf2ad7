"""Client of the BLS Public Data API v2: any series, within BLS's limits.

``series()`` POSTs to ``{settings.bls_api_url}/publicAPI/v2/timeseries/data/`` and returns
one tidy frame. BLS limits every query and every day:

- without a key: 25 series and 10 years per query, 25 queries a day;
- with a registration key (``BLS_API_KEY``): 50 series, 20 years, 500 queries a day.

A request is split into the fewest queries these limits allow (``ceil(N / 50)`` series
batches with a key, times the year windows the span needs) and the answers are merged.

Cache and freshness
-------------------
Every answer is stored in the cache (``cache.write_json("api/<hash>")``), keyed by a hash of
the request without the key, and reused while fresh:

- answers holding monthly, quarterly or semiannual data, or no data at all: until the next
  midnight US Eastern time (BLS publishes at 8:30 ET; a day old is at most one release
  behind);
- annual-only answers (e.g. OEWS, ``A01``): until the next 1 March once they hold the latest
  year BLS can have published (last year), or when they only ask for older years; before
  1 March nothing new is expected; from 1 March until last year's data appears (OEWS: spring),
  for a day at a time.

``refresh=True`` ignores cached answers. Offline (``MARKETDATA_OFFLINE=1``), cached answers
of any age are used and missing ones raise :class:`OfflineError`.

Daily budget
------------
The queries sent today are counted on disk per key (a hash of it, never the key) or for
anonymous use, and the count starts again at midnight US Eastern time, as BLS's does. A
request needing more queries than are left is refused before any is sent.

Errors
------
BLS answers errors inside HTTP 200: ``status`` other than ``REQUEST_SUCCEEDED`` with a
``message`` list. The daily threshold raises :class:`RateLimited` (retry after midnight
Eastern; a key raises the limit); "Series does not exist" and "No Data Available" messages
become a :class:`MissingSeriesWarning` for series without any data (all messages are kept
in ``df.attrs["messages"]``); any other refusal raises :class:`ApiError` with BLS's message.
The key never appears in the cache, logs or messages.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    ApiError,
    MissingSeriesWarning,
    OfflineError,
    RateLimited,
    SuppressedValuesWarning,
)
from marketdata.core.schema import Provenance, attach_provenance
from marketdata.core.series_id import decode
from marketdata.datasets import recipe
from marketdata.datasets.api_limits import (
    EASTERN,
    Query,
    budget_hint,
    count_queries,
    eastern_now,
    next_midnight,
    plan,
    usage,
    wait_text,
)
from marketdata.io import cache
from marketdata.sources.api_answer import (
    COLUMNS,
    SUCCEEDED,
    about,
    answer_frame,
    check_shape,
    missing_values,
    program,
    reason,
    series_list,
)

__all__ = [
    "ENDPOINT",
    "freshness",
    "series",
]

logger = logging.getLogger(__name__)

ENDPOINT = "/publicAPI/v2/timeseries/data/"
_CACHE_DIR = "api"
_THRESHOLD = re.compile(r"threshold|exceeded the number of requests", re.IGNORECASE)
_RECORD_KEYS = frozenset({"request", "url", "retrieved", "fresh_until", "sha256", "answer"})
_ANNUAL_CHECK = (3, 1)  # month, day from which last year's annual data may appear


def _payload(query: Query, *, catalog: bool, calculations: bool, annualaverage: bool) -> dict:
    payload: dict[str, Any] = {
        "seriesid": list(query.series),
        "startyear": str(query.start),
        "endyear": str(query.end),
    }
    for name, on in (
        ("catalog", catalog),
        ("calculations", calculations),
        ("annualaverage", annualaverage),
    ):
        if on:
            payload[name] = True
    return payload


def _cache_name(payload: dict, registered: bool) -> str:
    text = json.dumps({"request": payload, "registered": registered}, sort_keys=True)
    return f"{_CACHE_DIR}/{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def freshness(answer: dict, *, end: int, now: datetime) -> datetime:
    """Until when a cached ``answer`` (for years up to ``end``) is used without asking again.

    See the module docstring for the policy.

    >>> now = datetime(2026, 11, 24, 12, tzinfo=EASTERN)
    >>> obs = {"year": "2025", "period": "A01"}
    >>> oews = {"Results": {"series": [{"seriesID": "OEU", "data": [obs]}]}}
    >>> freshness(oews, end=2026, now=now).date()
    datetime.date(2027, 3, 1)
    >>> obs = {"year": "2026", "period": "M10"}
    >>> monthly = {"Results": {"series": [{"seriesID": "LNS", "data": [obs]}]}}
    >>> freshness(monthly, end=2026, now=now).isoformat()
    '2026-11-25T00:00:00-05:00'
    """
    local = now.astimezone(EASTERN)
    series = series_list(answer)
    periods = {obs.get("period", "") for s in series for obs in s.get("data") or []}
    if not periods or any(not p.startswith("A") for p in periods):
        return next_midnight(local)  # sub-annual data, or nothing yet: ask again tomorrow
    check = datetime(local.year, *_ANNUAL_CHECK, tzinfo=EASTERN)
    if local < check:
        return check
    latest = local.year - 1
    with_data = [s for s in series if s.get("data")]
    has_latest = all(any(int(o["year"]) >= latest for o in s["data"]) for s in with_data)
    if end < latest or has_latest:
        return datetime(local.year + 1, *_ANNUAL_CHECK, tzinfo=EASTERN)
    return next_midnight(local)


def _raise_for_answer(answer: dict, query: Query, settings: Settings, url: str) -> None:
    """Raise for a refused query; per-series messages are left to the caller."""
    from marketdata.io import http

    messages = [http.redact(str(m), settings) for m in answer.get("message") or []]
    status = answer["status"]
    if any(_THRESHOLD.search(m) for m in messages):
        count_queries(settings, exhausted=True)
        raise RateLimited(
            "BLS API: daily query threshold reached. BLS said: " + " ".join(messages),
            url=url,
            hint=f"Retry after {wait_text(next_midnight(eastern_now()))}. " + budget_hint(settings),
        )
    if status == SUCCEEDED:
        return
    other = [m for m in messages if about(m) is None]
    if other or not messages:
        years = f"{query.start}-{query.end}"
        shown = ", ".join(query.series[:3]) + (" ..." if len(query.series) > 3 else "")
        hint = "Check the series ids and years."
        if any("key" in m.lower() for m in other):
            hint = "Check BLS_API_KEY (or unset it to query without a key)."
        raise ApiError(
            f"BLS API refused the query ({status}) for {len(query.series)} series ({shown}), "
            f"years {years}: {' '.join(other) or 'no message'} {hint}"
        )


def _load(
    query: Query,
    payload: dict,
    *,
    settings: Settings,
    refresh: bool,
) -> dict | None:
    """The cached record of ``query`` if usable now, else None."""
    name = _cache_name(payload, bool(settings.api_key))
    record = cache.read_json(name, settings=settings)
    if not isinstance(record, dict) or not record.keys() >= _RECORD_KEYS:
        return None
    if refresh and not settings.offline:
        return None
    text = record["answer"]
    if not isinstance(text, str) or hashlib.sha256(text.encode()).hexdigest() != record["sha256"]:
        logger.warning("cached BLS API answer %s is damaged (SHA-256 differs); ignoring it", name)
        return None
    try:
        fresh_until: datetime | None = datetime.fromisoformat(record["fresh_until"])
    except (TypeError, ValueError):
        fresh_until = None
    if fresh_until is None or fresh_until.tzinfo is None:
        logger.warning("cached BLS API answer %s has no valid freshness date; ignoring it", name)
        return None
    record["answer"] = json.loads(text)
    if fresh_until > eastern_now():
        return record
    if settings.offline:
        logger.info(
            "offline: using the BLS API answer for %d series, %s-%s, retrieved %s "
            "(due for refresh since %s)",
            len(query.series),
            query.start,
            query.end,
            record["retrieved"],
            record["fresh_until"],
        )
        recipe.say_instead(
            "BLS API", "Offline mode is on", "cached BLS API answers past their refresh date"
        )
        return record
    return None


def _ask(query: Query, payload: dict, *, settings: Settings, url: str) -> dict:
    """Send one query (counted against today's budget) and cache the answer."""
    count_queries(settings, add=1)
    body = dict(payload)
    if settings.api_key:
        body["registrationkey"] = settings.api_key
    logger.info("BLS API query: %d series, %d-%d", len(query.series), query.start, query.end)
    from marketdata.io import http

    answer = check_shape(http.post_json(url, body, settings=settings), url)
    _raise_for_answer(answer, query, settings, url)
    text = json.dumps(answer, sort_keys=True)  # stored as text: fast to write, hash verifiable
    record = {
        "request": payload,
        "registered": bool(settings.api_key),
        "url": url,
        "retrieved": datetime.now(UTC).isoformat(timespec="seconds"),
        "fresh_until": freshness(answer, end=query.end, now=eastern_now()).isoformat(),
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "answer": text,
    }
    cache.write_json(_cache_name(payload, bool(settings.api_key)), record, settings=settings)
    return record | {"answer": answer}


def series(
    series_ids: str | Iterable[str],
    *,
    start: int | str | None = None,
    end: int | str | None = None,
    catalog: bool = False,
    calculations: bool = False,
    annualaverage: bool = False,
    refresh: bool = False,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Observations of BLS time series from the Public Data API v2, as one tidy frame.

    Parameters
    ----------
    series_ids
        One id or many, of any BLS program (e.g. ``OEUN000000000000029207213``,
        ``LNS14000000``); build OEWS ids with :mod:`marketdata.core.series_id`.
    start, end
        The first and last year to ask for. Default: the three years ending this year (BLS's
        own default); only ``end``: the three years ending then; only ``start``: up to this year.
        OEWS series hold only the current release (e.g. year 2025, period A01).
    catalog
        Ask for series descriptions: a ``series_title`` column and ``df.attrs["catalog"]``.
    calculations
        Ask for net and percent changes: ``net_change_<n>`` / ``pct_change_<n>`` columns.
    annualaverage
        Ask for annual averages of monthly series (period ``M13``).
    refresh
        Ask BLS again even if a cached answer is fresh.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: ``series_id``, ``year`` (int), ``period`` (``A01``, ``M01``..``M13``,
        ``Q01``..), ``period_name``, ``value`` (float; missing where BLS gives ``-``),
        ``footnote_codes``, ``footnote_text`` (BLS's reason for a missing value), and the
        parts of OEWS ids (missing for other programs). Sorted by the order of
        ``series_ids``, year and period. ``df.attrs``: ``provenance`` (one record per answer),
        ``messages`` (BLS's messages).

    Raises
    ------
    RateLimited
        Today's query budget would be exceeded, or BLS says it is.
    ApiError
        BLS refused the query (e.g. invalid parameters, invalid key).
    OfflineError
        Offline mode is on and an answer is not cached.
    InputValueError
        A malformed series id or year.
    """
    settings = get_settings(settings)
    url = settings.bls_api_url.rstrip("/") + ENDPOINT
    queries = plan(series_ids, start=start, end=end, settings=settings)
    if (catalog or calculations or annualaverage) and not settings.api_key:
        logger.warning(
            "catalog, calculations and annualaverage are features of registered use; "
            "without BLS_API_KEY BLS may leave them out"
        )
    payloads = [
        _payload(q, catalog=catalog, calculations=calculations, annualaverage=annualaverage)
        for q in queries
    ]
    records: list[dict | None] = []
    for query, payload in zip(queries, payloads, strict=True):
        records.append(_load(query, payload, settings=settings, refresh=refresh))
    missing = [i for i, r in enumerate(records) if r is None]
    if missing and settings.offline:
        raise OfflineError(
            f"offline mode is on and {len(missing)} of the {len(queries)} BLS API queries of "
            "this request are not in the cache",
            url=url,
            hint="Unset MARKETDATA_OFFLINE to ask BLS, or ask for series and years fetched before.",
        )
    budget = usage(settings=settings)
    if len(missing) > budget.remaining:
        raise RateLimited(
            f"BLS API: this request needs {len(missing)} new queries but only {budget.remaining} "
            f"of today's {budget.limit} are left",
            url=url,
            hint=f"The count starts again at {wait_text(budget.resets_at)}. "
            "Ask for fewer series or years, or use the bulk files. " + budget_hint(settings),
        )
    for i in missing:
        records[i] = _ask(queries[i], payloads[i], settings=settings, url=url)
    return _merge(queries, [r for r in records if r is not None], calculations=calculations)


def _merge(queries: list[Query], records: list[dict], *, calculations: bool) -> pd.DataFrame:
    frames, catalogs, messages, provenance = [], {}, [], []
    for query, record in zip(queries, records, strict=True):
        frame, found = answer_frame(record["answer"], calculations=calculations)
        frames.append(frame)
        catalogs.update(found)
        messages.extend(str(m) for m in record["answer"].get("message") or [])
        provenance.append(
            Provenance(
                program=program(query.series),
                release=f"{query.start}-{query.end}",
                source_url=record["url"],
                retrieved=record["retrieved"],
                sha256=record["sha256"],
            )
        )
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    df["year"] = df["year"].astype("int64")
    markers = missing_values(df)
    if len(markers):
        kinds = ", ".join(f"{k!r} x{n}" for k, n in markers.value_counts().items())
        warnings.warn(
            f"{len(markers)} values are missing in the BLS API answer ({kinds}); "
            "footnote_text gives BLS's reason",
            SuppressedValuesWarning,
            stacklevel=3,
        )
    asked = list(dict.fromkeys(s for q in queries for s in q.series))
    rank = pd.Categorical(df["series_id"], categories=asked).codes
    df = df.iloc[np.lexsort((df["period"].to_numpy(), df["year"].to_numpy(), rank))]
    df = df.reset_index(drop=True)
    present = set(df["series_id"].unique())
    absent = [s for s in asked if s not in present]
    if absent:
        shown = ", ".join(absent[:10]) + (
            f" and {len(absent) - 10} more" if len(absent) > 10 else ""
        )
        reasons = sorted({reason(m) for m in messages if about(m) in absent}) or ["no data"]
        warnings.warn(
            f"BLS API has no data for {len(absent)} series: {shown} ({'; '.join(reasons)})",
            MissingSeriesWarning,
            stacklevel=3,
        )
    for m in messages:
        logger.info("BLS API message: %s", m)
    parts = decode(df["series_id"]).drop(columns="series_id")
    df = pd.concat([df, parts], axis=1)
    extra = [c for c in df.columns if c not in COLUMNS]
    if catalogs:
        df["series_title"] = df["series_id"].map(
            {k: v.get("series_title") for k, v in catalogs.items()}
        )
        extra = ["series_title", *extra]
    df = df[[*COLUMNS, *dict.fromkeys(extra)]]
    df.attrs["messages"] = messages
    if catalogs:
        df.attrs["catalog"] = catalogs
    return attach_provenance(df, provenance)

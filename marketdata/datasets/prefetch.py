"""Download and cache, ahead of time, what reports need: ``marketdata fetch``.

A counselor online on Monday runs ``marketdata fetch --state OH --history 5`` and Friday's
reports, offline, have their state projections, industry detail and past releases. Each
item goes through the loader the reports use (so the files land where they look, checked,
and are parsed into Parquet once); downloads resume where a dropped connection left them
(:func:`marketdata.io.cache.fetch`).
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import MarketdataError, OfflineDataWarning, OfflineError
from marketdata.core.schema import provenance_of
from marketdata.core.series_id import STATES
from marketdata.io import cache
from marketdata.io.progress import bar as progress_bar

logger = logging.getLogger(__name__)

#: The 50 states and DC (``--all-states``), as postal codes.
ALL_STATES: tuple[str, ...] = tuple(
    postal for fips, (postal, _) in STATES.items() if int(fips) <= 56
)
#: Cache key prefix -> what the final table calls it.
KINDS: tuple[tuple[str, str], ...] = (
    ("oe/", "OEWS current release"),
    ("ep/", "Employment Projections"),
    ("oews-archive/", "OEWS past releases"),
    ("soc/", "SOC crosswalks"),
    ("projections-central/", "State projections"),
    ("cps/", "CPS tables"),
    ("or/", "ORS credentials"),
    ("ors/", "ORS credentials"),
    ("bea/", "BEA price parities"),
    ("cpi/", "CPI-U"),
    ("onet/", "O*NET"),
)
#: The O*NET tables reports read: the brief's job titles, tasks and job zone; where a job leads.
ONET_TABLES = ("occupations", "alternate_titles", "tasks", "job_zones", "related")


@dataclass(frozen=True)
class Item:
    """One thing to fetch: a label and the loader call that caches it (returns what it got)."""

    label: str
    load: Callable[[Settings], str]


@dataclass(frozen=True)
class Outcome:
    """What fetching one item gave: ``ok`` and the release it holds, or the error."""

    label: str
    ok: bool
    detail: str


def _oews(settings: Settings) -> str:
    from marketdata.datasets import oews

    oews.fetch_files(settings=settings)
    frame = oews.load("00-0000", "US", settings=settings)  # parse once
    return str(frame["release"].iloc[0]) if len(frame) else oews.current_release(settings=settings)


def _ep(settings: Settings) -> str:
    from marketdata.datasets import projections

    frame = projections.load(settings=settings)  # the workbook holds every table reports use
    return f"release {frame['release'].iloc[0]}"


def _cps(settings: Settings) -> str:
    from marketdata.datasets import cps, oews

    year = int(re.search(r"(19|20)\d\d", oews.current_release(settings=settings))[0])
    cps.certification_table(release=year, settings=settings)
    return f"{year} annual averages"


def _releases(frame: pd.DataFrame) -> str:
    """The releases a frame's provenance names, in order."""
    return "; ".join(dict.fromkeys(str(p["release"]) for p in provenance_of(frame)))


def _ors(settings: Settings) -> str:
    from marketdata.datasets import ors

    return "ORS " + _releases(ors.load_credentials(settings=settings))


def _rpp(settings: Settings) -> str:
    from marketdata.datasets import rpp

    return _releases(rpp.load_all(settings=settings))


def _cpi(settings: Settings) -> str:
    from marketdata.datasets import cpi

    return _releases(cpi.load(settings=settings))


def _onet(settings: Settings) -> str:
    from marketdata.datasets import onet

    frames = [onet.load(table, settings=settings) for table in ONET_TABLES]
    return f"O*NET {_releases(frames[0])}, {len(frames)} tables"


def _history(count: int, scopes: tuple[str, ...]) -> Callable[[Settings], str]:
    def load(settings: Settings) -> str:
        from marketdata.datasets import oews_history

        latest = oews_history.latest_release(settings=settings).year
        first = latest - count + 1
        for year in range(first, latest + 1):
            for scope in scopes:
                oews_history.load_release(year, scope=scope, settings=settings)
        oews_history.history(occupation="00-0000", area="US", start=first, settings=settings)
        return f"May {first} to May {latest}"

    return load


def _state(postal: str) -> Callable[[Settings], str]:
    def load(settings: Settings) -> str:
        from marketdata.datasets import state_projections

        frame = state_projections.state_projections(postal, settings=settings)
        if frame.empty:
            raise MarketdataError(f"Projections Central publishes no projections for {postal}")
        return f"{frame['release'].dropna().iloc[0]}, {len(frame):,} occupations"

    return load


def plan(
    *,
    history: int = 0,
    states: Sequence[str] = (),
    all_states: bool = False,
    cps: bool = True,
) -> list[Item]:
    """What ``marketdata fetch`` gets: the current OEWS and EP releases, ORS credential
    shares, BEA price parities, CPI-U annual averages, O*NET's tables, the CPS certification
    table (unless ``cps=False``), ``history`` past OEWS releases (national files and SOC
    crosswalks; the state files too when states are asked for), and the long-term projections
    of ``states`` (postal codes, names or FIPS) or of every state."""
    from marketdata.datasets.state_projections import state_fips

    if history < 0:
        raise MarketdataError(f"--history {history}: give a number of releases, 0 or more")
    items = [
        Item("OEWS current release", _oews),
        Item("Employment Projections", _ep),
        Item("ORS credentials", _ors),
        Item("BEA price parities", _rpp),
        Item("CPI-U", _cpi),
        Item("O*NET", _onet),
    ]
    if cps:
        items.append(Item("CPS certification table", _cps))
    wanted = ALL_STATES if all_states else tuple(states)
    if history:
        scopes = ("national", "state") if wanted else ("national",)
        items.append(Item(f"OEWS past releases ({history})", _history(history, scopes)))
    postals = [STATES[state_fips(s)][0] for s in wanted]  # UnknownArea names the bad one
    items += [Item(f"State projections {p}", _state(p)) for p in dict.fromkeys(postals)]
    return items


def run(
    items: Iterable[Item], *, settings: Settings | None = None, progress: bool = True
) -> list[Outcome]:
    """Fetch every item; one that fails is reported and the others go on."""
    settings = get_settings(settings)
    if settings.offline:
        raise OfflineError(
            "marketdata fetch downloads from BLS, and offline mode is on",
            hint="Unset MARKETDATA_OFFLINE and run it again.",
        )
    items = list(items)
    outcomes = []
    with progress_bar(
        iterable=items, desc="fetch", unit="item", disable=not progress, settings=settings
    ) as bar:
        for item in bar:
            bar.set_postfix_str(item.label)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("error", OfflineDataWarning)  # bundled data is no fetch
                    detail = item.load(settings)
                outcomes.append(Outcome(item.label, True, detail))
            except (MarketdataError, OfflineDataWarning) as err:
                logger.info("fetch %s failed: %s", item.label, err)
                outcomes.append(Outcome(item.label, False, str(err).splitlines()[0]))
    return outcomes


def cached_table(*, settings: Settings | None = None) -> pd.DataFrame:
    """What the cache holds, by kind: files, bytes, oldest and newest retrieval date."""
    rows = []
    for entry in cache.entries(settings=settings):
        kind = next((name for prefix, name in KINDS if entry.key.startswith(prefix)), "Other")
        rows.append({"data": kind, "size": entry.size, "retrieved": entry.retrieved[:10]})
    if not rows:
        return pd.DataFrame(columns=["data", "files", "size", "retrieved"])
    frame = pd.DataFrame(rows)
    table = frame.groupby("data", sort=False).agg(
        files=("size", "size"),
        size=("size", "sum"),
        first=("retrieved", "min"),
        last=("retrieved", "max"),
    )
    table["retrieved"] = [
        a if a == b else f"{a} to {b}" for a, b in zip(table["first"], table["last"], strict=True)
    ]
    order = {name: i for i, (_, name) in enumerate(KINDS)}
    table = table.reset_index().sort_values("data", key=lambda s: s.map(order).fillna(99))
    table["size"] = [_size(b) for b in table["size"]]
    return table[["data", "files", "size", "retrieved"]].reset_index(drop=True)


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1000
    return f"{n:,.1f} GB"  # pragma: no cover

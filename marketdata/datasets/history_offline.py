"""Past OEWS releases offline: the bundled national history, and what to fetch for the rest.

:func:`bundled_release` stands in for an archive zip that cannot be had (national rows only,
said once per process); :func:`not_bundled` is the one line that says what
``marketdata fetch`` would add for a state or metro area.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from marketdata.bundled import history_bundle as bundled
from marketdata.core.config import Settings
from marketdata.core.errors import FetchError, OfflineError
from marketdata.core.notices import unreachable
from marketdata.core.series_id import STATES
from marketdata.datasets import recipe
from marketdata.sources.oews_archive import ArchiveRelease, parse_release

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FETCH_HINT", "SCOPE_WORDS", "bundled_release", "first_bundled", "not_bundled"]

#: How a message names an archive zip of each scope.
SCOPE_WORDS = {
    "national": "national file",
    "state": "state file",
    "metro": "metro and nonmetro area file",
    "all": "all-data file",
}
#: What would add a scope's past releases to the cache, said when one is missing offline.
FETCH_HINT = {
    "national": "Online, `marketdata fetch --history N` adds the national files of the last "
    "N releases.",
    "state": "Online, `marketdata fetch --state XX --history N` adds that state's files of the "
    "last N releases (XX: the state's postal code).",
    "metro": "`marketdata fetch --history N` adds national and state files only: load this "
    "history once while BLS is reachable (the metro files are then cached).",
    "all": "Load it once while BLS is reachable (the file is then cached).",
}


def bundled_release(
    rel: ArchiveRelease, scope: str, reason: FetchError, settings: Settings
) -> pd.DataFrame:
    """The bundled national frame of ``rel`` when its zip cannot be had; else one clear line."""
    frame = bundled.release_frame(rel.label) if scope == "national" else None
    if frame is None:
        covered = bundled.releases()
        what = (
            f"covers {covered[0]} to {covered[-1]}"
            if scope == "national"
            else f"holds the nation only ({covered[0]} to {covered[-1]})"
        )
        raise OfflineError(
            f"OEWS {rel.label} ({SCOPE_WORDS[scope]}) is not cached "
            f"({unreachable(settings.offline).lower()}); the bundled history {what}. "
            f"{FETCH_HINT[scope]}",
            url=reason.url,
        ) from None
    covered = bundled.releases()
    return recipe.bundled_instead(
        "OEWS history",
        lambda: frame,
        str(reason).splitlines()[0],
        what=unreachable(settings.offline),
        name=lambda _: f"national OEWS history ({covered[0]} to {covered[-1]})",
    )


def not_bundled(
    area: str | int, scope: str, where: str, count: int, settings: Settings
) -> OfflineError:
    """The one-line error for a history of an area the bundle does not hold."""
    covered = bundled.releases()
    if scope == "state":
        postal, name = STATES[where[:2]]
        fix = (
            f"`marketdata fetch --state {postal} --history {count}` (online) would add "
            f"{name}'s files of the last {count} releases"
        )
    else:
        fix = (
            "`marketdata fetch --history N` adds national and state files only: load this "
            "history once while BLS is reachable (its files are then cached)"
        )
    return OfflineError(
        f"no history of {area} offline: the bundled history holds the nation only "
        f"({covered[0]} to {covered[-1]}) and {unreachable(settings.offline).lower()}; "
        f"{fix}."
    )


def first_bundled() -> int:
    return parse_release(bundled.releases()[0]).year

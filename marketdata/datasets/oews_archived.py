"""Past OEWS releases loaded as :func:`marketdata.datasets.oews.load` loads the current one.

A past release comes from BLS's archive zips (:mod:`marketdata.datasets.oews_history`): only
the zips the request needs, cross-industry rows from the national, state and metro zips, industry
rows from the all-data zip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from marketdata.core.config import Settings
from marketdata.core.errors import FetchError, UnknownRelease
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.datasets import codes_groups
from marketdata.datasets.history_offline import SCOPE_WORDS
from marketdata.datasets.oews_rows import (
    CROSS_INDUSTRY,
    Selection,
    as_list,
    resolved,
    select,
)
from marketdata.sources.oews_archive import parse_release

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["load_archived"]


#: What each archive zip holds, for messages.


def load_archived(
    release: str | int,
    area: Selection,
    occupation: Selection,
    industry: Selection,
    settings: Settings,
    soc_group: Selection = None,
) -> pd.DataFrame:
    """A past release from the archive zips the request needs: cross-industry rows from the
    national, state and metro zips of the areas asked (all three for every area), industry
    rows from the all-data zip."""
    rel = parse_release(release)  # a mistyped label is answered before pandas loads
    import pandas as pd

    from marketdata.datasets import oews_history

    grouped = [a for a in as_list(area) if codes_groups.is_area_group(a)]
    wanted = [
        oews_history.resolve_area(a, release=rel, settings=settings)
        for a in as_list(area)
        if not codes_groups.is_area_group(a)
    ]
    if industry is not None and as_list(industry) != [CROSS_INDUSTRY]:
        scopes = ["all"]
    else:
        asked = {scope for scope, _ in wanted} | {codes_groups.scope_of(g) for g in grouped}
        every = not asked or "all" in asked
        scopes = [s for s in ("national", "state", "metro") if every or s in asked]
    frames, seen = [], set()
    for scope in scopes:
        frame = _archived_scope(rel.label, scope, settings)
        frames.append(frame[~frame["area_code"].isin(seen)])  # an area from one zip only
        seen |= set(frame["area_code"])
    df = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    attach_provenance(df, [p for f in frames for p in provenance_of(f)])
    tables = {
        "area": df[["area_code", "area_name", "area_type", "state_code"]].drop_duplicates(),
        "occupation": df[
            ["occupation_code", "occupation_title", "occupation_level"]
        ].drop_duplicates("occupation_code"),
        "industry": df[["industry_code", "industry_title"]]
        .drop_duplicates("industry_code")
        .assign(industry_level=""),
    }
    chosen, _ = resolved(
        area if grouped else None, occupation, industry, tables, rel.label, settings, soc_group
    )
    if wanted and not grouped:
        chosen["area_code"] = [code for _, code in wanted]
    return attach_provenance(select(df, chosen), provenance_of(df))


def _archived_scope(label: str, scope: str, settings: Settings) -> pd.DataFrame:
    """One archive zip of a release; a zip the archive lacks while the release's national
    zip is there is a missing file, not an unknown release."""
    from marketdata.datasets import oews_history

    try:
        return oews_history.load_release(label, scope=scope, settings=settings)
    except UnknownRelease as err:
        if scope == "national":
            raise
        try:
            oews_history.load_release(label, scope="national", settings=settings)
        except (UnknownRelease, FetchError):
            raise err from None
        rel = parse_release(label)
        raise FetchError(
            f"the OEWS {label} release is in BLS's archive at {settings.bls_www_url} "
            f"({rel.zip_name('national')}), but {rel.zip_name(scope)} ({SCOPE_WORDS[scope]}) "
            "is not (404)",
            status=404,
            hint="Ask for the areas you need (area='US' needs only the national zip), or save "
            f"{rel.zip_name(scope)} in a browser and add it with `marketdata cache add PATH`.",
        ) from None

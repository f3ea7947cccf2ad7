"""The states' long-term occupational projections, published through Projections Central.

:func:`state_projections` gives one state's projections; :func:`occupation_across_states` one
occupation's projections in every state. Both are fetched page by page through the cache and
carry their provenance in ``df.attrs["provenance"]``.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from marketdata.core import series_id
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import FetchError, UnknownArea
from marketdata.core.schema import attach_provenance
from marketdata.datasets import codes, recipe
from marketdata.io.cache import CachedFile
from marketdata.sources import projections_central as pc

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["STATE_PROGRAM", "occupation_across_states", "state_fips", "state_projections"]

logger = logging.getLogger(__name__)

STATE_PROGRAM = "Projections Central"


def state_fips(area: str | int) -> str:
    """Two-digit FIPS code of a state given by name, postal or FIPS code (read by
    :func:`marketdata.datasets.codes.resolve_area`, as every area is)."""
    where = codes.resolve_area(area)
    if where.type != "state":
        state = series_id.STATES.get(where.state_code, ("", ""))[1]
        raise UnknownArea(
            "state",
            area,
            [state] if state else [],
            hint=f"Projections Central publishes states only; {where.name} is not a state "
            "(growth.outlook reads any area and uses its state's projections).",
        )
    return where.state_code


def _fetch_pages(url: str, key: str, *, refresh: bool, settings: Settings) -> list[CachedFile]:
    """Every page of the answer at ``url`` in the cache: the first says how many there are."""
    first = f"{url}?items_per_page={pc.ITEMS_PER_PAGE}"
    files = recipe.fetch(
        [recipe.File(key, first, pc.check_json)], settings=settings, refresh=refresh
    )
    _, total = pc.pager(files[key].path, name=key)
    pages = [
        recipe.File(
            key.replace(".json", f".page{page}.json"), f"{first}&page={page}", pc.check_json
        )
        for page in range(1, total)
    ]
    files |= recipe.fetch(pages, settings=settings, refresh=refresh)
    return list(files.values())


def _rows(files: list[CachedFile]) -> list[dict]:
    rows: list[dict] = []
    for f in files:
        rows.extend(json.loads(f.path.read_bytes())["rows"])
    return rows


def _longterm(files: list[CachedFile], url: str, *, of: str, settings: Settings) -> pd.DataFrame:
    """The parsed answers, with provenance; an empty frame says so in ``attrs["notes"]``."""

    def parse() -> pd.DataFrame:
        frame = pc.parse_longterm(_rows(files), name=url)
        releases = frame["release"].dropna()
        release = str(releases.iloc[0]) if len(releases) else "long-term"
        sources = [f.provenance(program=STATE_PROGRAM, release=release) for f in files]
        return attach_provenance(frame, sources)

    if not files:
        frame = parse()
    else:
        frame = recipe.cached_frame(
            files[0].key.removesuffix(".json"), files, parse, settings=settings
        )
    if frame.empty:
        frame.attrs["notes"] = [f"Projections Central has no long-term projections for {of}."]
        logger.warning(frame.attrs["notes"][0])
    return frame


def state_projections(
    area: str | int, *, refresh: bool = False, settings: Settings | None = None
) -> pd.DataFrame:
    """A state's long-term occupational projections, from Projections Central.

    Returns
    -------
    DataFrame
        Columns :data:`marketdata.sources.projections_central.COLUMNS`, one row per occupation
        (``00-0000`` is the state's total). Empty, with ``attrs["notes"]`` saying so, when the
        state publishes none.
    """
    settings = get_settings(settings)
    fips = state_fips(area)
    name = series_id.STATES[fips][1]
    url = pc.URL_TEMPLATES["state"].format(base=settings.projections_central_url, fips=int(fips))
    try:
        files = _fetch_pages(
            url, f"projections-central/longterm-{fips}.json", refresh=refresh, settings=settings
        )
    except FetchError as err:
        if err.status != 404:
            raise
        files = []
    return _longterm(files, url, of=name, settings=settings)


def occupation_across_states(
    occupation: str, *, refresh: bool = False, settings: Settings | None = None
) -> pd.DataFrame:
    """One occupation's long-term projections in every state (and BLS's national row)."""
    settings = get_settings(settings)
    digits = series_id.occupation_digits(occupation)
    soc = f"{digits[:2]}-{digits[2:]}"
    url = pc.URL_TEMPLATES["occupation"].format(base=settings.projections_central_url, soc=soc)
    files = _fetch_pages(
        url, f"projections-central/all-{soc}.json", refresh=refresh, settings=settings
    )
    return _longterm(files, url, of=soc, settings=settings)

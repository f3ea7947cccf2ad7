"""The one way a dataset is loaded: published file → cache → parser → Parquet → provenance.

Every loader describes its dataset as a :class:`Recipe` (where the agency publishes the file,
its cache key and download check, the parser that turns the cached file into a frame, the
release it names and the bundled frame that stands in offline) and calls :func:`load`:

1. the file is fetched into the cache, or found there (:func:`marketdata.io.cache.fetch`
   revalidates it and checks every download before it enters);
2. the parsed frame is read from its Parquet, which is tied to the SHA-256 of the file and
   verified before use, or parsed once and written;
3. provenance (program, release, address, retrieval date, SHA-256) goes into ``df.attrs``;
4. when the agency can't be reached, or a cached file no longer parses, the bundled frame is
   used with one :class:`~marketdata.core.errors.OfflineDataWarning` per source and process; the
   reason stays in the provenance's ``note``. A 403 is a setting to fix and always raises.

Loaders whose files need more than one step to find (OEWS releases, projection rounds) use the
same pieces: :func:`cached_frame` and :func:`bundled_instead`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import (
    ContactRequired,
    FetchError,
    OfflineDataWarning,
    SourceFormatError,
)
from marketdata.core.notices import unreachable, warn_once
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.io import cache

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Recipe", "bundled_instead", "cached_frame", "load"]


@dataclass(frozen=True)
class Recipe:
    """How one dataset is published, cached, parsed and bundled.

    Attributes
    ----------
    program
        The program provenance names, e.g. ``"CPI"``, ``"BEA"``, ``"O*NET"``.
    agency
        Who publishes it, for the offline warning: ``"BLS"``, ``"BEA"``, ``"O*NET"``.
    source
        What the dataset is, in a few words, for the offline warning (``"CPI-U annual
        averages"``); also the key that keeps that warning to once per process.
    url
        Where the agency publishes the file, from the settings (base URLs are settings).
    key
        The file's cache key, e.g. ``"cpi/cu.data.1.AllItems"``.
    frame_name
        The Parquet frame's name in the cache, e.g. ``"cpi/CUUR0000SA0-annual"``.
    parse
        The cached file's path and address in, the tidy frame out (a ``sources`` parser).
    release
        The release the parsed frame holds, as provenance names it.
    check
        What a download must pass before it enters the cache.
    bundled
        The frame bundled with the package, with its provenance; None when there is none.
    bundled_name
        How the offline warning names the bundled frame (``"CPI-U annual averages
        (1913-2025)"``); ``source`` when not given.
    """

    program: str
    agency: str
    source: str
    url: Callable[[Settings], str]
    key: str
    frame_name: str
    parse: Callable[[cache.CachedFile], pd.DataFrame]
    release: Callable[[pd.DataFrame], str]
    check: cache.Check | None = None
    bundled: Callable[[], pd.DataFrame] | None = None
    bundled_name: Callable[[pd.DataFrame], str] | None = None


def cached_frame(
    name: str,
    inputs: list[cache.CachedFile],
    parse: Callable[[], pd.DataFrame],
    *,
    settings: Settings,
    **read: object,
) -> pd.DataFrame:
    """The frame ``name`` parsed from ``inputs``: its verified Parquet, or parsed and written.

    Parameters
    ----------
    name
        The frame's name in the cache.
    inputs
        The cached files it is parsed from; the Parquet is tied to their SHA-256.
    parse
        Parses the frame (called only when no current Parquet exists).
    settings
        Where the cache is.
    **read
        ``columns`` or ``filters`` for the Parquet read; the frame is then parsed whole and
        written, and what was asked read back.

    Returns
    -------
    DataFrame
        With the provenance ``parse`` attached.
    """
    frame = cache.read_parquet(name, inputs=inputs, settings=settings, **read)
    if frame is not None:
        return frame
    frame = parse()
    cache.write_parquet(frame, name, inputs=inputs, settings=settings)
    if read:
        again = cache.read_parquet(name, inputs=inputs, settings=settings, **read)
        if again is not None:
            return again
    return frame


def bundled_instead(
    source: str,
    bundled: Callable[[], pd.DataFrame],
    reason: str,
    *,
    what: str,
    name: Callable[[pd.DataFrame], str] | None = None,
) -> pd.DataFrame:
    """The bundled frame, said once per process in one short sentence.

    Parameters
    ----------
    source
        The warning's key and subject, e.g. ``"CPI-U annual averages"``.
    bundled
        Reads the bundled frame (with its provenance).
    reason
        Why: the download's error or the parser's, kept in each provenance record's ``note``.
    what
        The warning's opening words, e.g. ``"Offline mode is on"``.
    name
        How the warning names the bundled frame; ``source`` when not given.

    Returns
    -------
    DataFrame
        The bundled frame; its provenance says ``bundled`` and carries ``reason``.
    """
    frame = bundled()
    named = name(frame) if name is not None else source
    warn_once(source, f"{what}; using the bundled {named}.", OfflineDataWarning)
    return attach_provenance(frame, [p | {"note": reason} for p in provenance_of(frame)])


def load(
    recipe: Recipe, *, settings: Settings | None = None, refresh: bool = False
) -> pd.DataFrame:
    """The dataset's frame, from the agency's file through the cache, or the bundled one.

    Parameters
    ----------
    recipe
        The dataset.
    settings
        Base URLs, the cache folder, offline mode.
    refresh
        Ask the agency for the file again even when it is cached.

    Returns
    -------
    DataFrame
        The parsed frame with its provenance in ``df.attrs["provenance"]``.

    Raises
    ------
    ContactRequired
        The agency refused the download (403): set ``MARKETDATA_CONTACT``.
    FetchError
        The file could not be had and nothing is bundled.
    SourceFormatError
        The cached file does not parse and nothing is bundled.
    """
    settings = get_settings(settings)
    try:
        entry = cache.fetch(
            recipe.url(settings),
            key=recipe.key,
            settings=settings,
            refresh=refresh,
            check=recipe.check,
        )
    except ContactRequired:
        raise
    except FetchError as err:
        if recipe.bundled is None:
            raise
        failed: str | None = str(err).splitlines()[0]
        what = unreachable(settings.offline, recipe.agency)
    else:
        failed = None
    if failed is not None:  # outside the handler: nothing of it is chained to what follows
        return bundled_instead(
            recipe.source, recipe.bundled, failed, what=what, name=recipe.bundled_name
        )

    def parse() -> pd.DataFrame:
        frame = recipe.parse(entry)
        provenance = entry.provenance(program=recipe.program, release=recipe.release(frame))
        return attach_provenance(frame, [provenance])

    try:
        return cached_frame(recipe.frame_name, [entry], parse, settings=settings)
    except SourceFormatError as err:
        if recipe.bundled is None:
            raise
        reason = str(err).splitlines()[0]
    return bundled_instead(
        recipe.source,
        recipe.bundled,
        reason,
        what=f"The cached {recipe.key} does not parse",
        name=recipe.bundled_name,
    )

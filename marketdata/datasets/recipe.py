"""The one way a dataset is loaded: published file → cache → parser → Parquet → provenance.

A dataset whose frame is parsed from one published file describes itself as a :class:`Recipe`
(where the agency publishes the file, its cache key and download check, the parser, the
release it names, the bundled frame that stands in) and calls :func:`load`:

1. the file is fetched into the cache, or found there (:func:`fetch`; the cache revalidates
   it and checks every download before it enters);
2. the parsed frame is read from its Parquet, which is tied to the SHA-256 of the file and
   verified before use, or parsed once and written (:func:`cached_frame`);
3. provenance (program, release, address, retrieval date, SHA-256) of the cache entry as it
   is now goes into ``df.attrs``;
4. when the agency can't be reached, or a cached file no longer parses, the bundled frame is
   used (:func:`bundled_instead`). A 403 is a setting to fix and always raises.

Datasets read from several files, or whose bundled frame answers only some requests (OEWS
releases, projection rounds, CPS tables), use the same pieces: :class:`File` and
:func:`fetch` or :func:`reach` for the downloads, :func:`cached_frame` for the Parquet,
:func:`bundled_instead` or :func:`say_instead` for the fallback.

The fallback rule lives here alone: whatever stands in for what the agency could not give is
said in one :class:`~marketdata.core.errors.OfflineDataWarning` per source and process
(:func:`marketdata.core.notices.warn_once`; a page built of several loads says them as one
with :func:`one_warning`), and a bundled frame's provenance says ``bundled`` and keeps the
reason in its ``note``.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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

__all__ = [
    "File",
    "Missed",
    "Recipe",
    "bundled_instead",
    "cached_frame",
    "fetch",
    "load",
    "one_warning",
    "reach",
    "say_instead",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class File:
    """One published file a dataset is read from, and its entry in the cache.

    Attributes
    ----------
    key
        Its cache key, e.g. ``"oe/oe.area"``.
    url
        Where the agency publishes it.
    check
        What a download must pass before it enters the cache.
    elsewhere
        Other addresses of the same file, tried in order while the one before answers 404.
    optional
        The dataset is read without it when it cannot be had (e.g. footnotes that only
        explain gaps): :func:`fetch` leaves it out instead of raising.
    """

    key: str
    url: str
    check: cache.Check | None = None
    elsewhere: tuple[str, ...] = ()
    optional: bool = False


@dataclass(frozen=True)
class Missed:
    """Why a dataset's files could not be had: the download's error, kept for the fallback."""

    error: FetchError

    @property
    def reason(self) -> str:
        """The error's first line, as a provenance record's ``note`` keeps it."""
        return str(self.error).splitlines()[0]


@dataclass(frozen=True)
class Recipe:
    """How one dataset is published, cached, parsed and bundled.

    Attributes
    ----------
    program
        The program provenance names, e.g. ``"CPI"``, ``"BEA"``, ``"CPS"``.
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
        The cached file in, the tidy frame out (a ``sources`` parser); its ``attrs`` are
        kept with the Parquet.
    release
        The release the parsed frame holds, as provenance names it.
    check
        What a download must pass before it enters the cache.
    bundled
        The frame bundled with the package, with its provenance; None when there is none.
    bundled_name
        How the offline warning names the bundled frame (``"CPI-U annual averages
        (1913-2025)"``); ``source`` when not given.
    stale
        Why the parsed frame gives way to the bundled one (it is older), or None when it
        does not.
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
    stale: Callable[[pd.DataFrame], str | None] | None = None


def _fetch_one(file: File, settings: Settings, refresh: bool) -> cache.CachedFile:
    """``file`` in the cache, from the first of its addresses that does not answer 404."""
    *tried, last = (file.url, *file.elsewhere)
    for url in tried:
        try:
            return cache.fetch(
                url, key=file.key, settings=settings, refresh=refresh, check=file.check
            )
        except FetchError as err:
            if err.status != 404:
                raise
            logger.info("%s: 404, trying the next location", url)
    return cache.fetch(last, key=file.key, settings=settings, refresh=refresh, check=file.check)


def fetch(
    files: Iterable[File], *, settings: Settings | None = None, refresh: bool = False
) -> dict[str, cache.CachedFile]:
    """The ``files`` in the cache by key, each downloaded if missing (in the order given).

    Parameters
    ----------
    files
        The dataset's files; an optional one that cannot be had is left out.
    settings
        Base URLs, the cache folder, offline mode.
    refresh
        Ask the agency whether each file changed (conditional requests).

    Returns
    -------
    dict
        Cache key -> :class:`~marketdata.io.cache.CachedFile`, verified.

    Raises
    ------
    ContactRequired
        The agency refused the download (403).
    FetchError, OfflineError
        A file could not be downloaded and is not cached.
    SourceFormatError
        A downloaded file is not the one expected (nothing enters the cache).
    """
    settings = get_settings(settings)
    found = {}
    for file in files:
        try:
            found[file.key] = _fetch_one(file, settings, refresh)
        except (FetchError, SourceFormatError) as err:
            if not file.optional or isinstance(err, ContactRequired):
                raise
            logger.info("no %s (%s); reading the dataset without it", file.key, err)
    return found


def reach(
    files: Iterable[File], *, settings: Settings | None = None, refresh: bool = False
) -> dict[str, cache.CachedFile] | Missed:
    """The ``files`` as :func:`fetch` gives them, or why they could not be had.

    A 403 (:class:`~marketdata.core.errors.ContactRequired`) and a download that is not the
    file expected (:class:`~marketdata.core.errors.SourceFormatError`) still raise: neither is
    fixed by using something else.

    Returns
    -------
    dict or Missed
        The cached files by key, or the :class:`Missed` that says why the agency could not
        give them (offline, unreachable, not published).
    """
    try:
        return fetch(files, settings=settings, refresh=refresh)
    except ContactRequired:
        raise
    except FetchError as err:
        return Missed(err)


def cached_frame(
    name: str,
    inputs: list[cache.CachedFile],
    parse: Callable[[], pd.DataFrame],
    *,
    settings: Settings,
    filters: Any = None,
    pick: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    index: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    columns: Sequence[str] | None = None,
    parts: int = 1,
    row_group_size: int = 65536,
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
    filters
        The rows a Parquet read keeps (pyarrow's filters); given with ``pick``.
    pick
        The same rows taken from a frame just parsed, which is written whole.
    index
        The text columns stored beside the Parquet for
        :func:`marketdata.io.cache.read_index`, from the parsed frame.
    columns
        The columns the parser gives; a cached frame with others, written by an earlier
        version of the package, is parsed again.
    parts, row_group_size
        How the Parquet is written (:func:`marketdata.io.cache.write_parquet`).

    Returns
    -------
    DataFrame
        With the ``attrs`` ``parse`` gave it.
    """
    frame = cache.read_parquet(name, inputs=inputs, settings=settings, filters=filters)
    if frame is not None and (columns is None or tuple(frame.columns) == tuple(columns)):
        return frame
    frame = parse()
    cache.write_parquet(
        frame,
        name,
        inputs=inputs,
        settings=settings,
        row_group_size=row_group_size,
        parts=parts,
        index=index(frame) if index is not None else None,
    )
    if pick is None:
        return frame
    return attach_provenance(pick(frame), provenance_of(frame))


def say_instead(source: str, what: str | None, used: str) -> None:
    """Say once per process, in one short sentence, that ``used`` stands in for ``source``.

    Parameters
    ----------
    source
        The warning's key: what it is about (``"EP"``, ``"CPI-U annual averages"``).
    what
        Why, in the warning's opening words (``"Offline mode is on"``); None when the
        sentence starts at "Using".
    used
        What stands in: ``"the bundled 2024-34 round of the Employment Projections"``.
    """
    sentence = f"{what}; using {used}." if what else f"Using {used}."
    warn_once(source, sentence, OfflineDataWarning)


def bundled_instead(
    source: str,
    bundled: Callable[[], pd.DataFrame],
    reason: str,
    *,
    what: str | None,
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
        The warning's opening words, e.g. ``"Offline mode is on"`` (see :func:`say_instead`).
    name
        How the warning names the bundled frame; ``source`` when not given.

    Returns
    -------
    DataFrame
        The bundled frame; its provenance says ``bundled`` and carries ``reason``.
    """
    frame = bundled()
    named = name(frame) if name is not None else source
    say_instead(source, what, f"the bundled {named}")
    return attach_provenance(frame, [p | {"note": reason} for p in provenance_of(frame)])


@contextmanager
def one_warning(source: str) -> Iterator[None]:
    """Inside, the loads' :class:`~marketdata.core.errors.OfflineDataWarning` are held back;
    the first is then said once per process as ``source``'s (a page built of several loads
    says its bundled data once, even when each load has said it before). Other warnings
    pass as they were."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OfflineDataWarning)
        yield
    offline = [w for w in caught if issubclass(w.category, OfflineDataWarning)]
    for w in caught:
        if w not in offline:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if offline:
        warn_once(source, str(offline[0].message), OfflineDataWarning)


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
    bundled = recipe.bundled
    file = File(recipe.key, recipe.url(settings), recipe.check)
    got = reach([file], settings=settings, refresh=refresh)
    if isinstance(got, Missed):
        if bundled is None:
            raise got.error
        what = unreachable(settings.offline, recipe.agency)
        return bundled_instead(
            recipe.source, bundled, got.reason, what=what, name=recipe.bundled_name
        )
    entry = got[recipe.key]
    try:
        frame = cached_frame(
            recipe.frame_name, [entry], lambda: recipe.parse(entry), settings=settings
        )
    except SourceFormatError as err:
        if bundled is None:
            raise
        failed = str(err).splitlines()[0]
    else:
        failed = None
    if failed is not None:  # outside the handler: nothing of it is chained to what follows
        what = f"The cached {recipe.key} does not parse"
        return bundled_instead(recipe.source, bundled, failed, what=what, name=recipe.bundled_name)
    release = recipe.release(frame)
    frame = attach_provenance(frame, [entry.provenance(program=recipe.program, release=release)])
    why = recipe.stale(frame) if recipe.stale is not None else None
    if why is not None and bundled is not None:
        what = unreachable(settings.offline, recipe.agency)
        return bundled_instead(recipe.source, bundled, why, what=what, name=recipe.bundled_name)
    return frame

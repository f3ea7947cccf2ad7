"""One module per BLS file family; each turns bytes into a frame and nothing more.

Each source module that downloads files also offers
``identify(path: Path, *, settings: Settings) -> KnownFile | None``: given a file the user
saved by hand (e.g. in a browser, when BLS blocks scripted downloads), it says whether the
file is one of its own, under which cache key and URL it belongs, and how to check that it
parses. :func:`identify` asks every source in turn (used by ``marketdata cache add``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from marketdata.config import Settings, get_settings
from marketdata.errors import SourceFormatError

#: Source modules asked, in order, by :func:`identify`.
SOURCE_MODULES = (
    "oe",
    "oews_archive",
    "ep",
    "projections_central",
    "cps_table54",
    "cps",
    "ors",
    "bea_rpp",
)


@dataclass(frozen=True)
class KnownFile:
    """A BLS file recognised by its source: where it lives in the cache and how to check it."""

    key: str
    url: str
    description: str
    check: Callable[[Path], None]


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile:
    """Recognise which BLS file ``path`` is.

    Raises
    ------
    SourceFormatError
        No source recognises the file; the message lists what is accepted.
    """
    settings = get_settings(settings)
    path = Path(path)
    accepted = []
    for name in SOURCE_MODULES:
        try:
            module = importlib.import_module(f"marketdata.sources.{name}")
        except ModuleNotFoundError:
            continue
        finder = getattr(module, "identify", None)
        if finder is None:
            continue
        accepted.append((module.__doc__ or name).strip().splitlines()[0])
        known = finder(path, settings=settings)
        if known is not None:
            return known
    raise SourceFormatError(
        "not a BLS file that marketdata knows. Accepted: " + "; ".join(accepted), source=str(path)
    )


def is_reader_error(err: BaseException) -> bool:
    """Whether ``err`` is a spreadsheet reader failing on damaged bytes: an ordinary exception,
    or a Rust panic of python-calamine (``pyo3_runtime.PanicException`` derives from
    BaseException, so ``except Exception`` misses it). Interrupts and exits are not."""
    return isinstance(err, Exception) or type(err).__name__ == "PanicException"

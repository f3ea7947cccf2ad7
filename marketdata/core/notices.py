"""The package's warnings, said once and pointed at the user's own line.

:func:`warn_once` is how a loader says it fell back on bundled or older data: one short
sentence, once per source per process, attributed to the first line outside the package
(the user's notebook cell or script, not an internal file). :func:`quiet` silences every
warning of the package; it is the same as::

    import warnings
    from marketdata.core.errors import MarketdataWarning

    warnings.filterwarnings("ignore", category=MarketdataWarning)

The full reason (which server, which error) stays in the frame's provenance.
"""

from __future__ import annotations

import sys
import threading
import warnings
from pathlib import Path

from marketdata.core.errors import MarketdataWarning

#: Files under this folder are the package's own: warnings point past them.
PACKAGE_DIR = str(Path(__file__).resolve().parents[1])
_said: set[tuple[type[Warning], str]] = set()
_lock = threading.Lock()


def user_stacklevel() -> int:
    """The ``stacklevel`` (as :func:`warnings.warn` counts it from its caller) of the first
    frame outside the package: the line the user wrote."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(PACKAGE_DIR):
        frame = frame.f_back
        level += 1
    return level


def _is_error(category: type[Warning], message: str) -> bool:
    """Whether the warning filters in force turn this warning into an error (a caller that
    asks for that, such as ``marketdata fetch``, is told every time)."""
    for action, pattern, kind, _module, _line in warnings.filters:
        if issubclass(category, kind) and (pattern is None or pattern.match(message)):
            return action == "error"
    return False


def warn_once(source: str, message: str, category: type[Warning]) -> bool:
    """Warn ``message`` unless a ``category`` warning about ``source`` was said already.

    Parameters
    ----------
    source
        What the warning is about (``"OEWS"``, ``"CPI"``...): one warning per source and
        category per process.
    message
        One short sentence.

    Returns
    -------
    bool
        Whether the warning was issued now (always, when a filter turns it into an error).
    """
    with _lock:
        said = (category, source) in _said
        _said.add((category, source))
    if said and not _is_error(category, message):
        return False
    warnings.warn(message, category, stacklevel=user_stacklevel())
    return True


def unreachable(offline: bool, agency: str = "BLS") -> str:
    """Why a loader fell back, in the warning's words: offline mode or an unreachable server."""
    return "Offline mode is on" if offline else f"{agency} could not be reached"


def forget() -> None:
    """Let every source warn again (a fresh notebook session; tests)."""
    with _lock:
        _said.clear()


def quiet() -> None:
    """Silence the package's warnings (:class:`~marketdata.core.errors.MarketdataWarning` and its
    subclasses) for the rest of the process; provenance still records where data came from."""
    warnings.filterwarnings("ignore", category=MarketdataWarning)

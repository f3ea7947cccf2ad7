"""Download progress bars: on a terminal (text) and in Jupyter (a widget), never in CI or in a
report (see ``MARKETDATA_PROGRESS`` in :mod:`marketdata.core.config`).

The Jupyter bar needs ``ipywidgets`` (a dependency of the package); without it the text bar is
used, so that no ``TqdmWarning: IProgress not found`` ever shows (``tqdm.auto`` would warn).
"""

from __future__ import annotations

import sys
from typing import Any

from tqdm.std import tqdm as text_bar

from marketdata.core.config import Settings, get_settings


def in_jupyter() -> bool:
    """Whether this process is a Jupyter kernel with a front end (not a terminal IPython)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def _widgets() -> bool:
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def shown(settings: Settings | None = None) -> bool:
    """Whether bars are shown: ``settings.progress`` if set, else on a terminal or in Jupyter."""
    setting = get_settings(settings).progress
    if setting is not None:
        return setting
    return in_jupyter() or sys.stderr.isatty()


def bar(*, settings: Settings | None = None, disable: bool = False, **kwargs: Any) -> text_bar:
    """A tqdm bar (``kwargs`` as for ``tqdm``): a widget in Jupyter when ipywidgets is
    installed, else text on stderr; disabled when :func:`shown` says no or ``disable``."""
    off = disable or not shown(settings)
    if not off and in_jupyter() and _widgets():
        from tqdm.notebook import tqdm as widget_bar

        return widget_bar(disable=off, **kwargs)
    return text_bar(disable=off, **kwargs)

"""Credentials: certification and licensing factors from CPS, ORS and user files.

Every figure here is an estimate: BLS publishes how often workers hold a certification and
what workers with and without one earn, not what a certification adds to one person's pay.

- :mod:`~marketdata.analysis.credentials.factors`: the certification factors of an occupation;
- :mod:`~marketdata.analysis.credentials.estimates`: those factors applied to OEWS medians;
- :mod:`~marketdata.analysis.credentials.cps_premium`: the premium read off CPS tables;
- :mod:`~marketdata.analysis.salary.credential_columns`: a certifying body's own figures.
"""

from __future__ import annotations

import importlib as _importlib
from types import ModuleType as _ModuleType

__all__ = ["cps_premium", "estimates", "factors"]


def __getattr__(name: str) -> _ModuleType:
    if name in __all__:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

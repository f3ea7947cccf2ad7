"""marketdata: BLS labor-market data (OEWS, projections, CPS) for notebooks and reports.

The public modules load on first use, so ``import marketdata as md`` is cheap::

    md.oews.load(occupation="29-2072", area="OH")      # OEWS wages and employment
    md.oews.history(occupation="29-2072")               # every release since 1997, SOC bridged
    md.api.series(["OEUN000000000000029207213"])        # BLS Public Data API v2
    md.projections.load(round="latest")                 # Employment Projections
    md.growth.outlook("29-2072", "US")                  # growth, openings, education
    md.salary.breakdown("29-2072", ["OH", "Columbus, OH"])
    md.reports.run("occupation_outlook", occupation="29-2072", area="OH")
    md.quiet()                                          # no warnings from the package

Every module of the package is an attribute (``md.cps``, ``md.certification``,
``md.schema``, ``md.formatting`` ...): :data:`PUBLIC_MODULES` lists them, ``dir(md)`` shows
them, and none is imported (nor pandas) until it is first used.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
from types import ModuleType

__version__ = "0.1.0"

#: Modules and subpackages reachable as attributes of the package (imported on first use):
#: every one whose name does not start with an underscore.
PUBLIC_MODULES: tuple[str, ...] = tuple(
    sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
)

logging.getLogger(__name__).addHandler(logging.NullHandler())


def quiet() -> None:
    """Silence the package's warnings for the rest of the process.

    The same as ``warnings.filterwarnings("ignore", category=marketdata.errors.MarketdataWarning)``;
    provenance still records where the data came from (:mod:`marketdata.notices`).
    """
    from marketdata.notices import quiet as silence

    silence()


def __getattr__(name: str) -> ModuleType:
    if name in PUBLIC_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'marketdata' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *PUBLIC_MODULES})

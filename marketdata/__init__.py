"""marketdata: U.S. labor-market data (OEWS, projections, CPS, O*NET) for notebooks and reports.

The public modules load on first use, so ``import marketdata as md`` is cheap::

    md.oews.load("29-2072", "OH")                       # OEWS wages and employment
    md.oews.history("29-2072", "US")                    # every release since 1997, SOC bridged
    md.projections.load()                               # Employment Projections
    md.growth.outlook("29-2072", "US")                  # growth, openings, education
    md.salary.breakdown("29-2072", ["OH", "Columbus, OH"])
    md.reports.run("occupation_outlook", occupation="29-2072", area="OH")
    md.quiet()                                          # no warnings from the package

:data:`PUBLIC_MODULES` lists the modules a user calls; each lives in the folder of its stage
(``marketdata.datasets.oews``, ``marketdata.analysis.growth`` ...) and is reached here by its
short name.
"""

from __future__ import annotations

import importlib as _importlib
import logging as _logging
from types import ModuleType as _ModuleType

__version__ = "0.1.0"

#: Short name -> the module it stands for, imported on first use.
_MODULES: dict[str, str] = {
    "api": "marketdata.datasets.api",
    "cache": "marketdata.io.cache",
    "change": "marketdata.analysis.change",
    "codes": "marketdata.datasets.codes",
    "config": "marketdata.core.config",
    "cpi": "marketdata.datasets.cpi",
    "cps": "marketdata.datasets.cps",
    "credentials": "marketdata.analysis.credentials",
    "dollars": "marketdata.analysis.dollars",
    "errors": "marketdata.core.errors",
    "formatting": "marketdata.core.formatting",
    "growth": "marketdata.analysis.growth",
    "oews": "marketdata.datasets.oews",
    "onet": "marketdata.datasets.onet",
    "ors": "marketdata.datasets.ors",
    "pathways": "marketdata.analysis.pathways",
    "plots": "marketdata.plots",
    "projections": "marketdata.datasets.projections",
    "reports": "marketdata.reports",
    "rpp": "marketdata.datasets.rpp",
    "salary": "marketdata.analysis.salary",
    "schema": "marketdata.core.schema",
    "series_id": "marketdata.core.series_id",
    "state_projections": "marketdata.datasets.state_projections",
}

#: The modules reachable as attributes of the package.
PUBLIC_MODULES: tuple[str, ...] = tuple(sorted(_MODULES))

__all__ = ["PUBLIC_MODULES", "__version__", "quiet", *PUBLIC_MODULES]

_logging.getLogger(__name__).addHandler(_logging.NullHandler())


def quiet() -> None:
    """Silence the package's warnings for the rest of the process.

    The same as ``warnings.filterwarnings("ignore", category=MarketdataWarning)`` with
    ``MarketdataWarning`` from ``marketdata.errors``; provenance still records where the data
    came from.
    """
    from marketdata.core.notices import quiet as silence

    silence()


def __getattr__(name: str) -> _ModuleType:
    if name in _MODULES:
        module = _importlib.import_module(_MODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'marketdata' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)

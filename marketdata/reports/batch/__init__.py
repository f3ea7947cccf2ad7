"""One report over many parameter sets: every state, every metro of a state, a list of areas.

``marketdata.reports.batch.run("occupation_outlook", over={"area": "all-states"},
params={"occupation": "29-2072"})`` returns a :class:`BatchResult`. The names below are the
public API; the modules: :mod:`.params` (area lists, parameter sets), :mod:`.resume`
(up to date?), :mod:`.workers` (worker processes, local pool, Dask), :mod:`.driver` (the run
and its summary).
"""

from __future__ import annotations

from marketdata.reports.batch.driver import BatchResult, run
from marketdata.reports.batch.parameter_sets import area_list, parameter_sets, split_list
from marketdata.reports.batch.resume import up_to_date

__all__ = [
    "BatchResult",
    "area_list",
    "parameter_sets",
    "run",
    "split_list",
    "up_to_date",
]

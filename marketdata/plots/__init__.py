"""Charts of tidy frames: every function takes frames and returns a matplotlib ``Figure``.

``marketdata.plots.<function>`` (e.g. ``plots.tile_map``, ``plots.wage_distribution``) is the
public path; notebooks use it. By chart family: :mod:`.pay` (pay distributions, pay bands),
:mod:`.rankings` (bars by area, metro, industry), :mod:`.maps` (U.S. tile-grid map),
:mod:`.growth` (history, projected growth); :mod:`.base` holds what they share and
:mod:`.layout` places titles, keys, axes, labels and notes with fixed margins.

Nothing here fetches data. Figures are built with :class:`matplotlib.figure.Figure` and the
Agg canvas (no pyplot, no global state), so they are safe in scripts, tests and kernels.

Conventions shared by every chart:

- A top-coded value (``is_topcoded_<measure>`` true) is drawn as a lower bound: hatched,
  with an arrow or a "≥" label, never as an exact number.
- A missing value (suppressed or not released by BLS) is a gap, and the figure says so in a
  note under the axes.
- Figures from estimates (not published BLS figures) say "estimate" in their labels.
"""

from __future__ import annotations

from marketdata.plots.base import BOUND_NOTE, GAP_NOTE, NOT_COMPARABLE_NOTE
from marketdata.plots.growth_charts import growth_openings, growth_vs_pay, history
from marketdata.plots.maps import STATE_TILES, tile_map
from marketdata.plots.pay_charts import CHART_ROWS, pay_bands, wage_distribution
from marketdata.plots.rankings import area_comparison, bars, industries, top_metros

__all__ = [
    "BOUND_NOTE",
    "CHART_ROWS",
    "GAP_NOTE",
    "NOT_COMPARABLE_NOTE",
    "STATE_TILES",
    "area_comparison",
    "bars",
    "growth_openings",
    "growth_vs_pay",
    "history",
    "industries",
    "pay_bands",
    "tile_map",
    "top_metros",
    "wage_distribution",
]

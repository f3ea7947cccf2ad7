"""Charts a report shows, as recipes: drawn by the report's chart process when it has one.

``charts.<plot>(*args, **kwargs)`` names the figure ``marketdata.plots.<plot>(*args,
**kwargs)`` without drawing it or importing matplotlib. :func:`marketdata.reports.kit.show_figure`
draws it: in the report's chart process when ``marketdata report`` started one
(:mod:`marketdata.reports.chart_process`), so that the notebook's cells go on meanwhile on
the machine's other core, else at once, as ``plots.<plot>`` would. The PNG is the same
either way.

    from marketdata.reports import charts, kit
    kit.show_figure(charts.tile_map(states, measure="annual_median"), "map_median_pay")
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["CHART_ROWS", "PLOTS", "Chart", "png"]

#: The most rows a pay chart shows (:data:`marketdata.plots.CHART_ROWS`).
CHART_ROWS = 15

#: The functions of :mod:`marketdata.plots` a recipe can name.
PLOTS: tuple[str, ...] = (
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
)


@dataclass(frozen=True)
class Chart:
    """The figure ``marketdata.plots.<plot>(*args, **kwargs)``, not drawn yet."""

    plot: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)

    def figure(self) -> Figure:
        """Draw the figure in this process."""
        from marketdata import plots

        return getattr(plots, self.plot)(*self.args, **self.kwargs)


def png(
    figure: Figure, name: str, *, alt: str | None = None, dpi: int | None = None
) -> tuple[bytes, str]:
    """The PNG bytes of ``figure`` and its text alternative.

    Parameters
    ----------
    figure
        A drawn figure.
    name
        The figure's file name without ``.png``: the text alternative of last resort.
    alt
        The text alternative; default: the description the chart attached
        (:func:`marketdata.plots.base.describe`), else its titles.
    dpi
        Default: the charts' own, :data:`marketdata.plots.base.DPI`.

    Returns
    -------
    tuple
        ``(png_bytes, alt)``.
    """
    from marketdata.plots import base

    if alt is None:
        titles = [figure.get_suptitle(), *(ax.get_title() for ax in figure.axes)]
        alt = base.alt_text(figure) or "; ".join(t for t in titles if t) or name.replace("_", " ")
    buffer = io.BytesIO()
    with base.drawing():
        figure.savefig(
            buffer,
            format="png",
            dpi=dpi or base.DPI,
            metadata={"Software": None},
            pil_kwargs={"compress_level": 3},  # smaller and faster than the default here
        )
    return buffer.getvalue(), alt


def _recipe(plot: str) -> Callable[..., Chart]:
    def recipe(*args: Any, **kwargs: Any) -> Chart:
        return Chart(plot, args, kwargs)

    recipe.__name__ = recipe.__qualname__ = plot
    recipe.__doc__ = f"The figure ``marketdata.plots.{plot}`` with these arguments, not drawn yet."
    return recipe


def __getattr__(name: str) -> Callable[..., Chart]:
    if name in PLOTS:
        return _recipe(name)
    close = difflib.get_close_matches(name, PLOTS, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; charts: {', '.join(PLOTS)}"
    raise AttributeError(f"no chart {name!r} in marketdata.plots{hint}")


def __dir__() -> list[str]:
    return sorted({*globals(), *PLOTS})

"""What every chart shares: the figure (Agg canvas, no layout engine), its size and dpi,
the colour-blind-safe palette, font sizes and margins, text measuring (cached), bars as plain
rectangles, column readers that keep gaps and top codes, axis labels of the OEWS measures,
footnotes, and the figure's text alternative. :mod:`.layout` places what is drawn.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

PERCENTILES: tuple[str, ...] = ("p10", "p25", "median", "p75", "p90")

#: Pixels per inch of every figure and its PNG: WIDTH inches make 760 px, inside an 800 px page.
DPI = 100
WIDTH = 7.6

#: Okabe & Ito's colour-blind-safe palette (distinct under the common colour-vision
#: deficiencies), plus a darker blue for a third step of one hue.
COLORS: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "navy": "#003F66",
    "grey": "#595959",
}
#: Line colours in order, for charts with several series.
CYCLE: tuple[str, ...] = tuple(
    COLORS[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "black")
)

#: Text drawn without hinting: a third less time per glyph, no visible loss at 100 dpi.
RC: dict[str, object] = {"text.hinting": "no_hinting"}

#: Font sizes (points).
TITLE, LABEL, TICK, VALUE, NOTE = 11.0, 9.0, 8.5, 8.0, 8.0

#: Axis labels of the OEWS measures.
MEASURE_LABELS: dict[str, str] = {
    "employment": "Employment (jobs)",
    "jobs_per_1000": "Jobs per 1,000 jobs",
    "location_quotient": "Location quotient",
    "hourly_mean": "Mean hourly wage (USD)",
    "annual_mean": "Mean annual wage (USD)",
    "hourly_median": "Median hourly wage (USD)",
    "annual_median": "Median annual wage (USD)",
    "annual_median_rpp_adjusted": "Median annual wage in national prices (USD, BEA-derived)",
    **{
        f"{b}_{p}": f"{p[1:]}th percentile {b} wage (USD)"
        for b in ("hourly", "annual")
        for p in ("p10", "p25", "p75", "p90")
    },
}


GAP_NOTE = "Gaps: not released by BLS (suppressed or not published)."


BOUND_NOTE = "≥: at or above BLS's top code; the true value is higher."


NOT_COMPARABLE_NOTE = (
    "Hollow points: not comparable with the newest release "
    "(occupation or area definitions changed)."
)

# Margins (inches) of the fixed layout.
PAD = 0.1
TITLE_HEIGHT = 0.36
LEGEND_ROW = 0.24
AXIS_BELOW = 0.62  # x tick labels and the x axis label
NOTE_LINE = 0.15


def new_figure(width: float = WIDTH, height: float = 4.0) -> Figure:
    """A figure on its own Agg canvas (no pyplot), no layout engine: :func:`finish` places it."""
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


@contextmanager
def drawing() -> Iterator[None]:
    """Settings under which figures are measured and drawn (:data:`RC`): only RC's keys are
    set and then restored (``mpl.rc_context`` copies and re-validates every setting, which
    costs more than the text it measures); nothing is done when they already hold."""
    saved = {key: mpl.rcParams[key] for key in RC}
    if saved == RC:
        yield
        return
    mpl.rcParams.update(RC)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


@lru_cache(maxsize=1)
def measuring_renderer() -> RendererAgg:
    """A 1x1 px Agg renderer at :data:`DPI`, to measure text (one per process)."""
    return RendererAgg(1, 1, DPI)


@lru_cache(maxsize=4096)
def text_size(text: str, size: float = TICK, weight: str = "normal") -> tuple[float, float]:
    """Width and height (inches) of ``text`` (lines split at newlines) in the default font,
    with 3 % to spare (hinted and unhinted widths differ by a pixel or so)."""
    prop = FontProperties(size=size, weight=weight)
    lines = text.split("\n")
    with drawing():
        widths = [
            measuring_renderer().get_text_width_height_descent(line or " ", prop, ismath=False)[0]
            for line in lines
        ]
    return 1.03 * max(widths) / DPI, len(lines) * size * 1.2 / 72


def hbars(
    ax: Axes,
    ys: np.ndarray,
    lefts: np.ndarray,
    widths: np.ndarray,
    *,
    height: float,
    colors: Sequence[str] | str,
    hatched: Sequence[bool] | None = None,
    gid: str | None = None,
) -> list[Rectangle]:
    """Horizontal bars as plain rectangles (limits are set by the chart, so no data-limit
    update per bar as ``barh`` does); hatched bars get a black edge."""
    bars = []
    for i, (y, x, w) in enumerate(zip(ys, lefts, widths, strict=True)):
        hatch = bool(hatched[i]) if hatched is not None else False
        bar = Rectangle(
            (x, y - height / 2),
            w,
            height,
            facecolor=colors if isinstance(colors, str) else colors[i],
            edgecolor=COLORS["black"] if hatch else "none",
            linewidth=0.8 if hatch else 0,
            hatch="//" if hatch else None,
            gid=gid,
        )
        ax.add_artist(bar)
        bars.append(bar)
    return bars


def value_bars(
    ax: Axes,
    ys: np.ndarray,
    values: np.ndarray,
    colors: Sequence[str],
    *,
    hatched: np.ndarray | None = None,
) -> list[Rectangle]:
    """One bar from zero to each known value (a missing one leaves a gap), as :func:`hbars`;
    ``colors`` and ``hatched`` have one entry per value."""
    known = ~np.isnan(values)
    return hbars(
        ax,
        ys[known],
        np.zeros(int(known.sum())),
        values[known],
        height=0.7,
        colors=[c for c, k in zip(colors, known, strict=True) if k],
        hatched=None if hatched is None else hatched[known],
    )


def wrap(text: str, width: int = 34) -> str:
    """``text`` broken into lines of at most ``width`` characters (long names of rows)."""
    return "\n".join(textwrap.wrap(text, width)) or text


def describe(fig: Figure, text: str) -> Figure:
    """Attach ``text`` as the figure's text alternative (``alt`` of the report's image)."""
    fig.alt_text = " ".join(text.split())  # type: ignore[attr-defined]
    return fig


def alt_text(fig: Figure) -> str | None:
    """The text alternative attached with :func:`describe`, if any."""
    return getattr(fig, "alt_text", None)


def listing(items: Sequence[str], limit: int = 12) -> str:
    """``items`` joined with semicolons; past ``limit``, "and N more"."""
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def floats(df: pd.DataFrame, column: str) -> np.ndarray:
    """Column as float64 with NaN for missing (works for numpy and nullable dtypes)."""
    if column not in df.columns:
        return np.full(len(df), np.nan)
    values = pd.to_numeric(df[column], errors="coerce")
    return values.to_numpy(dtype="float64", na_value=np.nan)


def flags(df: pd.DataFrame, column: str) -> np.ndarray:
    """Boolean flag column (``is_topcoded_<measure>``); all false when absent."""
    if column not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df[column].astype("boolean").fillna(False).to_numpy(dtype=bool)


def text_labels(df: pd.DataFrame, column: str) -> list[str]:
    """``column`` as text, missing values as empty strings."""
    return ["" if pd.isna(v) else str(v) for v in df[column]]


def measure_name(measure: str) -> str:
    """Measure label without its unit, for titles: "median annual wage"."""
    label = MEASURE_LABELS.get(measure, measure.replace("_", " "))
    label = label.removesuffix(" (USD)").removesuffix(" (jobs)")
    return label[0].lower() + label[1:]


def number_text(measure: str) -> Callable[[float], str]:
    """Tick text of ``measure``: dollars (cents for hourly wages), else plain numbers."""
    if measure.startswith("hourly"):
        return lambda v: f"${v:,.2f}"
    if measure.startswith("annual"):
        return lambda v: f"${v:,.0f}"
    return lambda v: f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}".rstrip("0")


def style(ax: Axes) -> None:
    """Light frame: no top and right spines, the palette as the colour cycle."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_prop_cycle(color=CYCLE)
    ax.tick_params(labelsize=TICK)

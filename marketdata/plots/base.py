"""What every chart shares: the figure (Agg canvas), column readers that keep gaps and top
codes, axis labels of the OEWS measures, and the footnotes under the axes."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

PERCENTILES: tuple[str, ...] = ("p10", "p25", "median", "p75", "p90")

#: Okabe & Ito (2008), "Color Universal Design": told apart with protan, deutan and tritan
#: vision; every chart takes its colours from here (maps use viridis/cividis, also safe).
PALETTE: dict[str, str] = {
    "blue": "#0072B2",
    "sky_blue": "#56B4E9",
    "dark_blue": "#003A5D",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "yellow": "#F0E442",
    "purple": "#CC79A7",
}


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


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches on its own Agg canvas (no pyplot)."""
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


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


def add_notes(fig: Figure, notes: Sequence[str]) -> None:
    """Footnotes under the axes (missing values, top codes, estimates)."""
    unique = list(dict.fromkeys(n for n in notes if n))
    if unique:
        fig.text(0.01, 0.0, "\n".join(unique), ha="left", va="bottom", fontsize=8, color="0.3")
        fig.get_layout_engine().set(
            rect=(0, 0.03 * (len(unique) + 1), 1, 1 - 0.03 * (len(unique) + 1))
        )


def money_axis(ax, measure: str, axis: str = "x") -> None:
    """Dollar tick labels on the ``axis`` of a wage measure (cents for hourly wages)."""
    fmt = (
        (lambda v, _: f"${v:,.2f}") if measure.startswith("hourly") else (lambda v, _: f"${v:,.0f}")
    )
    if measure.startswith(("hourly", "annual")):
        target = ax.xaxis if axis == "x" else ax.yaxis
        target.set_major_formatter(fmt)

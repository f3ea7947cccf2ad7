"""A pay-band chart that stays readable for a few or 70 occupations.

Rows are sorted by median; the wage axis is logarithmic, so a $40,000-$60,000 band is as
wide as a $200,000-$300,000 one and every band stays visible next to a surgeon's; each row's
median is written in a column of its own at the right, so value labels never overlap.
Colours: :data:`marketdata.plots.base.PALETTE` (Okabe-Ito).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FixedLocator, NullFormatter

from marketdata.formatting import format_value
from marketdata.plots import base

ROW_INCHES = 0.26
_TICKS = (10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 300_000, 500_000, 1_000_000)


def sorted_rows(df: pd.DataFrame, *, label: str = "occupation_title") -> pd.DataFrame:
    """Rows by median annual wage, highest first; rows without a median last, by name."""
    median = pd.to_numeric(df["annual_median"], errors="coerce")
    order = df.assign(_m=median).sort_values(
        ["_m", label], ascending=[False, True], na_position="last"
    )
    return order.drop(columns="_m").reset_index(drop=True)


def pay_band_chart(
    df: pd.DataFrame,
    *,
    label: str = "occupation_title",
    reference: str | None = "national_annual_median",
    reference_label: str = "U.S. median",
    title: str = "Annual pay, 10th to 90th percentile",
) -> Figure:
    """One row per occupation: 10th-90th percentile line, 25th-75th box, median diamond,
    the ``reference`` (national median) as an open circle; median written at the right.

    Top-coded values are hatched and written ``≥ $239,200``; rows BLS did not publish say so.
    """
    rows = sorted_rows(df, label=label)
    columns = [f"annual_{p}" for p in base.PERCENTILES]
    values = np.column_stack([base.floats(rows, c) for c in columns])
    tops = np.column_stack([base.flags(rows, f"is_topcoded_{c}") for c in columns])
    marks = base.floats(rows, reference) if reference else np.full(len(rows), np.nan)
    n = len(rows)
    fig = base.new_figure(9, 1.6 + ROW_INCHES * max(n, 3))
    ax = fig.add_subplot()
    known = values[~np.isnan(values)]
    if not np.isnan(marks).all():
        known = np.concatenate([known, marks[~np.isnan(marks)]])
    low = known.min() / 1.15 if len(known) else 20_000
    high = known.max() * 1.15 if len(known) else 200_000
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ticks = [t for t in _TICKS if low <= t <= high] or [low, high]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(lambda v, _: f"${v / 1000:,.0f}k")
    ax.xaxis.set_minor_formatter(NullFormatter())
    gaps = bounds = False
    for i in range(n):
        y = n - 1 - i
        row, top = values[i], tops[i]
        if np.isnan(row).all():
            gaps = True
            ax.text(low * 1.05, y, "not published by BLS", va="center", fontsize=7, color="0.35")
            _right_label(ax, y, "—")
            continue
        lo, hi = np.nanmin(row), np.nanmax(row)
        ax.plot([lo, hi], [y, y], color="0.3", linewidth=1.2, zorder=1)
        if not (np.isnan(row[1]) or np.isnan(row[3])):
            ax.add_patch(
                Rectangle(
                    (row[1], y - 0.32),
                    row[3] - row[1],
                    0.64,
                    facecolor=base.PALETTE["sky_blue"],
                    edgecolor=base.PALETTE["blue"],
                    hatch="///" if top[3] else None,
                    zorder=2,
                )
            )
        for j in (0, 4):
            if not np.isnan(row[j]):
                ax.plot(row[j], y, marker="|", color="0.15", markersize=7, zorder=3)
        if not np.isnan(row[2]):
            ax.plot(row[2], y, marker="D", color=base.PALETTE["vermillion"], markersize=5, zorder=4)
        bounds |= bool(top.any())
        gaps |= bool(np.isnan(row).any())
        median = row[2]
        _right_label(
            ax,
            y,
            "—"
            if np.isnan(median)
            else format_value(median, "annual_median", topcoded=bool(top[2])),
        )
    if reference and not np.isnan(marks).all():
        ys = np.arange(n)[::-1]
        ax.plot(
            marks,
            ys,
            "o",
            markerfacecolor="none",
            markeredgecolor=base.PALETTE["orange"],
            markeredgewidth=1.6,
            markersize=6,
            linestyle="none",
            label=reference_label,
            zorder=5,
        )
    names = [str(v) for v in rows[label]]
    ax.set_yticks(range(n), list(reversed(names)), fontsize=8)
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="x", which="major", alpha=0.3)
    ax.set_xlabel(
        "Annual wage (USD, log scale): 10th-90th percentile line, 25th-75th box, median ◆"
    )
    ax.text(
        1.01,
        1.0,
        "Median",
        transform=ax.transAxes,
        ha="left",
        va="bottom",
        fontsize=8,
        weight="bold",
    )
    ax.set_title(title)
    notes = []
    if reference and not np.isnan(marks).all():
        fig.legend(loc="outside upper right", fontsize=8, frameon=False)
    if bounds:
        notes.append("Hatched, ≥: at or above BLS's top code; the true value is higher.")
    if gaps:
        notes.append("Missing marks: not released by BLS (suppressed or not published).")
    if notes:
        fig.supxlabel("\n".join(notes), fontsize=7, color="0.3", ha="left", x=0.01)
    return fig


def _right_label(ax, y: float, text: str) -> None:
    """The row's value in the column right of the axes (one row apart: never overlapping)."""
    ax.text(1.01, y, text, transform=ax.get_yaxis_transform(), ha="left", va="center", fontsize=8)


def pay_band_alt(df: pd.DataFrame, *, area_name: str, label: str = "occupation_title") -> str:
    """A text alternative of :func:`pay_band_chart`: what it shows and its extremes."""
    rows = sorted_rows(df, label=label)
    paid = rows[pd.to_numeric(rows["annual_median"], errors="coerce").notna()]
    text = f"Chart of annual pay bands of {len(rows)} occupations in {area_name}, sorted by median."
    if len(paid) >= 2:
        top, bottom = paid.iloc[0], paid.iloc[-1]
        text += (
            f" Highest median: {top[label]} ({_money(top)}); lowest: {bottom[label]} "
            f"({_money(bottom)}). The table below lists every figure."
        )
    return text


def _money(row: pd.Series) -> str:
    return format_value(
        float(row["annual_median"]),
        "annual_median",
        topcoded=bool(row.get("is_topcoded_annual_median", False)),
    )


def label_boxes(fig: Figure) -> Sequence[tuple[float, float, float, float]]:
    """Pixel boxes of the figure's value labels (the right-hand column), for checks."""
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        for text in ax.texts:
            if text.get_position()[0] == 1.01 and text.get_text() != "Median":
                box = text.get_window_extent(renderer)
                boxes.append((box.x0, box.y0, box.x1, box.y1))
    return boxes

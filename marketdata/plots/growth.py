"""Growth and change: a measure over past releases, projected growth with openings, and
projected growth against pay."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from marketdata.formatting import format_value
from marketdata.plots import base
from marketdata.schema import validate


def history(
    df: pd.DataFrame,
    *,
    measure: str = "annual_median",
    x: str = "year",
    group: str | None = None,
    comparable: str = "is_comparable",
    title: str | None = None,
) -> Figure:
    """Line chart of ``measure`` over releases, one line per ``group`` value (or one line).

    Top-coded points are open triangles at the bound; rows whose ``comparable`` column is
    False (e.g. before an SOC revision) are hollow circles, and the figure says why; missing
    releases are gaps in the line, not interpolated.
    """
    validate(df, [x, measure], table="history")
    fig = base.new_figure(8, 4.5)
    ax = fig.add_subplot()
    notes: list[str] = []
    groups = (
        df.groupby(group, sort=False, dropna=False)
        if group and group in df.columns
        else [(None, df)]
    )
    for key, part in groups:
        part = part.sort_values(x)
        xs, ys = part[x].to_numpy(), base.floats(part, measure)
        tops = base.flags(part, f"is_topcoded_{measure}")
        line = ax.plot(
            xs, np.where(tops, np.nan, ys), marker="o", label=None if key is None else str(key)
        )[0]
        if comparable in part.columns:
            apart = ~part[comparable].astype("boolean").fillna(True).to_numpy(dtype=bool)
            if apart.any():
                ax.plot(
                    xs[apart],
                    ys[apart],
                    marker="o",
                    markersize=9,
                    linestyle="none",
                    markerfacecolor="white",
                    color=line.get_color(),
                )
                notes.append(base.NOT_COMPARABLE_NOTE)
        if tops.any():
            ax.plot(
                xs[tops],
                ys[tops],
                marker="^",
                linestyle="none",
                markerfacecolor="none",
                color=line.get_color(),
            )
            notes.append(base.BOUND_NOTE)
        if np.isnan(ys).any():
            notes.append(base.GAP_NOTE)
    ax.set_xlabel(x.replace("_", " ").capitalize())
    ax.set_ylabel(base.MEASURE_LABELS.get(measure, measure.replace("_", " ")))
    base.money_axis(ax, measure, axis="y")
    ax.grid(alpha=0.3)
    if group and group in df.columns and df[group].nunique() > 1:
        ax.legend(fontsize=8)
    ax.set_title(title or f"{base.measure_name(measure).capitalize()} over time")
    base.add_notes(fig, notes)
    return fig


def growth_openings(
    df: pd.DataFrame,
    *,
    label: str = "occupation_title",
    growth: str = "percent_change",
    openings: str = "openings_annual",
    average: float | None = None,
    title: str | None = None,
) -> Figure:
    """Projected employment change (percent) and annual openings side by side, one row each.

    ``average``: the all-occupations percent change, drawn as a reference line.
    """
    validate(df, [label, growth, openings], table="projections")
    names = base.text_labels(df, label)
    change, opens = base.floats(df, growth), base.floats(df, openings)
    fig = base.new_figure(10, 1.4 + 0.4 * max(len(df), 1))
    left, right = fig.subplots(1, 2, sharey=True)
    ys = np.arange(len(df))[::-1]
    notes: list[str] = []
    for ax, values, measure in ((left, change, "percent_change"), (right, opens, "openings")):
        finite = values[~np.isnan(values)]
        span = float(np.abs(finite).max()) if finite.size else 1.0
        for y, v in zip(ys, values, strict=True):
            if np.isnan(v):
                ax.text(0, y, " n/a", va="center", fontsize=8, color="0.4")
                notes.append("n/a: not published in the projections.")
                continue
            color = base.PALETTE["blue"] if v >= 0 else base.PALETTE["vermillion"]
            ax.barh(y, v, color=color if measure == "percent_change" else base.PALETTE["blue"])
            ax.text(
                v + (span * 0.02 if v >= 0 else -span * 0.02),
                y,
                format_value(v, measure),
                va="center",
                ha="left" if v >= 0 else "right",
                fontsize=8,
            )
        low = min(0.0, float(finite.min()) * 1.3) if finite.size else 0.0
        ax.set_xlim(low, span * 1.3)
        ax.axvline(0, color="0.3", linewidth=0.8)
        ax.grid(axis="x", alpha=0.3)
    if average is not None:
        left.axvline(
            average,
            color="0.4",
            linestyle="--",
            linewidth=1,
            label=f"All occupations {format_value(average, 'percent_change')}",
        )
        left.legend(fontsize=8, loc="lower right")
    left.set_yticks(ys, names)
    left.set_xlabel("Projected employment change (percent)")
    left.set_ylabel(label.replace("_", " ").capitalize())
    right.set_xlabel("Openings per year (projected average)")
    right.xaxis.set_major_formatter(lambda v, _: f"{v:,.0f}")
    fig.suptitle(title or "Projected growth and openings")
    base.add_notes(fig, notes)
    return fig


def growth_vs_pay(
    df: pd.DataFrame,
    *,
    x: str = "percent_change",
    y: str = "annual_median",
    size: str | None = "openings_annual",
    label: str = "occupation_title",
    annotate: int = 8,
    title: str | None = None,
) -> Figure:
    """Scatter of projected growth against pay, one point per occupation.

    Point area follows ``size`` (e.g. annual openings); the ``annotate`` points with the most
    openings (or the highest pay when there is no size) are named. Top-coded pay is an open
    triangle at the bound; rows missing either value are left out and counted in a note.
    """
    validate(df, [x, y, label], table="growth and pay")
    xs, ys = base.floats(df, x), base.floats(df, y)
    tops = base.flags(df, f"is_topcoded_{y}")
    sizes = base.floats(df, size) if size else np.full(len(df), np.nan)
    names = base.text_labels(df, label)
    known = ~(np.isnan(xs) | np.isnan(ys))
    fig = base.new_figure(8.5, 6)
    ax = fig.add_subplot()
    notes: list[str] = []
    finite = sizes[known & ~np.isnan(sizes)]
    scale = 600 / finite.max() if finite.size and finite.max() > 0 else 0.0
    area = np.where(np.isnan(sizes), 30, 15 + sizes * scale)
    plain, bound = known & ~tops, known & tops
    ax.scatter(
        xs[plain],
        ys[plain],
        s=area[plain],
        alpha=0.6,
        color=base.PALETTE["blue"],
        edgecolor="white",
    )
    if bound.any():
        ax.scatter(
            xs[bound],
            ys[bound],
            s=60,
            marker="^",
            facecolor="none",
            edgecolor=base.PALETTE["vermillion"],
            label="pay at or above BLS's top code",
        )
        ax.legend(fontsize=8)
        notes.append(base.BOUND_NOTE)
    order = np.argsort(-(np.nan_to_num(sizes, nan=-1) if size else np.nan_to_num(ys, nan=-1)))
    for i in [i for i in order if known[i]][:annotate]:
        ax.annotate(names[i], (xs[i], ys[i]), fontsize=7, xytext=(4, 4), textcoords="offset points")
    if (~known).any():
        notes.append(
            f"{int((~known).sum())} occupation(s) without published growth or pay are not shown."
        )
    ax.axvline(0, color="0.5", linewidth=0.8)
    ax.set_xlabel("Projected employment change (percent)")
    ax.set_ylabel(base.MEASURE_LABELS.get(y, y.replace("_", " ")))
    base.money_axis(ax, y, axis="y")
    ax.grid(alpha=0.3)
    ax.set_title(title or "Growth and pay" + (" (point size: openings per year)" if size else ""))
    base.add_notes(fig, notes)
    return fig

"""Growth and change: a measure over past releases, projected growth with openings, and
projected growth against pay."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from marketdata.core.formatting import format_value
from marketdata.core.schema import plain, validate
from marketdata.plots import base, leaders
from marketdata.plots import label_layout as layout

#: Height (inches) of one row of :func:`growth_openings`.
ROW = 0.3


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
    df = plain(df)
    fig = base.new_figure()
    ax = fig.add_subplot()
    base.style(ax)
    notes: list[str] = []
    groups = (
        df.groupby(group, sort=False, dropna=False)
        if group and group in df.columns
        else [(None, df)]
    )
    parts: list[str] = []
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
        said = ", ".join(
            f"{xv} {format_value(yv, measure, topcoded=bool(t))}"
            for xv, yv, t in zip(xs, ys, tops, strict=True)
        )
        parts.append(f"{key}: {said}" if key is not None else said)
    ax.set_xlabel(x.replace("_", " ").capitalize(), fontsize=base.LABEL)
    ax.set_ylabel(base.MEASURE_LABELS.get(measure, measure.replace("_", " ")), fontsize=base.LABEL)
    ax.set_xlim(ax.get_xlim())  # autoscaled from the data, then fixed for the ticks
    ax.set_ylim(ax.get_ylim())
    layout.ticks(ax, "y", base.number_text(measure))
    layout.ticks(ax, "x", lambda v: f"{v:.0f}", count=8, integer=True)
    legend = None
    if group and group in df.columns and df[group].nunique() > 1:
        legend = ax.get_legend_handles_labels()
    heading = title or f"{base.measure_name(measure).capitalize()} over time"
    layout.finish(
        fig,
        [ax],
        left=1.25,
        plot_height=3.2,
        title=heading,
        notes=notes,
        legend=legend,
    )
    return base.describe(fig, f"Line chart: {heading}. {base.listing(parts)}.")


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
    df = plain(df)
    full = base.text_labels(df, label)
    names = [base.wrap(n, 28) for n in full]
    change, opens = base.floats(df, growth), base.floats(df, openings)
    margin = layout.label_margin(names)
    each = layout.axes_width(margin, count=2)
    fig = base.new_figure()
    left, right = fig.subplots(1, 2)
    n = max(len(df), 1)
    ys = np.arange(len(df))[::-1].astype(float)
    notes: list[str] = []
    panels = ((left, change, "percent_change"), (right, opens, "openings"))
    for ax, values, measure in panels:
        base.style(ax)
        texts = ["n/a" if np.isnan(v) else format_value(v, measure) for v in values]
        widths = np.array([base.text_size(t, base.VALUE)[0] + 0.1 for t in texts])
        ends = np.nan_to_num(values, nan=0.0)
        lo, hi = layout.room(
            np.minimum(ends, 0.0),
            np.maximum(ends, 0.0),
            np.where(ends < 0, widths, 0.0),
            np.where(ends >= 0, widths, 0.0),
            each,
        )
        if measure == "percent_change" and average is not None:
            lo, hi = min(lo, average), max(hi, average)
        known = ~np.isnan(values)
        if measure == "percent_change":
            colors = [base.COLORS["green"] if v >= 0 else base.COLORS["vermillion"] for v in values]
        else:
            colors = [base.COLORS["blue"]] * len(values)
        base.value_bars(ax, ys, values, colors)
        colors = ["black" if k else base.COLORS["grey"] for k in known]
        for side, ha, dx in ((ends >= 0, "left", 4), (ends < 0, "right", -4)):
            layout.Labels(
                ax,
                ends,
                ys,
                [t if s else "" for t, s in zip(texts, side, strict=True)],
                ha=ha,
                offset=(dx, 0),
                colors=colors,
                gid="value-label",
            )
        if (~known).any():
            notes.append("n/a: not published in the projections.")
        ax.set_xlim(lo, hi)
        ax.set_ylim(-0.6, n - 0.4)
        ax.set_yticks([])
        ax.axvline(0, color="0.3", linewidth=0.8)
        layout.ticks(
            ax,
            "x",
            (lambda v: f"{v:g}") if measure == "percent_change" else (lambda v: f"{v:,.0f}"),
            count=4,
        )
    legend = None
    if average is not None:
        line = left.axvline(average, color=base.COLORS["black"], linestyle="--", linewidth=1)
        legend = ([line], [f"All occupations {format_value(average, 'percent_change')}"])
    layout.row_labels(left, ys, names)
    left.set_xlabel("Projected employment change (percent)", fontsize=base.LABEL)
    right.set_xlabel("Openings per year (projected average)", fontsize=base.LABEL)
    heading = title or "Projected growth and openings"
    layout.finish(
        fig,
        [left, right],
        left=margin,
        plot_height=(n + 0.1) * layout.row_height(names, ROW),
        title=heading,
        notes=notes,
        legend=legend,
    )
    parts = [
        f"{name}: change {format_value(c, 'percent_change')}, "
        f"{format_value(o, 'openings')} openings a year"
        for name, c, o in zip(full, change, opens, strict=True)
    ]
    return base.describe(fig, f"Bar charts: {heading}. {base.listing(parts)}.")


def growth_vs_pay(
    df: pd.DataFrame,
    *,
    x: str = "percent_change",
    y: str = "annual_median",
    size: str | None = "openings_annual",
    label: str = "occupation_title",
    highlight: Sequence[str] = (),
    annotate: int = 2,
    title: str | None = None,
) -> Figure:
    """Scatter of projected growth against pay, one point per occupation.

    Point area follows ``size`` (e.g. annual openings). Named, with leader lines and never
    over a point or another name (:func:`marketdata.plots.leaders.name_points`): the
    occupations in ``highlight`` (codes or titles; drawn in orange, always tried first), then
    ``annotate`` more: those a summary talks about, the most openings (or the highest pay
    when there is no size) and the fastest growth, then more by openings. Top-coded pay is
    an open triangle at the bound; rows missing either value are left out and counted in a
    note.
    """
    validate(df, [x, y, label], table="growth and pay")
    df = plain(df)
    xs, ys = base.floats(df, x), base.floats(df, y)
    tops = base.flags(df, f"is_topcoded_{y}")
    sizes = base.floats(df, size) if size else np.full(len(df), np.nan)
    names = base.text_labels(df, label)
    known = ~(np.isnan(xs) | np.isnan(ys))
    fig = base.new_figure()
    ax = fig.add_subplot()
    base.style(ax)
    notes: list[str] = []
    finite = sizes[known & ~np.isnan(sizes)]
    scale = 600 / finite.max() if finite.size and finite.max() > 0 else 0.0
    area = np.where(np.isnan(sizes), 30, 15 + sizes * scale)
    codes = base.text_labels(df, "occupation_code") if "occupation_code" in df.columns else names
    marked = np.array([c in highlight or n in highlight for c, n in zip(codes, names, strict=True)])
    exact, bound = known & ~tops, known & tops
    ax.scatter(
        xs[exact], ys[exact], s=area[exact], alpha=0.6, color=base.COLORS["blue"], edgecolor="white"
    )
    if (marked & exact).any():  # drawn again on top, in a colour of its own
        ax.scatter(
            xs[marked & exact],
            ys[marked & exact],
            s=area[marked & exact],
            color=base.COLORS["orange"],
            edgecolor=base.COLORS["black"],
            zorder=3,
        )
    legend = None
    if bound.any():
        ax.scatter(
            xs[bound],
            ys[bound],
            s=60,
            marker="^",
            facecolor="none",
            edgecolor=base.COLORS["vermillion"],
        )
        sample = Line2D(
            [],
            [],
            marker="^",
            linestyle="none",
            markerfacecolor="none",
            markeredgecolor=base.COLORS["vermillion"],
            markersize=7,
        )
        legend = ([sample], ["pay at or above BLS's top code"])
        notes.append(base.BOUND_NOTE)
    if (~known).any():
        notes.append(
            f"{int((~known).sum())} occupation(s) without published growth or pay are not shown."
        )
    ax.axvline(0, color="0.5", linewidth=0.8)
    ax.set_xlabel("Projected employment change (percent)", fontsize=base.LABEL)
    ax.set_ylabel(base.MEASURE_LABELS.get(y, y.replace("_", " ")), fontsize=base.LABEL)
    ax.margins(0.12)
    ax.set_xlim(ax.get_xlim())  # autoscaled from the data, then fixed for the ticks
    ax.set_ylim(ax.get_ylim())
    layout.ticks(ax, "x", lambda v: f"{v:g}", count=6)
    layout.ticks(ax, "y", base.number_text(y), count=6)
    heading = title or "Growth and pay" + (" (point size: openings per year)" if size else "")
    layout.finish(fig, [ax], left=1.1, plot_height=4.2, title=heading, notes=notes, legend=legend)
    order = np.argsort(-(np.nan_to_num(sizes, nan=-1) if size else np.nan_to_num(ys, nan=-1)))
    fastest = np.argsort(-np.nan_to_num(xs, nan=-np.inf), kind="stable")[:1]
    wanted = [i for i in (*np.flatnonzero(marked), *order[:1], *fastest, *order) if known[i]]
    chosen = list(dict.fromkeys(wanted))[: annotate + int(marked.sum())]
    radii = np.where(bound, np.sqrt(60) / 2, np.sqrt(area) / 2)
    named = len(leaders.name_points(ax, xs, ys, radii, chosen, names))
    shown = [
        f"{names[i]}: {format_value(xs[i], 'percent_change')}, "
        f"{format_value(ys[i], y, topcoded=bool(tops[i]))}"
        for i in order
        if known[i]
    ]
    return base.describe(
        fig,
        f"Scatter chart: {heading}; {int(known.sum())} occupations, {named} named. "
        f"{base.listing(shown, 10)}.",
    )

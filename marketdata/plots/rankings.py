"""Rankings: horizontal bars of one measure (areas side by side, top metros, industries)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from marketdata.core.formatting import format_value
from marketdata.core.schema import plain, validate
from marketdata.plots import base
from marketdata.plots import label_layout as layout

#: Height (inches) of one bar.
ROW = 0.3


def bars(
    df: pd.DataFrame,
    *,
    measure: str,
    label: str,
    title: str,
    n: int | None = None,
    sort: bool = True,
    highlight: str | None = None,
) -> Figure:
    """Horizontal bars of ``measure`` per row; top-coded bars hatched and labelled ``≥``.

    ``n`` keeps the largest rows (after sorting). ``highlight`` names one label drawn in
    another colour. Missing values leave a gap labelled "not released".
    """
    validate(df, [label, measure], table="chart")
    df = plain(df)
    data = df.assign(_v=base.floats(df, measure), _top=base.flags(df, f"is_topcoded_{measure}"))
    if sort:
        data = data.sort_values(
            ["_v", label], ascending=[False, True], na_position="last", kind="stable"
        )
    if n is not None:
        data = data.head(n)
    values, tops = data["_v"].to_numpy(dtype=float), data["_top"].to_numpy(dtype=bool)
    full = base.text_labels(data, label)
    names = [base.wrap(s, 40) for s in full]
    texts = [
        "not released" if np.isnan(v) else format_value(v, measure, topcoded=bool(t))
        for v, t in zip(values, tops, strict=True)
    ]
    margin = layout.label_margin(names)
    widths = np.array([base.text_size(t, base.VALUE)[0] + 0.12 for t in texts])
    finite = values[~np.isnan(values)]
    top_value = float(finite.max()) if finite.size else 1.0
    ends = np.where(np.isnan(values), 0.0, np.maximum(values, 0.0))
    _, right = layout.room(
        np.zeros(len(data)), ends, np.zeros(len(data)), widths, layout.axes_width(margin)
    )
    fig = base.new_figure()
    ax = fig.add_subplot()
    base.style(ax)
    ys = np.arange(len(data))[::-1].astype(float)
    notes: list[str] = []
    known = ~np.isnan(values)
    colors = [
        base.COLORS["orange"]
        if highlight is not None and name == highlight
        else base.COLORS["blue"]
        for name in full
    ]
    base.value_bars(ax, ys, values, colors, hatched=tops)
    if tops[known].any():
        notes.append(base.BOUND_NOTE)
    if (~known).any():
        notes.append(base.GAP_NOTE)
    layout.Labels(
        ax,
        ends,
        ys,
        texts,
        offset=(4, 0),
        colors=["black" if k else base.COLORS["grey"] for k in known],
        gid="value-label",
    )
    layout.row_labels(ax, ys, names)
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.set_xlim(0, max(right, top_value * 1.02))
    ax.set_xlabel(base.MEASURE_LABELS.get(measure, measure.replace("_", " ")), fontsize=base.LABEL)
    layout.ticks(ax, "x", base.number_text(measure))
    layout.finish(
        fig,
        [ax],
        left=margin,
        plot_height=(len(data) + 0.1) * layout.row_height(names, ROW),
        title=title,
        notes=notes,
    )
    parts = [f"{name}: {text}" for name, text in zip(full, texts, strict=True)]
    return base.describe(fig, f"Bar chart: {title}. {base.listing(parts)}.")


def area_comparison(
    df: pd.DataFrame,
    *,
    measure: str = "annual_median",
    label: str = "area_name",
    title: str | None = None,
) -> Figure:
    """One bar per area in the given order (e.g. area, its state, the nation)."""
    return bars(
        df,
        measure=measure,
        label=label,
        sort=False,
        title=title or f"{base.measure_name(measure).capitalize()} by area",
    )


def top_metros(
    df: pd.DataFrame, *, measure: str = "annual_median", n: int = 10, title: str | None = None
) -> Figure:
    """The ``n`` metro or nonmetro areas with the highest ``measure``."""
    return bars(
        df,
        measure=measure,
        label="area_name",
        n=n,
        title=title or f"Top {n} areas by {base.measure_name(measure)}",
    )


def industries(
    df: pd.DataFrame, *, measure: str = "employment", n: int = 10, title: str | None = None
) -> Figure:
    """The ``n`` industries with the highest ``measure`` for one occupation."""
    return bars(
        df,
        measure=measure,
        label="industry_title",
        n=n,
        title=title or f"Industries by {base.measure_name(measure)}",
    )

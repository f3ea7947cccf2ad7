"""Rankings: horizontal bars of one measure (areas side by side, top metros, industries)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from marketdata.formatting import format_value
from marketdata.plots import base
from marketdata.schema import validate


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
    data = df.assign(_v=base.floats(df, measure), _top=base.flags(df, f"is_topcoded_{measure}"))
    if sort:
        data = data.sort_values(
            ["_v", label], ascending=[False, True], na_position="last", kind="stable"
        )
    if n is not None:
        data = data.head(n)
    values, tops = data["_v"].to_numpy(), data["_top"].to_numpy()
    names = base.text_labels(data, label)
    fig = base.new_figure(8, 1.2 + 0.38 * max(len(data), 1))
    ax = fig.add_subplot()
    ys = np.arange(len(data))[::-1]
    notes: list[str] = []
    finite = values[~np.isnan(values)]
    span = float(finite.max()) if finite.size else 1.0
    for y, v, top, name in zip(ys, values, tops, names, strict=True):
        if np.isnan(v):
            ax.text(0, y, " not released", va="center", fontsize=8, color="0.4")
            notes.append(base.GAP_NOTE)
            continue
        color = (
            base.PALETTE["orange"]
            if highlight is not None and name == highlight
            else base.PALETTE["blue"]
        )
        ax.barh(
            y,
            v,
            color=color,
            hatch="//" if top else None,
            edgecolor="white" if not top else "black",
        )
        ax.text(
            v + span * 0.01,
            y,
            format_value(v, measure, topcoded=bool(top)),
            va="center",
            fontsize=8,
        )
        if top:
            notes.append(base.BOUND_NOTE)
    ax.set_yticks(ys, names)
    ax.set_xlim(0, span * 1.18)
    ax.set_xlabel(base.MEASURE_LABELS.get(measure, measure.replace("_", " ")))
    ax.set_ylabel(label.replace("_", " ").capitalize())
    base.money_axis(ax, measure)
    ax.set_title(title)
    base.add_notes(fig, notes)
    return fig


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

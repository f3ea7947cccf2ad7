"""Pay distributions: percentile ranges of wages by area or occupation, and pay bands by
experience level and credential (estimates labelled as such)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from marketdata.formatting import format_value
from marketdata.plots import base
from marketdata.schema import validate


def wage_distribution(
    df: pd.DataFrame,
    *,
    basis: str = "annual",
    label: str = "area_name",
    reference: str | None = None,
    reference_label: str = "U.S. median",
    title: str | None = None,
) -> Figure:
    """Wage percentiles (10th to 90th) as one band per row of ``df``.

    Parameters
    ----------
    df
        Tidy OEWS rows (one per area or occupation) with ``<basis>_p10`` ... ``<basis>_p90``.
    basis
        ``"annual"`` or ``"hourly"``.
    label
        Column naming each row on the y axis.
    reference
        Optional column of a value to mark on each row (e.g. the national median), drawn as
        an open circle and named ``reference_label`` in the legend.
    """
    columns = [f"{basis}_{p}" for p in base.PERCENTILES]
    validate(df, [label, *columns], table="OEWS")
    values = np.column_stack([base.floats(df, c) for c in columns])
    bounds = np.column_stack([base.flags(df, f"is_topcoded_{c}") for c in columns])
    names = base.text_labels(df, label)
    fig = base.new_figure(8, 1.2 + 0.7 * len(df))
    ax = fig.add_subplot()
    notes: list[str] = []
    for i, (row, top) in enumerate(zip(values, bounds, strict=True)):
        y = len(df) - 1 - i
        known = ~np.isnan(row)
        if not known.any():
            ax.text(
                0.5,
                y,
                "wages not released",
                transform=ax.get_yaxis_transform(),
                ha="center",
                va="center",
                color="0.4",
            )
            notes.append(base.GAP_NOTE)
            continue
        lo, hi = np.nanmin(row), np.nanmax(row)
        labelled: set[float] = set()
        ax.plot([lo, hi], [y, y], color="0.35", linewidth=1.5, zorder=1)
        if not (np.isnan(row[1]) or np.isnan(row[3])):
            ax.add_patch(
                Rectangle(
                    (row[1], y - 0.2),
                    row[3] - row[1],
                    0.4,
                    facecolor=base.PALETTE["blue"],
                    edgecolor=base.PALETTE["dark_blue"],
                    hatch="//" if top[3] else None,
                    zorder=2,
                )
            )
        for j, pct in enumerate(base.PERCENTILES):
            if np.isnan(row[j]):
                notes.append(base.GAP_NOTE)
                continue
            marker = "D" if pct == "median" else "|"
            ax.plot(
                row[j],
                y,
                marker=marker,
                color=base.PALETTE["vermillion"] if pct == "median" else "black",
                markersize=8 if pct == "median" else 12,
                zorder=3,
            )
            if top[j]:
                ax.annotate(
                    "",
                    xy=(row[j] * 1.06, y),
                    xytext=(row[j], y),
                    arrowprops={"arrowstyle": "->", "color": "black"},
                )
                notes.append(base.BOUND_NOTE)
            if (pct in ("p10", "median", "p90") or top[j]) and row[j] not in labelled:
                labelled.add(row[j])
                ax.text(
                    row[j],
                    y + 0.3,
                    format_value(row[j], columns[j], topcoded=bool(top[j])),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
    if reference is not None:
        marks = base.floats(df, reference)
        ys = np.arange(len(df))[::-1]
        ax.plot(
            marks,
            ys,
            "o",
            markerfacecolor="none",
            markeredgecolor=base.PALETTE["orange"],
            markersize=9,
            markeredgewidth=2,
            linestyle="none",
            label=reference_label,
            zorder=4,
        )
        ax.legend(loc="lower right", fontsize=8)
    ax.set_yticks(range(len(df)), list(reversed(names)))
    ax.set_ylim(-0.7, len(df) - 0.2)
    ax.set_xlabel(f"{basis.capitalize()} wage (USD): 10th, 25th, median (◆), 75th, 90th percentile")
    ax.set_ylabel(label.replace("_", " ").capitalize())
    base.money_axis(ax, columns[0])
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or f"{basis.capitalize()} wage distribution")
    base.add_notes(fig, notes)
    return fig


def pay_bands(
    df: pd.DataFrame,
    *,
    label: str = "area_name",
    title: str | None = None,
) -> Figure:
    """Pay by experience level and with a credential, per area, from
    :func:`marketdata.salary.breakdown` (annual). Every band is labelled an estimate.

    Entry (10th-25th percentile), mid-career (25th-75th, median marked) and experienced
    (75th-90th) are BLS published percentiles read as experience levels; "with a credential"
    (``cert_annual_low`` .. ``cert_annual_high``) applies the CPS factor to the median.
    """
    validate(df, [label], table="salary breakdown")
    bands = (
        ("entry", "Entry level, 10th-25th pct (estimate)", base.PALETTE["sky_blue"]),
        ("mid", "Mid-career, 25th-75th pct (estimate)", base.PALETTE["blue"]),
        ("experienced", "Experienced, 75th-90th pct (estimate)", base.PALETTE["dark_blue"]),
    )
    names = base.text_labels(df, label)
    fig = base.new_figure(8.5, 1.6 + 1.0 * len(df))
    ax = fig.add_subplot()
    notes = ["Experience levels and credential pay are estimates read from BLS figures."]
    seen: set[str] = set()
    for i in range(len(df)):
        y = len(df) - 1 - i
        for band, text, color in bands:
            low = base.floats(df, f"{band}_annual_low")[i]
            high = base.floats(df, f"{band}_annual_high")[i]
            top = base.flags(df, f"is_topcoded_{band}_annual_high")[i]
            if np.isnan(low) or np.isnan(high):
                notes.append(base.GAP_NOTE)
                continue
            ax.barh(
                y + 0.12,
                high - low,
                left=low,
                height=0.32,
                color=color,
                hatch="//" if top else None,
                label=None if band in seen else text,
            )
            seen.add(band)
            if top:
                ax.text(high, y + 0.12, " ≥", va="center", fontsize=9)
                notes.append(base.BOUND_NOTE)
        point = base.floats(df, "mid_annual_point")[i]
        if not np.isnan(point):
            ax.plot(
                point,
                y + 0.12,
                "D",
                color=base.PALETTE["vermillion"],
                markersize=7,
                label=None if "median" in seen else "Median (published)",
            )
            seen.add("median")
        low, high = base.floats(df, "cert_annual_low")[i], base.floats(df, "cert_annual_high")[i]
        if not (np.isnan(low) or np.isnan(high)):
            ax.plot(
                [low, high],
                [y - 0.25, y - 0.25],
                color=base.PALETTE["orange"],
                linewidth=4,
                solid_capstyle="butt",
                label=None if "cert" in seen else "With a certification or license (estimate)",
            )
            seen.add("cert")
            ax.text(
                high,
                y - 0.25,
                f" {format_value(low, 'annual')}-{format_value(high, 'annual')}",
                va="center",
                fontsize=7,
            )
    ax.set_yticks(range(len(df)), list(reversed(names)))
    ax.set_ylim(-0.8, len(df) - 0.2)
    ax.set_xlabel("Annual pay (USD), estimates by experience level and credential")
    ax.set_ylabel(label.replace("_", " ").capitalize())
    base.money_axis(ax, "annual")
    ax.grid(axis="x", alpha=0.3)
    if seen:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title or "Pay by experience level and with a credential (estimates)")
    base.add_notes(fig, notes)
    return fig

"""Pay distributions: percentile ranges of wages by area or occupation, and pay bands by
experience level and credential (estimates labelled as such)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from marketdata.core import arguments
from marketdata.core.formatting import estimate_range, format_value
from marketdata.core.schema import plain, validate
from marketdata.plots import base
from marketdata.plots import label_layout as layout

#: Height (inches) of one row of :func:`wage_distribution` and of :func:`pay_bands`.
ROW, BAND_ROW = 0.46, 0.56
#: Most rows :func:`wage_distribution` draws: the chart then fits a printed page (Letter or
#: A4) at full size; a longer list is capped or split by the caller, never shrunk.
CHART_ROWS = 15
#: Offset (points) of a value label from the end of its whisker.
GAP_POINTS = 6.0
#: Log-axis ticks: 1, 2, 3, 5 per decade.
_STEPS = (1.0, 2.0, 3.0, 5.0)


def _compact_money(value: float, hourly: bool) -> str:
    if hourly:
        return f"${value:,.0f}" if value >= 10 else f"${value:,.2f}"
    return f"${value / 1000:,.0f}k" if value < 1e6 else f"${value / 1e6:,.1f}M"


def _log_ticks(low: float, high: float) -> list[float]:
    """Ticks of a log wage axis: 1, 2, 3, 5 per decade (1, 2, 5 when that is too many)."""
    decades = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
    ticks = [s * 10**d for d in decades for s in _STEPS if low <= s * 10**d <= high]
    if len(ticks) > 7:
        ticks = [t for t in ticks if round(t / 10 ** np.floor(np.log10(t)), 1) in (1, 2, 5)]
    return ticks


def wage_distribution(
    df: pd.DataFrame,
    *,
    basis: str = "annual",
    label: str = "area_name",
    reference: str | None = None,
    reference_label: str = "U.S. median",
    title: str | None = None,
    sort: bool = False,
    scale: str = "auto",
) -> Figure:
    """Wage percentiles (10th to 90th) as one band per row of ``df``.

    Each row: a whisker from the 10th to the 90th percentile (values labelled at its ends),
    a box from the 25th to the 75th, the median as a diamond labelled above it. Labels are
    placed so they cannot overlap: the axis leaves room for them.

    Parameters
    ----------
    df
        Tidy OEWS rows (one per area or occupation) with ``<basis>_p10`` ... ``<basis>_p90``.
    basis
        ``"annual"`` or ``"hourly"``.
    label
        Column naming each row.
    reference
        Optional name of a column of a value to mark on each row (e.g. the national median),
        drawn as an open circle and named ``reference_label`` in the legend (left out when
        no row has a value).
    sort
        Highest median first (rows without a median last); else the order of ``df``.
        At most :data:`CHART_ROWS` rows (a longer chart would print shrunk): pass the rows
        to show, e.g. ``tables.top(frame, "employment", CHART_ROWS)``.
    scale
        ``"linear"``, ``"log"``, or ``"auto"``: log when the highest 90th percentile is more
        than 3 times the lowest 10th (otherwise the narrow bands would shrink to slivers).
    """
    columns = [f"{basis}_{p}" for p in base.PERCENTILES]
    if reference is not None and not isinstance(reference, str):
        raise TypeError(
            f"reference={arguments.shown(reference)} is {arguments.kind(reference)}: give the name "
            "of a column holding the value to mark on each row, e.g. "
            "df.assign(us_median=51140) with reference='us_median'"
        )
    validate(df, [label, *columns, *([reference] if reference else [])], table="OEWS")
    if len(df) > CHART_ROWS:
        raise ValueError(
            f"{len(df)} rows: a wage chart shows at most {CHART_ROWS} (longer, it prints "
            "shrunk); pass the rows to show, e.g. the largest by employment"
        )
    if scale not in ("auto", "linear", "log"):
        raise ValueError(f"scale {scale!r}: use 'auto', 'linear' or 'log'")
    data = plain(df)
    if sort:
        data = data.assign(_m=base.floats(data, columns[2])).sort_values(
            "_m", ascending=False, na_position="last", kind="stable"
        )
    n = len(data)
    values = np.column_stack([base.floats(data, c) for c in columns]).reshape(n, 5)
    tops = np.column_stack([base.flags(data, f"is_topcoded_{c}") for c in columns]).reshape(n, 5)
    names = [base.wrap(s) for s in base.text_labels(data, label)]
    known = ~np.isnan(values)
    some = known.any(axis=1)
    first = np.where(some, known.argmax(axis=1), -1)
    last = np.where(some, 4 - known[:, ::-1].argmax(axis=1), -1)
    rows = np.arange(n)
    lows = np.where(some, values[rows, first.clip(0)], np.nan)
    highs = np.where(some, values[rows, last.clip(0)], np.nan)
    finite = lows[~np.isnan(lows)]
    log = scale == "log" or (
        scale == "auto" and finite.size > 0 and np.nanmax(highs) > 3 * finite.min() > 0
    )

    def text(i: int, j: int) -> str:
        return format_value(values[i, j], columns[j], topcoded=bool(tops[i, j]))

    mid_text = [text(i, 2) if known[i, 2] else "" for i in rows]
    # each distinct value labelled once (all five may be the same top code)
    left_text = [
        text(i, first[i]) if some[i] and text(i, first[i]) != mid_text[i] else "" for i in rows
    ]
    right_text = [
        text(i, last[i]) if some[i] and text(i, last[i]) not in (mid_text[i], left_text[i]) else ""
        for i in rows
    ]
    gap = GAP_POINTS / 72
    half_mid = np.array([base.text_size(t, base.VALUE)[0] / 2 for t in mid_text])
    room_left = np.array([base.text_size(t, base.VALUE)[0] + gap if t else 0 for t in left_text])
    room_right = np.array(
        [base.text_size(t, base.VALUE)[0] + gap + 0.05 if t else 0 for t in right_text]
    )
    margin = layout.label_margin(names)
    width = layout.axes_width(margin)
    xlim = layout.room(
        lows,
        highs,
        np.maximum(room_left, half_mid) + 0.04,
        np.maximum(room_right, half_mid) + 0.04,
        width,
        log=log,
    )

    fig = base.new_figure()
    ax = fig.add_subplot()
    base.style(ax)
    ys = (n - 1 - rows).astype(float)
    notes: list[str] = []
    if log:
        ax.set_xscale("log")
    drawn = some
    ax.hlines(ys[drawn], lows[drawn], highs[drawn], color=base.COLORS["grey"], linewidth=1.4)
    box = known[:, 1] & known[:, 3]
    bars = base.hbars(
        ax,
        ys[box],
        values[box, 1],
        values[box, 3] - values[box, 1],
        height=0.36,
        colors=base.COLORS["sky"],
        hatched=tops[box, 3],
        gid="iqr-box",
    )
    for bar in bars:
        bar.set_edgecolor(base.COLORS["blue"])
        bar.set_linewidth(1.0)
    for j in (0, 1, 3, 4):
        ax.plot(values[:, j], ys, "|", color=base.COLORS["black"], markersize=11, linestyle="none")
    ax.plot(
        values[:, 2],
        ys,
        "D",
        color=base.COLORS["vermillion"],
        markeredgecolor="white",
        markersize=7,
        linestyle="none",
    )
    bound = tops & known
    if bound.any():
        ax.plot(
            values[bound],
            np.broadcast_to(ys[:, None], values.shape)[bound],
            marker=9,  # caret right: the true value lies beyond
            color=base.COLORS["black"],
            markersize=6,
            linestyle="none",
        )
        notes.append(base.BOUND_NOTE)
    if (~known).any():
        notes.append(base.GAP_NOTE)
    missing = ~some
    if missing.any():
        # in the half of the row the reference marker (if any) is not in
        marks = base.floats(data, reference) if reference is not None else np.full(n, np.nan)
        ax.set_xlim(*xlim)
        at = ax.transLimits.transform(
            np.column_stack([np.nan_to_num(marks, nan=xlim[0]), np.zeros(n)])
        )[:, 0]
        right = ~np.isnan(marks) & (at < 0.5)
        for side, where, ha in ((~right, 0.02, "left"), (right, 0.98, "right")):
            rows_here = missing & side
            layout.Labels(
                ax,
                [where] * int(rows_here.sum()),
                ys[rows_here],
                ["wages not released"] * int(rows_here.sum()),
                ha=ha,
                colors=base.COLORS["grey"],
                transform=ax.get_yaxis_transform(),
                gid="value-label",
            )
    for texts, xs, offset, ha, va in (
        (left_text, lows, (-GAP_POINTS, 0), "right", "center"),
        (right_text, highs, (GAP_POINTS + 3, 0), "left", "center"),
        (mid_text, values[:, 2], (0, 7), "center", "bottom"),
    ):
        layout.Labels(
            ax,
            np.nan_to_num(xs, nan=1.0),
            ys,
            texts,
            ha=ha,
            va=va,
            offset=offset,
            gid="value-label",
        )
    handles: list = [
        Line2D([], [], marker="|", color=base.COLORS["black"], markersize=10, linestyle="-"),
        Patch(facecolor=base.COLORS["sky"], edgecolor=base.COLORS["blue"]),
        Line2D([], [], marker="D", color=base.COLORS["vermillion"], linestyle="none"),
    ]
    keys = ["10th to 90th percentile", "25th to 75th percentile", "Median"]
    marks = base.floats(data, reference) if reference is not None else np.array([np.nan])
    if not np.isnan(marks).all():  # no key for a mark that is nowhere drawn
        ax.plot(
            marks,
            ys,
            "o",
            markerfacecolor="none",
            markeredgecolor=base.COLORS["black"],
            markersize=8,
            markeredgewidth=1.5,
            linestyle="none",
        )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="none",
                markeredgecolor=base.COLORS["black"],
                linestyle="none",
            )
        )
        keys.append(reference_label)
    layout.row_labels(ax, ys, names)
    ax.set_ylim(-0.6, n - 0.35)
    ax.set_xlim(*xlim)
    if log:
        hourly = basis == "hourly"
        layout.ticks(ax, "x", lambda v: _compact_money(v, hourly), locations=_log_ticks(*xlim))
    else:
        layout.ticks(ax, "x", base.number_text(columns[0]))
    ax.set_xlabel(
        f"{basis.capitalize()} wage (USD)" + (", log scale" if log else ""), fontsize=base.LABEL
    )
    ax.spines["left"].set_visible(False)
    heading = title or f"{basis.capitalize()} wage distribution" + (
        ", highest median first" if sort else ""
    )
    layout.finish(
        fig,
        [ax],
        left=margin,
        plot_height=(n + 0.25) * ROW,
        title=heading,
        notes=notes,
        legend=(handles, keys),
    )
    parts = []
    for i, name in enumerate(base.text_labels(data, label)):
        if not some[i]:
            parts.append(f"{name}: wages not released")
            continue
        said = [
            f"{p} {text(i, j)}"
            for j, p in ((0, "10th percentile"), (2, "median"), (4, "90th percentile"))
            if known[i, j]
        ]
        parts.append(f"{name}: " + ", ".join(said))
    return base.describe(
        fig, f"Chart: {heading}{', log scale' if log else ''}. {base.listing(parts)}."
    )


def pay_bands(
    df: pd.DataFrame,
    *,
    label: str = "area_name",
    title: str | None = None,
) -> Figure:
    """Pay by experience level and with a certification, per area, from
    :func:`marketdata.analysis.salary.breakdown` (annual). Every band is labelled an estimate.

    Entry (10th-25th percentile), mid-career (25th-75th, median marked) and experienced
    (75th-90th) are BLS published percentiles read as experience levels; "with a
    certification" (``cert_only_annual_low`` .. ``cert_only_annual_high``) applies the CPS
    certification factor to the median, the figure the report's text gives, rounded as it
    is (:func:`marketdata.core.formatting.estimate_range`).
    """
    validate(df, [label], table="salary breakdown")
    df = plain(df)
    bands = (
        ("entry", "Entry level, 10th-25th pct (estimate)", base.COLORS["sky"]),
        ("mid", "Mid-career, 25th-75th pct (estimate)", base.COLORS["blue"]),
        ("experienced", "Experienced, 75th-90th pct (estimate)", base.COLORS["navy"]),
    )
    n = len(df)
    names = [base.wrap(s) for s in base.text_labels(df, label)]
    fig = base.new_figure()
    ax = fig.add_subplot()
    base.style(ax)
    notes = ["Experience levels and certification pay are estimates read from BLS figures."]
    handles: dict[str, object] = {}
    ys = np.arange(n)[::-1].astype(float)
    lows, highs, right = np.full(n, np.nan), np.full(n, np.nan), np.zeros(n)
    cert_low = base.floats(df, "cert_only_annual_low")
    cert_high = base.floats(df, "cert_only_annual_high")
    points = base.floats(df, "mid_annual_point")
    cert = ~(np.isnan(cert_low) | np.isnan(cert_high))
    lift = 0.12 if cert.any() else 0.0  # bands above the certification line, if any
    for band, text, color in bands:
        low = base.floats(df, f"{band}_annual_low")
        high = base.floats(df, f"{band}_annual_high")
        top = base.flags(df, f"is_topcoded_{band}_annual_high")
        ok = ~(np.isnan(low) | np.isnan(high))
        if (~ok).any():
            notes.append(base.GAP_NOTE)
        if not ok.any():
            continue
        lows, highs = np.fmin(lows, np.where(ok, low, np.nan)), np.fmax(highs, high)
        drawn = base.hbars(
            ax,
            ys[ok] + lift,
            low[ok],
            (high - low)[ok],
            height=0.32 if lift else 0.4,
            colors=color,
            hatched=top[ok],
        )
        handles[text] = drawn[0]
        if top[ok].any():
            layout.Labels(
                ax,
                high[ok & top],
                ys[ok & top] + lift,
                ["≥"] * int((ok & top).sum()),
                offset=(3, 0),
                gid="value-label",
            )
            notes.append(base.BOUND_NOTE)
        right = np.where(ok & top, np.maximum(right, 0.2), right)
    if not np.isnan(points).all():
        handles["Median (published)"] = ax.plot(
            points,
            ys + lift,
            "D",
            color=base.COLORS["vermillion"],
            markeredgecolor="white",
            markersize=7,
            linestyle="none",
        )[0]
    cert_text = [
        estimate_range(lo, hi) if ok else ""
        for lo, hi, ok in zip(cert_low, cert_high, cert, strict=True)
    ]
    if cert.any():
        handles["With a certification (estimate)"] = ax.hlines(
            ys[cert] - 0.25,
            cert_low[cert],
            cert_high[cert],
            color=base.COLORS["orange"],
            linewidth=4,
        )
        layout.Labels(
            ax, np.nan_to_num(cert_high), ys - 0.25, cert_text, offset=(4, 0), gid="value-label"
        )
        widths = np.array([base.text_size(t, base.VALUE)[0] + 0.1 if t else 0 for t in cert_text])
        right = np.maximum(right, widths)
        lows, highs = np.fmin(lows, cert_low), np.fmax(highs, cert_high)
    margin = layout.label_margin(names)
    xlim = layout.room(lows, highs, np.full(n, 0.1), right + 0.05, layout.axes_width(margin))
    layout.row_labels(ax, ys + lift, names)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(*xlim)
    layout.ticks(ax, "x", base.number_text("annual"))
    ax.set_xlabel(
        "Annual pay (USD), estimates by experience level and certification", fontsize=base.LABEL
    )
    ax.spines["left"].set_visible(False)
    heading = title or "Pay by experience level and with a certification (estimates)"
    layout.finish(
        fig,
        [ax],
        left=margin,
        plot_height=n * BAND_ROW + 0.2,
        title=heading,
        notes=notes,
        legend=(list(handles.values()), list(handles)),
    )
    parts = []
    for i, name in enumerate(base.text_labels(df, label)):
        said = []
        for band, text, _ in bands:
            low = base.floats(df, f"{band}_annual_low")[i]
            high = base.floats(df, f"{band}_annual_high")[i]
            if not (np.isnan(low) or np.isnan(high)):
                said.append(
                    f"{text.split(',')[0].lower()} {format_value(low, 'annual')} to "
                    f"{format_value(high, 'annual')}"
                )
        if cert[i]:
            said.append(f"with a certification {cert_text[i]}")
        parts.append(f"{name}: " + (", ".join(said) or "not available"))
    return base.describe(fig, f"Chart: {heading}. {base.listing(parts)}.")

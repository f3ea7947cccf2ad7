"""Charts of tidy frames: every function takes frames and returns a matplotlib ``Figure``.

Nothing here fetches data. Figures are built with :class:`matplotlib.figure.Figure` and the
Agg canvas (no pyplot, no global state), so they are safe in scripts, tests and kernels.

Conventions shared by every chart:

- A top-coded value (``is_topcoded_<measure>`` true) is drawn as a lower bound: hatched,
  with an arrow or a "≥" label, never as an exact number.
- A missing value (suppressed or not released by BLS) is a gap, and the figure says so in a
  note under the axes.
- Figures from estimates (not published BLS figures) say "estimate" in their labels.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from marketdata.errors import SchemaError
from marketdata.formatting import format_value
from marketdata.schema import validate
from marketdata.series_id import STATES

logger = logging.getLogger(__name__)

PERCENTILES: tuple[str, ...] = ("p10", "p25", "median", "p75", "p90")

#: Axis labels of the OEWS measures.
MEASURE_LABELS: dict[str, str] = {
    "employment": "Employment (jobs)",
    "jobs_per_1000": "Jobs per 1,000 jobs",
    "location_quotient": "Location quotient",
    "hourly_mean": "Mean hourly wage (USD)",
    "annual_mean": "Mean annual wage (USD)",
    "hourly_median": "Median hourly wage (USD)",
    "annual_median": "Median annual wage (USD)",
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

#: U.S. tile grid: state FIPS code -> (row, column). The 50 states and DC; the postal
#: abbreviations come from :data:`marketdata.series_id.STATES`.
STATE_TILES: dict[str, tuple[int, int]] = {
    "02": (0, 0), "23": (0, 11),
    "55": (1, 6), "50": (1, 10), "33": (1, 11),
    "53": (2, 1), "16": (2, 2), "30": (2, 3), "38": (2, 4), "27": (2, 5), "17": (2, 6),
    "26": (2, 7), "36": (2, 9), "25": (2, 10),
    "41": (3, 1), "32": (3, 2), "56": (3, 3), "46": (3, 4), "19": (3, 5), "18": (3, 6),
    "39": (3, 7), "42": (3, 8), "34": (3, 9), "09": (3, 10), "44": (3, 11),
    "06": (4, 1), "49": (4, 2), "08": (4, 3), "31": (4, 4), "29": (4, 5), "21": (4, 6),
    "54": (4, 7), "51": (4, 8), "24": (4, 9), "10": (4, 10),
    "04": (5, 2), "35": (5, 3), "20": (5, 4), "05": (5, 5), "47": (5, 6), "37": (5, 7),
    "45": (5, 8), "11": (5, 9),
    "40": (6, 4), "22": (6, 5), "28": (6, 6), "01": (6, 7), "13": (6, 8),
    "15": (7, 0), "48": (7, 4), "12": (7, 9),
}  # fmt: skip


# --------------------------------------------------------------------------- helpers


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _floats(df: pd.DataFrame, column: str) -> np.ndarray:
    """Column as float64 with NaN for missing (works for numpy and nullable dtypes)."""
    if column not in df.columns:
        return np.full(len(df), np.nan)
    values = pd.to_numeric(df[column], errors="coerce")
    return values.to_numpy(dtype="float64", na_value=np.nan)


def _flags(df: pd.DataFrame, column: str) -> np.ndarray:
    """Boolean flag column (``is_topcoded_<measure>``); all false when absent."""
    if column not in df.columns:
        return np.zeros(len(df), dtype=bool)
    return df[column].astype("boolean").fillna(False).to_numpy(dtype=bool)


def _labels(df: pd.DataFrame, column: str) -> list[str]:
    return ["" if pd.isna(v) else str(v) for v in df[column]]


def _measure_name(measure: str) -> str:
    """Measure label without its unit, for titles: "median annual wage"."""
    label = MEASURE_LABELS.get(measure, measure.replace("_", " "))
    label = label.removesuffix(" (USD)").removesuffix(" (jobs)")
    return label[0].lower() + label[1:]


def _notes(fig: Figure, notes: Sequence[str]) -> None:
    """Footnotes under the axes (missing values, top codes, estimates)."""
    unique = list(dict.fromkeys(n for n in notes if n))
    if unique:
        fig.text(0.01, 0.0, "\n".join(unique), ha="left", va="bottom", fontsize=8, color="0.3")
        fig.get_layout_engine().set(
            rect=(0, 0.03 * (len(unique) + 1), 1, 1 - 0.03 * (len(unique) + 1))
        )


def _money_axis(ax, measure: str, axis: str = "x") -> None:
    fmt = (
        (lambda v, _: f"${v:,.2f}") if measure.startswith("hourly") else (lambda v, _: f"${v:,.0f}")
    )
    if measure.startswith(("hourly", "annual")):
        target = ax.xaxis if axis == "x" else ax.yaxis
        target.set_major_formatter(fmt)


# --------------------------------------------------------------------------- OEWS charts


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
    columns = [f"{basis}_{p}" for p in PERCENTILES]
    validate(df, [label, *columns], table="OEWS")
    values = np.column_stack([_floats(df, c) for c in columns])
    bounds = np.column_stack([_flags(df, f"is_topcoded_{c}") for c in columns])
    names = _labels(df, label)
    fig = _figure(8, 1.2 + 0.7 * len(df))
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
            notes.append(GAP_NOTE)
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
                    facecolor="#4C78A8",
                    edgecolor="#2C4F78",
                    hatch="//" if top[3] else None,
                    zorder=2,
                )
            )
        for j, pct in enumerate(PERCENTILES):
            if np.isnan(row[j]):
                notes.append(GAP_NOTE)
                continue
            marker = "D" if pct == "median" else "|"
            ax.plot(
                row[j],
                y,
                marker=marker,
                color="#D62728" if pct == "median" else "black",
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
                notes.append(BOUND_NOTE)
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
        marks = _floats(df, reference)
        ys = np.arange(len(df))[::-1]
        ax.plot(
            marks,
            ys,
            "o",
            markerfacecolor="none",
            markeredgecolor="#F58518",
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
    _money_axis(ax, columns[0])
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(title or f"{basis.capitalize()} wage distribution")
    _notes(fig, notes)
    return fig


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
    data = df.assign(_v=_floats(df, measure), _top=_flags(df, f"is_topcoded_{measure}"))
    if sort:
        data = data.sort_values(
            ["_v", label], ascending=[False, True], na_position="last", kind="stable"
        )
    if n is not None:
        data = data.head(n)
    values, tops, names = data["_v"].to_numpy(), data["_top"].to_numpy(), _labels(data, label)
    fig = _figure(8, 1.2 + 0.38 * max(len(data), 1))
    ax = fig.add_subplot()
    ys = np.arange(len(data))[::-1]
    notes: list[str] = []
    finite = values[~np.isnan(values)]
    span = float(finite.max()) if finite.size else 1.0
    for y, v, top, name in zip(ys, values, tops, names, strict=True):
        if np.isnan(v):
            ax.text(0, y, " not released", va="center", fontsize=8, color="0.4")
            notes.append(GAP_NOTE)
            continue
        color = "#F58518" if highlight is not None and name == highlight else "#4C78A8"
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
            notes.append(BOUND_NOTE)
    ax.set_yticks(ys, names)
    ax.set_xlim(0, span * 1.18)
    ax.set_xlabel(MEASURE_LABELS.get(measure, measure.replace("_", " ")))
    ax.set_ylabel(label.replace("_", " ").capitalize())
    _money_axis(ax, measure)
    ax.set_title(title)
    _notes(fig, notes)
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
        title=title or f"{_measure_name(measure).capitalize()} by area",
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
        title=title or f"Top {n} areas by {_measure_name(measure)}",
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
        title=title or f"Industries by {_measure_name(measure)}",
    )


def tile_map(
    df: pd.DataFrame,
    *,
    measure: str,
    title: str | None = None,
    cmap: str = "viridis",
) -> Figure:
    """U.S. tile-grid map of ``measure`` by state: 51 squares (50 states and DC), no shapefiles.

    ``df`` has one row per state with ``state_code`` (two-digit FIPS). States without a row or
    with a missing value are grey and hatched; top-coded values are marked ``≥``. Rows of
    areas outside the grid (Puerto Rico, Guam, Virgin Islands) are listed in a note.
    """
    validate(df, ["state_code", measure], table="state")
    codes = df["state_code"].astype("string").str.zfill(2)
    if codes.duplicated().any():
        raise SchemaError(
            "tile_map needs one row per state; repeated state codes: "
            f"{sorted(set(codes[codes.duplicated()]))}"
        )
    values = dict(zip(codes, _floats(df, measure), strict=True))
    tops = dict(zip(codes, _flags(df, f"is_topcoded_{measure}"), strict=True))
    known = [v for c, v in values.items() if c in STATE_TILES and not np.isnan(v)]
    vmin, vmax = (min(known), max(known)) if known else (0.0, 1.0)
    if vmin == vmax:
        vmin, vmax = vmin - 1, vmax + 1
    fig = _figure(10, 6.4)
    ax = fig.add_subplot()
    norm = Normalize(vmin=vmin, vmax=vmax)
    scale = colormaps[cmap]
    notes: list[str] = []
    for fips, (row, col) in STATE_TILES.items():
        postal = STATES[fips][0]
        v = values.get(fips, np.nan)
        missing = bool(np.isnan(v))
        face = "0.88" if missing else scale(norm(v))
        ax.add_patch(
            Rectangle(
                (col, -row),
                0.92,
                0.92,
                facecolor=face,
                edgecolor="white",
                hatch="xx" if missing else ("//" if tops.get(fips) else None),
                gid="tile",
            )
        )
        dark = not missing and sum(face[:3]) < 1.5
        ax.text(
            col + 0.46,
            -row + 0.6,
            postal,
            ha="center",
            va="center",
            fontsize=9,
            fontweight="bold",
            color="white" if dark else "black",
        )
        ax.text(
            col + 0.46,
            -row + 0.3,
            "n/a" if missing else format_value(v, measure, topcoded=bool(tops.get(fips))),
            ha="center",
            va="center",
            fontsize=6.5,
            color="white" if dark else "black",
        )
        if missing:
            notes.append("Grey tiles: " + GAP_NOTE.lower())
        elif tops.get(fips):
            notes.append(BOUND_NOTE)
    outside = sorted(set(codes) - set(STATE_TILES))
    if outside:
        names = (
            df.loc[codes.isin(outside), "area_name"]
            if "area_name" in df.columns
            else pd.Series(outside)
        )
        notes.append("Not on the map: " + ", ".join(str(x) for x in names) + ".")
    ax.set_xlim(-0.1, 12)
    ax.set_ylim(-7.1, 1.0)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel("States and DC (tile grid, not to scale)")
    ax.set_ylabel("")
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=scale), ax=ax, shrink=0.6)
    bar.set_label(MEASURE_LABELS.get(measure, measure.replace("_", " ")))
    ax.set_title(title or f"{_measure_name(measure).capitalize()} by state")
    _notes(fig, notes)
    return fig


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
    fig = _figure(8, 4.5)
    ax = fig.add_subplot()
    notes: list[str] = []
    groups = (
        df.groupby(group, sort=False, dropna=False)
        if group and group in df.columns
        else [(None, df)]
    )
    for key, part in groups:
        part = part.sort_values(x)
        xs, ys = part[x].to_numpy(), _floats(part, measure)
        tops = _flags(part, f"is_topcoded_{measure}")
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
                notes.append(NOT_COMPARABLE_NOTE)
        if tops.any():
            ax.plot(
                xs[tops],
                ys[tops],
                marker="^",
                linestyle="none",
                markerfacecolor="none",
                color=line.get_color(),
            )
            notes.append(BOUND_NOTE)
        if np.isnan(ys).any():
            notes.append(GAP_NOTE)
    ax.set_xlabel(x.replace("_", " ").capitalize())
    ax.set_ylabel(MEASURE_LABELS.get(measure, measure.replace("_", " ")))
    _money_axis(ax, measure, axis="y")
    ax.grid(alpha=0.3)
    if group and group in df.columns and df[group].nunique() > 1:
        ax.legend(fontsize=8)
    ax.set_title(title or f"{_measure_name(measure).capitalize()} over time")
    _notes(fig, notes)
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
        ("entry", "Entry level, 10th-25th pct (estimate)", "#9ECAE9"),
        ("mid", "Mid-career, 25th-75th pct (estimate)", "#4C78A8"),
        ("experienced", "Experienced, 75th-90th pct (estimate)", "#1F3B5A"),
    )
    names = _labels(df, label)
    fig = _figure(8.5, 1.6 + 1.0 * len(df))
    ax = fig.add_subplot()
    notes = ["Experience levels and credential pay are estimates read from BLS figures."]
    seen: set[str] = set()
    for i in range(len(df)):
        y = len(df) - 1 - i
        for band, text, color in bands:
            low = _floats(df, f"{band}_annual_low")[i]
            high = _floats(df, f"{band}_annual_high")[i]
            top = _flags(df, f"is_topcoded_{band}_annual_high")[i]
            if np.isnan(low) or np.isnan(high):
                notes.append(GAP_NOTE)
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
                notes.append(BOUND_NOTE)
        point = _floats(df, "mid_annual_point")[i]
        if not np.isnan(point):
            ax.plot(
                point,
                y + 0.12,
                "D",
                color="#D62728",
                markersize=7,
                label=None if "median" in seen else "Median (published)",
            )
            seen.add("median")
        low, high = _floats(df, "cert_annual_low")[i], _floats(df, "cert_annual_high")[i]
        if not (np.isnan(low) or np.isnan(high)):
            ax.plot(
                [low, high],
                [y - 0.25, y - 0.25],
                color="#F58518",
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
    _money_axis(ax, "annual")
    ax.grid(axis="x", alpha=0.3)
    if seen:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(title or "Pay by experience level and with a credential (estimates)")
    _notes(fig, notes)
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
    names = _labels(df, label)
    change, opens = _floats(df, growth), _floats(df, openings)
    fig = _figure(10, 1.4 + 0.4 * max(len(df), 1))
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
            color = "#54A24B" if v >= 0 else "#E45756"
            ax.barh(y, v, color=color if measure == "percent_change" else "#4C78A8")
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
    _notes(fig, notes)
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
    xs, ys = _floats(df, x), _floats(df, y)
    tops = _flags(df, f"is_topcoded_{y}")
    sizes = _floats(df, size) if size else np.full(len(df), np.nan)
    names = _labels(df, label)
    known = ~(np.isnan(xs) | np.isnan(ys))
    fig = _figure(8.5, 6)
    ax = fig.add_subplot()
    notes: list[str] = []
    finite = sizes[known & ~np.isnan(sizes)]
    scale = 600 / finite.max() if finite.size and finite.max() > 0 else 0.0
    area = np.where(np.isnan(sizes), 30, 15 + sizes * scale)
    plain, bound = known & ~tops, known & tops
    ax.scatter(xs[plain], ys[plain], s=area[plain], alpha=0.6, color="#4C78A8", edgecolor="white")
    if bound.any():
        ax.scatter(
            xs[bound],
            ys[bound],
            s=60,
            marker="^",
            facecolor="none",
            edgecolor="#D62728",
            label="pay at or above BLS's top code",
        )
        ax.legend(fontsize=8)
        notes.append(BOUND_NOTE)
    order = np.argsort(-(np.nan_to_num(sizes, nan=-1) if size else np.nan_to_num(ys, nan=-1)))
    for i in [i for i in order if known[i]][:annotate]:
        ax.annotate(names[i], (xs[i], ys[i]), fontsize=7, xytext=(4, 4), textcoords="offset points")
    if (~known).any():
        notes.append(
            f"{int((~known).sum())} occupation(s) without published growth or pay are not shown."
        )
    ax.axvline(0, color="0.5", linewidth=0.8)
    ax.set_xlabel("Projected employment change (percent)")
    ax.set_ylabel(MEASURE_LABELS.get(y, y.replace("_", " ")))
    _money_axis(ax, y, axis="y")
    ax.grid(alpha=0.3)
    ax.set_title(title or "Growth and pay" + (" (point size: openings per year)" if size else ""))
    _notes(fig, notes)
    return fig

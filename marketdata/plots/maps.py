"""Maps: the U.S. tile-grid map of one measure by state (one equal tile per state and DC)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.collections import PolyCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from marketdata.core.errors import SchemaError
from marketdata.core.formatting import format_value
from marketdata.core.schema import plain, validate
from marketdata.core.series_id import STATES
from marketdata.plots import base
from marketdata.plots import label_layout as layout

#: U.S. tile grid: state FIPS code -> (row, column). The 50 states and DC; the postal
#: abbreviations come from :data:`marketdata.core.series_id.STATES`.
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
    df = plain(df)
    codes = df["state_code"].astype("string").str.zfill(2)
    if codes.duplicated().any():
        raise SchemaError(
            "tile_map needs one row per state; repeated state codes: "
            f"{sorted(set(codes[codes.duplicated()]))}"
        )
    values = dict(zip(codes, base.floats(df, measure), strict=True))
    tops = dict(zip(codes, base.flags(df, f"is_topcoded_{measure}"), strict=True))
    known = [v for c, v in values.items() if c in STATE_TILES and not np.isnan(v)]
    vmin, vmax = (min(known), max(known)) if known else (0.0, 1.0)
    if vmin == vmax:
        vmin, vmax = vmin - 1, vmax + 1
    fig = base.new_figure()
    ax = fig.add_subplot()
    norm = Normalize(vmin=vmin, vmax=vmax)
    scale = colormaps[cmap]
    notes: list[str] = []
    fips_codes = list(STATE_TILES)
    cells = np.array([STATE_TILES[f] for f in fips_codes], dtype=float)
    shown = np.array([values.get(f, np.nan) for f in fips_codes])
    bound = np.array([bool(tops.get(f, False)) for f in fips_codes])
    missing = np.isnan(shown)
    faces = scale(norm(np.nan_to_num(shown, nan=vmin)))  # one call for all tiles
    faces[missing] = (0.88, 0.88, 0.88, 1.0)
    # white text on dark tiles (relative luminance), black on light ones
    dark = faces[:, :3] @ np.array([0.2126, 0.7152, 0.0722]) < 0.45
    hatches = np.where(missing, "xx", np.where(bound, "//", ""))
    for hatch in ("", "xx", "//"):  # one collection per hatch: one draw call each
        these = hatches == hatch
        if these.any():
            x, y = cells[these, 1], -cells[these, 0]
            squares = np.stack(
                [
                    np.column_stack([x, y]),
                    np.column_stack([x + 0.92, y]),
                    np.column_stack([x + 0.92, y + 0.92]),
                    np.column_stack([x, y + 0.92]),
                ],
                axis=1,
            )
            ax.add_collection(
                PolyCollection(
                    squares,
                    facecolors=faces[these],
                    edgecolors="white",
                    linewidths=0,
                    hatch=hatch or None,
                    gid="tile",
                ),
                autolim=False,
            )
    labels = [
        f"{STATES[f][0]}\n" + ("n/a" if gap else format_value(v, measure, topcoded=bool(top)))
        for f, v, gap, top in zip(fips_codes, shown, missing, bound, strict=True)
    ]
    colors = ["white" if d else "black" for d in dark]
    if missing.any():
        notes.append("Grey tiles: not released by BLS (suppressed or not published).")
    if (bound & ~missing).any():
        notes.append(base.BOUND_NOTE)
    layout.Labels(
        ax,
        cells[:, 1] + 0.46,
        -cells[:, 0] + 0.46,
        labels,
        ha="center",
        size=base.VALUE,
        colors=colors,
        gid="tile-label",
    )
    outside = sorted(set(codes) - set(STATE_TILES))
    if outside:
        names = (
            df.loc[codes.isin(outside), "area_name"]
            if "area_name" in df.columns
            else pd.Series(outside)
        )
        notes.append("Not on the map: " + ", ".join(str(x) for x in names) + ".")
    key = base.MEASURE_LABELS.get(measure, measure.replace("_", " "))
    _colour_key(ax, norm, scale, measure, key)
    ax.set_xlim(-0.05, 12)
    ax.set_ylim(-7.1, 1.0)
    ax.set_aspect("equal")
    ax.set_axis_off()  # no spines, ticks or axis labels to lay out and draw
    heading = title or f"{base.measure_name(measure).capitalize()} by state"
    width = base.WIDTH - 2 * base.PAD
    layout.finish(
        fig,
        [ax],
        left=base.PAD,
        right=base.PAD,
        plot_height=width * 8.1 / 12.05,
        title=heading,
        notes=["States and DC on a tile grid, not to scale.", *notes],
        below=0.05,
    )
    ranked = sorted(
        ((v, STATES[c][0]) for c, v in values.items() if c in STATE_TILES and not np.isnan(v)),
        reverse=True,
    )
    if ranked:
        said = (
            f"highest {ranked[0][1]} {format_value(ranked[0][0], measure)}, "
            f"lowest {ranked[-1][1]} {format_value(ranked[-1][0], measure)}; "
            f"{len(ranked)} of 51 states and DC have a value"
        )
    else:
        said = "no state has a value"
    return base.describe(fig, f"Tile map of the U.S.: {heading}; {said}.")


def _colour_key(ax, norm: Normalize, scale, measure: str, label: str) -> None:
    """Colour scale inside the map's empty first row (no second axes): gradient, 3 values."""
    x0, x1, y0 = 2.2, 8.8, 0.28
    gradient = np.linspace(0, 1, 64)[None, :]
    ax.imshow(
        gradient,
        extent=(x0, x1, y0, y0 + 0.32),
        cmap=scale,
        aspect="auto",
        interpolation="bilinear",
        gid="colour-key",
    )
    ax.text(
        (x0 + x1) / 2,
        y0 + 0.42,
        label,
        ha="center",
        va="bottom",
        fontsize=base.VALUE,
        parse_math=False,
    )
    for frac, ha in ((0.0, "left"), (0.5, "center"), (1.0, "right")):
        value = norm.vmin + frac * (norm.vmax - norm.vmin)
        layout.Labels(
            ax,
            [x0 + frac * (x1 - x0)],
            [y0 - 0.06],
            [format_value(value, measure)],
            ha=ha,
            va="top",
            gid="colour-key",
        )

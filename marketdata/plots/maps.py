"""Maps: the U.S. tile-grid map of one measure by state (one equal tile per state and DC)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from marketdata.errors import SchemaError
from marketdata.formatting import format_value
from marketdata.plots import base
from marketdata.schema import validate
from marketdata.series_id import STATES

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
    values = dict(zip(codes, base.floats(df, measure), strict=True))
    tops = dict(zip(codes, base.flags(df, f"is_topcoded_{measure}"), strict=True))
    known = [v for c, v in values.items() if c in STATE_TILES and not np.isnan(v)]
    vmin, vmax = (min(known), max(known)) if known else (0.0, 1.0)
    if vmin == vmax:
        vmin, vmax = vmin - 1, vmax + 1
    fig = base.new_figure(10, 6.4)
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
            notes.append("Grey tiles: " + base.GAP_NOTE.lower())
        elif tops.get(fips):
            notes.append(base.BOUND_NOTE)
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
    bar.set_label(base.MEASURE_LABELS.get(measure, measure.replace("_", " ")))
    ax.set_title(title or f"{base.measure_name(measure).capitalize()} by state")
    base.add_notes(fig, notes)
    return fig

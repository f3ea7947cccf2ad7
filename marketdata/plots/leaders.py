"""Names joined to their points by leader lines, placed where they cover no point and no
other name (scatter charts): a name that finds no clear place is left to the table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from marketdata.plots.base import COLORS, VALUE, text_size

#: Distances (points) from a point's centre at which a name is tried, nearest first.
REACH = (10.0, 18.0, 28.0, 40.0, 55.0, 75.0, 100.0, 130.0)
#: Directions tried at each distance (degrees, counter-clockwise from the right): the
#: diagonals first, where a name beside its point reads best.
ANGLES = (45.0, 135.0, -45.0, -135.0, 0.0, 180.0, 90.0, -90.0, 20.0, 160.0, -20.0, -160.0)
#: Pixels kept free around every name and point.
SPARE = 2.0

Box = tuple[float, float, float, float]


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _crosses(start: tuple[float, float], end: tuple[float, float], box: Box) -> bool:
    """Whether the segment ``start``-``end`` passes through ``box`` (sampled every 2 px)."""
    steps = max(2, int(np.hypot(end[0] - start[0], end[1] - start[1]) / 2))
    for t in np.linspace(0.0, 1.0, steps):
        x, y = start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1])
        if box[0] < x < box[2] and box[1] < y < box[3]:
            return True
    return False


def name_points(
    ax: Axes,
    xs: np.ndarray,
    ys: np.ndarray,
    radii: np.ndarray,
    chosen: Sequence[int],
    names: Sequence[str],
    *,
    size: float = VALUE,
) -> list[int]:
    """Name the points ``chosen`` (in order) with leader lines; returns those named.

    ``xs``, ``ys``: data coordinates of every point drawn (NaN for points not drawn);
    ``radii``: each marker's radius in points. The axes' limits and position must be final.
    A name goes at the nearest place (:data:`REACH`, :data:`ANGLES`) where it stays inside
    the axes, covers no marker and no name placed before it, and its leader crosses no
    name; a point with no such place is not named.
    """
    dpi = ax.figure.dpi
    px = dpi / 72
    frame = ax.get_window_extent()
    drawn = np.isfinite(xs) & np.isfinite(ys)
    centres = np.full((len(xs), 2), np.nan)
    centres[drawn] = ax.transData.transform(np.column_stack([xs[drawn], ys[drawn]]))
    marks: list[Box] = [
        (x - r - SPARE, y - r - SPARE, x + r + SPARE, y + r + SPARE)
        for (x, y), r in zip(centres[drawn], radii[drawn] * px, strict=True)
    ]
    placed: list[Box] = []
    leaders: list[tuple[tuple[float, float], tuple[float, float]]] = []
    named: list[int] = []
    for i in chosen:
        if not drawn[i]:
            continue
        cx, cy = centres[i]
        width, height = (v * dpi for v in text_size(names[i], size))
        reaches = [radii[i] * px + r * px for r in REACH]
        spot = _find_spot((cx, cy), reaches, width, height, frame.extents, marks, placed, leaders)
        if spot is None:
            continue
        box, anchor, ha = spot
        placed.append(box)
        edge = _edge((cx, cy), anchor, radii[i] * px)
        end = _edge(anchor, (cx, cy), SPARE)  # the line stops short of the name
        leaders.append((edge, end))
        to_data = ax.transData.inverted()
        (ex, ey), (lx, ly), (tx, ty) = to_data.transform([edge, end, anchor])
        ax.plot([ex, lx], [ey, ly], color=COLORS["grey"], linewidth=0.7, gid="leader")
        ax.text(
            tx,
            ty,
            names[i],
            ha=ha,
            va="center",
            fontsize=size,
            parse_math=False,
            gid="value-label",
        )
        named.append(i)
    return named


def _edge(
    centre: tuple[float, float], anchor: tuple[float, float], radius: float
) -> tuple[float, float]:
    """The point ``radius`` pixels from ``centre`` towards ``anchor``."""
    dx, dy = anchor[0] - centre[0], anchor[1] - centre[1]
    length = float(np.hypot(dx, dy)) or 1.0
    return centre[0] + dx / length * radius, centre[1] + dy / length * radius


def _find_spot(
    centre: tuple[float, float],
    reaches: Sequence[float],
    width: float,
    height: float,
    frame: Sequence[float],
    marks: list[Box],
    placed: list[Box],
    leaders: list[tuple[tuple[float, float], tuple[float, float]]],
) -> tuple[Box, tuple[float, float], str] | None:
    """The first clear (box, text anchor, alignment) ``reaches`` pixels from ``centre``."""
    for reach in reaches:
        for angle in ANGLES:
            rad = np.radians(angle)
            x, y = centre[0] + reach * np.cos(rad), centre[1] + reach * np.sin(rad)
            ha = "left" if np.cos(rad) >= -1e-9 else "right"
            x0 = x if ha == "left" else x - width
            box = (x0 - SPARE, y - height / 2 - SPARE, x0 + width + SPARE, y + height / 2 + SPARE)
            inside = (
                frame[0] <= box[0]
                and box[2] <= frame[2]
                and frame[1] <= box[1]
                and box[3] <= frame[3]
            )
            if (
                inside
                and not any(_overlaps(box, b) for b in (*marks, *placed))
                and not any(_crosses(centre, (x, y), b) for b in placed)
                and not any(_crosses(start, end, box) for start, end in leaders)
            ):
                return box, (x, y), ha
    return None

"""Layout of every chart: label batches (row names, values, ticks, keys) drawn in one pass,
margins and limits that leave room for them, and the figure's fixed placement of title, key,
axes and footnotes (:func:`finish`). Sizes are inches; text is measured once and cached."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator, NullLocator
from matplotlib.transforms import Bbox, Transform

from marketdata.plots.base import (
    AXIS_BELOW,
    COLORS,
    DPI,
    LEGEND_ROW,
    NOTE,
    NOTE_LINE,
    PAD,
    TICK,
    TITLE,
    TITLE_HEIGHT,
    VALUE,
    WIDTH,
    drawing,
    measuring_renderer,
    text_size,
)


def row_height(names: Sequence[str], single: float) -> float:
    """Row pitch (inches): ``single``, or more when a name takes two lines."""
    lines = max((n.count("\n") + 1 for n in names), default=1)
    return max(single, lines * TICK * 1.2 / 72 + 0.12)


def label_margin(names: Sequence[str], size: float = TICK) -> float:
    """Left margin (inches) that holds the widest of ``names`` as row labels."""
    widest = max((text_size(n, size)[0] for n in names), default=0.0)
    return widest + 2 * PAD


@lru_cache(maxsize=8192)
def _metrics(text: str, size: float, weight: str) -> tuple[float, float, float]:
    """Width, height and descent of ``text`` in pixels at DPI; those of ``"lp"`` are the
    font's line box."""
    prop = FontProperties(size=size, weight=weight)
    with drawing():
        return measuring_renderer().get_text_width_height_descent(text, prop, ismath=False)


class Labels(Artist):
    """Short texts (row names, value labels, tile labels) drawn in one pass in one font.

    A :class:`matplotlib.text.Text` per label measures and lays itself out again on every
    draw; here the metrics come from a cache shared by all figures, so a label costs about
    half as much. Positions are in ``transform`` coordinates (default: the axes' data),
    shifted by ``offset`` points; ``ha`` (left, center, right) and ``va`` (top, center,
    bottom) align each label's box as ``Text`` does; a label may have several lines. Empty
    labels are dropped. Not clipped to the axes.
    """

    def __init__(
        self,
        ax: Axes | Figure,
        xs: Sequence[float],
        ys: Sequence[float],
        texts: Sequence[str],
        *,
        ha: str = "left",
        va: str = "center",
        size: float = VALUE,
        weight: str = "normal",
        colors: Sequence[str] | str = "black",
        offset: tuple[float, float] = (0.0, 0.0),
        transform: Transform | None = None,
        gid: str | None = None,
    ) -> None:
        super().__init__()
        keep = [i for i, t in enumerate(texts) if t]
        self.xs = [float(xs[i]) for i in keep]
        self.ys = [float(ys[i]) for i in keep]
        self.texts = [str(texts[i]) for i in keep]
        self.colors = [colors if isinstance(colors, str) else colors[i] for i in keep]
        self.ha, self.va, self.size, self.weight, self.offset = ha, va, size, weight, offset
        self._prop = FontProperties(size=size, weight=weight)
        self.set_transform(transform or ax.transData)  # type: ignore[union-attr]
        self.set_zorder(3)
        self.set_gid(gid)
        ax.add_artist(self)
        self.set_clip_on(False)

    def get_texts(self) -> list[str]:
        """The labels' texts, in order."""
        return list(self.texts)

    def _lines(self, renderer) -> Iterator[tuple[str, str, float, float, float, float]]:
        """(text, colour, x, baseline y, width, height) of every line, in display pixels."""
        scale = renderer.dpi / DPI
        dx, dy = (renderer.points_to_pixels(v) for v in self.offset)
        points = self.get_transform().transform(np.column_stack([self.xs, self.ys]))
        _, height, descent = (v * scale for v in _metrics("lp", self.size, self.weight))
        pitch = self.size * 1.2 / 72 * renderer.dpi
        for (px, py), text, color in zip(points, self.texts, self.colors, strict=True):
            lines = text.split("\n")
            block = height + pitch * (len(lines) - 1)
            top = {"top": py, "bottom": py + block}.get(self.va, py + block / 2)
            for k, line in enumerate(lines):
                width = _metrics(line, self.size, self.weight)[0] * scale
                x = px + dx - {"left": 0.0, "right": width}.get(self.ha, width / 2)
                yield line, color, x, top + dy - k * pitch - height + descent, width, height

    def extents(self, renderer) -> list[Bbox]:
        """Display-space box of every line (for overlap checks)."""
        scale = renderer.dpi / DPI
        descent = _metrics("lp", self.size, self.weight)[2] * scale
        return [
            Bbox.from_bounds(x, y - descent, width, height)
            for _, _, x, y, width, height in self._lines(renderer)
        ]

    def draw(self, renderer) -> None:
        if not self.get_visible():
            return
        renderer.open_group("labels", gid=self.get_gid())
        gc = renderer.new_gc()
        flip, canvas_height = renderer.flipy(), renderer.get_canvas_width_height()[1]
        for line, color, x, y, _, _ in self._lines(renderer):
            gc.set_foreground(color)
            y = canvas_height - y if flip else y
            renderer.draw_text(gc, x, y, line, self._prop, 0.0, ismath=False)
        gc.restore()
        renderer.close_group("labels")
        self.stale = False


def row_labels(ax: Axes, ys: Sequence[float], names: Sequence[str], size: float = TICK) -> Labels:
    """Names of the rows, right-aligned left of the axes (no tick objects)."""
    ax.set_yticks([])
    return Labels(
        ax,
        [0.0] * len(ys),
        ys,
        names,
        ha="right",
        size=size,
        offset=(-5, 0),
        transform=ax.get_yaxis_transform(),
        gid="row-label",
    )


def room(
    lows: np.ndarray,
    highs: np.ndarray,
    left: np.ndarray,
    right: np.ndarray,
    axes_width: float,
    log: bool = False,
) -> tuple[float, float]:
    """x limits that fit labels ``left`` inches left of each of ``lows`` and ``right`` inches
    right of each of ``highs`` inside an axes ``axes_width`` inches wide (linear or log)."""
    t = np.log10 if log else (lambda v: v)
    lo, hi = t(lows), t(highs)
    known = ~(np.isnan(lo) | np.isnan(hi))
    if not known.any():
        return (1.0, 10.0) if log else (0.0, 1.0)
    lo, hi, left, right = lo[known], hi[known], left[known], right[known]
    span = max(float(hi.max() - lo.min()), 1e-9)
    for _ in range(30):  # fixed point: the data per inch depends on the limits
        per_inch = span / axes_width
        a = float((lo - left * per_inch).min())
        b = float((hi + right * per_inch).max())
        span = b - a
    return (10**a, 10**b) if log else (a, b)


def finish(
    fig: Figure,
    axes: Sequence[Axes],
    *,
    left: float,
    plot_height: float,
    title: str,
    notes: Sequence[str] = (),
    legend: tuple[Sequence[Artist], Sequence[str]] | None = None,
    right: float = 0.25,
    gap: float = 0.35,
    below: float = AXIS_BELOW,
) -> None:
    """Size ``fig`` and place ``axes`` side by side with fixed margins (inches).

    From the top: the title, an optional key (``(handles, labels)``: lines, patches or line
    collections of the chart, shown as small samples; entries flow in rows), the axes
    (``plot_height`` tall), their x labels (``below``), then the footnotes. ``left`` holds the
    row labels.
    """
    unique = list(dict.fromkeys(n for n in notes if n))
    width = fig.get_figwidth()
    handles, labels = legend if legend else ([], [])
    places = _key_places(labels, width)
    legend_rows = 1 + max((row for row, _ in places), default=-1)
    top = TITLE_HEIGHT + legend_rows * LEGEND_ROW + (PAD if legend_rows else 0)
    bottom = below + len(unique) * NOTE_LINE + PAD
    height = round((top + plot_height + bottom) * DPI) / DPI  # whole pixels
    plot_height = height - top - bottom
    fig.set_size_inches(width, height)
    each = (width - left - right - gap * (len(axes) - 1)) / len(axes)
    for i, ax in enumerate(axes):
        x = left + i * (each + gap)
        ax.set_position((x / width, (bottom) / height, each / width, plot_height / height))
    fig.suptitle(title, x=PAD / width, y=1 - PAD / height, ha="left", va="top", fontsize=TITLE)
    if legend_rows:
        _key(fig, handles, labels, places, height - TITLE_HEIGHT - LEGEND_ROW / 2)
    if unique:
        fig.text(
            PAD / width,
            PAD / height,
            "\n".join(unique),
            ha="left",
            va="bottom",
            fontsize=NOTE,
            color=COLORS["grey"],
            linespacing=1.25,
        )


KEY_SAMPLE = 0.28  # inches: the width of a key's sample line or box


def _key_places(labels: Sequence[str], width: float) -> list[tuple[int, float]]:
    """(row, x in inches) of each key entry, flowing left to right within ``width``."""
    places, row, x = [], 0, PAD
    for label in labels:
        size = KEY_SAMPLE + 0.08 + text_size(label, VALUE)[0] + 0.3
        if x > PAD and x + size > width - PAD:
            row, x = row + 1, PAD
        places.append((row, x))
        x += size
    return places


def _key(
    fig: Figure,
    handles: Sequence[Artist],
    labels: Sequence[str],
    places: Sequence[tuple[int, float]],
    first_row: float,
) -> None:
    """The chart's key: for each handle a sample of its style, then its label (a legend
    without the cost of matplotlib's: no offset boxes, no Text objects)."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    inches = fig.dpi_scale_trans
    xs, ys = [], []
    for handle, (row, x) in zip(handles, places, strict=True):
        y = first_row - row * LEGEND_ROW
        if isinstance(handle, Patch):
            sample: Artist = Rectangle(
                (x, y - 0.06),
                KEY_SAMPLE,
                0.12,
                facecolor=handle.get_facecolor(),
                edgecolor=handle.get_edgecolor(),
                linewidth=handle.get_linewidth(),
                hatch=handle.get_hatch(),
                transform=inches,
            )
        elif isinstance(handle, Line2D):
            marker = handle.get_marker()
            line = handle.get_linestyle() not in ("None", "none", "")
            sample = Line2D(
                [x, x + KEY_SAMPLE] if line else [x + KEY_SAMPLE / 2],
                [y, y] if line else [y],
                color=handle.get_color(),
                linestyle=handle.get_linestyle(),
                linewidth=handle.get_linewidth(),
                marker=marker,
                markersize=handle.get_markersize(),
                markerfacecolor=handle.get_markerfacecolor(),
                markeredgecolor=handle.get_markeredgecolor(),
                markeredgewidth=handle.get_markeredgewidth(),
                transform=inches,
            )
        elif isinstance(handle, LineCollection):
            sample = Line2D(
                [x, x + KEY_SAMPLE],
                [y, y],
                color=handle.get_color()[0],
                linewidth=float(handle.get_linewidth()[0]),
                transform=inches,
            )
        else:
            raise TypeError(f"no key sample for a {type(handle).__name__}")
        sample.set_gid("key")
        fig.add_artist(sample)
        xs.append(x + KEY_SAMPLE + 0.08)
        ys.append(y)
    Labels(fig, xs, ys, list(labels), transform=inches, gid="key")


def axes_width(left: float, right: float = 0.25, count: int = 1, gap: float = 0.35) -> float:
    """Width (inches) of each of ``count`` axes side by side, as :func:`finish` places them."""
    return (WIDTH - left - right - gap * (count - 1)) / count


def ticks(
    ax: Axes,
    axis: str,
    text: Callable[[float], str],
    *,
    count: int = 5,
    locations: Sequence[float] | None = None,
    integer: bool = False,
) -> Labels:
    """Tick labels and grid lines of ``axis`` ("x" or "y") drawn as one label batch and one
    line collection: no Tick objects (three lines and two texts each, rebuilt on every draw).
    At most ``count`` ticks at 1-2-2.5-5 steps inside the current limits (set them first),
    or ``locations``. The axis label keeps its place below (or left of) the labels."""
    low, high = sorted(ax.get_xlim() if axis == "x" else ax.get_ylim())
    if locations is None:
        locator = MaxNLocator(count, steps=[1, 2, 2.5, 5, 10], integer=integer)
        locations = locator.tick_values(low, high)
    spot = np.array([v for v in locations if low - 1e-9 * abs(low) <= v <= high * (1 + 1e-9)])
    texts = [text(v) for v in spot]
    (ax.xaxis if axis == "x" else ax.yaxis).set_minor_locator(NullLocator())  # log scales
    if axis == "x":
        ax.set_xticks([])
        ax.vlines(spot, 0, 1, transform=ax.get_xaxis_transform(), color="0.88", lw=0.8, zorder=0)
        labels = Labels(
            ax,
            spot,
            np.zeros(len(spot)),
            texts,
            ha="center",
            va="top",
            size=TICK,
            offset=(0, -4),
            transform=ax.get_xaxis_transform(),
            gid="tick-label",
        )
        ax.xaxis.labelpad = TICK * 1.2 + 6
    else:
        ax.set_yticks([])
        ax.hlines(spot, 0, 1, transform=ax.get_yaxis_transform(), color="0.88", lw=0.8, zorder=0)
        labels = Labels(
            ax,
            np.zeros(len(spot)),
            spot,
            texts,
            ha="right",
            va="center",
            size=TICK,
            offset=(-4, 0),
            transform=ax.get_yaxis_transform(),
            gid="tick-label",
        )
        widest = max((text_size(t, TICK)[0] for t in texts), default=0.0)
        ax.yaxis.labelpad = widest * 72 + 8
    return labels

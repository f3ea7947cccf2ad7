"""Figures a reader can use, on real BLS data: the regional pay chart of 29-0000 in Ohio (the
bundled May 2025 snapshot, as the regional salary report builds it) and the outlook's charts
(tests/data/plots slice). Label boxes come from the renderer: no text overlaps another, every
text lies inside its figure, figures fit an 800 px page, colours come from the colour-blind-safe
palette, every figure carries a text alternative, and saving a figure draws it once."""

from __future__ import annotations

import base64
import itertools
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from marketdata import plots
from marketdata.core.errors import OfflineDataWarning
from marketdata.datasets import oews
from marketdata.plots import base
from marketdata.plots import label_layout as layout
from marketdata.reports import kit
from marketdata.reports import tables as rt
from tests.conftest import pay_band_frame

SLICE = Path(__file__).parents[1] / "data" / "plots" / "oews_2025_states.csv"
#: BLS Employment Projections 2024-34: percent change, openings, median wage 2024.
EP = pd.DataFrame(
    {
        "area_name": ["Ohio", "United States"],
        "occupation_title": ["Medical records specialists", "Registered nurses"],
        "percent_change": [5.2, -1.5],
        "openings_annual": [900.0, 189100.0],
        "annual_median": [50250.0, 93600.0],
    }
)


@pytest.fixture
def ohio_29() -> pd.DataFrame:
    """The regional salary report's table for 29-0000 in Ohio (bundled snapshot, offline)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        where = rt.area("OH")
        _, members = rt.occupation_list("29-0000")
        wages = oews.load([o.code for o in members], [where.code, "US"], release="latest")
        return rt.regional_table(wages, where, members)


@pytest.fixture(scope="module")
def states() -> pd.DataFrame:
    return pd.read_csv(SLICE, dtype={"area_code": "string", "state_code": "string"})


def regional(table: pd.DataFrame) -> Figure:
    """The chart as the regional notebook draws it."""
    return plots.wage_distribution(
        table, label="occupation_title", reference="national_annual_median", sort=True
    )


def drawn_texts(fig: Figure) -> list[tuple[str, Bbox]]:
    """(text, display box) of every text the figure draws, measured by its renderer."""
    with base.drawing():
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = set()
    for ax in fig.axes:
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            for tick in axis.get_major_ticks():
                if not low <= tick.get_loc() <= high:
                    ticks.add(id(tick.label1))  # located but outside the view: not drawn
                ticks.add(id(tick.label2)) if not tick.label2.get_visible() else None
    boxes = [
        (t.get_text(), t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in ticks
    ]
    for batch in fig.findobj(layout.Labels):
        lines = [line for text in batch.get_texts() for line in text.split("\n")]
        boxes += list(zip(lines, batch.extents(renderer), strict=True))
    return boxes


def assert_readable(fig: Figure) -> None:
    """No two texts overlap (half a pixel of slack), all inside the figure, ≤ 800 px wide."""
    width, height = fig.canvas.get_width_height()
    assert width <= 800
    boxes = drawn_texts(fig)
    assert boxes
    for text, box in boxes:
        assert box.x0 >= -0.5 and box.x1 <= width + 0.5, f"{text!r} leaves the figure"
        assert box.y0 >= -0.5 and box.y1 <= height + 0.5, f"{text!r} leaves the figure"
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        overlap = (
            box_a.x0 < box_b.x1 - 0.5
            and box_b.x0 < box_a.x1 - 0.5
            and box_a.y0 < box_b.y1 - 0.5
            and box_b.y0 < box_a.y1 - 0.5
        )
        assert not overlap, f"{a!r} overlaps {b!r}"


def drawn_marks(fig: Figure) -> list[Bbox]:
    """Display boxes of the markers the axes draw: scatter points (their size) and line
    markers (their marker size), as the renderer places them."""
    with base.drawing():
        fig.canvas.draw()
    px = fig.dpi / 72
    marks = []
    for ax in fig.axes:
        frame = ax.get_window_extent()
        for points in ax.collections:
            if not isinstance(points, PathCollection):
                continue
            centres = points.get_offset_transform().transform(points.get_offsets())
            sizes = np.broadcast_to(points.get_sizes(), (len(centres),))
            for (x, y), size in zip(centres, sizes, strict=True):
                half = np.sqrt(size) * px / 2
                marks.append(Bbox([[x - half, y - half], [x + half, y + half]]))
        for line in ax.lines:
            if line.get_marker() in (None, "", "None", "none") or not line.get_visible():
                continue
            data = np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)
            data = data[np.isfinite(data).all(axis=1)]
            if not len(data):
                continue
            half = line.get_markersize() * px / 2
            for x, y in line.get_transform().transform(data):
                if frame.x0 <= x <= frame.x1 and frame.y0 <= y <= frame.y1:
                    marks.append(Bbox([[x - half, y - half], [x + half, y + half]]))
    return marks


def assert_clear_of_marks(fig: Figure) -> None:
    """No text the axes draw covers a marker (half a pixel of slack)."""
    marks = drawn_marks(fig)
    for text, box in drawn_texts(fig):
        for mark in marks:
            overlap = (
                box.x0 < mark.x1 - 0.5
                and mark.x0 < box.x1 - 0.5
                and box.y0 < mark.y1 - 0.5
                and mark.y0 < box.y1 - 0.5
            )
            assert not overlap, f"{text!r} covers a marker at {mark.extents.round()}"


def test_regional_chart_sorted_by_median_every_band_visible(ohio_29: pd.DataFrame) -> None:
    assert len(ohio_29) > 60
    shown = rt.top(ohio_29, "employment", plots.CHART_ROWS)
    fig = regional(shown)
    assert_readable(fig)
    ax = fig.axes[0]
    (rows,) = [b for b in ax.findobj(layout.Labels) if b.get_gid() == "row-label"]
    top_down = [
        t.replace("\n", " ") for _, t in sorted(zip(rows.ys, rows.texts, strict=True), reverse=True)
    ]
    expected = shown.sort_values("annual_median", ascending=False)["occupation_title"]
    assert top_down == list(expected)
    # physicians reach $501,260 and pharmacy technicians start at $34,980: a log axis
    assert ax.get_xscale() == "log"
    renderer = fig.canvas.get_renderer()
    boxes = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid() == "iqr-box"]
    assert len(boxes) == len(shown)
    widths = [p.get_window_extent(renderer).width for p in boxes]
    assert min(widths) >= 8  # px: every 25th-75th box stays visible
    texts = [t for t, _ in drawn_texts(fig)]
    assert "$297,440" in texts and "$501,260" in texts  # Physicians, All Other (BLS May 2025)
    assert "U.S. median" in texts


def test_wages_not_released_and_top_codes_stay_readable(states: pd.DataFrame) -> None:
    anest = states[states["occupation_code"] == "29-1211"].head(15)  # Illinois: not released
    fig = plots.wage_distribution(anest, sort=True)
    assert_readable(fig)
    texts = [t for t, _ in drawn_texts(fig)]
    assert "≥ $239,200" in texts and "wages not released" in texts


def _outlook_figures(states: pd.DataFrame) -> dict[str, Callable[[], Figure]]:
    occ = states[states["occupation_code"] == "29-2072"]
    pair = occ.set_index("area_code").loc[["3900000", "0000000"]].reset_index()
    state_rows = occ[occ["area_type"] == "state"]
    metros = occ[occ["area_type"] == "metro"]
    bands = pay_band_frame(pair)
    history = pd.DataFrame(
        {"year": [2021, 2022, 2023, 2024], "annual_median": [46660.0, 47180.0, np.nan, 50250.0]}
    )
    return {
        "wage_distribution": lambda: plots.wage_distribution(pair),
        "area_comparison": lambda: plots.area_comparison(pair),
        "map_median_pay": lambda: plots.tile_map(state_rows, measure="annual_median"),
        "map_location_quotient": lambda: plots.tile_map(
            state_rows, measure="location_quotient", cmap="cividis"
        ),
        "metros_best_paying": lambda: plots.top_metros(metros, measure="annual_median"),
        "metros_largest": lambda: plots.top_metros(metros, measure="employment"),
        "growth_openings": lambda: plots.growth_openings(EP, label="area_name", average=3.1),
        "pay_bands": lambda: plots.pay_bands(bands),
        "history": lambda: plots.history(history),
        "growth_vs_pay": lambda: plots.growth_vs_pay(EP),
    }


FIGURES = [
    "wage_distribution",
    "area_comparison",
    "map_median_pay",
    "map_location_quotient",
    "metros_best_paying",
    "metros_largest",
    "growth_openings",
    "pay_bands",
    "history",
    "growth_vs_pay",
]


@pytest.mark.parametrize("name", FIGURES)
def test_every_chart_is_readable_and_described(states: pd.DataFrame, name: str) -> None:
    figures = _outlook_figures(states)
    assert list(figures) == FIGURES
    fig = figures[name]()
    assert_readable(fig)
    assert_clear_of_marks(fig)
    alt = base.alt_text(fig)
    assert alt and len(alt) > 30


@pytest.mark.parametrize("name", FIGURES)
def test_chart_text_prints_at_8_pt_or_more(states: pd.DataFrame, name: str) -> None:
    """Every text a chart draws is 8 pt or more: a chart prints at its own size, so its
    font sizes are the printed ones."""
    fig = _outlook_figures(states)[name]()
    with base.drawing():
        fig.canvas.draw()
    sizes = {t.get_text(): t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip()}
    sizes |= {f"{b.get_gid()} labels": b.size for b in fig.findobj(layout.Labels)}
    small = {text: size for text, size in sizes.items() if size < 8}
    assert not small, small


OKABE_ITO = {"#000000", "#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}


@pytest.mark.parametrize("name", FIGURES)
def test_colours_are_colour_blind_safe(states: pd.DataFrame, name: str) -> None:
    """Lines and marks use Okabe-Ito colours (a darker step of its blue for the third pay
    band), greys or white; the maps use viridis/cividis (their tiles are left out here)."""
    fig = _outlook_figures(states)[name]()
    used = set()
    for ax in fig.axes:
        for line in ax.findobj(Line2D):
            used |= {to_hex(line.get_color()), to_hex(line.get_markerfacecolor())}
        for patch in ax.patches:
            if patch.get_gid() != "tile" and patch.get_visible():
                used.add(to_hex(patch.get_facecolor()))
    greys = {c for c in used if c[1:3] == c[3:5] == c[5:7]}
    assert used - greys <= OKABE_ITO | {base.COLORS["navy"].lower()}


def test_labels_measure_as_text_does() -> None:
    """The label batches' boxes match matplotlib's own Text boxes to a pixel or two."""
    fig = base.new_figure(4, 2)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    for ha, va in itertools.product(("left", "center", "right"), ("top", "center", "bottom")):
        text = ax.text(0.5, 0.5, "$48,110", ha=ha, va=va, fontsize=8, parse_math=False)
        batch = layout.Labels(ax, [0.5], [0.5], ["$48,110"], ha=ha, va=va, size=8)
        with base.drawing():
            fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ours, theirs = batch.extents(renderer)[0], text.get_window_extent(renderer)
        assert np.allclose(ours.extents, theirs.extents, atol=2), (ha, va)
        text.remove()
        batch.remove()


def test_show_figure_draws_once_writes_png_and_alt(states: pd.DataFrame, tmp_path) -> None:
    InteractiveShell.instance()  # display() publishes to a shell, as in a kernel
    fig = _outlook_figures(states)["wage_distribution"]()
    draws = []
    original = fig.draw
    fig.draw = lambda renderer: (draws.append(1), original(renderer))[1]  # type: ignore[method-assign]
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_figure(fig, "wage_distribution")
    assert len(draws) == 1
    written = (tmp_path / "figures" / "wage_distribution.png").read_bytes()
    shown = captured.outputs[0]
    assert base64.b64decode(shown.data["image/png"]) == written
    width = int.from_bytes(written[16:20], "big")  # PNG header: IHDR width
    assert width == 760 <= 800
    alt = shown.metadata["image/png"]["alt"]
    assert alt == base.alt_text(fig)
    assert "Ohio: 10th percentile $38,060, median $50,990, 90th percentile $79,290" in alt


@pytest.fixture(scope="module")
def nation_29() -> pd.DataFrame:
    """The growth explorer's table for 29-0000 nationally (bundled EP 2024-34 and OEWS)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        table, _, _ = rt.group_outlook("29-0000", rt.area("US"))
    return table


def test_growth_scatter_labels_clear_of_points(nation_29: pd.DataFrame) -> None:
    """The growth-against-pay scatter of 29-0000: its names cover no bubble and no other
    name, each joins its point by a leader line, and the occupation asked for is named."""
    fig = plots.growth_vs_pay(nation_29, highlight=["29-2072"])
    assert_readable(fig)
    assert_clear_of_marks(fig)
    texts = [t for t, _ in drawn_texts(fig)]
    named = {"Medical records specialists", "Nurse practitioners", "Registered nurses"}
    assert named <= set(texts)  # the report's occupation, the fastest, the most openings
    ax = fig.axes[0]
    names = [t for t in ax.texts if t.get_gid() == "value-label"]
    leaders = [line for line in ax.lines if line.get_gid() == "leader"]
    assert len(names) == len(leaders) == 3


def test_regional_chart_capped_and_clear_of_markers(ohio_29: pd.DataFrame) -> None:
    """The regional report's chart of 29-0000 in Ohio: no longer than a printed page, and
    "wages not released" never under the U.S.-median marker."""
    shown = rt.top(ohio_29, "employment", plots.CHART_ROWS)
    fig = regional(shown)
    assert_readable(fig)
    assert_clear_of_marks(fig)
    assert fig.get_size_inches()[1] <= 9.0  # inches: prints at full size on Letter or A4
    with pytest.raises(ValueError, match="at most"):
        regional(ohio_29)  # 71 rows would print shrunk: the caller caps or splits


def test_wages_not_released_beside_the_us_median(ohio_29: pd.DataFrame) -> None:
    """Rows BLS released no Ohio wages for, with the U.S. median marked: the note and the
    marker do not meet."""
    blank = ohio_29[ohio_29["annual_median"].isna() & ohio_29["annual_p90"].isna()]
    assert len(blank) >= 2 and blank["national_annual_median"].notna().all()
    # the range of the whole table: its three highest 90th and two lowest 10th percentiles
    highest = ohio_29.sort_values("annual_p90", ascending=False).head(3)
    lowest = ohio_29.sort_values("annual_p10").head(2)
    fig = regional(pd.concat([highest, lowest, blank]))
    assert "wages not released" in [t for t, _ in drawn_texts(fig)]
    assert_clear_of_marks(fig)

"""Charts from real BLS rows (May 2025, tests/data/plots/oews_2025_states.csv).

Run with warnings as errors: a chart that warns fails.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from marketdata import plots
from marketdata.core import formatting
from marketdata.core.errors import SchemaError
from tests.conftest import pay_band_frame

pytestmark = pytest.mark.filterwarnings("error")

DATA = Path(__file__).parents[1] / "data" / "plots" / "oews_2025_states.csv"


@pytest.fixture(scope="module")
def oews() -> pd.DataFrame:
    return pd.read_csv(DATA, dtype={"area_code": "string", "state_code": "string"})


def _texts(fig: Figure) -> list[str]:
    """Every text of the figure: Text artists and the lines of label batches."""
    texts = [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]
    for batch in fig.findobj(plots.label_layout.Labels):
        texts += [line for text in batch.get_texts() for line in [text, *text.split("\n")]]
    return texts


def _render(fig: Figure) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()


def _top_down(ax) -> list[str]:
    """Row labels from the top of the axes down."""
    (rows,) = [b for b in ax.findobj(plots.label_layout.Labels) if b.get_gid() == "row-label"]
    return [text for _, text in sorted(zip(rows.ys, rows.texts, strict=True), reverse=True)]


def _occ(df: pd.DataFrame, code: str) -> pd.DataFrame:
    return df[df["occupation_code"] == code]


def test_wage_distribution_labels_values_and_bounds(oews):
    rows = _occ(oews, "29-2072").set_index("area_code").loc[["3900000", "0000000"]].reset_index()
    fig = plots.wage_distribution(rows)
    _render(fig)
    ax = fig.axes[0]
    assert "Annual wage" in ax.get_xlabel()
    assert ax.get_xscale() == "linear"  # $37,000 to $81,150: no need for a log axis
    assert _top_down(ax) == ["Ohio", "National"]
    texts = _texts(fig)
    assert "$51,140" in texts  # BLS national median, May 2025
    assert "$50,990" in texts  # Ohio


def test_wage_distribution_topcoded_and_missing(oews):
    anest = _occ(oews, "29-1211")
    rows = anest[anest["area_name"].isin(["Alaska", "Ohio", "Illinois"])]
    assert rows["is_topcoded_annual_median"].any() and rows["annual_p90"].isna().any()
    fig = plots.wage_distribution(rows, basis="annual")
    _render(fig)
    texts = " ".join(_texts(fig))
    assert "≥ $239,200" in texts
    assert plots.BOUND_NOTE in texts
    assert plots.GAP_NOTE in texts


def test_tile_map_has_51_tiles_and_notes(oews):
    states = _occ(oews, "29-2072").query("area_type == 'state'")
    fig = plots.tile_map(states, measure="annual_median")
    _render(fig)
    ax = fig.axes[0]
    tiles = [c for c in ax.collections if c.get_gid() == "tile"]
    assert sum(len(c.get_paths()) for c in tiles) == 51
    texts = _texts(fig)
    assert {"DC", "OH", "AK", "HI"} <= set(texts)
    assert "$50,990" in texts
    assert "Median annual wage (USD)" in texts  # the colour key
    assert {"$41,500", "$72,040"} <= set(texts)  # its ends: the lowest and highest state
    assert any("tile grid, not to scale" in t for t in texts)
    assert any("Not on the map: Guam" in t for t in texts)


def test_tile_map_marks_missing_and_topcoded(oews):
    states = _occ(oews, "29-1211").query("area_type == 'state'")
    fig = plots.tile_map(states, measure="annual_median")
    _render(fig)
    texts = _texts(fig)
    assert "n/a" in texts
    assert "≥ $239,200" in texts
    hatched = [
        path
        for c in fig.axes[0].collections
        if c.get_gid() == "tile" and c.get_hatch()
        for path in c.get_paths()
    ]
    missing = int(
        states["state_code"].isin(plots.STATE_TILES).sum() - states["annual_median"].notna().sum()
    )
    assert len(hatched) >= missing > 0


def test_tile_map_rejects_repeated_states(oews):
    states = _occ(oews, "29-2072").query("area_type == 'state'")
    with pytest.raises(SchemaError, match="one row per state"):
        plots.tile_map(pd.concat([states, states.head(1)]), measure="annual_median")


def test_tile_grid_is_the_50_states_and_dc():
    assert len(plots.STATE_TILES) == 51
    positions = list(plots.STATE_TILES.values())
    assert len(set(positions)) == 51
    assert "11" in plots.STATE_TILES  # District of Columbia


def test_top_metros_sorted_with_values(oews):
    metros = _occ(oews, "29-2072").query("area_type == 'metro'")
    fig = plots.top_metros(metros, n=5)
    _render(fig)
    ax = fig.axes[0]
    names = _top_down(ax)
    expected = metros.nlargest(5, "annual_median")["area_name"].tolist()
    assert names == expected
    assert ax.get_xlabel() == "Median annual wage (USD)"


def test_area_comparison_keeps_order_and_hatches_topcoded(oews):
    anest = (
        _occ(oews, "29-1211")
        .set_index("area_name")
        .loc[["Alaska", "Ohio", "National"]]
        .reset_index()
    )
    fig = plots.area_comparison(anest)
    _render(fig)
    ax = fig.axes[0]
    assert _top_down(ax) == ["Alaska", "Ohio", "National"]
    assert any(bar.get_hatch() for bar in ax.patches)
    assert "≥ $239,200" in _texts(fig)


def test_bars_leave_gap_for_missing(oews):
    rows = _occ(oews, "29-1211").query("area_type == 'state'").head(12)
    assert rows["annual_median"].isna().any()
    fig = plots.bars(rows, measure="annual_median", label="area_name", title="t")
    _render(fig)
    assert "not released" in _texts(fig)


def test_history_line_with_gap():
    years = pd.DataFrame(
        {
            "year": [2021, 2022, 2023, 2024],
            "annual_median": [
                46660.0,
                47180.0,
                np.nan,
                50250.0,
            ],  # BLS national medians of 29-2072; 2023 blanked
            "occupation_title": "Medical Records Specialists",
        }
    )
    fig = plots.history(years)
    _render(fig)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Median annual wage (USD)"
    assert ax.get_xlabel() == "Year"
    assert plots.GAP_NOTE in _texts(fig)


def test_history_marks_rows_that_do_not_compare():
    years = pd.DataFrame(
        {
            "year": [2019, 2020, 2021],
            "employment": [8673140.0, 8579180.0, 8787730.0],  # BLS, 29-0000 national
            "is_comparable": [False, False, True],
        }
    )
    fig = plots.history(years, measure="employment")
    _render(fig)
    assert plots.NOT_COMPARABLE_NOTE in _texts(fig)
    hollow = [line for line in fig.axes[0].lines if line.get_markerfacecolor() == "white"]
    assert len(hollow) == 1 and list(hollow[0].get_xdata()) == [2019, 2020]


# BLS Employment Projections 2024-34 (Table 1.2): percent change, openings, median wage 2024
EP_2024_34 = pd.DataFrame(
    {
        "occupation_title": [
            "Medical records specialists",
            "Registered nurses",
            "Anesthesiologists",
        ],
        "percent_change": [7.1, 4.9, 3.2],
        "openings_annual": [14200.0, 189100.0, 1300.0],
        "annual_median": [50250.0, 93600.0, 239200.0],
        "is_topcoded_annual_median": [False, False, True],
    }
)


def test_growth_openings():
    fig = plots.growth_openings(EP_2024_34, average=3.1)
    _render(fig)
    left, right = fig.axes
    assert left.get_xlabel() == "Projected employment change (percent)"
    assert right.get_xlabel() == "Openings per year (projected average)"
    assert _top_down(left) == list(EP_2024_34["occupation_title"])
    texts = _texts(fig)
    assert {"+7.1%", "189,100", "All occupations +3.1%"} <= set(texts)


def test_growth_vs_pay_marks_topcoded_pay():
    fig = plots.growth_vs_pay(EP_2024_34)
    _render(fig)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Projected employment change (percent)"
    assert ax.get_ylabel() == "Median annual wage (USD)"
    assert plots.BOUND_NOTE in _texts(fig)
    assert "Registered nurses" in _texts(fig)


def test_pay_bands_are_labelled_estimates(oews):
    rows = _occ(oews, "29-2072").set_index("area_code").loc[["3900000", "0000000"]].reset_index()
    bands = pay_band_frame(rows)
    fig = plots.pay_bands(bands)
    _render(fig)
    ax = fig.axes[0]
    (key,) = [b for b in fig.findobj(plots.label_layout.Labels) if b.get_gid() == "key"]
    legend = key.get_texts()
    assert all("estimate" in t for t in legend if t != "Median (published)")
    assert "With a certification (estimate)" in legend
    assert "estimates" in ax.get_xlabel() and _top_down(ax) == ["Ohio", "National"]
    # rounded as the report's text rounds an estimate; two dollar signs, drawn as text
    assert "$53,500–$57,100" in _texts(fig)


def test_format_value():
    assert formatting.format_value(51140.0, "annual_median") == "$51,140"
    assert formatting.format_value(24.59, "hourly_median") == "$24.59"
    assert formatting.format_value(239200.0, "annual_p90", topcoded=True) == "≥ $239,200"
    assert formatting.format_value(float("nan"), "annual_median") == "n/a"
    assert formatting.format_value(194720.0, "employment") == "194,720"

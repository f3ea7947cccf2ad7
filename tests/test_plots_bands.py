"""The regional pay-band chart on the 71 occupations of SOC 29-0000 in Ohio (bundled May 2025
data): sorted by median, every band visible, value labels apart."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

from marketdata import oews
from marketdata.errors import OfflineDataWarning
from marketdata.plots import bands as pay_chart
from marketdata.reports import tables as rt


@pytest.fixture(scope="module")
def table():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        where = rt.area("OH")
        _, members = rt.occupation_list("29-0000")
        wages = oews.load(occupation=[o.code for o in members], area=[where.code, "US"])
        return rt.regional_table(wages, where, members)


def test_rows_sorted_by_median_and_unpublished_last(table) -> None:
    rows = pay_chart.sorted_rows(table)
    medians = rows["annual_median"].to_numpy(dtype=float)
    known = medians[~np.isnan(medians)]
    assert list(known) == sorted(known, reverse=True)
    assert np.isnan(medians[len(known) :]).all()
    fig = pay_chart.pay_band_chart(table)
    shown = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert shown == list(reversed(rows["occupation_title"].tolist()))


def test_every_band_is_visible_and_labels_never_overlap(table) -> None:
    assert len(table) > 60
    fig = pay_chart.pay_band_chart(table)
    fig.canvas.draw()
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    widths = [p.get_window_extent(renderer).width for p in ax.patches]
    published = table[["annual_p25", "annual_p75"]].notna().all(axis=1).sum()
    assert len(widths) == published
    assert min(widths) >= 4, min(widths)  # pixels at 100 dpi: no band shrinks to a hairline
    boxes = sorted(pay_chart.label_boxes(fig), key=lambda b: b[1])
    assert len(boxes) == len(table)
    for below, above in itertools.pairwise(boxes):
        assert below[3] <= above[1], (below, above)  # no two value labels overlap
    texts = {t.get_text() for t in ax.texts}
    assert "$82,510" in texts  # registered nurses' Ohio median, as the table formats it


def test_alt_text_names_the_extremes(table) -> None:
    text = pay_chart.pay_band_alt(table, area_name="Ohio")
    paid = table.dropna(subset=["annual_median"])
    low = paid.loc[paid["annual_median"].idxmin()]
    assert text.startswith(f"Chart of annual pay bands of {len(table)} occupations in Ohio")
    assert f"lowest: {low['occupation_title']} (${low['annual_median']:,.0f})" in text

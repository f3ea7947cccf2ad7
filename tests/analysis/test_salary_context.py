"""BEA price parities and ORS credential requirements in the salary breakdown and the
``marketdata salary`` command (offline: bundled BEA and ORS values; real OEWS slice)."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata.analysis import salary
from marketdata.analysis.salary.context_columns import BEA_DERIVED, ORS_PUBLISHED
from marketdata.core.errors import OfflineDataWarning
from marketdata.sources import oe

OE = Path(__file__).parents[1] / "data" / "salary" / "oe"
AREAS = ["US", "Ohio", "Columbus, OH"]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    data = oe.parse({name: OE / name for name in oe.FILES})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        return salary.breakdown(
            "29-2072", AREAS, data=data, certification=False, what_it_takes=False
        )


def test_rpp_columns(frame) -> None:
    us, ohio, columbus = (frame.iloc[i] for i in range(3))
    assert (us["rpp"], us["annual_median_rpp_adjusted"]) == (100.0, 51140)
    assert (ohio["rpp"], ohio["rpp_year"]) == (91.903, 2023)
    assert ohio["annual_median_rpp_adjusted"] == round(50990 / 91.903 * 100)
    assert (columbus["rpp"], columbus["rpp_year"]) == (94.516, 2023)
    assert columbus["rpp_source"] == "BEA MARPP 2023, updated December 12, 2024"
    info = frame.attrs["column_info"]
    assert info["annual_median_rpp_adjusted"]["kind"] == BEA_DERIVED
    assert "BEA-derived" in info["annual_median_rpp_adjusted"]["method"]


def test_ors_columns(frame) -> None:
    row = frame.iloc[0]
    assert (row["ors_any_share"], row["ors_any_se"]) == (31.9, 7.5)
    assert (row["ors_certification_share"], row["ors_certification_se"]) == (26.3, 7.5)
    assert math.isnan(row["ors_license_share"]) and "license" in row["ors_note"]
    assert row["ors_text"] == (
        "About 1 in 4 of these jobs requires a certification (BLS ORS 2020, preliminary)"
    )
    assert frame.attrs["column_info"]["ors_any_share"]["kind"] == ORS_PUBLISHED
    assert {"BEA", "ORS"} <= {p["program"] for p in frame.attrs["provenance"]}


def test_display_rows(frame) -> None:
    shown = salary.display(frame)
    parity = shown.loc["BEA price parity, all items, 2023 (U.S. = 100)"]  # the year said once
    assert (parity["Ohio"], parity["Columbus, OH"]) == ("91.9", "94.5")
    assert shown.loc["Median in national prices (BEA-derived)", "Ohio"] == "$55,482"
    assert shown.loc["ORS: jobs requiring a certification", "Ohio"] == "26.3% (SE 7.5)"
    assert shown.loc["ORS: jobs requiring a license", "Ohio"] == "n/a"


def test_left_out_when_asked(frame) -> None:
    data = oe.parse({name: OE / name for name in oe.FILES})
    plain = salary.breakdown(
        "29-2072",
        ["Ohio"],
        data=data,
        certification=False,
        what_it_takes=False,
        local_prices=False,
        requirements=False,
    )
    assert not [c for c in plain.columns if c.startswith(("rpp", "ors_"))]


def test_cli_salary_shows_both_with_sources(capsys) -> None:
    from marketdata.cli import commands as cli

    with pytest.warns(OfflineDataWarning):
        status = cli.main(
            ["salary", "29-2072", "OH", "West Northwestern Ohio nonmetropolitan area"]
        )
    assert status == 0
    out = capsys.readouterr().out
    assert (
        "Note: About 1 in 4 of these jobs requires a certification (BLS ORS 2020, preliminary)"
        in out
    )
    assert "Median in national prices (BEA-derived)" in out and "$54,962" in out
    assert "Note (West Northwestern Ohio nonmetropolitan area): no BEA price parity" in out
    assert "Source: BEA SARPP, last updated February 19, 2026 (bundled snapshot)" in out
    assert "Source: BLS ORS 2020 (preliminary) (bundled snapshot)" in out

"""Observed change between two OEWS releases by area, nominal and in constant dollars.

OEWS figures come from the real archive slices in tests/data/oews_archive; the CPI-U annual
averages (``CUUR0000SA0``, ``M13``) from a real slice of BLS's CPI flat file, both served by a
local server.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from marketdata.analysis.change import observed_change
from marketdata.core.config import Settings
from marketdata.core.errors import InputValueError, UnknownRelease
from tests.bls_server import BLSServer
from tests.datasets.test_oews_history import serve_all

#: A real slice of BLS's CPI flat file: CPI-U monthly values 1999 to March 2026.
CPI_FILE = Path(__file__).parents[1] / "data" / "cpi" / "cu.data.1.AllItems"
CPI_PATH = "/pub/time.series/cu/cu.data.1.AllItems"


@pytest.fixture
def cpi(bls_server: BLSServer) -> str:
    bls_server.add(CPI_PATH, CPI_FILE)
    return CPI_PATH


@pytest.fixture
def served(bls_server: BLSServer, online_settings: Settings, cpi: str) -> Settings:
    serve_all(bls_server)
    return online_settings


def test_states_2010_to_2013(bls_server: BLSServer, served: Settings, cpi: str) -> None:
    df = observed_change("29-2071", start=2010, end=2013, settings=served)
    assert df["area_code"].iloc[0] == "0000000"
    assert set(df["area_type"]) == {"national", "state"}
    assert len(df) == 1 + 53  # the Virgin Islands publish no 29-2071 row
    al = df.set_index("area_code").loc["0100000"]
    assert (al["employment_start"], al["employment_end"]) == (2820, 2560)
    assert al["employment_change"] == -260
    assert al["employment_pct_change"] == pytest.approx(-260 / 2820 * 100)
    # published RSEs 4.3 % and 4.0 %: se = sqrt(121.26^2 + 102.4^2) = 158.7; 1.96 se = 311
    assert al["employment_change_se"] == pytest.approx(math.hypot(0.043 * 2820, 0.040 * 2560))
    assert al["employment_within_sampling_error"]
    assert (al["annual_median_start"], al["annual_median_end"]) == (26600, 27360)
    assert al["annual_median_change"] == 760
    real = 26600 * 232.957 / 218.056
    assert al["annual_median_start_real"] == pytest.approx(real)
    assert al["annual_median_real_change"] == pytest.approx(27360 - real)
    assert (al["cpi_start"], al["cpi_end"]) == (218.056, 232.957)
    assert al["is_comparable"]  # same SOC 2010 code, one-to-one from the 2010 hybrid
    assert (al["start_release"], al["end_release"]) == ("May 2010", "May 2013")
    programs = [p["program"] for p in df.attrs["provenance"]]
    assert programs.count("OEWS") == 4  # national and state zips of both releases
    assert "CPI" in programs  # and the CPI-U annual averages
    assert bls_server.count(cpi) == 1  # BLS's CPI file, read once for both years


def test_mean_wage_sampling_error_rule(served: Settings) -> None:
    df = observed_change("29-2071", ["US"], start=2010, end=2013, settings=served)
    us = df.iloc[0]
    a, b = us["annual_mean_start"], us["annual_mean_end"]
    change = b - a
    assert us["annual_mean_change"] == pytest.approx(change)
    assert not pd.isna(us["annual_mean_change_se"])
    assert us["annual_mean_within_sampling_error"] == (
        abs(change) < 1.96 * us["annual_mean_change_se"]
    )
    # a national change of +4,670 jobs with 1-2 % RSEs is outside sampling error
    assert (us["employment_start"], us["employment_end"]) == (176090, 180760)
    assert not us["employment_within_sampling_error"]


def test_change_across_the_soc_2018_revision_is_flagged(served: Settings) -> None:
    df = observed_change("29-2072", "US", start=2018, end=2021, settings=served)
    us = df.iloc[0]
    assert (us["start_code"], us["end_code"]) == ("29-2071", "29-2072")
    assert (us["employment_start"], us["employment_end"]) == (208650, 180570)
    assert not us["is_comparable"]
    assert "29-9021" in us["comparability_note"]
    assert us["annual_median_real_change"] == pytest.approx(46660 - 40350 * 270.970 / 251.107)


def test_topcoded_and_suppressed_values_give_no_change(served: Settings) -> None:
    # Anesthesiologists: medians at the top code in both releases ($166,400 in 2010,
    # $187,200 in 2013); Alaska's employment is not published ("**")
    df = observed_change("29-1061", ["AL", "AK"], start=2010, end=2013, settings=served)
    by = df.set_index("area_name")
    al, ak = by.loc["Alabama"], by.loc["Alaska"]
    assert (al["annual_median_start"], al["annual_median_end"]) == (166400, 187200)
    assert pd.isna(al["annual_median_change"]) and pd.isna(al["annual_median_real_change"])
    assert "annual_median: top-coded" in al["note"]
    assert (al["annual_mean_start"], al["annual_mean_end"]) == (186440, 245750)
    assert al["annual_mean_change"] == 245750 - 186440
    assert (al["employment_start"], al["employment_end"], al["employment_change"]) == (
        520,
        650,
        130,
    )
    assert pd.isna(ak["employment_start"]) and pd.isna(ak["employment_change"])
    assert pd.isna(ak["employment_within_sampling_error"])
    assert "employment start: employment estimate not available" in ak["note"]
    assert "annual_mean: top-coded" in ak["note"]


def test_start_must_precede_end(served: Settings) -> None:
    with pytest.raises(UnknownRelease):
        observed_change("29-2071", start=2013, end=2010, settings=served)


def test_cpi_year_missing(bls_server: BLSServer, online_settings: Settings) -> None:
    serve_all(bls_server)
    lines = CPI_FILE.read_bytes().splitlines(keepends=True)
    without_2013 = b"".join(line for line in lines if b"\t2013\t" not in line)
    bls_server.add(CPI_PATH, without_2013)
    with pytest.raises(InputValueError, match="2013"):
        observed_change("29-2071", ["US"], start=2010, end=2013, settings=online_settings)

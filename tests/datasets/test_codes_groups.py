"""Groups by name (``all``, ``all-states``, ``OH-metros``, SOC groups) on the bundled May 2025
snapshot and EP 2024-34 round, in Python as in batch runs."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata import bundled as snapshot
from marketdata.core.config import Settings
from marketdata.core.errors import InputValueError, OfflineDataWarning, UnknownArea, UnknownCode
from marketdata.datasets import codes, codes_groups, oews, projections
from marketdata.reports import batch
from tests.bls_server import BLSServer

ARCHIVE = Path(__file__).parents[1] / "data" / "oews_archive"
FOLDER = "/oes/special-requests/"


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        yield


def test_metros_of_a_state_include_those_spanning_states() -> None:
    ohio = codes.areas_in("OH", kind="metro")
    names = [a.name for a in ohio]
    assert len(ohio) == 15
    assert "Cincinnati, OH-KY-IN" in names and "Wheeling, WV-OH" in names
    assert all(a.type == "metro" for a in ohio)
    assert [a.name for a in codes.areas_in("Ohio", kind="metro")] == names
    assert [a.name for a in codes.areas_in(39, kind="metro")] == names
    kentucky = [a.name for a in codes.areas_in("KY", kind="metro")]
    assert "Cincinnati, OH-KY-IN" in kentucky and "Columbus, OH" not in kentucky
    rural = codes.areas_in("OH", kind="nonmetro")
    assert rural and all(a.type == "nonmetro" and a.state_code == "39" for a in rural)


def test_whole_country_groups() -> None:
    states = codes.areas_in("all", kind="state")
    assert len(states) == 51  # 50 states and DC
    assert {a.name for a in states} >= {"District of Columbia", "Wyoming", "Alabama"}
    territories = {a.name for a in codes.areas_in("all", kind="territory")}
    assert territories == {"Guam", "Puerto Rico", "Virgin Islands"}
    table = snapshot.areas()
    assert len(codes.areas_in(kind="metro")) == (table["area_type"] == "metro").sum() == 393


def test_group_mistakes_are_named() -> None:
    with pytest.raises(UnknownArea, match="ZZ-metros"):
        codes_groups.group_areas("ZZ-metros")
    with pytest.raises(UnknownArea, match="OH-states"):
        codes_groups.group_areas("OH-states")
    with pytest.raises(InputValueError, match=r"kind of area.*'metros'"):
        codes.areas_in("OH", kind="metros")
    with pytest.raises(UnknownArea, match="not a state"):
        codes.areas_in("Columbus, OH", kind="metro")


def test_batch_and_python_share_the_groups(offline_settings: Settings) -> None:
    ohio = batch.area_list("OH-metros", settings=offline_settings)
    assert ohio == [a.code for a in codes.areas_in("OH", kind="metro", table=oews.areas())]


def test_oews_load_every_area_and_groups(offline_settings: Settings) -> None:
    every = oews.load("29-2072", "all", settings=offline_settings)
    assert len(every) == every["area_code"].nunique() > 500
    assert set(every["area_type"]) == {"national", "state", "metro", "nonmetro"}
    assert every.attrs["provenance"]
    metros = oews.load("29-2072", "OH-metros", settings=offline_settings)
    assert list(metros["area_code"]) == [a.code for a in codes.areas_in("OH", kind="metro")]
    mixed = oews.load("29-2072", ["US", "all-states", "OH"], settings=offline_settings)
    assert len(mixed) == 52  # the nation and 51 states, Ohio once
    us = every[every["area_code"] == "0000000"].iloc[0]
    assert us["annual_median"] == 51140 and us["employment"] == 194720


def test_oews_load_soc_group(offline_settings: Settings) -> None:
    major = oews.load(area="US", soc_group="29-0000", settings=offline_settings)
    assert major["occupation_code"].str.startswith("29-").all()
    assert "29-0000" in set(major["occupation_code"]) and "29-2072" in set(major["occupation_code"])
    minor = oews.load(area="US", soc_group="29-2000", settings=offline_settings)
    assert minor["occupation_code"].str.startswith("29-2").all()
    assert set(minor["occupation_level"]) == {"minor", "broad", "detailed"}
    detailed = minor[minor["occupation_level"] == "detailed"]
    group = minor[minor["occupation_code"] == "29-2000"].iloc[0]
    assert detailed["employment"].sum() == pytest.approx(group["employment"], rel=0.01)
    both = oews.load(
        ["29-2072", "15-1252"],
        "US",
        soc_group="29-2000",
        settings=offline_settings,
    )
    assert list(both["occupation_code"]) == ["29-2072"]


def test_soc_group_mistakes() -> None:
    with pytest.raises(InputValueError, match="detailed occupation"):
        oews.load(area="US", soc_group="29-2072")
    with pytest.raises(InputValueError, match="SOC group"):
        oews.load(area="US", soc_group="nurses")
    with pytest.raises(UnknownCode, match="no occupation in that group"):
        oews.load(area="US", soc_group="98-0000")


def test_projections_load_soc_group(offline_settings: Settings) -> None:
    health = projections.load(soc_group="29-0000", settings=offline_settings)
    every = projections.load(settings=offline_settings)
    expected = every[every["occupation_code"].str.startswith("29-")]
    assert list(health["occupation_code"]) == list(expected["occupation_code"])
    assert 0 < len(health) < len(every)
    assert health.attrs["provenance"] == every.attrs["provenance"]
    two = projections.load(soc_group=["29-2000", "15-1200"], settings=offline_settings)
    assert set(two["occupation_code"].str[:4]) == {"29-2", "15-1"}
    with pytest.raises(InputValueError, match="detailed occupation"):
        projections.load(soc_group="29-2072", settings=offline_settings)


def test_groups_of_a_past_release_need_only_their_zips(
    bls_server: BLSServer, online_settings: Settings
) -> None:
    for name in ("oesm13nat.zip", "oesm13st.zip"):  # no metro zip: groups of states need none
        bls_server.add(FOLDER + name, ARCHIVE / name)
    df = oews.load("29-2071", ["US", "all-states"], release=2013, settings=online_settings)
    every = oews.load("29-2071", "US", release=2013, settings=online_settings)
    assert df["area_code"].iloc[0] == "0000000" == every["area_code"].iloc[0]
    states = df.iloc[1:]
    assert len(states) > 0 and set(states["area_type"]) == {"state"}
    assert (pd.to_numeric(states["state_code"]) <= 56).all()
    asked = {r.path.rsplit("/", 1)[1] for r in bls_server.requests if r.method == "GET"}
    assert "oesm13ma.zip" not in asked and "oesm13all.zip" not in asked

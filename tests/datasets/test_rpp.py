"""BEA regional price parities on BEA's real files: parsing, area matching, the adjusted
median, metro rankings, the download path through a local server and the bundled fallback."""

from __future__ import annotations

import io
import math
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from marketdata import bundled as snapshot
from marketdata.analysis import local_pay
from marketdata.bundled import context_bundle as context
from marketdata.core.errors import OfflineDataWarning, SourceFormatError
from marketdata.datasets import rpp
from marketdata.io import cache
from marketdata.sources import bea_rpp, identify

DATA = Path(__file__).parents[1] / "data" / "bea_rpp"
SARPP_2023 = DATA / "SARPP_STATE_2008_2023.csv"  # Last updated December 12, 2024
SARPP_2024 = DATA / "SARPP_STATE_2008_2024.csv"  # Last updated February 19, 2026
MARPP_2023 = DATA / "MARPP_MSA_2008_2023.csv"  # December 12, 2024, all-items lines only


def _all_items(path: Path) -> pd.DataFrame:
    return bea_rpp.all_items(bea_rpp.parse(path, source=path.name))


@pytest.fixture(scope="module")
def dec2024() -> pd.DataFrame:
    return pd.concat([_all_items(SARPP_2023), _all_items(MARPP_2023)], ignore_index=True)


@pytest.fixture(scope="module")
def oews_29_2072() -> pd.DataFrame:
    frame = snapshot.read()
    return frame[frame["occupation_code"] == "29-2072"].reset_index(drop=True)


def _value(frame: pd.DataFrame, fips: str, year: int) -> float:
    row = frame[(frame["geo_fips"] == fips) & (frame["year"] == year)]
    assert len(row) == 1
    return float(row["rpp"].iloc[0])


def test_real_files_values() -> None:
    old, new, metro = _all_items(SARPP_2023), _all_items(SARPP_2024), _all_items(MARPP_2023)
    assert old.attrs["updated"] == "December 12, 2024"
    assert new.attrs["updated"] == "February 19, 2026"
    assert _value(old, "39000", 2023) == 91.812
    assert _value(old, "06000", 2023) == 112.581 and _value(old, "28000", 2023) == 87.292
    assert _value(new, "39000", 2024) == 92.774 and _value(new, "39000", 2023) == 91.903
    assert _value(metro, "18140", 2023) == 94.516 and _value(metro, "18140", 2022) == 94.101
    assert _value(metro, "00999", 2023) == 88.222
    nonmetro = metro[metro["geo_fips"] == "00999"]["geo_type"].unique().tolist()
    assert nonmetro == ["nonmetro_portion"]
    enid = metro[(metro["geo_fips"] == "21420") & (metro["year"] == 2008)].iloc[0]
    assert math.isnan(enid["rpp"]) and "not available" in enid["note"]
    assert enid["geo_name"] == "Enid, OK"


def test_all_items_found_by_description_not_line_code() -> None:
    """Another SARPP.zip vintage numbers ten lines, all items being line 5: shift the real
    file's line codes by four (values untouched) and the all-items rows must still be found."""
    text = SARPP_2023.read_text()
    shifted = "\n".join(
        line.replace(f",SARPP,{c},", f",SARPP,{c + 4},", 1) if line.startswith(' "') else line
        for line in text.splitlines()
        for c in [int(line.split(",")[4]) if line.startswith(' "') else 0]
    )
    rows = bea_rpp.all_items(bea_rpp.parse(shifted.encode(), source="shifted"))
    assert set(rows["line_code"]) == {"5"}
    assert _value(rows, "39000", 2023) == 91.812


def test_real_ten_line_vintage_all_items_is_line_5() -> None:
    """BEA's February 2025 SARPP.zip numbers ten lines; all items is line 5 there."""
    path = DATA / "SARPP_STATE_2008_2023.feb2025-slice.csv"
    parsed = bea_rpp.parse(path, source=path.name)
    assert parsed.attrs["updated"] == "February 20, 2025"
    line_1 = parsed[parsed["line_code"] == "1"]["description"].iloc[0]
    assert line_1.startswith("Real personal income")
    rows = bea_rpp.all_items(parsed)
    assert set(rows["line_code"]) == {"5"} and len(rows) == 52 * 16
    december = _all_items(SARPP_2023)
    pd.testing.assert_series_equal(
        rows.set_index(["geo_fips", "year"])["rpp"], december.set_index(["geo_fips", "year"])["rpp"]
    )


def test_bad_files() -> None:
    with pytest.raises(SourceFormatError, match="not a BEA regional header"):
        bea_rpp.parse(b"<html>Service unavailable</html>", source="SARPP.zip")
    text = SARPP_2023.read_text().replace("RPPs: All items", "RPPs: Goods")
    with pytest.raises(SourceFormatError, match="found 0"):
        bea_rpp.all_items(bea_rpp.parse(text.encode(), source="x"))


def test_ohio_example(dec2024: pd.DataFrame, oews_29_2072: pd.DataFrame) -> None:
    ohio = oews_29_2072[oews_29_2072["area_code"] == "3900000"]
    assert ohio["annual_median"].iloc[0] == 50990
    out = local_pay.add_rpp(ohio, dec2024, year=2023).iloc[0]
    assert out["rpp"] == 91.812 and round(out["rpp"], 1) == 91.8
    assert out["rpp_year"] == 2023
    assert round(out["annual_median_rpp_adjusted"], -1) == 55540
    assert out["rpp_source"] == "BEA SARPP 2023, updated December 12, 2024"


def test_one_year_for_areas_compared(oews_29_2072: pd.DataFrame, dec2024: pd.DataFrame) -> None:
    """States (SARPP to 2024) beside metros (MARPP to 2023) are all priced in 2023: with
    Ohio in 2024 and Columbus in 2023, Columbus read $54,202 in national prices and Ohio
    $54,962, a gap the prices of two different years made."""
    both = pd.concat([_all_items(SARPP_2024), _all_items(MARPP_2023)], ignore_index=True)
    rows = oews_29_2072[oews_29_2072["area_code"].isin(["3900000", "0018140", "0000000"])]
    out = local_pay.add_rpp(rows, both).set_index("area_code")
    assert set(out["rpp_year"]) == {2023}
    assert out.loc["3900000", "rpp"] == 91.903  # SARPP 2023, as the 2026 release prints it
    assert out.loc["0018140", "rpp"] == 94.516
    assert out.loc["3900000", "annual_median_rpp_adjusted"] == round(50990 / 91.903 * 100)
    states = rows[rows["area_type"] != "metro"]
    alone = local_pay.add_rpp(states, both).set_index("area_code")
    assert alone.loc["3900000", "rpp_year"] == 2024  # no metro compared: the state's latest
    assert alone.loc["3900000", "rpp"] == 92.774
    assert out.loc["0000000", "rpp"] == 100.0
    assert out.loc["0000000", "annual_median_rpp_adjusted"] == out.loc["0000000", "annual_median"]
    assert local_pay.closest_year("May 2021", dec2024["year"]) == 2021
    assert local_pay.closest_year("May 2030", dec2024["year"]) == 2023


def test_nonmetro_areas_get_no_figure(oews_29_2072: pd.DataFrame, dec2024: pd.DataFrame) -> None:
    nonmetro = oews_29_2072[oews_29_2072["area_type"] == "nonmetro"]
    out = local_pay.add_rpp(nonmetro, dec2024)
    assert len(out) > 100
    assert out["rpp"].isna().all() and out["annual_median_rpp_adjusted"].isna().all()
    assert (out["rpp_note"] == local_pay.NONMETRO_NOTE).all()


def test_every_state_and_metro_matched(dec2024: pd.DataFrame) -> None:
    areas = snapshot.areas()
    found = local_pay.match_areas(areas, dec2024, year=2023)
    unmatched = found["oews_unmatched"]
    states = unmatched[unmatched["area_type"] == "state"]["area_name"].tolist()
    assert states == ["Guam", "Puerto Rico", "Virgin Islands"]  # BEA prices the 50 states + DC
    assert len(found["matched"]) == 51 + 393 - 22
    metros = unmatched[unmatched["area_type"] == "metro"]["area_code"].tolist()
    assert metros == [
        "0010380", "0011200", "0011640", "0014580", "0017410", "0020580", "0025020",
        "0025740", "0028450", "0028880", "0030500", "0032420", "0033500", "0037140",
        "0038240", "0038660", "0041780", "0041980", "0043640", "0045900", "0047930",
        "0048680",
    ]  # fmt: skip
    # BEA metros (2020 OMB delineation) that OEWS May 2025 (2023 delineation) does not have
    assert found["bea_unmatched"]["geo_name"].tolist() == [
        "Bloomsburg-Berwick, PA", "California-Lexington Park, MD", "Carbondale-Marion, IL",
        "Cleveland-Elyria, OH", "Cumberland, MD-WV", "Danville, IL", "East Stroudsburg, PA",
        "Madera, CA", "New Bern, NC", "Ocean City, NJ", "Pine Bluff, AR",
        "Poughkeepsie-Newburgh-Middletown, NY", "The Villages, FL",
    ]  # fmt: skip


def test_unmatched_metro_says_why(oews_29_2072: pd.DataFrame, dec2024: pd.DataFrame) -> None:
    cleveland = oews_29_2072[oews_29_2072["area_code"] == "0017410"]
    out = local_pay.add_rpp(cleveland, dec2024).iloc[0]
    assert math.isnan(out["rpp"]) and out["rpp_note"].startswith("BEA publishes no price parity")
    assert "updated" not in out["rpp_note"].lower()  # no raw file header in a reader's note


def test_rank_metros_both_ways(oews_29_2072: pd.DataFrame, dec2024: pd.DataFrame) -> None:
    ranked = local_pay.rank_metros(local_pay.add_rpp(oews_29_2072, dec2024), top=None)
    assert ranked["annual_median_rpp_adjusted"].dropna().is_monotonic_decreasing
    by_nominal = ranked.sort_values("rank_nominal")
    assert by_nominal["annual_median"].is_monotonic_decreasing
    top = ranked.iloc[0]
    assert top["area_name"] == "San Jose-Sunnyvale-Santa Clara, CA" and top["rank_adjusted"] == 1
    sf = ranked.set_index("area_name").loc["San Francisco-Oakland-Fremont, CA"]
    assert sf["rank_nominal"] < sf["rank_adjusted"]  # dearer prices push it down
    assert (ranked["rank_change"] == ranked["rank_nominal"] - ranked["rank_adjusted"]).all()


def _zip(csv: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(csv.name, csv.read_bytes())
        archive.writestr(csv.name.split("_")[0] + "__Footnotes.html", "<HTML></HTML>")
    return buffer.getvalue()


def test_download_through_the_cache(bls_server, online_settings) -> None:
    settings = online_settings.replace(bea_url=bls_server.url)
    bls_server.add("/regional/zip/SARPP.zip", _zip(SARPP_2024))
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        states = rpp.load("SARPP", settings=settings)
        again = rpp.load("sarpp", settings=settings.replace(offline=True))
    assert _value(states, "39000", 2024) == 92.774
    prov = states.attrs["provenance"][0]
    assert prov["program"] == "BEA" and prov["source_url"].endswith("/regional/zip/SARPP.zip")
    assert "February 19, 2026" in prov["release"]
    assert bls_server.count("/regional/zip/SARPP.zip") == 1
    pd.testing.assert_frame_equal(states, again)


def test_wrong_table_stays_out_of_the_cache(bls_server, online_settings) -> None:
    settings = online_settings.replace(bea_url=bls_server.url)
    bls_server.add("/regional/zip/MARPP.zip", _zip(SARPP_2024))
    with pytest.raises(SourceFormatError, match="expected MARPP"):
        rpp.load("MARPP", settings=settings)
    assert cache.entries(settings=settings) == []


def test_offline_bundle_is_the_latest_staged_files(offline_settings) -> None:
    with pytest.warns(OfflineDataWarning, match="bundled SARPP"):
        states = rpp.load("SARPP", settings=offline_settings)
    with pytest.warns(OfflineDataWarning, match="bundled MARPP"):
        metros = rpp.load("MARPP", settings=offline_settings)
    for bundled, real in ((states, SARPP_2024), (metros, MARPP_2023)):
        expected = _all_items(real)
        got = bundled.reset_index(drop=True)
        got.attrs, expected.attrs = {}, {}
        pd.testing.assert_frame_equal(got, expected)
        assert bundled.attrs["provenance"][0]["bundled"]
    shas = {s["file"]: s["sha256"] for s in context.manifest()["bea_rpp"]["sources"]}
    assert shas["SARPP_STATE_2008_2024.csv"].startswith("3dc9ae1c7ed10de3")


def test_cache_add_a_saved_csv(offline_settings) -> None:
    known = identify(MARPP_2023, settings=offline_settings)
    assert known.key == "bea/MARPP" and known.url.endswith("/regional/zip/MARPP.zip")
    cache.add_file(
        MARPP_2023, key=known.key, url=known.url, settings=offline_settings, check=known.check
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        metros = rpp.load("MARPP", settings=offline_settings)
    assert _value(metros, "18140", 2023) == 94.516
    assert metros.attrs["provenance"][0]["added_by_hand"]


def test_an_older_cached_file_gives_way_to_the_newer_bundle(offline_settings) -> None:
    known = identify(SARPP_2023, settings=offline_settings)
    cache.add_file(
        SARPP_2023, key=known.key, url=known.url, settings=offline_settings, check=known.check
    )
    with pytest.warns(OfflineDataWarning, match="bundled SARPP"):
        states = rpp.load("SARPP", settings=offline_settings)
    assert "older than the bundled" in states.attrs["provenance"][0]["note"]
    assert _value(states, "39000", 2024) == 92.774

"""BLS ORS credential requirements: the workbook and or.* parsers on real slices, the loader
through a local server, offline fallback to the bundled release, and the plain-language text."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata.bundled import context_bundle as context
from marketdata.core.errors import InputValueError, OfflineDataWarning, SourceFormatError
from marketdata.datasets import ors
from marketdata.io import cache
from marketdata.sources import identify
from marketdata.sources import ors_workbooks as source

DATA = Path(__file__).parents[1] / "data" / "ors"
WB2020 = DATA / "ors-2020-slice.xlsx"
WB2018 = DATA / "ors-2018-slice.xlsx"
FLAT = DATA / "or"


@pytest.fixture(scope="module")
def parsed_2020() -> pd.DataFrame:
    return source.parse_workbook(WB2020.read_bytes(), source=WB2020.name)


def _one(frame: pd.DataFrame, soc: str, measure: str) -> pd.Series:
    rows = frame[(frame["soc_code"] == soc) & (frame["measure"] == measure)]
    assert len(rows) == 1, (soc, measure, len(rows))
    return rows.iloc[0]


def test_2020_workbook_medical_records_specialists(parsed_2020: pd.DataFrame) -> None:
    assert parsed_2020.attrs["release"] == "ORS 2020 (preliminary)"
    assert parsed_2020.attrs["released"] == "Release date: 12/22/2020"
    assert parsed_2020.attrs["soc_system"] == "SOC 2018"
    creds = source.credentials(parsed_2020)
    anyc = _one(creds, "29-2072", "any")
    cert = _one(creds, "29-2072", "certification")
    assert (anyc["estimate"], anyc["standard_error"]) == (31.9, 7.5)
    assert (cert["estimate"], cert["standard_error"]) == (26.3, 7.5)
    assert cert["estimate_note"] == "This estimate is the mode for the category group."
    assert "preliminary estimates" in cert["series_note"]
    assert creds[(creds["soc_code"] == "29-2072") & (creds["measure"] == "license")].empty


def test_standard_error_not_shown_keeps_bls_reason(parsed_2020: pd.DataFrame) -> None:
    row = _one(source.credentials(parsed_2020), "00-0000", "certification")
    assert row["estimate"] == 6.2
    assert math.isnan(row["standard_error"])
    assert row["standard_error_note"] == "Standard error is less than 0.5."


def test_2018_workbook_onet_soc_2010() -> None:
    parsed = source.parse_workbook(WB2018, source=WB2018.name)
    assert parsed.attrs["release"] == "ORS 2018"
    assert parsed.attrs["soc_system"] == "O*NET-SOC 2010"
    assert "February 21, 2019" in parsed.attrs["released"]
    creds = source.credentials(parsed)
    row = _one(creds, "29-2071", "certification")
    assert (row["estimate"], row["standard_error"]) == (20.7, 3.0)
    assert _one(creds, "29-0000", "license")["estimate"] == 75.5
    table = ors.occupation_credentials("29-2071", credentials=creds)
    lic = table.set_index("measure").loc["license"]
    assert math.isnan(lic["share"]) and "publishes no estimate for 29-2071" in lic["note"]
    assert (
        "((" not in lic["note"] and "))" not in lic["note"]
    )  # the release, not in nested parentheses


def test_flat_files_give_the_workbook_values(parsed_2020: pd.DataFrame) -> None:
    flat = source.parse_timeseries(
        {name: FLAT / name for name in source.TIMESERIES_FILES}, source="or"
    )
    assert flat.attrs["release"] == "ORS 2020 (preliminary)"
    book = parsed_2020.set_index("series_id")
    joined = flat.set_index("series_id").join(book, suffixes=("", "_book"), how="inner")
    assert len(joined) == len(flat) == 92
    pd.testing.assert_series_equal(joined["estimate"], joined["estimate_book"], check_names=False)
    pd.testing.assert_series_equal(
        joined["standard_error"], joined["standard_error_book"], check_names=False
    )
    assert (joined["soc_code"] == joined["soc_code_book"]).all()
    assert (joined["estimate_text"] == joined["estimate_text_book"]).all()
    creds = source.credentials(flat)
    assert _one(creds, "29-2072", "any")["estimate"] == 31.9


def test_occupation_credentials_and_fallback(parsed_2020: pd.DataFrame) -> None:
    creds = source.credentials(parsed_2020)
    table = ors.occupation_credentials("29-2072", credentials=creds).set_index("measure")
    assert list(table.index) == ["any", "certification", "license"]
    assert table.loc["any", "share"] == 31.9 and table.loc["certification", "share"] == 26.3
    assert not table["fallback"].any()
    assert math.isnan(table.loc["license", "share"])
    # 29-2011 is in the 2020 file, but without any credential estimate
    fallback = ors.occupation_credentials("292011", credentials=creds).set_index("measure")
    assert fallback["fallback"].all() and (fallback["soc_code"] == "29-0000").all()
    assert fallback.loc["license", "share"] == 81.5
    assert "no credential estimates for 29-2011" in fallback.loc["license", "note"]
    with pytest.raises(InputValueError, match="SOC code"):
        ors.occupation_credentials("nurse", credentials=creds)


def test_plain_language_sentences(parsed_2020: pd.DataFrame) -> None:
    rows = ors.occupation_credentials("29-2072", credentials=source.credentials(parsed_2020))
    text = {r["measure"]: ors.credential_sentence(r) for r in rows.to_dict("records")}
    assert text["certification"] == (
        "About 1 in 4 of these jobs requires a certification (BLS ORS 2020, preliminary)"
    )
    assert text["any"] == (
        "About 1 in 3 of these jobs requires a certification, license or educational "
        "certificate (BLS ORS 2020, preliminary)"
    )
    assert text["license"].startswith("ORS publishes no share")
    group = ors.occupation_credentials("29-2011", credentials=source.credentials(parsed_2020))
    lic = group.set_index("measure").loc["license"].to_dict() | {"measure": "license"}
    assert ors.credential_sentence(lic) == (
        "About 4 in 5 of these jobs require a license "
        "(BLS ORS 2020, preliminary; figure for major group 29-0000)"
    )


def test_not_a_workbook() -> None:
    with pytest.raises(SourceFormatError, match="not an Excel workbook"):
        source.parse_workbook(b"<html>Access Denied</html>", source="ors.xlsx")


def test_download_cache_and_offline(bls_server, online_settings) -> None:
    bls_server.add("/web/ors/ors-complete-dataset.xlsx", WB2020)
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        creds = ors.load_credentials(settings=online_settings)
        again = ors.load_credentials(settings=online_settings.replace(offline=True))
    assert _one(creds, "29-2072", "certification")["estimate"] == 26.3
    prov = creds.attrs["provenance"][0]
    assert prov["program"] == "ORS" and prov["release"] == "2020 (preliminary)"
    assert prov["source_url"].endswith("/web/ors/ors-complete-dataset.xlsx") and not prov["bundled"]
    assert bls_server.count("/web/ors/ors-complete-dataset.xlsx") == 1
    pd.testing.assert_frame_equal(creds, again)


def test_error_page_never_enters_the_cache(bls_server, online_settings) -> None:
    bls_server.add("/web/ors/ors-complete-dataset.xlsx", b"<html>Request Rejected</html>")
    with pytest.raises(SourceFormatError):
        ors.load_credentials(settings=online_settings)
    assert cache.entries(settings=online_settings) == []


def test_timeseries_through_the_server(bls_server, online_settings) -> None:
    for name in source.TIMESERIES_FILES:
        bls_server.add(f"/pub/time.series/or/{name}", FLAT / name)
    creds = ors.load_credentials(via="timeseries", settings=online_settings)
    assert _one(creds, "29-2072", "any")["standard_error"] == 7.5
    assert len(creds.attrs["provenance"]) == len(source.TIMESERIES_FILES)


def test_offline_uses_the_bundled_release(offline_settings) -> None:
    with pytest.warns(OfflineDataWarning, match="bundled ORS"):
        creds = ors.load_credentials(settings=offline_settings)
    assert creds.attrs["provenance"][0]["bundled"]
    table = ors.occupation_credentials("29-2072", credentials=creds).set_index("measure")
    assert (table.loc["any", "share"], table.loc["any", "standard_error"]) == (31.9, 7.5)
    assert table.loc["certification", "share"] == 26.3


def test_bundle_rows_equal_the_real_workbook(parsed_2020: pd.DataFrame) -> None:
    bundled = context.read("ors")
    real = source.credentials(parsed_2020)
    mine = bundled[bundled["soc_code"].isin(real["soc_code"])].reset_index(drop=True)
    mine.attrs = {}
    real.attrs = {}
    pd.testing.assert_frame_equal(mine, real)
    info = context.manifest()["ors"]["sources"][0]
    assert info["sha256"] == "e9156b30539e43c62b39639cd7cecf61e1ac61912ed20f4dedba11a1d2fd4a3e"


def test_cache_add_a_saved_workbook(offline_settings) -> None:
    known = identify(WB2018, settings=offline_settings)
    assert known.key == "ors/2018/ors-complete-dataset.xlsx"
    cache.add_file(
        WB2018, key=known.key, url=known.url, settings=offline_settings, check=known.check
    )
    creds = ors.load_credentials(release=2018, settings=offline_settings)
    assert _one(creds, "29-2071", "certification")["estimate"] == 20.7
    assert creds.attrs["provenance"][0]["added_by_hand"]
    flat = identify(FLAT / "or.series", settings=offline_settings)
    assert flat.key == "or/or.series" and flat.url.endswith("/pub/time.series/or/or.series")


def test_an_older_hand_added_workbook_does_not_replace_the_newer_bundle(offline_settings) -> None:
    known = identify(WB2018, settings=offline_settings)
    cache.add_file(
        WB2018, key=known.key, url=known.url, settings=offline_settings, check=known.check
    )
    with pytest.warns(OfflineDataWarning, match="bundled ORS"):
        creds = ors.load_credentials(settings=offline_settings)
    assert creds["release"].iloc[0] == "ORS 2020 (preliminary)"


def test_a_newer_hand_added_workbook_is_used_offline(offline_settings) -> None:
    known = identify(WB2020, settings=offline_settings)
    cache.add_file(
        WB2020, key=known.key, url=known.url, settings=offline_settings, check=known.check
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        creds = ors.load_credentials(settings=offline_settings)
    assert creds.attrs["provenance"][0]["added_by_hand"]

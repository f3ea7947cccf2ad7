"""Past OEWS releases and occupation histories, served by a local BLS-like server.

The zips in tests/data/oews_archive are real BLS archive members cut down to a few rows
(make_slices.py); the SOC crosswalks there are FIXTURES in BLS's documented layout
(make_crosswalk_fixtures.py), since BLS's own crosswalk files are not staged.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from marketdata import cache, oews_history
from marketdata.config import Settings
from marketdata.errors import (
    NotComparableWarning,
    OfflineError,
    SourceFormatError,
    UnknownArea,
    UnknownCode,
    UnknownRelease,
)
from tests.bls_server import Answer, BLSServer

DATA = Path(__file__).parent / "data" / "oews_archive"
ZIPS = sorted(DATA.glob("*.zip"))


def serve_all(server: BLSServer, *, folder: str = "oes/special-requests") -> None:
    for path in ZIPS:
        server.add(f"/{folder}/{path.name}", path, content_type="application/zip")
    xw = DATA / "crosswalk-fixture"
    server.add("/soc/soc_2000_to_2010_crosswalk.xls", xw / "soc_2000_to_2010_crosswalk.xls")
    server.add("/soc/2018/soc_2010_to_2018_crosswalk.xlsx", xw / "soc_2010_to_2018_crosswalk.xlsx")


@pytest.fixture
def served(bls_server: BLSServer, online_settings: Settings) -> Settings:
    serve_all(bls_server)
    return online_settings


# load_release ------------------------------------------------------------------------------


@pytest.mark.parametrize("release", ["May 2018", 2018, "2018", "2018A01"])
def test_load_release_accepts_labels_and_years(served: Settings, release: object) -> None:
    df = oews_history.load_release(release, settings=served)
    row = df[df["occupation_code"] == "29-2071"].iloc[0]
    assert row["employment"] == 208650
    assert row["annual_median"] == 40350
    assert row["release"] == "May 2018"
    assert row["year"] == 2018
    assert row["area_code"] == "0000000"
    prov = df.attrs["provenance"][0]
    assert prov["release"] == "May 2018"
    assert prov["source_url"].endswith("/oes/special-requests/oesm18nat.zip")
    assert len(prov["sha256"]) == 64


def test_load_release_is_cached_as_parquet(
    served: Settings, bls_server: BLSServer, offline_settings: Settings
) -> None:
    first = oews_history.load_release("May 2019", settings=served)
    assert bls_server.count("/oes/special-requests/oesm19nat.zip") == 1
    assert list((served.cache_dir / "parquet" / "oews-archive").glob("oesm19nat.parquet"))
    again = oews_history.load_release(2019, settings=offline_settings)
    pd.testing.assert_frame_equal(first, again)
    assert again.attrs["provenance"] == first.attrs["provenance"]
    assert bls_server.count("/oes/special-requests/oesm19nat.zip") == 1


def test_hybrid_release_2019(served: Settings) -> None:
    df = oews_history.load_release("May 2019", settings=served)
    row = df[df["occupation_code"] == "29-2098"].iloc[0]
    assert row["employment"] == 331790
    assert row["occupation_title"].startswith("Medical Dosimetrists, Medical Records Specialists")


def test_state_release_2013(served: Settings) -> None:
    df = oews_history.load_release("May 2013", scope="state", settings=served)
    al = df[(df["occupation_code"] == "29-2071") & (df["area_code"] == "0100000")].iloc[0]
    assert (al["area_name"], al["state_code"], al["area_type"]) == ("Alabama", "01", "state")
    assert al["employment"] == 2560
    assert al["annual_median"] == 27360
    assert df["area_code"].nunique() == 54


def test_older_links_are_tried_after_a_404(bls_server: BLSServer, online_settings) -> None:
    serve_all(bls_server, folder="oes/special.requests")
    df = oews_history.load_release(2000, settings=online_settings)
    assert df.loc[df["occupation_code"] == "29-2071", "annual_median"].iloc[0] == 22750
    assert bls_server.count("/oes/special-requests/oes00nat.zip") == 1
    assert df.attrs["provenance"][0]["source_url"].endswith("/oes/special.requests/oes00nat.zip")


def test_html_instead_of_a_zip_is_refused_and_not_cached(
    bls_server: BLSServer, online_settings: Settings
) -> None:
    page = b"<!DOCTYPE html><html><body>Access Denied</body></html>"
    bls_server.add_handler(
        "/oes/special-requests/oesm21nat.zip",
        lambda request: Answer(200, {"Content-Type": "text/html"}, page),
    )
    with pytest.raises(SourceFormatError, match="not a zip"):
        oews_history.load_release(2021, settings=online_settings)
    assert cache.lookup("oews-archive/oesm21nat.zip", settings=online_settings) is None


def test_unpublished_release(served: Settings) -> None:
    with pytest.raises(UnknownRelease, match=r"oesm30nat\.zip"):
        oews_history.load_release(2030, settings=served)


@pytest.mark.parametrize("bad", ["Mayy 2021x", "June 2021", "1990", True])
def test_bad_release_names(served: Settings, bad: object) -> None:
    with pytest.raises(UnknownRelease):
        oews_history.load_release(bad, settings=served)


def test_offline_without_cache(offline_settings: Settings) -> None:
    with pytest.raises(OfflineError):
        oews_history.load_release(2021, settings=offline_settings)


def test_zip_members_are_read_by_name_only(bls_server: BLSServer, online_settings, tmp_path):
    """A member with a path outside the archive is never written anywhere."""
    bad = tmp_path / "oesm22nat.zip"
    with zipfile.ZipFile(DATA / "oesm22nat.zip") as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("../../evil.txt", b"x")
    bls_server.add("/oes/special-requests/oesm22nat.zip", bad)
    df = oews_history.load_release(2022, settings=online_settings)
    assert len(df) > 0
    assert not (online_settings.cache_dir.parent / "evil.txt").exists()
    assert not list(online_settings.cache_dir.rglob("evil.txt"))


# history -------------------------------------------------------------------------------------


def test_history_medical_records_specialists(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="29-2072", start=2000, end=2024, settings=served)
    assert list(h["year"]) == list(range(2000, 2025))
    by = h.set_index("year")
    # SOC 2018 code from May 2021 on, comparable
    assert by.loc[2024, "occupation_code"] == "29-2072"
    assert by.loc[2024, "employment"] == 187910
    assert by.loc[2024, "annual_median"] == 50250
    assert by.loc[2021:2024, "is_comparable"].all()
    # hybrid 29-2098 in May 2019-2020, found by its title, flagged
    assert list(by.loc[2019:2020, "occupation_code"]) == ["29-2098", "29-2098"]
    assert by.loc[2019, "employment"] == 331790
    assert by.loc[2019, "match"] == "hybrid code (title)"
    assert not by.loc[2019:2020, "is_comparable"].any()
    assert "hybrid" in by.loc[2019, "comparability_note"]
    # SOC 2010 / 2000 code 29-2071 until May 2018: split in SOC 2018, so not comparable
    assert set(by.loc[2000:2018, "occupation_code"]) == {"29-2071"}
    assert by.loc[2018, "occupation_title"] == "Medical Records and Health Information Technicians"
    assert by.loc[2018, "employment"] == 208650
    assert by.loc[2018, "annual_median"] == 40350
    assert by.loc[2000, "annual_median"] == 22750
    assert not by.loc[2000:2018, "is_comparable"].any()
    assert "29-9021" in by.loc[2018, "comparability_note"]
    assert by.loc[2010, "soc_version"] == "SOC 2000/2010 hybrid"
    assert by.loc[2019, "soc_version"] == "SOC 2010/2018 hybrid"
    kinds = {p["program"] for p in h.attrs["provenance"]}
    assert kinds == {"OEWS", "SOC crosswalk"}


def test_history_registered_nurses_across_three_soc_versions(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="29-1141", start=2009, end=2013, settings=served)
    by = h.set_index("year")
    # SOC 2000 29-1111 was split into four SOC 2010 occupations; May 2010-2011 publish
    # "Registered Nurses*" under the old code
    assert list(by["occupation_code"]) == ["29-1111"] * 3 + ["29-1141"] * 2
    assert by.loc[2010, "occupation_title"] == "Registered Nurses*"
    assert list(by["is_comparable"]) == [False, False, False, True, True]


def test_history_hybrid_2010_by_title(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="15-1122", start=2009, end=2012, settings=served)
    by = h.set_index("year")
    assert by.loc[2010, "occupation_code"] == "15-1179"
    assert by.loc[2010, "match"] == "hybrid code (title)"
    assert by.loc[2009, "occupation_code"] == "15-1081"
    assert by.loc[2012, "is_comparable"]


def test_history_merged_occupation_has_no_single_figure(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="15-1252", start=2018, end=2021, settings=served)
    by = h.set_index("year")
    assert by.loc[2018, "match"] == "several codes"
    assert pd.isna(by.loc[2018, "employment"])
    assert "15-1132, 15-1133" in by.loc[2018, "comparability_note"]
    assert by.loc[2019, "occupation_code"] == "15-1256"
    assert by.loc[2021, "occupation_code"] == "15-1252"


def test_history_all_occupations_is_comparable(served: Settings) -> None:
    h = oews_history.history(occupation="00-0000", start=2018, end=2021, settings=served)
    assert h["is_comparable"].all()
    assert h["comparability_note"].isna().all()
    assert h.set_index("year").loc[2019, "employment"] == 146875480


def test_history_for_a_state_needs_every_release(served: Settings) -> None:
    # only the 2000, 2010 and 2013 state zips are served: 2011 and 2012 are missing
    with pytest.raises(UnknownRelease, match=r"oesm11st\.zip"):
        oews_history.history(
            occupation="29-2071", area="Alabama", start=2010, end=2013, settings=served
        )


@pytest.mark.parametrize("area", ["AL", "Alabama", "01", 1, "0100000"])
def test_history_for_a_state(served: Settings, area: object) -> None:
    h = oews_history.history(occupation="29-2071", area=area, start=2013, end=2013, settings=served)
    row = h.iloc[0]
    assert (row["area_name"], row["employment"], row["annual_median"]) == ("Alabama", 2560, 27360)
    assert row["is_comparable"]


def test_history_for_a_state_in_2000(served: Settings) -> None:
    h = oews_history.history(occupation="29-2071", area="CA", start=2000, end=2000, settings=served)
    row = h.iloc[0]
    assert (row["area_code"], row["area_name"], row["year"]) == ("0600000", "California", 2000)
    assert row["employment"] == 12570


def test_history_unknown_code(served: Settings) -> None:
    with pytest.raises(UnknownCode, match="29-2079"):
        oews_history.history(occupation="29-2079", start=2024, end=2024, settings=served)


def test_history_unknown_area(served: Settings) -> None:
    with pytest.raises(UnknownArea):
        oews_history.history(
            occupation="29-2072", area="Atlantis", start=2024, end=2024, settings=served
        )


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("US", ("national", "0000000")),
        ("Ohio", ("state", "3900000")),
        (6, ("state", "0600000")),
        ("18140", ("metro", "0018140")),
        ("Columbus, OH", ("metro", "0018140")),  # named: looked up in the current areas
    ],
)
def test_resolve_area(area: object, expected: tuple[str, str], offline_settings) -> None:
    rel = oews_history.parse_release(2024)
    assert oews_history.resolve_area(area, release=rel, settings=offline_settings) == expected


def test_metro_rows_across_the_2024_redefinition_are_flagged() -> None:
    assert "redrawn for May 2024" in oews_history.area_note("metro", 2023, 2024)
    assert "redrawn" in oews_history.area_note("nonmetro", 2019, 2024)
    assert oews_history.area_note("metro", 2024, 2024) is None
    assert oews_history.area_note("metro", 2015, 2023) is None
    assert oews_history.area_note("state", 2015, 2024) is None

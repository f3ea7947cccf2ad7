"""marketdata.datasets.oews.load end to end: real BLS-format slices served by a local HTTP server."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata import bundled as snapshot
from marketdata.core.config import Settings
from marketdata.core.errors import (
    ContactRequired,
    OfflineDataWarning,
    OfflineError,
    SourceFormatError,
    UnknownArea,
    UnknownCode,
)
from marketdata.datasets import codes, oews
from marketdata.io import cache
from marketdata.sources import oe
from tests.bls_server import Answer, BLSServer
from tools import build_oews_bundle as build

DATA = Path(__file__).parents[1] / "data" / "oe"
ARCHIVE = Path(__file__).parents[1] / "data" / "oews_archive"
OE = "/pub/time.series/oe/"


@pytest.fixture
def served(bls_server: BLSServer) -> BLSServer:
    for name in oe.FILES:
        bls_server.add(OE + name, DATA / name)
    return bls_server


def gets(server: BLSServer) -> int:
    return sum(1 for r in server.requests if r.method == "GET")


def test_load_through_the_server_equals_bls(served: BLSServer, online_settings: Settings) -> None:
    df = oews.load("29-2072", ["US", "OH", "Columbus, OH"], settings=online_settings)
    assert list(df.area_name) == ["National", "Ohio", "Columbus, OH"]
    assert list(df.employment) == [194720, 7440, 1380]
    assert list(df.annual_median) == [51140, 50990, 51230]
    assert list(df.columns) == list(oe.COLUMNS)
    provenance = df.attrs["provenance"]
    assert {p["source_url"] for p in provenance} == {served.url + OE + n for n in oe.FILES}
    data = next(p for p in provenance if p["source_url"].endswith(oe.DATA_FILE))
    expected = hashlib.sha256((DATA / oe.DATA_FILE).read_bytes()).hexdigest()
    assert data["sha256"] == expected
    assert data["release"] == "May 2025" and data["program"] == "OEWS"
    assert not data["bundled"] and not data["added_by_hand"]


def test_second_load_reads_parquet_only(served: BLSServer, online_settings: Settings) -> None:
    first = oews.load("292072", settings=online_settings)
    assert gets(served) == len(oe.FILES)
    parquet = online_settings.cache_dir / "parquet" / "oews" / "2025A01.parquet"
    stamp = parquet.stat().st_mtime_ns
    second = oews.load("29-2072", settings=online_settings)
    assert gets(served) == len(oe.FILES)  # nothing asked of the server
    assert parquet.stat().st_mtime_ns == stamp  # nothing parsed or written again
    pd.testing.assert_frame_equal(first, second)
    assert second.attrs["provenance"] == first.attrs["provenance"]
    assert len(second) == 6 and set(second.industry_code) == {"000000"}


def test_filters_and_industries(served: BLSServer, online_settings: Settings) -> None:
    default = oews.load(settings=online_settings)
    assert set(default.industry_code) == {"000000"}
    assert len(default) == 42
    hospitals = oews.load("medical records", industry="622000", settings=online_settings)
    assert list(hospitals.employment) == [55530]
    assert hospitals.iloc[0].industry_title == "Hospitals"
    every = oews.load(industry="all", area="national", settings=online_settings)
    assert set(every.industry_code) == {"000000", "622000"}
    assert len(oews.load(area=39, settings=online_settings)) == 8


def test_inputs_resolve_against_the_release_tables(
    served: BLSServer, online_settings: Settings
) -> None:
    # the served slice has one Columbus only, so the name is not ambiguous in it
    assert list(oews.load(area="Columbus", settings=online_settings).area_code.unique()) == [
        "0018140"
    ]
    with pytest.raises(UnknownArea) as info:
        oews.load(area="Ohiio", settings=online_settings)
    assert info.value.suggestions[0] == "Ohio (OH)"
    with pytest.raises(UnknownCode, match="'29-2071'"):
        oews.load("29-2071", settings=online_settings)


def test_offline_with_a_cache_uses_it_quietly(
    served: BLSServer, online_settings: Settings, offline_settings: Settings
) -> None:
    online = oews.load(area="OH", settings=online_settings)
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        offline = oews.load(area="OH", settings=offline_settings)
    pd.testing.assert_frame_equal(online, offline)


def test_offline_without_cache_falls_back_to_the_snapshot_loudly(
    offline_settings: Settings,
) -> None:
    with pytest.warns(OfflineDataWarning, match="bundled OEWS May 2025 snapshot"):
        df = oews.load("29-2072", ["US", "OH"], settings=offline_settings)
    assert list(df.employment) == [194720, 7440]
    assert list(df.annual_median) == [51140, 50990]
    assert all(p["bundled"] for p in df.attrs["provenance"])
    assert {p["release"] for p in df.attrs["provenance"]} == {"May 2025"}


def test_unreachable_bls_falls_back_to_the_snapshot(
    bls_server: BLSServer, online_settings: Settings
) -> None:
    for name in oe.FILES:
        bls_server.add_handler(OE + name, lambda request: Answer(503, {}, b"busy"))
    with pytest.warns(OfflineDataWarning, match="BLS could not be reached"):
        df = oews.load("29-2072", "CA", settings=online_settings)
    assert "503" in df.attrs["provenance"][0]["note"]
    assert list(df.annual_median) == [61810]
    assert df.attrs["provenance"][0]["bundled"]
    assert cache.lookup("oe/oe.area", settings=online_settings) is None


def test_industry_rows_are_not_bundled(offline_settings: Settings) -> None:
    with pytest.raises(OfflineError, match="not bundled"):
        oews.load(industry="622000", settings=offline_settings)


def test_403_raises_and_never_falls_back(bls_server: BLSServer, online_settings: Settings) -> None:
    for name in oe.FILES:
        bls_server.add_handler(OE + name, lambda request: Answer(403, {}, b"Forbidden"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        with pytest.raises(ContactRequired, match="MARKETDATA_CONTACT"):
            oews.load("29-2072", settings=online_settings.replace(contact=None))
        with pytest.raises(ContactRequired, match="cache add"):
            oews.load("29-2072", settings=online_settings)


def test_served_file_cut_mid_line_never_enters_the_cache(
    served: BLSServer, online_settings: Settings
) -> None:
    raw = (DATA / oe.DATA_FILE).read_bytes()
    served.add(OE + oe.DATA_FILE, raw[:-7])
    with pytest.raises(SourceFormatError, match=rf"{oe.DATA_FILE}, line 804"):
        oews.load(settings=online_settings)
    assert cache.lookup("oe/" + oe.DATA_FILE, settings=online_settings) is None
    assert not (online_settings.cache_dir / "parquet").exists()


def test_html_error_page_is_not_taken_for_data(
    served: BLSServer, online_settings: Settings
) -> None:
    served.add(OE + "oe.area", b"<html><body>Request Rejected</body></html>\r\n")
    with pytest.raises(SourceFormatError, match=r"oe\.area"):
        oews.load(settings=online_settings)
    assert cache.lookup("oe/oe.area", settings=online_settings) is None


def test_current_release_and_lookup_tables(served: BLSServer, online_settings: Settings) -> None:
    assert oews.current_release(settings=online_settings) == "May 2025"
    areas = oews.areas(settings=online_settings)
    assert list(areas.columns) == ["area_code", "area_name", "area_type", "state_code"]
    assert len(areas) == 6  # the served release's table, not the bundled one
    assert "29-1212" in set(oews.occupations(settings=online_settings).occupation_code)


def test_explicit_current_release_uses_the_flat_files(
    served: BLSServer, online_settings: Settings
) -> None:
    df = oews.load("29-2072", "AL", release="May 2025", settings=online_settings)
    assert list(df.annual_median) == [43810]


def test_past_release_goes_to_the_archives(served: BLSServer, online_settings: Settings) -> None:
    served.add("/oes/special-requests/oesm21nat.zip", ARCHIVE / "oesm21nat.zip")
    df = oews.load("29-2072", "US", release=2021, settings=online_settings)
    assert list(df.employment) == [180570]
    assert list(df.annual_median) == [46660]
    assert df.attrs["provenance"][0]["source_url"].endswith("oesm21nat.zip")


def test_wages_table_of_a_metro_area(served: BLSServer, online_settings: Settings) -> None:
    df = oews.wages_table("cardiologists", area="Columbus, OH", settings=online_settings)
    assert list(df.area_name) == ["National", "Ohio", "Columbus, OH"]
    assert list(df.annual_median) == [496010, 504260, 239200]
    assert list(df.is_topcoded_annual_median) == [False, False, True]
    assert len(df.attrs["notes"]) == 1
    assert df.attrs["notes"][0].startswith("Columbus, OH: hourly_mean")
    assert "$239,200 per year" in df.attrs["notes"][0]
    national = oews.wages_table("29-2072", settings=online_settings)
    assert list(national.employment) == [194720] and national.attrs["notes"] == []


def test_snapshot_equals_the_parsed_slice() -> None:
    """The bundled cells equal those the live parser reads from BLS's files."""
    parsed = oe.parse({name: DATA / name for name in oe.FILES})
    parsed = parsed[parsed.industry_code == "000000"].reset_index(drop=True)
    keys = ["area_code", "industry_code", "occupation_code"]
    bundled = snapshot.read(
        filters=[
            ("area_code", "in", sorted(set(parsed.area_code))),
            ("occupation_code", "in", sorted(set(parsed.occupation_code))),
        ]
    )
    assert len(bundled) == len(parsed) == 42
    bundled = bundled.sort_values(keys).reset_index(drop=True)
    parsed = parsed.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(bundled, parsed)


def test_the_builder_writes_the_lookup_tables_the_snapshot_reads(tmp_path: Path) -> None:
    """The snapshot built from the test slice: its lookup TSVs read back as the mapping
    files' rows, with the columns codes.Area/Occupation/Industry take, and the manifest
    hashes what was written."""
    info = build.build(DATA, out_dir=tmp_path)
    expected = {
        snapshot.AREAS: (codes.AREA_COLUMNS, [r[:4] for r in oe.area_rows(DATA / "oe.area")]),
        snapshot.OCCUPATIONS: (
            codes.OCCUPATION_COLUMNS,
            [r[:3] for r in oe.occupation_rows(DATA / "oe.occupation")],
        ),
        snapshot.INDUSTRIES: (codes.INDUSTRY_COLUMNS, oe.industry_rows(DATA / "oe.industry")),
    }
    for bundled, (columns, rows) in expected.items():
        assert snapshot.read_lookup(bundled)[0] == columns  # the package's own tables too
        assert snapshot.read_lookup(tmp_path / bundled.name) == (columns, tuple(rows))
    for name, entry in info["files"].items():
        assert hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() == entry["sha256"]


def test_snapshot_manifest_names_its_sources() -> None:
    info = snapshot.manifest()
    assert info["release"] == "May 2025"
    data = info["sources"][oe.DATA_FILE]
    assert data["url"] == "https://download.bls.gov/pub/time.series/oe/oe.data.0.Current"
    assert data["identical_to_bls"] is True and len(data["sha256"]) == 64
    assert "not" in info["contents"] and "Industry-specific" in info["contents"]
    for name, entry in info["files"].items():
        path = snapshot.HERE / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]

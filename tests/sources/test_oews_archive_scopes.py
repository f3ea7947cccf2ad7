"""A past OEWS release is read from the archive zips a request needs (real BLS slices served
locally): the national zip for the nation, the state zip for states, never the all-data zip
for cross-industry rows; a zip the archive lacks is named, the release is never "unknown"."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketdata.core.config import Settings
from marketdata.core.errors import FetchError, UnknownRelease
from marketdata.datasets import oews
from tests.bls_server import BLSServer

ARCHIVE = Path(__file__).parents[1] / "data" / "oews_archive"
FOLDER = "/oes/special-requests/"


def _asked(server: BLSServer) -> set[str]:
    """The archive zips asked for."""
    names = {r.path.rsplit("/", 1)[1] for r in server.requests if r.method == "GET"}
    return {n for n in names if n.endswith(".zip")}


def test_nation_and_a_state_come_from_the_national_and_state_zips(
    bls_server: BLSServer, online_settings: Settings
):
    for name in ("oesm13nat.zip", "oesm13st.zip"):
        bls_server.add(FOLDER + name, ARCHIVE / name)
    df = oews.load("29-2071", ["US", "OH"], release=2013, settings=online_settings)
    assert set(df.area_code) == {"0000000", "3900000"}
    sources = {p["source_url"].rsplit("/", 1)[1] for p in df.attrs["provenance"]}
    assert sources == {"oesm13nat.zip", "oesm13st.zip"}
    assert "oesm13all.zip" not in _asked(bls_server)


def test_national_request_downloads_only_the_national_zip(
    bls_server: BLSServer, online_settings: Settings
):
    bls_server.add(FOLDER + "oesm21nat.zip", ARCHIVE / "oesm21nat.zip")
    df = oews.load(release="May 2021", area="US", settings=online_settings)
    assert set(df.area_code) == {"0000000"} and len(df) > 1
    assert _asked(bls_server) == {"oesm21nat.zip"}


def test_every_area_needs_the_metro_zip_and_names_it_when_missing(
    bls_server: BLSServer, online_settings: Settings
):
    for name in ("oesm13nat.zip", "oesm13st.zip"):  # no metro zip on this archive server
        bls_server.add(FOLDER + name, ARCHIVE / name)
    with pytest.raises(FetchError) as err:
        oews.load(release=2013, settings=online_settings)
    message = str(err.value)
    assert "oesm13ma.zip" in message and "is not (404)" in message
    assert "release is in BLS's archive" in message
    assert not isinstance(err.value, UnknownRelease)
    assert "oesm13all.zip" not in _asked(bls_server)


def test_industry_rows_without_the_all_data_zip_are_not_an_unknown_release(
    bls_server: BLSServer, online_settings: Settings
):
    bls_server.add(FOLDER + "oesm21nat.zip", ARCHIVE / "oesm21nat.zip")
    with pytest.raises(FetchError) as err:
        oews.load(release=2021, area="US", industry="622000", settings=online_settings)
    assert "oesm21all.zip" in str(err.value)
    assert "unknown" not in str(err.value).lower()
    assert not isinstance(err.value, UnknownRelease)


def test_a_release_the_archive_lacks_entirely_is_still_unknown(
    bls_server: BLSServer, online_settings: Settings
):
    with pytest.raises(UnknownRelease):
        oews.load(release=2013, area="OH", settings=online_settings)

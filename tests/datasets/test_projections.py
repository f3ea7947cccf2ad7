"""marketdata.datasets.projections.load end to end: local server -> cache -> parser -> Parquet.

The server serves real slices of BLS's occupation.xlsx (tests/data/ep) at BLS's paths.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from marketdata.core.config import Settings
from marketdata.core.errors import (
    InputValueError,
    OfflineDataWarning,
    OfflineError,
    SourceFormatError,
    UnknownRelease,
)
from marketdata.datasets import projections, projections_csv
from marketdata.io import cache
from tests.bls_server import Answer, BLSServer
from tests.conftest import DATA

EP = DATA / "ep"
WB_2024 = EP / "occupation_2024-34.xlsx"
WB_2021 = EP / "occupation_2021-31.xlsx"
CURRENT = "/emp/ind-occ-matrix/occupation.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _archive(workbook: Path) -> bytes:
    """A projections-archive zip holding the round's occupation.xlsx in a folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.write(workbook, "2021-31/occupation.xlsx")
    return buffer.getvalue()


def _row(path: Path, sheet: str, code: str) -> tuple:
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    return next(r for r in ws.iter_rows(values_only=True) if r[1] == code)


def test_latest_downloads_parses_and_caches(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(CURRENT, WB_2024, content_type=XLSX)
    df = projections.load(settings=online_settings)
    assert set(df["occupation_type"]) == {"Line item"}
    row = df.set_index("occupation_code").loc["29-2072"]
    raw = _row(WB_2024, "Table 1.2", "29-2072")
    assert (row["employment_base"], row["employment_projected"]) == (
        round(raw[3] * 1000),
        round(raw[4] * 1000),
    )
    assert (row["employment_base"], row["employment_projected"], row["change"]) == (
        194800,
        208600,
        13800,
    )
    assert (row["percent_change"], row["openings_annual"]) == (7.1, 14200)
    [prov] = df.attrs["provenance"]
    assert prov["program"] == "EP" and prov["release"] == "2024-34"
    assert prov["source_url"] == online_settings.bls_www_url + CURRENT
    assert prov["sha256"] == hashlib.sha256(WB_2024.read_bytes()).hexdigest()
    assert not prov["added_by_hand"]
    # second call: from the cache and the Parquet, no new request
    again = projections.load(settings=online_settings)
    assert bls_server.count(CURRENT) == 1
    assert again.equals(df)
    assert again.attrs["provenance"] == df.attrs["provenance"]
    assert list((online_settings.cache_dir / "parquet").rglob("projections.parquet"))


def test_a_frame_cached_with_other_columns_is_parsed_again(
    bls_server: BLSServer, online_settings: Settings
):
    bls_server.add(CURRENT, WB_2024, content_type=XLSX)
    df = projections.load(settings=online_settings)
    entry = cache.lookup(projections.CURRENT_KEY, settings=online_settings)
    name = f"{projections.CURRENT_KEY}/projections"
    older = df.rename(columns={"release": "round"})  # as another version of the parser named it
    cache.write_parquet(older, name, inputs=[entry], settings=online_settings)
    assert "round" in cache.read_parquet(name, inputs=[entry], settings=online_settings)
    again = projections.load(settings=online_settings)
    assert list(again.columns) == list(df.columns) and again["release"].iloc[0] == "2024-34"
    assert "release" in cache.read_parquet(name, inputs=[entry], settings=online_settings)
    assert bls_server.count(CURRENT) == 1


def test_summary_rows_kept_apart(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(CURRENT, WB_2024, content_type=XLSX)
    lines = projections.load(settings=online_settings)
    summary = projections.load(occupation_type="summary", settings=online_settings)
    both = projections.load(occupation_type="all", settings=online_settings)
    assert {"00-0000", "29-0000", "29-2000"} <= set(summary["occupation_code"])
    assert not set(summary["occupation_code"]) & set(lines["occupation_code"])
    assert len(both) == len(summary) + len(lines)
    assert set(summary["occupation_type"]) == {"Summary"}
    with pytest.raises(InputValueError, match="line item"):
        projections.load(occupation_type="detailed", settings=online_settings)


def test_past_round_from_the_projections_archive(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(
        "/emp/projections-archive/2021-31.zip", _archive(WB_2021), content_type="application/zip"
    )
    df = projections.load(release="2021-31", settings=online_settings)
    row = df.set_index("occupation_code").loc["29-2072"]
    assert (row["employment_base"], row["employment_projected"]) == (186400, 198700)
    assert (row["percent_change"], row["openings_annual"]) == (6.6, 14900)
    assert row["median_wage"] == 46660
    assert row["typical_education"] == "Postsecondary nondegree award"
    assert df.attrs["provenance"][0]["source_url"].endswith("/emp/projections-archive/2021-31.zip")
    assert df.attrs["provenance"][0]["release"] == "2021-31"
    seps = projections.load(release="2021-2031", table="separations", settings=online_settings)
    assert seps.set_index("occupation_code").loc["29-2072", "labor_force_exit_rate"] == 3.6
    att = projections.load(release="2021-31", table="attainment", settings=online_settings)
    assert att.set_index("occupation_code").loc["29-2072", "attainment_associate"] == 26.6
    assert bls_server.count("/emp/projections-archive/2021-31.zip") == 1
    assert bls_server.count(CURRENT) == 0


def test_current_round_asked_by_name(bls_server: BLSServer, online_settings: Settings):
    # BLS has not archived the current release: the archive answers 404, the current file is it
    bls_server.add(CURRENT, WB_2024, content_type=XLSX)
    df = projections.load(release="2024-34", settings=online_settings)
    assert df["release"].iloc[0] == "2024-34"
    assert bls_server.count("/emp/projections-archive/2024-34.zip") == 1
    with pytest.raises(UnknownRelease) as info:
        projections.load(release="2022-32", settings=online_settings)
    message = str(info.value)
    assert "2022-32" in message and "2024-34" in message and "cache add" in message


def test_html_answer_never_enters_the_cache(bls_server: BLSServer, online_settings: Settings):
    page = b"<!DOCTYPE html><html><head><title>Access Denied</title></head></html>"
    bls_server.add_handler(CURRENT, lambda r: Answer(200, {"Content-Type": "text/html"}, page))
    with pytest.raises(SourceFormatError, match="HTML page"):
        projections.load(settings=online_settings)
    assert cache.lookup(projections.CURRENT_KEY, settings=online_settings) is None


def test_offline(bls_server: BLSServer, online_settings: Settings, offline_settings: Settings):
    # a round that is neither cached nor bundled (the bundled one: test_projections_snapshot.py)
    # a valid round, not cached: says so and how to fetch it (not "unknown EP release")
    with pytest.raises(OfflineError, match="2021-31 EP release is not in the cache") as err:
        projections.load(release="2021-31", settings=offline_settings)
    assert "MARKETDATA_OFFLINE unset" in str(err.value)
    assert not isinstance(err.value, UnknownRelease)
    bls_server.add(CURRENT, WB_2024, content_type=XLSX)
    projections.load(settings=online_settings)
    df = projections.load(release="2024-34", settings=offline_settings)
    assert df["release"].iloc[0] == "2024-34"
    assert bls_server.count(CURRENT) == 1


def test_latest_falls_back_to_a_round_added_by_hand(online_settings: Settings):
    # BLS unreachable (nothing served) and only a workbook saved in a browser, of a round as
    # new as the bundled one (an older one loses to the bundle: test_projections_snapshot.py)
    known = projections.ep.identify(WB_2024, settings=online_settings)
    cache.add_file(
        WB_2024, key=known.key, url=known.url, settings=online_settings, check=known.check
    )
    assert projections.releases_cached(settings=online_settings) == ["2024-34"]
    with pytest.warns(OfflineDataWarning, match="newest EP release in the cache, 2024-34"):
        df = projections.load(settings=online_settings)
    assert df["release"].iloc[0] == "2024-34"
    assert df.attrs["provenance"][0]["added_by_hand"]
    assert not df.attrs["provenance"][0]["bundled"]


def test_data_tool_csv_added_by_hand(online_settings: Settings, offline_settings: Settings):
    df = projections_csv.load_csv(
        EP / "employment_projections_2022-2032.csv", settings=online_settings
    )
    row = df.set_index("occupation_code").loc["29-2072"]
    assert (row["employment_base"], row["employment_projected"], row["percent_change"]) == (
        194300,
        210900,
        8.5,
    )
    assert row["median_wage"] == 48780 and row["median_wage_year"] == 2023
    again = projections.load(release="2022-32", settings=offline_settings)
    assert again.set_index("occupation_code").loc["29-2072", "openings_annual"] == 15000
    assert again.attrs["provenance"][0]["added_by_hand"]
    with pytest.raises(InputValueError, match="data-tool export"):
        projections.load(release="2022-32", table="separations", settings=offline_settings)


def test_bad_arguments(online_settings: Settings):
    with pytest.raises(InputValueError, match="separations"):
        projections.load(table="wages", settings=online_settings)
    with pytest.raises(UnknownRelease, match="2024-34"):
        projections.load(release="last year", settings=online_settings)

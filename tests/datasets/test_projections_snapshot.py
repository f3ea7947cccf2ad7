"""The bundled Employment Projections round: builder, offline fallback of
:func:`marketdata.datasets.projections.load`, and the national outlook it feeds.

Values are checked against what the parser reads from the real slice of the same BLS workbook
(tests/data/ep/occupation_2024-34.xlsx), for the occupations the slice keeps.
"""

from __future__ import annotations

import hashlib
import json
import socket
import warnings
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from marketdata import bundled as snapshot
from marketdata.analysis import growth
from marketdata.bundled import projections_bundle as bundled
from marketdata.core import notices
from marketdata.core.config import Settings
from marketdata.core.errors import ContactRequired, OfflineDataWarning, OfflineError
from marketdata.datasets import projections
from marketdata.io import cache
from marketdata.reports import tables
from marketdata.sources import ep
from tests.bls_server import Answer, BLSServer
from tests.conftest import DATA
from tools import build_projections_bundle as build_projections

WB_2024 = DATA / "ep" / "occupation_2024-34.xlsx"
WB_2021 = DATA / "ep" / "occupation_2021-31.xlsx"
CURRENT = "/emp/ind-occ-matrix/occupation.xlsx"
BLS_URL = "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"


def _load_offline(settings: Settings, **kwargs: str) -> pd.DataFrame:
    """``projections.load`` that must warn exactly once that the bundle is used (each call
    in a fresh process: the package says it once per source per process)."""
    notices.forget()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = projections.load(settings=settings, **kwargs)
    said = [w for w in caught if issubclass(w.category, OfflineDataWarning)]
    assert len(said) == 1, [str(w.message) for w in caught]
    assert "bundled 2024-34 release" in str(said[0].message)
    return frame


def _same_rows(bundled_frame: pd.DataFrame, parsed: pd.DataFrame) -> None:
    """The bundled rows of the parsed slice's occupations equal the parse, value for value."""
    picked = bundled_frame.set_index("occupation_code").loc[parsed["occupation_code"]]
    pd.testing.assert_frame_equal(
        picked.reset_index(), parsed.reset_index(drop=True), check_dtype=False
    )


def test_offline_with_an_empty_cache_uses_the_bundled_round(offline_settings: Settings):
    df = _load_offline(offline_settings)
    assert set(df["release"]) == {"2024-34"} and set(df["occupation_type"]) == {"Line item"}
    row = df.set_index("occupation_code").loc["29-2072"]
    assert (row["employment_base"], row["employment_projected"], row["change"]) == (
        194800,
        208600,
        13800,
    )
    assert (row["percent_change"], row["openings_annual"]) == (7.1, 14200)
    [prov] = df.attrs["provenance"]
    info = bundled.manifest()
    assert prov["bundled"] and not prov["added_by_hand"]
    assert (prov["program"], prov["release"], prov["source_url"]) == ("EP", "2024-34", BLS_URL)
    assert prov["sha256"] == info["source"]["sha256"] and prov["retrieved"] == info["retrieved"]
    assert df.attrs["table"].startswith("Table 1.2 Occupational projections, 2024")
    assert cache.entries(settings=offline_settings) == []  # nothing written to the cache
    summary = _load_offline(offline_settings, occupation_type="summary")
    assert {"00-0000", "29-0000", "29-2000"} <= set(summary["occupation_code"])
    assert set(summary["occupation_type"]) == {"Summary"}


@pytest.mark.parametrize("table", ["projections", "employment", "separations", "education"])
def test_bundled_values_equal_the_parse_of_the_slice(table: str, offline_settings: Settings):
    parsed = ep.parse_workbook(WB_2024, kind=table)
    df = _load_offline(offline_settings, release="2024-2034", table=table, occupation_type="all")
    assert list(df.columns) == list(ep.COLUMNS[table])
    _same_rows(df, parsed)
    assert df.attrs["footnotes"] == parsed.attrs["footnotes"]
    assert df.attrs["table"] == parsed.attrs["table"]


def test_table_the_round_lacks(offline_settings: Settings):
    with pytest.raises(OfflineError, match="no attainment table") as info:
        projections.load(table="attainment", settings=offline_settings)
    assert "separations" in str(info.value)  # the hint lists what is bundled


def test_files_match_the_manifest():
    info = bundled.manifest()
    assert info["release"] == "2024-34" and info["source"]["url"] == BLS_URL
    assert set(info["tables"]) == {"projections", "employment", "separations", "education"}
    total = 0
    for entry in info["tables"].values():
        path = bundled.HERE / entry["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]
        assert pq.read_metadata(path).num_rows == entry["rows"]
        total += path.stat().st_size
    assert total < 300_000


def test_the_code_index_is_the_projections_table():
    """The bundled code index (read without pandas) holds the bundled projections table's
    codes, titles and release, row for row, and is the file the manifest hashes."""
    table = bundled.read("projections")
    header, rows = bundled.code_index()
    assert header == ep.CODE_COLUMNS
    assert [list(r) for r in rows] == table[list(ep.CODE_COLUMNS)].astype(str).values.tolist()
    entry = bundled.manifest()["codes"]
    assert entry["file"] == bundled.codes_name("2024-34") and entry["rows"] == len(table)
    assert (
        hashlib.sha256((bundled.HERE / entry["file"]).read_bytes()).hexdigest() == (entry["sha256"])
    )


def test_unreachable_bls_uses_the_bundle(online_settings: Settings):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = online_settings.replace(bls_www_url=f"http://127.0.0.1:{port}", retries=0)
    df = _load_offline(down)
    assert df.attrs["provenance"][0]["bundled"]


def test_an_older_cached_round_loses_to_the_newer_bundle(online_settings: Settings):
    known = ep.identify(WB_2021, settings=online_settings)
    cache.add_file(
        WB_2021, key=known.key, url=known.url, settings=online_settings, check=known.check
    )
    latest = _load_offline(online_settings)  # BLS answers 404: nothing is served
    assert set(latest["release"]) == {"2024-34"} and latest.attrs["provenance"][0]["bundled"]
    older = projections.load(release="2021-31", settings=online_settings)
    assert older.attrs["provenance"][0]["added_by_hand"]
    assert older.set_index("occupation_code").loc["29-2072", "employment_base"] == 186400


def test_bls_answering_403_still_raises(bls_server: BLSServer, online_settings: Settings):
    refuse = lambda request: Answer(403, {"Content-Type": "text/html"}, b"<html>Denied</html>")  # noqa: E731
    bls_server.add_handler(CURRENT, refuse)
    bls_server.add_handler("/emp/projections-archive/2024-34.zip", refuse)
    with pytest.raises(ContactRequired):
        projections.load(settings=online_settings)
    with pytest.raises(ContactRequired):
        projections.load(release="2024-34", settings=online_settings)
    with pytest.raises(ContactRequired):
        growth.outlook("29-2072", "US", settings=online_settings)
    # also when an older round is cached
    known = ep.identify(WB_2021, settings=online_settings)
    cache.add_file(
        WB_2021, key=known.key, url=known.url, settings=online_settings, check=known.check
    )
    with pytest.raises(ContactRequired):
        projections.load(settings=online_settings)


def test_national_outlook_offline(offline_settings: Settings):
    parsed = ep.parse_workbook(WB_2024).set_index("occupation_code")
    with pytest.warns(OfflineDataWarning, match="bundled 2024-34"):
        result = growth.outlook("29-2072", "US", settings=offline_settings)
    assert (result.basis, result.release, result.area) == ("projected", "2024-34", "US")
    row = parsed.loc["29-2072"]
    assert (result.employment_base, result.employment_projected) == (194800, 208600)
    assert (result.percent_change, result.openings_annual) == (7.1, 14200)
    assert result.typical_education == row["typical_education"]
    assert result.average_percent_change == parsed.loc["00-0000", "percent_change"]
    assert result.growth_category is not None
    assert result.provenance[0]["bundled"]
    # what the outlook report's quick facts show (the bundle was announced once already)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        national, why = tables.try_outlook("29-2072", "US", settings=offline_settings)
    assert caught == []
    assert why is None  # no error kept it out
    oews_row = pd.Series(
        {
            "area_name": "Ohio",
            "occupation_title": "Medical records specialists",
            "occupation_code": "29-2072",
            "release": "May 2025",
            "employment": float("nan"),
        }
    )
    facts = tables.quick_facts(oews_row, national)
    assert "7.1%" in facts["Projected growth (U.S.), 2024-34"]
    assert facts["Openings per year (U.S.)"] != "not available"
    assert facts["Typical entry-level education"] == row["typical_education"]


def test_builder_writes_what_the_parser_reads(tmp_path: Path):
    stale = tmp_path / "projections-2021-31-projections.parquet"
    stale.write_bytes(b"old round")
    stale_codes = tmp_path / "projections-2021-31-codes.tsv"
    stale_codes.write_text("old round")
    info = build_projections.build(WB_2024, retrieved="2026-11-24", origin="test", out_dir=tmp_path)
    assert not stale.exists() and not stale_codes.exists()
    codes = tmp_path / info["codes"]["file"]
    assert hashlib.sha256(codes.read_bytes()).hexdigest() == info["codes"]["sha256"]
    parsed = ep.parse_workbook(WB_2024)[list(ep.CODE_COLUMNS)]
    assert snapshot.read_lookup(codes) == (
        ep.CODE_COLUMNS,
        tuple(tuple(r) for r in parsed.astype(str).values.tolist()),
    )
    assert info["release"] == "2024-34" and "attainment" not in info["tables"]
    assert info["source"]["sha256"] == hashlib.sha256(WB_2024.read_bytes()).hexdigest()
    assert info["source"]["bytes"] == WB_2024.stat().st_size
    assert json.loads((tmp_path / "projections_manifest.json").read_text()) == info
    for table, entry in info["tables"].items():
        parsed = ep.parse_workbook(WB_2024, kind=table)
        written = pq.read_table(tmp_path / entry["file"]).to_pandas()
        pd.testing.assert_frame_equal(written, parsed)
        assert entry["attrs"] == {
            "table": parsed.attrs["table"],
            "footnotes": parsed.attrs["footnotes"],
        }

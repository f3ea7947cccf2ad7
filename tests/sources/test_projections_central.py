"""State long-term projections from Projections Central, on a real recorded answer (Nevada).

tests/data/projections_central/nv-longterm-2026-09-11-slice.json keeps some rows of the answer
recorded from ``GET /Projections/LongTermRestJson/32?items_per_page=1000`` (format unchanged,
pager as recorded).
"""

from __future__ import annotations

import json

import pytest

from marketdata.core.config import Settings
from marketdata.core.errors import SourceFormatError, UnknownArea
from marketdata.datasets import state_projections
from marketdata.io import cache
from marketdata.sources import projections_central as pc
from tests.bls_server import Answer, BLSServer, Request
from tests.conftest import DATA

NV = DATA / "projections_central" / "nv-longterm-2026-09-11-slice.json"
NV_PATH = "/Projections/LongTermRestJson/32"
JSON = {"Content-Type": "application/json"}


def _raw(code: str) -> dict[str, str]:
    return next(r for r in json.loads(NV.read_text())["rows"] if r["OccCode"] == code)


def test_parse_nevada_answer():
    df = pc.parse_longterm(NV).set_index("occupation_code")
    row = df.loc["29-2072"]
    raw = _raw("29-2072")
    assert row["employment_base"] == float(raw["Base"]) == 3050
    assert row["employment_projected"] == float(raw["Projected"]) == 3280
    assert row["change"] == 230 and row["percent_change"] == 7.4
    assert row["openings_annual"] == float(raw["AvgAnnualOpenings"]) == 220
    assert row["occupation_title"] == "Medical Records Specialists"
    assert (row["state_code"], row["area_name"], row["area_type"]) == ("32", "Nevada", "state")
    assert (row["base_year"], row["projected_year"], row["release"]) == (2024, 2034, "2024-34")
    assert row["state_url"] == "https://nevadaworkforce.com/Projections"
    total = df.loc["00-0000"]
    assert (total["employment_base"], total["percent_change"]) == (1_643_660, 10.5)
    # a self-contradictory row is kept as published, not "fixed"
    logging = df.loc["45-4029"]
    assert (logging["employment_base"], logging["change"], logging["percent_change"]) == (0, 0, 25)
    assert pc.pager(NV) == (0, 1)


def test_state_projections_download_and_cache(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(NV_PATH, NV, content_type="application/json")
    df = state_projections.state_projections("Nevada", settings=online_settings)
    assert df.set_index("occupation_code").loc["29-2072", "employment_projected"] == 3280
    [request] = bls_server.requests
    assert request.query == {"items_per_page": ["1000"]}
    [prov] = df.attrs["provenance"]
    assert prov["program"] == "Projections Central" and prov["release"] == "2024-34"
    assert (
        prov["source_url"]
        == f"{online_settings.projections_central_url}{NV_PATH}?items_per_page=1000"
    )
    assert cache.lookup("projections-central/longterm-32.json", settings=online_settings)
    again = state_projections.state_projections("NV", settings=online_settings)
    assert again.equals(df) and bls_server.count(NV_PATH) == 1


def test_pages_are_followed(bls_server: BLSServer, online_settings: Settings):
    rows = json.loads(NV.read_text())["rows"]
    half = len(rows) // 2

    def paged(request: Request) -> Answer:
        page = int(request.query.get("page", ["0"])[0])
        chunk = rows[:half] if page == 0 else rows[half:]
        pager = {
            "current_page": page,
            "total_items": len(rows),
            "total_pages": 2,
            "items_per_page": half,
        }
        return Answer(200, JSON, json.dumps({"rows": chunk, "pager": pager}).encode())

    bls_server.add_handler(NV_PATH, paged)
    df = state_projections.state_projections("32", settings=online_settings)
    assert len(df) == len(rows)
    assert [r.query.get("page") for r in bls_server.requests] == [None, ["1"]]
    assert len(df.attrs["provenance"]) == 2


def test_state_without_projections_says_so(bls_server: BLSServer, online_settings: Settings):
    empty = {"rows": [], "pager": {"current_page": 0, "total_items": 0, "total_pages": 0}}
    bls_server.add_handler(
        "/Projections/LongTermRestJson/11", lambda r: Answer(200, JSON, json.dumps(empty).encode())
    )
    df = state_projections.state_projections("DC", settings=online_settings)
    assert df.empty and list(df.columns) == list(pc.COLUMNS)
    assert df.attrs["notes"] == [
        "Projections Central has no long-term projections for District of Columbia."
    ]
    # a 404 is the same answer
    df = state_projections.state_projections("Wyoming", settings=online_settings)
    assert df.empty and "Wyoming" in df.attrs["notes"][0]


def test_one_occupation_in_all_states(bls_server: BLSServer, online_settings: Settings):
    doc = json.loads(NV.read_text())
    doc["rows"] = [r for r in doc["rows"] if r["OccCode"] == "29-2072"]
    path = "/Projections/LongTermRestJson/all/29-2072"
    bls_server.add(path, json.dumps(doc, indent=1).encode(), content_type="application/json")
    df = state_projections.occupation_across_states("292072", settings=online_settings)
    assert list(df["state_code"]) == ["32"] and df["percent_change"].iloc[0] == 7.4
    assert cache.lookup("projections-central/all-29-2072.json", settings=online_settings)


def test_not_json_is_rejected(bls_server: BLSServer, online_settings: Settings):
    page = b"<html><body>Service Unavailable</body></html>"
    bls_server.add_handler(NV_PATH, lambda r: Answer(200, {"Content-Type": "text/html"}, page))
    with pytest.raises(SourceFormatError, match="not JSON"):
        state_projections.state_projections("NV", settings=online_settings)
    assert cache.lookup("projections-central/longterm-32.json", settings=online_settings) is None


def test_unknown_state():
    with pytest.raises(UnknownArea, match="Nevada"):
        state_projections.state_fips("Nevda")
    with pytest.raises(UnknownArea, match="states only"):
        state_projections.state_fips("18140")  # a metro area


def test_identify_recorded_answer(online_settings: Settings):
    known = pc.identify(NV, settings=online_settings)
    assert known.key == "projections-central/longterm-32.json"
    assert known.url.endswith("/Projections/LongTermRestJson/32?items_per_page=1000")

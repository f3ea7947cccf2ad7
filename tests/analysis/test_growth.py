"""Growth outlook: BLS's wording, national and state figures, NEM -> SOC codes.

The growth categories are checked against published bands: O*NET OnLine's "Projected growth
(2024-2034)" for 55 occupations (read from onetonline.org occupation summaries on 2026-09-02,
as recorded in a public repository), which O*NET derives from BLS's 2024-34 projections.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from marketdata.analysis import growth, growth_bands
from marketdata.core.config import Settings
from marketdata.core.errors import UnknownCode, UnknownRelease
from tests.bls_server import Answer, BLSServer
from tests.conftest import DATA

EP = DATA / "ep"
CURRENT = "/emp/ind-occ-matrix/occupation.xlsx"
NV = DATA / "projections_central" / "nv-longterm-2026-09-11-slice.json"

MUCH, FASTER, AVERAGE, SLOWER, DECLINE = (
    "Much faster than average (7% or higher)",
    "Faster than average (5% to 6%)",
    "Average (3% to 4%)",
    "Slower than average (1% to 2%)",
    "Decline (-1% or lower)",
)
#: O*NET OnLine, "Projected growth (2024-2034)", by SOC code.
ONET_2024_34 = {
    "13-2011": FASTER, "15-2011": MUCH, "17-2011": FASTER, "17-2021": FASTER, "19-1013": FASTER,
    "53-2011": AVERAGE, "17-1011": AVERAGE, "19-2021": SLOWER, "17-2031": FASTER, "35-1011": MUCH,
    "17-2041": AVERAGE, "17-2051": FASTER, "15-1241": MUCH, "27-3043": AVERAGE, "25-9031": SLOWER,
    "15-1212": MUCH, "15-1243": MUCH, "29-1021": AVERAGE, "29-1031": FASTER, "13-1161": MUCH,
    "29-1215": AVERAGE, "17-2071": MUCH, "17-2081": AVERAGE, "19-2041": AVERAGE, "27-1022": SLOWER,
    "27-2012": FASTER, "19-1012": MUCH, "27-1024": SLOWER, "29-1141": FASTER, "11-9081": AVERAGE,
    "11-3121": FASTER, "17-2112": MUCH, "27-1025": AVERAGE, "11-3031": MUCH, "27-3023": DECLINE,
    "23-1011": AVERAGE, "13-1111": MUCH, "11-2021": MUCH, "17-2141": MUCH, "17-2161": DECLINE,
    "29-1051": FASTER, "27-4021": SLOWER, "29-1123": MUCH, "19-2012": AVERAGE, "25-2021": DECLINE,
    "19-3033": MUCH, "13-1041": AVERAGE, "11-2022": FASTER, "21-1012": AVERAGE, "21-1022": MUCH,
    "25-2031": DECLINE, "13-1121": FASTER, "27-1021": AVERAGE, "27-4032": AVERAGE, "15-1254": MUCH,
}  # fmt: skip
#: O*NET's labels in the OOH's wording.
OOH_WORDING = {
    MUCH: "Much faster than average",
    FASTER: "Faster than average",
    AVERAGE: "As fast as average",
    SLOWER: "Slower than average",
    DECLINE: "Decline",
}


def _serve_2024(server: BLSServer) -> None:
    server.add(CURRENT, EP / "occupation_2024-34.xlsx", content_type="application/octet-stream")


def test_categories_match_published_bands(bls_server: BLSServer, online_settings: Settings):
    _serve_2024(bls_server)
    from marketdata.datasets import projections

    df = projections.load(release="2024-34", occupation_type="all", settings=online_settings)
    by_code = df.set_index("occupation_code")
    average = by_code.loc["00-0000", "percent_change"]
    assert average == 3.1
    for code, band in ONET_2024_34.items():
        got = growth_bands.growth_category(
            by_code.loc[code, "percent_change"], release="2024-34", average=average
        )
        assert got == OOH_WORDING[band], (code, by_code.loc[code, "percent_change"])
    assert set(OOH_WORDING.values()) | {"Little or no change"} == set(growth_bands.CATEGORIES)


def test_category_edges_and_rounds_without_thresholds():
    assert growth_bands.growth_category(6.5, release="2024-34") == "Much faster than average"  # 7 %
    assert growth_bands.growth_category(4.4, release="2024-34") == "As fast as average"
    assert growth_bands.growth_category(0.4, release="2024-34") == "Little or no change"
    assert growth_bands.growth_category(-0.4, release="2024-34") == "Little or no change"
    assert growth_bands.growth_category(-9.9, release="2024-34") == "Decline"
    assert growth_bands.growth_category(float("nan"), release="2024-34") is None
    assert growth_bands.growth_category(6.6, release="2021-31") is None  # no documented thresholds
    with pytest.raises(UnknownRelease, match="another vintage"):
        growth_bands.growth_category(6.6, release="2024-34", average=5.3)


def test_national_outlook_medical_records_specialists(
    bls_server: BLSServer, online_settings: Settings
):
    _serve_2024(bls_server)
    out = growth.outlook("29-2072", settings=online_settings)
    assert (out.basis, out.area, out.release) == ("projected", "US", "2024-34")
    assert out.source == "BLS Employment Projections 2024-34"
    assert (out.employment_base, out.employment_projected, out.change) == (194800, 208600, 13800)
    assert (out.percent_change, out.openings_annual) == (7.1, 14200)
    assert out.average_percent_change == 3.1
    assert out.growth_category == "Much faster than average"
    assert out.typical_education == "Postsecondary nondegree award"
    assert (out.work_experience, out.training) == ("None", "None")
    assert out.provenance[0]["release"] == "2024-34"
    frame = out.to_frame()
    assert frame.loc[0, "employment_projected"] == 208600
    assert frame.attrs["provenance"][0]["program"] == "EP"
    by_title = growth.outlook("Medical records specialists", "national", settings=online_settings)
    assert by_title.occupation_code == "29-2072"


def test_past_round_has_no_invented_category(bls_server: BLSServer, online_settings: Settings):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.write(EP / "occupation_2021-31.xlsx", "occupation.xlsx")
    bls_server.add("/emp/projections-archive/2021-31.zip", buffer.getvalue())
    out = growth.outlook("29-2072", release="2021-31", settings=online_settings)
    assert (out.employment_base, out.employment_projected, out.percent_change) == (
        186400,
        198700,
        6.6,
    )
    assert out.openings_annual == 14900 and out.average_percent_change == 5.3
    assert out.growth_category is None
    assert "not documented" in out.notes[0] and "5.3 %" in out.notes[0]


def test_unknown_occupation_suggests_close_matches(
    bls_server: BLSServer, online_settings: Settings
):
    _serve_2024(bls_server)
    with pytest.raises(UnknownCode, match="29-2072 Medical records specialists"):
        growth.outlook("Medical record specialist", settings=online_settings)


def test_state_outlook_from_projections_central(bls_server: BLSServer, online_settings: Settings):
    bls_server.add("/Projections/LongTermRestJson/32", NV, content_type="application/json")
    _serve_2024(bls_server)
    out = growth.outlook("29-2072", "NV", settings=online_settings)
    assert (out.basis, out.area, out.area_name, out.release) == (
        "projected",
        "32",
        "Nevada",
        "2024-34",
    )
    assert "Projections Central" in out.source
    assert (out.employment_base, out.employment_projected, out.change) == (3050, 3280, 230)
    assert (out.percent_change, out.openings_annual) == (7.4, 220)
    assert out.average_percent_change == 10.5
    assert out.growth_category is None  # BLS's wording is national; the notes compare rates
    assert any("10.5 %" in n for n in out.notes)
    assert out.typical_education == "Postsecondary nondegree award"  # national EP, same round
    programs = {p["program"] for p in out.provenance}
    assert programs == {"Projections Central", "EP"}


def test_state_without_projections_is_never_called_projected(
    bls_server: BLSServer, online_settings: Settings
):
    empty = b'{"rows": [], "pager": {"current_page": 0, "total_items": 0, "total_pages": 0}}'
    bls_server.add_handler(
        "/Projections/LongTermRestJson/11",
        lambda r: Answer(200, {"Content-Type": "application/json"}, empty),
    )
    out = growth.outlook("29-2072", "District of Columbia", settings=online_settings)
    assert out.basis == "unavailable"
    assert out.basis != "projected" and out.growth_category is None
    assert (
        out.notes[0] == "Projections Central has no long-term projections for District of Columbia."
    )


def test_nem_codes_to_oews_soc_codes():
    # EP 2016-26 codes vs OEWS May 2016 national codes (national_M2016_dl.xlsx)
    from marketdata.sources import ep

    nem = ep.parse_csv(EP / "employment_projections_2016-2026.csv")["occupation_code"]
    oews_2016 = [
        "13-2011",
        "25-3090",
        "25-3097",
        "25-3098",
        "27-2011",
        "29-2071",
        "45-3000",
        "45-3011",
    ]
    mapping = growth.nem_to_soc(nem, oews_2016)
    rows = {
        (r.nem_code, r.soc_code if isinstance(r.soc_code, str) else None, r.match)
        for r in mapping.itertuples()
    }
    assert ("25-3099", "25-3097", "aggregate") in rows and (
        "25-3099",
        "25-3098",
        "aggregate",
    ) in rows
    assert ("29-2071", "29-2071", "same") in rows
    assert ("45-3000", "45-3000", "same") in rows
    # EP 2024-34: 45-3031 Fishing and hunting workers has no OEWS estimate
    nem24 = ep.parse_workbook(EP / "occupation_2024-34.xlsx")
    line_items = nem24.loc[nem24["occupation_type"] == "Line item", "occupation_code"]
    oews_2024 = [c for c in line_items if c != "45-3031"] + ["45-3011"]
    mapped = growth.nem_to_soc(line_items, oews_2024).set_index("nem_code")
    assert mapped.loc["45-3031", "match"] == "none" and mapped["soc_code"].isna().sum() == 1
    assert mapped.loc["31-1120", "match"] == "same"
    assert (mapped["match"] == "same").sum() == len(line_items) - 1

"""CPS certification data: the cpsaat parser on real BLS tables, the certification table,
LE/LN flat files and the API on layout fixtures (made-up values, see tests/data/cps/README.md),
and the premium."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from marketdata.analysis.credentials import cps_premium as certification
from marketdata.core.errors import (
    InputValueError,
    OfflineError,
    SourceFormatError,
    SuppressedValuesWarning,
    UnknownCode,
)
from marketdata.datasets import cps
from marketdata.sources import cps_annual as source
from marketdata.sources import cps_timeseries as timeseries
from tests.bls_server import Answer, Request

DATA = Path(__file__).parents[1] / "data" / "cps"
TABLE = DATA / "cpsaat53_layout_2025.xlsx"
HEALTH = "Healthcare practitioners and technical occupations"


def _value(frame: pd.DataFrame, label: str, measure: str) -> pd.Series:
    rows = frame[(frame["label"] == label) & (frame["measure"] == measure)]
    assert len(rows) == 1, (label, measure)
    return rows.iloc[0]


# -- the cpsaat layout, on real BLS tables -------------------------------------------------


def test_cpsaat39_real_table_values_and_suppression() -> None:
    frame = source.parse_cpsaat((DATA / "cpsaat39_2025.xlsx").read_bytes(), source="cpsaat39")
    assert frame.attrs["table"] == "39"
    assert frame.attrs["title"].startswith("Median weekly earnings of full-time wage")
    assert frame.attrs["units"] == "Numbers in thousands"
    assert "11-month averages that exclude October" in frame.attrs["notes"][0]
    label = "Medical records specialists"
    assert _value(frame, label, "Total | Number of workers")["value"] == 163
    assert _value(frame, label, "Total | Median weekly earnings")["value"] == 1027
    assert _value(frame, label, "Women | Median weekly earnings")["value"] == 1006
    men = _value(frame, label, "Men | Median weekly earnings")
    assert math.isnan(men["value"])
    assert "base is less than 50,000" in men["note"]
    assert (
        _value(frame, "Total, full-time wage and salary workers", "Total | Median weekly earnings")[
            "value"
        ]
        == 1204
    )
    assert set(frame["year"]) == {2025}
    row = _value(frame, label, "Total | Number of workers")
    assert row["level"] == 3
    assert row["path"].endswith("Professional and related occupations > " + HEALTH)
    assert (frame["value"] == 0).sum() < (frame["value"].isna()).sum()  # dashes are not zeros


def test_cpsaat11_real_table_single_header_row_and_year_from_url() -> None:
    frame = source.parse_cpsaat(
        (DATA / "cpsaat11_2021.xlsx").read_bytes(), source="cpsaat11", year=2021
    )
    assert frame.attrs["table"] == "11"
    label = "Medical records specialists"
    assert _value(frame, label, "Total Employed")["value"] == 207
    assert _value(frame, label, "Percent of total employed Women")["value"] == 88.8
    assert _value(frame, "Total, 16 years and over", "Total Employed")["value"] == 152581
    assert set(frame["year"]) == {2021}
    # "Management,  professional" has a double space in BLS's cell; labels are normalised
    assert "Management, professional, and related occupations" in set(frame["label"])


def test_real_table_without_certification_columns_is_refused() -> None:
    with pytest.raises(SourceFormatError, match="no column about certification"):
        source.parse_certification_table((DATA / "cpsaat39_2025.xlsx").read_bytes(), source="t39")


def test_not_a_workbook() -> None:
    with pytest.raises(SourceFormatError, match=r"page\.html: not an Excel workbook"):
        source.parse_cpsaat(b"<html>Access Denied</html>", source="page.html")


# -- the certification table (layout fixture) ---------------------------------------------


def test_certification_table_columns_found_by_header() -> None:
    table = source.parse_certification_table(TABLE.read_bytes(), source="t53")
    assert list(table.columns) == list(source.CERT_TABLE_COLUMNS)
    assert table.attrs["table"] == "53"
    health = table[table["group"] == HEALTH].iloc[0]
    assert health[
        ["employed", "share_with_either", "share_cert_no_license", "share_license", "share_without"]
    ].tolist() == [10000, 75.0, 5.0, 70.0, 25.0]
    assert health[
        [
            "median_weekly_total",
            "median_weekly_with_either",
            "median_weekly_cert_no_license",
            "median_weekly_license",
            "median_weekly_without",
        ]
    ].tolist() == [1400, 1500, 1200, 1520, 1100]
    assert health["level"] == 2 and health["year"] == 2025
    legal = table[table["group"] == "Legal occupations"].iloc[0]
    assert math.isnan(legal["median_weekly_cert_no_license"])
    assert "median_weekly_cert_no_license" in legal["note"] and "dash" in legal["note"]


def test_premium_from_table_in_bls_layout() -> None:
    table = source.parse_certification_table(TABLE.read_bytes(), source="t53")
    p = certification.premium_for("29-2072", table)
    assert p.group == HEALTH and p.mapped_group == HEALTH
    assert p.premium_low == pytest.approx(1200 / 1100)
    assert p.premium_high == pytest.approx(1520 / 1100)
    assert p.premium_with_either == pytest.approx(1500 / 1100)
    assert p.factor_low == pytest.approx(1200 / 1400)
    assert p.factor_high == pytest.approx(1520 / 1400)
    assert p.statuses == "with a certification, but no license .. with a license"
    assert "Current Population Survey" in p.source and "table 53" in p.source
    # a suppressed status narrows the range to the published ones and says so
    legal = certification.premium_for("23-1011", table)
    assert legal.premium_low == pytest.approx(2050 / 1100)
    assert legal.premium_high == pytest.approx(2060 / 1100)
    assert "dash" in legal.note


def test_premium_falls_back_to_parent_group_when_suppressed() -> None:
    table = source.parse_certification_table(TABLE.read_bytes(), source="t53")
    table.loc[table["group"] == HEALTH, "median_weekly_without"] = math.nan
    p = certification.premium_for("29-1141", table)
    assert p.group == "Professional and related occupations"
    assert p.premium_with_either == pytest.approx(1650 / 1470)
    assert HEALTH in p.note


def test_soc_to_cps_mapping_matches_titles() -> None:
    """Every mapped group is a row of the real CPS tables; SOC titles agree but for 25-0000."""
    for name, year in (("cpsaat11_2021.xlsx", 2021), ("cpsaat39_2025.xlsx", 2025)):
        labels = set(
            source.parse_cpsaat((DATA / name).read_bytes(), source=name, year=year)["label"]
        )
        for chain in certification.SOC_TO_CPS.values():
            assert set(chain) <= labels, chain
    soc_titles = {  # OEWS major-group titles (oe.occupation, May 2025), lower case
        "29": "healthcare practitioners and technical occupations",
        "25": "educational instruction and library occupations",
        "53": "transportation and material moving occupations",
    }
    for major, title in soc_titles.items():
        same = certification.SOC_TO_CPS[major][0].lower() == title
        assert same == (major != "25")
    assert len(certification.SOC_TO_CPS) == 22


@pytest.mark.parametrize("code", ["55-1011", "29-207", "nurse", ""])
def test_unknown_occupation_codes(code: str) -> None:
    with pytest.raises(UnknownCode):
        certification.cps_group(code)


# -- fetching and caching (local server) ----------------------------------------------------


def test_certification_table_download_cache_and_offline(bls_server, online_settings) -> None:
    bls_server.add("/cps/aa2025/cpsaat53.xlsx", TABLE)
    table = cps.certification_table(release=2025, settings=online_settings)
    assert table.loc[table["group"] == HEALTH, "median_weekly_license"].item() == 1520
    (prov,) = table.attrs["provenance"]
    assert prov["program"] == "CPS"
    assert prov["source_url"] == f"{bls_server.url}/cps/aa2025/cpsaat53.xlsx"
    assert len(prov["sha256"]) == 64
    again = cps.certification_table(release=2025, settings=online_settings.replace(offline=True))
    pd.testing.assert_frame_equal(table, again)
    assert bls_server.count("/cps/aa2025/cpsaat53.xlsx") == 1
    with pytest.raises(OfflineError):
        cps.certification_table(release=2024, settings=online_settings.replace(offline=True))


def test_error_page_never_enters_the_cache(bls_server, online_settings) -> None:
    bls_server.add("/cps/aa2025/cpsaat53.xlsx", b"<!DOCTYPE html><html>Access Denied</html>")
    with pytest.raises(SourceFormatError, match="not an Excel workbook"):
        cps.certification_table(release=2025, settings=online_settings)
    assert not list((online_settings.cache_dir / "raw").rglob("cpsaat53.xlsx"))


def test_bad_release() -> None:
    with pytest.raises(InputValueError, match="2015"):
        cps.certification_table(release=2012)


def _serve_database(server, database: str) -> None:
    for path in (DATA / database).iterdir():
        server.add(f"/pub/time.series/{database}/{path.name}", path)


def test_le_series_match_the_table(bls_server, online_settings) -> None:
    _serve_database(bls_server, "le")
    series = cps.certification_series("le", settings=online_settings)
    table = source.parse_certification_table(TABLE.read_bytes(), source="t53")
    medians = [c for c in source.CERT_TABLE_COLUMNS if c.startswith("median_weekly")]
    by_group = series.set_index("group")[medians].rename(
        index={"All occupations": table["group"][0]}
    )
    pd.testing.assert_frame_equal(by_group, table.set_index("group")[medians])
    legal = series[series["group"] == "Legal occupations"].iloc[0]
    assert "Data do not meet publication criteria." in legal["note"]
    assert set(series["year"]) == {2025}
    p_series = certification.premium_for("29-2072", series)
    p_table = certification.premium_for("29-2072", table)
    assert (p_series.premium_low, p_series.premium_high) == (
        p_table.premium_low,
        p_table.premium_high,
    )
    assert "LE/LN time series" in p_series.source
    # the selected values are cached as Parquet: offline, the same frame comes back
    again = cps.certification_series("le", settings=online_settings.replace(offline=True))
    pd.testing.assert_frame_equal(again, series)
    assert list((online_settings.cache_dir / "parquet").rglob("le-certification-values.parquet"))


def test_ln_series_give_shares(bls_server, online_settings) -> None:
    _serve_database(bls_server, "ln")
    series = cps.certification_series("ln", settings=online_settings)
    health = series[series["group"] == HEALTH].iloc[0]
    assert health["employed"] == 10000
    assert health["share_license"] == pytest.approx(70.0)
    assert health["share_without"] == pytest.approx(25.0)
    assert series["median_weekly_total"].isna().all()


def test_le_series_through_the_api(bls_server, online_settings) -> None:
    _serve_database(bls_server, "le")
    answer = json.loads((DATA / "api" / "le_cert_2025.json").read_text())

    def handle(request: Request) -> Answer:
        asked = set(json.loads(request.body)["seriesid"])
        body = dict(
            answer,
            Results={"series": [s for s in answer["Results"]["series"] if s["seriesID"] in asked]},
        )
        return Answer(200, {"Content-Type": "application/json"}, json.dumps(body).encode())

    bls_server.add_handler("/publicAPI/v2/timeseries/data/", handle)
    with pytest.warns(SuppressedValuesWarning):
        via_api = cps.certification_series("le", release=2025, via="api", settings=online_settings)
    via_file_server = cps.certification_series("le", release=2025, settings=online_settings)
    medians = [c for c in source.CERT_TABLE_COLUMNS if c.startswith("median_weekly")]
    pd.testing.assert_frame_equal(via_api[medians], via_file_server[medians])
    assert bls_server.count("/publicAPI/v2/timeseries/data/", "POST") >= 1


def test_wrong_database_and_source() -> None:
    with pytest.raises(InputValueError, match="le"):
        cps.certification_series("lx")
    with pytest.raises(InputValueError, match="api"):
        cps.certification_series("le", via="web")


# -- flat-file parsing ----------------------------------------------------------------------


def test_timeseries_files_are_read_by_header_and_stripped() -> None:
    series = timeseries.parse_timeseries_file(
        (DATA / "ln" / "ln.series").read_bytes(), source="ln.series", required=("cert_code",)
    )
    assert len(series.columns) == 42
    assert series["series_id"].str.len().max() == 11  # padding to 30 removed
    assert set(series["cert_code"]) == {"00", "01", "02", "03", "04"}
    assert {timeseries.cert_status(c) for c in series["cert_code"]} == set(
        timeseries.CERT_STATUS.values()
    )


def test_timeseries_file_missing_column_names_the_file() -> None:
    with pytest.raises(SourceFormatError, match=r"le\.cert, line 1: missing column\(s\) series_id"):
        timeseries.parse_timeseries_file(
            (DATA / "le" / "le.cert").read_bytes(), source="le.cert", required=("series_id",)
        )


def test_data_values_and_footnoted_gaps() -> None:
    data = timeseries.parse_data(
        (DATA / "le" / "le.data.1.AllData").read_bytes(),
        source="le.data.1.AllData",
        series_ids=["LEU0900000000", "LEU0901003000"],
        footnotes={"7": "Data do not meet publication criteria."},
    )
    assert data["value"].iloc[0] == 1200
    assert math.isnan(data["value"].iloc[1])
    assert data["note"].iloc[1] == "Data do not meet publication criteria."
    assert data["year"].dtype == "int64"


def test_unknown_cert_code() -> None:
    with pytest.raises(SourceFormatError, match="0-4"):
        timeseries.cert_status("7")

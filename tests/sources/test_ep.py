"""The EP parser on real slices of BLS's occupation.xlsx and data-tool CSV exports.

The slices (tests/data/ep, cut by make_slices.py) keep BLS's layout: every sheet, title rows,
header rows, footnote and source rows; only other occupations' rows were deleted. Expected
values are read from the same files independently with openpyxl / csv, and the headline figures
are also written out as BLS published them.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from marketdata.core.errors import InputValueError, SourceFormatError, UnknownRelease
from marketdata.core.schema import PROJECTION_MEASURES
from marketdata.sources import ep
from marketdata.sources.ep import cells, workbook
from marketdata.sources.ep import ep_tables as layout
from tests.conftest import DATA

EP = DATA / "ep"
WB_2024 = EP / "occupation_2024-34.xlsx"
WB_2021 = EP / "occupation_2021-31.xlsx"


def _sheet_row(path: Path, sheet: str, code: str) -> dict[str, object]:
    """Header text -> cell value of ``code``'s row, read with openpyxl (header is row 2)."""
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[1]
    row = next(r for r in rows[2:] if r[1] == code)
    return dict(zip(header, row, strict=False))


def test_tables_found_by_title_not_by_number():
    assert ep.find_tables(WB_2021)["projections"] == "Table 1.7"
    assert ep.find_tables(WB_2024)["projections"] == "Table 1.2"
    assert ep.find_tables(WB_2021)["employment"] == "Table 1.2"
    assert ep.find_tables(WB_2021)["attainment"] == "Table 5.3"
    assert "attainment" not in ep.find_tables(WB_2024)  # 2024-34 has no Table 5.3
    assert ep.workbook_round(WB_2024) == "2024-34"
    assert ep.workbook_round(WB_2021) == "2021-31"


def test_medical_records_specialists_2024_34_against_the_file():
    df = ep.parse_workbook(WB_2024)
    row = df.set_index("occupation_code").loc["29-2072"]
    raw = _sheet_row(WB_2024, "Table 1.2", "29-2072")
    assert row["employment_base"] == round(raw["Employment, 2024"] * 1000)
    assert row["employment_projected"] == round(raw["Employment, 2034"] * 1000)
    assert row["change"] == round(raw["Employment change, numeric, 2024–34"] * 1000)
    assert row["percent_change"] == raw["Employment change, percent, 2024–34"]
    assert row["openings_annual"] == round(
        raw["Occupational openings, 2024–34 annual average"] * 1000
    )
    # as BLS published them (thousands): 194.8 -> 208.6, +13.8, +7.1 %, 14.2 openings a year
    assert (row["employment_base"], row["employment_projected"], row["change"]) == (
        194800,
        208600,
        13800,
    )
    assert (row["percent_change"], row["openings_annual"]) == (7.1, 14200)
    assert row["median_wage"] == 50250 and row["median_wage_year"] == 2024
    assert row["occupation_title"] == "Medical records specialists"  # indentation removed
    assert raw["2024 National Employment Matrix title"].startswith("      Medical")
    assert row["occupation_type"] == "Line item"
    assert row["typical_education"] == "Postsecondary nondegree award"
    assert row["work_experience"] == "None" and row["training"] == "None"
    assert row["release"] == "2024-34"
    assert (row["base_year"], row["projected_year"]) == (2024, 2034)


def test_medical_records_specialists_2021_31_table_1_7():
    df = ep.parse_workbook(WB_2021)
    row = df.set_index("occupation_code").loc["29-2072"]
    raw = _sheet_row(WB_2021, "Table 1.7", "29-2072")
    assert row["employment_base"] == round(raw["Employment, 2021"] * 1000) == 186400
    assert row["employment_projected"] == round(raw["Employment, 2031"] * 1000) == 198700
    assert row["percent_change"] == raw["Percent employment change, 2021-31"] == 6.6
    assert row["openings_annual"] == 14900
    assert row["median_wage"] == raw["Median annual wage, 2021(1)"] == 46660
    assert row["typical_education"] == "Postsecondary nondegree award"
    assert row["release"] == "2021-31"


def test_counts_are_whole_persons_for_every_row():
    df = ep.parse_workbook(WB_2024, kind="separations")
    ws = openpyxl.load_workbook(WB_2024, read_only=True)["Table 1.10"]
    rows = [r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] and r[1][:2].isdigit()]
    assert len(rows) == len(df)
    for raw, (_, row) in zip(rows, df.iterrows(), strict=True):
        assert row["occupation_code"] == raw[1]
        assert row["employment_base"] == round(raw[3] * 1000)
        assert row["labor_force_exits"] == round(raw[10] * 1000)
        assert row["openings_annual"] == round(raw[13] * 1000)
        assert row["labor_force_exit_rate"] == raw[7] and row["transfer_rate"] == raw[8]
    for column in layout.THOUSANDS & set(df.columns):
        assert (df[column] == df[column].round()).all(), column
    total = df.set_index("occupation_code").loc["00-0000"]
    assert total["employment_base"] == 169_956_100  # 169,956.1 thousand, not 169,956,099.99...


def test_separations_of_medical_records_specialists():
    row = ep.parse_workbook(WB_2021, kind="separations").set_index("occupation_code").loc["29-2072"]
    assert (row["labor_force_exit_rate"], row["transfer_rate"], row["separations_rate"]) == (
        3.6,
        3.5,
        7.1,
    )
    assert (row["labor_force_exits"], row["transfers"], row["separations"]) == (7000, 6700, 13700)
    assert row["openings_annual"] == 14900


def test_summary_and_line_items_apart():
    df = ep.parse_workbook(WB_2024)
    types = df.set_index("occupation_code")["occupation_type"]
    assert types["00-0000"] == "Summary" and types["29-0000"] == "Summary"
    assert types["29-2000"] == "Summary"
    assert types["29-2072"] == "Line item"
    assert types["31-1120"] == "Line item"  # a SOC broad code that is a NEM line item
    assert set(df["occupation_type"]) == {"Summary", "Line item"}


def test_dash_and_top_coded_wages():
    df = ep.parse_workbook(WB_2024).set_index("occupation_code")
    actors = df.loc["27-2011"]
    assert (
        _sheet_row(WB_2024, "Table 1.2", "27-2011")["Median annual wage, dollars, 2024[1]"] == "—"
    )
    assert math.isnan(actors["median_wage"])
    assert actors["median_wage_note"] == cells.DASH_NOTE
    anesthesiologists = df.loc["29-1211"]
    assert (
        _sheet_row(WB_2024, "Table 1.2", "29-1211")["Median annual wage, dollars, 2024[1]"]
        == ">=$239,200"
    )
    assert anesthesiologists["median_wage"] == 239200
    assert anesthesiologists["median_wage_topcoded"]
    summary = df.loc["00-0000"]
    assert pd.isna(summary["typical_education"])  # "—" in summary rows
    assert not df.loc["29-2072", "median_wage_topcoded"]
    assert df.attrs["footnotes"][0].startswith("[1] Data are from the Occupational Employment")


def test_attainment_and_education_tables():
    att = ep.parse_workbook(WB_2021, kind="attainment").set_index("occupation_code")
    raw = _sheet_row(WB_2021, "Table 5.3", "29-2072")
    row = att.loc["29-2072"]
    assert row["attainment_less_than_hs"] == raw["Less than high school diploma"] == 0.9
    assert row["attainment_hs"] == raw["High school diploma or equivalent"] == 19.1
    assert row["attainment_some_college"] == 32.5 and row["attainment_associate"] == 26.6
    assert (row["attainment_bachelor"], row["attainment_master"], row["attainment_doctoral"]) == (
        17.3,
        2.9,
        0.7,
    )
    assert row["attainment_years"] == "2018-19"
    assert row["occupation_type"] == "Line item"  # taken from the projections table
    assert att.loc["00-0000", "occupation_type"] == "Summary"
    ceo = att.loc["11-1011"]
    assert ceo["occupation_title"] == "Chief executives"  # marker "(1)" removed
    assert ceo["note"].startswith("This occupation is not an exact match with ACS")
    edu = ep.parse_workbook(WB_2021, kind="education").set_index("occupation_code")
    assert edu.loc["29-2072", "typical_education"] == "Postsecondary nondegree award"
    assert edu.loc["11-1011", "work_experience"] == "5 years or more"
    # 2024-34 has no Table 5.4: the same assignments come from the projections table
    edu24 = ep.parse_workbook(WB_2024, kind="education").set_index("occupation_code")
    assert edu24.loc["29-2072", "typical_education"] == "Postsecondary nondegree award"
    with pytest.raises(SourceFormatError, match="no attainment table"):
        ep.parse_workbook(WB_2024, kind="attainment")


def test_employment_table_despite_bls_header_typo():
    # Table 1.2 of 2021-31 calls its first column "2020 National Employment Matrix title"
    df = ep.parse_workbook(WB_2021, kind="employment").set_index("occupation_code")
    assert _sheet_row(WB_2021, "Table 1.2", "29-2072").get("2020 National Employment Matrix title")
    row = df.loc["29-2072"]
    assert row["occupation_title"] == "Medical records specialists"
    assert (row["employment_share_base"], row["employment_share_projected"]) == (0.1, 0.1)
    assert row["release"] == "2021-31"


def _csv_row(path: Path, code: str) -> dict[str, str]:
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return next(r for r in reader if code in list(r.values())[1])


def test_csv_export_quirks():
    path = EP / "employment_projections_2021-2031.csv"
    df = ep.parse_csv(path).set_index("occupation_code")
    assert '"=""29-2072"""' in path.read_text()  # the code is an Excel formula
    mrs = df.loc["29-2072"]
    raw = _csv_row(path, "29-2072")
    assert mrs["employment_base"] == round(float(raw["Employment 2021"]) * 1000) == 186400
    assert mrs["employment_projected"] == 198700 and mrs["change"] == 12300
    assert mrs["percent_change"] == 6.6 and mrs["openings_annual"] == 14900
    assert raw["Median Annual Wage 2021"] == "46,660" and mrs["median_wage"] == 46660
    assert mrs["occupation_type"] == "Line item" and mrs["release"] == "2021-31"
    accountants = df.loc["13-2011"]
    assert _csv_row(path, "13-2011")["Employment 2021"] == "1,449.8"
    assert accountants["employment_base"] == 1_449_800
    assert accountants["occupation_title"] == "Accountants and auditors"
    assert accountants["job_titles"].startswith("Account Auditor; Accountant; Auditor")
    actors = df.loc["27-2011"]
    assert _csv_row(path, "27-2011")["Median Annual Wage 2021"] == "N/A"
    assert math.isnan(actors["median_wage"]) and actors["median_wage_note"] == cells.NA_WAGE_NOTE
    top = df.loc["29-1211"]
    assert top["median_wage"] == 208000 and top["median_wage_topcoded"]


def test_csv_2016_26_headers_and_soc_2010_codes():
    df = ep.parse_csv(EP / "employment_projections_2016-2026.csv").set_index("occupation_code")
    row = df.loc["29-2071"]
    assert row["occupation_title"] == "Medical records and health information technicians"
    assert (row["employment_base"], row["employment_projected"]) == (206300, 234100)
    assert row["percent_change"] == 13.5 and row["median_wage_year"] == 2016
    assert df["release"].iloc[0] == "2016-26"


def test_csv_and_workbook_agree_for_2021_31():
    from_csv = ep.parse_csv(EP / "employment_projections_2021-2031.csv").set_index(
        "occupation_code"
    )
    from_xlsx = ep.parse_workbook(WB_2021).set_index("occupation_code").loc[from_csv.index]
    columns = [
        *PROJECTION_MEASURES,
        "median_wage",
        "typical_education",
        "work_experience",
        "training",
        "release",
    ]
    pd.testing.assert_frame_equal(from_csv[columns], from_xlsx[columns])


def test_round_names():
    assert ep.normalize_round("2024–2034") == "2024-34"
    assert ep.normalize_round("2021-31") == "2021-31"
    assert ep.normalize_round("2030 to 2040") == "2030-40"
    assert ep.round_years("2095-05") == (2095, 2105)
    with pytest.raises(UnknownRelease, match=r"e\.g\. '2024-34'"):
        ep.normalize_round("latest-ish")


def test_checks_reject_an_html_page(tmp_path: Path):
    page = tmp_path / "occupation.xlsx"
    page.write_bytes(b"<!DOCTYPE html><html><body>Access Denied</body></html>")
    with pytest.raises(SourceFormatError, match="HTML page"):
        workbook.check_workbook(page)
    with pytest.raises(SourceFormatError, match="HTML page"):
        ep.check_archive(page)
    workbook.check_workbook(WB_2024)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("readme.txt", "no workbook here")
    with pytest.raises(SourceFormatError, match="occupation"):
        ep.check_archive(other)


def test_unknown_table_kind():
    with pytest.raises(InputValueError, match="projections"):
        ep.parse_workbook(WB_2024, kind="wages")


def test_identify_hand_saved_files(online_settings):
    known = ep.identify(WB_2021, settings=online_settings)
    assert known.key == "ep/occupation_2021-31.xlsx"
    assert known.url == online_settings.bls_www_url + "/emp/ind-occ-matrix/occupation.xlsx"
    csv_known = ep.identify(EP / "employment_projections_2022-2032.csv", settings=online_settings)
    assert csv_known.key == "ep/employment_projections_2022-2032.csv"
    assert csv_known.url == ep.DATA_TOOL_URL
    assert ep.identify(DATA / "projections_central" / "nv-longterm-2026-09-11-slice.json") is None

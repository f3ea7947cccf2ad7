"""Salary breakdown on real OEWS May 2025 rows (tests/data/salary/oe, BLS's flat-file layout)
and the CPS certification layout fixture (made-up values, tests/data/cps/README.md)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from marketdata.analysis import salary
from marketdata.analysis.salary.figure_kinds import DERIVED, EP, ESTIMATE, PUBLISHED, USER
from marketdata.analysis.salary.pay_bands import BANDS
from marketdata.core.config import Settings
from marketdata.core.errors import OfflineDataWarning, SourceFormatError, UnknownArea, UnknownCode
from marketdata.sources import cps_annual as cps_source
from marketdata.sources import oe

DATA = Path(__file__).parents[1] / "data"
OE = DATA / "salary" / "oe"
TABLE = DATA / "cps" / "cpsaat53_layout_2025.xlsx"
MRS = "29-2072"


@pytest.fixture(scope="module")
def oews() -> pd.DataFrame:
    return oe.parse({name: OE / name for name in oe.FILES})


@pytest.fixture(scope="module")
def cert_table() -> pd.DataFrame:
    return cps_source.parse_certification_table(TABLE.read_bytes(), source=str(TABLE))


@pytest.fixture(scope="module")
def mrs(oews, cert_table, tmp_path_factory) -> pd.DataFrame:
    """Offline (module fixtures run before the per-test offline environment): EP's entry
    education and CPS table 54 come from the bundled data."""
    offline = Settings(cache_dir=tmp_path_factory.mktemp("mrs-cache"), offline=True)
    with pytest.warns(OfflineDataWarning):
        return salary.breakdown(
            MRS,
            ["US", "Ohio", "Columbus, OH", "Elmira, NY"],
            data=oews,
            certification=cert_table,
            what_it_takes=False,
            settings=offline,
        )


def test_bands_equal_the_published_percentiles(mrs, oews) -> None:
    assert mrs["area_name"].tolist() == ["National", "Ohio", "Columbus, OH", "Elmira, NY"]
    published = oews[oews["occupation_code"] == MRS].set_index("area_code").loc[mrs["area_code"]]
    for band, (low, high, point) in BANDS.items():
        for basis in ("annual", "hourly"):
            for end, pct in (("low", low), ("high", high), ("point", point)):
                if pct is None:
                    continue
                got = mrs[f"{band}_{basis}_{end}"].to_numpy()
                want = published[f"{basis}_{pct}"].to_numpy()
                assert ((got == want) | (pd.isna(got) & pd.isna(want))).all(), (band, basis, end)
    # BLS's published May 2025 figures (oe.data.0.Current, series OEUN000000000000029207213 ...)
    us = mrs.iloc[0]
    assert (us["entry_annual_low"], us["entry_annual_high"]) == (37000, 43490)
    assert us["mid_annual_point"] == 51140
    assert (us["experienced_annual_low"], us["experienced_annual_high"]) == (64820, 81150)
    assert us["mid_hourly_point"] == 24.59
    assert mrs.loc[1, "annual_median"] == 50990 and mrs.loc[2, "annual_median"] == 51230
    assert (mrs["experience_method"].str.startswith("Estimate:")).all()


def test_area_against_state_and_nation(mrs) -> None:
    us, ohio, columbus, _ = (mrs.iloc[i] for i in range(4))
    assert columbus["state_name"] == "Ohio"
    assert columbus["ratio_to_state"] == pytest.approx(51230 / 50990)
    assert columbus["ratio_to_nation"] == pytest.approx(51230 / 51140)
    assert ohio["ratio_to_nation"] == pytest.approx(50990 / 51140)
    assert math.isnan(ohio["ratio_to_state"]) and math.isnan(us["ratio_to_nation"])
    assert (columbus["location_quotient"], columbus["jobs_per_1000"]) == (1.0, 1.25)
    assert (ohio["location_quotient"], ohio["jobs_per_1000"]) == (1.07, 1.341)
    shown = salary.display(mrs)  # printed as BLS prints them
    assert shown.loc["Jobs per 1,000", "Ohio"] == "1.341"
    assert shown.loc["Location quotient", "Columbus, OH"] == "1.00"
    assert shown.loc["Annual median wage", "Columbus, OH"] == "$51,230"
    assert shown.loc["Hourly median wage", "National"] == "$24.59"
    assert shown.loc["Entry (10th-25th pct)*", "Ohio"] == "$38,060 - $45,500"


def test_sampling_error_from_published_rse(mrs) -> None:
    us = mrs.iloc[0]
    assert us["employment_rse"] == 1.1 and us["wage_rse"] == 0.4
    assert us["employment_ci95_low"] == pytest.approx(194720 * (1 - 1.96 * 0.011))
    assert us["employment_ci95_high"] == pytest.approx(194720 * (1 + 1.96 * 0.011))
    assert us["annual_mean_ci95_low"] == pytest.approx(56790 * (1 - 1.96 * 0.004))
    assert us["hourly_mean_ci95_high"] == pytest.approx(27.30 * (1 + 1.96 * 0.004))
    assert mrs.attrs["column_info"]["employment_ci95_low"]["kind"] == DERIVED


def test_suppressed_wages_stay_missing_with_reason(mrs) -> None:
    elmira = mrs.iloc[3]
    assert elmira["employment"] == 80
    for column in (
        "annual_median",
        "entry_annual_low",
        "experienced_hourly_high",
        "ratio_to_state",
        "cert_annual_low",
        "annual_mean_ci95_low",
    ):
        assert math.isnan(elmira[column]), column
    assert "Estimate not released." in elmira["bls_notes"]
    assert salary.display(mrs).loc["Annual median wage", "Elmira, NY"] == "n/a"


def test_topcoded_inputs_propagate_as_bounds(oews, cert_table) -> None:
    frame = salary.breakdown(
        "29-1212",
        ["Columbus, OH", "Ohio"],
        data=oews,
        certification=cert_table,
        what_it_takes=False,
    )
    columbus = frame.iloc[0]
    assert columbus["annual_median"] == 239200 and columbus["is_topcoded_annual_median"]
    assert columbus["mid_annual_point"] == 239200 and columbus["is_topcoded_mid_annual_point"]
    assert columbus["is_topcoded_entry_annual_low"]
    for column in (
        "ratio_to_state",
        "ratio_to_nation",
        "cert_annual_low",
        "cert_annual_high",
        "annual_mean_ci95_low",
    ):
        assert math.isnan(columbus[column]), column
    shown = salary.display(frame)
    assert shown.loc["Annual median wage", "Columbus, OH"] == ">= $239,200"
    assert shown.loc["Annual median wage", "Ohio"] == "$504,260"
    # only the 90th percentile top-coded (Grand Rapids, 29-1211): the band keeps the bound
    rapids_frame = salary.breakdown(
        "29-1211", ["0024340"], data=oews, certification=False, what_it_takes=False
    )
    rapids = rapids_frame.iloc[0]
    # BLS's bound ($239,200) is below the published 75th percentile: the band reads "and up"
    experienced = salary.display(rapids_frame).filter(like="xperienced", axis=0).iloc[0, 0]
    assert experienced == "$384,800 and up"
    assert rapids["experienced_annual_high"] == 239200
    assert rapids["is_topcoded_experienced_annual_high"]
    assert not rapids["is_topcoded_experienced_annual_low"]
    assert rapids["ratio_to_nation"] == pytest.approx(228760 / 391490)


def test_bls_certification_factor_via_cps_group(mrs) -> None:
    columbus = mrs.iloc[2]
    assert columbus["cps_group"] == "Healthcare practitioners and technical occupations"
    assert columbus["cps_premium_low"] == pytest.approx(1200 / 1100)
    assert columbus["cps_premium_high"] == pytest.approx(1520 / 1100)
    assert columbus["cert_factor_low"] == pytest.approx(1200 / 1400)
    assert columbus["cert_annual_high"] == pytest.approx(51230 * 1520 / 1400)
    assert "Current Population Survey" in columbus["cert_source"]
    assert columbus["cert_method"].startswith("Estimate:")
    info = mrs.attrs["column_info"]
    assert info["cert_annual_low"]["kind"] == ESTIMATE
    assert info["cps_premium_low"]["kind"] == DERIVED
    assert info["annual_median"]["kind"] == PUBLISHED
    assert info["mid_annual_point"]["kind"] == ESTIMATE
    assert not any(c.startswith("user_") for c in mrs.columns)


def _factors(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "factors.csv"
    path.write_text(text)
    return path


def test_user_factor_file_changes_only_user_columns(tmp_path, oews, cert_table, mrs) -> None:
    path = _factors(
        tmp_path,
        "credential,occupation_code,factor_low,factor_high,citation\n"
        'CPC,29-2072,1.05,1.12,"Example certifying body salary survey, 2024"\n'
        "CCS,29-2072,1.08,1.15,Another survey\n"
        "RN,29-1141,1.0,1.0,not this occupation\n",
    )
    with_user = salary.breakdown(
        MRS,
        ["US", "Ohio", "Columbus, OH", "Elmira, NY"],
        data=oews,
        certification=cert_table,
        user_factors=path,
        what_it_takes=False,
    )
    added = [c for c in with_user.columns if c not in mrs.columns]
    assert added and all(c.startswith(("user_cpc_", "user_ccs_")) for c in added)
    pd.testing.assert_frame_equal(with_user[list(mrs.columns)], mrs)
    columbus = with_user.iloc[2]
    assert columbus["user_cpc_factor_low"] == 1.05
    assert columbus["user_cpc_annual_high"] == pytest.approx(51230 * 1.12)
    assert columbus["user_ccs_citation"] == "CCS: Another survey"
    info = with_user.attrs["column_info"]
    assert info["user_cpc_factor_low"]["kind"] == USER
    assert info["user_cpc_annual_low"]["kind"] == ESTIMATE
    shown = salary.display(with_user)
    assert shown.loc["User factor cpc (user-supplied)", "Ohio"] == "1.05 - 1.12"


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("credential,occupation_code,factor_low,citation\nCPC,29-2072,1.05,x\n", 1, "factor_high"),
        (
            "credential,occupation_code,factor_low,factor_high,citation\n"
            "CPC,29-2072,1.05,1.12,ok\nCCS,292072,1.0,1.1,ok\n",
            3,
            "not a SOC code",
        ),
        (
            "credential,occupation_code,factor_low,factor_high,citation\nCPC,29-2072,1.2,1.1,ok\n",
            2,
            "factor_low <= factor_high",
        ),
        (
            "credential,occupation_code,factor_low,factor_high,citation\nCPC,29-2072,high,1.1,ok\n",
            2,
            "must be numbers",
        ),
        (
            "credential,occupation_code,factor_low,factor_high,citation\nCPC,29-2072,1.0,1.1,\n",
            2,
            "empty citation",
        ),
        (
            "credential,occupation_code,factor_low,factor_high,citation\n"
            "CPC,29-2072,1.0,1.1,a\ncpc,29-2072,1.0,1.2,b\n",
            3,
            "also on line 2",
        ),
    ],
)
def test_user_factor_errors_name_file_and_line(tmp_path, body, line, message) -> None:
    path = _factors(tmp_path, body)
    with pytest.raises(SourceFormatError, match=message) as err:
        salary.read_user_factors(path)
    assert str(err.value).startswith(f"{path}, line {line}: ")


def test_unknown_area_and_occupation(oews) -> None:
    with pytest.raises(UnknownArea, match="Columbus, OH"):
        salary.breakdown(MRS, ["Columbus, OG"], data=oews, certification=False, what_it_takes=False)
    with pytest.raises(UnknownCode, match="29-2072"):
        salary.breakdown("29-2073", ["US"], data=oews, certification=False, what_it_takes=False)


def test_missing_sources_degrade_with_a_note(oews) -> None:
    """Offline with an empty cache: no CPS table by occupation (said in a note), so the
    credential factor comes from the bundled CPS 2023 table 54 by EP's entry education;
    EP's assignments come from the bundled 2024-34 round, marked as bundled."""
    with pytest.warns(OfflineDataWarning):
        frame = salary.breakdown(MRS, ["Ohio"], data=oews)
    row = frame.iloc[0]
    # why the CPS table by occupation could not be used: its own column, not a note
    assert row["cert_unavailable"].startswith("CPS certification table by occupation for 2025")
    assert "unavailable" not in row["cert_note"]
    assert frame.attrs["column_info"]["cert_unavailable"]["kind"] == "derived from BLS figures"
    assert row["cert_basis"] == "education"
    assert row["cert_only_annual_low"] == pytest.approx(50990 * 1120 / 899)
    assert row["cps_group"] == "Healthcare practitioners and technical occupations"
    assert row["typical_education"] == "Postsecondary nondegree award"
    assert row["projections_release"] == "2024-34"
    ep = [p for p in frame.attrs["provenance"] if p["program"] == "EP"]
    assert ep
    assert all(p["bundled"] for p in ep)
    assert row["annual_median"] == 50990


def test_what_it_takes_from_ep(bls_server, online_settings, oews) -> None:
    """EP's assignments next to the pay bands (real 2024-34 workbook slice, tests/data/ep)."""
    bls_server.add("/emp/ind-occ-matrix/occupation.xlsx", DATA / "ep" / "occupation_2024-34.xlsx")
    frame = salary.breakdown(
        MRS, ["Ohio"], data=oews, certification=False, settings=online_settings
    )
    row = frame.iloc[0]
    assert row["typical_education"] == "Postsecondary nondegree award"
    assert (row["work_experience"], row["training"]) == ("None", "None")
    assert row["projections_release"] == "2024-34"
    # the slice keeps no attainment row for 29-2072: said, not invented
    assert "attainment" in row["what_it_takes_note"]
    assert frame.attrs["column_info"]["typical_education"]["kind"] == EP
    assert any(p["program"] == "EP" for p in frame.attrs["provenance"])


def test_end_to_end_from_bls_files(bls_server, online_settings) -> None:
    """Every source downloaded from the local server: OEWS flat files (real slice,
    tests/data/oe), the CPS table (layout fixture) and EP's workbook (real slice)."""
    for path in (DATA / "oe").glob("oe.*"):
        bls_server.add(f"/pub/time.series/oe/{path.name}", path)
    bls_server.add("/cps/aa2025/cpsaat53.xlsx", TABLE)
    bls_server.add("/cps/aa2023/cpsaat54.xlsx", DATA / "cps" / "cpsaat54_2023_rebuilt.xlsx")
    bls_server.add("/emp/ind-occ-matrix/occupation.xlsx", DATA / "ep" / "occupation_2024-34.xlsx")
    bls_server.add("/web/ors/ors-complete-dataset.xlsx", DATA / "ors" / "ors-2020-slice.xlsx")
    bls_server.add("/regional/zip/SARPP.zip", DATA / "bea_rpp" / "SARPP_STATE_2008_2024.csv")
    bls_server.add("/regional/zip/MARPP.zip", DATA / "bea_rpp" / "MARPP_MSA_2008_2023.csv")
    frame = salary.breakdown(
        "medical records specialists", ["Columbus, OH", "OH"], settings=online_settings
    )
    columbus, ohio = frame.iloc[0], frame.iloc[1]
    assert (columbus["area_code"], ohio["area_code"]) == ("0018140", "3900000")
    assert (columbus["entry_annual_low"], columbus["experienced_annual_high"]) == (40300, 80470)
    assert columbus["ratio_to_nation"] == pytest.approx(51230 / 51140)
    assert columbus["cert_annual_low"] == pytest.approx(51230 * 1200 / 1400)
    assert columbus["cert_basis"] == "occupation group"
    assert columbus["edu_cert_factor_high"] == pytest.approx(1236 / 992)  # table 54 beside
    assert columbus["typical_education"] == "Postsecondary nondegree award"
    # BEA's price parities (one year for all: 2023, the latest MARPP has) and ORS
    assert (columbus["rpp"], columbus["rpp_year"]) == (94.516, 2023)
    assert (ohio["rpp"], ohio["rpp_year"]) == (91.903, 2023)
    assert ohio["annual_median_rpp_adjusted"] == round(50990 / 91.903 * 100)
    assert (ohio["ors_certification_share"], ohio["ors_certification_se"]) == (26.3, 7.5)
    assert frame.attrs["column_info"]["rpp"]["kind"] == "derived from BEA figures"
    programs = {p["program"] for p in frame.attrs["provenance"]}
    assert programs == {"OEWS", "CPS", "EP", "BEA", "ORS"}
    assert not any(p["bundled"] for p in frame.attrs["provenance"])


def test_offline_uses_the_bundled_oews_snapshot() -> None:
    """No network, empty cache: OEWS from the bundled May 2025 snapshot, said loudly."""
    with pytest.warns(OfflineDataWarning):
        frame = salary.breakdown(MRS, ["US", "Columbus, OH"])
    assert frame["annual_median"].tolist() == [51140, 51230]
    assert all(p["bundled"] for p in frame.attrs["provenance"] if p["program"] == "OEWS")
    # "what it takes" from the bundled EP round; only its missing attainment table is noted
    assert frame["typical_education"].iloc[0] == "Postsecondary nondegree award"
    assert "EP attainment table unavailable" in frame["what_it_takes_note"].iloc[0]


def test_cli_salary(capsys) -> None:
    from marketdata.cli import commands as cli

    with pytest.warns(OfflineDataWarning):
        status = cli.main(["salary", "29-2072", "US", "Columbus, OH", "--no-certification"])
    assert status == 0
    out = capsys.readouterr().out
    status = cli.main(["salary", "29-2072", "Columbus, OG"])  # the bundle was announced once
    assert status == 2
    assert "29-2072 Medical Records Specialists, May 2025" in out
    assert "$51,230" in out and "Entry (10th-25th pct)*" in out
    assert "Source: BLS OEWS May 2025 (bundled snapshot)" in out
    assert "Did you mean: Columbus" in capsys.readouterr().err


def test_bad_user_factors_fail_before_any_download(bls_server, online_settings) -> None:
    frame = pd.DataFrame(
        {
            "credential": ["CPC"],
            "occupation_code": ["29-2072"],
            "factor_low": ["1.2"],
            "factor_high": ["1.1"],
            "citation": ["x"],
        }
    )
    with pytest.raises(SourceFormatError, match="user_factors frame, line 2: factors must"):
        salary.breakdown(MRS, ["US"], user_factors=frame, settings=online_settings)
    assert bls_server.requests == ()


def test_report_notes_never_hold_the_reason_a_source_was_missing(oews) -> None:
    """Whatever an error says, the pay-band notes a report shows leave it out: the reason
    has its own column (``cert_unavailable``), which no report note reads."""
    from marketdata.reports import tables as rt

    with pytest.warns(OfflineDataWarning):
        frame = salary.breakdown(MRS, ["Ohio", "US"], data=oews, what_it_takes=False)
    odd = "Certification lookup broke: see https://example.invalid/x (KeyError 'median')"
    frame["cert_unavailable"] = odd  # any wording at all
    notes = rt.pay_band_notes(frame)
    assert notes and not any("unavailable" in n or "example.invalid" in n for n in notes)
    # the method of the estimate the table shows: a certification, no license
    assert any(n.startswith("Estimate: area's OEWS annual median x CPS ratio") for n in notes)

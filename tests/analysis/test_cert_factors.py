"""Certification factors on BLS's real CPS 2023 table 54 (tests/data/cps, a transcription of a
public copy), and beside the occupation-group path (cpsaat53 layout fixture, MADE-UP VALUES)."""

from __future__ import annotations

import math
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata.analysis.credentials import factors as cert_factors
from marketdata.core.config import Settings
from marketdata.core.errors import InputValueError, OfflineDataWarning, UnknownCode
from marketdata.datasets import cps, cps_characteristics
from marketdata.io import cache
from marketdata.sources import cps_annual as cps_source
from marketdata.sources import cps_table54 as t54

DATA = Path(__file__).parents[1] / "data" / "cps"
TABLE54 = t54.parse((DATA / "cpsaat54_2023_transcribed.csv").read_bytes(), source="t54")
TABLE54.attrs["year"] = 2023
LAYOUT_53 = DATA / "cpsaat53_layout_2025.xlsx"  # made-up values (README.md)


def by(found: cert_factors.CertFactors, basis: str, row: str, status: str) -> pd.Series:
    f = found.frame
    hit = f[(f["basis"] == basis) & (f["row"] == row) & (f["status"] == status)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_nondegree_award_gives_the_range_over_both_rows() -> None:
    found = cert_factors.factors(
        "29-2072", "Postsecondary nondegree award", group_table=False, table54=TABLE54
    )
    assert found.headline == "education"
    assert found.bases == ["education", "all workers"]
    hs = by(found, "education", "High school graduates, no college", "cert_no_license")
    sc = by(found, "education", "Some college, no degree", "cert_no_license")
    assert (hs["median_status"], hs["median_without"], hs["median_total"]) == (1120, 885, 899)
    assert (sc["median_status"], sc["median_without"], sc["median_total"]) == (1236, 973, 992)
    cert = found.range("education", ("cert_no_license",))
    assert cert.rows == ("High school graduates, no college", "Some college, no degree")
    assert cert.premium_low == pytest.approx(1120 / 885)
    assert cert.premium_high == pytest.approx(1236 / 973)
    assert cert.factor_low == pytest.approx(1120 / 899)
    assert cert.factor_high == pytest.approx(1236 / 992)
    assert "Some college, no degree" in cert.cert_source
    assert "$1,236, without a certification or license $973, all workers $992" in cert.cert_source
    assert cert.label == cert_factors.ESTIMATE
    assert "not a causal effect" in cert.label
    assert set(found.frame["label"]) == {cert_factors.ESTIMATE}


def test_every_status_range_and_the_all_workers_fallback() -> None:
    found = cert_factors.factors(
        "29-2072", "Associate's degree", group_table=False, table54=TABLE54
    )
    any_status = found.range("education")
    assert any_status.rows == ("Associate degree",)
    # license 1,144 is the lowest, certification only 1,262 the highest (all 1,058)
    assert any_status.factor_low == pytest.approx(1144 / 1058)
    assert any_status.factor_high == pytest.approx(1262 / 1058)
    everyone = found.range("all workers", ("cert_no_license",))
    assert everyone.rows == ("Total, 16 years and over",)
    assert everyone.premium_low == pytest.approx(1463 / 1024)
    assert everyone.factor_low == pytest.approx(1463 / 1117)


def test_a_suppressed_cell_is_left_out_of_the_range() -> None:
    found = cert_factors.factors(
        "35-2014", "No formal educational credential", group_table=False, table54=TABLE54
    )
    less = by(found, "education", "Less than a high school diploma", "cert_no_license")
    assert math.isnan(less["factor"]) and "dash" in less["note"]
    cert = found.range("education", ("cert_no_license",))
    assert cert.rows == ("High school graduates, no college",)


def test_no_entry_education_falls_back_to_all_workers_and_says_so() -> None:
    found = cert_factors.factors("29-2072", None, group_table=False, table54=TABLE54)
    assert found.bases == ["all workers"]
    assert any("no typical entry education" in n for n in found.notes)


def test_occupation_group_comes_first_with_education_beside() -> None:
    group_table = cps_source.parse_certification_table(LAYOUT_53.read_bytes(), source="t53")
    found = cert_factors.factors(
        "29-2072", "Postsecondary nondegree award", group_table=group_table, table54=TABLE54
    )
    assert found.bases == ["occupation group", "education", "all workers"]
    group = found.range()
    assert group.basis == "occupation group"
    assert group.rows == ("Healthcare practitioners and technical occupations",)
    assert "(CPS) table 53" in group.cert_source
    # the bases are never mixed: each range comes from its own rows only
    education = found.range("education")
    assert "(CPS) table 54" in education.cert_source and "table 53" not in education.cert_source


def test_cached_group_table_is_found_without_a_download(
    online_settings: Settings, offline_settings: Settings, tmp_path: Path
) -> None:
    assert cps.cached_group_table(settings=offline_settings) is None
    for name, src in (
        ("cpsaat39_2025.xlsx", DATA / "cpsaat39_2025.xlsx"),
        ("cpsaat53_2025.xlsx", LAYOUT_53),
    ):
        saved = tmp_path / name
        shutil.copyfile(src, saved)
        table = name.split("_")[0]
        cache.add_file(
            saved, key=f"cps/aa2025/{table}.xlsx", url=f"x/{table}.xlsx", settings=offline_settings
        )
    table = cps.cached_group_table(settings=offline_settings)
    assert table is not None and table.attrs["table"] == "53"
    with pytest.warns(OfflineDataWarning):
        found = cert_factors.factors("29-2072", "Bachelor's degree", settings=offline_settings)
    assert found.headline == "occupation group"


def test_unknown_education_lists_close_matches() -> None:
    with pytest.raises(InputValueError, match="Bachelor's degree"):
        cert_factors.factors("29-2072", "Bachelors degre", group_table=False, table54=TABLE54)


def test_education_spelling_variants() -> None:
    assert cert_factors.education_rows("associate’s degree") == ("Associate degree",)


def test_bad_occupation_code() -> None:
    with pytest.raises(UnknownCode):
        cert_factors.factors("55-1011", None, group_table=False, table54=TABLE54)


def test_bad_basis_or_status() -> None:
    found = cert_factors.factors("29-2072", None, group_table=False, table54=TABLE54)
    with pytest.raises(InputValueError):
        found.range("industry")
    with pytest.raises(InputValueError):
        found.range("all workers", ("certified",))


def test_default_table_is_the_bundled_one_loudly() -> None:
    with pytest.warns(OfflineDataWarning, match="bundled 2023 table"):
        found = cert_factors.factors("29-2072", "Postsecondary nondegree award", group_table=False)
    assert "bundled transcription of a public copy" in found.range().cert_source
    assert found.provenance[0]["bundled"] is True


def test_describe_names_the_cells() -> None:
    found = cert_factors.factors(
        "29-2072", "Some college, no degree", group_table=False, table54=TABLE54
    )
    text = cert_factors.describe(found.range("education", ("cert_no_license",)), 50000, "Ohio")
    low = round(50000 * 1236 / 992, -2)  # 62,298.39: an estimate, to the nearest $100
    assert text.startswith(f"about ${low:,.0f} a year (estimate: Ohio's median × the CPS 2023")
    assert "some college but no degree, $1,236 vs $992 a week for all workers" in text
    assert "$973 without a certification or license" in text
    assert text.endswith("a ratio of medians, not a causal effect)")
    assert cert_factors.describe(found.range(), float("nan"), "Ohio").startswith("no estimate")


def test_describe_rounds_the_estimate_and_merges_equal_ends() -> None:
    """No false precision: "about $63,525–$63,532" is one figure, "about $63,500"; ends that
    still differ once rounded stay a range."""
    import dataclasses

    found = cert_factors.factors(
        "29-2072", "Postsecondary nondegree award", group_table=False, table54=TABLE54
    ).range("education", ("cert_no_license",))
    close = dataclasses.replace(found, factor_low=63525 / 50990, factor_high=63532 / 50990)
    text = cert_factors.describe(close, 50990, "Ohio")
    assert text.startswith("about $63,500 a year (estimate:"), text
    wide = dataclasses.replace(found, factor_low=1.05, factor_high=1.25)
    text = cert_factors.describe(wide, 50990, "Ohio")
    assert text.startswith("about $53,500–$63,700 a year"), text  # 53,539.5 and 63,737.5
    # the cells BLS published are still quoted exactly
    assert "$1,236" in text


def test_bundled_year_and_loader_agree() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        frame = cps_characteristics.load()
    assert frame.attrs["year"] == cps_characteristics.bundled_year() == 2023

"""Pay with a certification: CPS 2023 table 54 factors (real figures, transcribed) applied to
OEWS May 2025 medians (the bundled snapshot)."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from marketdata.analysis.credentials import estimates as cert_estimates
from marketdata.analysis.credentials import factors as cert_factors
from marketdata.core.errors import OfflineDataWarning
from marketdata.sources import cps_annual as cps_source
from marketdata.sources import cps_table54 as t54

DATA = Path(__file__).parents[1] / "data" / "cps"
TABLE54 = t54.parse((DATA / "cpsaat54_2023_transcribed.csv").read_bytes(), source="t54")
TABLE54.attrs["year"] = 2023
OHIO_MEDIAN = 50990  # OEWS May 2025, 29-2072, Ohio (README worked example)


def test_columns_on_the_education_basis() -> None:
    found = cert_factors.factors(
        "29-2072", "Postsecondary nondegree award", group_table=False, table54=TABLE54
    )
    cols = cert_estimates.columns(found, np.array([OHIO_MEDIAN, np.nan]), ["Ohio", "Nowhere"])
    values = {k: v for k, (v, _, _) in cols.items()}
    assert values["cert_basis"] == "education"
    assert values["cert_only_factor_low"] == pytest.approx(1120 / 899)
    assert values["cert_only_factor_high"] == pytest.approx(1236 / 992)
    assert values["cert_only_annual_low"][0] == pytest.approx(OHIO_MEDIAN * 1120 / 899)
    assert math.isnan(values["cert_only_annual_low"][1])
    assert values["cert_factor_low"] == pytest.approx(1054 / 992)  # license, some college
    assert "edu_cert_factor_low" not in values  # education is the headline: nothing beside
    text = cert_estimates.sentence({"cert_only_text": values["cert_only_text"][0]})
    low, high = OHIO_MEDIAN * 1120 / 899, OHIO_MEDIAN * 1236 / 992  # $63,525.0, $63,532.6
    assert round(low, -2) == round(high, -2) == 63500  # one figure to the nearest $100
    assert text.startswith("With a certification: about $63,500 a year (estimate:")
    assert "Ohio's median × the CPS 2023 ratio" in text
    assert "$1,236 vs $992 a week for all workers, $973 without" in text
    assert values["cert_only_text"][1].startswith("no estimate")
    kinds = {k: kind for k, (_, kind, _) in cols.items()}
    assert kinds["cert_only_annual_low"] == "estimate"
    assert kinds["cert_only_factor_low"] == "derived from BLS figures"


def test_group_basis_first_with_education_beside() -> None:
    group = cps_source.parse_certification_table(
        (DATA / "cpsaat53_layout_2025.xlsx").read_bytes(), source="t53 (made-up values)"
    )
    found = cert_factors.factors(
        "29-2072", "Postsecondary nondegree award", group_table=group, table54=TABLE54
    )
    cols = cert_estimates.columns(found, np.array([OHIO_MEDIAN]), ["Ohio"])
    values = {k: v for k, (v, _, _) in cols.items()}
    assert values["cert_basis"] == "occupation group"
    assert values["edu_cert_factor_high"] == pytest.approx(1236 / 992)
    assert "table 54" in values["edu_cert_source"]
    assert "table 53" in values["cert_source"] and "table 54" not in values["cert_source"]


def test_credential_table_for_a_group_report() -> None:
    table = pd.DataFrame(
        {
            "occupation_code": ["29-2072", "29-1141"],
            "occupation_title": ["Medical Records Specialists", "Registered Nurses"],
            "annual_median": [OHIO_MEDIAN, np.nan],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)  # bundled EP round
        out = cert_estimates.credential_table(table, table54=TABLE54)
    mrs, rn = out.iloc[0], out.iloc[1]
    assert mrs["entry_education"] == "Postsecondary nondegree award"
    assert mrs["cert_only_annual_high"] == pytest.approx(OHIO_MEDIAN * 1236 / 992)
    assert rn["entry_education"] == "Bachelor's degree"
    assert rn["cert_only_factor_low"] == pytest.approx(1661 / 1493)
    assert math.isnan(rn["cert_only_annual_low"])
    assert "not a causal effect" in out.attrs["method"]


STAGED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "cps"


def test_offline_breakdown_fills_the_credential_columns_from_the_bundled_table() -> None:
    """The issue's check: offline, salary.breakdown("29-2072", ["US", "OH", "Columbus, OH"])
    has credential columns from the 2023 table 54, the cells named in cert_source; one value
    recomputed by hand from the staged CSV (its tests/data copy when ../shared is absent)."""
    import csv

    from marketdata.analysis import salary

    with pytest.warns(OfflineDataWarning):
        frame = salary.breakdown("29-2072", ["US", "OH", "Columbus, OH"])
    path = STAGED / "cpsaat54_2023_transcribed.csv"
    path = path if path.exists() else DATA / "cpsaat54_2023_transcribed.csv"
    with path.open(newline="") as f:
        rows = {r[0]: r for r in csv.reader(f) if r}
    some = rows["Some college, no degree"]
    by_hand = int(some[4].replace(",", "")) / int(some[2])  # 1,236 / 992
    ohio = frame.iloc[1]
    assert ohio["area_name"] == "Ohio" and ohio["annual_median"] == OHIO_MEDIAN
    assert ohio["cert_basis"] == "education"
    assert ohio["cert_entry_education"] == "Postsecondary nondegree award"
    assert ohio["cert_only_annual_high"] == pytest.approx(OHIO_MEDIAN * by_hand, rel=1e-12)
    assert frame["cert_only_annual_low"].notna().all()
    source = ohio["cert_source"]
    assert "table 54 (bundled transcription of a public copy), 2023 annual averages" in source
    assert "Educational attainment / Some college, no degree" in source
    assert "Educational attainment / High school graduates, no college" in source
    assert "with a certification, but no license $1,236" in source
    info = frame.attrs["column_info"]
    assert info["cert_only_annual_low"]["kind"] == "estimate"
    assert "not a causal effect" in info["cert_only_annual_low"]["method"]
    cps = [p for p in frame.attrs["provenance"] if p["program"] == "CPS"]
    assert cps and all(p["bundled"] for p in cps)
    assert "transcription" in cps[0]["release"]
    shown = salary.display(frame)
    # an estimate is shown to the nearest $100, as in the report's sentence: one figure here
    nearest = round(ohio["cert_only_annual_low"] / 100) * 100
    assert round(ohio["cert_only_annual_high"] / 100) * 100 == nearest
    assert shown.loc["Pay with a certification*", "Ohio"] == f"${nearest:,.0f}"
    # one name per ratio: the certification factor (one CPS cell here, so one figure) and
    # the certification-or-license factor; no "premium" beside a "factor" for a near twin
    assert shown.loc["Certification factor (CPS)", "Ohio"] == "1.25"
    assert shown.loc["Certification-or-license factor (CPS)", "Ohio"] == "1.06 - 1.25"
    cps = " ".join(label for label in shown.index if not label.startswith("ORS")).lower()
    assert "premium" not in cps and "credential" not in cps

"""Pay with a certification: CPS 2023 table 54 factors (real figures, transcribed) applied to
OEWS May 2025 medians (the bundled snapshot)."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from marketdata import cert_estimates, cert_factors
from marketdata.errors import OfflineDataWarning
from marketdata.sources import cps as cps_source
from marketdata.sources import cps_table54 as t54

DATA = Path(__file__).parent / "data" / "cps"
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
    low, high = OHIO_MEDIAN * 1120 / 899, OHIO_MEDIAN * 1236 / 992
    assert text.startswith(f"With a certification: about ${low:,.0f}–${high:,.0f} a year")
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

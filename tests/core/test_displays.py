"""Jupyter displays (HTML cards, styled frames) and provenance through a merge, on the bundled
May 2025 OEWS snapshot, the bundled EP 2024-34 round and CPS table 54 (tests/data/cps)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata.analysis import growth, salary
from marketdata.analysis.credentials import factors as cert_factors
from marketdata.core import formatting, schema
from marketdata.core.config import Settings
from marketdata.core.errors import OfflineDataWarning
from marketdata.datasets import oews, projections
from marketdata.sources import cps_table54 as t54

TABLE54 = t54.parse(
    (Path(__file__).parents[1] / "data" / "cps" / "cpsaat54_2023_transcribed.csv").read_bytes(),
    source="t54",
)
TABLE54.attrs["year"] = 2023


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        yield


def _caption(html: str) -> str:
    return re.search(r"<caption>(.*?)</caption>", html, re.S)[1]


def test_styled_view_formats_without_changing_values(offline_settings: Settings) -> None:
    df = oews.load(["27-2021", "27-2011", "29-2072"], ["US", "CA"], settings=offline_settings)
    before = df.copy()
    view = formatting.styled(df)
    assert view.data is df
    pd.testing.assert_frame_equal(df, before)
    html = view.to_html()
    us = df[(df["area_code"] == "0000000") & (df["occupation_code"] == "29-2072")].iloc[0]
    assert us["employment"] == 194720 and us["annual_median"] == 51140
    assert ">194,720<" in html and ">$51,140<" in html and ">$24.59<" in html
    assert "194720.0" not in html
    # Athletes in California: the 90th percentile is BLS's top code
    athletes = df[(df["area_code"] == "0600000") & (df["occupation_code"] == "27-2021")].iloc[0]
    assert athletes["is_topcoded_annual_p90"] and athletes["annual_p90"] == 239200
    assert "≥ $239,200" in html
    caption = _caption(html)
    assert "lower bound" in caption and "Sources: OEWS May 2025 (bundled)." in caption
    # Actors: BLS publishes no annual wages, with a note; the note becomes a footnote
    note = df.loc[df["occupation_code"] == "27-2011", "annual_median_note"].iloc[0]
    assert isinstance(note, str) and note[:40] in caption
    number = re.search(r"\[(\d+)\] " + re.escape(note[:30]), caption)[1]
    assert f"— [{number}]" in html
    headers = re.findall(r'<th[^>]*class="col_heading[^"]*"[^>]*>(.*?)</th>', html)
    assert "annual_median" in headers
    assert not [h for h in headers if h.startswith("is_topcoded_") or h.endswith("_note")]


def test_estimate_columns_are_marked(offline_settings: Settings) -> None:
    df = oews.load("29-2072", "OH", settings=offline_settings)
    df["cert_annual_low"] = df["annual_median"] * 1.05
    df.attrs["column_info"] = {"cert_annual_low": {"kind": "estimate"}}
    html = formatting.styled(df).to_html()
    assert "cert_annual_low (estimate)" in html and "annual_median (estimate)" not in html
    assert "not figures BLS published" in _caption(html)
    low = df["cert_annual_low"].iloc[0]
    assert formatting.format_value(low, formatting.measure_of("cert_annual_low")) in html
    assert f"${low:,.0f}" not in html  # an estimate is rounded to hundreds


def test_salary_breakdown_styled(offline_settings: Settings) -> None:
    df = salary.breakdown("29-2072", ["OH", "Columbus, OH"], settings=offline_settings)
    estimates = [c for c, i in df.attrs["column_info"].items() if i["kind"] == "estimate"]
    assert "cert_annual_low" in estimates and "annual_median" not in estimates
    html = formatting.styled(df).to_html()
    assert "cert_annual_low (estimate)" in html and ">annual_median<" in html
    ohio = df[df["area_code"] == "3900000"].iloc[0]
    assert f">${ohio['annual_median']:,.0f}<" in html
    low = formatting.format_value(ohio["cert_annual_low"], formatting.measure_of("cert_annual_low"))
    assert f">{low}<" in html
    assert "OEWS May 2025 (bundled)" in _caption(html)


def test_outlook_shows_as_a_card(offline_settings: Settings) -> None:
    out = growth.outlook("29-2072", "US", settings=offline_settings)
    html = out._repr_html_()
    assert "29-2072 Medical records specialists: outlook" in html
    for text in ("194,800", "208,600", "13,800", "+7.1%", "14,200", "Postsecondary nondegree"):
        assert text in html, text
    assert "Sources: EP 2024-34 (bundled)." in html
    assert "<script" not in html


def test_cert_factors_show_as_cards() -> None:
    found = cert_factors.factors(
        "29-2072", "Postsecondary nondegree award", group_table=False, table54=TABLE54
    )
    html = found._repr_html_()
    education = found.range("education")
    assert f"education: factor</th><td>{education.factor_low:.2f}–{education.factor_high:.2f}" in (
        html
    )
    assert "High school graduates, no college; Some college, no degree" in html
    assert "not a causal effect" in html
    everyone = found.range("all workers")
    one = everyone._repr_html_()
    assert "all workers basis" in one
    assert f"factor</th><td>{everyone.factor_low:.2f}" in one


def test_factors_find_the_entry_education(offline_settings: Settings) -> None:
    found = cert_factors.factors(
        "29-2072", group_table=False, table54=TABLE54, settings=offline_settings
    )
    given = cert_factors.factors(
        "29-2072", "Postsecondary nondegree award", group_table=False, table54=TABLE54
    )
    assert found.entry_education == "Postsecondary nondegree award"
    pd.testing.assert_frame_equal(found.frame, given.frame)
    assert found.provenance[0]["program"] == "EP"
    none = cert_factors.factors("29-2072", None, group_table=False, table54=TABLE54)
    assert "education" not in none.bases
    group = cert_factors.factors(
        "29-2000", group_table=False, table54=TABLE54, settings=offline_settings
    )
    assert group.entry_education is None
    assert any("no typical entry education for 29-2000" in n for n in group.notes)


def test_provenance_of_a_merge(offline_settings: Settings) -> None:
    wages = oews.load("29-2072", "US", settings=offline_settings)
    outlook = projections.load(settings=offline_settings)
    merged = wages.merge(outlook, on="occupation_code", suffixes=("", "_ep"))
    assert len(merged) == 1
    assert merged.attrs.get("provenance") is None  # pandas drops attrs that differ
    kept = schema.keep_provenance(merged, wages, outlook)
    programs = [p["program"] for p in kept.attrs["provenance"]]
    assert programs[0] == "OEWS" and programs[-1] == "EP"
    assert len(programs) == len(wages.attrs["provenance"]) + len(outlook.attrs["provenance"])
    assert schema.combine_provenance(wages, wages) == wages.attrs["provenance"]

"""Report tables say once what every row repeats (real bundled data, offline): a constant
source or year is one note, equal low/high columns are one, an empty column is left out."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from marketdata.core.errors import OfflineDataWarning
from marketdata.datasets import oews
from marketdata.reports import kit
from marketdata.reports import tables as rt
from marketdata.reports.tables.tidy import tidy


@pytest.fixture(autouse=True)
def shell() -> InteractiveShell:
    """display() publishes to a shell, as in a kernel."""
    return InteractiveShell.instance()


def html_of(outputs) -> str:
    return "".join(o.data.get("text/html", "") for o in outputs)


def test_tidy_folds_constants_merges_equal_ends_drops_empty() -> None:
    shown = pd.DataFrame(
        {
            "area_name": ["Ohio", "Ohio"],
            "occupation_title": ["Pharmacists", "Dietitians"],
            "rpp": ["92.8", "92.8"],
            "cert_only_factor_low": ["1.25", "1.10"],
            "cert_only_factor_high": ["1.25", "1.10"],
            "cert_factor_low": ["1.06", "1.00"],
            "cert_factor_high": ["1.25", "1.10"],
            "rpp_note": ["", ""],
        }
    )
    headings = {
        "rpp": "Price parity",
        "cert_only_factor_low": "Certification factor, low",
        "cert_only_factor_high": "Certification factor, high",
    }
    out, names, notes = tidy(shown, headings)
    assert list(out.columns) == [
        "occupation_title",
        "cert_only_factor_low",
        "cert_factor_low",
        "cert_factor_high",
    ]
    assert names["cert_only_factor_low"] == "Certification factor"
    assert notes == ["The same in every row: area_name: Ohio; Price parity: 92.8."]
    one, _, said = tidy(shown.head(1), headings)  # one row: nothing is "every row"
    assert "rpp" in one.columns and not said


def test_regional_price_table_says_the_parity_once(tmp_path: Path) -> None:
    """The regional report's price table of 29-0000 in Ohio: 71 rows, and Ohio's price
    parity, its year and BEA's source each appear once, in a note, as 92.8."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        where = rt.area("OH")
        _, members = rt.occupation_list("29-0000")
        wages = oews.load([o.code for o in members], [where.code, "US"], release="latest")
        table = rt.regional_table(wages, where, members)
        adjusted = rt.regional_local_prices(table, where, release="May 2025")
    assert len(adjusted) > 60
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_table(adjusted, "pay_local_prices", labels=rt.CONTEXT_LABELS)
    html = html_of(captured.outputs)
    assert html.count("BEA SARPP 2024") == 1
    assert html.count("92.8") == 1 and "92.774" not in html
    assert "The same in every row" in html
    assert len(re.findall(r"<td[^>]*>Ohio</td>", html)) == 0
    csv = pd.read_csv(tmp_path / "tables" / "pay_local_prices.csv")
    assert (csv["rpp"] == 92.774).all()  # the CSV keeps every row's raw value


def test_certification_table_shows_one_factor_when_both_ends_agree(tmp_path: Path) -> None:
    """29-2072 in Ohio and the nation: the certification factor reads 1.25 at both ends
    (one CPS cell), so the table has one column for it, not "low" and "high" alike."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        from marketdata.analysis import salary

        bands = salary.breakdown("29-2072", ["OH", "US"], local_prices=False, requirements=False)
    table = rt.credential_columns(bands)
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_table(table, "credentials", labels=rt.CREDENTIAL_LABELS)
    html = html_of(captured.outputs)
    assert "Certification factor, low" not in html and "Certification factor, high" not in html
    assert "Certification factor: 1.25" in html  # the same in both rows: a note


def test_band_ends_that_are_the_next_bands_start_are_one_column() -> None:
    """BLS's 25th percentile ends the entry band and starts the mid-career one: one
    column, both names in its heading (Ohio and the nation, 29-2072, May 2025)."""
    shown = pd.DataFrame(
        {
            "area_name": ["Ohio", "National"],
            "entry_annual_high": ["$45,500", "$43,490"],
            "mid_annual_low": ["$45,500", "$43,490"],
            "mid_annual_point": ["$50,990", "$51,140"],
        }
    )
    headings = {"entry_annual_high": "Entry to*", "mid_annual_low": "Mid-career from*"}
    out, names, notes = tidy(shown, headings)
    assert list(out.columns) == ["area_name", "entry_annual_high", "mid_annual_point"]
    assert names["entry_annual_high"] == "Entry to / Mid-career from*"
    assert not notes


def test_pay_band_table_shows_the_median_once(tmp_path: Path) -> None:
    """The mid-career band's point is the median: the outlook's pay-band table of 29-2072 in
    Ohio and the nation shows $50,990 and $51,140 once per row, not in two columns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        from marketdata.analysis import salary

        bands = salary.breakdown("29-2072", ["OH", "US"], local_prices=False, requirements=False)
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_table(rt.pay_band_columns(bands), "pay_bands")
    html = html_of(captured.outputs)
    assert html.count(">$50,990<") == 1 and html.count(">$51,140<") == 1
    assert "Mid-career point" not in html


def test_the_nations_projections_beside_ohios_pay_say_whose(tmp_path: Path) -> None:
    """The growth explorer for Ohio shows BLS's national projections beside Ohio's pay: the
    headings say so, so registered nurses' 189,100 openings never read as Ohio's."""
    table = pd.DataFrame(
        {
            "occupation_code": ["29-1141", "29-2061"],
            "occupation_title": ["Registered nurses", "Licensed practical nurses"],
            "openings_annual": [189100.0, 54400.0],
            "projections_for": ["United States", "United States"],
            "annual_median": [82510.0, 61950.0],
            "area_name": ["Ohio", "Ohio"],
        }
    )
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_table(table, "most_openings")
    html = html_of(captured.outputs)
    assert "Openings per year (United States)" in html and "Median annual (Ohio)" in html
    national = table.assign(area_name="United States")
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_table(national, "most_openings")
    html = html_of(captured.outputs)
    assert ">Openings per year<" in html and ">Median annual<" in html  # one place: as it was

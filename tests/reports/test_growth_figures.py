"""The growth explorer's figures agree with each other, on the bundled data (offline): the
nation's openings are never given a state's name, a table holds one median per occupation
(OEWS's, of the report's release), and EP's rounding to hundreds does not read as no change."""

from __future__ import annotations

import warnings

import pytest

from marketdata.core.errors import OfflineDataWarning
from marketdata.core.formatting import display_frame
from marketdata.reports import summary
from marketdata.reports import tables as rt
from marketdata.reports.tables.growth_tables import UNDER_50_NOTE


@pytest.fixture(scope="module")
def ohio():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        return rt.group_outlook("29-0000", rt.area("OH"))


def test_national_openings_are_said_to_be_the_nations(ohio) -> None:
    """No Ohio projections are cached: EP's national 189,100 openings a year of registered
    nurses are said to be the nation's in the sentence that names Ohio's pay."""
    table, notes, missing = ohio
    assert missing  # Ohio's projections are not downloaded in the test cache
    assert set(table["projections_for"]) == {"United States"}
    text = " ".join(summary.growth_summary(table, "Healthcare occupations", notes=notes))
    assert (
        "registered nurses, about 189,100 a year in the United States, with a median annual "
        "wage of $82,510 in Ohio"
    ) in text


def test_one_median_per_occupation(ohio) -> None:
    """EP's median (May 2024, top-coded at that year's $239,200 cap) is left out beside
    OEWS's May 2025 one (which publishes oral surgeons' $352,220 nationally)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        table, _, _ = rt.group_outlook("29-0000", rt.area("US"))
    medians = [c for c in table.columns if "median" in c and not c.startswith("is_")]
    assert medians == ["annual_median"]
    assert set(table["release"].dropna()) == {"May 2025"}
    shown = display_frame(table).set_index("occupation_code")
    assert shown.loc["29-1022", "annual_median"] == "$352,220"
    assert not shown.apply(lambda col: col.astype(str).str.contains("239,200")).any(axis=None)
    assert shown.loc["29-2072", "annual_median"] == "$51,140"  # not also EP's $50,250


def test_a_change_rounded_to_zero_reads_under_50(ohio) -> None:
    """Prosthodontists: EP publishes 0.9 thousand jobs in both years (change 0.0 thousand)
    and +4.5 % from unrounded figures; the table says "under 50", not 0."""
    table, notes, _ = ohio
    shown = display_frame(table).set_index("occupation_code")
    assert shown.loc["29-1024", "percent_change"] == "+4.5%"
    assert shown.loc["29-1024", "change"] == "under 50"
    assert shown.loc["29-1024", "openings_annual"] == "under 50"
    assert shown.loc["29-2072", "change"] == "13,800"
    assert UNDER_50_NOTE in notes
    assert not [c for c in shown.columns if c.startswith("is_")]


def test_growth_explorer_highlight_is_an_occupation_of_the_group() -> None:
    """``--highlight`` names one occupation on the growth-and-pay chart: resolved to its
    code, in the folder name, and refused in plain words outside the group."""
    from marketdata import reports
    from marketdata.core.errors import ReportError

    plan = reports.plan(
        "growth_explorer", soc_group="29-0000", area="OH", highlight="Medical records specialists"
    )
    assert plan.parameters["highlight"] == "29-2072" and "29-2072" in plan.slug
    plain = reports.plan("growth_explorer", soc_group="29-0000", area="OH")
    assert plain.parameters["highlight"] == "" and plain.target != plan.target
    with pytest.raises(ReportError, match="is not in 29-0000"):
        reports.plan("growth_explorer", soc_group="29-0000", area="OH", highlight="15-1252")

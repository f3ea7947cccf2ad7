"""Report tables of the counselor context, offline on the bundled ORS and BEA values."""

from __future__ import annotations

import warnings

import pytest

from marketdata import context_tables as ct
from marketdata import oews
from marketdata.errors import MarketdataError, OfflineDataWarning


@pytest.fixture(scope="module")
def adjusted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        wages = oews.load(occupation="29-2072")
        return ct.local_prices(wages)


def test_credential_table_and_sentences() -> None:
    with pytest.warns(OfflineDataWarning):
        table, sentences = ct.credentials("29-2072")
    assert table["share"].tolist() == ["31.9%", "26.3%", "—"]
    assert table["standard_error"].tolist() == ["7.5", "7.5", "—"]
    assert sentences[1] == (
        "About 1 in 4 of these jobs requires a certification (BLS ORS 2020, preliminary)"
    )
    assert table.attrs["provenance"][0]["program"] == "ORS"


def test_local_prices_for_ohio(adjusted) -> None:
    ohio = adjusted[adjusted["area_code"] == "3900000"].iloc[0]
    assert ohio["annual_median"] == 50990 and ohio["rpp"] == 92.774 and ohio["rpp_year"] == 2024
    assert ohio["annual_median_rpp_adjusted"] == round(50990 / 92.774 * 100)
    table = ct.local_price_columns(adjusted)
    assert list(table.columns) == list(ct.LOCAL_PRICE_COLUMNS)
    programs = {p["program"] for p in table.attrs["provenance"]}
    assert programs == {"OEWS", "BEA"}
    with pytest.raises(MarketdataError, match="missing"):
        ct.local_price_columns(adjusted.drop(columns=["rpp"]))


def test_notes_and_ranking(adjusted) -> None:
    notes = ct.local_price_notes(adjusted)
    assert notes[0] == ct.BEA_NOTE
    assert "BEA SARPP 2024, updated February 19, 2026" in notes[1]
    assert "BEA MARPP 2023, updated December 12, 2024" in notes[1]
    nonmetro = int((adjusted["area_type"] == "nonmetro").sum())
    assert nonmetro > 100
    assert any(n.startswith(f"{nonmetro} nonmetropolitan area(s)") for n in notes)
    assert any("Cleveland, OH" in n and "Puerto Rico" in n for n in notes)
    ranked = ct.metro_ranking(adjusted, top=5)
    assert list(ranked.columns) == list(ct.RANK_COLUMNS)
    assert ranked["rank_adjusted"].iloc[0] == 1

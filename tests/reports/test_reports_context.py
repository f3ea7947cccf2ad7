"""Report tables of the counselor context, offline on the bundled ORS and BEA values."""

from __future__ import annotations

import json
import math
import warnings

import pandas as pd
import pytest

from marketdata.core.errors import MarketdataError, OfflineDataWarning
from marketdata.datasets import oews
from marketdata.reports.tables import context_tables as ct


@pytest.fixture(scope="module")
def adjusted():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        wages = oews.load("29-2072")
        return ct.local_prices(wages)


def test_credential_table_and_sentences() -> None:
    with pytest.warns(OfflineDataWarning):
        table, sentences = ct.credential_table("29-2072")
    assert table["share"].tolist()[:2] == [31.9, 26.3] and math.isnan(table["share"].iloc[2])
    assert table["standard_error"].tolist()[:2] == [7.5, 7.5]
    assert sentences[-1] == ct.ORS_NOTE
    assert sentences[1] == (
        "About 1 in 4 of these jobs requires a certification (BLS ORS 2020, preliminary)"
    )
    assert table.attrs["provenance"][0]["program"] == "ORS"


def test_local_prices_for_ohio(adjusted) -> None:
    ohio = adjusted[adjusted["area_code"] == "3900000"].iloc[0]
    # states beside metros: all in 2023, the latest year MARPP has (SARPP goes on to 2024)
    assert ohio["annual_median"] == 50990 and ohio["rpp"] == 91.903 and ohio["rpp_year"] == 2023
    assert ohio["annual_median_rpp_adjusted"] == round(50990 / 91.903 * 100)
    assert set(adjusted["rpp_year"].dropna()) == {2023}
    table = ct.local_price_columns(adjusted)
    assert list(table.columns) == list(ct.LOCAL_PRICE_COLUMNS)
    programs = {p["program"] for p in table.attrs["provenance"]}
    assert programs == {"OEWS", "BEA"}
    with pytest.raises(MarketdataError, match="missing"):
        ct.local_price_columns(adjusted.drop(columns=["rpp"]))


def test_notes_and_ranking(adjusted) -> None:
    notes = ct.local_price_notes(adjusted)
    assert notes[0] == ct.BEA_NOTE
    assert "BEA SARPP 2023, updated February 19, 2026" in notes[1]
    assert "BEA MARPP 2023, updated December 12, 2024" in notes[1]
    nonmetro = int((adjusted["area_type"] == "nonmetro").sum())
    assert nonmetro > 100
    assert any(n.startswith(f"{nonmetro} nonmetropolitan area(s)") for n in notes)
    assert any("Cleveland, OH" in n and "Puerto Rico" in n for n in notes)
    ranked = ct.metro_ranking(adjusted, top=5)
    assert list(ranked.columns) == list(ct.RANK_COLUMNS)
    assert ranked["rank_adjusted"].iloc[0] == 1


def test_offline_ohio_outlook_shows_both_figures_with_sources(tmp_path) -> None:
    """`marketdata report occupation_outlook --occupation 29-2072 --area OH`, offline."""
    from marketdata import reports
    from marketdata.core.config import Settings

    settings = Settings(cache_dir=tmp_path / "cache", offline=True)
    result = reports.run(
        "occupation_outlook",
        output_dir=tmp_path / "out",
        settings=settings,
        occupation="29-2072",
        area="OH",
    )
    prices = pd.read_csv(result.tables["pay_local_prices"]).set_index("area_name")
    ohio = prices.loc["Ohio"]
    assert (ohio["annual_median"], ohio["rpp"], ohio["rpp_year"]) == (50990, 91.903, 2023)
    assert ohio["annual_median_rpp_adjusted"] == 55482
    assert ohio["rpp_source"] == "BEA SARPP 2023, updated February 19, 2026"
    creds = pd.read_csv(result.tables["credentials_required"]).set_index("requirement")
    assert creds.loc["Certification required", "share"] == 26.3
    assert creds.loc["Any credential required", "standard_error"] == 7.5
    ranked = pd.read_csv(result.tables["metros_ranked_as_paid_and_adjusted"])
    assert ranked["rank_adjusted"].iloc[0] == 1
    assert "map_pay_local_prices" in result.figures
    html = result.html.read_text()
    assert "About 1 in 4 of these jobs requires a certification (BLS ORS 2020, preliminary)" in html
    assert "$55,482" in html and "BEA-derived" in html
    assert "91.9" in html and "91.903" not in html  # a parity as people read it
    # one parity for Ohio in the whole page, the glossary included: not also its 2024 one
    assert "92.8" not in html and "92.774" not in html
    assert "regional price parities: U.S. Bureau of Economic Analysis" in html
    # the metro sections rank metros of the whole nation, and say so
    assert "Best-paying and largest metropolitan areas in the nation" in html
    assert "Best-paying metropolitan areas in the nation, as paid" in html
    programs = {d["program"] for d in json.loads(result.manifest.read_text())["data"]}
    assert {"OEWS", "BEA", "ORS"} <= programs


def test_regional_local_prices_one_parity_per_area() -> None:
    from marketdata.reports import tables as rt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        where = rt.area("OH")
        _label, members = rt.occupation_list("29-2000")
        wages = oews.load([o.code for o in members], [where.code, "US"])
        table = rt.regional_table(wages, where, members)
        adjusted = rt.regional_local_prices(table, where, release="May 2025")
    assert (adjusted["rpp"].dropna() == 92.774).all() and (adjusted["rpp_year"] == 2024).all()
    mrs = adjusted.set_index("occupation_code").loc["29-2072"]
    assert (mrs["annual_median"], mrs["annual_median_rpp_adjusted"]) == (50990, 54962)
    assert mrs["national_annual_median"] == 51140
    assert len(adjusted) == len(table)
    notes = rt.local_price_notes(adjusted)
    assert notes[1] == "Price parities used: BEA SARPP 2024, updated February 19, 2026."

"""Breakdown columns from other programs: local prices (BEA) and credential requirements (ORS).

- ``rpp``, ``rpp_year``, ``rpp_source``, ``rpp_note``, ``annual_median_rpp_adjusted``: BEA's
  all-items regional price parity of the area and the OEWS median in national prices
  (:mod:`marketdata.analysis.local_pay`); kind :data:`BEA_DERIVED`. Nonmetro areas and areas BEA does
  not price get none, with the reason in ``rpp_note``.
- ``ors_<measure>_share`` / ``ors_<measure>_se`` for ``any``, ``certification``, ``license``,
  with ``ors_release``, ``ors_figures_for``, ``ors_note`` and ``ors_text`` (the plain-language
  certification sentence): BLS ORS's shares of jobs requiring the credential, national
  (:mod:`marketdata.datasets.ors`); kind :data:`ORS_PUBLISHED`.
"""

from __future__ import annotations

import pandas as pd

from marketdata.analysis import local_pay
from marketdata.analysis.salary.figure_kinds import Columns, one_line
from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataError
from marketdata.core.schema import provenance_of
from marketdata.datasets import ors, rpp

BEA_DERIVED = "derived from BEA figures"
ORS_PUBLISHED = "BLS ORS published"
RPP_COLUMNS = ("rpp", "rpp_year", "rpp_source", "rpp_note", "annual_median_rpp_adjusted")


def price_columns(
    cols: Columns, out: pd.DataFrame, parities: bool | pd.DataFrame, settings: Settings
) -> list:
    """Add the BEA price-parity columns for the OEWS rows ``out``; returns BEA's provenance."""
    try:
        table = parities if isinstance(parities, pd.DataFrame) else rpp.load_all(settings=settings)
        added = local_pay.add_rpp(out.reset_index(drop=True), table)
    except MarketdataError as err:
        why = f"BEA price parities unavailable: {one_line(err)}"
        for column in RPP_COLUMNS:
            cols.add(column, why if column == "rpp_note" else pd.NA, BEA_DERIVED, "", "BEA")
        return []
    method = {
        "rpp": "BEA all-items regional price parity (U.S. = 100), area matched by FIPS/CBSA",
        "rpp_year": "RPP year closest to the OEWS release",
        "annual_median_rpp_adjusted": local_pay.ADJUSTED_LABEL,
    }
    for column in RPP_COLUMNS:
        cols.add(column, added[column].to_numpy(), BEA_DERIVED, method.get(column, ""), "BEA")
    return provenance_of(table)


def requirement_columns(
    cols: Columns, occupation: str, credentials: bool | pd.DataFrame, settings: Settings
) -> list:
    """Add the ORS credential-requirement columns (national); returns ORS's provenance."""
    try:
        frame = (
            credentials
            if isinstance(credentials, pd.DataFrame)
            else ors.load_credentials(settings=settings)
        )
        rows = ors.occupation_credentials(occupation, credentials=frame).set_index("measure")
    except MarketdataError as err:
        cols.add(
            "ors_note", f"ORS credential estimates unavailable: {one_line(err)}", ORS_PUBLISHED
        )
        return []
    how = "share of jobs requiring it (percent), BLS ORS, national"
    for measure in ors.MEASURES:
        cols.add(f"ors_{measure}_share", rows.loc[measure, "share"], ORS_PUBLISHED, how, "ORS")
        cols.add(
            f"ors_{measure}_se", rows.loc[measure, "standard_error"], ORS_PUBLISHED, how, "ORS"
        )
    first = rows.iloc[0]
    cols.add("ors_release", first["release"], ORS_PUBLISHED, "", "ORS")
    cols.add(
        "ors_figures_for", f"{first['soc_code']} {first['occupation']}", ORS_PUBLISHED, "", "ORS"
    )
    notes = [f"{m}: {n}" for m, n in zip(rows.index, rows["note"], strict=True) if n]
    cols.add("ors_note", "; ".join(notes), ORS_PUBLISHED, "", "ORS")
    sentence = ors.credential_sentence(
        rows.loc["certification"].to_dict() | {"measure": "certification"}
    )
    cols.add("ors_text", sentence, ORS_PUBLISHED, "plain-language reading of the share", "ORS")
    return provenance_of(frame)

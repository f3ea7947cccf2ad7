"""Report tables and notes for the counselor context: ORS credential shares and OEWS pay
adjusted for local prices (BEA regional price parities).

Used by the occupation outlook and ``marketdata salary``; every function takes frames from
:mod:`marketdata.ors` and :mod:`marketdata.local_pay` and returns what a report shows.
"""

from __future__ import annotations

import pandas as pd

from marketdata import local_pay, ors
from marketdata.config import Settings
from marketdata.errors import MarketdataError
from marketdata.schema import attach_provenance, provenance_of

#: Labels of the credential measures in tables.
CREDENTIAL_LABELS: dict[str, str] = {
    "any": "Any credential required",
    "certification": "Certification required",
    "license": "License required",
}
CREDENTIAL_COLUMNS = ("requirement", "share", "standard_error", "figures_for", "release", "note")
LOCAL_PRICE_COLUMNS = (
    "area_name",
    "annual_median",
    "rpp",
    "rpp_year",
    "annual_median_rpp_adjusted",
    "rpp_source",
    "rpp_note",
)
RANK_COLUMNS = (
    "area_name",
    "annual_median",
    "rank_nominal",
    "rpp",
    "annual_median_rpp_adjusted",
    "rank_adjusted",
    "rank_change",
)
BEA_NOTE = (
    "Pay in national prices = OEWS median ÷ BEA regional price parity (all items, U.S. = 100) "
    "× 100. The price parities are the Bureau of Economic Analysis' (BEA), not BLS's; the "
    "adjusted figures are derived here, not published by either agency."
)
ORS_NOTE = (
    "Shares of jobs whose employers require the credential to do the job (BLS Occupational "
    "Requirements Survey), not shares of workers who hold one; standard errors in percentage "
    "points."
)


def credentials(
    occupation: str, *, settings: Settings | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """ORS credential shares of ``occupation`` as a report table, and one sentence per share.

    Returns the table (:data:`CREDENTIAL_COLUMNS`, provenance attached) and the sentences of
    :func:`marketdata.ors.credential_sentence`.
    """
    rows = ors.occupation_credentials(occupation, settings=settings)
    table = pd.DataFrame(
        {
            "requirement": rows["measure"].map(CREDENTIAL_LABELS),
            "share": rows["share"].map(lambda v: "—" if pd.isna(v) else f"{v:.1f}%"),
            "standard_error": rows["standard_error"].map(
                lambda v: "—" if pd.isna(v) else f"{v:.1f}"
            ),
            "figures_for": rows["soc_code"] + " " + rows["occupation"],
            "release": rows["release"],
            "note": rows["note"],
        }
    )
    sentences = [ors.credential_sentence(r) for r in rows.to_dict("records")]
    return attach_provenance(table, provenance_of(rows)), sentences


def local_prices(
    frame: pd.DataFrame, *, year: int | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """OEWS rows with BEA's price parity and the median in national prices added."""
    return local_pay.with_rpp(frame, year=year, settings=settings)


def local_price_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of a local-prices table (rows from :func:`local_prices`)."""
    missing = [c for c in LOCAL_PRICE_COLUMNS if c not in frame.columns]
    if missing:
        raise MarketdataError(f"not a local-prices frame: missing {', '.join(missing)}")
    out = frame[list(LOCAL_PRICE_COLUMNS)].reset_index(drop=True)
    return attach_provenance(out, provenance_of(frame))


def metro_ranking(frame: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """Best-paying metro areas, nominal and in national prices (:data:`RANK_COLUMNS`)."""
    ranked = local_pay.rank_metros(frame, top=top)
    return attach_provenance(ranked[list(RANK_COLUMNS)], provenance_of(frame))


def local_price_notes(frame: pd.DataFrame) -> list[str]:
    """What a reader must know about the adjusted figures of ``frame``: the source, the
    years used, and which areas have none and why."""
    notes = [BEA_NOTE]
    used = frame.loc[frame["rpp_source"] != "", "rpp_source"].drop_duplicates()
    if len(used):
        notes.append("Price parities used: " + "; ".join(sorted(used)) + ".")
    nonmetro = int((frame["rpp_note"] == local_pay.NONMETRO_NOTE).sum())
    if nonmetro:
        notes.append(f"{nonmetro} nonmetropolitan area(s): {local_pay.NONMETRO_NOTE}.")
    unmatched = frame[
        frame["rpp"].isna()
        & (frame["rpp_note"] != local_pay.NONMETRO_NOTE)
        & (frame["rpp_source"] != "")
    ]
    if len(unmatched):
        names = ", ".join(unmatched["area_name"].astype(str))
        notes.append(
            f"No BEA price parity for {names}: BEA publishes none for these area codes "
            "(U.S. territories, or metro areas OMB redrew after the delineation BEA uses)."
        )
    return notes

"""Report tables and notes for the counselor context: ORS credential shares and OEWS pay
adjusted for local prices (BEA regional price parities).

Used by the occupation outlook; every function takes frames from :mod:`marketdata.datasets.ors` and
:mod:`marketdata.analysis.local_pay` and returns what a report shows.
"""

from __future__ import annotations

import pandas as pd

from marketdata.analysis import local_pay
from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataError
from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.datasets import ors
from marketdata.datasets.codes import Area

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
#: Column headings of these tables (``kit.show_table(..., labels=LABELS)``).
LABELS: dict[str, str] = {
    "requirement": "Requirement",
    "share": "Share of jobs (%)",
    "standard_error": "Standard error (pct. points)",
    "figures_for": "Figures for",
    "release": "Release",
    "note": "Note",
    "rpp": "BEA price parity (U.S. = 100)",
    "rpp_year": "RPP year",
    "annual_median_rpp_adjusted": "Median annual in national prices (BEA-derived)",
    "rpp_source": "Price parity source",
    "rpp_note": "Why no price parity",
    "rank_nominal": "Rank, as paid",
    "rank_adjusted": "Rank, in national prices",
    "rank_change": "Places gained by adjusting",
    "national_annual_median": "U.S. median annual",
}
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


def credential_table(
    occupation: str, *, settings: Settings | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """ORS credential shares of ``occupation`` as a report table, and what to say about them.

    Returns the table (:data:`CREDENTIAL_COLUMNS`, provenance attached) and the lines to show
    under it: one sentence per share (:func:`marketdata.datasets.ors.credential_sentence`), then
    :data:`ORS_NOTE`.
    """
    rows = ors.occupation_credentials(occupation, settings=settings)
    table = pd.DataFrame(
        {
            "requirement": rows["measure"].map(CREDENTIAL_LABELS),
            "share": rows["share"],
            "standard_error": rows["standard_error"],
            "figures_for": rows["soc_code"] + " " + rows["occupation"],
            "release": rows["release"],
            "note": rows["note"],
        }
    )
    lines = [ors.credential_sentence(r) for r in rows.to_dict("records")] + [ORS_NOTE]
    return attach_provenance(table, provenance_of(rows)), lines


def local_prices(
    frame: pd.DataFrame, *, year: int | None = None, settings: Settings | None = None
) -> pd.DataFrame:
    """OEWS rows with BEA's price parity and the median in national prices added."""
    return local_pay.with_rpp(frame, year=year, settings=settings)


def regional_local_prices(
    table: pd.DataFrame,
    where: Area,
    *,
    release: str,
    year: int | None = None,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """Each occupation of a regional pay table (:func:`~marketdata.reports.tables.regional.
    regional_table`) with the area's price parity and its median in national prices.

    One parity per area, so the adjustment moves every occupation by the same factor; the
    national median is shown beside it unadjusted (the nation is 100).
    """
    rows = pd.DataFrame(
        {
            "occupation_code": table["occupation_code"],
            "occupation_title": table["occupation_title"],
            "area_code": where.code,
            "area_name": where.name,
            "area_type": where.type,
            "release": release,
            "annual_median": table["annual_median"].where(~table["is_topcoded_annual_median"]),
            "national_annual_median": table["national_annual_median"],
        }
    )
    rows.attrs["provenance"] = provenance_of(table)
    adjusted = local_pay.with_rpp(rows, year=year, settings=settings)
    keep = [
        "occupation_code",
        "occupation_title",
        "area_name",
        "annual_median",
        "rpp",
        "rpp_year",
        "annual_median_rpp_adjusted",
        "national_annual_median",
        "rpp_source",
        "rpp_note",
    ]
    return attach_provenance(adjusted[keep].reset_index(drop=True), provenance_of(adjusted))


def local_price_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of a local-prices table (rows from :func:`local_prices`); why an area has
    no price parity is said once in :func:`local_price_notes`, not row by row."""
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
    nonmetro = frame.loc[frame["rpp_note"] == local_pay.NONMETRO_NOTE, "area_name"].nunique()
    if nonmetro:
        notes.append(f"{nonmetro} nonmetropolitan area(s): {local_pay.NONMETRO_NOTE}.")
    unmatched = frame[
        frame["rpp"].isna()
        & (frame["rpp_note"] != local_pay.NONMETRO_NOTE)
        & (frame["rpp_source"] != "")
    ]
    if len(unmatched):
        names = ", ".join(unmatched["area_name"].astype(str).drop_duplicates())
        notes.append(
            f"No BEA price parity for {names}: BEA publishes none for these area codes "
            "(U.S. territories, or metro areas OMB redrew after the delineation BEA uses)."
        )
    return notes

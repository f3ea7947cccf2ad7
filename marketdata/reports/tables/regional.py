"""Tables of the regional salary report: pay bands of each occupation in an area next to the
national median, with plain-language notes on suppressed and top-coded figures."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from marketdata.core.schema import attach_provenance, provenance_of
from marketdata.core.series_id import NATIONAL_AREA
from marketdata.datasets.codes import Area, Occupation


def regional_table(frame: pd.DataFrame, where: Area, members: Sequence[Occupation]) -> pd.DataFrame:
    """Pay bands of each occupation in ``where`` next to the national median.

    Columns: occupation, the area's employment and annual percentiles (with top-code flags),
    ``national_annual_median`` and ``ratio_to_nation`` (NaN when either is top-coded or not
    released), and ``note``: plain words for suppressed or top-coded values.
    """
    wanted = [o.code for o in members]
    here = frame[(frame["area_code"] == where.code) & frame["occupation_code"].isin(wanted)]
    nation = frame[(frame["area_code"] == NATIONAL_AREA) & frame["occupation_code"].isin(wanted)]
    here = here.set_index("occupation_code").reindex(wanted)
    nation = nation.set_index("occupation_code").reindex(wanted)
    columns = [
        "employment",
        "annual_p10",
        "annual_p25",
        "annual_median",
        "annual_p75",
        "annual_p90",
    ]
    out = pd.DataFrame(
        {
            "occupation_code": wanted,
            "occupation_title": [o.title for o in members],
        }
    )
    for column in columns:
        out[column] = here[column].to_numpy()
        flag = f"is_topcoded_{column}"
        if flag in here.columns:
            out[flag] = here[flag].astype("boolean").fillna(False).to_numpy(dtype=bool)
    out["national_annual_median"] = nation["annual_median"].to_numpy()
    out["is_topcoded_national_annual_median"] = (
        nation["is_topcoded_annual_median"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    )
    exact = ~out["is_topcoded_annual_median"] & ~out["is_topcoded_national_annual_median"]
    out["ratio_to_nation"] = (out["annual_median"] / out["national_annual_median"]).where(exact)
    out["note"] = [_plain_note(r, where.name) for r in out.itertuples(index=False)]
    return attach_provenance(out, provenance_of(frame))


def _plain_note(row: Any, area_name: str) -> str:
    """Plain-language note on what BLS did not publish or capped for one occupation."""
    if pd.isna(row.employment) and pd.isna(row.annual_median):
        return (
            f"BLS did not publish this occupation for {area_name} "
            "(too few responses or confidential)."
        )
    notes = []
    if pd.isna(row.employment):
        notes.append("employment not released")
    missing = [
        p for p in ("p10", "p25", "median", "p75", "p90") if pd.isna(getattr(row, f"annual_{p}"))
    ]
    if missing:
        notes.append("wages not released: " + ", ".join(missing))
    capped = [
        p
        for p in ("p10", "p25", "median", "p75", "p90")
        if getattr(row, f"is_topcoded_annual_{p}", False)
    ]
    if capped:
        notes.append("at or above BLS's top code (the true figure is higher): " + ", ".join(capped))
    text = "; ".join(notes)
    return text[:1].upper() + text[1:] + ("." if notes else "")


def regional_notes(table: pd.DataFrame, where: Area) -> list[str]:
    """Plain-language notes of a :func:`regional_table`: one per occupation with a gap or a
    capped figure, then what the marks mean."""
    flagged = table[table["note"].astype(str).str.len() > 0]
    notes = [f"{r.occupation_title}: {r.note}" for r in flagged.itertuples(index=False)]
    if not notes:
        return [f"BLS published every figure shown for {where.name}."]
    notes.append(
        "BLS leaves out figures when too few employers answered or to protect their "
        "confidentiality; they are blank here, never zero. Wages at or above BLS's top code are "
        "shown with ≥: BLS only says they are at least that high."
    )
    return notes

"""The credential rows every report shows: pay with a certification, estimated from CPS.

Built from :func:`marketdata.analysis.salary.breakdown` (the outlook: one line per area) or from an
occupation table (the regional salary report and the growth explorer: one row per
occupation, :func:`marketdata.analysis.credentials.estimates.credential_table`). Every figure is an estimate
(an OEWS median times a ratio of CPS medians, not a causal effect) and names the CPS cells it
comes from; user-supplied factors are shown in their own columns, never mixed in.
"""

from __future__ import annotations

import pandas as pd

from marketdata.analysis.credentials import estimates as cert_estimates
from marketdata.core.config import Settings
from marketdata.reports.tables.common import columns_of

CREDENTIAL_COLUMNS: tuple[str, ...] = (
    "area_name",
    "annual_median",
    "cert_basis",
    "cert_only_factor_low",
    "cert_only_factor_high",
    "cert_only_annual_low",
    "cert_only_annual_high",
    "cert_factor_low",
    "cert_factor_high",
    "cert_annual_low",
    "cert_annual_high",
    "edu_cert_factor_low",
    "edu_cert_factor_high",
    "edu_cert_annual_low",
    "edu_cert_annual_high",
)
GROUP_COLUMNS: tuple[str, ...] = (
    "occupation_code",
    "occupation_title",
    "entry_education",
    "cert_basis",
    "annual_median",
    "cert_only_factor_low",
    "cert_only_factor_high",
    "cert_only_annual_low",
    "cert_only_annual_high",
)
#: Column headings of the credential tables (added to the kit's labels).
LABELS: dict[str, str] = {
    "cert_basis": "CPS rows used",
    "cert_only_factor_low": "Certification factor, low",
    "cert_only_factor_high": "Certification factor, high",
    "cert_only_annual_low": "With a certification, low*",
    "cert_only_annual_high": "With a certification, high*",
    "edu_cert_factor_low": "Certification-or-license factor by entry education, low",
    "edu_cert_factor_high": "Certification-or-license factor by entry education, high",
    "edu_cert_annual_low": "With a certification or license, by entry education, low*",
    "edu_cert_annual_high": "With a certification or license, by entry education, high*",
    "entry_education": "EP typical entry education",
}


def credential_columns(bands: pd.DataFrame) -> pd.DataFrame:
    """The credential columns of a breakdown (those present), one row per area, plus the
    user's own factor columns (``user_*``) beside them."""
    user = [c for c in bands.columns if c.startswith("user_") and not c.endswith("_citation")]
    return columns_of(bands, [*CREDENTIAL_COLUMNS, *user])


def credential_lines(bands: pd.DataFrame) -> list[str]:
    """One sentence per area of a breakdown ("Ohio — With a certification: about $X–$Y a
    year (estimate: ...)"), then the education factor beside the group's and user factors'
    citations, once each."""
    if "cert_only_text" not in bands.columns:
        return []
    lines = [f"{r['area_name']} — {cert_estimates.sentence(r)}" for _, r in bands.iterrows()]
    first = bands.iloc[0]
    if isinstance(first.get("edu_cert_source"), str) and first["edu_cert_source"]:
        lines.append(
            "Beside the occupation group's factor, by the EP typical entry education: "
            f"{first['edu_cert_source']} (a ratio of medians, not a causal effect)"
        )
    for column in [c for c in bands.columns if c.startswith("user_") and c.endswith("_citation")]:
        lines.append(f"User-supplied factor (not BLS's), shown in its own columns: {first[column]}")
    return lines


def group_credentials(
    table: pd.DataFrame, *, settings: Settings | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Pay with a certification for each occupation of a group table, and its notes (the
    method, then the CPS cells of each distinct basis once)."""
    found = cert_estimates.credential_table(table, settings=settings)
    notes = [found.attrs["method"]]
    if "cert_source" in found:
        notes += [str(s) for s in found["cert_source"].dropna().unique() if str(s)]
    shown = columns_of(found, GROUP_COLUMNS)
    shown.attrs["provenance"] = found.attrs.get("provenance", [])
    return shown, list(dict.fromkeys(notes))

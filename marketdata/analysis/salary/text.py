"""A salary breakdown as a text table: one column per area, one row per figure."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from marketdata.core.formatting import estimate_range, format_value


def _money(value: float, hourly: bool = False) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return format_value(value, "hourly" if hourly else "annual")


_ROWS: tuple[tuple[str, str, str], ...] = (
    ("Employment", "employment", "count"),
    ("Employment, 95% interval", "employment_ci95", "count_range"),
    ("Jobs per 1,000", "jobs_per_1000", "number3"),
    ("Location quotient", "location_quotient", "number2"),
    ("Annual mean wage", "annual_mean", "money"),
    ("Annual mean, 95% interval", "annual_mean_ci95", "money_range"),
    ("Annual median wage", "annual_median", "money"),
    ("Hourly median wage", "hourly_median", "hourly"),
    ("Median vs state", "ratio_to_state", "ratio"),
    ("Median vs nation", "ratio_to_nation", "ratio"),
    ("Entry (10th-25th pct)*", "entry_annual", "band"),
    ("Mid-career (25th-75th pct)*", "mid_annual", "band"),
    ("Mid-career point (median)*", "mid_annual_point", "money"),
    ("Experienced (75th-90th pct)*", "experienced_annual", "band"),
    # One name per ratio of CPS medians (each over all workers' median): the certification
    # factor (a certification, no license) and the certification-or-license factor.
    ("Certification factor (CPS)", "cert_only_factor", "factor_range"),
    ("Pay with a certification*", "cert_only_annual", "estimate_range"),
    ("Certification-or-license factor (CPS)", "cert_factor", "factor_range"),
    ("Pay with a certification or license*", "cert_annual", "estimate_range"),
    ("Certification-or-license factor by entry education (CPS)", "edu_cert_factor", "factor_range"),
    (
        "Pay with a certification or license, by entry education*",
        "edu_cert_annual",
        "estimate_range",
    ),
    ("BEA price parity, all items (U.S. = 100)", "rpp", "rpp"),
    ("Median in national prices (BEA-derived)", "annual_median_rpp_adjusted", "money"),
    ("ORS: jobs requiring any credential", "ors_any_share", "percent"),
    ("ORS: jobs requiring a certification", "ors_certification_share", "percent"),
    ("ORS: jobs requiring a license", "ors_license_share", "percent"),
)


def _cell(row: pd.Series, column: str, style: str) -> str:
    def bound(name: str, hourly: bool = False) -> str:
        value = row.get(name, np.nan)
        if pd.isna(value):
            return "n/a"
        text = _money(float(value), hourly)
        return f">= {text}" if bool(row.get(f"is_topcoded_{name}", False)) else text

    if style == "money":
        return bound(column)
    if style == "hourly":
        return bound(column, hourly=True)
    if style == "band":
        low, high = bound(column + "_low"), bound(column + "_high")
        low_value, high_value = row.get(column + "_low"), row.get(column + "_high")
        if high.startswith(">=") and pd.notna(low_value) and low_value >= high_value:
            # BLS's top code lies below the band's published start (May 2025 publishes wages
            # above it): all that is known is that the band starts there.
            return f"{low} and up"
        return "n/a" if low == high == "n/a" else f"{low} - {high}"
    value = row.get(column, np.nan)
    if style == "count":
        return "n/a" if pd.isna(value) else f"{value:,.0f}"
    if style.startswith("number"):  # as BLS prints them: 3 decimals (per 1,000), 2 (LQ)
        return "n/a" if pd.isna(value) else f"{value:,.{style[-1]}f}"
    if style == "rpp":  # BEA's all-items parity, one decimal; its year is in the row label
        return "n/a" if pd.isna(value) else format_value(value, "price_parity")
    if style == "percent":  # ORS share with its standard error
        se = row.get(column.replace("_share", "_se"), np.nan)
        if pd.isna(value):
            return "n/a"
        return f"{value:.1f}%" + ("" if pd.isna(se) else f" (SE {se:.1f})")
    if style == "ratio":
        return "-" if pd.isna(value) else f"{value:.3f}"
    low, high = row.get(f"{column}_low", np.nan), row.get(f"{column}_high", np.nan)
    if pd.isna(low) or pd.isna(high):
        return "n/a"
    if style == "count_range":
        return f"{low:,.0f} - {high:,.0f}"
    if style == "factor_range":  # one figure when both ends read the same
        return f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f} - {high:.2f}"
    if style == "estimate_range":  # estimates, no more precise than ESTIMATE_ROUNDING dollars
        return estimate_range(low, high)
    return f"{_money(low)} - {_money(high)}"


def display(frame: pd.DataFrame) -> pd.DataFrame:
    """A text table of a :func:`breakdown`: one column per area, one row per figure.

    Top-coded values read ``>= $239,200``; suppressed ones ``n/a``; rows marked ``*`` are
    estimates (see the frame's ``*_method`` columns).
    """
    rows = [
        (label, column, style)
        for label, column, style in _ROWS
        if any(c.startswith(column) for c in frame.columns)
    ]
    user = sorted(
        {
            c[: -len("_factor_low")]
            for c in frame.columns
            if c.startswith("user_") and c.endswith("_factor_low")
        }
    )
    for slug in user:
        rows.append((f"User factor {slug[5:]} (user-supplied)", f"{slug}_factor", "factor_range"))
        rows.append((f"Pay with {slug[5:]}* (user factor)", f"{slug}_annual", "estimate_range"))
    years = frame["rpp_year"].dropna().unique() if "rpp_year" in frame.columns else []
    if len(years) == 1:  # add_rpp prices all areas in one year: said once, in the label
        rows = [
            (label.replace("all items", f"all items, {int(years[0])}"), column, style)
            if column == "rpp"
            else (label, column, style)
            for label, column, style in rows
        ]
    table = {
        row["area_name"]: [_cell(row, column, style) for _, column, style in rows]
        for _, row in frame.iterrows()
    }
    return pd.DataFrame(table, index=[label for label, _, _ in rows])

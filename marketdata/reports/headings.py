"""How report tables are headed and laid out: column headings, and the columns shown as
numbers."""

from __future__ import annotations

from marketdata.core.formatting import MEASURE_FORMATS

__all__ = ["LABELS", "NUMERIC"]

#: Columns laid out as numbers (right-aligned, never wrapped) besides the formatted measures.
NUMERIC: frozenset[str] = frozenset(
    {
        *MEASURE_FORMATS,
        "location_quotient",
        "jobs_per_1000",
        "ratio_to_nation",
        "share",  # ORS: share of jobs (%)
        "standard_error",
        "base_year",
        "projected_year",
        "year",
    }
)
#: Column headings of the HTML tables (CSV files keep the column names).
LABELS: dict[str, str] = {
    "area_name": "Area",
    "occupation_code": "SOC code",
    "occupation_title": "Occupation",
    "industry_code": "Industry code",
    "industry_title": "Industry",
    "employment": "Employment",
    "employment_rse": "Employment RSE",
    "hourly_median": "Median hourly",
    "annual_mean": "Mean annual",
    "annual_p10": "10th pct",
    "annual_p25": "25th pct",
    "annual_median": "Median annual",
    "annual_p75": "75th pct",
    "annual_p90": "90th pct",
    "location_quotient": "Location quotient",
    "jobs_per_1000": "Jobs per 1,000",
    "national_annual_median": "U.S. median annual",
    "ratio_to_nation": "Ratio to U.S. median",
    "employment_base": "Employment, base year",
    "employment_projected": "Employment, projected",
    "change": "Change",
    "percent_change": "Percent change",
    "openings_annual": "Openings per year",
    "median_wage": "Median wage (EP)",
    "projections_for": "Projections for",
    "typical_education": "Typical entry-level education",
    "growth_category": "Growth",
    "entry_annual_low": "Entry from*",
    "entry_annual_high": "Entry to*",
    "mid_annual_low": "Mid-career from*",
    "mid_annual_point": "Mid-career point*",
    "mid_annual_high": "Mid-career to*",
    "experienced_annual_low": "Experienced from*",
    "experienced_annual_high": "Experienced to*",
    "cert_only_factor_low": "Certification factor, low",
    "cert_only_factor_high": "Certification factor, high",
    "cert_only_annual_low": "With a certification, low*",
    "cert_only_annual_high": "With a certification, high*",
    "cert_factor_low": "Certification-or-license factor, low",
    "cert_factor_high": "Certification-or-license factor, high",
    "cert_annual_low": "With a certification or license, low*",
    "cert_annual_high": "With a certification or license, high*",
    "note": "Note",
    "program": "Program",
    "release": "Release",
    "source_url": "Source URL",
    "retrieved": "Retrieved",
    "sha256": "SHA-256",
    "bundled": "Bundled with marketdata",
    "added_by_hand": "Added by hand",
    "fact": "",
    "value": "",
}

"""An occupation's outlook (:class:`marketdata.analysis.growth.Outlook`) as HTML for Jupyter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from marketdata.core.formatting_html import card, figure

if TYPE_CHECKING:
    from marketdata.analysis.growth import Outlook


def outlook_html(outlook: Outlook) -> str:
    """A small card: employment, change, openings, growth category, education, notes, sources."""
    o = outlook
    years = f"{o.base_year}-{o.projected_year}" if o.base_year else ""
    rows = [
        ("Area", o.area_name),
        ("Basis", f"{o.basis} ({o.source})" if o.source else o.basis),
        ("Years", years),
        (f"Employment, {o.base_year}", figure(o.employment_base, "employment")),
        (f"Employment, {o.projected_year}", figure(o.employment_projected, "employment")),
        ("Change", figure(o.change, "change")),
        ("Percent change", figure(o.percent_change, "percent_change")),
        ("Openings a year", figure(o.openings_annual, "openings_annual")),
        ("Growth", o.growth_category or ""),
        ("Typical entry education", o.typical_education or ""),
        ("Work experience", o.work_experience or ""),
        ("On-the-job training", o.training or ""),
    ]
    title = f"{o.occupation_code} {o.occupation_title}: outlook"
    return card(title, rows, notes=o.notes, provenance=o.provenance)

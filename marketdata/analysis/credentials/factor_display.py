"""Certification factors (:mod:`marketdata.analysis.credentials.factors`) as HTML for Jupyter."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from marketdata.core.formatting_html import card

if TYPE_CHECKING:
    from marketdata.analysis.credentials.factors import CertFactors, FactorRange


def _span(low: float, high: float) -> str:
    """``1.05–1.12``, or one ratio when both ends read the same; ``n/a`` when missing."""
    if math.isnan(low):
        return "n/a"
    return f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f}–{high:.2f}"


def range_rows(found: FactorRange, prefix: str = "") -> list[tuple[str, str]]:
    """Label and text of a range's figures, for a card."""
    return [
        (f"{prefix}factor", _span(found.factor_low, found.factor_high)),
        (f"{prefix}premium", _span(found.premium_low, found.premium_high)),
        (f"{prefix}CPS rows", "; ".join(found.rows)),
        (f"{prefix}CPS year", str(found.year or "")),
    ]


def range_html(found: FactorRange) -> str:
    """One basis's range as a card."""
    return card(f"Certification factor, {found.basis} basis ({found.label})", range_rows(found))


def factors_html(found: CertFactors) -> str:
    """Every basis's range as one card, headline basis first, with notes and sources."""
    from marketdata.analysis.credentials.factors import ESTIMATE

    rows = [("Typical entry education", found.entry_education or "not given")]
    for basis in found.bases:
        rows += range_rows(found.range(basis), prefix=f"{basis}: ")
    title = f"{found.occupation_code}: certification factors ({ESTIMATE})"
    return card(title, rows, notes=found.notes, provenance=found.provenance)

"""The short glossary at the end of a report: the terms the details still use, in plain words."""

from __future__ import annotations

import html as markup
from collections.abc import Mapping

#: Term -> what it means, for a student or counselor.
TERMS: dict[str, str] = {
    "Median": "Half of the workers earn more than this and half earn less.",
    "Percentile": (
        "The 10th percentile is the pay that 10 of every 100 workers earn less than; the 90th, "
        "the pay that 90 of every 100 earn less than."
    ),
    "Certification": (
        "A credential from a professional body or employer that shows a skill, such as a "
        "coding certificate. A license, which a state government issues, is a different "
        "thing; tables that count both say 'certification or license'."
    ),
    "Estimate (*)": (
        "A figure worked out from BLS's published figures, not published by BLS itself. "
        "Columns marked * hold estimates."
    ),
    "Location quotient": (
        "How common the job is in an area compared with the nation: above 1 means more "
        "common than in the nation."
    ),
    "Price parity": (
        "How expensive an area is compared with the nation (100). An area at 90 has prices "
        "about 10% below the national average."
    ),
    "In national prices": "Pay divided by the area's price parity: what it buys at U.S. prices.",
    "Openings": "Jobs expected to open each year, for new jobs and to replace workers who leave.",
    "Standard error": "How far a survey's figure may be from the true value; smaller is surer.",
    "SOC code": "The government's code for an occupation, such as 29-2072.",
}


def html(words: Mapping[str, str] | None = None) -> str:
    """The glossary as an HTML definition list (every text escaped)."""
    items = "".join(
        f"<dt>{markup.escape(term)}</dt><dd>{markup.escape(meaning)}</dd>"
        for term, meaning in (words or TERMS).items()
    )
    return f'<dl class="md-glossary">{items}</dl>'

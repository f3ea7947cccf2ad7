"""A report table as people read it: nothing said row by row that could be said once.

Every table a report shows goes through :func:`tidy` (``kit.show_table`` calls it on the
formatted table): a column with the same value in every row becomes one note under the
table, columns equal in every row become one (a ``<x>_low`` equal to its ``<x>_high``, a
band's end and the next band's start), and a column no row fills is left out. Where a table
puts the nation's projections beside a state's pay, the headings say whose each figure is
(:func:`say_whose`). The CSV beside the report keeps every column.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from marketdata.core.schema import PROJECTION_MEASURES

#: Cells that hold no value (as :func:`marketdata.core.formatting.display_frame` writes them).
BLANK = ("", "—", "n/a", "nan", "<NA>", "None")


def _blank(value: object) -> bool:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return True
    return str(value).strip() in BLANK


def _without_range_word(heading: str) -> str:
    """``"Certification factor, low"`` -> ``"Certification factor"`` (the ends are equal)."""
    for word in (", low", " low", ", from", " from"):
        heading = heading.replace(word, "")
    return heading


def tidy(
    shown: pd.DataFrame, headings: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """``shown`` (a formatted table, text cells) without what repeats: the table, its
    headings (``headings`` with merged columns renamed) and the notes that replace columns.

    A column is made a note when the table has two rows or more and every row holds the
    same value (``"The same in every row: Area: Ohio; Price parity: 92.8."``), as long as one
    column stays. A ``<x>_low`` / ``<x>_high`` pair equal in every row becomes the one
    column ``<x>_low``, its heading without "low"; with two rows or more, a column equal in
    every row to the one before it joins it, headings joined (``"Entry to / Mid-career
    from*"``). Columns with no value in any row are left out.
    """
    names = dict(headings)
    keep = [c for c in shown.columns if not all(_blank(v) for v in shown[c].tolist())]
    # each column's cells as text (missing ones None), compared as lists: a table has a few
    # dozen rows, so this is done in Python rather than column by column in pandas
    text = {
        c: [v if isinstance(v, str) else None for v in shown[c].astype(str).tolist()] for c in keep
    }
    columns = list(keep)
    for low in [c for c in keep if c.endswith("_low")]:
        high = low.removesuffix("_low") + "_high"
        if high in columns and text[low] == text[high]:
            columns.remove(high)
            names[low] = _without_range_word(names.get(low, low))
    if len(shown) >= 2:  # neighbours alike in every row: a band's end and the next's start
        kept = columns[:1]
        for column in columns[1:]:
            if text[column] == text[kept[-1]]:
                first = names.get(kept[-1], kept[-1])
                names[kept[-1]] = f"{first.removesuffix('*')} / {names.get(column, column)}"
            else:
                kept.append(column)
        columns = kept
    notes: list[str] = []
    constant = [
        c for c in columns if len(shown) >= 2 and len({v for v in text[c] if v is not None}) == 1
    ]
    if constant and len(constant) < len(columns):
        said = "; ".join(f"{names.get(c, c)}: {shown[c].iloc[0]}" for c in constant)
        notes.append(f"The same in every row: {said}.")
        columns = [c for c in columns if c not in constant]
    out = shown[columns]
    return out, {c: names.get(c, c) for c in out.columns}, notes


def _one(frame: pd.DataFrame, column: str) -> str | None:
    """The one value ``column`` holds in every row, else None."""
    if column not in frame.columns or frame.empty:
        return None
    values = frame[column].dropna().astype(str).unique()
    return str(values[0]) if len(values) == 1 else None


def say_whose(frame: pd.DataFrame, headings: Mapping[str, str]) -> dict[str, str]:
    """``headings`` naming whose figures they are when a table puts one place's projections
    beside another place's pay: ``"Openings per year (United States)"`` beside ``"Median
    annual (Ohio)"`` (the columns ``projections_for`` and ``area_name`` say whose)."""
    out = dict(headings)
    whose, area = _one(frame, "projections_for"), _one(frame, "area_name")
    if whose is None or area is None or whose == area:
        return out
    for column in (*PROJECTION_MEASURES, "annual_median"):
        if column in out:
            out[column] = f"{out[column]} ({area if column == 'annual_median' else whose})"
    return out

"""A table as the page shows it: nothing repeated row by row.

A column with the same value in every row (a constant source or year) becomes one note under
the table; a column equal to another in every row is shown once, under both headings; a
column no row fills is left out. The CSV file keeps every column.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

#: A table needs at least this many rows before a column that is the same in each becomes a
#: note (with two rows, equal values are a comparison, not a constant).
CONSTANT_ROWS = 3


def _blank(value: object) -> bool:
    return not value.strip() if isinstance(value, str) else bool(pd.isna(value))


def empty(column: pd.Series) -> bool:
    """Whether ``column`` holds no value at all (missing or blank text in every row)."""
    return bool(column.map(_blank).all())


def _same(a: pd.Series, b: pd.Series) -> bool:
    return bool(((a == b) | (a.map(_blank) & b.map(_blank))).all())


def view(
    shown: pd.DataFrame, headings: Mapping[str, str]
) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The columns of the display frame ``shown`` (formatted text) worth showing, their
    headings, and the notes that replace the constant ones.

    The first column (what each row is) always stays.
    """
    headings = dict(headings)
    keep = [c for c in shown.columns if not empty(shown[c])] if len(shown) else list(shown.columns)
    notes: list[str] = []
    if len(shown) >= CONSTANT_ROWS:
        for column in keep[1:]:
            values = shown[column]
            if values.map(_blank).any() or values.nunique() != 1:
                continue
            notes.append(f"{headings[column].rstrip('*')}: {values.iloc[0]} in every row.")
            keep.remove(column)
    merged: list[str] = []
    for column in keep:
        twin = next((m for m in merged if _same(shown[m], shown[column])), None)
        if twin is None:
            merged.append(column)
        else:
            headings[twin] = f"{headings[twin]} = {headings[column]}"
    return shown[merged], {c: headings[c] for c in merged}, notes

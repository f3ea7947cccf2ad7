"""A report table as people read it: nothing said row by row that could be said once.

Every table a report shows goes through :func:`tidy` (``kit.show_table`` calls it on the
formatted table): a column with the same value in every row becomes one note under the
table, columns equal in every row become one (a ``<x>_low`` equal to its ``<x>_high``, a
band's end and the next band's start), and a column no row fills is left out. The CSV
beside the report keeps every column.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

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
    keep = [c for c in shown.columns if not shown[c].map(_blank).all()]
    out = shown[keep]
    for low in [c for c in keep if c.endswith("_low")]:
        high = low.removesuffix("_low") + "_high"
        if high in out.columns and out[low].astype(str).equals(out[high].astype(str)):
            out = out.drop(columns=high)
            names[low] = _without_range_word(names.get(low, low))
    if len(out) >= 2:  # neighbours alike in every row: a band's end and the next's start
        columns = list(out.columns)
        kept = columns[:1]
        for column in columns[1:]:
            if out[column].astype(str).equals(out[kept[-1]].astype(str)):
                first = names.get(kept[-1], kept[-1])
                names[kept[-1]] = f"{first.removesuffix('*')} / {names.get(column, column)}"
            else:
                kept.append(column)
        out = out[kept]
    notes: list[str] = []
    constant = [c for c in out.columns if len(out) >= 2 and out[c].astype(str).nunique() == 1]
    if constant and len(constant) < len(out.columns):
        said = "; ".join(f"{names.get(c, c)}: {out[c].iloc[0]}" for c in constant)
        notes.append(f"The same in every row: {said}.")
        out = out.drop(columns=constant)
    return out, {c: names.get(c, c) for c in out.columns}, notes

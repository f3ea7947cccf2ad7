"""HTML of a report table: escaped cells, a class per column kind, and a box of its own.

Codes (``29-2072``, ``622000``) and numbers never wrap (``white-space: nowrap`` on
``md-code``/``md-num`` cells); titles and notes wrap; a table wider than the page scrolls
inside its ``md-scroll`` box instead of widening the page. The header is a ``<thead>``, so
printed tables repeat it on every page.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd

from marketdata.core.formatting import measure_of

#: Columns holding codes (never broken across lines).
CODE_COLUMNS = frozenset({"occupation_code", "industry_code", "area_code", "state_code", "release"})


def column_kind(column: str, numeric: frozenset[str]) -> str:
    """``code``, ``num`` or ``text``: how a column's cells are laid out."""
    if column in CODE_COLUMNS:
        return "code"
    if column in numeric or column.startswith("ratio") or measure_of(column):
        return "num"
    return "text"


def table_html(
    shown: pd.DataFrame,
    *,
    columns: Sequence[str],
    headings: Mapping[str, str],
    numeric: frozenset[str],
    caption: str | None = None,
) -> str:
    """``shown`` (already formatted as text) as an escaped table; ``columns`` are the frame's
    column names (for the kinds), ``headings`` what the reader sees."""
    kinds = [column_kind(c, numeric) for c in columns]
    head = "".join(
        f'<th scope="col" class="md-{k}">{html.escape(headings.get(c, c))}</th>'
        for c, k in zip(columns, kinds, strict=True)
    )
    body = []
    for row in shown.itertuples(index=False):
        cells = "".join(
            f'<td class="md-{k}">{html.escape("—" if _missing(v) else str(v))}</td>'
            for v, k in zip(row, kinds, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    label = f' aria-label="{html.escape(caption)}"' if caption else ""
    return (
        f'<div class="md-scroll" tabindex="0" role="region"{label}>'
        f'<table class="md-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))

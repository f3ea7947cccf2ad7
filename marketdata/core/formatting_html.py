"""Displays made for Jupyter: result objects as small HTML cards, tidy frames as styled tables.

Both only change how figures read, never the values: :func:`styled` returns a pandas
``Styler`` over the frame itself (``styled(df).data`` is ``df``), with numbers as BLS prints
them (:func:`marketdata.core.formatting.format_value`), top-coded and unreleased values and BLS's
notes folded into numbered footnotes, estimate columns marked, and the sources in the
caption.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from marketdata.core.formatting import format_value, measure_of

if TYPE_CHECKING:
    import pandas as pd
    from pandas.io.formats.style import Styler

#: What a column's ``column_info`` kind (``df.attrs["column_info"]``) must be to be an estimate.
ESTIMATE_KIND = "estimate"
#: The mark after an estimate column's name.
ESTIMATE_MARK = " (estimate)"
_NOTE_COLUMNS = ("note", "notes")
#: Flag columns: ``is_topcoded_<column>`` (the value is BLS's top code), ``is_under_50_<column>``
#: (a count rounded to hundreds that reads 0).
_FLAGS = ("is_topcoded_", "is_under_50_")


def sources_line(records: Iterable[Mapping[str, object]]) -> str:
    """``Sources: OEWS May 2025 (bundled); EP 2024-34.`` from provenance records ("" if none)."""
    seen: dict[str, None] = {}
    for record in records:
        label = f"{record.get('program', '')} {record.get('release', '')}".strip()
        seen[label + (" (bundled)" if record.get("bundled") else "")] = None
    return f"Sources: {'; '.join(seen)}." if seen else ""


def card(
    title: str,
    rows: Sequence[tuple[str, str]],
    *,
    notes: Iterable[str] = (),
    provenance: Iterable[Mapping[str, object]] = (),
) -> str:
    """A small HTML card: a title, a two-column table of label and text, notes, sources.

    Every text is escaped; rows whose text is empty are left out.
    """
    body = "".join(
        f'<tr><th style="text-align:left;padding-right:1em">{html.escape(label)}</th>'
        f"<td>{html.escape(text)}</td></tr>"
        for label, text in rows
        if text
    )
    notes_html = "".join(f"<li>{html.escape(n)}</li>" for n in notes if n)
    source = sources_line(provenance)
    return (
        '<div class="marketdata-card">'
        f"<strong>{html.escape(title)}</strong>"
        f"<table>{body}</table>"
        + (f'<ul style="font-size:90%">{notes_html}</ul>' if notes_html else "")
        + (f'<p style="font-size:85%;color:#555">{html.escape(source)}</p>' if source else "")
        + "</div>"
    )


def figure(value: object, measure: str) -> str:
    """One figure as BLS prints it, ``""`` when missing (for :func:`card` rows)."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return format_value(float(value), measure)  # type: ignore[arg-type]


def _hidden(columns: Sequence[str]) -> list[str]:
    """Flag and note columns: folded into the footnotes, not shown."""
    return [c for c in columns if c.startswith(_FLAGS) or c.endswith("_note") or c in _NOTE_COLUMNS]


def styled(df: pd.DataFrame) -> Styler:
    """A styled view of a tidy frame for notebooks; the frame's values are not changed.

    - counts with thousands separators (``194,720``), dollars (``$51,140``, ``$24.59``),
      percentages as BLS prints them;
    - a top-coded value (``is_topcoded_<column>``) reads ``≥ $239,200`` with a footnote, a
      count flagged ``is_under_50_<column>`` reads ``under 50``;
      a value BLS did not release reads ``—``; BLS's note of a value (``<column>_note``)
      and a row's ``note``/``notes`` become numbered footnotes, marked ``[n]`` in the cell;
    - columns whose ``df.attrs["column_info"]`` kind is an estimate are marked
      ``(estimate)`` and set in italics;
    - the caption lists the footnotes and the sources (``df.attrs["provenance"]``).
    """
    hidden = _hidden(list(df.columns))
    shown = [c for c in df.columns if c not in hidden]
    footnotes: dict[str, int] = {}
    marks: dict[tuple[int, str], list[int]] = {}

    def mark(row: int, column: str, text: object) -> None:
        if isinstance(text, str) and text.strip():
            number = footnotes.setdefault(text.strip(), len(footnotes) + 1)
            marks.setdefault((row, column), []).append(number)

    topcoded = False
    for column in shown:
        for flag in (f"{prefix}{column}" for prefix in _FLAGS if f"{prefix}{column}" in df):
            tops = df[flag].astype("boolean").fillna(False).to_numpy()
            for row in tops.nonzero()[0]:
                marks.setdefault((int(row), column), [])
                topcoded = topcoded or flag.startswith("is_topcoded_")
        if f"{column}_note" in df.columns:
            for row, text in enumerate(df[f"{column}_note"]):
                mark(row, column, text)
    for column in (c for c in _NOTE_COLUMNS if c in df.columns):
        for row, text in enumerate(df[column]):
            for line in str(text).splitlines() if isinstance(text, str) else ():
                mark(row, shown[0], line)

    styler = df.style.hide(subset=hidden, axis="columns") if hidden else df.style
    for column in shown:
        styler = styler.format(_plain_formatter(measure_of(column)), subset=[column])
    for (row, column), numbers in marks.items():  # top-coded or noted cells, one by one
        flag = f"is_topcoded_{column}"
        tops = df[flag].astype("boolean").fillna(False) if flag in df.columns else None
        top = tops is not None and bool(tops.iloc[row])
        shown_text = _plain_formatter(measure_of(column), topcoded=top)(df[column].iloc[row])
        under = f"is_under_50_{column}"
        if under in df.columns and bool(df[under].astype("boolean").fillna(False).iloc[row]):
            shown_text = "under 50"
        shown_text += "".join(f" [{n}]" for n in numbers)
        styler = styler.format(lambda _v, text=shown_text: text, subset=(df.index[[row]], [column]))
    info = df.attrs.get("column_info", {}) or {}
    estimates = [c for c in shown if (info.get(c) or {}).get("kind") == ESTIMATE_KIND]
    if estimates:
        styler = styler.format_index(
            lambda c: f"{c}{ESTIMATE_MARK}" if c in estimates else c, axis="columns"
        ).set_properties(subset=estimates, **{"font-style": "italic"})
    lines = [f"[{n}] {t}" for t, n in footnotes.items()]
    if topcoded:
        lines.append("≥: BLS publishes only this lower bound (the wage is at or above it).")
    if estimates:
        lines.append("Columns marked (estimate) are estimates, not figures BLS published.")
    source = sources_line(df.attrs.get("provenance", []))
    if source:
        lines.append(source)
    if lines:
        styler = styler.set_caption("<br>".join(html.escape(line) for line in lines))
        styler = styler.set_table_styles(
            [{"selector": "caption", "props": "caption-side: bottom; text-align: left;"}],
            overwrite=False,
        )
    return styler


def _plain_formatter(measure: str | None, *, topcoded: bool = False) -> Callable[[object], str]:
    """Text of a value of a column whose format is ``measure`` (None: as text)."""

    def text(value: object) -> str:
        if isinstance(value, str):
            return value
        if value is None or _missing(value):
            return "—"
        if measure is None or isinstance(value, bool):
            return str(value)
        try:
            return format_value(float(value), measure, topcoded=topcoded)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return str(value)

    return text


def _missing(value: object) -> bool:
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False

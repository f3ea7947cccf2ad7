"""Numbers as BLS prints them: ``$51,140``, ``$24.59``, ``194,720``, ``≥ $239,200``.

Used by the command line, the salary breakdown's text view, plots and reports, so that a
figure reads the same everywhere.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from marketdata.core.schema import OEWS_MEASURES, PROJECTION_MEASURES, plain

if TYPE_CHECKING:  # pandas loads in display_frame, not for numbers as text
    import pandas as pd
    from pandas.io.formats.style import Styler

__all__ = [
    "ESTIMATE_ROUNDING",
    "MEASURE_FORMATS",
    "display_frame",
    "estimate_range",
    "format_value",
    "measure_of",
    "styled",
]

#: Column -> the measure whose format it takes (see :func:`format_value`).
MEASURE_FORMATS: dict[str, str] = {
    **{m: m for m in OEWS_MEASURES},
    **{c: c for c in (*PROJECTION_MEASURES, "median_wage")},
    "national_annual_median": "annual",
    "annual_median_rpp_adjusted": "annual",  # BEA-derived: the median in national prices
    "rpp": "price_parity",  # BEA's regional price parity, one decimal as people read it
    **{
        f"{band}_annual_{end}": "annual"
        for band in ("entry", "mid", "experienced")
        for end in ("low", "high", "point")
    },
    # pay estimated with a CPS ratio: to the ESTIMATE_ROUNDING dollars the text gives
    **{
        f"{band}_annual_{end}": "estimate"
        for band in ("cert", "cert_only", "edu_cert")
        for end in ("low", "high", "point")
    },
    # credential factors (ratios of CPS medians), two decimals as BLS prints ratios
    **{
        f"{kind}_{end}": "factor"
        for kind in ("cert_factor", "cert_only_factor", "edu_cert_factor", "cps_premium")
        for end in ("low", "high", "either")
    },
}


def measure_of(column: str) -> str | None:
    """The measure whose format ``column`` takes, or None (text): :data:`MEASURE_FORMATS`,
    and the user's own credential columns (``user_<credential>_annual_low``, ``_factor_high``)."""
    if column in MEASURE_FORMATS:
        return MEASURE_FORMATS[column]
    if column.startswith("user_") and column.endswith(("_low", "_high")):
        if "_annual_" in column:
            return "estimate"
        if "_factor_" in column:
            return "factor"
    return None


def format_value(value: float, measure: str, *, topcoded: bool = False) -> str:
    """Text of one value as BLS prints it (``$51,140``, ``$24.59``, ``194,720``, ``1.10``);
    an ``estimate`` (pay from a CPS ratio) to :data:`ESTIMATE_ROUNDING` dollars (``$63,500``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if measure.endswith("_rse"):
        text = f"{value:.1f}%"
    elif measure.startswith("hourly"):
        text = f"${value:,.2f}"
    elif measure.startswith("annual") or measure.endswith("wage") or measure.startswith("median"):
        text = f"${value:,.0f}"
    elif measure.startswith(("employment", "openings")) or measure == "change":
        text = f"{value:,.0f}"
    elif "percent" in measure:
        text = f"{value:+.1f}%"
    elif measure == "estimate":
        text = f"${math.floor(value / ESTIMATE_ROUNDING + 0.5) * ESTIMATE_ROUNDING:,.0f}"
    elif measure == "price_parity":
        text = f"{value:.1f}"
    else:
        text = f"{value:,.2f}"
    return f"≥ {text}" if topcoded else text


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` for reading: numbers as BLS prints them, ``≥`` for top-coded values,
    ``under 50`` for counts flagged ``is_under_50_<column>``, ``—`` for values BLS did not
    release; flag columns dropped; no ``attrs`` (provenance)."""
    import pandas as pd

    df = plain(df)
    flags = [c for c in df.columns if c.startswith(("is_topcoded_", "is_under_50_"))]
    # the new columns are made as lists and the frame once: a table has a few dozen rows,
    # and replacing its columns one by one costs more than formatting them
    columns: dict[str, object] = {c: df[c] for c in df.columns if c not in flags}
    for column in columns:
        measure = measure_of(column)
        if measure is None:
            continue
        values = pd.to_numeric(df[column], errors="coerce").tolist()
        tops = _marks(df, f"is_topcoded_{column}")
        text = [
            "—" if pd.isna(v) else format_value(float(v), measure, topcoded=t)
            for v, t in zip(values, tops, strict=True)
        ]
        under = _marks(df, f"is_under_50_{column}")  # a count rounded to hundreds: reads 0
        columns[column] = ["under 50" if u else t for t, u in zip(text, under, strict=True)]
    if "ratio_to_nation" in columns:
        columns["ratio_to_nation"] = [
            "—" if pd.isna(v) else f"{v:.2f}" for v in pd.to_numeric(df["ratio_to_nation"])
        ]
    return pd.DataFrame(columns, index=df.index)


def _marks(df: pd.DataFrame, flag: str) -> list[bool]:
    """Flag column ``flag`` as booleans (missing and absent: False)."""
    if flag not in df.columns:
        return [False] * len(df)
    return df[flag].astype("boolean").fillna(False).tolist()


#: Dollars an estimate (a pay figure built from ratios, not published by BLS) is rounded to:
#: it is no more precise than that.
ESTIMATE_ROUNDING = 100


def estimate_range(low: float, high: float) -> str:
    """An estimated pay range in whole :data:`ESTIMATE_ROUNDING` dollars: ``$53,500–$63,700``,
    or one figure, ``$63,500``, when the rounded ends are equal."""

    def rounded(value: float) -> str:
        return f"${math.floor(value / ESTIMATE_ROUNDING + 0.5) * ESTIMATE_ROUNDING:,.0f}"

    return rounded(low) if rounded(low) == rounded(high) else f"{rounded(low)}–{rounded(high)}"


def styled(df: pd.DataFrame) -> Styler:
    """A styled view of a tidy frame for notebooks, values unchanged: see
    :func:`marketdata.core.formatting_html.styled`."""
    from marketdata.core.formatting_html import styled as styled_view

    return styled_view(df)

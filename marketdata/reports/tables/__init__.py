"""The tables report notebooks show, built from the package's frames (no display, no files).

Notebooks import this package (``from marketdata.reports import tables as rt``); the names
below (what the notebooks use) are its public API: the parameters resolved
(:mod:`marketdata.reports.resolve`), and by report: :mod:`.common` (OEWS rows shared by all),
:mod:`.outlook`, :mod:`.regional`, :mod:`.growth`; :mod:`.context` (ORS credentials, pay in
national prices); :mod:`.credentials` (pay with a certification, in every report).
"""

from __future__ import annotations

from marketdata.reports.resolve import area, areas, occupation, occupation_list
from marketdata.reports.tables.common import (
    attempt,
    of_type,
    require,
    rows_for,
    top,
    wage_columns,
)
from marketdata.reports.tables.context_tables import LABELS as CONTEXT_LABELS
from marketdata.reports.tables.context_tables import (
    credential_table,
    local_price_columns,
    local_price_notes,
    local_prices,
    metro_ranking,
    regional_local_prices,
)
from marketdata.reports.tables.credential_tables import LABELS as CREDENTIAL_LABELS
from marketdata.reports.tables.credential_tables import (
    credential_columns,
    credential_lines,
    group_credentials,
)
from marketdata.reports.tables.growth_tables import (
    group_history,
    group_outlook,
    history_columns,
    try_group_outlook,
)
from marketdata.reports.tables.outlook import (
    area_row,
    certification_for,
    comparison_codes,
    comparison_title,
    growth_columns,
    industry_columns,
    industry_rows,
    outlook_rows,
    pay_band_columns,
    pay_band_notes,
    quick_facts,
    require_rows,
    try_outlook,
)
from marketdata.reports.tables.regional import (
    regional_notes,
    regional_table,
)

__all__ = [
    "CONTEXT_LABELS",
    "CREDENTIAL_LABELS",
    "area",
    "area_row",
    "areas",
    "attempt",
    "certification_for",
    "comparison_codes",
    "comparison_title",
    "credential_columns",
    "credential_lines",
    "credential_table",
    "group_credentials",
    "group_history",
    "group_outlook",
    "growth_columns",
    "history_columns",
    "industry_columns",
    "industry_rows",
    "local_price_columns",
    "local_price_notes",
    "local_prices",
    "metro_ranking",
    "occupation",
    "occupation_list",
    "of_type",
    "outlook_rows",
    "pay_band_columns",
    "pay_band_notes",
    "quick_facts",
    "regional_local_prices",
    "regional_notes",
    "regional_table",
    "require",
    "require_rows",
    "rows_for",
    "top",
    "try_group_outlook",
    "try_outlook",
    "wage_columns",
]

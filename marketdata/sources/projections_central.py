"""Projections Central: the states' long-term occupational projections, as JSON.

Parse only (:mod:`marketdata.datasets.projections` downloads and caches). The public API of Projections
Central (a site of the state Labor Market Information offices, funded by the U.S. Department of
Labor) answers ``GET {base}/Projections/LongTermRestJson/{STFIPS}?items_per_page=1000`` (one
state, every occupation) and ``.../LongTermRestJson/all/{SOC}`` (one occupation, every state,
with a national row first) with ``{"rows": [...], "pager": {...}}``. Every field of a row is a
string: ``Area``, ``Title``, ``OccCode``, ``Base``, ``Projected``, ``Change``,
``PercentChange``, ``AvgAnnualOpenings``, ``STFIPS``, ``StateURL``, ``BaseYear``, ``ProjYear``.

Employment is in persons (the states round to tens), ``AvgAnnualOpenings`` is an annual
average, and the national row of the ``all`` answer (``STFIPS`` ``"0"``, ``Area``
``" United States"``) is BLS's own projection.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import SourceFormatError
from marketdata.core.schema import PROJECTION_FIELDS, PROJECTION_MEASURES
from marketdata.sources import KnownFile

if TYPE_CHECKING:  # pandas loads to parse, not to fetch and check the answers
    import pandas as pd

logger = logging.getLogger(__name__)

#: Where the answers come from; ``{base}`` is ``settings.projections_central_url``.
URL_TEMPLATES: dict[str, str] = {
    "state": "{base}/Projections/LongTermRestJson/{fips}",
    "occupation": "{base}/Projections/LongTermRestJson/all/{soc}",
}
#: Query parameters of every request (the API's largest page).
ITEMS_PER_PAGE = 1000

#: JSON field -> column.
FIELDS: dict[str, str] = {
    "STFIPS": "state_code",
    "Area": "area_name",
    "OccCode": "occupation_code",
    "Title": "occupation_title",
    "BaseYear": "base_year",
    "ProjYear": "projected_year",
    "Base": "employment_base",
    "Projected": "employment_projected",
    "Change": "change",
    "PercentChange": "percent_change",
    "AvgAnnualOpenings": "openings_annual",
    "StateURL": "state_url",
}
COLUMNS: tuple[str, ...] = (
    "state_code",
    "area_name",
    "area_type",
    "occupation_code",
    "occupation_title",
    *PROJECTION_FIELDS,
    "state_url",
    "release",
)


def _load(source: Path | bytes | str | dict, name: str) -> dict:
    if isinstance(source, dict):
        doc = source
    else:
        data = source.read_bytes() if isinstance(source, Path) else source
        try:
            doc = json.loads(data)
        except ValueError as err:
            start = data[:60] if isinstance(data, (bytes, str)) else ""
            raise SourceFormatError(f"not JSON ({err}); starts {start!r}", source=name) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise SourceFormatError('expected an object with a "rows" list', source=name)
    return doc


def pager(source: Path | bytes | str | dict, *, name: str = "answer") -> tuple[int, int]:
    """``(current_page, total_pages)`` of an answer (pages count from 0)."""
    info = _load(source, name).get("pager") or {}
    if not isinstance(info, dict):
        raise SourceFormatError(f"unreadable pager {info!r}", source=name)
    try:
        return int(info.get("current_page", 0)), int(info.get("total_pages", 1))
    except (TypeError, ValueError):
        raise SourceFormatError(f"unreadable pager {info!r}", source=name) from None


def parse_longterm(
    source: Path | bytes | str | dict | list[dict[str, Any]], *, name: str = "answer"
) -> pd.DataFrame:
    """Rows of one or more answers as a tidy frame (columns :data:`COLUMNS`).

    ``source`` is an answer (path, bytes, text or parsed object) or a list of rows gathered
    from several pages. Values that are empty or not numbers stay missing.
    """
    import pandas as pd

    rows = source if isinstance(source, list) else _load(source, name)["rows"]
    if not all(isinstance(row, dict) for row in rows):
        raise SourceFormatError("rows must be JSON objects", source=name)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=_dtype(c)) for c in COLUMNS})
    raw = pd.DataFrame.from_records(rows)
    missing = [f for f in FIELDS if f not in raw.columns]
    if missing:
        raise SourceFormatError(f"rows lack the fields {', '.join(missing)}", source=name)
    frame = raw.loc[:, list(FIELDS)].rename(columns=FIELDS)
    text = frame.astype("string").apply(lambda s: s.str.strip())
    for column in PROJECTION_MEASURES:
        text[column] = pd.to_numeric(text[column].str.replace(",", ""), errors="coerce")
    for column in ("base_year", "projected_year"):
        text[column] = pd.to_numeric(text[column], errors="coerce").astype("Int64")
    fips = pd.to_numeric(text["state_code"], errors="coerce").astype("Int64")
    text["state_code"] = fips.map(lambda v: f"{v:02d}", na_action="ignore").astype("string")
    text["area_type"] = pd.Series("state", index=text.index, dtype="string").mask(
        fips == 0, "national"
    )
    text["release"] = (
        text["base_year"].astype("string")
        + "-"
        + (text["projected_year"] % 100).astype("string").str.zfill(2)
    )
    return text.loc[:, list(COLUMNS)].astype({c: _dtype(c) for c in COLUMNS})


def _dtype(column: str) -> str:
    if column in PROJECTION_MEASURES:
        return "float64"
    if column in ("base_year", "projected_year"):
        return "Int64"
    return "string"


def check_json(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is a long-term projections answer whose rows
    and pager parse (so a changed layout never enters the cache)."""
    doc = _load(Path(path), str(path))
    if doc["rows"] and "OccCode" not in doc["rows"][0]:
        raise SourceFormatError(
            "rows have no OccCode: not a long-term projections answer", source=str(path)
        )
    parse_longterm(doc, name=str(path))
    pager(doc, name=str(path))


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """Recognise a Projections Central long-term answer saved by hand (one state or one SOC)."""
    settings = get_settings(settings)
    path = Path(path)
    try:
        check_json(path)
        frame = parse_longterm(path, name=str(path))
    except (SourceFormatError, OSError, UnicodeDecodeError):
        return None
    states = frame.loc[frame["area_type"] == "state", "state_code"].dropna().unique()
    codes = frame["occupation_code"].dropna().unique()
    base = settings.projections_central_url
    if len(states) == 1 and len(codes) != 1:
        fips = str(states[0])
        url = URL_TEMPLATES["state"].format(base=base, fips=int(fips))
        return KnownFile(
            key=f"projections-central/longterm-{fips}.json",
            url=f"{url}?items_per_page={ITEMS_PER_PAGE}",
            description=f"Projections Central long-term projections, state {fips}",
            check=check_json,
        )
    if len(codes) == 1:
        url = URL_TEMPLATES["occupation"].format(base=base, soc=codes[0])
        return KnownFile(
            key=f"projections-central/all-{codes[0]}.json",
            url=f"{url}?items_per_page={ITEMS_PER_PAGE}",
            description=f"Projections Central long-term projections of {codes[0]}, all states",
            check=check_json,
        )
    return None

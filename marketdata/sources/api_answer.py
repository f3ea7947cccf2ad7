"""BLS Public Data API v2 answers: JSON in BLS's layout -> checked answer -> tidy frame.

Parse only (:mod:`marketdata.datasets.api` sends the queries and caches the answers). An answer is a
``status``, a ``message`` list and ``Results.series``: per series a ``seriesID``, an optional
``catalog`` and ``data`` observations (``year``, ``period``, ``periodName``, ``value`` as
text, ``footnotes``, optional ``calculations``). BLS answers errors inside HTTP 200, with
``status`` other than :data:`SUCCEEDED`; per-series messages ("Series does not exist", "No
Data Available") are read by :func:`about` and :func:`reason`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

from marketdata.core.errors import SourceFormatError
from marketdata.core.series_id import PARTS

#: ``status`` of an answer BLS did not refuse.
SUCCEEDED = "REQUEST_SUCCEEDED"
#: Columns of the frame returned by :func:`marketdata.datasets.api.series` (before any catalog or
#: calculation columns).
COLUMNS: tuple[str, ...] = (
    "series_id",
    "year",
    "period",
    "period_name",
    "value",
    "footnote_codes",
    "footnote_text",
    *PARTS,
)
#: Survey prefixes of series ids -> program names used in provenance.
PROGRAMS = {
    "OE": "OEWS",
    "LN": "CPS",
    "LE": "CPS",
    "CE": "CES",
    "SM": "SAE",
    "LA": "LAUS",
    "CU": "CPI",
    "JT": "JOLTS",
    "EN": "QCEW",
}

_NO_SERIES = re.compile(r"Series does not exist for Series(?: id)?:?\s*([A-Z0-9-]+)", re.IGNORECASE)
_NO_DATA = re.compile(
    r"No Data Available for Series\s*([A-Z0-9-]+)(?:\s+Year:\s*(\d{4}))?", re.IGNORECASE
)


def series_list(answer: dict) -> list[dict]:
    """The series entries of an answer (a list, or the values of a mapping)."""
    found = (answer.get("Results") or {}).get("series") or []
    return list(found.values()) if isinstance(found, dict) else list(found)


def check_shape(answer: Any, url: str) -> dict:
    """Raise SourceFormatError unless ``answer`` has the layout :func:`answer_frame` reads
    (checked before the answer is cached, so a changed layout never enters the cache)."""
    if not isinstance(answer, dict) or not isinstance(answer.get("status"), str):
        raise SourceFormatError("answer is not a BLS API response (no 'status')", source=url)
    messages = answer.get("message") or []
    if not isinstance(messages, list) or not isinstance(answer.get("Results") or {}, dict):
        raise SourceFormatError("answer has an unexpected 'message' or 'Results'", source=url)
    found = (answer.get("Results") or {}).get("series") or []
    if not isinstance(found, list | dict):
        raise SourceFormatError("answer's Results.series is not a list", source=url)
    for s in series_list(answer):
        if (
            not isinstance(s, dict)
            or not isinstance(s.get("seriesID"), str)
            or not isinstance(s.get("data") or [], list)
            or not isinstance(s.get("catalog") or {}, dict)
        ):
            raise SourceFormatError(
                f"series entry {str(s)[:80]!r} lacks a seriesID or a data list", source=url
            )
        for obs in s.get("data") or []:
            if not _observation_ok(obs):
                raise SourceFormatError(
                    f"observation {str(obs)[:80]!r} of {s['seriesID']} has no numeric year, "
                    "period, footnote list or calculations in BLS's layout",
                    source=url,
                )
    return answer


def _observation_ok(obs: Any) -> bool:
    if not isinstance(obs, dict) or not isinstance(obs.get("period"), str):
        return False
    year = obs.get("year")
    if not isinstance(year, str) or not (year.isascii() and year.isdigit()):
        return False
    footnotes = obs.get("footnotes") or []
    if not isinstance(footnotes, list) or not all(isinstance(f, dict) or not f for f in footnotes):
        return False
    calculations = obs.get("calculations") or {}
    return isinstance(calculations, dict) and all(
        isinstance(v, dict) or not v for v in calculations.values()
    )


def answer_frame(answer: dict, *, calculations: bool) -> tuple[pd.DataFrame, dict[str, dict]]:
    """Observations of one answer as a frame, and the catalog of each series."""
    rows: dict[str, list] = {c: [] for c in COLUMNS[:7]}
    changes: list[dict[str, str]] = []
    catalogs = {}
    for s in series_list(answer):
        sid = s.get("seriesID")
        if s.get("catalog"):
            catalogs[sid] = s["catalog"]
        for obs in s.get("data") or []:
            notes = [f for f in obs.get("footnotes") or [] if f and f.get("code")]
            rows["series_id"].append(sid)
            rows["year"].append(obs["year"])
            rows["period"].append(obs["period"])
            rows["period_name"].append(obs.get("periodName"))
            rows["value"].append(obs.get("value"))
            rows["footnote_codes"].append(",".join(f["code"] for f in notes) or math.nan)
            rows["footnote_text"].append("; ".join(f.get("text", "") for f in notes) or math.nan)
            if calculations:
                changes.append(
                    {
                        f"{kind.removesuffix('s')}_{span}": value
                        for kind, values in (obs.get("calculations") or {}).items()
                        for span, value in (values or {}).items()
                    }
                )
    frame = pd.DataFrame(rows)
    if calculations:
        extra = pd.DataFrame(changes, index=frame.index, dtype=object)
        frame = frame.join(extra.apply(pd.to_numeric, errors="coerce"))
    return frame, catalogs


def program(ids: Iterable[str]) -> str:
    """Program names of series ids, for provenance (``"CPS, OEWS"``)."""
    return ", ".join(sorted({PROGRAMS.get(s[:2], s[:2]) for s in ids}))


def missing_values(frame: pd.DataFrame) -> pd.Series:
    """Make ``value`` numeric in place; return the raw text of the values that are missing."""
    raw = frame["value"].astype(str).str.strip()
    frame["value"] = pd.to_numeric(raw, errors="coerce").astype("float64")
    return raw[frame["value"].isna()]


def about(message: str) -> str | None:
    """The series id a per-series message is about (None for other messages)."""
    found = _NO_SERIES.search(message) or _NO_DATA.search(message)
    return found.group(1).upper() if found else None


def reason(message: str) -> str:
    """Why a per-series message says a series has no data."""
    return "series does not exist" if _NO_SERIES.search(message) else "no data available"

"""Parse BLS's CPS LE and LN time-series flat files: bytes in, frames out.

The LE (weekly earnings) and LN (labor force) databases
(``download.bls.gov/pub/time.series/le/`` and ``/ln/``) are tab-separated, with one header
line and padded fields. :func:`parse_timeseries_file` reads any of them (mapping files such
as ``le.cert``, series listings, data files); :func:`parse_data` turns values into numbers
with BLS's footnote as the reason when a value is missing.

Certification status codes (``cert_code`` in ``le.series`` / ``ln.series``, labels in
``le.cert`` / ``ln.cert``) map to :data:`CERT_STATUS`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from marketdata.core.errors import SourceFormatError

#: CPS certification and licensing status codes (``ln.cert`` / ``le.cert``) -> our status keys.
CERT_STATUS: dict[int, str] = {
    0: "total",
    1: "without",
    2: "with_either",
    3: "cert_no_license",
    4: "license",
}

#: Human labels of the status keys, worded as BLS words them in ``ln.cert`` and the tables.
STATUS_LABELS: dict[str, str] = {
    "total": "All workers",
    "without": "Without a certification or license",
    "with_either": "With a certification or license",
    "cert_no_license": "With a certification, but no license",
    "license": "With a license",
}

_CHUNK_ROWS = 1_000_000


def parse_timeseries_file(
    data: bytes | Path,
    *,
    source: str,
    required: Iterable[str] = (),
    series_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read one BLS time-series flat file (mapping, series listing or data file).

    BLS's layout: one header line, tab-separated fields, fields and header names padded
    with spaces (``series_id`` to 30 characters, values right-aligned), CRLF line ends.
    Every column comes back as stripped text (codes keep their leading zeros).

    Parameters
    ----------
    series_ids
        Keep only the lines of these series; the file is then read in chunks of a million
        lines, so that a large ``*.data.*`` file never sits in memory whole.

    Raises
    ------
    SourceFormatError
        If the file is empty, is not tab-separated or lacks a ``required`` column.
    """
    handle = data if isinstance(data, Path) else io.BytesIO(data)
    wanted = None if series_ids is None else set(series_ids)
    try:
        reader = pd.read_csv(
            handle,
            sep="\t",
            dtype=str,
            keep_default_na=False,
            encoding="utf-8",
            encoding_errors="replace",
            chunksize=_CHUNK_ROWS,
        )
        parts = []
        for chunk in reader:
            chunk.columns = [c.strip() for c in chunk.columns]
            if wanted is not None and "series_id" in chunk:
                chunk = chunk[chunk["series_id"].str.strip().isin(wanted)]
            parts.append(chunk)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise SourceFormatError(
            f"not a BLS tab-separated time-series file ({err})", source=source
        ) from None
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        head = ", ".join(frame.columns[:8]) or "(none)"
        raise SourceFormatError(
            f"missing column(s) {', '.join(missing)}; the header has {head}. "
            "Is this the right file (e.g. an HTML error page saved under its name)?",
            source=source,
            line=1,
        )
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    frame.attrs["source"] = source
    return frame


def parse_data(
    data: bytes | Path,
    *,
    source: str,
    series_ids: Iterable[str] | None = None,
    footnotes: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Read a BLS time-series data file (``le.data.*``, ``ln.data.*``) into numbers.

    Parameters
    ----------
    series_ids
        Keep only these series (the file may hold many thousands).
    footnotes
        ``footnote_code -> text`` (from the database's ``.footnote`` file); missing values
        get that text as their ``note``.

    Returns
    -------
    DataFrame
        ``series_id``, ``year`` (int), ``period``, ``value`` (float, NaN when BLS shows a
        dash or no number), ``footnote_codes``, ``note``.
    """
    frame = parse_timeseries_file(
        data,
        source=source,
        required=("series_id", "year", "period", "value"),
        series_ids=series_ids,
    )
    if "footnote_codes" not in frame:
        frame["footnote_codes"] = ""
    value = pd.to_numeric(frame["value"].str.replace(",", ""), errors="coerce")
    footnotes = footnotes or {}

    def reason(codes: str) -> str:
        texts = [
            footnotes.get(code.strip(), f"footnote {code.strip()}") for code in codes.split(",")
        ]
        return "; ".join(t for t in texts if t.strip()) or "no value published"

    note = frame["footnote_codes"].where(value.isna(), "")
    note = note.map(lambda codes: reason(codes) if codes else "")
    note = note.where(~(value.isna() & (note == "")), "no value published")
    years = pd.to_numeric(frame["year"], errors="coerce")
    if years.isna().any():
        bad = frame[years.isna()].iloc[0]
        raise SourceFormatError(
            f"series {bad['series_id']}: year {bad['year']!r} is not a year", source=source
        )
    out = pd.DataFrame(
        {
            "series_id": frame["series_id"],
            "year": years.astype("int64"),
            "period": frame["period"],
            "value": value.astype("float64"),
            "footnote_codes": frame["footnote_codes"],
            "note": note,
        }
    ).reset_index(drop=True)
    out.attrs["source"] = source
    return out


def cert_status(code: str | int) -> str:
    """The status key of a ``cert_code`` (``"01"`` or ``1`` -> ``"without"``).

    Raises
    ------
    SourceFormatError
        For a code that ``ln.cert`` does not list.
    """
    try:
        return CERT_STATUS[int(str(code).strip())]
    except (KeyError, ValueError):
        raise SourceFormatError(
            f"unknown cert_code {code!r}; ln.cert lists 0-4 ({', '.join(STATUS_LABELS.values())})"
        ) from None

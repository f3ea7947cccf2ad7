"""Credential factors of a salary breakdown: BLS-derived (CPS) and the user's own.

The BLS-derived factors come from CPS (:mod:`marketdata.analysis.credentials.factors`,
:mod:`marketdata.analysis.credentials.estimates`): median weekly earnings of full-time wage and salary
workers with a certification but no license, with a license, or with either, each divided by
the median of all workers in the same CPS row. The row (``cert_basis``) is the occupation's
CPS group when a certification table by occupation is at hand, else the educational
attainment of its EP typical entry education in CPS table 54 (the bundled 2023 table
offline), else table 54's all workers; with the group first, the education factor is beside
it (``edu_cert_*``). ``cert_annual_low`` / ``_high`` apply the range over the statuses to the
area's OEWS annual median, ``cert_only_annual_*`` the certification-only ratio, and
``cert_source`` names the exact cells, ``cert_note`` how the factors were chosen, and
``cert_unavailable`` (apart from the notes) why a source could not be used. User factors
(a CSV with columns ``credential, occupation_code, factor_low, factor_high, citation``) go
to their own ``user_<credential>_*`` columns and are never combined with the BLS-derived ones.
"""

from __future__ import annotations

import logging
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from marketdata.analysis.credentials import estimates as cert_estimates
from marketdata.analysis.credentials import factors as cert_factors
from marketdata.analysis.credentials.cps_premium import cps_group
from marketdata.analysis.salary.figure_kinds import DERIVED, ESTIMATE, USER, Columns, one_line
from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataError, MarketdataWarning, SourceFormatError
from marketdata.datasets import cps

logger = logging.getLogger(__name__)

CERT_METHOD = cert_estimates.CERT_METHOD
USER_METHOD = "Estimate: area's OEWS annual median x user factor"
#: ``cert_unavailable``: the technical reason (error text included) a credential source could
#: not be used ("" when all could); for logs, the CLI and manifests, never a report's body,
#: which names the gap in its About box instead.
UNAVAILABLE_METHOD = "why a CPS source of the credential factors could not be used"


USER_FACTOR_COLUMNS = ("credential", "occupation_code", "factor_low", "factor_high", "citation")


_SOC = re.compile(r"^\d{2}-\d{4}$")


def read_user_factors(path: str | Path) -> pd.DataFrame:
    """Read and check a user credential-factor CSV (see :func:`check_user_factors`).

    The file has a header line and the columns ``credential, occupation_code, factor_low,
    factor_high, citation`` (extra columns are kept). Example::

        credential,occupation_code,factor_low,factor_high,citation
        CPC,29-2072,1.05,1.12,"<certifying body>, <salary survey>, <year>, <URL>"

    Raises
    ------
    SourceFormatError
        Naming the file and line of the first problem.
    """
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except FileNotFoundError:
        raise SourceFormatError("file not found", source=str(path)) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise _unreadable(err, path) from None
    return check_user_factors(frame, source=str(path))


_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def _unreadable(err: Exception, path: Path) -> SourceFormatError:
    """One line on why ``path`` is no CSV of credential factors (no parser internals)."""
    hint = f"; its first line must be the header {','.join(USER_FACTOR_COLUMNS)}"
    if m := _FIELDS.search(str(err)):
        return SourceFormatError(
            f"not a CSV of credential factors: {m[3]} fields where the first line has {m[1]}"
            + hint,
            source=str(path),
            line=int(m[2]),
        )
    why = (
        "it is not UTF-8 text"
        if isinstance(err, UnicodeDecodeError)
        else "the file is empty"
        if isinstance(err, pd.errors.EmptyDataError)
        else one_line(err)
    )
    return SourceFormatError(f"not a CSV of credential factors: {why}" + hint, source=str(path))


def check_user_factors(frame: pd.DataFrame, *, source: str = "user factors") -> pd.DataFrame:
    """Check user credential factors and return them cleaned (factors as floats).

    ``factor_*`` multiply an annual median: 1.08 means 8 % more. Line numbers in errors count
    the header as line 1, as in the CSV file.

    Raises
    ------
    SourceFormatError
        Naming ``source`` and the line of the first problem: missing column, malformed SOC
        code, non-numeric factor, factors outside ``0 < factor_low <= factor_high < 10``,
        empty credential or citation, or the same credential twice for one occupation.
    """
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    missing = [c for c in USER_FACTOR_COLUMNS if c not in frame.columns]
    if missing:
        raise SourceFormatError(
            f"missing column(s) {', '.join(missing)}; the header must name "
            f"{', '.join(USER_FACTOR_COLUMNS)}",
            source=source,
            line=1,
        )
    text = frame[list(USER_FACTOR_COLUMNS)].astype(str).apply(lambda c: c.str.strip())
    seen: dict[tuple[str, str], int] = {}
    lows, highs = [], []
    for line, row in enumerate(text.itertuples(index=False), start=2):
        low, high = _check_row(row, source, line)
        key = (row.credential.lower(), row.occupation_code)
        if key in seen:
            raise SourceFormatError(
                f"{row.credential} for {row.occupation_code} is also on line {seen[key]}",
                source=source,
                line=line,
            )
        seen[key] = line
        lows.append(low)
        highs.append(high)
    for column in ("credential", "occupation_code", "citation"):
        frame[column] = text[column]
    frame["factor_low"] = pd.Series(lows, index=frame.index, dtype="float64")
    frame["factor_high"] = pd.Series(highs, index=frame.index, dtype="float64")
    frame.attrs["source"] = source
    return frame


def _check_row(row: tuple, source: str, line: int) -> tuple[float, float]:
    def fail(message: str) -> SourceFormatError:
        return SourceFormatError(message, source=source, line=line)

    if not row.credential:
        raise fail("empty credential")
    if not _SOC.match(row.occupation_code):
        raise fail(f"occupation_code {row.occupation_code!r} is not a SOC code like 29-2072")
    try:
        low, high = float(row.factor_low), float(row.factor_high)
    except ValueError:
        raise fail(
            f"factor_low {row.factor_low!r} / factor_high {row.factor_high!r} must be numbers "
            "such as 1.05"
        ) from None
    if not 0 < low <= high < 10:  # also False for NaN
        raise fail(
            f"factors must satisfy 0 < factor_low <= factor_high < 10 (got {low}, {high}); "
            "a factor multiplies pay, 1.10 = 10 % more"
        )
    if not row.citation:
        raise fail(f"empty citation for {row.credential}: say where the factor comes from")
    return low, high


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "credential"


def cps_table(
    certification_arg: bool | pd.DataFrame, year: int, settings: Settings
) -> tuple[pd.DataFrame | None, str]:
    """The CPS certification table by occupation to use: the one given, else the release
    year's (fetched or cached), else any the cache holds; or None and why."""
    if isinstance(certification_arg, pd.DataFrame):
        return certification_arg, ""
    try:
        return cps.certification_table(release=year, settings=settings), ""
    except MarketdataError as err:
        logger.info("CPS certification table unavailable: %s", err)
        cached = cps.cached_group_table(settings=settings)
        if cached is not None:
            return cached, ""
        return (
            None,
            f"CPS certification table by occupation for {year} unavailable: {one_line(err)}",
        )


def credential_columns(
    cols: Columns,
    occupation: str,
    median: np.ndarray,
    area_names: list[str],
    table: pd.DataFrame | None,
    why: str,
    *,
    entry_education: str | None,
    settings: Settings,
) -> list:
    """The BLS-derived (CPS) credential columns; returns the CPS provenance.

    ``entry_education``: EP's typical entry education of the occupation (None: looked up).
    """
    education, missing = entry_education, ""
    if education is None:
        education, missing = cert_estimates.entry_education(occupation, settings=settings)
    found = cert_factors.factors(
        occupation, education, settings=settings, group_table=table if table is not None else False
    )
    cols.add(
        "cps_group",
        cps_group(occupation)[0],
        DERIVED,
        "SOC major group -> CPS occupation group",
        "CPS",
    )
    cols.add("cert_entry_education", education or "", DERIVED, "EP typical entry education", "EP")
    for name, (values, kind, method) in cert_estimates.columns(found, median, area_names).items():
        cols.add(name, values, kind, method, "OEWS x CPS" if kind == ESTIMATE else "CPS")
    cols.add(
        "cert_unavailable",
        "; ".join(filter(None, [why, missing])),
        DERIVED,
        UNAVAILABLE_METHOD,
        "CPS",
    )
    return list(found.provenance)


def user_columns(cols: Columns, occupation: str, median: np.ndarray, factors: pd.DataFrame) -> None:
    """User-supplied credential columns, ``user_<credential>_*``: never mixed with BLS's."""
    where = factors.attrs.get("source", "user")
    mine = factors[factors["occupation_code"] == occupation]
    if mine.empty and len(factors):
        others = ", ".join(sorted(set(factors["occupation_code"])))
        warnings.warn(
            f"{where} has no credential factor for {occupation} (it lists {others}); "
            "no user factor is applied",
            MarketdataWarning,
            stacklevel=3,
        )
    for row in mine.itertuples(index=False):
        slug = f"user_{_slug(row.credential)}"
        for end in ("low", "high"):
            factor = float(getattr(row, f"factor_{end}"))
            cols.add(f"{slug}_factor_{end}", factor, USER, "as given in the user's file", where)
            cols.add(
                f"{slug}_annual_{end}", median * factor, ESTIMATE, USER_METHOD, "OEWS x user factor"
            )
        cols.add(
            f"{slug}_citation",
            f"{row.credential}: {row.citation}",
            USER,
            "as given in the user's file",
            where,
        )

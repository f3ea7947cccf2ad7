"""Certification and licensing premium of an occupation, from CPS figures.

BLS's Current Population Survey (CPS) reports median weekly earnings of full-time wage and
salary workers by certification and licensing status for occupation *groups*; OEWS reports
detailed SOC occupations. This module links the two and derives the premium.

Mapping rule (SOC -> CPS group)
-------------------------------
CPS occupations follow the 2018 Census occupation classification, "derived from the 2018
Standard Occupational Classification (SOC)" (note to CPS table 11, 2021 annual averages). Its
occupation groups below the five broad groups are the 22 civilian SOC major groups under the
same titles, with one exception: SOC 25-0000 "Educational Instruction and Library
Occupations" is titled "Education, training, and library occupations" in the CPS tables
(cpsaat11 2021, cpsaat39 2025). So an OEWS code maps through its first two digits (its SOC
major group) to the CPS group in :data:`SOC_TO_CPS`, whose parents in the CPS table's own
hierarchy are the fallbacks when BLS suppresses the group's figures. Military occupations
(SOC 55) are outside the civilian CPS tables.

Premium
-------
For a group with medians ``M_total``, ``M_either`` (with a certification or license),
``M_cert`` (with a certification, but no license), ``M_license`` and ``M_without``:

- premium (with ÷ without) for each status: ``M_status / M_without``; the range is the
  lowest and highest of the three statuses available (BLS suppresses small cells);
- factor relative to all workers: ``M_status / M_total``; this is what an all-workers
  median (such as OEWS's) is multiplied by to estimate the pay of credential holders.

These are ratios of published medians, not causal effects: credential holders differ
from others in experience, education and detailed occupation.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass

import pandas as pd

from marketdata.core.errors import SchemaError, UnknownCode
from marketdata.core.schema import provenance_of

logger = logging.getLogger(__name__)

#: SOC 2018 major group -> CPS occupation group and its parents in the CPS tables
#: (most specific first). Titles as in BLS's cpsaat11 (2021) and cpsaat39 (2025).
SOC_TO_CPS: dict[str, tuple[str, ...]] = {
    "11": (
        "Management occupations",
        "Management, business, and financial operations occupations",
        "Management, professional, and related occupations",
    ),
    "13": (
        "Business and financial operations occupations",
        "Management, business, and financial operations occupations",
        "Management, professional, and related occupations",
    ),
    "15": (
        "Computer and mathematical occupations",
        "Professional and related occupations",
        "Management, professional, and related occupations",
    ),
    "17": (
        "Architecture and engineering occupations",
        "Professional and related occupations",
        "Management, professional, and related occupations",
    ),
    "19": (
        "Life, physical, and social science occupations",
        "Professional and related occupations",
        "Management, professional, and related occupations",
    ),
    "21": (
        "Community and social service occupations",
        "Professional and related occupations",
        "Management, professional, and related occupations",
    ),
    "23": (
        "Legal occupations",
        "Professional and related occupations",
        "Management, professional, and related occupations",
    ),
    "25": (
        "Education, training, and library occupations",
        "Professional and related occupations",
        "Management, professional, and related occupations",
    ),
    "27": (
        "Arts, design, entertainment, sports, and media occupations",
        "Professional and related occupations",
        "Management, professional, and related occupations",
    ),
    "29": (
        "Healthcare practitioners and technical occupations",
        "Professional and related occupations",
        "Management, professional, and related occupations",
    ),
    "31": ("Healthcare support occupations", "Service occupations"),
    "33": ("Protective service occupations", "Service occupations"),
    "35": ("Food preparation and serving related occupations", "Service occupations"),
    "37": ("Building and grounds cleaning and maintenance occupations", "Service occupations"),
    "39": ("Personal care and service occupations", "Service occupations"),
    "41": ("Sales and related occupations", "Sales and office occupations"),
    "43": ("Office and administrative support occupations", "Sales and office occupations"),
    "45": (
        "Farming, fishing, and forestry occupations",
        "Natural resources, construction, and maintenance occupations",
    ),
    "47": (
        "Construction and extraction occupations",
        "Natural resources, construction, and maintenance occupations",
    ),
    "49": (
        "Installation, maintenance, and repair occupations",
        "Natural resources, construction, and maintenance occupations",
    ),
    "51": (
        "Production occupations",
        "Production, transportation, and material moving occupations",
    ),
    "53": (
        "Transportation and material moving occupations",
        "Production, transportation, and material moving occupations",
    ),
}
STATUSES = ("with_either", "cert_no_license", "license")
_STATUS_WORDS = {
    "with_either": "with a certification or license",
    "cert_no_license": "with a certification, but no license",
    "license": "with a license",
}
_MEDIANS = (
    "median_weekly_total",
    "median_weekly_without",
    *(f"median_weekly_{s}" for s in STATUSES),
)


@dataclass(frozen=True)
class Premium:
    """The CPS certification premium applied to one occupation through its group."""

    occupation_code: str
    group: str  # the CPS row used (the mapped group, or a parent if that one is suppressed)
    mapped_group: str  # the group the SOC code maps to
    year: int | None
    premium_low: float  # lowest M_status / M_without over the available statuses
    premium_high: float
    premium_with_either: float
    factor_low: float  # lowest M_status / M_total: multiplies an all-workers median
    factor_high: float
    statuses: (
        str  # which statuses the range spans, e.g. "with a license .. with a certification..."
    )
    source: str
    note: str

    def as_dict(self) -> dict[str, object]:
        """Plain dict (for frames)."""
        return asdict(self)


def cps_group(occupation: str) -> tuple[str, ...]:
    """The CPS occupation group of a SOC/OEWS code and its parents (most specific first).

    Raises
    ------
    UnknownCode
        For codes that are not SOC codes or that have no civilian CPS group (SOC 55).
    """
    code = str(occupation).strip()
    digits = code.replace("-", "")
    if not (len(digits) == 6 and digits.isdigit()):
        raise UnknownCode("occupation code", occupation, hint="Give a SOC code such as '29-2072'.")
    major = digits[:2]
    if major not in SOC_TO_CPS:
        raise UnknownCode(
            "occupation code",
            occupation,
            hint=f"SOC major group {major}-0000 has no CPS occupation group "
            "(the CPS tables cover civilian occupations, SOC 11 to 53).",
        )
    return SOC_TO_CPS[major]


def _source(table: pd.DataFrame, group: str) -> str:
    attrs = table.attrs
    where = "; ".join(str(p.get("source_url", "")) for p in provenance_of(table)) or attrs.get(
        "source", "CPS"
    )
    title = attrs.get("title", "")
    number = f"table {attrs['table']}" if attrs.get("table") else "LE/LN time series"
    year = table["year"].dropna().iloc[0] if table["year"].notna().any() else ""
    return (
        f"BLS Current Population Survey, {year} annual averages, {number}"
        + (f" ('{title}')" if title else "")
        + f": median weekly earnings of full-time wage and salary workers, {group} ({where})"
    )


def premiums(table: pd.DataFrame) -> pd.DataFrame:
    """Premium (with ÷ without) and factor (with ÷ all) of every row of a certification frame.

    ``table`` is a frame of :data:`marketdata.sources.cps_annual.CERT_TABLE_COLUMNS` (from
    :func:`marketdata.datasets.cps.certification_table` or :func:`~marketdata.datasets.cps.certification_series`).
    Ratios involving a suppressed median are NaN.
    """
    missing = [c for c in ("group", *_MEDIANS) if c not in table.columns]
    if missing:
        raise SchemaError(f"certification table is missing columns: {', '.join(missing)}")
    out = table[["group", "year"]].copy()
    without, total = table["median_weekly_without"], table["median_weekly_total"]
    for status in STATUSES:
        median = table[f"median_weekly_{status}"]
        out[f"premium_{status}"] = median / without.where(without > 0)
        out[f"factor_{status}"] = median / total.where(total > 0)
    premium_cols = [f"premium_{s}" for s in STATUSES]
    factor_cols = [f"factor_{s}" for s in STATUSES]
    out["premium_low"] = out[premium_cols].min(axis=1)
    out["premium_high"] = out[premium_cols].max(axis=1)
    out["factor_low"] = out[factor_cols].min(axis=1)
    out["factor_high"] = out[factor_cols].max(axis=1)
    out["note"] = table.get("note", "")
    out.attrs.update(table.attrs)
    return out


def _key(text: str) -> str:
    return " ".join(str(text).lower().replace("occupations", "").split()).strip(" ,")


def premium_for(occupation: str, table: pd.DataFrame) -> Premium:
    """The CPS premium of ``occupation`` (a SOC code) through its CPS occupation group.

    The mapped group's row is used if its ``without`` median and at least one credential
    median are published; otherwise its parents (see :data:`SOC_TO_CPS`), and the ``group``
    field says which row was used and ``note`` why.

    Raises
    ------
    UnknownCode
        For a code without a CPS group.
    SchemaError
        If the frame lacks the median columns.
    """
    chain = cps_group(occupation)
    ratios = premiums(table)
    keys = table["group"].map(_key)
    notes = []
    for group in chain:
        rows = ratios[keys == _key(group)]
        if rows.empty:
            notes.append(f"{group}: not in the CPS table")
            continue
        row = rows.iloc[0]
        values = {s: row[f"premium_{s}"] for s in STATUSES if pd.notna(row[f"premium_{s}"])}
        if not values:
            notes.append(f"{group}: BLS suppressed the medians ({row['note'] or 'no values'})")
            continue
        low = min(values, key=values.get)
        high = max(values, key=values.get)
        factors = [row[f"factor_{s}"] for s in values if pd.notna(row[f"factor_{s}"])]
        if row["note"]:
            notes.append(f"{group}: {row['note']}")
        year = row["year"]
        return Premium(
            occupation_code=str(occupation),
            group=group,
            mapped_group=chain[0],
            year=int(year) if pd.notna(year) else None,
            premium_low=float(values[low]),
            premium_high=float(values[high]),
            premium_with_either=float(row["premium_with_either"]),
            factor_low=float(min(factors)) if factors else math.nan,
            factor_high=float(max(factors)) if factors else math.nan,
            statuses=f"{_STATUS_WORDS[low]} .. {_STATUS_WORDS[high]}",
            source=_source(table, group),
            note="; ".join(notes),
        )
    logger.info("no CPS premium for %s: %s", occupation, "; ".join(notes))
    return Premium(
        occupation_code=str(occupation),
        group="",
        mapped_group=chain[0],
        year=None,
        premium_low=math.nan,
        premium_high=math.nan,
        premium_with_either=math.nan,
        factor_low=math.nan,
        factor_high=math.nan,
        statuses="",
        source=_source(table, chain[0]),
        note="; ".join(notes),
    )

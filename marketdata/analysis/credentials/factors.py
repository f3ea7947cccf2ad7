"""Certification factors of an occupation from BLS's CPS tables: every one an estimate.

:func:`factors` gathers, for one occupation, each ratio of CPS median weekly earnings (of
full-time wage and salary workers) that says something about a credential's pay, on three
bases, and never mixes them:

1. **occupation group** (first, when a certification-by-occupation table or the LE series is
   cached, or given): the occupation's CPS group (:mod:`marketdata.analysis.credentials.cps_premium`);
2. **education**: table 54's educational-attainment row(s) that match the occupation's
   typical entry education from EP (:data:`EDUCATION_ROWS`); a category that could match
   several rows (e.g. "Postsecondary nondegree award") gives the range over them;
3. **all workers**: table 54's "Total, 16 years and over" row, the broadest fallback.

For each basis, row and status (with a certification but no license; with a license; with
either) two ratios are given:

- premium = median of the status ÷ median without a certification or license;
- factor = median of the status ÷ median of all workers in the row; an all-workers median
  (such as an area's OEWS median) times the factor estimates the pay of credential holders.

They are ratios of medians, not causal effects: credential holders differ from others in
age, experience, occupation and more. Every row names its table, year, row and status, and
``cert_source`` quotes the exact cells.

EP category -> CPS educational-attainment row (table 54 rows are for ages 25 and over)
--------------------------------------------------------------------------------------
================================== =====================================================
EP typical entry education         table 54 row(s)
================================== =====================================================
Doctoral or professional degree    Advanced degree
Master's degree                    Advanced degree
Bachelor's degree                  Bachelor's degree only
Associate's degree                 Associate degree
Postsecondary nondegree award      High school graduates, no college; Some college, no
                                   degree (CPS records the highest diploma or degree, so a
                                   certificate holder is in one or the other)
Some college, no degree            Some college, no degree
High school diploma or equivalent  High school graduates, no college
No formal educational credential   Less than a high school diploma; High school
                                   graduates, no college
================================== =====================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from marketdata.analysis.credentials.cps_premium import cps_group, premium_for
from marketdata.core.config import Settings, get_settings
from marketdata.core.errors import InputValueError
from marketdata.core.formatting import estimate_range
from marketdata.core.schema import provenance_of
from marketdata.datasets import cps, cps_characteristics

BASES = ("occupation group", "education", "all workers")
STATUSES = ("cert_no_license", "license", "with_either")
STATUS_LABELS = {
    "cert_no_license": "with a certification, but no license",
    "license": "with a license",
    "with_either": "with a certification or license",
}
EDUCATION_BLOCK = "Educational attainment"
ALL_WORKERS_ROW = "Total, 16 years and over"
#: EP typical entry education -> table 54 educational-attainment rows (see module docstring).
EDUCATION_ROWS: dict[str, tuple[str, ...]] = {
    "Doctoral or professional degree": ("Advanced degree",),
    "Master's degree": ("Advanced degree",),
    "Bachelor's degree": ("Bachelor's degree only",),
    "Associate's degree": ("Associate degree",),
    "Postsecondary nondegree award": (
        "High school graduates, no college",
        "Some college, no degree",
    ),
    "Some college, no degree": ("Some college, no degree",),
    "High school diploma or equivalent": ("High school graduates, no college",),
    "No formal educational credential": (
        "Less than a high school diploma",
        "High school graduates, no college",
    ),
}
#: How a row reads in a sentence: "full-time workers with ...".
ROW_PHRASES = {
    "Less than a high school diploma": "less than a high school diploma",
    "High school graduates, no college": "a high school diploma but no college",
    "Some college, no degree": "some college but no degree",
    "Associate degree": "an associate degree",
    "Bachelor's degree only": "a bachelor's degree only",
    "Advanced degree": "an advanced degree",
    ALL_WORKERS_ROW: "any education (all full-time wage and salary workers)",
}
ESTIMATE = "estimate: a ratio of CPS medians, not a causal effect"
SURVEY = "BLS Current Population Survey (CPS)"
#: Columns of :attr:`CertFactors.frame`.
COLUMNS = (
    "basis",
    "table",
    "year",
    "block",
    "row",
    "status",
    "median_status",
    "median_without",
    "median_total",
    "premium",
    "factor",
    "cert_source",
    "label",
    "note",
)


@dataclass(frozen=True)
class FactorRange:
    """The lowest and highest ratio of one basis (over its rows and the statuses asked)."""

    basis: str
    statuses: tuple[str, ...]
    rows: tuple[str, ...]
    year: int | None
    premium_low: float
    premium_high: float
    factor_low: float
    factor_high: float
    cert_source: str
    #: (row, status, median of the status, of all workers, of those without), per cell used
    cells: tuple[tuple[str, str, float, float, float], ...] = ()
    label: str = ESTIMATE

    def _repr_html_(self) -> str:
        """The range as a small card in Jupyter."""
        from marketdata.analysis.credentials.factor_display import range_html

        return range_html(self)


@dataclass(frozen=True)
class CertFactors:
    """Every certification factor found for an occupation (see :func:`factors`)."""

    occupation_code: str
    entry_education: str | None
    frame: pd.DataFrame
    notes: tuple[str, ...] = ()
    provenance: tuple[dict, ...] = field(default=())

    def _repr_html_(self) -> str:
        """Each basis's range as a small card in Jupyter, headline first."""
        from marketdata.analysis.credentials.factor_display import factors_html

        return factors_html(self)

    @property
    def bases(self) -> list[str]:
        """The bases present, in order of preference (occupation group first)."""
        return [b for b in BASES if (self.frame["basis"] == b).any()]

    @property
    def headline(self) -> str | None:
        """The basis to show first: occupation group, else education, else all workers."""
        return self.bases[0] if self.bases else None

    def range(self, basis: str | None = None, statuses: tuple[str, ...] = STATUSES) -> FactorRange:
        """Low and high ratios of ``basis`` (default :attr:`headline`) over its rows and
        ``statuses`` whose medians are published; NaN if none.

        Raises
        ------
        InputValueError
            For a basis or status that is not one of :data:`BASES` / :data:`STATUSES`.
        """
        basis = basis or self.headline or "all workers"
        if basis not in BASES:
            raise InputValueError("certification factor basis", basis, suggestions=BASES)
        for status in statuses:
            if status not in STATUSES:
                raise InputValueError("certification status", status, suggestions=STATUSES)
        rows = self.frame[(self.frame["basis"] == basis) & self.frame["status"].isin(statuses)]
        ok = rows[rows["factor"].notna() & rows["premium"].notna()]
        year = int(rows["year"].iloc[0]) if len(rows) and pd.notna(rows["year"].iloc[0]) else None
        nan = math.nan
        return FactorRange(
            basis=basis,
            statuses=tuple(dict.fromkeys(ok["status"])),
            rows=tuple(dict.fromkeys(ok["row"])),
            year=year,
            premium_low=float(ok["premium"].min()) if len(ok) else nan,
            premium_high=float(ok["premium"].max()) if len(ok) else nan,
            factor_low=float(ok["factor"].min()) if len(ok) else nan,
            factor_high=float(ok["factor"].max()) if len(ok) else nan,
            cert_source=_cells_text(ok),
            cells=tuple(
                zip(
                    ok["row"],
                    ok["status"],
                    ok["median_status"].astype(float),
                    ok["median_total"].astype(float),
                    ok["median_without"].astype(float),
                    strict=True,
                )
            ),
        )


def _cells_text(rows: pd.DataFrame) -> str:
    """The exact CPS cells behind a range, once per table row: "<table>, <year> annual
    averages, median weekly earnings of full-time wage and salary workers: <block> / <row>:
    <status> $x, ..., without a certification or license $y, all workers $z; ..."."""
    if rows.empty:
        return ""
    first = rows.iloc[0]
    parts = []
    for (block, row), cells in rows.groupby(["block", "row"], sort=False):
        statuses = ", ".join(
            f"{STATUS_LABELS[s]} {_money(m)}"
            for s, m in zip(cells["status"], cells["median_status"], strict=True)
        )
        c = cells.iloc[0]
        parts.append(
            f"{block} / {row}: {statuses}, without a certification or license "
            f"{_money(c['median_without'])}, all workers {_money(c['median_total'])}"
        )
    return (
        f"{first['table']}, {first['year']} annual averages, median weekly earnings of "
        f"full-time wage and salary workers: {'; '.join(parts)}"
    )


def _norm(text: str) -> str:
    return " ".join(str(text).replace("’", "'").lower().split())


def education_rows(entry_education: str) -> tuple[str, ...]:
    """Table 54 rows matching an EP typical-entry-education category.

    Raises
    ------
    InputValueError
        For a category EP does not use (close matches listed).
    """
    from rapidfuzz import process

    by_norm = {_norm(k): v for k, v in EDUCATION_ROWS.items()}
    if _norm(entry_education) in by_norm:
        return by_norm[_norm(entry_education)]
    close = [m for m, s, _ in process.extract(entry_education, list(EDUCATION_ROWS), limit=3)]
    raise InputValueError(
        "EP typical entry education",
        entry_education,
        close,
        hint="Give one of EP's education categories.",
    )


def _money(value: float) -> str:
    return "n/a" if pd.isna(value) else f"${value:,.0f}"


def _record(
    basis: str, table: str, year: object, block: str, label: str, row: pd.Series, status: str
) -> dict[str, object]:
    status_m = row[f"median_weekly_{status}"]
    without, total = row["median_weekly_without"], row["median_weekly_total"]
    source = (
        f"{table}, {year} annual averages, {block} / {label}: median weekly earnings of "
        f"full-time wage and salary workers {STATUS_LABELS[status]} {_money(status_m)}, "
        f"without a certification or license {_money(without)}, all workers {_money(total)}"
    )
    return {
        "basis": basis,
        "table": table,
        "year": year,
        "block": block,
        "row": label,
        "status": status,
        "median_status": status_m,
        "median_without": without,
        "median_total": total,
        "premium": status_m / without if without > 0 else math.nan,
        "factor": status_m / total if total > 0 else math.nan,
        "cert_source": source,
        "label": ESTIMATE,
        "note": row.get("note", "") or "",
    }


def _table54_records(
    table54: pd.DataFrame, entry_education: str | None
) -> tuple[list[dict], list[str]]:
    year = table54.attrs.get("year")
    bundled = any(p.get("bundled") for p in provenance_of(table54))
    name = f"{SURVEY} table 54" + (" (bundled transcription of a public copy)" if bundled else "")
    records, notes = [], []
    wanted: list[tuple[str, str, str]] = []
    if entry_education:
        for label in education_rows(entry_education):
            wanted.append(("education", EDUCATION_BLOCK, label))
    else:
        notes.append("no typical entry education given: no education factor")
    wanted.append(("all workers", "Age and sex", ALL_WORKERS_ROW))
    for basis, block, label in wanted:
        rows = table54[(table54["group"] == block) & (table54["label"] == label)]
        if rows.empty:
            notes.append(f"{name} {year} has no row {block} / {label}")
            continue
        for status in STATUSES:
            records.append(_record(basis, name, year, block, label, rows.iloc[0], status))
    return records, notes


def _group_records(occupation: str, table: pd.DataFrame) -> tuple[list[dict], list[str]]:
    """Records of the occupation's CPS group row, chosen as
    :func:`marketdata.analysis.credentials.cps_premium.premium_for` chooses it (a parent if BLS suppressed it)."""
    premium = premium_for(occupation, table)  # SchemaError for a frame without the medians
    notes = [premium.note] if premium.note else []
    if not premium.group:
        return [], notes
    attrs = table.attrs
    name = f"{SURVEY} table {attrs['table']}" if attrs.get("table") else f"{SURVEY} LE series"
    keys = table["group"].map(lambda g: " ".join(str(g).lower().split()))
    row = table[keys == " ".join(premium.group.lower().split())].iloc[0]
    group = premium.group
    return [
        _record("occupation group", name, premium.year, "Occupation", group, row, s)
        for s in STATUSES
    ], notes


#: ``factors``'s default ``entry_education``: the occupation's typical entry education in EP.
FROM_EP = "from EP"


def entry_education_of(
    occupation_code: str, *, settings: Settings | None = None
) -> tuple[str | None, str, list[dict]]:
    """The typical entry education EP assigns to ``occupation_code`` (its education table
    of the latest release, the bundled one offline), a note when there is none, and the
    table's provenance."""
    from marketdata.datasets import projections

    table = projections.load(table="education", settings=settings)
    rows = table[table["occupation_code"] == str(occupation_code)]
    education = rows["typical_education"].dropna() if len(rows) else rows
    if not len(education):
        releases = ", ".join(dict.fromkeys(table["release"].astype(str)))
        return None, f"EP {releases} gives no typical entry education for {occupation_code}", []
    return str(education.iloc[0]), "", provenance_of(table)


def factors(
    occupation_code: str,
    entry_education: str | None = FROM_EP,
    *,
    settings: Settings | None = None,
    group_table: pd.DataFrame | bool | None = None,
    table54: pd.DataFrame | None = None,
) -> CertFactors:
    """The certification factors of ``occupation_code`` on every basis that has data.

    Parameters
    ----------
    occupation_code
        SOC code (``"29-2072"``): its SOC major group picks the CPS occupation group.
    entry_education
        EP's typical entry education of the occupation (``"Postsecondary nondegree award"``);
        default :data:`FROM_EP`: looked up in EP (:func:`entry_education_of`); ``None``
        leaves out the education basis (with a note).
    group_table
        A certification-by-occupation frame (:func:`marketdata.datasets.cps.certification_table` or
        :func:`~marketdata.datasets.cps.certification_series`); ``None``: the one the cache holds,
        if any (no download); ``False``: no occupation-group basis.
    table54
        A table 54 frame; default :func:`marketdata.datasets.cps_characteristics.load` (the newest,
        else the bundled 2023 table, with an OfflineDataWarning).

    Returns
    -------
    CertFactors
        ``frame`` with :data:`COLUMNS`, one row per basis x row x status.

    Raises
    ------
    UnknownCode
        For a code without a CPS occupation group (not SOC 11-53).
    InputValueError
        For an education category EP does not use.
    """
    settings = get_settings(settings)
    cps_group(occupation_code)  # a bad code fails before any loading
    records, notes, provenance = [], [], []
    if entry_education == FROM_EP:
        entry_education, why, provenance = entry_education_of(occupation_code, settings=settings)
        notes += [why] if why else []
    if entry_education:
        education_rows(entry_education)
    if group_table is None:
        group_table = cps.cached_group_table(settings=settings)
        if group_table is None:
            notes.append("no CPS certification table by occupation is cached")
    if isinstance(group_table, pd.DataFrame):
        found, why = _group_records(occupation_code, group_table)
        records += found
        notes += why
        provenance += provenance_of(group_table)
    if table54 is None:
        table54 = cps_characteristics.load(settings=settings)
    found, why = _table54_records(table54, entry_education)
    records += found
    notes += why
    provenance += provenance_of(table54)
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    return CertFactors(
        occupation_code=str(occupation_code),
        entry_education=entry_education,
        frame=frame,
        notes=tuple(notes),
        provenance=tuple(provenance),
    )


def describe(found: FactorRange, median: float, area: str) -> str:
    """The pay estimate as a report sentence, naming the exact CPS cells it comes from.

    E.g. "about $63,500 a year (estimate: Ohio's median × the CPS 2023 ratio for
    full-time workers with some college but no degree, $1,236 vs $992 a week for all
    workers, $973 without a certification or license; a ratio of medians, not a causal
    effect)". The estimate is rounded by :func:`~marketdata.core.formatting.estimate_range`; the
    published CPS cells are quoted exactly; tables keep the unrounded estimates.
    """
    if pd.isna(median) or pd.isna(found.factor_low):
        return "no estimate (no published median or no CPS ratio)"
    amount = estimate_range(median * found.factor_low, median * found.factor_high)
    parts = [
        f"{ROW_PHRASES.get(row, row)}, {_money(m)} vs {_money(total)} a week for all workers, "
        f"{_money(without)} without a certification or license"
        for row, _, m, total, without in found.cells
    ]
    statuses = " / ".join(STATUS_LABELS[s] for s in found.statuses)
    whose = "the national" if area.lower() in ("national", "us", "united states") else f"{area}'s"
    return (
        f"about {amount} a year (estimate: {whose} median × the CPS {found.year} ratio, "
        f"{statuses}, for full-time workers with {'; or with '.join(parts)}; "
        "a ratio of medians, not a causal effect)"
    )

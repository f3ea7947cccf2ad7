"""The tables report notebooks show, built from the package's frames (no display, no files).

Report parameters are resolved here with the current release's code tables, by the runner
before any kernel starts (:mod:`marketdata.reports`) and again inside the notebook, so both
agree on what ``"OH"`` or ``"medical records"`` means.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from marketdata import codes, growth, oews, projections
from marketdata.codes import NATIONAL_CODE, Area, Occupation
from marketdata.config import Settings
from marketdata.errors import MarketdataError, UnknownCode
from marketdata.plots import format_value
from marketdata.schema import attach_provenance, provenance_of

logger = logging.getLogger(__name__)

#: NAICS detail shown as "industries that employ it": 4-digit industry groups, else 3-digit.
INDUSTRY_DIGITS: tuple[int, ...] = (4, 3)
_GROUP = re.compile(r"^(\d{2})-(\d{4})$")


# --------------------------------------------------------------------------- parameters


def occupation(text: str | int, *, settings: Settings | None = None) -> Occupation:
    """The occupation ``text`` means in the current release (code, title or title words)."""
    return codes.resolve_occupation(text, table=oews.occupations(settings=settings))


def area(text: str | int, *, settings: Settings | None = None) -> Area:
    """The area ``text`` means in the current release (``US``, ``OH``, ``Columbus, OH``...)."""
    return codes.resolve_area(text, table=oews.areas(settings=settings))


def areas(texts: Iterable[str | int], *, settings: Settings | None = None) -> list[Area]:
    """:func:`area` of each text, in order."""
    table = oews.areas(settings=settings)
    return [codes.resolve_area(t, table=table) for t in texts]


def group_prefix(group: str) -> str:
    """What the codes of a SOC group's members start with: ``29-`` for ``29-0000``,
    ``29-2`` for ``29-2000``, ``29-102`` for ``29-1020``."""
    m = _GROUP.match(str(group).strip())
    if m is None:
        raise UnknownCode("SOC group", group, hint="Give a group code such as 29-0000 or 29-2000.")
    return f"{m[1]}-" + ("" if m[2] == "0000" else m[2].rstrip("0"))


def group_members(group: str, table: pd.DataFrame) -> pd.DataFrame:
    """Detailed occupations of a SOC group (``29-0000`` major, ``29-1000`` minor, ``29-1020``
    broad) in ``table`` (``occupation_code``, ``occupation_title``, ``occupation_level``)."""
    prefix = group_prefix(group)
    detailed = table[table["occupation_level"] == "detailed"]
    members = detailed[detailed["occupation_code"].str.startswith(prefix)]
    if members.empty or group not in set(table["occupation_code"]):
        groups = table[table["occupation_level"].isin(["major", "minor", "broad"])]
        close = groups[groups["occupation_code"].str.startswith(group[:2])]
        raise UnknownCode(
            "SOC group",
            group,
            (close["occupation_code"] + " " + close["occupation_title"]).head(5).tolist(),
            hint="Give a major (29-0000), minor (29-1000) or broad (29-1020) group code.",
        )
    return members.reset_index(drop=True)


def occupation_list(
    value: str | Sequence[str], *, settings: Settings | None = None
) -> tuple[str, list[Occupation]]:
    """The occupations a regional report covers, and a label for them.

    ``value`` is a list of codes or titles, a SOC group code (``"29-0000"``) or the title of
    a SOC group as BLS names it (``"Healthcare support occupations"``): a group stands for
    its detailed occupations.
    """
    table = oews.occupations(settings=settings)
    if isinstance(value, str):
        found = codes.resolve_occupation(value, table=table)
        if found.level == "detailed":
            return found.title, [found]
        members = group_members(found.code, table)
        return f"{found.code} {found.title}", [
            Occupation(r.occupation_code, r.occupation_title, r.occupation_level)
            for r in members.itertuples(index=False)
        ]
    found_all = [codes.resolve_occupation(v, table=table) for v in value]
    if not found_all:
        raise UnknownCode("occupation list", value, hint="Give at least one occupation.")
    label = ", ".join(o.code for o in found_all)
    return label, found_all


# --------------------------------------------------------------------------- OEWS rows


def comparison_codes(where: Area, others: Sequence[Area] = ()) -> list[str]:
    """Area codes in report order: the area, the other areas asked for, the area's state
    (for a metro or nonmetro area), the nation; each once."""
    wanted = [where.code, *(a.code for a in others)]
    if where.type not in ("state", "national") and where.state_code:
        wanted.append(f"{where.state_code}00000")
    wanted.append(NATIONAL_CODE)
    return list(dict.fromkeys(wanted))


def comparison_title(where: Area) -> str:
    """Heading of the area comparison: "Columbus, OH next to its state and the nation"."""
    if where.type == "national":
        return "The nation"
    if where.type == "state":
        return f"{where.name} next to the nation"
    return f"{where.name} next to its state and the nation"


def rows_for(frame: pd.DataFrame, area_codes: Sequence[str]) -> pd.DataFrame:
    """The rows of ``frame`` for ``area_codes``, in that order (absent areas skipped)."""
    order = {code: i for i, code in enumerate(area_codes)}
    rows = frame[frame["area_code"].isin(order)]
    rows = rows.assign(_order=rows["area_code"].map(order)).sort_values("_order", kind="stable")
    return attach_provenance(
        rows.drop(columns="_order").reset_index(drop=True), provenance_of(frame)
    )


def area_row(frame: pd.DataFrame, where: Area, occ: Occupation) -> pd.Series:
    """The row of ``occ`` in ``where``; a row of missing values (with names) if BLS publishes
    none for that area."""
    rows = frame[(frame["area_code"] == where.code) & (frame["occupation_code"] == occ.code)]
    if len(rows):
        return rows.iloc[0]
    blank = pd.Series(index=frame.columns, dtype=object)
    release = frame["release"].iloc[0] if len(frame) else ""
    blank.update(
        pd.Series(
            {
                "area_code": where.code,
                "area_name": where.name,
                "occupation_code": occ.code,
                "occupation_title": occ.title,
                "release": release,
            }
        )
    )
    return blank


def top(frame: pd.DataFrame, measure: str, n: int) -> pd.DataFrame:
    """The ``n`` rows with the highest ``measure`` (ties by name), provenance kept."""
    label = "area_name" if "area_name" in frame.columns else "occupation_title"
    rows = frame.sort_values([measure, label], ascending=[False, True], na_position="last")
    return attach_provenance(rows.head(n).reset_index(drop=True), provenance_of(frame))


def of_type(frame: pd.DataFrame, *types: str) -> pd.DataFrame:
    """Rows of the given area types (``state``, ``metro``, ``nonmetro``, ``national``)."""
    rows = frame[frame["area_type"].isin(types)].reset_index(drop=True)
    return attach_provenance(rows, provenance_of(frame))


def wage_columns(frame: pd.DataFrame, *, label: str = "area_name") -> pd.DataFrame:
    """The columns of a wage table: label, employment, median, percentiles, flags."""
    keep = [
        label,
        "employment",
        "hourly_median",
        "annual_p10",
        "annual_p25",
        "annual_median",
        "annual_p75",
        "annual_p90",
        "location_quotient",
    ]
    flags = [f"is_topcoded_{c}" for c in keep if f"is_topcoded_{c}" in frame.columns]
    return attach_provenance(frame[keep + flags].reset_index(drop=True), provenance_of(frame))


def naics_digits(code: str) -> int | None:
    """How many NAICS digits an OEWS industry code has (``622000`` -> 3, ``621100`` -> 4);
    None for cross-industry, ownership and sector codes (``000001``, ``31--33``)."""
    if not code.isdigit() or code.startswith("0000"):
        return None
    return len(code.rstrip("0"))


def industry_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Industry rows of one occupation at the most detailed level published in ``frame``
    (4-digit NAICS, else 3-digit), largest employment first."""
    digits = frame["industry_code"].map(naics_digits)
    for level in INDUSTRY_DIGITS:
        chosen = frame[digits == level]
        if not chosen.empty:
            chosen = chosen.sort_values(["employment", "industry_code"], ascending=[False, True])
            return attach_provenance(chosen.reset_index(drop=True), provenance_of(frame))
    return attach_provenance(frame.iloc[0:0], provenance_of(frame))


def industry_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of an industry table."""
    keep = ["industry_code", "industry_title", "employment", "annual_median", "hourly_median"]
    flags = [f"is_topcoded_{c}" for c in keep if f"is_topcoded_{c}" in frame.columns]
    return attach_provenance(frame[keep + flags].reset_index(drop=True), provenance_of(frame))


# --------------------------------------------------------------------------- projections


def try_outlook(
    occupation_code: str, where: str = "US", *, settings: Settings | None = None
) -> tuple[Any | None, str]:
    """(:func:`marketdata.growth.outlook`, "") or (None, why it is not available)."""
    try:
        return growth.outlook(occupation_code, where, settings=settings), ""
    except MarketdataError as exc:
        return None, str(exc).strip().splitlines()[0]


def outlook_rows(
    occupation_code: str, where: Area, *, settings: Settings | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Growth of one occupation in the nation and, for a state (or a metro's state), in the
    state: one row per area that has figures, and notes on those that have none."""
    wanted = [("US", "the nation")]
    if where.type != "national" and where.state_code:
        state = codes.resolve_area(where.state_code)
        wanted.insert(0, (state.name, state.name))
    found, notes = [], []
    for query, name in wanted:
        result, why = try_outlook(occupation_code, query, settings=settings)
        if result is None or result.basis == "unavailable":
            notes.append(f"No projection for {name}: {why or '; '.join(result.notes)}")
        else:
            found.append(result)
            notes.extend(result.notes)
    table = outlook_table(found)
    if not found:
        raise projections_unavailable(notes)
    return table, notes


def projections_unavailable(notes: Sequence[str]) -> MarketdataError:
    """The error a report section shows when no projection could be had."""
    return MarketdataError("; ".join(notes) or "no employment projections could be loaded")


# --------------------------------------------------------------------------- quick facts


def _money(row: pd.Series, column: str) -> str:
    value = row.get(column)
    if value is None or pd.isna(value):
        return "not released"
    return format_value(
        float(value), column, topcoded=bool(row.get(f"is_topcoded_{column}", False))
    )


def quick_facts(
    row: pd.Series,
    national: Any | None = None,
    *,
    unavailable: str = "",
) -> dict[str, str]:
    """Headline facts of one occupation in one area, like the Occupational Outlook Handbook's
    quick facts: employment and pay in the area (OEWS), growth, openings and typical entry
    education (national Employment Projections, a :class:`marketdata.growth.Outlook`).

    ``unavailable`` says why the projections are missing when ``national`` is None.
    """
    where = str(row["area_name"])
    employment = row.get("employment")
    facts = {
        "Occupation": f"{row['occupation_title']} ({row['occupation_code']})",
        "Area": where,
        f"Employment, {row['release']}": "not released"
        if employment is None or pd.isna(employment)
        else format_value(float(employment), "employment"),
        "Median annual pay": _money(row, "annual_median"),
        "Median hourly pay": _money(row, "hourly_median"),
    }
    missing = f"not available ({unavailable})" if unavailable else "not available"
    if national is None or national.basis != "projected":
        facts["Projected growth (U.S.)"] = missing
        facts["Openings per year (U.S.)"] = missing
        facts["Typical entry-level education"] = missing
        return facts
    growth = format_value(national.percent_change, "percent_change")
    if national.growth_category:
        growth += f" ({national.growth_category.lower()})"
    facts[f"Projected growth (U.S.), {national.round}"] = growth
    facts["Openings per year (U.S.)"] = format_value(national.openings_annual, "openings")
    facts["Typical entry-level education"] = national.typical_education or "not published"
    return facts


def outlook_table(outlooks: Sequence[Any]) -> pd.DataFrame:
    """One row per :class:`marketdata.growth.Outlook` (area), provenance of all of them."""
    frames = [o.to_frame() for o in outlooks]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return attach_provenance(table, [p for f in frames for p in provenance_of(f)])


def regional_table(frame: pd.DataFrame, where: Area, members: Sequence[Occupation]) -> pd.DataFrame:
    """Pay bands of each occupation in ``where`` next to the national median.

    Columns: occupation, the area's employment and annual percentiles (with top-code flags),
    ``national_annual_median`` and ``ratio_to_nation`` (NaN when either is top-coded or not
    released), and ``note``: plain words for suppressed or top-coded values.
    """
    wanted = [o.code for o in members]
    here = frame[(frame["area_code"] == where.code) & frame["occupation_code"].isin(wanted)]
    nation = frame[(frame["area_code"] == NATIONAL_CODE) & frame["occupation_code"].isin(wanted)]
    here = here.set_index("occupation_code").reindex(wanted)
    nation = nation.set_index("occupation_code").reindex(wanted)
    columns = [
        "employment",
        "annual_p10",
        "annual_p25",
        "annual_median",
        "annual_p75",
        "annual_p90",
    ]
    out = pd.DataFrame(
        {
            "occupation_code": wanted,
            "occupation_title": [o.title for o in members],
        }
    )
    for column in columns:
        out[column] = here[column].to_numpy()
        flag = f"is_topcoded_{column}"
        if flag in here.columns:
            out[flag] = here[flag].astype("boolean").fillna(False).to_numpy(dtype=bool)
    out["national_annual_median"] = nation["annual_median"].to_numpy()
    out["is_topcoded_national_annual_median"] = (
        nation["is_topcoded_annual_median"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    )
    exact = ~out["is_topcoded_annual_median"] & ~out["is_topcoded_national_annual_median"]
    out["ratio_to_nation"] = (out["annual_median"] / out["national_annual_median"]).where(exact)
    out["note"] = [_plain_note(r, where.name) for r in out.itertuples(index=False)]
    return attach_provenance(out, provenance_of(frame))


def _plain_note(row: Any, area_name: str) -> str:
    """Plain-language note on what BLS did not publish or capped for one occupation."""
    if pd.isna(row.employment) and pd.isna(row.annual_median):
        return (
            f"BLS did not publish this occupation for {area_name} "
            "(too few responses or confidential)."
        )
    notes = []
    if pd.isna(row.employment):
        notes.append("employment not released")
    missing = [
        p for p in ("p10", "p25", "median", "p75", "p90") if pd.isna(getattr(row, f"annual_{p}"))
    ]
    if missing:
        notes.append("wages not released: " + ", ".join(missing))
    capped = [
        p
        for p in ("p10", "p25", "median", "p75", "p90")
        if getattr(row, f"is_topcoded_annual_{p}", False)
    ]
    if capped:
        notes.append("at or above BLS's top code (the true figure is higher): " + ", ".join(capped))
    text = "; ".join(notes)
    return text[:1].upper() + text[1:] + ("." if notes else "")


def projections_table(
    frame: pd.DataFrame, group: str, *, wages: pd.DataFrame | None = None
) -> pd.DataFrame:
    """EP line items of a SOC group (national), with the area's OEWS median pay if given.

    ``frame``: :func:`marketdata.projections.load` (line items). ``wages``: OEWS rows of one
    area (``occupation_code``, ``annual_median`` and its flag).
    """
    prefix = group_prefix(group)
    rows = frame[frame["occupation_code"].str.startswith(prefix)]
    rows = rows[rows["occupation_code"] != group].reset_index(drop=True)
    columns = [
        "occupation_code",
        "occupation_title",
        "employment_base",
        "employment_projected",
        "change",
        "percent_change",
        "openings_annual",
        "median_wage",
        "typical_education",
        "round",
    ]
    out = rows[[c for c in columns if c in rows.columns]].copy()
    if "median_wage_topcoded" in rows.columns:
        out["is_topcoded_median_wage"] = (
            rows["median_wage_topcoded"].astype("boolean").fillna(False)
        )
    if wages is not None:
        pay = wages.drop_duplicates("occupation_code").set_index("occupation_code")
        out["annual_median"] = out["occupation_code"].map(pay["annual_median"])
        out["is_topcoded_annual_median"] = (
            out["occupation_code"]
            .map(pay["is_topcoded_annual_median"])
            .astype("boolean")
            .fillna(False)
        )
        out["area_name"] = out["occupation_code"].map(pay["area_name"])
    sources = provenance_of(frame) + (provenance_of(wages) if wages is not None else [])
    return attach_provenance(out, sources)


def group_outlook(
    group: str, where: Area, *, release: str = "latest", settings: Settings | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Projections of a SOC group's occupations with their pay in ``where``, and notes.

    Projections are the state's (Projections Central) for a state when it publishes them,
    else BLS's national Employment Projections (said in the notes); pay is the OEWS annual
    median in ``where``.
    """
    notes: list[str] = []
    frame = None
    if where.type == "state":
        try:
            frame = projections.state_projections(where.state_code, settings=settings)
            if frame.empty:
                notes.extend(frame.attrs.get("notes", []))
                frame = None
            else:
                notes.append(
                    f"Projections: {where.name}'s long-term projections (Projections Central)."
                )
        except MarketdataError as exc:
            notes.append(
                f"{where.name}'s projections are not available ({str(exc).splitlines()[0]}); "
                "national projections shown."
            )
    elif where.type != "national":
        notes.append(
            "Projections are published for the nation and the states; national ones shown."
        )
    if frame is None:
        frame = projections.load(settings=settings)
        notes.append(
            f"Projections: BLS Employment Projections {frame['round'].iloc[0]} (national)."
        )
    wages = oews.load(release, area=where.code, settings=settings)
    table = projections_table(frame, group, wages=wages)
    if table.empty:
        raise MarketdataError(
            f"the projections loaded ({notes[-1].removeprefix('Projections: ').rstrip('.')}) "
            f"hold no occupation of {group}"
        )
    return table, notes


def _columns(frame: pd.DataFrame, keep: Sequence[str]) -> pd.DataFrame:
    """``keep`` columns that ``frame`` has, plus their top-code flags; provenance kept."""
    chosen = [c for c in keep if c in frame.columns]
    flags = [f"is_topcoded_{c}" for c in chosen if f"is_topcoded_{c}" in frame.columns]
    return attach_provenance(frame[chosen + flags].reset_index(drop=True), provenance_of(frame))


def growth_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The columns of a growth table (from :func:`outlook_rows`)."""
    return _columns(
        table,
        [
            "area_name",
            "source",
            "basis",
            "base_year",
            "projected_year",
            "employment_base",
            "employment_projected",
            "change",
            "percent_change",
            "openings_annual",
            "growth_category",
            "typical_education",
        ],
    )


PAY_BAND_COLUMNS: tuple[str, ...] = (
    "area_name",
    "annual_median",
    "entry_annual_low",
    "entry_annual_high",
    "mid_annual_low",
    "mid_annual_point",
    "mid_annual_high",
    "experienced_annual_low",
    "experienced_annual_high",
    "cert_factor_low",
    "cert_factor_high",
    "cert_annual_low",
    "cert_annual_high",
)


def pay_band_columns(bands: pd.DataFrame) -> pd.DataFrame:
    """The columns of a pay-band table (from :func:`marketdata.salary.breakdown`)."""
    return _columns(bands, PAY_BAND_COLUMNS)


def pay_band_notes(bands: pd.DataFrame) -> list[str]:
    """How the estimates of a pay-band table were made, and what is missing, once each."""
    notes = []
    for column in ("experience_method", "cert_method", "cert_note", "cert_source"):
        if column in bands.columns:
            notes += [str(v) for v in bands[column].dropna().unique() if str(v).strip()]
    return list(dict.fromkeys(notes))


def regional_notes(table: pd.DataFrame, where: Area) -> list[str]:
    """Plain-language notes of a :func:`regional_table`: one per occupation with a gap or a
    capped figure, then what the marks mean."""
    flagged = table[table["note"].astype(str).str.len() > 0]
    notes = [f"{r.occupation_title}: {r.note}" for r in flagged.itertuples(index=False)]
    if not notes:
        return [f"BLS published every figure shown for {where.name}."]
    notes.append(
        "BLS leaves out figures when too few employers answered or to protect their "
        "confidentiality; they are blank here, never zero. Wages at or above BLS's top code are "
        "shown with ≥: BLS only says they are at least that high."
    )
    return notes


def group_history(
    group: str, where: Area, *, years: int = 5, settings: Settings | None = None
) -> pd.DataFrame:
    """Employment and pay of a SOC group in ``where`` over the last ``years`` + 1 releases
    (BLS's archived OEWS releases, :func:`marketdata.oews_history.history`)."""
    from marketdata import oews_history

    latest = oews_history.latest_release(settings=settings).year
    place = "US" if where.type == "national" else where.name
    return oews_history.history(
        occupation=group, area=place, start=latest - years, settings=settings
    )


def history_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns of a history table."""
    return _columns(
        frame,
        [
            "release",
            "year",
            "area_name",
            "occupation_code",
            "occupation_title",
            "employment",
            "annual_median",
            "hourly_median",
            "is_comparable",
            "comparability_note",
        ],
    )

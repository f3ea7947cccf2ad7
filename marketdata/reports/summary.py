"""Plain-language summaries at the top of a report: three to six sentences read off the
report's own tables, each number written as the tables write it
(:func:`marketdata.core.formatting.format_value`).

A figure that is missing is said to be missing or its sentence is left out; nothing is
guessed. Each function takes the frames :mod:`marketdata.reports.tables` builds:

- :func:`outlook_summary`: ``rows_for(...)`` (OEWS rows of the area and the nation) and the
  growth table of ``outlook_rows(...)``;
- :func:`regional_summary`: ``regional_table(...)``;
- :func:`growth_summary`: ``group_outlook(...)`` and, optionally, ``group_history(...)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from marketdata.core.formatting import format_value
from marketdata.core.series_id import NATIONAL_AREA

#: Ratios of two medians within this distance of 1 read "about the same".
SAME_BAND = 0.03
_VOWELS = "aeiou"


# --------------------------------------------------------------------------- wording helpers


def _number(row: pd.Series | dict, column: str) -> float | None:
    value = row.get(column)
    if value is None or isinstance(value, str) or pd.isna(value):
        return None
    return float(value)


def _flag(row: pd.Series | dict, column: str) -> bool:
    value = row.get(f"is_topcoded_{column}", False)
    return bool(value) if value is not None and not pd.isna(value) else False


def money(row: pd.Series | dict, column: str) -> str | None:
    """``$50,990`` (``at least $239,200`` when top-coded), or None when missing."""
    value = _number(row, column)
    if value is None:
        return None
    text = format_value(value, column)
    return f"at least {text}" if _flag(row, column) else text


def count(value: float | None, measure: str = "employment") -> str | None:
    """``7,440`` as the tables print counts, or None."""
    return None if value is None or pd.isna(value) else format_value(float(value), measure)


def percent(value: float) -> str:
    """``7.1%``: the tables' percent, without the sign (the verb carries it)."""
    return format_value(abs(value), "percent_change").lstrip("+")


def plain_title(title: str) -> str:
    """``Medical Records Specialists`` -> ``Medical records specialists`` (words written
    with capitals inside, such as ``HIV``, kept)."""
    words = str(title).split(" ")
    out = [words[0]] + [w if any(c.isupper() for c in w[1:]) else w.lower() for w in words[1:]]
    return " ".join(out)


def _in_sentence(title: str) -> str:
    """A BLS title inside a sentence: ``registered nurses``, ``HIV counselors``."""
    return _lower_first(plain_title(title))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def education_phrase(text: str) -> str:
    """EP's education category as a phrase: ``a postsecondary nondegree award``,
    ``an associate's degree``, ``no formal educational credential``."""
    phrase = _lower_first(str(text).strip())
    if phrase.startswith(("no ", "some ")):
        return phrase
    return ("an " if phrase[:1] in _VOWELS else "a ") + phrase


def comparison(value: float, reference: float) -> str:
    """``about the same as``, ``12% above`` or ``8% below``."""
    ratio = value / reference
    if abs(ratio - 1) < SAME_BAND:
        return "about the same as"
    word = "above" if ratio > 1 else "below"
    return f"{abs(ratio - 1) * 100:.0f}% {word}"


def change_phrase(row: pd.Series | dict) -> str | None:
    """``grow 7.1% from 2024 to 2034`` / ``decline 2.0% ...``; None without a percent."""
    pct = _number(row, "percent_change")
    if pct is None:
        return None
    base, end = _year(row, "base_year"), _year(row, "projected_year")
    years = f" from {base} to {end}" if base and end else ""
    if round(pct, 1) == 0:
        return f"stay about the same ({percent(pct)} change){years}"
    return f"{'grow' if pct > 0 else 'decline'} {percent(pct)}{years}"


def _year(row: pd.Series | dict, column: str) -> str | None:
    """A year column (EP and Projections Central write them as text or numbers)."""
    value = pd.to_numeric(pd.Series([row.get(column)]), errors="coerce").iloc[0]
    return None if pd.isna(value) else f"{value:.0f}"


def _release(frame: pd.DataFrame) -> str:
    values = frame["release"].dropna() if "release" in frame.columns else pd.Series(dtype=str)
    return f" in {values.iloc[0]}" if len(values) else ""


# --------------------------------------------------------------------------- outlook


def _growth_sentence(row: pd.Series, where: str) -> str | None:
    change = change_phrase(row)
    if change is None:
        return None
    text = f"Employment {where} is projected to {change}"
    category = row.get("growth_category")
    if isinstance(category, str) and category.strip():
        text += f", {category.strip().lower()}"
    openings = count(_number(row, "openings_annual"), "openings_annual")
    if openings is not None:
        text += f", with about {openings} openings a year"
    return text + "."


def outlook_summary(compared: pd.DataFrame, growth: pd.DataFrame | None = None) -> list[str]:
    """Sentences of an occupation outlook.

    ``compared``: OEWS rows of the report's area first, the nation last
    (:func:`marketdata.reports.tables.rows_for`). ``growth``: the growth table
    (:func:`marketdata.reports.tables.outlook_rows`; ``area`` ``"US"`` is the nation), or None
    when no projection could be had.
    """
    if compared.empty:
        return []
    here = compared.iloc[0]
    nation_rows = compared[compared["area_code"] == NATIONAL_AREA]
    nation = nation_rows.iloc[0] if len(nation_rows) else None
    national = here["area_code"] == NATIONAL_AREA
    title = plain_title(here["occupation_title"])
    where = "nationwide" if national else f"in {here['area_name']}"
    when = _release(compared)
    sentences = []
    median = money(here, "annual_median")
    if median is None:
        sentences.append(
            f"BLS did not publish a median wage for {_lower_first(title)} {where}{when}."
        )
    else:
        text = f"{title} {where} earned a median of {median} a year{when}"
        us = money(nation, "annual_median") if nation is not None and not national else None
        exact = not (
            _flag(here, "annual_median") or (nation is not None and _flag(nation, "annual_median"))
        )
        if us is not None and exact:
            relation = comparison(_number(here, "annual_median"), _number(nation, "annual_median"))
            text += f", {relation} the national median ({us})"
        elif us is not None:
            text += f"; the national median was {us}"
        sentences.append(text + ".")
    low, high = money(here, "annual_p25"), money(here, "annual_p75")
    if low and high:
        sentences.append(f"The middle half of workers {where} earned between {low} and {high}.")
    jobs = count(_number(here, "employment"))
    if jobs is not None:
        sentences.append(f"About {jobs} people worked in the occupation {where}{when}.")
    if growth is None or growth.empty:
        sentences.append("No employment projection could be had for this report.")
        return sentences
    us_rows = growth[growth["area"] == "US"] if "area" in growth.columns else growth.iloc[0:0]
    state_rows = growth[growth["area"] != "US"] if "area" in growth.columns else growth
    if not national:
        states = compared[compared["area_type"] == "state"]
        state_name = states.iloc[0]["area_name"] if len(states) else "the state"
        if len(state_rows):
            said = _growth_sentence(state_rows.iloc[0], f"in {state_rows.iloc[0]['area_name']}")
            if said:
                sentences.append(said)
        else:
            sentences.append(f"{state_name}'s own projection is not in this report.")
    if len(us_rows):
        said = _growth_sentence(us_rows.iloc[0], "nationwide")
        if said:
            sentences.append(said)
        education = us_rows.iloc[0].get("typical_education")
        if isinstance(education, str) and education.strip():
            sentences.append(f"The typical entry-level education is {education_phrase(education)}.")
    return sentences


# --------------------------------------------------------------------------- regional salary


def regional_summary(table: pd.DataFrame, area_name: str, *, release: str = "") -> list[str]:
    """Sentences of a regional salary report (``table``:
    :func:`marketdata.reports.tables.regional_table`)."""
    if table.empty:
        return []
    when = f" in {release}" if release else ""
    paid = table[table["annual_median"].notna()]
    sentences = [
        f"BLS published a median wage in {area_name}{when} for {len(paid)} of the "
        f"{len(table)} occupations in this report."
    ]
    if len(paid):
        ordered = paid.sort_values(["annual_median", "occupation_title"])
        low, high = ordered.iloc[0], ordered.iloc[-1]
        if len(paid) > 1:
            sentences.append(
                f"Median pay ranged from {money(low, 'annual_median')} "
                f"({plain_title(low['occupation_title'])}) to {money(high, 'annual_median')} "
                f"({plain_title(high['occupation_title'])})."
            )
        ratios = table["ratio_to_nation"].dropna()
        if len(ratios):
            above = int((ratios >= 1 + SAME_BAND).sum())
            below = int((ratios <= 1 - SAME_BAND).sum())
            same = len(ratios) - above - below
            sentences.append(
                f"Compared with the national median, {above} paid more in {area_name}, "
                f"{below} paid less and {same} about the same."
            )
    jobs = table[table["employment"].notna()].sort_values(
        ["employment", "occupation_title"], ascending=[False, True]
    )
    if len(jobs):
        top = jobs.iloc[0]
        text = (
            f"The largest, {_in_sentence(top['occupation_title'])}, employed about "
            f"{count(top['employment'])} people"
        )
        median = money(top, "annual_median")
        sentences.append(text + (f" at a median of {median} a year." if median else "."))
    unpublished = int((table["employment"].isna() & table["annual_median"].isna()).sum())
    withheld = int((table["employment"].notna() & table["annual_median"].isna()).sum())
    capped = int(table["is_topcoded_annual_median"].astype("boolean").fillna(False).sum())
    gaps = []
    if unpublished:
        gaps.append(f"BLS did not publish {unpublished} occupation{'s' * (unpublished > 1)} here")
    if withheld:
        gaps.append(
            f"{'it' if unpublished else 'BLS'} published employment but no median wage for "
            f"{withheld}{' more' if unpublished else ''} occupation{'s' * (withheld > 1)}"
        )
    if capped:
        verb = "is" if capped == 1 else "are"
        gaps.append(f"{capped} median{'s' * (capped > 1)} {verb} at or above BLS's top code")
    if gaps:
        text = "; ".join(gaps)
        sentences.append(text[:1].upper() + text[1:] + " (see the notes).")
    return sentences


# --------------------------------------------------------------------------- growth explorer


def _source_of(notes: Sequence[str]) -> str:
    for note in notes:
        if note.startswith("Projections: "):
            return note.removeprefix("Projections: ").rstrip(".")
    return ""


def growth_summary(
    table: pd.DataFrame | None,
    group_title: str,
    *,
    notes: Sequence[str] = (),
    history: pd.DataFrame | None = None,
) -> list[str]:
    """Sentences of a growth explorer (``table``: :func:`marketdata.reports.tables.group_outlook`
    with its ``notes``, None when it could not be had; ``history``:
    :func:`marketdata.reports.tables.group_history`)."""
    if table is None or table.empty:
        return ["No employment projection for this group could be had for this report."]
    group = _in_sentence(group_title)
    source = _source_of(notes)
    projected = table[table["percent_change"].notna()]
    years = ""
    if len(projected) and _year(projected.iloc[0], "base_year"):
        row = projected.iloc[0]
        years = f" from {_year(row, 'base_year')} to {_year(row, 'projected_year')}"
    elif "projections_release" in table.columns and table["projections_release"].notna().any():
        years = f" over {table['projections_release'].dropna().iloc[0]}"
    which = (
        f"All {len(table)}"
        if len(projected) == len(table)
        else f"{len(projected)} of the {len(table)}"
    )
    sentences = [
        f"{which} {group} in this report have a projection"
        + (f"; they come from {source}" if source else "")
        + "."
    ]
    if len(projected):
        direction = _direction_sentence(projected["percent_change"], years)
        sentences += [direction] if direction else []
        fastest = projected.sort_values(
            ["percent_change", "occupation_title"], ascending=[False, True]
        ).iloc[0]
        sentences.append(
            f"The fastest-growing is {_in_sentence(fastest['occupation_title'])} "
            f"({format_value(fastest['percent_change'], 'percent_change')})."
        )
    openings = table[table["openings_annual"].notna()]
    if len(openings):
        most = openings.sort_values(
            ["openings_annual", "occupation_title"], ascending=[False, True]
        ).iloc[0]
        text = (
            f"The most openings are expected for {_in_sentence(most['occupation_title'])}, "
            f"about {count(most['openings_annual'], 'openings_annual')} a year"
        )
        if isinstance(most.get("projections_for"), str):  # whose projections: in the sentence
            the = "the " if most["projections_for"] == "United States" else ""
            text += f" in {the}{most['projections_for']}"
        pay = money(most, "annual_median") if "annual_median" in table.columns else None
        where = most.get("area_name")
        if pay and isinstance(where, str):
            place = "nationwide" if where == "National" else f"in {where}"
            text += f", with a median annual wage of {pay} {place}"
        sentences.append(text + ".")
    said = _history_sentence(history)
    if said:
        sentences.append(said)
    return sentences


def _history_sentence(history: pd.DataFrame | None) -> str | None:
    """Employment change between the first and last comparable release of a history."""
    if history is None or history.empty or "employment" not in history.columns:
        return None
    rows = history
    if "is_comparable" in rows.columns:
        rows = rows[rows["is_comparable"].astype("boolean").fillna(False)]
    rows = rows[rows["employment"].notna()].sort_values("year")
    if len(rows) < 2:
        return None
    first, last = rows.iloc[0], rows.iloc[-1]
    where = first.get("area_name", "")
    place = "nationwide" if where in ("National", "", None) else f"in {where}"
    return (
        f"Employment in the group {place} went from {count(first['employment'])} in "
        f"{first['release']} to {count(last['employment'])} in {last['release']}."
    )


def _direction_sentence(change: pd.Series, years: str) -> str:
    """How many occupations are projected to grow, decline or stay level, naming only the
    counts that are not zero: "All 71 are projected to grow from 2024 to 2034." or "60 are
    projected to grow, 8 to decline and 3 to stay about the same over 2024-34."."""
    counts = [
        (int((change > 0).sum()), "grow"),
        (int((change < 0).sum()), "decline"),
        (int((change == 0).sum()), "stay about the same"),
    ]
    said = [(n, verb) for n, verb in counts if n]
    if not said:  # no percent change published
        return ""
    (first, verb), rest = said[0], said[1:]
    if not rest:
        whom = "The one occupation is" if first == 1 else f"All {first} are"
        return f"{whom} projected to {verb}{years}."
    head = f"{first} {'is' if first == 1 else 'are'} projected to {verb}"
    tail = [f"{n} to {v}" for n, v in rest]
    listed = ", ".join([head, *tail[:-1]]) + f" and {tail[-1]}"
    return f"{listed}{years}."

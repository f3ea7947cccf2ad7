"""Plain-language summaries, on real frames: the bundled May 2025 OEWS snapshot and the
bundled EP 2024-34 round, read through the same reports.tables functions the notebooks use.

Expected figures come from BLS's files (tests/data/plots/oews_2025_states.csv, cut from the
May 2025 oe.* files; tests/data/ep/occupation_2024-34.xlsx, BLS's workbook cut down), not
from the code under test.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata.core.errors import OfflineDataWarning
from marketdata.datasets import oews, projections, state_projections
from marketdata.reports import summary
from marketdata.reports import tables as rt
from marketdata.sources import ep

DATA = Path(__file__).parents[1] / "data"
STATES = DATA / "plots" / "oews_2025_states.csv"


@pytest.fixture(autouse=True)
def _quiet() -> None:
    warnings.simplefilter("ignore", OfflineDataWarning)


def published(area_code: str, occupation: str, column: str) -> float:
    rows = pd.read_csv(STATES, dtype={"area_code": str})
    row = rows[(rows["area_code"] == area_code) & (rows["occupation_code"] == occupation)]
    return float(row[column].iloc[0])


def ep_row(code: str) -> pd.Series:
    frame = ep.parse_workbook(DATA / "ep" / "occupation_2024-34.xlsx", kind="projections")
    return frame[frame["occupation_code"] == code].iloc[0]


def outlook_frames(code: str, area: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    occ, where = rt.occupation(code), rt.area(area)
    wages = oews.load(occ.code)
    compared = rt.rows_for(wages, rt.comparison_codes(where))
    growth, _, _ = rt.outlook_rows(occ.code, where)
    return compared, growth


def test_outlook_summary_states_the_published_figures() -> None:
    compared, growth = outlook_frames("29-2072", "OH")
    text = " ".join(summary.outlook_summary(compared, growth))
    ohio = published("3900000", "29-2072", "annual_median")
    nation = published("0000000", "29-2072", "annual_median")
    assert (ohio, nation) == (50990.0, 51140.0)
    row = ep_row("29-2072")
    assert (
        f"Medical records specialists in Ohio earned a median of ${ohio:,.0f} a year in May 2025, "
        f"about the same as the national median (${nation:,.0f})." in text
    )
    assert (
        f"Employment nationwide is projected to grow {row['percent_change']:.1f}% from 2024 to "
        f"2034, much faster than average, with about {row['openings_annual']:,.0f} openings a year."
        in text
    )
    assert "The typical entry-level education is a postsecondary nondegree award." in text
    p25, p75 = (published("3900000", "29-2072", c) for c in ("annual_p25", "annual_p75"))
    assert f"between ${p25:,.0f} and ${p75:,.0f}" in text
    # offline there is no state projection: said, not guessed, and not as if Ohio had none
    assert "Ohio's own projection is not in this report." in text
    assert "available" not in text
    assert 3 <= len(summary.outlook_summary(compared, growth)) <= 6


def test_outlook_summary_of_a_metro_names_its_state_and_the_comparison() -> None:
    compared, growth = outlook_frames("29-2072", "Columbus, OH")
    sentences = summary.outlook_summary(compared, growth)
    assert sentences[0].startswith("Medical records specialists in Columbus, OH earned a median of")
    assert "Ohio's own projection is not in this report." in sentences


def test_missing_figures_are_said_or_left_out() -> None:
    compared, _ = outlook_frames("29-2072", "OH")
    blank = compared.copy()
    for column in ("annual_median", "annual_p25", "employment"):
        blank.loc[0, column] = float("nan")
    sentences = summary.outlook_summary(blank, None)
    assert sentences[0] == (
        "BLS did not publish a median wage for medical records specialists in Ohio in May 2025."
    )
    assert not any("middle half" in s or "people worked" in s for s in sentences)
    assert sentences[-1] == "No employment projection could be had for this report."
    assert not any("$" in s for s in sentences)


def test_top_coded_median_reads_at_least() -> None:
    """May 2025 has no top-coded median at state level; a row is marked as BLS marks one
    (value = the bound, flag set) to check the wording."""
    compared, _ = outlook_frames("29-1141", "OH")
    assert compared["area_code"].tolist() == ["3900000", "0000000"]
    nation = compared.loc[1, "annual_median"]
    compared.loc[0, ["annual_median", "is_topcoded_annual_median"]] = [239200.0, True]
    first = summary.outlook_summary(compared)[0]
    assert "in Ohio earned a median of at least $239,200 a year" in first
    assert "about the same" not in first and "above" not in first  # no ratio of a bound
    assert first.endswith(f"; the national median was ${nation:,.0f}.")


def test_regional_summary_on_a_soc_group() -> None:
    where = rt.area("OH")
    _, members = rt.occupation_list("29-0000")
    wages = oews.load([o.code for o in members], [where.code, "US"])
    table = rt.regional_table(wages, where, members)
    sentences = summary.regional_summary(table, "Ohio", release="May 2025")
    paid = table["annual_median"].notna().sum()
    assert sentences[0] == (
        f"BLS published a median wage in Ohio in May 2025 for {paid} of the {len(table)} "
        "occupations in this report."
    )
    low = table.loc[table["annual_median"].idxmin()]
    assert (
        f"from ${low['annual_median']:,.0f} ({summary.plain_title(low['occupation_title'])})"
        in (sentences[1])
    )
    nurses = table.set_index("occupation_code").loc["29-1141", "employment"]  # the table's own
    assert any(f"registered nurses, employed about {nurses:,.0f} people" in s for s in sentences)
    unpublished = int((table["employment"].isna() & table["annual_median"].isna()).sum())
    assert sentences[-1].startswith(f"BLS did not publish {unpublished} occupations")
    # every occupation without a median is accounted for: unpublished, or employment only
    withheld = int((table["employment"].notna() & table["annual_median"].isna()).sum())
    assert unpublished + withheld == len(table) - paid
    assert (
        f"published employment but no median wage for {withheld} more occupation" in (sentences[-1])
    )
    assert 3 <= len(sentences) <= 6


def test_growth_summary_names_fastest_and_most_openings() -> None:
    table, notes, _ = rt.group_outlook("29-0000", rt.area("US"))
    sentences = summary.growth_summary(
        table, "Healthcare Practitioners and Technical Occupations", notes=notes
    )
    frame = projections.load()
    group = frame[frame["occupation_code"].str.startswith("29-")]
    fastest = group.loc[group["percent_change"].idxmax()]
    most = group.loc[group["openings_annual"].idxmax()]
    text = " ".join(sentences)
    assert f"({fastest['percent_change']:+.1f}%)" in text
    assert summary.plain_title(fastest["occupation_title"]).lower() in text.lower()
    assert f"about {most['openings_annual']:,.0f} a year" in text
    assert "BLS Employment Projections 2024-34 (national)" in text
    assert 3 <= len(sentences) <= 6
    # counts in plain words: every 29- occupation of EP 2024-34 grows, so no "0 to decline"
    listed = group[group["occupation_code"].isin(table["occupation_code"])]
    assert (listed["percent_change"] > 0).all()
    assert f"All {len(table)} are projected to grow over 2024-34." in text
    assert " 0 " not in f" {text} "
    # the pay named is the table's OEWS "Median annual", said as an annual wage
    pay = table.loc[table["openings_annual"].idxmax(), "annual_median"]
    assert f"with a median annual wage of ${pay:,.0f} nationwide" in text


def test_direction_sentence_names_only_counts_that_are_not_zero() -> None:
    change = pd.Series([5.0, -2.0, 0.0, 3.0, float("nan")])
    assert summary._direction_sentence(change, " over 2024-34") == (
        "2 are projected to grow, 1 to decline and 1 to stay about the same over 2024-34."
    )
    assert summary._direction_sentence(pd.Series([-1.0]), "") == (
        "The one occupation is projected to decline."
    )
    assert summary._direction_sentence(pd.Series([float("nan")]), "") == ""


@pytest.mark.parametrize(
    ("category", "phrase"),
    [
        ("Postsecondary nondegree award", "a postsecondary nondegree award"),
        ("Associate's degree", "an associate's degree"),
        ("No formal educational credential", "no formal educational credential"),
        ("Some college, no degree", "some college, no degree"),
    ],
)
def test_education_phrase(category: str, phrase: str) -> None:
    assert summary.education_phrase(category) == phrase


def test_outlook_reads_the_state_projections_once(monkeypatch) -> None:
    """Offline with no Ohio projections cached: one read of them, recorded as the gap on
    the outlook itself (``Outlook.unavailable``), and only the nation's row is shown."""
    from marketdata.analysis import growth
    from marketdata.core.errors import OfflineError

    calls: list[str] = []
    real = state_projections.state_projections

    def counted(state, **kwargs):
        calls.append(str(state))
        return real(state, **kwargs)

    monkeypatch.setattr(state_projections, "state_projections", counted)
    table, _, missing = rt.outlook_rows("29-2072", rt.area("OH"))
    assert len(calls) == 1, calls
    assert [type(e) for e in missing] == [OfflineError]
    assert list(table["area_name"]) == ["United States"]
    fallback = growth.outlook("29-2072", "OH")
    assert isinstance(fallback.unavailable, OfflineError)
    assert fallback.area == "US" and "these are national projections" in fallback.notes[0]
    assert growth.outlook("29-2072", "US").unavailable is None
    assert "unavailable" not in fallback.to_frame().columns

"""The career brief, built as the outlook notebook builds it, offline on the bundled data
(OEWS May 2025, EP 2024-34, CPS table 54 of 2023, ORS 2020), and rendered without a browser."""

from __future__ import annotations

import html
import re
import warnings

import pandas as pd
import pytest
import textstat
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from marketdata.analysis import pathways, salary
from marketdata.core.errors import OfflineDataWarning
from marketdata.core.formatting import format_value
from marketdata.datasets import oews, onet_profile
from marketdata.reports import brief, brief_html, brief_notes, kit
from marketdata.reports import tables as rt
from marketdata.reports.pdf import brief_page
from marketdata.reports.summary import plain_title

FK_GRADE = 10


@pytest.fixture
def ohio() -> dict:
    """What the outlook notebook gathers for 29-2072 in Ohio, offline."""
    occ, where = rt.occupation("29-2072"), rt.area("OH")
    with pytest.warns(OfflineDataWarning):
        wages = oews.load(occ.code, release="latest")
    compared = rt.rows_for(wages, rt.comparison_codes(where))
    national, _ = rt.try_outlook(occ.code)
    growth, _, missing = rt.outlook_rows(occ.code, where)
    certification, cert_error = rt.certification_for(wages)
    bands = salary.breakdown(
        occ.code,
        list(compared["area_code"]),
        data=wages,
        certification=certification,
        what_it_takes=False,
    )
    required, _ = rt.credential_table(occ.code)
    return {
        "compared": compared,
        "wages": wages,
        "growth": growth,
        "national": national,
        "bands": bands,
        "required": required,
        "errors": [("Projected growth and openings", e) for e in missing]
        + [("Pay with a certification, by occupation group", cert_error)],
    }


def test_ohio_brief_answers_in_the_tables_words(ohio: dict) -> None:
    facts = brief.build(
        ohio["compared"],
        ohio["wages"],
        growth=ohio["growth"],
        national=ohio["national"],
        bands=ohio["bands"],
        required=ohio["required"],
        errors=ohio["errors"],
        provenance=ohio["wages"].attrs["provenance"],
        offline=True,
    )
    row = ohio["compared"].iloc[0]
    assert row["area_name"] == "Ohio"
    # pay here, as the tables write it, with the nation beside
    assert facts.pay.year == format_value(row["annual_median"], "annual_median") == "$50,990"
    assert facts.pay.hour == format_value(row["hourly_median"], "hourly_median")
    assert facts.pay.start == "$38,060 to $45,500"  # 10th to 25th percentile
    assert facts.pay.experienced == "$63,510 to $79,290"  # 75th to 90th percentile
    assert facts.pay.nation_year == "$51,140"
    # the best-paying metros whose main state is Ohio, with at least 100 jobs each
    metros = ohio["wages"][
        (ohio["wages"]["area_type"] == "metro")
        & (ohio["wages"]["state_code"] == "39")
        & (ohio["wages"]["employment"] >= brief.MIN_JOBS)
    ].sort_values("annual_median", ascending=False)
    assert [p.name for p in facts.places] == list(metros["area_name"].head(3))
    assert facts.places[0] == brief.Place("Cleveland, OH", "$61,950", "1,810")
    # with and without a certification, side by side, each rounded to $100
    cert = facts.certification
    band = ohio["bands"].iloc[0]
    middle = (band["cert_only_annual_low"] + band["cert_only_annual_high"]) / 2
    assert cert.with_ == f"${round(middle / 100) * 100:,.0f}"
    assert re.fullmatch(r"\$\d\d,\d00", cert.without)
    assert float(cert.without[1:].replace(",", "")) < row["annual_median"] < middle
    assert cert.required == "About 1 in 4 jobs in this field require a certification."
    assert "with the same schooling" in cert.basis and "not a promise" in cert.basis
    # jobs: the nation's forecast, said to be the nation's in the same sentence as why
    # Ohio's is missing
    assert facts.jobs.employed == "About 7,440 people work in this job in Ohio."
    assert facts.jobs.outlook == (
        "In the nation as a whole, jobs should grow 7.1% from 2024 to 2034, with about 14,200 "
        "openings a year; Ohio's own forecast is not downloaded yet: "
        "`marketdata fetch --state OH`."
    )
    assert facts.takes.education == "A certificate from a program after high school"
    assert facts.sources.startswith("Sources: BLS wage survey (OEWS) May 2025")
    assert "Run `marketdata fetch --state OH` to add them." in facts.missing
    shown = brief_html.text(facts)
    assert "not available" not in shown.lower()
    assert "credential" not in shown.lower()  # one word for one thing
    # reading level of the brief's sentences
    grade = textstat.flesch_kincaid_grade(" ".join(facts.sentences()))
    assert grade <= FK_GRADE, (grade, facts.sentences())


def test_optional_sections_render_only_when_given(ohio: dict) -> None:
    facts = brief.build(ohio["compared"], ohio["wages"], growth=ohio["growth"])
    page = brief_html.html(facts)
    assert "What the job is" not in page and "Where it can lead" not in page
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        profile = onet_profile.profile("29-2072")
        paths = pathways.pathways("29-2072", "OH")
    page = brief_html.html(
        brief.build(ohio["compared"], ohio["wages"], profile=profile, pathways=paths)
    )
    # everyday names workers report, not the credential-named titles beside the certification
    assert "Also called: Health Information Technician, Medical Records Clerk, Medical " in page
    assert "Also called: Certified" not in page
    shown = [html.escape(task) in page for task in profile.tasks[:3]]
    assert shown == [True, True, False] and "Job Zone 3" in page  # two core tasks
    assert page.count("CC BY 4.0") == 1  # the attribution O*NET asks for, once
    first = paths.iloc[0]  # the closest next step, with its median in Ohio as BLS publishes it
    pay = format_value(first["annual_median"], "annual_median")
    assert f"{plain_title(first['onet_title'])}: {pay} a year" in page
    # and its growth, with whose forecast it is (offline: the nation's, the bundled EP)
    growth = format_value(first["percent_change"], "percent_change").lstrip("+")
    assert f"a year (pays more); {growth} more jobs</li>" in page
    assert "Growth is the change in jobs projected over ten years (the nation&#x27;s forecast)" in (
        page
    )
    assert "larger group" not in page  # the first five are SOC occupations themselves
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        nurses = pathways.pathways("29-1141", "OH")  # O*NET detail under 29-1141 among them
    text = brief_html.text(brief.build(ohio["compared"], ohio["wages"], pathways=nurses))
    assert (
        "Acute care nurses: $82,510 a year; 4.9% more jobs "
        "(figures for the larger group: Registered nurses)"
    ) in text.splitlines()
    alone = brief_html.html(brief.build(ohio["compared"], ohio["wages"], pathways=paths))
    paths_card = alone[alone.index("Where it can lead") :]
    assert paths.attrs["attribution"] in paths_card  # no profile card: the pathways say it


def test_the_brief_puts_onet_in_the_sources_and_the_about_box(ohio: dict, tmp_path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        profile = onet_profile.profile("29-2072")
        paths = pathways.pathways("29-2072", "OH")
    InteractiveShell.instance()  # the kit displays through IPython
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.start()
        kit.show_brief(
            ohio["compared"], ohio["wages"], growth=ohio["growth"], profile=profile, pathways=paths
        )
        kit.show_about()
    recorded = pd.read_csv(tmp_path / "tables" / "provenance.csv")
    onet_files = recorded.loc[recorded["program"] == "O*NET", "source_url"].str.split("#").str[1]
    assert {"Related Occupations.txt", "Task Statements.txt", "Occupation Data.txt"} <= set(
        onet_files
    )
    text = (tmp_path / "brief.txt").read_text()
    assert "O*NET 30.1; data retrieved" in text  # the brief's sources line
    box = "".join(o.data.get("text/html", "") for o in captured.outputs)
    box = box[box.index('<aside class="md-about"') :]
    assert "O*NET 30.1: bundled with marketdata" in box
    assert "O*NET (U.S. Department of Labor)" in box
    assert box.count("Used under the CC BY 4.0 license.") == 1


def test_a_user_factor_is_shown_under_its_own_label(ohio: dict, tmp_path) -> None:
    factors = tmp_path / "factors.csv"
    factors.write_text(
        "credential,occupation_code,factor_low,factor_high,citation\n"
        'CPC,29-2072,1.10,1.10,"A certifying body, salary survey, 2025"\n'
    )
    bands = salary.breakdown(
        "29-2072", ["3900000"], data=ohio["wages"], user_factors=factors, what_it_takes=False
    )
    cert = brief.certification_of(bands, None, "Ohio")
    assert cert.own == (("CPC (from your file, not BLS)", "$56,100"),)  # 50,990 x 1.10
    assert "CPC (from your file, not BLS)" in brief_html.html(
        brief.build(ohio["compared"], ohio["wages"], bands=bands)
    )


def test_state_forecast_missing_online_or_not_published() -> None:
    here = pd.Series({"area_name": "Ohio", "employment": 7440.0})
    growth = pd.DataFrame(
        {
            "area": ["US"],
            "area_name": ["United States"],
            "percent_change": [-2.0],
            "base_year": ["2024"],
            "projected_year": ["2034"],
            "openings_annual": [900.0],
        }
    )
    none = brief.jobs_of(here, growth, "OH")
    assert none.outlook.endswith("; Ohio publishes no forecast for this job.")
    assert "shrink 2.0%" in none.outlook
    gap = brief_notes.gaps_of([("Projected growth", OSError("projections-central longterm-39"))])
    online = brief.jobs_of(here, growth, "OH", gap)
    assert (
        "could not be downloaded today: try `marketdata fetch --state OH` later" in online.outlook
    )


@pytest.mark.parametrize(
    ("share", "said"), [(26.3, "about 1 in 4"), (31.9, "about 1 in 3"), (62.0, "about 6 in 10")]
)
def test_share_as_people_say_it(share: float, said: str) -> None:
    assert brief.share_phrase(share) == said


def test_escaped_and_cut_to_a_page_of_its_own(ohio: dict) -> None:
    compared = ohio["compared"].copy()
    compared.loc[0, "occupation_title"] = "Coders <script>"
    page = brief_html.html(brief.build(compared, ohio["wages"]))
    assert "<script>" not in page and "&lt;script&gt;" in page
    whole = f"<html><head><style>x</style></head><body><h1>T</h1>{page}<p>details</p></body></html>"
    alone = brief_page(whole)
    assert alone.startswith("<html><head><style>x</style>") and "details" not in alone
    assert 'class="md-brief"' in alone and alone.endswith("</main></body></html>")


def test_a_missing_figure_is_said_missing(ohio: dict) -> None:
    compared = ohio["compared"].copy()
    compared.loc[0, ["annual_median", "hourly_median"]] = float("nan")
    bands = ohio["bands"].copy()
    bands.loc[bands.index[0], ["cert_only_annual_low", "cert_only_annual_high"]] = float("nan")
    facts = brief.build(compared, ohio["wages"], bands=bands)
    assert facts.pay.year is None and facts.pay_sentence() is None
    shown = brief_html.text(facts)
    assert "— (median): no figure" in shown
    assert "— with a certification (estimate): no figure" in shown
    assert "not published a year" not in shown

"""reports.kit: what notebooks display (escaped, formatted) and what they write (raw CSV, PNG)."""

from __future__ import annotations

import base64
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output
from matplotlib.figure import Figure

from marketdata.core.config import reset_settings
from marketdata.core.errors import (
    OfflineDataWarning,
    OfflineError,
    ReportError,
    SuppressedValuesWarning,
)
from marketdata.reports import kit

PROVENANCE = {
    "program": "OEWS",
    "release": "May 2025",
    "source_url": "https://download.bls.gov/pub/time.series/oe/oe.data.0.Current",
    "retrieved": "2026-09-26",
    "sha256": "09879508d69f51149842368c8953f13974338728329375481d485ee696d3370b",
    "added_by_hand": False,
    "bundled": True,
}


@pytest.fixture(autouse=True)
def shell() -> InteractiveShell:
    return InteractiveShell.instance()


def html_of(outputs) -> str:
    return "".join(o.data.get("text/html", "") for o in outputs)


def frame() -> pd.DataFrame:
    # BLS May 2025: 29-1211 Anesthesiologists, Alaska (median top-coded) and Illinois (not released)
    df = pd.DataFrame(
        {
            "area_name": ["Alaska", "Illinois <script>alert(1)</script>"],
            "annual_median": [239200.0, np.nan],
            "is_topcoded_annual_median": [True, False],
            "hourly_median": [np.nan, np.nan],
            "employment": [120.0, np.nan],
        }
    )
    df.attrs["provenance"] = [PROVENANCE]
    return df


def test_show_table_writes_raw_values_and_displays_escaped_text(tmp_path: Path) -> None:
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_table(frame(), "anesthesiologists")
    html = html_of(captured.outputs)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "≥ $239,200" in html and "—" in html and "Median annual" in html
    assert "is_topcoded" not in html
    csv = pd.read_csv(tmp_path / "tables" / "anesthesiologists.csv")
    assert csv["annual_median"].iloc[0] == 239200
    assert bool(csv["is_topcoded_annual_median"].iloc[0]) is True
    assert pd.isna(csv["annual_median"].iloc[1])  # missing, never 0
    assert json.loads((tmp_path / kit.PROVENANCE_FILE).read_text()) == [PROVENANCE]


def test_show_figure_writes_the_png_it_displays(tmp_path: Path) -> None:
    fig = Figure()
    fig.add_subplot().set_title("Median annual wage by state")
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_figure(fig, "map")
    written = (tmp_path / "figures" / "map.png").read_bytes()
    shown = captured.outputs[0]
    assert base64.b64decode(shown.data["image/png"]) == written
    assert shown.metadata["image/png"]["alt"] == "Median annual wage by state"


def test_section_degrades_in_plain_words_and_records_why(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MARKETDATA_OFFLINE", "1")
    reset_settings()
    url = "https://download.bls.gov/pub/time.series/oe/oe.area"
    error = OfflineError(
        "industry-specific OEWS estimates are not bundled and BLS could not be reached "
        "(oe/oe.area is not in the cache and offline mode is on)",
        url=url,
    )
    with kit.writing_to(tmp_path), capture_output() as captured:
        with kit.section("Industries that employ it"):
            raise error
        with kit.section("Quick facts"):
            kit.show_note("fine")
    html = html_of(captured.outputs)
    assert (
        "Not downloaded yet: industry detail from BLS&#x27;s full OEWS files (not in the "
        "bundled data)." in html
    )
    assert "not in the cache" not in html and "http" not in html and "OfflineError" not in html
    assert "fine" in html
    [record] = json.loads((tmp_path / kit.SECTIONS_FILE).read_text())
    assert record["section"] == "Industries that employ it"
    assert record["reason"] == " ".join(str(error).split())  # the technical detail, kept
    assert (record["error"], record["url"], record["needs"]) == ("OfflineError", url, "oews")
    assert record["command"] == "marketdata fetch"


def test_summary_missing_parts_and_the_about_box(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MARKETDATA_OFFLINE", "1")
    reset_settings()
    error = OfflineError(
        "projections-central/longterm-39.json is not in the cache and offline mode is on",
        url="https://public.projectionscentral.org/Projections/LongTermRestJson/39",
    )
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.start()
        kit.show_summary(["Ohio pays about what the nation pays.", "It grows."])
        kit.show_table(frame(), "t")
        kit.show_missing("Projected growth and openings", error)
        kit.show_about()
    html = html_of(captured.outputs)
    assert '<section class="md-summary"' in html
    assert "Ohio pays about what the nation pays. It grows." in html
    box = html[html.index('<aside class="md-about"') :]
    assert "OEWS May 2025: bundled with marketdata (BLS&#x27;s files retrieved 2026-09-26)." in box
    assert "needs Ohio&#x27;s long-term projections (Projections Central)" in box
    assert "<code>marketdata fetch --state OH</code>" in box
    assert "http" not in box and "sha256" not in box.lower()
    record = json.loads((tmp_path / kit.SUMMARY_FILE).read_text())
    assert record["summary"] == ["Ohio pays about what the nation pays.", "It grows."]
    provenance = pd.read_csv(tmp_path / "tables" / "provenance.csv")
    assert provenance["source_url"].tolist() == [PROVENANCE["source_url"]]  # kept in the CSV


def test_tables_scroll_in_their_own_box_and_codes_do_not_wrap(tmp_path: Path) -> None:
    df = pd.DataFrame(
        {
            "occupation_code": ["29-1123"],
            "occupation_title": ["Physical therapists"],
            "employment": [9870.0],
        }
    )
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_table(df, "codes")
    html = html_of(captured.outputs)
    assert html.startswith('<div class="md-scroll"')
    assert '<td class="md-code">29-1123</td>' in html
    assert '<td class="md-num">9,870</td>' in html
    assert '<td class="md-text">Physical therapists</td>' in html
    assert "<thead>" in html  # repeated on every printed page


def test_credential_columns_read_as_money_and_ratios(tmp_path: Path) -> None:
    """Estimates and CPS factors as the other figures read: no raw floats in a table."""
    df = pd.DataFrame(
        {
            "cert_only_factor_low": [1.2458286985539488],
            "cert_only_annual_high": [63532.62096774193],
            "edu_cert_annual_low": [np.nan],
            "user_cpc_annual_low": [53539.5],
            "user_cpc_factor_high": [1.12],
            "rpp": [100.0],
            "share": [31.9],
        }
    )
    with kit.writing_to(tmp_path), capture_output() as captured:
        kit.show_table(df, "credentials")
    html = html_of(captured.outputs)
    # estimates to the $100 the report's text gives; a price parity to one decimal
    for shown in ("1.25", "$63,500", "$53,500", "1.12", "100.0", "31.9"):
        assert shown in html, shown
    assert "1.2458" not in html and "63532.6" not in html and "$63,533" not in html
    # a column with no value in any row says nothing: left off the page, kept in the CSV
    assert "By entry education" not in html and "—" not in html
    csv = (tmp_path / "tables" / "credentials.csv").read_text()
    assert "63532.62096774193" in csv and "edu_cert_annual_low" in csv


def test_section_lets_bugs_through(tmp_path: Path) -> None:
    with (
        kit.writing_to(tmp_path),
        capture_output(),
        pytest.raises(KeyError),
        kit.section("Quick facts"),
    ):
        raise KeyError("a bug is not 'not available'")


def test_package_warnings_become_one_note_each(tmp_path: Path) -> None:
    previous = warnings.showwarning
    try:
        with kit.writing_to(tmp_path), capture_output() as captured:
            kit.start()
            for _ in range(2):
                warnings.warn("3 values not released", SuppressedValuesWarning, stacklevel=1)
                warnings.warn("using the bundled snapshot", OfflineDataWarning, stacklevel=1)
    finally:
        warnings.showwarning = previous
    html = html_of(captured.outputs)
    assert html.count("3 values not released") == 1
    assert "bundled snapshot" not in html  # said once, in the About box


def test_without_a_folder_it_only_displays(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv(kit.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    with capture_output() as captured:
        kit.show_table(frame(), "t")
    assert kit.output_dir() is None
    assert captured.outputs and list(tmp_path.iterdir()) == []


def test_names_are_checked(tmp_path: Path) -> None:
    with kit.writing_to(tmp_path), pytest.raises(ReportError, match="lowercase"):
        kit.show_table(frame(), "../escape")


def test_a_file_is_noted_once_whatever_its_note_says(tmp_path: Path) -> None:
    """Two loads of one bundled file, the second told the server could not be reached
    moments ago: one provenance record, the first; another file is a record of its own."""
    first = dict(PROVENANCE, note="could not reach download.bls.gov (host name not resolved)")
    again = dict(
        first, note="could not reach download.bls.gov (it could not be reached moments ago)"
    )
    other = dict(PROVENANCE, source_url=PROVENANCE["source_url"].replace("Current", "Other"))
    with kit.writing_to(tmp_path):
        kit.record_provenance([first], [again, other], [first])
        assert kit.provenance()["source_url"].tolist() == [first["source_url"], other["source_url"]]
    assert json.loads((tmp_path / kit.PROVENANCE_FILE).read_text()) == [first, other]

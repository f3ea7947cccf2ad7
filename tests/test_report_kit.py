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

from marketdata.errors import OfflineDataWarning, OfflineError, ReportError
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


def test_section_degrades_and_records_why(tmp_path: Path) -> None:
    with kit.writing_to(tmp_path), capture_output() as captured:
        with kit.section("Industries that employ it"):
            raise OfflineError("industry-specific OEWS estimates are not bundled")
        with kit.section("Quick facts"):
            kit.show_note("fine")
    html = html_of(captured.outputs)
    assert "Not available: industries that employ it — industry-specific" in html
    assert "fine" in html
    records = json.loads((tmp_path / kit.SECTIONS_FILE).read_text())
    assert records == [
        {
            "section": "Industries that employ it",
            "reason": "industry-specific OEWS estimates are not bundled",
            "error": "OfflineError",
        }
    ]


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
                warnings.warn("using the bundled snapshot", OfflineDataWarning, stacklevel=1)
    finally:
        warnings.showwarning = previous
    assert html_of(captured.outputs).count("using the bundled snapshot") == 1


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

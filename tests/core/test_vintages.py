"""Publication schedules: which vintage should exist on a given day, the one line that says a
bundled vintage is behind, and the 2025-35 layout of EP's workbook (built in the test from the
2024-34 slice, tests/data/ep, with the 2025-35 headers)."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from marketdata.core import vintages
from marketdata.core.config import Settings
from marketdata.core.errors import OfflineDataWarning
from marketdata.datasets import oews, projections
from marketdata.reports import about
from marketdata.sources import ep
from tests.bls_server import BLSServer

WB_2024 = Path(__file__).parents[1] / "data" / "ep" / "occupation_2024-34.xlsx"
DECEMBER_2026 = date(2026, 12, 7)
#: Table 1.2's headers in the 2025-35 round.
HEADERS_2025 = (
    "2025 National Employment Matrix code",
    "Employment, 2025",
    "Employment, 2035",
    "Employment change, percent, 2025–35",
    "Occupational openings, 2025–35 annual average",
)


def test_expected_vintages_follow_the_schedule() -> None:
    assert vintages.expected("OEWS", today=date(2026, 3, 1)) == "May 2024"
    assert vintages.expected("OEWS", today=DECEMBER_2026) == "May 2025"
    assert vintages.expected("EP", today=date(2026, 8, 1)) == "2024-34"
    assert vintages.expected("EP", today=DECEMBER_2026) == "2025-35"
    assert vintages.expected("O*NET", today=date(2026, 6, 1)) == "30.0"
    assert vintages.expected("O*NET", today=DECEMBER_2026) == "31.0"
    assert vintages.expected("BEA", today=DECEMBER_2026) is None


def test_one_line_when_behind() -> None:
    line = vintages.behind("EP", "2024-34", today=DECEMBER_2026)
    assert line is not None and "\n" not in line
    assert line.startswith("EP 2025-35 should be out by now")
    assert "this uses 2024-34" in line and "`marketdata fetch`" in line
    assert vintages.behind("EP", "2025-35", today=DECEMBER_2026) is None
    assert vintages.behind("EP", "2024-34", today=date(2026, 6, 1)) is None
    assert vintages.behind("OEWS", "May 2025", today=DECEMBER_2026) is None
    assert "May 2026" in vintages.behind("OEWS", "May 2025", today=date(2027, 6, 1))
    assert "31.0" in vintages.behind("O*NET", "30.1", today=DECEMBER_2026)
    assert vintages.behind("O*NET", "31.0", today=DECEMBER_2026) is None


def _bundled_provenance() -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        frames = [oews.load("29-2072", "OH"), projections.load()]
    return [p for f in frames for p in f.attrs["provenance"]]


def test_about_box_says_the_bundled_round_is_behind() -> None:
    records = _bundled_provenance()
    box = about.about(records, [], offline=True, today=DECEMBER_2026)
    lines = box.lines()
    behind = [line for line in lines if "should be out by now" in line]
    assert behind == [vintages.behind("EP", "2024-34", today=DECEMBER_2026)]
    assert lines.index(behind[0]) == len(box.sources)  # after the sources
    assert lines[-1] == "Every section of this report was filled."
    assert "EP 2025-35 should be out by now" in box.html()
    in_june = about.about(records, [], offline=True, today=date(2026, 6, 1))
    assert not [line for line in in_june.lines() if "should be out" in line]
    assert vintages.notes(records, today=DECEMBER_2026) == behind


def _workbook_2025(path: Path) -> Path:
    """The 2024-34 slice with every year moved on by one, as BLS labels the 2025-35 round."""
    book = openpyxl.load_workbook(WB_2024)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    text = cell.value.replace("2034", "2035").replace("2024", "2025")
                    cell.value = text.replace("–34", "–35")
    book.save(path)
    return path


def test_workbook_2025_35_layout(tmp_path: Path) -> None:
    path = _workbook_2025(tmp_path / "occupation.xlsx")
    headers = next(openpyxl.load_workbook(path)["Table 1.2"].iter_rows(min_row=2, max_row=2))
    assert set(HEADERS_2025) <= {c.value for c in headers}
    new = ep.parse_workbook(path)
    old = ep.parse_workbook(WB_2024)
    assert set(new["release"]) == {"2025-35"}
    assert set(new["base_year"]) == {2025} and set(new["projected_year"]) == {2035}
    figures = ["employment_base", "employment_projected", "percent_change", "openings_annual"]
    pd.testing.assert_frame_equal(new[figures], old[figures])
    row = new.set_index("occupation_code").loc["29-2072"]
    assert (row["employment_base"], row["openings_annual"]) == (194800, 14200)


def test_loader_reads_the_2025_35_round_online(
    tmp_path: Path, bls_server: BLSServer, online_settings: Settings
) -> None:
    path = _workbook_2025(tmp_path / "occupation.xlsx")
    bls_server.add("/emp/ind-occ-matrix/occupation.xlsx", path)
    frame = projections.load(settings=online_settings)
    assert set(frame["release"]) == {"2025-35"}
    assert frame.attrs["provenance"][0]["release"] == "2025-35"
    assert vintages.notes(frame.attrs["provenance"], today=DECEMBER_2026) == []
    row = frame[frame["occupation_code"] == "29-2072"].iloc[0]
    assert row["percent_change"] == pytest.approx(7.1)


def test_cli_provenance_says_when_the_round_is_behind(capsys: pytest.CaptureFixture[str]) -> None:
    from marketdata.cli.commands import main

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        assert main(["growth", "29-2072"]) == 0
        records = projections.load().attrs["provenance"]
    said = [line for line in capsys.readouterr().out.splitlines() if "should be out" in line]
    assert said == vintages.notes(records)  # today: EP 2025-35 was due in September 2026

"""The ``marketdata`` command: wages, growth, cache and a report, offline on the bundled data."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from marketdata.cli.commands import main
from marketdata.datasets import oews
from tests.conftest import DATA


def test_wages_prints_bls_figures_and_the_source(capsys: pytest.CaptureFixture[str]):
    assert main(["wages", "292072", "--area", "Columbus, OH"]) == 0
    out = capsys.readouterr().out
    assert "29-2072 Medical Records Specialists, May 2025" in out
    national = next(line for line in out.splitlines() if line.strip().startswith("National"))
    assert "194,720" in national
    assert "$51,140" in national
    ohio = next(line for line in out.splitlines() if line.strip().startswith("Ohio"))
    assert "7,440" in ohio
    assert "$50,990" in ohio
    assert "Source: BLS OEWS May 2025 (bundled snapshot)" in out


def test_unknown_code_is_one_clear_error(capsys: pytest.CaptureFixture[str]):
    assert main(["wages", "29-2079", "--area", "OH"]) == 2
    err = capsys.readouterr().err
    assert "unknown SOC occupation code: '29-2079'" in err
    assert "29-2072 Medical Records Specialists" in err
    assert "Traceback" not in err


def test_growth_offline_uses_the_bundled_projections(capsys: pytest.CaptureFixture[str]):
    assert main(["growth", "29-2072"]) == 0
    out = capsys.readouterr().out
    assert "194,800 -> 208,600 (+7.1%, much faster than average)" in out
    assert "Openings per year: 14,200" in out
    assert "Postsecondary nondegree award" in out


def test_cache_add_recognises_a_file_saved_by_hand(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    saved = tmp_path / "oe.footnote"
    saved.write_bytes((DATA / "http" / "oe.footnote").read_bytes())
    assert main(["cache", "add", str(saved)]) == 0
    assert "added" in capsys.readouterr().out
    assert main(["cache", "info"]) == 0
    info = capsys.readouterr().out
    assert "oe/oe.footnote" in info
    assert "(added by hand)" in info
    assert main(["cache", "verify"]) == 0
    assert "1 files checked, 0 damaged" in capsys.readouterr().out


def test_cache_add_refuses_an_unknown_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    saved = tmp_path / "notes.txt"
    saved.write_text("not a BLS file")
    assert main(["cache", "add", str(saved)]) == 2
    assert "not a BLS file that marketdata knows" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("source", "expected_key"),
    [
        (DATA / "oe" / "oe.area", "oe/oe.area"),
        (DATA / "cps" / "cpsaat39_2025.xlsx", "cps/aa2025/cpsaat39.xlsx"),
        (DATA / "ep" / "occupation_2024-34.xlsx", "ep/occupation_2024-34.xlsx"),
    ],
)
def test_cache_add_knows_each_source(
    source: Path, expected_key: str, capsys: pytest.CaptureFixture[str]
):
    assert main(["cache", "add", str(source)]) == 0
    assert f"({expected_key}, sha256" in capsys.readouterr().out


def test_cache_add_knows_archive_zips(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    zips = sorted((DATA / "oews_archive").rglob("oesm18nat.zip"))
    assert zips, "the test data hold the May 2018 national archive slice"
    assert main(["cache", "add", str(zips[0])]) == 0
    assert "(oews-archive/oesm18nat.zip, sha256" in capsys.readouterr().out


def test_cache_add_asks_for_the_year_of_an_undated_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    undated = tmp_path / "cpsaat11.xlsx"
    undated.write_bytes((DATA / "cps" / "cpsaat11_2021.xlsx").read_bytes())
    assert main(["cache", "add", str(undated)]) == 2
    assert "cpsaatNN_YYYY.xlsx" in capsys.readouterr().err
    assert main(["cache", "add", str(DATA / "cps" / "cpsaat11_2021.xlsx")]) == 0
    assert "(cps/aa2021/cpsaat11.xlsx, sha256" in capsys.readouterr().out


def test_report_says_its_answer_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    args = ["report", "occupation_outlook", "--occupation", "29-2072", "--area", "OH"]
    assert main([*args, "--output-dir", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    ohio = oews.load("29-2072", "OH").iloc[0]
    median = f"${ohio['annual_median']:,.0f}"
    assert lines[0].startswith("Medical records specialists in Ohio earned a median of " + median)
    assert lines[-1].startswith("Report written to ")
    assert lines.index("") < next(i for i, line in enumerate(lines) if "bundled" in line)
    # the report ran without cyclic garbage collection, which is back for the caller
    assert gc.isenabled()

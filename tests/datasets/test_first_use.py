"""``marketdata salary`` and ``report rerun`` as a new user meets them, offline: "what it
takes" from the bundled Employment Projections round, clear messages for a file that is no
factors CSV or names other occupations only, and for a manifest that is no manifest."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from marketdata import reports
from marketdata.analysis import salary
from marketdata.cli.commands import main
from marketdata.core.errors import MarketdataWarning, ReportError, SourceFormatError

HEADER = "credential,occupation_code,factor_low,factor_high,citation\n"


def test_salary_offline_says_what_it_takes_from_the_bundled_round(
    capsys: pytest.CaptureFixture[str],
):
    assert main(["salary", "29-2072", "OH", "--no-certification"]) == 0
    out = capsys.readouterr().out
    assert "What it takes (BLS Employment Projections 2024-34, national): " in out
    assert "typical entry education: Postsecondary nondegree award" in out
    assert "EP data unavailable" not in out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = salary.breakdown("29-2072", ["OH"], certification=False)
    row = frame.iloc[0]
    assert (row["typical_education"], row["projections_release"]) == (
        "Postsecondary nondegree award",
        "2024-34",
    )
    assert "attainment table unavailable" in row["what_it_takes_note"]


def test_factors_file_that_is_no_csv_is_one_clean_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\n" * 3 + "a,b,c,d\n")
    assert main(["salary", "29-2072", "OH", "--factors", str(passwd)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "\\n)" not in err and "C error" not in err and "tokenizing" not in err
    assert f"{passwd}, line 4: not a CSV of credential factors" in err
    assert HEADER.strip() in err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(SourceFormatError, match="the file is empty"):
        salary.read_user_factors(empty)


def test_factors_naming_only_other_occupations_warn(tmp_path: Path):
    path = tmp_path / "factors.csv"
    path.write_text(HEADER + "RN,29-1141,1.0,1.1,a survey\nRHIA,29-9021,1.05,1.1,another\n")
    with pytest.warns(MarketdataWarning, match=r"no credential factor for 29-2072 \(it lists "
                      r"29-1141, 29-9021\)"):  # fmt: skip
        frame = salary.breakdown("29-2072", ["US"], certification=False, user_factors=path)
    assert not any(c.startswith("user_") for c in frame.columns)


@pytest.mark.parametrize("text", ["{}", "[]", '{"report": "occupation_outlook"}', "not json"])
def test_rerun_of_something_that_is_no_manifest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
):
    path = tmp_path / "manifest.json"
    path.write_text(text)
    assert main(["report", "rerun", str(path)]) == 2
    err = capsys.readouterr().err
    assert "KeyError" not in err and "Traceback" not in err
    assert "not a report manifest" in err
    assert "outputs/<report>/<slug>/manifest.json" in err
    with pytest.raises(ReportError, match="not a report manifest"):
        reports.rerun(path)

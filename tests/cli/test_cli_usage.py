"""What a new user meets first: usage errors, bad paths, ``python -m marketdata``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from marketdata.cli.commands import main

ROOT = Path(__file__).resolve().parents[2]


def test_cache_add_without_a_path_prints_usage_and_exits_2(capsys: pytest.CaptureFixture[str]):
    assert main(["cache", "add"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: marketdata cache")
    assert "cache add needs the PATH" in err


def test_cache_info_with_a_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]):
    assert main(["cache", "info", "oe.area"]) == 2
    assert "takes no paths" in capsys.readouterr().err


@pytest.mark.parametrize("what", ["missing", "folder"])
def test_cache_add_of_a_missing_path_or_a_folder_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
):
    path = tmp_path / "nope.txt" if what == "missing" else tmp_path
    assert main(["cache", "add", str(path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert ("no such file" if what == "missing" else "is a folder") in err


def test_unknown_file_lists_accepted_kinds_in_plain_words(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    saved = tmp_path / "notes.txt"
    saved.write_text("not a BLS file")
    assert main(["cache", "add", str(saved)]) == 2
    err = capsys.readouterr().err
    for example in ("oe.data.0.Current", "oesm21nat.zip", "occupation.xlsx", "cpsaat11.xlsx"):
        assert f"e.g. {example}" in err
    assert "Parse" not in err  # no module docstrings
    assert "``" not in err


def test_python_dash_m_marketdata_runs_the_command():
    env = {"PYTHONPATH": str(ROOT), "MARKETDATA_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "marketdata", "--version"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("marketdata ")
    done = subprocess.run(
        [sys.executable, "-m", "marketdata", "cache", "add"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert "usage: marketdata cache" in done.stderr


def test_repeated_over_for_one_name_runs_every_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    argv = ["batch", "occupation_outlook", "--occupation", "29-2072", "--output-dir"]
    over = ["--over", "area=Atlantis", "--over", "area=Narnia,Lilliput"]
    assert main([*argv, str(tmp_path), *over]) == 1
    captured = capsys.readouterr()
    for name in ("Atlantis", "Narnia", "Lilliput"):
        assert f"error: area={name}: unknown OEWS area" in captured.err
    assert "3 reports (" in captured.out

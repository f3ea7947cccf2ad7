"""The command line where it meets trouble: a deleted working folder, a reader that goes away,
oversized arguments, options it does not know; and no process left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marketdata.cli.commands import main
from marketdata.cli.report_options import parameter_options
from marketdata.core.errors import ReportError
from marketdata.reports.usage import Parameter

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path) -> dict[str, str]:
    """This checkout, offline, a fresh cache; the variables of an ordinary user's shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MARKETDATA_", "CI"))}
    return {
        **env,
        "PYTHONPATH": str(ROOT),
        "MARKETDATA_OFFLINE": "1",
        "MARKETDATA_CACHE_DIR": str(tmp_path / "cache"),
    }


def test_report_from_a_deleted_working_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    argv = ["report", "occupation_outlook", "--occupation", "29-2072", "--area", "OH"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("marketdata: error: the working folder no longer exists"), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "give --output-dir a full path" in err
    assert not tmp_path.joinpath("gone").exists()


def test_output_cut_short_by_its_reader_ends_quietly(tmp_path: Path) -> None:
    """``marketdata wages ... | head -c 10``: the reader has gone when the command writes; the
    command says nothing of it and exits with status 1."""
    command = [sys.executable, "-m", "marketdata", "wages", "29-2072", "--area", "OH"]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line is written
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 1, err
    assert "Traceback" not in err and "BrokenPipe" not in err and "Broken pipe" not in err
    assert all(line.startswith("marketdata: OfflineDataWarning") for line in err.splitlines())


@pytest.mark.parametrize(
    "argv",
    [
        ["growth", "A" * 100_000],
        ["growth", "29-2072", "--area", "Ohio" * 250],
        ["wages", "29-2072", "--area", "x" * 100_000],
        ["report", "occupation_outlook", "--area", "Ohio" * 250],
        ["salary", "29-2072", "OH", "O" * 5_000],
    ],
    ids=["growth-100KB", "growth-area-1KB", "wages-area-100KB", "report-area-1KB", "salary-5KB"],
)
def test_oversized_argument_is_refused_before_any_lookup(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    assert main(argv) == 2
    seconds = time.monotonic() - started
    err = capsys.readouterr().err
    error = err.strip().splitlines()[-1]
    assert error.startswith("marketdata: error: ") and "characters long" in error, err
    assert len(err) < 400, "the input is echoed shortened"
    assert "…" in error
    assert seconds < 5, f"took {seconds:.1f} s: the argument was looked up"


def test_unknown_option_lists_the_valid_ones_close_match_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "occupation_outlook", "--ocupation", "29-2072"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: marketdata report occupation_outlook")
    error = err.splitlines()[-1]
    assert error.startswith("marketdata: error: no such option --ocupation. Did you mean --occ")
    assert (
        "Options: --area, --brief, --comparison-areas, --engine, --factors, --kernel, --occupation,"
        in error
    )
    assert main(["batch", "growth_explorer", "--top_m", "5"]) == 2
    error = capsys.readouterr().err.splitlines()[-1]
    assert "Did you mean --top-n?" in error and "--over" in error and "--workers" in error
    assert main(["wages", "29-2072", "--areas", "OH"]) == 2
    assert "Did you mean --area?" in capsys.readouterr().err


def test_report_options_take_both_spellings_and_the_runner_options_stay_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--soc_group`` and ``--soc-group`` are one parameter; ``--paper`` stays the runner's
    (a bad value is refused before the report runs, nothing written)."""
    argv = ["report", "growth_explorer", "--soc_group", "29-2072", "--output-dir", str(tmp_path)]
    assert main(argv) == 2
    assert "soc_group '29-2072' is the detailed occupation" in capsys.readouterr().err
    argv[2] = "--soc-group"
    assert main(argv) == 2
    assert "soc_group '29-2072' is the detailed occupation" in capsys.readouterr().err
    assert main([*argv[:4], "--paper", "a5", "--output-dir", str(tmp_path)]) == 2
    assert "paper 'a5'" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", ["paper", "engine", "output_dir", "over", "workers"])
def test_a_notebook_parameter_named_as_an_option_is_refused(name: str) -> None:
    """A notebook parameter called ``paper`` or ``engine`` would be taken for the runner's
    option: the command refuses to declare it instead."""
    clash = Parameter(name, "text", "x", "")
    with pytest.raises(ReportError, match=f"parameter '{name}', the name of an option"):
        parameter_options("occupation_outlook", [Parameter("area", "text", "US", ""), clash])


#: Runs ``marketdata ARGS`` as a child that this driver's process adopts the orphans of
#: (Linux's child subreaper), then lists every process of that child's tree still alive.
DRIVER = """
import ctypes, json, subprocess, sys, time
import psutil
PR_SET_CHILD_SUBREAPER = 36
assert ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
done = subprocess.run([sys.executable, "-m", "marketdata", *json.loads(sys.argv[1])],
                      capture_output=True, text=True)
time.sleep(1.0)  # a process started in the background has had time to detach
left = [{"pid": p.pid, "cmdline": p.cmdline()} for p in psutil.Process().children(recursive=True)]
for p in psutil.Process().children(recursive=True):
    p.kill()
print(json.dumps({"code": done.returncode, "stderr": done.stderr[-2000:], "left": left}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux's subreaper")
def test_no_process_outlives_a_report(tmp_path: Path) -> None:
    pytest.importorskip("psutil")
    args = ["report", "occupation_outlook", "--occupation", "29-2072", "--area", "OH"]
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps([*args, "--output-dir", str(tmp_path)])],
        capture_output=True,
        text=True,
        env=_env(tmp_path),
        cwd=tmp_path,
        timeout=300,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["code"] == 0, result["stderr"]
    assert result["left"] == [], f"still running after the command returned: {result['left']}"
    assert next(tmp_path.glob("occupation_outlook/*/report.html"))

"""A report's folder on the bundled May 2025 snapshot: made again, it keeps the user's own
files; a run killed mid-way leaves nothing the next run does not clean; a rerun manifest
with keys that are not parameters is one clear line; a folder name never repeats an area.

Reports run as users run them: ``marketdata report`` in its own process.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marketdata import reports
from marketdata.cli import commands as cli
from marketdata.cli.report_options import given, report_command
from marketdata.core.errors import ReportError
from marketdata.reports import usage

SLUG = "29-2072-ohio-may-2025"
NOTES = "# My notes\n\nAsk the counselor about the RHIT exam.\n"


def report(output: Path, cache: Path, *extra: str) -> subprocess.Popen:
    """``marketdata report occupation_outlook`` for 29-2072 in Ohio, offline, started."""
    env = {**os.environ, "MARKETDATA_CACHE_DIR": str(cache), "MARKETDATA_OFFLINE": "1"}
    command = [sys.executable, "-m", "marketdata", "report", "occupation_outlook"]
    command += ["--occupation", "29-2072", "--area", "OH", "--output-dir", str(output), *extra]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finished(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out, err


def scratch_folders(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*")) if folder.is_dir() else []


@pytest.fixture
def made(tmp_path: Path) -> Path:
    """A finished report folder, with the user's own files added to it."""
    code, _, err = finished(report(tmp_path / "outputs", tmp_path / "cache"))
    assert code == 0, err
    folder = tmp_path / "outputs" / "occupation_outlook" / SLUG
    assert (folder / "report.html").is_file()
    (folder / "notes.md").write_text(NOTES)
    (folder / "figures" / "my-annotated-chart.png").write_bytes(b"\x89PNG mine")
    (folder / "drafts").mkdir()
    (folder / "letter.txt").symlink_to(folder / "notes.md")
    return folder


def test_making_a_report_again_keeps_the_users_files(made: Path, tmp_path: Path) -> None:
    before = json.loads((made / "manifest.json").read_text())
    (made / "report.html").write_text("an old copy")  # the package's file: replaced
    code, _, err = finished(report(tmp_path / "outputs", tmp_path / "cache"))
    assert code == 0, err
    after = json.loads((made / "manifest.json").read_text())
    assert after["run_id"] != before["run_id"]  # a new report
    assert (made / "report.html").read_text() != "an old copy"
    assert (made / "notes.md").read_text() == NOTES
    assert (made / "figures" / "my-annotated-chart.png").read_bytes() == b"\x89PNG mine"
    assert (made / "drafts").is_dir()
    assert (made / "letter.txt").is_symlink()
    assert (made / "letter.txt").readlink() == made / "notes.md"
    mine = {"notes.md", "figures/my-annotated-chart.png", "letter.txt"}
    assert not mine & set(after["files"])  # never taken for the package's
    assert scratch_folders(made.parent) == []


def test_a_users_file_in_the_way_stops_the_run_and_changes_nothing(
    made: Path, tmp_path: Path
) -> None:
    (made / "manifest.json").unlink()  # nothing says which files marketdata wrote
    before = {p: p.read_bytes() for p in made.rglob("*") if p.is_file()}
    code, _, err = finished(report(tmp_path / "outputs", tmp_path / "cache"))
    assert code == 2
    assert err.count("\n") == 1, err
    assert f"not replacing {made / 'figures'}" in err or f"not replacing {made}" in err
    assert "has no manifest.json" in err and "Move or rename it" in err
    assert {p: p.read_bytes() for p in made.rglob("*") if p.is_file()} == before
    assert scratch_folders(made.parent) == []


def test_a_killed_report_leaves_nothing_after_the_next_run(tmp_path: Path) -> None:
    parent = tmp_path / "outputs" / "occupation_outlook"
    running = report(tmp_path / "outputs", tmp_path / "cache")
    deadline = time.monotonic() + 120
    while not scratch_folders(parent):
        assert running.poll() is None, running.communicate()
        assert time.monotonic() < deadline, "the report never started writing"
        time.sleep(0.02)
    running.send_signal(signal.SIGKILL)
    running.communicate()
    left = scratch_folders(parent)
    assert left and left[0].startswith(f".{SLUG}.") and left[0].endswith(".partial")
    code, _, err = finished(report(tmp_path / "outputs", tmp_path / "cache"))
    assert code == 0, err
    assert scratch_folders(parent) == []
    assert sorted(p.name for p in parent.iterdir()) == [SLUG]


def test_a_running_reports_scratch_folder_is_not_swept(tmp_path: Path) -> None:
    from marketdata.reports.folders import release, scratch, sweep

    target = tmp_path / "occupation_outlook" / SLUG
    busy = scratch(target, SLUG, "partial")
    (busy / "report.ipynb").write_text("{}")
    assert sweep(target.parent) == []
    assert (busy / "report.ipynb").is_file()
    release(busy)
    assert not busy.exists()
    (target.parent / ".not-ours.partial").mkdir()  # not a name marketdata gives: kept
    (target.parent / f".{SLUG}.abcd1234.partial").mkdir()
    assert [p.name for p in sweep(target.parent)] == [f".{SLUG}.abcd1234.partial"]
    assert (target.parent / ".not-ours.partial").is_dir()


@pytest.mark.parametrize("key", ["output_dir", "settings", "colour"])
def test_rerun_of_a_manifest_with_a_key_that_is_no_parameter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    manifest = tmp_path / "manifest.json"
    parameters = {"occupation": "29-2072", "area": "3900000", key: "/tmp/elsewhere"}
    manifest.write_text(json.dumps({"report": "occupation_outlook", "parameters": parameters}))
    with pytest.raises(ReportError, match=f"'{key}' is not a parameter of report"):
        reports.rerun(manifest)
    assert cli.main(["report", "rerun", str(manifest)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"'{key}'" in err and "Traceback" not in err, err


def test_an_area_is_named_once_in_the_folder_name() -> None:
    plan = reports.plan("occupation_outlook", area="OH", comparison_areas=["OH", "Ohio"])
    assert plan.slug == SLUG
    assert plan.parameters["comparison_areas"] == []
    plan = reports.plan(
        "occupation_outlook", area="OH", comparison_areas=["KY", "Kentucky", "Ohio", "21"]
    )
    assert plan.slug == "29-2072-ohio-kentucky-may-2025"
    assert plan.parameters["comparison_areas"] == ["2100000"]


def test_the_command_line_names_an_area_once() -> None:
    parameters = usage.parameters("occupation_outlook")
    command = report_command("occupation_outlook", parameters)
    args = ["--area", "OH", "--comparison-areas", "OH", "--comparison-areas", "Ohio"]
    ctx = command.make_context("occupation_outlook", args)
    plan = reports.plan("occupation_outlook", **given(parameters, ctx.params))
    assert plan.slug == SLUG

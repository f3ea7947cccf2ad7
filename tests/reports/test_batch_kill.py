"""A batch whose processes are really killed (``SIGKILL``), on the bundled May 2025 snapshot.

- one worker killed while both build reports: every report is still written (the lost one
  is built again on a fresh worker), no error row;
- the worker building one report killed each time it starts it: that report alone gets an
  error row after its second try, the others are written;
- the batch itself killed: none of its processes (fork server, workers, resource tracker)
  is left running, and the next run cleans the interrupted reports' scratch folders and
  finishes the batch.

Each batch runs in its own Python process, so that the test can kill it and count what it
left behind. The figures measured are printed at the end of the run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import add_summary

OCCUPATION = "29-2072"
AREAS = ["OH", "KY", "WV", "IN", "MI", "PA"]
SLUGS = {
    "OH": "29-2072-ohio-may-2025",
    "KY": "29-2072-kentucky-may-2025",
    "WV": "29-2072-west-virginia-may-2025",
}
CHILD = """
import json, sys
from pathlib import Path
from marketdata.core.config import Settings
from marketdata.reports import batch

out, cache, workers, areas, result = sys.argv[1:6]
run = batch.run(
    "occupation_outlook",
    over={"area": areas},
    params={"occupation": "29-2072"},
    workers=int(workers),
    output_dir=out,
    settings=Settings(cache_dir=Path(cache), offline=True),
)
Path(result).write_text(run.summary.to_json(orient="records"))
"""
DEADLINE = 240.0  # seconds a batch of a few reports may take on a loaded machine


def start(tmp_path: Path, areas: list[str], workers: int) -> tuple[subprocess.Popen, Path, Path]:
    out, result = tmp_path / "outputs", tmp_path / "summary.json"
    result.unlink(missing_ok=True)
    args = [str(out), str(tmp_path / "cache"), str(workers), ",".join(areas), str(result)]
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], stderr=subprocess.PIPE)
    return child, out / "occupation_outlook", result


def workers_of(batch: psutil.Process) -> list[psutil.Process]:
    """The batch's report workers: the fork server's children (or its own, if spawned)."""
    found = []
    for child in batch.children():
        grandchildren = child.children()
        if grandchildren:
            found += grandchildren  # forked by the fork server
        elif "resource_tracker" not in " ".join(child.cmdline()):
            found.append(child)
    return found


def alive(process: psutil.Process) -> bool:
    """True if ``process`` still runs (a zombie waiting to be reaped does not)."""
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def describe(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())[:120]
    except psutil.Error:
        return str(process.pid)


def scratch_folders(folder: Path, slug: str = "") -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.name for p in folder.glob(f".{slug}*.partial")}


def wait_for(condition, what: str, child: subprocess.Popen) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if child.poll() is not None:
            pytest.fail(f"the batch ended before {what}: {child.stderr.read().decode()[-2000:]}")
        if time.monotonic() > deadline:
            child.kill()
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)


def finish(child: subprocess.Popen, result: Path) -> list[dict]:
    try:
        child.wait(DEADLINE)
    except subprocess.TimeoutExpired:
        child.kill()
        pytest.fail("the batch did not finish")
    assert child.returncode == 0, child.stderr.read().decode()[-2000:]
    return json.loads(result.read_text())


def test_a_killed_worker_costs_no_report(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    child, folder, result = start(tmp_path, AREAS, workers=2)
    batch = psutil.Process(child.pid)
    wait_for(lambda: len(scratch_folders(folder)) == 2, "two reports being built", child)
    victim = workers_of(batch)[0]
    victim.send_signal(signal.SIGKILL)
    rows = finish(child, result)
    assert [r["status"] for r in rows] == ["ok"] * len(AREAS), rows
    for row in rows:
        assert (Path(row["output"]) / "report.html").is_file()
    assert scratch_folders(folder) == set()
    add_summary(
        request.config,
        [
            f"batch, one of 2 workers killed (SIGKILL) mid-report: {len(AREAS)} reports, "
            f"{sum(r['status'] == 'ok' for r in rows)} finished, "
            f"{sum(r['status'] == 'error' for r in rows)} error rows",
        ],
    )


def test_a_report_whose_worker_dies_twice_is_an_error_row(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    areas = ["OH", "KY", "WV"]
    child, folder, result = start(tmp_path, areas, workers=1)
    batch = psutil.Process(child.pid)
    killed: set[str] = set()
    for attempt in (1, 2):
        seen = set(killed)
        wait_for(
            lambda seen=seen: bool(scratch_folders(folder, SLUGS["KY"]) - seen),
            f"Kentucky's report, try {attempt}",
            child,
        )
        killed |= scratch_folders(folder, SLUGS["KY"])
        for worker in workers_of(batch):  # one worker: the one building Kentucky's report
            worker.send_signal(signal.SIGKILL)
    rows = finish(child, result)
    status = {r["area"]: r["status"] for r in rows}
    assert status == {"OH": "ok", "KY": "error", "WV": "ok"}, rows
    error = next(r["error"] for r in rows if r["area"] == "KY")
    assert (
        error == "the worker process died while building this report, 2 times (killed by SIGKILL)"
    )
    assert "\n" not in error
    assert not (folder / SLUGS["KY"]).exists()
    assert scratch_folders(folder) == set()  # the second try swept the first one's folder
    add_summary(
        request.config,
        [
            f"batch, the worker building one report killed on each try: {len(areas)} reports, "
            f"{sum(r['status'] == 'ok' for r in rows)} finished, "
            f"{sum(r['status'] == 'error' for r in rows)} error row ({error})",
        ],
    )


def test_killing_the_batch_leaves_no_process_and_the_next_run_cleans_up(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    child, folder, result = start(tmp_path, AREAS, workers=2)
    batch = psutil.Process(child.pid)
    wait_for(lambda: len(scratch_folders(folder)) == 2, "two reports being built", child)
    tree = batch.children(recursive=True)
    assert len(workers_of(batch)) == 2
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(p) for p in tree):
        time.sleep(0.1)
    left = [p for p in tree if alive(p)]
    for process in left:  # do not leave them to the next test
        process.kill()
    assert left == [], [describe(p) for p in left]
    interrupted = scratch_folders(folder)
    assert interrupted, "the kill came before any report was being built"

    again, folder, result = start(tmp_path, AREAS, workers=2)
    rows = finish(again, result)
    assert {r["status"] for r in rows} <= {"ok", "skipped"}, rows
    assert scratch_folders(folder) == set()
    add_summary(
        request.config,
        [
            f"batch killed (SIGKILL) with 2 workers building: {len(tree)} processes it had "
            f"started, {len(left)} left running; {len(interrupted)} interrupted report "
            f"folders, 0 after the next run ({sum(r['status'] == 'ok' for r in rows)} built, "
            f"{sum(r['status'] == 'skipped' for r in rows)} up to date)",
        ],
    )

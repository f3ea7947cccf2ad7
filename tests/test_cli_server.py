"""The warm command server (issue 16): commands handed to it give what they give alone.

Every test runs the real ``marketdata`` command (``python -m marketdata``) in subprocesses,
with the server switched on and its sockets in the test's own folder, offline on the bundled
data; each test stops its servers at the end.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_engines import files, without_cell_ids

ROOT = Path(__file__).resolve().parents[1]
OUTLOOK = ["report", "occupation_outlook", "--occupation", "29-2072", "--area", "OH"]
GROWTH = ["report", "growth_explorer", "--soc-group", "29-0000", "--area", "US"]


class Commands:
    """``marketdata`` subprocesses sharing one runtime folder (one server)."""

    def __init__(self, tmp: Path) -> None:
        self.runtime = tmp / "run"
        self.env = {
            **os.environ,
            "MARKETDATA_SERVER": "on",
            "MARKETDATA_RUNTIME_DIR": str(self.runtime),
            "MARKETDATA_CACHE_DIR": str(tmp / "cache"),
            "PYTHONPATH": str(ROOT),
        }
        self.env.pop("CI", None)

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "marketdata", *args]

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    def status(self) -> str:
        return self.run("server", "status").stdout

    def served(self) -> int:
        """Commands the running server has served (-1 if none runs)."""
        line = next((s for s in self.status().splitlines() if "(this code)" in s), None)
        return -1 if line is None else int(line.split(" command(s) served")[0].split()[-1])

    def wait_for(self, check, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            assert time.monotonic() < deadline, self.status()
            time.sleep(0.2)


@pytest.fixture
def cmds(tmp_path: Path) -> Iterator[Commands]:
    commands = Commands(tmp_path)
    yield commands
    commands.run("server", "stop")


def test_a_served_report_writes_what_a_report_run_alone_writes(cmds: Commands, tmp_path) -> None:
    started = cmds.run("server", "start")
    assert started.returncode == 0, started.stderr
    assert cmds.served() == 0
    alone, served = tmp_path / "alone", tmp_path / "served"
    # two at once through the server: each gets its own forked process
    running = [
        subprocess.Popen(
            cmds.command(*args, "--output-dir", str(served)),
            env=cmds.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in (OUTLOOK, GROWTH)
    ]
    outputs = [p.communicate(timeout=300) for p in running]
    assert [p.returncode for p in running] == [0, 0], outputs
    assert cmds.served() == 2
    for args in (OUTLOOK, GROWTH):
        done = cmds.run(*args, "--output-dir", str(alone), MARKETDATA_SERVER="off")
        assert done.returncode == 0, done.stderr
    assert cmds.served() == 2  # the runs alone did not go through it
    for report, slug in (
        ("occupation_outlook", "29-2072-ohio-may-2025"),
        ("growth_explorer", "29-0000-national-top-10-may-2025"),
    ):
        a, b = alone / report / slug, served / report / slug
        for kind in ("tables", "figures"):
            assert files(a, kind) and files(a, kind) == files(b, kind)
        html = without_cell_ids((a / "report.html").read_text())
        assert html == without_cell_ids((b / "report.html").read_text())
    # what the command printed is the same, on the same streams
    outlook_alone = cmds.run(*OUTLOOK, "--output-dir", str(alone), MARKETDATA_SERVER="off")
    outlook_served = cmds.run(*OUTLOOK, "--output-dir", str(alone))
    assert outlook_served.stdout == outlook_alone.stdout
    assert outlook_served.stderr == outlook_alone.stderr
    assert "Report written to" in outlook_served.stdout


def test_errors_and_exit_statuses_come_back_as_they_are(cmds: Commands) -> None:
    cmds.run("server", "start")
    answers = []
    for args in (
        ["wages", "29-9999", "--area", "OH"],
        ["report", "occupation_outlook", "--occupation", "29-2072", "--area", "Atlantis"],
        ["wages", "29-2072", "--area", "OH"],
    ):
        alone = cmds.run(*args, MARKETDATA_SERVER="off")
        before = cmds.served()
        served = cmds.run(*args)
        assert cmds.served() == before + 1
        answer = (served.returncode, served.stdout, served.stderr)
        assert answer == (alone.returncode, alone.stdout, alone.stderr)
        answers.append(answer)
    (code, out, err), (area_code, _, area_err), (ok, table, _) = answers
    assert (code, out) == (2, "")
    assert "unknown SOC occupation code: '29-9999'. Did you mean: 29-9091" in err
    assert area_code == 2 and "Atlantis" in area_err
    assert ok == 0 and "Medical Records Specialists" in table
    assert all("Traceback" not in e for _, _, e in answers)


def test_the_first_command_runs_alone_and_starts_a_server(cmds: Commands) -> None:
    assert "No command server is running." in cmds.status()
    first = cmds.run("wages", "29-2072", "--area", "OH")
    assert first.returncode == 0, first.stderr
    assert "Medical Records Specialists" in first.stdout
    cmds.wait_for(lambda: cmds.served() == 0)  # it warms up, then listens
    second = cmds.run("wages", "29-2072", "--area", "OH")
    assert second.stdout == first.stdout
    assert cmds.served() == 1


@pytest.mark.parametrize("how", ["served", "alone"])
def test_ctrl_c_stops_a_report_and_leaves_no_folder(cmds: Commands, tmp_path, how: str) -> None:
    """Ctrl-C while the notebook runs: exit status 130, no report, no scratch folder; a
    served command's process is stopped and the server goes on serving."""
    env = dict(cmds.env, MARKETDATA_SERVER="on" if how == "served" else "off")
    if how == "served":
        cmds.run("server", "start")
    out = tmp_path / "out"
    running = subprocess.Popen(
        cmds.command(*OUTLOOK, "--output-dir", str(out)),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    folder = out / "occupation_outlook"
    # the notebook's cells are running: its first tables are written
    cmds.wait_for(lambda: any(folder.glob(".*.partial/tables/*.csv")), seconds=120)
    running.send_signal(signal.SIGINT)
    _, err = running.communicate(timeout=60)
    assert running.returncode == 130, err
    assert "Traceback" not in err
    assert list(folder.iterdir()) == []
    if how == "served":
        cmds.wait_for(lambda: " 0 running" in cmds.status(), seconds=60)
        again = cmds.run(*OUTLOOK, "--output-dir", str(out))
        assert again.returncode == 0, again.stderr


def test_a_server_exits_when_idle_or_stopped_and_sockets_are_private(cmds: Commands) -> None:
    cmds.run("server", "start", MARKETDATA_SERVER_IDLE="1")
    sockets = list(cmds.runtime.glob("cli-*.sock"))
    assert len(sockets) == 1
    assert stat.S_IMODE(cmds.runtime.stat().st_mode) == 0o700
    assert stat.S_IMODE(sockets[0].stat().st_mode) == 0o600
    cmds.wait_for(lambda: "No command server is running." in cmds.status(), seconds=30)
    assert not sockets[0].exists()
    cmds.run("server", "start")
    assert cmds.served() == 0
    assert cmds.run("server", "stop").stdout.strip() == "Stopped 1 command server(s)."
    assert "No command server is running." in cmds.status()


def test_no_server_where_the_socket_folder_is_not_private(cmds: Commands) -> None:
    cmds.runtime.mkdir(mode=0o755)
    cmds.runtime.chmod(0o755)
    done = cmds.run("wages", "29-2072", "--area", "OH")
    assert done.returncode == 0, done.stderr
    time.sleep(1)
    assert list(cmds.runtime.iterdir()) == []
    assert cmds.run("server", "start").returncode != 0


def test_changed_code_is_a_different_server(tmp_path: Path) -> None:
    """A server serves only the code it imported: a changed file of the package changes the
    socket a command looks for."""
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "marketdata", copy / "marketdata")
    code = "from marketdata import cli_client; print(cli_client.socket_path().name)"
    env = {**os.environ, "PYTHONPATH": str(copy), "MARKETDATA_RUNTIME_DIR": str(tmp_path / "r")}

    def name() -> str:
        return subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    before = name()
    assert before == name()
    module = copy / "marketdata" / "formatting.py"
    module.write_text(module.read_text() + "\n")
    assert name() != before


def test_a_silent_connection_does_not_hold_the_server_up(cmds: Commands) -> None:
    cmds.run("server", "start")
    (path,) = cmds.runtime.glob("cli-*.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as silent:
        silent.connect(str(path))  # and sends nothing
        done = subprocess.run(
            cmds.command("wages", "29-2072", "--area", "OH"),
            env=cmds.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert cmds.served() == 1

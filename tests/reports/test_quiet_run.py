"""The test run's own output stays clean: the local server is quiet when clients hang up, and
module summaries (fault injection) go to pytest's terminal summary, not amid the dots."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bls_server import BLSServer

ROOT = Path(__file__).resolve().parents[2]


def _reset_after_answer(server: BLSServer, path: str) -> None:
    """GET ``path``, read the answer, then reset the connection (RST, no FIN)."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        s.recv(1000)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_server_is_quiet_when_a_client_resets(
    bls_server: BLSServer, capfd: pytest.CaptureFixture[str]
):
    bls_server.add("/f", b"hello")
    for _ in range(3):
        _reset_after_answer(bls_server, "/f")
    time.sleep(0.3)  # the server's thread reads the reset
    captured = capfd.readouterr()
    assert "Exception occurred" not in captured.err
    assert "Traceback" not in captured.err
    assert bls_server.count("/f") == 3


INNER = """
import pytest
from tests.conftest import add_summary


@pytest.fixture(scope="module", autouse=True)
def _summary(request):
    yield
    add_summary(request.config, ["fault injection: 2 scenarios (inner run)"])


@pytest.mark.parametrize("n", range(2))
def test_one(n):
    assert n >= 0
"""


def test_module_summaries_go_to_the_terminal_summary(tmp_path: Path):
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (tmp_path / "test_inner.py").write_text(INNER)
    (tmp_path / "test_later.py").write_text("def test_later():\n    pass\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path)],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    where = next(i for i, line in enumerate(lines) if "fault injection: 2 scenarios" in line)
    last_dots = max(i for i, line in enumerate(lines) if line.startswith("test_"))
    assert where > last_dots, done.stdout  # after every test's dots, in the summary
    assert any("summaries" in line for line in lines[last_dots:where])

"""Hand a ``marketdata`` command to the warm command server (:mod:`marketdata.cli_server`).

A command that loads data (``report``, ``wages``, ``salary``, ``growth``) first tries the
server of this user, this Python and this exact code: it sends its arguments, working folder
and environment, and its standard streams themselves (file descriptors over a Unix socket),
then waits for the exit status of the process the server forked to run it. With no server
listening, the command runs in its own process as before and starts one in the background
for the next command. Nothing here imports pandas or the notebook tools.

Settings (environment): ``MARKETDATA_SERVER`` (``on``/``off``; default on, off where ``CI``
is set), ``MARKETDATA_SERVER_IDLE`` (seconds a server waits for a command before it exits;
default 600), ``MARKETDATA_RUNTIME_DIR`` (where sockets go; default
``$XDG_RUNTIME_DIR/marketdata``, else ``<temp>/marketdata-<uid>``).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

#: Subcommands worth a warm process: they import pandas and load data.
SERVED = frozenset({"report", "wages", "salary", "growth"})
DEFAULT_IDLE = 600.0
_HEADER = struct.Struct("!I")
#: The descriptors a command hands over: stdin, stdout, stderr.
STREAMS = (0, 1, 2)


def enabled() -> bool:
    """Whether commands use a server here: on Linux (Unix sockets, fork, peer credentials),
    unless ``MARKETDATA_SERVER`` is off or, by default, under CI."""
    choice = os.environ.get("MARKETDATA_SERVER", "").strip().lower()
    if choice in {"0", "off", "no", "false"}:
        return False
    if not choice and os.environ.get("CI"):
        return False
    return sys.platform.startswith("linux") and hasattr(socket, "SO_PEERCRED")


def idle_seconds() -> float:
    """``MARKETDATA_SERVER_IDLE``, or :data:`DEFAULT_IDLE`."""
    try:
        return max(0.1, float(os.environ.get("MARKETDATA_SERVER_IDLE", DEFAULT_IDLE)))
    except ValueError:
        return DEFAULT_IDLE


def runtime_dir() -> Path:
    """This user's folder for server sockets, created private (0700); refused (``OSError``)
    if it belongs to someone else or others may enter it."""
    chosen = os.environ.get("MARKETDATA_RUNTIME_DIR")
    if chosen:
        folder = Path(chosen)
    elif os.environ.get("XDG_RUNTIME_DIR"):
        folder = Path(os.environ["XDG_RUNTIME_DIR"]) / "marketdata"
    else:
        folder = Path(tempfile.gettempdir()) / f"marketdata-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise OSError(f"{folder} is not private to this user; the command server stays off")
    return folder


def fingerprint() -> str:
    """What a server's imported code must match: this Python, the package's files (names,
    sizes, modification times) and the folders its libraries are installed in."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{sys.executable}\0{sys.version}\0{package}".encode())
    for file in sorted(package.rglob("*")):
        if "__pycache__" not in file.parts and file.is_file():
            info = file.stat()
            digest.update(f"{file}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    for folder in sorted({Path(p) for p in sys.path if p.endswith("site-packages")}):
        if folder.is_dir():
            digest.update(f"{folder}\0{folder.stat().st_mtime_ns}\0".encode())
    return digest.hexdigest()[:16]


def socket_path() -> Path:
    """Where the server of this code listens."""
    return runtime_dir() / f"cli-{fingerprint()}.sock"


def send(sock: socket.socket, message: dict[str, Any], fds: Sequence[int] = ()) -> None:
    """One length-prefixed JSON message, with ``fds`` passed alongside its header."""
    body = json.dumps(message).encode()
    header = _HEADER.pack(len(body))
    if fds:
        socket.send_fds(sock, [header], list(fds))
    else:
        sock.sendall(header)
    sock.sendall(body)


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(left)
        if not chunk:
            raise ConnectionError("the other side closed the connection")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(sock: socket.socket, *, fds: int = 0) -> tuple[dict[str, Any], list[int]]:
    """The next message of :func:`send`, and up to ``fds`` file descriptors passed with it."""
    if fds:
        header, passed, _, _ = socket.recv_fds(sock, _HEADER.size, fds)
        if len(header) < _HEADER.size:
            header += _exactly(sock, _HEADER.size - len(header))
    else:
        header, passed = _exactly(sock, _HEADER.size), []
    (size,) = _HEADER.unpack(header)
    return json.loads(_exactly(sock, size)), passed


def connect(path: Path, timeout: float = 2.0) -> socket.socket | None:
    """A connection to the server at ``path``, or None if none listens there."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    sock.settimeout(None)
    return sock


def ask(path: Path, op: str) -> dict[str, Any] | None:
    """The server's answer to ``op`` (``status``, ``stop``), or None if none listens."""
    sock = connect(path)
    if sock is None:
        return None
    with sock:
        try:
            send(sock, {"op": op})
            return receive(sock)[0]
        except (OSError, ValueError):
            return None


def start(path: Path) -> None:
    """Start a server for ``path`` in the background, detached from this command's terminal
    and streams (it outlives the command until idle)."""
    subprocess.Popen(
        # -P: the starting command's folder is not put on sys.path, where later commands'
        # imports would look first
        [sys.executable, "-P", "-m", "marketdata.cli_server", str(path)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


@contextmanager
def _forwarding_signals(pid: int) -> Iterator[None]:
    """Ctrl-C, hang-up and termination of this command go to the process running it."""
    caught = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def forward(signum: int, _frame: Any) -> None:
        with suppress(ProcessLookupError):
            os.kill(pid, signum)

    saved = {s: signal.signal(s, forward) for s in caught}
    try:
        yield
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)


def delegate(argv: Sequence[str]) -> int | None:
    """Run ``marketdata argv`` in a process forked from this code's server and return its
    exit status; None if no server took it (it is then started for the next command, and
    the caller runs the command itself). Nothing has run when None is returned."""
    if not enabled():
        return None
    try:
        path = socket_path()
    except OSError:
        return None
    sock = connect(path)
    if sock is None:
        start(path)
        return None
    with sock:
        try:
            cwd, env = str(Path.cwd()), dict(os.environ)
            request = {"op": "run", "argv": list(argv), "cwd": cwd, "env": env}
            send(sock, request, STREAMS)
            started, _ = receive(sock)
        except (OSError, ValueError):
            return None  # the server went away before the command started
        if not isinstance(started.get("pid"), int):
            return None  # the fork could not become the command (e.g. no such folder)
        with _forwarding_signals(started["pid"]):
            try:
                return int(receive(sock)[0]["exit"])
            except (OSError, ValueError, KeyError):
                print(
                    "marketdata: error: the command's process ended without an exit status "
                    "(run it again with MARKETDATA_SERVER=off to run it in this process)",
                    file=sys.stderr,
                )
                return 1


def servers() -> list[Path]:
    """Sockets of this user's servers (of any code version)."""
    try:
        return sorted(runtime_dir().glob("cli-*.sock"))
    except OSError:
        return []


def cmd_server(args: Any) -> int:
    """``marketdata server status|start|stop``."""
    try:
        current = socket_path()
    except OSError as err:
        print(f"marketdata: error: {err}", file=sys.stderr)
        return 2
    if args.action == "start" and ask(current, "status") is None:
        start(current)
        if not _wait_for(current, seconds=60):
            print(
                "marketdata: error: the command server did not answer within 60 s; commands "
                "run in their own processes meanwhile. To see why, run it in this terminal: "
                f"{sys.executable} -m marketdata.cli_server {current}",
                file=sys.stderr,
            )
            return 1
    if args.action == "stop":
        stopped = [p for p in servers() if ask(p, "stop") is not None]
        print(f"Stopped {len(stopped)} command server(s).")
        return 0
    found = [(p, ask(p, "status")) for p in servers()]
    running = [(p, s) for p, s in found if s is not None]
    for path, status in running:
        age = time.time() - status["started"]
        which = "this code" if path == current else "older code (exits when idle)"
        print(
            f"Command server {status['pid']} ({which}): up {age:.0f} s, "
            f"{status['served']} command(s) served, {status['running']} running, "
            f"exits after {status['idle_after']:.0f} s idle."
        )
    if not running:
        print("No command server is running.")
    if not enabled():
        print("Commands run in their own processes here (MARKETDATA_SERVER is off, or CI is set).")
    return 0


def _wait_for(path: Path, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ask(path, "status") is not None:
            return True
        time.sleep(0.1)
    return False

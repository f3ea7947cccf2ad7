"""The warm command server: imports done once, every command run in a fresh fork.

``python -m marketdata.cli_server SOCKET`` (started by :func:`marketdata.cli_client.start`)
imports what reports and data commands need (pandas, matplotlib, IPython, papermill,
nbconvert, the package; :func:`marketdata.reports.inprocess.prepare`) and listens on a Unix
socket in a private folder. For each command it forks a process that takes the command's
standard streams, working folder, environment and arguments and runs
:func:`marketdata.cli.main` as a new ``marketdata`` process would, so each command starts
from the same state; the server itself never loads data. It serves only its own user, only
the code it imported (the socket's name is :func:`~marketdata.cli_client.fingerprint`), and
exits after ``MARKETDATA_SERVER_IDLE`` seconds without a command, on ``marketdata server
stop``, or when its socket is removed.
"""

from __future__ import annotations

import fcntl
import gc
import io
import logging
import os
import selectors
import signal
import socket
import struct
import sys
import time
import traceback
from contextlib import suppress
from pathlib import Path
from typing import Any

from marketdata import cli_client
from marketdata.cli_client import receive, send

logger = logging.getLogger(__name__)


class _Server:
    """The listening socket, the forked commands still running and what has been served."""

    def __init__(self, path: Path, lock: int) -> None:
        self.path = path
        self.lock = lock
        self.started = time.time()
        self.served = 0
        self.running: set[int] = set()
        self.last = time.monotonic()
        self.stopping = False
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)

    def listen(self) -> None:
        """Take the socket's path (one left by a server that died is replaced)."""
        self.path.unlink(missing_ok=True)
        old = os.umask(0o177)  # the socket is created 0600
        try:
            self.listener.bind(str(self.path))
        finally:
            os.umask(old)
        self.listener.listen(16)
        self.inode = self.path.stat().st_ino

    def still_ours(self) -> bool:
        try:
            return self.path.stat().st_ino == self.inode
        except OSError:
            return False

    def reap(self) -> None:
        for pid in list(self.running):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.running.discard(pid)
                self.last = time.monotonic()

    def status(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "started": self.started,
            "served": self.served,
            "running": len(self.running),
            "idle_after": cli_client.idle_seconds(),
        }

    def handle(self, conn: socket.socket) -> None:
        """Answer ``status``/``stop`` here; fork a process for ``run``."""
        if not _same_user(conn):
            conn.close()
            return
        conn.settimeout(5.0)  # a peer that sends nothing does not hold the server up
        try:
            message, fds = receive(conn, fds=len(cli_client.STREAMS))
        except (OSError, ValueError, struct.error):
            conn.close()
            return
        if message.get("op") != "run":
            for fd in fds:
                os.close(fd)
            if message.get("op") == "stop":
                self.stopping = True
            with suppress(OSError):
                send(conn, self.status())
            conn.close()
            return
        self.served += 1
        conn.settimeout(None)
        pid = os.fork()
        if pid == 0:  # the command: whatever happens, this process ends here
            code = 1
            try:
                self.listener.close()
                os.close(self.lock)
                code = _run_command(conn, message, fds)
            finally:
                os._exit(code)
        for fd in fds:
            os.close(fd)
        conn.close()
        self.running.add(pid)
        self.last = time.monotonic()

    def serve(self) -> None:
        """Accept commands until idle, stopped, or the socket is no longer ours."""
        idle = cli_client.idle_seconds()
        self.last = time.monotonic()  # idle from now, not from before the warm-up
        with selectors.DefaultSelector() as selector:
            selector.register(self.listener, selectors.EVENT_READ)
            while not self.stopping and self.still_ours():
                if selector.select(timeout=min(idle, 1.0)):
                    conn, _ = self.listener.accept()
                    self.handle(conn)
                self.reap()
                if not self.running and time.monotonic() - self.last > idle:
                    break
        self.listener.close()
        if self.still_ours():
            self.path.unlink(missing_ok=True)
        os.close(self.lock)  # a new server may start while this process winds down


def _same_user(conn: socket.socket) -> bool:
    """Whether the peer runs as this user (Linux peer credentials)."""
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", creds)
    return uid == os.getuid()


def _streams(fds: list[int]) -> None:
    """Make the command's passed descriptors this process's 0, 1 and 2, and ``sys.std*``
    text streams on them, buffered as Python sets them up (stdout by line on a terminal,
    stderr always by line)."""
    for target, fd in zip(cli_client.STREAMS, fds, strict=True):
        os.dup2(fd, target)
        os.close(fd)

    def text(fd: int, mode: str, errors: str, *, line_buffering: bool) -> io.TextIOWrapper:
        raw = io.FileIO(fd, mode, closefd=False)
        buffered = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        return io.TextIOWrapper(
            buffered, encoding="utf-8", errors=errors, line_buffering=line_buffering
        )

    sys.stdin = sys.__stdin__ = text(0, "r", "strict", line_buffering=False)
    sys.stdout = sys.__stdout__ = text(1, "w", "strict", line_buffering=os.isatty(1))
    sys.stderr = sys.__stderr__ = text(2, "w", "backslashreplace", line_buffering=True)


def _run_command(conn: socket.socket, message: dict[str, Any], fds: list[int]) -> int:
    """In the forked process: become the command (streams, folder, environment, signals,
    arguments), run it, send its exit status; returns it."""
    from marketdata import cli, config

    code = 1
    try:
        _streams(fds)
        os.chdir(message["cwd"])
        os.environ.clear()
        os.environ.update(message["env"])
        config.reset_settings()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGCHLD):
            signal.signal(signum, signal.SIG_DFL)
        logging.root.handlers.clear()  # the command configures its own logging
        sys.argv = ["marketdata", *message["argv"]]
        send(conn, {"pid": os.getpid()})
        try:
            code = cli.main(message["argv"])
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except KeyboardInterrupt:
            code = 130
        except BaseException:
            traceback.print_exc()
            code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):
                stream.flush()
        with suppress(OSError):
            send(conn, {"exit": code})
    return code


def main(argv: list[str] | None = None) -> int:
    """``python -m marketdata.cli_server SOCKET``: warm up, then serve until idle."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m marketdata.cli_server SOCKET", file=sys.stderr)
        return 2
    path = Path(args[0])
    if path != cli_client.socket_path():
        return 1  # the code changed since this server was asked for: the next command asks again
    lock = _sole_server(path)
    if lock is None:
        return 0  # another server of this code runs or is starting
    server = _Server(path, lock)
    signal.signal(signal.SIGTERM, lambda *_: setattr(server, "stopping", True))
    os.environ.setdefault("MPLBACKEND", "Agg")
    from marketdata import cli
    from marketdata.reports import inprocess

    cli.skip_slow_optional_imports()
    inprocess.prepare()
    gc.freeze()  # what the warm-up made stays: a fork's collections skip it (and copy less)
    os.chdir("/")  # hold no folder of the command that started it; each fork takes its own
    server.listen()  # only now: until it is warm, commands run in their own processes
    server.serve()
    return 0


def _sole_server(path: Path, wait: float = 10.0) -> int | None:
    """A lock held while this process is the server of ``path``; None if another server
    listens there or is warming up. One that is winding down is waited for."""
    fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError:
            if cli_client.ask(path, "status") is not None or time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(0.1)


if __name__ == "__main__":
    sys.exit(main())

"""``marketdata app``: the counselor page in the browser, served by Voilà on this computer.

Voilà (the Jupyter project's server that turns a widget notebook into a web page) runs the
package's ``data/counselor_page.ipynb`` (:mod:`marketdata.cli.app_widgets`). The command prints
the address, opens the browser where there is one, and on Ctrl-C stops Voilà, its kernels
and every process they started: none outlives the command.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import IO

import click

from marketdata.cli.report_options import TEXT
from marketdata.core.errors import MarketdataError

_DATA = Path(__file__).resolve().parents[1] / "data"
#: The page's notebook, shipped with the package.
NOTEBOOK = _DATA / "counselor_page.ipynb"
#: The page's Voilà template (``<_DATA>/voila/templates/marketdata``): Voilà's lab template
#: without its stylesheets from the internet.
TEMPLATE = "marketdata"
#: The only JupyterLab extensions the page loads, the widgets' (Voilà keeps the manager of the
#: ipywidgets installed): others installed beside them may fetch from the internet or fail
#: outside JupyterLab.
EXTENSIONS = [
    "@jupyter-widgets/jupyterlab-manager",
    "@voila-dashboards/widgets-manager7",
    "@voila-dashboards/widgets-manager8",
]
DEFAULT_PORT = 8866  # Voilà's; taken, the next free one is used (unless --port is given)
LOOPBACK = "127.0.0.1"
_ADDRESS = re.compile(r"(https?://\S+)")
_PROBLEM = re.compile(r"\b(WARNING|ERROR|CRITICAL)\b|^\[[WEC] ")
_START_TIMEOUT = 120.0
_STOP_TIMEOUT = 10.0
_PR_SET_PDEATHSIG = 1  # Linux prctl: a signal for the process when its parent dies
_PR_SET_CHILD_SUBREAPER = 36  # Linux prctl: orphans of our children become ours to stop


def add_commands(group: click.Group) -> None:
    """Register ``marketdata app`` on the ``marketdata`` command group."""

    @group.command(
        help="Start the counselor page: pick a job and a place, get the report.\n\n"
        "A local web page served by Voilà: type a job title or SOC code, pick an area, get "
        "the report with its PDF, HTML and tables. It listens on 127.0.0.1 only (this "
        "computer), unless --host says otherwise. Ctrl-C stops it.",
    )
    @click.option(
        "--port", type=click.IntRange(1, 65535), help=f"port to listen on (default {DEFAULT_PORT})"
    )
    @click.option(
        "--host",
        default=LOOPBACK,
        type=TEXT,
        help="address to listen on (default 127.0.0.1: only this computer; 0.0.0.0: any)",
    )
    @click.option("--no-browser", is_flag=True, help="do not open a browser")
    @click.option(
        "--output-dir",
        type=click.Path(path_type=Path),
        default=Path("outputs"),
        help="folder of the reports",
    )
    def app(port: int | None, host: str, no_browser: bool, output_dir: Path) -> int:
        return cmd_app(port=port, host=host, no_browser=no_browser, output_dir=output_dir)


def cmd_app(*, port: int | None, host: str, no_browser: bool, output_dir: Path) -> int:
    """Serve the counselor page until Ctrl-C; 0 when stopped, 2 if Voilà could not start."""
    if importlib.util.find_spec("voila") is None:
        raise MarketdataError("the page needs Voilà: pip install voila (or reinstall marketdata)")
    if not NOTEBOOK.is_file():
        raise MarketdataError(f"the page's notebook is missing from the package: {NOTEBOOK}")
    output_dir = output_dir.expanduser().resolve()
    _adopt_orphans()
    with tempfile.TemporaryDirectory(prefix="marketdata-app-") as work, _stopping_on_term():
        command = _voila_command(host, port)
        voila = subprocess.Popen(
            command,
            cwd=work,  # Voilà serves static files of its folder: an empty one
            env=_environment(Path(work), output_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # the terminal's Ctrl-C reaches us; we stop Voilà
            preexec_fn=_stop_with_parent,
        )
        try:
            return _serve(voila, port, host, no_browser, output_dir)
        except KeyboardInterrupt:
            print("\nStopping…")
            return 0
        finally:
            _stop(voila)
            print("Stopped: the page and its processes are closed.")


def _voila_command(host: str, port: int | None) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOK),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port or DEFAULT_PORT}",
        f"--Voila.port_retries={0 if port else 50}",
        "--show_tracebacks=False",
        "--theme=light",
        f"--template={TEMPLATE}",
        f"--VoilaConfiguration.extension_allowlist={json.dumps(EXTENSIONS)}",
        "--Voila.log_level=INFO",
        "--KernelManager.transport=ipc",  # kernels on local sockets, not TCP ports
    ]


def _environment(work: Path, output_dir: Path) -> dict[str, str]:
    """Voilà's environment: the page's output folder, the page's template, and a Python kernel
    of this very interpreter (found first on ``JUPYTER_PATH``), whatever other kernels are
    installed."""
    kernel = work / "kernels" / "python3"
    kernel.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (marketdata)",
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ)
    paths = (str(work), str(_DATA), env.get("JUPYTER_PATH"))
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in paths if p)
    env["MARKETDATA_APP_OUTPUT_DIR"] = str(output_dir)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _serve(
    voila: subprocess.Popen[str], port: int | None, host: str, no_browser: bool, output_dir: Path
) -> int:
    """Wait for Voilà's address, say it, open the browser, then wait for Ctrl-C."""
    lines = voila.stdout
    if lines is None:  # Popen was given stdout=PIPE: never
        raise MarketdataError("the page's server gave no output to read")
    recent: deque[str] = deque(maxlen=20)
    address = _address(lines, recent)
    if address is None:
        port = port or DEFAULT_PORT
        why = " ".join(line.strip() for line in recent if _PROBLEM.search(line))
        if "no available port" in why or "port" in why.lower():
            raise MarketdataError(f"port {port} is in use: choose another with --port")
        raise MarketdataError(f"the page could not start: {why or 'Voilà stopped'}")
    threading.Thread(target=_forward_problems, args=(lines,), daemon=True).start()
    print(f"The counselor page is at {address}")
    if host in (LOOPBACK, "localhost", "::1"):
        print(f"Listening on {host} only: only this computer can open it.")
    else:
        print(
            f"Listening on {host}: other computers that reach this one can open the page "
            "and make reports. Use --host 127.0.0.1 to keep it to this computer."
        )
    print(f"Reports are saved in {output_dir}")
    if not no_browser and not _open_browser(address):
        print("No browser to open here: open the address above in one.")
    print("Press Ctrl-C to stop.")
    sys.stdout.flush()
    return 0 if voila.wait() == 0 else 2


def _address(lines: IO[str], recent: deque[str]) -> str | None:
    """The page's address, from Voilà's "is running at" line; None if Voilà stopped."""
    deadline = time.monotonic() + _START_TIMEOUT
    running = False
    for line in lines:
        recent.append(line)
        if "is running at" in line:
            running = True
        found = _ADDRESS.search(line) if running else None
        if found:
            return found[1]
        if time.monotonic() > deadline:
            break
    return None


def _forward_problems(lines: IO[str]) -> None:
    """Voilà's warnings and errors to our standard error (but the notice that the page's
    notebook is not "trusted", which only concerns Jupyter's own front end); its other log
    lines dropped."""
    for line in lines:
        if _PROBLEM.search(line) and "is not trusted" not in line:
            print(f"voila: {line.rstrip()}", file=sys.stderr)


def _open_browser(address: str) -> bool:
    """Open ``address`` in a graphical browser, if this computer has one to show."""
    import webbrowser

    on_screen = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    if sys.platform.startswith("linux") and not on_screen:
        return False  # only text browsers could open here: they would take the terminal
    try:
        return webbrowser.open(address)
    except webbrowser.Error:
        return False


def _prctl(option: int, value: int) -> None:
    """Linux's ``prctl(option, value)``; nothing elsewhere."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


def _adopt_orphans() -> None:
    """On Linux, become the parent of any process our children leave behind (Voilà's kernels
    start sessions of their own), so that :func:`_stop` finds and stops them."""
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def _stop_with_parent() -> None:
    """In Voilà's process before it starts: a SIGTERM (which makes it shut its kernels down)
    if this command dies without stopping it, e.g. killed with SIGKILL."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@contextlib.contextmanager
def _stopping_on_term() -> Iterator[None]:
    """A SIGTERM to the command stops the page as Ctrl-C does."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(voila: subprocess.Popen[str]) -> None:
    """Stop Voilà (it shuts its kernels down), then any process of ours still running."""
    import psutil

    me = psutil.Process()
    left = me.children(recursive=True)
    if voila.poll() is None:
        voila.terminate()
        try:
            voila.wait(_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            voila.kill()
            voila.wait()
    left += me.children(recursive=True)
    alive = [p for p in {p.pid: p for p in left}.values() if _running(p)]
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, still = psutil.wait_procs(alive, timeout=3)
    for process in still:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(still, timeout=3)


def _running(process: object) -> bool:
    import psutil

    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE  # type: ignore[attr-defined]
    except psutil.Error:
        return False

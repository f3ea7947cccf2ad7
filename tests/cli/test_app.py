"""The counselor page: ``marketdata app`` in a real headless Chromium, the page's notebook run
headless as an ordinary widget notebook, and the page's helpers. Offline on the bundled data."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from pypdf import PdfReader

from marketdata.cli import app_page
from marketdata.cli.commands import main
from marketdata.core.errors import MarketdataError
from marketdata.core.formatting import format_value
from marketdata.datasets import oews
from tests.browser import Browser, Tab, find_chromium

ROOT = Path(__file__).resolve().parents[2]
#: What the test types for the job. The search finds 29-2072 from it.
JOB = "medical coder"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def ours(mark: str) -> list[psutil.Process]:
    """Every process whose environment carries ``mark`` (what the app started, however
    deep, whoever its parent is now)."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("MD_APP_TEST_MARK") == mark:
                found.append(process)
        except (psutil.Error, OSError):
            continue
    return found


class App:
    """``marketdata app --no-browser --port N`` running in a subprocess."""

    def __init__(self, tmp_path: Path, *, browser: dict[str, str] | None = None) -> None:
        """Started with ``--no-browser``, or with a browser in the environment ``browser``."""
        self.port = free_port()
        self.mark = uuid.uuid4().hex
        self.outputs = tmp_path / "outputs"
        env = {**os.environ, "MD_APP_TEST_MARK": self.mark, "MARKETDATA_PROGRESS": "1"}
        command = [sys.executable, "-m", "marketdata", "app", "--port", str(self.port)]
        if browser is None:
            command.append("--no-browser")
        else:
            env = {k: v for k, v in env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
            env.update(browser)
        self.process = subprocess.Popen(
            command,
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.said: list[str] = [self.process.stdout.readline()]
        while self.said[-1] and not self.said[-1].startswith("Press Ctrl-C"):  # "": it ended
            self.said.append(self.process.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}/"

    def stop(self) -> tuple[str, str]:
        """Ctrl-C, as in the terminal; what it printed after."""
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=60)
        return out, err


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    running = App(tmp_path)
    yield running
    if running.process.poll() is None:  # a failed test: stop it as Ctrl-C does
        try:
            running.stop()
        except subprocess.TimeoutExpired:
            running.process.kill()
            running.process.wait()


def pick(tab: Tab, box: str, text: str, expected: str) -> str:
    """Type ``text`` into combobox ``box``, wait for a suggestion holding ``expected`` and
    pick it (as choosing it from the list does: the value set, an input event).

    Picked at once after typing, the kernel's echo of the typed text can come back after the
    pick and put the typed text back in the box (ipywidgets 8); a person picks later than
    that. So the pick is made again until the box keeps it for a second."""
    tab.type_into(f".{box} input", text)
    option = tab.wait_for(
        f"[...document.querySelectorAll('.{box} datalist option')].map(o => o.value)"
        f".find(v => v.includes({json.dumps(expected)}))",
        timeout=30,
    )
    value = f"document.querySelector('.{box} input').value"
    for _ in range(20):
        tab.evaluate(
            f"(() => {{ const el = document.querySelector('.{box} input');"
            f" el.value = {json.dumps(option)};"
            " el.dispatchEvent(new Event('input', {bubbles: true}));"
            " el.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"
        )
        time.sleep(1)
        if tab.evaluate(value) == option:
            return option
    raise AssertionError(f"{box} did not keep {option!r}")


def click(tab: Tab, selector: str) -> None:
    tab.evaluate(f"document.querySelector({json.dumps(selector)}).click() || true")


ERROR_TEXT = "(document.querySelector('.md-error-line') || {}).innerText"
REPORT_TEXT = (
    "(() => { const f = document.querySelector('.md-report iframe');"
    " return f && f.contentDocument && f.contentDocument.body"
    " ? f.contentDocument.body.innerText : ''; })()"
)


@pytest.mark.slow
@pytest.mark.skipif(find_chromium() is None, reason="no Chromium installed")
def test_the_page_makes_the_outlook_and_its_pdf_and_says_a_mistyped_area(app: App) -> None:
    assert app.said[0].startswith(f"The counselor page is at http://127.0.0.1:{app.port}/")
    assert "127.0.0.1 only" in app.said[1]
    assert str(app.outputs) in app.said[2]
    started = ours(app.mark)
    assert len(started) >= 2  # the command and Voilà at least

    median = oews.load("29-2072", "OH")["annual_median"].iloc[0]
    shown = format_value(float(median), "annual_median")  # $50,990 as the summary writes it
    chromium = find_chromium()
    assert chromium is not None
    with Browser(chromium, timeout=60) as browser:
        tab = Tab(browser, app.url)
        tab.wait_for("document.querySelector('.md-occupation input') !== null", timeout=90)
        picked = pick(tab, "md-occupation", JOB, "29-2072")
        pick(tab, "md-area", "Ohi", "Ohio")
        click(tab, ".md-make")
        text = tab.wait_for(f"{REPORT_TEXT} || {ERROR_TEXT}", timeout=120)
        assert "Medical records specialists in Ohio" in text, picked
        assert shown in text.split("Pay in Ohio", 1)[1][:200]  # the brief's Ohio median
        notes = tab.evaluate("document.querySelector('.md-notes').innerText")
        assert "bundled with marketdata" in notes  # offline, on the bundled data, and says so
        assert "run `marketdata fetch --state OH` while online" in notes  # what fills the gaps
        assert tab.evaluate("document.querySelectorAll('a.md-download').length") == 2
        tables = tab.evaluate(
            "document.querySelector('a.md-download[download=\"tables.zip\"]').href"
        )
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(tables.split(",", 1)[1]))) as z:
            assert any(n.endswith(".csv") for n in z.namelist())

        click(tab, ".md-pdf")
        href = tab.wait_for(
            "(document.querySelector('a.md-download[download$=\".pdf\"]') || {}).href",
            timeout=120,
        )
        pdf = base64.b64decode(href.split(",", 1)[1])
        assert pdf.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) >= 2
        assert shown in "".join(page.extract_text() for page in reader.pages[:2])

        tab.type_into(".md-area input", "Ohoi")
        click(tab, ".md-make")
        error = tab.wait_for(ERROR_TEXT, timeout=60)
        assert "'Ohoi'" in error and "Ohio" in error
        assert "\n" not in error.strip() and "Traceback" not in error
        assert tab.evaluate(REPORT_TEXT) == ""  # the old report is gone, not shown as new

        # every metro area of a state: a progress bar, then a zip of PDFs and an index
        tab.evaluate(
            "(() => { const s = document.querySelector('.md-state select');"
            " s.value = [...s.options].find(o => o.text == 'Wyoming').value;"
            " s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"
        )
        time.sleep(1)
        click(tab, ".md-make-all")
        bar = tab.wait_for(
            "(() => { const t = (document.querySelector('.widget-output') || {}).innerText;"
            " return t && t.includes('/2') && t; })()",
            timeout=120,
        )
        assert "occupation_outlook" in bar and "report" in bar  # 0/2 ... report/s
        link = tab.wait_for(
            "(document.querySelector('.md-batch-links a.md-download') || {}).href", timeout=300
        )
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(link.split(",", 1)[1]))) as z:
            pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
            assert len(pdfs) == 2 and "index.html" in z.namelist()
            assert all(z.read(n).startswith(b"%PDF") for n in pdfs)
        elsewhere = [u for u in tab.requested() if not u.startswith((app.url, "data:"))]
        assert elsewhere == []  # nothing from the internet: the page works offline
        assert tab.console_errors() == []
        tab.close()

    assert ours(app.mark)  # still serving until Ctrl-C
    out, err = app.stop()
    assert "Stopped" in out
    assert "Traceback" not in out + err
    time.sleep(0.5)
    assert ours(app.mark) == [], "processes outlived marketdata app"
    assert app.process.returncode == 0
    assert (app.outputs / "occupation_outlook").is_dir()


@pytest.mark.slow
def test_the_browser_opens_on_the_address_where_there_is_a_screen(tmp_path: Path) -> None:
    """With a screen, the browser of ``$BROWSER`` is given the address; without one (no
    ``DISPLAY``), the command says to open the address and goes on serving."""
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > "{opened}"\n', encoding="utf-8")
    browser.chmod(0o755)
    shown = App(tmp_path, browser={"DISPLAY": ":0", "BROWSER": f"{browser} %s"})
    try:
        assert shown.said[0] == f"The counselor page is at {shown.url}\n"
        assert not any("No browser" in line for line in shown.said)
        assert opened.read_text(encoding="utf-8").strip() == shown.url
    finally:
        shown.stop()
    opened.unlink()
    headless = App(tmp_path, browser={"BROWSER": f"{browser} %s"})
    try:
        assert "No browser to open here: open the address above in one.\n" in headless.said
        assert headless.said[-1].startswith("Press Ctrl-C")
        assert not opened.exists()
    finally:
        headless.stop()


def test_a_taken_port_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "marketdata", "app", "--no-browser", "--port", str(port)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"marketdata: error: port {port} is in use: choose another with --port"
    )


@pytest.mark.parametrize("port", ["0", "99999", "http"])
def test_a_port_that_cannot_be_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]):
    assert main(["app", "--no-browser", "--port", port]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: marketdata app")
    assert "Invalid value for '--port'" in err and port in err


@pytest.mark.slow
def test_the_page_notebook_runs_headless_as_a_widget_notebook(tmp_path: Path) -> None:
    """The notebook as JupyterLab runs it: defaults, offline, a kernel of its own."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(ROOT / "marketdata" / "data" / "counselor_page.ipynb", 4)
    mark = uuid.uuid4().hex
    os.environ["MD_APP_TEST_MARK"] = mark
    try:
        NotebookClient(
            notebook, timeout=120, resources={"metadata": {"path": str(tmp_path)}}
        ).execute()
    finally:
        del os.environ["MD_APP_TEST_MARK"]
    outputs = notebook.cells[-1].outputs
    assert [o.output_type for o in outputs] == ["execute_result"]
    assert "application/vnd.jupyter.widget-view+json" in outputs[0].data
    time.sleep(0.5)
    assert ours(mark) == []  # the kernel's report process went with it


def test_suggestions_and_parameters() -> None:
    assert app_page.occupation_suggestions("29-2072") == ["29-2072 Medical Records Specialists"]
    assert app_page.occupation_suggestions("medical records")[0].startswith("29-2072 ")
    assert app_page.occupation_of("29-2072 Medical Records Specialists") == "29-2072"
    assert app_page.report_parameters(
        "growth_explorer", occupation="29-2072 Medical Records Specialists", area="OH"
    ) == {"soc_group": "29-0000", "area": "OH"}
    assert app_page.report_parameters(
        "occupation_outlook", occupation="nurse", area=" Ohio ", comparisons=["Columbus, OH"]
    ) == {"occupation": "nurse", "area": "Ohio", "comparison_areas": ["Columbus, OH"]}
    assert "Ohio" in app_page.state_names()
    assert "Columbus, OH" in app_page.area_names("metro")
    assert app_page.area_names("national") == ["National"]
    assert app_page.state_postal("Ohio") == "OH"


@pytest.mark.slow
def test_nothing_outlives_a_killed_command(app: App) -> None:
    """Killed with no chance to clean up (SIGKILL): Voilà is told to stop and takes its
    kernels and their report process with it."""
    with urllib.request.urlopen(app.url, timeout=120) as answer:  # a kernel runs the page
        assert answer.status == 200
        served = answer.read().decode()
    assert "application/vnd.jupyter.widget-view+json" in served
    # no stylesheet, script or font from the internet (the lab template's icon font and
    # diagram script come from one); the page asks this computer only
    assert re.findall(r"""(?:href|src)=["']https?://|import\(["']https?://""", served) == []
    names = " ".join(" ".join(p.cmdline()) for p in ours(app.mark))
    assert "ipykernel_launcher" in names and "voila" in names
    pids = {p.pid for p in ours(app.mark)}
    listening = {
        (c.laddr.ip, c.laddr.port)
        for c in psutil.net_connections("inet")
        if c.pid in pids and c.status == psutil.CONN_LISTEN
    }
    assert ("127.0.0.1", app.port) in listening
    assert {ip for ip, _ in listening} == {"127.0.0.1"}  # this computer only, kernels too
    app.process.kill()
    app.process.wait()
    deadline = time.monotonic() + 30
    while ours(app.mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ours(app.mark) == []


@pytest.mark.slow
def test_every_metro_of_a_state_is_a_zip_of_pdfs_with_an_index(tmp_path: Path) -> None:
    """Wyoming's metro areas, as the page's batch makes them; a second run resumes."""
    from marketdata.reports import batch

    metros = batch.area_list("WY-metros")
    done = app_page.run_metros(
        "occupation_outlook", occupation="29-2072 Medical ...", state="Wyoming", output_dir=tmp_path
    )
    assert done.result.counts == {"ok": len(metros), "skipped": 0, "error": 0}
    assert done.archive == tmp_path / "occupation_outlook" / "WY-metros.zip"
    with zipfile.ZipFile(done.archive) as archive:
        names = archive.namelist()
        index = archive.read("index.html").decode()
        pdfs = [n for n in names if n.endswith(".pdf")]
        assert len(pdfs) == len(metros) >= 2
        for name in pdfs:
            assert archive.read(name).startswith(b"%PDF")
            assert f'href="{name}"' in index
    assert "Casper, WY" in index and "Cheyenne, WY" in index
    again = app_page.run_metros(
        "occupation_outlook", occupation="29-2072", state="Wyoming", output_dir=tmp_path
    )
    assert again.result.counts["skipped"] == len(metros)
    with zipfile.ZipFile(again.archive) as archive:
        assert sorted(archive.namelist()) == sorted(names)
    with pytest.raises(MarketdataError, match="not a state"):
        app_page.run_metros(
            "occupation_outlook", occupation="29-2072", state="Columbus, OH", output_dir=tmp_path
        )


def test_a_missing_job_or_area_is_said_before_anything_runs() -> None:
    with pytest.raises(MarketdataError, match="Type a job first"):
        app_page.report_parameters("occupation_outlook", occupation=" ", area="OH")
    with pytest.raises(MarketdataError, match="Pick an area first"):
        app_page.report_parameters("occupation_outlook", occupation="29-2072", area="")

"""The HTML page written by a helper process: the same page as exported here, and the
helper gone afterwards. Each check runs in a fresh interpreter, single-threaded as a command
is (the test run's own threads would make :meth:`HtmlProcess.start` decline to fork)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat

from marketdata.reports.export import html

ROOT = Path(__file__).resolve().parents[2]
#: Starts a helper, has it write PAGE from NOTEBOOK (or closes it unasked), and says how it
#: went and whether the helper still runs.
PROBE = """
import json, sys
from marketdata.reports.export_process import HtmlProcess
notebook, page = sys.argv[1], sys.argv[2]
helper = HtmlProcess.start()
if notebook:
    written = helper.render(notebook, page, "Occupation outlook")
else:
    written = None
    helper.close()
print(json.dumps({"written": written, "alive": helper._process.is_alive()}))
"""


def _probe(notebook: Path | str, page: Path | str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(notebook), str(page)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def _notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Wages\nMedical records specialists, **Ohio**."),
            nbformat.v4.new_code_cell(
                "x = 1",
                outputs=[nbformat.v4.new_output("stream", name="stdout", text="$50,990\n")],
            ),
        ]
    )
    nbformat.write(nb, path)
    return path


def test_the_helper_writes_the_same_page(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path / "report.ipynb")
    page = tmp_path / "report.html"
    assert _probe(notebook, page) == {"written": True, "alive": False}
    assert page.read_text(encoding="utf-8") == html(
        nbformat.read(notebook, as_version=4), "Occupation outlook"
    )


def test_a_helper_that_cannot_write_says_so_and_ends(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path / "report.ipynb")
    page = tmp_path / "missing" / "report.html"
    assert _probe(notebook, page) == {"written": False, "alive": False}
    assert not page.exists()


def test_a_helper_never_asked_ends_with_the_report() -> None:
    assert _probe("", "") == {"written": None, "alive": False}

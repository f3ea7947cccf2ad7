"""The HTML page written by a helper process: the same page as exported here, and the
helper gone afterwards."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from marketdata.reports.export import html
from marketdata.reports.export_process import HtmlProcess


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
    helper = HtmlProcess.start()
    if helper is None:
        pytest.skip("this process cannot fork here")
    page = tmp_path / "report.html"
    assert helper.render(notebook, page, "Occupation outlook")
    assert page.read_text(encoding="utf-8") == html(
        nbformat.read(notebook, as_version=4), "Occupation outlook"
    )
    assert not helper._process.is_alive()


def test_a_helper_that_cannot_write_says_so_and_ends(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path / "report.ipynb")
    helper = HtmlProcess.start()
    if helper is None:
        pytest.skip("this process cannot fork here")
    assert not helper.render(notebook, tmp_path / "missing" / "report.html", "x")
    assert not helper._process.is_alive()


def test_a_helper_never_asked_ends_with_the_report() -> None:
    helper = HtmlProcess.start()
    if helper is None:
        pytest.skip("this process cannot fork here")
    helper.close()
    assert not helper._process.is_alive()

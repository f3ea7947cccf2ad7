"""report.pdf from report.html: opened with pypdf and searched for the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from marketdata.reports import pdf

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>
<h1>Medical Records Specialists (29-2072) in Ohio</h1>
<p>Medical records specialists in Ohio earned a median of $50,990 a year in May 2025.</p>
<table><tr><th>Area</th><th>Median annual</th></tr><tr><td>Ohio</td><td>$50,990</td></tr></table>
</body></html>"""


def text_of(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


@pytest.mark.skipif(pdf.renderer() is None, reason="no PDF renderer (chromium or weasyprint)")
@pytest.mark.parametrize(("paper", "width"), [("letter", 612), ("a4", 595)])
def test_pdf_holds_the_text_on_the_paper_asked(tmp_path: Path, paper: str, width: int) -> None:
    html = tmp_path / "report.html"
    html.write_text(PAGE, encoding="utf-8")
    out = pdf.render(html, paper=paper)
    assert out == tmp_path / "report.pdf"
    text = text_of(out)
    assert "earned a median of $50,990 a year in May 2025" in text
    assert "29-2072" in text
    box = PdfReader(out).pages[0].mediabox
    assert round(float(box.width)) == width  # Letter 8.5 in, A4 210 mm, in points
    assert not list(tmp_path.glob("marketdata-pdf-*"))  # no scratch left


def test_no_renderer_says_what_to_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on it
    monkeypatch.delenv("MARKETDATA_CHROMIUM", raising=False)
    monkeypatch.setattr(pdf, "_weasyprint", lambda: None)
    html = tmp_path / "report.html"
    html.write_text(PAGE, encoding="utf-8")
    with pytest.raises(pdf.PdfUnavailable) as err:
        pdf.render(html)
    message = str(err.value)
    assert "\n" not in message
    assert "apt-get install chromium" in message and "pip install weasyprint" in message
    assert not (tmp_path / "report.pdf").exists()

"""``report.pdf`` from ``report.html``, with a well-kept renderer when one is installed.

Headless Chromium (the ``chromium`` package; ``MARKETDATA_CHROMIUM`` names another binary)
prints the page as a browser would; WeasyPrint (``pip install weasyprint``) is used when
there is no Chromium. Without either, :class:`PdfUnavailable` says in one line what to
install; the HTML report is unaffected.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from marketdata.core.errors import MarketdataError, ReportError

logger = logging.getLogger(__name__)

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: apt-get install chromium) or WeasyPrint "
    "(pip install weasyprint) to also get report.pdf"
)
#: Flags that start Chromium headless, isolated and quiet (no sync, updates or first-run page).
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: Paper sizes the print stylesheet is laid out for.
PAPER = {"letter": "Letter", "a4": "A4"}
_TIMEOUT = 120


def paper_of(pdf: bool | str) -> str | None:
    """The paper a report's ``pdf=`` asks for: None (no PDF), ``"letter"`` for True, or the
    paper named (``"letter"``, ``"a4"``, any case).

    Raises
    ------
    ReportError
        For a paper that is not one of :data:`PAPER`.
    """
    if pdf is False or pdf is None:
        return None
    if pdf is True:
        return "letter"
    paper = str(pdf).strip().lower()
    if paper not in PAPER:
        raise ReportError(f"paper {pdf!r}: give one of {', '.join(PAPER)}")
    return paper


class PdfUnavailable(MarketdataError):
    """No HTML-to-PDF renderer is installed."""


class PdfError(MarketdataError):
    """The renderer ran but gave no PDF."""


def chromium() -> str | None:
    """Path of a Chromium-family browser, or None."""
    named = os.environ.get("MARKETDATA_CHROMIUM", "").strip()
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((found for n in CHROMIUM_NAMES if (found := shutil.which(n))), None)


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError):  # OSError: the package is there, its libraries are not
        return None
    return weasyprint


def renderer() -> str | None:
    """``"chromium"``, ``"weasyprint"`` or None: what :func:`render` would use."""
    if chromium():
        return "chromium"
    return "weasyprint" if _weasyprint() is not None else None


#: A folded detail section, as the report page writes it; printed open.
FOLDED = '<details class="md-fold">'
#: Where the brief ends in a report page (:mod:`marketdata.reports.brief_html`).
BRIEF_END = "md-brief-end"


def brief_page(html: str) -> str | None:
    """The report page ``html`` cut to its title and brief (a page of its own), or None when
    it has no brief."""
    marker, body = html.find('class="md-brief"'), html.find("<body")
    end = html.rfind("</section>", 0, html.find(BRIEF_END))
    start = html.rfind("<section", 0, marker)
    if min(marker, end, body, start) < 0:
        return None
    end += len("</section>")
    head = html[: html.index(">", body) + 1]
    style = (
        "<style>@media print { .md-brief { break-after: auto; page-break-after: auto; } }</style>"
    )
    return f"{head}{style}<main>{html[start:end]}</main></body></html>"


def _with_paper(html: str, paper: str) -> str:
    """The page with its folded sections open and an ``@page`` size rule placed last, so it
    wins."""
    html = html.replace(FOLDED, FOLDED.replace(">", " open>"))
    rule = f"<style>@page {{ size: {PAPER[paper]}; }}</style>"
    at = html.lower().rfind("</head>")
    return html[:at] + rule + html[at:] if at >= 0 else rule + html


def _chromium(binary: str, page: Path, pdf: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="marketdata-chromium-") as profile:
        command = [
            binary,
            *HEADLESS_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfError(f"Chromium took more than {_TIMEOUT} s to print {page}") from None
        logger.debug("chromium: %s", done.stderr.strip())
        if done.returncode != 0 and not pdf.is_file():
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise PdfError(f"Chromium could not print {page} (exit {done.returncode}): {last}")


def render(
    html_path: str | os.PathLike[str],
    pdf_path: str | os.PathLike[str] | None = None,
    *,
    paper: str = "letter",
) -> Path:
    """Print ``html_path`` to ``pdf_path`` (default: beside it, ``.pdf``) on ``paper``
    (``"letter"`` or ``"a4"``); the file appears whole or not at all.

    Raises
    ------
    PdfUnavailable
        Neither Chromium nor WeasyPrint is installed (the message says what to install).
    PdfError
        The renderer failed.
    """
    html_path = Path(html_path)
    pdf_path = Path(pdf_path) if pdf_path is not None else html_path.with_suffix(".pdf")
    if paper not in PAPER:
        raise MarketdataError(f"paper {paper!r}: give one of {', '.join(PAPER)}")
    binary, weasy = chromium(), None
    if binary is None:
        weasy = _weasyprint()
        if weasy is None:
            raise PdfUnavailable(f"no PDF written: {INSTALL_HINT}")
    text = _with_paper(html_path.read_text(encoding="utf-8"), paper)
    with tempfile.TemporaryDirectory(prefix="marketdata-pdf-", dir=pdf_path.parent) as work:
        page = Path(work) / html_path.name  # reports embed their images: a copy prints the same
        page.write_text(text, encoding="utf-8")
        out = Path(work) / "report.pdf"
        if binary is not None:
            _chromium(binary, page, out)
        else:
            weasy.HTML(filename=str(page), base_url=str(html_path.parent)).write_pdf(str(out))
        if not out.is_file() or out.read_bytes()[:5] != b"%PDF-":
            raise PdfError(f"the renderer wrote no PDF for {html_path}")
        os.replace(out, pdf_path)
    return pdf_path

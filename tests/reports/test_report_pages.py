"""Finished reports as a reader meets them: the README's main job offline, each report kind
in a real headless browser (1280 and 800 px) and as a PDF, and a report after
``marketdata fetch``. Offline on the bundled May 2025 OEWS and EP 2024-34 data."""

from __future__ import annotations

import base64
import functools
import json
import math
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest
from pypdf import PdfReader

from marketdata import reports
from marketdata.cli import commands as cli
from marketdata.core.config import Settings, reset_settings
from marketdata.reports.pdf import renderer
from marketdata.sources import ep
from tests.bls_server import BLSServer
from tests.browser import Browser, find_chromium

DATA = Path(__file__).parents[1] / "data"
STATES = DATA / "plots" / "oews_2025_states.csv"
#: What a report body must never show: URLs, cache keys, exception names and texts.
TECHNICAL = re.compile(
    r"https?://|www\.|\.gov\b|\.json\b|[A-Z][a-z]+Error\b|Traceback|not in the cache|"
    r"MARKETDATA_OFFLINE|oe\.area|oe/oe\."
)
KINDS = {
    "occupation_outlook": {"occupation": "29-2072", "area": "OH"},
    "regional_salary_report": {"area": "OH", "occupations": "29-0000"},
    "growth_explorer": {"soc_group": "29-0000", "area": "OH"},
}

#: The paper each kind is printed on in these tests (``pdf=True`` is Letter), and its width
#: in points: Letter 8.5 in, A4 210 mm.
PAPER = {"occupation_outlook": True, "regional_salary_report": "letter", "growth_explorer": "a4"}
WIDTH = {True: 612, "letter": 612, "a4": 595}


def page_bound(html: str) -> int:
    """The most pages a sensible print of ``html`` takes: a page per two figures (a figure
    taller than a page prints at its own size over as many pages as it needs, 980 CSS px of
    Letter's text height each) and per 15 table rows (a Letter or A4 page at the print
    stylesheet's 8 pt holds 35-50 rows; 15 leaves room for rows whose titles and notes
    wrap), plus one for the title, brief or summary, and About box."""
    heights = [
        int.from_bytes(base64.b64decode(data[:44])[20:24], "big")
        for data in re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    ]
    figures = sum(0.5 if h <= 980 else math.ceil(h * 0.96 / 980) for h in heights)
    return math.ceil(figures + html.count("<tr>") / 15 + 1)


def body_text(path: Path) -> str:
    """The visible text of a report page (markup, styles and embedded images removed)."""
    page = path.read_text(encoding="utf-8")
    body = page[page.index("<body") :]
    body = re.sub(r"<style.*?</style>|<script.*?</script>", " ", body, flags=re.S)
    body = re.sub(r'src="data:[^"]*"', "", body)
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&#x27;", "'").split())


def published_median(area_code: str) -> float:
    for line in STATES.read_text().splitlines()[1:]:
        fields = line.split(",")
        if fields[0] == area_code and "29-2072" in line:
            header = STATES.read_text().splitlines()[0].split(",")
            return float(fields[header.index("annual_median") + (len(fields) - len(header))])
    raise KeyError(area_code)


@pytest.fixture(scope="module")
def offline(tmp_path_factory) -> Settings:
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"), offline=True)


@pytest.fixture(scope="module")
def built(offline: Settings, tmp_path_factory) -> dict[str, reports.ReportResult]:
    root = tmp_path_factory.mktemp("reports")
    return {
        name: reports.run(name, output_dir=root, settings=offline, pdf=PAPER[name], **params)
        for name, params in KINDS.items()
    }


def test_readme_main_job_offline(tmp_path: Path, monkeypatch, capsys) -> None:
    """``marketdata report occupation_outlook --occupation 29-2072 --area OH``, offline."""
    monkeypatch.setenv("MARKETDATA_CACHE_DIR", str(tmp_path / "cache"))
    reset_settings()
    argv = ["report", "occupation_outlook", "--occupation", "29-2072", "--area", "OH"]
    assert cli.main([*argv, "--output-dir", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    html = Path(out[-1].split(" to ", 1)[1])
    text = body_text(html)
    assert not TECHNICAL.search(text), TECHNICAL.search(text)
    manifest = json.loads((html.parent / "manifest.json").read_text())
    summary = " ".join(manifest["summary"])  # recorded; the page leads with the brief
    brief = (html.parent / "brief.txt").read_text()
    assert "Half of the workers in Ohio earn more than $50,990 a year" in text
    assert text.index("With and without a certification") < text.index("Quick facts")
    assert "Ohio's own forecast is not downloaded yet: marketdata fetch --state OH" in text
    assert "not available" not in brief.lower()
    ohio, nation = published_median("3900000"), published_median("0000000")
    assert (ohio, nation) == (50990, 51140)
    assert f"a median of ${ohio:,.0f} a year in May 2025" in summary
    assert f"the national median (${nation:,.0f})" in summary
    workbook = ep.parse_workbook(DATA / "ep" / "occupation_2024-34.xlsx", kind="projections")
    row = workbook[workbook["occupation_code"] == "29-2072"].iloc[0]
    assert f"grow {row['percent_change']:.1f}% from 2024 to 2034" in summary
    assert f"about {row['openings_annual']:,.0f} openings a year" in summary
    # every section that could not be filled is in the manifest, Ohio's projections included
    sections = {u["section"] for u in manifest["unavailable"]}
    assert sections == {
        "Industries that employ it",
        "Projected growth and openings",
        "Pay with a certification, by occupation group",
    }
    assert all(u["reason"] for u in manifest["unavailable"])  # the technical detail is kept
    # the terminal's closing lines: data vintage, what was unavailable, where the report is
    assert "OEWS May 2025: bundled with marketdata (BLS's files retrieved 2026-09-26)." in out
    assert any(line.startswith("EP 2024-34: bundled with marketdata") for line in out)
    assert sum(line.startswith("Not filled: ") for line in out) == 3
    assert "To fill these sections, run `marketdata fetch --state OH` while online" in out[-2]
    assert not any(TECHNICAL.search(line) for line in out[:-1])


def test_fetch_state_then_the_report_has_state_projections(
    bls_server: BLSServer, online_settings: Settings, tmp_path: Path, monkeypatch, capsys
) -> None:
    """The test server has Projections Central's Ohio row for registered nurses (29-1141),
    BLS's EP workbook, and no OEWS files (the test slice lacks 29-1141: OEWS then comes from
    the bundled snapshot, and fetch says so)."""
    bls_server.add(
        "/Projections/LongTermRestJson/39",
        DATA / "projections_central" / "oh-29-1141-2026-09-11-slice.json",
        content_type="application/json",
    )
    bls_server.add("/emp/ind-occ-matrix/occupation.xlsx", DATA / "ep" / "occupation_2024-34.xlsx")
    for name, value in online_settings.to_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MARKETDATA_OFFLINE", "0")
    reset_settings()
    assert cli.main(["fetch", "--state", "OH", "--no-cps"]) == 1
    out = capsys.readouterr().out
    assert "FAILED  OEWS current release: 404 Not Found" in out
    assert "ok      State projections OH" in out
    offline = online_settings.replace(offline=True)
    result = reports.run(
        "occupation_outlook",
        output_dir=tmp_path,
        settings=offline,
        occupation="29-1141",
        area="OH",
    )
    assert "Projected growth and openings" not in {u["section"] for u in result.unavailable}
    growth = pd.read_csv(result.tables["growth"]).set_index("area_name")
    assert list(growth.index) == ["Ohio", "United States"]
    assert growth.loc["Ohio", "percent_change"] == 1.5  # Projections Central, as published
    assert growth.loc["Ohio", "openings_annual"] == 7190
    text = body_text(result.html)
    assert "In Ohio, jobs should grow 1.5% from 2024 to 2034" in text  # the brief: Ohio's own
    assert "with about 7,190 openings a year" in text
    assert "Ohio's own forecast is not downloaded yet" not in text


@pytest.mark.parametrize("name", list(KINDS))
def test_report_body_has_no_technical_text(built, name: str) -> None:
    result = built[name]
    found = TECHNICAL.search(body_text(result.html))
    assert found is None, found
    assert all(u["reason"] and u["plain"] for u in result.unavailable)  # kept, in the manifest


@pytest.mark.parametrize("name", list(KINDS))
def test_report_in_a_real_browser(built, name: str, tmp_path: Path) -> None:
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium (.ci/run installs the chromium package)")
    result = built[name]
    with Browser(binary) as browser:
        for width in (1280, 800):
            shot = tmp_path / f"{name}-{width}.png"  # kept as a test artifact
            page = browser.inspect(result.html, width, screenshot=shot)
            assert page.overflow == 0, (width, page.overflow)
            assert page.wide == [], (width, page.wide)  # wide tables scroll in their own box
            assert page.images and page.broken_images == []
            assert all(i["alt"] for i in page.images)  # alt text on every figure
            assert page.console_errors == []
            assert lead_of(result) in " ".join(page.text.split())  # the brief or summary
            assert shot.read_bytes()[:4] == b"\x89PNG"
        # printed, nothing may scroll: every table fits A4's text width (210 mm less the
        # 8 mm margins, 194 mm = 733 CSS px; Letter's is wider), none is cut
        printed = browser.inspect(result.html, 733, media="print")
        assert printed.overflow == 0 and printed.wide == [], printed.wide
        assert printed.scrolled == [], printed.scrolled


def lead_of(result: reports.ReportResult) -> str:
    """What a report opens with: the brief's pay line (occupation outlook), else the summary."""
    if result.name == "occupation_outlook":
        return "Half of the workers in Ohio earn more than $50,990 a year, and half earn less."
    return " ".join(result.summary)


def test_first_screen_answers_the_student(built, tmp_path: Path) -> None:
    """At 1280 x 800 px, as the page opens: the pay, both certification figures and the jobs
    line, before any detail."""
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium (.ci/run installs the chromium package)")
    result = built["occupation_outlook"]
    bands = pd.read_csv(result.tables["credentials"]).iloc[0]
    with Browser(binary) as browser:
        shot = tmp_path / "first-screen.png"
        page = browser.inspect(
            result.html, 1280, height=800, unfold=False, viewport_only=True, screenshot=shot
        )
    text = " ".join(page.text.split())
    with_ = (bands["cert_only_annual_low"] + bands["cert_only_annual_high"]) / 2
    assert "$50,990 a year" in text and "$24.52 an hour" in text
    assert f"${round(with_ / 100) * 100:,.0f} a year with a certification (estimate)" in text
    assert re.search(r"\$\d\d,\d00 a year without a certification \(estimate\)", text)
    assert "In the nation as a whole, jobs should grow 7.1% from 2024 to 2034" in text
    assert "About 1 in 4 jobs in this field require a certification." in text
    assert "Location quotient" not in text  # the details stay folded below the brief


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_brief_alone_on_one_page(offline: Settings, tmp_path: Path, paper: str) -> None:
    """brief.pdf is one page; report.pdf's first page is the whole brief (its heading down to
    its line on what is missing) and nothing else, on Letter as on A4."""
    if renderer() is None:
        pytest.skip("no PDF renderer installed")
    result = reports.run(
        "occupation_outlook",
        output_dir=tmp_path,
        settings=offline,
        pdf=paper,
        brief=True,
        **KINDS["occupation_outlook"],
    )
    alone = PdfReader(result.brief_pdf)
    assert len(alone.pages) == 1 and round(float(alone.pages[0].mediabox.width)) == WIDTH[paper]
    text = unicodedata.normalize("NFKC", " ".join((alone.pages[0].extract_text() or "").split()))
    assert "With and without a certification" in text and "Quick facts" not in text
    first = unicodedata.normalize(
        "NFKC", " ".join((PdfReader(result.pdf).pages[0].extract_text() or "").split())
    )
    assert first.startswith("Medical records specialists in Ohio Job code 29-2072.")
    assert "Sources: BLS wage survey" in first and "Not downloaded yet:" in first
    assert "Occupation outlook" not in first and "Quick facts" not in first  # its own page


@pytest.mark.parametrize("name", list(KINDS))
def test_report_pdf_holds_the_summary(built, name: str) -> None:
    result = built[name]
    if renderer() is None:
        assert result.pdf is None and "install" in result.pdf_note
        pytest.skip("no PDF renderer installed")
    assert result.pdf == result.directory / "report.pdf"
    reader = PdfReader(result.pdf)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    joined = text.replace("- ", "-")  # a line broken after a hyphen ("entry- level")
    for sentence in result.summary if name != "occupation_outlook" else [lead_of(result)]:
        assert sentence in joined, sentence  # the whole summary (or the brief), the About box
    assert "About these data" in text and "Data sources: U.S. Bureau of Labor Statistics" in text
    assert "bundled with marketdata" in text
    manifest = json.loads(result.manifest.read_text())
    assert "report.pdf" in manifest["files"] and manifest["pdf"]["written"]
    assert manifest["pdf"]["paper"] == ("letter" if PAPER[name] is True else PAPER[name])
    assert {round(float(p.mediabox.width)) for p in reader.pages} == {WIDTH[PAPER[name]]}
    bound = page_bound(result.html.read_text(encoding="utf-8"))
    assert len(reader.pages) <= bound, (len(reader.pages), bound)
    with pdfplumber.open(result.pdf) as printed:
        # no text under 8 pt (Chromium writes 8 pt as 7.99), charts at their own size (their
        # text is 8 pt or more: plots.base), and no last page holding only a footer line
        sizes = [c["size"] for page in printed.pages for c in page.chars]
        assert min(sizes) >= 7.95, min(sizes)
        scales = [i["width"] / (i["srcsize"][0] * 0.72) for p in printed.pages for i in p.images]
        assert scales and min(scales) >= 0.99, scales
        last = (printed.pages[-1].extract_text() or "").strip().splitlines()
        assert len(last) > 3, last


def test_batch_pdf_and_resume(offline: Settings, tmp_path: Path) -> None:
    from marketdata.reports import batch

    run = functools.partial(
        batch.run,
        "occupation_outlook",
        over={"area": "OH,KY"},
        params={"occupation": "29-2072"},
        output_dir=tmp_path,
        settings=offline,
        workers=1,
    )
    first = run()
    assert list(first.summary["status"]) == ["ok", "ok"]
    assert not list(tmp_path.rglob("report.pdf"))
    again = run(pdf=True)
    if renderer() is None:
        pytest.skip("no PDF renderer installed")
    assert list(again.summary["status"]) == ["ok", "ok"]  # no PDF yet: not up to date
    pdfs = sorted(tmp_path.rglob("report.pdf"))
    assert len(pdfs) == 2 and all(p.read_bytes()[:5] == b"%PDF-" for p in pdfs)
    third = run(pdf=True)
    assert list(third.summary["status"]) == ["skipped", "skipped"]

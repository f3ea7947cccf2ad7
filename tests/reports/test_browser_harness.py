"""The browser harness finds what it is meant to find (so the report tests can trust it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import Browser, find_chromium

PNG = (  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<p>Summary sentence.</p>
<img alt="ok" src="data:image/png;base64,{PNG}">
<img alt="broken" src="missing.png">
<div style="overflow-x:auto">
<table style="width:1000px"><tr><td>scrolls in its box</td></tr></table></div>
<table style="width:900px"><tr><td>too wide</td></tr></table>
<script>console.error("boom")</script>
</body></html>"""


@pytest.fixture(scope="module")
def browser():
    binary = find_chromium()
    if binary is None:
        pytest.skip("no Chromium installed (.ci/run installs the chromium package)")
    with Browser(binary) as b:
        yield b


def test_harness_measures_overflow_images_console_and_text(browser, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    wide = browser.inspect(page, 800, screenshot=tmp_path / "800.png")
    assert wide.overflow == 100  # the 900 px table in an 800 px window
    assert wide.wide == ["table to 900px"]  # the 1000 px one scrolls in its own box
    assert any("1000 in 800" in s for s in wide.scrolled)
    assert [i["alt"] for i in wide.broken_images] == ["broken"]
    assert any("boom" in e for e in wide.console_errors)
    assert "Summary sentence." in wide.text
    assert (tmp_path / "800.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    roomy = browser.inspect(page, 1280)
    assert roomy.overflow == 0 and roomy.wide == []

"""The counselor page against the command line: time from "Make report" to the report on the
page, and the time of ``marketdata report`` for the same report (29-2072 in Ohio, offline on
the bundled data, warm cache).

The page runs in ``marketdata app`` in headless Chromium (the tests' harness); the clock
starts when the button is clicked and stops when the report's text is in the page. The
command line is timed as a whole process, after the page's report in each round, and the
report inside it as its own log line says (``-v``: start-up and imports left out). Medians of
``--runs`` rounds with min-max; the page's first report (its process warming up) is reported
apart.

    python bench/bench_app.py --runs 5
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import Browser, Tab, find_chromium  # noqa: E402
from tests.cli.test_app import ERROR_TEXT, REPORT_TEXT, App, click, pick  # noqa: E402

REPORT = ["occupation_outlook", "--occupation", "29-2072", "--area", "OH"]
_WRITTEN = re.compile(r"report \S+ written to .* in ([0-9.]+) s")


def on_page(tab: Tab) -> float:
    """Seconds from clicking "Make report" to the Ohio summary on the page."""
    started = time.perf_counter()
    click(tab, ".md-make")
    tab.wait_for("!document.querySelector('.md-report iframe')", timeout=60)  # the last one gone
    text = tab.wait_for(f"{REPORT_TEXT} || {ERROR_TEXT}", timeout=300)
    seconds = time.perf_counter() - started
    if "Medical records specialists in Ohio" not in text:
        sys.exit(f"the page showed no Ohio report: {text[:300]}")
    return seconds


def command_line(out: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds of ``marketdata report`` as a whole process, and of the report inside it (what
    its log line says, imports and start-up left out)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "marketdata", "-v", "report", *REPORT, "--output-dir", str(out)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    whole = time.perf_counter() - started
    said = _WRITTEN.search(done.stderr)
    if said is None:
        sys.exit(f"marketdata report said no time: {done.stderr[-300:]}")
    return whole, float(said[1])


def shown(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    chromium = find_chromium()
    if chromium is None:
        sys.exit("skipped: no Chromium installed")
    work = Path(tempfile.mkdtemp(prefix="bench-app-"))
    os.environ.update(MARKETDATA_OFFLINE="1", MARKETDATA_CACHE_DIR=str(work / "cache"))
    alone = dict(os.environ)
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    command_line(work / "cli", alone)  # the cache filled as for every later run
    app = App(work)
    times: dict[str, list[float]] = {"page": [], "alone": [], "inside": []}
    try:
        with Browser(chromium, timeout=120) as browser:
            tab = Tab(browser, app.url)
            tab.wait_for("document.querySelector('.md-occupation input') !== null", timeout=120)
            pick(tab, "md-occupation", "29-2072", "29-2072")
            pick(tab, "md-area", "Ohi", "Ohio")
            first = on_page(tab)
            for _ in range(args.runs):
                times["page"].append(on_page(tab))
                whole, inside = command_line(work / "cli", alone)
                times["alone"].append(whole)
                times["inside"].append(inside)
            tab.close()
    finally:
        app.stop()
    page, cli_alone, cli_inside = (statistics.median(times[k]) for k in times)
    print(f"page, first report (its process warming up): {first:.2f} s")
    print(f"page, Make report -> report shown: {shown(times['page'])}")
    print(f"marketdata report, the whole command: {shown(times['alone'])}")
    print(f"marketdata report, the report as its log says: {shown(times['inside'])}")
    print(f"page minus the whole command: {page - cli_alone:+.2f} s; target: within 2 s")
    print(f"page minus the report inside the command: {page - cli_inside:+.2f} s")
    print(json.dumps({k: [round(v, 3) for v in vs] for k, vs in times.items()}))


if __name__ == "__main__":
    main()

"""Quiet by default: an offline fallback is said once per source per process, in one short
sentence, at the user's own line; ``marketdata.quiet()`` silences the package's warnings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: A user's script: three offline loads and one salary breakdown, every warning recorded.
SCRIPT = textwrap.dedent(
    """
    import json, sys, warnings
    warnings.simplefilter("always")  # show every warning issued, as a fresh notebook would
    import marketdata as md
    caught = []
    def record(message, category, filename, lineno, file=None, line=None):
        caught.append([category.__name__, str(message), filename, lineno])
    warnings.showwarning = record
    if sys.argv[1] == "quiet":
        md.quiet()
    md.oews.load("29-2072", "US")
    md.oews.load("29-2072", "OH")
    md.oews.load("29-2072", "Columbus, OH")
    md.salary.breakdown("29-2072", ["OH", "Columbus, OH"])
    print(json.dumps(caught))
    """
)


def _run(tmp_path: Path, mode: str) -> list[list[object]]:
    script = tmp_path / "analyst.py"
    script.write_text(SCRIPT)
    env = {
        **os.environ,
        "MARKETDATA_OFFLINE": "1",
        "MARKETDATA_CACHE_DIR": str(tmp_path / "cache"),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, str(script), mode],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def loud(tmp_path_factory: pytest.TempPathFactory) -> list[list[object]]:
    return _run(tmp_path_factory.mktemp("loud"), "default")


def test_each_source_warns_at_most_once(loud: list[list[object]]) -> None:
    offline = [w for w in loud if w[0] == "OfflineDataWarning"]
    messages = Counter(str(w[1]) for w in offline)
    assert offline, "the bundled data were used without a word"
    assert all(n == 1 for n in messages.values()), messages
    oews = [m for m in messages if "OEWS" in m]
    assert oews == ["Offline mode is on; using the bundled OEWS May 2025 snapshot."]


def test_warnings_are_short_and_point_at_the_users_lines(loud: list[list[object]]) -> None:
    for category, message, filename, _ in loud:
        assert Path(str(filename)).name == "analyst.py", (category, message, filename)
        assert str(message).count(". ") == 0 and "\n" not in str(message), message
        assert len(str(message)) <= 100, message
        assert "/marketdata/" not in str(message)


def test_quiet_silences_the_package(tmp_path: Path) -> None:
    assert _run(tmp_path, "quiet") == []

"""A Parquet write killed with ``SIGKILL`` half-way: what it left is removed by the next write
of that frame and by ``marketdata cache clear``, and nothing else is touched.

The write runs in its own Python process, killed as soon as its temporary folder
(``.<name>.parquet.<8 characters>.part``, beside where the frame goes) holds a Parquet file.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from marketdata.cli.commands import main
from marketdata.core.config import Settings, reset_settings
from marketdata.io import cache
from tests.conftest import DATA

ROWS = 3_000_000  # a write of a few seconds: time to catch it half-way
CHILD = """
import sys
from pathlib import Path
import numpy as np
import pandas as pd
from marketdata.core.config import Settings
from marketdata.io import cache

settings = Settings(cache_dir=Path(sys.argv[1]), offline=True)
entry = cache.lookup("oe/oe.footnote", settings=settings)
rng = np.random.default_rng(0)
df = pd.DataFrame({"a": rng.random(int(sys.argv[2])), "b": rng.random(int(sys.argv[2]))})
cache.write_parquet(df, "oews/2025A01", inputs=[entry], settings=settings, parts=2,
                    row_group_size=100_000)
"""


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*")) if folder.is_dir() else []


def _killed_write(settings: Settings) -> list[str]:
    """Start a write of ``oews/2025A01``, kill it once its temporary folder holds a Parquet
    file; return what it left in ``parquet/oews``."""
    folder = settings.cache_dir / "parquet" / "oews"
    args = [sys.executable, "-c", CHILD, str(settings.cache_dir), str(ROWS)]
    child = subprocess.Popen(args, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:
        while not any(folder.glob(".2025A01.parquet.*.part/*.parquet")):
            assert child.poll() is None, child.communicate()[1].decode()[-2000:]
            assert time.monotonic() < deadline, "the write never started"
            time.sleep(0.005)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.communicate()
    assert child.returncode == -signal.SIGKILL, "the write ended before it was killed"
    return _leftovers(folder)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(cache_dir=tmp_path / "cache", offline=True)
    saved = tmp_path / "oe.footnote"
    saved.write_bytes((DATA / "http" / "oe.footnote").read_bytes())
    cache.add_file(saved, key="oe/oe.footnote", url="https://x/f", settings=settings)
    return settings


def test_the_next_write_removes_what_a_killed_write_left(settings: Settings):
    left = _killed_write(settings)
    assert len(left) == 1 and left[0].startswith(".2025A01.parquet.") and left[0].endswith(".part")
    folder = settings.cache_dir / "parquet" / "oews"
    assert any((folder / left[0]).rglob("*.parquet")), "killed before any bytes were written"
    assert not (folder / "2025A01.parquet").exists()
    entry = cache.lookup("oe/oe.footnote", settings=settings)
    df = pd.DataFrame({"a": [1.0, 2.0]})
    cache.write_parquet(df, "oews/2025A01", inputs=[entry], settings=settings)
    assert _leftovers(folder) == []
    assert cache.read_parquet("oews/2025A01", inputs=[entry], settings=settings).equals(df)


def test_cache_clear_removes_what_a_killed_write_left(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    mine = settings.cache_dir / "parquet" / "oews" / ".my-notes.txt"
    mine.parent.mkdir(parents=True)
    mine.write_text("mine")
    assert len(_killed_write(settings)) == 2  # the write's folder, and the user's file
    monkeypatch.setenv("MARKETDATA_CACHE_DIR", str(settings.cache_dir))
    reset_settings()
    assert main(["cache", "clear", "--yes"]) == 0
    capsys.readouterr()
    files = sorted(p.relative_to(settings.cache_dir) for p in settings.cache_dir.rglob("*"))
    assert files == [Path("parquet"), Path("parquet/oews"), Path("parquet/oews/.my-notes.txt")]

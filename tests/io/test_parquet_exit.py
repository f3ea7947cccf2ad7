"""A process that reads a cached frame and exits at once ends cleanly.

Arrow's scanner lets go of the file it read on a thread of its own, just after the read
returns. Were the file's bytes a Python object, that thread would need the interpreter while
it shuts down, and the process would abort ("terminate called without an active exception",
exit -6). Each child reads one checked frame file with filters, the path that uses the
scanner, as its very last step, which is when the race is likeliest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from marketdata.core.config import Settings
from marketdata.io import cache
from tests.conftest import DATA

CHILDREN = 128
AT_ONCE = 4
CHILD = """
import hashlib
import sys
from pathlib import Path
import pandas  # as in any use of marketdata: a longer shutdown, a wider window
from marketdata.io import cache_frames

path = Path(sys.argv[1])
data = path.read_bytes()
record = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
del data
cache_frames._read(path, record, "its file", None, [("a", "<", 10)])
"""


@pytest.mark.slow
def test_processes_reading_a_frame_exit_cleanly(tmp_path: Path):
    settings = Settings(cache_dir=tmp_path / "cache", offline=True)
    saved = tmp_path / "oe.footnote"
    saved.write_bytes((DATA / "http" / "oe.footnote").read_bytes())
    entry = cache.add_file(saved, key="oe/oe.footnote", url="https://x/f", settings=settings)
    frame = pd.DataFrame({"a": range(200_000), "b": ["text"] * 200_000})
    path = cache.write_parquet(frame, "test/exit", inputs=[entry], settings=settings)
    assert cache.read_parquet("test/exit", inputs=[entry], settings=settings).equals(frame)

    args = [sys.executable, "-c", CHILD, str(path)]
    failed = []
    for _ in range(CHILDREN // AT_ONCE):
        children = [
            subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for _ in range(AT_ONCE)
        ]
        try:
            for child in children:
                _, err = child.communicate(timeout=120)
                if child.returncode != 0:
                    failed.append((child.returncode, err.decode()[-300:]))
        finally:
            for child in children:
                child.kill()
                child.wait()
    assert failed == [], f"{len(failed)} of {CHILDREN} exits failed: {failed[0]}"

"""What ``oews.load`` reads of cached OEWS files before it parses them, damaged by bit rot.

``oews.load`` reads the release's name, the code tables and the data file's first two lines
before it parses or hashes the data file. A bit changed there, with the file's size and time
kept (a header, a year, a period, the code of the nation or of 29-2072), is found to be
damage: the file is dropped, the bundled snapshot's figure is shown with one warning, and the
next load shows it too; never an error that lasts until the cache is cleared, nor "no area
0000000 in this release". (Years, periods and codes are changed in their last digit: "May
2024" for "May 2025", "A00" for "A01", "292073" for "292072".)
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from marketdata.core.config import Settings
from marketdata.core.errors import OfflineDataWarning
from marketdata.datasets import oews, oews_codes
from marketdata.io import cache
from tests.conftest import DATA

OE = DATA / "oe"
NATIONAL = (194720.0, 51140.0)  # 29-2072 in the nation, May 2025: employment, annual median


def _first_lines_end(name: str) -> int:
    """How many bytes the first two lines of the fixture ``name`` take."""
    raw = (OE / name).read_bytes()
    return raw.index(b"\n", raw.index(b"\n") + 1) + 1


def _national(settings: Settings) -> tuple[float, float]:
    df = oews.load("29-2072", "US", settings=settings)
    return float(df["employment"].iloc[0]), float(df["annual_median"].iloc[0])


@pytest.mark.parametrize("parsed", [True, False], ids=["parsed", "not-parsed"])
@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("oe.release", "header"),
        ("oe.release", "description"),
        ("oe.occupation", "header"),
        ("oe.occupation", "code"),
        ("oe.area", "code"),
        ("oe.data.0.Current", "header"),
        ("oe.data.0.Current", "year"),
        ("oe.data.0.Current", "period"),
    ],
)
def test_a_flipped_bit_read_before_the_parse_falls_back_to_the_bundle(
    tmp_path: Path, name: str, where: str, parsed: bool
):
    settings = Settings(cache_dir=tmp_path / "cache", offline=True)
    for path in sorted(OE.glob("oe.*")):
        cache.add_file(path, key=f"oe/{path.name}", url=oews.file_url(path.name), settings=settings)
    if parsed:
        assert _national(settings) == NATIONAL
        for memo in (oews_codes._areas, oews_codes._occupations, oews_codes._industries):
            memo.cache_clear()  # what a new process has read: nothing
    path = settings.cache_dir / "raw" / "oe" / name
    data = bytearray(path.read_bytes())
    second = data.index(b"\n") + 1
    found = {
        "description": b"2025\r",
        "year": b"2025\t",
        "period": b"A01\t",
        "code": b"292072\t" if name == "oe.occupation" else b"\t0000000\t",  # 29-2072, US
    }  # the last digit of each
    at = 0 if where == "header" else data.index(found[where], second) + len(found[where]) - 2
    assert where == "code" or at < _first_lines_end(name)
    data[at] ^= 0x01
    stat = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # bit rot: size and time kept
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        assert _national(settings) == NATIONAL
    offline = [w for w in shown if issubclass(w.category, OfflineDataWarning)]
    assert len(offline) == 1, [str(w.message) for w in shown]
    assert "bundled" in str(offline[0].message)
    assert not path.exists()  # dropped, so the next load does not meet it again
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _national(settings) == NATIONAL


@pytest.mark.parametrize(
    ("name", "listed", "code"),
    [("oe.area", oews.areas, "0000000"), ("oe.occupation", oews.occupations, "29-2072")],
)
def test_a_damaged_code_table_is_listed_from_the_bundle(tmp_path: Path, name, listed, code):
    settings = Settings(cache_dir=tmp_path / "cache", offline=True)
    for path in sorted(OE.glob("oe.*")):
        cache.add_file(path, key=f"oe/{path.name}", url=oews.file_url(path.name), settings=settings)
    assert code in listed(settings=settings).iloc[:, 0].tolist()
    for memo in (oews_codes._areas, oews_codes._occupations):
        memo.cache_clear()
    path = settings.cache_dir / "raw" / "oe" / name
    data = bytearray(path.read_bytes())
    at = data.index(code.replace("-", "").encode(), data.index(b"\n")) + 5
    data[at] ^= 0x01  # its last digit
    stat = path.stat()
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    table = listed(settings=settings)
    assert code in table.iloc[:, 0].tolist()
    assert len(table) > 100  # the bundled snapshot's, not the fixture's few
    assert not path.exists()

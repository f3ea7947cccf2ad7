"""A full disk is one clear line naming the folder and the space needed, and leaves nothing
half-written: ``cache add``, the Parquet write behind ``wages`` and a report's folder, each on
a small real file system (tmpfs, mounted for the test; root only)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from marketdata.cli.commands import main
from marketdata.core.config import reset_settings
from tests.conftest import DATA

OE = DATA / "oe"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 kB tmpfs, unmounted after the test."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"tmpfs cannot be mounted here: {mounted.stderr.decode().strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def _fill(disk: Path, leave: int) -> None:
    """Fill ``disk`` with a file of the user's (not marketdata's), leaving ``leave`` bytes."""
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / "users-own-file").write_bytes(bytes(max(free - leave, 0)))


def _use_cache(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("MARKETDATA_CACHE_DIR", str(folder))
    reset_settings()


def _one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".part" in p.name or ".partial" in p.name]


def test_cache_add_on_a_full_disk(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    cache_dir = small_disk / "cache"
    _use_cache(monkeypatch, cache_dir)
    _fill(small_disk, 16_000)
    assert main(["cache", "add", str(OE / "oe.data.0.Current")]) == 2
    line = _one_line(capsys.readouterr().err)
    assert f"no space left on the disk holding {cache_dir / 'raw' / 'oe'}" in line
    assert "adding oe.data.0.Current needs 44 kB" in line  # the file's 44,356 bytes
    assert _leftovers(cache_dir) == []
    assert not (cache_dir / "raw" / "oe" / "oe.data.0.Current").exists()
    assert (small_disk / "users-own-file").exists()


def test_the_parquet_write_of_wages_on_a_full_disk(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    cache_dir = small_disk / "cache"
    _use_cache(monkeypatch, cache_dir)
    for path in sorted(OE.glob("oe.*")):
        assert main(["cache", "add", str(path)]) == 0
    capsys.readouterr()
    _fill(small_disk, 12_000)  # the parsed frame takes about 50 kB
    assert main(["wages", "29-2072", "--area", "US"]) == 2
    line = _one_line(capsys.readouterr().err)
    folder = cache_dir / "parquet" / "oews"
    assert f"no space left on the disk holding {folder}: the parsed frame oews/2025A01" in line
    assert "needs more than" in line and "free" in line
    assert _leftovers(cache_dir) == []
    assert sorted(p.name for p in folder.iterdir()) == []
    (small_disk / "users-own-file").unlink()  # room again: the same command works
    assert main(["wages", "29-2072", "--area", "US"]) == 0
    assert "194,720" in capsys.readouterr().out


def test_a_report_on_a_full_disk(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    for path in sorted(OE.glob("oe.*")):
        assert main(["cache", "add", str(path)]) == 0
    capsys.readouterr()
    outputs = small_disk / "outputs"
    argv = ["report", "occupation_outlook", "--occupation", "29-2072", "--area", "OH"]
    assert main([*argv, "--output-dir", str(outputs)]) == 2  # a report takes about 1.9 MB
    line = _one_line(capsys.readouterr().err)
    assert f"no space left on the disk holding {outputs / 'occupation_outlook'}" in line
    assert "the report 29-2072-ohio-may-2025 needs more than" in line
    assert _leftovers(outputs) == []
    assert not (outputs / "occupation_outlook" / "29-2072-ohio-may-2025").exists()

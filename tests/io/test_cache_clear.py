"""``marketdata cache clear`` removes only what marketdata wrote, and only when asked to."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from marketdata.cli.commands import main
from marketdata.core.config import Settings, reset_settings
from marketdata.core.errors import ConfigError
from marketdata.io import cache, cache_clear
from tests.conftest import DATA


def _fill(folder: Path, *, with_user_files: bool = True) -> list[Path]:
    """A cache in ``folder`` beside the user's own files; returns the user's files."""
    settings = Settings(cache_dir=folder, offline=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    saved = folder.parent / "oe.footnote"
    saved.write_bytes((DATA / "http" / "oe.footnote").read_bytes())
    entry = cache.add_file(saved, key="oe/oe.footnote", url="https://x/f", settings=settings)
    frame = pd.DataFrame({"a": [1, 2]})
    cache.write_parquet(frame, "oews/2025A01", inputs=[entry], settings=settings, index=frame)
    rows = pd.DataFrame({"a": range(6)})
    cache.write_parquet(
        rows, "oews/2024A01", inputs=[entry], settings=settings, row_group_size=2, parts=2
    )
    interrupted = folder / "parquet" / "oews" / ".2023A01.parquet.k3j9.part"
    interrupted.mkdir()
    rows.to_parquet(interrupted / "part-00.parquet")
    cache.write_json("api/abc", {"status": "REQUEST_SUCCEEDED"}, settings=settings)
    with cache.lock("oe/oe.footnote", settings=settings):
        pass
    (folder / "raw" / "oe" / ".oe.area.x1y2.part").write_bytes(b"half")
    if not with_user_files:
        return []
    mine = [
        folder / "project" / "notes.txt",
        folder / "raw" / "mine.csv",  # no metadata: not a cache entry
        folder / "parquet" / "mine.parquet",  # no metadata: not a cache frame
        folder / "json" / "config.json",  # not written as marketdata writes JSON
        folder / "locks" / "README",
    ]
    for path in mine:
        path.parent.mkdir(parents=True, exist_ok=True)
    mine[0].write_text("my notes")
    mine[1].write_text("a,b\n1,2\n")
    frame.to_parquet(mine[2])
    mine[3].write_text('{"b": 1, "a": 2}')
    mine[4].write_text("keep")
    return mine


def _use(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    monkeypatch.setenv("MARKETDATA_CACHE_DIR", str(folder))
    reset_settings()


def test_clear_removes_only_what_marketdata_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "mydata"
    mine = _fill(folder)
    _use(monkeypatch, folder)
    assert main(["cache", "clear", "--yes"]) == 0
    out = capsys.readouterr().out
    # raw file + meta, frame + index + meta, frame in 2 parts + meta, document, 4 locks (one
    # to place the raw file),
    # 2 leftovers
    assert "Removed 15 files that marketdata wrote" in out and "(4 cached entries" in out
    assert all(path.exists() for path in mine), [p for p in mine if not p.exists()]
    assert mine[0].read_text() == "my notes"
    left = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert left == sorted(p.relative_to(folder).as_posix() for p in mine)
    assert not (folder / "raw" / "oe").exists()  # emptied folders are removed


def test_clear_of_a_pure_cache_removes_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "cache"
    _fill(folder, with_user_files=False)
    _use(monkeypatch, folder)
    assert main(["cache", "clear", "--yes"]) == 0
    assert not folder.exists()
    assert main(["cache", "clear", "--yes"]) == 0
    assert "Nothing to clear" in capsys.readouterr().out


def test_clear_without_a_terminal_or_yes_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "cache"
    _fill(folder)
    _use(monkeypatch, folder)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    before = sorted(folder.rglob("*"))
    assert main(["cache", "clear"]) == 2
    err = capsys.readouterr().err
    assert "no terminal to ask" in err
    assert "--yes" in err
    assert sorted(folder.rglob("*")) == before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "status"), [("y\n", 0), ("\n", 1), ("no\n", 1)])
def test_clear_asks_in_a_terminal(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answer: str,
    status: int,
):
    folder = tmp_path / "cache"
    _fill(folder)
    _use(monkeypatch, folder)
    monkeypatch.setattr("sys.stdin", _Terminal(answer))
    assert main(["cache", "clear"]) == status
    out = capsys.readouterr().out
    assert "[y/N]" in out
    assert (folder / "raw" / "oe" / "oe.footnote").exists() == (status != 0)
    assert (folder / "project" / "notes.txt").exists()


def test_clear_refuses_a_folder_without_a_marketdata_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    folder = tmp_path / "mydata"
    (folder / "project").mkdir(parents=True)
    (folder / "project" / "notes.txt").write_text("my notes")
    _use(monkeypatch, folder)
    assert main(["cache", "clear", "--yes"]) == 2
    assert "holds no marketdata cache" in capsys.readouterr().err
    assert (folder / "project" / "notes.txt").read_text() == "my notes"


@pytest.mark.parametrize("where", ["~", "home-parent"])
def test_clear_refuses_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], where: str
):
    home = tmp_path / "home" / "me"
    _fill(home)  # even a home folder that holds a cache
    monkeypatch.setenv("HOME", str(home))
    _use(monkeypatch, home if where == "~" else home.parent)
    assert main(["cache", "clear", "--yes"]) == 2
    assert "root or home folder" in capsys.readouterr().err
    assert (home / "raw" / "oe" / "oe.footnote").exists()


def test_clear_refuses_the_root_folder():
    with pytest.raises(ConfigError, match="root or home folder"):
        cache_clear.plan(settings=Settings(cache_dir=Path("/")))
    assert any(Path("/").iterdir())

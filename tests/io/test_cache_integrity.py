"""What the cache keeps is checked before it is used, and what it refuses is refused at the door.

Parsed frames carry the SHA-256 of their files; damaged frames and metadata are dropped and
rebuilt with one warning; a writer and readers of one key never trip over each other; files
with duplicate series, workbooks beyond any BLS publishes, pipes and devices are refused by
``cache add``; leftovers of interrupted Parquet writes are removed by the next write.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from marketdata.cli.commands import main
from marketdata.core.config import Settings, reset_settings
from marketdata.core.errors import OfflineDataWarning, SourceFormatError
from marketdata.datasets import oews
from marketdata.io import cache
from tests.bls_server import BLSServer
from tests.conftest import DATA

OE = DATA / "oe"
EMPLOYMENT = "194,720"  # 29-2072 in the nation, May 2025, as oe.data.0.Current has it


def _seed(settings: Settings) -> list[cache.CachedFile]:
    return [
        cache.add_file(OE / name, key=f"oe/{name}", url=oews.file_url(name), settings=settings)
        for name in sorted(p.name for p in OE.glob("oe.*"))
    ]


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A cache holding the OEWS slice (added by hand), used by the CLI too."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MARKETDATA_CACHE_DIR", str(folder))
    reset_settings()
    settings = Settings(cache_dir=folder, offline=True)
    _seed(settings)
    return settings


def _national(settings: Settings) -> tuple[float, float]:
    df = oews.load("29-2072", "US", settings=settings)
    return float(df["employment"].iloc[0]), float(df["annual_median"].iloc[0])


def _damaged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()]


# Parsed frames ---------------------------------------------------------------------------


def test_a_flipped_byte_in_a_frame_is_found_dropped_and_parsed_again(
    seeded: Settings, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
):
    assert _national(seeded) == (194720, 51140)
    frame = seeded.cache_dir / "parquet" / "oews" / "2025A01.parquet"
    data = bytearray(frame.read_bytes())
    stat = frame.stat()
    data[len(data) // 2] ^= 0x10
    frame.write_bytes(bytes(data))
    os.utime(frame, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # bit rot: size and time kept
    assert main(["cache", "verify"]) == 1
    out = capsys.readouterr().out
    assert "8 files checked, 1 damaged and removed" in out
    assert "damaged: parquet/oews/2025A01" in out
    assert not frame.exists()
    # damaged again, then read: dropped with one warning and parsed again from the raw files
    _national(seeded)
    data = bytearray(frame.read_bytes())
    data[len(data) // 3] ^= 0x01
    frame.write_bytes(bytes(data))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert _national(seeded) == (194720, 51140)
    assert len(_damaged(caplog)) == 1, caplog.text
    assert "2025A01" in _damaged(caplog)[0]
    assert all(cache.verify(settings=seeded).values())


def test_a_frame_in_parts_checks_every_part(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    import pandas as pd

    settings = Settings(cache_dir=tmp_path / "c", offline=True)
    entry = _seed(settings)[0]
    df = pd.DataFrame({"a": range(1000), "b": [f"x{i}" for i in range(1000)]})
    index = df[["b"]]
    cache.write_parquet(
        df, "t/parts", inputs=[entry], settings=settings, row_group_size=100, parts=4, index=index
    )
    assert cache.read_parquet("t/parts", inputs=[entry], settings=settings).equals(df)
    folder = settings.cache_dir / "parquet" / "t" / "parts.parquet"
    part = sorted(folder.iterdir())[2]
    part.write_bytes(part.read_bytes()[:-40] + bytes(40))
    with caplog.at_level(logging.WARNING):
        assert cache.read_parquet("t/parts", inputs=[entry], settings=settings) is None
    assert len(_damaged(caplog)) == 1 and "part-02.parquet" in _damaged(caplog)[0]
    assert not folder.exists()
    # an extra part, or a changed index, is damage too
    cache.write_parquet(
        df, "t/parts", inputs=[entry], settings=settings, row_group_size=100, parts=4, index=index
    )
    (folder / "part-09.parquet").write_bytes((folder / "part-00.parquet").read_bytes())
    assert cache.read_parquet("t/parts", inputs=[entry], settings=settings) is None
    cache.write_parquet(
        df, "t/parts", inputs=[entry], settings=settings, row_group_size=100, parts=4, index=index
    )
    tsv = settings.cache_dir / "parquet" / "t" / "parts.index.tsv"
    tsv.write_text(tsv.read_text().replace("x7", "x8", 1))
    assert cache.read_index("t/parts", inputs=[entry], settings=settings) is None
    assert not folder.exists()


def _without(meta: dict, *names: str) -> dict:
    """``meta`` without ``names`` and without its checksum (as an older version wrote it)."""
    return {k: v for k, v in meta.items() if k not in {*names, "meta_sha256"}}


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda m: _without(m, "size"), id="no-size"),
        pytest.param(lambda m: {**_without(m), "size": "44356"}, id="size-as-text"),
        pytest.param(lambda m: {**_without(m), "sha256": None}, id="no-sha256"),
        pytest.param(lambda m: [m], id="not-an-object"),
        pytest.param(lambda m: {**m, "url": m["url"] + "x"}, id="fails-its-checksum"),
    ],
)
def test_incomplete_raw_metadata_is_dropped_never_a_traceback(
    seeded: Settings, damage, capsys: pytest.CaptureFixture[str], caplog
):
    meta = seeded.cache_dir / "raw" / "oe" / "oe.data.0.Current.meta.json"
    meta.write_text(json.dumps(damage(json.loads(meta.read_text()))))
    # the damaged entry is dropped; offline, the bundled snapshot is used
    with caplog.at_level(logging.WARNING), pytest.warns(OfflineDataWarning, match="bundled"):
        assert main(["wages", "29-2072", "--area", "US"]) == 0
    captured = capsys.readouterr()
    national = next(line for line in captured.out.splitlines() if "National" in line)
    assert EMPLOYMENT in national
    assert len(_damaged(caplog)) == 1 and "oe/oe.data.0.Current" in _damaged(caplog)[0]
    assert main(["cache", "info"]) == 0
    assert main(["cache", "verify"]) == 0


@pytest.mark.parametrize(
    "text", ["{not json", '{"inputs": {}}', "[]", '{"inputs": 3, "attrs": {}}']
)
def test_damaged_frame_metadata_is_parsed_again(seeded: Settings, text: str):
    _national(seeded)
    meta = seeded.cache_dir / "parquet" / "oews" / "2025A01.parquet.meta.json"
    meta.write_text(text)
    assert _national(seeded) == (194720, 51140)
    assert json.loads(meta.read_text())["files"]  # written again, whole


def test_a_raw_file_damaged_without_a_trace_is_found_before_it_is_parsed(
    seeded: Settings, caplog: pytest.LogCaptureFixture
):
    data = seeded.cache_dir / "raw" / "oe" / "oe.data.0.Current"
    stat = data.stat()
    data.write_bytes(data.read_bytes().replace(b"      194720", b"      194729"))
    os.utime(data, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.warns(OfflineDataWarning, match="cached BLS files cannot be used"):
        assert _national(seeded) == (194720, 51140)  # the bundled snapshot's, not 194,729


# Writers and readers of one key ----------------------------------------------------------


def test_readers_never_drop_a_file_a_writer_is_placing(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    settings = Settings(cache_dir=tmp_path / "c", offline=True)
    body = (OE / "oe.data.0.Current").read_bytes()
    versions = [tmp_path / "a", tmp_path / "b"]
    versions[0].write_bytes(body)
    versions[1].write_bytes(body.replace(b"194720", b"194721"))  # same size, other bytes
    cache.add_file(versions[0], key="oe/x", url="https://x/x", settings=settings)
    done = threading.Event()
    errors: list[BaseException] = []
    reads = [0]

    def read() -> None:
        try:
            while not done.is_set():
                entry = cache.lookup("oe/x", settings=settings)
                assert entry is not None, "a reader found no entry"
                reads[0] += 1
        except BaseException as err:
            errors.append(err)

    written = [versions[0]]

    def write() -> None:
        # at least 60 writes, and on until the readers have looked 200 times meanwhile (a
        # loaded machine runs them slower), within a minute
        deadline = time.monotonic() + 60
        try:
            k = 0
            while k < 60 or (reads[0] < 200 and time.monotonic() < deadline):
                written[0] = versions[k % 2]
                cache.add_file(written[0], key="oe/x", url="https://x/x", settings=settings)
                k += 1
        except BaseException as err:
            errors.append(err)
        finally:
            done.set()

    readers = [threading.Thread(target=read) for _ in range(4)]
    writer = threading.Thread(target=write)
    with caplog.at_level(logging.WARNING):
        for t in [*readers, writer]:
            t.start()
        for t in [*readers, writer]:
            t.join(120)
    assert errors == [], errors[:3]
    assert _damaged(caplog) == []
    assert reads[0] > 100
    entry = cache.lookup("oe/x", settings=settings)
    assert entry is not None and entry.path.read_bytes() == written[0].read_bytes()
    assert cache.verify(settings=settings) == {"oe/x": True}


# Bad files refused at the door ------------------------------------------------------------


def _with_duplicate(tmp_path: Path) -> tuple[Path, int]:
    lines = (OE / "oe.data.0.Current").read_bytes().splitlines(keepends=True)
    folder = tmp_path / "saved"
    folder.mkdir()
    path = folder / "oe.data.0.Current"
    path.write_bytes(b"".join([*lines[:40], lines[7], *lines[40:]]))
    return path, 41  # line 8 repeated as line 41


def test_cache_add_refuses_duplicate_series_naming_the_line(
    seeded: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    before = cache.lookup("oe/oe.data.0.Current", settings=seeded)
    path, line = _with_duplicate(tmp_path)
    assert main(["cache", "add", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"line {line}" in err and "appears twice (first on line 8)" in err
    assert len(err.strip().splitlines()) == 1
    assert cache.lookup("oe/oe.data.0.Current", settings=seeded) == before


def test_a_download_with_duplicate_series_never_enters_the_cache(
    bls_server: BLSServer, online_settings: Settings, tmp_path: Path
):
    path, line = _with_duplicate(tmp_path)
    for name in sorted(p.name for p in OE.glob("oe.*")):
        bls_server.add(oews.OE_PATH + name, path if name == path.name else OE / name)
    with pytest.raises(SourceFormatError, match=f"line {line}: series .* appears twice"):
        oews.fetch_files(settings=online_settings)
    assert cache.lookup("oe/oe.data.0.Current", settings=online_settings) is None


def test_a_cached_file_that_fails_to_parse_falls_back_to_the_bundle(
    tmp_path: Path, recwarn: pytest.WarningsRecorder
):
    settings = Settings(cache_dir=tmp_path / "c", offline=True)
    path, _ = _with_duplicate(tmp_path)
    for name in sorted(p.name for p in OE.glob("oe.*")):
        source = path if name == path.name else OE / name
        cache.add_file(source, key=f"oe/{name}", url=oews.file_url(name), settings=settings)
    assert _national(settings) == (194720, 51140)
    shown = [w for w in recwarn.list if issubclass(w.category, OfflineDataWarning)]
    assert len(shown) == 1 and "appears twice" in str(shown[0].message)


def _rezip(source: Path, target: Path, sheet: str, write_sheet) -> Path:
    """``source`` with its worksheet ``sheet`` replaced by what ``write_sheet`` writes."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename == sheet:
                with new.open(sheet, "w", force_zip64=True) as f:
                    write_sheet(f)
            else:
                new.writestr(info.filename, old.read(info.filename))
    return target


def _cell_bomb(f) -> None:
    """33 million one-digit cells: 500 MB of XML, about 1 MB compressed."""
    f.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/')
    f.write(b'spreadsheetml/2006/main"><sheetData>')
    row = b"<row>" + b"<c><v>1</v></c>" * 20_000 + b"</row>"
    for _ in range(1_651):
        f.write(row)
    f.write(b"</sheetData></worksheet>")


def _range_bomb(f) -> None:
    """One cell at the last row and column Excel allows: 17 billion cells to allocate."""
    f.write(
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t>'
        b'</is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
        b"</worksheet>"
    )


@pytest.mark.parametrize(
    ("source", "name", "sheet", "bomb"),
    [
        pytest.param(
            DATA / "cps" / "cpsaat11_2021.xlsx",
            "cpsaat11.xlsx",
            "xl/worksheets/sheet1.xml",
            _cell_bomb,
            id="cells",
        ),
        pytest.param(
            DATA / "ep" / "occupation_2024-34.xlsx",
            "occupation.xlsx",
            "xl/worksheets/sheet1.xml",
            _range_bomb,
            id="range",
        ),
    ],
)
def test_a_workbook_bomb_is_refused_quickly_in_little_memory(
    tmp_path: Path, source: Path, name: str, sheet: str, bomb
):
    saved = _rezip(source, tmp_path / name, sheet, bomb)
    assert saved.stat().st_size < 2_000_000
    limit = 3 << 30  # address space: a reader that takes the bait dies instead of thrashing
    env = {**os.environ, "MARKETDATA_CACHE_DIR": str(tmp_path / "cache")}
    started = time.monotonic()
    # the command's own peak, which it reports on stdout's last line: RUSAGE_CHILDREN of this
    # test process would be the largest child any earlier test started, and the command's own
    # ru_maxrss starts at this test process's size when it was forked; VmHWM starts at exec
    measured = (
        "import re, sys\n"
        "from pathlib import Path\n"
        "from marketdata.cli.commands import main\n"
        "status = main(sys.argv[1:])\n"
        "print(re.search(r'VmHWM:\\s*(\\d+) kB', Path('/proc/self/status').read_text())[1])\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", measured, "cache", "add", str(saved)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)),
    )
    elapsed = time.monotonic() - started
    peak = int(done.stdout.strip().splitlines()[-1]) * 1024
    assert done.returncode == 2, done.stderr[-2000:]
    assert "refused before reading" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert elapsed < 30, elapsed
    assert peak < 600e6, peak
    assert not (tmp_path / "cache" / "raw").exists() or not any(
        (tmp_path / "cache" / "raw").rglob(name)
    )


def test_the_largest_real_workbooks_pass_the_limits():
    from marketdata.sources.workbook_limits import check_workbook

    for path in [*DATA.rglob("*.xlsx"), *DATA.rglob("*.xls")]:
        check_workbook(path, path.name)


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "dev-null"])
def test_cache_add_of_a_pipe_or_device_is_not_a_regular_file(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "oe.data.0.Current"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero-link":
        path.symlink_to("/dev/zero")
    else:
        path = Path("/dev/null")
    assert main(["cache", "add", str(path)]) == 2
    err = capsys.readouterr().err
    assert "is not a regular file" in err and "folder" not in err
    with pytest.raises(Exception, match="not a regular file"):
        cache.add_file(path, key="oe/oe.data.0.Current", url="https://x/x")


# Leftovers of interrupted writes -----------------------------------------------------------


def test_the_next_write_removes_what_an_interrupted_write_left(tmp_path: Path):
    import pandas as pd

    settings = Settings(cache_dir=tmp_path / "c", offline=True)
    entry = _seed(settings)[0]
    folder = settings.cache_dir / "parquet" / "oews"
    folder.mkdir(parents=True)
    df = pd.DataFrame({"a": range(10)})
    ours = [
        folder / ".2025A01.parquet.k3j9x_2a.part",  # a folder of parts, killed mid-write
        folder / ".2025A01.parquet.meta.json.ab12cd34.part",
        folder / ".2025A01.index.tsv.zz99yy88.part",
        folder / ".2025A01.parquet.old-0a1b2c3d",  # moved aside, not yet removed
    ]
    ours[0].mkdir()
    df.to_parquet(ours[0] / "part-00.parquet")
    ours[3].mkdir()
    df.to_parquet(ours[3] / "part-00.parquet")
    for path in ours[1:3]:
        path.write_text("half")
    others = [
        folder / ".2024A01.parquet.k3j9x_2a.part",  # another frame's: its own write cleans it
        folder / ".notes.part",
        folder / "mine.parquet",
    ]
    others[0].mkdir()
    df.to_parquet(others[0] / "part-00.parquet")
    for path in others[1:]:
        path.write_text("mine")
    cache.write_parquet(df, "oews/2025A01", inputs=[entry], settings=settings)
    assert [p for p in ours if p.exists()] == []
    assert all(p.exists() for p in others)
    assert (others[0] / "part-00.parquet").exists()
    left = sorted(p.name for p in folder.iterdir())
    assert left == sorted(
        [
            ".2024A01.parquet.k3j9x_2a.part",
            ".notes.part",
            "mine.parquet",
            "2025A01.parquet",
            "2025A01.parquet.meta.json",
        ]
    )

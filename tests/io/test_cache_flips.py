"""Random damage to every kind of cache file never shows a figure other than BLS's.

A cache is seeded from the test fixtures (the OEWS flat-file slice added by hand, its parsed
Parquet frame, a frame in parts with its index, a BLS API answer). Each example copies it,
flips one bit or replaces one byte of one file (keeping the file's modification time or not,
with the OEWS frame parsed already or not), then runs what a user runs: ``oews.load`` and the
``wages`` command for 29-2072 in the nation, the API query of its employment, and a read of
the frame in parts. Each either shows BLS's figure (read from the fixture here, not through
the package) or fails with one clear line; none shows another figure.
"""

from __future__ import annotations

import collections
import contextlib
import io
import os
import shutil
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketdata.cli.commands import main
from marketdata.core.config import Settings, reset_settings
from marketdata.core.errors import MarketdataError
from marketdata.datasets import api, oews
from marketdata.io import cache
from tests.bls_server import BLSServer
from tests.conftest import DATA, add_summary
from tests.datasets.test_api import PATH, FakeApi, oews_answers

OE = DATA / "oe"
SERIES = "OEUN000000000000029207201"  # employment of 29-2072, the nation, all industries
MEDIAN = "OEUN000000000000029207213"  # its annual median wage
OUTCOMES: collections.Counter = collections.Counter()
FILES_SEEN: set[str] = set()


def published(series: str) -> float:
    """The value BLS published for ``series``, read from the fixture's text."""
    for line in (OE / "oe.data.0.Current").read_text().splitlines():
        fields = line.split("\t")
        if fields[0].strip() == series:
            return float(fields[3])
    raise AssertionError(f"{series} is not in the fixture")


EMPLOYMENT, ANNUAL_MEDIAN = published(SERIES), published(MEDIAN)


@dataclass(frozen=True)
class Template:
    folder: Path  # a cache with the frame parsed
    unparsed: Path  # the same without the parsed OEWS frame
    parts: pd.DataFrame  # the frame stored in parts
    index: pd.DataFrame  # its index


def _parts_frame() -> pd.DataFrame:
    lines = (OE / "oe.data.0.Current").read_text().splitlines()[1:]
    cells = [line.split("\t") for line in lines]
    return pd.DataFrame(
        {"series": [c[0].strip() for c in cells], "value": [c[3].strip() for c in cells]}
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    folder = tmp_path_factory.mktemp("flips") / "cache"
    offline = Settings(cache_dir=folder, offline=True)
    entries = [
        cache.add_file(OE / name, key=f"oe/{name}", url=oews.file_url(name), settings=offline)
        for name in sorted(p.name for p in OE.glob("oe.*"))
    ]
    loaded = oews.load("29-2072", "US", settings=offline)
    assert loaded["employment"].tolist() == [EMPLOYMENT]
    parts = _parts_frame()
    index = parts[["series"]]
    cache.write_parquet(
        parts,
        "test/parts",
        inputs=entries[:1],
        settings=offline,
        row_group_size=100,
        parts=3,
        index=index,
    )
    assert len(list((folder / "parquet" / "test" / "parts.parquet").iterdir())) == 3
    server = BLSServer().start()
    try:
        server.add_handler(PATH, FakeApi(oews_answers()))
        online = offline.replace(offline=False, bls_api_url=server.url, contact="t@example.org")
        api.series([SERIES], start=2025, end=2025, settings=online)
    finally:
        server.stop()
    unparsed = folder.with_name("unparsed")
    shutil.copytree(folder, unparsed)
    shutil.rmtree(unparsed / "parquet" / "oews")
    return Template(folder, unparsed, parts, index)


@pytest.fixture(scope="module", autouse=True)
def _summary(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if OUTCOMES:
        lines = [f"byte flips: {len(FILES_SEEN)} files, {OUTCOMES['flips']} flips"]
        for check in ("load", "wages", "api", "parts"):
            counts = {
                k[1]: v for k, v in OUTCOMES.items() if isinstance(k, tuple) and k[0] == check
            }
            lines.append(f"  {check}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        add_summary(request.config, lines)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.parent.name != "locks")


def _flip(path: Path, position: int, bit: int | None, byte: int, keep_mtime: bool) -> None:
    data = bytearray(path.read_bytes())
    if not data:
        return
    at = position % len(data)
    data[at] = data[at] ^ (1 << bit) if bit is not None else byte
    stat = path.stat()
    path.write_bytes(bytes(data))
    if keep_mtime:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@contextlib.contextmanager
def _cache_dir(folder: Path) -> Iterator[None]:
    before = os.environ.get("MARKETDATA_CACHE_DIR")
    os.environ["MARKETDATA_CACHE_DIR"] = str(folder)
    reset_settings()
    try:
        yield
    finally:
        os.environ["MARKETDATA_CACHE_DIR"] = before or ""
        reset_settings()


def _outcome(check: str, run) -> str:
    """'right', 'clear error' or 'wrong' for one user-facing call."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            right = run()
    except MarketdataError as err:
        kind = "clear error" if str(err).strip() else "wrong"  # an error must say what
    else:
        kind = {True: "right", False: "wrong", None: "dropped, parsed again"}[right]
    OUTCOMES[check, kind] += 1
    return kind


def _wages(folder: Path) -> bool:
    out, err = io.StringIO(), io.StringIO()
    with _cache_dir(folder), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["wages", "29-2072", "--area", "US"])
    if status != 0:
        lines = err.getvalue().strip().splitlines()
        assert status == 2 and lines and lines[-1].startswith("marketdata: error:"), err.getvalue()
        assert "Traceback" not in err.getvalue()
        raise MarketdataError(lines[-1])
    national = next(line for line in out.getvalue().splitlines() if "National" in line)
    return f"{EMPLOYMENT:,.0f}" in national and f"${ANNUAL_MEDIAN:,.0f}" in national


def _check_all(folder: Path, template: Template) -> None:
    offline = Settings(cache_dir=folder, offline=True)

    def load() -> bool:
        df = oews.load("29-2072", "US", settings=offline)
        return df["employment"].tolist() == [EMPLOYMENT] and df["annual_median"].tolist() == [
            ANNUAL_MEDIAN
        ]

    def query() -> bool:
        df = api.series([SERIES], start=2025, end=2025, settings=offline)
        return df["value"].tolist() == [EMPLOYMENT]

    def parts() -> bool | None:
        entry = cache.lookup("oe/oe.area", settings=offline)
        inputs = [entry] if entry is not None else []
        frame = cache.read_parquet("test/parts", inputs=inputs, settings=offline)
        index = cache.read_index("test/parts", inputs=inputs, settings=offline)
        if frame is None:  # dropped: its caller parses it again
            return None
        rows = [tuple(r) for r in template.index.itertuples(index=False)]
        return frame.equals(template.parts) and (index is None or index[1] == rows)

    kinds = [
        _outcome("load", load),
        _outcome("wages", lambda: _wages(folder)),
        _outcome("api", query),
        _outcome("parts", parts),
    ]
    assert "wrong" not in kinds, kinds


def _run(template: Template, tmp: Path, data: st.DataObject) -> None:
    parsed = data.draw(st.booleans(), label="parsed")
    source = template.folder if parsed else template.unparsed
    folder = tmp / f"c{OUTCOMES['flips']}"
    shutil.copytree(source, folder)
    files = _files(folder)
    target = data.draw(st.sampled_from(files), label="file")
    size = max(target.stat().st_size, 1)
    position = data.draw(st.integers(0, size - 1), label="position")
    bit = data.draw(st.one_of(st.none(), st.integers(0, 7)), label="bit")
    byte = data.draw(st.integers(0, 255), label="byte")
    keep_mtime = data.draw(st.booleans(), label="keep_mtime")
    _flip(target, position, bit, byte, keep_mtime)
    FILES_SEEN.add(target.relative_to(folder).as_posix())
    OUTCOMES["flips"] += 1
    try:
        _check_all(folder, template)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_a_flipped_byte_never_shows_a_wrong_figure(template, tmp_path_factory, data):
    _run(template, tmp_path_factory.mktemp("flip"), data)


@pytest.mark.slow
@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_six_hundred_flipped_bytes_never_show_a_wrong_figure(template, tmp_path_factory, data):
    _run(template, tmp_path_factory.mktemp("flip"), data)


def test_every_kind_of_cache_file_is_in_the_template(template):
    names = {p.relative_to(template.folder).as_posix() for p in _files(template.folder)}
    assert "raw/oe/oe.data.0.Current" in names and "raw/oe/oe.data.0.Current.meta.json" in names
    assert "parquet/oews/2025A01.parquet" in names
    assert "parquet/oews/2025A01.parquet.meta.json" in names
    assert {f"parquet/test/parts.parquet/part-0{k}.parquet" for k in range(3)} <= names
    assert "parquet/test/parts.index.tsv" in names
    assert any(n.startswith("json/api/") for n in names)

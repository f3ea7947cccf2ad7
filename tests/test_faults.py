"""Fault injection: every file every source downloads, broken on purpose on a local server.

For each (source, file) the server misbehaves in one way at a time: the connection drops at
seeded random points of the body, 429 and 5xx answers with and without ``Retry-After``, a 200
whose body is an HTML error page, a file whose layout changed upstream (a renamed header
column, a file truncated but served with a matching Content-Length, a Content-Length shorter
than the body), a server slower than ``settings.timeout``, and a cached file damaged on disk.

After each fault the cache must hold only complete, verified files (``cache.verify`` all
True, no ``*.part`` left, no entry for the faulty file unless it is the good one, every
stored API answer matching its recorded SHA-256), and the next call, with the fault removed,
must succeed and return the same data as a clean download.

To stay fast, each source is downloaded once into a template cache (module fixture); each
test starts from a copy of it without the faulty file, so only that file goes through the
fault. Counts of injected faults and checked cache entries are printed at the end.
"""

from __future__ import annotations

import email.utils
import gc
import hashlib
import io
import json
import os
import random
import shutil
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataError, MarketdataWarning, OfflineDataWarning
from marketdata.datasets import api, cps, oews, oews_history, projections, state_projections
from marketdata.io import cache
from tests.bls_server import Answer, BLSServer, Request, file_handler
from tests.conftest import DATA, add_summary

TIMEOUT = 0.5  # seconds; the slow server answers after 1.5 x this
SEEDS = (11, 22, 33)  # random cut points of dropped connections, per file
TALLY: Counter[str] = Counter()

HTML = (
    b"<!DOCTYPE html>\n<html><head><title>Access Denied</title></head><body>"
    b"<h1>The requested URL is temporarily unavailable.</h1></body></html>\n"
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
API_IDS: list[str] = []  # filled with the series of the recorded answer


# Sources and their files ------------------------------------------------------------------


@dataclass(frozen=True)
class File:
    """One file a source downloads: where the server has it and where the cache keeps it."""

    name: str
    path: str  # on the server
    body: bytes
    key: str  # cache key (API: "" - answers live in json/api/)
    rename: tuple[tuple[bytes, bytes], ...]  # a layout change the source must refuse
    content_type: str = "text/plain"
    optional: bool = False  # the loader may succeed without it (footnotes only explain gaps)
    text: bool = False  # line-oriented text (truncation is made to end mid-line)


@dataclass(frozen=True)
class Source:
    name: str
    files: tuple[File, ...]
    load: Callable[[Settings], Any]
    anchor: Callable[[Any], None] = lambda result: None  # a published figure, checked once


def _text_files(folder: Path, server_dir: str, key_dir: str, renames: dict) -> tuple[File, ...]:
    return tuple(
        File(
            name,
            f"{server_dir}{name}",
            (folder / name).read_bytes(),
            f"{key_dir}{name}",
            renames[name],
            text=True,
            optional=name.endswith(".footnote") and key_dir == "le/",
        )
        for name in renames
    )


def _api_answer() -> bytes:
    recorded = json.loads((DATA / "api" / "oews-2025-answer.json").read_text())
    series = recorded["Results"]["series"][:6]
    API_IDS[:] = [s["seriesID"] for s in series]
    body = {
        "status": "REQUEST_SUCCEEDED",
        "responseTime": 21,
        "message": [],
        "Results": {"series": series},
    }
    return json.dumps(body, indent=1).encode()


def _archive_zip(workbook: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(workbook, "2021-31/occupation.xlsx")
    return buffer.getvalue()


def _oe_anchor(df: pd.DataFrame) -> None:
    assert df.loc[df.area_code == "0000000", "employment"].tolist() == [194720]


def _ep_anchor(df: pd.DataFrame) -> None:
    row = df.set_index("occupation_code").loc["29-2072"]
    assert (row["employment_base"], row["employment_projected"]) == (194800, 208600)


def _cps_anchor(df: pd.DataFrame) -> None:
    health = "Healthcare practitioners and technical occupations"
    assert df.loc[df["group"] == health, "median_weekly_license"].item() == 1520


ARCHIVE = DATA / "oews_archive"
CROSSWALKS = ARCHIVE / "crosswalk"
SOURCES: tuple[Source, ...] = (
    Source(
        "oe",
        _text_files(
            DATA / "oe",
            oews.OE_PATH,
            "oe/",
            {
                "oe.area": ((b"area_name", b"area_nome"),),
                "oe.datatype": ((b"datatype_name", b"datatype_text"),),
                "oe.footnote": ((b"footnote_text", b"footnote_note"),),
                "oe.industry": ((b"industry_name", b"industry_nome"),),
                "oe.occupation": ((b"occupation_name", b"occupation_nome"),),
                "oe.release": ((b"description", b"descriptor"),),
                "oe.data.0.Current": ((b"value\tfootnote_codes", b"valux\tfootnote_codes"),),
            },
        ),
        lambda s: oews.load("29-2072", ["US", "OH"], settings=s),
        _oe_anchor,
    ),
    Source(
        "oews-archive-2021",
        (
            File(
                "oesm21nat.zip",
                "/oes/special-requests/oesm21nat.zip",
                (ARCHIVE / "oesm21nat.zip").read_bytes(),
                "oews-archive/oesm21nat.zip",
                ((b"TOT_EMP", b"TOT_EMQ"),),
                "application/zip",
            ),
        ),
        lambda s: oews_history.load_release("May 2021", settings=s),
    ),
    Source(
        "oews-archive-2000",
        (
            File(
                "oes00nat.zip",
                "/oes/special-requests/oes00nat.zip",
                (ARCHIVE / "oes00nat.zip").read_bytes(),
                "oews-archive/oes00nat.zip",
                ((b"tot_emp", b"tot_emq"),),
                "application/zip",
            ),
        ),
        lambda s: oews_history.load_release(2000, settings=s),
    ),
    Source(
        "oews-archive-2013-states",
        (
            File(
                "oesm13st.zip",
                "/oes/special-requests/oesm13st.zip",
                (ARCHIVE / "oesm13st.zip").read_bytes(),
                "oews-archive/oesm13st.zip",
                ((b"TOT_EMP", b"TOT_EMQ"),),
                "application/zip",
            ),
        ),
        lambda s: oews_history.load_release("May 2013", scope="state", settings=s),
    ),
    Source(
        "soc-crosswalk",
        (
            File(
                "soc_2000_to_2010_crosswalk.xls",
                "/soc/soc_2000_to_2010_crosswalk.xls",
                (CROSSWALKS / "soc_2000_to_2010_crosswalk.xls").read_bytes(),
                "soc/soc_2000_to_2010_crosswalk.xls",
                ((b"2000 SOC code", b"2000 SOC kode"),),
                "application/vnd.ms-excel",
            ),
            File(
                "soc_2010_to_2018_crosswalk.xlsx",
                "/soc/2018/soc_2010_to_2018_crosswalk.xlsx",
                (CROSSWALKS / "soc_2010_to_2018_crosswalk.xlsx").read_bytes(),
                "soc/soc_2010_to_2018_crosswalk.xlsx",
                ((b"2018 SOC Code", b"2018 SOC Kode"),),
                XLSX,
            ),
        ),
        lambda s: oews_history.load_crosswalks({"SOC 2000", "SOC 2018"}, settings=s),
    ),
    Source(
        "ep-current",
        (
            File(
                "occupation.xlsx",
                "/emp/ind-occ-matrix/occupation.xlsx",
                (DATA / "ep" / "occupation_2024-34.xlsx").read_bytes(),
                projections.CURRENT_KEY,
                ((b"Matrix code", b"Matrix kode"),),
                XLSX,
            ),
        ),
        lambda s: projections.load(settings=s),
        _ep_anchor,
    ),
    Source(
        "ep-archive",
        (
            File(
                "2021-31.zip",
                "/emp/projections-archive/2021-31.zip",
                _archive_zip(DATA / "ep" / "occupation_2021-31.xlsx"),
                "ep/projections-archive/2021-31.zip",
                ((b"Matrix code", b"Matrix kode"),),
                "application/zip",
            ),
        ),
        lambda s: projections.load(release="2021-31", settings=s),
    ),
    Source(
        "projections-central",
        (
            File(
                "longterm-32.json",
                "/Projections/LongTermRestJson/32",
                (DATA / "projections_central" / "nv-longterm-2026-09-11-slice.json").read_bytes(),
                "projections-central/longterm-32.json",
                ((b'"Projected"', b'"Projection"'),),
                "application/json",
            ),
        ),
        lambda s: state_projections.state_projections("NV", settings=s),
    ),
    Source(
        "cps-table",
        (
            File(
                "cpsaat53.xlsx",
                "/cps/aa2025/cpsaat53.xlsx",
                (DATA / "cps" / "cpsaat53_layout_2025.xlsx").read_bytes(),
                "cps/aa2025/cpsaat53.xlsx",
                ((b"ertification", b"ccreditation"), (b"icense", b"ermits")),
                XLSX,
            ),
        ),
        lambda s: cps.certification_table(release=2025, settings=s),
        _cps_anchor,
    ),
    Source(
        "cps-le",
        _text_files(
            DATA / "cps" / "le",
            "/pub/time.series/le/",
            "le/",
            {
                "le.series": ((b"\tcert_code", b"\tcert_kode"),),
                "le.cert": ((b"cert_text", b"cert_name"),),
                "le.occupation": ((b"occupation_text", b"occupation_name"),),
                "le.earn": ((b"earn_text", b"earn_name"),),
                "le.data.1.AllData": ((b"value\tfootnote_codes", b"valux\tfootnote_codes"),),
                "le.footnote": ((b"footnote_text", b"footnote_name"),),
            },
        ),
        lambda s: cps.certification_series("le", settings=s),
    ),
    Source(
        "api",
        (
            File(
                "timeseries/data",
                api.ENDPOINT,
                _api_answer(),
                "",
                ((b'"year"', b'"yr"'),),
                "application/json",
            ),
        ),
        lambda s: api.series(API_IDS, start=2025, end=2025, settings=s),
    ),
)
TARGETS = [(source, f) for source in SOURCES for f in source.files]
IDS = [f"{source.name}:{f.name}" for source, f in TARGETS]
#: One file of each kind (flat file, zip, workbook, JSON answer, API) for the costlier variant
#: (a timeout that recovers within the call).
SAMPLE = [
    (s, f)
    for s, f in TARGETS
    if f.name in {"oe.data.0.Current", "oesm21nat.zip", "occupation.xlsx", "longterm-32.json"}
    or s.name == "api"
]
SAMPLE_IDS = [f"{s.name}:{f.name}" for s, f in SAMPLE]


# Mutations --------------------------------------------------------------------------------


def replaced(body: bytes, pairs: tuple[tuple[bytes, bytes], ...]) -> bytes:
    """``body`` with text replaced, inside zip members too (xlsx, zips of workbooks)."""
    if body.startswith(b"PK\x03\x04"):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(body)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                dst.writestr(info, replaced(src.read(info), pairs))
        return out.getvalue()
    for old, new in pairs:
        body = body.replace(old, new)
    return body


def cut_point(f: File, seed: int) -> int:
    """A seeded random place strictly inside the body (mid-line for text files)."""
    cut = random.Random(f"{f.path}/{seed}").randrange(1, len(f.body))
    if f.text and f.body[cut - 1 : cut] == b"\n":
        cut -= 1
    return cut


# Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[BLSServer]:
    """One server for the module (handlers are replaced by every test)."""
    srv = BLSServer().start()
    yield srv
    srv.stop()


def settings_for(cache_dir: Path, server: BLSServer, **changes: Any) -> Settings:
    base = Settings(
        cache_dir=cache_dir,
        contact="faults@example.org",
        offline=False,
        bls_download_url=server.url,
        bls_api_url=server.url,
        bls_www_url=server.url,
        projections_central_url=server.url,
        timeout=TIMEOUT,
        retries=1,
        backoff=0.001,
        max_wait=2.0,
    )
    return base.replace(**changes)


def good_handler(f: File) -> Callable[[Request], Answer]:
    if f.key:
        return file_handler(f.body, f.content_type)
    return lambda request: Answer(200, {"Content-Type": f.content_type}, f.body)


def serve(server: BLSServer, source: Source) -> None:
    server.handlers.clear()
    server.clear_log()
    for f in source.files:
        server.add_handler(f.path, good_handler(f))


@dataclass
class Template:
    cache_dir: Path
    expected: Any
    shas: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def templates(server: BLSServer, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Per source, lazily: a cache filled by a clean download, and the loader's result."""
    built: dict[str, Template] = {}

    def get(source: Source) -> Template:
        if source.name not in built:
            folder = tmp_path_factory.mktemp(f"template-{source.name}")
            settings = settings_for(folder, server, timeout=10.0)
            serve(server, source)
            first = source.load(settings)
            source.anchor(first)
            again = source.load(settings)  # the cached path, as later loads take it
            same(again, first)
            built[source.name] = Template(
                folder, again, {f.name: hashlib.sha256(f.body).hexdigest() for f in source.files}
            )
        return built[source.name]

    return get  # type: ignore[return-value]


@pytest.fixture(scope="module", autouse=True)
def _summary(request: pytest.FixtureRequest) -> Iterator[None]:
    start = time.perf_counter()
    yield
    kinds = ", ".join(
        f"{k.removeprefix('kind:')} {n}" for k, n in sorted(TALLY.items()) if k.startswith("kind:")
    )
    lines = [
        f"fault injection: {TALLY['scenarios']} scenarios over {len(TARGETS)} files of "
        f"{len(SOURCES)} sources in {time.perf_counter() - start:.1f} s",
        f"  faulty answers served: {TALLY['faulty answers']}; files damaged on disk: "
        f"{TALLY['damaged on disk']}",
        f"  cache entries checked: {TALLY['entries checked']} (raw files hashed "
        f"{TALLY['raw checked']}, API answers {TALLY['api checked']}, Parquet "
        f"{TALLY['parquet checked']})",
        f"  outcomes of persistent faults: raised {TALLY['raised']}, fell back to bundled or "
        f"cached data {TALLY['fell back']}, optional file skipped {TALLY['skipped']}",
        f"  scenarios by kind: {kinds}",
    ]
    add_summary(request.config, lines)


# Checks -----------------------------------------------------------------------------------


def same(got: Any, expected: Any) -> None:
    """The loader returned the data of a clean download."""
    if isinstance(expected, pd.DataFrame):
        assert list(got.dtypes.items()) == list(expected.dtypes.items())
        if not got.equals(expected):  # the full comparison only to explain a difference
            pd.testing.assert_frame_equal(got, expected)
        shas = sorted(p["sha256"] for p in expected.attrs["provenance"])
        assert sorted(p["sha256"] for p in got.attrs["provenance"]) == shas
        assert not any(p.get("bundled") for p in got.attrs["provenance"])
    else:  # soc_bridge.Crosswalks
        assert {k: v for k, v in vars(got).items() if k != "provenance"} == {
            k: v for k, v in vars(expected).items() if k != "provenance"
        }
        assert sorted(p["sha256"] for p in got.provenance) == sorted(
            p["sha256"] for p in expected.provenance
        )


def check_cache(settings: Settings, f: File, good_sha: str, *, cached: bool | None) -> None:
    """Only complete, verified files; the faulty file absent or the good one."""
    leftovers = [
        Path(root, name)
        for root, _, names in os.walk(settings.cache_dir)
        for name in names
        if name.endswith(".part") or ".partial" in name
    ]
    assert leftovers == []
    verified = cache.verify(settings=settings)
    assert all(verified.values()), verified
    TALLY["raw checked"] += sum(not key.startswith("parquet/") for key in verified)
    for path in (settings.cache_dir / "parquet").rglob("*.parquet"):
        assert path.with_name(path.name + ".meta.json").is_file()
        pq.read_metadata(path)
        TALLY["parquet checked"] += 1
    records = [
        p for p in (settings.cache_dir / "json" / "api").glob("*.json") if p.name != "usage.json"
    ]
    for path in records:
        record = json.loads(path.read_text())
        assert hashlib.sha256(record["answer"].encode()).hexdigest() == record["sha256"]
        json.loads(record["answer"])
        TALLY["api checked"] += 1
    TALLY["entries checked"] = (
        TALLY["raw checked"] + TALLY["parquet checked"] + TALLY["api checked"]
    )
    if f.key:
        entry = cache.lookup(f.key, settings=settings)
        assert entry is None or entry.sha256 == good_sha
        if cached is not None:
            assert (entry is not None) == cached
    elif cached is not None:
        assert bool(records) == cached


def attempt(source: Source, settings: Settings) -> tuple[str, Any]:
    """Call the loader: ('ok', result), ('fallback', result) or ('raised', error).

    Only the package's own exceptions are acceptable; anything else fails the test, and so
    does a warning that is not the package's own. ResourceWarnings are left out: the garbage
    collector emits them wherever it happens to run, for objects of earlier tests or of the
    server's threads, so they say nothing about this call.
    """
    gc.collect()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = source.load(settings)
        except MarketdataError as err:
            return "raised", err
    if any(issubclass(w.category, OfflineDataWarning) for w in caught):
        return "fallback", result
    foreign = [
        f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
        for w in caught
        if not issubclass(w.category, (MarketdataWarning, ResourceWarning))
    ]
    assert not foreign
    return "ok", result


def start(templates, server: BLSServer, source: Source, f: File, tmp_path: Path, **kw: Any):
    """A cache copied from the template without ``f``; the source's good files served."""
    template = templates(source)
    cache_dir = tmp_path / "cache"
    shutil.copytree(template.cache_dir, cache_dir)
    if f.key:
        raw = cache_dir / "raw" / f.key
        raw.unlink()
        raw.with_name(raw.name + ".meta.json").unlink()
    else:
        for record in (cache_dir / "json" / "api").glob("*.json"):
            if record.name != "usage.json":
                record.unlink()
    serve(server, source)
    return settings_for(cache_dir, server, **kw), template


def install(server: BLSServer, f: File, fault: Callable[[Request], Answer], *, times: int | None):
    """Answer ``f``'s path with ``fault`` (the first ``times`` requests, or all), else well."""
    good = good_handler(f)
    served = Counter()

    def handle(request: Request) -> Answer:
        if times is None or served["n"] < times:
            served["n"] += 1
            TALLY["faulty answers"] += 1
            return fault(request)
        return good(request)

    server.add_handler(f.path, handle)
    return served


def run_fault(
    templates,
    server: BLSServer,
    tmp_path: Path,
    source: Source,
    f: File,
    kind: str,
    fault: Callable[[Request], Answer],
    *,
    persistent: bool,
    **settings_kw: Any,
) -> None:
    """Inject ``fault``, check the outcome and the cache, remove it, check the next call."""
    settings, template = start(templates, server, source, f, tmp_path, **settings_kw)
    good_sha = template.shas[f.name]
    served = install(server, f, fault, times=None if persistent else 1)
    TALLY["scenarios"] += 1
    TALLY[f"kind:{kind}"] += 1
    outcome, value = attempt(source, settings)
    assert served["n"] >= 1, "the fault was never served"
    if persistent:
        if outcome == "raised":
            TALLY["raised"] += 1
            # the error names the file: in its message, or (connection errors) in its url
            text = f"{value} {getattr(value, 'url', '')}"
            assert f.name.rsplit("/", 1)[-1] in text or f.path in text, text
        elif outcome == "fallback":
            TALLY["fell back"] += 1
        else:
            assert f.optional, f"{f.name}: a persistent fault went unnoticed"
            TALLY["skipped"] += 1
        check_cache(settings, f, good_sha, cached=False)
    else:
        assert outcome == "ok", f"{f.name}: a transient fault was not retried: {value!r}"
        same(value, template.expected)
        check_cache(settings, f, good_sha, cached=True)
    # the fault is gone: the next call succeeds with the right data
    server.add_handler(f.path, good_handler(f))
    outcome, value = attempt(source, settings)
    assert outcome == "ok", value
    same(value, template.expected)
    check_cache(settings, f, good_sha, cached=True)


# The faults -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_connection_dropped_mid_body(templates, server, tmp_path, source, f, seed):
    cut = cut_point(f, seed)

    def drop(request: Request) -> Answer:
        return Answer(200, {"Content-Type": f.content_type}, f.body, cut_after=cut)

    run_fault(templates, server, tmp_path, source, f, "dropped", drop, persistent=True)


@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_connection_dropped_once_is_retried(templates, server, tmp_path, source, f):
    cut = cut_point(f, 0)

    def drop(request: Request) -> Answer:
        return Answer(200, {"Content-Type": f.content_type}, f.body, cut_after=cut)

    run_fault(templates, server, tmp_path, source, f, "dropped once", drop, persistent=False)


PAST = email.utils.formatdate(time.time() - 3600, usegmt=True)
STATUSES = [
    # status, Retry-After, persistent
    (429, "0", True),
    (429, None, False),
    (500, None, True),
    (502, "0", False),
    (503, PAST, False),
    (503, "1", True),
    (504, None, True),
]


@pytest.mark.parametrize(("status", "retry_after", "persistent"), STATUSES)
@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_error_status(templates, server, tmp_path, source, f, status, retry_after, persistent):
    headers = {"Content-Type": "text/html"}
    if retry_after is not None:
        headers["Retry-After"] = retry_after

    def refuse(request: Request) -> Answer:
        return Answer(status, headers, HTML)

    # a Retry-After of 1 s is waited for: keep that case to one file (the others get 0)
    if retry_after == "1" and (source, f) != TARGETS[0]:
        headers["Retry-After"] = "0"
    started = time.monotonic()
    run_fault(
        templates, server, tmp_path, source, f, f"HTTP {status}", refuse, persistent=persistent
    )
    if headers.get("Retry-After") == "1":
        assert time.monotonic() - started >= 0.9  # the wait BLS asked for was honoured


@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_html_error_page_with_200(templates, server, tmp_path, source, f):
    def page(request: Request) -> Answer:
        return Answer(200, {"Content-Type": "text/html; charset=utf-8"}, HTML)

    run_fault(templates, server, tmp_path, source, f, "HTML page", page, persistent=True)


@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_renamed_header_column(templates, server, tmp_path, source, f):
    body = replaced(f.body, f.rename)
    assert body != f.body, "the rename must change the file"

    def changed(request: Request) -> Answer:
        return Answer(200, {"Content-Type": f.content_type}, body)

    run_fault(templates, server, tmp_path, source, f, "renamed column", changed, persistent=True)


@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_truncated_file_with_matching_length(templates, server, tmp_path, source, f):
    body = f.body[: cut_point(f, 7)]

    def truncated(request: Request) -> Answer:
        return Answer(200, {"Content-Type": f.content_type}, body)

    run_fault(templates, server, tmp_path, source, f, "truncated", truncated, persistent=True)


@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_content_length_shorter_than_body(templates, server, tmp_path, source, f):
    short = {"Content-Type": f.content_type, "Content-Length": str(cut_point(f, 5))}

    def lying(request: Request) -> Answer:
        return Answer(200, short | {"Connection": "close"}, f.body)

    run_fault(templates, server, tmp_path, source, f, "short length", lying, persistent=True)


def _slow(f: File) -> Callable[[Request], Answer]:
    def slow(request: Request) -> Answer:
        return Answer(200, {"Content-Type": f.content_type}, f.body, delay=TIMEOUT * 1.5)

    return slow


@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_server_slower_than_timeout(templates, server, tmp_path, source, f):
    run_fault(templates, server, tmp_path, source, f, "slow", _slow(f), persistent=True, retries=0)


@pytest.mark.parametrize(("source", "f"), SAMPLE, ids=SAMPLE_IDS)
def test_slow_answer_once_is_retried(templates, server, tmp_path, source, f):
    run_fault(templates, server, tmp_path, source, f, "slow once", _slow(f), persistent=False)


def _damage(path: Path, *, keep_mtime: bool) -> None:
    stat = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    if keep_mtime:  # bit rot: same size, same modification time
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def _damage_api_answer(cache_dir: Path) -> None:
    """Change one published value inside a stored API answer, keeping it valid JSON."""
    [path] = [p for p in (cache_dir / "json" / "api").glob("*.json") if p.name != "usage.json"]
    record = json.loads(path.read_text())
    answer = json.loads(record["answer"])
    obs = answer["Results"]["series"][0]["data"][0]
    obs["value"] = str(int(obs["value"]) + 1)
    record["answer"] = json.dumps(answer, sort_keys=True)
    path.write_text(json.dumps(record))


@pytest.mark.parametrize("keep_mtime", [False, True], ids=["rewritten", "bit-rot"])
@pytest.mark.parametrize(("source", "f"), TARGETS, ids=IDS)
def test_cache_file_damaged_on_disk(templates, server, tmp_path, source, f, keep_mtime):
    template = templates(source)
    cache_dir = tmp_path / "cache"
    shutil.copytree(template.cache_dir, cache_dir)
    settings = settings_for(cache_dir, server)
    serve(server, source)
    TALLY["scenarios"] += 1
    TALLY["damaged on disk"] += 1
    TALLY[f"kind:damaged on disk ({'bit rot' if keep_mtime else 'rewritten'})"] += 1
    if f.key:
        raw = cache_dir / "raw" / f.key
        _damage(raw, keep_mtime=keep_mtime)
        assert hashlib.sha256(raw.read_bytes()).hexdigest() != template.shas[f.name]
        if keep_mtime:  # only a full verification sees it; it drops the file
            assert cache.verify(settings=settings)[f.key] is False
            assert cache.lookup(f.key, settings=settings) is None
    else:
        _damage_api_answer(cache_dir)
    outcome, value = attempt(source, settings)
    assert outcome == "ok", value
    same(value, template.expected)
    method = "GET" if f.key else "POST"
    assert server.count(f.path, method) == 1, "the damaged file was not fetched again"
    check_cache(settings, f, template.shas[f.name], cached=True)

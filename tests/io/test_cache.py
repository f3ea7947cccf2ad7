"""The HTTP layer and cache, end to end over a local server serving real BLS files."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from marketdata.core.config import Settings
from marketdata.core.errors import (
    ContactRequired,
    FetchError,
    InputValueError,
    OfflineError,
    RateLimited,
    SourceFormatError,
)
from marketdata.io import cache, http
from tests.bls_server import Answer, BLSServer, file_handler
from tests.conftest import DATA

FOOTNOTE = (DATA / "http" / "oe.footnote").read_bytes()  # byte-identical to BLS's May 2025 file
PATH = "/pub/time.series/oe/oe.footnote"
KEY = "oe/oe.footnote"


def _fetch(settings: Settings, **kw: object) -> cache.CachedFile:
    return cache.fetch(settings.bls_download_url + PATH, key=KEY, settings=settings, **kw)


def _leftovers(settings: Settings) -> list[Path]:
    return [p for p in (settings.cache_dir / "raw").rglob("*") if p.name.endswith(".part")]


def test_first_download_records_provenance(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(PATH, FOOTNOTE)
    entry = _fetch(online_settings)
    assert entry.path.read_bytes() == FOOTNOTE
    assert entry.sha256 == hashlib.sha256(FOOTNOTE).hexdigest()
    assert entry.size == len(FOOTNOTE)
    assert entry.url.endswith(PATH)
    assert entry.etag and entry.last_modified
    assert not entry.added_by_hand
    ua = bls_server.requests[0].headers["user-agent"]
    assert "marketdata/" in ua and "tests@example.org" in ua
    # a second call is served from the cache without asking the server
    assert _fetch(online_settings) == entry
    assert bls_server.count(PATH) == 1


def test_refresh_revalidates_with_304(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(PATH, FOOTNOTE)
    first = _fetch(online_settings)
    again = _fetch(online_settings, refresh=True)
    assert again.sha256 == first.sha256
    conditional = bls_server.requests[-1]
    assert conditional.headers["if-none-match"] == first.etag
    assert conditional.headers["if-modified-since"] == first.last_modified
    assert bls_server.count(PATH) == 2


def test_refresh_picks_up_a_changed_file(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(PATH, FOOTNOTE)
    first = _fetch(online_settings)
    changed = FOOTNOTE.replace(b"Estimate not released.", b"Estimate not released (revised).")
    bls_server.add(PATH, changed)
    second = _fetch(online_settings, refresh=True)
    assert second.sha256 != first.sha256
    assert second.path.read_bytes() == changed


def test_retries_after_503_honouring_retry_after(bls_server: BLSServer, online_settings: Settings):
    serve = file_handler(FOOTNOTE)
    calls = []

    def flaky(request):
        calls.append(time.monotonic())
        if len(calls) < 3:
            return Answer(503, {"Retry-After": "1"} if len(calls) == 1 else {}, b"busy")
        return serve(request)

    bls_server.add_handler(PATH, flaky)
    entry = _fetch(online_settings)
    assert entry.path.read_bytes() == FOOTNOTE
    assert len(calls) == 3
    assert calls[1] - calls[0] >= 0.9  # waited as Retry-After asked


def test_gives_up_after_retries(bls_server: BLSServer, online_settings: Settings):
    bls_server.add_handler(PATH, lambda r: Answer(502, {}, b"bad gateway"))
    with pytest.raises(FetchError, match="502"):
        _fetch(online_settings)
    assert bls_server.count(PATH) == online_settings.retries + 1
    assert cache.lookup(KEY, settings=online_settings) is None


def test_long_retry_after_raises_rate_limited(bls_server: BLSServer, online_settings: Settings):
    bls_server.add_handler(PATH, lambda r: Answer(429, {"Retry-After": "3600"}, b""))
    with pytest.raises(RateLimited, match="3600"):
        _fetch(online_settings)


def test_dropped_body_leaves_no_cache_entry(bls_server: BLSServer, online_settings: Settings):
    bls_server.add_handler(PATH, lambda r: Answer(200, {}, FOOTNOTE, cut_after=300))
    with pytest.raises(FetchError, match="cut short"):
        _fetch(online_settings)
    assert cache.lookup(KEY, settings=online_settings) is None
    assert not (online_settings.cache_dir / "raw" / KEY).exists()
    assert _leftovers(online_settings) == []


def test_dropped_body_is_retried(bls_server: BLSServer, online_settings: Settings):
    serve = file_handler(FOOTNOTE)
    calls = []

    def drop_once(request):
        calls.append(1)
        return Answer(200, {}, FOOTNOTE, cut_after=100) if len(calls) == 1 else serve(request)

    bls_server.add_handler(PATH, drop_once)
    assert _fetch(online_settings).path.read_bytes() == FOOTNOTE
    assert len(calls) == 2


def test_403_asks_for_contact_email(bls_server: BLSServer, online_settings: Settings):
    bls_server.add_handler(PATH, lambda r: Answer(403, {}, b"Access Denied"))
    with pytest.raises(ContactRequired, match="MARKETDATA_CONTACT") as err:
        _fetch(online_settings.replace(contact=None))
    assert "marketdata cache add" in str(err.value)
    assert err.value.status == 403
    # with a contact set, the message points at the browser route
    with pytest.raises(ContactRequired, match="browser"):
        _fetch(online_settings)
    assert bls_server.count(PATH) == 2  # a 403 is not retried


def test_offline_mode(bls_server: BLSServer, online_settings: Settings, offline_settings: Settings):
    bls_server.add(PATH, FOOTNOTE)
    with pytest.raises(OfflineError, match="offline"):
        _fetch(offline_settings)
    assert bls_server.requests == ()
    _fetch(online_settings)
    assert _fetch(offline_settings, refresh=True).path.read_bytes() == FOOTNOTE
    assert bls_server.count(PATH) == 1


def test_unreachable_server_keeps_cached_copy_on_refresh(
    bls_server: BLSServer, online_settings: Settings
):
    dead = online_settings.replace(bls_download_url="http://127.0.0.1:9", retries=1)
    with pytest.raises(FetchError, match="could not reach"):
        _fetch(dead)
    bls_server.add(PATH, FOOTNOTE)
    cached = _fetch(online_settings)
    assert _fetch(dead, refresh=True) == cached


def test_check_rejects_html_error_page(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(PATH, b"<html><body>Service unavailable</body></html>", content_type="text/html")

    def must_be_footnotes(path: Path) -> None:
        if not path.read_bytes().startswith(b"footnote_code\t"):
            raise SourceFormatError("not an oe.footnote file", source=str(path))

    with pytest.raises(SourceFormatError, match=r"not an oe\.footnote"):
        _fetch(online_settings, check=must_be_footnotes)
    assert cache.lookup(KEY, settings=online_settings) is None
    assert _leftovers(online_settings) == []


def test_corrupted_file_is_detected_and_fetched_again(
    bls_server: BLSServer, online_settings: Settings
):
    bls_server.add(PATH, FOOTNOTE)
    entry = _fetch(online_settings)
    damaged = bytearray(entry.path.read_bytes())
    damaged[10] ^= 0xFF
    entry.path.write_bytes(bytes(damaged))
    assert cache.lookup(KEY, settings=online_settings) is None
    assert _fetch(online_settings).path.read_bytes() == FOOTNOTE
    assert bls_server.count(PATH) == 2


def test_verify_reports_damage(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(PATH, FOOTNOTE)
    entry = _fetch(online_settings)
    assert cache.verify(settings=online_settings) == {KEY: True}
    entry.path.write_bytes(FOOTNOTE[:-1] + b"X")
    assert cache.verify(settings=online_settings) == {KEY: False}
    assert cache.entries(settings=online_settings) == []


def test_verify_passes_a_frame_folder_that_vanishes_mid_walk(
    bls_server: BLSServer, online_settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    """Another process finishing a frame removes its temporary folder while ``verify``
    walks the cache: the walk goes on and the entries already there are intact."""
    bls_server.add(PATH, FOOTNOTE)
    entry = _fetch(online_settings)
    df = pd.DataFrame({"line": FOOTNOTE.decode().splitlines()})
    cache.write_parquet(df, "test/footnote", inputs=[entry], settings=online_settings)
    writing = online_settings.cache_dir / "parquet" / "test" / ".footnote.parquet.ab12cd34.part"
    (writing / "sub").mkdir(parents=True)
    real_scandir = os.scandir

    def scandir_after_the_writer_is_done(path: object = ".") -> object:
        if Path(str(path)).name.endswith(".part"):
            shutil.rmtree(writing)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir_after_the_writer_is_done)
    assert cache.verify(settings=online_settings) == {KEY: True, "parquet/test/footnote": True}
    assert writing.is_dir()  # never looked into


def test_add_file_by_hand(tmp_path: Path, online_settings: Settings):
    saved = tmp_path / "oe.footnote"
    saved.write_bytes(FOOTNOTE)
    entry = cache.add_file(
        saved, key=KEY, url="https://download.bls.gov" + PATH, settings=online_settings
    )
    assert entry.added_by_hand
    assert entry.provenance(program="OEWS", release="May 2025").added_by_hand
    assert cache.lookup(KEY, settings=online_settings) == entry


def test_bad_keys_are_refused(online_settings: Settings):
    for key in ("../escape", "/abs/path", "a/../../b", ""):
        with pytest.raises(InputValueError):
            cache.fetch("http://x/", key=key, settings=online_settings)


def test_parquet_tied_to_inputs(bls_server: BLSServer, online_settings: Settings):
    bls_server.add(PATH, FOOTNOTE)
    entry = _fetch(online_settings)
    df = pd.DataFrame({"code": ["4", "5"], "value": [1.5, None]})
    df.attrs["provenance"] = [entry.provenance(program="OEWS", release="May 2025").as_dict()]
    cache.write_parquet(df, "oews/test", inputs=[entry], settings=online_settings)
    back = cache.read_parquet("oews/test", inputs=[entry], settings=online_settings)
    pd.testing.assert_frame_equal(back, df)
    assert back.attrs["provenance"][0]["sha256"] == entry.sha256
    stale = cache.CachedFile(**{**entry.__dict__, "sha256": "0" * 64})
    assert cache.read_parquet("oews/test", inputs=[stale], settings=online_settings) is None
    assert cache.read_index("oews/test", inputs=[entry], settings=online_settings) is None


def test_an_index_is_stored_beside_the_parquet(bls_server: BLSServer, online_settings: Settings):
    """Text columns kept with a frame are read back as plain rows (no pandas), only while the
    Parquet is current; a title with a tab or a quote survives."""
    bls_server.add(PATH, FOOTNOTE)
    entry = _fetch(online_settings)
    df = pd.DataFrame({"code": ["4", "5"], "title": ['Tab\there "quoted"', "Plain"]})
    cache.write_parquet(df, "ep/test", inputs=[entry], settings=online_settings, index=df)
    assert cache.read_index("ep/test", inputs=[entry], settings=online_settings) == (
        ("code", "title"),
        [("4", 'Tab\there "quoted"'), ("5", "Plain")],
    )
    stale = cache.CachedFile(**{**entry.__dict__, "sha256": "0" * 64})
    assert cache.read_index("ep/test", inputs=[stale], settings=online_settings) is None
    cache.write_parquet(df, "ep/test", inputs=[entry], settings=online_settings)  # no index
    assert cache.read_index("ep/test", inputs=[entry], settings=online_settings) is None


def test_parquet_in_parts_reads_back_whole_and_in_order(
    bls_server: BLSServer, online_settings: Settings
):
    """A large frame is a folder of files of consecutive rows (whole row groups), written in
    parallel; it reads back as the one frame, filtered reads too, and replaces (or is
    replaced by) a single file in one step."""
    bls_server.add(PATH, FOOTNOTE)
    entry = _fetch(online_settings)
    df = pd.DataFrame(
        {"code": [f"{i:02d}" for i in range(10)], "value": [i / 4 for i in range(10)]}
    )
    df.attrs["provenance"] = [entry.provenance(program="OEWS", release="May 2025").as_dict()]

    def write(parts: int) -> Path:
        return cache.write_parquet(
            df,
            "oews/parts",
            inputs=[entry],
            settings=online_settings,
            row_group_size=3,
            parts=parts,
        )

    path = write(3)
    assert sorted(p.name for p in path.iterdir()) == [f"part-0{k}.parquet" for k in range(3)]
    rows = [pq.read_metadata(p).num_rows for p in sorted(path.iterdir())]
    assert rows == [3, 3, 4]  # 4 row groups of 3 rows (the last 1) in 3 files
    back = cache.read_parquet("oews/parts", inputs=[entry], settings=online_settings)
    pd.testing.assert_frame_equal(back, df)
    assert back.attrs["provenance"] == df.attrs["provenance"]
    some = cache.read_parquet(
        "oews/parts", inputs=[entry], settings=online_settings, filters=[("code", ">", "06")]
    )
    pd.testing.assert_frame_equal(some, df[df.code > "06"].reset_index(drop=True))
    assert write(1).is_file()  # a file replaces the folder ...
    pd.testing.assert_frame_equal(
        cache.read_parquet("oews/parts", inputs=[entry], settings=online_settings), df
    )
    assert write(9).is_dir() and len(list(path.iterdir())) == 4  # ... and a folder the file
    pd.testing.assert_frame_equal(
        cache.read_parquet("oews/parts", inputs=[entry], settings=online_settings), df
    )
    assert [p.name for p in path.parent.iterdir() if ".part" in p.name] == []


def _race(settings: Settings, url: str, queue: multiprocessing.Queue) -> None:
    entry = cache.fetch(url, key=KEY, settings=settings)
    queue.put(entry.sha256)


def test_two_processes_download_once(bls_server: BLSServer, online_settings: Settings):
    serve = file_handler(FOOTNOTE)
    bls_server.add_handler(PATH, lambda r: Answer(**{**serve(r).__dict__, "delay": 0.5}))
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    url = online_settings.bls_download_url + PATH
    procs = [ctx.Process(target=_race, args=(online_settings, url, queue)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert {queue.get(timeout=5), queue.get(timeout=5)} == {hashlib.sha256(FOOTNOTE).hexdigest()}
    assert bls_server.count(PATH) == 1


def test_user_agent_and_redaction():
    settings = Settings(cache_dir=Path("x"), contact="me@example.org", api_key="SECRET123")
    assert "me@example.org" in http.user_agent(settings)
    assert http.redact("key=SECRET123 by me@example.org", settings) == "key=*** by ***"
    assert "SECRET123" not in repr(settings) and "me@example.org" not in repr(settings)


def test_settings_round_trip_through_the_environment(tmp_path: Path):
    settings = Settings(
        cache_dir=tmp_path,
        contact="me@example.org",
        api_key="k",
        offline=True,
        bls_download_url="http://127.0.0.1:1",
        timeout=3.0,
        retries=2,
        backoff=0.25,
        max_wait=7.0,
    )
    assert Settings.from_env(settings.to_env()) == settings


def test_unresolvable_host_fails_at_once_without_retries(online_settings: Settings):
    nowhere = online_settings.replace(bls_download_url="http://bls.invalid", retries=4, backoff=5.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="not resolved"):
        _fetch(nowhere)
    with pytest.raises(FetchError, match="moments ago"):
        _fetch(nowhere)
    assert time.monotonic() - started < 5.0  # no backoff waits


def test_refused_connection_is_not_asked_again_in_the_same_run(online_settings: Settings):
    refused = online_settings.replace(bls_download_url="http://127.0.0.1:7", retries=1)
    with pytest.raises(FetchError, match="connection refused"):
        _fetch(refused)
    started = time.monotonic()
    with pytest.raises(FetchError, match="moments ago"):
        _fetch(refused)
    assert time.monotonic() - started < 0.5


def test_refresh_keeps_the_cached_copy_when_the_server_sends_an_error_page(
    bls_server: BLSServer, online_settings: Settings
):
    def must_be_footnotes(path: Path) -> None:
        if not path.read_bytes().startswith(b"footnote_code\t"):
            raise SourceFormatError("not an oe.footnote file", source=str(path))

    bls_server.add(PATH, FOOTNOTE)
    cached = _fetch(online_settings, check=must_be_footnotes)
    bls_server.add(PATH, b"<html>Maintenance</html>", content_type="text/html")
    assert _fetch(online_settings, refresh=True, check=must_be_footnotes) == cached
    assert cached.path.read_bytes() == FOOTNOTE


def test_unreadable_retry_after_falls_back_to_backoff(
    bls_server: BLSServer, online_settings: Settings
):
    serve = file_handler(FOOTNOTE)
    calls = []

    def odd_header(request):
        calls.append(1)
        return Answer(503, {"Retry-After": "²"}) if len(calls) == 1 else serve(request)

    bls_server.add_handler(PATH, odd_header)
    assert _fetch(online_settings).path.read_bytes() == FOOTNOTE


def test_timeout_message_names_the_file(bls_server: BLSServer, online_settings: Settings):
    bls_server.add_handler(PATH, lambda r: Answer(200, {}, FOOTNOTE, delay=1.0))
    with pytest.raises(FetchError, match=r"oe\.footnote"):
        _fetch(online_settings.replace(timeout=0.2, retries=0))

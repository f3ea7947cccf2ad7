"""``marketdata fetch`` against the local BLS-like server (real BLS bytes, cut down), then the
same data offline; resumable downloads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from marketdata.analysis import growth
from marketdata.cli import commands as cli
from marketdata.core.config import Settings, reset_settings
from marketdata.core.errors import FetchError, UnknownArea
from marketdata.datasets import oews_history
from marketdata.datasets import prefetch as fetch
from marketdata.io import cache, cache_clear
from marketdata.reports import tables as rt
from tests.bls_server import Answer, BLSServer, Request, file_handler
from tests.datasets.test_onet import _zip as onet_zip
from tests.datasets.test_rpp import _zip as rpp_zip

DATA = Path(__file__).parents[1] / "data"
OHIO = DATA / "projections_central" / "oh-29-1141-2026-09-11-slice.json"
OHIO_PATH = "/Projections/LongTermRestJson/39"


def serve_reports_data(server: BLSServer) -> None:
    """Real slices of every file ``marketdata fetch`` gets, where the agencies publish them."""
    for path in sorted((DATA / "oe").glob("oe.*")):
        server.add(f"/pub/time.series/oe/{path.name}", path)
    server.add("/emp/ind-occ-matrix/occupation.xlsx", DATA / "ep" / "occupation_2024-34.xlsx")
    server.add("/cps/aa2025/cpsaat53.xlsx", DATA / "cps" / "cpsaat53_layout_2025.xlsx")
    server.add(OHIO_PATH, OHIO, content_type="application/json")
    server.add("/web/ors/ors-complete-dataset.xlsx", DATA / "ors" / "ors-2020-slice.xlsx")
    server.add("/regional/zip/SARPP.zip", rpp_zip(DATA / "bea_rpp" / "SARPP_STATE_2008_2024.csv"))
    server.add("/regional/zip/MARPP.zip", rpp_zip(DATA / "bea_rpp" / "MARPP_MSA_2008_2023.csv"))
    server.add("/pub/time.series/cu/cu.data.1.AllItems", DATA / "cpi" / "cu.data.1.AllItems")
    onet = onet_zip(DATA / "onet" / "db_30_1_text")
    server.add("/dl_files/database/db_30_1_text.zip", onet, content_type="application/zip")


@pytest.fixture
def online_env(bls_server: BLSServer, online_settings: Settings, monkeypatch) -> Settings:
    """The command line's environment pointing at the local server."""
    for name, value in online_settings.to_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MARKETDATA_OFFLINE", "0")
    reset_settings()
    return online_settings


def test_fetch_state_then_offline_outlook_has_state_projections(
    bls_server, online_env: Settings, monkeypatch, capsys
) -> None:
    serve_reports_data(bls_server)
    assert cli.main(["fetch", "--state", "OH"]) == 0
    out = capsys.readouterr().out
    for label in ("OEWS current release", "Employment Projections", "CPS certification table"):
        assert f"ok      {label}" in out
    assert "ok      ORS credentials: ORS 2020 (preliminary)" in out
    assert "ok      BEA price parities: SARPP, last updated February 19, 2026; MARPP" in out
    assert "ok      CPI-U: CPI-U annual averages" in out
    assert "ok      O*NET: O*NET 30.1, 5 tables" in out
    table = out.split("Cache folder")[1]
    for kind in ("ORS credentials", "BEA price parities", "CPI-U", "O*NET"):
        assert kind in table
    assert "ok      State projections OH: 2024-34, 1 occupations" in out
    assert "State projections" in out.split("Cache folder")[1]  # the final table
    monkeypatch.setenv("MARKETDATA_OFFLINE", "1")
    reset_settings()
    offline = online_env.replace(offline=True)
    asked = len(bls_server.requests)
    table, notes, missing = rt.outlook_rows(
        "29-1141", rt.area("OH", settings=offline), settings=offline
    )
    assert missing == []
    ohio = table[table["area_name"] == "Ohio"].iloc[0]
    # Projections Central's figures for Ohio (the fixture's row, as published)
    assert (ohio["employment_base"], ohio["employment_projected"]) == (139710, 141760)
    assert (ohio["percent_change"], ohio["openings_annual"]) == (1.5, 7190)
    assert ohio["basis"] == "projected"
    assert not any(n.startswith("No projection for Ohio") for n in notes)
    assert len(bls_server.requests) == asked  # offline: nothing asked
    assert growth.outlook("29-1141", "OH", settings=offline).percent_change == 1.5


def test_fetch_reports_what_failed_and_goes_on(bls_server, online_env: Settings, capsys) -> None:
    serve_reports_data(bls_server)
    bls_server.handlers.pop("/cps/aa2025/cpsaat53.xlsx")  # 404: BLS has no such table
    assert cli.main(["fetch", "--state", "Ohio"]) == 1
    out = capsys.readouterr().out
    assert "FAILED  CPS certification table: 404 Not Found" in out
    assert "ok      State projections OH" in out


def test_fetch_history_then_offline(bls_server, online_env: Settings, capsys) -> None:
    serve_reports_data(bls_server)
    for path in sorted((DATA / "oews_archive").glob("*.zip")):
        bls_server.add(f"/oes/special-requests/{path.name}", path)
    crosswalks = DATA / "oews_archive" / "crosswalk"
    for name in ("soc_2000_to_2010_crosswalk.xls", "2018/soc_2010_to_2018_crosswalk.xlsx"):
        bls_server.add(f"/soc/{name}", crosswalks / Path(name).name)
    assert cli.main(["fetch", "--history", "3", "--no-cps"]) == 0
    out = capsys.readouterr().out
    assert "ok      OEWS past releases (3): May 2022 to May 2024" in out
    offline = online_env.replace(offline=True)
    asked = len(bls_server.requests)
    history = oews_history.history(occupation="29-0000", area="US", start=2022, settings=offline)
    assert history["year"].astype(int).tolist() == [2022, 2023, 2024]
    assert len(bls_server.requests) == asked


def test_fetch_plan_checks_states_and_counts() -> None:
    items = fetch.plan(history=3, states=["OH", "Ohio", "39", "NV"])
    labels = [i.label for i in items]
    assert labels[-2:] == ["State projections OH", "State projections NV"]  # each once
    assert "OEWS past releases (3)" in labels
    assert len(fetch.plan(all_states=True, cps=False)) == 6 + 51  # OEWS, EP, ORS, BEA, CPI, O*NET
    with pytest.raises(UnknownArea, match="Ohioo"):
        fetch.plan(states=["Ohioo"])


def test_fetch_refuses_offline(capsys) -> None:
    assert cli.main(["fetch"]) == 2
    assert "offline mode is on" in capsys.readouterr().err


# --------------------------------------------------------------------------- resuming


BODY = (DATA / "ep" / "occupation_2024-34.xlsx").read_bytes()  # 70 kB: more than one chunk


def cut_then_whole(cut_at: int, cuts: int) -> tuple[list[Request], object]:
    """A handler that breaks the connection ``cuts`` times, after ``cut_at`` bytes or before
    the last byte of a range, then serves the file (ranges included) as the test server does."""
    whole = file_handler(BODY)
    seen: list[Request] = []

    def handle(request: Request) -> Answer:
        seen.append(request)
        answer = whole(request)
        if len(seen) <= cuts:  # announce the whole answer, send part of it
            answer.cut_after = min(cut_at, len(answer.body) - 1)
        return answer

    return seen, handle


def resumed_from(request: Request) -> int:
    """The first byte a range request asked for."""
    return int(request.headers["range"].removeprefix("bytes=").rstrip("-"))


def test_a_cut_download_resumes_within_one_fetch(bls_server, online_settings) -> None:
    seen, handler = cut_then_whole(len(BODY) - 1000, cuts=1)
    bls_server.add_handler("/f", handler)
    entry = cache.fetch(f"{bls_server.url}/f", key="t/f", settings=online_settings)
    assert entry.sha256 == hashlib.sha256(BODY).hexdigest()
    assert entry.path.read_bytes() == BODY
    assert "range" not in seen[0].headers
    start = resumed_from(seen[1])
    assert 0 < start <= len(BODY) - 1000  # what arrived before the cut is not asked again
    assert seen[1].headers["if-range"].startswith('"')


def test_an_interrupted_download_resumes_in_the_next_run(bls_server, online_settings) -> None:
    seen, handler = cut_then_whole(len(BODY) - 1000, cuts=online_settings.retries + 1)
    bls_server.add_handler("/f", handler)
    url = f"{bls_server.url}/f"
    with pytest.raises(FetchError, match="cut short"):
        cache.fetch(url, key="t/f", settings=online_settings)
    assert cache.lookup("t/f", settings=online_settings) is None  # no half-written entry
    assert [e.key for e in cache.entries(settings=online_settings)] == []
    cleared = {p.name for p in cache_clear.plan(settings=online_settings).files}
    assert {".f.partial", ".f.partial.json"} <= cleared  # `cache clear` would remove them
    entry = cache.fetch(url, key="t/f", settings=online_settings)
    assert resumed_from(seen[-1]) > 0
    assert entry.path.read_bytes() == BODY
    assert entry.sha256 == hashlib.sha256(BODY).hexdigest()
    assert not list(entry.path.parent.glob(".*partial*"))


def test_a_changed_file_is_downloaded_whole(bls_server, online_settings) -> None:
    _, handler = cut_then_whole(len(BODY) - 1000, cuts=online_settings.retries + 1)
    bls_server.add_handler("/f", handler)
    url = f"{bls_server.url}/f"
    with pytest.raises(FetchError):
        cache.fetch(url, key="t/f", settings=online_settings)
    changed = BODY.replace(b"OEU", b"OEX", 1)
    bls_server.add("/f", changed)  # a new ETag: If-Range no longer matches
    entry = cache.fetch(url, key="t/f", settings=online_settings)
    assert entry.path.read_bytes() == changed
    assert resumed_from(bls_server.requests[-1]) > 0  # asked for the rest, got the new file


def test_kept_bytes_past_the_end_of_the_file_start_the_download_again(
    bls_server, online_settings
) -> None:
    _, handler = cut_then_whole(len(BODY) - 1000, cuts=online_settings.retries + 1)
    bls_server.add_handler("/f", handler)
    url = f"{bls_server.url}/f"
    with pytest.raises(FetchError):
        cache.fetch(url, key="t/f", settings=online_settings)
    (partial,) = online_settings.cache_dir.rglob(".f.partial")
    partial.write_bytes(partial.read_bytes() + BODY)  # longer than the file now
    bls_server.add("/f", BODY)  # the same ETag: the server answers the range with 416
    entry = cache.fetch(url, key="t/f", settings=online_settings)
    assert bls_server.statuses("/f")[-2:] == [416, 200]
    assert entry.path.read_bytes() == BODY

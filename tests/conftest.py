"""Shared fixtures: an isolated cache for every test and a local BLS-like server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from marketdata.core import notices
from marketdata.core.config import Settings, reset_settings
from tests.bls_server import BLSServer

DATA = Path(__file__).parent / "data"
CONTACT = "tests@example.org"
#: Lines a test module wants shown after the run (pytest's terminal summary), not amid the dots.
SUMMARY = pytest.StashKey[list[str]]()


def pay_band_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Pay bands (the frame :func:`marketdata.plots.pay_bands` draws) from OEWS rows'
    percentiles, with a certification band at 1.05-1.12 times the median."""
    return pd.DataFrame(
        {
            "area_name": rows["area_name"],
            "entry_annual_low": rows["annual_p10"],
            "entry_annual_high": rows["annual_p25"],
            "mid_annual_low": rows["annual_p25"],
            "mid_annual_point": rows["annual_median"],
            "mid_annual_high": rows["annual_p75"],
            "experienced_annual_low": rows["annual_p75"],
            "experienced_annual_high": rows["annual_p90"],
            "cert_only_annual_low": rows["annual_median"] * 1.05,
            "cert_only_annual_high": rows["annual_median"] * 1.12,
        }
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SUMMARY] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show what test modules recorded with :func:`add_summary`, in its own section."""
    lines = terminalreporter.config.stash.get(SUMMARY, [])
    if lines:
        terminalreporter.section("summaries", sep="-")
        for line in lines:
            terminalreporter.write_line(line)


def add_summary(config: pytest.Config, lines: list[str]) -> None:
    """Record ``lines`` for the terminal summary at the end of the run."""
    config.stash[SUMMARY].extend(lines)


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """No test touches the network or the user's cache: offline, cache in a temp dir."""
    for name in (
        "MARKETDATA_CONTACT",
        "BLS_API_KEY",
        "MARKETDATA_BLS_DOWNLOAD_URL",
        "MARKETDATA_BLS_API_URL",
        "MARKETDATA_BLS_WWW_URL",
        "MARKETDATA_PROJECTIONS_CENTRAL_URL",
        "MARKETDATA_BEA_URL",
        "MARKETDATA_ONET_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MARKETDATA_OFFLINE", "1")
    monkeypatch.setenv("MARKETDATA_CACHE_DIR", str(tmp_path_factory.mktemp("env-cache")))
    reset_settings()
    notices.forget()  # each test sees the package's once-per-process warnings afresh
    yield
    reset_settings()


@pytest.fixture
def bls_server() -> Iterator[BLSServer]:
    """A local HTTP server; tests add the files and handlers they need."""
    server = BLSServer().start()
    yield server
    server.stop()


@pytest.fixture
def online_settings(bls_server: BLSServer, tmp_path: Path) -> Settings:
    """Settings that download from the local server into a fresh cache."""
    return Settings(
        cache_dir=tmp_path / "cache",
        contact=CONTACT,
        offline=False,
        bls_download_url=bls_server.url,
        bls_api_url=bls_server.url,
        bls_www_url=bls_server.url,
        projections_central_url=bls_server.url,
        bea_url=bls_server.url,
        onet_url=bls_server.url,
        timeout=5.0,
        retries=3,
        backoff=0.01,
        max_wait=5.0,
    )


@pytest.fixture
def offline_settings(online_settings: Settings) -> Settings:
    """The same cache as ``online_settings``, with offline mode on."""
    return online_settings.replace(offline=True)

"""``growth`` reads areas as ``wages`` does; states it can't get fall back to the nation, said
so; projection rounds are checked before anything is downloaded (real BLS and Projections
Central bytes from a local server, or the bundled data offline)."""

from __future__ import annotations

import re

import pytest

from marketdata.analysis import growth
from marketdata.cli.commands import main
from marketdata.core.config import Settings, reset_settings
from marketdata.core.errors import InputValueError, OfflineError, UnknownRelease
from marketdata.datasets import projections
from tests.bls_server import BLSServer
from tests.conftest import DATA

NV = DATA / "projections_central" / "nv-longterm-2026-09-11-slice.json"
NV_PATH = "/Projections/LongTermRestJson/32"
CURRENT = "/emp/ind-occ-matrix/occupation.xlsx"


def _serve(server: BLSServer) -> None:
    server.add(NV_PATH, NV, content_type="application/json")
    server.add(
        CURRENT, DATA / "ep" / "occupation_2024-34.xlsx", content_type="application/octet-stream"
    )


@pytest.mark.parametrize(
    ("area", "named"),
    [
        ("Las Vegas-Henderson-North Las Vegas, NV", "Las Vegas-Henderson-North Las Vegas, NV"),
        ("29820", "Las Vegas-Henderson-North Las Vegas, NV"),
        ("Reno NV", "Reno, NV"),
        ("Balance of Nevada nonmetropolitan area", "Balance of Nevada nonmetropolitan area"),
    ],
)
def test_metro_and_nonmetro_areas_use_their_states_projections(
    bls_server: BLSServer, online_settings: Settings, area: str, named: str
):
    _serve(bls_server)
    out = growth.outlook("29-2072", area, settings=online_settings)
    assert (out.basis, out.area, out.area_name) == ("projected", "32", "Nevada")
    assert (out.employment_base, out.employment_projected, out.percent_change) == (3050, 3280, 7.4)
    assert out.notes[0].startswith(f"{named} is a ")
    assert "these are Nevada's" in out.notes[0]


def test_a_metro_spanning_states_uses_the_state_it_names_first(
    bls_server: BLSServer, online_settings: Settings
):
    # Projections Central answers nothing for Ohio here: what matters is which state is asked
    out = growth.outlook("29-2072", "Cincinnati, OH-KY-IN", settings=online_settings)
    assert bls_server.count("/Projections/LongTermRestJson/39") == 1
    assert bls_server.count("/Projections/LongTermRestJson/21") == 0
    assert "these are Ohio's (the state its name lists first)" in out.notes[0]


@pytest.mark.parametrize(
    "area", ["Columbus, OH", "Columbus OH", "18140", "0018140", "Ohio", "OH", "39", "US"]
)
def test_growth_accepts_every_area_wages_accepts(capsys: pytest.CaptureFixture[str], area: str):
    assert main(["wages", "29-2072", "--area", area]) == 0
    capsys.readouterr()
    assert main(["growth", "29-2072", "--area", area]) == 0
    out = capsys.readouterr().out
    assert "Employment 2024-2034: 194,800 -> 208,600" in out  # national, said in a note
    if area != "US":
        assert "Fetch Ohio's with `marketdata fetch --state OH`" in out


@pytest.mark.parametrize("area", ["Columbus", "Atlantis"])
def test_growth_and_wages_give_the_same_area_hints(capsys: pytest.CaptureFixture[str], area: str):
    assert main(["wages", "29-2072", "--area", area]) == 2
    wages = capsys.readouterr().err
    assert main(["growth", "29-2072", "--area", area]) == 2
    assert capsys.readouterr().err == wages
    if area == "Columbus":
        assert "Columbus, GA-AL" in wages and "Columbus, OH" in wages
        assert "District of Columbia" not in wages


def test_state_growth_offline_is_the_national_outlook_with_the_fetch_command(
    capsys: pytest.CaptureFixture[str],
):
    assert main(["growth", "29-2072", "--area", "NV"]) == 0
    out = capsys.readouterr().out
    assert "29-2072 Medical records specialists, United States (projected)" in out
    assert "Nevada's long-term projections are not cached and offline mode is on" in out
    assert "Fetch Nevada's with `marketdata fetch --state NV`" in out


def test_the_named_command_fetches_the_state_for_later_offline_use(
    bls_server: BLSServer,
    online_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    before = growth.outlook("29-2072", "NV", settings=online_settings.replace(offline=True))
    assert before.area == "US"
    command = re.search(r"`marketdata (fetch [^`]+)`", before.notes[0])[1].split()
    _serve(bls_server)
    for name, value in online_settings.to_env().items():  # the command line, online
        monkeypatch.setenv(name, value)
    reset_settings()
    main([*command, "--no-cps"])  # the OEWS files are not served here: only NV matters
    capsys.readouterr()
    after = growth.outlook("29-2072", "NV", settings=online_settings.replace(offline=True))
    assert (after.area_name, after.basis, after.employment_base) == ("Nevada", "projected", 3050)


def test_state_growth_when_projections_central_is_unreachable(
    bls_server: BLSServer, online_settings: Settings
):
    _serve(bls_server)
    settings = online_settings.replace(projections_central_url="http://127.0.0.1:9", retries=0)
    out = growth.outlook("29-2072", "NV", settings=settings)
    assert (out.area, out.basis, out.employment_base) == ("US", "projected", 194_800)
    assert "could not be downloaded" in out.notes[0]
    assert "when online" in out.notes[0]


@pytest.mark.parametrize("wrong", ["2099-09", "2021-25", "2030-40"])
def test_impossible_rounds_are_invalid_before_any_download(
    bls_server: BLSServer, online_settings: Settings, wrong: str
):
    with pytest.raises(UnknownRelease, match="Not an EP release"):
        projections.load(release=wrong, settings=online_settings)
    assert bls_server.requests == ()


def test_a_valid_round_offline_says_not_cached_and_how_to_fetch(
    capsys: pytest.CaptureFixture[str],
):
    assert main(["growth", "29-2072", "--release", "2021-31"]) == 2
    err = capsys.readouterr().err
    assert "the 2021-31 EP release is not in the cache and offline mode is on" in err
    assert "MARKETDATA_OFFLINE unset" in err
    assert "unknown EP release" not in err
    with pytest.raises(OfflineError):
        projections.load(release="2021-31")


def test_a_past_release_for_a_state_is_refused_not_ignored() -> None:
    """State projections are the states' current ones: a state with another EP release is an
    error, not the latest national figures."""
    with pytest.raises(InputValueError, match="area='US'"):
        growth.outlook("29-2072", "OH", release="2021-31")

"""The "About these data" box from real provenance and real errors (the loaders run offline
on the bundled data and raise what a report section meets)."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from marketdata.core.errors import FetchError, OfflineDataWarning
from marketdata.datasets import (
    cps,
    oews,
    oews_history,
    onet,
    projections,
    state_projections,
)
from marketdata.reports import about

DATA = Path(__file__).parents[1] / "data"
URL = re.compile(r"https?://|www\.|\.gov|\.org")


def failure(call) -> FetchError:
    with pytest.raises(FetchError) as err:
        call()
    return err.value


def as_record(section: str, exc: FetchError) -> dict:
    """What the report kit records for a section that could not be filled."""
    return {"section": section, "reason": str(exc), "error": type(exc).__name__, "url": exc.url}


@pytest.fixture
def gaps() -> list[dict]:
    return [
        as_record(
            "Industries that employ it",
            failure(lambda: oews.load("29-2072", industry="all")),
        ),
        as_record(
            "Projected growth in Ohio", failure(lambda: state_projections.state_projections("OH"))
        ),
        as_record(
            "Change over past releases",
            failure(lambda: oews_history.load_release(2020, scope="state")),
        ),
        as_record(
            "Pay with a certification", failure(lambda: cps.certification_table(release=2025))
        ),
    ]


def bundled_provenance() -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        frames = [oews.load("29-2072", "OH"), projections.load()]
    return [p for f in frames for p in f.attrs["provenance"]]


def test_box_names_sources_gaps_and_one_command(gaps: list[dict]) -> None:
    box = about.about(bundled_provenance(), gaps, offline=True)
    assert [g.kind for g in box.gaps] == ["oews", "state", "history", "cps"]
    assert box.gaps[1].state == "OH"
    assert box.command() == "marketdata fetch --history 6 --state OH"
    lines = box.lines()
    assert lines[0] == "OEWS May 2025: bundled with marketdata (BLS's files retrieved 2026-09-26)."
    assert lines[1].startswith("EP 2024-34: bundled with marketdata")
    assert (
        "Not filled: Projected growth in Ohio: needs Ohio's long-term projections "
        "(Projections Central), which could not be had because offline mode is on." in lines
    )
    assert lines[-1] == (
        "To fill these sections, run `marketdata fetch --history 6 --state OH` while online, "
        "then the report again."
    )
    body = box.html()
    assert "<code>marketdata fetch --history 6 --state OH</code>" in body
    for text in [*lines, body]:
        assert not URL.search(text), text
        assert "Error" not in text and "is not in the cache" not in text


def test_onet_is_named_with_the_attribution_it_asks_for() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OfflineDataWarning)
        frames = [onet.load("related"), onet.load("tasks")]
    records = bundled_provenance() + [p for f in frames for p in f.attrs["provenance"]]
    box = about.about(records, [], offline=True)
    attribution = frames[0].attrs["attribution"]
    lines = box.lines()
    assert "O*NET 30.1: bundled with marketdata (O*NET's files retrieved 2026-12-07)." in lines
    assert lines.count(attribution) == 1  # once, for two files
    assert box.agencies().endswith(
        "; job descriptions and related jobs: O*NET (U.S. Department of Labor)."
    )
    assert box.html().count("Used under the CC BY 4.0 license.") == 1
    without = about.about(bundled_provenance(), [], offline=True)
    assert "O*NET" not in " ".join(without.lines()) + without.html()


def test_technical_detail_goes_to_the_manifest(gaps: list[dict]) -> None:
    records = about.about([], gaps, offline=True).manifest()
    assert [r["section"] for r in records] == [g["section"] for g in gaps]
    assert records[1]["reason"].startswith(
        "projections-central/longterm-39.json is not in the cache"
    )  # the technical reason, as raised
    assert records[1]["url"].endswith("/Projections/LongTermRestJson/39?items_per_page=1000")
    assert records[1]["error"] == "OfflineError"
    assert (records[1]["needs"], records[1]["state"]) == ("state", "OH")
    assert records[1]["command"] == "marketdata fetch --state OH"
    assert records[1]["plain"].startswith("Projected growth in Ohio: needs Ohio's long-term")
    assert all(r["reason"] for r in records)
    assert about.about([], records, offline=True).manifest() == records  # read back the same


def test_downloaded_or_cached(bls_server, online_settings) -> None:
    bls_server.add("/emp/ind-occ-matrix/occupation.xlsx", DATA / "ep" / "occupation_2024-34.xlsx")
    before = datetime.now(UTC) - timedelta(seconds=2)
    frame = projections.load(settings=online_settings)
    after = datetime.now(UTC) + timedelta(seconds=2)
    provenance = frame.attrs["provenance"]
    today = datetime.now(UTC).date().isoformat()
    assert about.sources(provenance, started=before)[0].sentence() == (
        f"EP 2024-34: downloaded from BLS on {today}."
    )
    assert about.sources(provenance, started=after)[0].origin == "cached"


def test_unknown_failures_get_no_made_up_command() -> None:
    box = about.about([], [{"section": "Quick facts", "reason": "no rows", "error": "SchemaError"}])
    assert box.command() is None
    assert box.gaps[0].sentence() == "Quick facts: its data could not be loaded."
    assert box.lines()[-1].startswith("Not filled: Quick facts")


def test_unreachable_projections_central_names_the_state_and_its_publisher() -> None:
    """Online but unreachable (not offline mode): the live URL, not a cache key, says which
    state, so the command is the same as offline and the right agency is named."""
    from marketdata.sources import projections_central

    url = projections_central.URL_TEMPLATES["state"].format(
        base="https://public.projectionscentral.org", fips=39
    )
    found = about.gap(
        "Projected growth and openings",
        f"could not reach public.projectionscentral.org (host name not resolved) for {url}",
        error="FetchError",
        url=f"{url}?items_per_page=1000",
        offline=False,
    )
    assert (found.kind, found.state) == ("state", "OH")
    assert found.reason == "Projections Central could not be reached"
    assert about.fetch_command([found]) == "marketdata fetch --state OH"
    assert "Ohio's long-term projections" in found.sentence()


def test_missing_group_table_says_the_estimates_use_table_54(gaps: list[dict]) -> None:
    box = about.about(bundled_provenance(), gaps, offline=True)
    cps_gap = next(g for g in box.gaps if g.kind == "cps")
    assert "the estimates shown use CPS table 54's rows by education instead" in cps_gap.note()

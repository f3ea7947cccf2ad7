"""One occupation's history offline, from the bundled national releases, SOC crosswalks and
CPI-U averages; their builder; what offline history says for other areas."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata.analysis import dollars
from marketdata.bundled import history_bundle as bundled
from marketdata.core.errors import NotComparableWarning, OfflineDataWarning, OfflineError
from marketdata.datasets import oews
from marketdata.sources.oews_archive import parse_release, read_archive
from tools import build_history_bundle as build_history

ARCHIVE = Path(__file__).parents[1] / "data" / "oews_archive"
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def _history(**kwargs: object) -> pd.DataFrame:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = oews.history(occupation="29-2072", **kwargs)
    kinds = [w.category for w in caught]
    assert kinds.count(OfflineDataWarning) == 1, [str(w.message) for w in caught]
    assert set(kinds) <= {OfflineDataWarning, NotComparableWarning}
    return frame


@pytest.fixture
def history_us() -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return oews.history(occupation="29-2072", area="US")


def test_history_offline_has_every_bundled_release(history_us: pd.DataFrame) -> None:
    assert len(history_us) >= 20
    assert history_us["release"].tolist() == bundled.releases()
    by_release = history_us.set_index("release")
    assert by_release.loc["May 2021", "annual_median"] == 46660
    assert by_release.loc["May 2024", "annual_median"] == 50250
    assert by_release.loc["May 2025", "annual_median"] == 51140
    assert by_release.loc["May 2025", "employment"] == 194720
    assert by_release.loc["May 2018", "occupation_code"] == "29-2071"
    assert by_release.loc["May 2018", "annual_median"] == 40350
    assert by_release.loc["2000", "annual_median"] == 22750
    assert by_release.loc["May 2019", "occupation_code"] == "29-2098"
    assert by_release.loc["May 2019", "employment"] == 331790
    assert "hybrid code 29-2098" in by_release.loc["May 2019", "comparability_note"]
    assert "SOC crosswalks" in by_release.loc["May 2018", "comparability_note"]
    assert by_release.loc["May 2021":, "is_comparable"].all()
    assert not by_release.loc[:"May 2020", "is_comparable"].any()
    assert (by_release["soc_version"].loc[["2000", "May 2012", "May 2025"]]).tolist() == [
        "SOC 2000",
        "SOC 2010",
        "SOC 2018",
    ]
    sources = history_us.attrs["provenance"]
    assert all(p["bundled"] for p in sources)
    assert {p["program"] for p in sources} == {"OEWS", "SOC crosswalk"}
    assert all("offline mode is on" in p["note"] for p in sources)


def test_history_offline_in_2025_dollars(history_us: pd.DataFrame) -> None:
    with pytest.warns(OfflineDataWarning, match="bundled CPI-U"):
        constant = dollars.inflation_adjust(history_us, to=2025)
    by_release = constant.set_index("release")["annual_median_2025_dollars"]
    prices = bundled.read("cpi").set_index("year")["cpi_u"]
    assert prices[2021] == 270.970 and prices[2025] == 321.943
    assert by_release["May 2021"] == 55437
    assert by_release["May 2024"] == round(50250 * prices[2025] / prices[2024])
    assert by_release["May 2025"] == 51140
    assert by_release["2000"] == round(22750 * prices[2025] / prices[2000])


def test_one_release_offline() -> None:
    frame = _history(area="US", start=2025, end=2025)
    assert frame["release"].tolist() == ["May 2025"]
    assert frame["annual_median"].tolist() == [51140]


def test_history_offline_of_a_state_says_what_fetch_would_add() -> None:
    with pytest.raises(OfflineError) as caught:
        oews.history(occupation="29-2072", area="Ohio", start=2021)
    message = str(caught.value)
    assert "\n" not in message
    assert "bundled history holds the nation only (2000 to May 2025)" in message
    assert "`marketdata fetch --state OH --history 5`" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_the_warning_is_said_once_at_the_callers_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        oews.history(occupation="29-2072", area="US", start=2024, end=2025)
        oews.history(occupation="29-2071", area="US", start=2012, end=2018)
    offline = [w for w in caught if w.category is OfflineDataWarning]
    assert len(offline) == 1
    assert offline[0].filename == __file__
    assert str(offline[0].message) == (
        "Offline mode is on; using the bundled national OEWS history (2000 to May 2025)."
    )


@pytest.mark.parametrize("zip_path", sorted(ARCHIVE.glob("oes*nat.zip")), ids=lambda p: p.name)
def test_bundle_agrees_with_blss_zips(zip_path: Path) -> None:
    """Every row of the committed slices of BLS's national zips is in the bundle as parsed."""
    key = zip_path.name.removesuffix("nat.zip")
    rel = next(parse_release(r) for r in bundled.releases() if parse_release(r).key == key)
    sliced = read_archive(zip_path, release=rel, scope="national")
    frame = bundled.release_frame(rel.label)
    mine = frame[frame["occupation_code"].isin(sliced["occupation_code"])]
    pd.testing.assert_frame_equal(
        mine.sort_values("occupation_code").reset_index(drop=True),
        sliced.sort_values("occupation_code").reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
    )


def test_bundle_is_small_and_its_manifest_holds_checksums() -> None:
    assert bundled.FILES["oews_history"].stat().st_size < 3_000_000
    info = bundled.manifest()
    assert len(bundled.releases()) == 26
    for entry in info.values():
        for source in entry["sources"]:
            assert len(source["sha256"]) == 64 and source["bytes"] > 0


@pytest.mark.skipif(not (SHARED / "oews").is_dir(), reason="../shared/data is absent")
def test_builder_rebuilds_the_bundle(tmp_path: Path) -> None:
    build_history.build(SHARED, tmp_path)
    for name, path in bundled.FILES.items():
        rebuilt = pd.read_parquet(tmp_path / path.name)
        pd.testing.assert_frame_equal(rebuilt, pd.read_parquet(path), obj=name)

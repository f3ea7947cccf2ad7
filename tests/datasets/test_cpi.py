"""CPI-U annual averages: BLS's flat file parsed, downloaded through a local server, added by
hand, and bundled; and constant dollars (:func:`marketdata.analysis.dollars.inflation_adjust`)."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata.analysis import dollars
from marketdata.bundled import history_bundle as bundled
from marketdata.cli.commands import main
from marketdata.core.config import Settings
from marketdata.core.errors import (
    InputValueError,
    OfflineDataWarning,
    SchemaError,
    SourceFormatError,
)
from marketdata.datasets import cpi, oews
from marketdata.sources import cpi_flat_file as source
from marketdata.sources import identify
from tests.bls_server import BLSServer

#: A real slice of BLS's cu.data.1.AllItems (lines kept byte for byte: the header, the last
#: 15 lines of CUSR0000SA0 and every CUUR0000SA0 line from 1999 to March 2026).
SLICE = Path(__file__).parents[1] / "data" / "cpi" / "cu.data.1.AllItems"
URL_PATH = "/pub/time.series/cu/cu.data.1.AllItems"


def test_the_slice_is_blss_layout() -> None:
    raw = SLICE.read_bytes()
    assert raw.startswith(b"series_id        \tyear\tperiod\t       value\tfootnote_codes\r\n")
    assert b"CUUR0000SA0      \t2025\tM10\t           -\tX\r\n" in raw


def test_parse_reads_padded_ids_dashes_and_footnotes() -> None:
    frame = source.parse(SLICE, source=SLICE.name)
    assert set(frame["series_id"]) == {"CUSR0000SA0", "CUUR0000SA0"}
    october = frame[(frame["series_id"] == "CUUR0000SA0") & (frame["year"] == 2025)]
    october = october[october["period"] == "M10"].iloc[0]
    assert pd.isna(october["value"]) and october["footnote_codes"] == "X"
    assert october["note"] == "footnote X"


def test_annual_averages_keep_the_2025_footnote_with_the_value() -> None:
    annual = source.annual_averages(source.parse(SLICE, source=SLICE.name)).set_index("year")
    assert annual.loc[2021, "cpi_u"] == 270.970
    assert annual.loc[2024, "cpi_u"] == 313.689
    assert annual.loc[2025, "cpi_u"] == 321.943
    assert annual.loc[2024, "months"] == 12 and annual.loc[2024, "note"] == ""
    assert annual.loc[2025, "months"] == 11
    assert annual.loc[2025, "footnote_codes"] == "X"
    note = "average of 11 months: October 2025 has no value (footnote X)"
    assert annual.loc[2025, "note"] == note
    assert 2026 not in annual.index  # January-March 2026 only: no annual average yet


def test_a_file_without_cpi_u_averages_is_refused(tmp_path: Path) -> None:
    lines = SLICE.read_bytes().split(b"\r\n")
    other = tmp_path / "cu.data.1.AllItems"
    other.write_bytes(b"\r\n".join(line for line in lines if b"CUUR" not in line))
    with pytest.raises(SourceFormatError, match="no annual averages"):
        source.check_file(other)


def test_download_through_the_local_server(
    bls_server: BLSServer, online_settings: Settings, offline_settings: Settings
) -> None:
    bls_server.add(URL_PATH, SLICE)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = cpi.load(settings=online_settings)
    assert bls_server.count(URL_PATH) == 1
    assert bls_server.requests[0].headers["user-agent"].count("tests@example.org") == 1
    assert frame.set_index("year").loc[2025, "cpi_u"] == 321.943
    (record,) = frame.attrs["provenance"]
    assert record["source_url"] == bls_server.url + URL_PATH
    assert record["sha256"] == hashlib.sha256(SLICE.read_bytes()).hexdigest()
    assert record["bundled"] is False and record["release"] == "CPI-U annual averages 1999-2025"
    again = cpi.load(settings=offline_settings)  # from the cache: no request, no warning
    assert bls_server.count(URL_PATH) == 1
    pd.testing.assert_frame_equal(again, frame)


def test_an_error_page_never_enters_the_cache(
    bls_server: BLSServer, online_settings: Settings
) -> None:
    bls_server.add(URL_PATH, b"<html>Access Denied</html>")
    with pytest.raises(SourceFormatError, match="missing column"):
        cpi.load(settings=online_settings)
    assert not list((online_settings.cache_dir / "raw").rglob("cu.data*"))


def test_offline_uses_the_bundled_averages_once() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = cpi.load()
        cpi.load()
    assert [w.category for w in caught] == [OfflineDataWarning]
    assert str(caught[0].message) == (
        "Offline mode is on; using the bundled CPI-U annual averages (1913-2025)."
    )
    assert caught[0].filename == __file__  # the user's line, not the package's
    annual = frame.set_index("year")
    assert annual.loc[2021, "cpi_u"] == 270.970
    assert annual.loc[2025, "note"].startswith("average of 11 months")
    (record,) = frame.attrs["provenance"]
    assert record["bundled"] is True and "offline mode is on" in record["note"]
    entry = bundled.manifest()["cpi"]["sources"][0]
    assert record["sha256"] == entry["sha256"]
    assert bundled.FILES["cpi"].stat().st_size < 20_000


def test_cache_add_accepts_the_cpi_file(capsys: pytest.CaptureFixture[str]) -> None:
    known = identify(SLICE)
    assert known.key == "cpi/cu.data.1.AllItems"
    assert main(["cache", "add", str(SLICE)]) == 0
    assert "(cpi/cu.data.1.AllItems, sha256" in capsys.readouterr().out
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the added file is used: no bundled fallback
        frame = cpi.load()
    assert frame.attrs["provenance"][0]["added_by_hand"] is True


def test_inflation_adjust_2021_median_in_2025_dollars() -> None:
    prices = source.annual_averages(source.parse(SLICE, source=SLICE.name))
    with pytest.warns(OfflineDataWarning):
        rows = oews.history(occupation="29-2072", area="US", start=2021, end=2025)
    out = dollars.inflation_adjust(rows, to=2025, cpi_frame=prices)
    by_release = out.set_index("release")
    assert by_release.loc["May 2021", "annual_median"] == 46660  # untouched
    assert by_release.loc["May 2021", "annual_median_2025_dollars"] == 55437
    expected = round(46660 * 321.943 / 270.970)
    assert by_release.loc["May 2021", "annual_median_2025_dollars"] == expected
    assert by_release.loc["May 2025", "annual_median_2025_dollars"] == 51140
    assert by_release.loc["May 2021", "hourly_median_2025_dollars"] == round(
        22.43 * 321.943 / 270.970, 2
    )
    info = out.attrs["column_info"]["annual_median_2025_dollars"]
    assert info["kind"] == "estimate"
    assert any("estimates in 2025 dollars" in n for n in out.attrs["notes"])
    assert "CPI-U 2025: average of 11 months" in out.attrs["notes"][-1]
    assert "annual_median_2025_dollars" not in rows  # the input frame is not changed


def test_inflation_adjust_reads_years_from_release_labels() -> None:
    prices = source.annual_averages(source.parse(SLICE, source=SLICE.name))
    frame = pd.DataFrame({"release": ["May 2021", "May 2024"], "annual_median": [46660, 50250]})
    out = dollars.inflation_adjust(frame, to=2021, cpi_frame=prices)
    assert out["annual_median_2021_dollars"].tolist() == [46660, round(50250 * 270.970 / 313.689)]
    with pytest.raises(InputValueError, match="1999 to 2025"):
        dollars.inflation_adjust(frame, to=1990, cpi_frame=prices)
    with pytest.raises(SchemaError, match="no 'year' or 'release'"):
        dollars.inflation_adjust(frame.drop(columns="release"), to=2021, cpi_frame=prices)

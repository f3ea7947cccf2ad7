"""CPS table 54 on BLS's real 2023 figures: the reader (CSV copy, and BLS's xlsx / htm layouts
rebuilt from the same figures), the loader with its bundled transcription, and `cache add`.

Data (tests/data/cps/README.md): ``cpsaat54_2023_transcribed.csv`` and
``cpsaat54_2021_totals_transcribed.csv`` are the staged transcriptions of public copies of
BLS's table, unchanged; ``cpsaat54_2023_rebuilt.{xlsx,htm}`` put those figures into BLS's
layouts (make_table54_fixtures.py).
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketdata.cli.commands import main
from marketdata.core.config import Settings
from marketdata.core.errors import (
    InputValueError,
    OfflineDataWarning,
    OfflineError,
    SourceFormatError,
)
from marketdata.datasets import cps_characteristics
from marketdata.io import cache
from marketdata.sources import cps_table54 as t54
from marketdata.sources import identify
from tests.bls_server import BLSServer
from tests.test_properties import FAST, mutated, ours

DATA = Path(__file__).parents[1] / "data" / "cps"
CSV = DATA / "cpsaat54_2023_transcribed.csv"
XLSX = DATA / "cpsaat54_2023_rebuilt.xlsx"
HTM = DATA / "cpsaat54_2023_rebuilt.htm"
TOTALS_2021 = DATA / "cpsaat54_2021_totals_transcribed.csv"
STAGED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "cps"
#: sha256 of the staged 2023 transcription (shared/data/MANIFEST.md)
SHA_2023 = "6ddbb3ddcd4bc3b9f46147c14f5feaa1b427996a1fc0306814ab83253c860fbc"


def staged_csv() -> Path:
    """The staged CSV when ../shared is there, else its copy in tests/data (same bytes)."""
    path = STAGED / "cpsaat54_2023_transcribed.csv"
    return path if path.exists() else CSV


def row(frame: pd.DataFrame, group: str, label: str, parent: str | None = None) -> pd.Series:
    rows = frame[(frame["group"] == group) & (frame["label"] == label)]
    if parent is not None:
        rows = rows[rows["parent"] == parent]
    assert len(rows) == 1, (group, label, parent, len(rows))
    return rows.iloc[0]


# -- the reader ------------------------------------------------------------------------------


def test_test_copy_is_the_staged_file() -> None:
    assert hashlib.sha256(CSV.read_bytes()).hexdigest() == SHA_2023
    assert hashlib.sha256(staged_csv().read_bytes()).hexdigest() == SHA_2023


def test_parser_reads_the_staged_csv() -> None:
    frame = t54.parse(staged_csv().read_bytes(), source="cpsaat54_2023_transcribed.csv")
    assert list(frame.columns) == list(t54.COLUMNS)
    assert len(frame) == 38
    assert list(dict.fromkeys(frame["group"])) == [
        "Age and sex",
        "Race and Hispanic or Latino ethnicity",
        "Educational attainment",
    ]
    total = row(frame, "Age and sex", "Total, 16 years and over")
    assert total["workers"] == 120907  # thousands
    assert total[list(t54.MEDIANS)].tolist() == [1117, 1364, 1463, 1355, 1024]
    some = row(frame, "Educational attainment", "Some college, no degree")
    assert some[list(t54.MEDIANS)].tolist() == [992, 1078, 1236, 1054, 973]
    assert some["parent"] == "Total, 25 years and over"
    # Men/Women rows are told apart by their parent
    assert (
        row(frame, "Race and Hispanic or Latino ethnicity", "Men", "Asian, 16 years and over")[
            "median_weekly_cert_no_license"
        ]
        == 2277
    )
    assert (
        row(frame, "Age and sex", "55 years and over", "Women, 16 years and over")["workers"]
        == 11410
    )


def test_dash_stays_missing_with_a_note() -> None:
    frame = t54.parse(CSV.read_bytes(), source="t54.csv")
    less = row(frame, "Educational attainment", "Less than a high school diploma")
    assert pd.isna(less["median_weekly_cert_no_license"])
    assert less["median_weekly_without"] == 703
    assert "median_weekly_cert_no_license: BLS shows a dash '-'" in less["note"]
    assert frame["note"].astype(bool).sum() == 1


def test_footnote_markers_leave_the_labels() -> None:
    frame = t54.parse(CSV.read_bytes(), source="t54.csv")
    marked = frame[frame["footnotes"] != ""].set_index("label")["footnotes"].to_dict()
    assert marked == {"High school graduates, no college": "3", "Advanced degree": "4"}
    assert frame.attrs["column_footnotes"] == {
        "median_weekly_with_either": "1",
        "median_weekly_cert_no_license": "1",
        "median_weekly_license": "1,2",
    }
    assert frame.attrs["footnotes"] == {}  # the copy has the markers, not BLS's texts


@pytest.mark.parametrize("path", [XLSX, HTM], ids=["xlsx", "htm"])
def test_bls_layouts_give_the_csv_frame(path: Path) -> None:
    from_csv = t54.parse(CSV.read_bytes(), source="csv")
    other = t54.parse(path.read_bytes(), source=path.name)
    columns = [c for c in t54.COLUMNS if c != "note"]
    pd.testing.assert_frame_equal(other[columns], from_csv[columns])
    # the rebuilt files use BLS's en dash where the copy has a hyphen
    assert list(other["note"]) == [n.replace("'-'", "'–'") for n in from_csv["note"]]
    assert other.attrs["title"].startswith("Median weekly earnings of full-time wage and salary")
    assert other.attrs["column_footnotes"] == from_csv.attrs["column_footnotes"]
    assert set(other.attrs["footnotes"]) == {"1", "2", "3", "4"}
    assert any("REBUILT FILE" in n for n in other.attrs["notes"])


def test_one_header_line_csv_2021_totals() -> None:
    frame = t54.parse(TOTALS_2021.read_bytes(), source="t54_2021.csv")
    total = frame.iloc[0]
    assert (total["label"], total["workers"]) == ("Total, 16 years and over", 114316)
    assert total[list(t54.MEDIANS)].tolist() == [998, 1229, 1288, 1223, 931]


def test_html_error_page_is_refused() -> None:
    page = b"<!DOCTYPE html><html><body><h1>Access Denied</h1></body></html>"
    with pytest.raises(SourceFormatError, match="no HTML table about certification"):
        t54.parse(page, source="cpsaat54.xlsx")


def test_another_cps_table_is_refused() -> None:
    with pytest.raises(SourceFormatError, match="does not name table 54's columns"):
        t54.parse((DATA / "cpsaat39_2025.xlsx").read_bytes(), source="cpsaat39_2025.xlsx")


def test_a_bad_cell_names_its_line(tmp_path: Path) -> None:
    text = CSV.read_text().replace('"14,583","992"', '"14,583","n.a."')
    with pytest.raises(SourceFormatError, match=r"Some college, no degree.*'n\.a\.'") as err:
        t54.parse(text.encode(), source="bad.csv")
    assert "line 44" in str(err.value)


def test_unknown_format() -> None:
    with pytest.raises(SourceFormatError, match="unknown table 54 format"):
        t54.parse(CSV.read_bytes(), source="x", fmt="pdf")


# -- cache add -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("cpsaat54_2023.xlsx", "cps/aa2023/cpsaat54.xlsx"),
        ("cpsaat54_2023.htm", "cps/aa2023/cpsaat54.htm"),
        ("cpsaat54_2023_transcribed.csv", "cps/aa2023/cpsaat54.csv"),
    ],
)
def test_identify_and_cache_add(
    tmp_path: Path, name: str, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    src = {"xlsx": XLSX, "htm": HTM, "csv": CSV}[name.rsplit(".", 1)[1]]
    saved = tmp_path / name
    shutil.copyfile(src, saved)
    known = identify(saved)
    assert known.key == key
    assert known.url.endswith("/cps/aa2023/cpsaat54." + ("xlsx" if key.endswith("xlsx") else "htm"))
    assert main(["cache", "add", str(saved)]) == 0
    assert f"({key}, sha256" in capsys.readouterr().out


def test_cache_add_asks_for_the_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    undated = tmp_path / "cpsaat54.xlsx"
    shutil.copyfile(XLSX, undated)
    assert main(["cache", "add", str(undated)]) == 2
    assert "cpsaat54_YYYY.xlsx" in capsys.readouterr().err


# -- the loader ------------------------------------------------------------------------------


def test_bundled_table_is_the_transcription_and_says_so() -> None:
    frame = cps_characteristics.bundled()
    pd.testing.assert_frame_equal(frame, t54.parse(CSV.read_bytes(), source="x"), check_like=True)
    prov = frame.attrs["provenance"][0]
    assert prov["bundled"] is True
    assert prov["sha256"] == SHA_2023
    assert "transcription of a public copy" in prov["release"]
    assert prov["source_url"] == "https://www.bls.gov/cps/aa2023/cpsaat54.htm"
    assert frame.attrs["year"] == 2023
    assert "Akhil-Desai/STAT3080_Project" in cps_characteristics._manifest()["copied_from"]


def test_offline_without_a_cached_table_uses_the_bundle_loudly() -> None:
    with pytest.warns(OfflineDataWarning, match="using the bundled 2023 table"):
        frame = cps_characteristics.load()
    assert frame.attrs["provenance"][0]["bundled"] is True
    assert "bundled 2023 table 54 is a transcription" in frame.attrs["provenance"][0]["note"]


def test_a_year_not_cached_offline_is_an_error() -> None:
    with pytest.raises(OfflineError, match=r"cps/aa2024/cpsaat54\.xlsx"):
        cps_characteristics.load(release=2024)


def test_bad_year() -> None:
    with pytest.raises(InputValueError, match="2015"):
        cps_characteristics.load(release=2012)


def test_fetched_like_the_other_cps_tables(
    bls_server: BLSServer, online_settings: Settings, offline_settings: Settings
) -> None:
    bls_server.add("/cps/aa2023/cpsaat54.xlsx", XLSX)
    frame = cps_characteristics.load(release=2023, settings=online_settings)
    assert bls_server.count("/cps/aa2023/cpsaat54.xlsx") == 1
    prov = frame.attrs["provenance"][0]
    assert prov["source_url"] == f"{bls_server.url}/cps/aa2023/cpsaat54.xlsx"
    assert not prov["bundled"]
    assert cache.lookup("cps/aa2023/cpsaat54.xlsx", settings=online_settings) is not None
    # the cached table is as new as the bundled one: used without a warning, offline too
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        latest = cps_characteristics.load(settings=offline_settings)
    assert latest.attrs["provenance"][0]["source_url"].endswith("/cps/aa2023/cpsaat54.xlsx")
    assert (
        row(latest, "Educational attainment", "Associate degree")["median_weekly_without"] == 1013
    )


def test_latest_tries_newer_years_then_bundles(
    bls_server: BLSServer, online_settings: Settings
) -> None:
    with pytest.warns(OfflineDataWarning, match="bundled 2023 table"):
        frame = cps_characteristics.load(settings=online_settings)
    assert frame.attrs["provenance"][0]["bundled"]
    assert "404" in frame.attrs["provenance"][0]["note"]
    assert bls_server.count("/cps/aa2024/cpsaat54.xlsx") == 1
    assert bls_server.count("/cps/aa2023/cpsaat54.xlsx") == 1  # BLS's own file is tried


def test_html_instead_of_the_workbook_is_not_cached(
    bls_server: BLSServer, online_settings: Settings
) -> None:
    page = b"<!DOCTYPE html><html><body>Access Denied</body></html>"
    bls_server.add("/cps/aa2023/cpsaat54.xlsx", page, content_type="text/html")
    with pytest.raises(SourceFormatError):
        cps_characteristics.load(release=2023, settings=online_settings)
    assert cache.lookup("cps/aa2023/cpsaat54.xlsx", settings=online_settings) is None


# -- hand check ------------------------------------------------------------------------------


def test_a_ratio_recomputed_by_hand_from_the_staged_csv() -> None:
    """Some college, no degree: certification but no license / without, from the raw cells."""
    from marketdata.analysis.credentials import factors as cert_factors

    with staged_csv().open(newline="") as f:
        cells = next(r for r in csv.reader(f) if r and r[0] == "Some college, no degree")
    assert cells[1:] == ["14,583", "992", "1,078", "1,236", "1,054", "973"]
    premium_by_hand = int(cells[4].replace(",", "")) / int(cells[6])  # 1236 / 973
    factor_by_hand = int(cells[4].replace(",", "")) / int(cells[2])  # 1236 / 992
    found = cert_factors.factors(
        "29-2072",
        "Some college, no degree",
        group_table=False,
        table54=t54.parse(staged_csv().read_bytes(), source="staged"),
    )
    got = found.frame.set_index(["basis", "status"]).loc[("education", "cert_no_license")]
    assert got["premium"] == pytest.approx(premium_by_hand, rel=1e-12)
    assert got["factor"] == pytest.approx(factor_by_hand, rel=1e-12)
    assert round(premium_by_hand, 3) == 1.270


# -- damaged bytes ---------------------------------------------------------------------------

FILES = {p.name: p.read_bytes() for p in (CSV, XLSX, HTM, TOTALS_2021)}


@FAST
@given(name=st.sampled_from(sorted(FILES)), data=st.data())
def test_damaged_table_54_gives_one_clear_error(name: str, data: st.DataObject) -> None:
    raw = data.draw(st.one_of(mutated(FILES[name]), st.binary(max_size=200)))
    result = ours(lambda: t54.parse(raw, source=name), name)
    if isinstance(result, pd.DataFrame):
        assert list(result.columns) == list(t54.COLUMNS)

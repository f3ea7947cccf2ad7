"""Group rows BLS's national workbook publishes and the time-series files leave out: each
answers under its own code and title, with BLS's published figures."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from marketdata import bundled as snapshot
from marketdata.core.config import Settings
from marketdata.core.errors import UnknownCode
from marketdata.datasets import oews
from marketdata.io import cache
from marketdata.sources import identify

SLICE = Path(__file__).parents[1] / "data" / "oews_groups" / "oesm25nat.zip"
WORKBOOK = (
    Path(__file__).resolve().parents[2] / ".." / "shared/data/oews/national/national_M2025_dl.xlsx"
)
#: Workbook column -> frame column, the figures compared.
FIGURES = {
    "TOT_EMP": "employment",
    "H_MEAN": "hourly_mean",
    "A_MEAN": "annual_mean",
    "H_MEDIAN": "hourly_median",
    "A_MEDIAN": "annual_median",
    "A_PCT10": "annual_p10",
    "A_PCT90": "annual_p90",
}


def _quiet_load(**kwargs: object) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return oews.load(**kwargs)


def _workbook_rows(content: bytes) -> pd.DataFrame:
    """The workbook's data sheet as BLS wrote it, read with calamine (not our parser)."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    frame = pd.DataFrame(rows[1:], columns=rows[0])
    return frame.drop_duplicates("OCC_CODE").set_index("OCC_CODE")


def _group_rows(workbook: pd.DataFrame) -> pd.DataFrame:
    series_codes = {row[0] for row in snapshot.occupation_rows()}
    return workbook[~workbook.index.isin(series_codes)]


def _assert_published(got: pd.DataFrame, published: pd.DataFrame) -> None:
    got = got.set_index("occupation_code")
    assert sorted(got.index) == sorted(published.index)
    for code, row in published.iterrows():
        mine = got.loc[code]
        assert mine["occupation_title"] == row["OCC_TITLE"]
        assert mine["occupation_level"] == row["O_GROUP"]
        for theirs, ours in FIGURES.items():
            if isinstance(row[theirs], int | float):  # "#", "*" markers are tested elsewhere
                assert mine[ours] == row[theirs], (code, ours)


def test_dishwashers_broad_group_answers_with_the_workbooks_row() -> None:
    frame = _quiet_load(release=2025, area="US", occupation="35-9020")
    (row,) = frame.to_dict("records")
    assert (row["occupation_code"], row["occupation_title"]) == ("35-9020", "Dishwashers")
    assert row["occupation_level"] == "broad"
    assert row["employment"] == 477450  # BLS's workbook, row 707
    assert row["annual_median"] == 34810
    assert "single child, 35-9021 Dishwashers" in frame.attrs["notes"][-1]
    assert any("oesm25nat.zip" in p["source_url"] for p in frame.attrs["provenance"])


def test_a_group_in_a_state_shows_its_single_childs_figures() -> None:
    both = _quiet_load(area="OH", occupation=["35-9020", "35-9021"])
    by_code = both.set_index("occupation_code")
    assert by_code.loc["35-9020", "employment"] == by_code.loc["35-9021", "employment"] == 14380
    assert by_code.loc["35-9020", "occupation_title"] == "Dishwashers"
    assert "every row shows 35-9021's figures" in both.attrs["notes"][-1]


def test_minor_group_and_a_chief_executives_broad_group() -> None:
    frame = _quiet_load(area="US", occupation=["35-1000", "11-1010"]).set_index("occupation_code")
    assert frame.loc["35-1000", "occupation_level"] == "minor"
    assert frame.loc["35-1000", "occupation_title"] == (
        "Supervisors of Food Preparation and Serving Workers"
    )
    assert frame.loc["11-1010", "occupation_title"] == "Chief Executives"
    assert frame.loc["11-1010", "employment"] == 204350


def test_the_committed_slice_answers_with_its_published_figures(
    offline_settings: Settings,
) -> None:
    known = identify(SLICE, settings=offline_settings)
    cache.add_file(
        SLICE, key=known.key, url=known.url, settings=offline_settings, check=known.check
    )
    with zipfile.ZipFile(SLICE) as zf:
        published = _group_rows(_workbook_rows(zf.read("national_M2025_dl.xlsx")))
    assert {"11-1010", "35-1000", "35-9020"} <= set(published.index)
    frame = _quiet_load(
        release=2025, area="US", occupation=list(published.index), settings=offline_settings
    )
    _assert_published(frame, published)
    sources = frame.attrs["provenance"]
    assert any(p["added_by_hand"] and p["source_url"].endswith("oesm25nat.zip") for p in sources)


@pytest.mark.skipif(not WORKBOOK.is_file(), reason="../shared/data is absent")
def test_every_group_row_of_the_workbook_answers_with_its_published_figures() -> None:
    published = _group_rows(_workbook_rows(WORKBOOK.read_bytes()))
    assert len(published) == 290
    assert published["O_GROUP"].value_counts().to_dict() == {"broad": 273, "minor": 17}
    assert published.loc["35-9020", "TOT_EMP"] == 477450
    frame = _quiet_load(release=2025, area="US", occupation=list(published.index))
    _assert_published(frame, published)


def test_a_code_no_file_has_is_said_truly() -> None:
    with pytest.raises(UnknownCode) as caught:
        _quiet_load(area="US", occupation="35-9029")
    message = str(caught.value)
    assert "35-9021 Dishwashers" in message  # close matches stay
    assert "OEWS May 2025 publishes no such code" in message
    assert "neither its data files nor its national workbook have it" in message
    assert "Find the code with `marketdata search WORDS`" in message
    assert caught.value.__suppress_context__

"""The OEWS flat-file parser on a real slice of BLS's May 2025 files (tests/data/oe)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from marketdata.core.errors import SourceFormatError
from marketdata.core.schema import OEWS_COLUMNS, OEWS_MEASURES, validate
from marketdata.sources import oe
from marketdata.sources.oe import values

DATA = Path(__file__).parents[1] / "data" / "oe"
NATIONAL, OHIO, CALIFORNIA, ALABAMA = "0000000", "3900000", "0600000", "0100000"
COLUMBUS, SOUTHERN_OHIO = "0018140", "3900004"


def paths(folder: Path = DATA) -> dict[str, Path]:
    return {name: folder / name for name in oe.FILES}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return oe.parse(paths())


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A writable copy of the slice."""
    for name in oe.FILES:
        shutil.copyfile(DATA / name, tmp_path / name)
    return tmp_path


def cell(df: pd.DataFrame, area: str, occupation: str, industry: str = "000000") -> pd.Series:
    rows = df[
        (df.area_code == area) & (df.occupation_code == occupation) & (df.industry_code == industry)
    ]
    assert len(rows) == 1
    return rows.iloc[0]


def test_published_figures_of_medical_records_specialists(frame: pd.DataFrame) -> None:
    national = cell(frame, NATIONAL, "29-2072")
    assert national.employment == 194720
    assert national.annual_median == 51140
    assert national.hourly_median == 24.59
    assert national.occupation_title == "Medical Records Specialists"
    assert national.occupation_level == "detailed"
    assert national.release == "May 2025"
    ohio = cell(frame, OHIO, "29-2072")
    assert (ohio.employment, ohio.annual_median) == (7440, 50990)
    assert (ohio.area_name, ohio.area_type, ohio.state_code) == ("Ohio", "state", "39")
    assert cell(frame, CALIFORNIA, "29-2072").annual_median == 61810
    assert cell(frame, ALABAMA, "29-2072").annual_median == 43810
    columbus = cell(frame, COLUMBUS, "29-2072")
    assert (columbus.area_name, columbus.area_type) == ("Columbus, OH", "metro")
    assert cell(frame, SOUTHERN_OHIO, "29-2072").area_type == "nonmetro"


def test_every_value_equals_the_file(frame: pd.DataFrame) -> None:
    """Read the file line by line (plain Python) and compare each value with the frame."""
    measures = oe.read_datatypes(DATA / "oe.datatype")
    indexed = frame.set_index(["area_code", "industry_code", "occupation_code"])
    lines = (DATA / oe.DATA_FILE).read_bytes().decode().split("\r\n")[1:-1]
    assert len(lines) == 803
    for line in lines:
        series, _, _, value, footnote = line.split("\t")
        key = (series[4:11], series[11:17], f"{series[17:19]}-{series[19:23]}")
        measure = measures[series[23:25]]
        got = indexed.loc[key, measure]
        if value.strip() == "-":
            topcoded = indexed.loc[key].get(f"is_topcoded_{measure}", False)
            assert np.isnan(got) or (footnote == "5" and topcoded), line
        else:
            assert got == float(value), line


def test_shape_columns_and_types(frame: pd.DataFrame) -> None:
    assert list(frame.columns) == list(oe.COLUMNS)
    validate(frame, OEWS_COLUMNS, table="OEWS")
    assert not frame.duplicated(["area_code", "industry_code", "occupation_code"]).any()
    assert len(frame) == 49
    for measure in OEWS_MEASURES:
        assert frame[measure].dtype == np.float64
    for flag in oe.TOPCODE_COLUMNS.values():
        assert frame[flag].dtype == bool
    assert set(frame.area_type) == {"national", "state", "metro", "nonmetro"}
    assert set(frame.industry_code) == {"000000", "622000"}
    # industry estimates are national only, as BLS publishes them
    assert set(frame.loc[frame.industry_code == "622000", "area_code"]) == {NATIONAL}
    first = frame.iloc[0]
    assert (first.industry_code, first.occupation_code, first.area_code) == (
        "000000",
        "00-0000",
        NATIONAL,
    )


def test_zero_is_a_value_and_absent_datatypes_are_missing(frame: pd.DataFrame) -> None:
    total = cell(frame, NATIONAL, "00-0000")
    assert total.employment_rse == 0.0
    assert pd.isna(total.employment_rse_note)
    # BLS publishes no jobs per 1,000 or location quotient for the nation
    assert np.isnan(total.jobs_per_1000) and np.isnan(total.location_quotient)
    assert pd.isna(total.jobs_per_1000_note)
    assert cell(frame, OHIO, "00-0000").jobs_per_1000 == 1000


def test_not_released_is_missing_with_bls_reason(frame: pd.DataFrame) -> None:
    footnotes = oe.read_footnotes(DATA / "oe.footnote")
    managers = cell(frame, OHIO, "11-9179")
    assert np.isnan(managers.employment) and np.isnan(managers.employment_rse)
    assert managers.employment_note == footnotes["8"] == "Estimate not released."
    assert managers.annual_median == 58940  # the wages are published
    assert pd.isna(managers.annual_median_note)
    web = cell(frame, ALABAMA, "15-1254")
    assert web.employment == 930
    for wage in oe.TOPCODE_COLUMNS:
        assert np.isnan(web[wage]) and web[f"{wage}_note"] == footnotes["8"]
        assert not web[oe.TOPCODE_COLUMNS[wage]]


def test_wages_not_published_hourly_or_annual(frame: pd.DataFrame) -> None:
    footnotes = oe.read_footnotes(DATA / "oe.footnote")
    teachers = cell(frame, ALABAMA, "25-2021")
    assert np.isnan(teachers.hourly_median) and teachers.hourly_median_note == footnotes["4"]
    assert teachers.annual_median == 61380
    actors = cell(frame, NATIONAL, "27-2011")
    assert np.isnan(actors.annual_mean) and actors.annual_mean_note == footnotes["4"]
    assert actors.hourly_mean == 58.29 and actors.hourly_median == 29.05


def test_topcoded_wages_keep_the_bound_and_a_flag(frame: pd.DataFrame) -> None:
    footnotes = oe.read_footnotes(DATA / "oe.footnote")
    topcode = oe.topcode_of(footnotes)
    assert topcode == oe.TopCode(code="5", hourly=115.0, annual=239200.0)
    cardiologists = cell(frame, COLUMBUS, "29-1212")
    assert cardiologists.annual_median == 239200 and cardiologists.is_topcoded_annual_median
    assert cardiologists.hourly_p10 == 115.0 and cardiologists.is_topcoded_hourly_p10
    assert cardiologists.annual_median_note == footnotes["5"]
    assert cardiologists.employment == 70 and cardiologists.wage_rse == 4.4
    national = cell(frame, NATIONAL, "29-1212")
    assert national.annual_median == 496010 and not national.is_topcoded_annual_median
    assert frame[list(oe.TOPCODE_COLUMNS.values())].to_numpy().sum() > 0
    flagged = frame[frame.is_topcoded_annual_median]
    assert (flagged.annual_median == 239200).all()


def test_release_of_the_files() -> None:
    release = oe.release_of(paths())
    assert (release.name, release.year, release.period, release.code) == (
        "May 2025",
        "2025",
        "A01",
        "2025A01",
    )


def test_lookup_tables() -> None:
    areas = oe.read_areas(DATA / "oe.area")
    assert areas.set_index("area_code").loc[SOUTHERN_OHIO, "area_type"] == "nonmetro"
    occupations = oe.read_occupations(DATA / "oe.occupation").set_index("occupation_code")
    assert occupations.loc["00-0000", "occupation_level"] == "total"
    assert occupations.loc["29-0000", "occupation_level"] == "major"
    assert occupations.loc["29-2072", "occupation_title"] == "Medical Records Specialists"
    assert oe.read_datatypes(DATA / "oe.datatype")["13"] == "annual_median"


def test_padding_trimmed_ids_still_parse(copy: Path) -> None:
    """A mirror that strips the padding of series ids gives the same frame."""
    data = copy / oe.DATA_FILE
    lines = data.read_bytes().split(b"\r\n")
    trimmed = [lines[0]] + [
        line.split(b"\t", 1)[0].rstrip() + b"\t" + line.split(b"\t", 1)[1] for line in lines[1:-1]
    ]
    data.write_bytes(b"\r\n".join([*trimmed, b""]))
    pd.testing.assert_frame_equal(oe.parse(paths(copy)), oe.parse(paths()))


def test_blocks_converted_in_parallel_give_the_same_frame(
    frame: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(values, "_BLOCK_BYTES", 2048)  # about 20 blocks instead of one
    table = values._read(DATA / oe.DATA_FILE, oe.DATA_FILE, {"series_id": pa.binary()})
    assert table.column("series_id").num_chunks > 10
    pd.testing.assert_frame_equal(oe.parse(paths()), frame)


def test_long_id_in_a_later_block_is_named(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values, "_BLOCK_BYTES", 2048)
    data = copy / oe.DATA_FILE
    lines = _lines(data)
    lines[599] = b"OEUN0000000000000000000123456789\t2025\tA01\t        12.5\t"
    _write(data, lines)
    _fails(copy, source=oe.DATA_FILE, line=600, match="longer than 30")


def test_lines_in_any_order_give_the_same_frame(copy: Path) -> None:
    data = copy / oe.DATA_FILE
    lines = data.read_bytes().split(b"\r\n")
    body = lines[1:-1]
    shuffled = body[1::2] + body[::2]  # every cell split into separate runs
    data.write_bytes(b"\r\n".join([lines[0], *shuffled[::-1], b""]))
    pd.testing.assert_frame_equal(oe.parse(paths(copy)), oe.parse(paths()))


# Malformed files ---------------------------------------------------------------------------


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\r\n")


def _write(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"\r\n".join(lines))


def _fails(folder: Path, *, source: str, line: int | None, match: str) -> None:
    with pytest.raises(SourceFormatError, match=match) as info:
        oe.parse(paths(folder))
    assert info.value.source == source
    assert info.value.line == line
    assert source in str(info.value)
    if line is not None:
        assert f"line {line}" in str(info.value)


def test_truncated_data_file(copy: Path) -> None:
    data = copy / oe.DATA_FILE
    raw = data.read_bytes()
    data.write_bytes(raw[: len(raw) // 2])
    line = raw[: len(raw) // 2].count(b"\n") + 1
    _fails(copy, source=oe.DATA_FILE, line=line, match="middle of a line")


@pytest.mark.parametrize(
    ("at", "replacement", "match"),
    [
        (10, b"OEUN000000000000000000010     \t2025\tA01", "fields"),
        (20, b"OEUN000000000000000000020     \t2025\tA01\t       12x.5\t", "neither a number"),
        (30, b"XEUN000000000000000000030     \t2025\tA01\t        12.5\t", "not an OEWS series"),
        (40, b"OEUN000000000000000000099     \t2025\tA01\t        12.5\t", "datatype 99"),
        (50, b"OEUS990000000000000000001     \t2025\tA01\t        12.5\t", "area 'S9900000'"),
        (60, b"OEUN000000000000099999901     \t2025\tA01\t        12.5\t", "occupation '999999'"),
        (70, b"OEUN000000099999900000001     \t2025\tA01\t        12.5\t", "industry '999999'"),
    ],
)
def test_malformed_line_is_named(copy: Path, at: int, replacement: bytes, match: str) -> None:
    data = copy / oe.DATA_FILE
    lines = _lines(data)
    lines[at - 1] = replacement  # line numbers count from 1, the header is line 1
    _write(data, lines)
    _fails(copy, source=oe.DATA_FILE, line=at, match=match)


def test_duplicate_series_is_named(copy: Path) -> None:
    data = copy / oe.DATA_FILE
    lines = _lines(data)
    lines.insert(101, lines[4])
    _write(data, lines)
    _fails(copy, source=oe.DATA_FILE, line=102, match=r"appears twice \(first on line 5\)")


def test_html_page_instead_of_data(copy: Path) -> None:
    (copy / oe.DATA_FILE).write_bytes(b"<!DOCTYPE html>\r\n<html><body>Access Denied</body>\r\n")
    _fails(copy, source=oe.DATA_FILE, line=1, match="header")
    with pytest.raises(SourceFormatError, match="line 1"):
        oe.check_file(oe.DATA_FILE)(copy / oe.DATA_FILE)


def test_empty_data_file(copy: Path) -> None:
    (copy / oe.DATA_FILE).write_bytes(_lines(copy / oe.DATA_FILE)[0] + b"\r\n")
    _fails(copy, source=oe.DATA_FILE, line=2, match="no values")
    with pytest.raises(SourceFormatError, match="no values"):
        oe.read_values(copy / oe.DATA_FILE)


def test_truncated_mapping_file(copy: Path) -> None:
    area = copy / "oe.area"
    raw = area.read_bytes()
    area.write_bytes(raw[:-20])
    _fails(copy, source="oe.area", line=7, match="middle of a line")
    with pytest.raises(SourceFormatError, match=r"oe\.area, line 7"):
        oe.check_file("oe.area")(area)


def test_mapping_file_with_a_short_line(copy: Path) -> None:
    occupation = copy / "oe.occupation"
    lines = _lines(occupation)
    lines[3] = b"151254"
    _write(occupation, lines)
    _fails(copy, source="oe.occupation", line=4, match="fields")


def test_mapping_file_without_its_columns(copy: Path) -> None:
    (copy / "oe.footnote").write_bytes(b"code\ttext\r\n8\tEstimate not released.\r\n")
    _fails(copy, source="oe.footnote", line=1, match="no column footnote_code")


def test_datatypes_must_describe_oews(copy: Path) -> None:
    datatype = copy / "oe.datatype"
    _write(datatype, [line for line in _lines(datatype) if not line.startswith(b"13")])
    _fails(copy, source="oe.datatype", line=None, match="Annual median wage")


def test_files_of_different_releases(copy: Path) -> None:
    (copy / "oe.release").write_bytes(b"release_date\tdescription\r\n2025-04\tMay 2024\r\n")
    _fails(copy, source="oe.release", line=None, match="different releases")

"""Parsing BLS's archived OEWS zips (real members cut down to a few rows, see make_slices.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlrd

from marketdata.core.errors import SourceFormatError, UnknownRelease
from marketdata.sources import oews_archive as oa
from marketdata.sources.oews_archive import columns, markers, members

DATA = Path(__file__).parents[1] / "data" / "oews_archive"
MAY24 = "national_M2024_dl.xlsx"
OLD = "# = indicates a wage greater than $70.00 per hour or $145,600 per year "
NEW = "#  = indicates a wage equal to or greater than $115.00 per hour or $239,200 per year"
THAT = "# = indicates a wage that is equal to or greater than $100.00 per hour or $208,000 per year"


def read(name: str, year: int, scope: str = "national", **kw) -> pd.DataFrame:
    return oa.read_archive(DATA / name, release=oa.release_for(year, **kw), scope=scope)


def row(df: pd.DataFrame, code: str, area: str = "0000000") -> pd.Series:
    found = df[(df["occupation_code"] == code) & (df["area_code"] == area)]
    assert len(found) >= 1, f"{code} not in frame"
    return found.iloc[0]


# Registry ---------------------------------------------------------------------------------


def test_release_registry() -> None:
    assert oa.release_for(2000).zip_name("national") == "oes00nat.zip"
    assert oa.release_for(2002).label == "2002"
    assert oa.release_for(2003).zip_name("state") == "oesm03st.zip"
    assert oa.release_for(2003, month="Nov").zip_name("national") == "oesn03nat.zip"
    assert oa.release_for(2003, month="November").label == "November 2003"
    assert oa.release_for(2021).zip_name("metro") == "oesm21ma.zip"
    assert oa.release_for(2024).zip_name("all") == "oesm24all.zip"
    assert oa.release_for(2010).is_hybrid and oa.release_for(2020).is_hybrid
    assert oa.release_for(2018).soc_version == "SOC 2010"
    assert oa.release_for(2031).label == "May 2031"  # future years follow the last vintage
    urls = oa.archive_urls(oa.release_for(2013), "state", base_url="http://x/")
    assert urls == [
        "http://x/oes/special-requests/oesm13st.zip",
        "http://x/oes/special.requests/oesm13st.zip",
    ]


@pytest.mark.parametrize(("year", "month"), [(1996, None), (2005, "November"), (2021, "June")])
def test_unknown_releases(year: int, month: str | None) -> None:
    with pytest.raises(UnknownRelease):
        oa.release_for(year, month=month)


def test_unknown_scope() -> None:
    with pytest.raises(UnknownRelease, match="scope"):
        oa.release_for(2021).zip_name("county")


# Vintages -----------------------------------------------------------------------------------


def test_2000_header_after_a_38_row_preamble() -> None:
    df = read("oes00nat.zip", 2000)
    medical = row(df, "29-2071")
    assert medical["annual_median"] == 22750
    assert medical["employment"] == 143870
    assert medical["release"] == "2000"
    assert medical["year"] == 2000
    assert medical["occupation_level"] == "detailed"
    # the 2000 file labels this major group "detailed"; XX-0000 is a major group
    assert row(df, "15-0000")["occupation_level"] == "major"
    assert df["occupation_code"].isin(["00-0000"]).sum() == 0  # 2000 has no total row


@pytest.mark.parametrize(
    ("zip_name", "year", "member"),
    [
        ("oesm03nat.zip", 2003, "national_may2003_dl.xls"),
        ("oesm07nat.zip", 2007, "national_May2007_dl.xls"),
        ("oesm08nat.zip", 2008, "national__M2008_dl.xls"),
        ("oesm09nat.zip", 2009, "national_dl.xls"),
        ("oesm15nat.zip", 2015, "oesm15nat/national_M2015_dl.xlsx"),
        ("oesm21nat.zip", 2021, "national_M2021_dl.xlsx"),
    ],
)
def test_member_names_vary(zip_name: str, year: int, member: str) -> None:
    with zipfile.ZipFile(DATA / zip_name) as zf:
        assert members.member_names(zf, "national") == [member]
    assert len(read(zip_name, year)) > 5


def test_numbers_stored_as_padded_text() -> None:
    # 2003-2009 store every number as right-aligned text ('     127567910')
    df = read("oesm03nat.zip", 2003)
    total = row(df, "00-0000")
    assert total["employment"] == 127567910
    assert total["hourly_mean"] == 17.41
    assert df["employment"].dtype == "float64"


@pytest.mark.parametrize(
    ("zip_name", "year", "column"),
    [
        ("oes01nat.zip", 2001, "group"),
        ("oesm11nat.zip", 2011, "GROUP"),
        ("oesm12nat.zip", 2012, "OCC_GROUP"),
        ("oesm19nat.zip", 2019, "o_group"),
        ("oesm20nat.zip", 2020, "O_GROUP"),
    ],
)
def test_group_column_names(zip_name: str, year: int, column: str) -> None:
    df = read(zip_name, year)
    assert row(df, "00-0000")["occupation_level"] == "total"
    assert row(df, "29-0000")["occupation_level"] == "major"
    levels = set(df["occupation_level"])
    assert levels <= set(columns.LEVELS)
    assert "detailed" in levels


def test_published_figures_across_soc_versions() -> None:
    assert row(read("oesm18nat.zip", 2018), "29-2071")[
        ["employment", "annual_median"]
    ].tolist() == [
        208650,
        40350,
    ]
    assert row(read("oesm19nat.zip", 2019), "29-2098")["employment"] == 331790
    assert row(read("oesm20nat.zip", 2020), "29-2098")["employment"] == 318010
    may24 = row(read("oesm24nat.zip", 2024), "29-2072")
    assert (may24["employment"], may24["annual_median"], may24["hourly_median"]) == (
        187910,
        50250,
        24.16,
    )
    may21 = row(read("oesm21nat.zip", 2021), "29-2072")
    assert (may21["employment"], may21["annual_median"]) == (180570, 46660)


def test_hybrid_codes_2010_2011() -> None:
    for year in (2010, 2011):
        df = read(f"oesm{year % 100}nat.zip", year)
        hybrid = row(df, "15-1179")
        assert hybrid["occupation_title"].startswith(
            "Information Security Analysts, Web Developers"
        )
        assert row(df, "29-1111")["occupation_title"] == "Registered Nurses*"


# Markers --------------------------------------------------------------------------------------


def test_top_code_keeps_the_bound_read_from_the_release() -> None:
    for name, year, hourly, annual in [
        ("oes00nat.zip", 2000, 70.0, 145600.0),  # bound in the 2000 preamble
        ("oesm05nat.zip", 2005, 70.0, 145600.0),  # in field_descriptions.xls
        ("oesm11nat.zip", 2011, 90.0, 187200.0),
        ("oesm16nat.zip", 2016, 100.0, 208000.0),  # field_descriptions.xlsx
        ("oesm19nat.zip", 2019, 100.0, 208000.0),  # the workbook's Field Descriptions sheet
        ("oesm24nat.zip", 2024, 115.0, 239200.0),
    ]:
        df = read(name, year)
        top = df[df["is_topcoded_annual_p90"]]
        assert len(top) >= 1, name
        assert (top["annual_p90"] == annual).all(), name
        assert top["annual_p90_note"].str.startswith("wage at or above the top code").all()
        hourly_top = df[df["is_topcoded_hourly_p90"]]
        assert (hourly_top["hourly_p90"] == hourly).all(), name
        assert (
            not df.loc[~df["is_topcoded_annual_p90"], "annual_p90_note"]
            .fillna("")
            .str.contains("top code")
            .any()
        )


def test_wage_not_available() -> None:
    df = read("oesm24nat.zip", 2024)
    starred = df[df["hourly_median_note"] == "wage estimate not available"]
    assert len(starred) >= 1
    assert starred["hourly_median"].isna().all()
    assert not starred["is_topcoded_hourly_median"].any()


def test_employment_not_available() -> None:
    for name, year in [("oesm05nat.zip", 2005), ("oesm20nat.zip", 2020)]:
        df = read(name, year)
        hidden = df[df["employment_note"] == "employment estimate not available"]
        assert len(hidden) >= 1, name
        assert hidden["employment"].isna().all()
        assert hidden["employment_rse"].isna().all()


def test_wages_removed_for_reporting_errors() -> None:
    df = read("oes00nat.zip", 2000)
    removed = df[df["annual_mean_note"] == "wage data removed because of reporting errors"]
    assert len(removed) >= 1
    assert removed["annual_mean"].isna().all()
    assert removed["annual_median"].isna().all()


def _with_cell_replaced(name: str, member: str, column: str, code: str, value: str) -> bytes:
    """The slice with one cell changed (for a marker no staged BLS file carries)."""
    with zipfile.ZipFile(DATA / name) as zf:
        book = openpyxl.load_workbook(io.BytesIO(zf.read(member)))
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[1]]
        for cells in sheet.iter_rows(min_row=2):
            if cells[header.index("OCC_CODE")].value == code:
                cells[header.index(column)].value = value
        out = io.BytesIO()
        book.save(out)
        packed = io.BytesIO()
        with zipfile.ZipFile(packed, "w") as dst:
            for info in zf.infolist():
                dst.writestr(info, out.getvalue() if info.filename == member else zf.read(info))
    return packed.getvalue()


def test_under_half_a_percent_of_establishments() -> None:
    # No file staged in shared/data carries "~" (BLS: fewer than 0.5 % of establishments
    # report the occupation), so one cell of a real slice is changed to it.
    data = _with_cell_replaced(
        "oesm24nat.zip", "national_M2024_dl.xlsx", "JOBS_1000", "29-2072", "~"
    )
    df = oa.read_archive(data, release=oa.release_for(2024))
    medical = row(df, "29-2072")
    assert pd.isna(medical["jobs_per_1000"])
    assert medical["jobs_per_1000_note"] == markers.MARKERS["~"]
    assert medical["employment"] == 187910


def test_unexpected_cell_value_names_the_cell() -> None:
    data = _with_cell_replaced(
        "oesm24nat.zip", "national_M2024_dl.xlsx", "A_MEAN", "29-2072", "n/a"
    )
    with pytest.raises(SourceFormatError, match=r"annual_mean.*'n/a'") as err:
        oa.read_archive(data, release=oa.release_for(2024), name="oesm24nat.zip")
    assert err.value.line is not None and err.value.line > 1
    assert "oesm24nat.zip" in str(err.value)


@pytest.mark.parametrize(
    ("text", "hourly", "annual", "inclusive"),
    [(OLD, 70, 145600, False), (NEW, 115, 239200, True), (THAT, 100, 208000, True)],
)
def test_parse_top_code(text: str, hourly: float, annual: float, inclusive: bool) -> None:
    top = markers.parse_top_code(["* = indicates that a wage estimate is not available", text])
    assert top == markers.TopCode(hourly, annual, inclusive)


def test_no_top_code_stated() -> None:
    assert markers.parse_top_code(["* = wage not available", "Notes:"]) is None


# States -----------------------------------------------------------------------------------------


def test_state_2013() -> None:
    df = read("oesm13st.zip", 2013, scope="state")
    al = row(df, "29-2071", area="0100000")
    assert (al["employment"], al["annual_median"]) == (2560, 27360)
    assert (al["area_name"], al["state_code"], al["area_type"]) == ("Alabama", "01", "state")
    ca = row(df, "29-2071", area="0600000")
    assert (ca["employment"], ca["annual_median"]) == (16560, 40310)
    assert al["location_quotient"] > 0  # LOC_Q
    assert set(df["area_type"]) == {"state"}
    assert df["area_code"].nunique() == 54


def test_state_2010_loc_quotient_with_a_space() -> None:
    df = read("oesm10st.zip", 2010, scope="state")
    assert df["location_quotient"].notna().sum() > 100  # "LOC QUOTIENT"
    assert row(df, "00-0000", area="0100000")["location_quotient"] == 1.0


def test_state_2000_after_a_42_row_preamble() -> None:
    df = read("oes00st.zip", 2000, scope="state")
    ca = row(df, "29-2071", area="0600000")
    assert (ca["area_name"], ca["employment"], ca["annual_median"]) == ("California", 12570, 27110)
    # padded text and floats in one row, "#" bound from the preamble
    assert df["is_topcoded_annual_p90"].any()
    assert (df.loc[df["is_topcoded_annual_p90"], "annual_p90"] == 145600).all()


# Every slice against an independent read --------------------------------------------------------


def _independent_employment(content: bytes, member: str) -> dict[str, float]:
    """occ_code -> tot_emp read with xlrd/openpyxl straight from the member."""
    if member.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        book = xlrd.open_workbook(file_contents=content)
        sheet = book.sheet_by_index(0)
        rows = [sheet.row_values(i) for i in range(sheet.nrows)]
    head = next(i for i, r in enumerate(rows) if "tot_emp" in [str(c).lower() for c in r])
    names = [str(c).lower() for c in rows[head]]
    occ, emp = names.index("occ_code"), names.index("tot_emp")
    out = {}
    for r in rows[head + 1 :]:
        value = str(r[emp]).strip()
        if r[occ] and value not in ("**", ""):
            out.setdefault(str(r[occ]).strip(), float(value))
    return out


@pytest.mark.parametrize("path", sorted(DATA.glob("oes*nat.zip")), ids=lambda p: p.name)
def test_every_national_slice(path: Path) -> None:
    year = 2000 + int(path.name[-9:-7])
    df = oa.read_archive(path, release=oa.release_for(year))
    assert list(df.columns) == list(columns.ARCHIVE_COLUMNS)
    assert (df["area_code"] == "0000000").all() and (df["area_type"] == "national").all()
    assert (df["industry_code"] == "000000").all()
    with zipfile.ZipFile(path) as zf:
        (member,) = members.member_names(zf, "national")
        expected = _independent_employment(zf.read(member), member)
    parsed = df.drop_duplicates("occupation_code").set_index("occupation_code")["employment"]
    assert parsed.dropna().to_dict() == expected


# Bad archives -------------------------------------------------------------------------------------


def test_not_a_zip() -> None:
    with pytest.raises(SourceFormatError, match="not a zip"):
        oa.read_archive(b"<html>Access Denied</html>", release=oa.release_for(2021))


def test_zip_without_the_scope() -> None:
    with pytest.raises(SourceFormatError, match="no state estimates"):
        oa.read_archive(DATA / "oesm21nat.zip", release=oa.release_for(2021), scope="state")


def test_member_without_header_row() -> None:
    book = openpyxl.Workbook()
    book.active.append(["nothing", "here"])
    content = io.BytesIO()
    book.save(content)
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as zf:
        zf.writestr("national_M2021_dl.xlsx", content.getvalue())
    with pytest.raises(SourceFormatError, match="no header row"):
        oa.read_archive(packed.getvalue(), release=oa.release_for(2021))


def test_check_zip(tmp_path: Path) -> None:
    page = tmp_path / "page.zip"
    page.write_bytes(b"<!DOCTYPE html><title>Error</title>")
    with pytest.raises(SourceFormatError, match="not a zip"):
        members.check_zip(page)
    members.check_zip(DATA / "oesm21nat.zip")

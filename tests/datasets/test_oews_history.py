"""Past OEWS releases and occupation histories, served by a local BLS-like server.

The zips in tests/data/oews_archive are real BLS archive members cut down to a few rows
(make_slices.py); the SOC crosswalks there are BLS's real files cut down to the rows of the
followed occupations (make_crosswalk_slices.py). The link tests also read BLS's whole files
in ../shared/data/soc when they are there.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from marketdata.core.config import Settings
from marketdata.core.errors import (
    NotComparableWarning,
    OfflineDataWarning,
    OfflineError,
    SourceFormatError,
    UnknownArea,
    UnknownCode,
    UnknownRelease,
)
from marketdata.datasets import oews_history
from marketdata.io import cache
from marketdata.sources import soc_crosswalk
from tests.bls_server import BLSServer

DATA = Path(__file__).parents[1] / "data" / "oews_archive"
ZIPS = sorted(DATA.glob("*.zip"))
SLICES = DATA / "crosswalk"
FULL = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "soc"
NAMES = ("soc_2000_to_2010_crosswalk.xls", "soc_2010_to_2018_crosswalk.xlsx")
#: Where the real crosswalks are read from: the slices always, BLS's whole files if staged.
REAL = [SLICES] + ([FULL] if all((FULL / n).exists() for n in NAMES) else [])


def serve_all(server: BLSServer, *, folder: str = "oes/special-requests") -> None:
    for path in ZIPS:
        server.add(f"/{folder}/{path.name}", path, content_type="application/zip")
    xw = DATA / "crosswalk"
    server.add("/soc/soc_2000_to_2010_crosswalk.xls", xw / "soc_2000_to_2010_crosswalk.xls")
    server.add("/soc/2018/soc_2010_to_2018_crosswalk.xlsx", xw / "soc_2010_to_2018_crosswalk.xlsx")


@pytest.fixture
def served(bls_server: BLSServer, online_settings: Settings) -> Settings:
    serve_all(bls_server)
    return online_settings


# load_release ------------------------------------------------------------------------------


@pytest.mark.parametrize("release", ["May 2018", 2018, "2018", "2018A01"])
def test_load_release_accepts_labels_and_years(served: Settings, release: object) -> None:
    df = oews_history.load_release(release, settings=served)
    row = df[df["occupation_code"] == "29-2071"].iloc[0]
    assert row["employment"] == 208650
    assert row["annual_median"] == 40350
    assert row["release"] == "May 2018"
    assert row["year"] == 2018
    assert row["area_code"] == "0000000"
    prov = df.attrs["provenance"][0]
    assert prov["release"] == "May 2018"
    assert prov["source_url"].endswith("/oes/special-requests/oesm18nat.zip")
    assert len(prov["sha256"]) == 64


def test_load_release_is_cached_as_parquet(
    served: Settings, bls_server: BLSServer, offline_settings: Settings
) -> None:
    first = oews_history.load_release("May 2019", settings=served)
    assert bls_server.count("/oes/special-requests/oesm19nat.zip") == 1
    assert list((served.cache_dir / "parquet" / "oews-archive").glob("oesm19nat.parquet"))
    again = oews_history.load_release(2019, settings=offline_settings)
    pd.testing.assert_frame_equal(first, again)
    assert again.attrs["provenance"] == first.attrs["provenance"]
    assert bls_server.count("/oes/special-requests/oesm19nat.zip") == 1


def test_hybrid_release_2019(served: Settings) -> None:
    df = oews_history.load_release("May 2019", settings=served)
    row = df[df["occupation_code"] == "29-2098"].iloc[0]
    assert row["employment"] == 331790
    assert row["occupation_title"].startswith("Medical Dosimetrists, Medical Records Specialists")


def test_state_release_2013(served: Settings) -> None:
    df = oews_history.load_release("May 2013", scope="state", settings=served)
    al = df[(df["occupation_code"] == "29-2071") & (df["area_code"] == "0100000")].iloc[0]
    assert (al["area_name"], al["state_code"], al["area_type"]) == ("Alabama", "01", "state")
    assert al["employment"] == 2560
    assert al["annual_median"] == 27360
    assert df["area_code"].nunique() == 54


def test_older_links_are_tried_after_a_404(bls_server: BLSServer, online_settings) -> None:
    serve_all(bls_server, folder="oes/special.requests")
    df = oews_history.load_release(2000, settings=online_settings)
    assert df.loc[df["occupation_code"] == "29-2071", "annual_median"].iloc[0] == 22750
    assert bls_server.count("/oes/special-requests/oes00nat.zip") == 1
    assert df.attrs["provenance"][0]["source_url"].endswith("/oes/special.requests/oes00nat.zip")


def test_html_instead_of_a_zip_is_refused_and_not_cached(
    bls_server: BLSServer, online_settings: Settings
) -> None:
    page = b"<!DOCTYPE html><html><body>Access Denied</body></html>"
    bls_server.add("/oes/special-requests/oesm21nat.zip", page, content_type="text/html")
    with pytest.raises(SourceFormatError, match="not a zip"):
        oews_history.load_release(2021, settings=online_settings)
    assert cache.lookup("oews-archive/oesm21nat.zip", settings=online_settings) is None


def test_unpublished_release(served: Settings) -> None:
    with pytest.raises(UnknownRelease, match=r"oesm30nat\.zip"):
        oews_history.load_release(2030, settings=served)


@pytest.mark.parametrize("bad", ["Mayy 2021x", "June 2021", "1990", True])
def test_bad_release_names(served: Settings, bad: object) -> None:
    with pytest.raises(UnknownRelease):
        oews_history.load_release(bad, settings=served)


def test_offline_without_cache(offline_settings: Settings) -> None:
    with pytest.warns(OfflineDataWarning, match="bundled national OEWS history"):
        national = oews_history.load_release(2021, settings=offline_settings)
    assert national.attrs["provenance"][0]["bundled"]
    with pytest.raises(OfflineError, match="the bundled history holds the nation only"):
        oews_history.load_release(2021, scope="state", settings=offline_settings)


def test_zip_members_are_read_by_name_only(bls_server: BLSServer, online_settings, tmp_path):
    """A member with a path outside the archive is never written anywhere."""
    bad = tmp_path / "oesm22nat.zip"
    with zipfile.ZipFile(DATA / "oesm22nat.zip") as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("../../evil.txt", b"x")
    bls_server.add("/oes/special-requests/oesm22nat.zip", bad)
    df = oews_history.load_release(2022, settings=online_settings)
    assert len(df) > 0
    assert not (online_settings.cache_dir.parent / "evil.txt").exists()
    assert not list(online_settings.cache_dir.rglob("evil.txt"))


# history -------------------------------------------------------------------------------------


def test_history_medical_records_specialists(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="29-2072", start=2000, end=2024, settings=served)
    assert list(h["year"]) == list(range(2000, 2025))
    by = h.set_index("year")
    # SOC 2018 code from May 2021 on, comparable
    assert by.loc[2024, "occupation_code"] == "29-2072"
    assert by.loc[2024, "employment"] == 187910
    assert by.loc[2024, "annual_median"] == 50250
    assert by.loc[2021:2024, "is_comparable"].all()
    # hybrid 29-2098 in May 2019-2020, found by its title, flagged
    assert list(by.loc[2019:2020, "occupation_code"]) == ["29-2098", "29-2098"]
    assert by.loc[2019, "employment"] == 331790
    assert by.loc[2019, "match"] == "hybrid code (title)"
    assert not by.loc[2019:2020, "is_comparable"].any()
    assert "hybrid" in by.loc[2019, "comparability_note"]
    # SOC 2010 / 2000 code 29-2071 until May 2018: split in SOC 2018, so not comparable
    assert set(by.loc[2000:2018, "occupation_code"]) == {"29-2071"}
    assert by.loc[2018, "occupation_title"] == "Medical Records and Health Information Technicians"
    assert by.loc[2018, "employment"] == 208650
    assert by.loc[2018, "annual_median"] == 40350
    assert by.loc[2000, "annual_median"] == 22750
    assert not by.loc[2000:2018, "is_comparable"].any()
    assert "29-9021" in by.loc[2018, "comparability_note"]
    assert by.loc[2010, "soc_version"] == "SOC 2000/2010 hybrid"
    assert by.loc[2019, "soc_version"] == "SOC 2010/2018 hybrid"
    kinds = {p["program"] for p in h.attrs["provenance"]}
    assert kinds == {"OEWS", "SOC crosswalk"}


def test_history_registered_nurses_across_three_soc_versions(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="29-1141", start=2009, end=2013, settings=served)
    by = h.set_index("year")
    # SOC 2000 29-1111 was split into four SOC 2010 occupations; May 2010-2011 publish
    # "Registered Nurses*" under the old code
    assert list(by["occupation_code"]) == ["29-1111"] * 3 + ["29-1141"] * 2
    assert by.loc[2010, "occupation_title"] == "Registered Nurses*"
    assert list(by["is_comparable"]) == [False, False, False, True, True]


def test_history_hybrid_2010_by_title(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="15-1122", start=2009, end=2012, settings=served)
    by = h.set_index("year")
    assert by.loc[2010, "occupation_code"] == "15-1179"
    assert by.loc[2010, "match"] == "hybrid code (title)"
    assert by.loc[2009, "occupation_code"] == "15-1081"
    assert by.loc[2012, "is_comparable"]


def test_history_merged_occupation_has_no_single_figure(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="15-1252", start=2018, end=2021, settings=served)
    by = h.set_index("year")
    assert by.loc[2018, "match"] == "several codes"
    assert pd.isna(by.loc[2018, "employment"])
    assert "15-1132, 15-1133" in by.loc[2018, "comparability_note"]
    assert by.loc[2019, "occupation_code"] == "15-1256"
    assert by.loc[2021, "occupation_code"] == "15-1252"


def test_history_all_occupations_is_comparable(served: Settings) -> None:
    h = oews_history.history(occupation="00-0000", start=2018, end=2021, settings=served)
    assert h["is_comparable"].all()
    assert h["comparability_note"].isna().all()
    assert h.set_index("year").loc[2019, "employment"] == 146875480


def test_history_for_a_state_needs_every_release(served: Settings) -> None:
    # only the 2000, 2010 and 2013 state zips are served: 2011 and 2012 are missing
    with pytest.raises(UnknownRelease, match=r"oesm11st\.zip"):
        oews_history.history(
            occupation="29-2071", area="Alabama", start=2010, end=2013, settings=served
        )


@pytest.mark.parametrize("area", ["AL", "Alabama", "01", 1, "0100000"])
def test_history_for_a_state(served: Settings, area: object) -> None:
    h = oews_history.history(occupation="29-2071", area=area, start=2013, end=2013, settings=served)
    row = h.iloc[0]
    assert (row["area_name"], row["employment"], row["annual_median"]) == ("Alabama", 2560, 27360)
    assert row["is_comparable"]


def test_history_for_a_state_in_2000(served: Settings) -> None:
    h = oews_history.history(occupation="29-2071", area="CA", start=2000, end=2000, settings=served)
    row = h.iloc[0]
    assert (row["area_code"], row["area_name"], row["year"]) == ("0600000", "California", 2000)
    assert row["employment"] == 12570


def test_history_unknown_code(served: Settings) -> None:
    with pytest.raises(UnknownCode, match="29-2079"):
        oews_history.history(occupation="29-2079", start=2024, end=2024, settings=served)


def test_history_unknown_area(served: Settings) -> None:
    with pytest.raises(UnknownArea):
        oews_history.history(
            occupation="29-2072", area="Atlantis", start=2024, end=2024, settings=served
        )


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("US", ("national", "0000000")),
        ("Ohio", ("state", "3900000")),
        (6, ("state", "0600000")),
        ("18140", ("metro", "0018140")),
        ("Columbus, OH", ("metro", "0018140")),  # named: looked up in the current areas
    ],
)
def test_resolve_area(area: object, expected: tuple[str, str], offline_settings) -> None:
    rel = oews_history.parse_release(2024)
    assert oews_history.resolve_area(area, release=rel, settings=offline_settings) == expected


def test_metro_rows_across_the_2024_redefinition_are_flagged() -> None:
    assert "redrawn for May 2024" in oews_history.area_note("metro", 2023, 2024)
    assert "redrawn" in oews_history.area_note("nonmetro", 2019, 2024)
    assert oews_history.area_note("metro", 2024, 2024) is None
    assert oews_history.area_note("metro", 2015, 2023) is None
    assert oews_history.area_note("state", 2015, 2024) is None


# the SOC links, checked against BLS's real crosswalks ----------------------------------------


def real_links(folder: Path) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(old version, new version) -> set of (old code, new code), parsed from BLS's files."""
    out = {}
    for cw, name in zip(soc_crosswalk.CROSSWALKS, NAMES, strict=True):
        table = soc_crosswalk.parse((folder / name).read_bytes(), crosswalk=cw, name=name)
        out[(cw.old, cw.new)] = set(zip(table["old_code"], table["new_code"], strict=True))
    return out


def linked(links, code: str, version: str, target: str) -> bool:
    """Whether a chain of real links leads from ``code`` (in ``version``) to SOC 2018 ``target``."""
    reached = {code}
    for old, new in list(links)[["SOC 2000", "SOC 2010", "SOC 2018"].index(version) :]:
        reached = {n for o, n in links[(old, new)] if o in reached}
    return target in reached


@pytest.mark.parametrize("folder", REAL, ids=[p.name for p in REAL])
def test_real_crosswalk_links_of_the_followed_occupations(folder: Path) -> None:
    links = real_links(folder)
    l10, l18 = links[("SOC 2000", "SOC 2010")], links[("SOC 2010", "SOC 2018")]
    assert {n for o, n in l18 if o == "29-2071"} == {"29-2072", "29-9021"}  # the 2018 split
    assert {o for o, n in l18 if n == "29-9021"} == {"29-2071", "29-9099"}
    assert {o for o, n in l18 if n == "29-2072"} == {"29-2071"}
    assert {n for o, n in l10 if o == "29-2071"} == {"29-2071"}
    assert {o for o, n in l10 if n == "29-2071"} == {"29-2071"}
    assert {n for o, n in l10 if o == "29-1111"} == {"29-1141", "29-1151", "29-1161", "29-1171"}
    assert {o for o, n in l10 if n == "29-1141"} == {"29-1111"}
    assert {n for o, n in l18 if o == "29-1141"} == {"29-1141"}
    assert {o for o, n in l18 if n == "29-1141"} == {"29-1141"}
    every_code = {c for pairs in links.values() for pair in pairs for c in pair}
    assert "29-2098" not in every_code  # the OEWS hybrid is BLS's own aggregate
    assert all(c == c.strip() and len(c) == 7 for c in every_code)
    if folder == FULL:  # the slices hold only BLS's rows, and every link of these codes
        sliced = real_links(SLICES)
        for pair, pairs in links.items():
            assert sliced[pair] <= pairs
            for code in ("29-2071", "29-2072", "29-9021", "29-1111", "29-1141"):
                assert {link for link in pairs if code in link} <= sliced[pair], (code, pair)


def test_slices_keep_blss_stray_spaces() -> None:
    book = CalamineWorkbook.from_path(str(SLICES / NAMES[0]))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
    cells = {str(c) for r in rows for c in r}
    assert {"13-1161  ", "47-2111 ", "Electricians*  "} <= cells
    table = soc_crosswalk.parse(
        (SLICES / NAMES[0]).read_bytes(), crosswalk=soc_crosswalk.CROSSWALKS[0]
    )
    electricians = table[table["old_code"] == "47-2111"]
    assert set(electricians["new_code"]) == {"47-2111", "47-2231"}
    assert set(electricians["old_title"]) == {"Electricians"}
    assert set(electricians["old_mark"]) == {"*"}


@pytest.mark.parametrize(
    ("occupation", "start", "end"), [("29-2072", 2000, 2024), ("29-1141", 2009, 2013)]
)
def test_every_link_the_history_uses_is_in_blss_crosswalks(
    served: Settings, occupation: str, start: int, end: int
) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation=occupation, start=start, end=end, settings=served)
    checked = 0
    for folder in REAL:
        links = real_links(folder)
        for r in h.itertuples(index=False):
            if r.match.startswith("hybrid code"):
                continue
            versions = oews_history.versions_of(r.soc_version)
            assert any(linked(links, r.occupation_code, v, occupation) for v in versions), (
                r.year,
                r.occupation_code,
            )
            checked += 1
    assert checked >= len(REAL) * (len(h) - 2)


def test_history_29_2072_shows_the_2018_split_and_the_hybrid(served: Settings) -> None:
    with pytest.warns(NotComparableWarning):
        h = oews_history.history(occupation="29-2072", start=2017, end=2021, settings=served)
    by = h.set_index("year")
    note = by.loc[2018, "comparability_note"]
    assert not by.loc[2018, "is_comparable"]
    assert "split SOC 2010 29-2071 into SOC 2018 29-2072, 29-9021" in note
    assert "29-9021 also takes in SOC 2010 29-9099" in note
    for year in (2019, 2020):
        assert by.loc[year, "occupation_code"] == "29-2098"
        assert not by.loc[year, "is_comparable"]
        assert "BLS's own aggregate, in neither SOC crosswalk" in by.loc[year, "comparability_note"]
    assert by.loc[2021, "is_comparable"]

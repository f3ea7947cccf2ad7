"""O*NET text files in both layouts, the loader (download, cache, bundle) and O*NET-SOC codes."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import io
import json
import warnings
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from marketdata.bundled import onet_bundle as bundled
from marketdata.cli.commands import main
from marketdata.core.errors import (
    MissingFileError,
    OfflineDataWarning,
    OfflineError,
    SourceFormatError,
    UnknownCode,
)
from marketdata.datasets import codes, onet
from marketdata.io import cache
from marketdata.sources import identify
from marketdata.sources import onet_text_files as source

DATA = Path(__file__).parents[1] / "data" / "onet"
V30 = DATA / "db_30_1_text"
V29 = DATA / "db_29_3_text"
#: 29-2072.00's related occupations in O*NET 30.1, in index order (onet_oews2025_PROVENANCE.md).
RELATED_30 = {
    "Primary-Short": ["31-9094.00", "29-9021.00", "43-6013.00", "31-9092.00", "43-4071.00"],
    "Primary-Long": ["29-2099.08", "15-1299.03", "15-1211.01", "43-9111.00", "29-2052.00"],
    "Supplemental": [
        "29-1071.00",
        "29-1214.00",
        "13-1111.00",
        "29-1215.00",
        "29-1171.00",
        "29-1141.00",
        "43-9061.00",
        "31-9097.00",
        "29-2031.00",
        "29-1141.04",
    ],
}
#: The relations whose O*NET code is detail under a SOC occupation: its pay is the parent's.
UNDER_A_PARENT = {
    "29-2099.08": "29-2099",
    "15-1299.03": "15-1299",
    "15-1211.01": "15-1211",
    "29-1141.04": "29-1141",
}


def _related_of(frame: pd.DataFrame, code: str = "29-2072.00") -> pd.DataFrame:
    return frame[frame["onet_code"] == code].sort_values("rank")


def test_related_occupations_30_layout_in_tiers_and_order() -> None:
    related = _related_of(source.parse(V30 / "Related Occupations.txt", "related"))
    assert related["rank"].tolist() == list(range(1, 21))
    for tier, expected in RELATED_30.items():
        assert related.loc[related["tier"] == tier, "related_code"].tolist() == expected
    assert related["related_title"].isna().all()  # 30.x has no titles: joined from Occupation Data


def test_related_occupations_29_layout_has_titles_and_the_same_codes() -> None:
    related = _related_of(source.parse(V29 / "Related Occupations.txt", "related"))
    expected = {c for codes_ in RELATED_30.values() for c in codes_}
    assert set(related["related_code"]) == expected and len(related) == 20
    assert related["onet_title"].unique().tolist() == ["Medical Records Specialists"]
    first = related.iloc[1]
    assert (first["related_code"], first["related_title"]) == (
        "29-9021.00",
        "Health Information Technologists and Medical Registrars",
    )
    for tier, expected in RELATED_30.items():  # the same tiers, reordered within them
        assert set(related.loc[related["tier"] == tier, "related_code"]) == set(expected)
    assert related.loc[related["tier"] == "Primary-Short", "related_code"].tolist() == [
        "31-9094.00",
        "29-9021.00",
        "31-9092.00",
        "43-6013.00",
        "43-4071.00",
    ]


@pytest.mark.parametrize("folder", [V30, V29])
def test_job_zone_three_in_both_layouts(folder: Path) -> None:
    zones = source.parse(folder / "Job Zones.txt", "job_zones")
    assert zones.loc[zones["onet_code"] == "29-2072.00", "job_zone"].tolist() == [3]


def test_crlf_and_lf_read_the_same() -> None:
    crlf = (V30 / "Related Occupations.txt").read_bytes()
    assert b"\r\n" in crlf
    a = source.parse(crlf, "related")
    b = source.parse(crlf.replace(b"\r\n", b"\n"), "related")
    a.attrs, b.attrs = {}, {}
    pd.testing.assert_frame_equal(a, b)


def test_a_release_folder_missing_files_says_which() -> None:
    release = source.read_release(V29)
    assert release.release == "29.3"
    assert "Occupation Data.txt" in release.missing and "related" in release.tables
    with pytest.raises(MissingFileError, match=r"has no 'Occupation Data\.txt'") as info:
        release.table("occupations")
    assert "\n" not in str(info.value)


def test_a_file_of_another_layout_is_named() -> None:
    with pytest.raises(SourceFormatError, match=r"looks like O\*NET's 'Job Zones\.txt'") as info:
        source.parse(V30 / "Job Zones.txt", "related")
    assert "\n" not in str(info.value)


def test_garbage_is_one_clear_line() -> None:
    with pytest.raises(SourceFormatError, match=r"not an O\*NET text file: not text$") as info:
        source.parse(b"\x00\xff garbage\nmore", "job_zones", source="x.txt")
    assert "\n" not in str(info.value)
    with pytest.raises(SourceFormatError, match=r"not an O\*NET text file: first line 'a\\tb'$"):
        source.parse(b"a\tb\n1\t2\n", "job_zones", source="x.txt")
    with pytest.raises(SourceFormatError, match="a zip"):
        source.parse(b"PK\x03\x04rest", "related", source="x.zip")


def test_a_bad_value_names_its_line() -> None:
    text = (V30 / "Related Occupations.txt").read_bytes().replace(b"Primary-Long", b"Primary", 1)
    with pytest.raises(SourceFormatError, match="line 7: tier 'Primary'"):
        source.parse(text, "related", source="Related Occupations.txt")


def test_to_soc_maps_the_twenty_relations() -> None:
    codes_ = [c for codes_ in RELATED_30.values() for c in codes_]
    mapped = {row["onet_code"]: row for row in onet.to_soc(codes_)}
    for code, row in mapped.items():
        assert row["soc_code"] == code[:7]
        if code in UNDER_A_PARENT:
            assert (row["match"], row["occupation_code"]) == ("parent", UNDER_A_PARENT[code])
            assert f"pay and employment are {UNDER_A_PARENT[code]}'s" in row["note"]
        else:
            assert (row["match"], row["occupation_code"], row["note"]) == ("same", code[:7], "")
    assert mapped["29-2099.08"]["occupation_title"] == (
        "Health Technologists and Technicians, All Other"
    )


def test_to_soc_uses_the_level_oews_publishes() -> None:
    oews_codes = {o.code for o in codes.occupations_of()}
    assert "29-2011" not in oews_codes and "29-2010" in oews_codes  # OEWS May 2025
    group, none = onet.to_soc(["29-2011.01", "55-1011.00"])
    assert (group["match"], group["occupation_code"]) == ("group", "29-2010")
    assert "is part of 29-2010" in group["note"]
    assert (none["match"], none["occupation_code"]) == ("none", "")
    assert "OEWS publishes no figures" in none["note"]


def _zip(folder: Path) -> bytes:
    """A release zip as O*NET lays it out (one folder), the same bytes every time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            member = zipfile.ZipInfo(f"{folder.name}/{path.name}", date_time=(2025, 12, 1, 0, 0, 0))
            archive.writestr(member, path.read_bytes(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_download_through_the_cache(bls_server, online_settings) -> None:
    url_path = "/dl_files/database/db_30_1_text.zip"
    bls_server.add(url_path, _zip(V30), content_type="application/zip")
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        related = onet.load("related", settings=online_settings)
        again = onet.load("related", settings=online_settings.replace(offline=True))
        zones = onet.load("job_zones", release="30.1", settings=online_settings)
    expected = source.parse(V30 / "Related Occupations.txt", "related")
    expected.attrs = {}
    got = related.copy()
    got.attrs = {}
    pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(related, again)
    assert zones.loc[zones["onet_code"] == "29-2072.00", "job_zone"].item() == 3
    prov = related.attrs["provenance"][0]
    assert prov["program"] == "O*NET" and prov["release"] == "30.1"
    assert prov["source_url"] == f"{bls_server.url}{url_path}" and not prov["bundled"]
    assert prov["sha256"] == hashlib.sha256(_zip(V30)).hexdigest()
    assert related.attrs["attribution"] == (
        "O*NET 30.1 Database by the U.S. Department of Labor, Employment and Training "
        "Administration (USDOL/ETA). Used under the CC BY 4.0 license."
    )
    assert prov["attribution"] == related.attrs["attribution"]
    assert bls_server.count(url_path) == 1


def test_a_downloaded_release_without_the_file_says_so(bls_server, online_settings) -> None:
    bls_server.add("/dl_files/database/db_29_3_text.zip", _zip(V29))
    with pytest.raises(SourceFormatError, match=r"has no 'Task Statements\.txt'"):
        onet.load("tasks", release="29.3", settings=online_settings)


def _later_release(tmp_path: Path, *, without: tuple[str, ...]) -> bytes:
    """The 30.1 slice as a release "30.3" whose zip lacks the files ``without`` (as a
    release that renamed or split them)."""
    folder = tmp_path / "db_30_3_text"
    folder.mkdir()
    for path in V30.iterdir():
        if path.name not in without:
            (folder / path.name).write_bytes(path.read_bytes().replace(b"30.1", b"30.3"))
    return _zip(folder)


def test_a_release_lacking_files_gives_what_it_has(
    bls_server, online_settings, tmp_path: Path
) -> None:
    lacking = ("Technology Skills.txt", "Alternate Titles.txt")
    bls_server.add("/dl_files/database/db_30_3_text.zip", _later_release(tmp_path, without=lacking))
    frame, why = onet.load_optional("technology", release="30.3", settings=online_settings)
    assert frame is None
    assert why.endswith(
        "this O*NET 30.3 release has no 'Technology Skills.txt' (O*NET renamed "
        "or split some files in later releases; a copy may also be partial)"
    )
    profile = onet.profile("29-2072", release="30.3", settings=online_settings)
    assert (profile.hot_technologies, profile.alternate_titles) == ((), ())
    assert profile.job_zone == 3 and profile.tasks and profile.release == "30.3"
    assert [n.rsplit(": ", 1)[-1] for n in profile.notes] == [
        "the profile has no hot technologies.",
        "the profile has no alternate titles.",
    ]
    assert "'Technology Skills.txt'" in profile.notes[0]
    assert profile.attribution.startswith("O*NET 30.3 Database")


def test_a_file_of_another_layout_is_not_taken_for_a_lacking_one(
    bls_server, online_settings, tmp_path: Path
) -> None:
    folder = tmp_path / "db_30_4_text"
    folder.mkdir()
    for path in V30.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "Job Zones.txt").write_bytes((V30 / "Related Occupations.txt").read_bytes())
    bls_server.add("/dl_files/database/db_30_4_text.zip", _zip(folder))
    with pytest.raises(SourceFormatError, match="looks like O\\*NET's 'Related Occupations"):
        onet.load_optional("job_zones", release="30.4", settings=online_settings)


def test_a_damaged_download_stays_out_of_the_cache(bls_server, online_settings) -> None:
    bls_server.add("/dl_files/database/db_30_1_text.zip", b"<html>not found</html>")
    with pytest.raises(SourceFormatError, match="not a zip"):
        onet.load("related", settings=online_settings)
    assert cache.entries(settings=online_settings) == []


def test_offline_uses_the_bundle_and_says_so(offline_settings) -> None:
    with pytest.warns(OfflineDataWarning, match="bundled O\\*NET 30.1"):
        related = onet.load("related", settings=offline_settings)
    fixture = _related_of(source.parse(V30 / "Related Occupations.txt", "related"))
    got = _related_of(related)
    assert got["related_code"].tolist() == fixture["related_code"].tolist()
    assert got["tier"].tolist() == fixture["tier"].tolist()
    assert related.attrs["provenance"][0]["bundled"]
    assert related.attrs["attribution"].startswith("O*NET 30.1 Database")


def test_an_unbundled_release_offline_is_an_error(offline_settings) -> None:
    with pytest.raises(OfflineError):
        onet.load("related", release="29.3", settings=offline_settings)


def test_cache_add_takes_the_zip_and_single_files(tmp_path: Path, offline_settings) -> None:
    saved = tmp_path / "db_29_3_text.zip"
    saved.write_bytes(_zip(V29))
    known = identify(saved, settings=offline_settings)
    assert known.key == "onet/db_29_3_text.zip"
    assert known.description == (  # what `marketdata cache add` says it added
        "O*NET 29.3 database (text files; lacks Job Zone Reference.txt, Occupation Data.txt, "
        "Alternate Titles.txt, Sample of Reported Titles.txt, Task Statements.txt, "
        "Technology Skills.txt)"
    )
    garbage = tmp_path / "db_30_1_text.zip"
    garbage.write_bytes(b"not a zip")  # named, not said to lack anything: its check refuses it
    assert identify(garbage, settings=offline_settings).description == (
        "O*NET 30.1 database (text files)"
    )
    one = identify(V29 / "Job Zones.txt", settings=offline_settings)
    assert one.key == "onet/db_29_3_text/Job_Zones.txt" and one.url.endswith("#Job Zones.txt")
    cache.add_file(
        V29 / "Job Zones.txt", key=one.key, url=one.url, settings=offline_settings, check=one.check
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", OfflineDataWarning)
        zones = onet.load("job_zones", release="29.3", settings=offline_settings)
    assert zones.loc[zones["onet_code"] == "29-2072.00", "onet_title"].item() == (
        "Medical Records Specialists"
    )
    assert zones.attrs["provenance"][0]["added_by_hand"]


def test_cache_add_command_and_a_file_without_its_release(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["cache", "add", str(V30 / "Related Occupations.txt")]) == 0
    assert "(onet/db_30_1_text/Related_Occupations.txt, sha256" in capsys.readouterr().out
    loose = tmp_path / "Related Occupations.txt"
    loose.write_bytes((V30 / "Related Occupations.txt").read_bytes())
    assert main(["cache", "add", str(loose)]) == 2
    err = capsys.readouterr().err
    assert "of which release?" in err and "Traceback" not in err


def test_a_code_onet_does_not_have() -> None:
    occupations = source.parse(V30 / "Occupation Data.txt", "occupations")
    with pytest.raises(UnknownCode, match=r"29-2099\.99") as info:
        onet.find("29-2099.99", occupations=occupations)
    assert info.value.suggestions == ["29-2099.08 Patient Representatives"]
    assert onet.find("292072", occupations=occupations) == "29-2072.00"


def test_the_bundle_is_small_and_its_manifest_holds_each_sha256() -> None:
    info = bundled.manifest()
    assert info["release"] == "30.1" and info["license"] == "CC BY 4.0"
    total = 0
    for name, entry in info["files"].items():
        data = (bundled.HERE / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], name
        total += len(data)
    assert total < 3_000_000
    assert info["sources"]["Related Occupations.txt"]["sha256"] == (
        "af539f6f01a36e9514a0dd13cbe125df8cca1114c690505342837f338621906c"
    )
    assert json.loads(bundled.MANIFEST.read_text()) == info
    builder, parser = info["how_built"].removeprefix("python -m ").split(" ", 2)[:2]
    assert importlib.util.find_spec(builder.rstrip(":")) is not None  # the builder named exists
    module, name = parser.rsplit(".", 1)
    assert callable(getattr(importlib.import_module(module), name))
    assert ("29-2072.00", "Certified Coding Specialist", "alternate") in bundled.title_rows()


@pytest.mark.parametrize(
    "row",
    [b"29-2072.00\t43-6013.00\tPrimary-Short", b"29-2072.00\t43-6013.00\tPrimary-Short\t3\t9"],
)
def test_a_row_with_missing_or_extra_fields_names_its_line(row: bytes) -> None:
    lines = (V30 / "Related Occupations.txt").read_bytes().split(b"\r\n")
    lines[3] = row
    with pytest.raises(
        SourceFormatError, match=r"line 4: \d tab-separated fields, the header has 4"
    ):
        source.parse(b"\r\n".join(lines), "related", source="Related Occupations.txt")

"""Lookups of what people type: SOC codes and titles, areas, industries."""

from __future__ import annotations

from pathlib import Path

import pytest

from marketdata import bundled as snapshot
from marketdata.core.errors import InputValueError, UnknownArea, UnknownCode
from marketdata.datasets import codes
from marketdata.sources import oe

DATA = Path(__file__).parents[1] / "data" / "oe"


@pytest.mark.parametrize("text", ["29-2072", "292072", " 29-2072 ", "29-2072.00", 292072])
def test_soc_code_with_or_without_dash(text: str | int) -> None:
    found = codes.resolve_occupation(text)
    assert found == codes.Occupation("29-2072", "Medical Records Specialists", "detailed")


@pytest.mark.parametrize(
    "text", ["Medical Records Specialists", "medical records specialists", "medical records"]
)
def test_occupation_title_exact_or_words_of_one_title(text: str) -> None:
    assert codes.resolve_occupation(text).code == "29-2072"


def test_same_title_at_two_levels_prefers_the_detailed_occupation() -> None:
    # "Registered Nurses" is both the broad group 29-1140 and the detailed 29-1141
    assert codes.resolve_occupation("registered nurses").code == "29-1141"


def test_ambiguous_title_lists_the_candidates() -> None:
    with pytest.raises(UnknownCode) as info:
        codes.resolve_occupation("nurse")
    assert "29-1141 Registered Nurses" in info.value.suggestions
    assert "'nurse'" in str(info.value) and "Did you mean" in str(info.value)


def test_unknown_soc_code_suggests_the_neighbours() -> None:
    with pytest.raises(UnknownCode) as info:
        codes.resolve_occupation("29-2071")  # the SOC 2010 code of medical records techs
    assert info.value.suggestions[0] == "29-2072 Medical Records Specialists"
    assert isinstance(info.value, InputValueError) and isinstance(info.value, ValueError)


def test_misspelt_title_gets_fuzzy_suggestions_but_no_guess() -> None:
    with pytest.raises(UnknownCode) as info:
        codes.resolve_occupation("medcal recrds spcialist")
    assert "29-2072 Medical Records Specialists" in info.value.suggestions


def test_search_occupations_ranks_by_similarity() -> None:
    found = codes.search_occupations("medical records", limit=3)
    assert found.iloc[0].occupation_code == "29-2072"
    assert list(found.columns) == [
        "occupation_code",
        "occupation_title",
        "occupation_level",
        "score",
        "matched_title",
        "matched",
    ]
    assert found.score.is_monotonic_decreasing


def test_search_occupations_ranks_by_matching_words_and_drops_weak_matches() -> None:
    found = codes.search_occupations("medical records")
    assert (found.iloc[0].occupation_code, found.iloc[0].score) == ("29-2072", 100.0)
    titles = found.matched_title.str.lower()  # the SOC title or an O*NET title
    assert titles.str.contains(r"\bmedical\b|\brecords?\b").all(), titles.tolist()
    assert not found.occupation_title.isin(["Actors", "Technical Writers"]).any()
    assert not titles.str.contains("judges").any()
    assert (found.score >= codes.SEARCH_THRESHOLD).all()
    assert found.score.is_monotonic_decreasing
    assert codes.search_occupations("medcal recrds").occupation_code.tolist() == ["29-2072"]
    nurses = codes.search_occupations("nurse", limit=50).occupation_title
    assert "Registered Nurses" in set(nurses) and not nurses.str.contains("Nursery").any()
    assert codes.search_occupations("zzzz").empty


@pytest.mark.parametrize("text", ["OH", "oh", "Ohio", "OHIO", "39", 39, "3900000"])
def test_state_by_postal_name_or_fips(text: str | int) -> None:
    assert codes.resolve_area(text) == codes.Area("3900000", "Ohio", "state", "39")


@pytest.mark.parametrize("text", ["Columbus, OH", "columbus oh", "18140", "0018140"])
def test_metro_by_name_or_code(text: str) -> None:
    assert codes.resolve_area(text) == codes.Area("0018140", "Columbus, OH", "metro", "39")


@pytest.mark.parametrize("text", ["national", "US", "u.s.", "United States", "99"])
def test_national(text: str) -> None:
    assert codes.resolve_area(text).code == "0000000"


def test_nonmetro_area_and_words_of_one_name() -> None:
    assert codes.resolve_area("Southern Ohio nonmetropolitan area").type == "nonmetro"
    assert codes.resolve_area("toledo").code == "0045780"
    assert codes.resolve_area(1).name == "Alabama"


def test_ambiguous_area_lists_every_match() -> None:
    with pytest.raises(UnknownArea) as info:
        codes.resolve_area("Columbus")
    assert info.value.suggestions == [
        "Columbus, GA-AL (17980)",
        "Columbus, IN (18020)",
        "Columbus, OH (18140)",
    ]


def test_unknown_area_suggests_close_names() -> None:
    with pytest.raises(UnknownArea) as info:
        codes.resolve_area("Ohiio")
    assert info.value.suggestions[0] == "Ohio (OH)"
    with pytest.raises(UnknownArea, match="No area 0300000"):
        codes.resolve_area("03")  # no state has FIPS 03


def test_lookups_use_the_release_tables_given() -> None:
    """With the tables of a release (here the test slice), only its areas are known."""
    areas = oe.read_areas(DATA / "oe.area")
    occupations = oe.read_occupations(DATA / "oe.occupation")
    assert codes.resolve_area("Columbus, OH", table=areas).code == "0018140"
    assert codes.resolve_occupation("cardiologists", table=occupations).code == "29-1212"
    with pytest.raises(UnknownArea):
        codes.resolve_area("Toledo, OH", table=areas)
    with pytest.raises(UnknownCode) as info:
        codes.resolve_occupation("29-2099", table=occupations)
    assert info.value.suggestions == ["29-2072 Medical Records Specialists"]


def test_industries() -> None:
    assert codes.resolve_industry("000000").title.startswith("Cross-Industry")
    assert codes.resolve_industry("622").code == "622000"
    assert codes.resolve_industry("Hospitals").code == "622000"
    with pytest.raises(UnknownCode, match="'Hospitls'"):
        codes.resolve_industry("Hospitls")


def _answer(resolve, text: str, table) -> object:
    """What ``resolve`` gives for ``text``: the record, or the error's message and suggestions."""
    try:
        return resolve(text, table=table)
    except (UnknownArea, UnknownCode) as err:
        return type(err).__name__, str(err), err.suggestions


@pytest.mark.parametrize(
    ("resolve", "frame", "texts"),
    [
        (
            codes.resolve_occupation,
            snapshot.occupations,
            ["29-2072", "29-9999", "11-9999", "nurse", "medcal recrds", "registered nurses"],
        ),
        (codes.resolve_area, snapshot.areas, ["OH", "Columbus", "Atlantis", "0000009", "Ohio"]),
        (codes.resolve_industry, snapshot.industries, ["622", "Hospitls", "hospitals", "99"]),
    ],
)
def test_records_and_frames_answer_alike(resolve, frame, texts: list[str]) -> None:
    """The bundled records (the default table) and the same rows as a frame give the same
    records, messages and suggestions."""
    table = frame()
    for text in texts:
        assert _answer(resolve, text, None) == _answer(resolve, text, table), text

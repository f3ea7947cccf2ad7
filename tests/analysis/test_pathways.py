"""Where a job can lead (pathways), the O*NET profile, search by job titles and their commands,
on the bundled O*NET 30.1, OEWS May 2025 and EP 2024-34 data."""

from __future__ import annotations

import pytest

from marketdata.analysis.pathways import COLUMNS, pathways
from marketdata.cli.commands import main
from marketdata.cli.onet_commands import growth_line
from marketdata.core.errors import OfflineDataWarning, UnknownCode
from marketdata.datasets import codes, onet, onet_profile, state_projections
from tests.cli.test_imports import _probe
from tests.datasets.test_onet import RELATED_30, UNDER_A_PARENT, V29, _zip

ATTRIBUTION = (
    "O*NET 30.1 Database by the U.S. Department of Labor, Employment and Training "
    "Administration (USDOL/ETA). Used under the CC BY 4.0 license."
)


@pytest.fixture
def ohio():
    with pytest.warns(OfflineDataWarning, match="bundled") as said:
        frame = pathways("29-2072", "OH")
    assert len(said) == 3  # O*NET, OEWS and EP, once each
    return frame


def test_ohio_pathways_of_medical_records_specialists(ohio) -> None:
    assert list(ohio.columns) == list(COLUMNS) and len(ohio) == 20
    short = ohio[ohio["tier"] == "Primary-Short"]
    assert set(short["onet_code"]) == set(RELATED_30["Primary-Short"])
    assert short.sort_values("rank")["onet_code"].tolist() == RELATED_30["Primary-Short"]
    row = ohio.set_index("onet_code").loc["29-9021.00"]
    assert (row["employment"], row["annual_median"]) == (2500.0, 71330.0)
    assert row["annual_median_national"] == 68020.0 and row["pays_more"]
    assert row["job_zone"] == 3 and row["typical_education"] == "Associate's degree"
    start = ohio.attrs["start"]
    assert (start["onet_code"], start["annual_median"], start["job_zone"]) == (
        "29-2072.00",
        50990.0,
        3,
    )
    assert ohio["area_name"].unique().tolist() == ["Ohio"]


def test_ohio_pathways_on_the_older_release_that_lacks_occupation_data(
    bls_server, online_settings
) -> None:
    bls_server.add("/dl_files/database/db_29_3_text.zip", _zip(V29))
    onet.load("related", release="29.3", settings=online_settings)  # cached
    with pytest.warns(OfflineDataWarning, match="bundled"):
        frame = pathways(
            "29-2072", "OH", release="29.3", settings=online_settings.replace(offline=True)
        )
    assert len(frame) == 20 and frame["tier"].iloc[0] == "Primary-Short"
    short = frame[frame["tier"] == "Primary-Short"].sort_values("rank")
    assert short["onet_code"].tolist() == [
        "31-9094.00",
        "29-9021.00",
        "31-9092.00",
        "43-6013.00",
        "43-4071.00",
    ]
    row = frame.set_index("onet_code").loc["29-9021.00"]
    assert row["onet_title"] == "Health Information Technologists and Medical Registrars"
    assert (row["employment"], row["annual_median"], row["job_zone"]) == (2500.0, 71330.0, 3)
    assert row["pays_more"] and frame.attrs["start"]["annual_median"] == 50990.0
    assert frame.attrs["start"]["onet_title"] == "Medical Records Specialists"
    lacking = [n for n in frame.attrs["notes"] if "'Occupation Data.txt'" in n]
    assert len(lacking) == 1 and "titles are those of 'Related Occupations.txt'" in lacking[0]
    assert frame.attrs["attribution"].startswith("O*NET 29.3 Database")


def test_pathways_sorted_for_realistic_next_steps(ohio) -> None:
    tiers = ohio["tier"].tolist()
    assert tiers == sorted(tiers, key=["Primary-Short", "Primary-Long", "Supplemental"].index)
    for _, block in ohio.groupby("tier", sort=False):
        fits = block["job_zone"].isin([3, 4]).tolist()  # the start's zone 3, or one higher
        assert fits == sorted(fits, reverse=True)
        for _, same in block.groupby(block["job_zone"].isin([3, 4]), sort=False):
            assert same["annual_median"].is_monotonic_decreasing
    pays = ohio.dropna(subset=["annual_median"])
    assert (pays["pays_more"] == (pays["annual_median"] > 50990)).all()


def test_pathways_say_whose_pay_it_is(ohio) -> None:
    parents = ohio[ohio["match"] == "parent"].set_index("onet_code")
    assert parents["occupation_code"].to_dict() == UNDER_A_PARENT
    assert (ohio.loc[ohio["match"] == "same", "pay_note"] == "").all()
    nurse = parents.loc["29-1141.04"]
    assert nurse["onet_title"] == "Clinical Nurse Specialists"
    assert nurse["occupation_title"] == "Registered Nurses"
    assert "pay and employment are 29-1141's" in nurse["pay_note"]


def test_pathways_say_which_growth_and_keep_every_source(ohio) -> None:
    assert ohio["growth_source"].unique().tolist() == [
        "national, BLS Employment Projections 2024-34"
    ]
    assert any("Ohio's long-term projections are not cached" in n for n in ohio.attrs["notes"])
    programs = {p["program"] for p in ohio.attrs["provenance"]}
    assert programs == {"O*NET", "OEWS", "EP"}
    assert ohio.attrs["attribution"] == ATTRIBUTION


def test_profile_in_onets_words() -> None:
    with pytest.warns(OfflineDataWarning, match="bundled O\\*NET 30.1"):
        profile = onet.profile("29-2072")
    assert profile.title == "Medical Records Specialists" and profile.job_zone == 3
    assert profile.job_zone_text.startswith("Job Zone 3: medium preparation needed. Most ")
    task = (
        "Identify, compile, abstract, and code patient data, using standard classification systems."
    )
    assert task in profile.tasks
    assert "no core or supplemental type" in profile.tasks_note  # 29-2072's tasks are untyped
    assert {"Epic Systems", "eClinicalWorks EHR software", "MEDITECH software"} <= set(
        profile.hot_technologies
    )
    assert "Certified Professional Coder (CPC)" in profile.alternate_titles
    assert profile.attribution == ATTRIBUTION and profile.release == "30.1"
    typed = onet_profile.profile("29-1141")  # Registered Nurses: core and supplemental
    tasks = onet.load("tasks")  # the bundled database was said once, above
    assert typed.tasks and not typed.tasks_note
    nurses = tasks[tasks["onet_code"] == "29-1141.00"]
    core = nurses.loc[nurses["task_type"] == "Core", "task"].tolist()
    assert list(typed.tasks) == core and len(core) < len(nurses)


def test_related_command_offline(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["related", "29-2072", "--area", "OH"]) == 0
    out = capsys.readouterr().out
    header = next(x for x in out.splitlines() if "Occupation" in x).split()
    assert header[1:6] == ["Tier", "Rank", "Ohio", "jobs", "Ohio"]
    line = next(x for x in out.splitlines() if x.startswith("29-9021 "))
    assert "Primary-Short 2 2,500 $71,330 $68,020" in " ".join(line.split())
    assert line.split()[-2:] == ["3", "yes"]
    assert "starting median $50,990, Job Zone 3" in out
    assert "Patient Representatives *" in out
    assert out.rstrip().splitlines()[-1] == ATTRIBUTION
    assert "Source: O*NET 30.1 (bundled snapshot)" in out


def test_related_command_with_a_code_onet_lacks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["related", "29-2099.99", "--area", "OH"]) == 2
    err = capsys.readouterr().err
    assert "unknown O*NET-SOC code: '29-2099.99'" in err and "Traceback" not in err
    assert "Did you mean: 29-2099.00 Health Technologists and Technicians, All Other; " in err
    with pytest.raises(UnknownCode) as info:  # in Python, the same codes in the same order
        pathways("29-2099.99", "OH")
    assert info.value.suggestions == sorted(info.value.suggestions)
    assert info.value.suggestions[-1] == "29-2099.08 Patient Representatives"


def test_related_command_for_an_occupation_oews_does_not_survey(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["related", "55-1011", "--area", "OH"]) == 0
    out = capsys.readouterr().out
    assert "O*NET lists no related occupations" in out
    assert "OEWS publishes no figures for SOC 55-1011" in out


@pytest.mark.parametrize(
    ("words", "title"),
    [
        ("medical coder", "Medical Coder"),
        ("CPC", "CPC"),
        ("certified coding specialist", "Certified Coding Specialist"),
    ],
)
def test_search_by_the_words_people_use(words: str, title: str) -> None:
    found = codes.search_occupations(words)
    first = found.iloc[0]
    assert (first["occupation_code"], first["matched_title"]) == ("29-2072", title)
    assert first["matched"] == "O*NET alternate title" and first["score"] == 100.0
    plain = codes.search_occupations(words, onet_titles=False)
    assert plain.empty or plain["score"].max() < 100  # no SOC title holds all the words


def test_search_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "medical", "coder"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split()[:4] == ["29-2072", "Medical", "Records", "Specialists"]
    assert "Medical Coder" in out[1] and "O*NET alternate title" in out[1]
    assert out[-1] == ATTRIBUTION


def test_did_you_mean_names_the_job_title() -> None:
    with pytest.raises(UnknownCode) as info:
        codes.resolve_occupation("medical coder")
    assert info.value.suggestions[0] == (
        '29-2072 Medical Records Specialists (O*NET alternate title "Medical Coder")'
    )


@pytest.mark.parametrize(
    "args",
    [
        ["wages", "medical coder", "--area", "OH"],
        ["related", "29-2099.99"],
        ["related", "x", "--area", "Atlantis"],
    ],
)
def test_job_title_suggestions_load_no_heavy_library(args: list[str]) -> None:
    result = _probe(args)
    assert result["code"] == 2 and result["heavy"] == [], result


def test_growth_is_the_states_where_its_projections_are_cached(bls_server, online_settings) -> None:
    from tests.conftest import DATA

    nevada = DATA / "projections_central" / "nv-longterm-2026-09-11-slice.json"
    bls_server.add("/Projections/LongTermRestJson/32", nevada, content_type="application/json")
    state = state_projections.state_projections("NV", settings=online_settings)
    nurses = state.set_index("occupation_code").loc["29-1141"]
    with pytest.warns(OfflineDataWarning):
        frame = pathways("29-2072", "NV", settings=online_settings.replace(offline=True))
    rows = frame.set_index("onet_code")
    for code in ("29-1141.00", "29-1141.04"):
        assert rows.loc[code, "growth_source"].startswith("Nevada, long-term projections")
        assert rows.loc[code, "percent_change"] == nurses["percent_change"]
        assert rows.loc[code, "openings_annual"] == nurses["openings_annual"]
    others = rows.drop(index=["29-1141.00", "29-1141.04"])
    assert others["growth_source"].unique().tolist() == [
        "national, BLS Employment Projections 2024-34"
    ]
    assert rows.loc["29-9021.00", "percent_change"] == 14.7  # the nation's
    assert growth_line(frame) == (  # what the related command prints under its table
        "Growth and openings: national, BLS Employment Projections 2024-34; "
        f"{rows.loc['29-1141.00', 'growth_source']} for 29-1141."
    )
    assert {p["program"] for p in frame.attrs["provenance"]} >= {"O*NET", "OEWS", "EP"}
    assert len({p["program"] for p in frame.attrs["provenance"]}) == 4

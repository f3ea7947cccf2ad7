"""Batch reports on the bundled May 2025 snapshot (real BLS data, offline): area lists from the
release's area table, the local pool and a Dask cluster giving the same files as a single
``reports.run``, one bad parameter set among good ones, resume, and the command line."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from marketdata import reports
from marketdata.cli import commands as cli
from marketdata.core.config import Settings
from marketdata.core.errors import ReportError, UnknownArea
from marketdata.datasets import oews
from marketdata.io.cache import add_file
from marketdata.reports import batch
from marketdata.reports.batch import driver, resume

OCCUPATION = "29-2072"  # Medical records specialists
PUBLISHED = Path(__file__).parents[1] / "data" / "plots" / "oews_2025_states.csv"
STATES = ["OH", "KY", "WV", "IN", "MI"]
BAD = "Atlantis"
FOLDERS = {
    "OH": "29-2072-ohio-may-2025",
    "KY": "29-2072-kentucky-may-2025",
    "WV": "29-2072-west-virginia-may-2025",
    "IN": "29-2072-indiana-may-2025",
    "MI": "29-2072-michigan-may-2025",
}


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Offline with an empty cache: the reports read the bundled snapshot."""
    return Settings(cache_dir=tmp_path_factory.mktemp("cache"), offline=True)


@pytest.fixture(scope="module")
def local(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> batch.BatchResult:
    """Five states and one area BLS does not publish, on the local pool with 2 workers."""
    return batch.run(
        "occupation_outlook",
        over={"area": [*STATES[:2], BAD, *STATES[2:]]},
        params={"occupation": OCCUPATION},
        workers=2,
        output_dir=tmp_path_factory.mktemp("local"),
        settings=settings,
    )


@pytest.fixture(scope="module")
def on_dask(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> batch.BatchResult:
    """The same five states on a Dask LocalCluster with 2 worker processes."""
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        return batch.run(
            "occupation_outlook",
            over={"area": ",".join(STATES)},
            params={"occupation": OCCUPATION},
            client=client,
            output_dir=tmp_path_factory.mktemp("dask"),
            settings=settings,
        )


@pytest.fixture(scope="module")
def single(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> reports.ReportResult:
    """Ohio through the plain runner: papermill and a fresh kernel."""
    return reports.run(
        "occupation_outlook",
        output_dir=tmp_path_factory.mktemp("single"),
        settings=settings,
        occupation=OCCUPATION,
        area="OH",
    )


def tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "tables").glob("*.csv"))}


def without_cell_ids(html: str) -> str:
    """nbformat gives cells without an id a random one when a notebook is read."""
    return re.sub(r'id="cell-id=[0-9a-f-]+"', 'id="cell-id"', html)


# --------------------------------------------------------------------------- area lists


def test_all_states_is_the_50_states_and_dc(settings: Settings) -> None:
    codes = batch.area_list("all-states", settings=settings)
    assert len(codes) == 51
    assert "1100000" in codes  # District of Columbia
    assert not {"6600000", "7200000", "7800000"} & set(codes)
    assert batch.area_list("all-territories", settings=settings) == [
        "6600000",
        "7200000",
        "7800000",
    ]


def test_metro_lists_follow_the_release(settings: Settings) -> None:
    table = oews.areas(settings=settings)
    metros = batch.area_list("all-metros", settings=settings)
    assert len(metros) == (table["area_type"] == "metro").sum() == 393
    ohio = batch.area_list("OH-metros", settings=settings)
    kentucky = batch.area_list("ky-metros", settings=settings)
    # Cincinnati, OH-KY-IN is in both states' lists; Columbus, OH only in Ohio's
    assert "0017140" in ohio and "0017140" in kentucky
    assert "0018140" in ohio and "0018140" not in kentucky
    names = table.set_index("area_code")["area_name"]
    assert all("OH" in names[c].rpartition(", ")[2].split("-") for c in ohio)
    rural = batch.area_list("OH-nonmetros", settings=settings)
    assert len(rural) == 4 and all("Ohio nonmetropolitan area" in names[c] for c in rural)


def test_lists_split_on_commas_but_keep_area_names_and_drop_repeats(settings: Settings) -> None:
    assert batch.split_list("Columbus, OH,Dayton-Kettering-Beavercreek, OH,KY") == [
        "Columbus, OH",
        "Dayton-Kettering-Beavercreek, OH",
        "KY",
    ]
    # "Ohio" and "OH" are one area; the first spelling is kept; unknown names stay as given
    assert batch.area_list("OH,Ohio,39,Columbus, OH,Atlantis", settings=settings) == [
        "OH",
        "Columbus, OH",
        "Atlantis",
    ]
    assert batch.area_list(["all-states", "WV"], settings=settings)[-1] == "5600000"


def test_bad_keyword_and_parameters_fail_before_any_report(settings: Settings) -> None:
    with pytest.raises(UnknownArea, match="ZZ-metros"):
        batch.area_list("ZZ-metros", settings=settings)
    with pytest.raises(ReportError, match=r"'ocupation' \(did you mean 'occupation'"):
        batch.run("occupation_outlook", over={"area": "OH"}, params={"ocupation": "29-2072"})
    with pytest.raises(ReportError, match="both"):
        batch.parameter_sets("occupation_outlook", over={"area": "OH"}, params={"area": "KY"})
    with pytest.raises(ReportError, match="unknown report"):
        batch.run("occupation_outlok", over={"area": "OH"})


def test_parameter_sets_are_every_combination(settings: Settings) -> None:
    sets = batch.parameter_sets(
        "occupation_outlook",
        over={"area": "OH,KY", "occupation": ["29-2072", "29-1141"]},
        params={"release": "latest"},
        settings=settings,
    )
    assert sets == [
        {"release": "latest", "area": a, "occupation": o}
        for a in ("OH", "KY")
        for o in ("29-2072", "29-1141")
    ]


def test_two_parameter_sets_writing_one_folder_are_flagged(settings: Settings, tmp_path) -> None:
    # "OH" and "Ohio" are one report: the second would overwrite the first
    tasks = [{"area": "OH"}, {"area": "Ohio"}]
    rows, jobs = driver._triage(
        "regional_salary_report", tasks, ["area"], tmp_path, settings, resume=True
    )
    assert list(jobs) == [0]
    assert rows[1]["status"] == "error"
    assert "same report folder as area=OH" in rows[1]["error"]
    # a parameter that changes the report (chart_limit) gets a folder of its own
    tasks = [{"area": "OH", "chart_limit": 10}, {"area": "OH", "chart_limit": 20}]
    rows, jobs = driver._triage(
        "regional_salary_report", tasks, ["chart_limit"], tmp_path, settings, resume=True
    )
    assert list(jobs) == [0, 1]


def test_missing_dask_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(__import__("sys").modules, "dask.distributed", None)
    with pytest.raises(ReportError, match=r"pip install 'marketdata\[dask\]'"):
        batch.run(
            "occupation_outlook",
            over={"area": "OH"},
            params={"occupation": OCCUPATION},
            backend="dask",
            output_dir=tmp_path,
        )


# --------------------------------------------------------------------------- running


def test_one_bad_parameter_set_fails_alone(local: batch.BatchResult) -> None:
    summary = local.summary
    assert list(summary["area"]) == [*STATES[:2], BAD, *STATES[2:]]
    assert local.counts == {"ok": 5, "skipped": 0, "error": 1}
    assert not local.ok
    bad = local.errors().iloc[0]
    assert bad["area"] == BAD
    assert bad["error"].startswith("unknown OEWS area: 'Atlantis'") and bad["output"] == ""
    good = summary[summary["status"] == "ok"]
    assert (good["error"] == "").all() and (good["seconds"] > 0).all()
    assert [Path(p).name for p in good["output"]] == [FOLDERS[s] for s in STATES]
    assert good["report"].iloc[0] == "29-2072 Ohio May 2025"
    written = sorted(p.name for p in (local.output_dir / "occupation_outlook").iterdir())
    assert written == sorted(FOLDERS.values())  # nothing for Atlantis, no partial folders


def test_dask_and_local_pool_write_identical_tables(
    local: batch.BatchResult, on_dask: batch.BatchResult
) -> None:
    assert on_dask.counts == {"ok": 5, "skipped": 0, "error": 0}
    for state, folder in FOLDERS.items():
        a = tables(local.output_dir / "occupation_outlook" / folder)
        b = tables(on_dask.output_dir / "occupation_outlook" / folder)
        assert a == b, state
        assert {"wages_by_area.csv", "states.csv", "quick_facts.csv"} <= set(a)


def test_batch_reports_are_the_files_of_a_single_report(
    local: batch.BatchResult, single: reports.ReportResult
) -> None:
    folder = local.output_dir / "occupation_outlook" / FOLDERS["OH"]
    assert single.directory.name == folder.name
    assert tables(folder) == tables(single.directory)
    figures = sorted(p.name for p in (folder / "figures").iterdir())
    assert figures == sorted(p.name for p in single.directory.joinpath("figures").iterdir())
    for name in figures:
        assert (folder / "figures" / name).read_bytes() == (
            single.directory / "figures" / name
        ).read_bytes()
    assert without_cell_ids((folder / "report.html").read_text()) == without_cell_ids(
        single.html.read_text()
    )
    # BLS May 2025, 29-2072 in Ohio (tests/data/plots, cut from BLS's oe.* files)
    published = pd.read_csv(PUBLISHED, dtype={"area_code": str})
    bls = published[
        (published["area_code"] == "3900000") & (published["occupation_code"] == OCCUPATION)
    ].iloc[0]
    wages = pd.read_csv(folder / "tables" / "wages_by_area.csv")
    ohio = wages[wages["area_name"] == "Ohio"].iloc[0]
    assert ohio["annual_median"] == bls["annual_median"] == 50990
    assert ohio["employment"] == bls["employment"]

    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    shown = [c for c in code if not {"parameters", "injected-parameters"} & set(c.metadata.tags)]
    assert all(c.outputs for c in shown)
    assert nb.metadata.papermill["parameters"]["area"] == "3900000"
    assert all(c.metadata.papermill["status"] == "completed" for c in nb.cells)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["parameters"] == json.loads(single.manifest.read_text())["parameters"]
    notebook = reports.notebook_path("occupation_outlook").read_bytes()
    assert manifest["notebook"]["sha256"] == hashlib.sha256(notebook).hexdigest()


def test_resume_skips_up_to_date_reports_and_rebuilds_missing_ones(
    local: batch.BatchResult, settings: Settings
) -> None:
    again = batch.run(
        "occupation_outlook",
        over={"area": ",".join(STATES)},
        params={"occupation": OCCUPATION},
        output_dir=local.output_dir,
        settings=settings,
    )
    assert again.counts == {"ok": 0, "skipped": 5, "error": 0}
    assert again.seconds < 5  # planned only: no worker was started

    kentucky = local.output_dir / "occupation_outlook" / FOLDERS["KY"]
    before = json.loads((kentucky / "manifest.json").read_text())["run_id"]
    (kentucky / "tables" / "states.csv").unlink()
    third = batch.run(
        "occupation_outlook",
        over={"area": ",".join(STATES)},
        params={"occupation": OCCUPATION},
        output_dir=local.output_dir,
        settings=settings,
    )
    assert list(third.summary["status"]) == ["skipped", "ok", "skipped", "skipped", "skipped"]
    assert (kentucky / "tables" / "states.csv").is_file()
    assert json.loads((kentucky / "manifest.json").read_text())["run_id"] != before


def test_up_to_date_needs_same_parameters_data_and_notebook(
    local: batch.BatchResult, settings: Settings, tmp_path: Path
) -> None:
    ohio = reports.plan(
        "occupation_outlook",
        output_dir=local.output_dir,
        settings=settings,
        occupation=OCCUPATION,
        area="Ohio",
    )
    assert batch.up_to_date(ohio)
    path = ohio.target / "manifest.json"
    original = path.read_text()
    for change in (
        lambda m: m["notebook"].update(sha256="0" * 64),
        lambda m: m["package"].update(version="0.0.1"),
        lambda m: m["data"][0].update(sha256="0" * 64),
        lambda m: m["parameters"].update(comparison_areas=["0018140"]),
    ):
        manifest = json.loads(original)
        change(manifest)
        path.write_text(json.dumps(manifest))
        assert not batch.up_to_date(ohio)
    path.write_text(original)
    assert batch.up_to_date(ohio)
    # the same report planned with another cache: the OEWS files it would read now differ
    elsewhere = Settings(cache_dir=tmp_path, offline=True)
    copy = tmp_path / "oe.data.0.Current"
    copy.write_bytes(b"not the bundled file")
    url = "https://download.bls.gov/pub/time.series/oe/oe.data.0.Current"
    add_file(copy, key="oe/oe.data.0.Current", url=url, settings=elsewhere)
    assert not resume._data_unchanged(json.loads(original), elsewhere)
    assert resume._data_unchanged(json.loads(original), settings)


def test_command_line_prints_the_summary_and_fails_if_a_report_failed(
    local: batch.BatchResult, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "batch",
        "occupation_outlook",
        "--occupation",
        OCCUPATION,
        "--over",
        f"area={','.join(STATES)}",
        "--output-dir",
        str(local.output_dir),
    ]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    assert "occupation_outlook/29-2072-ohio-may-2025" in out
    assert out.count("skipped") >= 5 and "5 reports (0 ok, 5 skipped, 0 error)" in out
    assert cli.main([*argv[:5], f"area=OH,{BAD}", *argv[6:]]) == 1
    captured = capsys.readouterr()
    assert "error: area=Atlantis: unknown OEWS area: 'Atlantis'" in captured.err
    assert cli.main(["batch", "occupation_outlook", "--occupation", OCCUPATION]) == 2
    assert "--over area=all-states" in capsys.readouterr().err

"""Report notebooks run through the runner on the bundled May 2025 snapshot (real BLS data,
offline), their files and numbers, reruns, parameter checks and folder names.

Expected figures are BLS's published ones, read from tests/data/plots/oews_2025_states.csv
(cut from BLS's May 2025 oe.* files) and, for projections, from the EP 2024-34 workbook slice.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
import time
import zipfile
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

import marketdata
from marketdata import bundled as snapshot
from marketdata import reports, sources
from marketdata.bundled import history_bundle
from marketdata.cli import commands as cli
from marketdata.core.config import Settings, reset_settings
from marketdata.core.errors import OfflineError, ReportError, UnknownArea, UnknownCode
from marketdata.io.cache import add_file
from marketdata.reports.manifest import sha256

DATA = Path(__file__).parents[1] / "data"
STATES = DATA / "plots" / "oews_2025_states.csv"
EP_2024 = DATA / "ep" / "occupation_2024-34.xlsx"
SECRETS = ("secret-contact@example.org", "SECRET-API-KEY-123")
NOTEBOOKS = ("occupation_outlook", "regional_salary_report", "growth_explorer")


def published(area_code: str, occupation: str, column: str) -> float:
    """A figure of BLS's May 2025 release, read from the test slice."""
    rows = pd.read_csv(STATES, dtype={"area_code": str, "state_code": str})
    row = rows[(rows["area_code"] == area_code) & (rows["occupation_code"] == occupation)]
    return float(row[column].iloc[0])


def money(value: float) -> str:
    return f"${value:,.0f}"


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def report_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Offline, an empty cache plus BLS's EP 2024-34 workbook added by hand; secrets set."""
    settings = Settings(
        cache_dir=tmp_path_factory.mktemp("cache"),
        offline=True,
        contact=SECRETS[0],
        api_key=SECRETS[1],
    )
    known = sources.identify(EP_2024, settings=settings)
    add_file(EP_2024, key=known.key, url=known.url, settings=settings, check=known.check)
    return settings


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("outputs")


@pytest.fixture(scope="module")
def outlook(report_settings: Settings, outputs: Path) -> reports.ReportResult:
    return reports.run(
        "occupation_outlook",
        output_dir=outputs,
        settings=report_settings,
        occupation="Medical records specialists",
        area="OH",
        comparison_areas=["Columbus, OH"],
    )


@pytest.fixture(scope="module")
def explorer(report_settings: Settings, outputs: Path) -> reports.ReportResult:
    return reports.run(
        "growth_explorer",
        output_dir=outputs,
        settings=report_settings,
        soc_group="29-0000",
        top_n=5,
    )


# --------------------------------------------------------------------------- occupation outlook


def test_outlook_folder_and_manifest(outlook: reports.ReportResult, outputs: Path) -> None:
    folder = outputs / "occupation_outlook" / "29-2072-ohio-columbus-oh-may-2025"
    assert outlook.directory == folder
    for name in ("report.html", "report.ipynb", "manifest.json"):
        assert (folder / name).is_file()
    assert {"wage_distribution", "map_median_pay", "map_location_quotient", "pay_bands"} <= set(
        outlook.figures
    )
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in outlook.figures.values())
    assert [p.name for p in outputs.joinpath("occupation_outlook").iterdir()] == [folder.name]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["report"] == "occupation_outlook"
    assert manifest["requested"]["occupation"] == "Medical records specialists"
    assert manifest["parameters"] == {
        "occupation": "29-2072",
        "area": "3900000",
        "comparison_areas": ["0018140"],
        "release": "May 2025",
        "factors": "",
    }
    assert manifest["package"]["version"] == marketdata.__version__
    assert re.fullmatch(r"[0-9a-f]{32}", manifest["run_id"])
    data = {d["source_url"]: d for d in manifest["data"]}
    current = data["https://download.bls.gov/pub/time.series/oe/oe.data.0.Current"]
    assert current["bundled"] and current["release"] == "May 2025"
    assert current["sha256"] == snapshot.manifest()["sources"]["oe.data.0.Current"]["sha256"]
    ep = data["https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"]
    assert ep["added_by_hand"] and re.fullmatch(r"[0-9a-f]{64}", ep["sha256"])
    for name, digest in manifest["files"].items():
        assert sha256(folder / name) == digest
    assert not list(folder.glob("_*.json"))  # records folded into the manifest


def test_outlook_numbers_are_bls_figures(outlook: reports.ReportResult) -> None:
    us, ohio = (
        published("0000000", "29-2072", "annual_median"),
        published("3900000", "29-2072", "annual_median"),
    )
    assert (us, ohio) == (51140, 50990)  # BLS, May 2025
    wages = read_csv(outlook.tables["wages_by_area"]).set_index("area_name")
    assert list(wages.index) == ["Ohio", "Columbus, OH", "National"]
    assert float(wages.loc["National", "annual_median"]) == us
    assert float(wages.loc["Ohio", "annual_median"]) == ohio
    assert float(wages.loc["Ohio", "employment"]) == published("3900000", "29-2072", "employment")
    states = read_csv(outlook.tables["states"])
    slice_ = pd.read_csv(STATES, dtype=str).query("occupation_code == '29-2072'")
    assert list(states["area_name"]) == list(slice_.query("area_type == 'state'")["area_name"])
    facts = read_csv(outlook.tables["quick_facts"]).set_index("fact")["value"]
    assert facts["Median annual pay"] == money(ohio)
    assert facts["Projected growth (U.S.), 2024-34"].startswith("+7.1%")  # EP 2024-34
    assert facts["Openings per year (U.S.)"] == "14,200"
    assert facts["Typical entry-level education"] == "Postsecondary nondegree award"
    html = outlook.html.read_text()
    assert money(us) in html and money(ohio) in html


def test_outlook_html_hides_code_and_embeds_figures(outlook: reports.ReportResult) -> None:
    html = outlook.html.read_text()
    assert "import marketdata" not in html and "kit.show" not in html
    images = re.findall(r'<img[^>]*src="data:image/png;base64,', html)
    assert len(images) == len(outlook.figures) == 9
    assert not re.search(r"<script[^>]+src=", html)  # opens offline
    # every figure carries its description: what it shows, with BLS's numbers
    alts = re.findall(r'<img[^>]*alt="([^"]+)"', html)
    assert len(alts) == len(images)
    assert (
        "Tile map of the U.S.: Median annual wage by state; highest DC $72,040, "
        "lowest MS $41,500; 51 of 51 states and DC have a value." in alts
    )


def test_outlook_degrades_sections_it_cannot_fill(outlook: reports.ReportResult) -> None:
    missing = {s["section"]: s for s in outlook.unavailable}
    # offline on the bundled data: industry detail, Ohio's projections and the CPS table
    assert set(missing) == {
        "Industries that employ it",
        "Projected growth and openings",
        "Pay with a certification, by occupation group",
    }
    assert "not bundled" in missing["Industries that employ it"]["reason"]  # technical, kept
    assert missing["Projected growth and openings"]["state"] == "OH"
    assert missing["Pay with a certification, by occupation group"]["needs"] == "cps"
    html = outlook.html.read_text()
    assert html.count("Not downloaded yet:") == 4  # three sections and the brief's last line
    assert "Not downloaded yet: industry detail from BLS" in html
    assert "To fill them, run <code>marketdata fetch --state OH</code>" in html
    assert "the estimates shown use CPS table 54" in html


def test_secrets_are_never_written(outlook: reports.ReportResult) -> None:
    nb = nbformat.read(outlook.notebook, as_version=4)
    assert set(nb.metadata["papermill"]["parameters"]) == {
        "occupation",
        "area",
        "comparison_areas",
        "release",
        "factors",
    }
    for path in outlook.directory.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not any(secret.encode() in content for secret in SECRETS), path


def test_rerun_names_the_changed_table(
    outlook: reports.ReportResult, report_settings: Settings
) -> None:
    tampered = outlook.tables["wages_by_area"]
    original = tampered.read_text()
    tampered.write_text(original.replace("50990", "50991"))
    try:
        result = reports.rerun(outlook.manifest, settings=report_settings)
    finally:
        tampered.write_text(original)
    assert not result.identical
    assert list(result.differing) == ["tables/wages_by_area.csv"]  # every other table identical
    assert result.differing["tables/wages_by_area.csv"] == "1 cell(s) differ"
    assert result.modified == ["tables/wages_by_area.csv"]
    assert result.missing == result.extra == result.data_changed == []
    assert "tables/wages_by_area.csv" in result.summary()
    leftovers = [p.name for p in outlook.directory.parent.iterdir()]
    assert leftovers == [outlook.directory.name]  # the rerun's scratch folder is gone


# --------------------------------------------------------------------------- other notebooks


def test_regional_report_from_the_command_line(
    report_settings: Settings, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("MARKETDATA_CACHE_DIR", str(report_settings.cache_dir))
    reset_settings()
    argv = ["report", "regional_salary_report", "--area", "AK", "--output-dir", str(tmp_path)]
    for code in ("29-2072", "29-1211", "29-1131", "29-1181"):
        argv += ["--occupations", code]
    assert cli.main(argv) == 0
    html_path = Path(capsys.readouterr().out.strip().splitlines()[-1].split(" to ", 1)[1])
    assert html_path.name == "report.html" and html_path.is_file()
    table = read_csv(html_path.parent / "tables" / "pay_bands.csv").set_index("occupation_code")
    assert float(table.loc["29-2072", "annual_median"]) == published(
        "0200000", "29-2072", "annual_median"
    )
    assert float(table.loc["29-2072", "national_annual_median"]) == 51140
    assert table.loc["29-1211", "is_topcoded_annual_median"] == "True"
    assert float(table.loc["29-1211", "annual_median"]) == 239200  # BLS's top code, May 2025
    assert table.loc["29-1211", "ratio_to_nation"] == ""  # no ratio of a bound
    assert "top code" in table.loc["29-1211", "note"]
    assert table.loc["29-1131", "annual_median"] == ""  # not released: blank, never 0
    assert "median" in table.loc["29-1131", "note"]
    assert "Employment not released" in table.loc["29-1181", "note"]
    html = html_path.read_text()
    assert "≥ $239,200" in html
    assert "Anesthesiologists: At or above BLS" in html


def test_growth_explorer(explorer: reports.ReportResult) -> None:
    table = read_csv(explorer.tables["group_outlook"]).set_index("occupation_code")
    assert table.loc["29-2072", "percent_change"] == "7.1"  # EP 2024-34
    assert float(table.loc["29-2072", "openings_annual"]) == 14200
    assert float(table.loc["29-2072", "annual_median"]) == 51140
    fastest = read_csv(explorer.tables["fastest_growing"])
    assert len(fastest) == 5
    changes = fastest["percent_change"].astype(float)
    assert changes.is_monotonic_decreasing
    assert changes.iloc[0] == table["percent_change"].astype(float).max()
    assert {"fastest_growing", "most_openings", "growth_vs_pay"} <= set(explorer.figures)
    assert explorer.unavailable == []  # offline, the national history is bundled
    history = read_csv(explorer.tables["history"]).set_index("year")
    bundled_2024 = history_bundle.release_frame("May 2024").set_index("occupation_code")
    assert float(history.loc["2024", "employment"]) == bundled_2024.loc["29-0000", "employment"]
    assert {"history_employment", "history_median_pay"} <= set(explorer.figures)


# --------------------------------------------------------------------------- credentials


def test_outlook_shows_the_credential_estimate_offline(outlook: reports.ReportResult) -> None:
    """Offline: the bundled CPS 2023 table 54 (a transcription), the rows of EP's entry
    education for 29-2072 (postsecondary nondegree award: high school, some college)."""
    ohio = published("3900000", "29-2072", "annual_median")
    low, high = round(ohio * 1120 / 899, -2), round(ohio * 1236 / 992, -2)
    assert low == high  # $63,525 and $63,532: one figure to the nearest $100
    text = html.unescape(outlook.html.read_text())
    assert (
        f"Ohio — With a certification: about ${low:,.0f} a year (estimate: Ohio's median × "
        "the CPS 2023 ratio, with a certification, but no license, for full-time workers with "
        "a high school diploma but no college, $1,120 vs $899 a week for all workers"
    ) in text
    assert "some college but no degree, $1,236 vs $992 a week for all workers" in text
    assert "a ratio of medians, not a causal effect" in text
    creds = read_csv(outlook.tables["credentials"]).set_index("area_name")
    assert creds.loc["Ohio", "cert_basis"] == "education"
    assert float(creds.loc["Ohio", "cert_only_annual_high"]) == pytest.approx(ohio * 1236 / 992)
    sources = read_csv(outlook.tables["provenance"])
    cps = sources[sources["program"] == "CPS"]
    assert len(cps) == 1 and "transcription" in cps["release"].iloc[0]


def test_group_reports_show_credential_rows(
    explorer: reports.ReportResult, report_settings: Settings, tmp_path: Path
) -> None:
    creds = read_csv(explorer.tables["credentials"]).set_index("occupation_code")
    assert creds.loc["29-2072", "entry_education"] == "Postsecondary nondegree award"
    assert float(creds.loc["29-2072", "cert_only_annual_high"]) == pytest.approx(51140 * 1236 / 992)
    regional = reports.run(
        "regional_salary_report",
        output_dir=tmp_path,
        settings=report_settings,
        area="AK",
        occupations=["29-2072", "29-1211"],
    )
    assert "Pay with a certification (estimates)" not in {
        s["section"] for s in regional.unavailable
    }
    rows = read_csv(regional.tables["credentials"]).set_index("occupation_code")
    alaska = published("0200000", "29-2072", "annual_median")
    assert float(rows.loc["29-2072", "cert_only_annual_low"]) == pytest.approx(alaska * 1120 / 899)
    assert rows.loc["29-1211", "cert_only_annual_low"] == ""  # a top-coded median: no estimate
    assert "not a causal effect" in html.unescape(regional.html.read_text())


# --------------------------------------------------------------------------- bad parameters


@pytest.mark.parametrize(
    ("parameters", "error", "words"),
    [
        ({"occupation": "29-9999", "area": "OH"}, UnknownCode, "29-9091"),
        ({"occupation": "29-2072", "area": "Atlantis"}, UnknownArea, "Atlantic City"),
        ({"occupation": "29-2072", "area": "OH", "ocupation": "x"}, ReportError, "'occupation'"),
        (
            {"occupation": "29-2072", "area": "OH", "release": "May 2021"},
            OfflineError,
            "bundled history holds the nation only",
        ),
        ({"occupation": "29-2072", "comparison_areas": ["CA", "Nowhere"]}, UnknownArea, "Nowhere"),
    ],
)
def test_bad_parameters_fail_before_any_kernel(
    report_settings: Settings, tmp_path: Path, parameters: dict, error: type, words: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(error, match=re.escape(words)):
        # a kernel that does not exist: reaching the kernel would raise NoSuchKernel instead
        reports.run(
            "occupation_outlook",
            output_dir=tmp_path,
            settings=report_settings,
            kernel_name="no-such-kernel",
            **parameters,
        )
    assert time.perf_counter() - started < 5
    assert list(tmp_path.iterdir()) == []  # not even outputs/<report>/


def test_unknown_report_and_wrong_types(report_settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="growth_explorer"):
        reports.run("growth_explorr", output_dir=tmp_path, settings=report_settings)
    with pytest.raises(ReportError, match="unknown report"):
        reports.run("../../etc/passwd", output_dir=tmp_path, settings=report_settings)
    with pytest.raises(ReportError, match="whole number"):
        reports.run("growth_explorer", output_dir=tmp_path, settings=report_settings, top_n="ten")
    with pytest.raises(ReportError, match="detailed occupation"):
        reports.run(
            "growth_explorer", output_dir=tmp_path, settings=report_settings, soc_group="29-2072"
        )
    assert list(tmp_path.iterdir()) == []


def test_failed_run_leaves_no_folder(report_settings: Settings, tmp_path: Path) -> None:
    plan = reports.plan("occupation_outlook", output_dir=tmp_path, settings=report_settings)

    def half_written(notebook, output, parameters, *, report_dir, settings):
        (report_dir / "tables").mkdir()
        (report_dir / "tables" / "partial.csv").write_text("a\n1\n")
        raise ReportError("kernel died")

    with pytest.raises(ReportError, match="kernel died"):
        reports.build(plan, executor=half_written)
    assert list((tmp_path / "occupation_outlook").iterdir()) == []


def test_notebook_errors_name_the_cell(report_settings: Settings, tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell("raise ValueError(f'bad {x}')"),
        ],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "P"}},
    )
    path = tmp_path / "broken.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(ReportError, match="ValueError: bad 2"):
        reports.execute_notebook(
            path, tmp_path / "out.ipynb", {"x": 2}, report_dir=tmp_path, settings=report_settings
        )


# --------------------------------------------------------------------------- notebooks, slugs


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_are_committed_clean(name: str) -> None:
    nb = nbformat.read(reports.notebook_path(name), as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert nb.cells[1].metadata.get("tags") == ["parameters"]
    assert all(line.split("#")[1].strip() for line in nb.cells[1].source.splitlines())
    assert "import marketdata as md" in nb.cells[2].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert set(reports.notebook_parameters(name)) >= {"area", "release"}


def test_every_bls_area_name_has_its_own_safe_slug() -> None:
    names = snapshot.areas()["area_name"].tolist()
    slugs = [reports.slugify(n) for n in names]
    assert len(set(slugs)) == len(set(names))
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9-]*", s) for s in slugs)
    slug = reports.slugify("Louisville/Jefferson County, KY-IN")
    assert slug == "louisville-jefferson-county-ky-in"
    assert reports.slugify("Cañon City, CO") == "canon-city-co"
    assert reports.slugify("../..").startswith("x-")
    assert reports.slugify("CON").startswith("con-")


@hsettings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_slug_is_safe_for_any_name(text: str) -> None:
    slug = reports.slugify(text)
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug)
    assert not slug.endswith("-")
    root = Path("/tmp/outputs-root")
    assert (root / "occupation_outlook" / slug).resolve().parent == root / "occupation_outlook"


def test_long_names_are_cut_with_a_hash() -> None:
    long = "Metropolitan area " * 10
    slug = reports.slugify(long)
    assert len(slug) == 80 and re.search(r"-[0-9a-f]{8}$", slug)
    assert slug != reports.slugify(long + "x")


def test_notebooks_found_from_the_package() -> None:
    folder = reports.notebooks_dir()
    assert {p.stem for p in folder.glob("*.ipynb")} >= set(NOTEBOOKS)
    assert reports.available() == sorted(NOTEBOOKS)


def test_growth_explorer_with_past_releases(bls_server, online_settings, tmp_path: Path) -> None:
    """Online against a local BLS-like server: EP workbook and archived OEWS releases (real
    BLS files cut down); the history section follows 29-0000 over the last releases."""
    for path in sorted((DATA / "oews_archive").glob("*.zip")):
        bls_server.add(f"/oes/special-requests/{path.name}", path)
    crosswalks = DATA / "oews_archive" / "crosswalk"
    for name in ("soc_2000_to_2010_crosswalk.xls", "2018/soc_2010_to_2018_crosswalk.xlsx"):
        bls_server.add(f"/soc/{name}", crosswalks / Path(name).name)
    bls_server.add("/emp/ind-occ-matrix/occupation.xlsx", EP_2024)
    result = reports.run(
        "growth_explorer", output_dir=tmp_path, settings=online_settings, soc_group="29-0000"
    )
    assert [s["section"] for s in result.unavailable] == [], result.unavailable
    history = read_csv(result.tables["history"]).set_index("year")
    with zipfile.ZipFile(DATA / "oews_archive" / "oesm24nat.zip") as zf:
        member = next(n for n in zf.namelist() if n.endswith(".xlsx") and "national" in n)
        rows = CalamineWorkbook.from_filelike(io.BytesIO(zf.read(member))).get_sheet_by_index(0)
        sheet = rows.to_python()
    header = sheet[0]
    row = next(r for r in sheet if r[header.index("OCC_CODE")] == "29-0000")
    assert float(history.loc["2024", "employment"]) == float(row[header.index("TOT_EMP")])
    assert float(history.loc["2024", "annual_median"]) == float(row[header.index("A_MEDIAN")])
    assert {"history_employment", "history_median_pay"} <= set(result.figures)


def flat_value(series_id: str) -> float:
    """A value of BLS's oe.data.0.Current slice, read as text."""
    for line in (DATA / "oe" / "oe.data.0.Current").read_text().splitlines()[1:]:
        fields = line.split("\t")
        if fields[0].strip() == series_id:
            return float(fields[3])
    raise KeyError(series_id)


def test_outlook_with_the_release_downloaded(bls_server, online_settings, tmp_path: Path) -> None:
    """Online against a local BLS-like server serving a slice of BLS's May 2025 flat files:
    the industries section appears (it needs the full release, not the snapshot)."""
    for path in sorted((DATA / "oe").glob("oe.*")):
        bls_server.add(f"/pub/time.series/oe/{path.name}", path)
    bls_server.add("/emp/ind-occ-matrix/occupation.xlsx", EP_2024)
    result = reports.run(
        "occupation_outlook", output_dir=tmp_path, settings=online_settings, occupation="29-2072"
    )
    assert "Industries that employ it" not in {s["section"] for s in result.unavailable}
    industries = read_csv(result.tables["industries"]).set_index("industry_code")
    assert list(industries.index) == ["622000"]
    assert industries.loc["622000", "industry_title"] == "Hospitals"  # oe.industry
    assert float(industries.loc["622000", "employment"]) == flat_value("OEUN000000062200029207201")
    wages = read_csv(result.tables["wages_by_area"]).set_index("area_name")
    assert float(wages.loc["National", "annual_median"]) == flat_value("OEUN000000000000029207213")
    manifest = json.loads(result.manifest.read_text())
    data = {d["source_url"].rsplit("/", 1)[-1]: d for d in manifest["data"]}
    assert data["oe.data.0.Current"]["source_url"].startswith(bls_server.url)
    assert not data["oe.data.0.Current"]["bundled"]
    digest = hashlib.sha256((DATA / "oe" / "oe.data.0.Current").read_bytes()).hexdigest()
    assert data["oe.data.0.Current"]["sha256"] == digest


def test_command_line_parameter_errors(capsys) -> None:
    assert cli.main(["report", "occupation_outlook", "--occupation"]) == 2
    assert "'--occupation' requires an argument" in capsys.readouterr().err
    assert cli.main(["report", "occupation_outlook", "--top-n=5"]) == 2
    err = capsys.readouterr().err
    assert "no such option --top-n." in err
    assert "Options: --area, --brief, --comparison-areas, --engine," in err
    assert cli.main(["report", "rerun"]) == 2
    assert "usage: marketdata report rerun" in capsys.readouterr().err
    assert cli.main(["report", "occupation_outlook", "29-2072"]) == 2
    assert "give parameters as --name value" in capsys.readouterr().err


def test_every_parameter_that_changes_a_report_changes_its_folder():
    default = reports.plan("regional_salary_report", area="OH", occupations="29-2072")
    other = reports.plan("regional_salary_report", area="OH", occupations="29-2072", chart_limit=5)
    assert default.target != other.target
    assert "chart-5" in other.slug

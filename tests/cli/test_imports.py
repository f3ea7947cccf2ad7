"""What a bare ``import marketdata`` and the CLI's help, usage and parameter errors load
(issues 16, 13.11).

Each check runs a fresh interpreter on this checkout and prints, from inside, which heavy
libraries ended up in ``sys.modules``: none may, so that ``marketdata --help`` and a mistyped
code or area answer at once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import marketdata
from marketdata.datasets import oews, projections
from marketdata.io import cache
from marketdata.sources import ep, oe

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "oe"
EP_WORKBOOK = ROOT / "tests" / "data" / "ep" / "occupation_2024-34.xlsx"
HEAVY = ("pandas", "matplotlib", "papermill", "nbconvert", "pyarrow", "numpy", "nbformat")
#: Runs the CLI (``python -m marketdata.cli.commands ARGS``) and prints the heavy modules it loaded.
PROBE = """
import json, runpy, sys
heavy, code = set(json.loads(sys.argv[2])), None
sys.argv = ["marketdata", *json.loads(sys.argv[1])]
try:
    runpy.run_module("marketdata.cli.commands", run_name="__main__", alter_sys=True)
except SystemExit as done:
    code = done.code
loaded = sorted({m.split(".")[0] for m in sys.modules} & heavy)
print(json.dumps({"code": code, "heavy": loaded}), file=sys.__stderr__)
"""


def _probe(args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    *said, last = done.stderr.strip().splitlines()
    return {**json.loads(last), "said": "\n".join(said)}


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["wages", "--help"],
        ["salary", "--help"],
        ["growth", "--help"],
        ["report", "--help"],
        ["batch", "--help"],
        ["cache", "--help"],
        ["app", "--help"],
        [],
        ["wages"],  # missing occupation
        ["cache", "tidy"],  # not an action
        ["nonsense"],
    ],
)
def test_help_and_usage_errors_import_no_heavy_library(args: list[str]) -> None:
    result = _probe(args)
    assert result["code"] in (0, 2)
    assert result["heavy"] == [], f"marketdata {' '.join(args)} imported {result['heavy']}"


#: Parameter errors of the report, wages, salary and growth commands, and what each message
#: starts with.
PARAMETER_ERRORS = [
    (
        ["report", "occupation_outlook", "--occupation", "29-9999", "--area", "OH"],
        "marketdata: error: unknown SOC occupation code: '29-9999'",
    ),
    (
        ["report", "occupation_outlook", "--occupation", "29-2072", "--area", "Atlantis"],
        "marketdata: error: unknown OEWS area: 'Atlantis'",
    ),
    (
        ["report", "growth_explorer", "--soc_group", "29-2072", "--area", "OH"],
        "marketdata: error: soc_group '29-2072' is the detailed occupation 29-2072",
    ),
    (
        ["report", "regional_salary_report", "--occupations", "29-9999", "--area", "OH"],
        "marketdata: error: unknown SOC occupation code: '29-9999'",
    ),
    (
        ["wages", "29-9999", "--area", "OH"],
        "marketdata: error: unknown SOC occupation code: '29-9999'",
    ),
    (["wages", "29-2072", "--area", "Atlantis"], "marketdata: error: unknown OEWS area"),
    (
        ["salary", "29-9999", "OH", "Columbus, OH"],
        "marketdata: error: unknown SOC occupation code: '29-9999'",
    ),
    (
        ["report", "occupation_outlook", "--occupation", "29-2072", "--release", "1850"],
        "marketdata: error: unknown OEWS release: '1850'. Archived releases run from 1997 on.",
    ),
    (
        ["report", "growth_explorer", "--soc_group", "29-0000", "--release", "May"],
        "marketdata: error: unknown OEWS release: 'May'",
    ),
    (
        ["growth", "29-9999"],
        "marketdata: error: unknown occupation in BLS Employment Projections 2024-34: '29-9999'",
    ),
    (  # Ohio's projections are not cached: the national ones are used, and lack the code
        ["growth", "29-9999", "--area", "OH"],
        "marketdata: error: unknown occupation in BLS Employment Projections 2024-34: '29-9999'",
    ),
    (["growth", "29-2072", "--area", "Atlantis"], "marketdata: error: unknown OEWS area"),
    (
        ["growth", "29-2072", "--release", "1850"],
        "marketdata: error: unknown EP release: '1850'",
    ),
    (
        ["growth", "29-2072", "--release", "2021-31"],
        "marketdata: error: the 2021-31 EP release is not in the cache",
    ),
]

#: How a warning the CLI prints starts (:func:`marketdata.cli.commands.main`), e.g. that bundled data is
#: used.
WARNING_LINE = re.compile(r"^marketdata: \w+Warning: ")


def _add_cached_release() -> None:
    """The current OEWS release's flat files and an EP release in the cache, the release parsed
    once (as the first command that loads it does), which stores its code index."""
    for name in oe.FILES:
        cache.add_file(DATA / name, key=f"oe/{name}", url=oews.file_url(name))
    known = ep.identify(EP_WORKBOOK)
    cache.add_file(EP_WORKBOOK, key=known.key, url=known.url, check=known.check)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # BLS's current workbook is not cached: said here
        assert projections.load(occupation_type="all")["release"].iloc[0] == "2024-34"


@pytest.mark.parametrize("cached", [False, True], ids=["bundled", "cached-release"])
@pytest.mark.parametrize(("args", "message"), PARAMETER_ERRORS)
def test_parameter_errors_import_no_heavy_library(
    args: list[str], message: str, cached: bool
) -> None:
    """Codes are looked up in plain Python, in the bundled lookup tables or the cached
    release's mapping files and EP code index: a mistyped one is answered before pandas or
    pyarrow load. Only warnings (that bundled or older data is used) come before the error."""
    if cached:
        _add_cached_release()
    result = _probe(args)
    before, error, after = result["said"].partition("marketdata: error: ")
    assert result["code"] == 2 and (error + after).startswith(message), result["said"]
    assert not before or WARNING_LINE.match(before), result["said"]
    assert result["heavy"] == [], f"marketdata {' '.join(args)} imported {result['heavy']}"


def test_the_probe_sees_a_command_that_does_load_pandas() -> None:
    """The check can fail: a real command loads pandas (and answers from the bundled data)."""
    result = _probe(["wages", "29-2072", "--area", "OH"])
    assert result["code"] is None or result["code"] == 0
    assert "pandas" in result["heavy"]


def test_bare_import_loads_no_heavy_library() -> None:
    code = (
        "import json, sys, marketdata as md; "
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
        timeout=120,
    )
    assert json.loads(done.stdout) == []


@pytest.mark.parametrize("name", ["cps", "credentials", "schema", "formatting", "oews", "api"])
def test_documented_modules_are_attributes_of_the_package(name: str) -> None:
    """``md.cps`` and the like (every public module: tests/test_package.py)."""
    module = getattr(marketdata, name)
    assert module.__name__.startswith("marketdata.") and module.__name__.endswith(f".{name}")
    assert name in dir(marketdata)


def test_report_help_and_errors_load_no_notebook_tooling() -> None:
    """``report NAME --help`` reads the parameters cell without papermill; a bad engine is
    refused before Jupyter, papermill or nbconvert load."""
    for args in (
        ["report", "occupation_outlook", "--help"],
        ["batch", "occupation_outlook", "--help"],
        ["report", "rerun", "--help"],
    ):
        result = _probe(args)
        assert result["code"] in (0, None) and result["heavy"] == [], args


def test_the_parameters_cell_is_read_as_papermill_reads_it() -> None:
    import ast

    from papermill.inspection import inspect_notebook

    from marketdata.reports import catalogue

    for name in catalogue.REPORTS:
        theirs = inspect_notebook(str(catalogue.notebook_path(name)))
        assert catalogue.parameter_cell(name) == [
            (key, ast.literal_eval(p["default"]), p["help"]) for key, p in theirs.items()
        ]

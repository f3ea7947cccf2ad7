"""``marketdata report`` and ``batch`` as a new user meets them: ``--help`` lists a report's
parameters from its notebook, and a one-value parameter given twice is a clear error."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from marketdata import reports
from marketdata.cli.commands import main


def _parameters_cell(name: str) -> list[tuple[str, object, str]]:
    """(name, default, comment) of each line of the notebook's parameters cell."""
    notebook = nbformat.read(reports.notebook_path(name), as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    found = []
    for line in cell.source.splitlines():
        m = re.match(r"^(\w+) = (.+?)  # (.+)$", line)
        if m:
            found.append((m[1], ast.literal_eval(m[2]), m[3]))
    return found


@pytest.mark.parametrize("name", sorted(reports.REPORTS))
@pytest.mark.parametrize("command", ["report", "batch"])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_lists_the_reports_parameters(
    capsys: pytest.CaptureFixture[str], name: str, command: str, flag: str
):
    assert main([command, name, flag]) == 0
    out = capsys.readouterr().out
    cell = _parameters_cell(name)
    assert cell, "the notebook has a parameters cell"
    for key, default, comment in cell:
        line = next(
            x for x in out.splitlines() if x.strip().startswith(f"--{key.replace('_', '-')} ")
        )
        assert f"default {default!r}" in line
        assert comment in line
        kind = {str: "text", int: "whole number", list: "list"}[type(default)]
        assert kind in line
    example = next(x for x in out.splitlines() if x.startswith("Example: "))
    assert example.startswith(f"Example: marketdata {command} {name} --")
    if command == "batch":
        assert "--over" in example and "--workers N" in out


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_rerun_help(capsys: pytest.CaptureFixture[str], flag: str):
    assert main(["report", "rerun", flag]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: marketdata report rerun MANIFEST")
    assert "Example: marketdata report rerun outputs/" in out


def test_help_of_an_unknown_report_suggests_the_name(capsys: pytest.CaptureFixture[str]):
    assert main(["report", "occupation_outloo", "--help"]) == 2
    assert "Did you mean: occupation_outlook?" in capsys.readouterr().err


def test_one_value_parameter_given_twice_points_to_batch(capsys: pytest.CaptureFixture[str]):
    argv = ["report", "occupation_outlook", "--occupation", "29-2072", "--occupation", "29-1141"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "report occupation_outlook takes one occupation" in err
    assert "--over occupation=29-2072,29-1141" in err
    assert "must be str" not in err
    argv = ["batch", "occupation_outlook", "--over", "area=OH", *argv[2:]]
    assert main(argv) == 2
    assert "takes one occupation" in capsys.readouterr().err


def test_a_parameter_the_report_reads_as_a_list_may_repeat(capsys: pytest.CaptureFixture[str]):
    assert main(["report", "regional_salary_report", "--help"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if "--occupations" in x)
    assert "text or list (repeat the option" in line
    # given twice, it reaches the report's own checks (an unknown area here), not "takes one"
    argv = ["report", "regional_salary_report", "--occupations", "29-2072"]
    assert main([*argv, "--occupations", "29-1141", "--area", "Atlantis"]) == 2
    err = capsys.readouterr().err
    assert "takes one" not in err and "unknown OEWS area: 'Atlantis'" in err


@pytest.mark.parametrize("command", ["report", "batch"])
def test_paper_is_letter_or_a4(command: str, capsys: pytest.CaptureFixture[str], tmp_path):
    """``--paper`` names the PDF's paper; anything else fails at once, in one line, before
    any report runs."""
    over = ["--over", "area=OH"] if command == "batch" else ["--area", "OH"]
    argv = [command, "occupation_outlook", "--occupation", "29-2072", *over]
    assert main([*argv, "--paper", "a5", "--output-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "paper 'a5': give one of letter, a4" in err and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())
    assert main([*argv, "--paper", "a4", "--paper", "letter"]) == 2
    assert "--paper is given twice" in capsys.readouterr().err
    assert main([command, "occupation_outlook", "--help"]) == 0
    assert "--paper letter|a4" in capsys.readouterr().out

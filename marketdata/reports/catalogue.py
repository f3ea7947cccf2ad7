"""The report catalogue: which reports exist, where their notebooks are, their parameters.

Each report is one notebook in ``notebooks/``; its ``parameters`` cell holds the defaults,
and the type of each default says what a value given on the command line becomes
(:func:`with_defaults`).
"""

from __future__ import annotations

import ast
import difflib
import importlib.metadata
import io
import json
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marketdata.core.errors import ReportError


@dataclass(frozen=True)
class ReportSpec:
    """A report: its notebook's name and its title."""

    name: str
    title: str
    #: Parameters whose default is text but that also take a list of texts.
    lists: tuple[str, ...] = ()


REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec("occupation_outlook", "Occupation outlook"),
        ReportSpec("regional_salary_report", "Regional salary report", lists=("occupations",)),
        ReportSpec("growth_explorer", "Growth explorer"),
    )
}


def notebooks_dir() -> Path:
    """Folder holding the report notebooks: the source checkout's ``notebooks/`` when there
    is one (editable installs), else the copy installed with the package."""
    checkout = Path(__file__).resolve().parents[2] / "notebooks"
    if (checkout / "occupation_outlook.ipynb").is_file():
        return checkout
    try:
        files = importlib.metadata.files("marketdata") or []
    except importlib.metadata.PackageNotFoundError:
        files = []
    for entry in files:
        if entry.name == "occupation_outlook.ipynb" and "notebooks" in entry.parts:
            return Path(entry.locate()).resolve().parent
    raise ReportError(
        f"report notebooks not found (looked in {checkout} and the installed package files)"
    )


def available() -> list[str]:
    """Names of the reports that can be run."""
    return sorted(p.stem for p in notebooks_dir().glob("*.ipynb") if p.stem in REPORTS)


def notebook_path(name: str) -> Path:
    """Path of report ``name``'s notebook; :class:`ReportError` with suggestions if unknown."""
    if name not in REPORTS:
        close = difflib.get_close_matches(name, list(REPORTS), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise ReportError(f"unknown report {name!r}.{hint} Reports: {', '.join(sorted(REPORTS))}")
    return notebooks_dir() / f"{name}.ipynb"


def parameter_cell(name: str) -> list[tuple[str, Any, str]]:
    """(name, default, description) of each line ``name = default  # description`` of report
    ``name``'s ``parameters`` cell, in order (read as papermill reads it, without importing
    papermill: help and parameter errors answer at once)."""
    path = notebook_path(name)
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        raise ReportError(f"notebook {path.name} has no cell tagged 'parameters'")
    source = tagged[0]["source"]
    source = "".join(source) if isinstance(source, list) else source
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    found = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and [type(t) for t in node.targets] == [ast.Name]:
            target = node.targets[0].id  # type: ignore[attr-defined]
            found.append((target, ast.literal_eval(node.value), comments.get(node.end_lineno, "")))
    return found


def notebook_parameters(name: str) -> dict[str, Any]:
    """The parameters of report ``name`` and their defaults, read from its ``parameters`` cell."""
    return {key: default for key, default, _ in parameter_cell(name)}


def _coerce(name: str, value: Any, default: Any, *, list_ok: bool = False) -> Any:
    """A parameter value of the type of the notebook's default (text from the command line
    becomes a number, a yes/no or a one-item list); :class:`ReportError` if it cannot be."""
    plain = isinstance(value, str | int) and not isinstance(value, bool)
    if isinstance(default, list) or (list_ok and isinstance(value, list | tuple)):
        items = list(value) if isinstance(value, list | tuple) else [value]
        if all(isinstance(v, str | int) and not isinstance(v, bool) for v in items):
            return [str(v) for v in items]
    elif isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no", "1", "0"}:
            return value.lower() in {"true", "yes", "1"}
    elif isinstance(default, int):
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                raise ReportError(f"parameter {name}={value!r} must be a whole number") from None
        if plain:
            return value
    elif default is None or (isinstance(default, str) and plain):
        return str(value) if plain else value
    kind = "a list" if isinstance(default, list) else type(default).__name__
    raise ReportError(f"parameter {name}={value!r} must be {kind}, like {default!r}")


def with_defaults(name: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter of report ``name``: those given (checked and coerced), else defaults."""
    defaults = notebook_parameters(name)
    unknown = [k for k in given if k not in defaults]
    if unknown:
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, list(defaults), n=1)
            hints.append(f"{key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ReportError(
            f"unknown parameter {', '.join(hints)} for report {name}. "
            f"Parameters: {', '.join(defaults)}"
        )
    lists = REPORTS[name].lists
    return {
        k: _coerce(k, given[k], d, list_ok=k in lists) if k in given else d
        for k, d in defaults.items()
    }

"""What a report takes: its parameters with type, default and description, read from the
``parameters`` cell of its notebook (each line ``name = default  # description``), for
``marketdata report NAME --help`` and ``marketdata batch NAME --help``."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from marketdata.reports.catalogue import REPORTS, parameter_cell

#: Options of ``marketdata report`` besides the notebook's parameters.
REPORT_OPTIONS: tuple[tuple[str, str], ...] = (
    ("--output-dir DIR", "where the report folder goes (default ./outputs)"),
    ("--engine inprocess|kernel", "run the notebook in this process (default, no kernel to "
     "start) or in a fresh Jupyter kernel; the files are the same"),
    ("--kernel NAME", "with --engine kernel: the Jupyter kernel (default: this Python)"),
    ("--pdf", "also write report.pdf (headless Chromium, else WeasyPrint)"),
    ("--brief", "also write brief.pdf: the brief alone on one page"),
    ("--paper letter|a4", "the PDF's paper (default letter; implies --pdf)"),
)  # fmt: skip
#: Options of ``marketdata batch`` besides the notebook's parameters.
BATCH_OPTIONS: tuple[tuple[str, str], ...] = (
    ("--over NAME=VALUES", "run once per value: a list a,b,c or, for areas, all-states, "
     "all-territories, all-metros, all-nonmetros, OH-metros, OH-nonmetros; repeat --over "
     "for every combination (values of one name repeated are merged)"),
    ("--workers N", "worker processes (default: one per core)"),
    ("--scheduler tcp://host:8786", "run on a Dask cluster"),
    ("--output-dir DIR", "where the report folders go (default ./outputs)"),
    ("--no-resume", "rebuild reports that are up to date"),
    ("--pdf", "also write each report.pdf"),
    ("--paper letter|a4", "the PDFs' paper (default letter; implies --pdf)"),
)  # fmt: skip


@dataclass(frozen=True)
class Parameter:
    """One notebook parameter: ``name``, ``kind`` in words, ``default``, ``description``, and
    whether it takes several values (``many``: a list default, or a report that reads a list)."""

    name: str
    kind: str
    default: object
    description: str
    many: bool = False

    @property
    def option(self) -> str:
        """The command-line option: ``--comparison-areas``."""
        return "--" + self.name.replace("_", "-")


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "whole number"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list | tuple):
        return "list (repeat the option, one value each)"
    if value is None:
        return "optional"
    return "text"


def parameters(name: str) -> list[Parameter]:
    """The parameters of report ``name``, in the order of its ``parameters`` cell.

    Raises :class:`~marketdata.core.errors.ReportError` (with close names) for an unknown report.
    """
    cell = parameter_cell(name)  # also raises for an unknown report
    lists = REPORTS[name].lists
    listed = []
    for key, default, description in cell:
        many = isinstance(default, list | tuple) or key in lists
        kind = _kind(default) if not many or isinstance(default, list | tuple) else "text or list"
        if kind == "text or list":
            kind += " (repeat the option, one value each)"
        listed.append(Parameter(key, kind, default, description, many))
    return listed


def _value(value: object) -> str:
    """A value as typed on the command line."""
    text = value if isinstance(value, str) else str(value)
    return shlex.quote(text)


def _table(rows: list[tuple[str, str]]) -> list[str]:
    width = max(len(left) for left, _ in rows)
    return [f"  {left.ljust(width)}  {right}" for left, right in rows]


def parameter_help(p: Parameter) -> str:
    """What ``--help`` says of a notebook parameter: its kind, default and description."""
    return f"{p.kind}; default {p.default!r}" + (f": {p.description}" if p.description else "")


def example(name: str, *, command: str = "report") -> str:
    """A command line that runs report ``name``: ``marketdata report NAME --occupation ...``
    (``command="report"``) or ``marketdata batch NAME ... --over area=OH-metros``."""
    simple = [p for p in parameters(name) if isinstance(p.default, str)]
    if command != "batch":
        return f"marketdata report {name}" + "".join(
            f" {p.option} {_value('OH' if p.name == 'area' else p.default)}" for p in simple[:2]
        )
    over = next((p for p in simple if p.name == "area"), simple[0] if simple else None)
    rest = [p for p in simple if p is not over][:1]
    line = f"marketdata batch {name}" + "".join(f" {p.option} {_value(p.default)}" for p in rest)
    if over is not None:
        values = "OH-metros" if over.name == "area" else f"{over.default},..."
        line += f" --over {over.name}={values}"
    return line


def summary(name: str, *, command: str = "report") -> str:
    """The first line of the help of ``marketdata report NAME`` or ``marketdata batch NAME``."""
    title = REPORTS[name].title.lower()
    report = title if title.endswith("report") else f"{title} report"
    if command == "batch":
        return f"Run the {report} once per value of --over."
    return f"Write the {report} from its notebook."


def help_text(name: str, *, command: str = "report") -> str:
    """The help of ``marketdata report NAME`` (``command="report"``) or of
    ``marketdata batch NAME`` (``command="batch"``)."""
    rows = [(f"{p.option} VALUE", parameter_help(p)) for p in parameters(name)]
    options = BATCH_OPTIONS if command == "batch" else REPORT_OPTIONS
    if command == "batch":
        usage = f"usage: marketdata batch {name} --over NAME=VALUES [--PARAMETER VALUE ...]"
    else:
        usage = f"usage: marketdata report {name} [--PARAMETER VALUE ...]"
    lines = [
        usage,
        "",
        f"Parameters of report {name} (from its notebook's parameters cell):",
        *_table(rows),
        "",
        "Options:",
        *_table(list(options)),
        "",
        f"Example: {example(name, command=command)}",
    ]
    return "\n".join(lines)


#: What ``marketdata report rerun`` does, after its one-line summary.
RERUN_TEXT = (
    "Run a report again with the parameters recorded in MANIFEST (the manifest.json in its "
    "folder) and compare every table with the one in the folder; the folder is left "
    "unchanged. Exit status 0 if the tables are identical, 1 if not."
)
#: Options of ``marketdata report rerun``.
RERUN_OPTIONS = REPORT_OPTIONS[1:3]
#: A command line that reruns a report.
RERUN_EXAMPLE = (
    "marketdata report rerun outputs/occupation_outlook/29-2072-ohio-may-2025/manifest.json"
)


def rerun_help() -> str:
    """The help of ``marketdata report rerun``."""
    return "\n".join(
        [
            "usage: marketdata report rerun MANIFEST [--engine inprocess|kernel] [--kernel NAME]",
            "",
            RERUN_TEXT,
            "",
            "Options:",
            *_table(list(RERUN_OPTIONS)),
            "",
            f"Example: {RERUN_EXAMPLE}",
        ]
    )

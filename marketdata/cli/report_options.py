"""``marketdata report`` and ``marketdata batch``: one subcommand per report, whose options are
declared from the report notebook's parameters cell (part of :mod:`marketdata.cli.commands`).

Nothing here imports pandas or the notebook tools: ``--help`` and usage errors answer at once.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from marketdata.core.errors import ReportError

if TYPE_CHECKING:
    from marketdata.reports import ReportResult
    from marketdata.reports.usage import Parameter

#: Longest code, area, title or other text value a command takes: longer ones are refused
#: before any lookup (a close-match search through a huge text takes seconds).
TEXT_LIMIT = 300
#: Options of ``marketdata report`` and ``marketdata batch`` besides the notebook's
#: parameters; a notebook parameter may not take one of these names.
RUNNER_OPTIONS = (
    "output_dir",
    "engine",
    "kernel",
    "pdf",
    "brief",
    "paper",
    "over",
    "workers",
    "scheduler",
    "no_resume",
    "help",
    "unexpected",
)


def shorten(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters, ending with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


class Text(click.ParamType):
    """A text value of at most :data:`TEXT_LIMIT` characters."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value)
        if len(text) > TEXT_LIMIT:
            self.fail(
                f"{shorten(text)!r} is {len(text):,} characters long; give at most {TEXT_LIMIT}",
                param,
                ctx,
            )
        return text


TEXT = Text()


class Formatter(click.HelpFormatter):
    """Help and usage lines as argparse writes them: ``usage: marketdata ...``."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "usage: " if prefix is None else prefix)


class Context(click.Context):
    formatter_class = Formatter


class Command(click.Command):
    """A ``marketdata`` subcommand."""

    context_class = Context


class Group(click.Group):
    """A ``marketdata`` command with subcommands."""

    context_class = Context
    command_class = Command
    group_class = type


class ReportCommand(Command):
    """A report's subcommand; its ``--help`` lists the notebook's parameters
    (:func:`marketdata.reports.usage.help_text`), and its ``help`` and options' help, read by
    the documentation's command reference, say the same."""

    def __init__(self, *args: Any, help_text: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help_text = help_text

    def get_help(self, ctx: click.Context) -> str:
        return self.help_text

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        return [p for p in super().collect_usage_pieces(ctx) if "UNEXPECTED" not in p]


def parameter_options(report: str, parameters: list[Parameter]) -> list[click.Option]:
    """One option per notebook parameter (``--comparison-areas``, also written
    ``--comparison_areas``); each may be repeated, and :func:`single_values` refuses a
    repeated one the report reads as one value. :class:`ReportError` if a parameter has the
    name of a runner option (it would be taken for that option)."""
    from marketdata.reports import usage

    options = []
    for p in parameters:
        if p.name in RUNNER_OPTIONS:
            raise ReportError(
                f"report {report}'s notebook has a parameter {p.name!r}, the name of an option "
                f"of marketdata report or batch: rename it in the notebook's parameters cell"
            )
        names = dict.fromkeys([p.option, "--" + p.name])  # one name if they are the same
        options.append(
            click.Option(
                [*names, p.name],
                multiple=True,
                type=TEXT,
                metavar="VALUE",
                help=usage.parameter_help(p),
            )
        )
    return options


def given(parameters: list[Parameter], values: dict[str, Any]) -> dict[str, object]:
    """The notebook parameters given on the command line: one value, or a list when
    repeated."""
    found: dict[str, object] = {}
    for p in parameters:
        items = values.get(p.name) or ()
        if items:
            found[p.name] = items[0] if len(items) == 1 else list(items)
    return found


def single_values(name: str, params: dict[str, object], *, over: bool = False) -> None:
    """ReportError if a parameter that takes one value was given several times."""
    from marketdata.reports import usage

    single = {p.name for p in usage.parameters(name) if not p.many}
    for key, value in params.items():
        if isinstance(value, list) and key in single:
            option = "--" + key.replace("_", "-")
            listed = ",".join(str(v) for v in value)
            how = "add it to --over" if over else f"use `marketdata batch {name} --over"
            raise ReportError(
                f"report {name} takes one {key}, and {option} was given {len(value)} times "
                f"({', '.join(map(str, value))}). To run the report for each, "
                + (f"{how} ({key}={listed})" if over else f"{how} {key}={listed}`")
            )


def pdf_choice(pdf: bool, paper: tuple[str, ...]) -> bool | str:
    """``--pdf`` and ``--paper letter|a4`` (which implies ``--pdf``): what ``pdf=`` gets."""
    if len(paper) > 1:
        raise ReportError("--paper is given twice: give it once, letter or a4")
    return paper[0] if paper else pdf


def _refuse_extra(unexpected: tuple[str, ...]) -> None:
    if unexpected:
        raise click.UsageError(
            f"unexpected {shorten(unexpected[0])!r}: give parameters as --name value"
        )


def _option(
    declarations: list[str], described: tuple[tuple[str, str], ...], **kwargs: Any
) -> click.Option:
    """A runner option with the value name and help of its line in ``described``
    (:data:`marketdata.reports.usage.REPORT_OPTIONS`, ``BATCH_OPTIONS``)."""
    name = declarations[0]
    metavar, text = next(
        (left.partition(" ")[2], t) for left, t in described if left.split()[0] == name
    )
    return click.Option(declarations, metavar=metavar or None, help=text, **kwargs)


def _common_options(described: tuple[tuple[str, str], ...]) -> list[click.Parameter]:
    """The options of both ``report NAME`` and ``batch NAME``, and the catch-all argument
    that refuses a value given without an option."""
    return [
        click.Argument(["unexpected"], nargs=-1, type=TEXT),
        _option(["--output-dir", "output_dir"], described, type=click.Path(path_type=Path)),
        _option(["--pdf"], described, is_flag=True),
        _option(["--paper"], described, multiple=True, type=TEXT),
    ]


def _description(summary: str, text: str, example: str) -> str:
    """A subcommand's ``help``: the summary line, then what it does and an example."""
    return f"{summary}\n\n{text}\n\nExample: {example}"


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block, then as before: during one report,
    Python's collector would spend about 0.4 s of its 3 s of CPU walking the imported
    modules' objects, to free no more than about 10 MB."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def report_command(name: str, parameters: list[Parameter]) -> click.Command:
    """``marketdata report NAME``: the notebook's parameters and the runner's options."""
    from marketdata.reports import usage

    def run(
        *,
        unexpected: tuple[str, ...],
        output_dir: Path | None,
        engine: str | None,
        kernel: str | None,
        pdf: bool,
        brief: bool,
        paper: tuple[str, ...],
        **values: Any,
    ) -> int:
        _refuse_extra(unexpected)
        from marketdata import reports

        params = given(parameters, values)
        single_values(name, params)
        if engine is None:  # in this process unless a kernel is asked for (or in IPython)
            engine = "kernel" if kernel is not None else reports.default_engine()
        choice = pdf_choice(pdf, paper)
        with _no_cyclic_gc():
            done = reports.run(
                name,
                output_dir=output_dir,
                engine=engine,
                kernel_name=kernel,
                pdf=choice,
                brief=brief,
                **params,
            )
        _closing_lines(done)
        print(f"Report written to {done.html}")
        return 0

    return ReportCommand(
        name,
        callback=run,
        params=[
            *parameter_options(name, parameters),
            *_common_options(usage.REPORT_OPTIONS),
            _option(["--engine"], usage.REPORT_OPTIONS, type=TEXT),
            _option(["--kernel"], usage.REPORT_OPTIONS, type=TEXT),
            _option(["--brief"], usage.REPORT_OPTIONS, is_flag=True),
        ],
        help=_description(
            usage.summary(name),
            "Its parameters come from the notebook's parameters cell; the report folder holds "
            "report.html, the tables as CSV, the charts as PNG and manifest.json.",
            usage.example(name),
        ),
        help_text=usage.help_text(name),
        short_help=_title(name),
    )


def batch_command(name: str, parameters: list[Parameter]) -> click.Command:
    """``marketdata batch NAME``: the notebook's parameters, ``--over`` and the batch options."""
    from marketdata.reports import usage

    def run(
        *,
        unexpected: tuple[str, ...],
        output_dir: Path | None,
        over: tuple[str, ...],
        workers: int | None,
        scheduler: str | None,
        no_resume: bool,
        pdf: bool,
        paper: tuple[str, ...],
        **values: Any,
    ) -> int:
        _refuse_extra(unexpected)
        if not over:
            raise ReportError("give what to run over, e.g. --over area=all-states")
        from marketdata.reports import batch

        runs: dict[str, list[str]] = {}  # --over given twice for one name: the values of both
        for item in over:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise ReportError(f"--over {item!r}: write NAME=VALUES, e.g. --over area=OH-metros")
            runs.setdefault(key.strip().replace("-", "_"), []).extend(batch.split_list(value))
        params = given(parameters, values)
        choice = pdf_choice(pdf, paper)
        single_values(name, params, over=True)
        result = batch.run(
            name,
            over=runs,
            params=params,
            output_dir=output_dir,
            scheduler=scheduler,
            workers=workers,
            resume=not no_resume,
            pdf=choice,
            progress=True,
        )
        return _batch_summary(result, runs)

    return ReportCommand(
        name,
        callback=run,
        params=[
            *parameter_options(name, parameters),
            _option(["--over"], usage.BATCH_OPTIONS, multiple=True, type=click.STRING),
            _option(["--workers"], usage.BATCH_OPTIONS, type=click.IntRange(min=1)),
            _option(["--scheduler"], usage.BATCH_OPTIONS, type=TEXT),
            *_common_options(usage.BATCH_OPTIONS),
            _option(["--no-resume", "no_resume"], usage.BATCH_OPTIONS, is_flag=True),
        ],
        help=_description(
            usage.summary(name, command="batch"),
            "Its parameters come from the notebook's parameters cell; a parameter given with "
            "--over takes each of its values in turn. Exit status 1 if any report failed.",
            usage.example(name, command="batch"),
        ),
        help_text=usage.help_text(name, command="batch"),
        short_help=_title(name),
    )


def rerun_command() -> click.Command:
    """``marketdata report rerun MANIFEST``."""
    from marketdata.reports import usage

    def run(manifest: Path, engine: str | None, kernel: str | None) -> int:
        from marketdata import reports

        if engine is None:
            engine = "kernel" if kernel is not None else reports.default_engine()
        result = reports.rerun(manifest, engine=engine, kernel_name=kernel)
        print(result.summary())
        return 0 if result.identical else 1

    return ReportCommand(
        "rerun",
        callback=run,
        params=[
            click.Argument(["manifest"], type=click.Path(path_type=Path)),
            _option(["--engine"], usage.RERUN_OPTIONS, type=TEXT),
            _option(["--kernel"], usage.RERUN_OPTIONS, type=TEXT),
        ],
        help=_description(
            "Rerun a report from its manifest.json and compare its tables.",
            usage.RERUN_TEXT,
            usage.RERUN_EXAMPLE,
        ),
        help_text=usage.rerun_help(),
        short_help="Rerun a report and compare its tables.",
    )


def _title(name: str) -> str:
    from marketdata.reports.catalogue import REPORTS

    return REPORTS[name].title


class ReportGroup(Group):
    """The reports as subcommands, each built when asked for (its notebook read then)."""

    def __init__(self, *args: Any, command: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.command = command

    def list_commands(self, ctx: click.Context) -> list[str]:
        from marketdata.reports.catalogue import REPORTS

        return [*REPORTS, "rerun"] if self.command == "report" else list(REPORTS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from marketdata.reports import usage

        if cmd_name == "rerun" and self.command == "report":
            return rerun_command()
        parameters = usage.parameters(cmd_name)  # ReportError with close names if unknown
        build = report_command if self.command == "report" else batch_command
        return build(cmd_name, parameters)


def _closing_lines(done: ReportResult) -> None:
    """The report's answer in plain words, then what it used and could not fill (the words
    of its About box), and its PDF; technical detail stays in manifest.json."""
    import json

    from marketdata.reports.about import closing_lines

    for line in done.summary:
        print(line)
    if done.summary:
        print()
    for line in closing_lines(json.loads(done.manifest.read_text())):
        print(line)
    if done.pdf is not None:
        print(f"PDF written to {done.pdf}")
    if done.brief_pdf is not None:
        print(f"Brief written to {done.brief_pdf}")
    if done.pdf is None and done.pdf_note:
        print(f"marketdata: {done.pdf_note}", file=sys.stderr)


def _batch_summary(result: Any, over: dict[str, list[str]]) -> int:
    """The batch's table, one error line per failed report and the counts; exit status."""
    import pandas as pd

    shown = result.summary.drop(columns=["error"])
    shown["output"] = [
        str(Path(o).relative_to(result.output_dir)) if o else "" for o in shown["output"]
    ]
    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(shown.to_string(index=False))
    for _, row in result.errors().iterrows():
        what = " ".join(f"{k}={row[k]}" for k in over)
        print(f"error: {what}: {row['error']}", file=sys.stderr)
    counts = ", ".join(f"{n} {status}" for status, n in result.counts.items())
    print(f"{len(result.summary)} reports ({counts}) in {result.seconds:.0f}s: {result.output_dir}")
    return 0 if result.ok else 1

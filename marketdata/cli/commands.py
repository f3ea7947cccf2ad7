"""The ``marketdata`` command.

Every subcommand is a thin wrapper around the Python API, declared with click: a command is
one function decorated with ``@cli.command()``, its arguments and options declared above it,
that returns the exit status. Usage errors (an unknown option lists the valid ones) and
errors from the package are printed as one clear message (no traceback) and exit with
status 2. Every command runs in its own process, and nothing it starts outlives it.
"""

from __future__ import annotations

import difflib
import logging
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from marketdata import __version__
from marketdata.cli import app_command as cli_app
from marketdata.cli import onet_commands as cli_onet
from marketdata.cli.cache_commands import cmd_cache
from marketdata.cli.report_options import TEXT, Group, ReportGroup, shorten
from marketdata.core import vintages
from marketdata.core.config import get_settings
from marketdata.core.errors import MarketdataError, MarketdataWarning

if TYPE_CHECKING:  # pandas, matplotlib and the notebook tools load only in the commands
    import pandas as pd

#: Longest argument the command takes (a path at most PATH_MAX); longer ones are refused
#: before anything is looked up.
ARGUMENT_LIMIT = 4096


def _print_frame(df: pd.DataFrame) -> None:
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 30):
        print(df.to_string(index=False))


def _print_provenance(df: pd.DataFrame) -> None:
    """One line per program and release: the main file's URL, how many files, when retrieved."""
    seen: dict[tuple, list[dict]] = {}
    for p in df.attrs.get("provenance", []):
        seen.setdefault((p.get("program"), p.get("release")), []).append(p)
    for (program, release), files in seen.items():
        first = files[0]
        how = " (bundled snapshot)" if first.get("bundled") else ""
        how += " (added by hand)" if any(f.get("added_by_hand") for f in files) else ""
        kind = "mapping" if program == "OEWS" else "other"
        more = f" and {len(files) - 1} {kind} files" if len(files) > 1 else ""
        agency = "" if program in ("BEA", "O*NET") else "BLS "  # not BLS's figures
        print(
            f"Source: {agency}{program} {release}{how}: {first.get('source_url')}{more}, "
            f"retrieved {first.get('retrieved')}"
        )
    for line in vintages.notes(df.attrs.get("provenance", [])):
        print(line)


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="U.S. labor-market data: wages, projections, pathways and reports.\n\n"
    "Occupations are SOC codes (29-2072, 292072) or words of a title; areas are US, a state "
    "(OH, Ohio, 39) or a metro or nonmetro area ('Columbus, OH', 18140). 'marketdata COMMAND "
    "--help' lists a command's arguments and options.",
)
@click.version_option(__version__, prog_name="marketdata", message="%(prog)s %(version)s")
@click.option("-v", "--verbose", is_flag=True, help="log what is downloaded")
def cli(verbose: bool) -> None:
    """The ``marketdata`` command's options, before the subcommand."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )


@cli.command(
    help="Show an occupation's wages in an area, its state and the nation.\n\n"
    "Employment and wage percentiles from OEWS for the release asked for, the latest by "
    "default, with BLS's notes and the sources of the figures."
)
@click.argument("occupation", type=TEXT)
@click.option("--area", default="US", type=TEXT, help="state (OH, Ohio, 39), metro or US")
@click.option("--release", default="latest", type=TEXT, help="e.g. latest, 'May 2024', 2021")
def wages(occupation: str, area: str, release: str) -> int:
    """Show an occupation's wages in an area, its state and the nation."""
    from marketdata.core.formatting import display_frame
    from marketdata.core.schema import WAGE_TABLE_MEASURES
    from marketdata.datasets import oews

    df = oews.wages_table(occupation, area=area, release=release)
    title = df["occupation_title"].iloc[0] if len(df) else occupation
    print(f"{df['occupation_code'].iloc[0]} {title}, {df['release'].iloc[0]}")
    shown = df.loc[:, [c for c in ("area_name", *WAGE_TABLE_MEASURES) if c in df.columns]]
    _print_frame(display_frame(shown))
    notes = df.attrs.get("notes", [])
    for note in notes:
        print(f"Note: {note}")
    _print_provenance(df)
    return 0


@cli.command(
    help="Show pay bands by area, experience level and credential factors.\n\n"
    "For OCCUPATION in each of AREAS: OEWS wage percentiles, experience levels (estimates, "
    "labelled), the CPS certification factor or your own from --factors, what the job takes, "
    "and the sources."
)
@click.argument("occupation", type=TEXT)
@click.argument("areas", nargs=-1, required=True, type=TEXT)
@click.option("--release", default="latest", type=TEXT, help="e.g. latest, 'May 2025'")
@click.option(
    "--factors", type=click.Path(path_type=Path), help="CSV of your own credential factors"
)
@click.option("--no-certification", is_flag=True, help="leave out the CPS credential factor")
def salary(
    occupation: str,
    areas: tuple[str, ...],
    release: str,
    factors: Path | None,
    no_certification: bool,
) -> int:
    """Pay bands, regional comparison and credential factors of an occupation."""
    from marketdata.datasets import codes

    codes.resolve_occupation(occupation)  # breakdown's first check, before pandas loads
    import pandas as pd

    from marketdata.analysis import salary as pay

    df = pay.breakdown(
        occupation,
        list(areas),
        release=release,
        certification=not no_certification,
        user_factors=factors,
    )
    first = df.iloc[0]
    print(f"{first['occupation_code']} {first['occupation_title']}, {first['release']}")
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print(pay.display(df).to_string())
    print("* " + first["experience_method"])
    takes = [
        f"{label}: {first[column]}"
        for label, column in (
            ("typical entry education", "typical_education"),
            ("work experience", "work_experience"),
            ("on-the-job training", "training"),
        )
        if isinstance(first.get(column), str) and first[column]
    ]
    if takes:
        ep = first.get("projections_release")
        ep = f" {ep}" if isinstance(ep, str) else ""
        print(f"What it takes (BLS Employment Projections{ep}, national): " + "; ".join(takes))
    for column in (
        "cert_note",
        "cert_unavailable",
        "cert_source",
        "ors_text",
        "ors_note",
        "what_it_takes_note",
    ):  # every area's
        if isinstance(first.get(column), str) and first[column]:
            print(f"Note: {first[column]}")
    for area, text in zip(df["area_name"], df["bls_notes"], strict=True):
        if text:
            print(f"Note ({area}): {text}")
    for area, text in zip(df["area_name"], df.get("rpp_note", pd.Series(dtype=str)), strict=False):
        if isinstance(text, str) and text:
            print(f"Note ({area}): {text}")
    _print_provenance(df)
    return 0


@cli.command(
    help="Show an occupation's projected growth, openings and education.\n\n"
    "A state's projections come from Projections Central; a metro or nonmetro area gets its "
    "state's, said so; when a state's projections are not cached, the nation's, with the "
    "command that fetches them."
)
@click.argument("occupation", type=TEXT)
@click.option(
    "--area",
    default="US",
    type=TEXT,
    help="US, a state (OH, Ohio, 39), metro or nonmetro area ('Columbus, OH', 18140): "
    "a metro's or nonmetro area's state projections",
)
@click.option("--release", default="latest", type=TEXT, help="EP release, e.g. 2024-34")
def growth(occupation: str, area: str, release: str) -> int:
    """Projected (or observed) growth, openings and education of an occupation."""
    from marketdata.analysis import growth as outlook
    from marketdata.core.formatting import format_value

    out = outlook.outlook(occupation, area, release=release)
    print(f"{out.occupation_code} {out.occupation_title}, {out.area_name} ({out.basis})")
    if out.employment_base is not None:
        years = f"{out.base_year}-{out.projected_year}" if out.base_year else out.release
        print(
            f"Employment {years}: {format_value(out.employment_base, 'employment')} -> "
            f"{format_value(out.employment_projected, 'employment')} "
            f"({format_value(out.percent_change, 'percent_change')}"
            + (f", {out.growth_category.lower()}" if out.growth_category else "")
            + ")"
        )
    if out.openings_annual is not None:
        print(f"Openings per year: {format_value(out.openings_annual, 'openings')}")
    for label, value in (
        ("Typical entry education", out.typical_education),
        ("Work experience", out.work_experience),
        ("On-the-job training", out.training),
    ):
        if value:
            print(f"{label}: {value}")
    for note in out.notes:
        print(f"Note: {note}")
    _print_provenance(out.to_frame())
    return 0


@cli.command(
    help="Download and cache what reports need, ahead of time.\n\n"
    "Downloads and caches the current OEWS release, the current Employment Projections, ORS "
    "credentials, BEA price parities, CPI-U, O*NET and the CPS certification table, plus past "
    "OEWS releases and state projections if asked; later reports (also offline) use them. "
    "Interrupted downloads resume. Exit status 1 "
    "if something could not be had.",
)
@click.option(
    "--history",
    type=click.IntRange(min=0),
    default=0,
    metavar="N",
    help="also the last N past OEWS releases",
)
@click.option("--state", multiple=True, type=TEXT, help="a state's projections (repeatable): OH")
@click.option("--all-states", is_flag=True, help="every state's projections")
@click.option("--no-cps", is_flag=True, help="leave out the CPS table")
def fetch(history: int, state: tuple[str, ...], all_states: bool, no_cps: bool) -> int:
    """Download and cache what reports need; exit status 1 if anything could not be had."""
    from marketdata.datasets import prefetch as ahead

    settings = get_settings()
    items = ahead.plan(history=history, states=list(state), all_states=all_states, cps=not no_cps)
    outcomes = ahead.run(items, settings=settings, progress=True)
    for outcome in outcomes:
        mark = "ok    " if outcome.ok else "FAILED"
        print(f"{mark}  {outcome.label}: {outcome.detail}")
    print(f"Cache folder: {settings.cache_dir}")
    _print_frame(ahead.cached_table(settings=settings))
    return 0 if all(o.ok for o in outcomes) else 1


cli.add_command(
    ReportGroup(
        "report",
        command="report",
        help="Write a finished report from its notebook, or rerun one.\n\n"
        "marketdata report NAME --parameter value ... Reports: occupation_outlook, "
        "regional_salary_report, growth_explorer; 'marketdata report NAME --help' lists a "
        "report's parameters and options. 'marketdata report rerun MANIFEST' runs a report "
        "again and compares its tables.",
    )
)
cli.add_command(
    ReportGroup(
        "batch",
        command="batch",
        help="Run one report over many areas, locally or on a Dask cluster.\n\n"
        "Runs report NAME once per value of --over NAME=VALUES (repeat --over for every "
        "combination); 'marketdata batch NAME --help' lists its parameters and options. Exit "
        "status 1 if any report failed.",
    )
)


@cli.command(
    help="Inspect, verify, fill or clear the cache.\n\n"
    "info: what is cached. verify: check every file's SHA-256. add PATH ...: add BLS "
    "files saved in a browser. clear: remove only what marketdata wrote in the cache folder "
    "(its raw files, Parquet, JSON answers and locks; other files stay), after asking; --yes "
    "removes without asking.",
)
@click.argument("action", type=click.Choice(["info", "verify", "add", "clear"]))
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-y", "--yes", is_flag=True, help="with clear: remove without asking")
def cache(action: str, paths: tuple[Path, ...], yes: bool) -> int:
    return cmd_cache(action, list(paths), yes=yes)


cli_onet.add_commands(cli)
cli_app.add_commands(cli)


def _format_warning(
    message: Warning | str, category: type[Warning], *_: object, **__: object
) -> str:
    return f"marketdata: {category.__name__}: {message}\n"


def _usage_error(err: click.UsageError) -> int:
    """A usage error as argparse prints it (the usage line, then one line), exit status 2; an
    unknown option lists the valid ones, close matches first."""
    message = err.format_message()
    if isinstance(err, click.exceptions.NoArgsIsHelpError):  # no subcommand: the help
        print(message, file=sys.stderr)
        return 2
    if isinstance(err, click.NoSuchOption) and err.ctx is not None:
        valid = sorted(
            {o for p in err.ctx.command.params if isinstance(p, click.Option) for o in p.opts}
            - {"--help"}
        )
        shown = [o for o in valid if "_" not in o or o.replace("_", "-") not in valid]
        typed = err.option_name.replace("_", "-")
        close = difflib.get_close_matches(typed, shown, n=1) if len(typed) <= 100 else []
        hint = f" Did you mean {close[0]}?" if close else ""
        message = f"no such option {shorten(err.option_name)}.{hint} Options: {', '.join(shown)}"
    if err.ctx is not None:
        print(err.ctx.get_usage(), file=sys.stderr)
    print(f"marketdata: error: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line in this process; returns the exit status (usage errors 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    long = next((a for a in args if len(a) > ARGUMENT_LIMIT), None)
    if long is not None:
        print(
            f"marketdata: error: an argument is {len(long):,} characters long "
            f"({shorten(long)!r}); give at most {ARGUMENT_LIMIT:,}",
            file=sys.stderr,
        )
        return 2
    warnings.simplefilter("default", MarketdataWarning)
    warnings.formatwarning = _format_warning
    try:
        status = cli.main(args, prog_name="marketdata", standalone_mode=False)
    except click.UsageError as err:
        return _usage_error(err)
    except click.ClickException as err:  # e.g. a file option that cannot be read
        print(f"marketdata: error: {err.format_message()}", file=sys.stderr)
        return err.exit_code
    except MarketdataError as err:
        print(f"marketdata: error: {err}", file=sys.stderr)
        return 2
    except click.Abort:  # Ctrl-C
        return 130
    return status if isinstance(status, int) else 0


def skip_slow_optional_imports() -> None:
    """Leave out jsonschema's optional format checkers, installed with the Jupyter stack
    (jupyter-events asks for jsonschema's format-nongpl extra) and imported when nbformat
    imports jsonschema: ``rfc3987_syntax`` compiles 39 grammars, 1.3-1.7 s of CPU of every
    report command, and the others with ``arrow`` take about 50 ms more. Nbformat passes
    jsonschema no format checker, so nothing on the report path uses them; jsonschema then
    leaves out those formats' checks. Only in this command's process, never on
    ``import marketdata``."""
    for name in _FORMAT_CHECKERS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]


#: jsonschema's optional format checkers that a report command leaves out.
_FORMAT_CHECKERS = (
    "rfc3987_syntax",
    "isoduration",
    "webcolors",
    "uri_template",
    "fqdn",
    "rfc3339_validator",
    "rfc3986_validator",
)


def command() -> int:
    """The ``marketdata`` program: :func:`main` in this process. Output cut short by its
    reader (``marketdata wages ... | head``) ends the command quietly with status 1, as click
    and Python's documentation on SIGPIPE have it."""
    skip_slow_optional_imports()
    try:
        status = main()
        sys.stdout.flush()  # a reader gone away is met here, not at exit
    except BrokenPipeError:
        # nothing more can be written there; the interpreter's own flush at exit must not
        # complain either
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return status


if __name__ == "__main__":
    sys.exit(command())

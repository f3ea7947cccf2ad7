"""The ``marketdata`` command.

Every subcommand is a thin wrapper around the Python API; errors from the package are
printed as one clear message (no traceback) and exit with status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from marketdata import __version__, cli_client, cli_onet, vintages
from marketdata.cli_cache import cmd_cache
from marketdata.cli_params import report_parameters, single_values, wants_help
from marketdata.config import get_settings
from marketdata.errors import MarketdataError, MarketdataWarning, ReportError

if TYPE_CHECKING:  # pandas, matplotlib and the notebook tools load only in the commands
    import pandas as pd

if TYPE_CHECKING:
    from marketdata.reports import ReportResult


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


def cmd_wages(args: argparse.Namespace) -> int:
    """Show an occupation's wages in an area, its state and the nation."""
    from marketdata import oews
    from marketdata.formatting import display_frame
    from marketdata.schema import WAGE_TABLE_MEASURES

    df = oews.wages_table(args.occupation, area=args.area, release=args.release)
    title = df["occupation_title"].iloc[0] if len(df) else args.occupation
    print(f"{df['occupation_code'].iloc[0]} {title}, {df['release'].iloc[0]}")
    shown = df.loc[:, [c for c in ("area_name", *WAGE_TABLE_MEASURES) if c in df.columns]]
    _print_frame(display_frame(shown))
    notes = df.attrs.get("notes", [])
    for note in notes:
        print(f"Note: {note}")
    _print_provenance(df)
    return 0


def cmd_salary(args: argparse.Namespace) -> int:
    """Pay bands, regional comparison and credential factors of an occupation."""
    from marketdata import codes

    codes.resolve_occupation(args.occupation)  # breakdown's first check, before pandas loads
    import pandas as pd

    from marketdata import salary

    df = salary.breakdown(
        args.occupation,
        args.areas,
        release=args.release,
        certification=not args.no_certification,
        user_factors=args.factors,
    )
    first = df.iloc[0]
    print(f"{first['occupation_code']} {first['occupation_title']}, {first['release']}")
    with pd.option_context("display.width", 200, "display.max_colwidth", 40):
        print(salary.display(df).to_string())
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
        round_ = f" {first['ep_round']}" if isinstance(first.get("ep_round"), str) else ""
        print(f"What it takes (BLS Employment Projections{round_}, national): " + "; ".join(takes))
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


def cmd_growth(args: argparse.Namespace) -> int:
    """Projected (or observed) growth, openings and education of an occupation."""
    from marketdata import growth
    from marketdata.formatting import format_value

    out = growth.outlook(args.occupation, args.area, round=args.round)
    print(f"{out.occupation_code} {out.occupation_title}, {out.area_name} ({out.basis})")
    if out.employment_base is not None:
        years = f"{out.base_year}-{out.projected_year}" if out.base_year else out.round
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


def cmd_report(args: argparse.Namespace) -> int:
    """Run a report notebook, or rerun one from its manifest and compare its tables."""
    from marketdata import reports

    if wants_help([args.manifest, *args.params]):
        from marketdata.reports import usage

        print(usage.rerun_help() if args.name == "rerun" else usage.help_text(args.name))
        return 0
    tokens = [t for t in args.params if t != "--pdf"]
    params = report_parameters(tokens)
    output_dir = params.pop("output_dir", None)
    kernel = params.pop("kernel", None)
    # in this process unless a kernel is asked for (or this runs inside IPython): no kernel
    # to start, the same files
    engine = params.pop("engine", None)
    if engine is None:
        engine = "kernel" if kernel is not None else reports.default_engine()
    if args.name == "rerun":
        if not args.manifest or params:
            raise ReportError(
                "usage: marketdata report rerun outputs/<report>/<slug>/manifest.json"
            )
        result = reports.rerun(args.manifest, engine=engine, kernel_name=kernel)
        print(result.summary())
        return 0 if result.identical else 1
    if args.manifest:
        raise ReportError(f"unexpected {args.manifest!r}: give parameters as --name value")
    single_values(args.name, params)
    pdf = _pdf_choice(len(tokens) < len(args.params), params)
    done = reports.run(
        args.name, output_dir=output_dir, engine=engine, kernel_name=kernel, pdf=pdf, **params
    )
    _closing_lines(done)
    print(f"Report written to {done.html}")
    return 0


def _pdf_choice(asked: bool, params: dict) -> bool | str:
    """``--pdf`` and ``--paper letter|a4`` (which implies ``--pdf``): what ``pdf=`` gets."""
    paper = params.pop("paper", None)
    if isinstance(paper, list):
        raise ReportError("--paper is given twice: give it once, letter or a4")
    return str(paper) if paper is not None else asked


def _closing_lines(done: ReportResult) -> None:
    """What a finished report used and could not fill (the words of its About box), and its
    PDF; technical detail stays in manifest.json."""
    import json

    from marketdata.reports.about import closing_lines

    for line in closing_lines(json.loads(done.manifest.read_text())):
        print(line)
    if done.pdf is not None:
        print(f"PDF written to {done.pdf}")
    elif done.pdf_note:
        print(f"marketdata: {done.pdf_note}", file=sys.stderr)


def _format_warning(
    message: Warning | str, category: type[Warning], *_: object, **__: object
) -> str:
    return f"marketdata: {category.__name__}: {message}\n"


def cmd_batch(args: argparse.Namespace) -> int:
    """Run one report over many parameter sets; exit status 1 if any report failed."""
    if wants_help(args.params):
        from marketdata.reports import usage

        print(usage.help_text(args.name, command="batch"))
        return 0
    from marketdata.reports import batch

    tokens = [t for t in args.params if t not in ("--no-resume", "--pdf")]
    params = report_parameters(tokens)
    overs = params.pop("over", None)
    if overs is None:
        raise ReportError("give what to run over, e.g. --over area=all-states")
    over: dict[str, list[str]] = {}  # --over given twice for one name: the values of both
    for item in overs if isinstance(overs, list) else [overs]:
        key, sep, value = str(item).partition("=")
        if not sep or not key.strip():
            raise ReportError(f"--over {item!r}: write NAME=VALUES, e.g. --over area=OH-metros")
        over.setdefault(key.strip().replace("-", "_"), []).extend(batch.split_list(value))
    workers = params.pop("workers", None)
    if workers is not None and not str(workers).isdigit():
        raise ReportError(f"--workers {workers!r} must be a whole number")
    output_dir = params.pop("output_dir", None)
    scheduler = params.pop("scheduler", None)
    pdf = _pdf_choice("--pdf" in args.params, params)
    single_values(args.name, params, over=True)
    result = batch.run(
        args.name,
        over=over,
        params=params,
        output_dir=output_dir,
        scheduler=scheduler,
        workers=int(workers) if workers is not None else None,
        resume="--no-resume" not in args.params,
        pdf=pdf,
        progress=True,
    )
    shown = result.summary.drop(columns=["error"])
    shown["output"] = [
        str(Path(o).relative_to(result.output_dir)) if o else "" for o in shown["output"]
    ]
    _print_frame(shown)
    for _, row in result.errors().iterrows():
        what = " ".join(f"{k}={row[k]}" for k in over)
        print(f"error: {what}: {row['error']}", file=sys.stderr)
    counts = ", ".join(f"{n} {status}" for status, n in result.counts.items())
    print(f"{len(result.summary)} reports ({counts}) in {result.seconds:.0f}s: {result.output_dir}")
    return 0 if result.ok else 1


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download and cache what reports need; exit status 1 if anything could not be had."""
    from marketdata import fetch

    settings = get_settings()
    items = fetch.plan(
        history=args.history, states=args.state, all_states=args.all_states, cps=not args.no_cps
    )
    outcomes = fetch.run(items, settings=settings, progress=True)
    for outcome in outcomes:
        mark = "ok    " if outcome.ok else "FAILED"
        print(f"{mark}  {outcome.label}: {outcome.detail}")
    print(f"Cache folder: {settings.cache_dir}")
    _print_frame(fetch.cached_table(settings=settings))
    return 0 if all(o.ok for o in outcomes) else 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``marketdata`` command."""
    parser = argparse.ArgumentParser(
        prog="marketdata", description="BLS labor-market data: wages, projections, reports."
    )
    parser.add_argument("--version", action="version", version=f"marketdata {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what is downloaded")
    commands = parser.add_subparsers(dest="command", required=True)

    wages = commands.add_parser("wages", help="an occupation's wages in an area and the nation")
    wages.add_argument("occupation", help="SOC code (29-2072 or 292072) or title")
    wages.add_argument("--area", default="US", help="state (OH, Ohio, 39), metro or US")
    wages.add_argument("--release", default="latest", help="e.g. latest, 'May 2024', 2021")
    wages.set_defaults(run=cmd_wages)

    salary_cmd = commands.add_parser(
        "salary", help="pay bands by area, experience band and credential factors"
    )
    salary_cmd.add_argument("occupation", help="SOC code (29-2072) or title")
    salary_cmd.add_argument("areas", nargs="+", help="US, Ohio, 'Columbus, OH', 18140, ...")
    salary_cmd.add_argument("--release", default="latest", help="e.g. latest, 'May 2025'")
    salary_cmd.add_argument("--factors", type=Path, help="CSV of your own credential factors")
    salary_cmd.add_argument(
        "--no-certification", action="store_true", help="leave out the CPS credential factor"
    )
    salary_cmd.set_defaults(run=cmd_salary)

    report = commands.add_parser(
        "report",
        help="run a report notebook: NAME --param value ... (or: rerun MANIFEST)",
        description="Reports: occupation_outlook, regional_salary_report, growth_explorer. "
        "Parameters as in the notebook, e.g. --occupation 29-2072 --area OH; repeat one to "
        "give a list. --output-dir DIR (default ./outputs), --engine inprocess|kernel (default "
        "inprocess: no kernel to start), --kernel NAME (with --engine kernel), "
        "--pdf (also report.pdf, with headless Chromium or WeasyPrint), --paper letter|a4 "
        "(the PDF's paper, default letter; implies --pdf). "
        "'marketdata report rerun MANIFEST' runs a report again and compares its tables.",
    )
    report.add_argument("name", help="report name, or 'rerun'")
    report.add_argument("manifest", nargs="?", default="", help="with rerun: the manifest.json")
    report.add_argument("params", nargs=argparse.REMAINDER, help="--name value ...")
    report.set_defaults(run=cmd_report)

    batch_cmd = commands.add_parser(
        "batch",
        help="run a report over many areas: NAME --over area=all-states --param value ...",
        description="Run report NAME once per value of --over NAME=VALUES (repeat --over for "
        "every combination). Area values: all-states (50 states and DC), all-territories, "
        "all-metros, all-nonmetros, OH-metros, OH-nonmetros, or a list a,b,c (a comma "
        "followed by a space stays in a name: 'Columbus, OH,Dayton, OH'). Other parameters "
        "as for 'marketdata report'. Options: --workers N (default: one per core), "
        "--scheduler tcp://host:8786 (a Dask cluster), --output-dir DIR, --no-resume (rebuild "
        "reports that are up to date), --pdf (also each report.pdf), --paper letter|a4. "
        "Exit status 1 if any report failed.",
    )
    batch_cmd.add_argument("name", help="report name")
    batch_cmd.add_argument("params", nargs=argparse.REMAINDER, help="--over NAME=VALUES ...")
    batch_cmd.set_defaults(run=cmd_batch)

    growth_cmd = commands.add_parser("growth", help="projected growth, openings and education")
    growth_cmd.add_argument("occupation", help="SOC code (29-2072 or 292072) or title")
    growth_cmd.add_argument(
        "--area",
        default="US",
        help="US, a state (OH, Ohio, 39), metro or nonmetro area ('Columbus, OH', 18140): "
        "a metro's or nonmetro area's state projections",
    )
    growth_cmd.add_argument("--round", default="latest", help="projection round, e.g. 2024-34")
    growth_cmd.set_defaults(run=cmd_growth)

    fetch_cmd = commands.add_parser(
        "fetch",
        help="download and cache what reports need, ahead of time",
        description="Download and cache the current OEWS release, the current Employment "
        "Projections round and the CPS certification table, plus past OEWS releases and state "
        "projections if asked; later reports (also offline) use them. Interrupted downloads "
        "resume. Exit status 1 if something could not be had.",
    )
    fetch_cmd.add_argument(
        "--history", type=int, default=0, metavar="N", help="also the last N past OEWS releases"
    )
    fetch_cmd.add_argument(
        "--state", action="append", default=[], help="a state's projections (repeatable): OH"
    )
    fetch_cmd.add_argument("--all-states", action="store_true", help="every state's projections")
    fetch_cmd.add_argument("--no-cps", action="store_true", help="leave out the CPS table")
    fetch_cmd.set_defaults(run=cmd_fetch)

    cache_cmd = commands.add_parser(
        "cache",
        help="inspect, verify, fill or clear the cache",
        description="info: what is cached. verify: check every file's SHA-256. add PATH ...: "
        "add BLS files saved in a browser. clear: remove only what marketdata wrote in the "
        "cache folder (its raw files, Parquet, JSON answers and locks; other files stay), "
        "after asking; --yes removes without asking.",
    )
    cache_cmd.add_argument("action", choices=["info", "verify", "add", "clear"])
    cache_cmd.add_argument("paths", nargs="*", help="with add: BLS files saved by hand")
    cache_cmd.add_argument(
        "-y", "--yes", action="store_true", help="with clear: remove without asking"
    )
    cache_cmd.set_defaults(run=cmd_cache, parser=cache_cmd)

    cli_onet.add_commands(commands)

    server_cmd = commands.add_parser(
        "server",
        help="the warm command server: status, start, stop",
        description="Commands that load data (report, wages, salary, growth) run in a process "
        "forked from a warm server, which has imported pandas, matplotlib and the notebook "
        "tools once; the first such command starts it and it exits when idle "
        "(MARKETDATA_SERVER_IDLE seconds, default 600). MARKETDATA_SERVER=off runs every "
        "command in its own process.",
    )
    server_cmd.add_argument("action", choices=["status", "start", "stop"])
    server_cmd.set_defaults(run=cli_client.cmd_server)
    return parser


def skip_slow_optional_imports() -> None:
    """Leave out ``rfc3987_syntax``, an optional checker of jsonschema (installed with the
    Jupyter stack) that compiles 39 grammars when nbformat imports jsonschema: about 1 s of
    every report command. jsonschema then skips the "iri" string formats, which no notebook
    or report uses. Only in this command's process, never on ``import marketdata``."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line in this process; returns the exit status."""
    skip_slow_optional_imports()
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    warnings.simplefilter("default", MarketdataWarning)
    warnings.formatwarning = _format_warning
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except MarketdataError as err:
        print(f"marketdata: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def command() -> int:
    """The ``marketdata`` program: :func:`main`, except that a command loading data runs in a
    process forked from the warm command server when one listens (:mod:`marketdata.cli_client`;
    the same output and exit status, without the imports)."""
    argv = sys.argv[1:]
    skip_slow_optional_imports()
    args = build_parser().parse_args(argv)  # --help and usage errors are answered here
    if args.command in cli_client.SERVED:
        served = cli_client.delegate(argv)
        if served is not None:
            return served
    return main(argv)


if __name__ == "__main__":
    sys.exit(command())

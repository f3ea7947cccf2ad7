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

from marketdata import __version__
from marketdata.config import Settings, get_settings
from marketdata.errors import ConfigError, MarketdataError, MarketdataWarning, ReportError

if TYPE_CHECKING:  # pandas, matplotlib and the notebook tools load only in the commands
    import pandas as pd

WAGE_COLUMNS = [
    "area_name",
    "employment",
    "hourly_median",
    "annual_p10",
    "annual_p25",
    "annual_median",
    "annual_p75",
    "annual_p90",
    "location_quotient",
]


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
        more = f" and {len(files) - 1} mapping files" if len(files) > 1 else ""
        print(
            f"Source: BLS {program} {release}{how}: {first.get('source_url')}{more}, "
            f"retrieved {first.get('retrieved')}"
        )


def cmd_wages(args: argparse.Namespace) -> int:
    """Show an occupation's wages in an area, its state and the nation."""
    from marketdata import oews
    from marketdata.formatting import display_frame

    df = oews.wages_table(args.occupation, area=args.area, release=args.release)
    title = df["occupation_title"].iloc[0] if len(df) else args.occupation
    print(f"{df['occupation_code'].iloc[0]} {title}, {df['release'].iloc[0]}")
    shown = df.loc[:, [c for c in WAGE_COLUMNS if c in df.columns]]
    _print_frame(display_frame(shown))
    notes = df.attrs.get("notes", [])
    for note in notes:
        print(f"Note: {note}")
    _print_provenance(df)
    return 0


def cmd_salary(args: argparse.Namespace) -> int:
    """Pay bands, regional comparison and credential factors of an occupation."""
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
    for column in ("cert_note", "what_it_takes_note"):  # the same for every area
        if isinstance(first.get(column), str) and first[column]:
            print(f"Note: {first[column]}")
    for area, text in zip(df["area_name"], df["bls_notes"], strict=True):
        if text:
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


def cmd_cache(args: argparse.Namespace) -> int:
    """Inspect, verify, fill or clear the cache."""
    from marketdata import cache

    settings = get_settings()
    if args.action == "add" and not args.paths:
        args.parser.error("cache add needs the PATH of at least one file saved from BLS")
    if args.action != "add" and args.paths:
        args.parser.error(f"cache {args.action} takes no paths (only cache add does)")
    if args.action == "info":
        print(f"Cache folder: {settings.cache_dir}")
        for entry in cache.entries(settings=settings):
            hand = " (added by hand)" if entry.added_by_hand else ""
            print(f"{entry.key}\t{entry.size:>12,d} B\t{entry.retrieved}\t{entry.url}{hand}")
    elif args.action == "verify":
        result = cache.verify(settings=settings)
        bad = [k for k, ok in result.items() if not ok]
        print(f"{len(result)} files checked, {len(bad)} damaged and removed")
        for key in bad:
            print(f"damaged: {key}")
        return 1 if bad else 0
    elif args.action == "add":
        from marketdata.sources import identify

        for path in args.paths:
            known = identify(Path(path), settings=settings)
            entry = cache.add_file(
                Path(path), key=known.key, url=known.url, settings=settings, check=known.check
            )
            print(f"added {path} as {known.description} ({entry.key}, sha256 {entry.sha256})")
    elif args.action == "clear":
        return _clear_cache(settings, yes=args.yes)
    return 0


def _clear_cache(settings: Settings, *, yes: bool) -> int:
    """Remove what marketdata wrote in the cache folder, after asking (unless ``yes``)."""
    from marketdata import cache_clear

    todo = cache_clear.plan(settings=settings)
    if not todo.files:
        print(f"Nothing to clear: no marketdata cache files in {todo.folder}")
        return 0
    what = (
        f"{todo.entries} cached entries ({len(todo.files)} files, {todo.size / 1e6:,.1f} MB) "
        f"that marketdata wrote in {todo.folder}"
    )
    if not yes:
        if not sys.stdin.isatty():
            raise ConfigError(
                f"cache clear would remove {what}, and there is no terminal to ask: "
                "add --yes to remove them"
            )
        answer = input(f"Remove {what}? Other files there are kept. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing removed.")
            return 1
    cache_clear.clear(todo)
    print(f"Removed {what}; other files there were kept.")
    return 0


def _report_parameters(tokens: Sequence[str]) -> dict[str, object]:
    """``--name value`` pairs (also ``--name=value``) as notebook parameters; ``-`` in names
    becomes ``_``; a name given twice makes a list."""
    found: dict[str, object] = {}
    items = list(tokens)
    while items:
        token = items.pop(0)
        if not token.startswith("--") or len(token) < 3:
            raise ReportError(f"expected --name value, got {token!r}")
        name, equals, value = token[2:].partition("=")
        if not equals:
            if not items or items[0].startswith("--"):
                raise ReportError(f"--{name} needs a value")
            value = items.pop(0)
        key = name.replace("-", "_")
        if key in found:
            before = found[key]
            found[key] = [*before, value] if isinstance(before, list) else [before, value]
        else:
            found[key] = value
    return found


def _wants_help(tokens: Sequence[str]) -> bool:
    return any(t in ("-h", "--help") for t in tokens)


def _single_values(name: str, params: dict[str, object], *, over: bool = False) -> None:
    """ReportError if a parameter that takes one value was given several times."""
    from marketdata import report_help

    defaults = {p.name: p.default for p in report_help.parameters(name)}
    for key, value in params.items():
        if isinstance(value, list) and key in defaults and not isinstance(defaults[key], list):
            option = "--" + key.replace("_", "-")
            listed = ",".join(str(v) for v in value)
            how = "add it to --over" if over else f"use `marketdata batch {name} --over"
            raise ReportError(
                f"report {name} takes one {key}, and {option} was given {len(value)} times "
                f"({', '.join(map(str, value))}). To run the report for each, "
                + (f"{how} ({key}={listed})" if over else f"{how} {key}={listed}`")
            )


def cmd_report(args: argparse.Namespace) -> int:
    """Run a report notebook, or rerun one from its manifest and compare its tables."""
    from marketdata import reports

    if _wants_help([args.manifest, *args.params]):
        from marketdata import report_help

        print(
            report_help.rerun_help() if args.name == "rerun" else report_help.help_text(args.name)
        )
        return 0
    params = _report_parameters(args.params)
    output_dir = params.pop("output_dir", None)
    kernel = params.pop("kernel", None)
    # in this process unless a kernel is asked for: no kernel to start, the same files
    engine = params.pop("engine", "kernel" if kernel is not None else "inprocess")
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
    _single_values(args.name, params)
    done = reports.run(
        args.name, output_dir=output_dir, engine=engine, kernel_name=kernel, **params
    )
    for section in done.unavailable:
        print(f"Not available: {section['section']}: {section['reason']}")
    print(f"Report written to {done.html}")
    return 0


def _format_warning(
    message: Warning | str, category: type[Warning], *_: object, **__: object
) -> str:
    return f"marketdata: {category.__name__}: {message}\n"


def cmd_batch(args: argparse.Namespace) -> int:
    """Run one report over many parameter sets; exit status 1 if any report failed."""
    if _wants_help(args.params):
        from marketdata import report_help

        print(report_help.help_text(args.name, command="batch"))
        return 0
    from marketdata.reports import batch

    tokens = [t for t in args.params if t != "--no-resume"]
    params = _report_parameters(tokens)
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
    _single_values(args.name, params, over=True)
    result = batch.run(
        args.name,
        over=over,
        params=params,
        output_dir=output_dir,
        scheduler=scheduler,
        workers=int(workers) if workers is not None else None,
        resume=len(tokens) == len(args.params),
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
        "inprocess: no kernel to start), --kernel NAME (with --engine kernel). "
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
        "reports that are up to date). Exit status 1 if any report failed.",
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
    return parser


def _skip_slow_optional_imports() -> None:
    """Leave out ``rfc3987_syntax``, an optional checker of jsonschema (installed with the
    Jupyter stack) that compiles 39 grammars when nbformat imports jsonschema: about 1 s of
    every report command. jsonschema then skips the "iri" string formats, which no notebook
    or report uses. Only in this command's process, never on ``import marketdata``."""
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    _skip_slow_optional_imports()
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


if __name__ == "__main__":
    sys.exit(main())

"""Full OEWS flat-file parse into the cache vs pyarrow's raw CSV read, and the warm lookup.

Rebuilds the real May 2025 ``oe.*`` files from ``shared/data/oews-2025`` (``oe.data.0.Current``
byte-identical to BLS's: 331 MB, 6 million values) in a temporary folder, adds them to a
temporary cache as a user saving them by hand would, then times, alternating, each run in a
fresh process (see :func:`one`):

- baseline: ``pyarrow.csv.read_csv`` of ``oe.data.0.Current`` (tab-separated, defaults);
- ours: :func:`marketdata.datasets.oews.load` with no Parquet cached yet, i.e. reading the cached files,
  parsing them into the tidy frame and writing the Parquet (target: at most 2x the baseline);

then the warm lookup of one occupation (29-2072) across all areas (Parquet read with filters;
target under 100 ms). Medians of several runs, their min-max, and the load average at the start
(the machine is shared). Last, an exhaustive check: the frame parsed from the full file equals,
value for value, the one of the parser before it was split and moved onto pyarrow's reader
(``marketdata/sources/oe.py`` at commit ``OLD_PARSER``, read from git). Skips with a message if
the data is absent.

    python bench/bench_oe_parse.py [--runs N] [--flat-dir DIR] [--no-compare]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd
import pyarrow.csv as pacsv

from marketdata.core.config import Settings
from marketdata.datasets import oews
from marketdata.io import cache
from marketdata.sources import oe

ROOT = Path(__file__).resolve().parents[1]
#: The staged data: ``../shared/data`` beside the checkout.
SHARED = ROOT.parent / "shared" / "data" / "oews-2025"
#: The last commit with the single-module parser (byte parse in parallel parts).
OLD_PARSER = "cdb6bdd"


def timed(fn) -> tuple[float, float, float]:
    """Wall-clock, CPU and user-mode CPU seconds (all threads of this process) of ``fn()``.
    The kernel's share (page faults) swings widely here: the baseline's from 0.2 to 3.5 s
    between identical runs."""
    wall, start = time.perf_counter(), os.times()
    fn()
    end = os.times()
    user = end.user - start.user
    return time.perf_counter() - wall, user + end.system - start.system, user


def one(what: str, cache_dir: Path) -> None:
    """One timed run (``--one baseline|parse``) in this fresh process; prints its wall-clock
    and CPU seconds as JSON. In one process, whichever side runs second reuses the pages the
    first one freed (the baseline read right after a parse took 0.9 s, alone 0.5 s): a fresh
    process per run is what a user's first load of a release is, for both sides alike."""
    from marketdata.sources.oe import frame  # noqa: F401  (imports are not the parse)

    settings = Settings(cache_dir=cache_dir, offline=True)
    data = cache.lookup(f"oe/{oe.DATA_FILE}", settings=settings)
    if what == "baseline":
        options = pacsv.ParseOptions(delimiter="\t")
        print(json.dumps(timed(lambda: pacsv.read_csv(data.path, parse_options=options))))
    else:
        shutil.rmtree(cache_dir / "parquet", ignore_errors=True)
        print(json.dumps(timed(lambda: oews.load(settings=settings))))


def run_one(what: str, cache_dir: Path) -> tuple[float, float, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--one", what, "--cache-dir", str(cache_dir)],
        check=True,
        capture_output=True,
        text=True,
    )
    wall, cpu, user = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, cpu, user


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--flat-dir", type=Path, help="already rebuilt flat files")
    parser.add_argument("--no-compare", action="store_true", help="skip the exhaustive check")
    parser.add_argument("--one", choices=["baseline", "parse"], help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one, args.cache_dir)
        return 0
    load = os.getloadavg()
    builder = SHARED / "make_flat_files.py"
    if args.flat_dir is None and not builder.exists():
        print(f"skipped: {builder} not found (the real OEWS data is not staged here)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        flat = args.flat_dir or Path(tmp) / "flat"
        if args.flat_dir is None:
            print(f"rebuilding the flat files from {SHARED} ...", flush=True)
            subprocess.run([sys.executable, str(builder), str(flat)], check=True)
        settings = Settings(cache_dir=Path(tmp) / "cache", offline=True)
        for name in oe.FILES:
            cache.add_file(
                flat / name,
                key=f"oe/{name}",
                url=oews.file_url(name, settings=settings),
                settings=settings,
                check=oe.check_file(name),
            )
        data = cache.lookup(f"oe/{oe.DATA_FILE}", settings=settings)
        run_one("baseline", settings.cache_dir)  # warm the page cache
        raw, ours = [], []
        for _ in range(args.runs):
            raw.append(run_one("baseline", settings.cache_dir))
            ours.append(run_one("parse", settings.cache_dir))
        warm = [timed(lambda: oews.load("29-2072", settings=settings))[0] for _ in range(11)]
        rows = len(oews.load("29-2072", settings=settings))

    size = data.size / 1e6
    print(
        f"oe.data.0.Current: {size:.0f} MB, {args.runs} runs each, alternating, each in a "
        "fresh process; "
        f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores"
    )
    for what, index in (("wall-clock", 0), ("CPU (all threads)", 1), ("user-mode CPU", 2)):
        base = statistics.median(r[index] for r in raw)
        full = statistics.median(o[index] for o in ours)
        print(
            f"{what}: pyarrow.csv.read_csv (baseline) median {base:.2f} s "
            f"(min-max {_spread(r[index] for r in raw)})"
        )
        print(
            f"{what}: full parse into the cache      median {full:.2f} s "
            f"(min-max {_spread(o[index] for o in ours)})"
        )
        print(f"{what}: ratio {full / base:.2f}x the baseline (target <= 2x)")
    print(
        f"warm lookup of 29-2072 across all areas ({rows} rows): median "
        f"{statistics.median(warm) * 1000:.0f} ms (min {min(warm) * 1000:.0f}; target < 100 ms)"
    )
    if not args.no_compare:
        flat = args.flat_dir
        if flat is None:
            print("exhaustive check skipped: it needs --flat-dir (the rebuilt files are gone)")
        else:
            compare(flat)
    return 0


def old_parser() -> object:
    """The parser as it was at :data:`OLD_PARSER`, loaded as a module from git."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{OLD_PARSER}:marketdata/sources/oe.py"],
        check=True,
        capture_output=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "oe_old.py"
    path.write_bytes(source)
    spec = importlib.util.spec_from_file_location("oe_old", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["oe_old"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def compare(flat: Path) -> None:
    """Every cell of the frame from the full file, new parser against the old one."""
    paths = {name: flat / name for name in oe.FILES}
    new, old = oe.parse(paths), old_parser().parse(paths)
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    measures = new[list(oe.MEASURES)].to_numpy()
    print(
        f"exhaustive check: the {new.shape[0]} x {new.shape[1]} frame equals the old parser's "
        f"exactly ({int((~pd.isna(measures)).sum())} published values, "
        f"{int(pd.isna(measures).sum())} missing)"
    )


def _spread(values: Iterable[float]) -> str:
    values = list(values)
    return f"{min(values):.2f}-{max(values):.2f}"


if __name__ == "__main__":
    sys.exit(main())

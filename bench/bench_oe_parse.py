"""Full OEWS flat-file parse into the cache vs pyarrow's raw CSV read, and the warm lookup.

Rebuilds the real May 2025 ``oe.*`` files from ``shared/data/oews-2025`` (``oe.data.0.Current``
byte-identical to BLS's: 331 MB, 6 million values) in a temporary folder, adds them to a
temporary cache as a user saving them by hand would, then times, alternating, in the same run:

- baseline: ``pyarrow.csv.read_csv`` of ``oe.data.0.Current`` (tab-separated, defaults);
- ours: :func:`marketdata.oews.load` with no Parquet cached yet, i.e. reading the cached files,
  parsing them into the tidy frame and writing the Parquet (target: at most 2x the baseline);

then the warm lookup of one occupation (29-2072) across all areas (Parquet read with filters;
target under 100 ms). Medians of several runs. Skips with a message if the data is absent.

    python bench/bench_oe_parse.py [--runs N] [--flat-dir DIR]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow.csv as pacsv

from marketdata import cache, oews
from marketdata.config import Settings
from marketdata.sources import oe

#: The staged data: ``../shared/data`` beside the checkout.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "oews-2025"


def timed(fn) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) of ``fn()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--flat-dir", type=Path, help="already rebuilt flat files")
    args = parser.parse_args()
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
        parse_opts = pacsv.ParseOptions(delimiter="\t")

        def baseline() -> None:
            pacsv.read_csv(data.path, parse_options=parse_opts)

        def full_parse() -> None:
            shutil.rmtree(settings.cache_dir / "parquet", ignore_errors=True)
            oews.load(settings=settings)

        baseline()  # warm the page cache and pyarrow's thread pool
        raw, ours = [], []
        for _ in range(args.runs):
            raw.append(timed(baseline))
            ours.append(timed(full_parse))
        warm = [
            timed(lambda: oews.load(occupation="29-2072", settings=settings))[0] for _ in range(11)
        ]
        rows = len(oews.load(occupation="29-2072", settings=settings))

    size = data.size / 1e6
    print(f"oe.data.0.Current: {size:.0f} MB, {args.runs} runs each, alternating")
    for what, index in (("wall-clock", 0), ("CPU (all threads)", 1)):
        base = statistics.median(r[index] for r in raw)
        full = statistics.median(o[index] for o in ours)
        print(
            f"{what}: pyarrow.csv.read_csv (baseline) median {base:.2f} s "
            f"(runs {_fmt(r[index] for r in raw)})"
        )
        print(
            f"{what}: full parse into the cache      median {full:.2f} s "
            f"(runs {_fmt(o[index] for o in ours)})"
        )
        print(f"{what}: ratio {full / base:.2f}x the baseline (target <= 2x)")
    print(
        f"warm lookup of 29-2072 across all areas ({rows} rows): median "
        f"{statistics.median(warm) * 1000:.0f} ms (min {min(warm) * 1000:.0f}; target < 100 ms)"
    )
    return 0


def _fmt(values: Iterable[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())

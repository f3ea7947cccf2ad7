"""One report as a whole process: ``marketdata report`` against papermill + nbconvert; and the
CLI's quick answers (help, parameter errors, ``wages``).

Offline on the bundled May 2025 data, with a warm cache (one untimed run of each command
first), so this needs no network and no ``../shared``. For each of the three reports, in the
same run and alternating, ``--runs`` times each:

- ours: ``marketdata report NAME --param value ...`` (a fresh output folder every run), a
  whole process that imports everything itself (there is no resident process to hand it to);
- baseline: ``papermill notebooks/NAME.ipynb out.ipynb -k python3 -r param value ...`` (with
  ``MARKETDATA_REPORT_DIR`` set so the notebook writes the same tables and figures), then
  ``jupyter nbconvert --to html --no-input out.ipynb``.

Then the first report after install: ``marketdata report occupation_outlook`` with an empty
cache (a new cache folder each run). Then the CLI's quick answers (help, usage and parameter
errors, ``wages``), each timed ``--runs`` times as a whole process. Printed:
medians, min-max, the ratio of medians, CPU seconds of the processes (their own and their
children's, e.g. the kernel), and the load average at the start (the machine may be shared).

    python bench/bench_report.py [--runs 5] [--only occupation_outlook] [--no-cli]

The baseline needs nbconvert: ``pip install -e ".[bench]"``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
#: The three reports and the parameters issue 16 times them with.
REPORTS: dict[str, dict[str, str]] = {
    "occupation_outlook": {"occupation": "29-2072", "area": "OH"},
    "regional_salary_report": {"area": "OH", "occupations": "29-0000"},
    "growth_explorer": {"soc_group": "29-0000", "area": "US"},
}
#: CLI commands that must answer at once (<= 0.5 s), and ``wages`` (<= 1 s warm).
CLI: dict[str, list[str]] = {
    "marketdata --help": ["--help"],
    "marketdata wages --help": ["wages", "--help"],
    "marketdata salary --help": ["salary", "--help"],
    "marketdata growth --help": ["growth", "--help"],
    "marketdata report --help": ["report", "--help"],
    "marketdata batch --help": ["batch", "--help"],
    "marketdata cache --help": ["cache", "--help"],
    "marketdata report occupation_outlook --help": ["report", "occupation_outlook", "--help"],
    "marketdata wages (no occupation: usage error)": ["wages"],
    "marketdata report occupation_outlook --occupation 29-9999 (parameter error)": [
        "report",
        "occupation_outlook",
        "--occupation",
        "29-9999",
    ],
    "marketdata report occupation_outlook --area Atlantis (parameter error)": [
        "report",
        "occupation_outlook",
        "--occupation",
        "29-2072",
        "--area",
        "Atlantis",
    ],
    "marketdata wages 29-9999 --area OH (parameter error)": ["wages", "29-9999", "--area", "OH"],
    "marketdata salary 29-9999 OH (parameter error)": ["salary", "29-9999", "OH"],
    "marketdata growth 29-9999 (parameter error)": ["growth", "29-9999"],
    "marketdata wages 29-2072 --area OH": ["wages", "29-2072", "--area", "OH"],
}


def timed(cmd: Sequence[str], env: dict[str, str], *, check: bool = True) -> tuple[float, float]:
    """Wall-clock and CPU seconds (the process and its waited-for children) of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(list(cmd), env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if check and done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def ours(name: str, params: dict[str, str], out: Path) -> list[str]:
    cmd = [str(BIN / "marketdata"), "report", name]
    for key, value in params.items():
        cmd += [f"--{key.replace('_', '-')}", value]
    return [*cmd, "--output-dir", str(out)]


def papermill(name: str, params: dict[str, str], out: Path) -> list[str]:
    cmd = [str(BIN / "papermill"), str(ROOT / "notebooks" / f"{name}.ipynb"), str(out)]
    cmd += ["-k", "python3", "--no-progress-bar"]
    for key, value in params.items():
        cmd += ["-r", key, value]  # raw text: "0100000" is an area code, not a number
    return cmd


def baseline(name: str, params: dict[str, str], folder: Path, env: dict[str, str]) -> tuple:
    folder.mkdir(parents=True)
    notebook = folder / "report.ipynb"
    run_env = dict(env, MARKETDATA_REPORT_DIR=str(folder))
    wall_a, cpu_a = timed(papermill(name, params, notebook), run_env)
    convert = [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(notebook)]
    wall_b, cpu_b = timed(convert, env)
    return wall_a + wall_b, cpu_a + cpu_b


def spread(values: list[float]) -> str:
    median = statistics.median(values)
    return f"median {median:6.2f} s (min-max {min(values):.2f}-{max(values):.2f})"


def bench_reports(names: list[str], runs: int, root: Path, env: dict[str, str]) -> None:
    for name in names:
        params = REPORTS[name]
        # warm: the cache, the page cache and the kernel's imports
        timed(ours(name, params, root / "warm" / name), env)
        baseline(name, params, root / "warm-pm" / name, env)
        alone: list[tuple[float, float]] = []
        slow: list[tuple[float, float]] = []
        for i in range(runs):
            alone.append(timed(ours(name, params, root / "ours" / name / str(i)), env))
            slow.append(baseline(name, params, root / "papermill" / name / str(i), env))
        shown = " ".join(f"--{k.replace('_', '-')} {v}" for k, v in params.items())
        print(f"\n{name} {shown}  ({runs} runs each, alternating)")
        for label, results in (("marketdata report", alone), ("papermill + nbconvert", slow)):
            print(f"  {label:22s} wall {spread([w for w, _ in results])}", end="")
            print(f"  CPU {spread([c for _, c in results])}")
        wall = statistics.median(w for w, _ in slow) / statistics.median(w for w, _ in alone)
        cpu = statistics.median(c for _, c in slow) / statistics.median(c for _, c in alone)
        print(
            f"  ratio papermill+nbconvert / marketdata (medians): wall {wall:.2f}x, CPU {cpu:.2f}x"
        )


def bench_first(runs: int, root: Path, env: dict[str, str]) -> None:
    name = "occupation_outlook"
    results = []
    for i in range(runs):
        fresh = dict(env, MARKETDATA_CACHE_DIR=str(root / "first-cache" / str(i)))
        results.append(timed(ours(name, REPORTS[name], root / "first" / str(i)), fresh))
    print(f"\nfirst report after install, empty cache ({runs} runs, a new cache folder each)")
    print(
        f"  marketdata report {name}  wall {spread([w for w, _ in results])}"
        f"  CPU {spread([c for _, c in results])}"
    )


def bench_cli(runs: int, env: dict[str, str]) -> None:
    print(f"\nCLI commands ({runs} runs each)")
    for label, args in CLI.items():
        cmd = [str(BIN / "marketdata"), *args]
        timed(cmd, env, check=False)  # warm
        results = [timed(cmd, env, check=False) for _ in range(runs)]
        print(
            f"  {label:76s} wall {spread([w for w, _ in results])}"
            f"  CPU {spread([c for _, c in results])}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=sorted(REPORTS), action="append")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI commands")
    parser.add_argument("--no-reports", action="store_true", help="only the CLI commands")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-report-"))
    env = dict(
        os.environ,
        MARKETDATA_OFFLINE="1",
        MARKETDATA_CACHE_DIR=str(root / "cache"),
        PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(":"),
    )
    load = os.getloadavg()
    print(
        f"cores: {os.cpu_count()}, load average at start: "
        f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; outputs in {root}"
    )
    if not args.no_reports:
        bench_reports(args.only or list(REPORTS), args.runs, root, env)
        bench_first(args.runs, root, env)
    if not args.no_cli:
        bench_cli(args.runs, env)
    load = os.getloadavg()
    print(f"\nload average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

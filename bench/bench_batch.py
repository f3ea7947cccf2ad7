"""20 state outlook reports: ``marketdata batch`` against papermill + nbconvert, one by one.

Both sides run as command lines (subprocesses), offline on the bundled May 2025 snapshot
(an empty cache, so this needs no network and no ../shared/data), for the same occupation and
the same states:

- batch: ``marketdata batch occupation_outlook --occupation 29-2072 --over area=<20 states>``
  (worker processes, notebooks run in-process);
- baseline: for each state, ``papermill notebooks/occupation_outlook.ipynb ... -p area <state>``
  (a fresh kernel; ``MARKETDATA_REPORT_DIR`` set so the notebook writes the same tables and
  figures) then ``jupyter nbconvert --to html --no-input``.

Reported: wall time, throughput, the ratio, CPU time of the processes started, and peak
memory: the largest sum over those processes (sampled every 0.1 s) of RSS, and of PSS
(shared pages counted once). The machine's load average is printed: on a shared machine,
other work slows the parallel batch more than the one-at-a-time baseline.
The CSV tables of the two sides are compared byte for byte.

    python bench/bench_batch.py [--reports 20] [--workers N]

The baseline needs nbconvert: ``pip install -e ".[bench]"``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from marketdata import reports
from marketdata.core.config import Settings
from marketdata.reports import batch

OCCUPATION = "29-2072"  # Medical records specialists
BIN = Path(sys.executable).parent


class Usage:
    """Samples this process's descendants in a thread: peak memory (sum over processes, and
    the largest single process: a batch worker's own peak) and CPU time (each process's last
    sample, summed; a process's last < 0.1 s is missed)."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.rss = 0
        self.pss = 0
        self.peaks: dict[int, int] = {}  # pid -> its peak RSS
        self.parents: dict[int, int] = {}  # pid -> parent pid
        self.names: dict[int, str] = {}  # pid -> command line
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @property
    def cpu(self) -> float:
        return sum(self._cpu.values())

    @property
    def one(self) -> int:
        """Peak RSS of the largest process."""
        return max(self.peaks.values(), default=0)

    @property
    def worker(self) -> int:
        """Peak RSS of the largest batch worker (a process forked by the fork server)."""
        servers = {pid for pid, name in self.names.items() if "forkserver" in name}
        workers = [p for pid, p in self.peaks.items() if self.parents.get(pid) in servers]
        return max(workers, default=0)

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            rss = pss = 0
            for child in me.children(recursive=True):
                try:
                    info = child.memory_full_info()
                    times = child.cpu_times()
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), info.rss)
                if child.pid not in self.names:
                    try:
                        self.parents[child.pid] = child.ppid()
                        self.names[child.pid] = " ".join(child.cmdline())
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        pass
                self._cpu[child.pid] = times.user + times.system
            self.rss, self.pss = max(self.rss, rss), max(self.pss, pss)
            self._stop.wait(self.interval)

    def __enter__(self) -> Usage:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run(cmd: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")


def tables(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / "tables").glob("*.csv"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    env = dict(os.environ, MARKETDATA_OFFLINE="1", MARKETDATA_CACHE_DIR=str(root / "cache"))
    settings = Settings(cache_dir=root / "cache", offline=True)
    states = batch.area_list("all-states", settings=settings)[: args.reports]
    notebook = reports.notebook_path("occupation_outlook")
    print(f"{len(states)} occupation_outlook reports ({OCCUPATION}), states {states[0]}..")
    load = os.getloadavg()
    shown = " ".join(f"{x:.2f}" for x in load)
    print(f"cores: {os.cpu_count()}, load average at start: {shown}")

    command = [
        str(BIN / "marketdata"),
        "batch",
        "occupation_outlook",
        "--occupation",
        OCCUPATION,
        "--over",
        "area=" + ",".join(states),
        "--output-dir",
        str(root / "batch"),
        "--no-resume",
    ]
    if args.workers:
        command += ["--workers", str(args.workers)]
    with Usage() as fast:
        start = time.perf_counter()
        run(command, env)
        fast_seconds = time.perf_counter() - start

    with Usage() as slow:
        start = time.perf_counter()
        for state in states:
            folder = root / "papermill" / state
            folder.mkdir(parents=True)
            run(
                [
                    str(BIN / "papermill"),
                    str(notebook),
                    str(folder / "report.ipynb"),
                    "-k",
                    "python3",
                    "-p",
                    "occupation",
                    OCCUPATION,
                    "-r",  # raw text: "0100000" is an area code, not a number
                    "area",
                    state,
                    "--no-progress-bar",
                ],
                dict(env, MARKETDATA_REPORT_DIR=str(folder)),
            )
            run(
                [
                    str(BIN / "jupyter"),
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    str(folder / "report.ipynb"),
                ],
                env,
            )
        slow_seconds = time.perf_counter() - start
    print(f"load average at end: {os.getloadavg()}")

    made = list((root / "batch" / "occupation_outlook").glob("*/manifest.json"))
    same = 0
    for state in states:
        plan_ = reports.plan(
            "occupation_outlook",
            output_dir=root / "batch",
            settings=settings,
            occupation=OCCUPATION,
            area=state,
        )
        mine, theirs = tables(plan_.target), tables(root / "papermill" / state)
        same += bool(mine) and mine == theirs
    n = len(states)
    mib = 1024 * 1024
    print(
        f"batch     {fast_seconds:7.1f} s  {n / fast_seconds * 60:6.1f} reports/min  "
        f"CPU {fast.cpu:6.1f} s  peak RSS {fast.rss / mib:5.0f} MiB (PSS {fast.pss / mib:.0f} MiB)"
        f"  largest process {fast.one / mib:.0f} MiB, largest worker {fast.worker / mib:.0f} MiB"
        " (target <= 300)"
    )
    print(
        f"papermill {slow_seconds:7.1f} s  {n / slow_seconds * 60:6.1f} reports/min  "
        f"CPU {slow.cpu:6.1f} s  peak RSS {slow.rss / mib:5.0f} MiB (PSS {slow.pss / mib:.0f} MiB)"
        f"  largest process {slow.one / mib:.0f} MiB"
    )
    print(f"throughput ratio: {slow_seconds / fast_seconds:.1f}x (target >= 10x)")
    print(f"reports with identical CSV tables: {same}/{n} ({len(made)} batch folders)")
    print(f"outputs in {root}")
    return 0 if same == n == len(made) else 1


if __name__ == "__main__":
    sys.exit(main())

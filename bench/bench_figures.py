"""Figure drawing time of one outlook report: this tree against a baseline commit.

Every figure ``notebooks/occupation_outlook.ipynb`` draws (29-2072 in Ohio, offline on the
bundled May 2025 snapshot, private empty cache) is built from the frames the notebook builds
and shown with ``kit.show_figure`` (draw + PNG + the display bundle a kernel would send; the
PNG goes to a temporary report folder). Timed per figure, after one warm-up pass, in a warm
process: what a batch worker or the in-process engine pays per report.

The baseline is ``git archive <commit> marketdata`` in a temporary folder; each side runs in
its own child process, alternating, ``--rounds`` children each, ``--runs`` timed passes per
child. Printed: per figure and in total per report, the median and min-max over all passes,
and the ratio of the medians.

    python bench/bench_figures.py [--base c421ba7] [--rounds 3] [--runs 5]

The default baseline, c421ba7, is ``main`` before the charts work was merged: the same
notebook and figures, drawn with constrained layout at 110 dpi.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OCCUPATION, AREA = "29-2072", "OH"


def figure_makers() -> list[tuple[str, object]]:
    """(name, function returning a Figure) for each figure of the outlook, on its frames."""
    from marketdata import plots
    from marketdata.analysis import salary
    from marketdata.core.errors import MarketdataError
    from marketdata.datasets import oews
    from marketdata.reports import tables as rt

    occ = rt.occupation(OCCUPATION)
    where = rt.area(AREA)
    wages = oews.load(occ.code, release="latest")
    compared = rt.rows_for(wages, rt.comparison_codes(where, rt.areas([])))
    states = rt.of_type(wages, "state")
    metros = rt.of_type(wages, "metro")
    makers: list[tuple[str, object]] = [
        ("wage_distribution", lambda: plots.wage_distribution(compared)),
        ("area_comparison", lambda: plots.area_comparison(compared)),
        ("map_median_pay", lambda: plots.tile_map(states, measure="annual_median")),
        (
            "map_location_quotient",
            lambda: plots.tile_map(states, measure="location_quotient", cmap="cividis"),
        ),
        ("metros_best_paying", lambda: plots.top_metros(metros, measure="annual_median")),
        ("metros_largest", lambda: plots.top_metros(metros, measure="employment")),
    ]
    try:  # the outlook's third map, where the tree has it (BEA price parities)
        adjusted = rt.of_type(rt.local_prices(wages), "state")
        makers.append(
            (
                "map_pay_local_prices",
                lambda: plots.tile_map(
                    adjusted,
                    measure="annual_median_rpp_adjusted",
                    title="Median annual pay in national prices by state (BEA-derived)",
                ),
            )
        )
    except (AttributeError, MarketdataError):
        pass
    try:
        by_industry = oews.load(occ.code, "US", release="latest", industry=oews.ALL_INDUSTRIES)
        top = rt.industry_rows(by_industry).head(10)
        makers.append(("industries", lambda: plots.industries(top)))
    except MarketdataError:
        pass  # not in the bundled snapshot: the report says "Not available" too
    try:
        growth = rt.outlook_rows(occ.code, where)[0]  # (rows, notes[, errors]) by version
        average = growth["average_percent_change"].iloc[-1]
        makers.append(
            (
                "growth_openings",
                lambda: plots.growth_openings(growth, label="area_name", average=average),
            )
        )
    except MarketdataError:
        pass
    bands = salary.breakdown(occ.code, list(compared["area_code"]), data=wages, what_it_takes=False)
    makers.append(("pay_bands", lambda: plots.pay_bands(bands)))
    return makers


def child(runs: int) -> None:
    """Time each figure ``runs`` times (after a warm-up pass); print JSON to stdout."""
    from IPython.core.formatters import DisplayFormatter

    from marketdata.reports import kit

    formatter = DisplayFormatter()
    kit._display = formatter.format  # what a kernel does with display(obj)
    makers = figure_makers()
    wall: dict[str, list[float]] = {name: [] for name, _ in makers}
    cpu: dict[str, list[float]] = {name: [] for name, _ in makers}
    with tempfile.TemporaryDirectory() as out, kit.writing_to(out):
        for run in range(runs + 1):
            for name, make in makers:
                start, start_cpu = time.perf_counter(), time.process_time()
                kit.show_figure(make(), name)
                if run:
                    wall[name].append(time.perf_counter() - start)
                    cpu[name].append(time.process_time() - start_cpu)
        sizes = {p.stem: p.stat().st_size for p in Path(out, "figures").glob("*.png")}
    json.dump({"wall": wall, "cpu": cpu, "sizes": sizes}, sys.stdout)


def run_child(tree: Path, runs: int, cache: str) -> dict:
    env = {
        **os.environ,
        "PYTHONPATH": str(tree),
        "MARKETDATA_OFFLINE": "1",
        "MARKETDATA_CACHE_DIR": cache,
        "MPLBACKEND": "Agg",
    }
    done = subprocess.run(
        [sys.executable, __file__, "--child", "--runs", str(runs)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):7.3f} ({min(values):.3f}-{max(values):.3f})"


def report(clock: str, results: dict[str, list[dict]]) -> None:
    """Per figure and per report: median (min-max) of each side, ratio of the medians."""
    pooled = {
        side: {
            name: [t for res in runs for t in res[clock].get(name, [])] for name in runs[0][clock]
        }
        for side, runs in results.items()
    }
    print(f"\n{clock} seconds, median (min-max)")
    print(f"{'figure':24} {'baseline':>22} {'this tree':>22} {'ratio':>6}")
    for name, old in pooled["baseline"].items():
        new = pooled["this tree"].get(name, [])
        ratio = statistics.median(new) / statistics.median(old) if new else float("nan")
        print(f"{name:24} {spread(old):>22} {spread(new) if new else '-':>22} {ratio:6.2f}")
    totals = {
        side: [sum(per) for per in zip(*pooled[side].values(), strict=True)] for side in pooled
    }
    ratio = statistics.median(totals["this tree"]) / statistics.median(totals["baseline"])
    print(
        f"{'total per report':24} {spread(totals['baseline']):>22} "
        f"{spread(totals['this tree']):>22} {ratio:6.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="c421ba7", help="baseline commit (default c421ba7)")
    parser.add_argument("--rounds", type=int, default=3, help="children per side")
    parser.add_argument("--runs", type=int, default=5, help="timed passes per child")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.runs)
        return
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp, "base")
        base.mkdir()
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.base, "marketdata"],
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        sides = {"baseline": base, "this tree": ROOT}
        results: dict[str, list[dict]] = {side: [] for side in sides}
        for r in range(args.rounds):
            order = list(sides) if r % 2 == 0 else list(reversed(sides))
            for side in order:
                cache = tempfile.mkdtemp(dir=tmp)
                results[side].append(run_child(sides[side], args.runs, cache))
    print(f"baseline {args.base}; {args.rounds} children x {args.runs} passes per side")
    for clock in ("cpu", "wall"):
        report(clock, results)
    for side in sides:
        sizes = results[side][0]["sizes"]
        print(f"PNG bytes, {side}: {sum(sizes.values()):,} in {len(sizes)} figures")


if __name__ == "__main__":
    main()

"""Several processes loading, refreshing and writing into one cache at once."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import random
import threading
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings
from marketdata.io import cache
from marketdata.io.atomic import place
from tests.bls_server import BLSServer
from tests.conftest import DATA

FILES = {
    "oe/oe.footnote": (DATA / "http" / "oe.footnote").read_bytes(),
    "oe/oe.datatype": (DATA / "http" / "oe.datatype").read_bytes(),
}
PROCESSES = 8
OPERATIONS = 20


def _worker(settings: Settings, seed: int, queue: multiprocessing.Queue) -> None:
    rng = random.Random(seed)
    done = 0
    for i in range(OPERATIONS):
        key = rng.choice(sorted(FILES))
        url = f"{settings.bls_download_url}/pub/time.series/{key}"
        action = rng.choice(["fetch", "refresh", "parquet", "verify"])
        if action in ("fetch", "refresh"):
            entry = cache.fetch(url, key=key, settings=settings, refresh=action == "refresh")
            assert entry.path.read_bytes() == FILES[key]
        elif action == "parquet":
            entry = cache.fetch(url, key=key, settings=settings)
            lines = entry.path.read_text().splitlines()
            df = pd.DataFrame({"line": lines, "writer": seed, "op": i})
            cache.write_parquet(df, f"test/{Path(key).name}", inputs=[entry], settings=settings)
            back = cache.read_parquet(f"test/{Path(key).name}", inputs=[entry], settings=settings)
            assert back is not None
            assert back["line"].tolist() == lines
        else:
            assert all(cache.verify(settings=settings).values())
        done += 1
    queue.put(done)


def test_eight_processes_share_one_cache(bls_server: BLSServer, online_settings: Settings):
    for key, body in FILES.items():
        bls_server.add(f"/pub/time.series/{key}", body)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(online_settings, seed, queue))
        for seed in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    assert sum(queue.get(timeout=5) for _ in procs) == PROCESSES * OPERATIONS
    # each file was downloaded once in full; later requests were conditional (304) or none
    full = [r for r in bls_server.requests if "if-none-match" not in r.headers]
    assert len(full) == len(FILES)
    for key, body in FILES.items():
        entry = cache.lookup(key, settings=online_settings)
        assert entry is not None
        assert entry.sha256 == hashlib.sha256(body).hexdigest()
    leftovers = list(online_settings.cache_dir.rglob("*.part"))
    assert leftovers == []


# Loads of the real OEWS slice: flat files, Parquet, refreshes and verification at once -------

OE_SLICE = DATA / "oe"
ARCHIVE_2021 = DATA / "oews_archive" / "oesm21nat.zip"
SELECTIONS = [
    {"occupation": "29-2072", "area": "US"},
    {"occupation": "29-2072", "area": ["US", "OH", "Columbus, OH"]},
    {"area": "OH"},
    {"industry": "all", "area": "national"},
    {},
]


def _key(frame: pd.DataFrame) -> list[tuple]:
    columns = ["area_code", "industry_code", "occupation_code", "employment", "annual_median"]
    return [tuple(str(v) for v in row) for row in frame[columns].itertuples(index=False)]


def _oews_worker(settings: Settings, seed: int, expected: list, queue: multiprocessing.Queue):
    from marketdata.datasets import oews, oews_history

    rng = random.Random(seed)
    done = []
    for _ in range(OPERATIONS):
        action = rng.choice(["load", "load", "refresh", "verify", "archive"])
        if action in ("load", "refresh"):
            i = rng.randrange(len(SELECTIONS))
            frame = oews.load(**SELECTIONS[i], refresh=action == "refresh", settings=settings)
            assert _key(frame) == expected[i], (seed, SELECTIONS[i])
            assert not any(p["bundled"] for p in frame.attrs["provenance"])
        elif action == "archive":
            frame = oews_history.load_release("May 2021", settings=settings)
            assert len(frame) == expected[-1]
        else:
            assert all(cache.verify(settings=settings).values())
        done.append(action)
    queue.put(done)


def test_eight_processes_load_oews_from_one_cache(
    bls_server: BLSServer, online_settings: Settings, tmp_path: Path
):
    from marketdata.datasets import oews, oews_history
    from marketdata.sources import oe

    for name in oe.FILES:
        bls_server.add(oews.OE_PATH + name, OE_SLICE / name)
    bls_server.add("/oes/special-requests/oesm21nat.zip", ARCHIVE_2021)
    # what a clean, single-process load returns (itself checked against BLS in test_oews)
    clean = online_settings.replace(cache_dir=tmp_path / "clean")
    expected = [_key(oews.load(**s, settings=clean)) for s in SELECTIONS]
    assert float(expected[0][0][3]) == 194720  # 29-2072, U.S. employment, May 2025
    expected.append(len(oews_history.load_release("May 2021", settings=clean)))
    bls_server.clear_log()

    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_oews_worker, args=(online_settings, seed, expected, queue))
        for seed in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    actions = [a for _ in procs for a in queue.get(timeout=5)]
    assert len(actions) == PROCESSES * OPERATIONS
    assert {"load", "refresh", "verify", "archive"} <= set(actions)
    # every file came in full once; the refreshes were conditional requests
    full = [r.path for r in bls_server.requests if "if-none-match" not in r.headers]
    assert sorted(full) == sorted(
        [oews.OE_PATH + n for n in oe.FILES] + ["/oes/special-requests/oesm21nat.zip"]
    )
    verified = cache.verify(settings=online_settings)  # raw files and parsed frames
    assert all(verified.values()), verified
    assert len([k for k in verified if not k.startswith("parquet/")]) == len(oe.FILES) + 1
    assert sorted(k for k in verified if k.startswith("parquet/")) == [
        "parquet/oews-archive/oesm21nat",
        "parquet/oews/2025A01",
    ]
    parquet = sorted((online_settings.cache_dir / "parquet").rglob("*.parquet"))
    assert [p.name for p in parquet] == ["2025A01.parquet", "oesm21nat.parquet"]
    assert oews.load(settings=online_settings.replace(offline=True)).equals(
        oews.load(settings=clean)
    )
    assert list(online_settings.cache_dir.rglob("*.part")) == []


# Reports written into one outputs/ at once -----------------------------------------------

#: Each process writes the same Ohio report and one report of its own.
OWN_AREAS = ["US", "CA", "AL", "18140"]


def _report_worker(settings: Settings, outputs: Path, area: str, queue: multiprocessing.Queue):
    from marketdata import reports

    made = []
    for where in ("OH", area):
        result = reports.run(
            "regional_salary_report",
            output_dir=outputs,
            settings=settings,
            area=where,
            occupations="29-2072",
        )
        made.append((where, result.directory.name))
    queue.put(made)


def test_processes_write_reports_into_one_outputs_folder(
    bls_server: BLSServer, online_settings: Settings, tmp_path: Path
):
    """4 processes x 2 report runs (the smallest notebook, in a kernel each): the same Ohio
    report by all four, and one of its own each. No run fails, no report is lost or torn."""
    from marketdata.datasets import oews
    from marketdata.sources import oe

    for name in oe.FILES:
        bls_server.add(oews.OE_PATH + name, OE_SLICE / name)
    outputs = tmp_path / "outputs"
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_report_worker, args=(online_settings, outputs, area, queue))
        for area in OWN_AREAS
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0] * len(procs)
    made = [m for _ in procs for m in queue.get(timeout=5)]
    assert len(made) == 2 * len(procs)
    folders = {name for _, name in made}
    assert len(folders) == len(OWN_AREAS) + 1  # one shared Ohio folder, four of their own
    root = outputs / "regional_salary_report"
    assert sorted(p.name for p in root.iterdir()) == sorted(folders)  # no partial/old folders
    for name in folders:
        folder = root / name
        manifest = json.loads((folder / "manifest.json").read_text())
        on_disk = {
            p.relative_to(folder).as_posix()
            for p in folder.rglob("*")
            if p.is_file() and p.name != "manifest.json"
        }
        assert set(manifest["files"]) == on_disk
        for rel, sha in manifest["files"].items():
            assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == sha, rel
        assert (folder / "report.html").read_text().rstrip().endswith("</html>")
        assert manifest["parameters"]["occupations"] in ("29-2072", ["29-2072"])


def _quick_executor(notebook, output, parameters, *, report_dir, settings, barrier=None):
    """A stand-in for the kernel (the runner's Executor protocol): writes what a report
    notebook writes at once, then waits for the other processes, so that their reports are
    moved into place at the same moment."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(f"report for {parameters['area']}"))
    nb.metadata["papermill"] = {"parameters": parameters, "version": None, "duration": 0}
    (report_dir / "tables").mkdir(exist_ok=True)
    (report_dir / "tables" / "pay_bands.csv").write_text("area\n" + parameters["area"] + "\n")
    nbformat.write(nb, output)
    if barrier is not None:
        barrier.wait(20)
    return nb


def _placing_worker(settings: Settings, outputs: Path, barrier, queue: multiprocessing.Queue):
    from functools import partial

    from marketdata import reports

    plan = reports.plan("regional_salary_report", output_dir=outputs, settings=settings, area="OH")
    finished = 0
    for _ in range(10):
        result = reports.build(plan, executor=partial(_quick_executor, barrier=barrier))
        assert result.html.is_file()
        finished += 1
    queue.put(finished)


def test_reports_finishing_at_the_same_moment_replace_each_other_whole(
    offline_settings: Settings, tmp_path: Path
):
    """4 processes x 10 builds of the same report, released together: every build succeeds
    and the folder left is one whole report (the last one moved into place)."""
    outputs = tmp_path / "outputs"
    ctx = multiprocessing.get_context("spawn")
    queue, barrier = ctx.Queue(), ctx.Barrier(4)
    procs = [
        ctx.Process(target=_placing_worker, args=(offline_settings, outputs, barrier, queue))
        for _ in range(4)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(180)
    assert [p.exitcode for p in procs] == [0] * 4
    assert sum(queue.get(timeout=5) for _ in procs) == 40
    [folder] = (outputs / "regional_salary_report").iterdir()  # no partial or old copies
    manifest = json.loads((folder / "manifest.json").read_text())
    for rel, sha in manifest["files"].items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == sha


def test_a_replaced_report_folder_never_goes_missing(tmp_path: Path) -> None:
    """``place`` swaps the new folder in: a reader looking at the report all the while always
    finds one, whole (old or new), never none."""
    target = tmp_path / "report"
    target.mkdir()
    (target / "report.html").write_text("0")
    seen: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append((target / "report.html").read_text())
            except FileNotFoundError:
                seen.append("missing")

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(1, 400):
            new = tmp_path / f".new-{i}"
            new.mkdir()
            (new / "report.html").write_text(str(i))
            place(new, target)
    finally:
        stop.set()
        reader.join()
    assert (target / "report.html").read_text() == "399"
    assert "missing" not in seen
    assert len(set(seen)) > 10  # the reader did see the folder change
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no old folder left

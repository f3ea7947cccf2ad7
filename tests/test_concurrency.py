"""Several processes loading, refreshing and writing into one cache at once."""

from __future__ import annotations

import hashlib
import multiprocessing
import random
from pathlib import Path

import pandas as pd

from marketdata import cache
from marketdata.config import Settings
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
    leftovers = [p for p in online_settings.cache_dir.rglob("*.part")]
    assert leftovers == []

"""BLS API client on a large request, against the local test server (no network needed).

500 monthly series over 2006-2025 with a key: 10 queries of 50 series x 20 years, 120,000
observations. Times the first call (queries, cache writes, merge) and the cached rerun.

    python bench/bench_api.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from marketdata.core.config import Settings
from marketdata.datasets import api
from marketdata.sources import api_answer
from tests.bls_server import Answer, BLSServer, Request


def answer(request: Request) -> Answer:
    """Every month of every year asked, in BLS's shape (newest first)."""
    payload = json.loads(request.body)
    start, end = int(payload["startyear"]), int(payload["endyear"])
    series = [
        {
            "seriesID": sid,
            "data": [
                {
                    "year": str(y),
                    "period": f"M{m:02d}",
                    "periodName": "",
                    "value": f"{y}.{m}",
                    "footnotes": [{}],
                }
                for y in range(end, start - 1, -1)
                for m in range(12, 0, -1)
            ],
        }
        for sid in payload["seriesid"]
    ]
    body = {"status": api_answer.SUCCEEDED, "message": [], "Results": {"series": series}}
    return Answer(200, {"Content-Type": "application/json"}, json.dumps(body).encode())


def main() -> None:
    server = BLSServer().start()
    server.add_handler(api.ENDPOINT, answer)
    ids = [f"CEU{i:07d}00000001" for i in range(500)]
    try:
        with tempfile.TemporaryDirectory() as folder:
            settings = Settings(
                cache_dir=Path(folder), api_key="k" * 32, bls_api_url=server.url, backoff=0.01
            )
            start = time.perf_counter()
            df = api.series(ids, start=2006, end=2025, settings=settings)
            first = time.perf_counter() - start
            start = time.perf_counter()
            api.series(ids, start=2006, end=2025, settings=settings)
            cached = time.perf_counter() - start
    finally:
        server.stop()
    queries = server.count(api.ENDPOINT, "POST")
    print(f"{len(df):,} rows, {queries} queries: first {first:.2f} s, cached {cached:.2f} s")


if __name__ == "__main__":
    main()

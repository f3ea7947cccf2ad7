"""Employment Projections on BLS's full files in ``../shared/data`` beside the checkout
(skips if absent).

Adds each real workbook and data-tool CSV to a temporary cache (as a user saving them by hand
would), times the first parse and the Parquet reload, and checks that the workbook and the CSV
of the same round publish the same figures for every detailed occupation.

    python bench/bench_projections.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from marketdata.core.config import Settings
from marketdata.datasets import projections, projections_csv
from marketdata.io import cache
from marketdata.sources import ep

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ep"
COMPARED = [
    "employment_base",
    "employment_projected",
    "change",
    "percent_change",
    "openings_annual",
    "median_wage",
    "typical_education",
    "work_experience",
    "training",
]


def main() -> int:
    if not SHARED.exists():
        print(f"skipped: {SHARED} not found")
        return 0
    settings = Settings(cache_dir=Path(tempfile.mkdtemp()) / "cache", offline=True)
    for path in sorted(SHARED.glob("occupation_*.xlsx")):
        known = ep.identify(path, settings=settings)
        cache.add_file(path, key=known.key, url=known.url, settings=settings, check=known.check)
    for path in sorted(SHARED.glob("employment_projections_*.csv")):
        projections_csv.load_csv(path, settings=settings)
    print("releases:", ", ".join(projections.releases_cached(settings=settings)))
    for release in ("2021-31", "2024-34"):
        for table in ("projections", "separations"):
            start = time.perf_counter()
            first = projections.load(
                release=release, table=table, occupation_type="all", settings=settings
            )
            parsed = time.perf_counter() - start
            start = time.perf_counter()
            projections.load(release=release, table=table, occupation_type="all", settings=settings)
            reloaded = time.perf_counter() - start
            print(
                f"{release} {table:<11} {len(first):>5} rows  "
                f"parse {parsed:.3f} s  Parquet {reloaded:.3f} s"
            )
    for release, csv_name in (("2021-31", "2021-2031"), ("2024-34", "2024-2034_resaved")):
        book = projections.load(release=release, settings=settings).set_index("occupation_code")
        tool = ep.parse_csv(SHARED / f"employment_projections_{csv_name}.csv").set_index(
            "occupation_code"
        )
        assert set(book.index) == set(tool.index), release
        pd.testing.assert_frame_equal(book.loc[tool.index, COMPARED], tool[COMPARED])
        print(
            f"{release}: workbook and CSV agree on {len(tool)} occupations "
            f"x {len(COMPARED)} columns"
        )
    mrs = (
        projections.load(release="2024-34", settings=settings)
        .set_index("occupation_code")
        .loc["29-2072"]
    )
    assert (mrs["employment_base"], mrs["employment_projected"], mrs["percent_change"]) == (
        194800,
        208600,
        7.1,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

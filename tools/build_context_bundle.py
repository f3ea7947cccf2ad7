"""Bundle BEA's regional price parities and BLS's ORS credential rows, with the live parsers.

usage::

    python -m tools.build_context_bundle DATA_DIR [--out DIR]

``DATA_DIR`` is the staged data folder (``../shared/data``): ``bea_rpp/SARPP_STATE_*.csv``,
``bea_rpp/*/MARPP_MSA_*.csv`` and ``ors/ors-complete-dataset-*.xlsx``. Of each BEA table the
file with the latest "Last updated" date is bundled (all-items rows, every year); of ORS the
workbook with the latest reference year (credential rows, :func:`marketdata.sources.ors_workbooks.
credentials`). ``context_manifest.json`` records the files, their SHA-256, BEA's/BLS's release
and where the copies came from (see ``bea_rpp_ors_PROVENANCE.md`` beside the data).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from marketdata.bundled import context_bundle as context
from marketdata.sources import bea_rpp
from marketdata.sources import ors_workbooks as ors

_WRITE = {"compression": "zstd", "compression_level": 19}
ORS_URL = "https://www.bls.gov/web/ors/ors-complete-dataset.xlsx"
#: Where the staged copies came from (from the staging notes; nothing was downloaded).
ORIGINS = {
    "SARPP_STATE_2008_2024.csv": "woop91/509dds-data, data/external/bea-rpp/"
    "SARPP_STATE_2008_2024.source.csv @ 16c9f4c4df1b916c751efaca6f2c5ccd107c2418 (git-exact; "
    "BEA's SARPP.zip member as that repo saved it, UTF-8, CRLF)",
    "MARPP_MSA_2008_2023.csv": "ajohnstone34/Desirable-US-Living-States, RPP/"
    "MARPP_MSA_2008_2023.csv @ 5af256b7a6408e71c22581a9b666163e0220a9bd (git-exact; member "
    "of BEA's RPP.zip)",
    "ors-complete-dataset-2020-preliminary.xlsx": "liaochris/occupation-productivity-2, "
    "Data/Occupational_Requirements/ors-complete-dataset.xlsx @ "
    "a37fc1acb733e0e5358f07c7e0ff17749408be04 (git-exact)",
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _retrieved(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()


def _write(frame: pd.DataFrame, path: Path) -> None:
    plain = frame.copy()
    plain.attrs = {}
    tmp = path.with_name(path.name + ".part")
    pq.write_table(pa.Table.from_pandas(plain, preserve_index=False), tmp, **_WRITE)
    pd.testing.assert_frame_equal(pq.read_table(tmp).to_pandas(), plain)
    tmp.replace(path)


def _latest_bea(data: Path, table: str) -> tuple[Path, pd.DataFrame]:
    pattern = "SARPP_STATE_*.csv" if table == "SARPP" else "MARPP_MSA_*.csv"
    parsed = {
        p: bea_rpp.parse(p, source=p.name) for p in sorted(data.glob(f"bea_rpp/**/{pattern}"))
    }
    if not parsed:
        raise SystemExit(f"no {pattern} under {data / 'bea_rpp'}")
    path = max(parsed, key=lambda p: datetime.strptime(parsed[p].attrs["updated"], "%B %d, %Y"))
    return path, bea_rpp.all_items(parsed[path])


def _source(path: Path, url: str, release: str) -> dict[str, object]:
    return {
        "file": path.name,
        "url": url,
        "release": release,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "retrieved": _retrieved(path),
        "origin": ORIGINS.get(path.name, "staged copy"),
    }


def build(data: Path, out: Path) -> dict[str, object]:
    """Write the bundled files into ``out`` and return the manifest."""
    built = datetime.now(UTC).date().isoformat()
    frames, sources = [], []
    for table in bea_rpp.TABLES:
        path, frame = _latest_bea(data, table)
        frames.append(frame)
        url = f"https://apps.bea.gov/regional/zip/{table}.zip"
        sources.append(_source(path, url, frame["release"].iloc[0]))
    rpp = pd.concat(frames, ignore_index=True)
    _write(rpp, out / context.FILES["bea_rpp"].name)
    workbooks = {
        p: ors.parse_workbook(p, source=p.name)
        for p in sorted(data.glob("ors/ors-complete-dataset*.xlsx"))
    }
    if not workbooks:
        raise SystemExit(f"no ors-complete-dataset*.xlsx under {data / 'ors'}")
    path = max(workbooks, key=lambda p: workbooks[p].attrs["year"])
    parsed = workbooks[path]
    credentials = ors.credentials(parsed)
    _write(credentials, out / context.FILES["ors"].name)
    manifest = {
        "bea_rpp": {
            "program": "BEA",
            "file": context.FILES["bea_rpp"].name,
            "rows": len(rpp),
            "built": built,
            "how_built": "marketdata.sources.bea_rpp.parse + all_items (the live path's "
            "parser) on each table's latest staged CSV; all-items rows, every year.",
            "sources": sources,
        },
        "ors": {
            "program": "ORS",
            "file": context.FILES["ors"].name,
            "rows": len(credentials),
            "built": built,
            "released": parsed.attrs["released"],
            "how_built": "marketdata.sources.ors_workbooks.parse_workbook + credentials (the live "
            "path's parser) on the latest staged workbook; every credential row.",
            "sources": [_source(path, ORS_URL, parsed.attrs["release"].removeprefix("ORS "))],
        },
    }
    (out / context.MANIFEST.name).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the staged data folder (../shared/data)")
    parser.add_argument("--out", type=Path, default=context.HERE)
    args = parser.parse_args(argv)
    manifest = build(args.data, args.out)
    for name, entry in manifest.items():
        sys.stdout.write(
            f"{name}: {entry['rows']} rows from {[s['file'] for s in entry['sources']]}\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

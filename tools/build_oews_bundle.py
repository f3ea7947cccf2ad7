"""Build the bundled snapshot from BLS's OEWS flat files, with the live path's parser.

usage::

    python -m tools.build_oews_bundle FLATDIR [--sources MANIFEST] [--retrieved DATE] [--out DIR]

``FLATDIR`` holds ``oe.data.0.Current`` and the mapping files as served by
``https://download.bls.gov/pub/time.series/oe/`` (or rebuilt from the staged May 2025 release
with ``make_flat_files.py FLATDIR``). ``--sources`` is a JSON file whose ``sources`` maps each
file name to BLS's ``url``, ``bytes``, ``sha256`` (and ``etag``, ``last_modified``) and whose
``retrieved`` is the retrieval date; the manifest records them, and for every file whether
the bytes used are identical to BLS's (same SHA-256).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from marketdata import bundled as snapshot
from marketdata.bundled import AREAS, DATA, HERE, INDUSTRIES, MANIFEST, OCCUPATIONS
from marketdata.core.series_id import CROSS_INDUSTRY
from marketdata.sources import oe

logger = logging.getLogger(__name__)

OE_URL = "https://download.bls.gov/pub/time.series/oe/"
_WRITE = {"compression": "zstd", "compression_level": 19}
ROW_GROUP_SIZE = 16384


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(table: pa.Table, path: Path) -> dict[str, Any]:
    """Write the encoded frame as Parquet; its manifest entry."""
    tmp = path.with_name(path.name + ".part")
    integers = [f.name for f in table.schema if pa.types.is_integer(f.type)]
    pq.write_table(
        table,
        tmp,
        row_group_size=ROW_GROUP_SIZE,
        use_dictionary=[n for n in table.column_names if n not in integers],
        column_encoding=dict.fromkeys(integers, "DELTA_BINARY_PACKED"),
        **_WRITE,
    )
    tmp.replace(path)
    return {"bytes": path.stat().st_size, "sha256": _sha256(path), "rows": table.num_rows}


def write_lookup(df: pd.DataFrame, path: Path) -> dict[str, Any]:
    """Write a lookup table as the snapshot reads it (:data:`snapshot.LOOKUP_FORMAT`: a
    header line, then one tab-separated line per row); its manifest entry."""
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, **snapshot.LOOKUP_FORMAT)
        writer.writerow(df.columns)
        writer.writerows(df.itertuples(index=False))
    tmp.replace(path)
    return {"bytes": path.stat().st_size, "sha256": _sha256(path), "rows": len(df)}


def build(
    flat_dir: Path,
    *,
    sources: dict[str, Any] | None = None,
    retrieved: str | None = None,
    out_dir: Path | None = None,
) -> dict[str, Any]:
    """Parse the flat files in ``flat_dir`` and write the snapshot; return its manifest."""
    flat_dir = Path(flat_dir)
    paths = {name: flat_dir / name for name in oe.FILES}
    release = oe.release_of(paths)
    frame = oe.parse(paths)
    frame = frame[frame["industry_code"] == CROSS_INDUSTRY].reset_index(drop=True)
    areas = oe.read_areas(paths["oe.area"]).drop(columns="areatype_code")
    occupations = oe.read_occupations(paths["oe.occupation"]).drop(columns="occupation_digits")
    industries = oe.read_industries(paths["oe.industry"])

    folder = HERE if out_dir is None else Path(out_dir)
    encoded = snapshot.encode(frame)
    decoded = snapshot.decode(
        encoded,
        lookups={"area_code": areas, "occupation_code": occupations, "industry_code": industries},
        release_name=release.name,
    )
    pd.testing.assert_frame_equal(decoded, frame)  # the snapshot holds exactly the parse
    files = {DATA.name: _write(encoded, folder / DATA.name)}
    for path, df in ((AREAS, areas), (OCCUPATIONS, occupations), (INDUSTRIES, industries)):
        files[path.name] = write_lookup(df, folder / path.name)

    recorded = (sources or {}).get("sources", {})
    source_info = {}
    for name, path in paths.items():
        bls = recorded.get(name, {})
        used = _sha256(path)
        source_info[name] = {
            "url": bls.get("url", OE_URL + name),
            "bytes": bls.get("bytes", path.stat().st_size),
            "sha256": bls.get("sha256", used),
            "last_modified": bls.get("last_modified"),
            "etag": bls.get("etag"),
            "used_sha256": used,
            "identical_to_bls": used == bls["sha256"] if "sha256" in bls else None,
        }
    info = {
        "program": "OEWS",
        "release": release.name,
        "release_code": release.code,
        "release_date": release.release_date,
        "retrieved": retrieved or (sources or {}).get("retrieved") or "",
        "built": datetime.now(UTC).date().isoformat(),
        "how_built": (
            "python -m tools.build_oews_bundle: marketdata.sources.oe.parse (the parser of "
            "the live download path) on BLS's oe.* flat files, rows with industry_code "
            f"{CROSS_INDUSTRY} kept; lookup tables from oe.area, oe.occupation, oe.industry."
        ),
        "contents": (
            "Cross-industry estimates (industry 000000) for every area: national, states, "
            "metropolitan and nonmetropolitan areas. Industry-specific estimates are not "
            "bundled: load them from BLS with marketdata.datasets.oews.load(industry=...)."
        ),
        "counts": {
            "rows": len(frame),
            "areas": int(frame["area_code"].nunique()),
            "occupations": int(frame["occupation_code"].nunique()),
        },
        "files": files,
        "sources": source_info,
    }
    (folder / MANIFEST.name).write_text(json.dumps(info, indent=1, sort_keys=True) + "\n")
    return info


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("flat_dir", type=Path, help="folder with oe.data.0.Current and mappings")
    parser.add_argument("--sources", type=Path, help="JSON manifest of BLS's original files")
    parser.add_argument("--retrieved", help="date the BLS files were retrieved (ISO)")
    parser.add_argument("--out", type=Path, help="write here instead of the package folder")
    args = parser.parse_args(argv)
    sources = json.loads(args.sources.read_text()) if args.sources else None
    info = build(args.flat_dir, sources=sources, retrieved=args.retrieved, out_dir=args.out)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logger.info(
        "snapshot %s: %d rows, %s bytes",
        info["release"],
        info["counts"]["rows"],
        sum(f["bytes"] for f in info["files"].values()),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

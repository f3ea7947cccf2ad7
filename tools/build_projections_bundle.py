"""Bundle one release of BLS's Employment Projections, with the live path's parser.

usage::

    python -m tools.build_projections_bundle WORKBOOK [--retrieved DATE]
        [--origin TEXT] [--out DIR]

``WORKBOOK`` is BLS's ``occupation.xlsx`` (https://www.bls.gov/emp/ind-occ-matrix/
occupation.xlsx) of the EP release to bundle. Every table it has is parsed by
:func:`marketdata.sources.ep.parse_workbook` (what :func:`marketdata.datasets.projections.load` runs on
a downloaded workbook) and written, summary and line-item rows, to
``projections-<release>-<table>.parquet``, and the projections table's code index to
``projections-<release>-codes.tsv``; ``projections_manifest.json`` records the release, the
workbook's URL, size and SHA-256, the retrieval date (``--retrieved``, default the file's
modification date), where the copy came from (``--origin``) and how the files were built.
Bundled files of another release are removed.
"""

from __future__ import annotations

import argparse
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

from marketdata.bundled import projections_bundle as bundled
from marketdata.sources import ep
from tools.build_oews_bundle import write_lookup

logger = logging.getLogger(__name__)

SOURCE_URL = "https://www.bls.gov/emp/ind-occ-matrix/occupation.xlsx"
_WRITE = {"compression": "zstd", "compression_level": 19}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write(frame: pd.DataFrame, path: Path) -> dict[str, Any]:
    """Write ``frame`` to ``path`` (atomically) and check that it reads back equal."""
    plain = frame.copy()
    plain.attrs = {}
    table = pa.Table.from_pandas(plain, preserve_index=False)
    tmp = path.with_name(path.name + ".part")
    pq.write_table(table, tmp, **_WRITE)
    pd.testing.assert_frame_equal(pq.read_table(tmp).to_pandas(), plain)
    tmp.replace(path)
    return {
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "rows": len(frame),
        "line_items": int((frame["occupation_type"] == "Line item").sum()),
        "summary_rows": int((frame["occupation_type"] == "Summary").sum()),
    }


def write_codes(frame: pd.DataFrame, path: Path) -> dict[str, Any]:
    """Write the projections table's code index (:func:`marketdata.sources.ep.code_frame`)
    as the snapshot's lookup tables are written; its manifest entry."""
    return {"file": path.name, **write_lookup(ep.code_frame(frame), path)}


def build(
    workbook: Path,
    *,
    retrieved: str | None = None,
    origin: str | None = None,
    out_dir: Path | None = None,
) -> dict[str, Any]:
    """Parse every table of ``workbook``, write the bundled files; return the manifest."""
    workbook = Path(workbook)
    out = Path(out_dir) if out_dir is not None else bundled.HERE
    out.mkdir(parents=True, exist_ok=True)
    found = ep.find_tables(workbook)
    kinds = [k for k in ep.TABLE_TITLES if k in found or ep.TABLE_FALLBACK.get(k) in found]
    round_ = ep.workbook_round(workbook)
    tables: dict[str, Any] = {}
    codes: dict[str, Any] = {}
    for kind in kinds:
        frame = ep.parse_workbook(workbook, kind=kind)
        if kind == "projections":
            codes = write_codes(frame, out / bundled.codes_name(round_))
        sheet = found.get(kind) or found[ep.TABLE_FALLBACK[kind]]
        tables[kind] = {
            **_write(frame, out / bundled.file_name(round_, kind)),
            "sheet": sheet,
            "attrs": {"table": frame.attrs["table"], "footnotes": frame.attrs["footnotes"]},
        }
    kept = {t["file"] for t in tables.values()} | {codes["file"]}
    for old in [*out.glob("projections-*.parquet"), *out.glob("projections-*.tsv")]:
        if old.name not in kept:
            old.unlink()
    base, projected = ep.round_years(round_)
    modified = datetime.fromtimestamp(workbook.stat().st_mtime, UTC).date().isoformat()
    info = {
        "program": "EP",
        "release": round_,
        "base_year": base,
        "projected_year": projected,
        "retrieved": retrieved or modified,
        "built": datetime.now(UTC).date().isoformat(),
        "source": {
            "url": SOURCE_URL,
            "bytes": workbook.stat().st_size,
            "sha256": _sha256(workbook),
            "origin": origin or "",
        },
        "how_built": (
            "python -m tools.build_projections_bundle: "
            "marketdata.sources.ep.parse_workbook (the parser marketdata.datasets.projections.load runs "
            "on a downloaded occupation.xlsx) on each table of BLS's workbook; every row "
            "(summary and line items) kept, counts in persons; each file is checked to read "
            "back equal to the parse."
        ),
        "contents": (
            f"BLS Employment Projections {round_}, national: "
            + ", ".join(f"{k} ({tables[k]['sheet']})" for k in kinds)
            + ". Tables the workbook lacks are not bundled: "
            + (", ".join(k for k in ep.TABLE_TITLES if k not in kinds) or "none")
            + ". State projections (Projections Central) are not bundled."
        ),
        "tables": tables,
        "codes": codes,
    }
    manifest = out / bundled.MANIFEST.name
    tmp = manifest.with_name(manifest.name + ".part")
    tmp.write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n")
    tmp.replace(manifest)
    bundled.forget()
    return info


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbook", type=Path, help="BLS's occupation.xlsx of the EP release")
    parser.add_argument("--retrieved", help="date the workbook was retrieved (ISO)")
    parser.add_argument("--origin", help="where this copy of the workbook came from")
    parser.add_argument("--out", type=Path, help="write here instead of the package folder")
    args = parser.parse_args(argv)
    info = build(args.workbook, retrieved=args.retrieved, origin=args.origin, out_dir=args.out)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logger.info(
        "EP %s: %s; %s bytes",
        info["release"],
        ", ".join(f"{k} {t['rows']} rows" for k, t in info["tables"].items()),
        sum(t["bytes"] for t in info["tables"].values()),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Bundle the small part of an O*NET release that marketdata shows, with the live parser.

usage::

    python -m tools.build_onet_bundle RELEASE_DIR [--out DIR]

``RELEASE_DIR`` is an O*NET text release folder or zip (``../shared/data/onet/db_30_1_text``).
Bundled (:data:`marketdata.bundled.onet_bundle.TABLES`): related occupations, job zones and their
reference, occupation titles and descriptions, alternate and reported titles, task
statements and the hot technologies (``Hot Technology`` = Y rows of ``Technology Skills.txt``),
each as Parquet, plus ``onet-titles.tsv.gz``, every title of every occupation for searching
without pandas. ``onet_manifest.json`` records the release, the source files (size, SHA-256)
and each bundled file's SHA-256.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from marketdata.bundled import LOOKUP_FORMAT
from marketdata.bundled import onet_bundle as onet
from marketdata.core.config import Settings
from marketdata.sources import onet_text_files as source

_WRITE = {"compression": "zstd", "compression_level": 19}
ORIGIN = (
    "BG-legacy/FairPath, backend/data/db_30_1_text/ @ 5b46a7168775a8b579d6c95002d04ef2cbdf950d "
    "(git-exact; see onet_oews2025_PROVENANCE.md)"
)


def _sources(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir()) if p.is_file()}
    with zipfile.ZipFile(path) as archive:
        return {n.rsplit("/", 1)[-1]: archive.read(n) for n in archive.namelist() if n[-1] != "/"}


def _write(frame: pd.DataFrame, path: Path) -> dict[str, object]:
    plain = frame.reset_index(drop=True)
    plain.attrs = {}
    tmp = path.with_name(path.name + ".part")
    pq.write_table(pa.Table.from_pandas(plain, preserve_index=False), tmp, **_WRITE)
    pd.testing.assert_frame_equal(pq.read_table(tmp).to_pandas(), plain)
    tmp.replace(path)
    return _entry(path, len(plain))


def _entry(path: Path, rows: int) -> dict[str, object]:
    data = path.read_bytes()
    return {"bytes": len(data), "rows": rows, "sha256": hashlib.sha256(data).hexdigest()}


def titles_index(release: source.Release) -> list[tuple[str, str, str]]:
    """(``onet_code``, ``title``, ``kind``) of every O*NET title, kinds as
    :data:`marketdata.bundled.onet_bundle.TITLE_KINDS`, without repeats of one code's title."""
    rows: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(code: str, title: object, kind: str) -> None:
        if isinstance(title, str) and title and (code, title.lower()) not in seen:
            seen.add((code, title.lower()))
            rows.append((code, title, kind))

    for code, title in release.table("occupations")[["onet_code", "title"]].itertuples(False):
        add(code, title, "occupation")
    alternate = release.table("alternate_titles")
    for code, title, short in alternate[["onet_code", "title", "short_title"]].itertuples(False):
        add(code, title, "alternate")
        add(code, short, "alternate")
    for code, title in release.table("reported_titles")[["onet_code", "title"]].itertuples(False):
        add(code, title, "reported")
    return rows


def build(data: Path, out: Path) -> dict[str, object]:
    """Write the bundled files into ``out`` and return the manifest."""
    release = source.read_release(data, tuple(onet.TABLES))
    if release.missing:
        raise SystemExit(f"{data} lacks {', '.join(release.missing)}")
    files = {}
    for name in onet.TABLES:
        frame = release.table(name)
        if name == "technology":
            frame = frame[frame["hot_technology"].fillna(False)]
        files[onet.file_name(name)] = _write(frame, out / onet.file_name(name))
    buffer = io.StringIO()
    writer = csv.writer(buffer, **LOOKUP_FORMAT)
    rows = titles_index(release)
    writer.writerow(("onet_code", "title", "kind"))
    writer.writerows(rows)
    index = out / onet.TITLES.name
    index.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), 9, mtime=0))
    files[index.name] = _entry(index, len(rows))
    raw = _sources(data)
    url = source.zip_url(release.release, settings=Settings(cache_dir=Path()))
    used = {source.TABLES[t].file for t in onet.TABLES} | {"Read Me.txt"}
    manifest = {
        "program": source.PROGRAM,
        "release": release.release,
        "release_date": raw["Read Me.txt"].decode().splitlines()[1].strip(),
        "license": source.LICENSE,
        "attribution": source.attribution(release.release),
        "url": url,
        "retrieved": datetime.fromtimestamp(data.stat().st_mtime, UTC).date().isoformat(),
        "built": datetime.now(UTC).date().isoformat(),
        "how_built": "python -m tools.build_onet_bundle: marketdata.sources.onet_text_files."
        "read_release (the live path's parser) on the release's text files; Technology "
        "Skills kept for its Hot Technology rows only.",
        "origin": ORIGIN,
        "sources": {
            name: {
                "url": f"{url}#{name}",
                "bytes": len(raw[name]),
                "sha256": hashlib.sha256(raw[name]).hexdigest(),
            }
            for name in sorted(used)
        },
        "files": files,
    }
    (out / onet.MANIFEST.name).write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="an O*NET text release folder or zip")
    parser.add_argument("--out", type=Path, default=onet.HERE)
    args = parser.parse_args(argv)
    manifest = build(args.data, args.out)
    total = sum(int(f["bytes"]) for f in manifest["files"].values())
    for name, entry in manifest["files"].items():
        sys.stdout.write(f"{name}: {entry['rows']} rows, {entry['bytes']:,} bytes\n")
    sys.stdout.write(f"O*NET {manifest['release']}: {total:,} bytes in all\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

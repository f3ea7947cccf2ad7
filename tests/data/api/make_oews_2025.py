"""Cut the OEWS May 2025 test data of the BLS API tests from the staged SQLite of the release.

Writes ``oews-2025-answer.json``: a BLS Public Data API v2 answer in the documented shape
(``status``, ``responseTime``, ``message``, ``Results.series[].data[]`` with ``year``, ``period``
A01, ``periodName`` Annual, ``latest``, ``value`` and ``footnotes`` code/text) holding every
datatype BLS publishes for the cells below. Values and footnotes are the published ones; the
envelope is built, not recorded (no recorded OEWS answer exists; see MANIFEST.md).

Cells: those of the flat-file slice ``tests/data/salary/oe`` (7 areas x 5 occupations, the
API values are compared with it through ``marketdata.datasets.oews.load``) and four more cases.

usage: python make_oews_2025.py ../shared/data/oews-2025/oews-2025.sqlite.gz
"""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SLICE_AREAS = ("0000000", "3900000", "0018140", "3600000", "0021300", "2600000", "0024340")
SLICE_OCCUPATIONS = ("000000", "290000", "292072", "291211", "291212")
CELLS = (
    *(
        f"OEU{'N' if a == '0000000' else 'S' if a.endswith('00000') else 'M'}{a}000000{o}"
        for a in SLICE_AREAS
        for o in SLICE_OCCUPATIONS
    ),
    "OEUS0600000000000292072",  # Medical records specialists, California
    "OEUS5000000000000292072",  # Vermont: employment not released (footnote 8)
    "OEUS0600000000000272021",  # Athletes, California: top-coded 90th percentile (footnote 5)
    "OEUN0000000000000272011",  # Actors, U.S.: hourly wages not published (footnote 4)
)


def main(sqlite_gz: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "oews.sqlite"
        with gzip.open(sqlite_gz, "rb") as src, db.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        con = sqlite3.connect(db)
        notes = dict(con.execute("select footnote_code, footnote_text from footnote"))
        year, period = (
            dict(con.execute("select name, value from meta"))[k] for k in ("data_year", "period")
        )
        series = []
        marks = ",".join("?" * len(CELLS))
        for row in con.execute(f"select * from cell where key in ({marks}) order by key", CELLS):
            for i in range(1, 18):
                value, code = row[i], row[17 + i]
                if value is None:
                    continue
                sid = f"{row[0]}{i:02d}"
                footnotes = [{"code": code, "text": notes[code]}] if code else [{}]
                obs = {
                    "year": year,
                    "period": period,
                    "periodName": "Annual",
                    "latest": "true",
                    "value": value,
                    "footnotes": footnotes,
                }
                series.append({"seriesID": sid, "data": [obs]})
    answer = {"status": "REQUEST_SUCCEEDED", "responseTime": 0, "message": [], "Results": {}}
    answer["Results"]["series"] = series
    (HERE / "oews-2025-answer.json").write_text(json.dumps(answer, separators=(",", ":")))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))

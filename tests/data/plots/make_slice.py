"""Rebuild ``oews_2025_states.csv`` from the staged BLS May 2025 release.

Source: ../shared/data/oews-2025/oews-2025.sqlite.gz (BLS oe.* files of May 2025, see
../shared/data/MANIFEST.md). Rows: national, the 51 states and DC plus Guam/Puerto Rico/
Virgin Islands, and the metros of Ohio, cross-industry, for 29-2072 Medical Records
Specialists and 29-1211 Anesthesiologists (suppressed and top-coded wages). Values are BLS's
published text; "-" becomes empty, footnote 5 (top code) sets ``is_topcoded_<measure>``
and the value to the bound stated in BLS's footnote 5 text.
"""

import gzip
import re
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

import pandas as pd

from marketdata.core.series_id import DATATYPES

SRC = Path(__file__).resolve().parents[4] / "shared" / "data" / "oews-2025" / "oews-2025.sqlite.gz"
#: The datatypes the slice keeps: all but the two RSEs.
MEASURES = {code: name for code, name in DATATYPES.items() if not name.endswith("_rse")}
TYPES = {"N": "national", "S": "state", "M": "metro"}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "oews.sqlite"
        with gzip.open(SRC) as src, db.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        con = sqlite3.connect(db)
        top = con.execute("select footnote_text from footnote where footnote_code='5'").fetchone()[
            0
        ]
        hourly, annual = (float(x.replace(",", "")) for x in re.findall(r"\$([\d,.]+)", top)[:2])
        rows = pd.read_sql(
            "select c.*, a.area_code, a.areatype_code, a.state_code, a.area_name, "
            "o.occupation_name "
            "from cell c join area a on substr(c.key, 5, 7) = a.area_code "
            "join occupation o on substr(c.key, 18, 6) = o.occupation_code "
            "where substr(c.key, 12, 6) = '000000' "
            "and substr(c.key, 18, 6) in ('292072', '291211') "
            "and (a.areatype_code in ('N', 'S') "
            "or (a.state_code = '39' and a.area_code like '00%'))",
            con,
        )
    out = pd.DataFrame(
        {
            "area_code": rows["area_code"],
            "area_name": rows["area_name"],
            "area_type": rows["areatype_code"].map(TYPES),
            "state_code": rows["state_code"],
            "occupation_code": rows["key"].str[17:19] + "-" + rows["key"].str[19:23],
            "occupation_title": rows["occupation_name"],
        }
    )
    for code, name in MEASURES.items():
        value = pd.to_numeric(rows[f"v{code}"].where(rows[f"v{code}"] != "-"))
        flag = rows[f"f{code}"].fillna("").str.contains("5")
        if name.startswith(("hourly", "annual")):
            value = value.mask(flag & value.isna(), hourly if name.startswith("hourly") else annual)
            out[f"is_topcoded_{name}"] = flag
        out[name] = value
    out["release"] = "May 2025"
    out.sort_values(["occupation_code", "area_code"]).to_csv(
        sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("oews_2025_states.csv"),
        index=False,
    )


if __name__ == "__main__":
    main()

"""The CSV export of the Occupational Projections data tool (``data.bls.gov/projections/
occupationProj``): one row per detailed occupation, SOC codes written as Excel formulas
(``="29-2072"``), thousands separators, "N/A" wages, ``>=208,000`` top-coded wages and sample
job titles glued to the title (``"Actors    * Actor Understudy* Actress"``).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from marketdata.core.errors import SourceFormatError
from marketdata.sources.ep.ep_tables import map_headers, sniff

if TYPE_CHECKING:  # pandas loads to parse, not to check a file
    import pandas as pd


def parse_csv(source: Path | bytes | str, *, name: str | None = None) -> pd.DataFrame:
    """The data tool's "Employment Projections.csv" as a tidy projections frame.

    Every row is a detailed occupation (``occupation_type`` "Line item"); sample job titles go to
    ``job_titles`` (``"; "``-separated).
    """
    import pandas as pd

    from marketdata.sources.ep.cells import tidy

    label = name or (str(source) if isinstance(source, Path) else "Employment Projections.csv")
    data = source.read_bytes() if isinstance(source, Path) else source
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as err:
        raise SourceFormatError(f"not UTF-8 text ({err.reason})", source=label) from None
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as err:
        raise SourceFormatError(f"not a CSV file ({err})", source=label) from None
    if not records or not records[0]:
        raise SourceFormatError("empty file", source=label)
    headers = records[0]
    mapping = map_headers(headers)
    for needed in (
        "occupation_code",
        "occupation_title",
        "employment_base",
        "employment_projected",
    ):
        if needed not in mapping.values():
            raise SourceFormatError(
                f"no column for {needed} (headers: {', '.join(headers)})", source=label
            )
    width = len(headers)
    rows = [r + [""] * (width - len(r)) for r in records[1:] if any(c.strip() for c in r)]
    if not rows:
        raise SourceFormatError("no occupation rows under the header", source=label)
    raw = pd.DataFrame([r[:width] for r in rows], dtype=object)
    title_pos = next(p for p, n in mapping.items() if n == "occupation_title")
    parts = (
        raw.iloc[:, title_pos].astype("string").str.split(r"\s{2,}\*", n=1, regex=True, expand=True)
    )
    raw.iloc[:, title_pos] = parts[0].str.strip()
    jobs = parts[1] if parts.shape[1] > 1 else pd.Series(pd.NA, index=raw.index, dtype="string")
    frame = tidy(raw, mapping, headers, kind="projections", source=label, footnotes={})
    if frame["occupation_code"].isna().any():
        codes = raw.iloc[:, next(p for p, n in mapping.items() if n == "occupation_code")]
        bad = codes[frame["occupation_code"].isna().to_numpy()].iloc[0]
        raise SourceFormatError(f"unreadable occupation code {bad!r}", source=label)
    frame["occupation_type"] = pd.Series("Line item", index=frame.index, dtype="string")
    frame["job_titles"] = (
        jobs.reset_index(drop=True)
        .str.split(r"\*")
        .map(
            lambda items: (
                "; ".join(i.strip() for i in items if i.strip())
                if isinstance(items, list)
                else pd.NA
            )
        )
    ).astype("string")
    frame.attrs["table"] = "Occupational Projections data tool export"
    frame.attrs["footnotes"] = []
    return frame


def check_csv(path: Path) -> None:
    """Raise SourceFormatError unless ``path`` is a data-tool projections CSV that parses."""
    start = sniff(path).decode("utf-8-sig", errors="replace")
    if not re.match(r'^"?Occupation Title"?,', start):
        raise SourceFormatError("not an Employment Projections data-tool CSV", source=str(path))
    parse_csv(path)

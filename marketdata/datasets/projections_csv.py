"""A data-tool CSV export of BLS's Employment Projections, saved by hand, added to the cache."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from marketdata.core.config import Settings, get_settings
from marketdata.core.schema import attach_provenance
from marketdata.datasets.projections import PROGRAM, csv_key
from marketdata.io import cache
from marketdata.sources import ep

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["load_csv"]


def load_csv(path: Path | str, *, settings: Settings | None = None) -> pd.DataFrame:
    """Add a data-tool CSV export saved by hand to the cache and return its projections."""
    settings = get_settings(settings)
    path = Path(path)
    frame = ep.parse_csv(path)
    entry = cache.add_file(
        path,
        key=csv_key(str(frame["release"].iloc[0])),
        url=ep.DATA_TOOL_URL,
        settings=settings,
        check=ep.check_csv,
    )
    return attach_provenance(
        frame, [entry.provenance(program=PROGRAM, release=str(frame["release"].iloc[0]))]
    )

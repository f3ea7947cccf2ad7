"""marketdata: BLS labor-market data (OEWS, projections, CPS) for notebooks and reports."""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

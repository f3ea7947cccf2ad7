"""The labels of a salary breakdown's columns: what kind of figure each one is, and how made.

Every column of :func:`marketdata.analysis.salary.breakdown` is recorded with its kind
(:data:`PUBLISHED`, :data:`DERIVED`, :data:`ESTIMATE`, :data:`USER`, :data:`EP`), its method
and its source, in ``df.attrs["column_info"]``.
"""

from __future__ import annotations

import pandas as pd

from marketdata.core.schema import plain

PUBLISHED = "BLS published"
DERIVED = "derived from BLS figures"
ESTIMATE = "estimate"
USER = "user-supplied"
EP = "BLS Employment Projections"


class Columns:
    """The breakdown's columns and what each one is (kind, method, source)."""

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self.info: dict[str, dict[str, str]] = {}
        self._values: dict[str, pd.Series] = {}

    def add(self, name: str, values: object, kind: str, method: str = "", source: str = "") -> None:
        """Add column ``name`` with its kind, method and source; a Series is aligned on the
        index, a scalar fills the column."""
        self._values[name] = pd.Series(values, index=self.index)
        self.info[name] = {"kind": kind, "method": method, "source": source}

    def __getitem__(self, name: str) -> pd.Series:
        """The column ``name`` as added."""
        return self._values[name]

    @property
    def frame(self) -> pd.DataFrame:
        """The columns added so far, in order, as one frame built at once."""
        return pd.DataFrame(self._values, index=self.index)


def topcoded(frame: pd.DataFrame, column: str) -> pd.Series:
    """Whether each value of ``column`` is only a top-code bound (False without a flag); no
    ``attrs`` (pandas would deep-copy the frame's provenance into each column read)."""
    flag = f"is_topcoded_{column}"
    if flag in frame:
        return plain(frame)[flag].fillna(False).astype(bool)
    return pd.Series(False, index=frame.index)


def clean_value(frame: pd.DataFrame, column: str) -> pd.Series:
    """The column's values, NaN where the value is only a top-code bound (no ``attrs``)."""
    return plain(frame)[column].where(~topcoded(frame, column))


def one_line(err: BaseException) -> str:
    """An error's message on one line, for notes."""
    return " ".join(str(err).split())

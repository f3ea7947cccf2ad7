"""The cell markers of BLS's archived OEWS releases (``*``, ``**``, ``***``, ``#``, ``~``) and
the top-code bound a release states for ``#``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Cell markers -> reason a value is missing. ``#`` (top-coded) keeps the bound instead.
MARKERS: dict[str, str] = {
    "*": "wage estimate not available",
    "**": "employment estimate not available",
    "***": "wage data removed because of reporting errors",
    "#": "wage at or above the top code",
    "~": "fewer than 0.5 percent of establishments reported the occupation",
}
TOPCODE_MARKER = "#"


_BOUND_RE = re.compile(
    r"(?P<cmp>equal to or greater than|greater than or equal to|greater than|at or above)?"
    r"\s*\$\s*(?P<hour>[\d,]+(?:\.\d+)?)\s*(?:per|an|/)\s*hour"
    r".*?\$\s*(?P<year>[\d,]+(?:\.\d+)?)\s*(?:per|a|/)\s*year",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TopCode:
    """The top-code bound stated by a release (``#`` cells)."""

    hourly: float
    annual: float
    inclusive: bool  # "equal to or greater than" (True) or "greater than" (False)

    def describe(self) -> str:
        """E.g. ``>= $100.00/hour or $208,000/year``."""
        sign = ">=" if self.inclusive else ">"
        return f"{sign} ${self.hourly:,.2f}/hour or ${self.annual:,.0f}/year"


def parse_top_code(lines: Iterable[str]) -> TopCode | None:
    """The top code from a release's notes: the line that explains ``#``."""
    for line in lines:
        text = line.strip()
        if not text.startswith("#"):
            continue
        m = _BOUND_RE.search(text)
        if m:
            cmp = (m.group("cmp") or "").lower()
            return TopCode(
                hourly=float(m.group("hour").replace(",", "")),
                annual=float(m.group("year").replace(",", "")),
                inclusive="equal" in cmp or "at or above" in cmp,
            )
    return None

"""The registry of BLS's archived OEWS releases: zip names, release labels and SOC versions
by year, and where BLS publishes the zips."""

from __future__ import annotations

import re
from dataclasses import dataclass

from marketdata.core.errors import UnknownRelease

_RELEASE = re.compile(r"^\s*(?:(?P<month>[A-Za-z]+)\.?\s+)?(?P<year>\d{4})(?:A01)?\s*$")


@dataclass(frozen=True)
class Vintage:
    """Years that share a zip naming, a release label and an occupational classification."""

    first: int
    last: int | None  # None: every later year
    zip_prefix: str  # "oes", "oesm" (May), "oesn" (November)
    label: str  # format with year=
    soc_version: str


#: Archived releases by year. ``soc_version`` names the classification of the codes; the
#: hybrid releases mix two SOC versions plus OEWS-specific hybrid codes.
VINTAGES: tuple[Vintage, ...] = (
    Vintage(1997, 1998, "oes", "{year}", "OES"),
    Vintage(1999, 2002, "oes", "{year}", "SOC 2000"),
    Vintage(2003, 2009, "oesm", "May {year}", "SOC 2000"),
    Vintage(2003, 2004, "oesn", "November {year}", "SOC 2000"),
    Vintage(2010, 2011, "oesm", "May {year}", "SOC 2000/2010 hybrid"),
    Vintage(2012, 2018, "oesm", "May {year}", "SOC 2010"),
    Vintage(2019, 2020, "oesm", "May {year}", "SOC 2010/2018 hybrid"),
    Vintage(2021, None, "oesm", "May {year}", "SOC 2018"),
)

#: Scope -> the zip name's suffix.
SCOPES: dict[str, str] = {"national": "nat", "state": "st", "metro": "ma", "all": "all"}

#: Folders under the host where BLS has kept the zips (the second is the older spelling).
ARCHIVE_FOLDERS: tuple[str, ...] = ("oes/special-requests", "oes/special.requests")


@dataclass(frozen=True)
class ArchiveRelease:
    """One archived OEWS release."""

    year: int
    label: str
    zip_prefix: str
    soc_version: str

    @property
    def key(self) -> str:
        """Short name used in cache keys, e.g. ``oesm21``."""
        return f"{self.zip_prefix}{self.year % 100:02d}"

    @property
    def is_hybrid(self) -> bool:
        """Whether the release mixes two SOC versions."""
        return "hybrid" in self.soc_version

    def zip_name(self, scope: str) -> str:
        """BLS's zip name for ``scope``, e.g. ``oesm21nat.zip``."""
        return f"{self.key}{SCOPES[check_scope(scope)]}.zip"


def check_scope(scope: str) -> str:
    """Return ``scope`` if it is one of :data:`SCOPES`, else raise UnknownRelease."""
    if scope not in SCOPES:
        raise UnknownRelease(
            "OEWS archive scope", scope, sorted(SCOPES), hint="Scopes: " + ", ".join(SCOPES) + "."
        )
    return scope


def releases(*, last_year: int) -> list[ArchiveRelease]:
    """Every archived release up to ``last_year``, oldest first (May before November)."""
    found = [
        ArchiveRelease(year, v.label.format(year=year), v.zip_prefix, v.soc_version)
        for v in VINTAGES
        for year in range(v.first, min(v.last or last_year, last_year) + 1)
    ]
    return sorted(found, key=lambda r: (r.year, r.zip_prefix == "oesn"))


def release_for(year: int, *, month: str | None = None) -> ArchiveRelease:
    """The archived release of ``year``; ``month`` ("May"/"November") picks between two.

    Raises
    ------
    UnknownRelease
        No archived release for that year (or month).
    """
    candidates = [r for r in releases(last_year=max(year, 1997)) if r.year == year]
    if month:
        wanted = month.strip().lower()[:3]
        exact = [r for r in candidates if r.label.lower().startswith(wanted)]
        candidates = exact or [r for r in candidates if r.label == str(year)]
    if not candidates:
        known = [r.label for r in releases(last_year=max(year, 2024))]
        raise UnknownRelease(
            "OEWS release",
            f"{month + ' ' if month else ''}{year}",
            [k for k in known if str(year) in k][:3],
            hint=f"Archived releases run from {known[0]} on.",
        )
    return candidates[0]


def parse_release(release: str | int) -> ArchiveRelease:
    """The archived release meant by ``"May 2021"``, ``2021``, ``"2021"`` or ``"2021A01"``.

    Raises
    ------
    UnknownRelease
        Not a release label, or no archived release for that year or month.
    """
    m = _RELEASE.match(str(release))
    if m is None or isinstance(release, bool):
        raise UnknownRelease(
            "OEWS release", release, hint="Give a year (2021) or a label such as 'May 2021'."
        )
    return release_for(int(m["year"]), month=m["month"])


def archive_urls(release: ArchiveRelease, scope: str, *, base_url: str) -> list[str]:
    """Where BLS publishes the zip, most likely first."""
    name = release.zip_name(scope)
    return [f"{base_url.rstrip('/')}/{folder}/{name}" for folder in ARCHIVE_FOLDERS]

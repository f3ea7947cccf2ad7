"""BLS's archived OEWS releases: zip bytes -> tidy frame (parse only, no network).

BLS keeps every past OEWS release as zips of spreadsheets under
``/oes/special-requests/`` (``oesm21nat.zip``, ``oesm13st.zip``, ``oes00nat.zip`` ...).
Their layout drifts from year to year; the drift is described here as data:

- :mod:`~marketdata.sources.oews_archive.releases`: ``VINTAGES``, zip names, release labels
  and SOC version by year;
- :mod:`~marketdata.sources.oews_archive.members`: ``MEMBER_PATTERNS``, which zip members
  hold the estimates of each scope, and reading a zip into the tidy frame;
- :mod:`~marketdata.sources.oews_archive.columns`: ``COLUMN_ALIASES``, every column name
  seen, mapped to the tidy name;
- :mod:`~marketdata.sources.oews_archive.markers`: ``MARKERS``, the cell markers (``*``,
  ``**``, ``***``, ``#``, ``~``) and what they mean.

The header row is found by looking for ``HEADER_COLUMNS`` (the 2000 files have a
38- or 42-row preamble). Top-coded wages (``#``) get the bound stated in the release's own
notes (preamble, ``Field Descriptions`` sheet or ``field_descriptions.xls``) and a flag;
other markers leave the value missing with the reason in ``<measure>_note``. The names below
are what the loaders use; :func:`identify` recognises an archive zip saved by hand. The
registry of releases is plain Python; the names of ``columns`` and ``members`` (pandas,
pyarrow) load on first use, so that a release label is checked without them.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

from marketdata.core.config import Settings, get_settings
from marketdata.sources import KnownFile
from marketdata.sources.oews_archive.releases import (
    SCOPES,
    ArchiveRelease,
    archive_urls,
    check_scope,
    parse_release,
    release_for,
    releases,
)

#: Names of the modules that need pandas -> that module, imported on first use.
_LAZY = {
    "FLAG_COLUMNS": "columns",
    "MEASURES": "columns",
    "NOTE_COLUMNS": "columns",
    "archive_check": "members",
    "read_archive": "members",
}

__all__ = [
    "FLAG_COLUMNS",
    "MEASURES",
    "NOTE_COLUMNS",
    "SCOPES",
    "ArchiveRelease",
    "archive_check",
    "archive_urls",
    "check_scope",
    "identify",
    "parse_release",
    "read_archive",
    "release_for",
    "releases",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_ZIP_NAME = re.compile(r"^(?P<prefix>oes[mn]?)(?P<yy>\d{2})(?P<scope>nat|st|ma|all)\.zip$")


def identify(path: Path, *, settings: Settings | None = None) -> KnownFile | None:
    """OEWS archived-release zips (``oesm21nat.zip``, ``oes00st.zip`` ...) saved by hand."""
    from marketdata.sources.oews_archive.members import archive_check

    name = Path(path).name.lower()
    m = _ZIP_NAME.match(name)
    if m is None:
        return None
    yy = int(m["yy"])
    year = 1900 + yy if yy >= 90 else 2000 + yy
    scope = next(k for k, v in SCOPES.items() if v == m["scope"])
    release = release_for(year)
    urls = archive_urls(release, scope, base_url=get_settings(settings).bls_www_url)
    return KnownFile(
        key=f"oews-archive/{release.zip_name(scope)}",
        url=urls[0],
        description=f"BLS OEWS {release.label} {scope} archive",
        check=archive_check(scope, name=name),
    )

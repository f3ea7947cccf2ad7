"""The package's exceptions and warnings: one small hierarchy.

Every exception a user can meet derives from :class:`MarketdataError`; messages say
what went wrong and what to do next.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "ApiError",
    "ArgumentOrderError",
    "ChecksumError",
    "ConfigError",
    "ContactRequired",
    "DiskFullError",
    "FetchError",
    "InputValueError",
    "MarketdataError",
    "MarketdataWarning",
    "MissingFileError",
    "MissingSeriesWarning",
    "NotComparableWarning",
    "OfflineDataWarning",
    "OfflineError",
    "RateLimited",
    "ReportError",
    "SchemaError",
    "SourceFormatError",
    "SuppressedValuesWarning",
    "UnknownArea",
    "UnknownCode",
    "UnknownRelease",
]


class MarketdataError(Exception):
    """Base class of every error raised by marketdata."""


class ConfigError(MarketdataError, ValueError):
    """An environment variable or setting has an invalid value."""


class FetchError(MarketdataError):
    """A download failed. Carries the URL, the HTTP status (if any) and a hint."""

    def __init__(
        self, message: str, *, url: str | None = None, status: int | None = None, hint: str = ""
    ):
        self.url = url
        self.status = status
        self.hint = hint
        super().__init__(f"{message}\n{hint}".strip() if hint else message)


class ContactRequired(FetchError):
    """BLS refused the download (403): the User-Agent needs a contact e-mail."""


class RateLimited(FetchError):
    """The server (or the BLS API's daily budget) asks us to wait."""


class OfflineError(FetchError):
    """Offline mode is on (or BLS is unreachable) and the file is not in the cache."""


class ChecksumError(FetchError):
    """A file's size or SHA-256 does not match what was recorded or announced."""


class SourceFormatError(MarketdataError, ValueError):
    """A file does not have the layout expected of it; names the file and, where known, the line."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        where = ""
        if source:
            where = f"{source}" + (f", line {line}" if line is not None else "") + ": "
        super().__init__(where + message)


class MissingFileError(SourceFormatError):
    """A release lacks the file a table is read from (renamed or split in a later release, or a
    partial copy); names the file."""


class ApiError(MarketdataError):
    """The BLS Public Data API answered with an error status."""


class InputValueError(MarketdataError, ValueError):
    """A value given by the user is not one of the valid options; lists close matches."""

    def __init__(self, kind: str, value: object, suggestions: Iterable[str] = (), hint: str = ""):
        self.kind = kind
        self.value = value
        self.suggestions = list(suggestions)
        message = f"unknown {kind}: {value!r}"
        if self.suggestions:
            message += ". Did you mean: " + "; ".join(self.suggestions) + "?"
        if hint:
            message += f" {hint}" if self.suggestions else f". {hint}"
        super().__init__(message)


class UnknownCode(InputValueError):
    """An occupation, industry or other code that BLS does not publish."""


class UnknownArea(InputValueError):
    """An area (state, metro, nonmetro area) that BLS does not publish."""


class UnknownRelease(InputValueError):
    """A release (OEWS, EP, CPS, O*NET ...) that is not known or not available."""


class ArgumentOrderError(MarketdataError, TypeError):
    """A value given in another parameter's place, e.g. a release where the occupation goes."""


class SchemaError(MarketdataError, ValueError):
    """A frame misses columns or has the wrong types; lists them."""


class ReportError(MarketdataError):
    """A report could not be produced (bad parameters, failed notebook)."""


class MarketdataWarning(UserWarning):
    """Base class of the package's warnings."""


class OfflineDataWarning(MarketdataWarning):
    """Bundled or cached data is used because BLS could not be reached or offline mode is on."""


class SuppressedValuesWarning(MarketdataWarning):
    """Some values are suppressed or not released by BLS and are missing."""


class NotComparableWarning(MarketdataWarning):
    """Figures compared across releases use different definitions (SOC or area changes)."""


class MissingSeriesWarning(MarketdataWarning):
    """The BLS API has no data for some requested series (unknown id, or no data in the years)."""


class DiskFullError(MarketdataError, OSError):
    """A write found no space left on its disk; names the folder and the space needed."""

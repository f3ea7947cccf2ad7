"""The "About these data" box of a report: which data were used and from where, which
sections could not be filled, and the one command that fills them.

The box speaks plainly; technical detail (URLs, exception text) is kept in
:meth:`AboutData.manifest` for ``manifest.json`` and the log, never in the report body.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from marketdata.series_id import STATES

#: How many past OEWS releases ``marketdata fetch --history`` gets when a report needs them.
HISTORY_RELEASES = 5
_STATE_KEY = re.compile(r"longterm-(\d{2})\b")
_POSTAL = {fips: postal for fips, (postal, _name) in STATES.items()}
#: Data kind -> what the reader is told is missing.
WHAT: dict[str, str] = {
    "oews": "BLS's full OEWS files (industry detail is not in the bundled data)",
    "ep": "BLS's Employment Projections",
    "history": "past OEWS releases (BLS's archive)",
    "cps": "the CPS certification and licensing table",
    "state": "{state}'s long-term projections (Projections Central)",
    "other": "the data this section needs",
}
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("projections-central", "state"),
    ("projectionscentral", "state"),
    ("oews-archive", "history"),
    ("/oes/special-requests/", "history"),
    ("soc_crosswalk", "history"),
    ("/soc/", "history"),
    ("/cps/", "cps"),
    ("cps/aa", "cps"),
    ("/emp/", "ep"),
    ("ep/", "ep"),
    ("/time.series/oe/", "oews"),
    ("oe/oe.", "oews"),
)


@dataclass(frozen=True)
class SourceNote:
    """One program and release the report used."""

    program: str
    release: str
    origin: str  # "downloaded" | "cached" | "bundled" | "added by hand"
    retrieved: str
    files: int

    def sentence(self) -> str:
        """``OEWS May 2025: bundled with marketdata (BLS's files of 2026-09-26).``"""
        how = {
            "bundled": f"bundled with marketdata (BLS's files retrieved {self.retrieved})",
            "downloaded": f"downloaded from BLS on {self.retrieved}",
            "cached": f"from the cache (downloaded from BLS on {self.retrieved})",
            "added by hand": f"from files added by hand on {self.retrieved}",
        }[self.origin]
        return f"{self.program} {self.release}: {how}."


@dataclass(frozen=True)
class Gap:
    """A section that could not be filled: in plain words, and technically."""

    section: str
    kind: str
    state: str | None = None  # postal code, for state projections
    reason: str = ""
    detail: str = ""
    error: str = ""

    @property
    def what(self) -> str:
        """What is missing, in plain words."""
        name = STATES.get(_fips_of(self.state), ("", self.state or "the state"))[1]
        return WHAT.get(self.kind, WHAT["other"]).format(state=name)

    def sentence(self) -> str:
        """``Industries that employ it: BLS's full OEWS files ... were not available
        (offline mode is on).``"""
        why = f" ({self.reason})" if self.reason else ""
        return f"{self.section}: {self.what} were not available{why}."


@dataclass(frozen=True)
class AboutData:
    """The content of the box."""

    sources: list[SourceNote] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    def command(self) -> str | None:
        """The one command that fills every gap (None when there is none to fill)."""
        return fetch_command(self.gaps)

    def lines(self) -> list[str]:
        """Plain sentences: sources, then gaps and the command (also the terminal's summary)."""
        out = [s.sentence() for s in self.sources]
        if not self.gaps:
            return [*out, "Every section of this report was filled."]
        out += [f"Not available: {g.sentence()}" for g in self.gaps]
        command = self.command()
        if command:
            out.append(
                f"To fill these sections, run `{command}` while online, then the report again."
            )
        return out

    def html(self) -> str:
        """The box as HTML (every text escaped)."""
        items = "".join(f"<li>{html.escape(s.sentence())}</li>" for s in self.sources)
        parts = [
            '<aside class="md-about" aria-label="About these data">',
            "<h2>About these data</h2>",
            f"<ul>{items}</ul>" if items else "<p>No data source was recorded.</p>",
        ]
        if self.gaps:
            gaps = "".join(f"<li>{html.escape(g.sentence())}</li>" for g in self.gaps)
            parts.append(f"<p>Some sections could not be filled:</p><ul>{gaps}</ul>")
            command = self.command()
            if command:
                parts.append(
                    "<p>To fill them, run <code>"
                    + html.escape(command)
                    + "</code> while online, then make the report again.</p>"
                )
        parts.append("</aside>")
        return "".join(parts)

    def manifest(self) -> list[dict[str, Any]]:
        """The gaps with their technical detail, for ``manifest.json``."""
        return [
            {
                "section": g.section,
                "needs": g.kind,
                "state": g.state,
                "reason": g.reason,
                "detail": g.detail,
                "error": g.error,
                "command": fetch_command([g]),
            }
            for g in self.gaps
        ]


def _fips_of(postal: str | None) -> str:
    return next((f for f, p in _POSTAL.items() if p == postal), "")


def kind_of(text: str) -> tuple[str, str | None]:
    """Which data a URL, cache key or error text points at, and the state's postal code for
    state projections: ``("state", "OH")``, ``("oews", None)``..."""
    for pattern, kind in _PATTERNS:
        if pattern in text:
            if kind == "state":
                found = _STATE_KEY.search(text)
                return kind, _POSTAL.get(found[1]) if found else None
            return kind, None
    return "other", None


def plain_reason(error: str, *, offline: bool) -> str:
    """Why, in plain words, from the error's class name."""
    if error == "ContactRequired":
        return "BLS refused the download; set MARKETDATA_CONTACT to your e-mail address"
    if error in ("OfflineError", "FetchError", "RateLimited", "ChecksumError"):
        return "offline mode is on" if offline else "BLS could not be reached"
    if error == "SourceFormatError":
        return "a downloaded file did not have the layout BLS uses"
    return ""


def gap(
    section: str,
    detail: str,
    *,
    error: str = "",
    url: str | None = None,
    offline: bool = False,
) -> Gap:
    """A :class:`Gap` from a section title and what went wrong (exception text, URL)."""
    kind, state = kind_of(" ".join(filter(None, [url, detail])))
    return Gap(
        section=section,
        kind=kind,
        state=state,
        reason=plain_reason(error, offline=offline),
        detail=" ".join(detail.split()),
        error=error,
    )


def fetch_command(gaps: Iterable[Gap]) -> str | None:
    """``marketdata fetch --history 5 --state OH``: what fills ``gaps``; None if nothing can."""
    gaps = list(gaps)
    kinds = {g.kind for g in gaps}
    if not kinds or kinds <= {"other"}:
        return None
    words = ["marketdata", "fetch"]
    if "history" in kinds:
        words += ["--history", str(HISTORY_RELEASES)]
    for state in dict.fromkeys(g.state for g in gaps if g.kind == "state" and g.state):
        words += ["--state", state]
    return " ".join(words)


def _origin(records: Sequence[Mapping[str, Any]], started: datetime | None) -> str:
    if any(r.get("bundled") for r in records):
        return "bundled"
    if any(r.get("added_by_hand") for r in records):
        return "added by hand"
    if started is not None:
        newest = max(str(r.get("retrieved") or "") for r in records)
        if newest >= started.isoformat(timespec="seconds"):
            return "downloaded"
    return "cached"


def sources(
    provenance: Iterable[Mapping[str, Any]], *, started: datetime | None = None
) -> list[SourceNote]:
    """One :class:`SourceNote` per program and release of ``provenance`` records
    (``df.attrs["provenance"]`` items); ``started``: when the report began (files retrieved
    after it were downloaded by this run)."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for record in provenance:
        key = (str(record.get("program") or ""), str(record.get("release") or ""))
        groups.setdefault(key, []).append(record)
    notes = []
    for (program, release), records in groups.items():
        retrieved = min(str(r.get("retrieved") or "")[:10] for r in records)
        notes.append(
            SourceNote(program, release, _origin(records, started), retrieved, len(records))
        )
    return notes


def about(
    provenance: Iterable[Mapping[str, Any]],
    unavailable: Iterable[Mapping[str, Any]],
    *,
    started: datetime | None = None,
    offline: bool = False,
) -> AboutData:
    """The box from recorded provenance and unavailable sections (``section``, ``reason``
    or ``detail``, ``error``, optional ``url``), as the report kit records them."""
    gaps = [
        gap(
            str(u["section"]),
            str(u.get("detail") or u.get("reason") or ""),
            error=str(u.get("error") or ""),
            url=u.get("url"),
            offline=offline,
        )
        for u in unavailable
    ]
    return AboutData(sources(provenance, started=started), gaps)

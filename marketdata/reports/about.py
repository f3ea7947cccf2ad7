"""The "About these data" box of a report: which data were used and from where, which
sections could not be filled, and the one command that fills them.

The box speaks plainly; technical detail (URLs, exception text) is kept in
:meth:`AboutData.manifest` for ``manifest.json`` and the log, never in the report body.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from marketdata.core import vintages
from marketdata.core.series_id import STATES
from marketdata.reports.tables.growth_tables import HISTORY_YEARS

#: How many OEWS releases ``marketdata fetch --history`` gets when a report needs them: the
#: growth explorer's history (the newest and the years before it).
HISTORY_RELEASES = HISTORY_YEARS + 1
#: A state's FIPS code in a projections cache key (``longterm-39``) or URL
#: (``LongTermRestJson/39``).
_STATE_KEY = re.compile(r"(?:longterm-|LongTermRestJson/)(\d{1,2})\b")
_POSTAL = {fips: postal for fips, (postal, _name) in STATES.items()}
#: Data kind -> what the reader is told is missing.
WHAT: dict[str, str] = {
    "oews": "industry detail from BLS's full OEWS files (not in the bundled data)",
    "ep": "BLS's Employment Projections",
    "history": "past OEWS releases (BLS's archive)",
    "cps": (
        "the CPS certification table by occupation group (the estimates shown use CPS table "
        "54's rows by education instead)"
    ),
    "state": "{state}'s long-term projections (Projections Central)",
    "other": "the data of this section",
}
#: Programs whose files another agency publishes (BLS otherwise).
PUBLISHERS: dict[str, str] = {
    "BEA": "BEA",
    "Projections Central": "Projections Central",
    "O*NET": "O*NET",
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

    @property
    def publisher(self) -> str:
        """Who publishes the files: BLS, or the program's own agency."""
        return PUBLISHERS.get(self.program, "BLS")

    def sentence(self) -> str:
        """``OEWS May 2025: bundled with marketdata (BLS's files retrieved 2026-09-26).``"""
        who = self.publisher
        how = {
            "bundled": f"bundled with marketdata ({who}'s files retrieved {self.retrieved})",
            "downloaded": f"downloaded from {who} on {self.retrieved}",
            "cached": f"from the cache (downloaded from {who} on {self.retrieved})",
            "added by hand": f"from files added by hand on {self.retrieved}",
        }[self.origin]
        return f"{self.program} {self.release}: {how}."


@dataclass(frozen=True)
class Gap:
    """A section that could not be filled: in plain words, and technically."""

    section: str
    kind: str
    state: str | None = None  # postal code, for state projections
    reason: str = ""  # plain: "offline mode is on"
    detail: str = ""  # technical: the exception's text (manifest and log only)
    error: str = ""
    url: str | None = None

    @property
    def what(self) -> str:
        """What is missing, in plain words."""
        name = STATES.get(_fips_of(self.state), ("", self.state or "the state"))[1]
        return WHAT.get(self.kind, WHAT["other"]).format(state=name)

    def sentence(self) -> str:
        """``Industries that employ it: needs industry detail from BLS's full OEWS files
        (not in the bundled data), which could not be had because offline mode is on.``"""
        why = f" because {self.reason}" if self.reason else ""
        if self.kind == "other":
            return f"{self.section}: its data could not be loaded{why}."
        return f"{self.section}: needs {self.what}, which could not be had{why}."

    def note(self) -> str:
        """What the section itself says, pointing to the box: "Not downloaded yet: ..." when
        offline mode kept the data out, else "Not available here: ..., because ..."."""
        if self.reason == "offline mode is on":
            return (
                f"Not downloaded yet: {self.what}. “About these data” at the end of the "
                "report says how to add it."
            )
        why = f", because {self.reason}" if self.reason else ""
        return (
            f"Not available here: {self.what}{why}. “About these data” at the end of the "
            "report says how to fill this section."
        )

    def record(self) -> dict[str, Any]:
        """The gap for ``manifest.json``: plain words, technical detail and the command."""
        return {
            "section": self.section,
            "reason": self.detail,
            "error": self.error,
            "url": self.url,
            "needs": self.kind,
            "state": self.state,
            "plain": self.sentence(),
            "command": fetch_command([self]),
        }


@dataclass(frozen=True)
class AboutData:
    """The content of the box."""

    sources: list[SourceNote] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    #: The day whose publication schedule counts (default: today).
    today: date | None = None
    #: The attributions the sources' licences ask for (O*NET's CC BY 4.0), shown as given.
    attributions: list[str] = field(default_factory=list)

    def newer(self) -> list[str]:
        """One line per source older than its program's schedule says is out
        (:func:`marketdata.core.vintages.behind`), with the command that fetches the newer one."""
        records = [{"program": s.program, "release": s.release} for s in self.sources]
        return vintages.notes(records, today=self.today)

    def command(self) -> str | None:
        """The one command that fills every gap (None when there is none to fill)."""
        return fetch_command(self.gaps)

    def lines(self) -> list[str]:
        """Plain sentences: sources, then gaps and the command (also the terminal's summary)."""
        out = [s.sentence() for s in self.sources] + self.attributions + self.newer()
        if not self.gaps:
            return [*out, "Every section of this report was filled."]
        out += [f"Not filled: {g.sentence()}" for g in self.gaps]
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
            f"<p>{html.escape(self.agencies())}</p>",
            f"<ul>{items}</ul>" if items else "<p>No data source was recorded.</p>",
            *(f"<p>{html.escape(line)}</p>" for line in self.attributions + self.newer()),
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

    def agencies(self) -> str:
        """Who published the data: ``Data sources: U.S. Bureau of Labor Statistics; ...``."""
        programs = {s.program for s in self.sources}
        text = "Data sources: U.S. Bureau of Labor Statistics"
        if "Projections Central" in programs:
            text += "; state projections: Projections Central (the states' labor market offices)"
        if "BEA" in programs:
            text += "; regional price parities: U.S. Bureau of Economic Analysis"
        if "O*NET" in programs:
            text += "; job descriptions and related jobs: O*NET (U.S. Department of Labor)"
        return text + "."

    def manifest(self) -> list[dict[str, Any]]:
        """The gaps with their technical detail, for ``manifest.json``."""
        return [g.record() for g in self.gaps]


def _fips_of(postal: str | None) -> str:
    return next((f for f, p in _POSTAL.items() if p == postal), "")


def kind_of(text: str) -> tuple[str, str | None]:
    """Which data a URL, cache key or error text points at, and the state's postal code for
    state projections: ``("state", "OH")``, ``("oews", None)``..."""
    for pattern, kind in _PATTERNS:
        if pattern in text:
            if kind == "state":
                found = _STATE_KEY.search(text)
                return kind, _POSTAL.get(found[1].zfill(2)) if found else None
            return kind, None
    return "other", None


def plain_reason(error: str, *, offline: bool, kind: str = "") -> str:
    """Why, in plain words, from the error's class name (``kind``: which data, so that the
    right publisher is named)."""
    if error == "ContactRequired":
        return "BLS refused the download; set MARKETDATA_CONTACT to your e-mail address"
    if error in ("OfflineError", "FetchError", "RateLimited", "ChecksumError"):
        publisher = "Projections Central" if kind == "state" else "BLS"
        return "offline mode is on" if offline else f"{publisher} could not be reached"
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
        reason=plain_reason(error, offline=offline, kind=kind),
        detail=" ".join(detail.split()),
        error=error,
        url=url,
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


def _gap_of(record: Mapping[str, Any], offline: bool) -> Gap:
    """A gap back from its manifest record (or from a bare ``section``/``reason`` record)."""
    found = gap(
        str(record["section"]),
        str(record.get("reason") or ""),
        error=str(record.get("error") or ""),
        url=record.get("url"),
        offline=offline,
    )
    if record.get("needs"):
        found = replace(found, kind=str(record["needs"]), state=record.get("state"))
    return found


def about(
    provenance: Iterable[Mapping[str, Any]],
    unavailable: Iterable[Mapping[str, Any]],
    *,
    started: datetime | None = None,
    offline: bool = False,
    today: date | None = None,
) -> AboutData:
    """The box from recorded provenance and unavailable sections (the manifest's ``data``
    and ``unavailable`` records); ``today``: the day whose publication schedules count
    (default: today)."""
    gaps = list({g.sentence(): g for g in (_gap_of(u, offline) for u in unavailable)}.values())
    records = list(provenance)
    attributions = [str(r["attribution"]) for r in records if r.get("attribution")]
    return AboutData(
        sources(records, started=started), gaps, today, list(dict.fromkeys(attributions))
    )


def closing_lines(manifest: Mapping[str, Any]) -> list[str]:
    """What the terminal says after a report: the data used and what was not available
    (the box's words)."""
    box = about(
        manifest.get("data", []),
        manifest.get("unavailable", []),
        offline=bool(manifest.get("offline")),
    )
    return box.lines()

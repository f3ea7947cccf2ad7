"""What a job is, in O*NET's words: title, description, core tasks, hot technologies, job zone.

>>> from marketdata import onet_profile
>>> p = onet_profile.profile("29-2072")  # doctest: +SKIP
>>> p.job_zone_text  # doctest: +SKIP
'Job Zone 3: medium preparation needed. Most occupations in this zone require training ...'

For the reports' "what they do" lines. Every :class:`Profile` carries the CC BY 4.0
attribution O*NET asks for (``attribution``): show it wherever the text is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from marketdata.core.config import Settings, get_settings
from marketdata.datasets import onet, recipe
from marketdata.sources.onet_text_files import TABLES

__all__ = ["PARTS", "Profile", "job_zone_text", "profile"]

#: The O*NET tables a profile can do without, and the part of it each gives.
PARTS = {
    "tasks": "tasks",
    "technology": "hot technologies",
    "job_zones": "job zone",
    "job_zone_reference": "job zone text",
    "alternate_titles": "alternate titles",
    "reported_titles": "reported job titles",
}


@dataclass(frozen=True)
class Profile:
    """One O*NET occupation in plain words.

    ``tasks``: O*NET's core task statements (task type "Core"); where O*NET gives the
    occupation no task types, its task statements in O*NET's order, and ``tasks_note`` says
    so. ``job_zone`` is None when O*NET has not rated the occupation. ``notes``: a sentence
    per O*NET file the release lacks (its part of the profile is then empty).
    """

    onet_code: str
    title: str
    description: str
    tasks: tuple[str, ...]
    tasks_note: str
    hot_technologies: tuple[str, ...]
    job_zone: int | None
    job_zone_text: str
    alternate_titles: tuple[str, ...]
    release: str
    attribution: str
    notes: tuple[str, ...] = ()
    provenance: tuple[dict, ...] = field(default=(), repr=False)
    #: Job titles workers reported to O*NET, those My Next Move shows first.
    reported_titles: tuple[str, ...] = ()

    def common_names(self, limit: int = 3) -> tuple[str, ...]:
        """The job's everyday names: reported job titles, then alternate titles, without
        those named for a credential ("Certified ...", "Registered ...") or the title itself,
        and without a bracketed short form ("Health Information Technician")."""
        names: dict[str, None] = {}
        for title in (*self.reported_titles, *self.alternate_titles):
            name = title.split(" (")[0].strip()
            if name.split(" ")[0] in ("Certified", "Registered") or name == self.title:
                continue
            names.setdefault(name, None)
        return tuple(names)[:limit]


def job_zone_text(zone: int, reference: dict[str, str]) -> str:
    """A job zone in plain words from its row of ``Job Zone Reference.txt``.

    >>> job_zone_text(3, {"name": "Job Zone Three: Medium Preparation Needed",
    ...                   "education": "Most need an associate's degree."})
    "Job Zone 3: medium preparation needed. Most need an associate's degree."
    """
    name = re.sub(r"^Job Zone \w+:\s*", "", reference.get("name", "")).lower()
    text = f"Job Zone {zone}: {name}." if name else f"Job Zone {zone}."
    return f"{text} {reference.get('education', '')}".strip()


def profile(
    occupation: str, *, release: str | None = None, settings: Settings | None = None
) -> Profile:
    """O*NET's description of ``occupation``: a SOC code (``29-2072`` means ``29-2072.00``),
    an O*NET-SOC code (``29-2099.08``) or a title.

    Parameters
    ----------
    release
        O*NET release (default the bundled one, or the cached zip of it).

    Returns
    -------
    Profile
        Title, description, core tasks, hot technologies, job zone with its text,
        alternate and reported job titles, the attribution and the provenance; ``notes`` name the files a
        release lacks (:data:`PARTS`: those parts are then empty).

    Raises
    ------
    UnknownCode
        O*NET has no such occupation (lists the closest codes).
    MissingFileError
        The release has no ``Occupation Data.txt``.
    """
    import pandas as pd

    settings = get_settings(settings)
    notes = []
    with recipe.one_warning("O*NET profile"):  # one warning for all its tables
        tables = {"occupations": onet.load("occupations", release=release, settings=settings)}
        for name, part in PARTS.items():
            frame, why = onet.load_optional(name, release=release, settings=settings)
            if frame is None:
                notes.append(f"{why}: the profile has no {part}.")
                frame = pd.DataFrame(columns=list(TABLES[name].columns.values()))
            tables[name] = frame
    occupations = tables["occupations"]
    code = onet.find(occupation, occupations=occupations)
    row = occupations[occupations["onet_code"] == code].iloc[0]
    tasks = tables["tasks"][tables["tasks"]["onet_code"] == code]
    core = tasks[tasks["task_type"] == "Core"]
    note = ""
    if core.empty and not tasks.empty:
        core = tasks
        note = "O*NET gives these tasks no core or supplemental type; all are listed."
    tech = tables["technology"]
    hot = tech[(tech["onet_code"] == code) & tech["hot_technology"].fillna(False)]
    zones = tables["job_zones"][tables["job_zones"]["onet_code"] == code]
    zone = int(zones["job_zone"].iloc[0]) if len(zones) else None
    reference = tables["job_zone_reference"]
    ref_rows = reference[reference["job_zone"] == zone].to_dict("records") if zone else []
    alternate = tables["alternate_titles"]
    reported = tables["reported_titles"]
    reported = reported[reported["onet_code"] == code].sort_values(
        "shown_in_my_next_move", ascending=False, kind="stable"
    )
    provenance = [p for t in tables.values() for p in t.attrs.get("provenance", [])]
    unique = [dict(t) for t in {tuple(sorted(p.items())) for p in provenance}]
    return Profile(
        onet_code=code,
        title=str(row["title"]),
        description=str(row["description"]),
        tasks=tuple(core["task"].astype(str)),
        tasks_note=note,
        hot_technologies=tuple(dict.fromkeys(hot["example"].astype(str))),
        job_zone=zone,
        job_zone_text=job_zone_text(zone, ref_rows[0]) if ref_rows and zone else "",
        alternate_titles=tuple(alternate.loc[alternate["onet_code"] == code, "title"].astype(str)),
        release=onet.release_of(release),
        attribution=occupations.attrs["attribution"],
        notes=tuple(notes),
        provenance=tuple(sorted(unique, key=lambda p: str(p.get("source_url")))),
        reported_titles=tuple(reported["title"].astype(str)),
    )

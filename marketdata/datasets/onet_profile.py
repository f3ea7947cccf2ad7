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

_NUMBERS = {"One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}


@dataclass(frozen=True)
class Profile:
    """One O*NET occupation in plain words.

    ``tasks``: O*NET's core task statements (task type "Core"); where O*NET gives the
    occupation no task types, its task statements in O*NET's order, and ``tasks_note`` says
    so. ``job_zone`` is None when O*NET has not rated the occupation.
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
    provenance: tuple[dict, ...] = field(default=(), repr=False)


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
        alternate titles, the attribution and the provenance.

    Raises
    ------
    UnknownCode
        O*NET has no such occupation (lists the closest codes).
    """
    settings = get_settings(settings)
    with recipe.one_warning("O*NET profile"):  # one warning for the six tables
        tables = {
            name: onet.load(name, release=release, settings=settings)
            for name in (
                "occupations",
                "tasks",
                "technology",
                "job_zones",
                "job_zone_reference",
                "alternate_titles",
            )
        }
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
        provenance=tuple(sorted(unique, key=lambda p: str(p.get("source_url")))),
    )

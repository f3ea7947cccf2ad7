"""The ``marketdata related`` and ``marketdata search`` commands (O*NET content).

``related OCCUPATION --area OH``: where a job can lead, as a plain table a counselor can read.
``search WORDS``: occupations by the words people use, with the title that matched. Under
O*NET content, the attribution O*NET asks for.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import click

from marketdata.cli.report_options import TEXT
from marketdata.core.errors import OfflineDataWarning

if TYPE_CHECKING:
    import pandas as pd


def _money(value: float) -> str:
    from marketdata.core.formatting import format_value

    return format_value(value, "annual_median")


def _yes_no(value: object) -> str:
    import pandas as pd

    return "n/a" if pd.isna(value) else ("yes" if value else "no")


def related_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The :func:`marketdata.analysis.pathways.pathways` frame as the command prints it."""
    import pandas as pd

    from marketdata.core.formatting import format_value

    area = str(frame["area_name"].iloc[0]) if len(frame) else "Area"
    marks = frame["match"].map({"parent": " *", "group": " *"}).fillna("")
    titles = frame["onet_title"].astype(str) + marks
    return pd.DataFrame(
        {
            "Occupation": frame["occupation_code"].replace("", "-") + " " + titles,
            "Tier": frame["tier"],
            "Rank": frame["rank"].astype(str),
            f"{area} jobs": frame["employment"].map(lambda v: format_value(v, "employment")),
            f"{area} median": frame["annual_median"].map(_money),
            "U.S. median": frame["annual_median_national"].map(_money),
            "Growth": frame["percent_change"].map(lambda v: format_value(v, "percent_change")),
            "Openings/yr": frame["openings_annual"].map(lambda v: format_value(v, "openings")),
            "Typical entry education": frame["typical_education"].fillna("n/a"),
            "Job zone": frame["job_zone"].map(lambda z: "n/a" if pd.isna(z) else str(int(z))),
            "Pays more": [_yes_no(v) for v in frame["pays_more"]],
        }
    )


def growth_line(frame: pd.DataFrame) -> str:
    """Where the growth and openings come from: the most rows' source, then any other with
    the occupations it gives (a state's projections may not list every one)."""
    given = frame[frame["growth_source"].fillna("") != ""]
    if given.empty:
        return "Growth and openings: no projections list these occupations."
    counts = given["growth_source"].value_counts(sort=True)
    parts = [str(counts.index[0])]
    for source in counts.index[1:]:
        codes = given.loc[given["growth_source"] == source, "occupation_code"]
        parts.append(f"{source} for {', '.join(dict.fromkeys(codes))}")
    return f"Growth and openings: {'; '.join(parts)}."


def cmd_related(occupation: str, area: str) -> int:
    """Show where an occupation can lead: O*NET's related occupations with local figures."""
    from marketdata.cli import commands as cli
    from marketdata.datasets import codes, onet

    codes.resolve_area(area)  # mistyped codes and areas are answered before pandas loads
    onet.check_occupation(occupation)
    from marketdata.analysis.pathways import pathways

    with warnings.catch_warnings():  # printed below as notes
        warnings.simplefilter("ignore", OfflineDataWarning)
        frame = pathways(occupation, area)
    start = frame.attrs["start"]
    median = _money(start["annual_median"]) if start["annual_median"] else "n/a"
    zone = f"Job Zone {start['job_zone']}" if start["job_zone"] else "no job zone"
    print(
        f"{start['onet_code']} {start['onet_title']}: where it can lead, {start['area_name']} "
        f"(starting median {median}, {zone})"
    )
    if frame.empty:
        print("O*NET lists no related occupations for it.")
    else:
        cli._print_frame(related_table(frame))
        print(growth_line(frame))
    for note in sorted(set(frame["pay_note"]) - {""}):
        print(f"* {note}")
    if start["pay_note"]:
        print(f"* {start['pay_note']}")
    for note in frame.attrs.get("notes", []):
        print(f"Note: {note}")
    cli._print_provenance(frame)
    print(frame.attrs["attribution"])
    return 0


def cmd_search(words: tuple[str, ...], limit: int) -> int:
    """List occupations whose titles, or O*NET's job titles for them, hold the words."""
    from marketdata.bundled import onet_bundle as bundled
    from marketdata.cli import commands as cli
    from marketdata.datasets import codes
    from marketdata.sources.onet_text_files import attribution

    text = " ".join(words)
    found = codes.search_occupations(text, limit=limit)
    if found.empty:
        print(f"No occupation title holds the words {text!r}; try fewer or other words.")
        return 1
    shown = found.rename(
        columns={
            "occupation_code": "Code",
            "occupation_title": "Occupation",
            "score": "Score",
            "matched_title": "Matched title",
            "matched": "Matched in",
        }
    ).drop(columns=["occupation_level"])
    shown["Score"] = shown["Score"].map(lambda s: f"{s:.0f}")
    cli._print_frame(shown)
    if (found["matched"] != "SOC title").any():
        print(attribution(bundled.release()))
    return 0


def add_commands(group: click.Group) -> None:
    """Register ``related`` and ``search`` on the ``marketdata`` command group."""

    @group.command(
        help="Show where a job can lead: related occupations with local pay.\n\n"
        "O*NET's related occupations of OCCUPATION (tier and O*NET's rank) with the area's "
        "OEWS employment and median, the nation's median, projected growth and openings (the state's when cached, else the nation's), "
        "typical entry education, O*NET job zone, and whether each pays more than OCCUPATION "
        "in the area. Closer tiers first, then a job zone the same or one higher, then higher "
        "local pay. * marks pay that is the SOC parent's or group's.",
    )
    @click.argument("occupation", type=TEXT)
    @click.option(
        "--area", default="US", type=TEXT, help="US, a state (OH), metro or nonmetro area"
    )
    def related(occupation: str, area: str) -> int:
        return cmd_related(occupation, area)

    @group.command(
        help="Find an occupation by the words people use.\n\n"
        "Occupations whose SOC title, or one of O*NET's alternate or reported job titles, "
        "holds the words; best first, with the title that matched.",
    )
    @click.argument("words", nargs=-1, required=True, type=TEXT)
    @click.option("--limit", type=int, default=10, help="how many to list (default 10)")
    def search(words: tuple[str, ...], limit: int) -> int:
        return cmd_search(words, limit)

"""The career brief rendered: HTML for the report page and print, plain text for the terminal.

Every text is escaped; a `command` in a sentence becomes ``<code>``. Optional sections
(``profile``, ``pathways``) render nothing when None.
"""

from __future__ import annotations

import html as markup
import re
from typing import Any

import pandas as pd

from marketdata.core.formatting import format_value
from marketdata.reports.brief import Brief, Certification, Jobs, Takes, in_area
from marketdata.reports.summary import money, plain_title


def _e(text: object) -> str:
    return markup.escape(str(text))


def _code(text: str) -> str:
    """Escaped text with `command` spans as <code>."""
    parts = _e(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))


def _figure(value: str | None, unit: str, label: str) -> str:
    """A large figure and its label line; a dash and "no figure" when it is missing."""
    shown, line = (_e(value), f"{unit} {label}") if value else ("—", f"{label}: no figure")
    return (
        f'<div class="md-figure"><span class="md-big">{shown}</span>'
        f'<span class="md-label">{_e(line)}</span></div>'
    )


def _profile_html(profile: Any | None) -> str:
    """What the job is (O*NET): other names and core tasks, when a profile is given."""
    if profile is None:
        return ""
    titles = profile.common_names()
    tasks = list(profile.tasks)[:2]
    out = ['<section class="md-card md-what"><h3>What the job is</h3>']
    if titles:
        out.append(f"<p>Also called: {_e(', '.join(titles))}.</p>")
    if tasks:
        out.append("<ul>" + "".join(f"<li>{_e(t)}</li>" for t in tasks) + "</ul>")
    if profile.job_zone_text:  # its first sentence: "Job Zone 3: medium preparation needed"
        out.append(f"<p>{_e(profile.job_zone_text.split('. ')[0].rstrip('.'))}.</p>")
    out.append(f'<p class="md-label">{_e(profile.attribution)}</p></section>')
    return "".join(out)


def _pathways_html(pathways: Any | None, *, attributed: bool = False) -> str:
    """Where it can lead: related occupations with their pay and growth, when given; O*NET's
    attribution under them unless the card of what the job is shows it (``attributed``)."""
    if pathways is None:
        return ""
    rows = pathways.to_dict("records") if isinstance(pathways, pd.DataFrame) else list(pathways)
    if not rows:
        return ""
    shown = rows[:5]
    whose = {_whose_growth(r) for r in shown if _growth_words(r.get("percent_change"))}
    items = []
    for r in shown:
        title = plain_title(str(r.get("onet_title") or r.get("occupation_title") or ""))
        pay = money({"annual_median": r.get("annual_median")}, "annual_median")
        pays_more = r.get("pays_more")
        more = " (pays more)" if pd.notna(pays_more) and bool(pays_more) else ""
        said = [f"{pay} a year{more}"] if pay else []
        growth = _growth_words(r.get("percent_change"))
        if growth:
            said.append(growth + (f" ({_whose_growth(r)} forecast)" if len(whose) > 1 else ""))
        group = ""
        if said and r.get("match") in ("parent", "group"):  # BLS publishes only the group
            group = f" (figures for the larger group: {plain_title(str(r['occupation_title']))})"
        detail = f": {'; '.join(said)}{group}" if said else ""
        items.append(f"<li>{_e(title + detail)}</li>")
    area = rows[0].get("area_name") or ""
    where = f" Pay is the median in {_e(area)}." if area else ""
    if whose:
        forecast = f" ({next(iter(whose))} forecast)" if len(whose) == 1 else ""
        where += f" Growth is the change in jobs projected over ten years{_e(forecast)}."
    credit = "" if attributed else getattr(pathways, "attrs", {}).get("attribution", "")
    return (
        '<section class="md-card md-paths"><h3>Where it can lead</h3>'
        "<p>Jobs O*NET lists as related, the closest first." + where + "</p>"
        f"<ul>{''.join(items)}</ul>"
        + (f'<p class="md-label">{_e(credit)}</p>' if credit else "")
        + "</section>"
    )


def _growth_words(percent: Any) -> str:
    """A related job's projected change in jobs, in words: "15% more jobs"."""
    if percent is None or pd.isna(percent):
        return ""
    if round(float(percent), 1) == 0:
        return "about as many jobs"
    size = format_value(abs(float(percent)), "percent_change").lstrip("+")
    return f"{size} {'more' if percent > 0 else 'fewer'} jobs"


def _whose_growth(row: dict[str, Any]) -> str:
    """Whose forecast a related job's growth is: "the nation's" or the state's ("Ohio's")."""
    source = str(row.get("growth_source") or "")
    return "the nation's" if source.startswith("national") else f"{source.split(',')[0]}'s"


def html(brief: Brief) -> str:
    """The brief as an HTML section (every text escaped)."""
    p = brief.pay
    where = in_area(brief.area_name)
    pay = [
        '<section class="md-card md-pay"><h3>Pay ' + _e(where) + "</h3>",
        '<div class="md-figures">',
        _figure(p.year, "a year", "(median)"),
        _figure(p.hour, "an hour", "(median)"),
        "</div>",
        f"<p>{_e(brief.pay_sentence())}</p>" if brief.pay_sentence() else "",
        "<ul>",
    ]
    if p.start:
        pay.append(f"<li>Starting (10th to 25th percentile): {_e(p.start)}</li>")
    if p.experienced:
        pay.append(f"<li>Experienced (75th to 90th percentile): {_e(p.experienced)}</li>")
    if p.nation_year:
        hour = f", {_e(p.nation_hour)} an hour" if p.nation_hour else ""
        pay.append(f"<li>Nation: {_e(p.nation_year)} a year{hour}</li>")
    pay.append("</ul></section>")
    parts = [
        '<section class="md-brief" aria-label="Career brief">',
        f"<h2>{_e(brief.title)} {_e(where)}</h2>",
        f'<p class="md-sub">Job code {_e(brief.occupation_code)}. '
        f"Pay figures: {_e(brief.release)}.</p>",
        '<div class="md-cards">',
        _profile_html(brief.profile),
        "".join(pay),
        _certification_html(brief.certification),
        _jobs_html(brief.jobs),
        "</div>",
        '<div class="md-cards md-more">',
        _places_html(brief),
        _takes_html(brief.takes),
        _pathways_html(brief.pathways, attributed=brief.profile is not None),
        "</div>",
    ]
    if brief.sources:
        parts.append(f'<p class="md-sources">{_e(brief.sources)}</p>')
    if brief.missing:
        parts.append(f'<p class="md-missing">{_code(brief.missing)}</p>')
    parts.append("</section><!--md-brief-end-->")
    return "".join(parts)


def _certification_html(cert: Certification | None) -> str:
    if cert is None:
        return ""
    out = [
        '<section class="md-card md-cert"><h3>With and without a certification</h3>',
        '<div class="md-figures">',
        _figure(cert.without, "a year", "without a certification (estimate)"),
        _figure(cert.with_, "a year", "with a certification (estimate)"),
    ]
    out += [_figure(figure, "a year", label) for label, figure in cert.own]
    out.append(f'</div><p class="md-basis">{_e(cert.basis)}</p>')
    if cert.required:
        out.append(f"<p>{_e(cert.required)}</p>")
    out.append("</section>")
    return "".join(out)


def _jobs_html(jobs: Jobs) -> str:
    lines = [s for s in (jobs.employed, jobs.outlook) if s]
    if not lines:
        return ""
    body = "".join(f"<p>{_code(s)}</p>" for s in lines)
    return f'<section class="md-card md-jobs"><h3>Jobs</h3>{body}</section>'


def _places_html(brief: Brief) -> str:
    if not brief.places:
        return ""
    items = "".join(
        f"<li>{_e(p.name)}: {_e(p.median)} a year ({_e(p.jobs)} jobs)</li>" for p in brief.places
    )
    return (
        f'<section class="md-card md-places"><h3>Best-paying places {_e(brief.places_where)}</h3>'
        f"<ul>{items}</ul></section>"
    )


def _takes_html(takes: Takes | None) -> str:
    if takes is None:
        return ""
    items = [
        ("Education to start", takes.education),
        ("Work experience", takes.experience),
        ("Training on the job", takes.training),
    ]
    rows = "".join(f"<li>{_e(k)}: {_e(v)}</li>" for k, v in items if v)
    return f'<section class="md-card md-takes"><h3>What it takes</h3><ul>{rows}</ul></section>'


def text(brief: Brief) -> str:
    """The brief as plain text (the terminal and tests read it)."""
    found = re.sub(r"<(h2|h3|p|li|div class=\"md-figure\")[^>]*>", "\n", html(brief))
    found = re.sub(r"<[^>]+>", " ", found)
    lines = (" ".join(line.split()) for line in markup.unescape(found).splitlines())
    return "\n".join(line for line in lines if line)

"""Each report's validator: checks its parameters before any kernel starts.

A validator resolves codes and names (``"Ohio"`` -> ``3900000``), pins ``release="latest"``
to the release it means (so a rerun uses the same data) and says which labels make the
report's folder name. It raises the package's errors for bad input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marketdata.core.config import Settings
from marketdata.core.errors import ReportError
from marketdata.reports import resolve
from marketdata.reports.catalogue import notebook_parameters


@dataclass(frozen=True)
class Resolved:
    """What a report's validator returns.

    ``parameters``: the values handed to the notebook (e.g. ``release="latest"`` pinned to the
    release it means, so that a rerun uses the same data). ``labels``: readable names of the
    key parameters, in order; they make the slug and are recorded in the manifest.
    """

    parameters: dict[str, Any]
    labels: dict[str, str]


Validator = Callable[[dict[str, Any], Settings], Resolved]


def _release(value: Any, where: Any, occupation: str | None, settings: Settings) -> str:
    """The OEWS release ``value`` means, checked to be loadable (the current one always is:
    downloaded, cached or bundled; a past one must be cached or downloadable)."""
    from marketdata.datasets import oews
    from marketdata.sources.oews_archive import parse_release

    current = oews.current_release(settings=settings)
    text = str(value).strip()
    if text.lower() == "latest":
        return current
    rel = parse_release(text)
    if str(rel.year) in current:
        return current
    oews.load(occupation, where.code, release=rel.label, settings=settings)
    return rel.label


def outlook(params: dict[str, Any], settings: Settings) -> Resolved:
    """``occupation_outlook``: one occupation in one area, against comparison areas."""
    occ = resolve.occupation(params["occupation"], settings=settings)
    where = resolve.area(params["area"], settings=settings)
    found = resolve.areas(params["comparison_areas"], settings=settings)
    # an area is compared once and never with itself: "OH" and "Ohio" are one area
    others = list({a.code: a for a in found if a.code != where.code}.values())
    release = _release(params["release"], where, occ.code, settings)
    labels = {"occupation": occ.code, "area": where.name}
    labels.update({f"comparison_{i}": a.name for i, a in enumerate(others)})
    labels["release"] = release
    factors = str(params.get("factors") or "").strip()
    if factors:
        from marketdata.analysis.salary.credential_columns import read_user_factors

        read_user_factors(factors)  # a bad file fails here, in one line, before the report runs
        factors = str(Path(factors).resolve())
        labels["factors"] = Path(factors).stem
    return Resolved(
        parameters={
            **params,
            "factors": factors,
            "occupation": occ.code,
            "area": where.code,
            "comparison_areas": [a.code for a in others],
            "release": release,
        },
        labels=labels,
    )


def regional(params: dict[str, Any], settings: Settings) -> Resolved:
    """``regional_salary_report``: a list or group of occupations in one area."""
    where = resolve.area(params["area"], settings=settings)
    chosen = params["occupations"]
    _, members = resolve.occupation_list(chosen, settings=settings)
    release = _release(params["release"], where, None, settings)
    if params["chart_limit"] < 1:
        raise ReportError(f"chart_limit={params['chart_limit']} must be at least 1")
    if isinstance(chosen, str):
        occupations: str | list[str] = resolve.occupation(chosen, settings=settings).code
        what = occupations
    else:
        occupations = [o.code for o in members]
        what = " ".join(occupations)
    labels = {"area": where.name, "occupations": what, "release": release}
    if params["chart_limit"] != notebook_parameters("regional_salary_report")["chart_limit"]:
        labels["chart"] = f"chart {params['chart_limit']}"  # its own folder, not an overwrite
    return Resolved(
        parameters={**params, "area": where.code, "occupations": occupations, "release": release},
        labels=labels,
    )


def growth(params: dict[str, Any], settings: Settings) -> Resolved:
    """``growth_explorer``: the fastest-growing occupations of a SOC group in one area."""
    group = resolve.occupation(params["soc_group"], settings=settings)
    if group.level == "detailed":
        raise ReportError(
            f"soc_group {params['soc_group']!r} is the detailed occupation {group.code} "
            f"{group.title}; give a group such as {group.code[:4]}000 or {group.code[:2]}-0000"
        )
    where = resolve.area(params["area"], settings=settings)
    if not 1 <= params["top_n"] <= 100:
        raise ReportError(f"top_n={params['top_n']} must be between 1 and 100")
    release = _release(params["release"], where, None, settings)
    marked = params.get("highlight") or ""
    if marked:  # named on the chart: an occupation of the group, as its code
        found = resolve.occupation(marked, settings=settings)
        if not found.code.startswith(resolve.group_prefix(group.code)):
            raise ReportError(
                f"highlight {found.code} {found.title} is not in {group.code} {group.title}; "
                f"give an occupation of the group, or leave highlight out"
            )
        marked = found.code
    labels = {"group": group.code, "area": where.name, "top": f"top {params['top_n']}"}
    return Resolved(
        parameters={
            **params,
            "soc_group": group.code,
            "area": where.code,
            "release": release,
            "highlight": marked,
        },
        labels={**labels, **({"highlight": marked} if marked else {}), "release": release},
    )


#: The validator of each report of :data:`~marketdata.reports.catalogue.REPORTS`.
VALIDATORS: dict[str, Validator] = {
    "occupation_outlook": outlook,
    "regional_salary_report": regional,
    "growth_explorer": growth,
}

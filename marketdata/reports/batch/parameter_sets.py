"""The parameter sets of a batch: area lists (``all-states``, ``OH-metros``, ...) and every
combination of the ``over`` values.

An area list is the value of an ``over`` key, items separated by commas (:func:`split_list`),
read on the current release's area table (:func:`marketdata.datasets.oews.areas`): each item is
a group name (``all-states``, ``all-metros``, ``OH-metros`` ...; the list is
:mod:`marketdata.datasets.codes_groups`'s), or an area as
:func:`marketdata.datasets.codes.resolve_area` reads it (``OH``, ``Columbus, OH``).
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataError, ReportError
from marketdata.datasets import codes, codes_groups, oews
from marketdata.reports import notebook_parameters

#: Parameters whose values are areas: duplicates are found by area code.
AREA_PARAMETERS = frozenset({"area"})


# --------------------------------------------------------------------------- area lists


def split_list(text: str) -> list[str]:
    """Items of a comma-separated list. A comma followed by a space stays inside an item,
    so BLS area names keep theirs: ``"Columbus, OH,Dayton-Kettering, OH,KY"`` gives
    ``["Columbus, OH", "Dayton-Kettering, OH", "KY"]``."""
    return [item.strip() for item in re.split(r",(?! )", text) if item.strip()]


def area_list(value: str | Iterable[str], *, settings: Settings | None = None) -> list[str]:
    """The areas ``value`` names, in order, without repeats: keywords (``all-states``,
    ``OH-metros``, ...) become seven-digit area codes; other items stay as given (they are
    checked when their report is planned). Text is split with :func:`split_list`.

    Raises :class:`~marketdata.core.errors.UnknownArea` for a malformed keyword (``ZZ-metros``).
    """
    items = split_list(value) if isinstance(value, str) else [str(v) for v in value]
    table = oews.areas(settings=settings)
    found: dict[str, str] = {}
    for item in items:
        if codes_groups.is_area_group(item):
            for area in codes_groups.group_areas(item, table=table):
                found.setdefault(area.code, area.code)
            continue
        try:
            key = codes.resolve_area(item, table=table).code
        except MarketdataError:
            key = item
        found.setdefault(key, item)
    return list(found.values())


def parameter_sets(
    name: str,
    *,
    over: Mapping[str, str | Sequence[Any]],
    params: Mapping[str, Any] | None = None,
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """Every combination of the ``over`` values, each with ``params`` added.

    A text value of ``over`` is a list (:func:`split_list`); area parameters
    (:data:`AREA_PARAMETERS`) and keyword items go through :func:`area_list`.
    """
    params = dict(params or {})
    known = notebook_parameters(name)
    for key in [*params, *over]:
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ReportError(
                f"unknown parameter {key!r}{hint} for report {name}. Parameters: {', '.join(known)}"
            )
    both = sorted(set(params) & set(over))
    if both:
        raise ReportError(f"parameter {both[0]!r} is given both as a value and in --over")
    choices: dict[str, list[Any]] = {}
    for key, value in over.items():
        items = split_list(value) if isinstance(value, str) else list(value)
        if key in AREA_PARAMETERS or any(codes_groups.is_area_group(i) for i in items):
            items = area_list(items, settings=settings)
        else:
            items = list({json.dumps(i, sort_keys=True): i for i in items}.values())
        if not items:
            raise ReportError(f"--over {key}= names no values")
        choices[key] = items
    return [
        {**params, **dict(zip(choices, combo, strict=True))}
        for combo in itertools.product(*choices.values())
    ]

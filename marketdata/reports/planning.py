"""Plan a report: validate its parameters and decide where it goes, writing nothing."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marketdata.core.config import Settings, get_settings
from marketdata.reports.catalogue import REPORTS, notebook_path, with_defaults
from marketdata.reports.folders import inside, output_root, slugify
from marketdata.reports.validation import VALIDATORS


@dataclass(frozen=True)
class ReportPlan:
    """A validated report run: everything needed to execute it, nothing written yet."""

    name: str
    title: str
    notebook: Path
    requested: dict[str, Any]
    parameters: dict[str, Any]
    labels: dict[str, str]
    slug: str
    root: Path
    target: Path
    settings: Settings = field(repr=False)


def plan(
    name: str,
    *,
    output_dir: str | os.PathLike[str] | None = None,
    settings: Settings | None = None,
    **parameters: Any,
) -> ReportPlan:
    """Validate ``parameters`` for report ``name`` and decide where it goes; writes nothing.

    Raises the package's errors: :class:`ReportError` (unknown report or parameter), and the
    API's :class:`~marketdata.core.errors.UnknownCode`, :class:`~marketdata.core.errors.UnknownArea`,
    :class:`~marketdata.core.errors.UnknownRelease` or :class:`~marketdata.core.errors.OfflineError`.
    """
    settings = get_settings(settings)
    notebook = notebook_path(name)
    full = with_defaults(name, parameters)
    resolved = VALIDATORS[name](full, settings)
    slug = slugify(" ".join(resolved.labels.values()) or name)
    root = output_root(output_dir)
    return ReportPlan(
        name=name,
        title=REPORTS[name].title,
        notebook=notebook,
        requested=dict(parameters),
        parameters=resolved.parameters,
        labels=resolved.labels,
        slug=slug,
        root=root,
        target=inside(root, name, slug),
        settings=settings,
    )

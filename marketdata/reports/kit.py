"""Helpers used inside report notebooks: show a table or figure AND write it to the report folder.

A notebook calls :func:`start` once, then :func:`show_summary`, :func:`show_table`,
:func:`show_figure`, :func:`show_note`, :func:`section` and :func:`show_missing`, and ends
with :func:`show_about` (the "About these data" box). Where files go:

- the folder set with :func:`writing_to` (used by in-process engines), else
- the folder named by the environment variable ``MARKETDATA_REPORT_DIR`` (set by
  :mod:`marketdata.reports` for the kernel it starts), else
- nowhere: opened by hand in Jupyter, the notebook only displays.

Files written: ``tables/<name>.csv``, ``figures/<name>.png`` and small records the runner
folds into ``manifest.json`` (``_provenance.json``, ``_sections.json``, ``_summary.json``).
What could not be filled is said in plain words; URLs and exception text go to the manifest
and the log only.

Everything shown is escaped: BLS titles and notes never become markup.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from marketdata.core.config import get_settings
from marketdata.core.errors import (
    MarketdataError,
    MarketdataWarning,
    OfflineDataWarning,
    ReportError,
)
from marketdata.core.formatting import display_frame
from marketdata.core.schema import plain, provenance_of
from marketdata.reports import about, brief, brief_html, chart_process, glossary
from marketdata.reports.charts import Chart, png
from marketdata.reports.headings import LABELS, NUMERIC
from marketdata.reports.report_env import ENV_VAR
from marketdata.reports.table_html import table_html
from marketdata.reports.tables.tidy import say_whose, tidy

if TYPE_CHECKING:
    from matplotlib.figure import Figure

logger = logging.getLogger(__name__)

PROVENANCE_FILE = "_provenance.json"
SECTIONS_FILE = "_sections.json"
SUMMARY_FILE = "_summary.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_state: dict[str, object] = {
    "dir": None,
    "provenance": [],
    "sections": [],
    "warnings": set(),
    "started": None,
    "charts": [],
}


# --------------------------------------------------------------------------- where files go


@contextmanager
def writing_to(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Write tables and figures to ``path`` inside the ``with`` block (in-process engines)."""
    previous = _state["dir"]
    _state["dir"] = Path(path)
    reset()
    try:
        yield Path(path)
    finally:
        _state["dir"] = previous


def output_dir() -> Path | None:
    """The folder tables and figures are written to, or ``None`` (display only)."""
    if _state["dir"] is not None:
        return _state["dir"]  # type: ignore[return-value]
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else None


def reset() -> None:
    """Forget recorded provenance and sections (start of a notebook run)."""
    _state["provenance"] = []
    _state["sections"] = []
    _state["warnings"] = set()
    _state["started"] = datetime.now(UTC)
    _state["charts"] = []


def start() -> None:
    """Call once at the top of a report notebook.

    Resets the records, and shows the package's warnings (suppressed values) as notes in the
    report instead of raw text on stderr; that bundled data were used (an
    :class:`~marketdata.core.errors.OfflineDataWarning`) is said once, in the About box.
    """
    reset()
    warnings.showwarning = _show_warning


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    if issubclass(category, OfflineDataWarning):
        logger.info("%s", message)
    elif issubclass(category, MarketdataWarning):
        shown: set[str] = _state["warnings"]  # type: ignore[assignment]
        if str(message) not in shown:
            shown.add(str(message))
            show_note(str(message))
    else:
        logger.warning("%s: %s", category.__name__, message)


def _check_name(name: str) -> str:
    if not _NAME.match(name):
        raise ReportError(
            f"table/figure name {name!r}: use lowercase letters, digits, '-' and '_' only"
        )
    return name


def _write(subdir: str, filename: str, data: bytes) -> Path | None:
    root = output_dir()
    if root is None:
        return None
    folder = root / subdir if subdir else root
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_bytes(data)
    return path


def _display(obj: object, **options: object) -> None:
    from IPython.display import display

    display(obj, **options)


# --------------------------------------------------------------------------- provenance


def record_provenance(*frames: pd.DataFrame | Iterable[Mapping[str, object]]) -> None:
    """Note where the data of ``frames`` came from (``df.attrs['provenance']``) for the manifest.

    A file is noted once: records that differ only in their ``note`` (why a download was
    not tried, worded anew at each attempt) are the same file.
    """
    records: list[dict[str, object]] = _state["provenance"]  # type: ignore[assignment]
    seen = [_without_note(r) for r in records]
    for frame in frames:
        items = (
            provenance_of(frame) if isinstance(frame, pd.DataFrame) else [dict(i) for i in frame]
        )
        for item in items:
            if _without_note(item) not in seen:
                records.append(item)
                seen.append(_without_note(item))
    text = json.dumps(records, indent=2, sort_keys=True, default=str)
    _write("", PROVENANCE_FILE, text.encode())


def _without_note(record: Mapping[str, object]) -> dict[str, object]:
    return {k: v for k, v in record.items() if k != "note"}


def provenance() -> pd.DataFrame:
    """The provenance recorded so far, one row per source file."""
    columns = [
        "program",
        "release",
        "source_url",
        "retrieved",
        "sha256",
        "bundled",
        "added_by_hand",
    ]
    return pd.DataFrame(_state["provenance"], columns=columns)


def show_about() -> None:
    """The "About these data" box: the data used (downloaded, cached or bundled, release,
    retrieval date), the sections that could not be filled and the one command that fills
    them. Every source file's URL and SHA-256 go to ``tables/provenance.csv`` and the manifest."""
    table = provenance()
    _write("tables", "provenance.csv", table.to_csv(index=False, lineterminator="\n").encode())
    box = about.about(
        _state["provenance"],  # type: ignore[arg-type]
        _state["sections"],  # type: ignore[arg-type]
        started=_state["started"],  # type: ignore[arg-type]
        offline=get_settings().offline,
    )
    from IPython.display import HTML

    _display(HTML(box.html()))


def show_summary(sentences: Sequence[str], *, shown: bool = True) -> None:
    """The plain-language summary at the top of the report (one paragraph), recorded for the
    manifest and the terminal; ``shown=False`` records it only (a report led by its brief)."""
    from IPython.display import HTML

    text = " ".join(sentences) or "No figure of this report could be summarised."
    started = _state["started"]
    record = {"summary": list(sentences), "started": started.isoformat() if started else None}
    _write("", SUMMARY_FILE, json.dumps(record, indent=2).encode())
    if not shown:
        return
    _display(
        HTML(
            '<section class="md-summary" aria-label="Summary"><h2>Summary</h2>'
            f"<p>{html.escape(text)}</p></section>"
        )
    )


def show_brief(
    compared: pd.DataFrame,
    wages: pd.DataFrame,
    *,
    missing: Mapping[str, Sequence[BaseException | None]] | None = None,
    required: tuple[pd.DataFrame, list[str]] | pd.DataFrame | None = None,
    **parts: object,
) -> None:
    """The career brief at the top of an occupation report (:func:`marketdata.reports.brief.build`):
    shown, always open, and written as ``brief.txt``.

    ``missing``: section -> errors (None skipped), recorded as :func:`show_missing` records
    them; ``parts``: the other keyword arguments of :func:`~marketdata.reports.brief.build`.
    """
    table = required[0] if isinstance(required, tuple) else required
    errors = [(s, e) for s, found in (missing or {}).items() for e in found if e is not None]
    frames = [wages, table, *map(parts.get, ("growth", "bands", "pathways"))]
    profile = getattr(parts.get("profile"), "provenance", ())  # O*NET's records, as dicts
    record_provenance(*(f for f in frames if f is not None), profile)
    facts = brief.build(
        compared,
        wages,
        required=table,
        errors=errors,
        provenance=_state["provenance"],  # type: ignore[arg-type]
        offline=get_settings().offline,
        **parts,  # type: ignore[arg-type]
    )
    _write("", "brief.txt", (brief_html.text(facts) + "\n").encode())
    from IPython.display import HTML

    _display(HTML(brief_html.html(facts)))


def show_glossary(words: Mapping[str, str] | None = None) -> None:
    """The short glossary of the terms the details use (default :data:`glossary.TERMS`), as
    a folding section."""
    from IPython.display import HTML

    show_heading("Words used in this report")
    _display(HTML(glossary.html(words)))


# --------------------------------------------------------------------------- display and write


def show_table(
    df: pd.DataFrame,
    name: str,
    *,
    caption: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> None:
    """Display ``df`` (formatted, escaped) and write ``tables/<name>.csv`` (raw values and flags).

    ``labels`` adds to :data:`LABELS`, the column headings shown; the CSV keeps the column
    names of the frame. Headings ending in ``*`` are estimates. A column with no value in
    any row is left out of the page (it would say nothing), a column with one value in every
    row is a note under it and equal low/high columns are one
    (:func:`marketdata.reports.tables.tidy.tidy`); the CSV keeps every column.
    """
    _check_name(name)
    record_provenance(df)
    csv = df.to_csv(index=False, lineterminator="\n")
    _write("tables", f"{name}.csv", csv.encode())
    view = plain(df)  # the page needs no provenance: column reads skip its deep copy
    names = {**LABELS, **(labels or {})}
    shown = display_frame(view)
    headings = say_whose(view, {c: names.get(c, c.replace("_", " ").capitalize()) for c in shown})
    shown, headings, repeated = tidy(shown, headings)  # what every row repeats: one note
    from IPython.display import HTML

    if caption:
        show_note(caption, kind="caption")
    page = table_html(
        shown, columns=list(shown.columns), headings=headings, numeric=NUMERIC, caption=caption
    )
    _display(HTML(page))
    for note in repeated:
        show_note(note)


def show_facts(
    facts: Mapping[str, object], name: str = "quick_facts", *, caption: str | None = None
) -> None:
    """A two-column table of headline facts (label, value); written as ``tables/<name>.csv``."""
    table = pd.DataFrame(
        {"fact": list(facts), "value": ["—" if v is None else str(v) for v in facts.values()]}
    )
    show_table(table, name, caption=caption)


def show_figure(
    figure: Figure | Chart, name: str, *, alt: str | None = None, dpi: int | None = None
) -> None:
    """Display ``figure`` and write ``figures/<name>.png`` (the same bytes: drawn once).

    ``figure``: a drawn figure, or a :class:`~marketdata.reports.charts.Chart` recipe, which
    the report's chart process draws while the next cells run when ``marketdata report``
    started one (it is shown when the run ends), else drawn here.
    ``alt``: the image's text alternative, written on the report's ``<img>``; default: the
    description the chart attached (:func:`marketdata.plots.base.describe`), else its titles.
    ``dpi``: default the charts' own (:data:`marketdata.plots.base.DPI`, 100: a 7.6-inch
    chart is 760 px wide, inside an 800 px page).
    """
    _check_name(name)
    root = output_dir()
    if isinstance(figure, Chart) and root is not None:
        (root / "figures").mkdir(parents=True, exist_ok=True)
        ticket = chart_process.draw(figure, root / "figures" / f"{name}.png", alt=alt, dpi=dpi)
        if ticket is not None:
            shown = f"marketdata-chart-{ticket}"
            _display({"image/png": "", "text/plain": name}, raw=True, display_id=shown)
            pending: list[tuple] = _state["charts"]  # type: ignore[assignment]
            pending.append((ticket, figure, name, alt, dpi, shown))
            return
    if isinstance(figure, Chart):
        figure = figure.figure()
    data, alt = png(figure, name, alt=alt, dpi=dpi)
    _write("figures", f"{name}.png", data)
    _display(_image(data, alt))


def show_drawn_charts() -> None:
    """Show the charts the chart process drew, in place of their stand-ins (the in-process
    engine calls this when the cells have run).

    Raises
    ------
    ReportError
        A chart could not be drawn: its name and the error.
    """
    pending: list[tuple] = _state["charts"]  # type: ignore[assignment]
    _state["charts"] = []
    answers = chart_process.results()
    for ticket, chart, name, alt, dpi, shown in pending:
        drawn_alt, error = answers.get(ticket, (None, ""))
        if error:
            raise ReportError(f"the chart {name} could not be drawn: {error}")
        if drawn_alt is None:  # the chart process ended before it: drawn here
            data, drawn_alt = png(chart.figure(), name, alt=alt, dpi=dpi)
            _write("figures", f"{name}.png", data)
        root = output_dir()
        assert root is not None  # charts go aside only when they are written
        data = (root / "figures" / f"{name}.png").read_bytes()
        from IPython.display import update_display

        update_display(_image(data, drawn_alt), display_id=shown)


def _image(data: bytes, alt: str) -> object:
    from IPython.display import Image

    return Image(data=data, format="png", alt=alt)


def show_note(text: str, *, kind: str = "note") -> None:
    """A paragraph of plain text (escaped), e.g. a note on suppressed values."""
    from IPython.display import HTML

    _display(HTML(f'<p class="md-{html.escape(kind)}">{html.escape(text)}</p>'))


def show_heading(text: str, *, level: int = 2) -> None:
    """A section heading (escaped)."""
    from IPython.display import HTML

    _display(HTML(f"<h{level}>{html.escape(text)}</h{level}>"))


def _gap(section_: str, error: BaseException) -> about.Gap:
    """Record that ``section_`` (or a part of it) could not be filled because of ``error``."""
    found = about.gap(
        section_,
        " ".join(str(error).split()) or type(error).__name__,
        error=type(error).__name__,
        url=getattr(error, "url", None),
        offline=get_settings().offline,
    )
    logger.info("not available: %s: %s", section_, found.detail)
    records: list[dict[str, object]] = _state["sections"]  # type: ignore[assignment]
    records.append(found.record())
    _write("", SECTIONS_FILE, json.dumps(records, indent=2).encode())
    return found


def show_missing(section_: str, error: BaseException) -> None:
    """A part of a section that could not be filled (e.g. the state's projections next to
    the nation's): a plain note here, the detail in the manifest and the About box."""
    show_note(_gap(section_, error).note())


@contextmanager
def section(title: str) -> Iterator[None]:
    """A report section that degrades: if its data is not available (a package error, or a
    part of the package that is not installed), it says so in plain words and the rest of
    the report goes on. Recorded in the manifest under ``unavailable`` (with the technical
    reason) and listed in the About box with the command that fills it."""
    show_heading(title)
    try:
        yield
    except (MarketdataError, ImportError) as exc:
        show_note(_gap(title, exc).note())

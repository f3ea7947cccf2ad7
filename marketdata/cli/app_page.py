"""What the counselor page does, apart from its widgets: the choices it offers, the report
parameters it sends, the downloads it hands back and the batch of a state's metro areas.

The page itself is :mod:`marketdata.cli.app_widgets`; reports run in a warm process of
:mod:`marketdata.cli.app_worker`; ``marketdata app`` (:mod:`marketdata.cli.app_command`) serves the page
with Voilà.
"""

from __future__ import annotations

import base64
import html
import io
import logging
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from marketdata.core.config import Settings
from marketdata.core.errors import MarketdataError
from marketdata.core.series_id import STATES
from marketdata.datasets import codes, oews_codes

if TYPE_CHECKING:
    from marketdata.reports.batch import BatchResult

logger = logging.getLogger(__name__)

#: Where the page's reports go unless the notebook's ``output_dir`` says otherwise
#: (``marketdata app`` sets it to ``./outputs`` of the folder it was started in).
OUTPUT_DIR_VARIABLE = "MARKETDATA_APP_OUTPUT_DIR"

#: The report kinds the page offers: label -> report name.
KINDS = {
    "Occupation outlook": "occupation_outlook",
    "Regional salary report": "regional_salary_report",
    "Growth explorer": "growth_explorer",
}

#: The kinds of area the picker offers: label -> OEWS area type.
AREA_KINDS = {
    "A state": "state",
    "A metro area": "metro",
    "A nonmetro area": "nonmetro",
    "The nation": "national",
}
_CODE_FIRST = re.compile(r"^(\d{2}-\d{4})\b")
#: A download link drawn as a button, so that it reads as one.
_BUTTON = (
    "display:inline-block;padding:3px 12px;margin:2px 4px;border:1px solid #1976d2;"
    "border-radius:2px;color:#1976d2;text-decoration:none"
)


def output_dir(given: str | os.PathLike[str] | None = None) -> Path:
    """The root folder of the page's reports: ``given``, else :data:`OUTPUT_DIR_VARIABLE`,
    else ``./outputs``."""
    chosen = given if given is not None else os.environ.get(OUTPUT_DIR_VARIABLE) or "outputs"
    return Path(chosen).expanduser().resolve()


def area_names(kind: str, *, settings: Settings | None = None) -> list[str]:
    """Names of the current release's areas of OEWS type ``kind`` (``state``, ``metro``,
    ``nonmetro``, ``national``), sorted; the bundled ones when BLS is out of reach."""
    names = {a.name for a in oews_codes.area_records(settings=settings) if a.type == kind}
    return sorted(names)


def state_names(*, settings: Settings | None = None) -> list[str]:
    """The states, DC and the territories BLS publishes as states, sorted by name."""
    return area_names("state", settings=settings)


def occupation_suggestions(text: str, *, limit: int = 8) -> list[str]:
    """Labels ``"29-2072 Medical Records Specialists"`` of the occupations ``text`` finds
    (:func:`marketdata.datasets.codes.search_occupations`: words of a title or a job title, typos
    allowed; a SOC code finds its occupation), best first; a job title that matched is said
    in brackets."""
    query = text.strip()
    if len(query) < 2:
        return []
    code = codes.soc_code(query)
    if code is not None:
        try:
            found = codes.resolve_occupation(code)
        except MarketdataError:
            return []
        return [f"{found.code} {found.title}"]
    hits = codes.search_occupations(query, limit=limit)
    labels = []
    for row in hits.to_dict("records"):
        label = f"{row['occupation_code']} {row['occupation_title']}"
        matched = row.get("matched_title")
        if isinstance(matched, str) and matched and matched != row["occupation_title"]:
            label += f" ({matched})"
        labels.append(label)
    return list(dict.fromkeys(labels))


def occupation_of(text: str) -> str:
    """What the report gets for the occupation box: the code of a suggestion picked
    (``"29-2072 Medical ..."`` -> ``"29-2072"``), else the text as typed (the report then
    reads it, or says which occupations it could mean)."""
    found = _CODE_FIRST.match(text.strip())
    return found[1] if found else text.strip()


def report_parameters(
    kind: str, *, occupation: str, area: str, comparisons: list[str] | None = None
) -> dict[str, Any]:
    """The parameters of report ``kind`` (a report name) for the page's choices: the
    outlook takes the comparison areas, the regional salary report the occupation as its
    list, the growth explorer the occupation's SOC major group.

    Raises
    ------
    MarketdataError
        No job or no area given, or an unknown report.
    """
    if not occupation.strip():
        raise MarketdataError("Type a job first: a job title or a SOC code such as 29-2072.")
    if not area.strip():
        raise MarketdataError("Pick an area first: a state, a metro or nonmetro area, the nation.")
    code = occupation_of(occupation)
    if kind == "occupation_outlook":
        return {"occupation": code, "area": area.strip(), "comparison_areas": comparisons or []}
    if kind == "regional_salary_report":
        return {"area": area.strip(), "occupations": [code]}
    if kind == "growth_explorer":
        group = f"{code[:2]}-0000" if _CODE_FIRST.match(code) else code
        return {"soc_group": group, "area": area.strip()}
    raise MarketdataError(f"unknown report {kind!r}: choose one of {', '.join(KINDS.values())}")


def one_line(err: BaseException) -> str:
    """An error as the page shows it: the package's own message, on one line."""
    text = " ".join(str(err).split())
    if isinstance(err, MarketdataError):
        return text or type(err).__name__
    return f"Something went wrong: {text or type(err).__name__}"


def data_link(data: bytes, filename: str, mime: str, label: str) -> str:
    """An HTML link that downloads ``data`` as ``filename`` (a data URL: the page needs no
    file server)."""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="md-download" download="{html.escape(filename)}" style="{_BUTTON}" '
        f'href="data:{mime};base64,{encoded}">{html.escape(label)}</a>'
    )


def tables_zip(directory: Path) -> bytes:
    """The report's tables (``tables/*.csv``) as one zip, in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((directory / "tables").glob("*.csv")):
            archive.write(path, f"tables/{path.name}")
    return buffer.getvalue()


def framed(page: str) -> str:
    """A report page shown inside the page, in a frame of its own (its styles stay its own)."""
    return (
        f'<iframe class="md-report-frame" title="The report" srcdoc="{html.escape(page)}" '
        'style="width:100%;height:80vh;border:1px solid #ccc"></iframe>'
    )


def state_postal(name: str) -> str:
    """The postal code of a state named ``name`` (``Ohio`` -> ``OH``), for area lists."""
    area = codes.resolve_area(name)
    if area.type != "state":
        raise MarketdataError(f"{area.name} is not a state: pick a state for every metro area")
    return STATES[area.state_code][0]


@dataclass(frozen=True)
class MetroBatch:
    """A batch of one report over a state's metro areas, and the zip made of it."""

    result: BatchResult
    archive: Path


def run_metros(
    kind: str,
    *,
    occupation: str,
    state: str,
    output_dir: Path,
    paper: str = "letter",
    settings: Settings | None = None,
) -> MetroBatch:
    """Report ``kind`` for every metro area of ``state`` (:func:`marketdata.reports.batch.run`:
    the same folders and resume rules as ``marketdata batch``, with its progress bar: a
    widget in Jupyter and Voilà), each with its PDF, and a zip of the PDFs and an index page,
    ``<kind>/<ST>-metros.zip``."""
    from marketdata.reports import batch

    postal = state_postal(state)
    params = report_parameters(kind, occupation=occupation, area=state)
    params.pop("area")
    params.pop("comparison_areas", None)
    result = batch.run(
        kind,
        over={"area": f"{postal}-metros"},
        params=params,
        output_dir=output_dir,
        pdf=paper,
        settings=settings,
        progress=True,
    )
    archive = output_dir / kind / f"{postal}-metros.zip"
    title = f"{kind.replace('_', ' ').capitalize()}, metro areas of {state}"
    _write_zip(archive, result, title, settings=settings)
    return MetroBatch(result=result, archive=archive)


def area_name(text: str, *, settings: Settings | None = None) -> str:
    """An area's name (``0016220`` -> ``Casper, WY``), or the text if it is no area."""
    try:
        return codes.resolve_area(text, table=oews_codes.area_records(settings=settings)).name
    except MarketdataError:
        return text


def _write_zip(
    archive: Path, result: BatchResult, title: str, *, settings: Settings | None = None
) -> None:
    """The zip of a batch's PDFs with ``index.html`` listing every area; written whole."""
    rows, files = [], []
    for row in result.summary.to_dict("records"):
        area = area_name(str(row["area"]), settings=settings)
        pdf = Path(row["output"]) / "report.pdf" if row["output"] else None
        name = f"{Path(row['output']).name}.pdf" if pdf is not None and pdf.is_file() else ""
        if name:
            files.append((pdf, name))
        cell = f'<a href="{html.escape(name)}">{html.escape(name)}</a>' if name else ""
        note = html.escape(" ".join(str(row["error"] or "").split()))
        rows.append(
            f"<tr><td>{html.escape(area)}</td><td>{html.escape(row['status'])}</td>"
            f"<td>{cell}</td><td>{note}</td></tr>"
        )
    index = (
        f"<!doctype html><html lang='en'><meta charset='utf-8'><title>{html.escape(title)}"
        f"</title><h1>{html.escape(title)}</h1><table><tr><th>Area</th><th>Status</th>"
        f"<th>PDF</th><th>Note</th></tr>{''.join(rows)}</table></html>\n"
    )
    archive.parent.mkdir(parents=True, exist_ok=True)
    handle, scratch = tempfile.mkstemp(prefix=f".{archive.name}.", dir=archive.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(scratch, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("index.html", index)
            for path, name in files:
                out.write(path, name)
        Path(scratch).replace(archive)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise

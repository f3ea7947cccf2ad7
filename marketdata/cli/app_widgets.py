"""The counselor page: pick a job and a place, get the report, its PDF, HTML and tables.

:func:`page` builds the widgets (ipywidgets) that ``marketdata/data/counselor_page.ipynb``
shows, in Voilà (``marketdata app``) or in JupyterLab. Reports run in a warm process
(:class:`marketdata.cli.app_worker.ReportWorker`); a state's metro areas run through
:func:`marketdata.reports.batch.run`.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from marketdata.cli import app_page
from marketdata.cli.app_worker import ReportWorker, pdf_name
from marketdata.core.config import Settings

logger = logging.getLogger(__name__)

_PAPERS = {"Letter": "letter", "A4": "a4"}
_WIDE = widgets.Layout(width="36em")


class CounselorPage:
    """The page's widgets and what its buttons do; :attr:`view` is what is shown."""

    def __init__(self, output_dir: Path, *, settings: Settings | None = None) -> None:
        self.output_dir = output_dir
        self.settings = settings
        self.worker = ReportWorker()
        self._expected = 3.0  # seconds a report took last time: the bar's pace
        self._shown: dict[str, Any] = {}
        style = {"description_width": "9em"}

        self.occupation = widgets.Combobox(
            description="Job",
            placeholder="a job title or SOC code, e.g. medical coder or 29-2072",
            ensure_option=False,
            layout=_WIDE,
            style=style,
        )
        self.area_kind = widgets.Dropdown(
            description="Area", options=list(app_page.AREA_KINDS), style=style
        )
        self.area = widgets.Combobox(
            placeholder="type a name, e.g. Ohio", ensure_option=False, layout=widgets.Layout()
        )
        self.compare = widgets.TagsInput(
            placeholder="optional: other areas, e.g. Columbus, OH",
            allow_duplicates=False,
            layout=widgets.Layout(width="27em"),
        )
        self.compare_row = widgets.HBox(
            [
                widgets.HTML(
                    '<div style="text-align:right;padding-right:4px">Compare with</div>',
                    layout={"width": "9em"},
                ),
                self.compare,
            ]
        )
        self.kind = widgets.Dropdown(
            description="Report", options=list(app_page.KINDS), style=style
        )
        self.paper = widgets.ToggleButtons(options=list(_PAPERS), description="PDF paper")
        self.make = widgets.Button(description="Make report", button_style="primary")
        self.progress = widgets.FloatProgress(min=0, max=1, layout={"visibility": "hidden"})
        self.status = widgets.Label()
        self.error = widgets.HTML()
        self.notes = widgets.HTML()
        self.downloads = widgets.HTML()
        self.make_pdf = widgets.Button(description="Make the PDF", disabled=True)
        self.report = widgets.HTML()

        self.state = widgets.Dropdown(description="State", style=style)
        self.make_all = widgets.Button(
            description="Make a report for every metro area", layout={"width": "auto"}
        )
        self.batch_out = widgets.Output()
        self.batch_links = widgets.HTML()

        for widget, name in (
            (self.occupation, "md-occupation"),
            (self.area_kind, "md-area-kind"),
            (self.area, "md-area"),
            (self.compare, "md-compare"),
            (self.kind, "md-kind"),
            (self.paper, "md-paper"),
            (self.make, "md-make"),
            (self.error, "md-error"),
            (self.notes, "md-notes"),
            (self.downloads, "md-downloads"),
            (self.make_pdf, "md-pdf"),
            (self.report, "md-report"),
            (self.state, "md-state"),
            (self.make_all, "md-make-all"),
            (self.batch_links, "md-batch-links"),
        ):
            widget.add_class(name)

        self.occupation.observe(self._suggest, names="value")
        self.area_kind.observe(self._area_options, names="value")
        self.kind.observe(self._kind_changed, names="value")
        self.make.on_click(self._make)
        self.make_pdf.on_click(self._pdf)
        self.make_all.on_click(self._make_all)
        self._area_options()
        metros = app_page.area_names("metro", settings=settings)
        nonmetros = app_page.area_names("nonmetro", settings=settings)
        states = app_page.state_names(settings=settings)
        self.compare.allowed_tags = ["U.S.", *states, *metros, *nonmetros]
        self.state.options = states

        self.view = widgets.VBox(
            [
                self.occupation,
                widgets.HBox([self.area_kind, self.area]),
                self.compare_row,
                self.kind,
                self.paper,
                widgets.HBox([self.make, self.progress, self.status]),
                self.error,
                widgets.HBox([self.downloads, self.make_pdf]),
                self.notes,
                self.report,
                widgets.HTML("<h3>Every metro area in a state</h3>"),
                widgets.Label(
                    "The report chosen above for the job above, for each metro area of the "
                    "state, as a zip of PDFs with an index page."
                ),
                widgets.HBox([self.state, self.make_all]),
                self.batch_out,
                self.batch_links,
                widgets.HTML(f"<small>Reports are saved in {html.escape(str(output_dir))}</small>"),
            ]
        )

    # ------------------------------------------------------------------ choices

    def _suggest(self, change: dict[str, Any]) -> None:
        """Suggestions as one types; a suggestion picked keeps the list as it is."""
        text = str(change["new"])
        if text in self.occupation.options:
            return
        try:
            self.occupation.options = app_page.occupation_suggestions(text)
        except Exception as err:  # a search problem must not break typing
            logger.warning("occupation search failed: %s", err)

    def _area_options(self, _change: object = None) -> None:
        kind = app_page.AREA_KINDS[self.area_kind.value]
        names = app_page.area_names(kind, settings=self.settings)
        self.area.options = names
        self.area.value = names[0] if kind == "national" and names else ""
        self.area.disabled = kind == "national"

    def _kind_changed(self, _change: object = None) -> None:
        outlook = app_page.KINDS[self.kind.value] == "occupation_outlook"
        self.compare_row.layout.display = None if outlook else "none"

    # ------------------------------------------------------------------ one report

    def _waiting(self, seconds: float) -> None:
        self.progress.value = min(0.95, seconds / self._expected)
        self.status.value = f"Making the report… {seconds:.0f} s"

    def _busy(self, busy: bool) -> None:
        for button in (self.make, self.make_all):
            button.disabled = busy
        self.make_pdf.disabled = busy or not self._shown
        self.progress.layout.visibility = "visible" if busy else "hidden"
        self.progress.value = 0

    def _say_error(self, line: str) -> None:
        self.error.value = (
            f'<div class="md-error-line" role="alert" style="color:#b00020">'
            f"{html.escape(line)}</div>"
        )

    def _make(self, _button: object = None) -> None:
        """Make the report chosen and show it, or the one-line error."""
        self.error.value = self.notes.value = self.downloads.value = self.report.value = ""
        self._shown = {}
        self._busy(True)
        try:
            name = app_page.KINDS[self.kind.value]
            parameters = app_page.report_parameters(
                name,
                occupation=self.occupation.value,
                area=self.area.value,
                comparisons=[t for t in self.compare.value if t],
            )
            answer = self.worker.report(
                name, output_dir=self.output_dir, parameters=parameters, waiting=self._waiting
            )
        except Exception as err:
            answer = {"error": app_page.one_line(err)}
        finally:
            self.status.value = ""
        if "error" in answer:
            self._busy(False)
            self._say_error(answer["error"])
            return
        self._expected = max(1.0, float(answer["seconds"]))
        self._shown = answer
        self._busy(False)
        self._show(answer)

    def _show(self, answer: dict[str, Any]) -> None:
        folder, page = Path(answer["directory"]), Path(answer["html"])
        text = page.read_text(encoding="utf-8")
        lines = "<br>".join(html.escape(line) for line in answer["closing"])
        self.notes.value = f'<div style="font-size:0.9em;line-height:1.5">{lines}</div>'
        self.downloads.value = " ".join(
            [
                "Download:",
                app_page.data_link(text.encode(), "report.html", "text/html", "HTML"),
                app_page.data_link(
                    app_page.tables_zip(folder), "tables.zip", "application/zip", "Tables (CSV)"
                ),
            ]
        )
        self.report.value = app_page.framed(text)

    def _pdf(self, _button: object = None) -> None:
        """Print the report shown on the paper chosen and offer the PDF."""
        if not self._shown:
            return
        paper = _PAPERS[self.paper.value]
        page = Path(self._shown["html"])
        self.error.value = ""
        self._busy(True)
        try:
            answer = self.worker.pdf(page, paper=paper, waiting=self._printing)
        finally:
            self.status.value = ""
            self._busy(False)
        if "error" in answer:
            self._say_error(answer["error"])
            return
        pdf = Path(answer["pdf"])
        link = app_page.data_link(
            pdf.read_bytes(), pdf_name(paper), "application/pdf", f"PDF ({self.paper.value})"
        )
        self.downloads.value = f"{self.downloads.value} {link}"

    def _printing(self, seconds: float) -> None:
        self.progress.value = min(0.95, seconds / 4)
        self.status.value = f"Printing the PDF… {seconds:.0f} s"

    # ------------------------------------------------------------------ a state's metros

    def _make_all(self, _button: object = None) -> None:
        """Every metro area of the state chosen: a batch with its progress bar, then the zip."""
        self.error.value = self.batch_links.value = ""
        self.batch_out.clear_output()
        self._busy(True)
        self.progress.layout.visibility = "hidden"  # the batch shows its own bar
        try:
            with self.batch_out:
                done = app_page.run_metros(
                    app_page.KINDS[self.kind.value],
                    occupation=self.occupation.value,
                    state=str(self.state.value),
                    output_dir=self.output_dir,
                    paper=_PAPERS[self.paper.value],
                    settings=self.settings,
                )
        except Exception as err:
            self._say_error(app_page.one_line(err))
            return
        finally:
            self._busy(False)
        counts = ", ".join(f"{n} {status}" for status, n in done.result.counts.items() if n)
        problems = "".join(
            "<li>"
            + html.escape(app_page.area_name(str(row["area"]), settings=self.settings))
            + f": {html.escape(str(row['error']))}</li>"
            for _, row in done.result.errors().iterrows()
        )
        self.batch_links.value = (
            f"<p>{len(done.result.summary)} reports ({counts}). Saved as "
            f"{html.escape(str(done.archive))}</p>"
            + (f"<ul>{problems}</ul>" if problems else "")
            + app_page.data_link(
                done.archive.read_bytes(),
                done.archive.name,
                "application/zip",
                f"Download {done.archive.name}",
            )
        )


def page(
    output_dir: str | os.PathLike[str] | None = None,
    *,
    warm: bool = True,
    settings: Settings | None = None,
) -> widgets.VBox:
    """The counselor page's widgets, ready to display.

    Parameters
    ----------
    output_dir
        Root folder of the reports (default: ``$MARKETDATA_APP_OUTPUT_DIR``, else
        ``./outputs``).
    warm
        Start the report process now, so that the first report does not wait for its
        imports.
    settings
        Settings of the page's look-ups (the reports read the environment's).

    Returns
    -------
    ipywidgets.VBox
        The page; ``page(...).counselor`` is its :class:`CounselorPage`.
    """
    built = CounselorPage(app_page.output_dir(output_dir), settings=settings)
    if warm:
        built.worker.start()
    view = built.view
    view.counselor = built  # type: ignore[attr-defined]
    return view

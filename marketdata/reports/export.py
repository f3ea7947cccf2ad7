"""HTML export of an executed report notebook: code hidden, figures embedded, no scripts
from the internet (template ``marketdata/data/report.html.j2``)."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape
from pathlib import Path
from typing import Any

import nbformat


@lru_cache(maxsize=1)
def exporter() -> Any:
    """The HTML exporter, made once per process (its templates compile once)."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import Preprocessor

    class DropStreams(Preprocessor):
        """Report readers see tables, figures and notes, not the kernel's stderr."""

        def preprocess_cell(self, cell, resources, index):
            if cell.get("cell_type") == "code":
                cell.outputs = [
                    o for o in cell.get("outputs", []) if o.get("output_type") != "stream"
                ]
            return cell, resources

    class Fold(Preprocessor):
        """A code cell that opens with a section heading (or the About box) folds under it."""

        def preprocess_cell(self, cell, resources, index):
            if cell.get("cell_type") == "code":
                title = fold_title(cell.get("outputs", []))
                if title:
                    cell.metadata["md_fold"] = title
            return cell, resources

    template = Path(__file__).parents[1] / "data" / "report.html.j2"
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_template_paths=[str(template.parent)],
        template_file=template.name,
    )
    exporter.register_preprocessor(DropStreams(), enabled=True)
    exporter.register_preprocessor(Fold(), enabled=True)
    return exporter


_HEADING = re.compile(r"^<h2>(.*?)</h2>$", re.S)
_ABOUT = re.compile(r'^(<aside class="md-about"[^>]*>)<h2>(.*?)</h2>', re.S)


def fold_title(outputs: list) -> str | None:
    """The title a cell's details fold under, taking it out of the outputs: the text of a
    first output that is a section heading, or the About box's heading; None otherwise."""
    first = next((o for o in outputs if o.get("output_type") == "display_data"), None)
    if first is None:
        return None
    page = str(first.get("data", {}).get("text/html", "")).strip()
    if found := _HEADING.match(page):
        outputs.remove(first)
        return unescape(found[1])
    if found := _ABOUT.match(page):
        first["data"]["text/html"] = found[1] + page[found.end() :]
        return unescape(found[2])
    return None


def html(nb: nbformat.NotebookNode, title: str) -> str:
    """The report page of executed notebook ``nb``, titled ``title``."""
    body, _ = exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body

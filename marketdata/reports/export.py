"""HTML export of an executed report notebook: code hidden, figures embedded, no scripts
from the internet (template ``marketdata/data/report.html.j2``)."""

from __future__ import annotations

from functools import lru_cache
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

    template = Path(__file__).parents[1] / "data" / "report.html.j2"
    exporter = HTMLExporter(
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        extra_template_paths=[str(template.parent)],
        template_file=template.name,
    )
    exporter.register_preprocessor(DropStreams(), enabled=True)
    return exporter


def html(nb: nbformat.NotebookNode, title: str) -> str:
    """The report page of executed notebook ``nb``, titled ``title``."""
    body, _ = exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body

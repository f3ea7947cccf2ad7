"""The HTML page of an executed report: code hidden, figures embedded, sections folded, no scripts.

Written here, without nbconvert, so that it takes milliseconds. The page has the markup of
nbconvert's lab template (the classes ``marketdata/data/report.css`` and the PDF printer rely
on) and inlines the part of JupyterLab's stylesheet it uses (``marketdata/data/report_base.css``,
written by ``tools/build_report_base_css.py``), then ``report.css``. Outputs show in the order
Jupyter prefers: HTML, Markdown, SVG, PNG, JPEG, plain text; scripts, widgets and LaTeX are
left out, and an output with nothing to show shows nothing. Markdown cells render with mistune
as nbconvert renders them: the HTML they hold is kept, links to ``javascript:`` and the like
are not.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import nbformat

__all__ = ["fold_title", "html"]

DATA = Path(__file__).parents[1] / "data"
#: Output types in the order Jupyter prefers them: an output shows the first it has.
PREFERRED = ("text/html", "text/markdown", "image/svg+xml", "image/png", "image/jpeg", "text/plain")

_HEADING = re.compile(r"^<h2>(.*?)</h2>$", re.S)
_ABOUT = re.compile(r'^(<aside class="md-about"[^>]*>)<h2>(.*?)</h2>', re.S)
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_TAG = re.compile(r"<[^>]*>")


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


@lru_cache(maxsize=1)
def _style() -> str:
    """The page's stylesheets: JupyterLab's rules it uses, then the report's own."""
    return "\n".join(
        f'<style type="text/css">\n{(DATA / name).read_text(encoding="utf-8")}</style>'
        for name in ("report_base.css", "report.css")
    )


@lru_cache(maxsize=1)
def _markdown() -> Any:
    """Markdown to HTML as nbconvert renders it: raw HTML kept, harmful links dropped, headings
    with an id to link to."""
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def heading(self, text: str, level: int, **attrs: Any) -> str:
            anchor = "-".join(unescape(_TAG.sub("", text)).split())
            return f'<h{level} id="{escape(anchor)}">{text}</h{level}>\n'

    plugins = ["strikethrough", "table", "url", "task_lists", "def_list"]
    return mistune.create_markdown(renderer=Renderer(escape=False), plugins=plugins)


def _text(text: Any) -> str:
    """Notebook text (a string or a list of lines) as one string."""
    return "".join(text) if isinstance(text, list) else str(text)


def _pre(text: str, mime: str, extra: str = "") -> str:
    plain = escape(_ANSI.sub("", text), quote=False)
    return (
        f'<div class="jp-RenderedText jp-OutputArea-output{extra}" data-mime-type="{mime}"'
        f' tabindex="0">\n<pre>{plain}</pre>\n</div>'
    )


def _image(output: dict, mime: str, extra: str) -> str:
    """An image output as an ``<img>`` with its alt text (the output's ``alt`` metadata)."""
    data = _text(output["data"][mime])
    if mime == "image/svg+xml":
        data = base64.b64encode(data.encode("utf-8")).decode("ascii")
        kind = "jp-RenderedSVG"
    else:
        data = "".join(data.split())
        kind = "jp-RenderedImage"
    meta = output.get("metadata", {}).get(mime, {})
    meta = meta if isinstance(meta, dict) else {}
    alt = meta.get("alt") or output.get("metadata", {}).get("alt") or "Chart"
    size = "".join(f' {k}="{escape(str(meta[k]))}"' for k in ("width", "height") if k in meta)
    return (
        f'<div class="{kind} jp-OutputArea-output{extra}" data-mime-type="{mime}" tabindex="0">\n'
        f'<img src="data:{mime};base64,{escape(data)}" alt="{escape(str(alt))}"{size}>\n</div>'
    )


def _output(output: dict) -> str:
    """One output as the lab template writes it; an empty string when it has nothing to show."""
    kind = output.get("output_type")
    if kind == "error":
        trace = "\n".join(
            output.get("traceback") or [f"{output.get('ename')}: {output.get('evalue')}"]
        )
        body = _pre(trace, "application/vnd.jupyter.stderr")
    elif kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        mime = next((m for m in PREFERRED if m in data), None)
        extra = " jp-OutputArea-executeResult" if kind == "execute_result" else ""
        if mime is None:
            return ""
        if mime == "text/html":
            body = (
                f'<div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output{extra}"'
                f' data-mime-type="text/html" tabindex="0">\n{_text(data[mime])}\n</div>'
            )
        elif mime == "text/markdown":
            body = (
                f'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-OutputArea-output'
                f'{extra}" data-mime-type="text/markdown" tabindex="0">\n'
                f"{_markdown()(_text(data[mime]))}\n</div>"
            )
        elif mime.startswith("image/"):
            body = _image(output, mime, extra)
        else:
            body = _pre(_text(data[mime]), "text/plain", extra)
    else:
        return ""
    child = (
        "jp-OutputArea-child jp-OutputArea-executeResult"
        if kind == "execute_result"
        else "jp-OutputArea-child"
    )
    return f'<div class="{child}">\n{body}\n</div>'


def _attributes(cell: Any, classes: list[str]) -> str:
    """The id and class attributes of a cell's ``<div>``, with its tags as ``celltag_`` classes."""
    tags = [f"celltag_{escape(str(t))}" for t in cell.get("metadata", {}).get("tags", [])]
    found = f' id="cell-id={escape(str(cell["id"]))}"' if cell.get("id") else ""
    return f'{found} class="{" ".join(classes + tags)}"'


def _markdown_cell(cell: Any) -> str:
    rendered = _markdown()(_text(cell.get("source", "")))
    return (
        f"<div{_attributes(cell, ['jp-Cell', 'jp-MarkdownCell', 'jp-Notebook-cell'])}>\n"
        '<div class="jp-Cell-inputWrapper" tabindex="0">\n'
        '<div class="jp-Collapser jp-InputCollapser jp-Cell-inputCollapser">\n</div>\n'
        '<div class="jp-InputArea jp-Cell-inputArea"><div class="jp-RenderedHTMLCommon '
        'jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">\n'
        f"{rendered}\n</div>\n</div>\n</div>\n</div>"
    )


def _code_cell(cell: Any) -> str:
    """A code cell's outputs, streams left out, folded under its heading when it opens with one."""
    outputs = [
        {**o, "data": dict(o.get("data", {}))}
        for o in cell.get("outputs", [])
        if o.get("output_type") != "stream"
    ]
    title = fold_title(outputs)
    shown = [part for o in outputs if (part := _output(o))]
    classes = ["jp-Cell", "jp-CodeCell", "jp-Notebook-cell"]
    classes += ["jp-mod-noOutputs"] if not outputs else []
    div = f"<div{_attributes(cell, [*classes, 'jp-mod-noInput'])}>\n"
    if outputs:
        div += (
            '<div class="jp-Cell-outputWrapper">\n'
            '<div class="jp-Collapser jp-OutputCollapser jp-Cell-outputCollapser">\n</div>\n'
            '<div class="jp-OutputArea jp-Cell-outputArea">\n'
            + "\n".join(shown)
            + "\n</div>\n</div>\n"
        )
    div += "</div>"
    if title:
        return f'<details class="md-fold"><summary><h2>{escape(title)}</h2></summary>\n{div}\n</details>'
    return div


def html(nb: nbformat.NotebookNode, title: str) -> str:
    """The report page of executed notebook ``nb``, titled ``title``."""
    cells = []
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            cells.append(_markdown_cell(cell))
        elif cell.get("cell_type") == "code":
            cells.append(_code_cell(cell))
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{_style()}\n</head>\n"
        '<body class="jp-Notebook" data-jp-theme-light="true" '
        'data-jp-theme-name="JupyterLab Light">\n<main>\n'
        + "".join(cells)
        + "\n</main>\n</body>\n</html>\n"
    )

"""The report page writer: folds, figures with their alt text, what is hidden, each kind of
output, and a page that loads nothing from anywhere."""

from __future__ import annotations

import re

import nbformat
import pytest

from marketdata.reports.export import DATA, fold_title, html
from marketdata.reports.pdf import brief_page

PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def _display(data: dict, **metadata) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def _page(*cells: nbformat.NotebookNode) -> str:
    return html(nbformat.v4.new_notebook(cells=list(cells)), "Occupation outlook")


def _code(*outputs: nbformat.NotebookNode, source: str = "kit.show()") -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source, outputs=list(outputs))


def test_a_section_folds_under_its_heading_and_the_notebook_is_left_as_it_was() -> None:
    heading = _display({"text/html": "<h2>Pay in R&amp;D</h2>", "text/plain": "h"})
    table = _display({"text/html": '<table class="md-table"><tr><td>1</td></tr></table>'})
    cell = _code(heading, table)
    page = _page(cell)
    assert '<details class="md-fold"><summary><h2>Pay in R&amp;D</h2></summary>' in page
    assert page.count("Pay in R&amp;D") == 1  # taken out of the outputs, escaped once
    assert page.index("</summary>") < page.index('class="md-table"') < page.index("</details>")
    assert len(cell.outputs) == 2 and cell.outputs[0]["data"]["text/html"].startswith("<h2>")


def test_the_about_box_folds_under_its_own_heading() -> None:
    about = '<aside class="md-about" aria-label="About"><h2>About these data</h2><p>BLS</p></aside>'
    cell = _code(_display({"text/html": about}))
    page = _page(cell)
    assert "<summary><h2>About these data</h2></summary>" in page
    assert '<aside class="md-about" aria-label="About"><p>BLS</p></aside>' in page
    assert cell.outputs[0]["data"]["text/html"] == about  # the caller's notebook unchanged


def test_fold_title_leaves_other_cells_alone() -> None:
    outputs = [_display({"text/html": "<p>No heading</p>"})]
    assert fold_title(outputs) is None and len(outputs) == 1
    assert fold_title([]) is None
    page = _page(_code(*outputs))
    assert "<details" not in page and "<p>No heading</p>" in page


def test_code_streams_and_prompts_are_hidden() -> None:
    stream = nbformat.v4.new_output("stream", name="stderr", text="Warning: slow font cache\n")
    shown = _display({"text/html": "<p>Shown</p>"})
    page = _page(_code(stream, shown, source="secret_variable = 41 + 1"))
    assert "<p>Shown</p>" in page
    assert "secret_variable" not in page and "slow font cache" not in page
    assert "In&nbsp;[" not in page and "Out[" not in page
    quiet = _page(_code(stream))  # only a stream: a cell with nothing to show
    body = quiet[quiet.index("<body") :]
    assert "jp-mod-noOutputs" in body and "jp-OutputArea" not in body


def test_figures_are_embedded_with_their_alt_text() -> None:
    alt = 'Chart: median "pay" <by> area'
    chart = _display({"image/png": PNG, "text/plain": "<Figure>"}, **{"image/png": {"alt": alt}})
    bare = _display({"image/png": PNG[:40] + "\n" + PNG[40:]})
    page = _page(_code(chart, bare))
    images = re.findall(r"<img [^>]*>", page)
    assert images == [
        f'<img src="data:image/png;base64,{PNG}" alt="Chart: median &quot;pay&quot; &lt;by&gt; area">',
        f'<img src="data:image/png;base64,{PNG}" alt="Chart">',
    ]
    assert page.count('class="jp-RenderedImage jp-OutputArea-output"') == 2
    assert "&lt;Figure&gt;" not in page  # the image wins over its text


def test_markdown_cells_render_as_nbconvert_rendered_them() -> None:
    source = (
        "# Occupation outlook\n\nPay & **jobs**, <em>kept</em>. [bad](javascript:alert(1))\n\n"
        "| Area | Pay |\n|---|---|\n| Ohio | $50,990 |\n"
    )
    page = _page(nbformat.v4.new_markdown_cell(source))
    assert '<h1 id="Occupation-outlook">Occupation outlook</h1>' in page
    assert "Pay &amp; <strong>jobs</strong>, <em>kept</em>." in page
    assert "javascript:" not in page
    assert "<td>Ohio</td>" in page and "<th>Area</th>" in page
    assert 'class="jp-Cell jp-MarkdownCell jp-Notebook-cell"' in page


@pytest.mark.parametrize(
    ("data", "shown", "hidden"),
    [
        ({"text/html": "<b>html</b>", "text/plain": "plain"}, "<b>html</b>", "plain"),
        ({"text/markdown": "*md*", "text/plain": "plain"}, "<em>md</em>", "plain"),
        ({"image/png": PNG, "text/plain": "plain"}, "data:image/png", "plain"),
        ({"image/jpeg": PNG, "text/plain": "plain"}, "data:image/jpeg", "plain"),
        ({"image/svg+xml": "<svg/>", "text/plain": "plain"}, "data:image/svg+xml;base64,", "plain"),
        ({"text/latex": "$x$", "text/plain": "x squared"}, "x squared", "$x$"),
        (
            {"text/plain": "<b>a & b</b>\x1b[31m red\x1b[0m"},
            "<pre>&lt;b&gt;a &amp; b&lt;/b&gt; red</pre>",
            "<b>",
        ),
    ],
)
def test_each_output_shows_its_preferred_type(data: dict, shown: str, hidden: str) -> None:
    page = _page(_code(_display(data)))
    assert shown in page and hidden not in page


def test_an_output_with_nothing_to_show_shows_nothing() -> None:
    odd = _display({"application/vnd.custom+json": {"a": 1}})
    script = _display({"application/javascript": "alert(1)"})
    result = nbformat.v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=3)
    page = _page(_code(odd, script, result))
    assert "alert(1)" not in page and '"a": 1' not in page
    assert 'class="jp-OutputArea-child jp-OutputArea-executeResult"' in page and ">42</pre>" in page


def test_errors_show_their_traceback_as_text() -> None:
    error = nbformat.v4.new_output(
        "error", ename="KeyError", evalue="x", traceback=["\x1b[31mKeyError\x1b[0m: '<x>'"]
    )
    page = _page(_code(error))
    assert "<pre>KeyError: '&lt;x&gt;'</pre>" in page
    assert "\x1b" not in page


def test_the_page_loads_nothing_and_carries_its_styles() -> None:
    page = _page(
        nbformat.v4.new_markdown_cell("# Title"), _code(_display({"text/html": "<p>x</p>"}))
    )
    assert "<script" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<title>Occupation outlook</title>" in page
    head = page[: page.index("<body")]
    assert head.count("<style") == 2  # JupyterLab's rules the page uses, then the report's
    assert "--jp-content-font-family" in head and ".jp-RenderedHTMLCommon table" in head
    assert ".md-brief" in head  # report.css
    assert 'class="jp-Notebook"' in page[page.index("<body") :]


def test_the_brief_is_cut_out_of_the_page_for_its_own_pdf() -> None:
    brief = (
        '<section class="md-brief" aria-label="Career brief"><h2>Jobs</h2></section>'
        '<span class="md-brief-end"></span>'
    )
    page = _page(nbformat.v4.new_markdown_cell("# Title"), _code(_display({"text/html": brief})))
    alone = brief_page(page)
    assert alone is not None and "<h2>Jobs</h2>" in alone
    assert alone.count("<style") == 3 and "<h1" not in alone  # the styles, not the title


def test_the_stylesheet_is_the_one_the_tool_builds_from_nbconvert() -> None:
    """report_base.css is what tools/build_report_base_css.py makes of the installed
    nbconvert's copy of JupyterLab's stylesheet (rebuild it after a JupyterLab update)."""
    pytest.importorskip("nbconvert")
    pytest.importorskip("tinycss2")
    from tools.build_report_base_css import build, lab_static

    built = build(lab_static())
    assert built == (DATA / "report_base.css").read_text(encoding="utf-8")

"""Write ``marketdata/data/report_base.css``: the rules of JupyterLab's stylesheets that a report
page uses.

usage::

    python -m tools.build_report_base_css [--out FILE]

nbconvert's lab template inlines JupyterLab's light theme and its whole stylesheet, 250 KB
(``share/jupyter/nbconvert/templates/lab/static``, installed with nbconvert). A report page
uses a few dozen of those rules: this script keeps the rules with a selector that matches an
element of a sample page (the markup :mod:`marketdata.reports.export` writes for every kind of
output, and the HTML our report kit displays), the variables those rules use, and the rules
nbconvert's template adds in its own ``<style>``. Pseudo-classes are ignored when matching, so a
rule for ``:hover`` is kept with its element. Needs nbconvert and tinycss2 (installed with the
``bench`` extra).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import soupsieve
import tinycss2
from bs4 import BeautifulSoup

OUT = Path(__file__).resolve().parents[1] / "marketdata" / "data" / "report_base.css"

#: What nbconvert's lab template writes in its own ``<style>`` after the two stylesheets.
NBCONVERT = """
* { -webkit-print-color-adjust: exact; }
.jp-OutputArea-output pre { line-height: inherit; font-family: inherit; }
.jp-RenderedText pre { color: var(--jp-content-font-color1); font-size: var(--jp-code-font-size); }
.jp-Collapser { display: none; }
@media print {
  .jp-Cell-inputWrapper, .jp-Cell-outputWrapper { display: block; }
}
"""

#: Every element and class a report page can hold: cells, each kind of output, the HTML of
#: the report kit (``marketdata/reports/kit.py``, ``brief_html.py``, ``table_html.py``) and
#: what Markdown renders to.
SAMPLE = """
<html><body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<main>
<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell"><div class="jp-Cell-inputWrapper">
<div class="jp-Collapser jp-InputCollapser jp-Cell-inputCollapser"></div>
<div class="jp-InputArea jp-Cell-inputArea">
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">
<h1 id="a">A</h1><h2>b</h2><h3>c</h3><h4>d</h4><h5>e</h5><h6>f</h6>
<p>t <a href="#a">l</a> <code>c</code> <em>e</em> <strong>s</strong> <del>d</del> <kbd>k</kbd>
<sup>1</sup><sub>2</sub><img src="x.png" alt="x"><br></p>
<ul><li><input type="checkbox"> a<ul><li>b</li></ul></li></ul><ol><li>c<ol><li>d</li></ol></li></ol>
<blockquote><p>q</p></blockquote><pre><code>code</code></pre><hr>
<table><thead><tr><th>h</th></tr></thead><tbody><tr><td>d</td></tr></tbody></table>
<dl><dt>t</dt><dd>d</dd></dl>
</div></div></div></div>
<div class="jp-Cell jp-CodeCell jp-Notebook-cell jp-mod-noOutputs jp-mod-noInput"></div>
<details class="md-fold"><summary><h2>s</h2></summary>
<div class="jp-Cell jp-CodeCell jp-Notebook-cell jp-mod-noInput"><div class="jp-Cell-outputWrapper">
<div class="jp-Collapser jp-OutputCollapser jp-Cell-outputCollapser"></div>
<div class="jp-OutputArea jp-Cell-outputArea">
<div class="jp-OutputArea-child">
<div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output" data-mime-type="text/html">
<section class="md-brief"><h2>b</h2><p class="md-sub">s</p><div class="md-cards">
<section class="md-card"><h3>h</h3><ul><li>l</li></ul><div class="md-figures">
<div class="md-figure"><span class="md-big">1</span><span class="md-label">l</span></div></div>
</section></div></section>
<div class="md-scroll" role="region"><table class="md-table"><thead><tr><th class="md-num">h</th>
</tr></thead><tbody><tr><td class="md-num">1</td><td class="md-code">c</td><td class="md-text">t</td>
</tr></tbody></table></div>
<p class="md-note">n</p><aside class="md-about"><h2>a</h2><p><code>c</code></p></aside>
<dl class="md-glossary"><dt>t</dt><dd>d</dd></dl>
</div></div>
<div class="jp-OutputArea-child jp-OutputArea-executeResult">
<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-OutputArea-output jp-OutputArea-executeResult" data-mime-type="text/markdown"><p>m</p></div></div>
<div class="jp-OutputArea-child"><div class="jp-RenderedImage jp-OutputArea-output"><img src="x.png" alt="x"></div></div>
<div class="jp-OutputArea-child"><div class="jp-RenderedSVG jp-OutputArea-output" data-mime-type="image/svg+xml"><img src="x.svg" alt="x"></div></div>
<div class="jp-OutputArea-child"><div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"><pre>t</pre></div></div>
<div class="jp-OutputArea-child"><div class="jp-RenderedText jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr"><pre>e</pre></div></div>
</div></div></div></details>
</main></body></html>
"""

_PSEUDO = re.compile(r"::?[a-zA-Z-]+(\((?:[^()]|\([^()]*\))*\))?")


def _matches(selector: str, page: BeautifulSoup) -> bool:
    """Whether ``selector``, pseudo-classes left out, matches an element of ``page``."""
    if selector.startswith(":root"):
        return True
    plain = _PSEUDO.sub(lambda m: "*" if _alone(selector, m.start()) else "", selector)
    try:
        return page.select_one(plain) is not None
    except (soupsieve.SelectorSyntaxError, NotImplementedError):
        sys.stderr.write(f"kept, not understood: {selector}\n")
        return True


def _alone(selector: str, at: int) -> bool:
    """Whether the pseudo-class at ``at`` stands for an element of its own."""
    return at == 0 or selector[at - 1] in " >+~("


def _split(prelude: str) -> list[str]:
    """The selectors of a comma-separated list, commas inside parentheses left alone."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(prelude):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:at])
            start = at + 1
    return [" ".join(p.split()) for p in [*parts, prelude[start:]]]


def _text(tokens: list) -> str:
    return tinycss2.serialize(tokens).strip()


def _keep(rules: list, page: BeautifulSoup) -> list[tuple[str, str]]:
    """The ``(prelude, body)`` of the rules to keep, at-rules with their kept rules inside."""
    kept: list[tuple[str, str]] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _split(_text(rule.prelude))
            chosen = [s for s in selectors if _matches(s, page)]
            if chosen:
                kept.append((", ".join(chosen), _text(rule.content)))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            body = "\n".join(f"  {p} {{ {b} }}" for p, b in _keep(inner, page))
            if body:
                kept.append((f"@{rule.at_keyword} {_text(rule.prelude)}", f"\n{body}\n"))
    return kept


def _variables(kept: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``kept`` with the custom properties that no kept rule uses taken out of ``:root``."""
    declared: dict[str, str] = {}
    for prelude, body in kept:
        if prelude.startswith(":root"):
            for name, value in re.findall(r"(--[\w-]+)\s*:\s*([^;]*)", body):
                declared[name] = value
    used = set(re.findall(r"var\((--[\w-]+)", " ".join(b for p, b in kept if p != ":root")))
    todo = list(used)
    while todo:
        for name in re.findall(r"var\((--[\w-]+)", declared.get(todo.pop(), "")):
            if name not in used:
                used.add(name)
                todo.append(name)
    out = []
    for prelude, body in kept:
        if prelude.startswith(":root"):
            pairs = re.findall(r"(--[\w-]+)\s*:\s*([^;]*);?", body)
            body = " ".join(f"{n}: {v.strip()};" for n, v in pairs if n in used)
            if not body:
                continue
        out.append((prelude, body))
    return out


def build(static: Path) -> str:
    """The stylesheet from nbconvert's lab ``static`` folder."""
    page = BeautifulSoup(SAMPLE, "html.parser")
    css = "\n".join(
        (static / name).read_text(encoding="utf-8") for name in ("theme-light.css", "index.css")
    )
    rules = tinycss2.parse_stylesheet(css + NBCONVERT, skip_comments=True, skip_whitespace=True)
    kept = _variables(_keep(rules, page))
    lines = [
        "/* The rules of JupyterLab's light theme and stylesheet that a marketdata report page",
        "   uses (written by tools/build_report_base_css.py from nbconvert's lab template).",
        "   Copyright (c) Jupyter Development Team. Distributed under the terms of the",
        "   Modified BSD License. */",
    ]
    for prelude, body in kept:
        body = re.sub(r"\s+", " ", body).strip() if not prelude.startswith("@") else body
        lines.append(
            f"{prelude} {{ {body} }}" if not prelude.startswith("@") else f"{prelude} {{{body}}}"
        )
    return "\n".join(lines) + "\n"


def lab_static() -> Path:
    """The ``static`` folder of nbconvert's lab template, as installed."""
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("nbconvert", "templates"):
        if (Path(folder) / "lab" / "static" / "index.css").is_file():
            return Path(folder) / "lab" / "static"
    raise FileNotFoundError("nbconvert's lab template: install nbconvert (the bench extra)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    static = lab_static()
    args.out.write_text(build(static), encoding="utf-8")
    sys.stdout.write(f"wrote {args.out} ({args.out.stat().st_size:,} bytes) from {static}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The documentation site's generated pages: docs/cli.md renders every command of the
``marketdata`` program, the report subcommands made from the notebooks included, with every
option; every command's help starts with one summary line; the tutorials and the README's
links lead to pages that exist."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import click
import pytest

from marketdata.cli.commands import cli
from marketdata.reports.catalogue import REPORTS

markdown = pytest.importorskip("markdown", reason="needs the docs extra")
pytest.importorskip("mkdocs_click", reason="needs the docs extra")
yaml = pytest.importorskip("yaml", reason="needs the docs extra")

ROOT = Path(__file__).resolve().parents[2]
HEADING = re.compile(r'<h[1-6] id="([^"]+)"')


@cache
def _expected() -> dict[tuple[str, ...], click.Command]:
    """Every command by its path, the report and batch subcommands listed from the report
    catalogue rather than from the groups, so that a group that hides one is found out."""
    found: dict[tuple[str, ...], click.Command] = {("marketdata",): cli}
    ctx = click.Context(cli, info_name="marketdata")
    for name, command in cli.commands.items():
        found["marketdata", name] = command
        if name in ("report", "batch"):
            subnames = [*REPORTS, "rerun"] if name == "report" else list(REPORTS)
            for sub in subnames:
                found["marketdata", name, sub] = command.get_command(ctx, sub)
    return found


@pytest.fixture(scope="module")
def sections() -> dict[str, str]:
    """docs/cli.md as the site renders it: the HTML under each heading, by the heading's id."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert {"mkdocs-click", "attr_list"} <= set(names), "mkdocs.yml loads mkdocs-click"
    page = markdown.markdown(
        (ROOT / "docs" / "cli.md").read_text(),
        extensions=["attr_list", "toc", "mkdocs-click", "pymdownx.superfences"],
    )
    starts = [(m.start(), m[1]) for m in HEADING.finditer(page)]
    ends = [start for start, _ in starts[1:]] + [len(page)]
    return {
        anchor: _text(page[start:end]) for (start, anchor), end in zip(starts, ends, strict=True)
    }


def _text(part: str) -> str:
    """The text of an HTML part without its spaces: the options' help is wrapped at spaces and
    hyphens."""
    return "".join(html.unescape(re.sub(r"<[^>]+>", " ", part)).split())


@pytest.mark.parametrize("path", list(_expected()), ids=" ".join)
def test_every_command_has_its_section_with_every_option(
    sections: dict[str, str], path: tuple[str, ...]
) -> None:
    command = _expected()[path]
    anchor = "-".join(path)
    assert anchor in sections, f"docs/cli.md does not render `{' '.join(path)}`"
    text = sections[anchor]
    assert _text(command.help.split("\n")[0]) in text
    for param in command.params:
        if isinstance(param, click.Option) and not param.hidden:
            long = next(o for o in param.opts if o.startswith("--"))
            assert long in text, f"`{' '.join(path)}` misses {long}"
            assert param.help and _text(param.help) in text, f"{long}'s help is not there"


def test_report_parameters_are_there(sections: dict[str, str]) -> None:
    """A parameter of a report's notebook is an option of its report and batch commands."""
    for command in ("report", "batch"):
        text = sections[f"marketdata-{command}-occupation_outlook"]
        assert "--comparison-areas" in text and _text("SOC code or title") in text


@pytest.mark.parametrize("path", list(_expected()), ids=" ".join)
def test_help_starts_with_one_summary_line(path: tuple[str, ...]) -> None:
    help_text = _expected()[path].help or ""
    first, _, rest = help_text.partition("\n")
    assert first and first[0].isupper() and first.endswith(".") and len(first) <= 72, first
    assert rest == "" or rest.startswith("\n"), "a blank line follows the summary"


def test_tutorials_are_pages_of_the_site() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    tutorials = next(e["Tutorials"] for e in config["nav"] if "Tutorials" in e)
    for notebook in sorted((ROOT / "examples").glob("*.ipynb")):
        page = ROOT / "docs" / "tutorials" / notebook.name
        assert page.resolve() == notebook, f"docs/tutorials/{notebook.name} leads to it"
        assert f"tutorials/{notebook.name}" in tutorials


def test_readme_is_short_and_its_links_exist() -> None:
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) < 200
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", readme)
    local = [link for link in links if "://" not in link and not link.startswith("mailto:")]
    assert local, "the README links to the documentation"
    missing = [link for link in local if not (ROOT / link).exists()]
    assert missing == []

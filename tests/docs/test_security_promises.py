"""SECURITY.md names a test for each promise, and every test it names exists.

A reference is ``tests/<path>.py`` or ``tests/<path>.py::test_name`` in backticks; a bare
``::test_name`` belongs to the file named last before it in the same table row or paragraph.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECURITY = ROOT / "SECURITY.md"
REFERENCE = re.compile(r"`(?P<file>tests/[\w/]+\.py)?(?:::(?P<test>\w+))?`")


@cache
def defined_tests(path: Path) -> frozenset[str]:
    """The names of the test functions defined in ``path``."""
    tree = ast.parse(path.read_text())
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    )


def references(block: str) -> list[tuple[str, str | None]]:
    """(file, test or None) of each reference in ``block``, a table row or a paragraph."""
    found, last = [], None
    for m in REFERENCE.finditer(block):
        if m["file"] is None and m["test"] is None:
            continue
        last = m["file"] or last
        assert last is not None, f"'::{m['test']}' follows no file: {block[:120]}"
        found.append((last, m["test"]))
    return found


def blocks() -> list[str]:
    """SECURITY.md's table rows and paragraphs (list items are paragraphs of their own)."""
    text = SECURITY.read_text()
    rows = [line for line in text.splitlines() if line.startswith("|")]
    prose = "\n".join(line for line in text.splitlines() if not line.startswith("|"))
    paragraphs = re.split(r"\n\s*\n|\n(?=- )", prose)
    return rows + paragraphs


def promise_rows() -> list[str]:
    """The rows of the tables whose header is ``| promise | test |``."""
    rows, inside = [], False
    for line in SECURITY.read_text().splitlines():
        if line.startswith("| promise | test |"):
            inside = True
        elif not line.startswith("|"):
            inside = False
        elif inside and not line.startswith("|---"):
            rows.append(line)
    return rows


def test_every_named_test_exists():
    named = [ref for block in blocks() for ref in references(block)]
    assert len(named) > 40
    missing = []
    for file, test in named:
        path = ROOT / file
        if not path.is_file() or (test is not None and test not in defined_tests(path)):
            missing.append(f"{file}::{test}" if test else file)
    assert missing == [], missing


def test_every_promise_names_a_test():
    rows = promise_rows()
    assert len(rows) >= 20
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert len(cells) == 2, row
        assert references(cells[1]), f"no test named for: {cells[0][:100]}"

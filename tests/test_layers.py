"""The package's folders are the stages of its data flow, and imports run only leftward.

A module's folder under ``marketdata/`` is its layer; the order of the layers is the flow line
of ARCHITECTURE.md. Every module is listed on that page, no two modules share a name, none
grows past the size a reader can hold, and only ``io/http.py`` touches the network.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "marketdata"
PAGE = ROOT / "ARCHITECTURE.md"

#: The stages, left to right: a module may import from its own stage or those to its left.
LAYERS = ("core", "io", "sources", "bundled", "datasets", "analysis", "plots", "reports", "cli")
#: Modules at the package's top level and the stage they belong to.
TOP_LEVEL = {"marketdata/__init__.py": "core", "marketdata/__main__.py": "cli"}
#: Third-party and standard modules that reach the network: only ``io/http.py`` may import them.
NETWORK = ("requests", "urllib3", "urllib.request", "http.client", "socket", "httpx", "aiohttp")
HTTP_MODULE = "marketdata.io.http"
#: Only the settings decide where files live by default.
PLATFORMDIRS_MODULES = ("marketdata.core.config",)
#: The longest module a reader should meet.
MAX_LINES = 450


@cache
def modules() -> dict[str, Path]:
    """Every module under marketdata/, by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def layer_of(path: Path) -> str | None:
    """The stage of a module file: its first folder under marketdata/."""
    rel = path.relative_to(ROOT).as_posix()
    if rel in TOP_LEVEL:
        return TOP_LEVEL[rel]
    folder = path.relative_to(PACKAGE).parts[0]
    return folder if folder in LAYERS else None


def file_of(module: str) -> Path | None:
    """The file of a marketdata module, or None if there is none."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imports(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, at any depth.

    ``from a import b`` gives ``a.b`` when that is a module, else ``a``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                in_package = sub.startswith("marketdata.") and file_of(sub) is not None
                found.append((node.lineno, sub if in_package else base))
    return found


def test_the_page_draws_the_flow_in_the_layer_order() -> None:
    text = PAGE.read_text(encoding="utf-8")
    flow = next(line.strip() for line in text.splitlines() if line.strip().startswith("core →"))
    assert flow.split(" → ") == list(LAYERS)


def test_every_module_sits_in_a_stage_folder() -> None:
    lost = [p.relative_to(ROOT).as_posix() for p in modules().values() if layer_of(p) is None]
    assert not lost, f"modules outside the stage folders {LAYERS}: {lost}"


def test_the_page_lists_every_module_where_it_is() -> None:
    """ARCHITECTURE.md's module tree names each file under the folder it sits in."""
    text = PAGE.read_text(encoding="utf-8")
    tree = text.split("\n## Modules", 1)[1].split("\n## ", 1)[0]
    listed: set[str] = set()
    stack: list[tuple[int, str]] = []
    for line in tree.splitlines():
        found = re.match(r"^( *)([\w.]+/?)(\s|$)", line)
        if not found or found.group(2) in ("```",):
            continue
        indent, name = len(found.group(1)), found.group(2)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = "/".join([*(n.rstrip("/") for _, n in stack), name.rstrip("/")])
        listed.add(path)
        if name.endswith("/"):
            stack.append((indent, name))
    files = {
        p.relative_to(ROOT).as_posix()
        for p in modules().values()
        if p.name != "__init__.py" or p.parent == PACKAGE
    }
    missing = sorted(files - listed)
    assert not missing, f"ARCHITECTURE.md's module tree does not list: {missing}"


def test_no_two_modules_share_a_name() -> None:
    names = Counter(p.stem for p in modules().values() if p.stem != "__init__")
    twice = sorted(name for name, n in names.items() if n > 1)
    assert not twice, f"module names used more than once: {twice}"


def test_no_module_is_longer_than_a_reader_can_hold() -> None:
    long = {
        p.relative_to(ROOT).as_posix(): n
        for p in modules().values()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines (split them by responsibility): {long}"


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_run_only_leftward(module: str) -> None:
    path = modules()[module]
    own = layer_of(path)
    assert own is not None, f"{module} is in no stage folder"
    rightward = []
    for line, name in imports(path, module):
        if not name.startswith("marketdata."):
            continue
        theirs = file_of(name)
        assert theirs is not None, f"{module}:{line} imports {name}, which does not exist"
        their_layer = layer_of(theirs)
        if their_layer is not None and LAYERS.index(their_layer) > LAYERS.index(own):
            rightward.append(f"line {line}: {name} ({their_layer})")
    assert not rightward, (
        f"{module} ({own}) imports from stages to its right: {'; '.join(rightward)}. "
        f"Stages, left to right: {' → '.join(LAYERS)}"
    )


@pytest.mark.parametrize("module", sorted(modules()))
def test_only_http_talks_to_the_network(module: str) -> None:
    found = imports(modules()[module], module)
    if module != HTTP_MODULE:
        network = [
            f"line {line}: {name}"
            for line, name in found
            if any(name == n or name.startswith(f"{n}.") for n in NETWORK)
        ]
        assert not network, f"{module} imports network modules (only {HTTP_MODULE} may): {network}"
    if module not in PLATFORMDIRS_MODULES:
        dirs = [line for line, name in found if name.split(".")[0] == "platformdirs"]
        assert not dirs, f"{module} decides where files live (platformdirs, line {dirs})"


def test_the_checks_catch_what_they_guard(tmp_path: Path) -> None:
    """The helpers see a lazy rightward import and a lazy network import inside a function."""
    source = tmp_path / "probe.py"
    source.write_text(
        "def f():\n"
        "    from marketdata.reports import tables\n"
        "    import requests\n"
        "    from marketdata import __version__\n"
    )
    found = [name for _, name in imports(source, "marketdata.probe")]
    assert found == ["marketdata.reports.tables", "requests", "marketdata"]
    assert layer_of(file_of("marketdata.reports.tables")) == "reports"
    assert layer_of(PACKAGE / "reports" / "batch" / "driver.py") == "reports"
    assert layer_of(PACKAGE / "sources" / "new_family.py") == "sources"
    assert layer_of(PACKAGE / "brand_new.py") is None

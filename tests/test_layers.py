"""The layers of ARCHITECTURE.md hold: every module under marketdata/ is in a layer, imports only
from its own layer or layers to its left (lazy imports inside functions included), and only
``http`` touches the network.

The layer table is read from ARCHITECTURE.md (its "Layers" section), so the page and this test
cannot disagree.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "marketdata"
PAGE = ROOT / "ARCHITECTURE.md"

#: Third-party and standard modules that reach the network: only ``http`` may import them.
NETWORK = ("requests", "urllib3", "urllib.request", "http.client", "socket", "httpx", "aiohttp")
#: Only these layers may import ``platformdirs`` (the default cache folder is a setting).
PLATFORMDIRS_LAYERS = ("core", "cache")


@dataclass(frozen=True)
class Layers:
    names: tuple[str, ...]  # left to right
    paths: dict[str, str]  # path under marketdata/ -> layer

    def index(self, layer: str) -> int:
        return self.names.index(layer)


@cache
def layers() -> Layers:
    """The table under "## Layers" in ARCHITECTURE.md: ``| layer | `path`, `path/` |``."""
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("\n## Layers", 1)[1].split("\n## ", 1)[0]
    names: list[str] = []
    paths: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or not line.lstrip().startswith("|") or set(cells[1]) <= {"-"}:
            continue
        if cells[0] == "layer":
            continue
        names.append(cells[0])
        for path in re.findall(r"`([^`]+)`", cells[1]):
            assert path not in paths, f"ARCHITECTURE.md lists {path} in two layers"
            paths[path] = cells[0]
    assert names, "ARCHITECTURE.md has no layer table under '## Layers'"
    return Layers(tuple(names), paths)


def covers(path: str, rel: str) -> bool:
    """Whether table path ``path`` covers the module file ``rel`` (relative to marketdata/):
    a folder (``sources/``) covers everything in it; a name (``oews``) covers ``oews.py``,
    ``oews_*.py`` and the package ``oews/``."""
    if path.endswith("/"):
        return rel.startswith(path)
    return rel == f"{path}.py" or rel.startswith((f"{path}/", f"{path}_"))


def layer_of_file(rel: str) -> str | None:
    """The layer of module file ``rel``: the longest table path covering it."""
    found = [p for p in layers().paths if covers(p, rel)]
    return layers().paths[max(found, key=len)] if found else None


def modules() -> dict[str, Path]:
    """Every module under marketdata/, by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def file_of(module: str) -> str | None:
    """The file (relative to marketdata/) of a marketdata module, or None if there is none."""
    base = ROOT.joinpath(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate.relative_to(PACKAGE).as_posix()
    return None


def imports(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, at any depth. ``from a import b``
    gives ``a.b`` when that is a module, else ``a``."""
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


def test_the_page_draws_the_flow_in_the_table_order() -> None:
    text = PAGE.read_text(encoding="utf-8")
    flow = next(line.strip() for line in text.splitlines() if line.strip().startswith("http →"))
    assert flow.split(" → ") == [n for n in layers().names if n != "core"]
    assert layers().names[0] == "core"
    for name in layers().names:
        assert f"| {name} |" in text


def test_every_module_is_in_a_layer() -> None:
    missing = [
        path.relative_to(ROOT).as_posix()
        for path in modules().values()
        if layer_of_file(path.relative_to(PACKAGE).as_posix()) is None
    ]
    assert not missing, (
        f"modules in no layer: {', '.join(missing)}. Add each to the layer table "
        "('## Layers') in ARCHITECTURE.md"
    )


def test_every_path_of_the_table_names_modules() -> None:
    files = [p.relative_to(PACKAGE).as_posix() for p in modules().values()]
    stale = [path for path in layers().paths if not any(covers(path, f) for f in files)]
    assert not stale, f"ARCHITECTURE.md's layer table lists paths with no module: {stale}"


@pytest.mark.parametrize("module", sorted(modules()))
def test_imports_run_only_leftward(module: str) -> None:
    path = modules()[module]
    own = layer_of_file(path.relative_to(PACKAGE).as_posix())
    if own is None:
        pytest.fail(f"{module} is in no layer: add it to the layer table in ARCHITECTURE.md")
    rightward = []
    for line, name in imports(path, module):
        if name != "marketdata" and not name.startswith("marketdata."):
            continue
        rel = file_of(name)
        assert rel is not None, f"{module}:{line} imports {name}, which does not exist"
        theirs = layer_of_file(rel)
        if theirs is not None and layers().index(theirs) > layers().index(own):
            rightward.append(f"line {line}: {name} ({theirs})")
    assert not rightward, (
        f"{module} ({own}) imports from layers to its right: {'; '.join(rightward)}. "
        f"Layers, left to right: {' → '.join(layers().names)}"
    )


@pytest.mark.parametrize("module", sorted(modules()))
def test_only_http_talks_to_the_network(module: str) -> None:
    path = modules()[module]
    own = layer_of_file(path.relative_to(PACKAGE).as_posix())
    found = imports(path, module)
    if own != "http":
        network = [
            f"line {line}: {name}"
            for line, name in found
            if any(name == n or name.startswith(f"{n}.") for n in NETWORK)
        ]
        assert not network, f"{module} imports network modules (only http may): {network}"
    if own not in PLATFORMDIRS_LAYERS:
        dirs = [line for line, name in found if name.split(".")[0] == "platformdirs"]
        assert not dirs, f"{module} decides where files live (platformdirs, line {dirs})"


def test_the_checks_catch_what_they_guard(tmp_path: Path) -> None:
    """The helpers see a lazy upward import and a lazy network import inside a function."""
    source = tmp_path / "probe.py"
    source.write_text(
        "def f():\n"
        "    from marketdata.reports import tables\n"
        "    import requests\n"
        "    from marketdata import cli, __version__\n"
    )
    found = [name for _, name in imports(source, "marketdata.probe")]
    assert found == ["marketdata.reports.tables", "requests", "marketdata.cli", "marketdata"]
    assert layer_of_file(file_of("marketdata.reports.tables")) == "reports"
    assert layer_of_file("reports/batch/driver.py") == "batch"
    assert layer_of_file("sources/new_family.py") == "sources"
    assert layer_of_file("oews_history.py") == "loaders"
    assert layer_of_file("brand_new.py") is None

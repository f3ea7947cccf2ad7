"""Download progress bars: a widget in JupyterLab, text on a terminal, none in CI or reports,
and never a ``TqdmWarning: IProgress not found`` (checked in a real Jupyter kernel)."""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from marketdata.core.config import Settings
from marketdata.io import progress

ROOT = Path(__file__).resolve().parents[2]


class Kernel:
    """A Jupyter kernel running this checkout; :meth:`run` returns what a cell printed."""

    def __init__(self, env: dict[str, str]) -> None:
        self.manager, self.client = start_new_kernel(kernel_name="python3", env=env)

    def run(self, code: str) -> str:
        seen: list[str] = []

        def keep(message: dict) -> None:
            content = message["content"]
            if message["msg_type"] == "stream":
                seen.append(content["text"])
            elif message["msg_type"] in ("execute_result", "display_data"):
                seen.append(content["data"].get("text/plain", ""))
            elif message["msg_type"] == "error":
                seen.append("\n".join(content["traceback"]))

        self.client.execute_interactive(code, output_hook=keep, timeout=120)
        return "".join(seen)

    def stop(self) -> None:
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=True)


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARKETDATA_") and k != "CI"}
    return env | {
        "PYTHONPATH": str(ROOT),
        "MARKETDATA_OFFLINE": "1",
        "MARKETDATA_CACHE_DIR": str(tmp_path_factory.mktemp("kernel-cache")),
    }


@pytest.fixture(scope="module")
def kernel(kernel_env: dict[str, str]) -> Iterator[Kernel]:
    running = Kernel(kernel_env)
    yield running
    running.stop()


NO_WIDGETS = "import sys; sys.modules['ipywidgets'] = None  # as if ipywidgets were missing\n"
IMPORTS = "import warnings; warnings.simplefilter('always')\nfrom marketdata.datasets import oews\nfrom marketdata.io import http\n"


@pytest.mark.slow
def test_no_iprogress_warning_in_jupyter_without_ipywidgets(kernel_env: dict[str, str]):
    bare = Kernel(kernel_env)
    try:
        out = bare.run(NO_WIDGETS + IMPORTS)
        out += bare.run("from marketdata.io import progress; print(type(progress.bar(total=3)))")
    finally:
        bare.stop()
    assert "IProgress" not in out and "TqdmWarning" not in out, out
    assert "tqdm.std.tqdm" in out  # the text bar instead


@pytest.mark.slow
def test_jupyter_gets_the_widget_bar_and_no_warning(kernel: Kernel):
    out = kernel.run(IMPORTS + "from marketdata.io import progress\nb = progress.bar(total=3)\n")
    out += kernel.run("print(type(b).__module__, b.disable, progress.in_jupyter())")
    assert "Warning" not in out, out
    assert "tqdm.notebook False True" in out


@pytest.mark.slow
def test_no_bar_in_a_report_kernel(kernel: Kernel, tmp_path: Path):
    code = (
        "import os; from marketdata.core import config\nfrom marketdata.io import progress\n"
        f"os.environ['MARKETDATA_REPORT_DIR'] = {str(tmp_path)!r}; config.reset_settings()\n"
        "b = progress.bar(total=3); print(type(b).__module__, b.disable)\n"
        "del os.environ['MARKETDATA_REPORT_DIR']; config.reset_settings()\n"
    )
    assert "tqdm.std True" in kernel.run(code)


def test_settings_turn_bars_off_in_ci_and_reports():
    assert Settings.from_env({}).progress is None
    assert Settings.from_env({"CI": "true"}).progress is False
    assert Settings.from_env({"CI": "true", "MARKETDATA_PROGRESS": "1"}).progress is True
    assert (
        Settings.from_env({"MARKETDATA_REPORT_DIR": "/r", "MARKETDATA_PROGRESS": "1"}).progress
        is False
    )
    assert Settings.from_env({"MARKETDATA_PROGRESS": "0"}).progress is False
    for value in (None, True, False):
        settings = Settings(cache_dir=Path("/c"), progress=value)
        assert Settings.from_env(settings.to_env()) == settings


def test_text_bar_outside_jupyter(monkeypatch: pytest.MonkeyPatch):
    on = Settings(cache_dir=Path("/c"), progress=True)
    off = Settings(cache_dir=Path("/c"), progress=False)
    with progress.bar(total=3, settings=on) as shown:
        assert type(shown).__module__ == "tqdm.std" and not shown.disable
    with progress.bar(total=3, settings=off) as hidden:
        assert hidden.disable
    auto = Settings(cache_dir=Path("/c"))
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    assert not progress.shown(auto)


def test_no_module_imports_tqdm_auto():
    """``tqdm.auto`` warns in Jupyter without ipywidgets: every bar goes through progress."""
    auto = {"tqdm.auto", "tqdm.autonotebook"}
    users = []
    for path in (ROOT / "marketdata").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if auto & set(names):
                users.append(path.relative_to(ROOT).as_posix())
    assert users == []

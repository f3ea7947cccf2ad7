"""The two report engines give the same files: each of the three reports run with a
fresh Jupyter kernel (``engine="kernel"``) and in a process's IPython shell
(``engine="inprocess"``, what ``marketdata report`` uses), offline on the bundled May 2025
data. Tables and figures must be byte-identical, the HTML identical up to nbformat's random
cell ids. The in-process runs share one worker process (its own process, so the IPython shell
of other tests is not touched), as a warm batch worker would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from marketdata import reports
from marketdata.cli import commands as cli
from marketdata.core.config import Settings
from marketdata.core.errors import ReportError
from marketdata.reports.batch.workers import context

#: The reports, with the parameters the report benchmark times them with.
REPORTS = {
    "occupation_outlook": {"occupation": "29-2072", "area": "OH"},
    "regional_salary_report": {"area": "OH", "occupations": "29-0000"},
    "growth_explorer": {"soc_group": "29-0000", "area": "US"},
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Report name -> (folder of the kernel run, folder of the in-process run)."""
    settings = Settings(cache_dir=tmp_path_factory.mktemp("cache"), offline=True)
    kernel_root, inprocess_root = (tmp_path_factory.mktemp(n) for n in ("kernel", "inprocess"))
    folders = {}
    with ProcessPoolExecutor(1, mp_context=context()) as worker:
        main_before = worker.submit(_main_module).result()
        for name, params in REPORTS.items():
            fast = worker.submit(
                reports.run,
                name,
                output_dir=inprocess_root,
                settings=settings,
                engine="inprocess",
                **params,
            )
            slow = reports.run(
                name, output_dir=kernel_root, settings=settings, engine="kernel", **params
            )
            folders[name] = (slow.directory, fast.result().directory)
        folders["__main__"] = (main_before, worker.submit(_main_module).result())
    return folders


def _main_module() -> str:
    """Which module object is ``__main__`` in this process."""
    main = sys.modules["__main__"]
    return f"{type(main).__name__} {id(main)} spec={hasattr(main, '__spec__')}"


def files(folder: Path, kind: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((folder / kind).iterdir())}


def without_cell_ids(html: str) -> str:
    """nbformat gives cells without an id a random one when a notebook is read."""
    return re.sub(r'id="cell-id=[0-9a-f-]+"', 'id="cell-id"', html)


@pytest.mark.parametrize("name", REPORTS)
def test_inprocess_writes_the_kernels_tables_figures_and_html(runs, name: str) -> None:
    kernel, inprocess = runs[name]
    assert kernel.name == inprocess.name  # the same slug
    tables = files(kernel, "tables")
    assert tables and tables == files(inprocess, "tables")
    figures = files(kernel, "figures")
    assert figures and figures == files(inprocess, "figures")
    html = without_cell_ids((kernel / "report.html").read_text())
    assert "<img" in html
    assert html == without_cell_ids((inprocess / "report.html").read_text())


def test_the_process_gets_its_main_module_back(runs) -> None:
    """IPython's user module stands in for ``__main__`` only while a notebook runs (else,
    e.g., multiprocessing in the process breaks after a report)."""
    before, after = runs["__main__"]
    assert after == before


def test_an_unknown_engine_is_refused_before_the_report_runs(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="unknown engine 'fast': choose one of inprocess, kernel"):
        reports.run("growth_explorer", output_dir=tmp_path, engine="fast")
    with pytest.raises(ReportError, match="kernel 'python3' is for the kernel engine"):
        reports.run(
            "growth_explorer", output_dir=tmp_path, engine="inprocess", kernel_name="python3"
        )
    assert not any(tmp_path.iterdir())


def test_the_command_line_names_the_engines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["report", "growth_explorer", "--engine", "fast", "--output-dir", str(tmp_path)]
    assert cli.main(args) == 2
    assert "unknown engine 'fast': choose one of inprocess, kernel" in capsys.readouterr().err
    assert cli.main(["report", "growth_explorer", "--help"]) == 0
    assert "--engine inprocess|kernel" in capsys.readouterr().out


def test_the_command_line_uses_a_kernel_inside_another_ipython_session() -> None:
    """``marketdata report`` runs in-process, except where an IPython shell already runs
    (the command line called from a Jupyter kernel): there it starts a kernel."""
    code = (
        "import sys\n"
        "from marketdata import reports\n"
        "print(reports.default_engine())\n"
        "if sys.argv[1] == 'shell':\n"
        "    from IPython.core.interactiveshell import InteractiveShell\n"
        "    InteractiveShell.instance()\n"
        "    print(reports.default_engine())\n"
    )
    root = str(Path(__file__).resolve().parents[2])
    for mode, expected in (("bare", ["inprocess"]), ("shell", ["inprocess", "kernel"])):
        done = subprocess.run(
            [sys.executable, "-c", code, mode],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": root},
            timeout=120,
        )
        assert done.stdout.split() == expected

"""The in-process engine: a small notebook run twice in one worker process (its own process,
so the IPython shell of other tests is not touched): outputs as a kernel gives them,
papermill's parameters and metadata, a clean namespace and warnings for each run, the
report's environment only while it runs, and a failing cell named in the error."""

from __future__ import annotations

import ast
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from marketdata.core.config import Settings
from marketdata.core.errors import ReportError
from marketdata.reports import inprocess
from marketdata.reports.batch import workers

CELLS = [
    'who = "nobody"',
    'print("hello")\nprint("again")\nseen = who',
    'from IPython.display import HTML, display\ndisplay(HTML("<b>" + who + "</b>"))\n6 * 7',
    "import warnings\n"
    "from marketdata.core.errors import OfflineDataWarning\n"
    'warnings.warn("offline, using the snapshot", OfflineDataWarning)',
    "import os\n"
    "from marketdata.core.config import get_settings\n"
    'os.environ["MARKETDATA_REPORT_DIR"], str(get_settings().cache_dir)',
]


def notebook(path: Path, cells: list[str]) -> Path:
    nb = new_notebook(
        cells=[new_code_cell(c) for c in cells],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "P"}},
    )
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    """The notebook run twice, then a failing one, in one worker process."""
    tmp = tmp_path_factory.mktemp("inprocess")
    settings = Settings(cache_dir=tmp / "cache", offline=True)
    good = notebook(tmp / "good.ipynb", CELLS)
    bad = notebook(tmp / "bad.ipynb", ['who = "x"', "print(seen)", "1 / 0"])
    with ProcessPoolExecutor(1, mp_context=workers.context()) as worker:

        def run(path: Path, name: str, **parameters):
            (tmp / name).mkdir()
            return worker.submit(
                inprocess.execute_notebook,
                path,
                tmp / name / "out.ipynb",
                parameters,
                report_dir=tmp / name,
                settings=settings,
            ).result()

        first = run(good, "first", who="Ohio")
        second = run(good, "second", who="Kentucky")
        with pytest.raises(ReportError) as failed:
            run(bad, "third")
        leftover = worker.submit(os.getenv, "MARKETDATA_REPORT_DIR").result()
    return first, second, failed.value, leftover, tmp


def outputs(nb, index: int) -> list:
    return nb.cells[index].outputs


def test_outputs_are_those_a_kernel_gives(runs) -> None:
    first, *_ = runs
    # papermill's injected parameters cell comes after the parameters cell
    assert first.cells[1].metadata.tags == ["injected-parameters"]
    assert first.metadata.papermill.parameters == {"who": "Ohio"}
    assert [c.execution_count for c in first.cells] == [1, 2, 3, 4, 5, 6]
    assert outputs(first, 2) == [
        nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": "hello\nagain\n"})
    ]
    shown, result = outputs(first, 3)
    assert shown.output_type == "display_data" and shown.data["text/html"] == "<b>Ohio</b>"
    assert result.output_type == "execute_result" and result.data["text/plain"] == "42"
    assert result.execution_count == 4
    assert first.metadata.language_info.name == "python"
    assert all(c.metadata.papermill.status == "completed" for c in first.cells)
    nbformat.validate(first)


def test_each_run_has_its_own_parameters_warnings_and_environment(runs) -> None:
    first, second, _, leftover, tmp = runs
    assert outputs(second, 3)[0].data["text/html"] == "<b>Kentucky</b>"
    for nb in (first, second):  # shown each time, as in a new kernel
        (warning,) = outputs(nb, 4)
        assert warning.name == "stderr" and "OfflineDataWarning" in warning.text
    folder, cache = ast.literal_eval(outputs(second, 5)[0].data["text/plain"])
    assert folder == str(tmp / "second") and cache == str(tmp / "cache")
    assert leftover is None  # the report's environment is gone after the run
    assert (tmp / "second" / "out.ipynb").is_file()


def test_a_failing_cell_is_named_and_the_namespace_starts_empty(runs) -> None:
    error = runs[2]
    # 'seen' was set by the notebook run before: each run starts with an empty namespace
    assert str(error) == (
        "report notebook bad.ipynb failed in cell 2: NameError: name 'seen' is not defined"
    )


def test_parameters_are_injected_as_papermill_injects_them(tmp_path: Path) -> None:
    """After the parameters cell, replacing an injected cell already there; none without
    parameters; every cell tagged and the notebook in format 4.5 with cell ids."""
    from marketdata.reports import run_record

    path = notebook(tmp_path / "nb.ipynb", ['who = "nobody"', "print(who)"])
    nb = run_record.read(path)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5) and all(c.get("id") for c in nb.cells)
    assert [c.metadata.tags for c in nb.cells] == [["parameters"], []]
    run_record.inject(nb, {"who": "Ohio", "areas": ["OH", "KY"]}, input_path="a", output_path="b")
    run_record.inject(nb, {"who": "Iowa"}, input_path="a", output_path="b")
    assert [c.metadata.tags for c in nb.cells] == [["parameters"], ["injected-parameters"], []]
    assert nb.cells[1].source == "# Parameters\nwho = 'Iowa'\n"
    assert nb.metadata.papermill == {
        "parameters": {"who": "Iowa"},
        "input_path": "a",
        "output_path": "b",
    }
    bare = run_record.read(path)
    run_record.inject(bare, {}, input_path="a", output_path="b")
    assert len(bare.cells) == 2 and "parameters" not in bare.metadata.papermill
    nbformat.validate(nb)

"""Charts drawn aside: a report's charts drawn by its chart process are the bytes drawn in
the cell, the report's own process never imports matplotlib, a chart that fails names
itself, a chart process that ends early leaves its charts to the report, and no process is
left behind.

The runs happen in a fresh Python process each: the test process has threads of its own, and
a process with other threads running never forks a chart process.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from marketdata import plots
from marketdata.reports import charts

ROOT = Path(__file__).resolve().parents[2]

#: Builds a notebook of ``cells`` and runs it with the in-process engine inside
#: ``chart_process.aside()``, as ``marketdata report`` does; prints what the test checks.
RUNNER = """
import json, multiprocessing, sys
from pathlib import Path
import nbformat
from marketdata.core.config import Settings
from marketdata.core.errors import ReportError
from marketdata.reports import chart_process, inprocess

tmp = Path(sys.argv[1])
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in json.loads(sys.argv[2])])
nbformat.write(nb, tmp / "in.ipynb")
said = ""
with chart_process.aside():
    try:
        inprocess.execute_notebook(
            tmp / "in.ipynb", tmp / "out.ipynb", {}, report_dir=tmp,
            settings=Settings(cache_dir=tmp / "cache", offline=True),
        )
    except ReportError as err:
        said = str(err)
print(json.dumps({
    "error": said,
    "matplotlib": "matplotlib" in sys.modules,
    "children": len(multiprocessing.active_children()),
}))
"""

START = """
import pandas as pd
from marketdata.reports import chart_process, charts, kit
kit.start()
states = pd.DataFrame({"area_name": ["Ohio", "Alaska", "Iowa"],
                       "annual_median": [50990.0, 239200.0, None],
                       "is_topcoded_annual_median": [False, True, False]})
"""
BARS = 'charts.bars(states, measure="annual_median", label="area_name", title="Median pay")'


def run(tmp_path: Path, *cells: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, str(tmp_path), json.dumps([START, *cells])],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def drawn_here() -> tuple[bytes, str]:
    """The PNG of :data:`BARS` drawn in this process and its text alternative, as a cell
    without a chart process gets them."""
    import pandas as pd

    states = pd.DataFrame(
        {
            "area_name": ["Ohio", "Alaska", "Iowa"],
            "annual_median": [50990.0, 239200.0, None],
            "is_topcoded_annual_median": [False, True, False],
        }
    )
    chart = charts.bars(states, measure="annual_median", label="area_name", title="Median pay")
    return charts.png(chart.figure(), "bars")


def images(tmp_path: Path) -> list:
    nb = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    return [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]


def test_charts_drawn_aside_are_the_bytes_drawn_in_the_cell(tmp_path: Path) -> None:
    said = run(tmp_path, f'kit.show_figure({BARS}, "first")\nkit.show_figure({BARS}, "second")')
    assert said == {"error": "", "matplotlib": False, "children": 0}
    expected, alt = drawn_here()
    for name in ("first", "second"):
        assert (tmp_path / "figures" / f"{name}.png").read_bytes() == expected
    shown = images(tmp_path)
    assert len(shown) == 2
    assert all(base64.b64decode(o["data"]["image/png"]) == expected for o in shown)
    assert [o["metadata"]["image/png"]["alt"] for o in shown] == [alt, alt]
    assert alt.startswith("Bar chart: Median pay. Alaska: ≥ $239,200")


def test_a_chart_that_fails_names_itself(tmp_path: Path) -> None:
    said = run(tmp_path, 'kit.show_figure(charts.tile_map(states, measure="nothing"), "broken")')
    assert said["error"].startswith("the chart broken could not be drawn: SchemaError: ")
    assert said["children"] == 0


def test_a_chart_process_that_ends_early_leaves_its_charts_to_the_report(
    tmp_path: Path,
) -> None:
    said = run(
        tmp_path,
        f'kit.show_figure({BARS}, "before")\n'
        'process, _ = chart_process._state["helper"]\n'
        "process.kill()\n"
        "process.join()\n"
        f'kit.show_figure({BARS}, "after")',
    )
    assert said["error"] == "" and said["children"] == 0
    expected, _ = drawn_here()
    for name in ("before", "after"):
        assert (tmp_path / "figures" / f"{name}.png").read_bytes() == expected
    assert len(images(tmp_path)) == 2


def test_recipes_name_every_chart_and_nothing_else() -> None:
    callables = sorted(n for n in plots.__all__ if callable(getattr(plots, n)))
    assert list(charts.PLOTS) == callables
    assert charts.CHART_ROWS == plots.CHART_ROWS
    chart = charts.tile_map("frame", measure="annual_median")
    assert chart == charts.Chart("tile_map", ("frame",), {"measure": "annual_median"})
    with pytest.raises(AttributeError, match=r"no chart 'tile_mpa'.*did you mean tile_map"):
        charts.tile_mpa  # noqa: B018


def test_outside_a_report_a_recipe_is_drawn_in_the_cell(tmp_path: Path) -> None:
    """In Jupyter, with no chart process, ``show_figure`` of a recipe draws it at once."""
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from marketdata.reports import kit

    InteractiveShell.instance()
    cell = textwrap.dedent(START).replace("kit.start()", "")
    namespace: dict = {}
    exec(cell, namespace)
    with kit.writing_to(tmp_path), capture_output() as shown:
        kit.show_figure(eval(BARS, namespace), "bars")
    assert (tmp_path / "figures" / "bars.png").read_bytes() == drawn_here()[0]
    assert len(shown.outputs) == 1

"""An occupation of ``growth`` is looked up in a code index before the table is read.

:func:`marketdata.analysis.growth.outlook` (nationally) asks :func:`marketdata.datasets.projections.code_index`
for the located release's codes and titles (the bundled release's TSV, or the index stored with
a cached release's Parquet) and answers an unknown occupation from it, without pandas
(tests/cli/test_imports.py). Here: the index answers exactly as the table does (warnings, message,
close matches and their order), a release cached without an index is read as before, and a file
holding another release is refused either way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from marketdata.analysis import growth
from marketdata.core.errors import UnknownCode, UnknownRelease
from marketdata.datasets import projections
from marketdata.io import cache
from marketdata.sources import ep
from tests.conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
WB_2024 = DATA / "ep" / "occupation_2024-34.xlsx"


def _add_round(key: str | None = None) -> None:
    """BLS's 2024-34 workbook (the test slice) in the cache, as ``marketdata cache add``
    files it (or under ``key``)."""
    known = ep.identify(WB_2024)
    cache.add_file(WB_2024, key=key or known.key, url=known.url)


def _quietly(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call(*args, **kwargs)


def _said_by_the_table(occupation: str) -> str:
    """What ``marketdata growth OCCUPATION`` prints on stderr, worked out from the table
    itself (pandas): the warnings of loading it, then the error of looking the occupation up."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = projections.load(occupation_type="all")
    what = f"BLS Employment Projections {frame['release'].iloc[0]}"
    with pytest.raises(UnknownCode) as error:
        growth._find(frame, occupation, what=what)
    said = [f"marketdata: {w.category.__name__}: {w.message}\n" for w in caught]
    return "".join(said) + f"marketdata: error: {error.value}\n"


@pytest.mark.parametrize("cached", [False, True], ids=["bundled", "cached-release"])
@pytest.mark.parametrize(
    "args",
    [
        ["29-9999"],
        ["29-9999", "--area", "OH"],  # Ohio's projections are not cached: the nation's
        ["Medical records specialist"],
        ["nursing assistant"],
        ["Total all occupations"],
    ],
)
def test_an_unknown_occupation_is_answered_as_the_table_answers(
    args: list[str], cached: bool
) -> None:
    if cached:
        _add_round()
    expected = _said_by_the_table(args[0])  # in the cached case, parses the release once
    done = subprocess.run(
        [sys.executable, "-m", "marketdata", "growth", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == expected


@pytest.mark.parametrize("table", ["projections", "separations"])
def test_the_index_of_a_cached_round_is_its_table(table: str) -> None:
    _add_round()
    assert _quietly(projections.code_index, _quietly(projections.locate, table=table)) is None
    frame = _quietly(projections.load, table=table, occupation_type="all")
    located = _quietly(projections.locate, table=table)
    assert projections.code_index(located) == [
        tuple(row) for row in ep.code_frame(frame).values.tolist()
    ]


def test_a_round_cached_without_an_index_is_read_as_before() -> None:
    """A Parquet stored by a marketdata that kept no index: the table answers (slower)."""
    _add_round()
    with pytest.raises(UnknownCode) as indexed:
        _quietly(growth.outlook, "29-9999", "US")
    located = _quietly(projections.locate)
    assert projections.code_index(located) is not None
    frame = projections.read(located, occupation_type="all")
    key = located.cached.file.key
    cache.write_parquet(frame, f"{key}/projections", inputs=[located.cached.file])
    assert projections.code_index(located) is None
    with pytest.raises(UnknownCode) as unindexed:
        _quietly(growth.outlook, "29-9999", "US")
    assert str(unindexed.value) == str(indexed.value)


def test_a_file_holding_another_round_is_refused_with_or_without_its_index() -> None:
    _add_round(key="ep/occupation_2021-31.xlsx")  # the 2024-34 workbook, misfiled
    for _ in range(2):  # first from the table (which stores the index), then from the index
        with pytest.raises(UnknownRelease, match="holds another EP release"):
            growth.outlook("29-9999", "US", release="2021-31")

"""The recipe: every dataset module goes through it, and its pieces do what they say.

A dataset module downloads only through :func:`marketdata.datasets.recipe.fetch` (or
``reach``), writes and reads its Parquet only through ``cached_frame``, and says what stands
in for data it could not have only through ``say_instead`` or ``bundled_instead``; the scan
below reads every module's code (not its docstrings) for calls that go around the recipe.
"""

from __future__ import annotations

import ast
import warnings
from pathlib import Path

import pandas as pd
import pytest

from marketdata.core.errors import FetchError, OfflineDataWarning, SourceFormatError
from marketdata.core.schema import Provenance, attach_provenance
from marketdata.datasets import recipe
from marketdata.io import cache
from tests.bls_server import Answer

DATASETS = Path(recipe.__file__).parent
#: The modules that load a dataset from an agency's files.
LOADERS = (
    "cpi",
    "cps",
    "cps_characteristics",
    "cps_series",
    "history_offline",
    "oews",
    "oews_codes",
    "oews_history",
    "onet",
    "ors",
    "projections",
    "rpp",
    "state_projections",
)
#: Calls that belong to the recipe alone.
RECIPE_ONLY = {"cache.fetch", "cache.read_parquet", "cache.write_parquet", "warn_once"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def around_the_recipe(code: str) -> list[str]:
    """The calls in ``code`` that only the recipe may make, and every warning it raises of
    the :class:`OfflineDataWarning` kind, as ``line: call``."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        offline = any(_name(arg) == "OfflineDataWarning" for arg in node.args)
        if name in RECIPE_ONLY or (name.endswith("warn") and offline):
            found.append((node.lineno, name))
    return [f"{line}: {name}" for line, name in sorted(found)]


def test_every_dataset_module_goes_through_the_recipe() -> None:
    modules = sorted(p for p in DATASETS.glob("*.py") if p.name != "recipe.py")
    assert {m.stem for m in modules} >= set(LOADERS)
    strays = {
        m.name: calls
        for m in modules
        if (calls := around_the_recipe(m.read_text(encoding="utf-8")))
    }
    assert not strays, f"dataset modules going around datasets/recipe.py: {strays}"
    unused = [n for n in LOADERS if "recipe." not in (DATASETS / f"{n}.py").read_text("utf-8")]
    assert not unused, f"loaders that do not use the recipe: {unused}"


def test_the_scan_finds_a_loader_of_its_own() -> None:
    code = '''
def load(settings):
    """cache.fetch(url) in a docstring is no call."""
    try:
        entry = cache.fetch(URL, key=KEY, settings=settings)
    except FetchError:
        warn_once("X", "BLS could not be reached; using the bundled X.", OfflineDataWarning)
        warnings.warn("again", OfflineDataWarning, stacklevel=2)
        return bundled.read()
    frame = cache.read_parquet(NAME, inputs=[entry], settings=settings)
'''
    assert around_the_recipe(code) == [
        "5: cache.fetch",
        "7: warn_once",
        "8: warnings.warn",
        "10: cache.read_parquet",
    ]


def test_a_file_elsewhere_is_tried_after_a_404(bls_server, online_settings) -> None:
    bls_server.add("/second/file.txt", b"found\n")
    file = recipe.File(
        "test/file.txt",
        f"{bls_server.url}/first/file.txt",
        elsewhere=(f"{bls_server.url}/second/file.txt",),
    )
    got = recipe.fetch([file], settings=online_settings)
    assert got["test/file.txt"].path.read_bytes() == b"found\n"
    assert [r.path for r in bls_server.requests] == ["/first/file.txt", "/second/file.txt"]


def test_an_optional_file_is_left_out_a_required_one_raises(bls_server, online_settings) -> None:
    bls_server.add("/there.txt", b"here\n")
    there = recipe.File("test/there.txt", f"{bls_server.url}/there.txt")
    gone = recipe.File("test/gone.txt", f"{bls_server.url}/gone.txt", optional=True)
    assert list(recipe.fetch([gone, there], settings=online_settings)) == ["test/there.txt"]
    with pytest.raises(FetchError, match="404"):
        recipe.fetch([there, recipe.File(gone.key, gone.url)], settings=online_settings)


def test_reach_says_why_instead_of_raising(bls_server, online_settings) -> None:
    bls_server.add_handler("/down.txt", lambda request: Answer(503, {}, b"busy"))
    file = recipe.File("test/down.txt", f"{bls_server.url}/down.txt")
    missed = recipe.reach([file], settings=online_settings.replace(retries=0))
    assert isinstance(missed, recipe.Missed)
    assert "503" in missed.reason and "\n" not in missed.reason
    assert cache.lookup("test/down.txt", settings=online_settings) is None


def _bundled() -> pd.DataFrame:
    frame = pd.DataFrame({"year": [2024], "value": [1.0]})
    source = Provenance("TEST", "2024", "https://example.org/t.csv", "2025-01-01", bundled=True)
    return attach_provenance(frame, [source])


def _recipe(url: str, *, bundled: bool = True) -> recipe.Recipe:
    def parse(entry: cache.CachedFile) -> pd.DataFrame:
        frame = pd.read_csv(entry.path)
        if "value" not in frame:
            raise SourceFormatError("no value column", source=entry.url)
        return frame

    return recipe.Recipe(
        program="TEST",
        agency="BLS",
        source="test values",
        url=lambda settings: url,
        key="test/values.csv",
        frame_name="test/values",
        parse=parse,
        release=lambda frame: str(frame["year"].max()),
        bundled=_bundled if bundled else None,
        bundled_name=lambda frame: f"test values ({frame['year'].iloc[0]})",
    )


def test_load_parses_once_and_names_the_file(bls_server, online_settings) -> None:
    bls_server.add("/values.csv", b"year,value\n2025,2.5\n")
    cooked = _recipe(f"{bls_server.url}/values.csv")
    first = recipe.load(cooked, settings=online_settings)
    again = recipe.load(cooked, settings=online_settings)
    pd.testing.assert_frame_equal(first, again)
    [source] = again.attrs["provenance"]
    assert source["release"] == "2025" and not source["bundled"]
    assert source["source_url"] == f"{bls_server.url}/values.csv"
    assert cache.parquet_path(
        "test/values",
        inputs=[cache.lookup("test/values.csv", settings=online_settings)],
        settings=online_settings,
    )


def test_the_bundle_stands_in_once_per_source(offline_settings) -> None:
    cooked = _recipe("https://example.org/values.csv")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        frame = recipe.load(cooked, settings=offline_settings)
        recipe.load(cooked, settings=offline_settings)
    assert [(w.category, str(w.message)) for w in said] == [
        (OfflineDataWarning, "Offline mode is on; using the bundled test values (2024).")
    ]
    [source] = frame.attrs["provenance"]
    assert source["bundled"] and "offline mode is on" in source["note"]
    with pytest.raises(FetchError, match="offline mode is on"):
        recipe.load(
            _recipe("https://example.org/values.csv", bundled=False), settings=offline_settings
        )


def test_a_cached_file_that_no_longer_parses_gives_way_to_the_bundle(
    bls_server, online_settings
) -> None:
    bls_server.add("/values.csv", b"year,amount\n2025,2.5\n")
    with pytest.warns(OfflineDataWarning, match="The cached test/values.csv does not parse"):
        frame = recipe.load(_recipe(f"{bls_server.url}/values.csv"), settings=online_settings)
    assert "no value column" in frame.attrs["provenance"][0]["note"]
    with pytest.raises(SourceFormatError, match="no value column"):
        recipe.load(
            _recipe(f"{bls_server.url}/values.csv", bundled=False), settings=online_settings
        )


def test_one_warning_for_several_loads() -> None:
    def load(n: int) -> None:
        recipe.say_instead(f"part {n}", "Offline mode is on", f"the bundled part {n}")
        warnings.warn("something else", UserWarning, stacklevel=1)

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        with recipe.one_warning("the page"):
            load(1)
            load(2)
    messages = [(w.category, str(w.message)) for w in said]
    assert messages == [
        (UserWarning, "something else"),
        (UserWarning, "something else"),
        (OfflineDataWarning, "Offline mode is on; using the bundled part 1."),
    ]

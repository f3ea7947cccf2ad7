"""Every public loader validates its inputs, offline on the bundled May 2025 snapshot.

A value of the wrong kind (a float code, ``nan``, a dict, a list where one value is
expected, any object) is a :class:`TypeError` naming the parameter; a release label BLS
never used is an error naming the value and the valid choices, never read as another
release; a mistyped area ends one short traceback in :class:`UnknownArea`, with nothing
chained to it. Property tests feed each loader arbitrary and nearly right values: each
either answers or raises one of the package's errors, a ``TypeError`` or a ``ValueError``
with a one-line message and no chained exception.
"""

from __future__ import annotations

import traceback
import warnings
from collections.abc import Callable
from typing import Any

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure

from marketdata import plots
from marketdata.analysis import growth, salary
from marketdata.core.errors import (
    ArgumentOrderError,
    FetchError,
    MarketdataError,
    UnknownArea,
    UnknownRelease,
)
from marketdata.datasets import codes, oews, projections
from marketdata.plots.label_layout import Labels

matplotlib.use("Agg")

PROPERTY = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
NEARLY_RIGHT = [
    "US", "OH", "Ohio", "ohio", "39", "18140", "0018140", "Columbus, OH", "Columbus",
    "29-2072", "292072", "29-2072.00", "29-0000", "medical records", "Atlantis", "99-9999",
    "000000", "622000", "all", "latest", "current", "May 2025", "2025", "2024", "May 2052",
    "November 2025", "Mai 2025", "2025-05", "2024-34", "", " ", "ZZ", "0000000", "x" * 300,
]  # fmt: skip
ANYTHING = st.one_of(
    st.sampled_from(NEARLY_RIGHT),
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.binary(max_size=8),
    st.lists(st.sampled_from(NEARLY_RIGHT), max_size=3),
    st.lists(st.one_of(st.integers(), st.floats(), st.none()), min_size=1, max_size=2),
    st.tuples(st.sampled_from(NEARLY_RIGHT)),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    st.builds(object),
    st.builds(lambda n: np.array([n]), st.integers(0, 99)),
)


def answers_or_says_one_line(call: Callable[[], Any], *parameters: str) -> None:
    """``call()`` answers, or raises one of the allowed errors, in one line, unchained; a
    TypeError names one of the ``parameters`` (not Python's own "object is not iterable")."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
    except (MarketdataError, TypeError, ValueError) as caught:
        err = caught
    else:
        return
    lines = 2 if isinstance(err, FetchError) and err.hint else 1  # a hint on its own line
    message = str(err)
    shown = "".join(traceback.format_exception(err))
    assert message.strip(), f"{type(err).__name__} without a message"
    assert len(message.splitlines()) <= lines, message
    assert len(message) < 1000, message[:200]  # an oversized input is not echoed in full
    assert err.__cause__ is None, shown
    assert err.__context__ is None or err.__suppress_context__, shown
    if isinstance(err, TypeError):
        assert any(name in message for name in parameters), message


# --------------------------------------------------------------------------- wrong kinds


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        ({"occupation": 292072.0}, "occupation=292072.0 is a float"),
        ({"area": float("nan")}, "area=nan is a float"),
        ({"industry": object()}, "industry=<object object"),
        ({"area": {}}, "area={} is a dict"),
        ({"area": ["OH", {"x": 1}]}, "area[1]={'x': 1} is a dict"),
        ({"occupation": [["29-2072"]]}, "occupation[0] is a list"),
        ({"release": 2025.5}, "release=2025.5 is a float"),
        ({"release": 2025.0}, "release=2025.0 is a float"),
        ({"release": ["May 2025"]}, "a list was given for release where one release"),
        ({"release": True}, "release=True"),
    ],
)
def test_wrong_kinds_of_values_are_type_errors_naming_the_parameter(
    parameters: dict, named: str
) -> None:
    with pytest.raises(TypeError) as caught:
        oews.load(**parameters)
    assert named in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.__context__ is None


def test_a_list_where_one_area_is_expected() -> None:
    with pytest.raises(TypeError, match="a list was given for area where one area is expected"):
        codes.resolve_area(["OH", "KY"])
    with pytest.raises(TypeError, match="a list was given for area where one area is expected"):
        growth.outlook("29-2072", ["US", "OH"])
    with pytest.raises(TypeError, match="a tuple was given for occupation where one occupation"):
        codes.resolve_occupation(("29-2072", "29-1141"))
    with pytest.raises(TypeError, match="a list was given for occupation"):
        salary.breakdown(["29-2072", "29-1141"], "US")


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: projections.load(release=["2024-34"]), "a list was given for release"),
        (lambda: projections.load(release=2024.5), "release=2024.5 is a float"),
        (lambda: projections.load(table=["projections"]), "a list was given for table"),
        (lambda: growth.outlook(292072.0), "occupation=292072.0 is a float"),
        (lambda: growth.outlook(["29-2072"]), "a list was given for occupation"),
        (lambda: growth.outlook("29-2072", release=2024.5), "release=2024.5 is a float"),
        (lambda: salary.breakdown("29-2072", 3.5), "areas=3.5 is a float"),
        (lambda: salary.breakdown("29-2072", {}), "areas={} is a dict"),
        (lambda: salary.breakdown(292072.0, "US"), "occupation=292072.0 is a float"),
    ],
)
def test_every_loader_checks_the_kind_of_its_inputs(call: Callable[[], Any], named: str) -> None:
    with pytest.raises(TypeError) as caught:
        call()
    assert named in str(caught.value)


def test_an_empty_selection_names_nothing() -> None:
    with pytest.raises(ValueError, match="area=\\[\\] names no area: give at least one"):
        oews.load("29-2072", [])
    with pytest.raises(ValueError, match="areas=\\(\\) names no area"):
        salary.breakdown("29-2072", ())


def test_numpy_whole_numbers_and_generators_are_read_as_given() -> None:
    assert codes.resolve_area(np.int64(39)).name == "Ohio"
    df = oews.load("29-2072", np.array([39, 21]))
    assert sorted(df["area_name"]) == ["Kentucky", "Ohio"]
    df = oews.load(iter(["29-2072"]), (a for a in ["OH", "KY"]))
    assert sorted(df["area_name"]) == ["Kentucky", "Ohio"]
    pay = salary.breakdown("29-2072", (a for a in ["US", "OH"]), certification=False)
    assert list(pay["area_name"]) == ["National", "Ohio"]


# --------------------------------------------------------------------------- releases


@pytest.mark.parametrize(
    ("release", "suggested"),
    [
        ("November 2025", "May 2025"),
        ("Mai 2025", "May 2025"),
        ("2025-05", "May 2025"),
        ("current", "latest"),
        ("newest", "latest"),
    ],
)
def test_a_release_label_bls_never_used_is_an_error(release: str, suggested: str) -> None:
    with pytest.raises(UnknownRelease) as caught:
        oews.load("29-2072", "US", release=release)
    message = str(caught.value)
    assert f"unknown OEWS release: {release!r}. Did you mean: {suggested}?" in message
    assert "Give 'latest', a year such as 2024, or a release label" in message


def test_a_future_release_is_not_published_yet() -> None:
    for release in ("May 2052", 2052, "2052"):
        with pytest.raises(UnknownRelease, match=r"not published yet \(latest: May 2025\)"):
            oews.load("29-2072", "US", release=release)


def test_the_latest_release_by_its_names() -> None:
    for release in ("latest", "LATEST", 2025, "2025", "May 2025", np.int64(2025)):
        df = oews.load("29-2072", "US", release=release)
        assert list(df["annual_median"]) == [51140], release  # BLS, May 2025


# --------------------------------------------------------------------------- positional order


def test_the_occupation_comes_first_then_the_areas() -> None:
    by_place = oews.load("29-2072", ["US", "OH"], release="May 2025")
    by_name = oews.load(release="May 2025", area=["US", "OH"], occupation="29-2072")
    assert list(by_place["area_name"]) == list(by_name["area_name"]) == ["National", "Ohio"]
    assert list(by_place["annual_median"]) == [51140, 50990]
    assert list(oews.wages_table("29-2072", "OH")["area_name"]) == ["National", "Ohio"]
    assert oews.load(292072, "OH")["occupation_code"].tolist() == ["29-2072"]  # a code, no release
    outlook = growth.outlook("29-2072", "US", release="2024-34")
    assert (outlook.release, outlook.occupation_code) == ("2024-34", "29-2072")


@pytest.mark.parametrize(
    "release", ["May 2025", "2025", 2025, np.int64(2025), "latest", "May 2021"]
)
def test_a_release_where_the_occupation_goes_says_how_to_pass_it(release: Any) -> None:
    with pytest.raises(ArgumentOrderError) as caught:
        oews.load(release)
    err = caught.value
    assert isinstance(err, TypeError) and isinstance(err, MarketdataError)
    message = str(err)
    assert "the occupation comes first" in message
    assert f"pass release={release!r}" in message
    assert "\n" not in message
    assert err.__cause__ is None and err.__context__ is None


def test_a_release_is_a_keyword() -> None:
    for call in (
        lambda: projections.load("2024-34"),
        lambda: growth.outlook("29-2072", "US", "2024-34"),
        lambda: oews.wages_table("29-2072", "US", "May 2025"),
    ):
        with pytest.raises(TypeError, match="positional argument"):
            call()


# --------------------------------------------------------------------------- one traceback


def test_a_mistyped_area_is_one_short_traceback() -> None:
    warnings.simplefilter("ignore")
    with pytest.raises(UnknownArea) as caught:
        oews.load("29-2072", "Ohiio")
    err = caught.value
    assert "Did you mean: Ohio (OH)?" in str(err)
    assert err.__context__ is None and err.__cause__ is None  # no OfflineError before it
    shown = "".join(traceback.format_exception(err))
    assert "OfflineError" not in shown and "During handling" not in shown


# --------------------------------------------------------------------------- plots


def test_a_number_where_a_column_name_is_expected(tmp_path) -> None:
    rows = oews.load("29-2072", ["US", "OH"])
    with pytest.raises(TypeError, match="reference=51140 is an int: give the name of a column"):
        plots.wage_distribution(rows, reference=51140)
    with pytest.raises(ValueError, match="us_median"):
        plots.wage_distribution(rows, reference="us_median")
    marked = rows.assign(us_median=51140)
    figure = plots.wage_distribution(marked, reference="us_median")
    assert "U.S. median" in key(figure)
    unmarked = plots.wage_distribution(rows.assign(us_median=None), reference="us_median")
    assert "U.S. median" not in key(unmarked)  # no key for a mark drawn nowhere
    assert key(unmarked) == key(plots.wage_distribution(rows))


def key(figure: Figure) -> list[str]:
    """The words of a chart's key."""
    return [t for a in figure.findobj(Labels) if a.get_gid() == "key" for t in a.texts]


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(value=ANYTHING)
@example(value=292072.0)
@example(value=float("nan"))
@example(value={})
def test_oews_load_occupation(value: Any) -> None:
    answers_or_says_one_line(lambda: oews.load(value, "OH"), "occupation")


@PROPERTY
@given(value=ANYTHING)
def test_oews_load_area(value: Any) -> None:
    answers_or_says_one_line(lambda: oews.load("29-2072", value), "area")


@PROPERTY
@given(value=ANYTHING)
def test_oews_load_industry(value: Any) -> None:
    answers_or_says_one_line(lambda: oews.load("29-2072", "US", industry=value), "industry")


@PROPERTY
@given(value=ANYTHING)
@example(value=2025.5)
def test_oews_load_release(value: Any) -> None:
    answers_or_says_one_line(lambda: oews.load("29-2072", "US", release=value), "release")


@PROPERTY
@given(value=ANYTHING)
def test_projections_load_release(value: Any) -> None:
    answers_or_says_one_line(lambda: projections.load(release=value), "release")


@PROPERTY
@given(value=ANYTHING)
def test_projections_load_table(value: Any) -> None:
    answers_or_says_one_line(lambda: projections.load(table=value), "table")


@PROPERTY
@given(occupation=ANYTHING, area=ANYTHING)
@example(occupation="US", area="OH")  # offline: no state projections, national has no "US"
def test_growth_outlook(occupation: Any, area: Any) -> None:
    answers_or_says_one_line(lambda: growth.outlook(occupation, area), "occupation", "area")


@PROPERTY
@given(value=ANYTHING)
def test_growth_outlook_release(value: Any) -> None:
    answers_or_says_one_line(lambda: growth.outlook("29-2072", "US", release=value), "release")


@settings(PROPERTY, max_examples=15)
@given(occupation=ANYTHING, areas=ANYTHING)
def test_salary_breakdown(occupation: Any, areas: Any) -> None:
    answers_or_says_one_line(
        lambda: salary.breakdown(
            occupation, areas, certification=False, local_prices=False, requirements=False
        ),
        "occupation",
        "areas",
    )


@PROPERTY
@given(value=ANYTHING)
def test_codes_resolve(value: Any) -> None:
    answers_or_says_one_line(lambda: codes.resolve_area(value), "area")
    answers_or_says_one_line(lambda: codes.resolve_occupation(value), "occupation")
    answers_or_says_one_line(lambda: codes.resolve_industry(value), "industry")


def test_the_properties_reach_both_outcomes() -> None:
    """The loaders above both answer and refuse for the nearly right values (the property
    tests are not vacuous)."""
    outcomes = set()
    for value in NEARLY_RIGHT:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                oews.load("29-2072", value)
            outcomes.add("answer")
        except MarketdataError:
            outcomes.add("error")
    assert outcomes == {"answer", "error"}

"""The package's public surface: few names, each with a real signature, in one vocabulary.

The vocabulary is the parameter table of ``docs/glossary.md``: a public function whose
parameter is not in it fails here, so code and glossary cannot drift apart.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from types import ModuleType

import pytest

import marketdata as md

GLOSSARY = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"
#: ``*frames`` (any number of frames) and ``**parameters`` (a report notebook's own
#: parameters, which its catalogue lists) are open by design.
OPEN_ENDED = ("frames", "parameters")


def glossary_parameters() -> set[str]:
    """The parameter names listed in the glossary's "Parameters" table."""
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split("\n## Parameters", 1)[1].split("\n## ", 1)[0]
    names = set()
    for line in section.splitlines():
        first = line.strip().strip("|").split("|")[0] if line.lstrip().startswith("|") else ""
        names |= set(re.findall(r"`(\w+)`", first))
    return names


def public_callables(module: ModuleType) -> dict[str, object]:
    return {
        name: getattr(module, name)
        for name in module.__all__
        if inspect.isfunction(getattr(module, name)) or inspect.isclass(getattr(module, name))
    }


@pytest.mark.parametrize("name", md.PUBLIC_MODULES)
def test_public_modules_load_on_first_use(name: str) -> None:
    module = getattr(md, name)
    assert module is importlib.import_module(module.__name__)
    assert module.__name__.startswith("marketdata.")


def test_dir_lists_only_what_a_user_calls() -> None:
    assert set(dir(md)) == {"PUBLIC_MODULES", "__version__", "quiet", *md.PUBLIC_MODULES}


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = md.no_such_thing


@pytest.mark.parametrize("name", md.PUBLIC_MODULES)
def test_every_public_module_says_what_it_exports(name: str) -> None:
    module = getattr(md, name)
    assert hasattr(module, "__all__"), f"md.{name} ({module.__name__}) has no __all__"
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"md.{name}.__all__ names what it does not have: {missing}"
    private = [n for n in module.__all__ if n.startswith("_")]
    assert not private, f"md.{name}.__all__ exports private names: {private}"


@pytest.mark.parametrize("name", md.PUBLIC_MODULES)
def test_public_functions_have_real_signatures(name: str) -> None:
    hidden = []
    for fn_name, fn in public_callables(getattr(md, name)).items():
        if inspect.isclass(fn):
            continue
        hidden += [
            f"{fn_name}({p.name})"
            for p in inspect.signature(fn).parameters.values()
            if p.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
            and p.name not in OPEN_ENDED
        ]
    assert not hidden, f"md.{name}: *args/**kwargs hide the parameters of {hidden}"


@pytest.mark.parametrize("name", md.PUBLIC_MODULES)
def test_parameters_speak_the_glossary(name: str) -> None:
    words = glossary_parameters()
    strays = []
    for fn_name, fn in public_callables(getattr(md, name)).items():
        if inspect.isclass(fn):
            continue
        strays += [f"{fn_name}({p})" for p in inspect.signature(fn).parameters if p not in words]
    assert not strays, (
        f"md.{name}: parameters not in docs/glossary.md's Parameters table: {strays}. "
        "Use the glossary's word, or add the new idea to the glossary."
    )


def test_the_glossary_check_can_fail() -> None:
    assert {"soc", "occupation_code", "geo", "vintage"}.isdisjoint(glossary_parameters())
    # one word for a vintage: EP's "round" and the API's year range are "release", "start", "end"
    assert {"round", "start_year", "end_year"}.isdisjoint(glossary_parameters())
    assert {"occupation", "area", "release", "settings"} <= glossary_parameters()


#: The positional parameters a public function may take when it takes an occupation or an area.
OCCUPATIONS = ("occupation", "occupations")
AREAS = ("area", "areas")


def positional_order_problems(fn_name: str, fn: object) -> list[str]:
    """How ``fn`` breaks "the occupation first, then the area or areas, every other parameter a
    keyword", and "a release is a keyword" (unless it is the function's only parameter)."""
    parameters = list(inspect.signature(fn).parameters.values())
    positional = [
        p.name
        for p in parameters
        if p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ]
    problems = []
    if set(positional) & {*OCCUPATIONS, *AREAS}:
        occupation = [n for n in positional if n in OCCUPATIONS][:1]
        area = [n for n in positional if n in AREAS][:1]
        if positional != occupation + area:
            problems.append(f"{fn_name}({', '.join(positional)}, *, ...)")
    if "release" in positional and len(parameters) > 1:
        problems.append(f"{fn_name}: release is positional")
    return problems


@pytest.mark.parametrize("name", md.PUBLIC_MODULES)
def test_occupation_first_then_areas_then_keywords(name: str) -> None:
    problems = []
    for fn_name, fn in public_callables(getattr(md, name)).items():
        if not inspect.isclass(fn):
            problems += positional_order_problems(fn_name, fn)
    assert not problems, f"md.{name}: {problems}"


def test_the_order_check_can_fail() -> None:
    def old_load(release="latest", *, area=None, occupation=None): ...

    def area_first(area, occupation): ...

    def year_positional(occupation, area, year): ...

    def areas_keyword_only(occupation, *, areas): ...

    assert positional_order_problems("old_load", old_load) == ["old_load: release is positional"]
    assert positional_order_problems("area_first", area_first)
    assert positional_order_problems("year_positional", year_positional)
    assert not positional_order_problems("areas_keyword_only", areas_keyword_only)
    assert not positional_order_problems("load", md.oews.load)

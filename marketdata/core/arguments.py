"""Checks of the kind of value a user passes to a public function, before any lookup.

A code, an area or a release is one text or one whole number; a selection is one of those or
a list of them. Anything else (a float such as ``292072.0`` or ``nan``, a dict, a list where
one value is expected, an arbitrary object) is a :class:`TypeError` that names the parameter
and what it takes, in one line. Whether the value names something BLS publishes is the
lookup's question (:mod:`marketdata.datasets.codes`), answered later.

>>> one("29-2072", "occupation", example="'29-2072'")
'29-2072'
>>> one(["OH"], "area", example="'OH'")
Traceback (most recent call last):
TypeError: a list was given for area where one area is expected (['OH']); give one, such as 'OH'
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

_SHOWN = 60  # characters of a value echoed in a message


def shown(value: Any) -> str:
    """``repr(value)``, cut to a few dozen characters."""
    text = repr(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def kind(value: Any) -> str:
    """What ``value`` is, in words: ``a float``, ``a dict``, ``an int``, ``a list``."""
    if isinstance(value, Mapping):
        return "a dict"
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return "a float"
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def _kind_of(value: Any) -> str:
    if isinstance(value, Mapping):
        return "dict"
    if isinstance(value, list | tuple | set | frozenset):
        return type(value).__name__
    return "list"


def _is_many(value: Any) -> bool:
    """True for a collection of values (a list, tuple, set, Series, array, generator)."""
    if isinstance(value, str | bytes | bytearray | Mapping):
        return False
    if hasattr(value, "ndim"):  # numpy arrays and scalars, pandas objects
        return getattr(value, "ndim", 0) > 0
    return isinstance(value, Iterable)


def one(value: Any, parameter: str, *, noun: str | None = None, example: str) -> str | int:
    """``value`` if it is one text or one whole number (a numpy integer becomes an ``int``).

    Parameters
    ----------
    value
        What the user gave.
    parameter
        The parameter's name, as the user wrote it (``"area"``).
    noun
        What one value is (default: ``parameter``), for "where one area is expected".
    example
        One or two valid values as code, e.g. ``"'OH' or 'Columbus, OH'"``.

    Raises
    ------
    TypeError
        Naming ``parameter``, what it takes and what was given.
    """
    noun = noun or parameter
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return int(value)
    if _is_many(value):
        raise TypeError(
            f"a {_kind_of(value)} was given for {parameter} where one {noun} is expected "
            f"({shown(value)}); give one, such as {example}"
        )
    raise TypeError(
        f"{parameter}={shown(value)} is {kind(value)}: give the {noun} as text or a whole "
        f"number, such as {example}"
    )


def selection(
    value: Any, parameter: str, *, noun: str | None = None, example: str
) -> str | int | list[str | int] | None:
    """A selection checked: ``None``, one value (:func:`one`) or a list of them (any
    collection, a generator or an array included, becomes a list).

    Raises
    ------
    TypeError
        ``value``, or one of its items, is not a text or a whole number.
    ValueError
        ``value`` is an empty list: it names nothing (``None`` means every value).
    """
    if value is None:
        return None
    if not _is_many(value):
        return one(value, parameter, noun=noun, example=example)
    items = list(value)
    noun = noun or parameter
    if not items:
        raise ValueError(
            f"{parameter}={shown(value)} names no {noun}: give at least one, such as {example}, "
            f"or leave {parameter} out for every {noun}"
        )
    found = []
    for i, item in enumerate(items):
        if _is_many(item):
            raise TypeError(
                f"{parameter}[{i}] is a {_kind_of(item)} ({shown(item)}): give {parameter} "
                f"as one {noun} or a flat list of them, such as {example}"
            )
        found.append(one(item, f"{parameter}[{i}]", noun=noun, example=example))
    return found

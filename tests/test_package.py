"""The package's public surface."""

from __future__ import annotations

import importlib

import pytest

import marketdata as md


@pytest.mark.parametrize("name", md.PUBLIC_MODULES)
def test_public_modules_load_on_first_use(name: str):
    assert getattr(md, name) is importlib.import_module(f"marketdata.{name}")


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_thing"):
        _ = md.no_such_thing

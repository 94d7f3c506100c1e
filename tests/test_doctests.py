"""Run the docstring examples of every module, so that they stay true."""

import doctest
import importlib
import pkgutil

import pytest

import sgns_helpers

# every module of the package, found on disk: a new module is tested without editing this list
MODULES = sorted(m.name for m in pkgutil.iter_modules(sgns_helpers.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"sgns_helpers.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in sgns_helpers.{name}"


def test_the_numerical_modules_have_examples():
    for name in ("simulate", "pmi", "noise", "theory", "align", "factorize"):
        module = importlib.import_module(f"sgns_helpers.{name}")
        assert doctest.testmod(module, verbose=False).attempted > 0, name

"""Every public callable of agent_mira documents itself, and its examples run.

The convention (Google style, as `help()` shows it): a one-line summary, then
``Args:`` naming exactly the parameters of the signature (``name: ...`` at four
spaces, ``**params`` for keyword parameters), ``Returns:``, ``Raises:`` and
``Example:`` with ``>>>`` lines. Classes with a constructor document its
parameters the same way; properties have a one-line docstring. The examples are
run as doctests against a small catalog, so they cannot drift from what the
package does.
"""

from __future__ import annotations

import doctest
import inspect
import re
import tempfile
from pathlib import Path
from typing import Any, Callable

import pytest

import agent_mira as mira
from agent_mira import exceptions

CLASSES = [mira.Catalog, mira.Engine, mira.PriceModel, mira.Recommendation]
CONSTRUCTED = {mira.Catalog, mira.Engine}  # the others are built by static methods
FUNCTIONS: list[Callable[..., Any]] = [mira.set_threads, mira.get_threads, mira.hashed_ngrams]
SECTIONS = ("Returns:", "Raises:", "Example:")


def _public(cls: type) -> list[tuple[str, Any, bool]]:
    """(name, callable or descriptor, is_property) of each public member."""
    out = []
    for name, raw in vars(cls).items():
        if name.startswith("_"):
            continue
        is_property = inspect.isdatadescriptor(raw)
        out.append((name, raw if is_property else getattr(cls, name), is_property))
    return out


METHODS = [
    pytest.param(fn, id=f"{cls.__name__}.{name}")
    for cls in CLASSES
    for name, fn, is_property in _public(cls)
    if not is_property
] + [pytest.param(fn, id=fn.__name__) for fn in FUNCTIONS]
PROPERTIES = [
    pytest.param(raw, id=f"{cls.__name__}.{name}")
    for cls in CLASSES
    for name, raw, is_property in _public(cls)
    if is_property
]


def _params(sig: inspect.Signature) -> list[str]:
    names = []
    for p in sig.parameters.values():
        if p.name in ("self", "cls"):
            continue
        names.append("**" + p.name if p.kind is p.VAR_KEYWORD else p.name)
    return names


def _documented(doc: str) -> list[str]:
    """The parameter names of the ``Args:`` section, in order."""
    m = re.search(r"^Args:\n(.*?)(?:\n\n|\Z)", doc, re.S | re.M)
    if not m:
        return []
    return re.findall(r"^    (\*\*\w+|\w+):", m.group(1), re.M)


def _check(doc: str | None, sig: inspect.Signature, what: str) -> None:
    assert doc and doc.strip(), f"{what} has no docstring"
    summary = doc.strip().split("\n\n")[0]
    assert summary.endswith((".", ":")), f"{what}: summary {summary!r}"
    for section in SECTIONS:
        assert re.search(rf"^{section}\n    \S", doc, re.M), f"{what}: no {section} section"
    assert _documented(doc) == _params(sig), f"{what}: Args: do not match {sig}"
    assert ">>> " in doc, f"{what}: no example"


@pytest.mark.parametrize("fn", METHODS)
def test_every_public_callable_documents_params_returns_raises_example(fn: Any) -> None:
    _check(fn.__doc__, inspect.signature(fn), fn.__qualname__)


@pytest.mark.parametrize("cls", sorted(CONSTRUCTED, key=lambda c: c.__name__))
def test_constructors_document_their_params(cls: type) -> None:
    _check(cls.__doc__, inspect.signature(cls), cls.__name__)
    # The call the docstring shows is the real signature.
    assert f"`{cls.__name__}{inspect.signature(cls)}`" in (cls.__doc__ or "")


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_class_has_a_docstring_with_an_example(cls: type) -> None:
    assert cls.__doc__ and ">>> " in cls.__doc__, cls.__name__


@pytest.mark.parametrize("prop", PROPERTIES)
def test_every_property_has_a_docstring(prop: Any) -> None:
    assert prop.__doc__ and prop.__doc__.strip().endswith("."), prop


@pytest.mark.parametrize("name", exceptions.__all__)
def test_every_exception_has_a_docstring(name: str) -> None:
    exc = getattr(exceptions, name)
    assert exc.__doc__, name
    if exc is not exceptions.MiraError:
        assert exc.__doc__ != exceptions.MiraError.__doc__, f"{name} inherits its docstring"
    assert getattr(mira, name) is exc


def test_signatures_show_the_real_defaults() -> None:
    assert str(inspect.signature(mira.Engine.recommend)) == "(self, prefs, k=3, offset=0)"
    assert str(inspect.signature(mira.Engine.recommend_batch)) == "(self, prefs, k=3)"
    assert str(inspect.signature(mira.Engine.similar)) == "(self, id, k=10, **filters)"
    assert str(inspect.signature(mira.Engine.similar_batch)) == "(self, ids, k=10, **filters)"
    assert str(inspect.signature(mira.Catalog.with_embeddings)) == "(self, /, ids, array)"
    assert str(inspect.signature(mira.hashed_ngrams)) == "(text_or_texts, dim)"
    assert str(inspect.signature(mira.Engine)) == (
        "(catalog, model=None, profile='balanced', current_year=None, rent_model=None)"
    )
    assert str(inspect.signature(mira.PriceModel.linear)) == (
        "(coefficients, intercept, feature_names=None, name='linear')"
    )
    assert str(inspect.signature(mira.PriceModel.train)) == (
        "(x, y, kind='gbdt', *, feature_names=None, name=None, progress=None, **params)"
    )


def test_recommend_help_names_the_preference_keys_and_return_type() -> None:
    doc = mira.Engine.recommend.__doc__ or ""
    assert "agent_mira.Preferences" in doc
    for key in mira.Preferences.__annotations__:
        assert f"`{key}`" in doc, key
    assert "list[Recommendation]" in doc
    assert "(soon)" not in (mira.Engine.__doc__ or "")


def _docstrings() -> list[Any]:
    found = []
    for cls in CLASSES:
        found.append(pytest.param(cls.__doc__, id=cls.__name__))
        for name, fn, _ in _public(cls):
            found.append(pytest.param(fn.__doc__, id=f"{cls.__name__}.{name}"))
    found += [pytest.param(fn.__doc__, id=fn.__name__) for fn in FUNCTIONS]
    found.append(pytest.param(exceptions.MiraError.__doc__, id="MiraError"))
    return [p for p in found if ">>> " in (p.values[0] or "")]


@pytest.mark.parametrize("doc", _docstrings())
def test_docstring_examples_run(doc: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        catalog = mira.Catalog.from_records(
            [{"id": 1, "price": 450_000, "bedrooms": 3}, {"id": "kc-2", "price": 380_000}]
        )
        engine = mira.Engine(
            mira.Catalog.from_records(
                [
                    {"id": 1, "price": 450_000, "bedrooms": 3, "location": "Seattle, WA"},
                    {"id": 2, "price": 380_000, "bedrooms": 2, "location": "Bellevue, WA"},
                ]
            ),
            current_year=2025,
        )
        model = mira.PriceModel.linear([100.0, 5_000.0], 50_000.0, ["size_sqft", "bedrooms"])
        globs = {"mira": mira, "catalog": catalog, "engine": engine, "model": model,
                 "tmp": Path(tmp)}
        test = doctest.DocTestParser().get_doctest(doc, globs, "docstring", None, 0)
        runner = doctest.DocTestRunner(
            optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        )
        out: list[str] = []
        assert test.examples
        runner.run(test, out=out.append)
        assert runner.failures == 0, "".join(out)

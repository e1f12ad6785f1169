"""Bad input gets a specific exception class and a message naming the
record, the field, the value and what was expected."""

from __future__ import annotations

import math

import pytest

import agent_mira as mira
from conftest import FIXTURES


def listing(**kw):  # type: ignore[no-untyped-def]
    return {"id": 1, "price": 400_000, **kw}


@pytest.fixture()
def engine(sample_catalog):  # type: ignore[no-untyped-def]
    return mira.Engine(sample_catalog, current_year=2025)


# -- wrong Python types -> MiraTypeError (a TypeError) -----------------------

@pytest.mark.parametrize("bad,match", [
    ("not a list", "expected a list of listing dicts, got str"),
    (5, "expected a list of listing dicts, got int"),
    ([1, 2], "record #0: expected listing as a dict, got int"),
    ([listing(amenities={"pool"})], "record #0: field `amenities` has Python type set"),
    ([{1: 2}], "record #0: key 1 of `<record>` has Python type int: expected str"),
])
def test_wrong_types_in_records(bad, match) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(mira.MiraTypeError, match=match) as err:
        mira.Catalog.from_records(bad)
    assert isinstance(err.value, TypeError)
    assert err.value.code == "MIRA_TYPE"


def test_wrong_types_in_requests(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(mira.MiraTypeError, match="preferences: expected preferences as a dict"):
        engine.recommend("budget=5")
    with pytest.raises(mira.MiraTypeError, match="field `k` has Python type str"):
        engine.recommend({}, k="3")
    with pytest.raises(TypeError, match="must be an agent_mira.Catalog"):
        mira.Engine([{"id": 1, "price": 1}])
    with pytest.raises(mira.MiraTypeError, match="a list of preference dicts"):
        engine.recommend_batch({"budget": 1})
    with pytest.raises(mira.MiraTypeError, match="id"):
        engine.get(1.5)


# -- values out of range, NaN, missing -> ValueError subclasses --------------

@pytest.mark.parametrize("record,cls,message", [
    (listing(price=-5), mira.InvalidFieldError,
     "record #0 (listing 1): field `price` = -5: expected a finite number > 0"),
    (listing(school_rating=11), mira.InvalidFieldError, "field `school_rating` = 11"),
    (listing(bedrooms="three"), mira.InvalidFieldError,
     "field `bedrooms` = \"three\": expected a whole number ≥ 0"),
    (listing(price=math.nan), mira.InvalidFieldError,
     "record #0: field `price` = NaN: expected a finite number"),
    (listing(bathrooms=math.inf), mira.InvalidFieldError, "field `bathrooms` = inf"),
    ({"price": 1}, mira.MissingFieldError, "record #0: missing required field `id`"),
    ({"id": 3}, mira.MissingFieldError, "record #0 (listing 3): missing required field `price`"),
    (listing(bedroms=3), mira.UnknownFieldError,
     "record #0: unknown field `bedroms` (did you mean `bedrooms`?)"),
    (listing(id=-1), mira.InvalidFieldError, "field `id`"),
])
def test_bad_listing_values(record, cls, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(cls) as err:
        mira.Catalog.from_records([record])
    assert message in str(err.value)
    assert isinstance(err.value, ValueError)
    assert isinstance(err.value, mira.MiraError)


def test_error_attributes() -> None:
    with pytest.raises(mira.UnknownFieldError) as err:
        mira.Catalog.from_records([listing(bedroms=3)])
    e = err.value
    assert (e.code, e.field, e.suggestion, e.record) == (
        "MIRA_UNKNOWN_FIELD", "bedroms", "bedrooms", "record #0")
    assert "bedrooms" in e.allowed
    with pytest.raises(mira.InvalidFieldError) as err2:
        mira.Catalog.from_records([listing(price=-5)])
    assert (err2.value.field, err2.value.value, err2.value.expected) == (
        "price", "-5", "a finite number > 0")


def test_duplicate_ids() -> None:
    with pytest.raises(mira.DuplicateIdError,
                       match=r"record #1: duplicate id 1 \(first seen at record #0\)") as err:
        mira.Catalog.from_records([listing(), listing()])
    assert err.value.id == "1"
    catalog = mira.Catalog.from_records([listing()])
    with pytest.raises(mira.DuplicateIdError, match="update #1: duplicate id 2"):
        catalog.upsert([{"id": 2, "price": 1}, {"id": 2, "price": 2}])
    with pytest.raises(mira.InvalidFieldError,
                       match=r"record #1 \(listing 3\): field `price` = -5"):
        catalog.upsert([{"id": 2, "price": 1}, {"id": 3, "price": -5}])


def test_preference_errors(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(mira.UnknownFieldError,
                       match=r"preferences: unknown field `budjet` \(did you mean `budget`\?\)"):
        engine.recommend({"budjet": 500_000})
    with pytest.raises(mira.InvalidFieldError, match="preferences: field `budget` = -1"):
        engine.recommend({"budget": -1})
    with pytest.raises(mira.InvalidFieldError, match="preferences: field `budget` = NaN"):
        engine.recommend({"budget": math.nan})
    with pytest.raises(mira.InvalidFieldError, match="field `k` = -1: expected a whole number"):
        engine.recommend({}, k=-1)
    with pytest.raises(mira.InvalidFieldError, match="k \\+ offset"):
        engine.recommend({}, k=mira.MAX_RESULTS, offset=1)
    with pytest.raises(mira.UnknownFieldError, match="preferences #1: unknown field `min_bed`"):
        engine.recommend_batch([{}, {"min_bed": 2}])


def test_profile_errors(sample_catalog) -> None:  # type: ignore[no-untyped-def]
    expected = 'field `profile` = "fancy": expected "balanced", "case-study"'
    with pytest.raises(mira.InvalidFieldError, match=expected):
        mira.Engine(sample_catalog, profile="fancy")
    with pytest.raises(mira.UnknownFieldError, match="did you mean `components`"):
        mira.Engine(sample_catalog, profile={"name": "x", "componnts": []})


def test_lookups(sample_catalog) -> None:  # type: ignore[no-untyped-def]
    assert sample_catalog.get(999_999) is None
    with pytest.raises(mira.NotFoundError, match="^no listing with id 999999$") as err:
        sample_catalog[999_999]
    assert isinstance(err.value, KeyError)
    with pytest.raises(mira.NotFoundError, match="no listing with id 424242"):
        sample_catalog.remove([424242])


def test_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope.json"
    with pytest.raises(mira.MiraFileNotFoundError) as err:
        mira.Catalog.from_path(missing)
    assert isinstance(err.value, FileNotFoundError)
    assert isinstance(err.value, OSError)
    assert err.value.errno == 2
    assert str(missing) in str(err.value)

    bad_json = tmp_path / "bad.json"
    bad_json.write_text('[\n  {"id": 1, "price": 5},\n  {"id": 2, "price": \n')
    with pytest.raises(mira.ParseError, match="bad.json:4") as perr:
        mira.Catalog.from_path(bad_json)
    assert perr.value.line == 4

    bad_line = tmp_path / "bad.jsonl"
    bad_line.write_text('{"id": 1, "price": 5}\n{"id": 2, "price": -5}\n')
    with pytest.raises(mira.InvalidFieldError, match=r"bad.jsonl:2 \(listing 2\): field `price`"):
        mira.Catalog.from_path(bad_line)

    with pytest.raises(mira.UnsupportedError, match="listing file type"):
        mira.Catalog.from_path(FIXTURES / "models" / "lgb_l2.txt")
    with pytest.raises(mira.UnsupportedError, match="did you mean `king-county`"):
        mira.Catalog.from_path(FIXTURES / "king_county" / "listings.csv", mapping="king-countie")


def test_corrupt_snapshots(tmp_path, sample_catalog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "c.mirasnap"
    sample_catalog.save(path)
    text = path.read_text()
    path.write_text(text.replace("Seattle", "Seattlf", 1))
    with pytest.raises(mira.CorruptFileError, match="checksum"):
        mira.Catalog.load(path)
    path.write_text(text[: len(text) // 2])
    with pytest.raises(mira.CorruptFileError):
        mira.Catalog.load(path)
    path.write_text("")
    with pytest.raises(mira.CorruptFileError, match="empty"):
        mira.Catalog.load(path)
    path.write_text(text.replace('"format_version":1', '"format_version":99', 1))
    with pytest.raises(mira.UnsupportedVersionError, match="version 99"):
        mira.Catalog.load(path)


def test_corrupt_model_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_text("tree\nversion=v4\nnot a model\n")
    with pytest.raises(mira.MiraError) as err:
        mira.PriceModel.from_lightgbm(bad)
    assert isinstance(err.value, ValueError)
    with pytest.raises(mira.MiraFileNotFoundError):
        mira.PriceModel.from_xgboost(tmp_path / "nope.json")
    with pytest.raises(mira.MiraFileNotFoundError):
        mira.PriceModel.load(tmp_path / "nope.json")


def test_no_panic_reaches_python(engine) -> None:  # type: ignore[no-untyped-def]
    # Huge ints, deep nesting and odd types all come back as MiraErrors.
    for bad in [{"budget": 10**30}, {"weights": {"price_match": [1, 2]}}, {"location": object()}]:
        with pytest.raises(mira.MiraError):
            engine.recommend(bad)


# -- numpy missing (a wheel installed with --no-deps) -------------------------

_WITHOUT_NUMPY = r"""
import sys
sys.modules["numpy"] = None  # `import numpy` now raises ImportError
import agent_mira as mira

model = mira.PriceModel.linear([1.0, 2.0], 10.0, ["a", "b"])
for call in (lambda: model.predict([[1.0, 2.0]]),
             lambda: mira.PriceModel.train([[1.0], [2.0]], [1.0, 2.0], kind="linear")):
    try:
        call()
    except ImportError as e:  # a PanicException is not an ImportError
        assert "requires numpy" in str(e), e
    else:
        raise AssertionError("no ImportError")
print("ok")
"""


def test_missing_numpy_is_an_import_error() -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _WITHOUT_NUMPY],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"

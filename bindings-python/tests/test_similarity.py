"""Vectors in Python (issue 18): `Catalog.with_embeddings`, the `embedding`
column of `from_pandas`, `Catalog.embeddings()`, `Engine.similar`,
`similar_to` preferences, `hashed_ngrams` and the stats.

Scores are checked against a brute-force NumPy reference that follows the
core's documented arithmetic to the bit: vectors normalised once (squares
summed in float64 in index order, each number divided and rounded to
float32, unless the norm is within 2**-23 of 1), the dot product's eight
float64 lanes summed in a fixed tree, the score `100 × max(0, cos)` through
the balanced profile's linear curve, ties by id order.
"""

from __future__ import annotations

import math
import pickle
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import agent_mira as mira
from conftest import FIXTURES, read_json

DIM = 12


# --- the reference arithmetic -------------------------------------------------


def normalize(v: np.ndarray) -> np.ndarray:
    """The core's `normalize` of one float32 vector."""
    x = v.astype(np.float64)
    n = math.sqrt(float(np.cumsum(x * x)[-1]))  # cumsum: in index order
    if n == 0.0 or abs(n - 1.0) <= 2.0**-23:
        return v.astype(np.float32)
    return (x / n).astype(np.float32)


def dot(a: np.ndarray, b: np.ndarray) -> float:
    """The core's `dot`: products in float64 into lane i % 8, then a fixed tree."""
    prods = a.astype(np.float64) * b.astype(np.float64)
    prods = np.concatenate([prods, np.zeros(-len(prods) % 8)])
    lanes = np.zeros(8)
    for chunk in prods.reshape(-1, 8):  # lane sums in increasing index order
        lanes = lanes + chunk
    s = lanes.tolist()
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))


def score(cos: float) -> float:
    """100 × max(0, cos), computed with the balanced profile's linear curve."""
    d = max(1.0 - cos, 0.0)
    return 100.0 * (1.0 if d == 0.0 else max((1.0 - d) / 1.0, 0.0))


def brute_force_similar(
    ids: list[Any], unit: np.ndarray, has: np.ndarray, of: Any, k: int, keep: Any = None
) -> list[tuple[Any, float]]:
    """The `k` (id, score) most like listing `of`, best first, ties by id."""
    q = unit[ids.index(of)]
    scored = [
        (score(dot(unit[r], q)), i)
        for r, i in enumerate(ids)
        if i != of and has[r] and (keep is None or keep(r))
    ]
    scored.sort(key=lambda t: (-t[0], (isinstance(t[1], str), t[1])))
    return [(i, s) for s, i in scored[:k]]


# --- a small catalog with vectors ---------------------------------------------


def random_vectors(n: int, dim: int = DIM, seed: int = 7) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)


def records(n: int) -> list[dict[str, Any]]:
    # Ids out of row order, so that the id order that breaks ties is not the row order.
    return [
        {
            "id": (i * 7919) % 1009,
            "price": 100_000.0 + 25_000.0 * (i % 9),
            "bedrooms": 1 + i % 4,
            "property_type": ["sfh", "condo", "townhouse"][i % 3],
            "listing_type": "sale",
        }
        for i in range(n)
    ]


@pytest.fixture(scope="module")
def vec_catalog() -> mira.Catalog:
    n = 40
    v = random_vectors(n)
    v[5] = v[3]  # the same vector: ties
    v[9] = v[3]
    return mira.Catalog.from_records(records(n), current_year=2025).with_embeddings(
        [r["id"] for r in records(n)], v
    )


# --- with_embeddings ------------------------------------------------------------


def test_with_embeddings_gives_the_catalog_listings_carrying_embedding_give() -> None:
    v = random_vectors(6)
    carried = mira.Catalog.from_records(
        [{**r, "embedding": v[i].tolist()} for i, r in enumerate(records(6))], current_year=2025
    )
    plain = mira.Catalog.from_records(records(6), current_year=2025)
    attached = plain.with_embeddings([r["id"] for r in records(6)], v)
    assert np.array_equal(attached.embeddings(), carried.embeddings())
    assert attached.to_records() == carried.to_records()
    assert (plain.version, attached.version, carried.version) == (1, 2, 1)
    # the catalog it came from is unchanged
    assert plain.stats()["listings_with_embedding"] == 0
    assert plain.has_embedding().tolist() == [False] * 6
    # stored once, at unit length, exactly as the core's normalize writes them
    expected = np.stack([normalize(row) for row in v])
    assert attached.embeddings().tobytes() == expected.tobytes()


def test_rows_attach_by_id_not_by_position_and_others_keep_theirs() -> None:
    c = mira.Catalog.from_records(records(3), current_year=2025)
    ids = c.ids()
    one = c.with_embeddings([ids[2]], np.array([[0.0, 3.0, 4.0]], dtype=np.float32))
    assert one.has_embedding().tolist() == [False, False, True]
    two = one.with_embeddings([ids[0]], np.array([[1.0, 0.0, 0.0]], dtype=np.float32))
    assert two.version == 3
    assert two.has_embedding().tolist() == [True, False, True]
    assert two.embeddings().tolist() == [
        [1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, np.float32(0.6).item(), np.float32(0.8).item()],
    ]


def test_every_layout_and_dtype_gives_the_same_catalog() -> None:
    c = mira.Catalog.from_records(records(5), current_year=2025)
    ids = c.ids()
    ints = np.arange(1, 5 * DIM + 1, dtype=np.int64).reshape(5, DIM) % 7 - 3
    ints[:, 0] = 1  # no all-zero row
    want = c.with_embeddings(ids, ints.astype(np.float32)).embeddings()
    wide = np.zeros((5, 2 * DIM), dtype=np.float32)
    wide[:, ::2] = ints
    readonly = ints.astype(np.float32)
    readonly.setflags(write=False)
    for array in [
        ints,  # integers: converted
        ints.astype(np.float64),  # float64: converted
        ints.astype(np.float16),
        np.asfortranarray(ints.astype(np.float32)),  # Fortran order: converted
        wide[:, ::2],  # a strided view: converted
        ints.tolist(),  # a list of lists
        readonly,  # read in place: nothing is written to the caller's buffer
    ]:
        got = c.with_embeddings(ids, array).embeddings()
        assert got.tobytes() == want.tobytes()


def test_the_callers_array_is_read_not_changed() -> None:
    c = mira.Catalog.from_records(records(4), current_year=2025)
    v = random_vectors(4)
    before = v.copy()
    out = c.with_embeddings(c.ids(), v)
    assert np.array_equal(v, before)  # normalised into the catalog, not in place
    assert not np.shares_memory(out.embeddings(), v)


def test_ids_may_be_a_numpy_array_or_strings() -> None:
    c = mira.Catalog.from_records(
        [{"id": 3, "price": 1.0}, {"id": "kc-2", "price": 2.0}, {"id": 10, "price": 3.0}]
    )
    v = np.eye(3, dtype=np.float32)
    by_array = c.with_embeddings(np.array([10, 3]), v[:2])
    assert by_array.has_embedding().tolist() == [True, False, True]
    assert by_array.embeddings()[2].tolist() == [1.0, 0.0, 0.0]
    by_str = c.with_embeddings(["kc-2"], v[2:])
    assert by_str.has_embedding().tolist() == [False, True, False]


def _two() -> mira.Catalog:
    return mira.Catalog.from_records([{"id": 1, "price": 1.0}, {"id": 2, "price": 2.0}])


@pytest.mark.parametrize(
    ("ids", "array", "error", "message"),
    [
        (
            [1, 2],
            np.zeros(4, np.float32),
            mira.InvalidFieldError,
            "with_embeddings: field `array` = a 1-D array of shape (4,): "
            "expected a 2-D array of shape (2, dim): one row per id",
        ),
        (
            [1, 2],
            np.ones((3, 2), np.float32),
            mira.InvalidFieldError,
            "with_embeddings: field `array` = 3 rows (shape (3, 2)): "
            "expected 2 rows, one per id (shape (2, dim))",
        ),
        (
            [1, 2],
            np.array([["a", "b"], ["c", "d"]]),
            mira.InvalidFieldError,
            "with_embeddings: field `array` = an array of dtype <U1: expected numbers: a float32 "
            "array (read in place), or another float or integer dtype (converted to float32 once)",
        ),
        (
            [1, 2],
            np.ones((2, 2), bool),
            mira.InvalidFieldError,
            "with_embeddings: field `array` = an array of dtype bool: expected numbers: a float32 "
            "array (read in place), or another float or integer dtype (converted to float32 once)",
        ),
        (
            [1, 2],
            np.array([[1.0, 2.0], [np.nan, 1.0]], np.float32),
            mira.InvalidFieldError,
            "embeddings row 1 (listing 2): field `embedding[0]` = NaN: expected a finite number",
        ),
        (
            [2, 1],
            np.array([[1.0, 1e39]]).repeat(2, axis=0),  # beyond float32: infinite
            mira.InvalidFieldError,
            "embeddings row 0 (listing 2): field `embedding[1]` = inf: expected a finite number",
        ),
        (
            [1],
            np.zeros((1, 3), np.float32),
            mira.InvalidFieldError,
            "embeddings row 0 (listing 1): field `embedding` = all zeros: "
            "expected a vector with a length > 0 (cosine needs a direction)",
        ),
        (
            [1, 2],
            np.zeros((2, 0), np.float32),
            mira.InvalidFieldError,
            "embeddings: field `dim` = 0: expected between 1 and 4096 numbers per vector",
        ),
        (
            [1, 7],
            np.ones((2, 2), np.float32),
            mira.NotFoundError,
            "no listing with id 7",
        ),
        (
            [1, 1],
            np.ones((2, 2), np.float32),
            mira.DuplicateIdError,
            "embeddings row 1: duplicate id 1 (first seen at embeddings row 0)",
        ),
        (
            [1.5],
            np.ones((1, 2), np.float32),
            mira.MiraTypeError,
            "lookup: field `id` has Python type float: expected int or str",
        ),
    ],
    ids=[
        "1-D", "rows", "str-dtype", "bool-dtype", "nan", "inf", "zeros", "dim-0", "unknown-id",
        "duplicate-id", "id-type",
    ],
)
def test_with_embeddings_errors(ids: Any, array: Any, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        _two().with_embeddings(ids, array)
    assert str(info.value) == message


def test_a_bad_array_names_the_field_as_attributes() -> None:
    with pytest.raises(mira.InvalidFieldError) as info:
        _two().with_embeddings([1, 2], np.zeros(4, np.float32))
    assert (info.value.field, info.value.record) == ("array", "with_embeddings")


def test_another_dimension_than_the_catalogs_is_refused() -> None:
    c = _two().with_embeddings([1], np.ones((1, 2), np.float32))
    with pytest.raises(mira.InvalidFieldError) as info:
        c.with_embeddings([2], np.ones((1, 3), np.float32))
    assert str(info.value) == (
        "embeddings row 0 (listing 2): field `embedding` = 3 numbers: "
        "expected 2 numbers, the catalog's dimension (set by listing 1)"
    )
    # re-embedding every listing that has a vector may change the dimension
    assert c.with_embeddings([1, 2], np.ones((2, 3), np.float32)).stats()["embedding_dim"] == 3


# --- embeddings(): a read-only view ---------------------------------------------


def test_embeddings_is_a_read_only_view_on_the_catalogs_memory() -> None:
    c = _two().with_embeddings([1, 2], np.array([[3, 4], [1, 0]], np.float32))
    a, b = c.embeddings(), c.embeddings()
    assert (a.dtype, a.shape, a.flags.c_contiguous) == (np.float32, (2, 2), True)
    assert np.shares_memory(a, b)  # both views of the one buffer: no copy
    assert a.base is c
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0, 0] = 1.0
    with pytest.raises(ValueError):
        a.setflags(write=True)
    del c, b  # the view keeps the catalog (and so its memory) alive
    assert a.tolist() == [[np.float32(0.6).item(), np.float32(0.8).item()], [1.0, 0.0]]


def test_a_catalog_without_vectors_has_an_empty_matrix() -> None:
    e = _two().embeddings()
    assert (e.dtype, e.shape) == (np.float32, (2, 0))
    assert mira.Catalog().embeddings().shape == (0, 0)


# --- export: records, snapshots, pickle ------------------------------------------


def test_vectors_come_out_of_to_records_and_back_in(vec_catalog: mira.Catalog) -> None:
    recs = vec_catalog.to_records()
    assert all(len(r["embedding"]) == DIM for r in recs)
    assert np.array_equal(np.array([r["embedding"] for r in recs], np.float32),
                          vec_catalog.embeddings())
    again = mira.Catalog.from_records(recs, current_year=2025)
    assert again.embeddings().tobytes() == vec_catalog.embeddings().tobytes()
    # lookups give the listing without its vector (embeddings() has them all)
    assert "embedding" not in vec_catalog.get(vec_catalog.ids()[0])


def test_snapshots_and_pickle_keep_the_vectors(vec_catalog: mira.Catalog, tmp_path: Path) -> None:
    vec_catalog.save(tmp_path / "v.mirasnap")
    loaded = mira.Catalog.load(tmp_path / "v.mirasnap")
    for back in [loaded, pickle.loads(pickle.dumps(vec_catalog))]:
        assert back.embeddings().tobytes() == vec_catalog.embeddings().tobytes()
        assert back.version == vec_catalog.version


# --- stats ------------------------------------------------------------------------


def test_stats_report_the_vectors(vec_catalog: mira.Catalog) -> None:
    s = vec_catalog.stats()
    assert (s["embedding_dim"], s["listings_with_embedding"], s["embedding_bytes_per_listing"]) == (
        DIM, 40, 4 * DIM + 1)
    assert (s["listings"], s["version"]) == (40, 2)
    e = mira.Engine(vec_catalog, current_year=2025).stats()
    assert (e["embedding_dim"], e["listings_with_embedding"], e["embedding_bytes_per_listing"]) == (
        DIM, 40, 4 * DIM + 1)
    none = _two().stats()
    assert (none["embedding_dim"], none["listings_with_embedding"],
            none["embedding_bytes_per_listing"]) == (0, 0, 0)
    assert (none["price_min"], none["price_median"], none["price_max"]) == (1.0, 2.0, 2.0)


def test_stats_of_an_empty_catalog() -> None:
    s = mira.Catalog().stats()
    assert s == {
        "listings": 0, "version": 1, "price_min": None, "price_median": None, "price_max": None,
        "known": s["known"], "locations": [], "amenities": [], "embedding_dim": 0,
        "listings_with_embedding": 0, "embedding_bytes_per_listing": 0,
    }
    assert set(s["known"].values()) == {0}


# --- Engine.similar ---------------------------------------------------------------


def test_similar_ranks_exactly_like_brute_force_cosine(vec_catalog: mira.Catalog) -> None:
    engine = mira.Engine(vec_catalog, current_year=2025)
    ids = vec_catalog.ids()
    unit, has = vec_catalog.embeddings(), vec_catalog.has_embedding()
    for of in ids[:8]:
        for k in (1, 5, 39):
            want = brute_force_similar(ids, unit, has, of, k)
            got = engine.similar(of, k=k)
            assert [(r.id, r.score) for r in got] == want
            assert all(r.components == {"similarity": r.score} for r in got)
            # the cosine itself, as NumPy computes it
            for r in got:
                cos = float(unit[ids.index(r.id)].astype(np.float64) @ unit[ids.index(of)])
                assert r.score == pytest.approx(100.0 * max(0.0, cos), abs=1e-9)


def test_equal_vectors_tie_by_id_order(vec_catalog: mira.Catalog) -> None:
    engine = mira.Engine(vec_catalog, current_year=2025)
    ids = vec_catalog.ids()
    twins = sorted([ids[3], ids[5], ids[9]])
    got = engine.similar(twins[0], k=2)
    assert [r.id for r in got] == twins[1:]
    unit = vec_catalog.embeddings()
    assert got[0].score == got[1].score == score(dot(unit[3], unit[3]))


def test_similar_applies_the_filters_exactly(vec_catalog: mira.Catalog) -> None:
    engine = mira.Engine(vec_catalog, current_year=2025)
    ids = vec_catalog.ids()
    recs = vec_catalog.to_records()
    unit, has = vec_catalog.embeddings(), vec_catalog.has_embedding()

    def keep(r: int) -> bool:
        return recs[r]["property_type"] in ("condo", "sfh") and recs[r]["price"] <= 200_000

    want = brute_force_similar(ids, unit, has, ids[0], 10, keep)
    got = engine.similar(ids[0], k=10, property_types=["condo", "sfh"], max_price=200_000,
                         listing_type="sale", currency="USD")
    assert [(r.id, r.score) for r in got] == want
    assert len(got) == 10
    # None is "not given"
    assert engine.similar(ids[0], max_price=None, listing_type=None) == engine.similar(ids[0])
    assert len(engine.similar(ids[0])) == 10  # k defaults to 10
    assert engine.similar(ids[0], listing_type="long_term_rent") == []


def test_similar_without_vectors_uses_the_structured_embedding(
    sample_catalog: mira.Catalog,
) -> None:
    engine = mira.Engine(sample_catalog, current_year=2025)
    got = engine.similar(101, k=3)
    assert len(got) == 3 and 101 not in [r.id for r in got]
    assert all(r.components == {"similarity": r.score} for r in got)
    assert got[0].reasons[0].startswith("Like listing 101: similarity ")
    assert [r.score for r in got] == sorted((r.score for r in got), reverse=True)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda e: e.similar(1, max_prise=3), mira.UnknownFieldError,
         "similar filters: unknown field `max_prise` (did you mean `max_price`?)"),
        (lambda e: e.similar(1, max_price=-5), mira.InvalidFieldError,
         "similar filters: field `max_price` = -5: expected a finite price > 0"),
        (lambda e: e.similar(99), mira.InvalidFieldError,
         "similar: field `id` = 99: expected the id of a listing in the catalog"),
        (lambda e: e.similar(2), mira.InvalidFieldError,
         "similar: field `id` = 2: expected a listing with an embedding "
         "(this catalog's listings have them; this one has none)"),
        (lambda e: e.similar(1, k=mira.MAX_RESULTS + 1), mira.InvalidFieldError,
         f"similar: field `k` = {mira.MAX_RESULTS + 1}: "
         f"expected at most {mira.MAX_RESULTS} results per request"),
        (lambda e: e.similar(1, k=-1), mira.InvalidFieldError,
         "request: field `k` = -1: expected a whole number ≥ 0"),
        (lambda e: e.similar(1.5), mira.MiraTypeError,
         "lookup: field `id` has Python type float: expected int or str"),
        (lambda e: e.similar(1, property_types="condo"), mira.InvalidFieldError, None),
    ],
    ids=["unknown-filter", "max-price", "unknown-id", "no-vector", "k-max", "k-negative",
         "id-type", "types-not-a-list"],
)
def test_similar_errors(call: Any, error: type, message: str | None) -> None:
    c = _two().with_embeddings([1], np.ones((1, 2), np.float32))
    with pytest.raises(error) as info:
        call(mira.Engine(c, current_year=2025))
    if message is not None:
        assert str(info.value) == message
    else:
        assert "property_types" in str(info.value)


def test_similar_is_safe_from_many_threads(vec_catalog: mira.Catalog) -> None:
    engine = mira.Engine(vec_catalog, current_year=2025)
    ids = vec_catalog.ids()
    want = [engine.similar(i, k=5) for i in ids]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda j: engine.similar(ids[j % len(ids)], k=5), range(200)))
    assert got == [want[j % len(ids)] for j in range(200)]


def _longest_stall_during(call: Any) -> tuple[float, float]:
    """(the longest this thread could not run Python while another thread was
    inside `call`, how long the call took), in seconds. Holding the GIL
    through the call stalls this thread for all of it."""
    times = {"in": 0.0, "out": 0.0}
    done = threading.Event()

    def work() -> None:
        times["in"] = time.perf_counter()
        call()
        times["out"] = time.perf_counter()
        done.set()

    ticks = []
    worker = threading.Thread(target=work)
    worker.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
    worker.join()
    inside = [times["in"], *(t for t in ticks if times["in"] < t < times["out"]), times["out"]]
    stall = max(b - a for a, b in zip(inside, inside[1:]))
    return stall, times["out"] - times["in"]


def test_the_heavy_vector_calls_release_the_gil() -> None:
    n, dim = 40_000, 128
    catalog = mira.Catalog.from_records([{"id": i, "price": 1.0} for i in range(n)])
    matrix = np.random.default_rng(1).standard_normal((n, dim))  # float64: rounded by Rust
    ids = np.arange(n)
    texts = [f"listing {i} with a garden " * 100 for i in range(1_000)]
    # One worker thread, so that this thread has a core of its own on a
    # 2-core machine; and up to three tries, since a busy machine may also
    # stall it (holding the GIL stalls it through every try).
    try:
        mira.set_threads(1)
        for call in [lambda: catalog.with_embeddings(ids, matrix),
                     lambda: mira.hashed_ngrams(texts, 256)]:
            tries = [_longest_stall_during(call) for _ in range(3)]
            assert any(stall < 0.5 * took for stall, took in tries), tries
    finally:
        mira.set_threads(0)


def test_similar_batch_equals_single_calls(vec_catalog: mira.Catalog) -> None:
    engine = mira.Engine(vec_catalog, current_year=2025)
    ids = vec_catalog.ids()
    batch = engine.similar_batch(ids, k=4, max_price=250_000)
    assert batch == [engine.similar(i, k=4, max_price=250_000) for i in ids]
    assert engine.similar_batch(np.array(ids[:3])) == [engine.similar(i) for i in ids[:3]]
    assert engine.similar_batch([]) == []
    with pytest.raises(mira.InvalidFieldError) as info:
        engine.similar_batch([ids[0], 5000, 6000])
    assert str(info.value) == (
        "similar: field `id` = 5000: expected the id of a listing in the catalog")
    with pytest.raises(mira.MiraTypeError) as type_info:
        engine.similar_batch(ids[0])
    assert str(type_info.value) == "similar_batch: expected a list of ids, got int"
    with pytest.raises(mira.UnknownFieldError):
        engine.similar_batch(ids, max_prise=1)


# --- similar_to in preferences ------------------------------------------------------


def test_similar_to_scores_the_similarity_component(vec_catalog: mira.Catalog) -> None:
    engine = mira.Engine(vec_catalog, current_year=2025)
    ids = vec_catalog.ids()
    unit = vec_catalog.embeddings()
    liked = ids[0]
    by_id = engine.recommend({"similar_to": {"ids": [liked]}}, k=5)
    # the liked listing is left out; the component is its brute-force score
    assert liked not in [r.id for r in by_id]
    for r in by_id:
        assert r.components["similarity"] == score(dot(unit[ids.index(r.id)], unit[0]))
    # the same direction given as a vector: a list, a NumPy array
    as_list = engine.recommend({"similar_to": {"vector": unit[0].tolist()}}, k=6)
    as_array = engine.recommend({"similar_to": {"vector": unit[0]}}, k=6)
    assert as_list == as_array
    assert as_list[0].id == liked
    assert as_list[0].components["similarity"] == score(dot(unit[0], unit[0]))
    assert [r.id for r in as_list[1:]] == [r.id for r in by_id]


@pytest.mark.parametrize(
    ("similar_to", "error", "message"),
    [
        ({"ids": [99]}, mira.InvalidFieldError,
         "preferences: field `similar_to.ids[0]` = 99: "
         "expected the id of a listing in the catalog"),
        ({"vector": [1.0, 2.0]}, mira.InvalidFieldError, None),
        ({"vector": [1.0, float("nan")] * 6}, mira.InvalidFieldError,
         "preferences: field `similar_to.vector[1]` = NaN: expected a finite number "
         "(leave the field out, or pass None, when it is unknown)"),
        ({"idz": [1]}, mira.InvalidFieldError,
         "preferences: field `similar_to.idz` = [1]: expected `ids` or `vector`"),
    ],
    ids=["unknown-id", "wrong-dim", "nan", "unknown-key"],
)
def test_similar_to_errors(
    vec_catalog: mira.Catalog, similar_to: Any, error: type, message: str | None
) -> None:
    engine = mira.Engine(vec_catalog, current_year=2025)
    with pytest.raises(error) as info:
        engine.recommend({"similar_to": similar_to})
    if message is not None:
        assert str(info.value) == message
    else:
        assert "similar_to" in str(info.value)


# --- from_pandas: an embedding column -------------------------------------------------


def test_an_embedding_column_becomes_the_catalogs_vectors() -> None:
    pd = pytest.importorskip("pandas")
    v = random_vectors(6, 4)
    cells: list[Any] = [v[0].tolist(), tuple(v[1].tolist()), v[2], v[3].astype(np.float64),
                        None, float("nan")]
    df = pd.DataFrame({"id": [1, 2, 3, 4, 5, 6], "price": [1.0] * 6, "embedding": cells})
    c = mira.Catalog.from_pandas(df, current_year=2025)
    assert c.version == 1
    assert c.has_embedding().tolist() == [True, True, True, True, False, False]
    given = mira.Catalog.from_records(
        [{"id": i + 1, "price": 1.0, **({"embedding": v[i].tolist()} if i < 4 else {})}
         for i in range(6)], current_year=2025)
    assert c.embeddings().tobytes() == given.embeddings().tobytes()
    assert c.to_records() == given.to_records()
    # integer vectors and an id index too
    df = pd.DataFrame({"id": [7, 8], "price": [1.0, 2.0],
                       "embedding": [np.array([3, 4]), [0, 2]]}).set_index("id")
    assert mira.Catalog.from_pandas(df).embeddings().tolist() == [
        [np.float32(0.6).item(), np.float32(0.8).item()], [0.0, 1.0]]


def test_an_all_missing_embedding_column_gives_no_vectors() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": [1, 2], "price": [1.0, 2.0], "embedding": [None, None]})
    c = mira.Catalog.from_pandas(df)
    assert (c.version, c.stats()["embedding_dim"]) == (1, 0)


@pytest.mark.parametrize(
    ("cells", "error", "message"),
    [
        ([[1.0, 2.0], None, [np.nan, 4.0]], mira.InvalidFieldError,
         "record #2 (listing 3): field `embedding[0]` = NaN: expected a finite number"),
        ([[1.0, 2.0], None, [1.0, 2.0, 3.0]], mira.InvalidFieldError,
         "record #2 (listing 3): field `embedding` = 3 numbers: expected 2 numbers, "
         "the catalog's dimension (set by listing 1)"),
        ([None, [0.0, 0.0], [1.0, 1.0]], mira.InvalidFieldError,
         "record #1 (listing 2): field `embedding` = all zeros: "
         "expected a vector with a length > 0 (cosine needs a direction)"),
        ([[], None, None], mira.InvalidFieldError,
         "record #0 (listing 1): field `embedding` = 0 numbers: "
         "expected between 1 and 4096 numbers"),
        ([[1.0, 2.0], "1,2", None], mira.MiraTypeError,
         "record #1 (listing 2): field `embedding` has Python type str: expected a list of "
         "numbers, a 1-D numeric numpy array, or None / NaN for no vector"),
        ([[1.0, "x"], None, None], mira.MiraTypeError,
         "record #0 (listing 1): field `embedding[1]` has Python type str: expected a number"),
        ([np.ones((2, 2)), None, None], mira.MiraTypeError,
         "record #0 (listing 1): field `embedding` has Python type a 2-D float64 numpy array: "
         "expected a list of numbers, a 1-D numeric numpy array, or None / NaN for no vector"),
    ],
    ids=["nan", "length", "zeros", "empty", "str-cell", "str-number", "2-D-cell"],
)
def test_embedding_column_errors(cells: list[Any], error: type, message: str) -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": [1, 2, 3], "price": [1.0, 2.0, 3.0], "embedding": cells})
    with pytest.raises(error) as info:
        mira.Catalog.from_pandas(df)
    assert str(info.value) == message


def test_column_errors_read_as_from_records_errors() -> None:
    pd = pytest.importorskip("pandas")
    rows = [{"id": 1, "price": 1.0, "embedding": [1.0, 2.0]},
            {"id": 2, "price": 1.0, "embedding": [0.0, 0.0]},
            {"id": 3, "price": 1.0, "embedding": [1.0, 2.0, 3.0]}]
    for bad in ([rows[0], rows[1]], [rows[0], rows[2]]):
        with pytest.raises(mira.InvalidFieldError) as from_records:
            mira.Catalog.from_records(bad)
        with pytest.raises(mira.InvalidFieldError) as from_pandas:
            mira.Catalog.from_pandas(pd.DataFrame(bad))
        assert str(from_pandas.value) == str(from_records.value)


# --- hashed_ngrams --------------------------------------------------------------------


def test_hashed_ngrams_follows_the_documented_recipe() -> None:
    # The same values the core's own test pins (computed outside Rust).
    want = np.array([0.0, 0.5144957304000854, -0.17149858176708221, -0.17149858176708221,
                     -0.34299716353416443, -0.17149858176708221, -0.5144957304000854,
                     0.5144957304000854]).astype(np.float32)
    got = mira.hashed_ngrams("Craftsman bungalow", 8)
    assert (got.dtype, got.shape) == (np.float32, (8,))
    assert got.tobytes() == want.tobytes()
    assert mira.hashed_ngrams("  craftsman\tBUNGALOW\n", 8).tobytes() == want.tobytes()
    assert mira.hashed_ngrams("", 4).tolist() == [0.0] * 4


def test_hashed_ngrams_reproduces_the_embedded_fixture() -> None:
    listings = read_json(FIXTURES / "listings" / "embedded.json")
    texts = [f"{p['title']} {p['attributes']['description']}" for p in listings]
    got = mira.hashed_ngrams(texts, 32)
    want = np.array([p["embedding"] for p in listings], dtype=np.float32)
    assert (got.dtype, got.shape) == (np.float32, (12, 32))
    assert got.tobytes() == want.tobytes()


def test_many_texts_fill_one_matrix_like_single_calls() -> None:
    texts = [f"listing {i} with {i % 7} bedrooms near {i % 13} park" for i in range(700)]
    m = mira.hashed_ngrams(texts, 16)  # above the parallel threshold
    assert m.shape == (700, 16) and m.flags.c_contiguous
    assert all(m[i].tobytes() == mira.hashed_ngrams(t, 16).tobytes() for i, t in enumerate(texts))
    assert mira.hashed_ngrams(iter(texts[:3]), 16).tobytes() == m[:3].tobytes()
    assert mira.hashed_ngrams([], 16).shape == (0, 16)


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("a", 0), mira.InvalidFieldError,
         "hashed_ngrams: field `dim` = 0: expected between 1 and 4096 numbers per vector"),
        (("a", 4097), mira.InvalidFieldError,
         "hashed_ngrams: field `dim` = 4097: expected between 1 and 4096 numbers per vector"),
        ((["a", 3], 8), mira.MiraTypeError,
         "hashed_ngrams: texts[1] has Python type int: expected str"),
        ((b"abc", 8), mira.MiraTypeError,
         "hashed_ngrams: expected a str or a list of str, got bytes"),
        ((5, 8), mira.MiraTypeError, "hashed_ngrams: expected a str or a list of str, got int"),
        (("a", "8"), mira.MiraTypeError, "request: field `dim` has Python type str: expected int"),
    ],
    ids=["dim-0", "dim-big", "not-str", "bytes", "int", "dim-type"],
)
def test_hashed_ngrams_errors(args: Any, error: type, message: str) -> None:
    with pytest.raises(error) as info:
        mira.hashed_ngrams(*args)
    assert str(info.value) == message


def test_a_toy_embedding_attached_ranks_like_the_listings_carrying_it() -> None:
    listings = read_json(FIXTURES / "listings" / "embedded.json")
    texts = [f"{p['title']} {p['attributes']['description']}" for p in listings]
    bare = mira.Catalog.from_records([{k: v for k, v in p.items() if k != "embedding"}
                                      for p in listings], current_year=2025)
    attached = bare.with_embeddings([p["id"] for p in listings], mira.hashed_ngrams(texts, 32))
    carried = mira.Catalog.from_path(FIXTURES / "listings" / "embedded.json", current_year=2025)
    a = mira.Engine(attached, current_year=2025).similar(104, k=5)
    c = mira.Engine(carried, current_year=2025).similar(104, k=5)
    assert [r.to_dict() for r in a] == [r.to_dict() for r in c]


def test_the_readme_vectors_example_prints_what_it_says(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    section = readme.split("## Vectors: homes like this one", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    said = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    printed: list[str] = []
    monkeypatch.chdir(FIXTURES.parent)
    exec(code, {"print": lambda *a: printed.append(" ".join(map(str, a)))})
    assert printed == said and len(said) == 4

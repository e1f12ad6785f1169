"""Thread safety (the GIL is released, results do not depend on threads) and
fork safety (a forked child builds its own pool)."""

from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

import agent_mira as mira
from conftest import FIXTURES

PREFS = [
    {"budget": 650_000, "location": "Bellevue, WA", "min_bedrooms": 3},
    {"budget": 400_000, "min_bathrooms": 2},
    {"budget": 1_200_000, "location": "Seattle, WA", "preferred_amenities": ["waterfront"]},
]


@pytest.fixture(scope="module")
def kc_engine():  # type: ignore[no-untyped-def]
    catalog = mira.Catalog.from_path(FIXTURES / "king_county" / "listings.csv")
    return mira.Engine(catalog, current_year=2025)


def test_threads_hammering_recommend(kc_engine) -> None:  # type: ignore[no-untyped-def]
    want = [kc_engine.recommend(p, k=5) for p in PREFS]
    before = kc_engine.stats()["queries"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: kc_engine.recommend(PREFS[i % 3], k=5), range(120)))
    for i, got in enumerate(results):
        assert got == want[i % 3]
    assert kc_engine.stats()["queries"] == before + 120


def test_set_threads_does_not_change_results(kc_engine) -> None:  # type: ignore[no-untyped-def]
    want = kc_engine.recommend_batch(PREFS, k=5)
    try:
        mira.set_threads(1)
        assert mira.get_threads() == 1
        assert kc_engine.recommend_batch(PREFS, k=5) == want
        mira.set_threads(3)
        assert mira.get_threads() == 3
        assert kc_engine.recommend_batch(PREFS, k=5) == want
    finally:
        mira.set_threads(0)
    with pytest.raises(mira.MiraTypeError):
        mira.set_threads("many")


def _child(engine, queue) -> None:  # type: ignore[no-untyped-def]
    recs = engine.recommend_batch(PREFS, k=5)  # parallel work on a fresh pool
    queue.put([[r.to_dict() for r in rs] for rs in recs])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_fork_after_the_pool_was_used(kc_engine) -> None:  # type: ignore[no-untyped-def]
    want = [[r.to_dict() for r in rs] for rs in kc_engine.recommend_batch(PREFS, k=5)]
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(kc_engine, queue))
    proc.start()
    got = queue.get(timeout=60)
    proc.join(timeout=60)
    assert proc.exitcode == 0
    assert got == want


def test_env_var_sets_threads_in_a_new_process() -> None:
    import subprocess
    import sys

    code = "import agent_mira as m; print(m.get_threads())"
    env = {**os.environ, mira.THREADS_ENV: "3"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "3", out.stderr
    env[mira.THREADS_ENV] = "lots"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert "InvalidFieldError" in out.stderr and "AGENT_MIRA_THREADS" in out.stderr

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


def _tasks() -> int:
    return len(os.listdir("/proc/self/task"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")
def test_set_threads_many_times_does_not_leak_threads(kc_engine) -> None:  # type: ignore[no-untyped-def]
    import time

    want = kc_engine.recommend_batch(PREFS, k=5)
    try:
        before = _tasks()
        for i in range(50):
            mira.set_threads(2 + i % 3)
            # Use each pool, so that replaced pools had live workers.
            assert kc_engine.recommend_batch(PREFS, k=5) == want
        # Replaced pools shut down asynchronously: give their threads a moment.
        limit = before + 4 + 2  # the newest pool (≤ 4 threads) and some slack
        deadline = time.monotonic() + 10
        while _tasks() > limit and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _tasks() <= limit, f"{_tasks()} threads after 50 set_threads (was {before})"
    finally:
        mira.set_threads(0)


_SMALL_WORK_STAYS_ON_THE_CALLER = r"""
import os
import numpy  # first: its BLAS may start threads of its own
import agent_mira as mira

def threads():
    names = []
    for t in sorted(os.listdir("/proc/self/task")):
        with open(f"/proc/self/task/{t}/comm") as f:
            names.append(f.read().strip())
    return names

baseline = threads()

recs = [{"id": i, "price": 300_000 + 1_000 * i, "bedrooms": 1 + i % 5,
         "location": "Seattle, WA", "year_built": 1990 + i % 30} for i in range(500)]
cat = mira.Catalog.from_records(recs, current_year=2025)
cat = cat.upsert([{"id": 1, "price": 420_000}]).remove([2])
cat2 = mira.Catalog._from_snapshot(cat.__reduce__()[1][0])
model = mira.PriceModel.linear([1.0, 2.0], 10.0, ["a", "b"])
assert list(model.predict([[1.0, 2.0], [3.0, 4.0]])) == [15.0, 21.0]

# Nothing parallel ran yet: no pool, no rayon global pool.
assert threads() == baseline, (baseline, threads())
engine = mira.Engine(cat2, profile="case-study", current_year=2025)  # built on the pool
# Pool threads start asynchronously and name themselves once running (until
# then /proc shows the parent's name): wait until both have named themselves.
import time
deadline = time.monotonic() + 10
while sum(n.startswith("agent-mira") for n in threads()) < 2 and time.monotonic() < deadline:
    time.sleep(0.01)
after_build = threads()
for _ in range(50):
    engine.recommend({"budget": 500_000, "min_bedrooms": 2}, k=3)
    model.predict([[1.0, 2.0]])
# A catalog above the core's sequential size: the first request builds the
# pruning index (on the pool), later ones are pruned scans on the caller.
big = mira.Catalog.from_records(
    [{"id": i, "price": 200_000 + 997 * (i % 700), "bedrooms": 1 + i % 5,
      "year_built": 1950 + i % 70, "school_rating": i % 11, "commute_time": i % 60}
     for i in range(20_000)], current_year=2025)
big_engine = mira.Engine(big, profile="case-study", current_year=2025)
for _ in range(20):
    big_engine.recommend({"budget": 500_000, "min_bedrooms": 2}, k=3)
# Small requests ran on the caller: no extra threads (rayon's global pool
# would add unnamed ones), and only the package's own workers exist.
assert threads() == after_build, (after_build, threads())
workers = sorted(n for n in after_build if n.startswith("agent-mira"))
assert workers == ["agent-mira-0", "agent-mira-1"], (baseline, after_build)
assert len(after_build) == len(baseline) + 2, (baseline, after_build)
print("ok")
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs /proc")
def test_small_work_runs_on_the_calling_thread() -> None:
    import subprocess
    import sys

    env = {**os.environ, mira.THREADS_ENV: "2"}
    out = subprocess.run(
        [sys.executable, "-c", _SMALL_WORK_STAYS_ON_THE_CALLER],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok", out.stdout


def _child_after_set_threads(engine, queue) -> None:  # type: ignore[no-untyped-def]
    queue.put((mira.get_threads(), len(engine.recommend_batch(PREFS, k=5))))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_fork_after_set_threads(kc_engine) -> None:  # type: ignore[no-untyped-def]
    try:
        mira.set_threads(3)
        kc_engine.recommend_batch(PREFS, k=5)
        ctx = mp.get_context("fork")
        queue = ctx.Queue()
        proc = ctx.Process(target=_child_after_set_threads, args=(kc_engine, queue))
        proc.start()
        assert queue.get(timeout=60) == (3, len(PREFS))
        proc.join(timeout=60)
        assert proc.exitcode == 0
    finally:
        mira.set_threads(0)

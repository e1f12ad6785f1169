#!/usr/bin/env python3
"""agent_mira's recommend against what a Python user would write instead.

On the synthetic catalog of ``benches/src/lib.rs`` (ported in ``synth.py``:
King County–like prices, 8 cities, rooms, sizes, year built, school rating,
commute, amenities; 5 % missing school ratings and commutes), one buyer
(``typical_buyer``), top 10, in ONE run with the alternatives taking turns
(best of N, so that a noisy shared machine hurts all of them alike):

- ``agent_mira`` Engine, profile ``case-study`` (and ``balanced``, which has
  no alternative here: it is timed for reference);
- (a) ``py-loop``: the case-study formula as the public solutions write it, a
  Python loop over listing dicts computing the six components, then a sort;
- (b) ``numpy``: the formula vectorised over column arrays, everything
  computed per request;
- (c) ``numpy-pre``: the buyer-independent part (school, commute, age,
  amenities: weighted sum and weight) precomputed once, only price and
  bedrooms per request.

All use the case study's semantics as agent_mira does (a component whose
data is missing is left out and the weights are renormalised) and the same
order: score descending, price ascending, id ascending. The top-10 ids are
checked against agent_mira's.

Also: call overhead on a 1k catalog (k=3), a memory-bandwidth reference
(bytes a case-study request reads / numpy.copyto speed, measured in the
same run), and resident memory per listing (RSS from /proc/self/statm,
each size in a fresh subprocess).

Run from the repository root, e.g.
    target/bench/venv/bin/python benches/python/recommend_compare.py
    target/bench/venv/bin/python benches/python/recommend_compare.py --quick
Prints one line starting with ``SUMMARY`` at the end.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import agent_mira as mira
import synth

K = 10
W_PRICE, W_BED, W_SCHOOL, W_COMMUTE, W_AGE, W_AMEN = 0.30, 0.20, 0.15, 0.15, 0.10, 0.10
# agent_mira: weights summing to 1 up to 1e-12 count as exactly 1.
W_ALL = W_PRICE + W_BED + W_SCHOOL + W_COMMUTE + W_AGE + W_AMEN


def page_size() -> int:
    return os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page_size()


# --- (a) the public solutions' loop ----------------------------------------

def py_loop(listings: list[dict[str, Any]], prefs: dict[str, Any], year: int, k: int) -> list[int]:
    budget = prefs["budget"]
    min_bed = prefs["min_bedrooms"]
    scored = []
    for p in listings:
        # price_match (predicted = listed: no price model)
        price = p["price"]
        if price <= budget:
            price_score = 100.0
        else:
            price_score = max(0.0, 100.0 - (price - budget) / budget * 100.0)
        total = W_PRICE * price_score
        weight = W_PRICE
        beds = p["bedrooms"]
        if beds is not None:
            total += W_BED * (100.0 if beds >= min_bed else beds / min_bed * 100.0)
            weight += W_BED
        school = p["school_rating"]
        if school is not None:
            total += W_SCHOOL * (school / 10.0 * 100.0)
            weight += W_SCHOOL
        commute = p["commute_time"]
        if commute is not None:
            if commute <= 15:
                c = 100.0
            elif commute <= 30:
                c = 80.0
            elif commute <= 45:
                c = 50.0
            else:
                c = 20.0
            total += W_COMMUTE * c
            weight += W_COMMUTE
        built = p["year_built"]
        if built is not None:
            age = year - built
            if age <= 5:
                a = 100.0
            elif age <= 15:
                a = 80.0
            elif age <= 30:
                a = 60.0
            else:
                a = 40.0
            total += W_AGE * a
            weight += W_AGE
        amenities = p["amenities"]
        if amenities is not None:
            has = ("pool" in amenities) + ("garage" in amenities) + ("garden" in amenities)
            total += W_AMEN * (has / 3.0 * 100.0)
            weight += W_AMEN
        if abs(weight - 1.0) > 1e-12:
            total = total / weight
        scored.append((total, price, p["id"]))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    return [t[2] for t in scored[:k]]


# --- (b), (c) NumPy ---------------------------------------------------------

class Columns:
    """The columns a case-study request needs, float64 (NaN = missing)."""

    def __init__(self, listings: list[dict[str, Any]], kinds: list[int]) -> None:
        nan = float("nan")
        self.id = np.array([p["id"] for p in listings], dtype=np.int64)
        self.price = np.array([p["price"] for p in listings], dtype=np.float64)
        self.bedrooms = np.array([p["bedrooms"] for p in listings], dtype=np.float64)
        self.school = np.array([nan if p["school_rating"] is None else p["school_rating"]
                                for p in listings], dtype=np.float64)
        self.commute = np.array([nan if p["commute_time"] is None else p["commute_time"]
                                 for p in listings], dtype=np.float64)
        self.year_built = np.array([p["year_built"] for p in listings], dtype=np.float64)
        kinds_a = np.array(kinds, dtype=np.int64)
        canon = synth.CANONICAL
        self.has_pool = np.array(["pool" in c for c in canon])[kinds_a]
        self.has_garage = np.array(["garage" in c for c in canon])[kinds_a]
        self.has_garden = np.array(["garden" in c for c in canon])[kinds_a]


def top_k(score: np.ndarray, price: np.ndarray, ids: np.ndarray, k: int) -> list[int]:
    """Top k by score desc, price asc, id asc (ties at the cut included)."""
    n = len(score)
    if n > k:
        kth = np.partition(score, n - k)[n - k]
        cand = np.flatnonzero(score >= kth)
    else:
        cand = np.arange(n)
    order = np.lexsort((ids[cand], price[cand], -score[cand]))
    return ids[cand[order[:k]]].tolist()


def _steps(x: np.ndarray, edges: tuple[float, float, float], values: tuple[float, ...]) -> np.ndarray:
    """The case study's step rules; NaN (missing) stays NaN."""
    return np.where(x <= edges[0], values[0],
                    np.where(x <= edges[1], values[1],
                             np.where(x <= edges[2], values[2],
                                      np.where(np.isnan(x), np.nan, values[3]))))


def numpy_full(c: Columns, prefs: dict[str, Any], year: int, k: int) -> list[int]:
    budget = float(prefs["budget"])
    min_bed = float(prefs["min_bedrooms"])
    price_s = np.where(c.price <= budget, 100.0,
                       np.maximum(100.0 - (c.price - budget) / budget * 100.0, 0.0))
    bed_s = np.where(c.bedrooms >= min_bed, 100.0, c.bedrooms / min_bed * 100.0)
    school_s = c.school / 10.0 * 100.0
    commute_s = _steps(c.commute, (15.0, 30.0, 45.0), (100.0, 80.0, 50.0, 20.0))
    age = year - c.year_built
    age_s = _steps(age, (5.0, 15.0, 30.0), (100.0, 80.0, 60.0, 40.0))
    amen_s = (c.has_pool.astype(np.float64) + c.has_garage + c.has_garden) / 3.0 * 100.0
    # Same additions in the same order as agent_mira (missing adds +0.0).
    total = W_PRICE * price_s
    weight = np.full(len(total), W_PRICE)
    for w, s in ((W_BED, bed_s), (W_SCHOOL, school_s), (W_COMMUTE, commute_s),
                 (W_AGE, age_s), (W_AMEN, amen_s)):
        known = ~np.isnan(s)
        total += np.where(known, w * s, 0.0)
        weight += np.where(known, w, 0.0)
    total = np.where(np.abs(weight - 1.0) <= 1e-12, total, total / weight)
    return top_k(total, c.price, c.id, k)


class Precomputed:
    """(c): the buyer-independent part, once per catalog."""

    def __init__(self, c: Columns, year: int) -> None:
        school_s = c.school / 10.0 * 100.0
        commute_s = _steps(c.commute, (15.0, 30.0, 45.0), (100.0, 80.0, 50.0, 20.0))
        age_s = _steps(year - c.year_built, (5.0, 15.0, 30.0), (100.0, 80.0, 60.0, 40.0))
        amen_s = (c.has_pool.astype(np.float64) + c.has_garage + c.has_garden) / 3.0 * 100.0
        static = np.zeros(len(c.price))
        weight = np.full(len(c.price), W_PRICE + W_BED)  # price and bedrooms always known here
        for w, s in ((W_SCHOOL, school_s), (W_COMMUTE, commute_s), (W_AGE, age_s), (W_AMEN, amen_s)):
            known = ~np.isnan(s)
            static += np.where(known, w * s, 0.0)
            weight += np.where(known, w, 0.0)
        self.static = static
        self.inv_weight = np.where(np.abs(weight - 1.0) <= 1e-12, 1.0, 1.0 / weight)
        self.price = c.price
        self.bedrooms = c.bedrooms
        self.id = c.id
        self.buf = np.empty(len(c.price))
        self.buf2 = np.empty(len(c.price))


def numpy_pre(pc: Precomputed, prefs: dict[str, Any], k: int) -> list[int]:
    budget = float(prefs["budget"])
    min_bed = float(prefs["min_bedrooms"])
    t, u = pc.buf, pc.buf2
    # price part: 0.3 * max(0, min(100, 100 - (p - b) / b * 100)), in place
    np.subtract(pc.price, budget, out=t)
    np.multiply(t, -100.0 / budget, out=t)
    np.add(t, 100.0, out=t)
    np.clip(t, 0.0, 100.0, out=t)
    np.multiply(t, W_PRICE, out=t)
    # bedrooms part: 0.2 * min(100, beds / min * 100)
    np.multiply(pc.bedrooms, 100.0 / min_bed, out=u)
    np.minimum(u, 100.0, out=u)
    np.multiply(u, W_BED, out=u)
    np.add(t, u, out=t)
    np.add(t, pc.static, out=t)
    np.multiply(t, pc.inv_weight, out=t)
    return top_k(t, pc.price, pc.id, k)


# --- timing -----------------------------------------------------------------

def interleaved(funcs: dict[str, Callable[[], Any]], rounds: int, budget_s: float,
                slow: dict[str, int]) -> dict[str, list[float]]:
    """Run the functions in turns; ``slow`` caps a function's runs. Stops
    after ``rounds`` rounds or ``budget_s`` seconds (at least 2 rounds).
    Each round starts one function later, so that every function follows
    every other (what ran before decides what is still in the caches: the
    256 MiB copy empties them)."""
    times: dict[str, list[float]] = {name: [] for name in funcs}
    names = list(funcs)
    start = time.perf_counter()
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            f = funcs[name]
            if r >= slow.get(name, rounds):
                continue
            t0 = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - t0)
        if r >= 1 and time.perf_counter() - start > budget_s:
            break
    return times


# Bytes per listing a case-study request reads in agent_mira: the predicted
# price and bedrooms columns and the four precomputed buyer-independent
# score columns (school, commute, age, amenities), f64 each.
BYTES_PER_LISTING = 6 * 8


def bench_size(n: int, rounds: int, budget_s: float, loop_runs: int) -> dict[str, Any]:
    year = synth.CURRENT_YEAR
    t0 = time.perf_counter()
    listings, kinds = synth.synthetic_listings(n)
    gen_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    catalog = mira.Catalog.from_records(listings, current_year=year)
    build_catalog_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    eng_cs = mira.Engine(catalog, profile="case-study", current_year=year)
    build_cs_s = time.perf_counter() - t0
    eng_bal = mira.Engine(catalog, profile="balanced", current_year=year)

    # What the alternatives get: listing dicts with canonical amenity names
    # (synonyms resolved once, as a cleaned database would hold them).
    alt = [dict(p, amenities=synth.CANONICAL[a]) for p, a in zip(listings, kinds)]
    cols = Columns(alt, kinds)
    t0 = time.perf_counter()
    pre = Precomputed(cols, year)
    pre_s = time.perf_counter() - t0

    buyer = synth.BUYER
    ids = {
        "agent_mira": [r.id for r in eng_cs.recommend(buyer, k=K)],
        "py-loop": py_loop(alt, buyer, year, K),
        "numpy": numpy_full(cols, buyer, year, K),
        "numpy-pre": numpy_pre(pre, buyer, K),
    }
    mira_scores = [r.score for r in eng_cs.recommend(buyer, k=K)]

    funcs: dict[str, Callable[[], Any]] = {
        "agent_mira": lambda: eng_cs.recommend(buyer, k=K),
        "agent_mira 1 thread": None,  # type: ignore[dict-item]  # filled below
        "agent_mira balanced": lambda: eng_bal.recommend(buyer, k=K),
        "py-loop": lambda: py_loop(alt, buyer, year, K),
        "numpy": lambda: numpy_full(cols, buyer, year, K),
        "numpy-pre": lambda: numpy_pre(pre, buyer, K),
    }
    threads = mira.get_threads()

    def one_thread() -> None:
        mira.set_threads(1)
        try:
            t0 = time.perf_counter()
            eng_cs.recommend(buyer, k=K)
            one_thread.last = time.perf_counter() - t0  # type: ignore[attr-defined]
        finally:
            mira.set_threads(0)

    # set_threads swaps the pool: time the call itself, not the swap.
    one_thread_times: list[float] = []

    def run_one_thread() -> None:
        one_thread()
        one_thread_times.append(one_thread.last)  # type: ignore[attr-defined]

    funcs["agent_mira 1 thread"] = run_one_thread
    one_thread()  # warm the 1-thread pool once
    for f in funcs.values():
        f()  # warm-up
    nbw = 256 << 20
    src = np.ones(nbw // 8)
    dst = np.empty_like(src)

    def bw() -> None:
        np.copyto(dst, src)

    funcs["copyto 256 MiB"] = bw
    times = interleaved(funcs, rounds, budget_s, {"py-loop": loop_runs})
    times["agent_mira 1 thread"] = one_thread_times
    # Back to back: each method alone, many times in a row (warm caches, as
    # a server answering request after request), best and median.
    steady: dict[str, list[float]] = {}
    for name in ("agent_mira", "agent_mira balanced", "numpy", "numpy-pre"):
        runs = []
        for _ in range(max(rounds, 15)):
            t0 = time.perf_counter()
            funcs[name]()
            runs.append(time.perf_counter() - t0)
        steady[name] = runs
    bw_times = times.pop("copyto 256 MiB")
    copy_speed = nbw / min(bw_times)
    return {
        "n": n,
        "threads": threads,
        "gen_s": gen_s,
        "build_catalog_s": build_catalog_s,
        "build_engine_cs_s": build_cs_s,
        "numpy_precompute_s": pre_s,
        "ids": ids,
        "mira_scores": mira_scores,
        "times": times,
        "steady": steady,
        "copy_speed": copy_speed,
    }


def call_overhead(rounds: int = 7, calls: int = 2000) -> dict[str, float]:
    year = synth.CURRENT_YEAR
    listings, _ = synth.synthetic_listings(1000)
    catalog = mira.Catalog.from_records(listings, current_year=year)
    engines = {
        "case-study": mira.Engine(catalog, profile="case-study", current_year=year),
        "balanced": mira.Engine(catalog, profile="balanced", current_year=year),
    }
    buyer = synth.BUYER
    small = {"budget": 650_000, "min_bedrooms": 3}
    funcs: dict[str, Callable[[], Any]] = {}
    for name, e in engines.items():
        funcs[f"{name} k=3"] = (lambda e=e: e.recommend(buyer, k=3))
        funcs[f"{name} k=3, 2-key prefs"] = (lambda e=e: e.recommend(small, k=3))
    tiny = mira.Engine(mira.Catalog.from_records(listings[:10], current_year=year),
                       profile="case-study", current_year=year)
    funcs["case-study k=3, 10-listing catalog"] = lambda: tiny.recommend(small, k=3)
    funcs["len(catalog) (a bare call)"] = lambda: len(catalog)
    best = {name: float("inf") for name in funcs}
    for _ in range(rounds):
        for name, f in funcs.items():
            t0 = time.perf_counter()
            for _ in range(calls):
                f()
            best[name] = min(best[name], (time.perf_counter() - t0) / calls)
    return {name: t * 1e6 for name, t in best.items()}


# --- resident memory, in a fresh process per size ---------------------------

def memory_child(n: int, rounds: int) -> None:
    """Run in a subprocess: RSS around building catalog + engine, and a
    best-of timing at this size next to numpy.copyto."""
    year = synth.CURRENT_YEAR
    listings, _ = synth.synthetic_listings(n)
    gc.collect()
    rss0 = rss_bytes()
    catalog = mira.Catalog.from_records(listings, current_year=year)
    engine = mira.Engine(catalog, profile="case-study", current_year=year)
    rss1 = rss_bytes()
    del listings
    gc.collect()
    rss_after_del = rss_bytes()
    buyer = synth.BUYER
    engine.recommend(buyer, k=K)
    nbw = 256 << 20
    src = np.ones(nbw // 8)
    dst = np.empty_like(src)
    np.copyto(dst, src)
    best_rec, best_copy = float("inf"), float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        engine.recommend(buyer, k=K)
        best_rec = min(best_rec, time.perf_counter() - t0)
        t0 = time.perf_counter()
        np.copyto(dst, src)
        best_copy = min(best_copy, time.perf_counter() - t0)
    # A snapshot loaded in a process with nothing else: the cleanest figure.
    print(json.dumps({"n": n, "rss_before": rss0, "rss_after": rss1,
                      "rss_after_del_records": rss_after_del,
                      "recommend_s": best_rec, "copy_speed": nbw / best_copy}))


def snapshot_child(path: str) -> None:
    gc.collect()
    rss0 = rss_bytes()
    catalog = mira.Catalog.load(path)
    engine = mira.Engine(catalog, profile="case-study", current_year=synth.CURRENT_YEAR)
    rss1 = rss_bytes()
    print(json.dumps({"n": len(catalog), "rss_before": rss0, "rss_after": rss1,
                      "ok": engine is not None}))


def run_child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), *args],
                         check=True, capture_output=True, text=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


def memory(sizes: list[int], rounds: int) -> list[dict[str, Any]]:
    results = []
    for n in sizes:
        r = run_child(["--child-memory", str(n), "--rounds", str(rounds)])
        # Snapshot of the same catalog, loaded in a fresh process.
        tmp = f"/tmp/mira-bench-{os.getpid()}-{n}.mirasnap"
        try:
            listings, _ = synth.synthetic_listings(n)
            mira.Catalog.from_records(listings, current_year=synth.CURRENT_YEAR).save(tmp)
            del listings
            gc.collect()
            s = run_child(["--child-snapshot", tmp])
            r["snapshot_rss_delta"] = s["rss_after"] - s["rss_before"]
            r["snapshot_file_bytes"] = os.path.getsize(tmp)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
        results.append(r)
    return results


# --- report -----------------------------------------------------------------

def fmt_ms(s: float) -> str:
    return f"{s * 1e3:9.3f}"


def report(res: dict[str, Any]) -> dict[str, float]:
    n = res["n"]
    t = res["times"]
    best = {name: min(v) for name, v in t.items()}
    med = {name: statistics.median(v) for name, v in t.items()}
    base = best["agent_mira"]
    print(f"\n== {n:,} listings, top {K}, buyer = typical_buyer "
          f"(agent_mira threads: {res['threads']}; numpy and the loop: 1 thread)")
    print(f"   set-up: generate {res['gen_s']:.2f} s, Catalog.from_records {res['build_catalog_s']:.2f} s, "
          f"Engine(case-study) {res['build_engine_cs_s']:.2f} s, numpy precompute {res['numpy_precompute_s']:.3f} s")
    print(f"   {'method':<24}{'best ms':>10}{'median ms':>11}{'runs':>6}  agent_mira is … faster")
    for name in t:
        ratio = best[name] / base
        print(f"   {name:<24}{fmt_ms(best[name])} {fmt_ms(med[name])}{len(t[name]):>6}  {ratio:8.1f}×")
    st = res["steady"]
    sbest = {name: min(v) for name, v in st.items()}
    sbase = sbest["agent_mira"]
    print(f"   back to back (each alone, {len(st['agent_mira'])} runs in a row: warm caches):")
    for name, v in st.items():
        print(f"   {name:<24}{fmt_ms(sbest[name])} {fmt_ms(statistics.median(v))}{len(v):>6}  "
              f"{sbest[name] / sbase:8.1f}×")
    ref = res["ids"]["agent_mira"]
    agree = {}
    for name, ids in res["ids"].items():
        if name == "agent_mira":
            continue
        agree[name] = ids == ref
        if ids == ref:
            print(f"   top-{K} ids {name:<10} = agent_mira: yes")
        else:
            diff = [i for i, (a, b) in enumerate(zip(ids, ref)) if a != b]
            print(f"   top-{K} ids {name:<10} = agent_mira: NO (positions {diff}; "
                  f"same set: {sorted(ids) == sorted(ref)}); agent_mira scores {res['mira_scores']}")
    print(f"   agent_mira top-{K}: {ref}")
    need = BYTES_PER_LISTING * n
    bound = need / res["copy_speed"]
    print(f"   memory-bandwidth reference: a case-study request reads {BYTES_PER_LISTING} B × {n:,} = "
          f"{need / 1e6:.1f} MB; numpy.copyto copies {res['copy_speed'] / 1e9:.2f} GB/s (1 thread) "
          f"→ bound {bound * 1e3:.3f} ms; agent_mira / bound = {base / bound:.2f}")
    return {
        "mira_ms": base * 1e3,
        "mira1_ms": best["agent_mira 1 thread"] * 1e3,
        "balanced_ms": best["agent_mira balanced"] * 1e3,
        "loop_x": best["py-loop"] / base,
        "numpy_x": best["numpy"] / base,
        "numpy_pre_x": best["numpy-pre"] / base,
        "numpy_x_1t": best["numpy"] / best["agent_mira 1 thread"],
        "numpy_pre_x_1t": best["numpy-pre"] / best["agent_mira 1 thread"],
        "bw_ratio": base / bound,
        "steady_ms": sbase * 1e3,
        "steady_numpy_x": sbest["numpy"] / sbase,
        "steady_numpy_pre_x": sbest["numpy-pre"] / sbase,
        "agree": all(agree.values()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="200000,10000", help="catalog sizes, comma-separated")
    ap.add_argument("--rounds", type=int, default=25, help="interleaved rounds (best of)")
    ap.add_argument("--loop-runs", type=int, default=3, help="runs of the slow Python loop")
    ap.add_argument("--seconds", type=float, default=60.0, help="time budget per size")
    ap.add_argument("--memory-sizes", default="200000,1000000", help="RSS per listing at these sizes ('' = skip)")
    ap.add_argument("--quick", action="store_true", help="200k only, fewer rounds, memory at 200k only")
    ap.add_argument("--child-memory", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-snapshot", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child_memory:
        memory_child(args.child_memory, args.rounds)
        return
    if args.child_snapshot:
        snapshot_child(args.child_snapshot)
        return
    if args.quick:
        args.sizes, args.rounds, args.loop_runs, args.seconds = "200000", 9, 2, 20.0
        args.memory_sizes = "200000"
    started = time.perf_counter()
    print(f"recommend_compare.py  {datetime.date.today()}  python {platform.python_version()}  "
          f"numpy {np.__version__}  agent_mira {mira.__version__}  cpus {os.cpu_count()}  "
          f"load {os.getloadavg()[0]:.2f}")

    summary: dict[str, Any] = {}
    for n in [int(s) for s in args.sizes.split(",") if s]:
        res = bench_size(n, args.rounds, args.seconds, args.loop_runs)
        summary[n] = report(res)
        gc.collect()

    ov = call_overhead(rounds=5 if args.quick else 9)
    print("\n== call overhead, 1,000 listings (µs per call, best of batches of 2,000)")
    for name, us in ov.items():
        print(f"   {name:<34}{us:8.2f} µs")

    mem = []
    if args.memory_sizes:
        mem = memory([int(s) for s in args.memory_sizes.split(",") if s], rounds=5 if args.quick else 11)
        print("\n== resident memory (RSS from /proc/self/statm, fresh process per size)")
        for r in mem:
            n = r["n"]
            d = r["rss_after"] - r["rss_before"]
            bound = BYTES_PER_LISTING * n / r["copy_speed"]
            print(f"   {n:>9,} listings: from_records + Engine(case-study) {d / n:7.0f} B/listing "
                  f"(RSS +{d / 2**20:.0f} MiB, allocator-retained transients included); "
                  f"snapshot load + Engine {r['snapshot_rss_delta'] / n:7.0f} B/listing "
                  f"(file {r['snapshot_file_bytes'] / n:.0f} B/listing)")
            print(f"   {'':>9}  recommend top-{K} {r['recommend_s'] * 1e3:.3f} ms, copyto {r['copy_speed'] / 1e9:.2f} GB/s, "
                  f"bound {bound * 1e3:.3f} ms, ratio {r['recommend_s'] / bound:.2f}")

    first = summary.get(200_000) or next(iter(summary.values()))
    n0 = 200_000 if 200_000 in summary else next(iter(summary))
    def met(x: float, goal: float) -> str:
        return f"{'MET' if x >= goal else 'NOT MET'} ({x:.1f}×)"

    print(f"\nTargets (issue 6), {n0:,} listings top {K}, interleaved (caches emptied between): "
          f"≥40× numpy: {met(first['numpy_x'], 40)}; ≥10× numpy-pre: {met(first['numpy_pre_x'], 10)}"
          f"  [at 1 thread each: {first['numpy_x_1t']:.1f}×, {first['numpy_pre_x_1t']:.1f}×]")
    print(f"   back to back (warm caches): ≥40× numpy: {met(first['steady_numpy_x'], 40)}; "
          f"≥10× numpy-pre: {met(first['steady_numpy_pre_x'], 10)}")
    parts = [f"n={n0}", f"mira_cs={first['mira_ms']:.2f}ms", f"mira_cs_1t={first['mira1_ms']:.2f}ms",
             f"mira_bal={first['balanced_ms']:.2f}ms",
             f"vs_loop={first['loop_x']:.0f}x", f"vs_numpy={first['numpy_x']:.1f}x",
             f"vs_numpy_pre={first['numpy_pre_x']:.1f}x",
             f"warm_mira_cs={first['steady_ms']:.3f}ms", f"warm_vs_numpy={first['steady_numpy_x']:.1f}x",
             f"warm_vs_numpy_pre={first['steady_numpy_pre_x']:.1f}x", f"bw_ratio={first['bw_ratio']:.2f}",
             f"top10_agree={'yes' if all(s['agree'] for s in summary.values()) else 'NO'}",
             f"call_k3={ov['case-study k=3']:.1f}us"]
    if mem:
        parts.append(f"rss={(mem[-1]['rss_after'] - mem[-1]['rss_before']) / mem[-1]['n']:.0f}B/listing@{mem[-1]['n']}")
    print(f"SUMMARY python-recommend {' '.join(parts)} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()

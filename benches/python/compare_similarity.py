#!/usr/bin/env python3
"""Exact top-10 by cosine: agent_mira's kernel against NumPy and faiss-cpu.

Issue 18: "side by side in one run against NumPy (``argpartition`` of
``X @ q``) and faiss-cpu ``IndexFlatIP`` at 100 k and 1 M". The bindings do
not expose the kernel yet, so ours runs in the Rust example
``benches/examples/similarity_files.rs``, which this script calls: it
first writes the vectors once (``agent_mira_benches::synthetic_embeddings``,
clustered 384-d unit vectors, hand-made, no model behind them; seed 42) to
raw ``f32`` files in a temporary folder, which NumPy and faiss then read —
all three rank the same bytes, in one run of this script.

Per size, each contender runs every query ``--rounds`` times; its figure
is the median over queries of the fastest round per query (and the fastest
query). Everything uses all the machine's threads: NumPy through its BLAS
(``X @ q``, a matrix-vector product, then ``argpartition`` and a sort of
the 10), faiss through OpenMP (``IndexFlatIP.search`` one query at a time,
as "homes like this one" asks; a batch of all queries is timed too, per
query), ours through rayon. The top-10 rows are compared: NumPy and faiss
accumulate in ``f32``, ours in ``f64``, so a near tie may order
differently; the share of identical top-10 sets is printed.

Setup (a venv of its own, outside the repository's CI):

    python3 -m venv target/bench/simvenv
    target/bench/simvenv/bin/pip install numpy faiss-cpu
    cargo build --release -p agent-mira-benches --example similarity_files
    target/bench/simvenv/bin/python benches/python/compare_similarity.py            # 100 k and 1 M
    target/bench/simvenv/bin/python benches/python/compare_similarity.py --quick    # 100 k only

Prints one line starting with ``SUMMARY`` at the end.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

try:
    import faiss
except ImportError:  # reported, the rest still runs
    faiss = None

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
K = 10


def fastest_per_query(queries: np.ndarray, rounds: int, run) -> tuple[float, float, list]:
    """Median over queries of the fastest of `rounds` runs, the fastest query, and the results."""
    best, results = [], []
    for q in queries:
        times = []
        for _ in range(rounds):
            t = time.perf_counter()
            res = run(q)
            times.append(time.perf_counter() - t)
        best.append(min(times))
        results.append(res)
    return statistics.median(best), min(best), results


def numpy_top10(x: np.ndarray):
    def run(q: np.ndarray) -> list[int]:
        s = x @ q
        idx = np.argpartition(-s, K)[:K]
        return idx[np.argsort(-s[idx], kind="stable")].tolist()

    return run


def same_sets(a: list[list[int]], b: list[list[int]]) -> float:
    return sum(set(x) == set(y) for x, y in zip(a, b)) / len(a)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--queries", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="100 k only, 3 rounds")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/examples/similarity_files"))
    args = ap.parse_args()
    sizes = [100_000] if args.quick else [int(s) for s in args.sizes.split(",")]
    rounds = 3 if args.quick else args.rounds
    dim, nq = args.dim, args.queries
    if not os.path.exists(args.bin):
        sys.exit(f"{args.bin} is missing: cargo build --release -p agent-mira-benches --example similarity_files")

    print(f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, numpy {np.__version__}, faiss {faiss.__version__ if faiss else 'missing'}, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"dim {dim}, top {K}, {nq} queries × {rounds} rounds; ms a query: median over queries of the fastest round (fastest query)")
    summary = [f"dim={dim}"]
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="mira-sim-") as tmp:
            subprocess.run([args.bin, "write", tmp, str(n), str(dim), str(nq)], check=True)
            x = np.fromfile(os.path.join(tmp, "x.f32"), "<f4").reshape(n, dim)
            queries = np.fromfile(os.path.join(tmp, "q.f32"), "<f4").reshape(nq, dim)
            rows = {}

            med, best, np_ids = fastest_per_query(queries, rounds, numpy_top10(x))
            rows["numpy argpartition(X @ q)"] = (med, best)

            fa_ids = None
            if faiss is not None:
                index = faiss.IndexFlatIP(dim)
                index.add(x)
                med, best, res = fastest_per_query(
                    queries, rounds, lambda q: index.search(q[None, :], K)[1][0].tolist())
                fa_ids = res
                rows[f"faiss IndexFlatIP, 1 query ({faiss.omp_get_max_threads()} threads)"] = (med, best)
                batch = []
                for _ in range(rounds):
                    t = time.perf_counter()
                    index.search(queries, K)
                    batch.append((time.perf_counter() - t) / nq)
                rows[f"faiss IndexFlatIP, batch of {nq}, per query"] = (min(batch), min(batch))
                del index
            del x

            out = subprocess.run([args.bin, "time", tmp, str(n), str(dim), str(nq), str(rounds)],
                                 check=True, capture_output=True, text=True).stdout
            ours = json.loads(out)
            rows[f"agent_mira scan::top_k ({ours['threads']} threads, AVX2 {ours['avx2']})"] = (
                ours["median_s"], ours["fastest_s"])

        mine = ours["median_s"]
        print(f"\n{n} × {dim} ({n * dim * 4 / 1e6:.0f} MB)")
        for name, (med, best) in rows.items():
            print(f"  {name:<48} {med * 1e3:9.2f} ms ({best * 1e3:8.2f})  {med / mine:6.2f}× ours")
        agree_np = same_sets(ours["ids"], np_ids)
        line = f"  identical top-10 sets: numpy {agree_np:.0%}"
        if fa_ids is not None:
            line += f", faiss {same_sets(ours['ids'], fa_ids):.0%}"
        print(line)
        tag = f"{n // 1000}k"
        summary.append(f"{tag}_ours={mine * 1e3:.2f}ms")
        summary.append(f"{tag}_numpy={rows['numpy argpartition(X @ q)'][0] / mine:.2f}x")
        if fa_ids is not None:
            fa = [v for k, v in rows.items() if k.startswith("faiss IndexFlatIP, 1 query")][0]
            summary.append(f"{tag}_faiss={fa[0] / mine:.2f}x")
    print("\nSUMMARY python-similarity " + " ".join(summary))


if __name__ == "__main__":
    main()

//! Exact top-10 by cosine over `n × dim` unit vectors against the
//! memory-bandwidth bound, measured in the same run (issue 18: "exact
//! top-10 over 1 M × 384-d vectors within 1.5× of the bytes-read bound,
//! all cores"), and the 8-bit store's speed and recall@10 against exact.
//!
//! ```sh
//! cargo run --release -p agent-mira-benches --example similarity_bound [listings] [dim] [rounds] [data]   # 1 M, 384, 20, clustered
//! ```
//!
//! `data` is `clustered` (`synthetic_embeddings`: rows around 1 000
//! centres, queries near the centres: `synthetic_queries`) or `uniform`
//! (`synthetic_uniform_embeddings`: no structure, queries from another
//! seed: every cosine near 0, the harder case for 8-bit candidates).
//!
//! The bytes a request reads are the matrix, `4 × dim` bytes a row (the
//! query is `4 × dim` bytes once). Two bounds are measured just before the
//! requests, on the same number of bytes: as `bandwidth_bound` does, a
//! single-thread `copy_from_slice` (the bound the issue's 1.5× refers to),
//! and a stricter one, a read-only integer sum of the same bytes on all
//! threads (what the memory system gives a pure read). Requests run on all
//! threads; the fastest of `rounds` is compared, the median beside it.
//! The data are hand-made, no model behind them; requests cycle over 10
//! of the queries. Recall@10 of the 8-bit store is the share of the
//! exact top 10 it returns, over 50 queries.
//!
//! The engine's path, `Engine::similar` (top 10 like a listing, no
//! filters, over a catalog holding the same vectors), is timed beside the
//! kernel doing the same scan (`top_k` on the listing's own vector): the
//! difference is what the engine adds (its filters, the id order of ties,
//! the results' reasons).
use std::time::Instant;

use agent_mira::embedding::quantized::QuantizedStore;
use agent_mira::embedding::scan;
use agent_mira::{PropertyId, SimilarFilters};
use agent_mira_benches::{
    similar_engine, synthetic_embeddings, synthetic_queries, synthetic_uniform_embeddings,
};
use rayon::prelude::*;

/// Fastest and median of `rounds` runs of `f(round)`, in seconds.
fn time(rounds: usize, mut f: impl FnMut(usize)) -> (f64, f64) {
    let mut times: Vec<f64> = (0..rounds)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

/// Single-thread copy time of `src`'s bytes and all-thread read (sum)
/// time of them, fastest of `rounds`, in seconds.
fn bounds(src: &[f32], rounds: usize) -> (f64, f64) {
    // Written once before timing: a fresh zeroed vector maps the shared
    // zero page and faults on first write.
    let mut dst = vec![1.0f32; src.len()];
    dst.copy_from_slice(src);
    let (copy, _) = time(rounds, |_| {
        dst.copy_from_slice(src);
        std::hint::black_box(&dst);
    });
    drop(dst);
    let (sum, _) = time(rounds, |_| {
        let s = src
            .par_chunks(1 << 16)
            .map(|c| c.iter().fold(0u32, |a, x| a.wrapping_add(x.to_bits())))
            .reduce(|| 0, u32::wrapping_add);
        std::hint::black_box(s);
    });
    (copy, sum)
}

fn main() {
    let arg = |i: usize, default: usize| {
        std::env::args()
            .nth(i)
            .map_or(default, |a| a.parse().expect("a number"))
    };
    let (n, dim, rounds) = (arg(1, 1_000_000), arg(2, 384), arg(3, 20));
    let kind = std::env::args()
        .nth(4)
        .unwrap_or_else(|| "clustered".into());
    let (k, threads) = (10, rayon::current_num_threads());
    let bytes = n * dim * 4;
    println!(
        "{n} × {dim} {kind} vectors ({} MB), top {k}, {threads} threads, AVX2+FMA: {}, fastest / median of {rounds} requests",
        bytes / 1_000_000,
        scan::uses_avx2()
    );
    let t = Instant::now();
    let (data, queries) = match kind.as_str() {
        "clustered" => (
            synthetic_embeddings(n, dim, 42),
            synthetic_queries(50, dim, 42),
        ),
        "uniform" => (
            synthetic_uniform_embeddings(n, dim, 42),
            synthetic_uniform_embeddings(50, dim, 4242),
        ),
        other => panic!("data: clustered or uniform, not {other:?}"),
    };
    println!("data made in {:.1} s", t.elapsed().as_secs_f64());
    let query = |i: usize| &queries[(i % 10) * dim..][..dim];

    let (copy, read) = bounds(&data, 10);
    println!(
        "bounds: 1-thread copy {:.2} ms ({:.1} GB/s); all-thread read {:.2} ms ({:.1} GB/s)",
        copy * 1e3,
        bytes as f64 / copy / 1e9,
        read * 1e3,
        bytes as f64 / read / 1e9
    );
    let mut summary = vec![
        format!("n={n}"),
        format!("dim={dim}"),
        format!("data={kind}"),
        format!("threads={threads}"),
        format!("copy={:.1}GB/s", bytes as f64 / copy / 1e9),
        format!("read={:.1}GB/s", bytes as f64 / read / 1e9),
    ];

    scan::top_k(&data, dim, query(0), k, |_| true);
    let (fastest, median) = time(rounds, |i| {
        std::hint::black_box(scan::top_k(&data, dim, query(i), k, |_| true));
    });
    println!(
        "exact top-{k}     {:8.2} ms (median {:8.2}) = {:.2}× the copy bound, {:.2}× the read bound",
        fastest * 1e3,
        median * 1e3,
        fastest / copy,
        fastest / read
    );
    summary.push(format!(
        "exact={:.2}ms({:.2}x_copy,{:.2}x_read)",
        fastest * 1e3,
        fastest / copy,
        fastest / read
    ));

    // "Homes like this one": the kernel on a listing's own vector, then
    // the engine's whole request for that listing.
    let from = |i: usize| (i % 10) * (n / 10);
    let (kernel_like, kernel_like_median) = time(rounds, |i| {
        let row = from(i);
        std::hint::black_box(scan::top_k(&data, dim, &data[row * dim..][..dim], k, |r| {
            r != row
        }));
    });
    let t = Instant::now();
    let engine = similar_engine(&data, dim);
    println!(
        "engine over the same vectors built in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let filters = SimilarFilters::default();
    let like = |i: usize| {
        engine
            .similar(&PropertyId::from(from(i) as u64), k, &filters)
            .expect("a listing with a vector")
    };
    // The engine's answer is the kernel's (no ties in these data).
    let kernel_rows: Vec<usize> = scan::top_k(&data, dim, &data[..dim], k, |r| r != 0)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    let engine_rows: Vec<usize> = like(0)
        .into_iter()
        .map(|r| r.id.to_string().parse().expect("integer ids"))
        .collect();
    assert_eq!(engine_rows, kernel_rows, "engine and kernel disagree");
    let (engine_like, engine_like_median) = time(rounds, |i| {
        std::hint::black_box(like(i));
    });
    println!(
        "like a listing: kernel {:8.2} ms (median {:8.2}); Engine::similar {:8.2} ms (median {:8.2}) = {:.2}× the copy bound, {:.2}× the read bound, {:.2}× the kernel",
        kernel_like * 1e3,
        kernel_like_median * 1e3,
        engine_like * 1e3,
        engine_like_median * 1e3,
        engine_like / copy,
        engine_like / read,
        engine_like / kernel_like
    );
    summary.push(format!(
        "similar={:.2}ms({:.2}x_copy,{:.2}x_read,{:.2}x_kernel={:.2}ms)",
        engine_like * 1e3,
        engine_like / copy,
        engine_like / read,
        engine_like / kernel_like,
        kernel_like * 1e3
    ));
    drop(engine);

    let exact: Vec<Vec<(usize, f64)>> = (0..50)
        .map(|i| scan::top_k(&data, dim, &queries[i * dim..][..dim], k, |_| true))
        .collect();

    let t = Instant::now();
    let store = QuantizedStore::from(&data, dim);
    println!(
        "8-bit store: {} MB ({} B a row against {}), made in {:.2} s",
        store.bytes() / 1_000_000,
        store.bytes_per_row(),
        4 * dim,
        t.elapsed().as_secs_f64()
    );
    for oversample in [2usize, 4, 8] {
        let (fastest_q, median_q) = time(rounds, |i| {
            std::hint::black_box(store.top_k(&data, query(i), k, oversample, |_| true));
        });
        let (mut found, mut total) = (0usize, 0usize);
        for (i, ex) in exact.iter().enumerate() {
            let got = store.top_k(&data, &queries[i * dim..][..dim], k, oversample, |_| true);
            total += ex.len();
            found += ex.iter().filter(|e| got.iter().any(|g| g.0 == e.0)).count();
        }
        let recall = found as f64 / total as f64;
        println!(
            "8-bit, oversample {oversample}: {:8.2} ms (median {:8.2}) = {:.2}× exact; recall@{k} {:.4}",
            fastest_q * 1e3,
            median_q * 1e3,
            fastest_q / fastest,
            recall
        );
        summary.push(format!(
            "q8x{oversample}={:.2}ms(recall={recall:.4})",
            fastest_q * 1e3
        ));
    }
    println!("SUMMARY rust-similarity {}", summary.join(" "));
}

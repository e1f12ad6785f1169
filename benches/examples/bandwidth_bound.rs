//! The memory-bandwidth reference for recommend, measured in the same run
//! as the requests it judges (issue 6: "at 1 M listings in Rust, within 2×
//! of the memory-bandwidth bound").
//!
//! ```sh
//! cargo run --release -p agent-mira-benches --example bandwidth_bound [listings] [rounds]
//! ```
//!
//! The bound of a request is the bytes its scoring reads in a full scan
//! (every column the formula uses, 8 bytes a value) divided by the speed of
//! a plain single-thread copy of that many bytes (`copy_from_slice`, the
//! fastest of several, as `numpy.copyto` in the Python bench). Two bounds
//! are printed for a balanced request: its own (the columns it reads) and
//! the case-study request's (fewer columns, so a stricter one). Requests
//! run on all threads, as users run them; the fastest of `rounds` is
//! compared (the machines here are noisy, and the fastest is the run the
//! noise touched least), with the median next to it.
use std::time::Instant;

use agent_mira::scoring::Profile;
use agent_mira::{Engine, Preferences};
use agent_mira_benches::{synthetic_catalog, typical_buyer};
use rayon::prelude::*;

/// Bytes a case-study request reads per listing: predicted price and
/// bedrooms, and the four precomputed buyer-independent score columns
/// (school, commute, age, amenities).
const CASE_STUDY_BYTES: usize = 6 * 8;

/// Bytes a balanced request of the typical buyer (budget, place, rooms,
/// commute, school, amenities) reads per listing in a full scan: the price
/// it is matched on 8 (the listed price: the synthetic catalog has no
/// model, so `value` is not scored either), location id 4 and unit vector
/// 24, bedrooms 8, school rating 8 and commute 8 (the buyer states a
/// minimum and a maximum, so both depend on the buyer), amenity bits 8 and
/// known flag 1, and the precomputed age score 8.
const BALANCED_BYTES: usize = 8 + 4 + 24 + 8 + 8 + 8 + 8 + 1 + 8;

/// Fastest and median of `rounds` runs of `f`, in seconds.
fn time(rounds: usize, mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[0], times[times.len() / 2])
}

/// Single-thread and all-thread copy speed of `bytes`, in bytes a second.
fn copy_speed(bytes: usize, rounds: usize) -> (f64, f64) {
    let words = bytes / 8;
    let src: Vec<f64> = (0..words).map(|i| i as f64).collect();
    // Written once before timing: a fresh zeroed vector maps the shared
    // zero page and faults on first write.
    let mut dst = vec![1.0f64; words];
    dst.copy_from_slice(&src);
    let (one, _) = time(rounds, || {
        dst.copy_from_slice(&src);
        std::hint::black_box(&dst);
    });
    let (all, _) = time(rounds, || {
        dst.par_chunks_mut(1 << 16)
            .zip(src.par_chunks(1 << 16))
            .for_each(|(d, s)| d.copy_from_slice(s));
        std::hint::black_box(&dst);
    });
    (bytes as f64 / one, bytes as f64 / all)
}

fn engine(profile: &str, pruning: bool, n: usize) -> Engine {
    Engine::builder(synthetic_catalog(n))
        .profile(Profile::by_name(profile).expect("a built-in profile"))
        .current_year(2025)
        .pruning(pruning)
        .build()
}

fn main() {
    let arg = |i: usize, default: usize| {
        std::env::args()
            .nth(i)
            .map_or(default, |a| a.parse().expect("a number"))
    };
    let (n, rounds) = (arg(1, 1_000_000), arg(2, 30));
    let (k, threads) = (10, rayon::current_num_threads());
    let buyer: Preferences = typical_buyer();
    println!("{n} listings, top {k}, {threads} threads, fastest / median of {rounds} requests");

    let mut summary = vec![format!("n={n}"), format!("threads={threads}")];
    let (copy_cs, copy_cs_all) = copy_speed(CASE_STUDY_BYTES * n, 10);
    let (copy_bal, _) = copy_speed(BALANCED_BYTES * n, 10);
    let bound_cs = (CASE_STUDY_BYTES * n) as f64 / copy_cs;
    let bound_bal = (BALANCED_BYTES * n) as f64 / copy_bal;
    println!(
        "copy speed (1 thread): {:.1} GB/s over {} MB, {:.1} GB/s over {} MB; all threads {:.1} GB/s",
        copy_cs / 1e9,
        CASE_STUDY_BYTES * n / 1_000_000,
        copy_bal / 1e9,
        BALANCED_BYTES * n / 1_000_000,
        copy_cs_all / 1e9
    );
    println!(
        "bounds: case-study {CASE_STUDY_BYTES} B a listing → {:.2} ms; balanced {BALANCED_BYTES} B → {:.2} ms",
        bound_cs * 1e3,
        bound_bal * 1e3
    );
    summary.push(format!("copy={:.1}GB/s", copy_cs / 1e9));

    for (profile, bytes_bound) in [("case-study", bound_cs), ("balanced", bound_bal)] {
        for pruning in [true, false] {
            let engine = engine(profile, pruning, n);
            // The first request of a catalog version builds the pruning
            // index: not a steady-state request.
            engine.recommend(&buyer, k).expect("a valid request");
            let (fastest, median) = time(rounds, || {
                std::hint::black_box(engine.recommend(&buyer, k).expect("a valid request"));
            });
            let scan = if pruning { "pruned" } else { "full scan" };
            let mut line = format!(
                "{profile:<10} {scan:<9} {:8.3} ms (median {:8.3}) = {:5.2}× its bound",
                fastest * 1e3,
                median * 1e3,
                fastest / bytes_bound
            );
            if profile == "balanced" {
                line += &format!(", {:5.2}× the case-study bound", fastest / bound_cs);
            }
            println!("{line}");
            let tag = format!(
                "{}_{}",
                if profile == "balanced" { "bal" } else { "cs" },
                if pruning { "pruned" } else { "full" }
            );
            summary.push(format!(
                "{tag}={:.3}ms({:.2}x)",
                fastest * 1e3,
                fastest / bytes_bound
            ));
        }
    }
    println!("SUMMARY rust-bandwidth {}", summary.join(" "));
}

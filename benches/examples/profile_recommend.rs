//! One profile, one thread, ten requests (by default) over 200,000 synthetic listings:
//! a fixed workload for `valgrind --tool=callgrind` (instruction counts are
//! repeatable on a noisy machine, unlike wall-clock time).
//!
//! ```sh
//! cargo build --release -p agent-mira-benches --example profile_recommend
//! valgrind --tool=callgrind --toggle-collect='*measured_requests*' \
//!   target/release/examples/profile_recommend balanced [full]
//! ```
//!
//! `full` turns pruning off (every request scores all 200,000 listings);
//! a third and fourth argument change the catalog size and `k` (e.g.
//! `case-study pruned 1000 3` for the per-call cost on a small catalog), a
//! fifth the number of measured requests (e.g. 200 for `perf record`,
//! whose samples then come mostly from the requests).
//! One request runs before the measured ten, outside the collected
//! function, so that the pruning index (built on the first request of a
//! catalog version) is not counted.
use agent_mira::scoring::Profile;
use agent_mira::{Engine, Preferences};
use agent_mira_benches::{synthetic_catalog, typical_buyer};

/// The requests, timed one by one; returns the fastest, in seconds.
#[inline(never)]
fn measured_requests(engine: &Engine, buyer: &Preferences, k: usize, rounds: usize) -> f64 {
    let mut fastest = f64::INFINITY;
    for _ in 0..rounds {
        let t = std::time::Instant::now();
        std::hint::black_box(engine.recommend(buyer, k).unwrap());
        fastest = fastest.min(t.elapsed().as_secs_f64());
    }
    fastest
}

fn main() {
    let profile = std::env::args().nth(1).unwrap_or("case-study".into());
    let full = std::env::args().nth(2).is_some_and(|a| a == "full");
    let arg = |i: usize, default: usize| {
        std::env::args()
            .nth(i)
            .map_or(default, |a| a.parse().expect("a number"))
    };
    let (n, k, rounds) = (arg(3, 200_000), arg(4, 10), arg(5, 10));
    let catalog = synthetic_catalog(n);
    let engine = Engine::builder(catalog)
        .profile(Profile::by_name(&profile).unwrap())
        .current_year(2025)
        .pruning(!full)
        .build();
    let buyer = typical_buyer();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| {
        let t = std::time::Instant::now();
        engine.recommend(&buyer, k).unwrap();
        eprintln!(
            "{profile}: first request {:.2} ms",
            t.elapsed().as_secs_f64() * 1e3
        );
        let t = std::time::Instant::now();
        let fastest = measured_requests(&engine, &buyer, k, rounds);
        eprintln!(
            "{profile}{}: {:.3} ms per request, fastest {:.3} ms (1 thread, {n} listings, k = {k})",
            if full { " (full scan)" } else { "" },
            t.elapsed().as_secs_f64() * 1e3 / rounds as f64,
            fastest * 1e3
        );
    });
}

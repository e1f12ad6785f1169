//! One profile, one thread, ten requests over 200,000 synthetic listings:
//! a fixed workload for `valgrind --tool=callgrind` (instruction counts are
//! repeatable on a noisy machine, unlike wall-clock time).
//!
//! ```sh
//! cargo build --release -p agent-mira-benches --example profile_recommend
//! valgrind --tool=callgrind --toggle-collect='*Engine*answer*' \
//!   target/release/examples/profile_recommend balanced
//! ```
use agent_mira::scoring::Profile;
use agent_mira::Engine;
use agent_mira_benches::{synthetic_catalog, typical_buyer};
fn main() {
    let profile = std::env::args().nth(1).unwrap_or("case-study".into());
    let catalog = synthetic_catalog(200_000);
    let engine = Engine::builder(catalog)
        .profile(Profile::by_name(&profile).unwrap())
        .current_year(2025)
        .build();
    let buyer = typical_buyer();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    pool.install(|| {
        let t = std::time::Instant::now();
        for _ in 0..10 {
            std::hint::black_box(engine.recommend(&buyer, 10).unwrap());
        }
        eprintln!(
            "{profile}: {:.2} ms per request (1 thread, 200k)",
            t.elapsed().as_secs_f64() * 100.0
        );
    });
}

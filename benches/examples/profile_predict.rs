//! A fixed tree-ensemble predict workload on one thread, for
//! `valgrind --tool=callgrind` (instruction counts are repeatable on a noisy
//! machine) and for quick wall-clock checks.
//!
//! ```sh
//! cargo build --release -p agent-mira-benches --example profile_predict
//! # the synthetic 500-tree, 63-leaf LightGBM model of the criterion bench:
//! valgrind --tool=callgrind target/release/examples/profile_predict synthetic 4096
//! # or a LightGBM text model and rows as raw little-endian f64 (row-major):
//! target/release/examples/profile_predict lgbm.txt 200000 x.f64
//! ```
use std::time::Instant;

use agent_mira::TreeEnsemble;
use agent_mira_benches::{synthetic_lightgbm_model, synthetic_rows};
use ndarray::Array2;

fn main() {
    let mut args = std::env::args().skip(1);
    let model = args.next().unwrap_or_else(|| "synthetic".into());
    let n: usize = args.next().map_or(4096, |s| s.parse().unwrap());
    let (ensemble, rows) = if model == "synthetic" {
        let text = synthetic_lightgbm_model(500, 63, 20);
        let e = TreeEnsemble::from_lightgbm_str(&text).unwrap();
        (e, synthetic_rows(n, 20))
    } else {
        let e = TreeEnsemble::from_lightgbm_file(&model).unwrap();
        let nf = e.num_features();
        let bytes = std::fs::read(args.next().expect("a rows file")).unwrap();
        let data: Vec<f64> = bytes
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
            .collect();
        let have = data.len() / nf;
        let rows = Array2::from_shape_fn((n, nf), |(i, j)| data[(i % have) * nf + j]);
        (e, rows)
    };
    let repeat: usize = std::env::var("REPEAT").map_or(1, |s| s.parse().unwrap());
    let mut best = f64::INFINITY;
    let mut sum = 0.0;
    for _ in 0..repeat {
        let t = Instant::now();
        let out = ensemble.predict_batch_sequential(rows.view()).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        sum += out.sum();
    }
    println!(
        "{} trees, {} rows: best {:.1} ms ({:.2} ns per row-tree), checksum {sum}",
        ensemble.num_trees(),
        n,
        best * 1e3,
        best * 1e9 / (n * ensemble.num_trees()) as f64
    );
}

//! Tree-ensemble predict and the engine's predicted-price precomputation.
//!
//! - `predict/lgbm500x63/{rows}`: a synthetic LightGBM model of 500 trees
//!   with 63 leaves over 20 features (generated in code, see
//!   `agent_mira_benches::synthetic_lightgbm_model`), on 10 k and 100 k
//!   rows, on the calling thread and on rayon's global pool.
//! - `precompute/king-county-gbdt/100000`: the bundled King County model
//!   (`core/models/king-county-gbdt.json`) pricing a 100 k-listing
//!   synthetic catalog (`ValuationModel::predict_catalog`: feature encoding
//!   + prediction), and the whole `Engine` build with that model.
//!
//! Run: `cargo bench -p agent-mira-benches --bench predict`.

use std::path::PathBuf;

use agent_mira::model::ValuationModel;
use agent_mira::{Engine, TreeEnsemble};
use agent_mira_benches::{synthetic_catalog, synthetic_lightgbm_model, synthetic_rows};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn predict(c: &mut Criterion) {
    let text = synthetic_lightgbm_model(500, 63, 20);
    let model = TreeEnsemble::from_lightgbm_str(&text).expect("the synthetic model loads");
    let mut group = c.benchmark_group("predict/lgbm500x63");
    group.sample_size(10);
    for n in [10_000usize, 100_000] {
        let rows = synthetic_rows(n, 20);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("sequential", n), &rows, |b, rows| {
            b.iter(|| model.predict_batch_sequential(rows.view()).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("parallel", n), &rows, |b, rows| {
            b.iter(|| model.predict_batch(rows.view()).unwrap())
        });
    }
    group.finish();
}

fn precompute(c: &mut Criterion) {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../core/models/king-county-gbdt.json");
    let model = ValuationModel::load(&path).expect("the bundled model loads");
    let n = 100_000;
    let catalog = synthetic_catalog(n);
    let mut group = c.benchmark_group("precompute/king-county-gbdt");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::new("predict_catalog", n), |b| {
        b.iter(|| model.predict_catalog(&catalog).unwrap())
    });
    group.bench_function(BenchmarkId::new("engine_build", n), |b| {
        b.iter(|| {
            Engine::builder(catalog.clone())
                .model(model.clone())
                .current_year(2025)
                .try_build()
                .unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, predict, precompute);
criterion_main!(benches);

//! Recommend over synthetic catalogs of 10 k, 100 k and 1 M listings, both
//! profiles, k = 3 and 10. Run: `cargo bench -p agent-mira-benches --bench recommend`.

use agent_mira::scoring::Profile;
use agent_mira::Engine;
use agent_mira_benches::{synthetic_catalog, typical_buyer};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn recommend(c: &mut Criterion) {
    let buyer = typical_buyer();
    let mut group = c.benchmark_group("recommend");
    for n in [10_000usize, 100_000, 1_000_000] {
        let catalog = synthetic_catalog(n);
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            group.sample_size(20);
        }
        for profile in [Profile::balanced(), Profile::case_study()] {
            let engine = Engine::builder(catalog.clone())
                .profile(profile.clone())
                .current_year(2025)
                .build();
            for k in [3usize, 10] {
                let id = BenchmarkId::new(format!("{}/k{k}", profile.name), n);
                group.bench_with_input(id, &k, |b, &k| {
                    b.iter(|| engine.recommend(&buyer, k).unwrap())
                });
            }
        }
    }
    group.finish();
}

fn build(c: &mut Criterion) {
    let catalog = synthetic_catalog(100_000);
    let mut group = c.benchmark_group("prepare");
    group.sample_size(10);
    group.bench_function("engine_build/100000", |b| {
        b.iter(|| Engine::builder(catalog.clone()).current_year(2025).build())
    });
    group.finish();
}

criterion_group!(benches, recommend, build);
criterion_main!(benches);

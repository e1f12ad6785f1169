//! Recommend over synthetic catalogs of 1 k, 10 k, 100 k and 1 M listings, both
//! profiles, k = 3 and 10, with pruning (the default) and as a full scan;
//! and what is prepared once per catalog version: catalog build, snapshot
//! load, engine build, the first request (which builds the pruning index).
//! Run: `cargo bench -p agent-mira-benches --bench recommend`.

use agent_mira::scoring::Profile;
use agent_mira::{Catalog, Engine};
use agent_mira_benches::{synthetic_catalog, synthetic_properties, typical_buyer};
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion, Throughput};

fn recommend(c: &mut Criterion) {
    let buyer = typical_buyer();
    let mut group = c.benchmark_group("recommend");
    for n in [1_000usize, 10_000, 100_000, 1_000_000] {
        let catalog = synthetic_catalog(n);
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            group.sample_size(20);
        }
        for profile in [Profile::balanced(), Profile::case_study()] {
            for pruning in [true, false] {
                let engine = Engine::builder(catalog.clone())
                    .profile(profile.clone())
                    .current_year(2025)
                    .pruning(pruning)
                    .build();
                // The first request builds the pruning index: not measured
                // here (see `prepare/first_request`).
                engine.recommend(&buyer, 10).unwrap();
                let scan = if pruning { "" } else { "/full-scan" };
                for k in [3usize, 10] {
                    if !pruning && k == 3 {
                        continue;
                    }
                    let id = BenchmarkId::new(format!("{}/k{k}{scan}", profile.name), n);
                    group.bench_with_input(id, &k, |b, &k| {
                        b.iter(|| engine.recommend(&buyer, k).unwrap())
                    });
                }
            }
        }
    }
    group.finish();
}

fn prepare(c: &mut Criterion) {
    const N: usize = 100_000;
    let properties = synthetic_properties(N);
    let catalog = synthetic_catalog(N);
    let dir = std::env::temp_dir().join(format!("mira-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let snapshot = dir.join("catalog.snapshot");
    catalog.save(&snapshot).unwrap();
    let buyer = typical_buyer();

    let mut group = c.benchmark_group("prepare");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function(BenchmarkId::new("catalog_build", N), |b| {
        b.iter_batched(
            || properties.clone(),
            |properties| {
                let mut builder = Catalog::builder().current_year(2025);
                builder.reserve(properties.len());
                for p in properties {
                    builder.push(p).unwrap();
                }
                builder.build()
            },
            BatchSize::LargeInput,
        )
    });
    group.bench_function(BenchmarkId::new("snapshot_load", N), |b| {
        b.iter(|| Catalog::load(&snapshot).unwrap())
    });
    for profile in [Profile::balanced(), Profile::case_study()] {
        let engine = |catalog: &Catalog| {
            Engine::builder(catalog.clone())
                .profile(profile.clone())
                .current_year(2025)
                .build()
        };
        group.bench_function(
            BenchmarkId::new(format!("engine_build/{}", profile.name), N),
            |b| b.iter(|| engine(&catalog)),
        );
        // Includes building the pruning index for this buyer's static
        // components.
        group.bench_function(
            BenchmarkId::new(format!("first_request/{}", profile.name), N),
            |b| {
                b.iter_batched(
                    || engine(&catalog),
                    |e| e.recommend(&buyer, 10).unwrap(),
                    BatchSize::LargeInput,
                )
            },
        );
    }
    group.finish();
    std::fs::remove_dir_all(&dir).ok();
}

criterion_group!(benches, recommend, prepare);
criterion_main!(benches);

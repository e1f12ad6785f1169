//! Exact top-10 by cosine over 100 k and 1 M synthetic 384-d unit vectors
//! (`agent_mira::embedding::scan::top_k`, all cores), and the 8-bit store
//! (`QuantizedStore::top_k`, oversample 4) on the same data, and the
//! engine's "homes like this one" (`Engine::similar`, top 10 like a
//! listing, no filters) over a catalog holding the same vectors.
//! Run: `cargo bench -p agent-mira-benches --bench similarity`.

use agent_mira::embedding::quantized::QuantizedStore;
use agent_mira::embedding::scan;
use agent_mira::{PropertyId, SimilarFilters};
use agent_mira_benches::{similar_engine, synthetic_embeddings, synthetic_queries};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const DIM: usize = 384;

fn similarity(c: &mut Criterion) {
    let queries = synthetic_queries(10, DIM, 42);
    let mut group = c.benchmark_group("similarity");
    group.sample_size(20);
    for n in [100_000usize, 1_000_000] {
        let data = synthetic_embeddings(n, DIM, 42);
        group.throughput(Throughput::Bytes((n * DIM * 4) as u64));
        let mut i = 0;
        group.bench_function(BenchmarkId::new("exact/top10", n), |b| {
            b.iter(|| {
                i = (i + 1) % 10;
                scan::top_k(&data, DIM, &queries[i * DIM..][..DIM], 10, |_| true)
            })
        });
        let store = QuantizedStore::from(&data, DIM);
        group.bench_function(BenchmarkId::new("int8-oversample4/top10", n), |b| {
            b.iter(|| {
                i = (i + 1) % 10;
                store.top_k(&data, &queries[i * DIM..][..DIM], 10, 4, |_| true)
            })
        });
        // The kernel's work for one listing's own vector, then the same
        // request through the engine: the gap is the engine's overhead.
        let from = |i: usize| i * (n / 10);
        group.bench_function(BenchmarkId::new("exact-like-listing/top10", n), |b| {
            b.iter(|| {
                i = (i + 1) % 10;
                let row = from(i);
                scan::top_k(&data, DIM, &data[row * DIM..][..DIM], 10, |r| r != row)
            })
        });
        let engine = similar_engine(&data, DIM);
        let filters = SimilarFilters::default();
        group.bench_function(BenchmarkId::new("engine-similar/top10", n), |b| {
            b.iter(|| {
                i = (i + 1) % 10;
                let id = PropertyId::from(from(i) as u64);
                engine
                    .similar(&id, 10, &filters)
                    .expect("a listing with a vector")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, similarity);
criterion_main!(benches);

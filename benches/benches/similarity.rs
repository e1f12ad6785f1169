//! Exact top-10 by cosine over 100 k and 1 M synthetic 384-d unit vectors
//! (`agent_mira::embedding::scan::top_k`, all cores), and the 8-bit store
//! (`QuantizedStore::top_k`, oversample 4) on the same data.
//! Run: `cargo bench -p agent-mira-benches --bench similarity`.

use agent_mira::embedding::quantized::QuantizedStore;
use agent_mira::embedding::scan;
use agent_mira_benches::{synthetic_embeddings, synthetic_queries};
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
    }
    group.finish();
}

criterion_group!(benches, similarity);
criterion_main!(benches);

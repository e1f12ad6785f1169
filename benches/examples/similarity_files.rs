//! Our side of `benches/python/compare_similarity.py`: writes the synthetic
//! vectors and queries to raw files once, then times exact top-10 on them
//! in the same run as NumPy and faiss (the script calls this binary).
//!
//! ```sh
//! similarity_files write DIR N DIM QUERIES    # DIR/x.f32 (N × DIM), DIR/q.f32 (QUERIES × DIM)
//! similarity_files time DIR N DIM QUERIES ROUNDS
//! ```
//!
//! The files are little-endian `f32`, row-major, no header (NumPy reads
//! them with `np.fromfile(path, "<f4").reshape(-1, DIM)`). `time` reads
//! them, then runs every query `ROUNDS` times on all threads and prints one
//! JSON line: the fastest and median time a query (the fastest of its
//! rounds per query, then the median and the fastest of those), the
//! thread count, and each query's top-10 rows and similarities.
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use agent_mira::embedding::scan;
use agent_mira_benches::{synthetic_embeddings, synthetic_queries};

fn write_f32(path: &Path, v: &[f32]) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("a writable file"));
    for x in v {
        out.write_all(&x.to_le_bytes()).expect("written");
    }
    out.flush().expect("written");
}

fn read_f32(path: &Path, len: usize) -> Vec<f32> {
    let bytes = std::fs::read(path).expect("a readable file");
    assert_eq!(
        bytes.len(),
        len * 4,
        "{} holds {} bytes, expected {}",
        path.display(),
        bytes.len(),
        len * 4
    );
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let num = |i: usize| -> usize { args[i].parse().expect("a number") };
    let usage = "usage: similarity_files write DIR N DIM QUERIES | time DIR N DIM QUERIES ROUNDS";
    assert!(args.len() >= 6, "{usage}");
    let dir = Path::new(&args[2]);
    let (n, dim, nq) = (num(3), num(4), num(5));
    match args[1].as_str() {
        "write" => {
            write_f32(&dir.join("x.f32"), &synthetic_embeddings(n, dim, 42));
            write_f32(&dir.join("q.f32"), &synthetic_queries(nq, dim, 42));
        }
        "time" => {
            let rounds = num(6);
            let data = read_f32(&dir.join("x.f32"), n * dim);
            let queries = read_f32(&dir.join("q.f32"), nq * dim);
            let mut best = Vec::with_capacity(nq);
            let mut tops = Vec::with_capacity(nq);
            for q in queries.chunks_exact(dim) {
                let mut fastest = f64::INFINITY;
                let mut top = Vec::new();
                for _ in 0..rounds {
                    let t = Instant::now();
                    top = scan::top_k(&data, dim, q, 10, |_| true);
                    fastest = fastest.min(t.elapsed().as_secs_f64());
                }
                best.push(fastest);
                tops.push(top);
            }
            let mut sorted = best.clone();
            sorted.sort_by(f64::total_cmp);
            let ids: Vec<String> = tops
                .iter()
                .map(|t| {
                    format!(
                        "[{}]",
                        t.iter()
                            .map(|(r, _)| r.to_string())
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                })
                .collect();
            let scores: Vec<String> = tops
                .iter()
                .map(|t| {
                    format!(
                        "[{}]",
                        t.iter()
                            .map(|(_, s)| format!("{s:?}"))
                            .collect::<Vec<_>>()
                            .join(",")
                    )
                })
                .collect();
            println!(
                "{{\"threads\":{},\"avx2\":{},\"fastest_s\":{:?},\"median_s\":{:?},\"ids\":[{}],\"scores\":[{}]}}",
                rayon::current_num_threads(),
                scan::uses_avx2(),
                sorted[0],
                sorted[sorted.len() / 2],
                ids.join(","),
                scores.join(",")
            );
        }
        _ => panic!("{usage}"),
    }
}

//! The similarity kernels (`embedding::scan`, `embedding::quantized`)
//! against brute force: the AVX2 and portable builds of `dot` agree bit for
//! bit, `top_k` returns exactly what computing every dot and sorting does
//! (ties by lower row), on any number of threads, and the 8-bit store
//! quantises as documented and re-ranks exactly.

mod common;

use agent_mira::embedding::quantized::{self, QuantizedStore};
use agent_mira::embedding::scan::{self, dot, dot_portable, top_k, top_k_ranked, BLOCK_ROWS};
use agent_mira::{Catalog, Property, RecordRef};

/// A small deterministic generator (splitmix64), so the tests need no
/// random crate and fail the same way every time.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [-1, 1).
    fn unit(&mut self) -> f32 {
        ((self.next() >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    }
}

/// `n` rows of `dim` numbers, each row scaled to unit length (norm in f64).
fn unit_rows(rng: &mut Rng, n: usize, dim: usize) -> Vec<f32> {
    let mut data = Vec::with_capacity(n * dim);
    for _ in 0..n {
        let row: Vec<f32> = (0..dim).map(|_| rng.unit()).collect();
        let norm = row
            .iter()
            .map(|&x| f64::from(x).powi(2))
            .sum::<f64>()
            .sqrt();
        data.extend(row.iter().map(|&x| (f64::from(x) / norm) as f32));
    }
    data
}

/// Brute force: every accepted row's `dot`, sorted by score descending
/// then row ascending, the first `k`.
fn brute_force(
    data: &[f32],
    dim: usize,
    query: &[f32],
    k: usize,
    accept: impl Fn(usize) -> bool,
) -> Vec<(usize, f64)> {
    let mut all: Vec<(usize, f64)> = data
        .chunks_exact(dim)
        .enumerate()
        .filter(|&(r, _)| accept(r))
        .map(|(r, row)| (r, dot_portable(row, query)))
        .collect();
    all.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then(a.0.cmp(&b.0)));
    all.truncate(k);
    all
}

fn bits(v: &[(usize, f64)]) -> Vec<(usize, u64)> {
    v.iter().map(|&(r, s)| (r, s.to_bits())).collect()
}

#[test]
fn avx2_and_portable_dot_are_bit_identical() {
    // On a CPU without AVX2+FMA both calls run the portable build and this
    // checks nothing new; the machines here have both.
    eprintln!("AVX2+FMA build in use: {}", scan::uses_avx2());
    let mut rng = Rng(7);
    let dims: Vec<usize> = (1..=17)
        .chain([
            23, 31, 33, 63, 64, 65, 127, 383, 384, 385, 768, 1536, 4095, 4096,
        ])
        .collect();
    for &dim in &dims {
        for _ in 0..50 {
            let a: Vec<f32> = (0..dim).map(|_| rng.unit() * 3.0).collect();
            let b: Vec<f32> = (0..dim).map(|_| rng.unit() * 1e-3).collect();
            assert_eq!(
                dot(&a, &b).to_bits(),
                dot_portable(&a, &b).to_bits(),
                "dim {dim}"
            );
        }
        let a = unit_rows(&mut rng, 1, dim);
        let b = unit_rows(&mut rng, 1, dim);
        assert_eq!(dot(&a, &b).to_bits(), dot_portable(&a, &b).to_bits());
        // Symmetric (each product is exact, the order of lanes fixed).
        assert_eq!(dot(&a, &b).to_bits(), dot(&b, &a).to_bits());
    }
}

#[test]
fn dot_follows_the_documented_lane_order() {
    // Exact small cases.
    assert_eq!(dot(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]), 32.0);
    assert_eq!(dot(&[], &[]), 0.0);
    assert_eq!(
        dot(&[0.6, 0.8], &[0.6, 0.8]),
        0.6f32 as f64 * 0.6f32 as f64 + 0.8f32 as f64 * 0.8f32 as f64
    );
    // Elements 1 and 9 share lane 1, so they meet before lane 0's 1.0:
    // 2^-53 + 2^-53 = 2^-52, and 1 + 2^-52 is representable. Summed left
    // to right instead, each 2^-53 would vanish into 1.0 (a tie, rounded
    // to even) and the result would be exactly 1.
    let tiny = 2f32.powi(-53);
    let mut a = vec![0.0f32; 10];
    a[0] = 1.0;
    a[1] = tiny;
    a[9] = tiny;
    let ones = vec![1.0f32; 10];
    let sequential: f64 = a.iter().map(|&x| f64::from(x)).sum();
    assert_eq!(sequential, 1.0);
    assert_eq!(dot(&a, &ones), 1.0 + 2f64.powi(-52));
    assert_eq!(dot_portable(&a, &ones), 1.0 + 2f64.powi(-52));
    // The tree adds (s0 + s1) + (s2 + s3) before the upper lanes: with
    // s4 = 2^-53 and s5 = 2^-53 they form 2^-52 first and survive, where
    // adding them one at a time to 1.0 would not.
    let mut c = vec![0.0f32; 8];
    c[0] = 1.0;
    c[4] = tiny;
    c[5] = tiny;
    assert_eq!(dot(&c, &ones[..8]), 1.0 + 2f64.powi(-52));
}

#[test]
#[should_panic(expected = "dot of vectors of different lengths (3 and 2)")]
fn dot_refuses_vectors_of_different_lengths() {
    dot(&[1.0, 2.0, 3.0], &[1.0, 2.0]);
}

#[test]
fn top_k_is_brute_force_exactly() {
    let mut rng = Rng(11);
    for &(n, dim) in &[
        (1usize, 3usize),
        (17, 5),
        (3 * BLOCK_ROWS + 77, 17),
        (2 * BLOCK_ROWS + 5, 384),
    ] {
        let data = unit_rows(&mut rng, n, dim);
        for q in 0..3 {
            // A query that is a row, and one that is not.
            let query = if q == 0 {
                data[(n / 2) * dim..(n / 2 + 1) * dim].to_vec()
            } else {
                unit_rows(&mut rng, 1, dim)
            };
            for &k in &[0usize, 1, 10, 100, n + 5] {
                let all = top_k(&data, dim, &query, k, |_| true);
                assert_eq!(
                    bits(&all),
                    bits(&brute_force(&data, dim, &query, k, |_| true))
                );
                assert_eq!(all.len(), k.min(n));
                let odd = |r: usize| r % 3 != 1;
                assert_eq!(
                    bits(&top_k(&data, dim, &query, k, odd)),
                    bits(&brute_force(&data, dim, &query, k, odd)),
                    "n {n} dim {dim} k {k}"
                );
            }
            if q == 0 {
                // The query row itself is first, with similarity 1 up to rounding.
                let best = top_k(&data, dim, &query, 1, |_| true)[0];
                assert_eq!(best.0, n / 2);
                assert!((best.1 - 1.0).abs() < 1e-6, "{}", best.1);
            }
        }
    }
}

#[test]
fn top_k_breaks_ties_by_lower_row_and_skips_unaccepted_rows() {
    // Rows 0..6: the same two vectors alternating, so every score is one of two.
    let a = [0.6f32, 0.8, 0.0];
    let b = [0.0f32, 0.6, 0.8];
    let data: Vec<f32> = (0..6)
        .flat_map(|r| if r % 2 == 0 { a } else { b })
        .collect();
    let got = top_k(&data, 3, &a, 4, |_| true);
    let rows: Vec<usize> = got.iter().map(|&(r, _)| r).collect();
    assert_eq!(rows, vec![0, 2, 4, 1]);
    assert_eq!(got[0].1, dot(&a, &a));
    assert_eq!(got[3].1, dot(&b, &a));
    let got = top_k(&data, 3, &a, 3, |r| r != 2);
    assert_eq!(
        got.iter().map(|&(r, _)| r).collect::<Vec<_>>(),
        vec![0, 4, 1]
    );
    // Nothing accepted, nothing returned.
    assert!(top_k(&data, 3, &a, 3, |_| false).is_empty());
    // An empty matrix of dimension 0.
    assert!(top_k(&[], 0, &[], 3, |_| true).is_empty());
}

#[test]
fn top_k_gives_the_same_answer_on_one_thread_and_on_many() {
    let mut rng = Rng(5);
    let (n, dim) = (5 * BLOCK_ROWS + 3, 24);
    let mut data = unit_rows(&mut rng, n, dim);
    // Duplicates across blocks, so merging must break ties by row.
    let copy = data[..dim].to_vec();
    for r in [BLOCK_ROWS + 1, 3 * BLOCK_ROWS, n - 1] {
        data[r * dim..(r + 1) * dim].copy_from_slice(&copy);
    }
    let query = copy.clone();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| top_k(&data, dim, &query, 7, |_| true))
    };
    let one = run(1);
    assert_eq!(bits(&one), bits(&run(4)));
    assert_eq!(
        bits(&one),
        bits(&brute_force(&data, dim, &query, 7, |_| true))
    );
    assert_eq!(
        one[..4].iter().map(|&(r, _)| r).collect::<Vec<_>>(),
        vec![0, BLOCK_ROWS + 1, 3 * BLOCK_ROWS, n - 1]
    );
}

#[test]
#[should_panic(expected = "the query has 2 numbers, the rows 3")]
fn top_k_refuses_a_query_of_another_dimension() {
    top_k(&[1.0, 0.0, 0.0], 3, &[1.0, 0.0], 1, |_| true);
}

#[test]
#[should_panic(expected = "a matrix of 4 numbers is not made of rows of 3")]
fn top_k_refuses_a_ragged_matrix() {
    top_k(&[1.0, 0.0, 0.0, 1.0], 3, &[1.0, 0.0, 0.0], 1, |_| true);
}

#[test]
fn quantize_is_per_row_symmetric_with_an_f32_scale() {
    let (codes, scale) = quantized::quantize(&[0.5, -1.0, 0.25, 0.0]);
    assert_eq!(scale, 1.0 / 127.0);
    // 0.5 × 127 = 63.5 rounds away from zero; 0.25 × 127 = 31.75.
    assert_eq!(codes, vec![64, -127, 32, 0]);
    let (codes, scale) = quantized::quantize(&[0.0, 0.0]);
    assert_eq!((codes, scale), (vec![0, 0], 0.0));

    let data = [0.5f32, -1.0, 0.25, 0.0, 0.0, 0.0, 0.0, 2.0];
    let store = QuantizedStore::from(&data, 4);
    assert_eq!((store.len(), store.dim()), (2, 4));
    assert_eq!(store.bytes_per_row(), 8);
    assert_eq!(store.bytes(), 16);
    assert_eq!(store.row(0), (&[64i8, -127, 32, 0][..], 1.0 / 127.0));
    assert_eq!(store.row(1), (&[0i8, 0, 0, 127][..], 2.0 / 127.0));
    // 384 dimensions: 388 bytes a row against 1 536 in f32.
    assert_eq!(QuantizedStore::from(&vec![0.1; 384], 384).bytes(), 388);
}

#[test]
fn avx2_and_portable_integer_dots_agree() {
    let mut rng = Rng(3);
    for dim in (1..=40).chain([383, 384, 4096]) {
        let a: Vec<i8> = (0..dim).map(|_| (rng.next() % 255) as i16 as i8).collect();
        let a: Vec<i8> = a.iter().map(|&c| c.max(-127)).collect();
        let q: Vec<i16> = (0..dim).map(|_| (rng.next() % 255) as i16 - 127).collect();
        assert_eq!(
            quantized::idot(&a, &q),
            quantized::idot_portable(&a, &q),
            "dim {dim}"
        );
    }
    // The extreme: every product 127 × 127 (or −127 × −127) at 4 096 dimensions.
    let a = vec![-127i8; 4096];
    let q = vec![-127i16; 4096];
    assert_eq!(quantized::idot(&a, &q), 4096 * 127 * 127);
}

#[test]
fn quantized_top_k_returns_exact_scores_and_finds_everything_with_enough_oversampling() {
    let mut rng = Rng(19);
    let (n, dim) = (2 * BLOCK_ROWS + 9, 48);
    let data = unit_rows(&mut rng, n, dim);
    let store = QuantizedStore::from(&data, dim);
    let query = unit_rows(&mut rng, 1, dim);
    let accept = |r: usize| !r.is_multiple_of(5);
    let exact = top_k(&data, dim, &query, 10, accept);
    // Oversampling to every row: the re-rank sees every accepted row.
    let all = store.top_k(&data, &query, 10, n, accept);
    assert_eq!(bits(&all), bits(&exact));
    // Any oversampling: scores are the exact dots of the rows returned,
    // best first, and the rows come from the accepted ones.
    let some = store.top_k(&data, &query, 10, 2, accept);
    assert_eq!(some.len(), 10);
    for w in some.windows(2) {
        assert!(w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0));
    }
    for &(r, s) in &some {
        assert!(accept(r));
        assert_eq!(
            s.to_bits(),
            dot(&data[r * dim..(r + 1) * dim], &query).to_bits()
        );
    }
    // The candidates are ranked by the documented approximate similarity.
    let cands = store.candidates(&query, 5, |_| true);
    let (qc, qs) = quantized::quantize(&query);
    let q16: Vec<i16> = qc.iter().map(|&c| i16::from(c)).collect();
    let mut approx: Vec<(usize, f64)> = (0..n)
        .map(|r| {
            let (codes, scale) = store.row(r);
            let d = quantized::idot_portable(codes, &q16);
            (r, f64::from(d) * f64::from(scale) * f64::from(qs))
        })
        .collect();
    approx.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then(a.0.cmp(&b.0)));
    approx.truncate(5);
    assert_eq!(bits(&cands), bits(&approx));
}

#[test]
fn quantized_recall_at_10_on_clustered_vectors() {
    // Vectors around 64 centres (as embeddings of listings cluster), the
    // queries perturbed rows: with oversample 4 the 8-bit candidates hold
    // the exact top 10 nearly always (the benches measure it at scale).
    let mut rng = Rng(23);
    let (n, dim, centres) = (8_000, 64, 64);
    let c = unit_rows(&mut rng, centres, dim);
    let mut data = Vec::with_capacity(n * dim);
    for r in 0..n {
        let centre = &c[(r % centres) * dim..(r % centres + 1) * dim];
        let row: Vec<f32> = centre.iter().map(|&x| x + 0.3 * rng.unit()).collect();
        let norm = row
            .iter()
            .map(|&x| f64::from(x).powi(2))
            .sum::<f64>()
            .sqrt();
        data.extend(row.iter().map(|&x| (f64::from(x) / norm) as f32));
    }
    let store = QuantizedStore::from(&data, dim);
    let (mut found, mut total) = (0, 0);
    for qi in 0..20 {
        let r = qi * 397 % n;
        let query: Vec<f32> = data[r * dim..(r + 1) * dim]
            .iter()
            .map(|&x| x + 0.05 * rng.unit())
            .collect();
        let exact = top_k(&data, dim, &query, 10, |_| true);
        let approx = store.top_k(&data, &query, 10, 4, |_| true);
        total += exact.len();
        found += exact
            .iter()
            .filter(|e| approx.iter().any(|a| a.0 == e.0))
            .count();
    }
    let recall = found as f64 / total as f64;
    assert!(recall >= 0.95, "recall@10 {recall}");
}

#[test]
fn top_k_over_a_catalogs_embeddings_skips_listings_without_a_vector() {
    // The hand-written sample listings, each given a vector of 6 numbers
    // except every fourth (its similarity is unknown).
    let text = std::fs::read_to_string(common::fixtures().join("listings/sample.json")).unwrap();
    let values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut rng = Rng(29);
    let mut b = Catalog::builder().current_year(2025);
    for (i, mut v) in values.into_iter().enumerate() {
        if i % 4 != 3 {
            let vector: Vec<f32> = (0..6).map(|_| rng.unit()).collect();
            v["embedding"] = serde_json::json!(vector);
        }
        b.push(Property::from_json(v, &RecordRef::Index(i), 2025).unwrap())
            .unwrap();
    }
    let catalog = b.build();
    let emb = catalog.embeddings();
    assert_eq!(emb.dim(), 6);
    assert!(emb.count() >= 3 && emb.count() < emb.len());
    let query = catalog.embedding(0).unwrap().to_vec();
    let got = top_k(emb.data(), emb.dim(), &query, emb.len(), |r| emb.present(r));
    assert_eq!(got.len(), emb.count());
    assert_eq!(got[0].0, 0);
    assert!((got[0].1 - 1.0).abs() < 1e-6);
    let mut brute: Vec<(usize, f64)> = (0..emb.len())
        .filter_map(|r| catalog.embedding(r).map(|v| (r, dot_portable(v, &query))))
        .collect();
    brute.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then(a.0.cmp(&b.0)));
    assert_eq!(bits(&got), bits(&brute));
    assert!(got.iter().all(|&(r, _)| r % 4 != 3));
}

#[test]
fn top_k_ranked_breaks_ties_by_the_callers_order_even_at_the_cut() {
    let a = [0.6f32, 0.8, 0.0];
    let b = [0.0f32, 0.6, 0.8];
    let data: Vec<f32> = (0..6)
        .flat_map(|r| if r % 2 == 0 { a } else { b })
        .collect();
    // Rows 0, 2 and 4 tie; in the caller's order (rank 100 − row) row 4
    // comes first: a re-sort of `top_k`'s rows 0 and 2 would miss it.
    let got = top_k_ranked(&data, 3, &a, 2, |_| true, |r| 100 - r);
    assert_eq!(got.iter().map(|&(r, _)| r).collect::<Vec<_>>(), vec![4, 2]);
    assert_eq!(
        top_k(&data, 3, &a, 2, |_| true)
            .iter()
            .map(|&(r, _)| r)
            .collect::<Vec<_>>(),
        vec![0, 2]
    );

    // Against brute force with a scrambled order, many ties across blocks,
    // on one thread and on four.
    let mut rng = Rng(31);
    let (n, dim) = (4 * BLOCK_ROWS + 11, 16);
    let distinct = unit_rows(&mut rng, 40, dim);
    let data: Vec<f32> = (0..n)
        .flat_map(|r| distinct[(r * 7 % 40) * dim..][..dim].to_vec())
        .collect();
    let rank = |r: usize| (r * 2_654_435_761) % 1_000_003;
    let query = unit_rows(&mut rng, 1, dim);
    let accept = |r: usize| r % 9 != 4;
    let mut brute: Vec<(usize, f64)> = (0..n)
        .filter(|&r| accept(r))
        .map(|r| (r, dot_portable(&data[r * dim..][..dim], &query)))
        .collect();
    brute.sort_by(|x, y| {
        y.1.partial_cmp(&x.1)
            .unwrap()
            .then(rank(x.0).cmp(&rank(y.0)))
            .then(x.0.cmp(&y.0))
    });
    for k in [1usize, 5, 150, 1000] {
        let want = bits(&brute[..k.min(brute.len())]);
        for threads in [1, 4] {
            let got = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| top_k_ranked(&data, dim, &query, k, accept, rank));
            assert_eq!(bits(&got), want, "k {k} threads {threads}");
        }
    }
}

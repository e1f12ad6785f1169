//! The exact similarity kernel: [`dot`], the one definition of the
//! similarity of two unit vectors in this crate, and [`top_k`], the `k`
//! rows of a row-major matrix most similar to a query.
//!
//! # The lane order of [`dot`]
//!
//! Each product `a[i] × b[i]` is computed in `f64` (both converted from
//! `f32`: exact, and so is their product, 24 + 24 significant bits fitting
//! in `f64`'s 53) and added to one of [`LANES`] = 8 partial sums, lane
//! `i % 8`, in increasing `i` — the tail of a dimension that is not a
//! multiple of 8 included, to the lane `i % 8` as well. The eight lanes are
//! then summed pairwise in a fixed tree:
//!
//! ```text
//! ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
//! ```
//!
//! Every path that needs a similarity — the full scan, the screened and
//! pruned scans, `similar`, the 8-bit store's re-ranking and the
//! brute-force references in tests — is to call [`dot`] (or [`top_k`],
//! whose row kernel is the same arithmetic), so that they all get the same
//! bits.
//!
//! # Two builds, one result
//!
//! On x86-64 CPUs with AVX2 and FMA (checked at run time, as the block
//! scorer does) the lanes are two 4-wide `f64` registers and each step is
//! a fused multiply-add. Because the `f64` product of two `f32` values is
//! exact, the fused `acc + a × b` (one rounding) equals the portable
//! `acc + (a × b)` (the product rounds to itself, then one rounding of the
//! sum): the two builds give identical bits, which the tests check on
//! random data of many dimensions.
//!
//! # Cost
//!
//! [`top_k`] reads each accepted row once (`4 × dim` bytes) and does
//! `dim` multiply-adds on it; the query is converted to `f64` once per
//! call. Rows are scanned in blocks of [`BLOCK_ROWS`] on rayon's pool
//! (the current one: install a pool to choose the threads), each task
//! keeping its own top `k` in a heap of at most `k` entries, merged at the
//! end: no allocation per row.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use rayon::prelude::*;

/// Number of `f64` partial sums of [`dot`]: element `i` goes to lane `i % 8`.
pub const LANES: usize = 8;

/// Rows one parallel task of [`top_k`] scans (the last block may be shorter).
pub const BLOCK_ROWS: usize = 1024;

/// The similarity of two vectors: their dot product, accumulated in `f64`
/// in the fixed lane order described in the [module docs](self). For unit
/// vectors it is their cosine.
///
/// Uses the AVX2+FMA build when the CPU has it; the result is bit for bit
/// the one of [`dot_portable`].
///
/// # Panics
/// If `a` and `b` differ in length.
pub fn dot(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(
        a.len(),
        b.len(),
        "dot of vectors of different lengths ({} and {})",
        a.len(),
        b.len()
    );
    #[cfg(target_arch = "x86_64")]
    if has_avx2_fma() {
        // SAFETY: the CPU has AVX2 and FMA, checked just above; the
        // lengths are equal, checked above.
        return finish(unsafe { avx2::lanes_ff(a, b) });
    }
    finish(portable_lanes(a, b.len(), |i| f64::from(b[i])))
}

/// [`dot`] in its portable build (plain Rust, no SIMD intrinsics), always
/// available: the reference the AVX2 build is tested against.
///
/// # Panics
/// If `a` and `b` differ in length.
pub fn dot_portable(a: &[f32], b: &[f32]) -> f64 {
    assert_eq!(
        a.len(),
        b.len(),
        "dot of vectors of different lengths ({} and {})",
        a.len(),
        b.len()
    );
    finish(portable_lanes(a, b.len(), |i| f64::from(b[i])))
}

/// Whether this CPU runs the AVX2+FMA build of the kernels (x86-64 with
/// both features, detected at run time). Either way the results are the same.
pub fn uses_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        has_avx2_fma()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(target_arch = "x86_64")]
fn has_avx2_fma() -> bool {
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// The eight lane sums of `a · b` where `b(i)` gives `b[i]` in `f64`.
#[inline(always)]
fn portable_lanes(a: &[f32], n: usize, b: impl Fn(usize) -> f64) -> [f64; LANES] {
    debug_assert_eq!(a.len(), n);
    let mut s = [0.0f64; LANES];
    let full = n / LANES * LANES;
    for (c, chunk) in a[..full].chunks_exact(LANES).enumerate() {
        for (j, (lane, &x)) in s.iter_mut().zip(chunk).enumerate() {
            *lane += f64::from(x) * b(c * LANES + j);
        }
    }
    for (i, &x) in a.iter().enumerate().skip(full) {
        s[i % LANES] += f64::from(x) * b(i);
    }
    s
}

/// The fixed summation tree of the lanes.
#[inline(always)]
fn finish(s: [f64; LANES]) -> f64 {
    ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
}

/// `dot(row, query)` with the query already converted to `f64` (the
/// conversion is exact, so the result is [`dot`]'s).
#[inline(always)]
fn row_dot(avx2: bool, row: &[f32], q: &[f64]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        // SAFETY: `avx2` is true only when the CPU has AVX2 and FMA
        // (`top_k` sets it from `has_avx2_fma`); the lengths are equal
        // (rows are `dim` long, the query is checked against `dim`).
        return finish(unsafe { avx2::lanes_fd(row, q) });
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = avx2;
    finish(portable_lanes(row, q.len(), |i| q[i]))
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    //! The AVX2+FMA lane kernels: lanes 0–3 in one register, 4–7 in the
    //! other, the tail added by scalar code to lane `i % 8` in order.
    use super::LANES;
    use std::arch::x86_64::*;

    /// Lane sums of `a · b`, both `f32`.
    ///
    /// # Safety
    /// Only on a CPU with AVX2 and FMA; `a.len() == b.len()`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn lanes_ff(a: &[f32], b: &[f32]) -> [f64; LANES] {
        let n = a.len();
        let full = n / LANES * LANES;
        let (pa, pb) = (a.as_ptr(), b.as_ptr());
        let mut lo = _mm256_setzero_pd();
        let mut hi = _mm256_setzero_pd();
        let mut i = 0;
        while i < full {
            // SAFETY: i + 8 <= full <= n for both slices.
            unsafe {
                let alo = _mm256_cvtps_pd(_mm_loadu_ps(pa.add(i)));
                let ahi = _mm256_cvtps_pd(_mm_loadu_ps(pa.add(i + 4)));
                let blo = _mm256_cvtps_pd(_mm_loadu_ps(pb.add(i)));
                let bhi = _mm256_cvtps_pd(_mm_loadu_ps(pb.add(i + 4)));
                lo = _mm256_fmadd_pd(alo, blo, lo);
                hi = _mm256_fmadd_pd(ahi, bhi, hi);
            }
            i += LANES;
        }
        let mut s = [0.0f64; LANES];
        // SAFETY: `s` holds 8 f64.
        unsafe {
            _mm256_storeu_pd(s.as_mut_ptr(), lo);
            _mm256_storeu_pd(s.as_mut_ptr().add(4), hi);
        }
        for j in full..n {
            s[j % LANES] += f64::from(a[j]) * f64::from(b[j]);
        }
        s
    }

    /// Lane sums of `a · q`, `q` already in `f64`.
    ///
    /// # Safety
    /// Only on a CPU with AVX2 and FMA; `a.len() == q.len()`.
    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn lanes_fd(a: &[f32], q: &[f64]) -> [f64; LANES] {
        let n = a.len();
        let full = n / LANES * LANES;
        let (pa, pq) = (a.as_ptr(), q.as_ptr());
        let mut lo = _mm256_setzero_pd();
        let mut hi = _mm256_setzero_pd();
        let mut i = 0;
        while i < full {
            // SAFETY: i + 8 <= full <= n for both slices.
            unsafe {
                let alo = _mm256_cvtps_pd(_mm_loadu_ps(pa.add(i)));
                let ahi = _mm256_cvtps_pd(_mm_loadu_ps(pa.add(i + 4)));
                lo = _mm256_fmadd_pd(alo, _mm256_loadu_pd(pq.add(i)), lo);
                hi = _mm256_fmadd_pd(ahi, _mm256_loadu_pd(pq.add(i + 4)), hi);
            }
            i += LANES;
        }
        let mut s = [0.0f64; LANES];
        // SAFETY: `s` holds 8 f64.
        unsafe {
            _mm256_storeu_pd(s.as_mut_ptr(), lo);
            _mm256_storeu_pd(s.as_mut_ptr().add(4), hi);
        }
        for j in full..n {
            s[j % LANES] += f64::from(a[j]) * q[j];
        }
        s
    }
}

/// One candidate: its row, score and tie-break rank. Ordered worst first
/// (`a > b` when `a` ranks after `b`), so a max-heap of hits has the worst
/// kept one on top.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub(crate) score: f64,
    pub(crate) tie: usize,
    pub(crate) row: usize,
}

impl Ord for Hit {
    fn cmp(&self, other: &Self) -> Ordering {
        // Higher score first, then lower tie-break rank, then lower row.
        // Scores are never NaN here (NaN rows are skipped), and −0 equals +0.
        other
            .score
            .partial_cmp(&self.score)
            .unwrap_or(Ordering::Equal)
            .then(self.tie.cmp(&other.tie))
            .then(self.row.cmp(&other.row))
    }
}

impl PartialOrd for Hit {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Hit {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Hit {}

/// The best `k` hits seen so far (a bounded max-heap, worst on top).
#[derive(Debug)]
pub(crate) struct TopK {
    k: usize,
    heap: BinaryHeap<Hit>,
}

impl TopK {
    /// An empty top `k`; `hint` bounds the capacity reserved up front.
    pub(crate) fn new(k: usize, hint: usize) -> Self {
        TopK {
            k,
            heap: BinaryHeap::with_capacity(k.min(hint)),
        }
    }

    /// Offers one hit whose tie-break rank is its row (a NaN score is
    /// ignored).
    #[inline]
    pub(crate) fn push(&mut self, row: usize, score: f64) {
        self.push_ranked(row, score, || row);
    }

    /// Offers one hit with the tie-break rank `tie()`, asked only when the
    /// score could enter the top (a NaN score is ignored).
    #[inline]
    pub(crate) fn push_ranked(&mut self, row: usize, score: f64, tie: impl FnOnce() -> usize) {
        if score.is_nan() || self.k == 0 {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Hit {
                score,
                tie: tie(),
                row,
            });
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if score >= worst.score {
                let hit = Hit {
                    score,
                    tie: tie(),
                    row,
                };
                if hit < *worst {
                    *worst = hit;
                }
            }
        }
    }

    /// Both tops merged into one.
    pub(crate) fn merge(mut self, other: TopK) -> TopK {
        for hit in other.heap {
            self.push_ranked(hit.row, hit.score, || hit.tie);
        }
        self
    }

    /// The hits, best first: higher score, then lower row.
    pub(crate) fn into_sorted(self) -> Vec<(usize, f64)> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|h| (h.row, h.score))
            .collect()
    }
}

/// The `k` rows of `data` (row-major, `dim` numbers a row) most similar to
/// `query` by [`dot`], among the rows `r` with `accept(r)`: `(row, dot)`
/// pairs, best first — higher similarity first, equal similarities by lower
/// row first. Rows not accepted are not read. A row whose dot is NaN is
/// never returned (validated catalogs have none). Fewer than `k` pairs
/// when fewer rows are accepted.
///
/// Exact: the same pairs as computing [`dot`] for every accepted row and
/// sorting (the tests compare them). Runs on the current rayon pool in
/// blocks of [`BLOCK_ROWS`] rows.
///
/// A caller that breaks ties by another order (the engine: by listing id)
/// must not re-sort this answer — a row tied with the `k`-th but left out
/// for its higher row number may come first in the other order. It calls
/// [`top_k_ranked`] with that order instead.
///
/// # Panics
/// If `dim` is 0 while `data` is not empty, if `data.len()` is not a
/// multiple of `dim`, or if `query.len() != dim`.
pub fn top_k(
    data: &[f32],
    dim: usize,
    query: &[f32],
    k: usize,
    accept: impl Fn(usize) -> bool + Sync,
) -> Vec<(usize, f64)> {
    top_k_ranked(data, dim, query, k, accept, |r| r)
}

/// [`top_k`] with equal similarities broken by lower `rank(row)` first (then
/// by lower row, should two ranks be equal): for a caller whose order of
/// ties is not the row order, e.g. the position of the row's listing in id
/// order. `rank` is asked only for rows whose similarity could enter the
/// top `k`. Exact in the same way: the first `k` of every accepted row
/// sorted by (similarity descending, rank, row).
///
/// # Panics
/// As [`top_k`].
pub fn top_k_ranked(
    data: &[f32],
    dim: usize,
    query: &[f32],
    k: usize,
    accept: impl Fn(usize) -> bool + Sync,
    rank: impl Fn(usize) -> usize + Sync,
) -> Vec<(usize, f64)> {
    top_k_scored(data, dim, query, k, accept, rank, |dot| dot)
}

/// [`top_k_ranked`] ordering rows by `score(dot)` rather than by the dot
/// itself (then by `rank(row)`, then by row), and returning `(row,
/// score(dot))`: for a caller whose scores map several dots to one value
/// (the engine's `100 × max(0, cos)`), so that rows equal in score are
/// ordered by `rank` as a sort of every score would order them. Exact in
/// the same way; a NaN score is never returned.
pub(crate) fn top_k_scored(
    data: &[f32],
    dim: usize,
    query: &[f32],
    k: usize,
    accept: impl Fn(usize) -> bool + Sync,
    rank: impl Fn(usize) -> usize + Sync,
    score: impl Fn(f64) -> f64 + Sync,
) -> Vec<(usize, f64)> {
    check_shape(data, dim, query.len());
    if k == 0 || data.is_empty() {
        return Vec::new();
    }
    let rows = data.len() / dim;
    let q: Vec<f64> = query.iter().map(|&x| f64::from(x)).collect();
    #[cfg(target_arch = "x86_64")]
    let avx2 = has_avx2_fma();
    #[cfg(not(target_arch = "x86_64"))]
    let avx2 = false;
    data.par_chunks(BLOCK_ROWS * dim)
        .enumerate()
        .fold(
            || TopK::new(k, rows),
            |mut top, (block, chunk)| {
                let start = block * BLOCK_ROWS;
                for (i, row) in chunk.chunks_exact(dim).enumerate() {
                    let r = start + i;
                    if accept(r) {
                        top.push_ranked(r, score(row_dot(avx2, row, &q)), || rank(r));
                    }
                }
                top
            },
        )
        .reduce(|| TopK::new(k, 0), TopK::merge)
        .into_sorted()
}

/// The shape checks shared by the kernels.
pub(crate) fn check_shape<T>(data: &[T], dim: usize, query_len: usize) {
    assert!(
        dim > 0 || data.is_empty(),
        "a matrix of {} numbers needs a dimension > 0",
        data.len()
    );
    assert!(
        dim == 0 || data.len().is_multiple_of(dim),
        "a matrix of {} numbers is not made of rows of {dim}",
        data.len()
    );
    assert_eq!(
        query_len, dim,
        "the query has {query_len} numbers, the rows {dim}"
    );
}

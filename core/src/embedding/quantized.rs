//! Optional 8-bit storage of the vectors, for 4× less memory read by a
//! scan: candidates by an integer dot product, then an exact re-rank.
//!
//! # Quantisation
//!
//! Each row is stored as `dim` signed bytes and one `f32` scale
//! (symmetric, per row): `scale = max |x_i| / 127` and
//! `code_i = round(x_i / scale)` (ties away from zero, within
//! `−127 ..= 127`); a row of zeros has scale 0 and zero codes. The query is
//! quantised the same way. A row's approximate similarity is
//! `Σ code_i × qcode_i` (exact in `i32`: at most `dim × 127²`, which fits
//! for `dim ≤` [`MAX_QUANTIZED_DIM`]) times both scales. Memory: `dim + 4`
//! bytes a row instead of `4 × dim` (388 instead of 1 536 at 384
//! dimensions: 3.96× less).
//!
//! # What is kept, and the re-rank
//!
//! [`QuantizedStore`] keeps only the codes and scales. [`QuantizedStore::top_k`]
//! takes the best `k × oversample` rows by the approximate similarity, then
//! computes their exact similarity with [`scan::dot`] on
//! the `f32` rows the **caller** keeps (passed as the `exact` matrix) and
//! returns the best `k` of those: the scores returned are exact, only the
//! choice of candidates is approximate. So the scan reads 4× fewer bytes;
//! the memory saved is the caller's to take (it can keep the `f32` rows
//! out of RAM, e.g. memory-mapped, since only `k × oversample` of them are
//! read a query). Recall@10 against the exact [`scan::top_k`]
//! is measured by `benches/examples/similarity_bound.rs` and reported in
//! `benches/README.md`; the store is opt-in.
//!
//! Both the integer dot's AVX2 build (`vpmaddwd`, checked at run time) and
//! the portable one are exact integer sums, so they agree.

use rayon::prelude::*;

use super::scan::{self, check_shape, TopK, BLOCK_ROWS};

/// Largest dimension whose integer dot cannot overflow `i32`
/// (`133 143 × 127² < 2³¹`).
pub const MAX_QUANTIZED_DIM: usize = 133_143;

/// Vectors stored as per-row symmetric 8-bit codes with an `f32` scale.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuantizedStore {
    dim: usize,
    codes: Vec<i8>,
    scales: Vec<f32>,
}

/// Codes and scale of one vector (see the [module docs](self)).
///
/// A vector of zeros (or one holding a NaN or an infinity, which a
/// validated catalog never has) gets scale 0 and zero codes.
pub fn quantize(x: &[f32]) -> (Vec<i8>, f32) {
    let mut codes = vec![0i8; x.len()];
    let scale = quantize_into(x, &mut codes);
    (codes, scale)
}

/// [`quantize`] into `codes` (of `x`'s length); returns the scale.
fn quantize_into(x: &[f32], codes: &mut [i8]) -> f32 {
    let max = x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    if max == 0.0 || !max.is_finite() {
        codes.fill(0);
        return 0.0;
    }
    let scale = max / 127.0;
    for (c, &v) in codes.iter_mut().zip(x) {
        // `as` saturates; the clamp only guards rounding at the ends.
        *c = (v / scale).round().clamp(-127.0, 127.0) as i8;
    }
    scale
}

impl QuantizedStore {
    /// Quantises every row of `data` (row-major, `dim` numbers a row).
    ///
    /// # Panics
    /// If `dim` is 0 while `data` is not empty, if `data.len()` is not a
    /// multiple of `dim`, or if `dim > MAX_QUANTIZED_DIM`.
    pub fn from(data: &[f32], dim: usize) -> QuantizedStore {
        assert!(
            dim <= MAX_QUANTIZED_DIM,
            "8-bit storage takes at most {MAX_QUANTIZED_DIM} dimensions, not {dim}"
        );
        check_shape(data, dim, dim);
        if data.is_empty() {
            return QuantizedStore {
                dim,
                ..QuantizedStore::default()
            };
        }
        let rows = data.len() / dim;
        let mut codes = vec![0i8; data.len()];
        let mut scales = vec![0.0f32; rows];
        codes
            .par_chunks_mut(dim)
            .zip(scales.par_iter_mut())
            .zip(data.par_chunks(dim))
            .for_each(|((c, s), x)| *s = quantize_into(x, c));
        QuantizedStore { dim, codes, scales }
    }

    /// Numbers a row.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Rows stored.
    pub fn len(&self) -> usize {
        self.scales.len()
    }

    /// Whether no row is stored.
    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }

    /// Bytes a row takes: `dim` codes and a 4-byte scale.
    pub fn bytes_per_row(&self) -> usize {
        self.dim + 4
    }

    /// Bytes of codes and scales in all (not counting the `Vec` headers).
    pub fn bytes(&self) -> usize {
        self.codes.len() + 4 * self.scales.len()
    }

    /// Codes and scale of row `r`.
    ///
    /// # Panics
    /// If `r >= self.len()`.
    pub fn row(&self, r: usize) -> (&[i8], f32) {
        (
            &self.codes[r * self.dim..(r + 1) * self.dim],
            self.scales[r],
        )
    }

    /// The `m` rows with the highest approximate similarity to `query`
    /// among the rows `r` with `accept(r)`: `(row, approximate similarity)`,
    /// best first, equal ones by lower row first. Runs on the current rayon
    /// pool in blocks of [`BLOCK_ROWS`].
    ///
    /// # Panics
    /// If `query.len() != self.dim()`.
    pub fn candidates(
        &self,
        query: &[f32],
        m: usize,
        accept: impl Fn(usize) -> bool + Sync,
    ) -> Vec<(usize, f64)> {
        assert_eq!(
            query.len(),
            self.dim,
            "the query has {} numbers, the rows {}",
            query.len(),
            self.dim
        );
        if m == 0 || self.is_empty() {
            return Vec::new();
        }
        let (qcodes, qscale) = quantize(query);
        let q: Vec<i16> = qcodes.iter().map(|&c| i16::from(c)).collect();
        let qscale = f64::from(qscale);
        #[cfg(target_arch = "x86_64")]
        let avx2 = std::arch::is_x86_feature_detected!("avx2");
        #[cfg(not(target_arch = "x86_64"))]
        let avx2 = false;
        let dim = self.dim;
        self.codes
            .par_chunks(BLOCK_ROWS * dim)
            .enumerate()
            .fold(
                || TopK::new(m, self.len()),
                |mut top, (block, chunk)| {
                    let start = block * BLOCK_ROWS;
                    for (i, row) in chunk.chunks_exact(dim).enumerate() {
                        let r = start + i;
                        if accept(r) {
                            let d = idot_dispatch(avx2, row, &q);
                            top.push(r, f64::from(d) * f64::from(self.scales[r]) * qscale);
                        }
                    }
                    top
                },
            )
            .reduce(|| TopK::new(m, 0), TopK::merge)
            .into_sorted()
    }

    /// The `k` accepted rows most similar to `query`: the best
    /// `k × oversample` [candidates](Self::candidates) re-ranked by their
    /// exact [`dot`](scan::dot) with `query` on `exact` (the `f32` rows
    /// this store was made from, row-major), best first, equal ones by
    /// lower row first. The scores are exact; a row the candidates missed
    /// is missing (see recall in the module docs). An `oversample` of 0
    /// counts as 1.
    ///
    /// # Panics
    /// If `exact` does not hold `self.len()` rows of `self.dim()` numbers,
    /// or `query.len() != self.dim()`.
    pub fn top_k(
        &self,
        exact: &[f32],
        query: &[f32],
        k: usize,
        oversample: usize,
        accept: impl Fn(usize) -> bool + Sync,
    ) -> Vec<(usize, f64)> {
        assert_eq!(
            exact.len(),
            self.codes.len(),
            "the exact rows hold {} numbers, the 8-bit store {} rows of {}",
            exact.len(),
            self.len(),
            self.dim
        );
        let m = k.saturating_mul(oversample.max(1));
        let candidates = self.candidates(query, m, accept);
        let mut top = TopK::new(k, candidates.len());
        for (r, _) in candidates {
            top.push(
                r,
                scan::dot(&exact[r * self.dim..(r + 1) * self.dim], query),
            );
        }
        top.into_sorted()
    }
}

/// The integer dot of a row's codes with the query's (as `i16`), in its
/// portable build: the reference the AVX2 build is tested against.
///
/// # Panics
/// If the lengths differ.
pub fn idot_portable(a: &[i8], q: &[i16]) -> i32 {
    assert_eq!(a.len(), q.len(), "codes of different lengths");
    a.iter()
        .zip(q)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum()
}

/// The integer dot of a row's codes with the query's (as `i16`): AVX2
/// where the CPU has it, otherwise [`idot_portable`]; always the same sum.
///
/// # Panics
/// If the lengths differ.
pub fn idot(a: &[i8], q: &[i16]) -> i32 {
    assert_eq!(a.len(), q.len(), "codes of different lengths");
    #[cfg(target_arch = "x86_64")]
    let avx2 = std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    let avx2 = false;
    idot_dispatch(avx2, a, q)
}

#[inline(always)]
fn idot_dispatch(avx2: bool, a: &[i8], q: &[i16]) -> i32 {
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        // SAFETY: `avx2` is true only when the CPU has AVX2; the lengths
        // are equal (rows are `dim` long, the query too).
        return unsafe { idot_avx2(a, q) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = avx2;
    a.iter()
        .zip(q)
        .map(|(&x, &y)| i32::from(x) * i32::from(y))
        .sum()
}

/// # Safety
/// Only on a CPU with AVX2; `a.len() == q.len()`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn idot_avx2(a: &[i8], q: &[i16]) -> i32 {
    use std::arch::x86_64::*;
    let n = a.len();
    let full = n / 16 * 16;
    let mut acc = _mm256_setzero_si256();
    let mut i = 0;
    while i < full {
        // SAFETY: i + 16 <= full <= n for both slices.
        unsafe {
            let x = _mm256_cvtepi8_epi16(_mm_loadu_si128(a.as_ptr().add(i).cast()));
            let y = _mm256_loadu_si256(q.as_ptr().add(i).cast());
            acc = _mm256_add_epi32(acc, _mm256_madd_epi16(x, y));
        }
        i += 16;
    }
    let mut lanes = [0i32; 8];
    // SAFETY: `lanes` holds 8 i32.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), acc) };
    let mut sum: i32 = lanes.iter().sum();
    for j in full..n {
        sum += i32::from(a[j]) * i32::from(q[j]);
    }
    sum
}

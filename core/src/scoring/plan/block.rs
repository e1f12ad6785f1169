//! Block scoring: the totals of a span of the catalog or of a list of
//! picked rows, component by component over the rows (struct of arrays
//! in, one tight loop per component), with the arithmetic of scoring each
//! row alone.

use super::rules::{with_scorer, Exact, Precision};
use super::{Active, Plan, BLOCK_ROWS};
use crate::scoring::rows::{Picked, RowSet, Span};

impl<'a> Plan<'a> {
    /// [`Plan::score_block`] for any CPU (inlined into the AVX2 build).
    #[inline(always)]
    pub(super) fn score_block_portable(&self, start: usize, out: &mut [f64]) {
        let n = out.len();
        let mut sums = [0.0f64; BLOCK_ROWS];
        let mut weights = [0.0f64; BLOCK_ROWS];
        self.score_rows(
            Span { start, len: n },
            out,
            &mut sums[..n],
            &mut weights[..n],
        );
    }

    /// Totals of the listed rows (at most [`BLOCK_ROWS`]) into `out`, with
    /// the same arithmetic as [`Plan::score_block`], so the same total for
    /// a row either way. `scratch` is reused across calls.
    pub fn score_picked(&self, rows: &[u32], out: &mut [f64], scratch: &mut Scratch) {
        let (sums, weights) = scratch.zeroed(rows.len());
        self.score_rows(Picked(rows), out, sums, weights);
    }

    /// The block scorer. `sums` and `weights` come in zeroed, one slot per
    /// row, as arguments: the compiler then knows they alias no column
    /// (and vectorises the component loops).
    #[inline(always)]
    pub(super) fn score_rows<R: RowSet>(
        &self,
        rows: R,
        out: &mut [f64],
        sums: &mut [f64],
        weights: &mut [f64],
    ) {
        let n = rows.len();
        debug_assert!(n <= BLOCK_ROWS && out.len() == n);
        let (sums, weights) = (&mut sums[..n], &mut weights[..n]);
        for a in &self.active {
            if self.asked(a) {
                self.accumulate::<Exact, R>(a, rows, sums, weights);
            }
        }
        for ((slot, &sum), &weight) in out.iter_mut().zip(sums.iter()).zip(weights.iter()) {
            *slot = normalise(sum, weight);
        }
        if self.filters_active() {
            for (i, slot) in out.iter_mut().enumerate() {
                if !self.passes(rows.row(i)) {
                    *slot = f64::NAN;
                }
            }
        }
    }

    /// Add component `a`'s weighted score (or, with [`Bound`](super::rules::Bound), a bound on
    /// it) of each row of `rows` to `sums`, and its weight to `weights`
    /// where the row knows it (an unknown value adds exactly `+0.0` to
    /// both).
    #[inline(always)]
    pub(super) fn accumulate<M: Precision, R: RowSet>(
        &self,
        a: &Active,
        rows: R,
        sums: &mut [f64],
        weights: &mut [f64],
    ) {
        let n = rows.len();
        let (sums, weights) = (&mut sums[..n], &mut weights[..n]);
        let w = a.weight;
        with_scorer!(self, a, rows, M, |i, v| {
            let known = !v.is_nan();
            sums[i] += if known { w * v } else { 0.0 };
            weights[i] += if known { w } else { 0.0 };
        });
    }
}

/// Per-row running sums of one scoring pass, grown to the largest pass
/// (so a pass over a few picked rows zeroes a few slots, not a block's).
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    sums: Vec<f64>,
    weights: Vec<f64>,
}

impl Scratch {
    pub fn new() -> Scratch {
        Scratch::default()
    }

    /// Zeroed sums and weights for `n` rows.
    fn zeroed(&mut self, n: usize) -> (&mut [f64], &mut [f64]) {
        if self.sums.len() < n {
            self.sums.resize(n, 0.0);
            self.weights.resize(n, 0.0);
        }
        let (sums, weights) = (&mut self.sums[..n], &mut self.weights[..n]);
        sums.fill(0.0);
        weights.fill(0.0);
        (sums, weights)
    }
}

/// `sum / weight`, except that weights summing to 1 (up to rounding) are
/// taken as exactly 1 so the case-study formula is reproduced to the last
/// digit; no weight at all gives 0. Never above 100: a weighted mean of
/// scores ≤ 100 can round above it (0.30 and 0.15 renormalised give
/// 100.00000000000001 for two perfect scores), and a total is 0..=100.
#[inline]
pub(crate) fn normalise(sum: f64, weight: f64) -> f64 {
    if weight <= 0.0 {
        0.0
    } else if (weight - 1.0).abs() <= 1e-12 {
        sum.min(100.0) + 0.0
    } else {
        (sum / weight).min(100.0) + 0.0
    }
}

//! Quantile binning: each feature's values become small integers (`u8`
//! bins) once, before training, so that a histogram over a leaf's rows is a
//! scan of bytes instead of a sort of floats.
//!
//! A feature with at most `max_bins` distinct values gets one bin per
//! value; otherwise bins hold about equally many rows (quantiles), and a
//! value that alone fills more than a bin's share (a zero basement) keeps
//! a bin to itself. The bound between two bins is the midpoint of the
//! largest value below and the smallest value above, as in LightGBM. A
//! missing value (NaN) has the bin after the last value bin.
//!
//! Values are compared exactly as the LightGBM split rule that the trained
//! trees predict with: `|x| <= 1e-35f` counts as 0, and `x` goes to the
//! first bin whose upper bound is `>= x`. So "bin ≤ b" holds exactly when
//! the predictor's `x <= bound[b]` does, for every `x`, seen or not.

use ndarray::ArrayView2;
use rayon::prelude::*;

use crate::model::split_rule::LIGHTGBM_ZERO;

/// The bins of one feature.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BinMapper {
    /// Upper bound (inclusive) of each value bin; the last is `+inf`.
    bounds: Vec<f64>,
}

/// Zero as the LightGBM predictor sees it: tiny values are zero.
#[inline]
fn snap(x: f64) -> f64 {
    if x.abs() <= LIGHTGBM_ZERO {
        0.0
    } else {
        x
    }
}

/// A bound `m` with `a <= m < b` (the midpoint when it exists in `f64`).
fn between(a: f64, b: f64) -> f64 {
    let m = a + (b - a) / 2.0;
    if m >= a && m < b {
        m
    } else {
        a
    }
}

impl BinMapper {
    /// Fit the bins of one feature from its training values (NaN = missing;
    /// every other value must be finite).
    pub(crate) fn fit(values: impl Iterator<Item = f64>, max_bins: usize) -> Self {
        let mut v: Vec<f64> = values.filter(|x| !x.is_nan()).map(snap).collect();
        v.sort_unstable_by(f64::total_cmp);
        // Distinct values and their counts, in increasing order.
        let mut distinct: Vec<(f64, usize)> = Vec::new();
        for x in v {
            match distinct.last_mut() {
                Some((d, c)) if *d == x => *c += 1,
                _ => distinct.push((x, 1)),
            }
        }
        let mut bounds = Vec::new();
        if distinct.len() <= max_bins {
            for w in distinct.windows(2) {
                bounds.push(between(w[0].0, w[1].0));
            }
        } else {
            // Greedy quantiles: close a bin once it holds its share of the
            // rows not yet binned, re-computing the share after each bin so
            // that heavy values do not starve the rest.
            let total: usize = distinct.iter().map(|d| d.1).sum();
            let mut done = 0usize; // rows in closed bins
            let mut in_bin = 0usize;
            for j in 0..distinct.len() - 1 {
                in_bin += distinct[j].1;
                let bins_left = max_bins - bounds.len();
                if bins_left <= 1 {
                    break;
                }
                let share = (total - done) as f64 / bins_left as f64;
                // Close now if this bin is full, or if the next value alone
                // would overfill it by more than closing leaves it short.
                let next = distinct[j + 1].1 as f64;
                let full =
                    in_bin as f64 >= share || (in_bin as f64 + next > share && next >= share);
                if full {
                    bounds.push(between(distinct[j].0, distinct[j + 1].0));
                    done += in_bin;
                    in_bin = 0;
                }
            }
        }
        bounds.push(f64::INFINITY);
        BinMapper { bounds }
    }

    /// Number of value bins (the NaN bin comes after them).
    #[inline]
    pub(crate) fn num_value_bins(&self) -> usize {
        self.bounds.len()
    }

    /// The bin of the missing value.
    #[inline]
    pub(crate) fn nan_bin(&self) -> u8 {
        self.bounds.len() as u8
    }

    /// Upper bound of value bin `b`: the split "bin ≤ b" is `x <= bound(b)`.
    #[inline]
    pub(crate) fn bound(&self, b: u8) -> f64 {
        self.bounds[b as usize]
    }

    /// The bin of a value.
    #[inline]
    pub(crate) fn bin(&self, x: f64) -> u8 {
        if x.is_nan() {
            self.nan_bin()
        } else {
            let x = snap(x);
            self.bounds.partition_point(|&u| u < x) as u8
        }
    }
}

/// A feature matrix as bins: one contiguous `u8` column per feature, so a
/// histogram pass over one feature reads one byte per row.
#[derive(Debug, Clone)]
pub(crate) struct BinnedMatrix {
    /// `cols[f][row]`.
    pub(crate) cols: Vec<Vec<u8>>,
}

/// Fit one mapper per column of `x` (in parallel over features).
pub(crate) fn fit_mappers(x: ArrayView2<'_, f64>, max_bins: usize) -> Vec<BinMapper> {
    (0..x.ncols())
        .into_par_iter()
        .map(|f| BinMapper::fit(x.column(f).iter().copied(), max_bins))
        .collect()
}

/// Bin every column of `x` with the given mappers (in parallel over features).
pub(crate) fn bin_matrix(x: ArrayView2<'_, f64>, mappers: &[BinMapper]) -> BinnedMatrix {
    let cols = mappers
        .par_iter()
        .enumerate()
        .map(|(f, m)| x.column(f).iter().map(|&v| m.bin(v)).collect())
        .collect();
    BinnedMatrix { cols }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn few_distinct_values_get_one_bin_each_with_midpoint_bounds() {
        let m = BinMapper::fit([3.0, 1.0, 2.0, 2.0, f64::NAN].into_iter(), 255);
        assert_eq!(m.bounds, vec![1.5, 2.5, f64::INFINITY]);
        assert_eq!(m.nan_bin(), 3);
        assert_eq!(
            [1.0, 1.5, 1.6, 2.0, 3.0, 99.0, f64::NAN].map(|x| m.bin(x)),
            [0, 0, 1, 1, 2, 2, 3]
        );
    }

    #[test]
    fn bins_agree_with_the_predictors_comparison() {
        let vals: Vec<f64> = (0..5000)
            .map(|i| ((i * 7919) % 1013) as f64 * 0.37)
            .collect();
        let m = BinMapper::fit(vals.iter().copied(), 16);
        assert!(m.num_value_bins() <= 16 && m.num_value_bins() >= 12);
        for &x in vals.iter().chain(&[-1.0, 1e9, 0.0, -0.0, 1e-36]) {
            let b = m.bin(x);
            for k in 0..m.num_value_bins() as u8 {
                let left = crate::model::split_rule::lightgbm_numerical(
                    x,
                    m.bound(k),
                    false,
                    crate::model::split_rule::MissingType::NaN,
                );
                assert_eq!(b <= k, left, "x = {x}, bin {b}, bound {k}");
            }
        }
    }

    #[test]
    fn a_heavy_value_keeps_a_bin_and_quantiles_share_the_rest() {
        // 60% zeros, then 400 distinct values.
        let vals: Vec<f64> = (0..1000)
            .map(|i| if i < 600 { 0.0 } else { (i - 599) as f64 })
            .collect();
        let m = BinMapper::fit(vals.iter().copied(), 10);
        assert_eq!(m.bin(0.0), 0);
        assert_eq!(m.bin(1.0), 1);
        assert_eq!(m.num_value_bins(), 10);
        let mut counts = vec![0; 10];
        for &x in &vals {
            counts[m.bin(x) as usize] += 1;
        }
        assert_eq!(counts[0], 600);
        assert!(
            counts[1..].iter().all(|&c| (40..=50).contains(&c)),
            "{counts:?}"
        );
    }

    #[test]
    fn constant_and_all_missing_columns_have_one_value_bin() {
        let m = BinMapper::fit([5.0, 5.0].into_iter(), 255);
        assert_eq!(m.num_value_bins(), 1);
        let m = BinMapper::fit([f64::NAN].into_iter(), 255);
        assert_eq!((m.num_value_bins(), m.bin(f64::NAN), m.bin(3.0)), (1, 1, 0));
    }
}
